//! `aws_iam_role`. Id = name. `inline_policy` and `managed_policy_arns` are managed
//! exclusively only when configured (Optional + Computed otherwise). Delete detaches managed
//! policies and deletes inline policies first, as IAM requires.

use super::api::{IamApi, NewRole, Role};
use super::{create_or_adopt, with_propagation_retry};
use crate::config::value::{Map, Value};
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::normalize::tags::tag_changes;
use crate::providers::normalize::{canonical_policy, merge_tags, policy_for_state, tags_from_live};
use crate::providers::planning::{diff, tag_ops, unique_name, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

fn slash() -> Value {
    Value::from("/")
}
fn hour() -> Value {
    Value::from(3600i64)
}
fn no() -> Value {
    Value::Bool(false)
}

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("create_date"),
    AttrSpec::computed("unique_id"),
    AttrSpec::computed("id"),
    AttrSpec::config("assume_role_policy"),
    AttrSpec::config("description"),
    AttrSpec::config("force_detach_policies").default(no),
    AttrSpec::optional_computed("inline_policy").block(),
    AttrSpec::optional_computed("managed_policy_arns"),
    AttrSpec::config("max_session_duration").default(hour),
    AttrSpec::optional_computed("name").force_new(),
    AttrSpec::optional_computed("name_prefix").force_new(),
    AttrSpec::config("path").default(slash).force_new(),
    AttrSpec::config("permissions_boundary"),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
];

/// The role resource.
pub struct RoleResource {
    api: Arc<dyn IamApi>,
    default_tags: BTreeMap<String, String>,
}

impl RoleResource {
    /// Over an IAM API.
    pub fn new(api: Arc<dyn IamApi>, default_tags: BTreeMap<String, String>) -> RoleResource {
        RoleResource { api, default_tags }
    }

