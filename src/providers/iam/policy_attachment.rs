//! `aws_iam_policy_attachment`: the EXCLUSIVE attachment of one managed policy to sets of
//! users, roles and groups. Id = `name`. A read lists every principal the policy is attached to
//! (ListEntitiesForPolicy), so attachments made elsewhere show as drift and the next apply
//! detaches them, as in the AWS provider. A policy attached to nobody reads as gone. Not
//! importable (the AWS provider has no importer).

use super::api::{IamApi, PolicyEntities, Principal};
use super::with_propagation_retry;
use crate::config::value::{Map, Value};
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::planning::{diff, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

const SPECS: &[AttrSpec] = &[
    AttrSpec::config("groups"),
    AttrSpec::computed("id"),
    AttrSpec::config("name").force_new(),
    AttrSpec::config("policy_arn").force_new(),
    AttrSpec::config("roles"),
    AttrSpec::config("users"),
];

/// The principal sets: attribute, kind, attach and detach operation names.
const KINDS: &[(&str, Principal, &str, &str)] = &[
    (
        "users",
        Principal::User,
        "AttachUserPolicy",
        "DetachUserPolicy",
    ),
    (
        "roles",
        Principal::Role,
        "AttachRolePolicy",
        "DetachRolePolicy",
    ),
    (
        "groups",
        Principal::Group,
        "AttachGroupPolicy",
        "DetachGroupPolicy",
    ),
];

fn set_of(v: &Value, k: &str) -> BTreeSet<String> {
    strings(v, k).into_iter().collect()
}

/// The principal sets compare as sets (null = empty).
fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out: Map = m.clone();
    for (k, ..) in KINDS {
        if !m.get(*k).is_some_and(Value::is_unknown) {
            out.insert(k.to_string(), string_set(set_of(v, k)));
        }
    }
    Value::Map(out)
}

fn value(name: &str, arn: &str, e: &PolicyEntities) -> Value {
    Value::Map(obj([
        ("groups", string_set(e.groups.clone())),
        ("id", Value::from(name)),
        ("name", Value::from(name)),
        ("policy_arn", Value::from(arn)),
        ("roles", string_set(e.roles.clone())),
        ("users", string_set(e.users.clone())),
    ]))
}

fn entities_of(v: &Value, kind: Principal) -> BTreeSet<String> {
    let k = KINDS
        .iter()
        .find(|(_, p, ..)| *p == kind)
        .map(|(k, ..)| *k)
        .unwrap_or("users");
    set_of(v, k)
}

/// The exclusive policy attachment resource.
pub struct PolicyAttachmentResource {
    api: Arc<dyn IamApi>,
}

impl PolicyAttachmentResource {
    /// Over an IAM API.
    pub fn new(api: Arc<dyn IamApi>) -> PolicyAttachmentResource {
        PolicyAttachmentResource { api }
    }

    async fn fetch(
        &self,
        ctx: &Ctx,
        name: &str,
        arn: &str,
    ) -> Result<Option<Value>, ProviderError> {
        let e = match self.api.list_entities_for_policy(arn).await {
            Ok(e) => e,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(ctx.api("ListEntitiesForPolicy", e)),
        };
        if e.users.is_empty() && e.roles.is_empty() && e.groups.is_empty() {
            return Ok(None);
        }
        Ok(Some(value(name, arn, &e)))
    }

    /// Detaches what `prior` has and `planned` does not, then attaches what is new.
    async fn sync(
        &self,
        ctx: &Ctx,
        arn: &str,
        prior: Option<&Value>,
        planned: &Value,
    ) -> Result<(), ProviderError> {
        for (k, kind, attach, detach) in KINDS {
            if planned.get(k).is_some_and(Value::is_unknown) {
                continue;
            }
            let have = prior.map(|p| set_of(p, k)).unwrap_or_default();
            let want = set_of(planned, k);
            for name in have.difference(&want) {
                self.api
                    .detach_policy(*kind, name, arn)
                    .await
                    .map_err(|e| ctx.api(detach, e))?;
            }
            for name in want.difference(&have) {
                with_propagation_retry(ctx, attach, || self.api.attach_policy(*kind, name, arn))
                    .await?;
            }
        }
        Ok(())
    }
}

