//! `data "aws_ecr_repository"` and `data "aws_ecr_image"`.

use super::api::EcrApi;
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::{ApiError, ApiErrorKind, ProviderError};
use crate::providers::{Ctx, DataSourceProvider};
use async_trait::async_trait;
use std::sync::Arc;

/// `data "aws_ecr_repository"`.
pub struct RepositoryData(pub Arc<dyn EcrApi>);

#[async_trait]
impl DataSourceProvider for RepositoryData {
    fn type_name(&self) -> &'static str {
        "aws_ecr_repository"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let name = str_of(config, "name").ok_or_else(|| ctx.invalid("name is required"))?;
        let registry = str_of(config, "registry_id");
        let r = self
            .0
            .describe_repository(name, registry)
            .await
            .map_err(|e| ctx.api("DescribeRepositories", e))?
            .ok_or_else(|| {
                ctx.api(
                    "DescribeRepositories",
                    ApiError::new(
                        ApiErrorKind::NotFound,
                        "RepositoryNotFoundException",
                        format!("repository {name} not found"),
                    ),
                )
            })?;
        let tags = self
            .0
            .list_tags(&r.arn)
            .await
            .map_err(|e| ctx.api("ListTagsForResource", e))?;
        let images = self
            .0
            .describe_images(name, registry, None, None)
            .await
            .map_err(|e| ctx.api("DescribeImages", e))?;
        let latest = images
            .iter()
            .filter(|i| !i.tags.is_empty())
            .max_by_key(|i| i.pushed_at);
        Ok(Value::Map(obj([
            ("arn", Value::from(r.arn.as_str())),
            (
                "encryption_configuration",
                Value::List(vec![Value::Map(obj([
                    ("encryption_type", Value::from(r.encryption_type.as_str())),
                    (
                        "kms_key",
                        Value::from(r.kms_key.clone().unwrap_or_default()),
                    ),
                ]))]),
            ),
            ("id", Value::from(r.name.as_str())),
            (
                "image_scanning_configuration",
                Value::List(vec![Value::Map(obj([(
                    "scan_on_push",
                    Value::Bool(r.scan_on_push),
                )]))]),
            ),
            (
                "image_tag_mutability",
                Value::from(r.image_tag_mutability.as_str()),
            ),
            (
                "most_recent_image_tags",
                string_list(latest.map(|i| i.tags.clone()).unwrap_or_default()),
            ),
            ("name", Value::from(r.name.as_str())),
            ("registry_id", Value::from(r.registry_id.as_str())),
            ("repository_url", Value::from(r.uri.as_str())),
            ("tags", string_map_value(&tags)),
        ])))
    }
}

/// `data "aws_ecr_image"`: by `image_tag`, `image_digest`, or `most_recent`.
pub struct ImageData(pub Arc<dyn EcrApi>);

#[async_trait]
impl DataSourceProvider for ImageData {
    fn type_name(&self) -> &'static str {
        "aws_ecr_image"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let repo = str_of(config, "repository_name")
            .ok_or_else(|| ctx.invalid("repository_name is required"))?;
        let registry = str_of(config, "registry_id");
        let tag = str_of(config, "image_tag");
        let digest = str_of(config, "image_digest");
        let most_recent = bool_of(config, "most_recent").unwrap_or(false);
        if tag.is_none() && digest.is_none() && !most_recent {
            return Err(ctx.invalid("one of image_tag, image_digest or most_recent is required"));
        }
        let images = self
            .0
            .describe_images(repo, registry, tag, digest)
            .await
            .map_err(|e| ctx.api("DescribeImages", e))?;
        let image = images
            .into_iter()
            .max_by_key(|i| i.pushed_at)
            .ok_or_else(|| {
                ctx.api(
                    "DescribeImages",
                    ApiError::new(
                        ApiErrorKind::NotFound,
                        "ImageNotFoundException",
                        format!("no matching image in {repo}"),
                    ),
                )
            })?;
        let r = self
            .0
            .describe_repository(repo, registry)
            .await
            .map_err(|e| ctx.api("DescribeRepositories", e))?;
        let uri = r
            .as_ref()
            .map(|r| format!("{}@{}", r.uri, image.digest))
            .unwrap_or_default();
        let mut out = config.as_map().cloned().unwrap_or_default();
        for (k, v) in [
            ("id", Value::from(image.digest.as_str())),
            ("image_digest", Value::from(image.digest.as_str())),
            ("image_pushed_at", Value::from(image.pushed_at)),
            ("image_size_in_bytes", Value::from(image.size_in_bytes)),
            ("image_tags", string_list(image.tags.clone())),
            ("image_uri", Value::from(uri)),
            (
                "registry_id",
                Value::from(r.map(|r| r.registry_id).unwrap_or_default()),
            ),
        ] {
            out.insert(k.into(), v);
        }
        Ok(Value::Map(out))
    }
}
