//! [`EcrApi`] over `aws-sdk-ecr`.

use super::api::*;
use crate::providers::error::{ApiError, ApiErrorKind};
use crate::providers::retry::{Caller, Safety};
use async_trait::async_trait;
use aws_sdk_ecr::types as t;
use std::collections::BTreeMap;
use std::sync::Arc;

/// SDK implementation.
#[derive(Debug, Clone)]
pub struct SdkEcr {
    client: aws_sdk_ecr::Client,
    caller: Arc<Caller>,
}

impl SdkEcr {
    /// Wraps a client.
    pub fn new(client: aws_sdk_ecr::Client, caller: Arc<Caller>) -> SdkEcr {
        SdkEcr { client, caller }
    }
}

macro_rules! call {
    ($self:ident, $op:literal, $safety:expr, $req:expr) => {
        $self
            .caller
            .call("ecr", $op, $safety, || async {
                $req.send().await.map_err(ApiError::from_sdk)
            })
            .await
    };
}

fn build_err(e: aws_smithy_types::error::operation::BuildError) -> ApiError {
    ApiError::new(ApiErrorKind::Validation, "BuildError", e.to_string())
}

fn repo_of(r: &t::Repository) -> Repository {
    let enc = r.encryption_configuration();
    Repository {
        name: r.repository_name().unwrap_or_default().to_string(),
        arn: r.repository_arn().unwrap_or_default().to_string(),
        registry_id: r.registry_id().unwrap_or_default().to_string(),
        uri: r.repository_uri().unwrap_or_default().to_string(),
        image_tag_mutability: r
            .image_tag_mutability()
            .map(|m| m.as_str().to_string())
            .unwrap_or_else(|| "MUTABLE".into()),
        scan_on_push: r
            .image_scanning_configuration()
            .map(|s| s.scan_on_push())
            .unwrap_or(false),
        encryption_type: enc
            .map(|e| e.encryption_type().as_str().to_string())
            .unwrap_or_else(|| "AES256".into()),
        kms_key: enc.and_then(|e| e.kms_key()).map(str::to_string),
    }
}

