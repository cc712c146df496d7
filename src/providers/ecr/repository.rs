//! `aws_ecr_repository`. Id = name. Tag mutability and scan-on-push change in place;
//! encryption forces replacement; `force_delete` deletes a repository that still has images.

use super::api::{EcrApi, NewRepository, Repository};
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::normalize::tags::tag_changes;
use crate::providers::normalize::{merge_tags, tags_from_live};
use crate::providers::planning::{diff, tag_ops, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;

fn mutable() -> Value {
    Value::from("MUTABLE")
}
fn no() -> Value {
    Value::Bool(false)
}

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("id"),
    AttrSpec::computed("registry_id"),
    AttrSpec::computed("repository_url"),
    AttrSpec::optional_computed("encryption_configuration")
        .block()
        .force_new(),
    AttrSpec::config("force_delete").default(no),
    AttrSpec::config("image_scanning_configuration").block(),
    AttrSpec::config("image_tag_mutability").default(mutable),
    AttrSpec::config("name").force_new(),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
    AttrSpec::config("timeouts"),
];

/// The repository resource.
pub struct RepositoryResource {
    api: Arc<dyn EcrApi>,
    default_tags: BTreeMap<String, String>,
}

impl RepositoryResource {
    /// Over an ECR API.
    pub fn new(api: Arc<dyn EcrApi>, default_tags: BTreeMap<String, String>) -> RepositoryResource {
        RepositoryResource { api, default_tags }
    }

    async fn to_value(
        &self,
        ctx: &Ctx,
        r: &Repository,
        prior: Option<&Value>,
    ) -> Result<Value, ProviderError> {
        let all = self
            .api
            .list_tags(&r.arn)
            .await
            .map_err(|e| ctx.api("ListTagsForResource", e))?;
        let prior_tags = prior.map(|p| string_map(p, "tags")).unwrap_or_default();
        let own = tags_from_live(&all, &self.default_tags, &prior_tags);
        let prior_null = prior
            .map(|p| p.get("tags").map(Value::is_null).unwrap_or(true))
            .unwrap_or(true);
        let keep = |k: &str| prior.and_then(|p| p.get(k)).cloned().map(known);
        // Scan-on-push false with no block configured reads as no block, as the AWS provider keeps it.
        let scanning_configured = prior
            .map(|p| !items(p, "image_scanning_configuration").is_empty())
            .unwrap_or(true);
        Ok(Value::Map(obj([
            ("arn", Value::from(r.arn.as_str())),
            (
                "encryption_configuration",
                block_value(Some(obj([
                    ("encryption_type", Value::from(r.encryption_type.as_str())),
                    (
                        "kms_key",
                        Value::from(r.kms_key.clone().unwrap_or_default()),
                    ),
                ]))),
            ),
            (
                "force_delete",
                keep("force_delete")
                    .filter(|v| !v.is_null())
                    .unwrap_or(Value::Bool(false)),
            ),
            ("id", Value::from(r.name.as_str())),
            (
                "image_scanning_configuration",
                block_value(
                    (r.scan_on_push || scanning_configured)
                        .then(|| obj([("scan_on_push", Value::Bool(r.scan_on_push))])),
                ),
            ),
            (
                "image_tag_mutability",
                Value::from(r.image_tag_mutability.as_str()),
            ),
            ("name", Value::from(r.name.as_str())),
            ("registry_id", Value::from(r.registry_id.as_str())),
            ("repository_url", Value::from(r.uri.as_str())),
            (
                "tags",
                if own.is_empty() && prior_null {
                    Value::Null
                } else {
                    string_map_value(&own)
                },
            ),
            ("tags_all", string_map_value(&all)),
            ("timeouts", keep("timeouts").unwrap_or(Value::Null)),
        ])))
    }
}

fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out = m.clone();
    // kms_key "" and null are the same; encryption_type defaults to AES256.
    if let Some(b) = block(v, "encryption_configuration") {
        out.insert(
            "encryption_configuration".into(),
            block_value(Some(obj([
                (
                    "encryption_type",
                    Value::from(str_of(b, "encryption_type").unwrap_or("AES256")),
                ),
                (
                    "kms_key",
                    Value::from(str_of(b, "kms_key").unwrap_or_default()),
                ),
            ]))),
        );
    }
    Value::Map(out)
}

