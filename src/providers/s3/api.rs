//! The S3 calls the bucket, bucket sub-resources, object and bucket data source need, with our
//! own plain types. Lookups return `Ok(None)` where their doc says so; everything else returns
//! AWS's failure classified as an [`ApiError`].

use crate::providers::error::ApiError;
use async_trait::async_trait;
use std::collections::BTreeMap;

/// One grant of a bucket ACL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grant {
    /// Canonical user id (for `CanonicalUser`).
    pub id: Option<String>,
    /// `CanonicalUser` / `Group`.
    pub grantee_type: String,
    /// Group URI (for `Group`).
    pub uri: Option<String>,
    /// `FULL_CONTROL`, `READ`, ...
    pub permission: String,
}

/// One CORS rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CorsRule {
    /// Allowed headers.
    pub allowed_headers: Vec<String>,
    /// Allowed methods.
    pub allowed_methods: Vec<String>,
    /// Allowed origins.
    pub allowed_origins: Vec<String>,
    /// Exposed headers.
    pub expose_headers: Vec<String>,
    /// Max age.
    pub max_age_seconds: Option<i64>,
}

/// A website configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Website {
    /// Index document suffix.
    pub index_document: Option<String>,
    /// Error document key.
    pub error_document: Option<String>,
    /// `host` or `protocol://host`.
    pub redirect_all_requests_to: Option<String>,
    /// Routing rules as JSON text.
    pub routing_rules: Option<String>,
}

/// A bucket versioning state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Versioning {
    /// `Enabled` / `Suspended`; `None` when versioning was never enabled.
    pub status: Option<String>,
    /// `Enabled` / `Disabled`; `None` when never set.
    pub mfa_delete: Option<String>,
}

/// One default-encryption rule of a bucket.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseRule {
    /// `AES256`, `aws:kms`, `aws:kms:dsse`; `None` for a rule without default encryption.
    pub sse_algorithm: Option<String>,
    /// KMS key for `aws:kms*`.
    pub kms_master_key_id: Option<String>,
    /// S3 Bucket Key.
    pub bucket_key_enabled: Option<bool>,
    /// Blocked object encryption types (`SSE-C`, `NONE`).
    pub blocked_encryption_types: Vec<String>,
}

/// Server access logging.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Logging {
    /// Target bucket.
    pub target_bucket: String,
    /// Target prefix.
    pub target_prefix: String,
}

/// A storage-class transition of a lifecycle rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Transition {
    /// `YYYY-MM-DD` date, when by date.
    pub date: Option<String>,
    /// Days, when by age.
    pub days: Option<i64>,
    /// Target storage class.
    pub storage_class: String,
}

/// One lifecycle rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LifecycleRule {
    /// Rule id.
    pub id: String,
    /// Prefix (rule or filter).
    pub prefix: String,
    /// Filter tags.
    pub tags: BTreeMap<String, String>,
    /// `Enabled`.
    pub enabled: bool,
    /// Abort incomplete multipart uploads after days.
    pub abort_incomplete_multipart_upload_days: Option<i64>,
    /// Expiration (date, days, expired_object_delete_marker).
    pub expiration: Option<(Option<String>, Option<i64>, Option<bool>)>,
    /// Noncurrent version expiration days.
    pub noncurrent_version_expiration_days: Option<Option<i64>>,
    /// Transitions.
    pub transitions: Vec<Transition>,
    /// Noncurrent version transitions (date unused).
    pub noncurrent_version_transitions: Vec<Transition>,
}

/// One replication rule (the parts the deprecated inline block shows).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplicationRule {
    /// Rule id.
    pub id: String,
    /// Prefix (rule or filter).
    pub prefix: String,
    /// Priority.
    pub priority: Option<i64>,
    /// `Enabled` / `Disabled`.
    pub status: String,
    /// Delete marker replication status.
    pub delete_marker_replication_status: Option<String>,
    /// Destination bucket ARN.
    pub destination_bucket: String,
    /// Destination storage class.
    pub storage_class: Option<String>,
    /// Replica KMS key.
    pub replica_kms_key_id: Option<String>,
    /// Destination account.
    pub account_id: Option<String>,
    /// Whether the rule used a `Filter` (rather than a bare prefix).
    pub has_filter: bool,
}

/// A replication configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Replication {
    /// IAM role.
    pub role: String,
    /// Rules.
    pub rules: Vec<ReplicationRule>,
}

/// Default object-lock retention.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectLock {
    /// `Enabled` when object lock is on.
    pub enabled: bool,
    /// Default retention (mode, days, years).
    pub default_retention: Option<(String, Option<i64>, Option<i64>)>,
}

