//! ## What it does
//! Finds `iam:PassRole` (directly or through a wildcard such as `iam:*`) allowed on any role
//! (`Resource = "*"`), and `iam:PassRole` without an `iam:PassedToService` condition.
//!
//! ## Why is this bad?
//! Passing any role to a service lets the holder run code with that role's permissions: the
//! classic privilege escalation.
//!
//! ## Example
//! `{ Action = "iam:PassRole", Resource = "*" }`
//!
//! Use instead: the role ARNs it may pass, with `iam:PassedToService` naming the service.

use crate::lint::rule::{
    action_matches, is_full_admin, push, statements, LintFinding, PolicyDoc, Rule, RuleMeta,
    Severity,
};

/// IAM003.
pub struct PassRoleOnAnyRole;

impl Rule for PassRoleOnAnyRole {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM003",
            name: "pass-role-on-any-role",
            severity: Severity::Error,
            title: "iam:PassRole on every role",
            aws_code: Some("PASS_ROLE_WITH_STAR_IN_RESOURCE"),
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("pass_role_on_any_role.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        for s in statements(&doc.node) {
            if !s.allow || is_full_admin(&s) {
                continue;
            }
            let Some((a, sp)) = s
                .values("Action")
                .into_iter()
                .find(|(a, _)| *a != "*" && action_matches(a, "iam:PassRole"))
            else {
                continue;
            };
            if s.values("Resource").iter().any(|(r, _)| *r == "*") {
                push(self, doc, sp, format!("\"{a}\" lets the holder pass any role to any service; limit Resource to the role ARNs it must pass"), out);
            } else if !s
                .condition_keys()
                .iter()
                .any(|(_, k, _)| k == "iam:passedtoservice")
                && !s.unknown("Condition")
            {
                out.push(LintFinding { rule: "IAM003", name: "pass-role-on-any-role", severity: Severity::Warning, message: format!("\"{a}\" has no iam:PassedToService condition; add one naming the service the role is for"), aws_code: None, address: doc.address.clone(), span: sp });
            }
        }
    }
}
