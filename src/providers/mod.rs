//! Providers: one module per AWS service family (`emr_serverless`, `iam`, `ec2`, `ecr`, `s3`,
//! `sts`, `kms`, `logs`, ...) and the built-in types, behind one trait, [`ResourceProvider`]
//! (and [`DataSourceProvider`] for data sources). A
//! provider reads, normalises, plans, creates, updates, deletes and imports objects of its
//! types, where an object is a [`Value::Map`] keyed by the AWS provider's attribute names — the
//! `attributes` object Terraform keeps in state (MaxItems-1 blocks as one-element lists, sets as
//! [`Value::Set`], absent optional values as `Null`, absent blocks as empty lists).
//!
//! This module owns every AWS-specific decision (what forces replacement, which API calls an
//! update makes, waiting, retries, rate limits, error mapping). It must not decide plan actions,
//! order the graph, touch state files or format anything for users: the engine does that, and
//! never names a service. AWS errors are classified once, in each service's `sdk.rs`, through
//! [`ApiError::from_sdk`].

pub mod attrs;
pub mod config;
pub mod error;
pub mod faults;
pub mod normalize;
pub mod planning;
pub mod registry;
pub mod retry;

pub mod builtin;
pub mod ec2;
pub mod ecr;
pub mod emr;
pub mod emr_serverless;
pub mod iam;
pub mod kms;
pub mod logs;
pub mod s3;
pub mod sts;

pub use config::{Clients, ProviderConfig};
pub use error::{ApiError, ApiErrorKind, ProviderError};
pub use registry::Registry;

use crate::config::value::Value;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One step of an attribute path, as in Terraform's `replace_paths`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PathStep {
    /// An attribute or map key.
    Attr(String),
    /// A list index.
    Index(usize),
}

/// A path to an attribute, e.g. `["network_configuration", 0, "subnet_ids"]`.
pub type AttrPath = Vec<PathStep>;

/// One AWS call that applying a change will make, in order. Plain data for the plan: the
/// renderer prints it (`StopApplication`, `UpdateApplication(maximum_capacity)`), the Markdown
/// renderer flags the disruptive ones. Must not be used to drive apply: apply re-derives its
/// calls from prior and planned values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiOp {
    /// The AWS API operation name, e.g. `UpdateApplication`.
    pub operation: String,
    /// The attributes (Terraform names) this call changes; empty when not field-specific.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// True for calls that interrupt the running service (stopping a STARTED application).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disruptive: bool,
}

impl ApiOp {
    /// A call not tied to fields.
    pub fn call(operation: &str) -> ApiOp {
        ApiOp {
            operation: operation.to_string(),
            fields: Vec::new(),
            disruptive: false,
        }
    }

    /// A call that changes `fields`.
    pub fn with_fields(operation: &str, fields: impl IntoIterator<Item = String>) -> ApiOp {
        ApiOp {
            operation: operation.to_string(),
            fields: fields.into_iter().collect(),
            disruptive: false,
        }
    }

    /// Marks the call as disruptive.
    pub fn disruptive(mut self) -> ApiOp {
        self.disruptive = true;
        self
    }
}

impl std::fmt::Display for ApiOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.operation)?;
        if !self.fields.is_empty() {
            write!(f, "({})", self.fields.join(", "))?;
        }
        Ok(())
    }
}

/// What a provider proposes for one object. The planner turns it into an action: no
/// `changed_paths` → no-op, `requires_replace` non-empty → replace, else update (or create
/// when there was no prior object).
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedChange {
    /// The planned new object: desired values, defaults filled in, computed attributes carried
    /// from the prior object or [`Value::Unknown`].
    pub planned: Value,
    /// Top-level attributes whose normalised values differ between prior and planned
    /// (empty for a create).
    pub changed_paths: Vec<AttrPath>,
    /// Changed attributes that cannot be updated in place.
    pub requires_replace: Vec<AttrPath>,
    /// The AWS calls apply will make, in order.
    pub api_ops: Vec<ApiOp>,
}

