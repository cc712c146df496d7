//! `aws_s3_bucket_public_access_block`. Id = bucket. Create and update are PutPublicAccessBlock
//! (all four settings, false when left out), then waiting until S3 answers the new settings;
//! delete is DeletePublicAccessBlock unless `skip_destroy`.

use super::api::PublicAccessBlock;
use super::{
    bucket_name, bucket_not_visible, check_region, plan_region, retry_propagation, wait_until, S3,
};
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::planning::{diff, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::BTreeMap;

fn no() -> Value {
    Value::Bool(false)
}

const FLAGS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("id"),
    AttrSpec::config("bucket").force_new(),
    AttrSpec::config("block_public_acls").default(no),
    AttrSpec::config("block_public_policy").default(no),
    AttrSpec::config("ignore_public_acls").default(no),
    AttrSpec::config("restrict_public_buckets").default(no),
    AttrSpec::optional_computed("region").force_new(),
    AttrSpec::config("skip_destroy"),
];

/// The public access block resource.
pub struct PublicAccessBlockResource(pub S3);

fn wanted(v: &Value) -> PublicAccessBlock {
    let f = |k: &str| bool_of(v, k).unwrap_or(false);
    PublicAccessBlock {
        block_public_acls: f("block_public_acls"),
        block_public_policy: f("block_public_policy"),
        ignore_public_acls: f("ignore_public_acls"),
        restrict_public_buckets: f("restrict_public_buckets"),
    }
}

impl PublicAccessBlockResource {
    async fn fetch(
        &self,
        ctx: &Ctx,
        bucket: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let Some(p) = self
            .0
            .api
            .get_public_access_block(bucket)
            .await
            .map_err(|e| ctx.api("GetPublicAccessBlock", e))?
        else {
            return Ok(None);
        };
        Ok(Some(Value::Map(obj([
            ("block_public_acls", Value::Bool(p.block_public_acls)),
            ("block_public_policy", Value::Bool(p.block_public_policy)),
            ("bucket", Value::from(bucket)),
            ("id", Value::from(bucket)),
            ("ignore_public_acls", Value::Bool(p.ignore_public_acls)),
            ("region", Value::from(self.0.region.as_str())),
            (
                "restrict_public_buckets",
                Value::Bool(p.restrict_public_buckets),
            ),
            (
                "skip_destroy",
                prior
                    .and_then(|p| p.get("skip_destroy"))
                    .cloned()
                    .map(known)
                    .unwrap_or(Value::Null),
            ),
        ]))))
    }

    async fn put(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        check_region(ctx, planned, &self.0.region)?;
        let bucket = bucket_name(ctx, planned)?;
        let want = wanted(planned);
        let api = &self.0.api;
        retry_propagation(ctx, "PutPublicAccessBlock", bucket_not_visible, || {
            api.put_public_access_block(bucket, want)
        })
        .await?;
        wait_until(ctx, ctx.timeouts.update, "public access block", || async {
            Ok(api
                .get_public_access_block(bucket)
                .await
                .map_err(|e| ctx.api("GetPublicAccessBlock", e))?
                == Some(want))
        })
        .await?;
        self.fetch(ctx, bucket, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("no public access block on {bucket}")))
    }
}

#[async_trait]
impl ResourceProvider for PublicAccessBlockResource {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket_public_access_block"
    }

    fn normalize(&self, v: &Value) -> Value {
        v.clone()
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &BTreeMap::new(), &|v| v.clone());
        plan_region(&mut d.planned, &self.0.region);
        if let (Value::Map(m), Some(b)) = (&mut d.planned, str_of(desired, "bucket")) {
            m.insert("id".into(), Value::from(b));
        }
        let changed: Vec<String> = FLAGS
            .iter()
            .filter(|f| d.has(f))
            .map(|f| f.to_string())
            .collect();
        let ops = match prior {
            None => vec![ApiOp::call("PutPublicAccessBlock")],
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DeletePublicAccessBlock"),
                ApiOp::call("PutPublicAccessBlock"),
            ],
            Some(_) if !changed.is_empty() => {
                vec![ApiOp::with_fields("PutPublicAccessBlock", changed)]
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
        if bool_of(prior, "skip_destroy") == Some(true) {
            return Ok(());
        }
        let bucket = bucket_name(ctx, prior)?;
        self.0
            .api
            .delete_public_access_block(bucket)
            .await
            .map_err(|e| ctx.api("DeletePublicAccessBlock", e))
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

    #[test]
    fn flags_default_to_false_and_update_in_place() {
        let r = PublicAccessBlockResource(super::super::testing::s3());
        let prior = Value::map([
            ("id", Value::from("b")),
            ("bucket", Value::from("b")),
            ("block_public_acls", Value::Bool(true)),
            ("block_public_policy", Value::Bool(false)),
            ("ignore_public_acls", Value::Bool(false)),
            ("restrict_public_buckets", Value::Bool(false)),
            ("region", Value::from("eu-west-1")),
        ]);
        let want = Value::map([
            ("bucket", Value::from("b")),
            ("block_public_acls", Value::Bool(true)),
        ]);
        assert!(r.plan(Some(&prior), &want).changed_paths.is_empty());
        let p = r.plan(
            Some(&prior),
            &Value::map([
                ("bucket", Value::from("b")),
                ("restrict_public_buckets", Value::Bool(true)),
            ]),
        );
        assert_eq!(
            p.api_ops,
            vec![ApiOp::with_fields(
                "PutPublicAccessBlock",
                [
                    "block_public_acls".to_string(),
                    "restrict_public_buckets".to_string()
                ]
            )]
        );
        assert!(p.requires_replace.is_empty());
    }
}
