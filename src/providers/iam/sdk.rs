//! [`IamApi`] over `aws-sdk-iam`. Creates without a client token are sent as
//! [`Safety::NotIdempotent`]; the resources recover from ambiguous failures by looking the
//! object up by name.

use super::api::*;
use crate::providers::error::{ApiError, ApiErrorKind};
use crate::providers::retry::{Caller, Safety};
use async_trait::async_trait;
use aws_sdk_iam::types as t;
use aws_smithy_types::date_time::Format;
use std::collections::BTreeMap;
use std::sync::Arc;

/// SDK implementation.
#[derive(Debug, Clone)]
pub struct SdkIam {
    client: aws_sdk_iam::Client,
    caller: Arc<Caller>,
}

impl SdkIam {
    /// Wraps a client.
    pub fn new(client: aws_sdk_iam::Client, caller: Arc<Caller>) -> SdkIam {
        SdkIam { client, caller }
    }
}

macro_rules! call {
    ($self:ident, $op:literal, $safety:expr, $req:expr) => {
        $self
            .caller
            .call("iam", $op, $safety, || async {
                $req.send().await.map_err(ApiError::from_sdk)
            })
            .await
    };
}

fn date(d: &aws_smithy_types::DateTime) -> String {
    d.fmt(Format::DateTime).unwrap_or_default()
}

fn tags_of(tags: &[t::Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect()
}

fn to_tags(tags: &BTreeMap<String, String>) -> Result<Vec<t::Tag>, ApiError> {
    tags.iter()
        .map(|(k, v)| {
            t::Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| ApiError::new(ApiErrorKind::Validation, "BuildError", e.to_string()))
        })
        .collect()
}

fn role_of(r: &t::Role) -> Role {
    Role {
        name: r.role_name().to_string(),
        path: r.path().to_string(),
        role_id: r.role_id().to_string(),
        arn: r.arn().to_string(),
        create_date: date(r.create_date()),
        assume_role_policy: r
            .assume_role_policy_document()
            .unwrap_or_default()
            .to_string(),
        description: r.description().map(str::to_string),
        max_session_duration: r.max_session_duration(),
        permissions_boundary: r
            .permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn())
            .map(str::to_string),
        tags: tags_of(r.tags()),
    }
}

fn policy_of(p: &t::Policy) -> Policy {
    Policy {
        arn: p.arn().unwrap_or_default().to_string(),
        name: p.policy_name().unwrap_or_default().to_string(),
        path: p.path().unwrap_or("/").to_string(),
        description: p.description().map(str::to_string),
        policy_id: p.policy_id().unwrap_or_default().to_string(),
        default_version_id: p.default_version_id().unwrap_or_default().to_string(),
        attachment_count: p.attachment_count().map(i64::from).unwrap_or(0),
        tags: tags_of(p.tags()),
    }
}

fn profile_of(p: &t::InstanceProfile) -> InstanceProfile {
    InstanceProfile {
        name: p.instance_profile_name().to_string(),
        path: p.path().to_string(),
        id: p.instance_profile_id().to_string(),
        arn: p.arn().to_string(),
        create_date: date(p.create_date()),
        roles: p
            .roles()
            .iter()
            .map(|r| r.role_name().to_string())
            .collect(),
        tags: tags_of(p.tags()),
    }
}

fn none_if_missing<T>(r: Result<T, ApiError>) -> Result<Option<T>, ApiError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

fn ok_if_missing(r: Result<(), ApiError>) -> Result<(), ApiError> {
    match r {
        Err(e) if e.is_not_found() => Ok(()),
        other => other,
    }
}

#[async_trait]
impl IamApi for SdkIam {
    async fn get_role(&self, name: &str) -> Result<Option<Role>, ApiError> {
        let r = none_if_missing(call!(
            self,
            "GetRole",
            Safety::Idempotent,
            self.client.get_role().role_name(name)
        ))?;
        Ok(r.and_then(|o| o.role().map(role_of)))
    }