fn tags_of(tags: &[t::Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect()
}

fn to_tags(tags: &BTreeMap<String, String>) -> Result<Vec<t::Tag>, ApiError> {
    tags.iter()
        .map(|(k, v)| t::Tag::builder().key(k).value(v).build().map_err(build_err))
        .collect()
}

#[async_trait]
impl EcrApi for SdkEcr {
    async fn describe_repository(
        &self,
        name: &str,
        registry_id: Option<&str>,
    ) -> Result<Option<Repository>, ApiError> {
        match call!(
            self,
            "DescribeRepositories",
            Safety::Idempotent,
            self.client
                .describe_repositories()
                .repository_names(name)
                .set_registry_id(registry_id.map(str::to_string))
        ) {
            Ok(o) => Ok(o.repositories().first().map(repo_of)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn create_repository(&self, r: &NewRepository) -> Result<Repository, ApiError> {
        let enc = match &r.encryption {
            Some((ty, key)) => Some(
                t::EncryptionConfiguration::builder()
                    .encryption_type(t::EncryptionType::from(ty.as_str()))
                    .set_kms_key(key.clone())
                    .build()
                    .map_err(build_err)?,
            ),
            None => None,
        };
        let tags = to_tags(&r.tags)?;
        let o = call!(
            self,
            "CreateRepository",
            Safety::NotIdempotent,
            self.client
                .create_repository()
                .repository_name(&r.name)
                .set_image_tag_mutability(
                    r.image_tag_mutability
                        .as_deref()
                        .map(t::ImageTagMutability::from)
                )
                .set_image_scanning_configuration(r.scan_on_push.map(|s| {
                    t::ImageScanningConfiguration::builder()
                        .scan_on_push(s)
                        .build()
                }))
                .set_encryption_configuration(enc.clone())
                .set_tags(if tags.is_empty() {
                    None
                } else {
                    Some(tags.clone())
                })
        )?;
        o.repository().map(repo_of).ok_or_else(|| {
            ApiError::new(
                ApiErrorKind::Other,
                "EmptyResponse",
                "CreateRepository returned no repository",
            )
        })
    }

    async fn put_image_tag_mutability(&self, name: &str, value: &str) -> Result<(), ApiError> {
        call!(
            self,
            "PutImageTagMutability",
            Safety::Idempotent,
            self.client
                .put_image_tag_mutability()
                .repository_name(name)
                .image_tag_mutability(t::ImageTagMutability::from(value))
        )
        .map(|_| ())
    }

    async fn put_image_scanning_configuration(
        &self,
        name: &str,
        scan_on_push: bool,
    ) -> Result<(), ApiError> {
        call!(
            self,
            "PutImageScanningConfiguration",
            Safety::Idempotent,
            self.client
                .put_image_scanning_configuration()
                .repository_name(name)
                .image_scanning_configuration(
                    t::ImageScanningConfiguration::builder()
                        .scan_on_push(scan_on_push)
                        .build()
                )
        )
        .map(|_| ())
    }

    async fn delete_repository(&self, name: &str, force: bool) -> Result<(), ApiError> {
        match call!(
            self,
            "DeleteRepository",
            Safety::Idempotent,
            self.client
                .delete_repository()
                .repository_name(name)
                .force(force)
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn list_tags(&self, arn: &str) -> Result<BTreeMap<String, String>, ApiError> {
        call!(
            self,
            "ListTagsForResource",
            Safety::Idempotent,
            self.client.list_tags_for_resource().resource_arn(arn)
        )
        .map(|o| tags_of(o.tags()))
    }

    async fn tag_resource(
        &self,
        arn: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        let tags = to_tags(tags)?;
        call!(
            self,
            "TagResource",
            Safety::Idempotent,
            self.client
                .tag_resource()
                .resource_arn(arn)
                .set_tags(Some(tags.clone()))
        )
        .map(|_| ())
    }

    async fn untag_resource(&self, arn: &str, keys: &[String]) -> Result<(), ApiError> {
        call!(
            self,
            "UntagResource",
            Safety::Idempotent,
            self.client
                .untag_resource()
                .resource_arn(arn)
                .set_tag_keys(Some(keys.to_vec()))
        )
        .map(|_| ())
    }

    async fn get_repository_policy(
        &self,
        name: &str,
    ) -> Result<Option<(String, String)>, ApiError> {
        match call!(
            self,
            "GetRepositoryPolicy",
            Safety::Idempotent,
            self.client.get_repository_policy().repository_name(name)
        ) {
            Ok(o) => Ok(o.policy_text().map(|p| {
                (
                    p.to_string(),
                    o.registry_id().unwrap_or_default().to_string(),
                )
            })),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn set_repository_policy(&self, name: &str, policy: &str) -> Result<String, ApiError> {
        call!(
            self,
            "SetRepositoryPolicy",
            Safety::Idempotent,
            self.client
                .set_repository_policy()
                .repository_name(name)
                .policy_text(policy)
        )
        .map(|o| o.registry_id().unwrap_or_default().to_string())
    }

    async fn delete_repository_policy(&self, name: &str) -> Result<(), ApiError> {
        match call!(
            self,
            "DeleteRepositoryPolicy",
            Safety::Idempotent,
            self.client.delete_repository_policy().repository_name(name)
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn describe_images(
        &self,
        repo: &str,
        registry_id: Option<&str>,
        tag: Option<&str>,
        digest: Option<&str>,
    ) -> Result<Vec<Image>, ApiError> {
        let ids = if tag.is_some() || digest.is_some() {
            Some(vec![t::ImageIdentifier::builder()
                .set_image_tag(tag.map(str::to_string))
                .set_image_digest(digest.map(str::to_string))
                .build()])
        } else {
            None
        };
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = call!(
                self,
                "DescribeImages",
                Safety::Idempotent,
                self.client
                    .describe_images()
                    .repository_name(repo)
                    .set_registry_id(registry_id.map(str::to_string))
                    .set_image_ids(ids.clone())
                    .set_next_token(token.clone())
            )?;
            out.extend(page.image_details().iter().map(|d| Image {
                digest: d.image_digest().unwrap_or_default().to_string(),
                tags: d.image_tags().to_vec(),
                size_in_bytes: d.image_size_in_bytes().unwrap_or(0),
                pushed_at: d.image_pushed_at().map(|t| t.secs()).unwrap_or(0),
            }));
            match page.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(out),
            }
        }
    }

    async fn get_lifecycle_policy(&self, repo: &str) -> Result<Option<LifecyclePolicy>, ApiError> {
        match call!(
            self,
            "GetLifecyclePolicy",
            Safety::Idempotent,
            self.client.get_lifecycle_policy().repository_name(repo)
        ) {
            Ok(o) => Ok(o.lifecycle_policy_text().map(|text| LifecyclePolicy {
                repository: o.repository_name().unwrap_or(repo).to_string(),
                registry_id: o.registry_id().unwrap_or_default().to_string(),
                text: text.to_string(),
            })),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn put_lifecycle_policy(&self, repo: &str, text: &str) -> Result<String, ApiError> {
        call!(
            self,
            "PutLifecyclePolicy",
            Safety::Idempotent,
            self.client
                .put_lifecycle_policy()
                .repository_name(repo)
                .lifecycle_policy_text(text)
        )
        .map(|o| o.registry_id().unwrap_or_default().to_string())
    }

    async fn delete_lifecycle_policy(&self, repo: &str) -> Result<(), ApiError> {
        match call!(
            self,
            "DeleteLifecyclePolicy",
            Safety::Idempotent,
            self.client.delete_lifecycle_policy().repository_name(repo)
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(e),
        }
    }
}