/// Timeouts of the waiters, as in the AWS provider's `timeouts {}` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Waiting after a create.
    pub create: Duration,
    /// Waiting after an update (including stop/start around it).
    pub update: Duration,
    /// Waiting after a delete.
    pub delete: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            create: Duration::from_secs(75 * 60),
            update: Duration::from_secs(75 * 60),
            delete: Duration::from_secs(20 * 60),
        }
    }
}

/// Per-call context the engine passes to a provider.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The resource instance address, used in every error.
    pub address: String,
    /// Stop a STARTED application even when job runs are active (they are then cancelled by
    /// AWS's stop). Off by default: the provider refuses.
    pub allow_stop_with_active_jobs: bool,
    /// Waiter timeouts.
    pub timeouts: Timeouts,
    /// How often waiters poll; AWS-friendly by default, short in tests.
    pub poll_interval: Duration,
}

impl Ctx {
    /// A context for `address` with default options.
    pub fn new(address: impl Into<String>) -> Ctx {
        Ctx {
            address: address.into(),
            allow_stop_with_active_jobs: false,
            timeouts: Timeouts::default(),
            poll_interval: Duration::from_secs(5),
        }
    }

    /// Wraps an AWS error with this address and the operation.
    pub fn api(&self, operation: &'static str, source: ApiError) -> ProviderError {
        ProviderError::Api {
            address: self.address.clone(),
            operation,
            source: Box::new(source),
            partial: None,
        }
    }

    /// An invalid-value error for this address.
    pub fn invalid(&self, message: impl Into<String>) -> ProviderError {
        ProviderError::InvalidValue {
            address: self.address.clone(),
            message: message.into(),
        }
    }
}

/// One managed resource type.
#[async_trait]
pub trait ResourceProvider: Send + Sync {
    /// The Terraform type name, e.g. `aws_emrserverless_application`.
    fn type_name(&self) -> &'static str;

    /// A canonical form for comparison only (policy JSON canonical, `"4 vCPU"` → `"4vCPU"`,
    /// engine type case, empty blocks as empty lists). Pure; never stored.
    fn normalize(&self, v: &Value) -> Value;

    /// Plans the change from `prior` (None: the object does not exist) to `desired` (the
    /// evaluated configuration). Pure and synchronous.
    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange;

    /// Reads the live object described by `prior` (refresh). `Ok(None)` when it is gone.
    ///
    /// # Errors
    /// [`ProviderError::Api`] when AWS fails for another reason than "not found".
    async fn read(&self, ctx: &Ctx, prior: &Value) -> Result<Option<Value>, ProviderError>;

    /// Creates the object and returns it as read back.
    ///
    /// # Errors
    /// Any [`ProviderError`]; when AWS created something before failing, the error's
    /// [`ProviderError::partial`] holds it.
    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError>;

    /// Updates the object in place and returns it as read back.
    ///
    /// # Errors
    /// Any [`ProviderError`].
    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError>;

    /// Deletes the object; an object already gone counts as deleted.
    ///
    /// # Errors
    /// Any [`ProviderError`].
    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError>;

    /// The live objects a create of `planned` may have made before the process died, found
    /// by the type's natural key (a name, a CIDR within a VPC, ...): the engine records a
    /// pending create in state before each create call and asks this on the next plan.
    /// `Ok(None)` when the type has no way to tell (the default).
    ///
    /// # Errors
    /// [`ProviderError::Api`] on AWS failures.
    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let _ = (ctx, planned);
        Ok(None)
    }

    /// Reads the object with import id `id` (the AWS provider's import id format).
    /// `Ok(None)` when it does not exist.
    ///
    /// # Errors
    /// [`ProviderError::Api`] on AWS failures, [`ProviderError::InvalidValue`] for a malformed id.
    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError>;
}

/// One data source type.
#[async_trait]
pub trait DataSourceProvider: Send + Sync {
    /// The Terraform type name, e.g. `aws_caller_identity`.
    fn type_name(&self) -> &'static str;

    /// Reads the data source for its evaluated `config` and returns the full object
    /// (arguments and computed attributes).
    ///
    /// # Errors
    /// [`ProviderError::Api`] on AWS failures; a lookup that finds nothing is an error too, as
    /// in the AWS provider.
    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError>;
}
