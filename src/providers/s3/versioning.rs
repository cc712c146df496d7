//! `aws_s3_bucket_versioning`. Id = `bucket` or `bucket,expected_bucket_owner`. Create and
//! update are PutBucketVersioning; status `Disabled` on a bucket never versioned makes no call
//! (S3 cannot go back to "never versioned"). Delete suspends versioning, or does nothing when
//! the status is `Disabled`, as the AWS provider does. A `mfa_delete` left out keeps AWS's value.

use super::api::Versioning;
use super::{bucket_id, bucket_of, check_region, parse_bucket_id, plan_region, wait_until, S3};
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
    AttrSpec::config("mfa"),
    AttrSpec::optional_computed("region").force_new(),
    AttrSpec::config("versioning_configuration").block(),
];

/// The bucket versioning resource.
pub struct VersioningResource(pub S3);

/// The state's status for what AWS answers: never versioned reads as `Disabled`.
pub fn status_for_state(v: &Versioning) -> &str {
    v.status.as_deref().unwrap_or("Disabled")
}

fn wanted(v: &Value) -> (String, Option<String>) {
    let b = block(v, "versioning_configuration");
    (
        b.and_then(|b| str_of(b, "status"))
            .unwrap_or("Disabled")
            .to_string(),
        b.and_then(|b| str_of(b, "mfa_delete")).map(str::to_string),
    )
}

impl VersioningResource {
    async fn fetch(
        &self,
        ctx: &Ctx,
        bucket: &str,
        owner: Option<&str>,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let api = &self.0.api;
        if api
            .head_bucket(bucket)
            .await
            .map_err(|e| ctx.api("HeadBucket", e))?
            .is_none()
        {
            return Ok(None);
        }
        let v = api
            .get_bucket_versioning(bucket)
            .await
            .map_err(|e| ctx.api("GetBucketVersioning", e))?;
        let keep = |k: &str| prior.and_then(|p| p.get(k)).cloned().map(known);
        let prior_mfa = prior
            .and_then(|p| block(p, "versioning_configuration"))
            .and_then(|b| str_of(b, "mfa_delete"))
            .map(str::to_string);
        Ok(Some(Value::Map(obj([
            ("bucket", Value::from(bucket)),
            ("expected_bucket_owner", opt_str(owner)),
            ("id", Value::from(bucket_id(bucket, owner))),
            ("mfa", keep("mfa").unwrap_or(Value::Null)),
            ("region", Value::from(self.0.region.as_str())),
            (
                "versioning_configuration",
                block_value(Some(obj([
                    ("mfa_delete", opt_str(v.mfa_delete.clone().or(prior_mfa))),
                    ("status", Value::from(status_for_state(&v))),
                ]))),
            ),
        ]))))
    }

    async fn put(&self, ctx: &Ctx, planned: &Value) -> Result<(), ProviderError> {
        let (bucket, owner) = bucket_of(ctx, planned)?;
        let (status, mfa_delete) = wanted(planned);
        let api = &self.0.api;
        if status == "Disabled" {
            let live = api
                .get_bucket_versioning(&bucket)
                .await
                .map_err(|e| ctx.api("GetBucketVersioning", e))?;
            if live.status.is_some() {
                return Err(ctx.invalid(format!(
                    "versioning of bucket {bucket} is {}; it can only be Enabled or Suspended now",
                    status_for_state(&live)
                )));
            }
            return Ok(());
        }
        api.put_bucket_versioning(
            &bucket,
            &status,
            mfa_delete.as_deref(),
            str_of(planned, "mfa"),
            owner.as_deref(),
        )
        .await
        .map_err(|e| ctx.api("PutBucketVersioning", e))?;
        wait_until(ctx, ctx.timeouts.update, "versioning status", || async {
            let v = api
                .get_bucket_versioning(&bucket)
                .await
                .map_err(|e| ctx.api("GetBucketVersioning", e))?;
            Ok(status_for_state(&v) == status)
        })
        .await
    }
}

