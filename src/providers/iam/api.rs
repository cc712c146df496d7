//! The IAM calls the role, policy, inline policy and attachment resources need, in our types.

use crate::providers::error::ApiError;
use async_trait::async_trait;
use std::collections::BTreeMap;

/// A role as read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Role {
    /// Name.
    pub name: String,
    /// Path.
    pub path: String,
    /// Unique id (`AROA...`).
    pub role_id: String,
    /// ARN.
    pub arn: String,
    /// Creation time, RFC 3339.
    pub create_date: String,
    /// Trust policy as returned (URL-encoded on AWS).
    pub assume_role_policy: String,
    /// Description.
    pub description: Option<String>,
    /// Maximum session duration in seconds.
    pub max_session_duration: Option<i32>,
    /// Permissions boundary ARN.
    pub permissions_boundary: Option<String>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
}

/// CreateRole input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewRole {
    /// Name.
    pub name: String,
    /// Path.
    pub path: String,
    /// Trust policy.
    pub assume_role_policy: String,
    /// Description.
    pub description: Option<String>,
    /// Maximum session duration.
    pub max_session_duration: Option<i32>,
    /// Permissions boundary.
    pub permissions_boundary: Option<String>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
}

/// A managed policy as read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Policy {
    /// ARN.
    pub arn: String,
    /// Name.
    pub name: String,
    /// Path.
    pub path: String,
    /// Description.
    pub description: Option<String>,
    /// Policy id (`ANPA...`).
    pub policy_id: String,
    /// Default version id.
    pub default_version_id: String,
    /// Number of attachments.
    pub attachment_count: i64,
    /// Tags.
    pub tags: BTreeMap<String, String>,
}

/// One version of a managed policy.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyVersion {
    /// `v1`, `v2`, ...
    pub version_id: String,
    /// Whether it is the default.
    pub is_default: bool,
    /// Creation time, RFC 3339 (sorts chronologically).
    pub create_date: String,
}

/// An instance profile as read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InstanceProfile {
    /// Name.
    pub name: String,
    /// Path.
    pub path: String,
    /// Unique id (`AIPA...`).
    pub id: String,
    /// ARN.
    pub arn: String,
    /// Creation time, RFC 3339.
    pub create_date: String,
    /// Names of its roles (at most one).
    pub roles: Vec<String>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
}

/// The principals a managed policy is attached to (ListEntitiesForPolicy), by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyEntities {
    /// Users.
    pub users: Vec<String>,
    /// Roles.
    pub roles: Vec<String>,
    /// Groups.
    pub groups: Vec<String>,
}

/// A kind of IAM principal a managed policy attaches to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Principal {
    /// A user.
    User,
    /// A role.
    Role,
    /// A group.
    Group,
}

