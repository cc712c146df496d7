//! `aws_iam_role_policy`: an inline policy of a role. Id = `role:name` (also the import id).
//! Create and update are the same PutRolePolicy call, retried while IAM propagates.

use super::api::IamApi;
use super::with_propagation_retry;
use crate::config::value::{Map, Value};
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::normalize::{canonical_policy, policy_for_state};
use crate::providers::planning::{diff, unique_name, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("id"),
    AttrSpec::optional_computed("name").force_new(),
    AttrSpec::optional_computed("name_prefix").force_new(),
    AttrSpec::config("policy"),
    AttrSpec::config("role").force_new(),
];

/// The inline role policy resource.
pub struct RolePolicyResource {
    api: Arc<dyn IamApi>,
}

impl RolePolicyResource {
    /// Over an IAM API.
    pub fn new(api: Arc<dyn IamApi>) -> RolePolicyResource {
        RolePolicyResource { api }
    }

    async fn fetch(
        &self,
        ctx: &Ctx,
        role: &str,
        name: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let doc = match self.api.get_role_policy(role, name).await {
            Ok(d) => d,
            Err(e) => return Err(ctx.api("GetRolePolicy", e)),
        };
        Ok(doc.map(|d| {
            Value::Map(obj([
                ("id", Value::from(format!("{role}:{name}"))),
                ("name", Value::from(name)),
                (
                    "name_prefix",
                    prior
                        .and_then(|p| p.get("name_prefix"))
                        .cloned()
                        .map(known)
                        .unwrap_or(Value::Null),
                ),
                (
                    "policy",
                    Value::from(policy_for_state(
                        &d,
                        prior.and_then(|p| str_of(p, "policy")),
                    )),
                ),
                ("role", Value::from(role)),
            ]))
        }))
    }
}

fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out: Map = m.clone();
    if let Some(Value::String(doc)) = m.get("policy") {
        out.insert(
            "policy".into(),
            Value::String(canonical_policy(doc).unwrap_or_else(|| doc.clone())),
        );
    }
    Value::Map(out)
}

fn split_id(id: &str) -> Option<(&str, &str)> {
    id.split_once(':')
        .filter(|(r, n)| !r.is_empty() && !n.is_empty())
}

#[async_trait]
impl ResourceProvider for RolePolicyResource {
    fn type_name(&self) -> &'static str {
        "aws_iam_role_policy"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &BTreeMap::new(), &normalize);
        if prior.is_none() {
            if let (Value::Map(m), Some(r), Some(n)) = (
                &mut d.planned,
                str_of(desired, "role"),
                str_of(desired, "name"),
            ) {
                m.insert("id".into(), Value::from(format!("{r}:{n}")));
            }
        }
        let ops = match prior {
            None => vec![ApiOp::call("PutRolePolicy")],
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DeleteRolePolicy"),
                ApiOp::call("PutRolePolicy"),
            ],
            Some(_) if d.has("policy") => {
                vec![ApiOp::with_fields("PutRolePolicy", ["policy".to_string()])]
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
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let (role, name) =
            split_id(id).ok_or_else(|| ctx.invalid(format!("id {id:?} is not ROLE:NAME")))?;
        self.fetch(ctx, role, name, Some(prior)).await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let role = str_of(planned, "role").ok_or_else(|| ctx.invalid("role is required"))?;
        let name = str_of(planned, "name")
            .map(str::to_string)
            .unwrap_or_else(|| unique_name(str_of(planned, "name_prefix")));
        let doc = str_of(planned, "policy").ok_or_else(|| ctx.invalid("policy is required"))?;
        with_propagation_retry(ctx, "PutRolePolicy", || {
            self.api.put_role_policy(role, &name, doc)
        })
        .await?;
        self.fetch(ctx, role, &name, Some(planned))
            .await?
            .ok_or_else(|| {
                ctx.invalid(format!(
                    "inline policy {role}:{name} vanished after PutRolePolicy"
                ))
            })
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let (role, name) =
            split_id(id).ok_or_else(|| ctx.invalid(format!("id {id:?} is not ROLE:NAME")))?;
        let doc = str_of(planned, "policy").ok_or_else(|| ctx.invalid("policy is required"))?;
        with_propagation_retry(ctx, "PutRolePolicy", || {
            self.api.put_role_policy(role, name, doc)
        })
        .await?;
        self.fetch(ctx, role, name, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("inline policy {id} vanished after PutRolePolicy")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let (role, name) =
            split_id(id).ok_or_else(|| ctx.invalid(format!("id {id:?} is not ROLE:NAME")))?;
        self.api
            .delete_role_policy(role, name)
            .await
            .map_err(|e| ctx.api("DeleteRolePolicy", e))
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        match (str_of(planned, "role"), str_of(planned, "name")) {
            (Some(role), Some(name)) => Ok(Some(
                self.fetch(ctx, role, name, None)
                    .await?
                    .into_iter()
                    .collect(),
            )),
            _ => Ok(None),
        }
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        let (role, name) = split_id(id)
            .ok_or_else(|| ctx.invalid(format!("import id {id:?} is not ROLE:NAME")))?;
        self.fetch(ctx, role, name, None).await
    }
}
