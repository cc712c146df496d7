//! [`S3Api`] over `aws-sdk-s3`, every call through the shared [`Caller`]. S3's "no such
//! configuration" answers become `Ok(None)` / empty values here; S3's "not implemented" answers
//! for optional bucket settings (endpoints that do not support them) read as "not set", as the
//! AWS provider treats them.

use super::api::*;
use crate::providers::error::{ApiError, ApiErrorKind};
use crate::providers::retry::{Caller, Safety};
use async_trait::async_trait;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types as t;
use aws_smithy_types::date_time::Format;
use std::collections::BTreeMap;
use std::sync::Arc;

/// SDK implementation.
#[derive(Debug, Clone)]
pub struct SdkS3 {
    client: aws_sdk_s3::Client,
    caller: Arc<Caller>,
}

impl SdkS3 {
    /// Wraps a client.
    pub fn new(client: aws_sdk_s3::Client, caller: Arc<Caller>) -> SdkS3 {
        SdkS3 { client, caller }
    }
}

macro_rules! call {
    ($self:ident, $op:literal, $safety:expr, $req:expr) => {
        $self
            .caller
            .call("s3", $op, $safety, || async {
                $req.send().await.map_err(ApiError::from_sdk)
            })
            .await
    };
}

fn build_err(e: aws_smithy_types::error::operation::BuildError) -> ApiError {
    ApiError::new(ApiErrorKind::Validation, "BuildError", e.to_string())
}

/// True when the endpoint does not implement an optional bucket setting.
fn not_implemented(e: &ApiError) -> bool {
    matches!(
        e.code.as_deref(),
        Some("NotImplemented" | "XNotImplemented" | "MethodNotAllowed" | "UnsupportedArgument")
    )
}