/// IAM.
///
/// # Errors
/// Every method returns AWS's failure classified as an [`ApiError`] (see
/// [`ApiError::from_sdk`](crate::providers::error::ApiError::from_sdk)); lookups return
/// `Ok(None)` rather than a not-found error where their doc says so.
#[async_trait]
pub trait IamApi: Send + Sync {
    /// GetRole; `None` when missing.
    async fn get_role(&self, name: &str) -> Result<Option<Role>, ApiError>;
    /// CreateRole.
    async fn create_role(&self, r: &NewRole) -> Result<Role, ApiError>;
    /// UpdateRole (description, max session duration).
    async fn update_role(
        &self,
        name: &str,
        description: Option<&str>,
        max_session: Option<i32>,
    ) -> Result<(), ApiError>;
    /// UpdateAssumeRolePolicy.
    async fn update_assume_role_policy(&self, name: &str, doc: &str) -> Result<(), ApiError>;
    /// PutRolePermissionsBoundary / DeleteRolePermissionsBoundary (None).
    async fn set_permissions_boundary(&self, name: &str, arn: Option<&str>)
        -> Result<(), ApiError>;
    /// TagRole.
    async fn tag_role(&self, name: &str, tags: &BTreeMap<String, String>) -> Result<(), ApiError>;
    /// UntagRole.
    async fn untag_role(&self, name: &str, keys: &[String]) -> Result<(), ApiError>;
    /// DeleteRole (missing counts as deleted).
    async fn delete_role(&self, name: &str) -> Result<(), ApiError>;
    /// ListRolePolicies (inline policy names).
    async fn list_role_policies(&self, role: &str) -> Result<Vec<String>, ApiError>;
    /// ListAttachedRolePolicies (ARNs).
    async fn list_attached_role_policies(&self, role: &str) -> Result<Vec<String>, ApiError>;
    /// GetRolePolicy; `None` when missing.
    async fn get_role_policy(&self, role: &str, name: &str) -> Result<Option<String>, ApiError>;
    /// PutRolePolicy.
    async fn put_role_policy(&self, role: &str, name: &str, doc: &str) -> Result<(), ApiError>;
    /// DeleteRolePolicy (missing counts as deleted).
    async fn delete_role_policy(&self, role: &str, name: &str) -> Result<(), ApiError>;
    /// AttachRolePolicy.
    async fn attach_role_policy(&self, role: &str, arn: &str) -> Result<(), ApiError>;
    /// DetachRolePolicy (not attached counts as detached).
    async fn detach_role_policy(&self, role: &str, arn: &str) -> Result<(), ApiError>;
    /// CreatePolicy.
    async fn create_policy(
        &self,
        name: &str,
        path: &str,
        description: Option<&str>,
        doc: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<Policy, ApiError>;
    /// GetPolicy; `None` when missing.
    async fn get_policy(&self, arn: &str) -> Result<Option<Policy>, ApiError>;
    /// Local (customer managed) policies, optionally under a path prefix.
    async fn list_local_policies(&self, path_prefix: Option<&str>)
        -> Result<Vec<Policy>, ApiError>;
    /// GetPolicyVersion: the document as returned.
    async fn get_policy_version(&self, arn: &str, version: &str) -> Result<String, ApiError>;
    /// ListPolicyVersions.
    async fn list_policy_versions(&self, arn: &str) -> Result<Vec<PolicyVersion>, ApiError>;
    /// CreatePolicyVersion as default.
    async fn create_policy_version(&self, arn: &str, doc: &str) -> Result<(), ApiError>;
    /// DeletePolicyVersion.
    async fn delete_policy_version(&self, arn: &str, version: &str) -> Result<(), ApiError>;
    /// DeletePolicy (missing counts as deleted).
    async fn delete_policy(&self, arn: &str) -> Result<(), ApiError>;
    /// TagPolicy.
    async fn tag_policy(&self, arn: &str, tags: &BTreeMap<String, String>) -> Result<(), ApiError>;
    /// UntagPolicy.
    async fn untag_policy(&self, arn: &str, keys: &[String]) -> Result<(), ApiError>;
    /// ListEntitiesForPolicy (every page).
    async fn list_entities_for_policy(&self, arn: &str) -> Result<PolicyEntities, ApiError>;
    /// AttachUserPolicy / AttachRolePolicy / AttachGroupPolicy.
    async fn attach_policy(&self, kind: Principal, name: &str, arn: &str) -> Result<(), ApiError>;
    /// DetachUserPolicy / DetachRolePolicy / DetachGroupPolicy (not attached counts as
    /// detached).
    async fn detach_policy(&self, kind: Principal, name: &str, arn: &str) -> Result<(), ApiError>;
    /// GetInstanceProfile; `None` when missing.
    async fn get_instance_profile(&self, name: &str) -> Result<Option<InstanceProfile>, ApiError>;
    /// CreateInstanceProfile.
    async fn create_instance_profile(
        &self,
        name: &str,
        path: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<InstanceProfile, ApiError>;
    /// DeleteInstanceProfile (missing counts as deleted).
    async fn delete_instance_profile(&self, name: &str) -> Result<(), ApiError>;
    /// AddRoleToInstanceProfile.
    async fn add_role_to_instance_profile(&self, profile: &str, role: &str)
        -> Result<(), ApiError>;
    /// RemoveRoleFromInstanceProfile (not there counts as removed).
    async fn remove_role_from_instance_profile(
        &self,
        profile: &str,
        role: &str,
    ) -> Result<(), ApiError>;
    /// TagInstanceProfile.
    async fn tag_instance_profile(
        &self,
        name: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError>;
    /// UntagInstanceProfile.
    async fn untag_instance_profile(&self, name: &str, keys: &[String]) -> Result<(), ApiError>;
}
