//! `data "aws_iam_role"` (by name) and `data "aws_iam_policy"` (by ARN, or by name with an
//! optional path prefix).

use super::api::IamApi;
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::{ApiError, ApiErrorKind, ProviderError};
use crate::providers::normalize::decode_policy_text;
use crate::providers::{Ctx, DataSourceProvider};
use async_trait::async_trait;
use std::sync::Arc;

/// `data "aws_iam_role"`.
pub struct RoleData {
    api: Arc<dyn IamApi>,
}

impl RoleData {
    /// Over an IAM API.
    pub fn new(api: Arc<dyn IamApi>) -> RoleData {
        RoleData { api }
    }
}

fn not_found(ctx: &Ctx, operation: &'static str, what: String) -> ProviderError {
    ctx.api(
        operation,
        ApiError::new(ApiErrorKind::NotFound, "NoSuchEntity", what),
    )
}

#[async_trait]
impl DataSourceProvider for RoleData {
    fn type_name(&self) -> &'static str {
        "aws_iam_role"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let name = str_of(config, "name").ok_or_else(|| ctx.invalid("name is required"))?;
        let r = self
            .api
            .get_role(name)
            .await
            .map_err(|e| ctx.api("GetRole", e))?
            .ok_or_else(|| not_found(ctx, "GetRole", format!("role {name} not found")))?;
        Ok(Value::Map(obj([
            ("arn", Value::from(r.arn.as_str())),
            (
                "assume_role_policy",
                Value::from(decode_policy_text(&r.assume_role_policy)),
            ),
            ("create_date", Value::from(r.create_date.as_str())),
            (
                "description",
                Value::from(r.description.clone().unwrap_or_default()),
            ),
            ("id", Value::from(r.name.as_str())),
            (
                "max_session_duration",
                Value::from(i64::from(r.max_session_duration.unwrap_or(3600))),
            ),
            ("name", Value::from(r.name.as_str())),
            ("path", Value::from(r.path.as_str())),
            (
                "permissions_boundary",
                Value::from(r.permissions_boundary.clone().unwrap_or_default()),
            ),
            ("role_last_used", Value::List(vec![])),
            ("tags", string_map_value(&r.tags)),
            ("unique_id", Value::from(r.role_id.as_str())),
        ])))
    }
}

/// `data "aws_iam_policy"`.
pub struct PolicyData {
    api: Arc<dyn IamApi>,
}

impl PolicyData {
    /// Over an IAM API.
    pub fn new(api: Arc<dyn IamApi>) -> PolicyData {
        PolicyData { api }
    }
}

#[async_trait]
impl DataSourceProvider for PolicyData {
    fn type_name(&self) -> &'static str {
        "aws_iam_policy"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let policy = if let Some(arn) = str_of(config, "arn") {
            self.api
                .get_policy(arn)
                .await
                .map_err(|e| ctx.api("GetPolicy", e))?
                .ok_or_else(|| not_found(ctx, "GetPolicy", format!("policy {arn} not found")))?
        } else {
            let name = str_of(config, "name")
                .ok_or_else(|| ctx.invalid("one of arn or name is required"))?;
            let prefix = str_of(config, "path_prefix");
            let found: Vec<_> = self
                .api
                .list_local_policies(prefix)
                .await
                .map_err(|e| ctx.api("ListPolicies", e))?
                .into_iter()
                .filter(|p| p.name == name)
                .collect();
            match found.len() {
                0 => {
                    return Err(not_found(
                        ctx,
                        "ListPolicies",
                        format!("no policy named {name}"),
                    ))
                }
                1 => found
                    .into_iter()
                    .next()
                    .ok_or_else(|| ctx.invalid("unreachable"))?,
                n => {
                    return Err(
                        ctx.invalid(format!("{n} policies named {name}; set path_prefix or arn"))
                    )
                }
            }
        };
        let doc = self
            .api
            .get_policy_version(&policy.arn, &policy.default_version_id)
            .await
            .map_err(|e| ctx.api("GetPolicyVersion", e))?;
        Ok(Value::Map(obj([
            ("arn", Value::from(policy.arn.as_str())),
            ("attachment_count", Value::from(policy.attachment_count)),
            (
                "description",
                Value::from(policy.description.clone().unwrap_or_default()),
            ),
            ("id", Value::from(policy.arn.as_str())),
            ("name", Value::from(policy.name.as_str())),
            ("path", Value::from(policy.path.as_str())),
            (
                "path_prefix",
                config.get("path_prefix").cloned().unwrap_or(Value::Null),
            ),
            ("policy", Value::from(decode_policy_text(&doc))),
            ("policy_id", Value::from(policy.policy_id.as_str())),
            ("tags", string_map_value(&policy.tags)),
        ])))
    }
}
