//! The KMS calls the key and alias resources and the key data source need, with our own
//! plain types.

use crate::providers::error::ApiError;
use async_trait::async_trait;
use std::collections::BTreeMap;

/// One multi-Region key (primary or replica) as ARN and region.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegionKey {
    /// ARN.
    pub arn: String,
    /// Region.
    pub region: String,
}

/// A multi-Region key's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MultiRegionConfig {
    /// `PRIMARY` / `REPLICA`.
    pub key_type: String,
    /// The primary key.
    pub primary: Option<RegionKey>,
    /// The replicas.
    pub replicas: Vec<RegionKey>,
}

/// DescribeKey's metadata. Timestamps are RFC 3339 (UTC, whole seconds), as the AWS provider
/// writes them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyMetadata {
    /// Key id (a UUID, `mrk-...` for multi-Region keys).
    pub key_id: String,
    /// ARN.
    pub arn: String,
    /// Owning account.
    pub aws_account_id: String,
    /// Creation time.
    pub creation_date: Option<String>,
    /// Enabled.
    pub enabled: bool,
    /// Description (empty when none).
    pub description: String,
    /// `ENCRYPT_DECRYPT`, `SIGN_VERIFY`, ...
    pub key_usage: String,
    /// `Enabled`, `Disabled`, `PendingDeletion`, ...
    pub key_state: String,
    /// When a key pending deletion goes.
    pub deletion_date: Option<String>,
    /// When imported key material expires.
    pub valid_to: Option<String>,
    /// `AWS_KMS`, `EXTERNAL`, `AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`.
    pub origin: String,
    /// Custom key store.
    pub custom_key_store_id: Option<String>,
    /// CloudHSM cluster.
    pub cloud_hsm_cluster_id: Option<String>,
    /// Imported key material expiry model.
    pub expiration_model: Option<String>,
    /// `AWS` / `CUSTOMER`.
    pub key_manager: String,
    /// The deprecated spec field.
    pub customer_master_key_spec: String,
    /// The key spec.
    pub key_spec: String,
    /// Multi-Region.
    pub multi_region: bool,
    /// Multi-Region configuration.
    pub multi_region_config: Option<MultiRegionConfig>,
    /// Waiting period of a key pending deletion.
    pub pending_deletion_window_in_days: Option<i64>,
    /// External key store key id.
    pub xks_key_id: Option<String>,
}

/// CreateKey input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewKey {
    /// Description.
    pub description: Option<String>,
    /// Key usage.
    pub key_usage: Option<String>,
    /// Key spec.
    pub key_spec: Option<String>,
    /// Key policy; AWS's default policy when `None`.
    pub policy: Option<String>,
    /// Skip the lockout safety check.
    pub bypass_policy_lockout_safety_check: bool,
    /// Multi-Region.
    pub multi_region: Option<bool>,
    /// Custom key store (CloudHSM origin).
    pub custom_key_store_id: Option<String>,
    /// External key store key (external key store origin).
    pub xks_key_id: Option<String>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
}

/// An alias as listed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Alias {
    /// `alias/...`.
    pub name: String,
    /// ARN.
    pub arn: String,
    /// The key it points at (key id); `None` for an alias without a key.
    pub target_key_id: Option<String>,
}

/// Key rotation status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rotation {
    /// Automatic rotation on.
    pub enabled: bool,
    /// Rotation period, when AWS reports one.
    pub period_in_days: Option<i64>,
}

/// KMS.
///
/// # Errors
/// Every method returns AWS's failure classified as an [`ApiError`] (see
/// [`ApiError::from_sdk`](crate::providers::error::ApiError::from_sdk)); lookups return
/// `Ok(None)` rather than a not-found error where their doc says so.
#[async_trait]
pub trait KmsApi: Send + Sync {
    /// DescribeKey by key id, key ARN, alias name or alias ARN; `None` when missing.
    async fn describe_key(
        &self,
        key_id: &str,
        grant_tokens: &[String],
    ) -> Result<Option<KeyMetadata>, ApiError>;
    /// CreateKey.
    async fn create_key(&self, k: &NewKey) -> Result<KeyMetadata, ApiError>;
    /// GetKeyPolicy of the `default` policy; `None` when the key is missing.
    async fn get_key_policy(&self, key_id: &str) -> Result<Option<String>, ApiError>;
    /// PutKeyPolicy of the `default` policy.
    async fn put_key_policy(
        &self,
        key_id: &str,
        policy: &str,
        bypass: bool,
    ) -> Result<(), ApiError>;
    /// GetKeyRotationStatus.
    async fn get_key_rotation(&self, key_id: &str) -> Result<Rotation, ApiError>;
    /// EnableKeyRotation (with a period when given) or DisableKeyRotation.
    async fn set_key_rotation(
        &self,
        key_id: &str,
        enabled: bool,
        period_in_days: Option<i64>,
    ) -> Result<(), ApiError>;
    /// EnableKey or DisableKey.
    async fn set_key_enabled(&self, key_id: &str, enabled: bool) -> Result<(), ApiError>;
    /// UpdateKeyDescription.
    async fn update_key_description(&self, key_id: &str, description: &str)
        -> Result<(), ApiError>;
    /// ScheduleKeyDeletion (a missing key, or one already pending deletion, counts as done).
    async fn schedule_key_deletion(
        &self,
        key_id: &str,
        window_in_days: Option<i64>,
    ) -> Result<(), ApiError>;
    /// ListResourceTags (every page).
    async fn list_tags(&self, key_id: &str) -> Result<BTreeMap<String, String>, ApiError>;
    /// TagResource.
    async fn tag_resource(
        &self,
        key_id: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError>;
    /// UntagResource.
    async fn untag_resource(&self, key_id: &str, keys: &[String]) -> Result<(), ApiError>;
    /// ListAliases (every page), for one key or for the account and region.
    async fn list_aliases(&self, key_id: Option<&str>) -> Result<Vec<Alias>, ApiError>;
    /// CreateAlias.
    async fn create_alias(&self, name: &str, target_key_id: &str) -> Result<(), ApiError>;
    /// UpdateAlias.
    async fn update_alias(&self, name: &str, target_key_id: &str) -> Result<(), ApiError>;
    /// DeleteAlias (missing counts as deleted).
    async fn delete_alias(&self, name: &str) -> Result<(), ApiError>;
}