    async fn to_value(
        &self,
        ctx: &Ctx,
        role: &Role,
        prior: Option<&Value>,
    ) -> Result<Value, ProviderError> {
        let inline_names = self
            .api
            .list_role_policies(&role.name)
            .await
            .map_err(|e| ctx.api("ListRolePolicies", e))?;
        let prior_inline: BTreeMap<String, String> = prior
            .map(|p| {
                items(p, "inline_policy")
                    .iter()
                    .filter_map(|i| {
                        Some((
                            str_of(i, "name")?.to_string(),
                            str_of(i, "policy")?.to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut inline = Vec::new();
        for n in inline_names {
            if let Some(doc) = self
                .api
                .get_role_policy(&role.name, &n)
                .await
                .map_err(|e| ctx.api("GetRolePolicy", e))?
            {
                inline.push(Value::Map(obj([
                    ("name", Value::from(n.as_str())),
                    (
                        "policy",
                        Value::from(policy_for_state(
                            &doc,
                            prior_inline.get(&n).map(String::as_str),
                        )),
                    ),
                ])));
            }
        }
        let attached = self
            .api
            .list_attached_role_policies(&role.name)
            .await
            .map_err(|e| ctx.api("ListAttachedRolePolicies", e))?;
        let prior_tags = prior.map(|p| string_map(p, "tags")).unwrap_or_default();
        let tags = tags_from_live(&role.tags, &self.default_tags, &prior_tags);
        let keep = |k: &str| prior.and_then(|p| p.get(k)).cloned().map(known);
        Ok(Value::Map(obj([
            ("arn", Value::from(role.arn.as_str())),
            (
                "assume_role_policy",
                Value::from(policy_for_state(
                    &role.assume_role_policy,
                    prior.and_then(|p| str_of(p, "assume_role_policy")),
                )),
            ),
            ("create_date", Value::from(role.create_date.as_str())),
            (
                "description",
                opt_str(role.description.clone().filter(|d| !d.is_empty())),
            ),
            (
                "force_detach_policies",
                keep("force_detach_policies")
                    .filter(|v| !v.is_null())
                    .unwrap_or(Value::Bool(false)),
            ),
            ("id", Value::from(role.name.as_str())),
            ("inline_policy", Value::set(inline)),
            ("managed_policy_arns", string_set(attached)),
            (
                "max_session_duration",
                Value::from(i64::from(role.max_session_duration.unwrap_or(3600))),
            ),
            ("name", Value::from(role.name.as_str())),
            ("name_prefix", keep("name_prefix").unwrap_or(Value::Null)),
            ("path", Value::from(role.path.as_str())),
            (
                "permissions_boundary",
                opt_str(role.permissions_boundary.clone()),
            ),
            (
                "tags",
                if tags.is_empty()
                    && prior
                        .map(|p| p.get("tags").map(Value::is_null).unwrap_or(true))
                        .unwrap_or(true)
                {
                    Value::Null
                } else {
                    string_map_value(&tags)
                },
            ),
            ("tags_all", string_map_value(&role.tags)),
            ("unique_id", Value::from(role.role_id.as_str())),
        ])))
    }

    async fn sync_inline(
        &self,
        ctx: &Ctx,
        role: &str,
        prior: Option<&Value>,
        planned: &Value,
    ) -> Result<(), ProviderError> {
        let want = inline_map(planned);
        let have = prior.map(inline_map).unwrap_or_default();
        for (n, doc) in &want {
            if have.get(n).map(|h| !same_policy(h, doc)).unwrap_or(true) {
                let (r, n, d) = (role.to_string(), n.clone(), doc.clone());
                with_propagation_retry(ctx, "PutRolePolicy", || {
                    self.api.put_role_policy(&r, &n, &d)
                })
                .await?;
            }
        }
        for n in have.keys().filter(|n| !want.contains_key(*n)) {
            self.api
                .delete_role_policy(role, n)
                .await
                .map_err(|e| ctx.api("DeleteRolePolicy", e))?;
        }
        Ok(())
    }

    async fn sync_managed(
        &self,
        ctx: &Ctx,
        role: &str,
        prior: Option<&Value>,
        planned: &Value,
    ) -> Result<(), ProviderError> {
        let want: BTreeSet<String> = strings(planned, "managed_policy_arns")
            .into_iter()
            .collect();
        let have: BTreeSet<String> = prior
            .map(|p| strings(p, "managed_policy_arns"))
            .unwrap_or_default()
            .into_iter()
            .collect();
        for arn in want.difference(&have) {
            with_propagation_retry(ctx, "AttachRolePolicy", || {
                self.api.attach_role_policy(role, arn)
            })
            .await?;
        }
        for arn in have.difference(&want) {
            self.api
                .detach_role_policy(role, arn)
                .await
                .map_err(|e| ctx.api("DetachRolePolicy", e))?;
        }
        Ok(())
    }
}

fn inline_map(v: &Value) -> BTreeMap<String, String> {
    items(v, "inline_policy")
        .iter()
        .filter_map(|i| {
            Some((
                str_of(i, "name")?.to_string(),
                str_of(i, "policy")?.to_string(),
            ))
        })
        .collect()
}

fn same_policy(a: &str, b: &str) -> bool {
    crate::providers::normalize::policies_equivalent(a, b)
}

/// Canonical form of a role for comparison.
pub fn normalize_role(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out: Map = m.clone();
    if let Some(Value::String(doc)) = m.get("assume_role_policy") {
        out.insert(
            "assume_role_policy".into(),
            Value::String(canonical_policy(doc).unwrap_or_else(|| doc.clone())),
        );
    }
    if let Some(items) = m.get("inline_policy").and_then(Value::as_list) {
        out.insert(
            "inline_policy".into(),
            Value::set(
                items
                    .iter()
                    .map(|i| {
                        let doc = str_of(i, "policy").unwrap_or_default();
                        Value::Map(obj([
                            ("name", opt_str(str_of(i, "name"))),
                            (
                                "policy",
                                Value::String(
                                    canonical_policy(doc).unwrap_or_else(|| doc.to_string()),
                                ),
                            ),
                        ]))
                    })
                    .collect(),
            ),
        );
    }
    if let Some(l) = m.get("managed_policy_arns").and_then(Value::as_list) {
        out.insert("managed_policy_arns".into(), Value::set(l.to_vec()));
    }
    out.entry("path".into())
        .and_modify(|p| {
            if p.is_null() {
                *p = slash()
            }
        })
        .or_insert_with(slash);
    out.entry("max_session_duration".into())
        .and_modify(|p| {
            if p.is_null() {
                *p = hour()
            }
        })
        .or_insert_with(hour);
    Value::Map(out)
}

#[async_trait]
impl ResourceProvider for RoleResource {
    fn type_name(&self) -> &'static str {
        "aws_iam_role"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize_role(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &self.default_tags, &normalize_role);
        if prior.is_none() {
            // The name is known at plan time when given.
            if let (Value::Map(m), Some(n)) = (&mut d.planned, str_of(desired, "name")) {
                m.insert("id".into(), Value::from(n));
            }
        }
        let mut ops = Vec::new();
        match prior {
            None => {
                ops.push(ApiOp::call("CreateRole"));
                if !items(desired, "inline_policy").is_empty() {
                    ops.push(ApiOp::call("PutRolePolicy"));
                }
                if !items(desired, "managed_policy_arns").is_empty() {
                    ops.push(ApiOp::call("AttachRolePolicy"));
                }
            }
            Some(_) if !d.replace.is_empty() => {
                ops.push(ApiOp::call("DeleteRole"));
                ops.push(ApiOp::call("CreateRole"));
            }
            Some(p) => {
                if d.has("assume_role_policy") {
                    ops.push(ApiOp::with_fields(
                        "UpdateAssumeRolePolicy",
                        ["assume_role_policy".to_string()],
                    ));
                }
                let f: Vec<String> = ["description", "max_session_duration"]
                    .iter()
                    .filter(|f| d.has(f))
                    .map(|f| f.to_string())
                    .collect();
                if !f.is_empty() {
                    ops.push(ApiOp::with_fields("UpdateRole", f));
                }
                if d.has("permissions_boundary") {
                    ops.push(ApiOp::call(
                        if str_of(&d.planned, "permissions_boundary").is_some() {
                            "PutRolePermissionsBoundary"
                        } else {
                            "DeleteRolePermissionsBoundary"
                        },
                    ));
                }
                if d.has("inline_policy") {
                    ops.push(ApiOp::with_fields(
                        "PutRolePolicy",
                        ["inline_policy".to_string()],
                    ));
                }
                if d.has("managed_policy_arns") {
                    ops.push(ApiOp::with_fields(
                        "AttachRolePolicy",
                        ["managed_policy_arns".to_string()],
                    ));
                }
                ops.extend(tag_ops(p, &d.planned, "TagRole", "UntagRole"));
            }
        }
        PlannedChange {
            changed_paths: d.changed_paths(),
            requires_replace: d.replace_paths(),
            planned: d.planned,
            api_ops: ops,
        }
    }

    async fn read(&self, ctx: &Ctx, prior: &Value) -> Result<Option<Value>, ProviderError> {
        let name = str_of(prior, "id")
            .or_else(|| str_of(prior, "name"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        match self
            .api
            .get_role(name)
            .await
            .map_err(|e| ctx.api("GetRole", e))?
        {
            None => Ok(None),
            Some(r) => Ok(Some(self.to_value(ctx, &r, Some(prior)).await?)),
        }
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let name = str_of(planned, "name")
            .map(str::to_string)
            .unwrap_or_else(|| unique_name(str_of(planned, "name_prefix")));
        let doc = str_of(planned, "assume_role_policy")
            .ok_or_else(|| ctx.invalid("assume_role_policy is required"))?;
        let new = NewRole {
            name: name.clone(),
            path: str_of(planned, "path").unwrap_or("/").to_string(),
            assume_role_policy: doc.to_string(),
            description: str_of(planned, "description").map(str::to_string),
            max_session_duration: int_of(planned, "max_session_duration").map(|n| n as i32),
            permissions_boundary: str_of(planned, "permissions_boundary").map(str::to_string),
            tags: merge_tags(&self.default_tags, &string_map(planned, "tags")),
        };
        let role = create_or_adopt(
            ctx,
            "CreateRole",
            || self.api.create_role(&new),
            || self.api.get_role(&name),
        )
        .await?;
        let partial = {
            let mut p = planned.clone();
            if let Value::Map(m) = &mut p {
                m.insert("id".into(), Value::from(name.as_str()));
                m.insert("name".into(), Value::from(name.as_str()));
                m.insert("arn".into(), Value::from(role.arn.as_str()));
            }
            p
        };
        self.sync_inline(ctx, &name, None, planned)
            .await
            .map_err(|e| e.with_partial(partial.clone()))?;
        self.sync_managed(ctx, &name, None, planned)
            .await
            .map_err(|e| e.with_partial(partial.clone()))?;
        self.to_value(ctx, &role, Some(planned)).await
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let name = str_of(prior, "id")
            .or_else(|| str_of(prior, "name"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?
            .to_string();
        let n = normalize_role(prior);
        let p = normalize_role(planned);
        let changed = |k: &str| {
            !crate::providers::planning::same(
                n.get(k).unwrap_or(&Value::Null),
                p.get(k).unwrap_or(&Value::Null),
            )
        };
        if changed("assume_role_policy") {
            let doc = str_of(planned, "assume_role_policy")
                .unwrap_or_default()
                .to_string();
            with_propagation_retry(ctx, "UpdateAssumeRolePolicy", || {
                self.api.update_assume_role_policy(&name, &doc)
            })
            .await?;
        }
        if changed("description") || changed("max_session_duration") {
            self.api
                .update_role(
                    &name,
                    str_of(planned, "description"),
                    int_of(planned, "max_session_duration").map(|n| n as i32),
                )
                .await
                .map_err(|e| ctx.api("UpdateRole", e))?;
        }
        if changed("permissions_boundary") {
            self.api
                .set_permissions_boundary(&name, str_of(planned, "permissions_boundary"))
                .await
                .map_err(|e| ctx.api("PutRolePermissionsBoundary", e))?;
        }
        if changed("inline_policy")
            && !planned
                .get("inline_policy")
                .map(Value::is_unknown)
                .unwrap_or(false)
        {
            self.sync_inline(ctx, &name, Some(prior), planned).await?;
        }
        if changed("managed_policy_arns")
            && !planned
                .get("managed_policy_arns")
                .map(Value::is_unknown)
                .unwrap_or(false)
        {
            self.sync_managed(ctx, &name, Some(prior), planned).await?;
        }
        let role = self
            .api
            .get_role(&name)
            .await
            .map_err(|e| ctx.api("GetRole", e))?
            .ok_or_else(|| ctx.invalid(format!("role {name} no longer exists")))?;
        let want = merge_tags(&self.default_tags, &string_map(planned, "tags"));
        let (set, remove) = tag_changes(&role.tags, &want);
        if !set.is_empty() {
            self.api
                .tag_role(&name, &set)
                .await
                .map_err(|e| ctx.api("TagRole", e))?;
        }
        if !remove.is_empty() {
            self.api
                .untag_role(&name, &remove)
                .await
                .map_err(|e| ctx.api("UntagRole", e))?;
        }
        let role = self
            .api
            .get_role(&name)
            .await
            .map_err(|e| ctx.api("GetRole", e))?
            .ok_or_else(|| ctx.invalid(format!("role {name} no longer exists")))?;
        self.to_value(ctx, &role, Some(planned)).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = str_of(prior, "id")
            .or_else(|| str_of(prior, "name"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        if self
            .api
            .get_role(name)
            .await
            .map_err(|e| ctx.api("GetRole", e))?
            .is_none()
        {
            return Ok(());
        }
        // IAM refuses to delete a role with policies: detach and delete them first.
        for arn in self
            .api
            .list_attached_role_policies(name)
            .await
            .map_err(|e| ctx.api("ListAttachedRolePolicies", e))?
        {
            self.api
                .detach_role_policy(name, &arn)
                .await
                .map_err(|e| ctx.api("DetachRolePolicy", e))?;
        }
        for p in self
            .api
            .list_role_policies(name)
            .await
            .map_err(|e| ctx.api("ListRolePolicies", e))?
        {
            self.api
                .delete_role_policy(name, &p)
                .await
                .map_err(|e| ctx.api("DeleteRolePolicy", e))?;
        }
        self.api
            .delete_role(name)
            .await
            .map_err(|e| ctx.api("DeleteRole", e))
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        match str_of(planned, "name") {
            Some(name) => Ok(Some(self.import(ctx, name).await?.into_iter().collect())),
            None => Ok(None),
        }
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        match self
            .api
            .get_role(id)
            .await
            .map_err(|e| ctx.api("GetRole", e))?
        {
            None => Ok(None),
            Some(r) => Ok(Some(self.to_value(ctx, &r, None).await?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalent_trust_policies_do_not_diff() {
        let a = Value::map([(
            "assume_role_policy",
            Value::from(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"emr-serverless.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
            ),
        )]);
        let b = Value::map([(
            "assume_role_policy",
            Value::from(
                r#"{"Statement":{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":{"Service":"emr-serverless.amazonaws.com"}},"Version":"2012-10-17"}"#,
            ),
        )]);
        assert_eq!(normalize_role(&a), normalize_role(&b));
    }
}
