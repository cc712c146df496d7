//! Configuration: loading `.tf` files into a module tree ([`load`], [`model`]), evaluating
//! expressions into values ([`eval`]), type constraints ([`types`]), and the resource schemas
//! that values are checked against ([`schema`]).
//!
//! This module knows the Terraform language; it never talks to AWS and never reads state.

pub mod eval;
pub mod fmt;
pub mod json_syntax;
pub mod load;
pub mod model;
pub mod module_source;
pub mod schema;
pub mod suggest;
pub mod types;
pub mod value;
