//! [`LogsApi`] over `aws-sdk-cloudwatchlogs`, every call through the shared [`Caller`].

use super::api::*;
use crate::providers::error::ApiError;
use crate::providers::retry::{Caller, Safety};
use async_trait::async_trait;
use aws_sdk_cloudwatchlogs::types as t;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// SDK implementation.
#[derive(Debug, Clone)]
pub struct SdkLogs {
    client: aws_sdk_cloudwatchlogs::Client,
    caller: Arc<Caller>,
}

impl SdkLogs {
    /// Wraps a client.
    pub fn new(client: aws_sdk_cloudwatchlogs::Client, caller: Arc<Caller>) -> SdkLogs {
        SdkLogs { client, caller }
    }
}

macro_rules! call {
    ($self:ident, $op:literal, $safety:expr, $req:expr) => {
        $self
            .caller
            .call("logs", $op, $safety, || async {
                $req.send().await.map_err(ApiError::from_sdk)
            })
            .await
    };
}

fn group_of(g: &t::LogGroup) -> LogGroup {
    LogGroup {
        name: g.log_group_name().unwrap_or_default().to_string(),
        arn: g.arn().unwrap_or_default().to_string(),
        retention_in_days: g.retention_in_days().map(i64::from),
        kms_key_id: g.kms_key_id().map(str::to_string),
        log_group_class: g.log_group_class().map(|c| c.as_str().to_string()),
        deletion_protection_enabled: g.deletion_protection_enabled(),
    }
}

fn ignore_missing(r: Result<(), ApiError>) -> Result<(), ApiError> {
    match r {
        Err(e) if e.is_not_found() => Ok(()),
        other => other,
    }
}

#[async_trait]
impl LogsApi for SdkLogs {
    async fn describe_log_group(&self, name: &str) -> Result<Option<LogGroup>, ApiError> {
        let mut token: Option<String> = None;
        loop {
            let page = call!(
                self,
                "DescribeLogGroups",
                Safety::Idempotent,
                self.client
                    .describe_log_groups()
                    .log_group_name_prefix(name)
                    .set_next_token(token.clone())
            )?;
            if let Some(g) = page
                .log_groups()
                .iter()
                .find(|g| g.log_group_name() == Some(name))
            {
                return Ok(Some(group_of(g)));
            }
            match page.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(None),
            }
        }
    }

    async fn create_log_group(&self, g: &NewLogGroup) -> Result<(), ApiError> {
        let tags: HashMap<String, String> =
            g.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        call!(
            self,
            "CreateLogGroup",
            Safety::NotIdempotent,
            self.client
                .create_log_group()
                .log_group_name(&g.name)
                .set_kms_key_id(g.kms_key_id.clone())
                .set_log_group_class(g.log_group_class.as_deref().map(t::LogGroupClass::from))
                .set_deletion_protection_enabled(g.deletion_protection_enabled)
                .set_tags(if tags.is_empty() {
                    None
                } else {
                    Some(tags.clone())
                })
        )
        .map(|_| ())
    }

    async fn delete_log_group(&self, name: &str) -> Result<(), ApiError> {
        ignore_missing(
            call!(
                self,
                "DeleteLogGroup",
                Safety::Idempotent,
                self.client.delete_log_group().log_group_name(name)
            )
            .map(|_| ()),
        )
    }

    async fn put_retention_policy(&self, name: &str, days: i64) -> Result<(), ApiError> {
        let days = i32::try_from(days).unwrap_or(i32::MAX);
        call!(
            self,
            "PutRetentionPolicy",
            Safety::Idempotent,
            self.client
                .put_retention_policy()
                .log_group_name(name)
                .retention_in_days(days)
        )
        .map(|_| ())
    }

    async fn delete_retention_policy(&self, name: &str) -> Result<(), ApiError> {
        call!(
            self,
            "DeleteRetentionPolicy",
            Safety::Idempotent,
            self.client.delete_retention_policy().log_group_name(name)
        )
        .map(|_| ())
    }

    async fn associate_kms_key(&self, name: &str, key: &str) -> Result<(), ApiError> {
        call!(
            self,
            "AssociateKmsKey",
            Safety::Idempotent,
            self.client
                .associate_kms_key()
                .log_group_name(name)
                .kms_key_id(key)
        )
        .map(|_| ())
    }

    async fn disassociate_kms_key(&self, name: &str) -> Result<(), ApiError> {
        call!(
            self,
            "DisassociateKmsKey",
            Safety::Idempotent,
            self.client.disassociate_kms_key().log_group_name(name)
        )
        .map(|_| ())
    }

    async fn put_deletion_protection(&self, name: &str, enabled: bool) -> Result<(), ApiError> {
        call!(
            self,
            "PutLogGroupDeletionProtection",
            Safety::Idempotent,
            self.client
                .put_log_group_deletion_protection()
                .log_group_identifier(name)
                .deletion_protection_enabled(enabled)
        )
        .map(|_| ())
    }

    async fn list_tags(&self, arn: &str) -> Result<BTreeMap<String, String>, ApiError> {
        call!(
            self,
            "ListTagsForResource",
            Safety::Idempotent,
            self.client.list_tags_for_resource().resource_arn(arn)
        )
        .map(|o| {
            o.tags()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()
        })
    }

    async fn tag_resource(
        &self,
        arn: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        let tags: HashMap<String, String> =
            tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        call!(
            self,
            "TagResource",
            Safety::Idempotent,
            self.client
                .tag_resource()
                .resource_arn(arn)
                .set_tags(Some(tags.clone()))
        )
        .map(|_| ())
    }

    async fn untag_resource(&self, arn: &str, keys: &[String]) -> Result<(), ApiError> {
        call!(
            self,
            "UntagResource",
            Safety::Idempotent,
            self.client
                .untag_resource()
                .resource_arn(arn)
                .set_tag_keys(Some(keys.to_vec()))
        )
        .map(|_| ())
    }
}
