//! Test helpers: an [`S3`] whose API must not be called (plans are pure).

use super::api::*;
use super::S3;
use crate::providers::error::ApiError;
use async_trait::async_trait;
use std::collections::BTreeMap;

/// An API every call of which is a test bug.
pub struct NoApi;
#[async_trait]
impl S3Api for NoApi {
    async fn head_bucket(&self, _: &str) -> Result<Option<String>, ApiError> {
        unreachable!()
    }
    async fn create_bucket(&self, _: &str, _: &str, _: bool) -> Result<(), ApiError> {
        unreachable!()
    }
    async fn list_buckets(&self, _: &str) -> Result<Vec<String>, ApiError> {
        unreachable!()
    }
    async fn delete_bucket(&self, _: &str) -> Result<(), ApiError> {
        unreachable!()
    }
    async fn list_object_versions(
        &self,
        _: &str,
        _: Option<&str>,
    ) -> Result<Vec<ObjectVersion>, ApiError> {
        unreachable!()
    }
    async fn delete_object(
        &self,
        _: &str,
        _: &str,
        _: Option<&str>,
        _: bool,
    ) -> Result<(), ApiError> {
        unreachable!()
    }
    async fn get_bucket_tags(&self, _: &str) -> Result<BTreeMap<String, String>, ApiError> {
        unreachable!()
    }
    async fn put_bucket_tags(&self, _: &str, _: &BTreeMap<String, String>) -> Result<(), ApiError> {
        unreachable!()
    }
    async fn get_bucket_policy(&self, _: &str) -> Result<Option<String>, ApiError> {
        unreachable!()
    }
    async fn put_bucket_policy(&self, _: &str, _: &str) -> Result<(), ApiError> {
        unreachable!()
    }
    async fn delete_bucket_policy(&self, _: &str) -> Result<(), ApiError> {
        unreachable!()
    }
    async fn get_bucket_grants(&self, _: &str) -> Result<Vec<Grant>, ApiError> {
        unreachable!()
    }
    async fn get_bucket_cors(&self, _: &str) -> Result<Vec<CorsRule>, ApiError> {
        unreachable!()
    }
    async fn get_bucket_website(&self, _: &str) -> Result<Option<Website>, ApiError> {
        unreachable!()
    }
    async fn get_bucket_versioning(&self, _: &str) -> Result<Versioning, ApiError> {
        unreachable!()
    }
    async fn put_bucket_versioning(
        &self,
        _: &str,
        _: &str,
        _: Option<&str>,
        _: Option<&str>,
        _: Option<&str>,
    ) -> Result<(), ApiError> {
        unreachable!()
    }
    async fn get_bucket_accelerate(&self, _: &str) -> Result<String, ApiError> {
        unreachable!()
    }
    async fn get_bucket_request_payer(&self, _: &str) -> Result<String, ApiError> {
        unreachable!()
    }
    async fn get_bucket_logging(&self, _: &str) -> Result<Option<Logging>, ApiError> {
        unreachable!()
    }
    async fn get_bucket_lifecycle(&self, _: &str) -> Result<Vec<LifecycleRule>, ApiError> {
        unreachable!()
    }
    async fn get_bucket_replication(&self, _: &str) -> Result<Option<Replication>, ApiError> {
        unreachable!()
    }
    async fn get_bucket_encryption(
        &self,
        _: &str,
        _: Option<&str>,
    ) -> Result<Option<Vec<SseRule>>, ApiError> {
        unreachable!()
    }
    async fn put_bucket_encryption(
        &self,
        _: &str,
        _: &[SseRule],
        _: Option<&str>,
    ) -> Result<(), ApiError> {
        unreachable!()
    }
    async fn delete_bucket_encryption(&self, _: &str, _: Option<&str>) -> Result<(), ApiError> {
        unreachable!()
    }
    async fn get_object_lock(&self, _: &str) -> Result<Option<ObjectLock>, ApiError> {
        unreachable!()
    }
    async fn get_public_access_block(
        &self,
        _: &str,
    ) -> Result<Option<PublicAccessBlock>, ApiError> {
        unreachable!()
    }
    async fn put_public_access_block(&self, _: &str, _: PublicAccessBlock) -> Result<(), ApiError> {
        unreachable!()
    }
    async fn delete_public_access_block(&self, _: &str) -> Result<(), ApiError> {
        unreachable!()
    }
    async fn head_object(&self, _: &str, _: &str) -> Result<Option<ObjectHead>, ApiError> {
        unreachable!()
    }
    async fn put_object(&self, _: &PutObject) -> Result<Option<String>, ApiError> {
        unreachable!()
    }
    async fn get_object_tags(
        &self,
        _: &str,
        _: &str,
    ) -> Result<BTreeMap<String, String>, ApiError> {
        unreachable!()
    }
    async fn put_object_tags(
        &self,
        _: &str,
        _: &str,
        _: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        unreachable!()
    }
}

/// An [`S3`] in eu-west-1 with `default_tags` `team = data` over [`NoApi`].
pub fn s3() -> S3 {
    S3 {
        api: std::sync::Arc::new(NoApi),
        region: "eu-west-1".into(),
        default_tags: [("team".to_string(), "data".to_string())].into(),
    }
}
