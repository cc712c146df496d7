//! `aws_ecr_lifecycle_policy`. Id = repository name. Create is PutLifecyclePolicy; the AWS
//! provider has no update, so a changed policy or repository forces replacement (delete is
//! DeleteLifecyclePolicy). Policies compare as
//! documents: rules in priority order, tag lists as sets, key order and spacing ignored.

use super::api::{EcrApi, LifecyclePolicy};
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::normalize::policy::canonical_text;
use crate::providers::planning::{diff, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::sync::Arc;

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("id"),
    // No update in the AWS provider: a new policy is a new object, as Terraform plans it.
    AttrSpec::config("policy").force_new(),
    AttrSpec::computed("registry_id"),
    AttrSpec::config("repository").force_new(),
];

/// The canonical text of a lifecycle policy, or `None` when it is not a JSON object: rules
/// sorted by `rulePriority`, `tagPrefixList` / `tagPatternList` sorted (empty ones dropped),
/// keys sorted, no spacing.
pub fn canonical_lifecycle_policy(text: &str) -> Option<String> {
    let t = text.trim();
    let mut doc: Json = serde_json::from_str(if t.is_empty() { "{}" } else { t }).ok()?;
    let top = doc.as_object_mut()?;
    if let Some(Json::Array(rules)) = top.get_mut("rules") {
        for rule in rules.iter_mut() {
            if let Some(Json::Object(sel)) = rule.get_mut("selection") {
                for list in ["tagPrefixList", "tagPatternList"] {
                    match sel.get_mut(list) {
                        Some(Json::Array(items)) if items.is_empty() => {
                            sel.remove(list);
                        }
                        Some(Json::Array(items)) => items.sort_by_key(canonical_text),
                        _ => {}
                    }
                }
            }
        }
        rules.sort_by_key(|r| r.get("rulePriority").and_then(Json::as_i64).unwrap_or(0));
    }
    Some(canonical_text(&doc))
}

/// True when two lifecycle policy texts are the same document (text comparison otherwise).
pub fn lifecycle_policies_equivalent(a: &str, b: &str) -> bool {
    match (canonical_lifecycle_policy(a), canonical_lifecycle_policy(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.trim() == b.trim(),
    }
}

/// The policy text to keep in state: the prior text when equivalent to the live one, else the
/// live one with its spacing removed (as the AWS provider keeps it).
fn policy_for_state(live: &str, prior: Option<&str>) -> String {
    match prior {
        Some(p) if !p.is_empty() && lifecycle_policies_equivalent(p, live) => p.to_string(),
        _ => serde_json::from_str::<Json>(live)
            .map(|j| j.to_string())
            .unwrap_or_else(|_| live.to_string()),
    }
}

fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out = m.clone();
    if let Some(Value::String(p)) = m.get("policy") {
        out.insert(
            "policy".into(),
            Value::String(canonical_lifecycle_policy(p).unwrap_or_else(|| p.clone())),
        );
    }
    Value::Map(out)
}

/// The lifecycle policy resource.
pub struct LifecyclePolicyResource {
    api: Arc<dyn EcrApi>,
}

impl LifecyclePolicyResource {
    /// Over an ECR API.
    pub fn new(api: Arc<dyn EcrApi>) -> LifecyclePolicyResource {
        LifecyclePolicyResource { api }
    }

    async fn fetch(
        &self,
        ctx: &Ctx,
        repo: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let p = self
            .api
            .get_lifecycle_policy(repo)
            .await
            .map_err(|e| ctx.api("GetLifecyclePolicy", e))?;
        Ok(p.map(
            |LifecyclePolicy {
                 repository,
                 registry_id,
                 text,
             }| {
                Value::Map(obj([
                    ("id", Value::from(repository.as_str())),
                    (
                        "policy",
                        Value::from(policy_for_state(
                            &text,
                            prior.and_then(|p| str_of(p, "policy")),
                        )),
                    ),
                    ("registry_id", Value::from(registry_id)),
                    ("repository", Value::from(repository.as_str())),
                ]))
            },
        ))
    }

