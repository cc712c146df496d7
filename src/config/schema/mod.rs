//! Declarative schemas of the resource types and data sources emrform manages, with the AWS
//! provider's attribute names, types, required/optional/computed flags, defaults, nested blocks,
//! ForceNew and value validation. One file per type; [`registry`] maps type names to schemas.
//!
//! This module only describes; validating a configuration against a schema lives in
//! `config::validate`, and deciding replace-vs-update in the planner.

mod model;
pub mod registry;

pub use model::*;
pub use registry::{data_source, managed_resource, Registry};
