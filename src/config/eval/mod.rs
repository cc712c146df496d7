//! Evaluation of expressions and whole configurations: variables, locals, modules,
//! `count`/`for_each` expansion, schema-checked resource bodies, and the built-in functions.
//!
//! Evaluation never talks to AWS: values that only a provider can know come from a
//! [`ResourceResolver`] the caller supplies (validate uses unknowns; plan uses state).

mod body;
mod driver;
pub mod expr;
pub mod functions;
pub mod imports;
pub mod policy_document;
mod refs;
mod vars;

pub use body::eval_resource_body;
pub use driver::{
    constant, evaluate, local_data_source, planned_from_config, unplannable_types_diagnostic,
    EvalMode, EvalOptions, Evaluated, Expansion, ImportInstance, InstanceValue, LocalExec,
    OutputValue, ResolveRequest, ResourceResolver, UnknownResolver, UnplannableType,
};
pub use expr::{Env, ModuleValues};
pub use refs::{references, RefTarget, Reference};
pub use vars::{parse_cli_var, CliVar, RawValue, RawVariable, VarSource};
