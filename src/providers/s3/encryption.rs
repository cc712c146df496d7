//! `aws_s3_bucket_server_side_encryption_configuration`. Id = `bucket` or
//! `bucket,expected_bucket_owner`. Create and update are PutBucketEncryption (the whole rule
//! set), delete is DeleteBucketEncryption (AWS then falls back to its SSE-S3 default).
//! `bucket_key_enabled` left out compares as false; `blocked_encryption_types` left out keeps
//! AWS's value.

use super::api::SseRule;
use super::{
    bucket_id, bucket_not_visible, bucket_of, check_region, parse_bucket_id, plan_region,
    retry_propagation, S3,
};
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::planning::{diff, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::BTreeMap;

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("id"),
    AttrSpec::config("bucket").force_new(),
    AttrSpec::config("expected_bucket_owner").force_new(),
    AttrSpec::optional_computed("region").force_new(),
    AttrSpec::config("rule").block(),
];

/// The server-side encryption configuration resource.
pub struct EncryptionResource(pub S3);

fn rule_value(r: &SseRule) -> Value {
    Value::Map(obj([
        (
            "apply_server_side_encryption_by_default",
            block_value(r.sse_algorithm.as_ref().map(|a| {
                obj([
                    (
                        "kms_master_key_id",
                        Value::from(r.kms_master_key_id.clone().unwrap_or_default()),
                    ),
                    ("sse_algorithm", Value::from(a.as_str())),
                ])
            })),
        ),
        (
            "blocked_encryption_types",
            string_list(r.blocked_encryption_types.clone()),
        ),
        (
            "bucket_key_enabled",
            Value::Bool(r.bucket_key_enabled.unwrap_or(false)),
        ),
    ]))
}

fn rules_of(v: &Value) -> Vec<SseRule> {
    items(v, "rule")
        .iter()
        .map(|r| {
            let d = block(r, "apply_server_side_encryption_by_default");
            SseRule {
                sse_algorithm: d
                    .and_then(|d| str_of(d, "sse_algorithm"))
                    .map(str::to_string),
                kms_master_key_id: d
                    .and_then(|d| str_of(d, "kms_master_key_id"))
                    .map(str::to_string),
                bucket_key_enabled: bool_of(r, "bucket_key_enabled"),
                blocked_encryption_types: strings(r, "blocked_encryption_types"),
            }
        })
        .collect()
}

fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out = m.clone();
    if m.contains_key("rule") {
        let rules = rules_of(v)
            .into_iter()
            .map(|mut r| {
                r.bucket_key_enabled = Some(r.bucket_key_enabled.unwrap_or(false));
                rule_value(&r)
            })
            .collect();
        out.insert("rule".into(), Value::set(rules));
    }
    Value::Map(out)
}

impl EncryptionResource {
    async fn fetch(
        &self,
        ctx: &Ctx,
        bucket: &str,
        owner: Option<&str>,
    ) -> Result<Option<Value>, ProviderError> {
        let Some(rules) = self
            .0
            .api
            .get_bucket_encryption(bucket, owner)
            .await
            .map_err(|e| ctx.api("GetBucketEncryption", e))?
        else {
            return Ok(None);
        };
        Ok(Some(Value::Map(obj([
            ("bucket", Value::from(bucket)),
            ("expected_bucket_owner", opt_str(owner)),
            ("id", Value::from(bucket_id(bucket, owner))),
            ("region", Value::from(self.0.region.as_str())),
            ("rule", Value::set(rules.iter().map(rule_value).collect())),
        ]))))
    }

