//! `aws_s3_bucket`. Id = bucket name (from `bucket`, or `bucket_prefix` + a unique suffix, or
//! `terraform-` + a unique suffix). `bucket`, `bucket_prefix`, `object_lock_enabled` and `region`
//! force replacement; tags change in place through PutBucketTagging. The deprecated inline
//! settings (`versioning`, `server_side_encryption_configuration`, `policy`, `grant`,
//! `lifecycle_rule`, ...) are read back as computed, as the AWS provider v5 does; of them,
//! `policy`, `versioning` and `server_side_encryption_configuration` may also be set here, the
//! others are refused with the resource to use instead. `force_destroy` empties the bucket (every
//! version and delete marker) before deleting it.

use super::api::*;
use super::{
    bucket_arn, bucket_domain_name, bucket_regional_domain_name, check_region, hosted_zone_id,
    plan_region, wait_until, website_domain, S3,
};
use crate::config::value::{Map, Value};
use crate::providers::attrs::*;
use crate::providers::error::{ApiErrorKind, ProviderError};
use crate::providers::normalize::{canonical_policy, merge_tags, policy_for_state, tags_from_live};
use crate::providers::planning::{diff, unique_name, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::BTreeMap;

fn no() -> Value {
    Value::Bool(false)
}

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("id"),
    AttrSpec::computed("bucket_domain_name"),
    AttrSpec::computed("bucket_regional_domain_name"),
    AttrSpec::computed("bucket_region"),
    AttrSpec::computed("hosted_zone_id"),
    AttrSpec::computed("website_domain"),
    AttrSpec::computed("website_endpoint"),
    AttrSpec::optional_computed("bucket").force_new(),
    AttrSpec::optional_computed("bucket_prefix").force_new(),
    AttrSpec::optional_computed("bucket_namespace").force_new(),
    AttrSpec::optional_computed("object_lock_enabled").force_new(),
    AttrSpec::optional_computed("region").force_new(),
    AttrSpec::optional_computed("acceleration_status"),
    AttrSpec::optional_computed("acl"),
    AttrSpec::optional_computed("policy"),
    AttrSpec::optional_computed("request_payer"),
    AttrSpec::optional_computed("cors_rule").block(),
    AttrSpec::optional_computed("grant").block(),
    AttrSpec::optional_computed("lifecycle_rule").block(),
    AttrSpec::optional_computed("logging").block(),
    AttrSpec::optional_computed("object_lock_configuration").block(),
    AttrSpec::optional_computed("replication_configuration").block(),
    AttrSpec::optional_computed("server_side_encryption_configuration").block(),
    AttrSpec::optional_computed("versioning").block(),
    AttrSpec::optional_computed("website").block(),
    AttrSpec::config("force_destroy").default(no),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
    AttrSpec::config("timeouts"),
];

/// True for a name [`unique_name`] made from `prefix` (the prefix and 26 digits).
fn is_generated_from(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|rest| rest.len() == 26 && rest.bytes().all(|b| b.is_ascii_digit()))
}

/// Deprecated inline settings emrform reads but does not set, with the resource to use instead.
const READ_ONLY_INLINE: &[(&str, &str)] = &[
    (
        "acceleration_status",
        "aws_s3_bucket_accelerate_configuration",
    ),
    ("cors_rule", "aws_s3_bucket_cors_configuration"),
    ("grant", "aws_s3_bucket_acl"),
    ("lifecycle_rule", "aws_s3_bucket_lifecycle_configuration"),
    ("logging", "aws_s3_bucket_logging"),
    (
        "object_lock_configuration",
        "aws_s3_bucket_object_lock_configuration",
    ),
    (
        "replication_configuration",
        "aws_s3_bucket_replication_configuration",
    ),
    (
        "request_payer",
        "aws_s3_bucket_request_payment_configuration",
    ),
    ("website", "aws_s3_bucket_website_configuration"),
];

/// The bucket resource.
pub struct BucketResource(pub S3);

fn grants_value(grants: &[Grant]) -> Value {
    let mut by: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for g in grants {
        by.entry((
            g.id.clone().unwrap_or_default(),
            g.grantee_type.clone(),
            g.uri.clone().unwrap_or_default(),
        ))
        .or_default()
        .push(g.permission.clone());
    }
    Value::set(
        by.into_iter()
            .map(|((id, ty, uri), perms)| {
                Value::Map(obj([
                    ("id", Value::from(id)),
                    ("permissions", string_set(perms)),
                    ("type", Value::from(ty)),
                    ("uri", Value::from(uri)),
                ]))
            })
            .collect(),
    )
}

