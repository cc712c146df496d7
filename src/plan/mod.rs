//! Plans: what apply will do, as a plain value. [`model`] holds the data (no I/O, no
//! formatting); the planner fills it; `render::*` prints it; `apply` carries it out.

pub mod diff;
pub mod expressions;
pub mod model;
pub mod planner;

pub use model::*;
