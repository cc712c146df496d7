//! [`KmsApi`] over `aws-sdk-kms`, every call through the shared [`Caller`].

use super::api::*;
use crate::providers::error::{ApiError, ApiErrorKind};
use crate::providers::retry::{Caller, Safety};
use async_trait::async_trait;
use aws_sdk_kms::types as t;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The only key policy name KMS has.
const POLICY_NAME: &str = "default";

/// SDK implementation.
#[derive(Debug, Clone)]
pub struct SdkKms {
    client: aws_sdk_kms::Client,
    caller: Arc<Caller>,
}

impl SdkKms {
    /// Wraps a client.
    pub fn new(client: aws_sdk_kms::Client, caller: Arc<Caller>) -> SdkKms {
        SdkKms { client, caller }
    }
}

macro_rules! call {
    ($self:ident, $op:literal, $safety:expr, $req:expr) => {
        $self
            .caller
            .call("kms", $op, $safety, || async {
                $req.send().await.map_err(ApiError::from_sdk)
            })
            .await
    };
}

fn build_err(e: aws_smithy_types::error::operation::BuildError) -> ApiError {
    ApiError::new(ApiErrorKind::Validation, "BuildError", e.to_string())
}

/// RFC 3339 in UTC with whole seconds (`2024-01-02T03:04:05Z`).
pub fn rfc3339(t: &aws_smithy_types::DateTime) -> Option<String> {
    chrono::DateTime::from_timestamp(t.secs(), 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

fn region_key(k: &t::MultiRegionKey) -> RegionKey {
    RegionKey {
        arn: k.arn().unwrap_or_default().to_string(),
        region: k.region().unwrap_or_default().to_string(),
    }
}

/// The deprecated `CustomerMasterKeySpec` field, which the data source still exposes.
#[allow(deprecated)]
fn legacy_spec(m: &t::KeyMetadata) -> String {
    m.customer_master_key_spec()
        .map(|s| s.as_str().to_string())
        .unwrap_or_default()
}

fn metadata_of(m: &t::KeyMetadata) -> KeyMetadata {
    KeyMetadata {
        key_id: m.key_id().to_string(),
        arn: m.arn().unwrap_or_default().to_string(),
        aws_account_id: m.aws_account_id().unwrap_or_default().to_string(),
        creation_date: m.creation_date().and_then(rfc3339),
        enabled: m.enabled(),
        description: m.description().unwrap_or_default().to_string(),
        // KMS's default usage when the answer leaves it out.
        key_usage: m
            .key_usage()
            .map(|u| u.as_str().to_string())
            .unwrap_or_else(|| "ENCRYPT_DECRYPT".into()),
        key_state: m
            .key_state()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        deletion_date: m.deletion_date().and_then(rfc3339),
        valid_to: m.valid_to().and_then(rfc3339),
        origin: m
            .origin()
            .map(|o| o.as_str().to_string())
            .unwrap_or_else(|| "AWS_KMS".into()),
        custom_key_store_id: m.custom_key_store_id().map(str::to_string),
        cloud_hsm_cluster_id: m.cloud_hsm_cluster_id().map(str::to_string),
        expiration_model: m.expiration_model().map(|e| e.as_str().to_string()),
        key_manager: m
            .key_manager()
            .map(|k| k.as_str().to_string())
            .unwrap_or_default(),
        customer_master_key_spec: legacy_spec(m),
        key_spec: m
            .key_spec()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        multi_region: m.multi_region().unwrap_or(false),
        multi_region_config: m.multi_region_configuration().map(|c| MultiRegionConfig {
            key_type: c
                .multi_region_key_type()
                .map(|k| k.as_str().to_string())
                .unwrap_or_default(),
            primary: c.primary_key().map(region_key),
            replicas: c.replica_keys().iter().map(region_key).collect(),
        }),
        pending_deletion_window_in_days: m.pending_deletion_window_in_days().map(i64::from),
        xks_key_id: m
            .xks_key_configuration()
            .and_then(|x| x.id())
            .map(str::to_string),
    }
}

fn to_tags(tags: &BTreeMap<String, String>) -> Result<Vec<t::Tag>, ApiError> {
    tags.iter()
        .map(|(k, v)| {
            t::Tag::builder()
                .tag_key(k)
                .tag_value(v)
                .build()
                .map_err(build_err)
        })
        .collect()
}

fn days(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[async_trait]
impl KmsApi for SdkKms {
    async fn describe_key(
        &self,
        key_id: &str,
        grant_tokens: &[String],
    ) -> Result<Option<KeyMetadata>, ApiError> {
        let tokens = (!grant_tokens.is_empty()).then(|| grant_tokens.to_vec());
        match call!(
            self,
            "DescribeKey",
            Safety::Idempotent,
            self.client
                .describe_key()
                .key_id(key_id)
                .set_grant_tokens(tokens.clone())
        ) {
            Ok(o) => Ok(o.key_metadata().map(metadata_of)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn create_key(&self, k: &NewKey) -> Result<KeyMetadata, ApiError> {
        let tags = to_tags(&k.tags)?;
        let origin = if k.xks_key_id.is_some() {
            Some(t::OriginType::ExternalKeyStore)
        } else if k.custom_key_store_id.is_some() {
            Some(t::OriginType::AwsCloudhsm)
        } else {
            None
        };
        let o = call!(
            self,
            "CreateKey",
            Safety::NotIdempotent,
            self.client
                .create_key()
                .set_description(k.description.clone())
                .set_key_usage(k.key_usage.as_deref().map(t::KeyUsageType::from))
                .set_key_spec(k.key_spec.as_deref().map(t::KeySpec::from))
                .set_policy(k.policy.clone())
                .bypass_policy_lockout_safety_check(k.bypass_policy_lockout_safety_check)
                .set_multi_region(k.multi_region)
                .set_origin(origin.clone())
                .set_custom_key_store_id(k.custom_key_store_id.clone())
                .set_xks_key_id(k.xks_key_id.clone())
                .set_tags((!tags.is_empty()).then(|| tags.clone()))
        )?;
        o.key_metadata().map(metadata_of).ok_or_else(|| {
            ApiError::new(
                ApiErrorKind::Other,
                "EmptyResponse",
                "CreateKey returned no key metadata",
            )
        })
    }

    async fn get_key_policy(&self, key_id: &str) -> Result<Option<String>, ApiError> {
        match call!(
            self,
            "GetKeyPolicy",
            Safety::Idempotent,
            self.client
                .get_key_policy()
                .key_id(key_id)
                .policy_name(POLICY_NAME)
        ) {
            Ok(o) => Ok(Some(o.policy().unwrap_or_default().to_string())),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn put_key_policy(
        &self,
        key_id: &str,
        policy: &str,
        bypass: bool,
    ) -> Result<(), ApiError> {
        call!(
            self,
            "PutKeyPolicy",
            Safety::Idempotent,
            self.client
                .put_key_policy()
                .key_id(key_id)
                .policy_name(POLICY_NAME)
                .policy(policy)
                .bypass_policy_lockout_safety_check(bypass)
        )
        .map(|_| ())
    }

    async fn get_key_rotation(&self, key_id: &str) -> Result<Rotation, ApiError> {
        call!(
            self,
            "GetKeyRotationStatus",
            Safety::Idempotent,
            self.client.get_key_rotation_status().key_id(key_id)
        )
        .map(|o| Rotation {
            enabled: o.key_rotation_enabled(),
            period_in_days: o.rotation_period_in_days().map(i64::from),
        })
    }

    async fn set_key_rotation(
        &self,
        key_id: &str,
        enabled: bool,
        period_in_days: Option<i64>,
    ) -> Result<(), ApiError> {
        if enabled {
            call!(
                self,
                "EnableKeyRotation",
                Safety::Idempotent,
                self.client
                    .enable_key_rotation()
                    .key_id(key_id)
                    .set_rotation_period_in_days(period_in_days.map(days))
            )
            .map(|_| ())
        } else {
            call!(
                self,
                "DisableKeyRotation",
                Safety::Idempotent,
                self.client.disable_key_rotation().key_id(key_id)
            )
            .map(|_| ())
        }
    }

    async fn set_key_enabled(&self, key_id: &str, enabled: bool) -> Result<(), ApiError> {
        if enabled {
            call!(
                self,
                "EnableKey",
                Safety::Idempotent,
                self.client.enable_key().key_id(key_id)
            )
            .map(|_| ())
        } else {
            call!(
                self,
                "DisableKey",
                Safety::Idempotent,
                self.client.disable_key().key_id(key_id)
            )
            .map(|_| ())
        }
    }

    async fn update_key_description(
        &self,
        key_id: &str,
        description: &str,
    ) -> Result<(), ApiError> {
        call!(
            self,
            "UpdateKeyDescription",
            Safety::Idempotent,
            self.client
                .update_key_description()
                .key_id(key_id)
                .description(description)
        )
        .map(|_| ())
    }

    async fn schedule_key_deletion(
        &self,
        key_id: &str,
        window_in_days: Option<i64>,
    ) -> Result<(), ApiError> {
        match call!(
            self,
            "ScheduleKeyDeletion",
            Safety::Idempotent,
            self.client
                .schedule_key_deletion()
                .key_id(key_id)
                .set_pending_window_in_days(window_in_days.map(days))
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e)
                if e.has_code("KMSInvalidStateException")
                    && e.message.contains("pending deletion") =>
            {
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    async fn list_tags(&self, key_id: &str) -> Result<BTreeMap<String, String>, ApiError> {
        let mut out = BTreeMap::new();
        let mut marker: Option<String> = None;
        loop {
            let page = call!(
                self,
                "ListResourceTags",
                Safety::Idempotent,
                self.client
                    .list_resource_tags()
                    .key_id(key_id)
                    .set_marker(marker.clone())
            )?;
            out.extend(
                page.tags()
                    .iter()
                    .map(|t| (t.tag_key().to_string(), t.tag_value().to_string())),
            );
            match page.next_marker() {
                Some(m) if page.truncated() && !m.is_empty() => marker = Some(m.to_string()),
                _ => return Ok(out),
            }
        }
    }

    async fn tag_resource(
        &self,
        key_id: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        let tags = to_tags(tags)?;
        call!(
            self,
            "TagResource",
            Safety::Idempotent,
            self.client
                .tag_resource()
                .key_id(key_id)
                .set_tags(Some(tags.clone()))
        )
        .map(|_| ())
    }

    async fn untag_resource(&self, key_id: &str, keys: &[String]) -> Result<(), ApiError> {
        call!(
            self,
            "UntagResource",
            Safety::Idempotent,
            self.client
                .untag_resource()
                .key_id(key_id)
                .set_tag_keys(Some(keys.to_vec()))
        )
        .map(|_| ())
    }

    async fn list_aliases(&self, key_id: Option<&str>) -> Result<Vec<Alias>, ApiError> {
        let mut out = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let page = call!(
                self,
                "ListAliases",
                Safety::Idempotent,
                self.client
                    .list_aliases()
                    .set_key_id(key_id.map(str::to_string))
                    .set_marker(marker.clone())
            )?;
            out.extend(page.aliases().iter().map(|a| Alias {
                name: a.alias_name().unwrap_or_default().to_string(),
                arn: a.alias_arn().unwrap_or_default().to_string(),
                target_key_id: a.target_key_id().map(str::to_string),
            }));
            match page.next_marker() {
                Some(m) if page.truncated() && !m.is_empty() => marker = Some(m.to_string()),
                _ => return Ok(out),
            }
        }
    }

    async fn create_alias(&self, name: &str, target_key_id: &str) -> Result<(), ApiError> {
        call!(
            self,
            "CreateAlias",
            Safety::NotIdempotent,
            self.client
                .create_alias()
                .alias_name(name)
                .target_key_id(target_key_id)
        )
        .map(|_| ())
    }

    async fn update_alias(&self, name: &str, target_key_id: &str) -> Result<(), ApiError> {
        call!(
            self,
            "UpdateAlias",
            Safety::Idempotent,
            self.client
                .update_alias()
                .alias_name(name)
                .target_key_id(target_key_id)
        )
        .map(|_| ())
    }

    async fn delete_alias(&self, name: &str) -> Result<(), ApiError> {
        match call!(
            self,
            "DeleteAlias",
            Safety::Idempotent,
            self.client.delete_alias().alias_name(name)
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(e),
        }
    }
}
