//! `aws_iam_instance_profile`. Id = name (also the import id). `role` changes in place
//! (RemoveRoleFromInstanceProfile, then AddRoleToInstanceProfile, retried while a new role
//! propagates); name, prefix and path force replacement. Delete removes the role first, as IAM
//! requires.

use super::api::{IamApi, InstanceProfile};
use super::create_or_adopt;
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::normalize::tags::tag_changes;
use crate::providers::normalize::{merge_tags, tags_from_live};
use crate::providers::planning::{diff, tag_ops, unique_name, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;

fn slash() -> Value {
    Value::from("/")
}

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("create_date"),
    AttrSpec::computed("id"),
    AttrSpec::optional_computed("name").force_new(),
    AttrSpec::optional_computed("name_prefix").force_new(),
    AttrSpec::config("path").default(slash).force_new(),
    AttrSpec::config("role"),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
    AttrSpec::computed("unique_id"),
];

/// The instance profile resource.
pub struct InstanceProfileResource {
    api: Arc<dyn IamApi>,
    default_tags: BTreeMap<String, String>,
}

impl InstanceProfileResource {
    /// Over an IAM API.
    pub fn new(
        api: Arc<dyn IamApi>,
        default_tags: BTreeMap<String, String>,
    ) -> InstanceProfileResource {
        InstanceProfileResource { api, default_tags }
    }

    fn value(&self, p: &InstanceProfile, prior: Option<&Value>) -> Value {
        let prior_tags = prior.map(|p| string_map(p, "tags")).unwrap_or_default();
        let tags = tags_from_live(&p.tags, &self.default_tags, &prior_tags);
        let prior_null = prior
            .map(|p| p.get("tags").map(Value::is_null).unwrap_or(true))
            .unwrap_or(true);
        Value::Map(obj([
            ("arn", Value::from(p.arn.as_str())),
            ("create_date", Value::from(p.create_date.as_str())),
            ("id", Value::from(p.name.as_str())),
            ("name", Value::from(p.name.as_str())),
            (
                "name_prefix",
                prior
                    .and_then(|x| x.get("name_prefix"))
                    .cloned()
                    .map(known)
                    .unwrap_or(Value::Null),
            ),
            ("path", Value::from(p.path.as_str())),
            ("role", opt_str(p.roles.first().cloned())),
            (
                "tags",
                if tags.is_empty() && prior_null {
                    Value::Null
                } else {
                    string_map_value(&tags)
                },
            ),
            ("tags_all", string_map_value(&p.tags)),
            ("unique_id", Value::from(p.id.as_str())),
        ]))
    }

    async fn get(&self, ctx: &Ctx, name: &str) -> Result<Option<InstanceProfile>, ProviderError> {
        self.api
            .get_instance_profile(name)
            .await
            .map_err(|e| ctx.api("GetInstanceProfile", e))
    }

    async fn add_role(&self, ctx: &Ctx, name: &str, role: &str) -> Result<(), ProviderError> {
        // A retried add that went through answers LimitExceeded: check the profile first.
        if self
            .get(ctx, name)
            .await?
            .is_some_and(|p| p.roles.iter().any(|r| r == role))
        {
            return Ok(());
        }
        // A role created a moment ago may not be visible to IAM yet: NoSuchEntity is retried
        // until the propagation timeout, as the AWS provider does.
        let start = std::time::Instant::now();
        loop {
            match self.api.add_role_to_instance_profile(name, role).await {
                Ok(()) => return Ok(()),
                Err(e)
                    if (e.is_not_found() || super::is_propagation_error(&e))
                        && start.elapsed() < super::PROPAGATION_TIMEOUT =>
                {
                    tokio::time::sleep(ctx.poll_interval.max(std::time::Duration::from_millis(50)))
                        .await;
                }
                Err(e) => return Err(ctx.api("AddRoleToInstanceProfile", e)),
            }
        }
    }
}