#[async_trait]
impl ResourceProvider for RepositoryResource {
    fn type_name(&self) -> &'static str {
        "aws_ecr_repository"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &self.default_tags, &normalize);
        if prior.is_none() {
            if let (Value::Map(m), Some(n)) = (&mut d.planned, str_of(desired, "name")) {
                m.insert("id".into(), Value::from(n));
            }
        }
        let ops = match prior {
            None => vec![ApiOp::call("CreateRepository")],
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DeleteRepository"),
                ApiOp::call("CreateRepository"),
            ],
            Some(p) => {
                let mut ops = Vec::new();
                if d.has("image_tag_mutability") {
                    ops.push(ApiOp::with_fields(
                        "PutImageTagMutability",
                        ["image_tag_mutability".to_string()],
                    ));
                }
                if d.has("image_scanning_configuration") {
                    ops.push(ApiOp::with_fields(
                        "PutImageScanningConfiguration",
                        ["image_scanning_configuration".to_string()],
                    ));
                }
                ops.extend(tag_ops(p, &d.planned, "TagResource", "UntagResource"));
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
        match self
            .api
            .describe_repository(name, None)
            .await
            .map_err(|e| ctx.api("DescribeRepositories", e))?
        {
            None => Ok(None),
            Some(r) => Ok(Some(self.to_value(ctx, &r, Some(prior)).await?)),
        }
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let name = str_of(planned, "name")
            .ok_or_else(|| ctx.invalid("name is required"))?
            .to_string();
        let new = NewRepository {
            name: name.clone(),
            image_tag_mutability: str_of(planned, "image_tag_mutability").map(str::to_string),
            scan_on_push: block(planned, "image_scanning_configuration")
                .and_then(|b| bool_of(b, "scan_on_push")),
            encryption: block(planned, "encryption_configuration").map(|b| {
                (
                    str_of(b, "encryption_type").unwrap_or("AES256").to_string(),
                    str_of(b, "kms_key").map(str::to_string),
                )
            }),
            tags: merge_tags(&self.default_tags, &string_map(planned, "tags")),
        };
        let r = crate::providers::iam::create_or_adopt(
            ctx,
            "CreateRepository",
            || self.api.create_repository(&new),
            || self.api.describe_repository(&name, None),
        )
        .await?;
        self.to_value(ctx, &r, Some(planned)).await
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
        let live = self
            .api
            .describe_repository(&name, None)
            .await
            .map_err(|e| ctx.api("DescribeRepositories", e))?
            .ok_or_else(|| ctx.invalid(format!("repository {name} no longer exists")))?;
        let want_m = str_of(planned, "image_tag_mutability").unwrap_or("MUTABLE");
        if live.image_tag_mutability != want_m {
            self.api
                .put_image_tag_mutability(&name, want_m)
                .await
                .map_err(|e| ctx.api("PutImageTagMutability", e))?;
        }
        let want_scan = block(planned, "image_scanning_configuration")
            .and_then(|b| bool_of(b, "scan_on_push"))
            .unwrap_or(false);
        if live.scan_on_push != want_scan {
            self.api
                .put_image_scanning_configuration(&name, want_scan)
                .await
                .map_err(|e| ctx.api("PutImageScanningConfiguration", e))?;
        }
        let have = self
            .api
            .list_tags(&live.arn)
            .await
            .map_err(|e| ctx.api("ListTagsForResource", e))?;
        let (set, remove) = tag_changes(
            &have,
            &merge_tags(&self.default_tags, &string_map(planned, "tags")),
        );
        if !set.is_empty() {
            self.api
                .tag_resource(&live.arn, &set)
                .await
                .map_err(|e| ctx.api("TagResource", e))?;
        }
        if !remove.is_empty() {
            self.api
                .untag_resource(&live.arn, &remove)
                .await
                .map_err(|e| ctx.api("UntagResource", e))?;
        }
        let live = self
            .api
            .describe_repository(&name, None)
            .await
            .map_err(|e| ctx.api("DescribeRepositories", e))?
            .ok_or_else(|| ctx.invalid(format!("repository {name} no longer exists")))?;
        self.to_value(ctx, &live, Some(planned)).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = str_of(prior, "id")
            .or_else(|| str_of(prior, "name"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.api
            .delete_repository(name, bool_of(prior, "force_delete").unwrap_or(false))
            .await
            .map_err(|e| ctx.api("DeleteRepository", e))
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
            .describe_repository(id, None)
            .await
            .map_err(|e| ctx.api("DescribeRepositories", e))?
        {
            None => Ok(None),
            Some(r) => Ok(Some(self.to_value(ctx, &r, None).await?)),
        }
    }
}
