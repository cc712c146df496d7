//! State: what exists, in Terraform's state v4 layout, and the backends that keep it.
//!
//! This module owns the state file format ([`model`]), the storage of state with locking
//! ([`backend`]: local file, memory; S3 later) and the pure state operations behind
//! `state list|show|rm|mv|pull` ([`ops`]). It must not talk to providers, evaluate
//! configuration or decide plan actions: it records what other layers tell it exists.

pub mod backend;
pub mod model;
pub mod ops;
pub mod show;

pub use model::{Instance, OutputValue, Resource, State, StateFormatError};
