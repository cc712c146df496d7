//! ## What it does
//! Finds `NotAction` or `NotResource` in an `Allow` statement, and `NotPrincipal` with `Allow`.
//!
//! ## Why is this bad?
//! "Allow everything except" grants every action or resource not listed, including ones AWS adds
//! later.
//!
//! ## Example
//! `{ Effect = "Allow", NotAction = "iam:*", Resource = "*" }`
//!
//! Use instead: an explicit `Action` list, or `Deny` with `NotAction`.

use crate::lint::rule::{push, statements, LintFinding, PolicyDoc, Rule, RuleMeta, Severity};

/// IAM004.
pub struct NotActionWithAllow;

impl Rule for NotActionWithAllow {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM004",
            name: "not-action-with-allow",
            severity: Severity::Warning,
            title: "NotAction, NotResource or NotPrincipal in an Allow statement",
            aws_code: None,
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("not_action_with_allow.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        for s in statements(&doc.node) {
            if !s.allow {
                continue;
            }
            for key in ["NotAction", "NotResource", "NotPrincipal"] {
                if s.has(key) {
                    push(self, doc, s.span_of(key), format!("{key} in an Allow statement grants everything not listed; use an explicit list or Deny"), out);
                }
            }
        }
    }
}
