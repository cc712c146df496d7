//! `aws_iam_role_policy_attachment`. Id = `role-<unique suffix>` as the AWS provider makes it;
//! import id = `role/policy_arn`. Attaching retries while a new policy or role propagates.

use super::api::IamApi;
use super::with_propagation_retry;
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::planning::{diff, unique_name, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("id"),
    AttrSpec::config("policy_arn").force_new(),
    AttrSpec::config("role").force_new(),
];

/// The attachment resource.
pub struct AttachmentResource {
    api: Arc<dyn IamApi>,
}

impl AttachmentResource {
    /// Over an IAM API.
    pub fn new(api: Arc<dyn IamApi>) -> AttachmentResource {
        AttachmentResource { api }
    }

    async fn attached(&self, ctx: &Ctx, role: &str, arn: &str) -> Result<bool, ProviderError> {
        match self.api.list_attached_role_policies(role).await {
            Ok(l) => Ok(l.iter().any(|a| a == arn)),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(ctx.api("ListAttachedRolePolicies", e)),
        }
    }
}

fn value(id: &str, role: &str, arn: &str) -> Value {
    Value::Map(obj([
        ("id", Value::from(id)),
        ("policy_arn", Value::from(arn)),
        ("role", Value::from(role)),
    ]))
}

#[async_trait]
impl ResourceProvider for AttachmentResource {
    fn type_name(&self) -> &'static str {
        "aws_iam_role_policy_attachment"
    }

    fn normalize(&self, v: &Value) -> Value {
        v.clone()
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let d = diff(SPECS, prior, desired, &BTreeMap::new(), &|v: &Value| {
            v.clone()
        });
        let ops = match prior {
            None => vec![ApiOp::call("AttachRolePolicy")],
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DetachRolePolicy"),
                ApiOp::call("AttachRolePolicy"),
            ],
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
        let role = str_of(prior, "role").ok_or_else(|| ctx.invalid("no role in prior state"))?;
        let arn = str_of(prior, "policy_arn")
            .ok_or_else(|| ctx.invalid("no policy_arn in prior state"))?;
        let id = str_of(prior, "id").unwrap_or(role);
        Ok(self
            .attached(ctx, role, arn)
            .await?
            .then(|| value(id, role, arn)))
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let role = str_of(planned, "role").ok_or_else(|| ctx.invalid("role is required"))?;
        let arn =
            str_of(planned, "policy_arn").ok_or_else(|| ctx.invalid("policy_arn is required"))?;
        with_propagation_retry(ctx, "AttachRolePolicy", || {
            self.api.attach_role_policy(role, arn)
        })
        .await?;
        Ok(value(&unique_name(Some(&format!("{role}-"))), role, arn))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        _planned: &Value,
    ) -> Result<Value, ProviderError> {
        // Every argument forces replacement; nothing to update in place.
        self.read(ctx, prior)
            .await?
            .ok_or_else(|| ctx.invalid("attachment no longer exists"))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let role = str_of(prior, "role").ok_or_else(|| ctx.invalid("no role in prior state"))?;
        let arn = str_of(prior, "policy_arn")
            .ok_or_else(|| ctx.invalid("no policy_arn in prior state"))?;
        self.api
            .detach_role_policy(role, arn)
            .await
            .map_err(|e| ctx.api("DetachRolePolicy", e))
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        match (str_of(planned, "role"), str_of(planned, "policy_arn")) {
            (Some(role), Some(arn)) => Ok(Some(
                self.import(ctx, &format!("{role}/{arn}"))
                    .await?
                    .into_iter()
                    .collect(),
            )),
            _ => Ok(None),
        }
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        let (role, arn) = id
            .split_once('/')
            .filter(|(r, a)| !r.is_empty() && a.starts_with("arn:"))
            .ok_or_else(|| ctx.invalid(format!("import id {id:?} is not ROLE/POLICY_ARN")))?;
        Ok(self
            .attached(ctx, role, arn)
            .await?
            .then(|| value(&unique_name(Some(&format!("{role}-"))), role, arn)))
    }
}