#[async_trait]
impl ResourceProvider for PolicyAttachmentResource {
    fn type_name(&self) -> &'static str {
        "aws_iam_policy_attachment"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &BTreeMap::new(), &normalize);
        if let (Value::Map(m), Some(name)) = (&mut d.planned, str_of(desired, "name")) {
            m.insert("id".into(), Value::from(name));
        }
        let mut ops = Vec::new();
        match prior {
            None => {
                for (k, _, attach, _) in KINDS {
                    if !is_empty(desired.get(k)) {
                        ops.push(ApiOp::with_fields(attach, [k.to_string()]));
                    }
                }
            }
            Some(p) if !d.replace.is_empty() => {
                for (k, _, _, detach) in KINDS {
                    if !set_of(p, k).is_empty() {
                        ops.push(ApiOp::with_fields(detach, [k.to_string()]));
                    }
                }
                for (k, _, attach, _) in KINDS {
                    if !is_empty(desired.get(k)) {
                        ops.push(ApiOp::with_fields(attach, [k.to_string()]));
                    }
                }
            }
            Some(p) => {
                for (k, _, _, detach) in KINDS {
                    if d.has(k)
                        && set_of(p, k)
                            .difference(&set_of(&d.planned, k))
                            .next()
                            .is_some()
                    {
                        ops.push(ApiOp::with_fields(detach, [k.to_string()]));
                    }
                }
                for (k, _, attach, _) in KINDS {
                    if d.has(k)
                        && (d.planned.get(k).is_some_and(Value::is_unknown)
                            || set_of(&d.planned, k)
                                .difference(&set_of(p, k))
                                .next()
                                .is_some())
                    {
                        ops.push(ApiOp::with_fields(attach, [k.to_string()]));
                    }
                }
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
        let name = str_of(prior, "name")
            .or_else(|| str_of(prior, "id"))
            .ok_or_else(|| ctx.invalid("no name in prior state"))?;
        let arn = str_of(prior, "policy_arn")
            .ok_or_else(|| ctx.invalid("no policy_arn in prior state"))?;
        self.fetch(ctx, name, arn).await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let name = str_of(planned, "name").ok_or_else(|| ctx.invalid("name is required"))?;
        let arn =
            str_of(planned, "policy_arn").ok_or_else(|| ctx.invalid("policy_arn is required"))?;
        if KINDS.iter().all(|(k, ..)| is_empty(planned.get(k))) {
            return Err(ctx.invalid("at least one of users, roles or groups must be set"));
        }
        // Exclusive: whatever else holds the policy is detached, as on every apply.
        let live = self
            .api
            .list_entities_for_policy(arn)
            .await
            .map_err(|e| ctx.api("ListEntitiesForPolicy", e))?;
        let prior = value(name, arn, &live);
        self.sync(ctx, arn, Some(&prior), planned).await?;
        self.fetch(ctx, name, arn)
            .await?
            .ok_or_else(|| ctx.invalid(format!("policy {arn} is attached to nothing after create")))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let name = str_of(planned, "name")
            .or_else(|| str_of(prior, "name"))
            .ok_or_else(|| ctx.invalid("no name"))?;
        let arn = str_of(prior, "policy_arn")
            .ok_or_else(|| ctx.invalid("no policy_arn in prior state"))?;
        self.sync(ctx, arn, Some(prior), planned).await?;
        // A planned value that removes every principal leaves nothing to read back.
        Ok(self
            .fetch(ctx, name, arn)
            .await?
            .unwrap_or_else(|| value(name, arn, &PolicyEntities::default())))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let arn = str_of(prior, "policy_arn")
            .ok_or_else(|| ctx.invalid("no policy_arn in prior state"))?;
        for (_, kind, _, detach) in KINDS {
            for name in entities_of(prior, *kind) {
                self.api
                    .detach_policy(*kind, &name, arn)
                    .await
                    .map_err(|e| ctx.api(detach, e))?;
            }
        }
        Ok(())
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let (Some(name), Some(arn)) = (str_of(planned, "name"), str_of(planned, "policy_arn"))
        else {
            return Ok(None);
        };
        let Some(live) = self.fetch(ctx, name, arn).await? else {
            return Ok(Some(vec![]));
        };
        // An interrupted create attached at least one of the planned principals.
        let ours = KINDS.iter().any(|(k, ..)| {
            set_of(planned, k)
                .intersection(&set_of(&live, k))
                .next()
                .is_some()
        });
        Ok(Some(if ours { vec![live] } else { vec![] }))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        Err(ctx.invalid(format!(
            "aws_iam_policy_attachment cannot be imported (as in the AWS provider); {id:?} was given"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prior() -> Value {
        Value::map([
            ("groups", Value::set(vec![])),
            ("id", Value::from("att")),
            ("name", Value::from("att")),
            ("policy_arn", Value::from("arn:aws:iam::1:policy/p")),
            ("roles", string_set(["r1", "stranger"])),
            ("users", Value::set(vec![])),
        ])
    }

    #[test]
    fn principals_attached_elsewhere_are_detached() {
        let r = PolicyAttachmentResource::new(Arc::new(super::super::sdk::tests_api()));
        let want = Value::map([
            ("name", Value::from("att")),
            ("policy_arn", Value::from("arn:aws:iam::1:policy/p")),
            ("roles", Value::List(vec![Value::from("r1")])),
            ("users", Value::List(vec![Value::from("u1")])),
        ]);
        let p = r.plan(Some(&prior()), &want);
        assert!(p.requires_replace.is_empty());
        assert_eq!(
            p.api_ops,
            vec![
                ApiOp::with_fields("DetachRolePolicy", ["roles".to_string()]),
                ApiOp::with_fields("AttachUserPolicy", ["users".to_string()]),
            ]
        );
        assert_eq!(p.planned.get("id"), Some(&Value::from("att")));
        // Order and null-vs-empty do not matter.
        let same = Value::map([
            ("name", Value::from("att")),
            ("policy_arn", Value::from("arn:aws:iam::1:policy/p")),
            (
                "roles",
                Value::List(vec![Value::from("stranger"), Value::from("r1")]),
            ),
        ]);
        assert!(r.plan(Some(&prior()), &same).changed_paths.is_empty());
    }
}
