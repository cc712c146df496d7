//! Apply: carrying out a plan. [`executor`] walks the changes in dependency order with bounded
//! parallelism and hands every finished object to a persistence callback, so state is
//! written after each one and an interrupted apply loses nothing. Progress goes through
//! [`ApplyHooks`] so text and JSON progress are renderers too.

pub mod executor;

pub use executor::{
    apply, ApplyHooks, ApplyOptions, ApplyOutcome, Event, NoHooks, Refine, StateUpdate,
};
