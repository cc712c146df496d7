//! Evaluation of expressions and whole configurations: variables, locals, modules,
//! `count`/`for_each` expansion, and the built-in functions.

pub mod functions;
pub mod policy_document;
