//! The lint rules, one per file. Each file has a `//!` doc (What it does / Why is this bad? /
//! Example / Use instead), a `pub static RULE: RuleMeta` and a private `check`. Rules read a
//! [`crate::lint::policy::Policy`] and push findings; they must not print, read files or guess at
//! unknown values (an unknown resource is not `*`).

pub mod action_resource_mismatch;
pub mod allow_with_not_action;
pub mod allow_with_not_principal;
pub mod allow_with_not_resource;
pub mod credentials_exposure;
pub mod cross_account_trust_without_external_id;
pub mod duplicate_sid;
pub mod emr_runtime_role_untrusted;
pub mod for_all_values_single_valued_key;
pub mod full_admin_access;
pub mod ineffective_condition;
pub mod malformed_arn;
pub mod malformed_policy;
pub mod missing_version;
pub mod outdated_version;
pub mod pass_role_on_any_role;
pub mod pass_role_without_service_condition;
pub mod permissions_management;
pub mod policy_too_large;
pub mod privilege_escalation;
pub mod redundant_action;
pub mod redundant_resource;
pub mod service_trust_without_source_condition;
pub mod trust_any_principal;
pub mod unconstrained_data_read;
pub mod unknown_action;
pub mod unknown_condition_key;
pub mod unknown_service;
pub mod wildcard_action;
pub mod wildcard_resource;