    async fn put(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<(String, Option<String>), ProviderError> {
        let (bucket, owner) = bucket_of(ctx, planned)?;
        let rules = rules_of(planned);
        retry_propagation(ctx, "PutBucketEncryption", bucket_not_visible, || {
            self.0
                .api
                .put_bucket_encryption(&bucket, &rules, owner.as_deref())
        })
        .await?;
        Ok((bucket, owner))
    }
}

#[async_trait]
impl ResourceProvider for EncryptionResource {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_server_side_encryption_configuration"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &BTreeMap::new(), &normalize);
        plan_region(&mut d.planned, &self.0.region);
        if let (Value::Map(m), Some(b)) = (&mut d.planned, str_of(desired, "bucket")) {
            m.insert(
                "id".into(),
                Value::from(bucket_id(b, str_of(desired, "expected_bucket_owner"))),
            );
        }
        let ops = match prior {
            None => vec![ApiOp::call("PutBucketEncryption")],
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DeleteBucketEncryption"),
                ApiOp::call("PutBucketEncryption"),
            ],
            Some(_) if d.has("rule") => {
                vec![ApiOp::with_fields("PutBucketEncryption", ["rule".into()])]
            }
            Some(_) => vec![],
        };
        PlannedChange {
            changed_paths: d.changed_paths(),
            requires_replace: d.replace_paths(),
            planned: d.planned,
            api_ops: ops,
        }
    }

    async fn read(&self, ctx: &Ctx, prior: &Value) -> Result<Option<Value>, ProviderError> {
        let (bucket, owner) = bucket_of(ctx, prior)?;
        self.fetch(ctx, &bucket, owner.as_deref()).await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        check_region(ctx, planned, &self.0.region)?;
        let (bucket, owner) = self.put(ctx, planned).await?;
        self.fetch(ctx, &bucket, owner.as_deref())
            .await?
            .ok_or_else(|| ctx.invalid(format!("no encryption configuration on {bucket}")))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        _prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        self.create(ctx, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let (bucket, owner) = bucket_of(ctx, prior)?;
        self.0
            .api
            .delete_bucket_encryption(&bucket, owner.as_deref())
            .await
            .map_err(|e| ctx.api("DeleteBucketEncryption", e))
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let Ok((bucket, owner)) = bucket_of(ctx, planned) else {
            return Ok(None);
        };
        // Only a configuration equal to the planned one tells an interrupted create apart from
        // AWS's default encryption.
        let want = normalize(planned).get("rule").cloned();
        Ok(Some(
            self.fetch(ctx, &bucket, owner.as_deref())
                .await?
                .filter(|v| normalize(v).get("rule").cloned() == want)
                .into_iter()
                .collect(),
        ))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        let (bucket, owner) = parse_bucket_id(ctx, id)?;
        self.fetch(ctx, &bucket, owner.as_deref()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(alg: &str, key: Option<&str>, bucket_key: Option<bool>) -> Value {
        Value::map([
            (
                "apply_server_side_encryption_by_default",
                Value::List(vec![Value::map([
                    ("sse_algorithm", Value::from(alg)),
                    ("kms_master_key_id", opt_str(key)),
                ])]),
            ),
            ("bucket_key_enabled", opt_bool(bucket_key)),
        ])
    }

    #[test]
    fn bucket_key_left_out_equals_false_and_key_changes_update_in_place() {
        let r = EncryptionResource(super::super::testing::s3());
        let prior = Value::map([
            ("id", Value::from("b")),
            ("bucket", Value::from("b")),
            ("region", Value::from("eu-west-1")),
            (
                "rule",
                Value::set(vec![rule_value(&SseRule {
                    sse_algorithm: Some("AES256".into()),
                    kms_master_key_id: None,
                    bucket_key_enabled: Some(false),
                    blocked_encryption_types: vec![],
                })]),
            ),
        ]);
        let want = Value::map([
            ("bucket", Value::from("b")),
            ("rule", Value::List(vec![rule("AES256", None, None)])),
        ]);
        assert!(r.plan(Some(&prior), &want).changed_paths.is_empty());
        let kms = Value::map([
            ("bucket", Value::from("b")),
            (
                "rule",
                Value::List(vec![rule("aws:kms", Some("arn:aws:kms:k"), Some(true))]),
            ),
        ]);
        let p = r.plan(Some(&prior), &kms);
        assert!(p.requires_replace.is_empty());
        assert_eq!(
            p.api_ops,
            vec![ApiOp::with_fields(
                "PutBucketEncryption",
                ["rule".to_string()]
            )]
        );
        assert_eq!(
            super::super::default_encryption(&p.planned),
            Some(("aws:kms".to_string(), Some("arn:aws:kms:k".to_string())))
        );
    }
}