/// `None` for a missing configuration or bucket (`NoSuch...`, `...NotFoundError`).
fn absent<T>(r: Result<T, ApiError>) -> Result<Option<T>, ApiError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_not_found() || not_implemented(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

fn tags_of(tags: &[t::Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect()
}

fn to_tags(tags: &BTreeMap<String, String>) -> Result<Vec<t::Tag>, ApiError> {
    tags.iter()
        .map(|(k, v)| t::Tag::builder().key(k).value(v).build().map_err(build_err))
        .collect()
}

fn date_of(d: Option<&aws_smithy_types::DateTime>) -> Option<String> {
    d.and_then(|d| d.fmt(Format::DateTime).ok())
}

fn day_of(d: Option<&aws_smithy_types::DateTime>) -> Option<String> {
    date_of(d).map(|s| s.chars().take(10).collect())
}

/// Percent-encodes a tag key or value for the `x-amz-tagging` header (a URL query string).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn routing_rules_json(rules: &[t::RoutingRule]) -> String {
    let list: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| {
            let mut o = serde_json::Map::new();
            if let Some(c) = r.condition() {
                let mut m = serde_json::Map::new();
                if let Some(v) = c.http_error_code_returned_equals() {
                    m.insert("HttpErrorCodeReturnedEquals".into(), v.into());
                }
                if let Some(v) = c.key_prefix_equals() {
                    m.insert("KeyPrefixEquals".into(), v.into());
                }
                o.insert("Condition".into(), m.into());
            }
            if let Some(rd) = r.redirect() {
                let mut m = serde_json::Map::new();
                if let Some(v) = rd.host_name() {
                    m.insert("HostName".into(), v.into());
                }
                if let Some(v) = rd.http_redirect_code() {
                    m.insert("HttpRedirectCode".into(), v.into());
                }
                if let Some(v) = rd.protocol() {
                    m.insert("Protocol".into(), v.as_str().into());
                }
                if let Some(v) = rd.replace_key_prefix_with() {
                    m.insert("ReplaceKeyPrefixWith".into(), v.into());
                }
                if let Some(v) = rd.replace_key_with() {
                    m.insert("ReplaceKeyWith".into(), v.into());
                }
                o.insert("Redirect".into(), m.into());
            }
            serde_json::Value::Object(o)
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

#[async_trait]
impl S3Api for SdkS3 {
    async fn head_bucket(&self, bucket: &str) -> Result<Option<String>, ApiError> {
        match call!(
            self,
            "HeadBucket",
            Safety::Idempotent,
            self.client.head_bucket().bucket(bucket)
        ) {
            Ok(o) => {
                if let Some(r) = o.bucket_region().filter(|r| !r.is_empty()) {
                    return Ok(Some(r.to_string()));
                }
                // Endpoints that do not send x-amz-bucket-region: ask GetBucketLocation.
                let loc = call!(
                    self,
                    "GetBucketLocation",
                    Safety::Idempotent,
                    self.client.get_bucket_location().bucket(bucket)
                )?;
                Ok(Some(
                    match loc.location_constraint().map(|l| l.as_str()) {
                        None | Some("") => "us-east-1",
                        Some("EU") => "eu-west-1",
                        Some(r) => r,
                    }
                    .to_string(),
                ))
            }
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn create_bucket(
        &self,
        bucket: &str,
        region: &str,
        object_lock: bool,
    ) -> Result<(), ApiError> {
        let location = (region != "us-east-1").then(|| {
            t::CreateBucketConfiguration::builder()
                .location_constraint(t::BucketLocationConstraint::from(region))
                .build()
        });
        call!(
            self,
            "CreateBucket",
            Safety::NotIdempotent,
            self.client
                .create_bucket()
                .bucket(bucket)
                .set_create_bucket_configuration(location.clone())
                .set_object_lock_enabled_for_bucket(object_lock.then_some(true))
        )
        .map(|_| ())
    }

    async fn list_buckets(&self, prefix: &str) -> Result<Vec<String>, ApiError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = call!(
                self,
                "ListBuckets",
                Safety::Idempotent,
                self.client
                    .list_buckets()
                    .prefix(prefix)
                    .set_continuation_token(token.clone())
            )?;
            out.extend(
                page.buckets()
                    .iter()
                    .filter_map(|b| b.name())
                    .filter(|n| n.starts_with(prefix))
                    .map(str::to_string),
            );
            match page.continuation_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(out),
            }
        }
    }

    async fn delete_bucket(&self, bucket: &str) -> Result<(), ApiError> {
        match call!(
            self,
            "DeleteBucket",
            Safety::Idempotent,
            self.client.delete_bucket().bucket(bucket)
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn list_object_versions(
        &self,
        bucket: &str,
        prefix: Option<&str>,
    ) -> Result<Vec<ObjectVersion>, ApiError> {
        let mut out = Vec::new();
        let mut key_marker: Option<String> = None;
        let mut version_marker: Option<String> = None;
        loop {
            let page = call!(
                self,
                "ListObjectVersions",
                Safety::Idempotent,
                self.client
                    .list_object_versions()
                    .bucket(bucket)
                    .set_prefix(prefix.map(str::to_string))
                    .set_key_marker(key_marker.clone())
                    .set_version_id_marker(version_marker.clone())
            )?;
            out.extend(page.versions().iter().map(|v| ObjectVersion {
                key: v.key().unwrap_or_default().to_string(),
                version_id: v.version_id().map(str::to_string),
            }));
            out.extend(page.delete_markers().iter().map(|v| ObjectVersion {
                key: v.key().unwrap_or_default().to_string(),
                version_id: v.version_id().map(str::to_string),
            }));
            if page.is_truncated() == Some(true) {
                key_marker = page.next_key_marker().map(str::to_string);
                version_marker = page.next_version_id_marker().map(str::to_string);
                if key_marker.is_none() && version_marker.is_none() {
                    return Ok(out);
                }
            } else {
                return Ok(out);
            }
        }
    }

    async fn delete_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        bypass_governance: bool,
    ) -> Result<(), ApiError> {
        match call!(
            self,
            "DeleteObject",
            Safety::Idempotent,
            self.client
                .delete_object()
                .bucket(bucket)
                .key(key)
                .set_version_id(version_id.map(str::to_string))
                .set_bypass_governance_retention(bypass_governance.then_some(true))
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn get_bucket_tags(&self, bucket: &str) -> Result<BTreeMap<String, String>, ApiError> {
        Ok(absent(call!(
            self,
            "GetBucketTagging",
            Safety::Idempotent,
            self.client.get_bucket_tagging().bucket(bucket)
        ))?
        .map(|o| tags_of(o.tag_set()))
        .unwrap_or_default())
    }

    async fn put_bucket_tags(
        &self,
        bucket: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        if tags.is_empty() {
            return absent(call!(
                self,
                "DeleteBucketTagging",
                Safety::Idempotent,
                self.client.delete_bucket_tagging().bucket(bucket)
            ))
            .map(|_| ());
        }
        let tagging = t::Tagging::builder()
            .set_tag_set(Some(to_tags(tags)?))
            .build()
            .map_err(build_err)?;
        call!(
            self,
            "PutBucketTagging",
            Safety::Idempotent,
            self.client
                .put_bucket_tagging()
                .bucket(bucket)
                .tagging(tagging.clone())
        )
        .map(|_| ())
    }

    async fn get_bucket_policy(&self, bucket: &str) -> Result<Option<String>, ApiError> {
        Ok(absent(call!(
            self,
            "GetBucketPolicy",
            Safety::Idempotent,
            self.client.get_bucket_policy().bucket(bucket)
        ))?
        .and_then(|o| o.policy().map(str::to_string))
        .filter(|p| !p.is_empty()))
    }

    async fn put_bucket_policy(&self, bucket: &str, policy: &str) -> Result<(), ApiError> {
        call!(
            self,
            "PutBucketPolicy",
            Safety::Idempotent,
            self.client
                .put_bucket_policy()
                .bucket(bucket)
                .policy(policy)
        )
        .map(|_| ())
    }

    async fn delete_bucket_policy(&self, bucket: &str) -> Result<(), ApiError> {
        absent(call!(
            self,
            "DeleteBucketPolicy",
            Safety::Idempotent,
            self.client.delete_bucket_policy().bucket(bucket)
        ))
        .map(|_| ())
    }

    async fn get_bucket_grants(&self, bucket: &str) -> Result<Vec<Grant>, ApiError> {
        Ok(absent(call!(
            self,
            "GetBucketAcl",
            Safety::Idempotent,
            self.client.get_bucket_acl().bucket(bucket)
        ))?
        .map(|o| {
            o.grants()
                .iter()
                .map(|g| {
                    let who = g.grantee();
                    Grant {
                        id: who.and_then(|w| w.id()).map(str::to_string),
                        grantee_type: who
                            .map(|w| w.r#type().as_str().to_string())
                            .unwrap_or_default(),
                        uri: who.and_then(|w| w.uri()).map(str::to_string),
                        permission: g
                            .permission()
                            .map(|p| p.as_str().to_string())
                            .unwrap_or_default(),
                    }
                })
                .collect()
        })
        .unwrap_or_default())
    }

    async fn get_bucket_cors(&self, bucket: &str) -> Result<Vec<CorsRule>, ApiError> {
        Ok(absent(call!(
            self,
            "GetBucketCors",
            Safety::Idempotent,
            self.client.get_bucket_cors().bucket(bucket)
        ))?
        .map(|o| {
            o.cors_rules()
                .iter()
                .map(|r| CorsRule {
                    allowed_headers: r.allowed_headers().to_vec(),
                    allowed_methods: r.allowed_methods().to_vec(),
                    allowed_origins: r.allowed_origins().to_vec(),
                    expose_headers: r.expose_headers().to_vec(),
                    max_age_seconds: r.max_age_seconds().map(i64::from),
                })
                .collect()
        })
        .unwrap_or_default())
    }

    async fn get_bucket_website(&self, bucket: &str) -> Result<Option<Website>, ApiError> {
        Ok(absent(call!(
            self,
            "GetBucketWebsite",
            Safety::Idempotent,
            self.client.get_bucket_website().bucket(bucket)
        ))?
        .map(|o| Website {
            index_document: o.index_document().map(|d| d.suffix().to_string()),
            error_document: o.error_document().map(|d| d.key().to_string()),
            redirect_all_requests_to: o.redirect_all_requests_to().map(|r| match r.protocol() {
                Some(p) => format!("{}://{}", p.as_str(), r.host_name()),
                None => r.host_name().to_string(),
            }),
            routing_rules: (!o.routing_rules().is_empty())
                .then(|| routing_rules_json(o.routing_rules())),
        }))
    }

    async fn get_bucket_versioning(&self, bucket: &str) -> Result<Versioning, ApiError> {
        let o = call!(
            self,
            "GetBucketVersioning",
            Safety::Idempotent,
            self.client.get_bucket_versioning().bucket(bucket)
        )?;
        Ok(Versioning {
            status: o
                .status()
                .map(|s| s.as_str().to_string())
                .filter(|s| !s.is_empty()),
            mfa_delete: o
                .mfa_delete()
                .map(|s| s.as_str().to_string())
                .filter(|s| !s.is_empty()),
        })
    }

    async fn put_bucket_versioning(
        &self,
        bucket: &str,
        status: &str,
        mfa_delete: Option<&str>,
        mfa: Option<&str>,
        expected_owner: Option<&str>,
    ) -> Result<(), ApiError> {
        let conf = t::VersioningConfiguration::builder()
            .status(t::BucketVersioningStatus::from(status))
            .set_mfa_delete(mfa_delete.map(t::MfaDelete::from))
            .build();
        call!(
            self,
            "PutBucketVersioning",
            Safety::Idempotent,
            self.client
                .put_bucket_versioning()
                .bucket(bucket)
                .versioning_configuration(conf.clone())
                .set_mfa(mfa.map(str::to_string))
                .set_expected_bucket_owner(expected_owner.map(str::to_string))
        )
        .map(|_| ())
    }

    async fn get_bucket_accelerate(&self, bucket: &str) -> Result<String, ApiError> {
        Ok(absent(call!(
            self,
            "GetBucketAccelerateConfiguration",
            Safety::Idempotent,
            self.client
                .get_bucket_accelerate_configuration()
                .bucket(bucket)
        ))?
        .and_then(|o| o.status().map(|s| s.as_str().to_string()))
        .unwrap_or_default())
    }

    async fn get_bucket_request_payer(&self, bucket: &str) -> Result<String, ApiError> {
        Ok(absent(call!(
            self,
            "GetBucketRequestPayment",
            Safety::Idempotent,
            self.client.get_bucket_request_payment().bucket(bucket)
        ))?
        .and_then(|o| o.payer().map(|s| s.as_str().to_string()))
        .unwrap_or_else(|| "BucketOwner".into()))
    }

    async fn get_bucket_logging(&self, bucket: &str) -> Result<Option<Logging>, ApiError> {
        Ok(absent(call!(
            self,
            "GetBucketLogging",
            Safety::Idempotent,
            self.client.get_bucket_logging().bucket(bucket)
        ))?
        .and_then(|o| {
            o.logging_enabled().map(|l| Logging {
                target_bucket: l.target_bucket().to_string(),
                target_prefix: l.target_prefix().to_string(),
            })
        }))
    }

    // Rules written before filters existed still carry the rule-level prefix.
    #[allow(deprecated)]
    async fn get_bucket_lifecycle(&self, bucket: &str) -> Result<Vec<LifecycleRule>, ApiError> {
        let Some(o) = absent(call!(
            self,
            "GetBucketLifecycleConfiguration",
            Safety::Idempotent,
            self.client
                .get_bucket_lifecycle_configuration()
                .bucket(bucket)
        ))?
        else {
            return Ok(Vec::new());
        };
        Ok(o.rules()
            .iter()
            .map(|r| {
                let f = r.filter();
                let and = f.and_then(|f| f.and());
                let prefix = r
                    .prefix()
                    .or_else(|| f.and_then(|f| f.prefix()))
                    .or_else(|| and.and_then(|a| a.prefix()))
                    .unwrap_or_default()
                    .to_string();
                let mut tags = and.map(|a| tags_of(a.tags())).unwrap_or_default();
                if let Some(tag) = f.and_then(|f| f.tag()) {
                    tags.insert(tag.key().to_string(), tag.value().to_string());
                }
                LifecycleRule {
                    id: r.id().unwrap_or_default().to_string(),
                    prefix,
                    tags,
                    enabled: r.status().as_str() == "Enabled",
                    abort_incomplete_multipart_upload_days: r
                        .abort_incomplete_multipart_upload()
                        .and_then(|a| a.days_after_initiation())
                        .map(i64::from),
                    expiration: r.expiration().map(|e| {
                        (
                            day_of(e.date()),
                            e.days().map(i64::from),
                            e.expired_object_delete_marker(),
                        )
                    }),
                    noncurrent_version_expiration_days: r
                        .noncurrent_version_expiration()
                        .map(|n| n.noncurrent_days().map(i64::from)),
                    transitions: r
                        .transitions()
                        .iter()
                        .map(|tr| Transition {
                            date: day_of(tr.date()),
                            days: tr.days().map(i64::from),
                            storage_class: tr
                                .storage_class()
                                .map(|s| s.as_str().to_string())
                                .unwrap_or_default(),
                        })
                        .collect(),
                    noncurrent_version_transitions: r
                        .noncurrent_version_transitions()
                        .iter()
                        .map(|tr| Transition {
                            date: None,
                            days: tr.noncurrent_days().map(i64::from),
                            storage_class: tr
                                .storage_class()
                                .map(|s| s.as_str().to_string())
                                .unwrap_or_default(),
                        })
                        .collect(),
                }
            })
            .collect())
    }

    // Rules written before filters existed still carry the rule-level prefix.
    #[allow(deprecated)]
    async fn get_bucket_replication(&self, bucket: &str) -> Result<Option<Replication>, ApiError> {
        Ok(absent(call!(
            self,
            "GetBucketReplication",
            Safety::Idempotent,
            self.client.get_bucket_replication().bucket(bucket)
        ))?
        .and_then(|o| {
            o.replication_configuration().map(|c| Replication {
                role: c.role().to_string(),
                rules: c
                    .rules()
                    .iter()
                    .map(|r| {
                        let d = r.destination();
                        ReplicationRule {
                            id: r.id().unwrap_or_default().to_string(),
                            prefix: r
                                .prefix()
                                .or_else(|| r.filter().and_then(|f| f.prefix()))
                                .unwrap_or_default()
                                .to_string(),
                            priority: r.priority().map(i64::from),
                            status: r.status().as_str().to_string(),
                            delete_marker_replication_status: r
                                .delete_marker_replication()
                                .and_then(|m| m.status())
                                .map(|s| s.as_str().to_string()),
                            destination_bucket: d
                                .map(|d| d.bucket().to_string())
                                .unwrap_or_default(),
                            storage_class: d
                                .and_then(|d| d.storage_class())
                                .map(|s| s.as_str().to_string()),
                            replica_kms_key_id: d
                                .and_then(|d| d.encryption_configuration())
                                .and_then(|e| e.replica_kms_key_id())
                                .map(str::to_string),
                            account_id: d.and_then(|d| d.account()).map(str::to_string),
                            has_filter: r.filter().is_some(),
                        }
                    })
                    .collect(),
            })
        }))
    }

    async fn get_bucket_encryption(
        &self,
        bucket: &str,
        expected_owner: Option<&str>,
    ) -> Result<Option<Vec<SseRule>>, ApiError> {
        Ok(absent(call!(
            self,
            "GetBucketEncryption",
            Safety::Idempotent,
            self.client
                .get_bucket_encryption()
                .bucket(bucket)
                .set_expected_bucket_owner(expected_owner.map(str::to_string))
        ))?
        .and_then(|o| {
            o.server_side_encryption_configuration().map(|c| {
                c.rules()
                    .iter()
                    .map(|r| {
                        let d = r.apply_server_side_encryption_by_default();
                        SseRule {
                            sse_algorithm: d.map(|d| d.sse_algorithm().as_str().to_string()),
                            kms_master_key_id: d
                                .and_then(|d| d.kms_master_key_id())
                                .map(str::to_string),
                            bucket_key_enabled: r.bucket_key_enabled(),
                            blocked_encryption_types: r
                                .blocked_encryption_types()
                                .map(|b| {
                                    b.encryption_type()
                                        .iter()
                                        .map(|e| e.as_str().to_string())
                                        .collect()
                                })
                                .unwrap_or_default(),
                        }
                    })
                    .collect()
            })
        }))
    }

    async fn put_bucket_encryption(
        &self,
        bucket: &str,
        rules: &[SseRule],
        expected_owner: Option<&str>,
    ) -> Result<(), ApiError> {
        let mut out = Vec::new();
        for r in rules {
            let by_default = match &r.sse_algorithm {
                Some(alg) => Some(
                    t::ServerSideEncryptionByDefault::builder()
                        .sse_algorithm(t::ServerSideEncryption::from(alg.as_str()))
                        .set_kms_master_key_id(r.kms_master_key_id.clone())
                        .build()
                        .map_err(build_err)?,
                ),
                None => None,
            };
            let blocked = (!r.blocked_encryption_types.is_empty()).then(|| {
                t::BlockedEncryptionTypes::builder()
                    .set_encryption_type(Some(
                        r.blocked_encryption_types
                            .iter()
                            .map(|e| t::EncryptionType::from(e.as_str()))
                            .collect(),
                    ))
                    .build()
            });
            out.push(
                t::ServerSideEncryptionRule::builder()
                    .set_apply_server_side_encryption_by_default(by_default)
                    .set_bucket_key_enabled(r.bucket_key_enabled)
                    .set_blocked_encryption_types(blocked)
                    .build(),
            );
        }
        let conf = t::ServerSideEncryptionConfiguration::builder()
            .set_rules(Some(out))
            .build()
            .map_err(build_err)?;
        call!(
            self,
            "PutBucketEncryption",
            Safety::Idempotent,
            self.client
                .put_bucket_encryption()
                .bucket(bucket)
                .server_side_encryption_configuration(conf.clone())
                .set_expected_bucket_owner(expected_owner.map(str::to_string))
        )
        .map(|_| ())
    }

    async fn delete_bucket_encryption(
        &self,
        bucket: &str,
        expected_owner: Option<&str>,
    ) -> Result<(), ApiError> {
        absent(call!(
            self,
            "DeleteBucketEncryption",
            Safety::Idempotent,
            self.client
                .delete_bucket_encryption()
                .bucket(bucket)
                .set_expected_bucket_owner(expected_owner.map(str::to_string))
        ))
        .map(|_| ())
    }

    async fn get_object_lock(&self, bucket: &str) -> Result<Option<ObjectLock>, ApiError> {
        Ok(absent(call!(
            self,
            "GetObjectLockConfiguration",
            Safety::Idempotent,
            self.client.get_object_lock_configuration().bucket(bucket)
        ))?
        .and_then(|o| {
            o.object_lock_configuration().map(|c| ObjectLock {
                enabled: c
                    .object_lock_enabled()
                    .map(|e| e.as_str() == "Enabled")
                    .unwrap_or(false),
                default_retention: c.rule().and_then(|r| r.default_retention()).map(|d| {
                    (
                        d.mode().map(|m| m.as_str().to_string()).unwrap_or_default(),
                        d.days().map(i64::from),
                        d.years().map(i64::from),
                    )
                }),
            })
        }))
    }

    async fn get_public_access_block(
        &self,
        bucket: &str,
    ) -> Result<Option<PublicAccessBlock>, ApiError> {
        Ok(absent(call!(
            self,
            "GetPublicAccessBlock",
            Safety::Idempotent,
            self.client.get_public_access_block().bucket(bucket)
        ))?
        .and_then(|o| {
            o.public_access_block_configuration()
                .map(|c| PublicAccessBlock {
                    block_public_acls: c.block_public_acls().unwrap_or(false),
                    block_public_policy: c.block_public_policy().unwrap_or(false),
                    ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                    restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
                })
        }))
    }

    async fn put_public_access_block(
        &self,
        bucket: &str,
        pab: PublicAccessBlock,
    ) -> Result<(), ApiError> {
        let conf = t::PublicAccessBlockConfiguration::builder()
            .block_public_acls(pab.block_public_acls)
            .block_public_policy(pab.block_public_policy)
            .ignore_public_acls(pab.ignore_public_acls)
            .restrict_public_buckets(pab.restrict_public_buckets)
            .build();
        call!(
            self,
            "PutPublicAccessBlock",
            Safety::Idempotent,
            self.client
                .put_public_access_block()
                .bucket(bucket)
                .public_access_block_configuration(conf.clone())
        )
        .map(|_| ())
    }

    async fn delete_public_access_block(&self, bucket: &str) -> Result<(), ApiError> {
        absent(call!(
            self,
            "DeletePublicAccessBlock",
            Safety::Idempotent,
            self.client.delete_public_access_block().bucket(bucket)
        ))
        .map(|_| ())
    }

    async fn head_object(&self, bucket: &str, key: &str) -> Result<Option<ObjectHead>, ApiError> {
        let o = match call!(
            self,
            "HeadObject",
            Safety::Idempotent,
            self.client
                .head_object()
                .bucket(bucket)
                .key(key)
                .checksum_mode(t::ChecksumMode::Enabled)
        ) {
            Ok(o) => o,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut checksums = BTreeMap::new();
        for (name, v) in [
            ("crc32", o.checksum_crc32()),
            ("crc32c", o.checksum_crc32_c()),
            ("crc64nvme", o.checksum_crc64_nvme()),
            ("sha1", o.checksum_sha1()),
            ("sha256", o.checksum_sha256()),
        ] {
            if let Some(v) = v {
                checksums.insert(name.to_string(), v.to_string());
            }
        }
        Ok(Some(ObjectHead {
            etag: o.e_tag().unwrap_or_default().trim_matches('"').to_string(),
            version_id: o
                .version_id()
                .filter(|v| !v.is_empty() && *v != "null")
                .map(str::to_string),
            content_type: o.content_type().map(str::to_string),
            cache_control: o.cache_control().map(str::to_string),
            content_disposition: o.content_disposition().map(str::to_string),
            content_encoding: o.content_encoding().map(str::to_string),
            content_language: o.content_language().map(str::to_string),
            metadata: o
                .metadata()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            server_side_encryption: o.server_side_encryption().map(|s| s.as_str().to_string()),
            kms_key_id: o.ssekms_key_id().map(str::to_string),
            bucket_key_enabled: o.bucket_key_enabled(),
            storage_class: o.storage_class().map(|s| s.as_str().to_string()),
            website_redirect: o.website_redirect_location().map(str::to_string),
            object_lock_legal_hold_status: o
                .object_lock_legal_hold_status()
                .map(|s| s.as_str().to_string()),
            object_lock_mode: o.object_lock_mode().map(|s| s.as_str().to_string()),
            object_lock_retain_until_date: date_of(o.object_lock_retain_until_date()),
            checksums,
        }))
    }

    async fn put_object(&self, o: &PutObject) -> Result<Option<String>, ApiError> {
        let tagging = (!o.tags.is_empty()).then(|| {
            o.tags
                .iter()
                .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
                .collect::<Vec<_>>()
                .join("&")
        });
        let retain = match &o.object_lock_retain_until_date {
            Some(d) => Some(
                aws_smithy_types::DateTime::from_str(d, Format::DateTime).map_err(|e| {
                    ApiError::new(
                        ApiErrorKind::Validation,
                        "InvalidDate",
                        format!("object_lock_retain_until_date {d:?}: {e}"),
                    )
                })?,
            ),
            None => None,
        };
        let metadata = (!o.metadata.is_empty()).then(|| {
            o.metadata
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<std::collections::HashMap<_, _>>()
        });
        call!(
            self,
            "PutObject",
            Safety::Idempotent,
            self.client
                .put_object()
                .bucket(&o.bucket)
                .key(&o.key)
                .body(ByteStream::from(o.body.clone()))
                .set_acl(o.acl.as_deref().map(t::ObjectCannedAcl::from))
                .set_content_type(o.content_type.clone())
                .set_cache_control(o.cache_control.clone())
                .set_content_disposition(o.content_disposition.clone())
                .set_content_encoding(o.content_encoding.clone())
                .set_content_language(o.content_language.clone())
                .set_metadata(metadata.clone())
                .set_server_side_encryption(
                    o.server_side_encryption
                        .as_deref()
                        .map(t::ServerSideEncryption::from)
                )
                .set_ssekms_key_id(o.kms_key_id.clone())
                .set_bucket_key_enabled(o.bucket_key_enabled)
                .set_storage_class(o.storage_class.as_deref().map(t::StorageClass::from))
                .set_website_redirect_location(o.website_redirect.clone())
                .set_tagging(tagging.clone())
                .set_checksum_algorithm(
                    o.checksum_algorithm
                        .as_deref()
                        .map(t::ChecksumAlgorithm::from)
                )
                .set_object_lock_legal_hold_status(
                    o.object_lock_legal_hold_status
                        .as_deref()
                        .map(t::ObjectLockLegalHoldStatus::from)
                )
                .set_object_lock_mode(o.object_lock_mode.as_deref().map(t::ObjectLockMode::from))
                .set_object_lock_retain_until_date(retain)
        )
        .map(|out| out.version_id().map(str::to_string))
    }

    async fn get_object_tags(
        &self,
        bucket: &str,
        key: &str,
    ) -> Result<BTreeMap<String, String>, ApiError> {
        Ok(absent(call!(
            self,
            "GetObjectTagging",
            Safety::Idempotent,
            self.client.get_object_tagging().bucket(bucket).key(key)
        ))?
        .map(|o| tags_of(o.tag_set()))
        .unwrap_or_default())
    }

    async fn put_object_tags(
        &self,
        bucket: &str,
        key: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        if tags.is_empty() {
            return call!(
                self,
                "DeleteObjectTagging",
                Safety::Idempotent,
                self.client.delete_object_tagging().bucket(bucket).key(key)
            )
            .map(|_| ());
        }
        let tagging = t::Tagging::builder()
            .set_tag_set(Some(to_tags(tags)?))
            .build()
            .map_err(build_err)?;
        call!(
            self,
            "PutObjectTagging",
            Safety::Idempotent,
            self.client
                .put_object_tagging()
                .bucket(bucket)
                .key(key)
                .tagging(tagging.clone())
        )
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_header_values_are_percent_encoded() {
        assert_eq!(url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(url_encode("Team-1_x.y~"), "Team-1_x.y~");
    }
}