fn cors_value(rules: &[CorsRule]) -> Value {
    Value::List(
        rules
            .iter()
            .map(|r| {
                Value::Map(obj([
                    ("allowed_headers", string_list(r.allowed_headers.clone())),
                    ("allowed_methods", string_list(r.allowed_methods.clone())),
                    ("allowed_origins", string_list(r.allowed_origins.clone())),
                    ("expose_headers", string_list(r.expose_headers.clone())),
                    (
                        "max_age_seconds",
                        Value::from(r.max_age_seconds.unwrap_or(0)),
                    ),
                ]))
            })
            .collect(),
    )
}

fn website_value(w: Option<&Website>) -> Value {
    block_value(w.map(|w| {
        obj([
            (
                "error_document",
                Value::from(w.error_document.clone().unwrap_or_default()),
            ),
            (
                "index_document",
                Value::from(w.index_document.clone().unwrap_or_default()),
            ),
            (
                "redirect_all_requests_to",
                Value::from(w.redirect_all_requests_to.clone().unwrap_or_default()),
            ),
            (
                "routing_rules",
                Value::from(w.routing_rules.clone().unwrap_or_default()),
            ),
        ])
    }))
}

fn versioning_value(v: &Versioning) -> Value {
    block_value(Some(obj([
        (
            "enabled",
            Value::Bool(v.status.as_deref() == Some("Enabled")),
        ),
        (
            "mfa_delete",
            Value::Bool(v.mfa_delete.as_deref() == Some("Enabled")),
        ),
    ])))
}

fn sse_value(rules: Option<&Vec<SseRule>>) -> Value {
    let Some(r) = rules.and_then(|r| r.first()) else {
        return Value::List(vec![]);
    };
    let by_default = block_value(r.sse_algorithm.as_ref().map(|a| {
        obj([
            (
                "kms_master_key_id",
                Value::from(r.kms_master_key_id.clone().unwrap_or_default()),
            ),
            ("sse_algorithm", Value::from(a.as_str())),
        ])
    }));
    block_value(Some(obj([(
        "rule",
        block_value(Some(obj([
            ("apply_server_side_encryption_by_default", by_default),
            (
                "bucket_key_enabled",
                Value::Bool(r.bucket_key_enabled.unwrap_or(false)),
            ),
        ]))),
    )])))
}

fn logging_value(l: Option<&Logging>) -> Value {
    block_value(l.map(|l| {
        obj([
            ("target_bucket", Value::from(l.target_bucket.as_str())),
            ("target_prefix", Value::from(l.target_prefix.as_str())),
        ])
    }))
}

fn transitions_value(ts: &[Transition], with_date: bool) -> Value {
    Value::set(
        ts.iter()
            .map(|t| {
                let mut m = obj([
                    ("days", opt_int(t.days)),
                    ("storage_class", Value::from(t.storage_class.as_str())),
                ]);
                if with_date {
                    m.insert(
                        "date".into(),
                        Value::from(t.date.clone().unwrap_or_default()),
                    );
                }
                Value::Map(m)
            })
            .collect(),
    )
}

fn lifecycle_value(rules: &[LifecycleRule]) -> Value {
    Value::List(
        rules
            .iter()
            .map(|r| {
                Value::Map(obj([
                    (
                        "abort_incomplete_multipart_upload_days",
                        Value::from(r.abort_incomplete_multipart_upload_days.unwrap_or(0)),
                    ),
                    ("enabled", Value::Bool(r.enabled)),
                    (
                        "expiration",
                        block_value(r.expiration.as_ref().map(|(date, days, marker)| {
                            obj([
                                ("date", Value::from(date.clone().unwrap_or_default())),
                                ("days", Value::from(days.unwrap_or(0))),
                                (
                                    "expired_object_delete_marker",
                                    Value::Bool(marker.unwrap_or(false)),
                                ),
                            ])
                        })),
                    ),
                    ("id", Value::from(r.id.as_str())),
                    (
                        "noncurrent_version_expiration",
                        block_value(
                            r.noncurrent_version_expiration_days
                                .map(|d| obj([("days", Value::from(d.unwrap_or(0)))])),
                        ),
                    ),
                    (
                        "noncurrent_version_transition",
                        transitions_value(&r.noncurrent_version_transitions, false),
                    ),
                    ("prefix", Value::from(r.prefix.as_str())),
                    (
                        "tags",
                        if r.tags.is_empty() {
                            Value::Null
                        } else {
                            string_map_value(&r.tags)
                        },
                    ),
                    ("transition", transitions_value(&r.transitions, true)),
                ]))
            })
            .collect(),
    )
}

