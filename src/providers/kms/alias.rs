//! `aws_kms_alias`. Id = alias name (`alias/...`, from `name`, `name_prefix` or a generated
//! one). `target_key_id` changes in place through UpdateAlias and compares a key id equal to
//! that key's ARN; `target_key_arn` is the key's ARN built from the alias ARN, as the AWS
//! provider does.

use super::api::{Alias, KmsApi};
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::planning::{diff, unique_name, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("id"),
    AttrSpec::optional_computed("name").force_new(),
    AttrSpec::optional_computed("name_prefix").force_new(),
    AttrSpec::computed("target_key_arn"),
    AttrSpec::config("target_key_id"),
];

/// The prefix of generated alias names.
const ALIAS_PREFIX: &str = "alias/";

/// The key id of a key id or key ARN (`arn:...:key/<id>` → `<id>`); other text unchanged.
pub fn key_id_of(id_or_arn: &str) -> &str {
    if id_or_arn.starts_with("arn:") {
        if let Some((_, id)) = id_or_arn.split_once(":key/") {
            return id;
        }
    }
    id_or_arn
}

/// The ARN of the key an alias points at, from the alias ARN
/// (`arn:aws:kms:r:a:alias/x` + `k` → `arn:aws:kms:r:a:key/k`).
pub fn key_arn_from_alias_arn(alias_arn: &str, key_id: &str) -> Option<String> {
    let (base, _) = alias_arn.split_once(":alias/")?;
    Some(format!("{base}:key/{key_id}"))
}

/// The alias resource.
pub struct AliasResource {
    api: Arc<dyn KmsApi>,
}

impl AliasResource {
    /// Over a KMS API.
    pub fn new(api: Arc<dyn KmsApi>) -> AliasResource {
        AliasResource { api }
    }

    async fn find(&self, ctx: &Ctx, name: &str) -> Result<Option<Alias>, ProviderError> {
        Ok(self
            .api
            .list_aliases(None)
            .await
            .map_err(|e| ctx.api("ListAliases", e))?
            .into_iter()
            .find(|a| a.name == name))
    }

    fn to_value(a: &Alias, prior: Option<&Value>) -> Value {
        let target = a.target_key_id.clone().unwrap_or_default();
        Value::Map(obj([
            ("arn", Value::from(a.arn.as_str())),
            ("id", Value::from(a.name.as_str())),
            ("name", Value::from(a.name.as_str())),
            (
                "name_prefix",
                prior
                    .and_then(|p| p.get("name_prefix"))
                    .cloned()
                    .map(known)
                    .unwrap_or(Value::Null),
            ),
            (
                "target_key_arn",
                opt_str(key_arn_from_alias_arn(&a.arn, &target)),
            ),
            ("target_key_id", Value::from(target.as_str())),
        ]))
    }

    async fn read_named(
        &self,
        ctx: &Ctx,
        name: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        Ok(self
            .find(ctx, name)
            .await?
            .map(|a| AliasResource::to_value(&a, prior)))
    }
}

fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out = m.clone();
    if let Some(Value::String(k)) = m.get("target_key_id") {
        out.insert("target_key_id".into(), Value::from(key_id_of(k)));
    }
    Value::Map(out)
}

