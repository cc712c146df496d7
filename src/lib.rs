//! emrform: plan and apply Amazon EMR Serverless stacks written in the Terraform language.
//!
//! The pipeline (DESIGN §2): [`config`] loads and evaluates HCL into resource instances,
//! [`graph`] orders them, [`providers`] read and change live AWS, [`plan`] diffs and decides,
//! [`render`] prints plans and findings, [`apply`] carries a plan out, [`state`] remembers what
//! exists, and [`lint`] checks IAM policies. [`cli`] wires the commands together.

pub mod addrs;
pub mod apply;
pub mod checks;
pub mod cli;
pub mod config;
pub mod diag;
pub mod graph;
pub mod lint;
pub mod plan;
pub mod providers;
pub mod render;
pub mod state;
