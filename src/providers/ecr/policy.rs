//! `aws_ecr_repository_policy`. Id = repository name. Create and update are the same
//! SetRepositoryPolicy call (replace); delete is DeleteRepositoryPolicy. A policy naming a
//! principal IAM has not propagated yet is retried, as the AWS provider does.

use super::api::EcrApi;
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::normalize::{canonical_policy, policy_for_state};
use crate::providers::planning::{diff, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("id"),
    AttrSpec::computed("registry_id"),
    AttrSpec::config("policy"),
    AttrSpec::config("repository").force_new(),
];

/// The repository policy resource.
pub struct RepositoryPolicyResource {
    api: Arc<dyn EcrApi>,
}

impl RepositoryPolicyResource {
    /// Over an ECR API.
    pub fn new(api: Arc<dyn EcrApi>) -> RepositoryPolicyResource {
        RepositoryPolicyResource { api }
    }

    async fn fetch(
        &self,
        ctx: &Ctx,
        repo: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let p = self
            .api
            .get_repository_policy(repo)
            .await
            .map_err(|e| ctx.api("GetRepositoryPolicy", e))?;
        Ok(p.map(|(text, registry)| {
            Value::Map(obj([
                ("id", Value::from(repo)),
                (
                    "policy",
                    Value::from(policy_for_state(
                        &text,
                        prior.and_then(|p| str_of(p, "policy")),
                    )),
                ),
                ("registry_id", Value::from(registry)),
                ("repository", Value::from(repo)),
            ]))
        }))
    }

    async fn set(&self, ctx: &Ctx, repo: &str, policy: &str) -> Result<(), ProviderError> {
        let start = Instant::now();
        loop {
            match self.api.set_repository_policy(repo, policy).await {
                Ok(_) => return Ok(()),
                // "Invalid repository policy provided" also means "a principal in it is not
                // visible yet"; only a well-formed document is worth waiting for.
                Err(e)
                    if crate::providers::iam::is_propagation_error(&e)
                        && has_statements(policy)
                        && start.elapsed()
                            < crate::providers::iam::PROPAGATION_TIMEOUT
                                .min(ctx.timeouts.create) =>
                {
                    tokio::time::sleep(ctx.poll_interval).await;
                }
                Err(e) => return Err(ctx.api("SetRepositoryPolicy", e)),
            }
        }
    }
}

/// True for a JSON document with a non-empty `Statement`.
fn has_statements(policy: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(policy)
        .ok()
        .and_then(|j| j.get("Statement").cloned())
        .map(|s| !s.is_null() && s != serde_json::json!([]))
        .unwrap_or(false)
}

fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out = m.clone();
    if let Some(Value::String(p)) = m.get("policy") {
        out.insert(
            "policy".into(),
            Value::String(canonical_policy(p).unwrap_or_else(|| p.clone())),
        );
    }
    Value::Map(out)
}

#[async_trait]
impl ResourceProvider for RepositoryPolicyResource {
    fn type_name(&self) -> &'static str {
        "aws_ecr_repository_policy"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let d = diff(SPECS, prior, desired, &BTreeMap::new(), &normalize);
        let ops = match prior {
            None => vec![ApiOp::call("SetRepositoryPolicy")],
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DeleteRepositoryPolicy"),
                ApiOp::call("SetRepositoryPolicy"),
            ],
            Some(_) if d.has("policy") => vec![ApiOp::with_fields(
                "SetRepositoryPolicy",
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
        let policy = str_of(planned, "policy").ok_or_else(|| ctx.invalid("policy is required"))?;
        self.set(ctx, repo, policy).await?;
        self.fetch(ctx, repo, Some(planned)).await?.ok_or_else(|| {
            ctx.invalid(format!(
                "policy of {repo} vanished after SetRepositoryPolicy"
            ))
        })
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
        let policy = str_of(planned, "policy").ok_or_else(|| ctx.invalid("policy is required"))?;
        self.set(ctx, &repo, policy).await?;
        self.fetch(ctx, &repo, Some(planned)).await?.ok_or_else(|| {
            ctx.invalid(format!(
                "policy of {repo} vanished after SetRepositoryPolicy"
            ))
        })
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let repo = str_of(prior, "id")
            .or_else(|| str_of(prior, "repository"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.api
            .delete_repository_policy(repo)
            .await
            .map_err(|e| ctx.api("DeleteRepositoryPolicy", e))
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