#[async_trait]
impl ResourceProvider for InstanceProfileResource {
    fn type_name(&self) -> &'static str {
        "aws_iam_instance_profile"
    }

    fn normalize(&self, v: &Value) -> Value {
        v.clone()
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &self.default_tags, &|v: &Value| {
            v.clone()
        });
        if prior.is_none() {
            if let (Value::Map(m), Some(n)) = (&mut d.planned, str_of(desired, "name")) {
                m.insert("id".into(), Value::from(n));
            }
        }
        let ops = match prior {
            None => {
                let mut ops = vec![ApiOp::call("CreateInstanceProfile")];
                if !is_empty(desired.get("role")) || desired.get("role") == Some(&Value::Unknown) {
                    ops.push(ApiOp::with_fields(
                        "AddRoleToInstanceProfile",
                        ["role".to_string()],
                    ));
                }
                ops
            }
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DeleteInstanceProfile"),
                ApiOp::call("CreateInstanceProfile"),
            ],
            Some(p) => {
                let mut ops = Vec::new();
                if d.has("role") {
                    if str_of(p, "role").is_some() {
                        ops.push(ApiOp::with_fields(
                            "RemoveRoleFromInstanceProfile",
                            ["role".to_string()],
                        ));
                    }
                    if !is_empty(d.planned.get("role"))
                        || d.planned.get("role") == Some(&Value::Unknown)
                    {
                        ops.push(ApiOp::with_fields(
                            "AddRoleToInstanceProfile",
                            ["role".to_string()],
                        ));
                    }
                }
                ops.extend(tag_ops(
                    p,
                    &d.planned,
                    "TagInstanceProfile",
                    "UntagInstanceProfile",
                ));
                ops
            }
        };
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
        Ok(self
            .get(ctx, name)
            .await?
            .map(|p| self.value(&p, Some(prior))))
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let name = str_of(planned, "name")
            .map(str::to_string)
            .unwrap_or_else(|| unique_name(str_of(planned, "name_prefix")));
        let path = str_of(planned, "path").unwrap_or("/").to_string();
        let tags = merge_tags(&self.default_tags, &string_map(planned, "tags"));
        create_or_adopt(
            ctx,
            "CreateInstanceProfile",
            || self.api.create_instance_profile(&name, &path, &tags),
            || self.api.get_instance_profile(&name),
        )
        .await?;
        let partial = Value::map([
            ("id", Value::from(name.as_str())),
            ("name", Value::from(name.as_str())),
        ]);
        if let Some(role) = str_of(planned, "role") {
            self.add_role(ctx, &name, role)
                .await
                .map_err(|e| e.with_partial(partial.clone()))?;
        }
        let p = self
            .get(ctx, &name)
            .await?
            .ok_or_else(|| ctx.invalid(format!("instance profile {name} vanished after create")))?;
        Ok(self.value(&p, Some(planned)))
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
        let old = str_of(prior, "role");
        let new = str_of(planned, "role");
        if old != new && planned.get("role") != Some(&Value::Unknown) {
            if let Some(old) = old {
                self.api
                    .remove_role_from_instance_profile(&name, old)
                    .await
                    .map_err(|e| ctx.api("RemoveRoleFromInstanceProfile", e))?;
            }
            if let Some(new) = new {
                self.add_role(ctx, &name, new).await?;
            }
        }
        let live = self
            .get(ctx, &name)
            .await?
            .ok_or_else(|| ctx.invalid(format!("instance profile {name} no longer exists")))?;
        let want = merge_tags(&self.default_tags, &string_map(planned, "tags"));
        let (set, remove) = tag_changes(&live.tags, &want);
        if !set.is_empty() {
            self.api
                .tag_instance_profile(&name, &set)
                .await
                .map_err(|e| ctx.api("TagInstanceProfile", e))?;
        }
        if !remove.is_empty() {
            self.api
                .untag_instance_profile(&name, &remove)
                .await
                .map_err(|e| ctx.api("UntagInstanceProfile", e))?;
        }
        let p = self
            .get(ctx, &name)
            .await?
            .ok_or_else(|| ctx.invalid(format!("instance profile {name} no longer exists")))?;
        Ok(self.value(&p, Some(planned)))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = str_of(prior, "id")
            .or_else(|| str_of(prior, "name"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let Some(p) = self.get(ctx, name).await? else {
            return Ok(());
        };
        for role in &p.roles {
            self.api
                .remove_role_from_instance_profile(name, role)
                .await
                .map_err(|e| ctx.api("RemoveRoleFromInstanceProfile", e))?;
        }
        self.api
            .delete_instance_profile(name)
            .await
            .map_err(|e| ctx.api("DeleteInstanceProfile", e))
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
        Ok(self.get(ctx, id).await?.map(|p| self.value(&p, None)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_new_types_cover_their_schemas() {
        let api: Arc<dyn IamApi> = Arc::new(super::super::sdk::tests_api());
        crate::providers::ec2::tests::assert_covers_schema(&InstanceProfileResource::new(
            api.clone(),
            BTreeMap::new(),
        ));
        crate::providers::ec2::tests::assert_covers_schema(
            &super::super::policy_attachment::PolicyAttachmentResource::new(api),
        );
    }

    #[test]
    fn role_changes_in_place_and_path_forces_new() {
        let r =
            InstanceProfileResource::new(Arc::new(super::super::sdk::tests_api()), BTreeMap::new());
        let prior = Value::map([
            ("arn", Value::from("arn:aws:iam::1:instance-profile/ip")),
            ("id", Value::from("ip")),
            ("name", Value::from("ip")),
            ("path", Value::from("/")),
            ("role", Value::from("a")),
            ("tags_all", Value::map::<&str>([])),
            ("unique_id", Value::from("AIPA1")),
        ]);
        let want = Value::map([("name", Value::from("ip")), ("role", Value::from("a"))]);
        assert!(r.plan(Some(&prior), &want).changed_paths.is_empty());
        let p = r.plan(
            Some(&prior),
            &Value::map([("name", Value::from("ip")), ("role", Value::from("b"))]),
        );
        assert!(p.requires_replace.is_empty());
        assert_eq!(
            p.api_ops,
            vec![
                ApiOp::with_fields("RemoveRoleFromInstanceProfile", ["role".to_string()]),
                ApiOp::with_fields("AddRoleToInstanceProfile", ["role".to_string()]),
            ]
        );
        let p = r.plan(
            Some(&prior),
            &Value::map([("name", Value::from("ip")), ("path", Value::from("/x/"))]),
        );
        assert_eq!(
            p.requires_replace,
            vec![vec![crate::providers::PathStep::Attr("path".into())]]
        );
    }
}