/// The four public access block settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PublicAccessBlock {
    /// BlockPublicAcls.
    pub block_public_acls: bool,
    /// BlockPublicPolicy.
    pub block_public_policy: bool,
    /// IgnorePublicAcls.
    pub ignore_public_acls: bool,
    /// RestrictPublicBuckets.
    pub restrict_public_buckets: bool,
}

/// An object's metadata as HeadObject returns it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectHead {
    /// ETag without quotes.
    pub etag: String,
    /// Version id (`None` on an unversioned bucket).
    pub version_id: Option<String>,
    /// Content-Type.
    pub content_type: Option<String>,
    /// Cache-Control.
    pub cache_control: Option<String>,
    /// Content-Disposition.
    pub content_disposition: Option<String>,
    /// Content-Encoding.
    pub content_encoding: Option<String>,
    /// Content-Language.
    pub content_language: Option<String>,
    /// User metadata (keys lower case, without `x-amz-meta-`).
    pub metadata: BTreeMap<String, String>,
    /// Server-side encryption algorithm.
    pub server_side_encryption: Option<String>,
    /// KMS key id, for `aws:kms*`.
    pub kms_key_id: Option<String>,
    /// Bucket key.
    pub bucket_key_enabled: Option<bool>,
    /// Storage class (`None` = STANDARD).
    pub storage_class: Option<String>,
    /// Website redirect location.
    pub website_redirect: Option<String>,
    /// Object lock legal hold.
    pub object_lock_legal_hold_status: Option<String>,
    /// Object lock mode.
    pub object_lock_mode: Option<String>,
    /// Object lock retain-until date (RFC 3339).
    pub object_lock_retain_until_date: Option<String>,
    /// Checksums (`crc32`, `crc32c`, `crc64nvme`, `sha1`, `sha256`) → base64 value.
    pub checksums: BTreeMap<String, String>,
}

/// PutObject input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PutObject {
    /// Bucket.
    pub bucket: String,
    /// Key.
    pub key: String,
    /// The body.
    pub body: Vec<u8>,
    /// Canned ACL.
    pub acl: Option<String>,
    /// Content-Type.
    pub content_type: Option<String>,
    /// Cache-Control.
    pub cache_control: Option<String>,
    /// Content-Disposition.
    pub content_disposition: Option<String>,
    /// Content-Encoding.
    pub content_encoding: Option<String>,
    /// Content-Language.
    pub content_language: Option<String>,
    /// User metadata.
    pub metadata: BTreeMap<String, String>,
    /// SSE algorithm.
    pub server_side_encryption: Option<String>,
    /// KMS key.
    pub kms_key_id: Option<String>,
    /// Bucket key.
    pub bucket_key_enabled: Option<bool>,
    /// Storage class.
    pub storage_class: Option<String>,
    /// Website redirect.
    pub website_redirect: Option<String>,
    /// Tags (`tags_all`).
    pub tags: BTreeMap<String, String>,
    /// Checksum algorithm.
    pub checksum_algorithm: Option<String>,
    /// Object lock legal hold.
    pub object_lock_legal_hold_status: Option<String>,
    /// Object lock mode.
    pub object_lock_mode: Option<String>,
    /// Object lock retain-until date (RFC 3339).
    pub object_lock_retain_until_date: Option<String>,
}

/// One version (or delete marker) of an object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectVersion {
    /// Key.
    pub key: String,
    /// Version id (`null` on unversioned buckets).
    pub version_id: Option<String>,
}

