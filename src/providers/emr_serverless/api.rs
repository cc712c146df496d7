//! The narrow EMR Serverless API the application resource needs, in our own types. Two
//! implementations: [`super::sdk::SdkEmrServerless`] (the AWS SDK) and
//! [`super::fake::FakeEmrServerless`] (in memory, for fast unit tests of the lifecycle logic).

use crate::providers::error::ApiError;
use async_trait::async_trait;
use std::collections::BTreeMap;

/// An application's lifecycle state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppState {
    /// Being created.
    Creating,
    /// Created, no capacity.
    Created,
    /// Starting.
    Starting,
    /// Accepting jobs.
    Started,
    /// Stopping.
    Stopping,
    /// Stopped.
    Stopped,
    /// Deleted: reads as gone.
    Terminated,
}

impl AppState {
    /// Parses the API's spelling; unknown states read as `Creating` (keep waiting).
    pub fn parse(s: &str) -> AppState {
        match s.to_ascii_uppercase().as_str() {
            "CREATED" => AppState::Created,
            "STARTING" => AppState::Starting,
            "STARTED" => AppState::Started,
            "STOPPING" => AppState::Stopping,
            "STOPPED" => AppState::Stopped,
            "TERMINATED" => AppState::Terminated,
            _ => AppState::Creating,
        }
    }

    /// The API's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AppState::Creating => "CREATING",
            AppState::Created => "CREATED",
            AppState::Starting => "STARTING",
            AppState::Started => "STARTED",
            AppState::Stopping => "STOPPING",
            AppState::Stopped => "STOPPED",
            AppState::Terminated => "TERMINATED",
        }
    }
}

/// CPU, memory and disk of a worker or of the application's maximum.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resources {
    /// e.g. `4vCPU`.
    pub cpu: String,
    /// e.g. `16GB`.
    pub memory: String,
    /// e.g. `20GB`.
    pub disk: Option<String>,
}

/// Pre-initialised capacity of one worker type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InitialCapacity {
    /// Number of workers.
    pub worker_count: i64,
    /// Size of each worker.
    pub worker: Option<Resources>,
}

/// Subnets and security groups.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Network {
    /// Subnet ids.
    pub subnet_ids: Vec<String>,
    /// Security group ids.
    pub security_group_ids: Vec<String>,
}

/// One runtime configuration classification.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Classification {
    /// e.g. `spark-defaults`.
    pub classification: String,
    /// Properties.
    pub properties: BTreeMap<String, String>,
}

/// CloudWatch logging.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CloudWatchLogging {
    /// Enabled.
    pub enabled: bool,
    /// Log group.
    pub log_group_name: Option<String>,
    /// Stream prefix.
    pub log_stream_name_prefix: Option<String>,
    /// KMS key.
    pub encryption_key_arn: Option<String>,
    /// Worker type → log types.
    pub log_types: BTreeMap<String, Vec<String>>,
}

/// Monitoring configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Monitoring {
    /// S3 logs: (log_uri, encryption_key_arn).
    pub s3: Option<(Option<String>, Option<String>)>,
    /// Managed persistence: (enabled, encryption_key_arn).
    pub managed_persistence: Option<(Option<bool>, Option<String>)>,
    /// CloudWatch logs.
    pub cloudwatch: Option<CloudWatchLogging>,
    /// Prometheus remote write URL.
    pub prometheus: Option<Option<String>>,
}

/// The configurable fields of an application. In an update request only the fields to change
/// are `Some`; a field being removed is sent as its empty form (`Some(Default::default())`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AppConfig {
    /// Release label (required on create).
    pub release_label: Option<String>,
    /// `X86_64` / `ARM64`.
    pub architecture: Option<String>,
    /// Worker type → pre-initialised capacity.
    pub initial_capacity: Option<BTreeMap<String, InitialCapacity>>,
    /// Maximum capacity.
    pub maximum_capacity: Option<Resources>,
    /// Auto start enabled.
    pub auto_start: Option<bool>,
    /// Auto stop: (enabled, idle timeout minutes).
    pub auto_stop: Option<(bool, Option<i32>)>,
    /// VPC access.
    pub network: Option<Network>,
    /// Custom image URI.
    pub image_uri: Option<String>,
    /// Runtime configuration.
    pub runtime_configuration: Option<Vec<Classification>>,
    /// Monitoring.
    pub monitoring: Option<Monitoring>,
    /// Interactive: (livy endpoint, studio).
    pub interactive: Option<(Option<bool>, Option<bool>)>,
    /// Scheduler: (max concurrent runs, queue timeout minutes).
    pub scheduler: Option<(Option<i32>, Option<i32>)>,
    /// Job-level cost allocation.
    pub job_level_cost_allocation: Option<bool>,
}

/// An application as read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Application {
    /// Application id.
    pub id: String,
    /// ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// Engine type as AWS spells it.
    pub engine_type: String,
    /// State.
    pub state: Option<AppState>,
    /// AWS's explanation of the state.
    pub state_details: Option<String>,
    /// Configurable fields.
    pub config: AppConfig,
    /// Tags (all, including default tags).
    pub tags: BTreeMap<String, String>,
}

/// CreateApplication input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateRequest {
    /// Name.
    pub name: String,
    /// Engine type (`SPARK`/`HIVE`).
    pub engine_type: String,
    /// Fields.
    pub config: AppConfig,
    /// Tags.
    pub tags: BTreeMap<String, String>,
    /// Idempotency token: the same token on every retry of one create.
    pub client_token: String,
}

/// The application calls the resource makes.
///
/// # Errors
/// Every method returns AWS's failure classified as an [`ApiError`] (see
/// [`ApiError::from_sdk`](crate::providers::error::ApiError::from_sdk)); lookups return
/// `Ok(None)` rather than a not-found error where their doc says so.
#[async_trait]
pub trait EmrServerlessApi: Send + Sync {
    /// CreateApplication; returns (id, arn).
    async fn create_application(&self, req: &CreateRequest) -> Result<(String, String), ApiError>;
    /// GetApplication; `None` when it does not exist.
    async fn get_application(&self, id: &str) -> Result<Option<Application>, ApiError>;
    /// ListApplications: the ids of the applications called `name` that are not TERMINATED.
    async fn application_ids_named(&self, name: &str) -> Result<Vec<String>, ApiError>;
    /// UpdateApplication with only the fields to change.
    async fn update_application(
        &self,
        id: &str,
        changes: &AppConfig,
        client_token: &str,
    ) -> Result<(), ApiError>;
    /// StartApplication.
    async fn start_application(&self, id: &str) -> Result<(), ApiError>;
    /// StopApplication.
    async fn stop_application(&self, id: &str) -> Result<(), ApiError>;
    /// DeleteApplication (not found counts as success).
    async fn delete_application(&self, id: &str) -> Result<(), ApiError>;
    /// Number of job runs in a non-terminal state (ListJobRuns).
    async fn count_active_job_runs(&self, id: &str) -> Result<usize, ApiError>;
    /// TagResource.
    async fn tag_resource(
        &self,
        arn: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError>;
    /// UntagResource.
    async fn untag_resource(&self, arn: &str, keys: &[String]) -> Result<(), ApiError>;
}
