//! ## What it does
//! Finds statements that allow every action (`"*"`) on every resource (`"*"`) with no condition.
//!
//! ## Why is this bad?
//! It is administrator access: whoever holds the policy (for an EMR Serverless runtime role,
//! every job that runs with it) can do anything in the account, including `iam:PassRole` and
//! creating service-linked roles.
//!
//! ## Example
//! `{ Effect = "Allow", Action = "*", Resource = "*" }`
//!
//! Use instead: the actions the job needs on the resources it uses, e.g. `s3:GetObject` on
//! `arn:aws:s3:::bucket/prefix/*`.

use crate::lint::rule::{
    is_full_admin, push, statements, LintFinding, PolicyDoc, Rule, RuleMeta, Severity,
};

/// IAM001.
pub struct FullAdmin;

impl Rule for FullAdmin {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM001",
            name: "full-admin",
            severity: Severity::Error,
            title: "statement allows every action on every resource",
            aws_code: Some("PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE"),
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("full_admin.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        for s in statements(&doc.node) {
            if is_full_admin(&s) {
                push(self, doc, s.span_of("Action"), "statement allows every action on every resource (administrator access); list the actions and resources the role needs".into(), out);
            }
        }
    }
}