    async fn put(&self, ctx: &Ctx, repo: &str, planned: &Value) -> Result<Value, ProviderError> {
        let policy = str_of(planned, "policy").ok_or_else(|| ctx.invalid("policy is required"))?;
        self.api
            .put_lifecycle_policy(repo, policy)
            .await
            .map_err(|e| ctx.api("PutLifecyclePolicy", e))?;
        self.fetch(ctx, repo, Some(planned)).await?.ok_or_else(|| {
            ctx.invalid(format!(
                "lifecycle policy of {repo} vanished after PutLifecyclePolicy"
            ))
        })
    }
}

#[async_trait]
impl ResourceProvider for LifecyclePolicyResource {
    fn type_name(&self) -> &'static str {
        "aws_ecr_lifecycle_policy"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &BTreeMap::new(), &normalize);
        if prior.is_none() {
            if let (Value::Map(m), Some(r)) = (&mut d.planned, str_of(desired, "repository")) {
                m.insert("id".into(), Value::from(r));
            }
        }
        let ops = match prior {
            None => vec![ApiOp::call("PutLifecyclePolicy")],
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DeleteLifecyclePolicy"),
                ApiOp::call("PutLifecyclePolicy"),
            ],
            Some(_) if d.has("policy") => vec![ApiOp::with_fields(
                "PutLifecyclePolicy",
                ["policy".to_string()],
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
        let repo = str_of(prior, "id")
            .or_else(|| str_of(prior, "repository"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.fetch(ctx, repo, Some(prior)).await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let repo =
            str_of(planned, "repository").ok_or_else(|| ctx.invalid("repository is required"))?;
        self.put(ctx, repo, planned).await
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let repo = str_of(prior, "id")
            .or_else(|| str_of(prior, "repository"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?
            .to_string();
        self.put(ctx, &repo, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let repo = str_of(prior, "id")
            .or_else(|| str_of(prior, "repository"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.api
            .delete_lifecycle_policy(repo)
            .await
            .map_err(|e| ctx.api("DeleteLifecyclePolicy", e))
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        match str_of(planned, "repository") {
            Some(repo) => Ok(Some(
                self.fetch(ctx, repo, None).await?.into_iter().collect(),
            )),
            None => Ok(None),
        }
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        self.fetch(ctx, id, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_RULES: &str = r#"{"rules":[
        {"rulePriority":2,"description":"old","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":30},"action":{"type":"expire"}},
        {"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["v","release"],"countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}
    ]}"#;

    #[test]
    fn rule_order_tag_list_order_and_spacing_do_not_matter() {
        let reordered = r#"{"rules":[{"action":{"type":"expire"},"selection":{"countNumber":5,"countType":"imageCountMoreThan","tagPrefixList":["release","v"],"tagStatus":"tagged"},"rulePriority":1},{"action":{"type":"expire"},"description":"old","rulePriority":2,"selection":{"countNumber":30,"countType":"imageCountMoreThan","tagStatus":"any"}}]}"#;
        assert!(lifecycle_policies_equivalent(TWO_RULES, reordered));
        assert!(!lifecycle_policies_equivalent(
            TWO_RULES,
            &reordered.replace("\"countNumber\":5", "\"countNumber\":6")
        ));
        let empty_list = r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","tagPrefixList":[],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"#;
        let no_list = r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"#;
        assert!(lifecycle_policies_equivalent(empty_list, no_list));
        assert_eq!(canonical_lifecycle_policy("not json"), None);
    }

    #[test]
    fn state_keeps_the_configured_text_when_equivalent() {
        let live = canonical_lifecycle_policy(TWO_RULES).unwrap_or_default();
        assert_eq!(policy_for_state(&live, Some(TWO_RULES)), TWO_RULES);
        let other = live.replace("\"countNumber\":30", "\"countNumber\":31");
        assert_eq!(policy_for_state(&other, Some(TWO_RULES)), other);
        assert_eq!(
            policy_for_state("{ \"rules\": [] }", None),
            r#"{"rules":[]}"#
        );
    }
}