#[async_trait]
impl ResourceProvider for AliasResource {
    fn type_name(&self) -> &'static str {
        "aws_kms_alias"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &BTreeMap::new(), &normalize);
        if let Value::Map(m) = &mut d.planned {
            if prior.is_none() {
                if let Some(n) = str_of(desired, "name") {
                    m.insert("id".into(), Value::from(n));
                }
            }
            // The key's ARN follows the new target.
            if d.changed.contains(&"target_key_id") {
                m.insert("target_key_arn".into(), Value::Unknown);
            }
        }
        let ops = match prior {
            None => vec![ApiOp::call("CreateAlias")],
            Some(_) if !d.replace.is_empty() => {
                vec![ApiOp::call("DeleteAlias"), ApiOp::call("CreateAlias")]
            }
            Some(_) if d.has("target_key_id") => vec![ApiOp::with_fields(
                "UpdateAlias",
                ["target_key_id".to_string()],
            )],
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
        let name = str_of(prior, "id")
            .or_else(|| str_of(prior, "name"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.read_named(ctx, name, Some(prior)).await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let name = str_of(planned, "name")
            .map(str::to_string)
            .unwrap_or_else(|| {
                unique_name(Some(str_of(planned, "name_prefix").unwrap_or(ALIAS_PREFIX)))
            });
        let target = str_of(planned, "target_key_id")
            .ok_or_else(|| ctx.invalid("target_key_id is required"))?;
        // A key just created may not be visible to CreateAlias yet.
        let start = Instant::now();
        loop {
            let made = crate::providers::iam::create_or_adopt(
                ctx,
                "CreateAlias",
                || self.api.create_alias(&name, target),
                || async {
                    Ok(self
                        .api
                        .list_aliases(None)
                        .await?
                        .into_iter()
                        .find(|a| a.name == name)
                        .map(|_| ()))
                },
            )
            .await;
            match made {
                Ok(()) => break,
                Err(e)
                    if e.api_error().map(|a| a.is_not_found()).unwrap_or(false)
                        && start.elapsed()
                            < crate::providers::iam::PROPAGATION_TIMEOUT
                                .min(ctx.timeouts.create) =>
                {
                    tokio::time::sleep(ctx.poll_interval).await;
                }
                Err(e) => return Err(e),
            }
        }
        self.read_named(ctx, &name, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("KMS alias {name} vanished after create")))
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
        let target = str_of(planned, "target_key_id")
            .ok_or_else(|| ctx.invalid("target_key_id is required"))?;
        let live = self
            .find(ctx, &name)
            .await?
            .ok_or_else(|| ctx.invalid(format!("KMS alias {name} no longer exists")))?;
        if live.target_key_id.as_deref().map(key_id_of) != Some(key_id_of(target)) {
            self.api
                .update_alias(&name, target)
                .await
                .map_err(|e| ctx.api("UpdateAlias", e))?;
        }
        self.read_named(ctx, &name, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("KMS alias {name} vanished after update")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = str_of(prior, "id")
            .or_else(|| str_of(prior, "name"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.api
            .delete_alias(name)
            .await
            .map_err(|e| ctx.api("DeleteAlias", e))
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        match str_of(planned, "name") {
            Some(name) => Ok(Some(
                self.read_named(ctx, name, None)
                    .await?
                    .into_iter()
                    .collect(),
            )),
            None => Ok(None),
        }
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        if !id.starts_with(ALIAS_PREFIX) {
            return Err(ctx.invalid(format!("import id {id:?} is not an alias name (alias/...)")));
        }
        self.read_named(ctx, id, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_and_arns_compare_equal() {
        assert_eq!(key_id_of("arn:aws:kms:us-east-1:1:key/1234-ab"), "1234-ab");
        assert_eq!(key_id_of("1234-ab"), "1234-ab");
        assert_eq!(
            key_id_of("arn:aws:kms:us-east-1:1:alias/x"),
            "arn:aws:kms:us-east-1:1:alias/x"
        );
        assert_eq!(
            key_arn_from_alias_arn("arn:aws:kms:us-east-1:1:alias/app/x", "k-1").as_deref(),
            Some("arn:aws:kms:us-east-1:1:key/k-1")
        );
        assert_eq!(key_arn_from_alias_arn("not-an-arn", "k"), None);
    }

    fn prior() -> Value {
        Value::map([
            ("arn", Value::from("arn:aws:kms:us-east-1:1:alias/jobs")),
            ("id", Value::from("alias/jobs")),
            ("name", Value::from("alias/jobs")),
            ("name_prefix", Value::Null),
            (
                "target_key_arn",
                Value::from("arn:aws:kms:us-east-1:1:key/k-1"),
            ),
            ("target_key_id", Value::from("k-1")),
        ])
    }

    #[test]
    fn retargeting_updates_in_place_and_renaming_replaces() {
        let r = AliasResource::new(Arc::new(super::super::unused::NoKms));
        let p = prior();
        let by_arn = Value::map([
            ("name", Value::from("alias/jobs")),
            (
                "target_key_id",
                Value::from("arn:aws:kms:us-east-1:1:key/k-1"),
            ),
        ]);
        assert!(r.plan(Some(&p), &by_arn).changed_paths.is_empty());
        let plan = r.plan(
            Some(&p),
            &Value::map([
                ("name", Value::from("alias/jobs")),
                ("target_key_id", Value::from("k-2")),
            ]),
        );
        assert_eq!(
            plan.api_ops,
            vec![ApiOp::with_fields(
                "UpdateAlias",
                ["target_key_id".to_string()]
            )]
        );
        assert_eq!(plan.planned.get("target_key_arn"), Some(&Value::Unknown));
        assert_eq!(plan.planned.get("arn"), p.get("arn"));
        let plan = r.plan(
            Some(&p),
            &Value::map([
                ("name", Value::from("alias/jobs2")),
                ("target_key_id", Value::from("k-1")),
            ]),
        );
        assert_eq!(
            plan.requires_replace,
            vec![vec![crate::providers::PathStep::Attr("name".into())]]
        );
        let created = r.plan(None, &by_arn);
        assert_eq!(created.planned.get("id"), Some(&Value::from("alias/jobs")));
        assert_eq!(created.api_ops, vec![ApiOp::call("CreateAlias")]);
    }
}
