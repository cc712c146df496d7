//! `aws_iam_policy`: a customer managed policy. Id = ARN. A document change creates a new
//! default version, first deleting the oldest non-default version when IAM's limit of five
//! versions is reached; delete removes the non-default versions, then the policy.

use super::api::{IamApi, Policy};
use super::create_or_adopt;
use crate::config::value::{Map, Value};
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::normalize::tags::tag_changes;
use crate::providers::normalize::{canonical_policy, merge_tags, policy_for_state, tags_from_live};
use crate::providers::planning::{diff, same, tag_ops, unique_name, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;

fn slash() -> Value {
    Value::from("/")
}

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("attachment_count"),
    AttrSpec::computed("id"),
    AttrSpec::computed("policy_id"),
    AttrSpec::config("description").force_new(),
    AttrSpec::optional_computed("name").force_new(),
    AttrSpec::optional_computed("name_prefix").force_new(),
    AttrSpec::config("path").default(slash).force_new(),
    AttrSpec::config("policy"),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
];

/// IAM's limit of versions per managed policy.
pub const MAX_POLICY_VERSIONS: usize = 5;

/// The policy resource.
pub struct PolicyResource {
    api: Arc<dyn IamApi>,
    default_tags: BTreeMap<String, String>,
}

/// Canonical form for comparison.
pub fn normalize_policy(v: &Value) -> Value {
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
    out.entry("path".into())
        .and_modify(|p| {
            if p.is_null() {
                *p = slash()
            }
        })
        .or_insert_with(slash);
    Value::Map(out)
}

impl PolicyResource {
    /// Over an IAM API.
    pub fn new(api: Arc<dyn IamApi>, default_tags: BTreeMap<String, String>) -> PolicyResource {
        PolicyResource { api, default_tags }
    }

    async fn to_value(
        &self,
        ctx: &Ctx,
        p: &Policy,
        prior: Option<&Value>,
    ) -> Result<Value, ProviderError> {
        let doc = self
            .api
            .get_policy_version(&p.arn, &p.default_version_id)
            .await
            .map_err(|e| ctx.api("GetPolicyVersion", e))?;
        let prior_tags = prior.map(|x| string_map(x, "tags")).unwrap_or_default();
        let tags = tags_from_live(&p.tags, &self.default_tags, &prior_tags);
        Ok(Value::Map(obj([
            ("arn", Value::from(p.arn.as_str())),
            ("attachment_count", Value::from(p.attachment_count)),
            (
                "description",
                opt_str(p.description.clone().filter(|d| !d.is_empty())),
            ),
            ("id", Value::from(p.arn.as_str())),
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
            (
                "policy",
                Value::from(policy_for_state(
                    &doc,
                    prior.and_then(|x| str_of(x, "policy")),
                )),
            ),
            ("policy_id", Value::from(p.policy_id.as_str())),
            (
                "tags",
                if tags.is_empty()
                    && prior
                        .map(|x| x.get("tags").map(Value::is_null).unwrap_or(true))
                        .unwrap_or(true)
                {
                    Value::Null
                } else {
                    string_map_value(&tags)
                },
            ),
            ("tags_all", string_map_value(&p.tags)),
        ])))
    }

    /// Makes `doc` the default version, pruning the oldest non-default version at the limit.
    async fn new_version(&self, ctx: &Ctx, arn: &str, doc: &str) -> Result<(), ProviderError> {
        let mut versions = self
            .api
            .list_policy_versions(arn)
            .await
            .map_err(|e| ctx.api("ListPolicyVersions", e))?;
        if versions.len() >= MAX_POLICY_VERSIONS {
            versions.sort_by(|a, b| {
                a.create_date
                    .cmp(&b.create_date)
                    .then_with(|| version_number(&a.version_id).cmp(&version_number(&b.version_id)))
            });
            if let Some(oldest) = versions.iter().find(|v| !v.is_default) {
                self.api
                    .delete_policy_version(arn, &oldest.version_id)
                    .await
                    .map_err(|e| ctx.api("DeletePolicyVersion", e))?;
            }
        }
        self.api
            .create_policy_version(arn, doc)
            .await
            .map_err(|e| ctx.api("CreatePolicyVersion", e))
    }
}

fn version_number(v: &str) -> u64 {
    v.trim_start_matches('v').parse().unwrap_or(0)
}

