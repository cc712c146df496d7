//! ## What it does
//! Finds allowed actions written as `*` or `service:*` (outside full-admin statements, which
//! IAM001 reports).
//!
//! ## Why is this bad?
//! A service wildcard grants every present and future action of the service, including
//! permissions management and deletion.
//!
//! ## Example
//! `Action = "s3:*"`
//!
//! Use instead: the actions needed, e.g. `["s3:GetObject", "s3:ListBucket"]`.

use crate::lint::rule::{
    is_full_admin, push, statements, LintFinding, PolicyDoc, PolicyKind, Rule, RuleMeta, Severity,
};

/// IAM002.
pub struct WildcardAction;

impl Rule for WildcardAction {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM002",
            name: "wildcard-action",
            severity: Severity::Warning,
            title: "statement allows all actions of a service",
            aws_code: None,
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("wildcard_action.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        if doc.kind == PolicyKind::Trust {
            return;
        }
        for s in statements(&doc.node) {
            if !s.allow || is_full_admin(&s) {
                continue;
            }
            for (a, sp) in s.values("Action") {
                if a == "*" || a.ends_with(":*") {
                    push(
                        self,
                        doc,
                        sp,
                        format!(
                            "\"{a}\" allows every action{}; list the actions needed",
                            a.strip_suffix(":*")
                                .map(|svc| format!(" of {svc}"))
                                .unwrap_or_default()
                        ),
                        out,
                    );
                }
            }
        }
    }
}