#[async_trait]
impl ResourceProvider for VersioningResource {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_versioning"
    }

    fn normalize(&self, v: &Value) -> Value {
        v.clone()
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        // mfa_delete is Optional + Computed inside the block: left out, it keeps the prior value.
        let mut desired = desired.clone();
        if let (Some(p), Value::Map(m)) = (prior, &mut desired) {
            let prior_mfa = block(p, "versioning_configuration")
                .and_then(|b| b.get("mfa_delete"))
                .cloned();
            if let (Some(Value::List(items)), Some(pm)) =
                (m.get_mut("versioning_configuration"), prior_mfa)
            {
                if let Some(Value::Map(b)) = items.first_mut() {
                    if b.get("mfa_delete").map(Value::is_null).unwrap_or(true) {
                        b.insert("mfa_delete".into(), pm);
                    }
                }
            }
        }
        let mut d = diff(SPECS, prior, &desired, &BTreeMap::new(), &|v| v.clone());
        plan_region(&mut d.planned, &self.0.region);
        if let (Value::Map(m), Some(b)) = (&mut d.planned, str_of(&desired, "bucket")) {
            m.insert(
                "id".into(),
                Value::from(bucket_id(b, str_of(&desired, "expected_bucket_owner"))),
            );
        }
        let put = || ApiOp::with_fields("PutBucketVersioning", ["versioning_configuration".into()]);
        let ops = match prior {
            None if wanted(&desired).0 == "Disabled" => vec![],
            None => vec![put()],
            Some(_) if !d.replace.is_empty() => vec![ApiOp::call("PutBucketVersioning"), put()],
            Some(_) if d.has("versioning_configuration") => vec![put()],
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
        self.fetch(ctx, &bucket, owner.as_deref(), Some(prior))
            .await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        check_region(ctx, planned, &self.0.region)?;
        self.put(ctx, planned).await?;
        let (bucket, owner) = bucket_of(ctx, planned)?;
        self.fetch(ctx, &bucket, owner.as_deref(), Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("bucket {bucket} does not exist")))
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
        if wanted(prior).0 == "Disabled" {
            return Ok(());
        }
        match self
            .0
            .api
            .put_bucket_versioning(&bucket, "Suspended", None, None, owner.as_deref())
            .await
        {
            Ok(()) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(ctx.api("PutBucketVersioning", e)),
        }
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let Ok((bucket, owner)) = bucket_of(ctx, planned) else {
            return Ok(None);
        };
        // Versioning that was switched on is the trace of an interrupted create.
        Ok(Some(
            self.fetch(ctx, &bucket, owner.as_deref(), Some(planned))
                .await?
                .filter(|v| wanted(v).0 != "Disabled")
                .into_iter()
                .collect(),
        ))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        let (bucket, owner) = parse_bucket_id(ctx, id)?;
        self.fetch(ctx, &bucket, owner.as_deref(), None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf(status: &str, mfa: Option<&str>) -> Value {
        Value::List(vec![Value::map([
            ("status", Value::from(status)),
            ("mfa_delete", opt_str(mfa)),
        ])])
    }

    #[test]
    fn mfa_delete_left_out_keeps_the_prior_value() {
        let r = VersioningResource(super::super::testing::s3());
        let prior = Value::map([
            ("id", Value::from("b")),
            ("bucket", Value::from("b")),
            ("region", Value::from("eu-west-1")),
            (
                "versioning_configuration",
                conf("Enabled", Some("Disabled")),
            ),
        ]);
        let p = r.plan(
            Some(&prior),
            &Value::map([
                ("bucket", Value::from("b")),
                ("versioning_configuration", conf("Enabled", None)),
            ]),
        );
        assert!(p.changed_paths.is_empty(), "{:?}", p.changed_paths);
        let p = r.plan(
            Some(&prior),
            &Value::map([
                ("bucket", Value::from("b")),
                ("versioning_configuration", conf("Suspended", None)),
            ]),
        );
        assert_eq!(
            p.api_ops,
            vec![ApiOp::with_fields(
                "PutBucketVersioning",
                ["versioning_configuration".to_string()]
            )]
        );
    }

    #[test]
    fn disabled_on_create_makes_no_call_and_ids_carry_the_owner() {
        let r = VersioningResource(super::super::testing::s3());
        let p = r.plan(
            None,
            &Value::map([
                ("bucket", Value::from("b")),
                ("expected_bucket_owner", Value::from("123456789012")),
                ("versioning_configuration", conf("Disabled", None)),
            ]),
        );
        assert!(p.api_ops.is_empty());
        assert_eq!(p.planned.get("id"), Some(&Value::from("b,123456789012")));
        assert_eq!(p.planned.get("region"), Some(&Value::from("eu-west-1")));
        assert_eq!(
            status_for_state(&Versioning {
                status: None,
                mfa_delete: None
            }),
            "Disabled"
        );
    }
}