    async fn create_role(&self, r: &NewRole) -> Result<Role, ApiError> {
        let tags = to_tags(&r.tags)?;
        let out = call!(
            self,
            "CreateRole",
            Safety::NotIdempotent,
            self.client
                .create_role()
                .role_name(&r.name)
                .path(&r.path)
                .assume_role_policy_document(&r.assume_role_policy)
                .set_description(r.description.clone())
                .set_max_session_duration(r.max_session_duration)
                .set_permissions_boundary(r.permissions_boundary.clone())
                .set_tags(if tags.is_empty() {
                    None
                } else {
                    Some(tags.clone())
                })
        )?;
        out.role().map(role_of).ok_or_else(|| {
            ApiError::new(
                ApiErrorKind::Other,
                "EmptyResponse",
                "CreateRole returned no role",
            )
        })
    }

    async fn update_role(
        &self,
        name: &str,
        description: Option<&str>,
        max_session: Option<i32>,
    ) -> Result<(), ApiError> {
        call!(
            self,
            "UpdateRole",
            Safety::Idempotent,
            self.client
                .update_role()
                .role_name(name)
                .description(description.unwrap_or(""))
                .set_max_session_duration(max_session)
        )
        .map(|_| ())
    }

    async fn update_assume_role_policy(&self, name: &str, doc: &str) -> Result<(), ApiError> {
        call!(
            self,
            "UpdateAssumeRolePolicy",
            Safety::Idempotent,
            self.client
                .update_assume_role_policy()
                .role_name(name)
                .policy_document(doc)
        )
        .map(|_| ())
    }

    async fn set_permissions_boundary(
        &self,
        name: &str,
        arn: Option<&str>,
    ) -> Result<(), ApiError> {
        match arn {
            Some(a) => call!(
                self,
                "PutRolePermissionsBoundary",
                Safety::Idempotent,
                self.client
                    .put_role_permissions_boundary()
                    .role_name(name)
                    .permissions_boundary(a)
            )
            .map(|_| ()),
            None => ok_if_missing(
                call!(
                    self,
                    "DeleteRolePermissionsBoundary",
                    Safety::Idempotent,
                    self.client
                        .delete_role_permissions_boundary()
                        .role_name(name)
                )
                .map(|_| ()),
            ),
        }
    }

    async fn tag_role(&self, name: &str, tags: &BTreeMap<String, String>) -> Result<(), ApiError> {
        let tags = to_tags(tags)?;
        call!(
            self,
            "TagRole",
            Safety::Idempotent,
            self.client
                .tag_role()
                .role_name(name)
                .set_tags(Some(tags.clone()))
        )
        .map(|_| ())
    }

    async fn untag_role(&self, name: &str, keys: &[String]) -> Result<(), ApiError> {
        call!(
            self,
            "UntagRole",
            Safety::Idempotent,
            self.client
                .untag_role()
                .role_name(name)
                .set_tag_keys(Some(keys.to_vec()))
        )
        .map(|_| ())
    }