/// S3.
///
/// # Errors
/// Every method returns AWS's failure classified as an [`ApiError`].
#[async_trait]
pub trait S3Api: Send + Sync {
    /// HeadBucket; the bucket's region, or `None` when the bucket does not exist.
    async fn head_bucket(&self, bucket: &str) -> Result<Option<String>, ApiError>;
    /// CreateBucket (with a LocationConstraint outside us-east-1).
    async fn create_bucket(
        &self,
        bucket: &str,
        region: &str,
        object_lock: bool,
    ) -> Result<(), ApiError>;
    /// ListBuckets: the names of the account's buckets that start with `prefix`.
    async fn list_buckets(&self, prefix: &str) -> Result<Vec<String>, ApiError>;
    /// DeleteBucket (missing counts as deleted).
    async fn delete_bucket(&self, bucket: &str) -> Result<(), ApiError>;
    /// Every version and delete marker whose key starts with `prefix` (all when `None`).
    async fn list_object_versions(
        &self,
        bucket: &str,
        prefix: Option<&str>,
    ) -> Result<Vec<ObjectVersion>, ApiError>;
    /// DeleteObject of one version (or the current object when `version_id` is `None`);
    /// missing counts as deleted.
    async fn delete_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        bypass_governance: bool,
    ) -> Result<(), ApiError>;
    /// GetBucketTagging; empty when the bucket has no tags.
    async fn get_bucket_tags(&self, bucket: &str) -> Result<BTreeMap<String, String>, ApiError>;
    /// PutBucketTagging (replaces the whole set); an empty set deletes the tagging.
    async fn put_bucket_tags(
        &self,
        bucket: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError>;
    /// GetBucketPolicy; `None` when the bucket has no policy.
    async fn get_bucket_policy(&self, bucket: &str) -> Result<Option<String>, ApiError>;
    /// PutBucketPolicy.
    async fn put_bucket_policy(&self, bucket: &str, policy: &str) -> Result<(), ApiError>;
    /// DeleteBucketPolicy (missing counts as deleted).
    async fn delete_bucket_policy(&self, bucket: &str) -> Result<(), ApiError>;
    /// GetBucketAcl grants.
    async fn get_bucket_grants(&self, bucket: &str) -> Result<Vec<Grant>, ApiError>;
    /// GetBucketCors; empty when none.
    async fn get_bucket_cors(&self, bucket: &str) -> Result<Vec<CorsRule>, ApiError>;
    /// GetBucketWebsite; `None` when none.
    async fn get_bucket_website(&self, bucket: &str) -> Result<Option<Website>, ApiError>;
    /// GetBucketVersioning.
    async fn get_bucket_versioning(&self, bucket: &str) -> Result<Versioning, ApiError>;
    /// PutBucketVersioning; `mfa` is the `serial token` header value.
    async fn put_bucket_versioning(
        &self,
        bucket: &str,
        status: &str,
        mfa_delete: Option<&str>,
        mfa: Option<&str>,
        expected_owner: Option<&str>,
    ) -> Result<(), ApiError>;
    /// GetBucketAccelerateConfiguration status (`""` when never set).
    async fn get_bucket_accelerate(&self, bucket: &str) -> Result<String, ApiError>;
    /// GetBucketRequestPayment payer.
    async fn get_bucket_request_payer(&self, bucket: &str) -> Result<String, ApiError>;
    /// GetBucketLogging; `None` when off.
    async fn get_bucket_logging(&self, bucket: &str) -> Result<Option<Logging>, ApiError>;
    /// GetBucketLifecycleConfiguration; empty when none.
    async fn get_bucket_lifecycle(&self, bucket: &str) -> Result<Vec<LifecycleRule>, ApiError>;
    /// GetBucketReplication; `None` when none.
    async fn get_bucket_replication(&self, bucket: &str) -> Result<Option<Replication>, ApiError>;
    /// GetBucketEncryption; `None` when the bucket has no encryption configuration.
    async fn get_bucket_encryption(
        &self,
        bucket: &str,
        expected_owner: Option<&str>,
    ) -> Result<Option<Vec<SseRule>>, ApiError>;
    /// PutBucketEncryption.
    async fn put_bucket_encryption(
        &self,
        bucket: &str,
        rules: &[SseRule],
        expected_owner: Option<&str>,
    ) -> Result<(), ApiError>;
    /// DeleteBucketEncryption (missing counts as deleted).
    async fn delete_bucket_encryption(
        &self,
        bucket: &str,
        expected_owner: Option<&str>,
    ) -> Result<(), ApiError>;
    /// GetObjectLockConfiguration; `None` when object lock is not configured.
    async fn get_object_lock(&self, bucket: &str) -> Result<Option<ObjectLock>, ApiError>;
    /// GetPublicAccessBlock; `None` when the bucket has none.
    async fn get_public_access_block(
        &self,
        bucket: &str,
    ) -> Result<Option<PublicAccessBlock>, ApiError>;
    /// PutPublicAccessBlock.
    async fn put_public_access_block(
        &self,
        bucket: &str,
        pab: PublicAccessBlock,
    ) -> Result<(), ApiError>;
    /// DeletePublicAccessBlock (missing counts as deleted).
    async fn delete_public_access_block(&self, bucket: &str) -> Result<(), ApiError>;
    /// HeadObject (with checksums); `None` when the object does not exist.
    async fn head_object(&self, bucket: &str, key: &str) -> Result<Option<ObjectHead>, ApiError>;
    /// PutObject; returns the new version id, if any.
    async fn put_object(&self, o: &PutObject) -> Result<Option<String>, ApiError>;
    /// GetObjectTagging.
    async fn get_object_tags(
        &self,
        bucket: &str,
        key: &str,
    ) -> Result<BTreeMap<String, String>, ApiError>;
    /// PutObjectTagging (replaces the set); an empty set deletes the tagging.
    async fn put_object_tags(
        &self,
        bucket: &str,
        key: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError>;
}