fn replication_value(r: Option<&Replication>) -> Value {
    block_value(r.map(|r| {
        obj([
            ("role", Value::from(r.role.as_str())),
            (
                "rules",
                Value::set(
                    r.rules
                        .iter()
                        .map(|x| {
                            Value::Map(obj([
                                (
                                    "delete_marker_replication_status",
                                    Value::from(
                                        x.delete_marker_replication_status
                                            .clone()
                                            .unwrap_or_default(),
                                    ),
                                ),
                                (
                                    "destination",
                                    block_value(Some(obj([
                                        ("access_control_translation", Value::List(vec![])),
                                        (
                                            "account_id",
                                            Value::from(x.account_id.clone().unwrap_or_default()),
                                        ),
                                        ("bucket", Value::from(x.destination_bucket.as_str())),
                                        ("metrics", Value::List(vec![])),
                                        (
                                            "replica_kms_key_id",
                                            Value::from(
                                                x.replica_kms_key_id.clone().unwrap_or_default(),
                                            ),
                                        ),
                                        ("replication_time", Value::List(vec![])),
                                        (
                                            "storage_class",
                                            Value::from(
                                                x.storage_class.clone().unwrap_or_default(),
                                            ),
                                        ),
                                    ]))),
                                ),
                                (
                                    "filter",
                                    block_value(x.has_filter.then(|| {
                                        obj([
                                            ("prefix", Value::from(x.prefix.as_str())),
                                            ("tags", Value::Null),
                                        ])
                                    })),
                                ),
                                ("id", Value::from(x.id.as_str())),
                                (
                                    "prefix",
                                    Value::from(if x.has_filter { "" } else { &x.prefix }),
                                ),
                                ("priority", Value::from(x.priority.unwrap_or(0))),
                                ("source_selection_criteria", Value::List(vec![])),
                                ("status", Value::from(x.status.as_str())),
                            ]))
                        })
                        .collect(),
                ),
            ),
        ])
    }))
}

fn object_lock_value(l: Option<&ObjectLock>) -> Value {
    block_value(l.filter(|l| l.enabled).map(|l| {
        obj([
            ("object_lock_enabled", Value::from("Enabled")),
            (
                "rule",
                block_value(l.default_retention.as_ref().map(|(mode, days, years)| {
                    obj([(
                        "default_retention",
                        block_value(Some(obj([
                            ("days", Value::from(days.unwrap_or(0))),
                            ("mode", Value::from(mode.as_str())),
                            ("years", Value::from(years.unwrap_or(0))),
                        ]))),
                    )])
                })),
            ),
        ])
    }))
}

/// The SSE rule a `server_side_encryption_configuration` block asks for.
fn sse_rule_of(v: &Value) -> Option<SseRule> {
    let c = block(v, "server_side_encryption_configuration")?;
    let r = block(c, "rule")?;
    let d = block(r, "apply_server_side_encryption_by_default")?;
    Some(SseRule {
        sse_algorithm: str_of(d, "sse_algorithm").map(str::to_string),
        kms_master_key_id: str_of(d, "kms_master_key_id").map(str::to_string),
        bucket_key_enabled: bool_of(r, "bucket_key_enabled"),
        blocked_encryption_types: Vec::new(),
    })
}

fn normalize(v: &Value) -> Value {
    let Value::Map(mut out) = super::normalize_policy(v) else {
        return v.clone();
    };
    // The nested booleans default to false.
    if let Some(b) = block(v, "versioning") {
        out.insert(
            "versioning".into(),
            block_value(Some(obj([
                (
                    "enabled",
                    Value::Bool(bool_of(b, "enabled").unwrap_or(false)),
                ),
                (
                    "mfa_delete",
                    Value::Bool(bool_of(b, "mfa_delete").unwrap_or(false)),
                ),
            ]))),
        );
    }
    if let Some(rule) = sse_rule_of(v) {
        out.insert(
            "server_side_encryption_configuration".into(),
            sse_value(Some(&vec![SseRule {
                bucket_key_enabled: Some(rule.bucket_key_enabled.unwrap_or(false)),
                ..rule
            }])),
        );
    }
    Value::Map(out)
}

