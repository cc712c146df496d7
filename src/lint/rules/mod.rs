//! The lint rules, one per file, and the table of all of them. Codes are never reused; a
//! removed or renamed rule goes to `retired.rs`.

mod credentials_exposure;
mod data_exfiltration;
mod duplicate_sid;
mod for_all_values_single_valued;
mod full_admin;
mod invalid_arn;
mod malformed_policy;
mod missing_version;
mod not_action_with_allow;
mod pass_role_on_any_role;
mod policy_too_large;
mod privilege_escalation;
mod redundant_action;
mod service_principal_without_source;
mod trust_any_principal;
mod wildcard_action;

use super::rule::Rule;

/// Every rule, in code order.
pub static ALL: &[&dyn Rule] = &[
    &full_admin::FullAdmin,
    &wildcard_action::WildcardAction,
    &pass_role_on_any_role::PassRoleOnAnyRole,
    &not_action_with_allow::NotActionWithAllow,
    &missing_version::MissingVersion,
    &duplicate_sid::DuplicateSid,
    &malformed_policy::MalformedPolicy,
    &invalid_arn::InvalidArn,
    &privilege_escalation::PrivilegeEscalation,
    &credentials_exposure::CredentialsExposure,
    &data_exfiltration::DataExfiltration,
    &policy_too_large::PolicyTooLarge,
    &trust_any_principal::TrustAnyPrincipal,
    &service_principal_without_source::ServicePrincipalWithoutSource,
    &for_all_values_single_valued::ForAllValuesSingleValued,
    &redundant_action::RedundantAction,
];

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_unique_and_well_formed() {
        let re = regex::Regex::new(r"^(IAM|EMR|NET|ECR)\d{3}$").expect("regex");
        let mut seen = std::collections::HashSet::new();
        for r in super::ALL {
            let m = r.meta();
            assert!(re.is_match(m.code), "{}", m.code);
            assert!(seen.insert(m.code), "duplicate {}", m.code);
            assert!(
                r.doc().contains("## What it does") && r.doc().contains("## Why is this bad?"),
                "{} lacks docs",
                m.code
            );
        }
    }
}
