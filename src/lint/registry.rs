//! The one table mapping rule code → rule. Codes are stable and never reused; see
//! [`super::retired`] for renamed or removed codes.

use super::rule::RuleMeta;
use super::rules;

/// Every rule, in code order.
pub static RULES: &[&RuleMeta] = &[
    &rules::malformed_policy::RULE,
    &rules::wildcard_action::RULE,
    &rules::full_admin_access::RULE,
    &rules::wildcard_resource::RULE,
    &rules::pass_role_on_any_role::RULE,
    &rules::pass_role_without_service_condition::RULE,
    &rules::privilege_escalation::RULE,
    &rules::credentials_exposure::RULE,
    &rules::permissions_management::RULE,
    &rules::unconstrained_data_read::RULE,
    &rules::allow_with_not_action::RULE,
    &rules::allow_with_not_resource::RULE,
    &rules::allow_with_not_principal::RULE,
    &rules::missing_version::RULE,
    &rules::outdated_version::RULE,
    &rules::duplicate_sid::RULE,
    &rules::unknown_service::RULE,
    &rules::unknown_action::RULE,
    &rules::unknown_condition_key::RULE,
    &rules::action_resource_mismatch::RULE,
    &rules::malformed_arn::RULE,
    &rules::redundant_action::RULE,
    &rules::redundant_resource::RULE,
    &rules::ineffective_condition::RULE,
    &rules::for_all_values_single_valued_key::RULE,
    &rules::policy_too_large::RULE,
    &rules::trust_any_principal::RULE,
    &rules::cross_account_trust_without_external_id::RULE,
    &rules::service_trust_without_source_condition::RULE,
    &rules::emr_runtime_role_untrusted::RULE,
];

/// A rule by code (`IAM001`) or name (`wildcard-action`), case-insensitively.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    RULES.iter().copied().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// Rules selected by a selector: an exact code or name, or a code prefix (`IAM`, `IAM0`, `ALL`).
pub fn matching(selector: &str) -> Vec<&'static RuleMeta> {
    if selector.eq_ignore_ascii_case("ALL") {
        return RULES.to_vec();
    }
    if let Some(r) = find(selector) {
        return vec![r];
    }
    let up = selector.to_ascii_uppercase();
    RULES
        .iter()
        .copied()
        .filter(|r| r.code.starts_with(&up))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let re = regex::Regex::new(r"^(IAM|EMR|NET|ECR)\d{3}$").unwrap();
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(re.is_match(r.code), "bad code {}", r.code);
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            assert!(
                super::super::retired::lookup(r.code).is_none(),
                "{} is retired",
                r.code
            );
        }
        let mut names = std::collections::HashSet::new();
        for r in RULES {
            assert!(names.insert(r.name), "duplicate name {}", r.name);
            assert!(
                r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.name
            );
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for r in RULES {
            let doc = r.doc();
            for part in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "Use instead",
            ] {
                assert!(doc.contains(part), "{} doc lacks {part}", r.code);
            }
        }
    }

    #[test]
    fn selectors() {
        assert_eq!(matching("IAM001")[0].name, "wildcard-action");
        assert_eq!(matching("wildcard-action")[0].code, "IAM001");
        assert!(matching("EMR").iter().all(|r| r.code.starts_with("EMR")));
        assert_eq!(matching("ALL").len(), RULES.len());
    }
}

/// The README's table of every lint rule (code, name, severity, title, Access Analyzer code).
pub fn table_markdown() -> String {
    let mut out = String::from(
        "| code | name | severity | what it finds | Access Analyzer |\n|---|---|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            r.code,
            r.name,
            r.severity.as_str(),
            r.title,
            r.aws_code.unwrap_or("")
        ));
    }
    out
}

#[cfg(test)]
mod readme {
    /// README.md's table is this code's table.
    #[test]
    fn readme_table_matches_the_rules() {
        crate::readme_section::check("lint-table", &super::table_markdown());
    }
}
