//! The ECR calls the repository, repository policy, lifecycle policy and image data sources
//! need.

use crate::providers::error::ApiError;
use async_trait::async_trait;
use std::collections::BTreeMap;

/// A repository as read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Repository {
    /// Name.
    pub name: String,
    /// ARN.
    pub arn: String,
    /// Registry (account) id.
    pub registry_id: String,
    /// `<registry>.dkr.ecr.<region>.amazonaws.com/<name>`.
    pub uri: String,
    /// `MUTABLE` / `IMMUTABLE`.
    pub image_tag_mutability: String,
    /// Scan on push.
    pub scan_on_push: bool,
    /// `AES256` / `KMS`.
    pub encryption_type: String,
    /// KMS key.
    pub kms_key: Option<String>,
}

/// CreateRepository input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewRepository {
    /// Name.
    pub name: String,
    /// Tag mutability.
    pub image_tag_mutability: Option<String>,
    /// Scan on push.
    pub scan_on_push: Option<bool>,
    /// Encryption (type, key).
    pub encryption: Option<(String, Option<String>)>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
}

/// An image as described.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Image {
    /// `sha256:...`.
    pub digest: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Size.
    pub size_in_bytes: i64,
    /// Push time, seconds since the epoch.
    pub pushed_at: i64,
}

/// A repository's lifecycle policy as read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LifecyclePolicy {
    /// Repository name.
    pub repository: String,
    /// Registry (account) id.
    pub registry_id: String,
    /// The policy text.
    pub text: String,
}

/// ECR.
///
/// # Errors
/// Every method returns AWS's failure classified as an [`ApiError`] (see
/// [`ApiError::from_sdk`](crate::providers::error::ApiError::from_sdk)); lookups return
/// `Ok(None)` rather than a not-found error where their doc says so.
#[async_trait]
pub trait EcrApi: Send + Sync {
    /// DescribeRepositories for one name; `None` when missing.
    async fn describe_repository(
        &self,
        name: &str,
        registry_id: Option<&str>,
    ) -> Result<Option<Repository>, ApiError>;
    /// CreateRepository.
    async fn create_repository(&self, r: &NewRepository) -> Result<Repository, ApiError>;
    /// PutImageTagMutability.
    async fn put_image_tag_mutability(&self, name: &str, value: &str) -> Result<(), ApiError>;
    /// PutImageScanningConfiguration.
    async fn put_image_scanning_configuration(
        &self,
        name: &str,
        scan_on_push: bool,
    ) -> Result<(), ApiError>;
    /// DeleteRepository (missing counts as deleted).
    async fn delete_repository(&self, name: &str, force: bool) -> Result<(), ApiError>;
    /// ListTagsForResource.
    async fn list_tags(&self, arn: &str) -> Result<BTreeMap<String, String>, ApiError>;
    /// TagResource.
    async fn tag_resource(
        &self,
        arn: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError>;
    /// UntagResource.
    async fn untag_resource(&self, arn: &str, keys: &[String]) -> Result<(), ApiError>;
    /// GetRepositoryPolicy; `None` when the repository has no policy (or does not exist).
    async fn get_repository_policy(&self, name: &str)
        -> Result<Option<(String, String)>, ApiError>;
    /// SetRepositoryPolicy; returns the registry id.
    async fn set_repository_policy(&self, name: &str, policy: &str) -> Result<String, ApiError>;
    /// DeleteRepositoryPolicy (missing counts as deleted).
    async fn delete_repository_policy(&self, name: &str) -> Result<(), ApiError>;
    /// DescribeImages, optionally for one tag or digest.
    async fn describe_images(
        &self,
        repo: &str,
        registry_id: Option<&str>,
        tag: Option<&str>,
        digest: Option<&str>,
    ) -> Result<Vec<Image>, ApiError>;
    /// GetLifecyclePolicy; `None` when the repository has no lifecycle policy (or does not
    /// exist).
    async fn get_lifecycle_policy(&self, repo: &str) -> Result<Option<LifecyclePolicy>, ApiError>;
    /// PutLifecyclePolicy (replaces the policy); returns the registry id.
    async fn put_lifecycle_policy(&self, repo: &str, text: &str) -> Result<String, ApiError>;
    /// DeleteLifecyclePolicy (a missing policy or repository counts as deleted).
    async fn delete_lifecycle_policy(&self, repo: &str) -> Result<(), ApiError>;
}