impl BucketResource {
    /// Reads the whole bucket; `None` when it does not exist.
    async fn fetch(
        &self,
        ctx: &Ctx,
        name: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let api = &self.0.api;
        let Some(region) = api
            .head_bucket(name)
            .await
            .map_err(|e| ctx.api("HeadBucket", e))?
        else {
            return Ok(None);
        };
        let (tags, policy, grants, cors, website, versioning, accel) = tokio::try_join!(
            async {
                api.get_bucket_tags(name)
                    .await
                    .map_err(|e| ctx.api("GetBucketTagging", e))
            },
            async {
                api.get_bucket_policy(name)
                    .await
                    .map_err(|e| ctx.api("GetBucketPolicy", e))
            },
            async {
                api.get_bucket_grants(name)
                    .await
                    .map_err(|e| ctx.api("GetBucketAcl", e))
            },
            async {
                api.get_bucket_cors(name)
                    .await
                    .map_err(|e| ctx.api("GetBucketCors", e))
            },
            async {
                api.get_bucket_website(name)
                    .await
                    .map_err(|e| ctx.api("GetBucketWebsite", e))
            },
            async {
                api.get_bucket_versioning(name)
                    .await
                    .map_err(|e| ctx.api("GetBucketVersioning", e))
            },
            async {
                api.get_bucket_accelerate(name)
                    .await
                    .map_err(|e| ctx.api("GetBucketAccelerateConfiguration", e))
            },
        )?;
        let (payer, logging, lifecycle, replication, sse, lock) = tokio::try_join!(
            async {
                api.get_bucket_request_payer(name)
                    .await
                    .map_err(|e| ctx.api("GetBucketRequestPayment", e))
            },
            async {
                api.get_bucket_logging(name)
                    .await
                    .map_err(|e| ctx.api("GetBucketLogging", e))
            },
            async {
                api.get_bucket_lifecycle(name)
                    .await
                    .map_err(|e| ctx.api("GetBucketLifecycleConfiguration", e))
            },
            async {
                api.get_bucket_replication(name)
                    .await
                    .map_err(|e| ctx.api("GetBucketReplication", e))
            },
            async {
                api.get_bucket_encryption(name, None)
                    .await
                    .map_err(|e| ctx.api("GetBucketEncryption", e))
            },
            async {
                api.get_object_lock(name)
                    .await
                    .map_err(|e| ctx.api("GetObjectLockConfiguration", e))
            },
        )?;
        let keep = |k: &str| prior.and_then(|p| p.get(k)).cloned().map(known);
        let prior_tags = prior.map(|p| string_map(p, "tags")).unwrap_or_default();
        let own = tags_from_live(&tags, &self.0.default_tags, &prior_tags);
        let prior_null = prior
            .map(|p| p.get("tags").map(Value::is_null).unwrap_or(true))
            .unwrap_or(true);
        let website_dom = website.as_ref().map(|_| website_domain(&region));
        Ok(Some(Value::Map(obj([
            ("acceleration_status", Value::from(accel.as_str())),
            (
                "acl",
                keep("acl").filter(|v| !v.is_null()).unwrap_or(Value::Null),
            ),
            ("arn", Value::from(bucket_arn(name, &region))),
            ("bucket", Value::from(name)),
            (
                "bucket_domain_name",
                Value::from(bucket_domain_name(name, &region)),
            ),
            (
                "bucket_namespace",
                keep("bucket_namespace")
                    .filter(|v| !v.is_null())
                    .unwrap_or_else(|| Value::from("global")),
            ),
            (
                "bucket_prefix",
                keep("bucket_prefix")
                    .filter(|v| !v.is_null())
                    .unwrap_or_else(|| Value::from("")),
            ),
            ("bucket_region", Value::from(region.as_str())),
            (
                "bucket_regional_domain_name",
                Value::from(bucket_regional_domain_name(name, &region)),
            ),
            ("cors_rule", cors_value(&cors)),
            (
                "force_destroy",
                keep("force_destroy")
                    .filter(|v| !v.is_null())
                    .unwrap_or(Value::Bool(false)),
            ),
            ("grant", grants_value(&grants)),
            ("hosted_zone_id", opt_str(hosted_zone_id(&region))),
            ("id", Value::from(name)),
            ("lifecycle_rule", lifecycle_value(&lifecycle)),
            ("logging", logging_value(logging.as_ref())),
            (
                "object_lock_configuration",
                object_lock_value(lock.as_ref()),
            ),
            (
                "object_lock_enabled",
                Value::Bool(lock.as_ref().map(|l| l.enabled).unwrap_or(false)),
            ),
            (
                "policy",
                Value::from(
                    policy
                        .map(|p| policy_for_state(&p, prior.and_then(|v| str_of(v, "policy"))))
                        .unwrap_or_default(),
                ),
            ),
            ("region", Value::from(region.as_str())),
            (
                "replication_configuration",
                replication_value(replication.as_ref()),
            ),
            ("request_payer", Value::from(payer)),
            (
                "server_side_encryption_configuration",
                sse_value(sse.as_ref()),
            ),
            (
                "tags",
                if own.is_empty() && prior_null {
                    Value::Null
                } else {
                    string_map_value(&own)
                },
            ),
            ("tags_all", string_map_value(&tags)),
            ("timeouts", keep("timeouts").unwrap_or(Value::Null)),
            ("versioning", versioning_value(&versioning)),
            ("website", website_value(website.as_ref())),
            ("website_domain", opt_str(website_dom.clone())),
            (
                "website_endpoint",
                opt_str(website_dom.map(|d| format!("{name}.{d}"))),
            ),
        ]))))
    }