#[async_trait]
impl ResourceProvider for PolicyResource {
    fn type_name(&self) -> &'static str {
        "aws_iam_policy"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize_policy(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let d = diff(SPECS, prior, desired, &self.default_tags, &normalize_policy);
        let mut ops = Vec::new();
        match prior {
            None => ops.push(ApiOp::call("CreatePolicy")),
            Some(_) if !d.replace.is_empty() => {
                ops.push(ApiOp::call("DeletePolicy"));
                ops.push(ApiOp::call("CreatePolicy"));
            }
            Some(p) => {
                if d.has("policy") {
                    ops.push(ApiOp::with_fields(
                        "CreatePolicyVersion",
                        ["policy".to_string()],
                    ));
                }
                ops.extend(tag_ops(p, &d.planned, "TagPolicy", "UntagPolicy"));
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
        let arn = str_of(prior, "id")
            .or_else(|| str_of(prior, "arn"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        match self
            .api
            .get_policy(arn)
            .await
            .map_err(|e| ctx.api("GetPolicy", e))?
        {
            None => Ok(None),
            Some(p) => Ok(Some(self.to_value(ctx, &p, Some(prior)).await?)),
        }
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let name = str_of(planned, "name")
            .map(str::to_string)
            .unwrap_or_else(|| unique_name(str_of(planned, "name_prefix")));
        let path = str_of(planned, "path").unwrap_or("/").to_string();
        let doc = str_of(planned, "policy")
            .ok_or_else(|| ctx.invalid("policy is required"))?
            .to_string();
        let description = str_of(planned, "description").map(str::to_string);
        let tags = merge_tags(&self.default_tags, &string_map(planned, "tags"));
        let probe = || async {
            let all = self.api.list_local_policies(Some(&path)).await?;
            Ok(all.into_iter().find(|p| p.name == name && p.path == path))
        };
        let p = create_or_adopt(
            ctx,
            "CreatePolicy",
            || {
                self.api
                    .create_policy(&name, &path, description.as_deref(), &doc, &tags)
            },
            probe,
        )
        .await?;
        self.to_value(ctx, &p, Some(planned)).await
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let arn = str_of(prior, "id")
            .or_else(|| str_of(prior, "arn"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?
            .to_string();
        let np = normalize_policy(prior);
        let nd = normalize_policy(planned);
        if !same(
            np.get("policy").unwrap_or(&Value::Null),
            nd.get("policy").unwrap_or(&Value::Null),
        ) {
            let doc = str_of(planned, "policy").ok_or_else(|| ctx.invalid("policy is required"))?;
            self.new_version(ctx, &arn, doc).await?;
        }
        let p = self
            .api
            .get_policy(&arn)
            .await
            .map_err(|e| ctx.api("GetPolicy", e))?
            .ok_or_else(|| ctx.invalid(format!("policy {arn} no longer exists")))?;
        let want = merge_tags(&self.default_tags, &string_map(planned, "tags"));
        let (set, remove) = tag_changes(&p.tags, &want);
        if !set.is_empty() {
            self.api
                .tag_policy(&arn, &set)
                .await
                .map_err(|e| ctx.api("TagPolicy", e))?;
        }
        if !remove.is_empty() {
            self.api
                .untag_policy(&arn, &remove)
                .await
                .map_err(|e| ctx.api("UntagPolicy", e))?;
        }
        let p = self
            .api
            .get_policy(&arn)
            .await
            .map_err(|e| ctx.api("GetPolicy", e))?
            .ok_or_else(|| ctx.invalid(format!("policy {arn} no longer exists")))?;
        self.to_value(ctx, &p, Some(planned)).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let arn = str_of(prior, "id")
            .or_else(|| str_of(prior, "arn"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let versions = match self.api.list_policy_versions(arn).await {
            Ok(v) => v,
            Err(e) if e.is_not_found() => return Ok(()),
            Err(e) => return Err(ctx.api("ListPolicyVersions", e)),
        };
        for v in versions.iter().filter(|v| !v.is_default) {
            self.api
                .delete_policy_version(arn, &v.version_id)
                .await
                .map_err(|e| ctx.api("DeletePolicyVersion", e))?;
        }
        self.api
            .delete_policy(arn)
            .await
            .map_err(|e| ctx.api("DeletePolicy", e))
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let Some(name) = str_of(planned, "name") else {
            return Ok(None);
        };
        let path = str_of(planned, "path").unwrap_or("/");
        let policies = self
            .api
            .list_local_policies(Some(path))
            .await
            .map_err(|e| ctx.api("ListPolicies", e))?;
        let mut found = Vec::new();
        for p in policies.iter().filter(|p| p.name == name) {
            if let Some(v) = self.import(ctx, &p.arn).await? {
                found.push(v);
            }
        }
        Ok(Some(found))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        match self
            .api
            .get_policy(id)
            .await
            .map_err(|e| ctx.api("GetPolicy", e))?
        {
            None => Ok(None),
            Some(p) => Ok(Some(self.to_value(ctx, &p, None).await?)),
        }
    }
}
