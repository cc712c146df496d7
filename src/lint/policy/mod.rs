//! The IAM policy model with spans: every statement, `Effect`, action, resource, principal and
//! condition keeps the span of the element it was read from, so findings point at the culprit.
//!
//! This module owns reading a spanned document ([`node::Node`], from [`json`] or from HCL) into a
//! [`Policy`] and reporting structural problems as [`StructureIssue`]s. It must not judge whether
//! a well-formed policy is a good idea; that is the rules' job.

pub mod json;
pub mod model;
pub mod node;

pub use model::{
    Condition, Effect, Elem, ElemKind, Policy, PolicyKind, PolicyOrigin, Principal, Statement,
    StructureIssue, Text,
};
pub use node::{Member, Node, NodeKind};