    /// Refuses deprecated inline settings emrform cannot set when `planned` asks to change them
    /// from `live` (or sets them at all on create).
    fn check_inline(
        &self,
        ctx: &Ctx,
        live: Option<&Value>,
        planned: &Value,
    ) -> Result<(), ProviderError> {
        for (attr, instead) in READ_ONLY_INLINE {
            let want = planned.get(attr).cloned().unwrap_or(Value::Null);
            if is_empty(Some(&want)) || want.is_unknown() {
                continue;
            }
            let have = live
                .and_then(|l| l.get(attr))
                .cloned()
                .unwrap_or(Value::Null);
            if !crate::providers::planning::same(&have, &want) {
                return Err(ProviderError::Refused {
                    address: ctx.address.clone(),
                    message: format!(
                        "setting the deprecated `{attr}` inline is not supported; use the {instead} resource"
                    ),
                });
            }
        }
        if let Some(acl) = str_of(planned, "acl") {
            if acl != "private" {
                return Err(ProviderError::Refused {
                    address: ctx.address.clone(),
                    message: format!(
                        "acl = {acl:?} inline is not supported (new buckets enforce bucket-owner object ownership); use the aws_s3_bucket_acl resource"
                    ),
                });
            }
        }
        Ok(())
    }

    /// Applies the inline settings emrform does set (tags, policy, versioning, default
    /// encryption) where `planned` differs from `live`.
    async fn apply_settings(
        &self,
        ctx: &Ctx,
        name: &str,
        live: &Value,
        planned: &Value,
    ) -> Result<(), ProviderError> {
        let api = &self.0.api;
        let want_tags = merge_tags(&self.0.default_tags, &string_map(planned, "tags"));
        if want_tags != string_map(live, "tags_all") {
            api.put_bucket_tags(name, &want_tags)
                .await
                .map_err(|e| ctx.api("PutBucketTagging", e))?;
        }
        let policy = planned.get("policy").filter(|p| !p.is_unknown());
        if let Some(p) = policy {
            let want = p.as_str().unwrap_or_default();
            let have = str_of(live, "policy").unwrap_or_default();
            if canonical_policy(want).unwrap_or_else(|| want.to_string())
                != canonical_policy(have).unwrap_or_else(|| have.to_string())
            {
                if want.is_empty() {
                    api.delete_bucket_policy(name)
                        .await
                        .map_err(|e| ctx.api("DeleteBucketPolicy", e))?;
                } else {
                    super::retry_propagation(
                        ctx,
                        "PutBucketPolicy",
                        super::policy::is_propagation_error,
                        || api.put_bucket_policy(name, want),
                    )
                    .await?;
                }
            }
        }
        if let Some(v) = block(planned, "versioning") {
            let have = block(live, "versioning");
            let enabled = bool_of(v, "enabled").unwrap_or(false);
            let mfa = bool_of(v, "mfa_delete").unwrap_or(false);
            let have_enabled = have.and_then(|h| bool_of(h, "enabled")).unwrap_or(false);
            let have_mfa = have.and_then(|h| bool_of(h, "mfa_delete")).unwrap_or(false);
            if enabled != have_enabled || mfa != have_mfa {
                // A bucket never versioned stays so when versioning is "disabled".
                let never = !have_enabled
                    && api
                        .get_bucket_versioning(name)
                        .await
                        .map_err(|e| ctx.api("GetBucketVersioning", e))?
                        .status
                        .is_none();
                if enabled || !never || mfa {
                    api.put_bucket_versioning(
                        name,
                        if enabled { "Enabled" } else { "Suspended" },
                        Some(if mfa { "Enabled" } else { "Disabled" }),
                        None,
                        None,
                    )
                    .await
                    .map_err(|e| ctx.api("PutBucketVersioning", e))?;
                }
            }
        }
        if let Some(rule) = sse_rule_of(planned) {
            let have = normalize(live);
            if sse_rule_of(&have) != sse_rule_of(&normalize(planned)) {
                api.put_bucket_encryption(name, &[rule], None)
                    .await
                    .map_err(|e| ctx.api("PutBucketEncryption", e))?;
            }
        }
        Ok(())
    }

