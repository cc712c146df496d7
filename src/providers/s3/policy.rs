//! `aws_s3_bucket_policy`. Id = bucket. Create and update are PutBucketPolicy (the whole
//! document), retried while S3 rejects a principal IAM has not propagated yet; delete is
//! DeleteBucketPolicy. Policies compare as JSON; state keeps the configured text when it means
//! the same as AWS's.

use super::{bucket_name, check_region, normalize_policy, plan_region, retry_propagation, S3};
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::{ApiError, ProviderError};
use crate::providers::normalize::policy_for_state;
use crate::providers::planning::{diff, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::BTreeMap;

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("id"),
    AttrSpec::config("bucket").force_new(),
    AttrSpec::config("policy"),
    AttrSpec::optional_computed("region").force_new(),
];

/// The bucket policy resource.
pub struct BucketPolicyResource(pub S3);

/// True while S3 does not see a just-created principal or bucket yet.
pub fn is_propagation_error(e: &ApiError) -> bool {
    (e.has_code("MalformedPolicy") && e.message.to_ascii_lowercase().contains("invalid principal"))
        || e.has_code("NoSuchBucket")
}

impl BucketPolicyResource {
    async fn fetch(
        &self,
        ctx: &Ctx,
        bucket: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let Some(text) = self
            .0
            .api
            .get_bucket_policy(bucket)
            .await
            .map_err(|e| ctx.api("GetBucketPolicy", e))?
        else {
            return Ok(None);
        };
        Ok(Some(Value::Map(obj([
            ("bucket", Value::from(bucket)),
            ("id", Value::from(bucket)),
            (
                "policy",
                Value::from(policy_for_state(
                    &text,
                    prior.and_then(|p| str_of(p, "policy")),
                )),
            ),
            ("region", Value::from(self.0.region.as_str())),
        ]))))
    }

    async fn put(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        check_region(ctx, planned, &self.0.region)?;
        let bucket = bucket_name(ctx, planned)?;
        let policy = str_of(planned, "policy").ok_or_else(|| ctx.invalid("policy is required"))?;
        retry_propagation(ctx, "PutBucketPolicy", is_propagation_error, || {
            self.0.api.put_bucket_policy(bucket, policy)
        })
        .await?;
        self.fetch(ctx, bucket, Some(planned))
            .await?
            .ok_or_else(|| {
                ctx.invalid(format!(
                    "no policy on bucket {bucket} after PutBucketPolicy"
                ))
            })
    }
}

#[async_trait]
impl ResourceProvider for BucketPolicyResource {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_policy"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize_policy(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &BTreeMap::new(), &normalize_policy);
        plan_region(&mut d.planned, &self.0.region);
        if let (Value::Map(m), Some(b)) = (&mut d.planned, str_of(desired, "bucket")) {
            m.insert("id".into(), Value::from(b));
        }
        let ops = match prior {
            None => vec![ApiOp::call("PutBucketPolicy")],
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DeleteBucketPolicy"),
                ApiOp::call("PutBucketPolicy"),
            ],
            Some(_) if d.has("policy") => {
                vec![ApiOp::with_fields("PutBucketPolicy", ["policy".into()])]
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
        let bucket = bucket_name(ctx, prior)?;
        self.fetch(ctx, bucket, Some(prior)).await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.put(ctx, planned).await
    }

    async fn update(
        &self,
        ctx: &Ctx,
        _prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        self.put(ctx, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let bucket = bucket_name(ctx, prior)?;
        self.0
            .api
            .delete_bucket_policy(bucket)
            .await
            .map_err(|e| ctx.api("DeleteBucketPolicy", e))
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        match str_of(planned, "bucket") {
            Some(b) => Ok(Some(
                self.fetch(ctx, b, Some(planned))
                    .await?
                    .into_iter()
                    .collect(),
            )),
            None => Ok(None),
        }
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        self.fetch(ctx, id, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::error::ApiErrorKind;

    #[test]
    fn policies_compare_as_json_and_propagation_is_recognised() {
        let r = BucketPolicyResource(super::super::testing::s3());
        let prior = Value::map([
            ("id", Value::from("b")),
            ("bucket", Value::from("b")),
            ("region", Value::from("eu-west-1")),
            (
                "policy",
                Value::from(
                    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Principal":"*","Resource":"arn:aws:s3:::b/*"}]}"#,
                ),
            ),
        ]);
        let same = Value::map([
            ("bucket", Value::from("b")),
            (
                "policy",
                Value::from(
                    r#"{"Statement":[{"Resource":"arn:aws:s3:::b/*","Principal":"*","Action":["s3:GetObject"],"Effect":"Allow"}],"Version":"2012-10-17"}"#,
                ),
            ),
        ]);
        assert!(r.plan(Some(&prior), &same).changed_paths.is_empty());
        assert!(is_propagation_error(&ApiError::new(
            ApiErrorKind::Validation,
            "MalformedPolicy",
            "Invalid principal in policy"
        )));
        assert!(!is_propagation_error(&ApiError::new(
            ApiErrorKind::Validation,
            "MalformedPolicy",
            "Policy has invalid action"
        )));
    }
}
