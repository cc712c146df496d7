//! Configuration: loading `.tf` files into a module tree, evaluating expressions into values,
//! and the resource schemas that values are checked against.
//!
//! This module knows the Terraform language; it never talks to AWS and never reads state.

pub mod eval;
pub mod schema;
pub mod value;
