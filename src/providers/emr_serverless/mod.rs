//! EMR Serverless: the `aws_emrserverless_application` resource. `api.rs` is the narrow API
//! in our types, `sdk.rs` its AWS SDK implementation, `fake.rs` an in-memory twin with the
//! state machine, `application.rs` the resource logic (which only ever sees the trait). Nothing
//! here may know about moto or the engine's plan actions.

pub mod api;
pub mod application;
pub mod fake;
pub mod sdk;

pub use application::ApplicationResource;
