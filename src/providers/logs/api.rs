//! The CloudWatch Logs calls the log group resource needs, with our own plain types.

use crate::providers::error::ApiError;
use async_trait::async_trait;
use std::collections::BTreeMap;

/// A log group as described.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogGroup {
    /// Name.
    pub name: String,
    /// ARN as DescribeLogGroups returns it (ending in `:*`).
    pub arn: String,
    /// Retention; `None` means "never expire".
    pub retention_in_days: Option<i64>,
    /// The associated KMS key ARN.
    pub kms_key_id: Option<String>,
    /// `STANDARD`, `INFREQUENT_ACCESS` or `DELIVERY`; `None` when AWS does not say.
    pub log_group_class: Option<String>,
    /// Deletion protection; `None` when AWS does not say.
    pub deletion_protection_enabled: Option<bool>,
}

/// CreateLogGroup input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewLogGroup {
    /// Name.
    pub name: String,
    /// KMS key ARN.
    pub kms_key_id: Option<String>,
    /// Class.
    pub log_group_class: Option<String>,
    /// Deletion protection.
    pub deletion_protection_enabled: Option<bool>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
}

/// CloudWatch Logs.
///
/// # Errors
/// Every method returns AWS's failure classified as an [`ApiError`] (see
/// [`ApiError::from_sdk`](crate::providers::error::ApiError::from_sdk)); lookups return
/// `Ok(None)` rather than a not-found error where their doc says so.
#[async_trait]
pub trait LogsApi: Send + Sync {
    /// DescribeLogGroups by prefix, keeping the exact name; `None` when missing.
    async fn describe_log_group(&self, name: &str) -> Result<Option<LogGroup>, ApiError>;
    /// CreateLogGroup.
    async fn create_log_group(&self, g: &NewLogGroup) -> Result<(), ApiError>;
    /// DeleteLogGroup (missing counts as deleted).
    async fn delete_log_group(&self, name: &str) -> Result<(), ApiError>;
    /// PutRetentionPolicy.
    async fn put_retention_policy(&self, name: &str, days: i64) -> Result<(), ApiError>;
    /// DeleteRetentionPolicy.
    async fn delete_retention_policy(&self, name: &str) -> Result<(), ApiError>;
    /// AssociateKmsKey.
    async fn associate_kms_key(&self, name: &str, key: &str) -> Result<(), ApiError>;
    /// DisassociateKmsKey.
    async fn disassociate_kms_key(&self, name: &str) -> Result<(), ApiError>;
    /// PutLogGroupDeletionProtection.
    async fn put_deletion_protection(&self, name: &str, enabled: bool) -> Result<(), ApiError>;
    /// ListTagsForResource (ARN without the `:*` suffix).
    async fn list_tags(&self, arn: &str) -> Result<BTreeMap<String, String>, ApiError>;
    /// TagResource.
    async fn tag_resource(
        &self,
        arn: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError>;
    /// UntagResource.
    async fn untag_resource(&self, arn: &str, keys: &[String]) -> Result<(), ApiError>;
}