    async fn delete_role(&self, name: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DeleteRole",
                Safety::Idempotent,
                self.client.delete_role().role_name(name)
            )
            .map(|_| ()),
        )
    }

    async fn list_role_policies(&self, role: &str) -> Result<Vec<String>, ApiError> {
        let mut out = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let page = call!(
                self,
                "ListRolePolicies",
                Safety::Idempotent,
                self.client
                    .list_role_policies()
                    .role_name(role)
                    .set_marker(marker.clone())
            )?;
            out.extend(page.policy_names().iter().cloned());
            match (page.is_truncated(), page.marker()) {
                (true, Some(m)) => marker = Some(m.to_string()),
                _ => return Ok(out),
            }
        }
    }

    async fn list_attached_role_policies(&self, role: &str) -> Result<Vec<String>, ApiError> {
        let mut out = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let page = call!(
                self,
                "ListAttachedRolePolicies",
                Safety::Idempotent,
                self.client
                    .list_attached_role_policies()
                    .role_name(role)
                    .set_marker(marker.clone())
            )?;
            out.extend(
                page.attached_policies()
                    .iter()
                    .filter_map(|p| p.policy_arn().map(str::to_string)),
            );
            match (page.is_truncated(), page.marker()) {
                (true, Some(m)) => marker = Some(m.to_string()),
                _ => return Ok(out),
            }
        }
    }

    async fn get_role_policy(&self, role: &str, name: &str) -> Result<Option<String>, ApiError> {
        let r = none_if_missing(call!(
            self,
            "GetRolePolicy",
            Safety::Idempotent,
            self.client
                .get_role_policy()
                .role_name(role)
                .policy_name(name)
        ))?;
        Ok(r.map(|o| o.policy_document().to_string()))
    }

    async fn put_role_policy(&self, role: &str, name: &str, doc: &str) -> Result<(), ApiError> {
        call!(
            self,
            "PutRolePolicy",
            Safety::Idempotent,
            self.client
                .put_role_policy()
                .role_name(role)
                .policy_name(name)
                .policy_document(doc)
        )
        .map(|_| ())
    }

    async fn delete_role_policy(&self, role: &str, name: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DeleteRolePolicy",
                Safety::Idempotent,
                self.client
                    .delete_role_policy()
                    .role_name(role)
                    .policy_name(name)
            )
            .map(|_| ()),
        )
    }

    async fn attach_role_policy(&self, role: &str, arn: &str) -> Result<(), ApiError> {
        call!(
            self,
            "AttachRolePolicy",
            Safety::Idempotent,
            self.client
                .attach_role_policy()
                .role_name(role)
                .policy_arn(arn)
        )
        .map(|_| ())
    }

    async fn detach_role_policy(&self, role: &str, arn: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DetachRolePolicy",
                Safety::Idempotent,
                self.client
                    .detach_role_policy()
                    .role_name(role)
                    .policy_arn(arn)
            )
            .map(|_| ()),
        )
    }

    async fn create_policy(
        &self,
        name: &str,
        path: &str,
        description: Option<&str>,
        doc: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<Policy, ApiError> {
        let tags = to_tags(tags)?;
        let out = call!(
            self,
            "CreatePolicy",
            Safety::NotIdempotent,
            self.client
                .create_policy()
                .policy_name(name)
                .path(path)
                .set_description(description.map(str::to_string))
                .policy_document(doc)
                .set_tags(if tags.is_empty() {
                    None
                } else {
                    Some(tags.clone())
                })
        )?;
        out.policy().map(policy_of).ok_or_else(|| {
            ApiError::new(
                ApiErrorKind::Other,
                "EmptyResponse",
                "CreatePolicy returned no policy",
            )
        })
    }

    async fn get_policy(&self, arn: &str) -> Result<Option<Policy>, ApiError> {
        let r = none_if_missing(call!(
            self,
            "GetPolicy",
            Safety::Idempotent,
            self.client.get_policy().policy_arn(arn)
        ))?;
        Ok(r.and_then(|o| o.policy().map(policy_of)))
    }

    async fn list_local_policies(
        &self,
        path_prefix: Option<&str>,
    ) -> Result<Vec<Policy>, ApiError> {
        let mut out = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let page = call!(
                self,
                "ListPolicies",
                Safety::Idempotent,
                self.client
                    .list_policies()
                    .scope(t::PolicyScopeType::Local)
                    .set_path_prefix(path_prefix.map(str::to_string))
                    .set_marker(marker.clone())
            )?;
            out.extend(page.policies().iter().map(policy_of));
            match (page.is_truncated(), page.marker()) {
                (true, Some(m)) => marker = Some(m.to_string()),
                _ => return Ok(out),
            }
        }
    }

    async fn get_policy_version(&self, arn: &str, version: &str) -> Result<String, ApiError> {
        let out = call!(
            self,
            "GetPolicyVersion",
            Safety::Idempotent,
            self.client
                .get_policy_version()
                .policy_arn(arn)
                .version_id(version)
        )?;
        Ok(out
            .policy_version()
            .and_then(|v| v.document())
            .unwrap_or_default()
            .to_string())
    }

    async fn list_policy_versions(&self, arn: &str) -> Result<Vec<PolicyVersion>, ApiError> {
        let mut out = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let page = call!(
                self,
                "ListPolicyVersions",
                Safety::Idempotent,
                self.client
                    .list_policy_versions()
                    .policy_arn(arn)
                    .set_marker(marker.clone())
            )?;
            out.extend(page.versions().iter().map(|v| PolicyVersion {
                version_id: v.version_id().unwrap_or_default().to_string(),
                is_default: v.is_default_version(),
                create_date: v.create_date().map(date).unwrap_or_default(),
            }));
            match (page.is_truncated(), page.marker()) {
                (true, Some(m)) => marker = Some(m.to_string()),
                _ => return Ok(out),
            }
        }
    }

    async fn create_policy_version(&self, arn: &str, doc: &str) -> Result<(), ApiError> {
        // Not idempotent: a repeat would add a second version.
        call!(
            self,
            "CreatePolicyVersion",
            Safety::NotIdempotent,
            self.client
                .create_policy_version()
                .policy_arn(arn)
                .policy_document(doc)
                .set_as_default(true)
        )
        .map(|_| ())
    }

    async fn delete_policy_version(&self, arn: &str, version: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DeletePolicyVersion",
                Safety::Idempotent,
                self.client
                    .delete_policy_version()
                    .policy_arn(arn)
                    .version_id(version)
            )
            .map(|_| ()),
        )
    }

    async fn delete_policy(&self, arn: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DeletePolicy",
                Safety::Idempotent,
                self.client.delete_policy().policy_arn(arn)
            )
            .map(|_| ()),
        )
    }

    async fn tag_policy(&self, arn: &str, tags: &BTreeMap<String, String>) -> Result<(), ApiError> {
        let tags = to_tags(tags)?;
        call!(
            self,
            "TagPolicy",
            Safety::Idempotent,
            self.client
                .tag_policy()
                .policy_arn(arn)
                .set_tags(Some(tags.clone()))
        )
        .map(|_| ())
    }

    async fn untag_policy(&self, arn: &str, keys: &[String]) -> Result<(), ApiError> {
        call!(
            self,
            "UntagPolicy",
            Safety::Idempotent,
            self.client
                .untag_policy()
                .policy_arn(arn)
                .set_tag_keys(Some(keys.to_vec()))
        )
        .map(|_| ())
    }

    async fn list_entities_for_policy(&self, arn: &str) -> Result<PolicyEntities, ApiError> {
        let mut out = PolicyEntities::default();
        let mut marker: Option<String> = None;
        loop {
            let page = call!(
                self,
                "ListEntitiesForPolicy",
                Safety::Idempotent,
                self.client
                    .list_entities_for_policy()
                    .policy_arn(arn)
                    .set_marker(marker.clone())
            )?;
            out.users.extend(
                page.policy_users()
                    .iter()
                    .filter_map(|u| u.user_name().map(str::to_string)),
            );
            out.roles.extend(
                page.policy_roles()
                    .iter()
                    .filter_map(|r| r.role_name().map(str::to_string)),
            );
            out.groups.extend(
                page.policy_groups()
                    .iter()
                    .filter_map(|g| g.group_name().map(str::to_string)),
            );
            match (page.is_truncated(), page.marker()) {
                (true, Some(m)) => marker = Some(m.to_string()),
                _ => return Ok(out),
            }
        }
    }

    async fn attach_policy(&self, kind: Principal, name: &str, arn: &str) -> Result<(), ApiError> {
        match kind {
            Principal::Role => self.attach_role_policy(name, arn).await,
            Principal::User => call!(
                self,
                "AttachUserPolicy",
                Safety::Idempotent,
                self.client
                    .attach_user_policy()
                    .user_name(name)
                    .policy_arn(arn)
            )
            .map(|_| ()),
            Principal::Group => call!(
                self,
                "AttachGroupPolicy",
                Safety::Idempotent,
                self.client
                    .attach_group_policy()
                    .group_name(name)
                    .policy_arn(arn)
            )
            .map(|_| ()),
        }
    }

    async fn detach_policy(&self, kind: Principal, name: &str, arn: &str) -> Result<(), ApiError> {
        match kind {
            Principal::Role => self.detach_role_policy(name, arn).await,
            Principal::User => ok_if_missing(
                call!(
                    self,
                    "DetachUserPolicy",
                    Safety::Idempotent,
                    self.client
                        .detach_user_policy()
                        .user_name(name)
                        .policy_arn(arn)
                )
                .map(|_| ()),
            ),
            Principal::Group => ok_if_missing(
                call!(
                    self,
                    "DetachGroupPolicy",
                    Safety::Idempotent,
                    self.client
                        .detach_group_policy()
                        .group_name(name)
                        .policy_arn(arn)
                )
                .map(|_| ()),
            ),
        }
    }

    async fn get_instance_profile(&self, name: &str) -> Result<Option<InstanceProfile>, ApiError> {
        let r = none_if_missing(call!(
            self,
            "GetInstanceProfile",
            Safety::Idempotent,
            self.client
                .get_instance_profile()
                .instance_profile_name(name)
        ))?;
        Ok(r.and_then(|o| o.instance_profile().map(profile_of)))
    }

    async fn create_instance_profile(
        &self,
        name: &str,
        path: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<InstanceProfile, ApiError> {
        let tags = to_tags(tags)?;
        let out = call!(
            self,
            "CreateInstanceProfile",
            Safety::NotIdempotent,
            self.client
                .create_instance_profile()
                .instance_profile_name(name)
                .path(path)
                .set_tags(if tags.is_empty() {
                    None
                } else {
                    Some(tags.clone())
                })
        )?;
        out.instance_profile().map(profile_of).ok_or_else(|| {
            ApiError::new(
                ApiErrorKind::Other,
                "EmptyResponse",
                "CreateInstanceProfile returned no instance profile",
            )
        })
    }

    async fn delete_instance_profile(&self, name: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DeleteInstanceProfile",
                Safety::Idempotent,
                self.client
                    .delete_instance_profile()
                    .instance_profile_name(name)
            )
            .map(|_| ()),
        )
    }

    async fn add_role_to_instance_profile(
        &self,
        profile: &str,
        role: &str,
    ) -> Result<(), ApiError> {
        // A repeat answers LimitExceeded (one role per profile); the resource checks the
        // profile before calling again.
        call!(
            self,
            "AddRoleToInstanceProfile",
            Safety::NotIdempotent,
            self.client
                .add_role_to_instance_profile()
                .instance_profile_name(profile)
                .role_name(role)
        )
        .map(|_| ())
    }

    async fn remove_role_from_instance_profile(
        &self,
        profile: &str,
        role: &str,
    ) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "RemoveRoleFromInstanceProfile",
                Safety::Idempotent,
                self.client
                    .remove_role_from_instance_profile()
                    .instance_profile_name(profile)
                    .role_name(role)
            )
            .map(|_| ()),
        )
    }

    async fn tag_instance_profile(
        &self,
        name: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        let tags = to_tags(tags)?;
        call!(
            self,
            "TagInstanceProfile",
            Safety::Idempotent,
            self.client
                .tag_instance_profile()
                .instance_profile_name(name)
                .set_tags(Some(tags.clone()))
        )
        .map(|_| ())
    }

    async fn untag_instance_profile(&self, name: &str, keys: &[String]) -> Result<(), ApiError> {
        call!(
            self,
            "UntagInstanceProfile",
            Safety::Idempotent,
            self.client
                .untag_instance_profile()
                .instance_profile_name(name)
                .set_tag_keys(Some(keys.to_vec()))
        )
        .map(|_| ())
    }
}

/// An [`SdkIam`] for pure plan/normalize tests: its client is never called.
#[cfg(test)]
pub(crate) fn tests_api() -> SdkIam {
    use crate::providers::retry::{documented_rates, RetryPolicy};
    let client = aws_sdk_iam::Client::from_conf(
        aws_sdk_iam::Config::builder()
            .behavior_version(aws_sdk_iam::config::BehaviorVersion::latest())
            .region(aws_sdk_iam::config::Region::new("us-east-1"))
            .build(),
    );
    SdkIam::new(
        client,
        Arc::new(Caller::new(RetryPolicy::default(), documented_rates)),
    )
}