    /// Deletes every object version and delete marker.
    async fn empty(&self, ctx: &Ctx, name: &str) -> Result<(), ProviderError> {
        let versions = self
            .0
            .api
            .list_object_versions(name, None)
            .await
            .map_err(|e| ctx.api("ListObjectVersions", e))?;
        for v in versions {
            self.0
                .api
                .delete_object(name, &v.key, v.version_id.as_deref(), true)
                .await
                .map_err(|e| ctx.api("DeleteObject", e))?;
        }
        Ok(())
    }
}

#[async_trait]
impl ResourceProvider for BucketResource {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &self.0.default_tags, &normalize);
        if prior.is_none() || !d.replace.is_empty() {
            plan_region(&mut d.planned, &self.0.region);
            if let Value::Map(m) = &mut d.planned {
                // A bucket created from a prefix (or none) has its name decided at apply.
                if str_of(desired, "bucket").is_none() {
                    m.insert("bucket".into(), Value::Unknown);
                }
                if str_of(desired, "bucket_prefix").is_none() {
                    m.insert("bucket_prefix".into(), Value::from(""));
                }
                if str_of(desired, "bucket_namespace").is_none() {
                    m.insert("bucket_namespace".into(), Value::from("global"));
                }
                if let Some(n) = str_of(desired, "bucket") {
                    m.insert("id".into(), Value::from(n));
                }
                m.insert(
                    "object_lock_enabled".into(),
                    Value::Bool(bool_of(desired, "object_lock_enabled").unwrap_or(false)),
                );
            }
        }
        let ops = match prior {
            None => {
                let mut ops = vec![ApiOp::call("CreateBucket")];
                if !string_map(&d.planned, "tags_all").is_empty() {
                    ops.push(ApiOp::with_fields("PutBucketTagging", ["tags".to_string()]));
                }
                ops
            }
            Some(_) if !d.replace.is_empty() => {
                vec![ApiOp::call("DeleteBucket"), ApiOp::call("CreateBucket")]
            }
            Some(_) => {
                let mut ops = Vec::new();
                if d.has("tags") || d.has("tags_all") {
                    ops.push(ApiOp::with_fields("PutBucketTagging", ["tags".to_string()]));
                }
                if d.has("policy") {
                    let empty = str_of(&d.planned, "policy").is_none();
                    ops.push(ApiOp::with_fields(
                        if empty {
                            "DeleteBucketPolicy"
                        } else {
                            "PutBucketPolicy"
                        },
                        ["policy".to_string()],
                    ));
                }
                if d.has("versioning") {
                    ops.push(ApiOp::with_fields(
                        "PutBucketVersioning",
                        ["versioning".to_string()],
                    ));
                }
                if d.has("server_side_encryption_configuration") {
                    ops.push(ApiOp::with_fields(
                        "PutBucketEncryption",
                        ["server_side_encryption_configuration".to_string()],
                    ));
                }
                ops
            }
        };
        PlannedChange {
            changed_paths: d.changed_paths(),
            requires_replace: d.replace_paths(),
            planned: d.planned,
            api_ops: ops,
        }
    }

    async fn read(&self, ctx: &Ctx, prior: &Value) -> Result<Option<Value>, ProviderError> {
        let name = str_of(prior, "id")
            .or_else(|| str_of(prior, "bucket"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.fetch(ctx, name, Some(prior)).await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        check_region(ctx, planned, &self.0.region)?;
        self.check_inline(ctx, None, planned)?;
        let name = match str_of(planned, "bucket") {
            Some(n) => n.to_string(),
            None => unique_name(Some(
                str_of(planned, "bucket_prefix").unwrap_or("terraform-"),
            )),
        };
        let lock = bool_of(planned, "object_lock_enabled").unwrap_or(false)
            || block(planned, "object_lock_configuration")
                .and_then(|b| str_of(b, "object_lock_enabled"))
                == Some("Enabled");
        let api = &self.0.api;
        crate::providers::iam::create_or_adopt(
            ctx,
            "CreateBucket",
            || api.create_bucket(&name, &self.0.region, lock),
            || async { Ok(api.head_bucket(&name).await?.map(|_| ())) },
        )
        .await?;
        let partial = |e: ProviderError| {
            e.with_partial(Value::Map(obj([
                ("id", Value::from(name.as_str())),
                ("bucket", Value::from(name.as_str())),
                (
                    "force_destroy",
                    planned.get("force_destroy").cloned().unwrap_or(Value::Null),
                ),
            ])))
        };
        wait_until(ctx, ctx.timeouts.create, "bucket to exist", || async {
            Ok(api
                .head_bucket(&name)
                .await
                .map_err(|e| ctx.api("HeadBucket", e))?
                .is_some())
        })
        .await
        .map_err(partial)?;
        let mut seed: Map = planned.as_map().cloned().unwrap_or_default();
        seed.insert("bucket".into(), Value::from(name.as_str()));
        let seed = Value::Map(seed);
        let live = self
            .fetch(ctx, &name, Some(&seed))
            .await
            .map_err(partial)?
            .ok_or_else(|| partial(ctx.invalid(format!("bucket {name} vanished after create"))))?;
        self.apply_settings(ctx, &name, &live, planned)
            .await
            .map_err(partial)?;
        self.fetch(ctx, &name, Some(&seed))
            .await
            .map_err(partial)?
            .ok_or_else(|| partial(ctx.invalid(format!("bucket {name} vanished after create"))))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let name = str_of(prior, "id")
            .or_else(|| str_of(prior, "bucket"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?
            .to_string();
        let live = self
            .fetch(ctx, &name, Some(prior))
            .await?
            .ok_or_else(|| ctx.invalid(format!("bucket {name} no longer exists")))?;
        self.check_inline(ctx, Some(&live), planned)?;
        self.apply_settings(ctx, &name, &live, planned).await?;
        self.fetch(ctx, &name, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("bucket {name} no longer exists")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = str_of(prior, "id")
            .or_else(|| str_of(prior, "bucket"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let force = bool_of(prior, "force_destroy").unwrap_or(false);
        let mut attempts = 0;
        loop {
            match self.0.api.delete_bucket(name).await {
                Ok(()) => break,
                Err(e) if e.kind == ApiErrorKind::Conflict && e.has_code("BucketNotEmpty") => {
                    if !force || attempts >= 5 {
                        return Err(ctx.api("DeleteBucket", e));
                    }
                    attempts += 1;
                    self.empty(ctx, name).await?;
                }
                Err(e) => return Err(ctx.api("DeleteBucket", e)),
            }
        }
        wait_until(ctx, ctx.timeouts.delete, "bucket to be deleted", || async {
            Ok(self
                .0
                .api
                .head_bucket(name)
                .await
                .map_err(|e| ctx.api("HeadBucket", e))?
                .is_none())
        })
        .await
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        if let Some(name) = str_of(planned, "bucket") {
            return Ok(Some(
                self.fetch(ctx, name, Some(planned))
                    .await?
                    .into_iter()
                    .collect(),
            ));
        }
        // A generated name: every bucket named prefix + a unique suffix may be the one.
        let prefix = str_of(planned, "bucket_prefix").unwrap_or("terraform-");
        let names = self
            .0
            .api
            .list_buckets(prefix)
            .await
            .map_err(|e| ctx.api("ListBuckets", e))?;
        let mut out = Vec::new();
        for name in names.iter().filter(|n| is_generated_from(n, prefix)) {
            if let Some(v) = self.fetch(ctx, name, Some(planned)).await? {
                out.push(v);
            }
        }
        Ok(Some(out))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        self.fetch(ctx, id, None).await
    }
}

/// The specs' kinds, for tests.
#[cfg(test)]
fn kind_of(name: &str) -> Option<crate::providers::planning::Kind> {
    SPECS.iter().find(|s| s.name == name).map(|s| s.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res() -> BucketResource {
        BucketResource(crate::providers::s3::testing::s3())
    }

    #[test]
    fn create_plans_region_tags_and_unknown_computed() {
        let r = res();
        let p = r.plan(None, &Value::map([("bucket", Value::from("logs"))]));
        assert_eq!(p.planned.get("region"), Some(&Value::from("eu-west-1")));
        assert_eq!(p.planned.get("id"), Some(&Value::from("logs")));
        assert_eq!(p.planned.get("arn"), Some(&Value::Unknown));
        assert_eq!(p.planned.get("versioning"), Some(&Value::Unknown));
        assert_eq!(p.planned.get("force_destroy"), Some(&Value::Bool(false)));
        assert_eq!(
            p.planned.get("tags_all"),
            Some(&Value::map([("team", Value::from("data"))]))
        );
        assert_eq!(
            p.api_ops,
            vec![
                ApiOp::call("CreateBucket"),
                ApiOp::with_fields("PutBucketTagging", ["tags".to_string()])
            ]
        );
        let p = r.plan(None, &Value::map([("bucket_prefix", Value::from("logs-"))]));
        assert_eq!(p.planned.get("bucket"), Some(&Value::Unknown));
        assert_eq!(
            kind_of("website_endpoint"),
            Some(crate::providers::planning::Kind::Computed)
        );
    }

    #[test]
    fn deprecated_blocks_left_out_never_diff_and_policy_compares_as_json() {
        let r = res();
        let prior = Value::map([
            ("id", Value::from("logs")),
            ("bucket", Value::from("logs")),
            ("bucket_prefix", Value::from("")),
            ("region", Value::from("eu-west-1")),
            ("force_destroy", Value::Bool(false)),
            (
                "versioning",
                Value::List(vec![Value::map([
                    ("enabled", Value::Bool(true)),
                    ("mfa_delete", Value::Bool(false)),
                ])]),
            ),
            (
                "policy",
                Value::from(r#"{"Version":"2012-10-17","Statement":[]}"#),
            ),
            ("tags_all", Value::map([("team", Value::from("data"))])),
        ]);
        let want = Value::map([
            ("bucket", Value::from("logs")),
            (
                "policy",
                Value::from(r#"{ "Statement": [], "Version": "2012-10-17" }"#),
            ),
        ]);
        let p = r.plan(Some(&prior), &want);
        assert!(p.changed_paths.is_empty(), "{:?}", p.changed_paths);
        let p = r.plan(
            Some(&prior),
            &Value::map([
                ("bucket", Value::from("logs")),
                ("force_destroy", Value::Bool(true)),
            ]),
        );
        assert_eq!(p.changed_paths.len(), 1);
        assert!(p.api_ops.is_empty(), "force_destroy is state only");
        let p = r.plan(
            Some(&prior),
            &Value::map([("bucket", Value::from("other"))]),
        );
        assert_eq!(p.requires_replace.len(), 1);
    }

    #[test]
    fn inline_settings_emrform_cannot_set_are_refused() {
        let r = res();
        let ctx = Ctx::new("aws_s3_bucket.b");
        let want = Value::map([(
            "logging",
            Value::List(vec![Value::map([("target_bucket", Value::from("logs"))])]),
        )]);
        let err = r
            .check_inline(&ctx, None, &want)
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("aws_s3_bucket_logging")),
            "{err:?}"
        );
        assert!(r
            .check_inline(&ctx, None, &Value::map([("acl", Value::from("private"))]))
            .is_ok());
        assert!(r
            .check_inline(
                &ctx,
                None,
                &Value::map([("acl", Value::from("public-read"))])
            )
            .is_err());
    }

    #[test]
    fn generated_names_are_told_apart() {
        let n = unique_name(Some("logs-"));
        assert!(is_generated_from(&n, "logs-"));
        assert!(!is_generated_from("logs-manual", "logs-"));
        assert!(!is_generated_from(&n, "other-"));
    }

    #[test]
    fn grants_group_permissions_per_grantee() {
        let g = |p: &str| Grant {
            id: Some("abc".into()),
            grantee_type: "CanonicalUser".into(),
            uri: None,
            permission: p.into(),
        };
        let v = grants_value(&[g("READ"), g("WRITE")]);
        let Value::Set(items) = v else {
            panic!("a set")
        };
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].get("permissions"),
            Some(&string_set(["READ", "WRITE"]))
        );
    }
}
