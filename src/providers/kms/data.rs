//! `data "aws_kms_key"`: DescribeKey by key id, key ARN, alias name or alias ARN, with every
//! attribute of the key's metadata. A key that does not exist is an error, as in the AWS
//! provider.

use super::api::{KeyMetadata, KmsApi, RegionKey};
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::{ApiError, ApiErrorKind, ProviderError};
use crate::providers::{Ctx, DataSourceProvider};
use async_trait::async_trait;
use std::sync::Arc;

/// `data "aws_kms_key"`.
pub struct KeyData(pub Arc<dyn KmsApi>);

fn region_keys(keys: &[RegionKey]) -> Value {
    Value::List(
        keys.iter()
            .map(|k| {
                Value::Map(obj([
                    ("arn", Value::from(k.arn.as_str())),
                    ("region", Value::from(k.region.as_str())),
                ]))
            })
            .collect(),
    )
}

/// The data source's computed attributes from a key's metadata.
pub fn key_attributes(m: &KeyMetadata) -> Vec<(&'static str, Value)> {
    let multi_region_configuration = Value::List(
        m.multi_region_config
            .iter()
            .map(|c| {
                Value::Map(obj([
                    ("multi_region_key_type", Value::from(c.key_type.as_str())),
                    ("primary_key", region_keys(c.primary.as_slice())),
                    ("replica_keys", region_keys(&c.replicas)),
                ]))
            })
            .collect(),
    );
    vec![
        ("arn", Value::from(m.arn.as_str())),
        ("aws_account_id", Value::from(m.aws_account_id.as_str())),
        (
            "cloud_hsm_cluster_id",
            opt_str(m.cloud_hsm_cluster_id.clone()),
        ),
        ("creation_date", opt_str(m.creation_date.clone())),
        (
            "custom_key_store_id",
            opt_str(m.custom_key_store_id.clone()),
        ),
        (
            "customer_master_key_spec",
            Value::from(m.customer_master_key_spec.as_str()),
        ),
        ("deletion_date", opt_str(m.deletion_date.clone())),
        ("description", Value::from(m.description.as_str())),
        ("enabled", Value::Bool(m.enabled)),
        ("expiration_model", opt_str(m.expiration_model.clone())),
        ("id", Value::from(m.key_id.as_str())),
        ("key_manager", Value::from(m.key_manager.as_str())),
        ("key_spec", Value::from(m.key_spec.as_str())),
        ("key_state", Value::from(m.key_state.as_str())),
        ("key_usage", Value::from(m.key_usage.as_str())),
        ("multi_region", Value::Bool(m.multi_region)),
        ("multi_region_configuration", multi_region_configuration),
        ("origin", Value::from(m.origin.as_str())),
        (
            "pending_deletion_window_in_days",
            opt_int(m.pending_deletion_window_in_days),
        ),
        ("valid_to", opt_str(m.valid_to.clone())),
        (
            "xks_key_configuration",
            Value::List(
                m.xks_key_id
                    .iter()
                    .map(|id| Value::Map(obj([("id", Value::from(id.as_str()))])))
                    .collect(),
            ),
        ),
    ]
}

#[async_trait]
impl DataSourceProvider for KeyData {
    fn type_name(&self) -> &'static str {
        "aws_kms_key"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let key_id = str_of(config, "key_id").ok_or_else(|| ctx.invalid("key_id is required"))?;
        let tokens = strings(config, "grant_tokens");
        let m = self
            .0
            .describe_key(key_id, &tokens)
            .await
            .map_err(|e| ctx.api("DescribeKey", e))?
            .ok_or_else(|| {
                ctx.api(
                    "DescribeKey",
                    ApiError::new(
                        ApiErrorKind::NotFound,
                        "NotFoundException",
                        format!("KMS key {key_id} not found"),
                    ),
                )
            })?;
        let mut out = config.as_map().cloned().unwrap_or_default();
        out.entry("grant_tokens".to_string()).or_insert(Value::Null);
        for (k, v) in key_attributes(&m) {
            out.insert(k.into(), v);
        }
        Ok(Value::Map(out))
    }
}
