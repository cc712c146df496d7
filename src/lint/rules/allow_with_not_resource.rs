//! ## What it does
//! Reports an `Allow` statement that uses `NotResource`.
//!
//! ## Why is this bad?
//! It grants the actions on every resource except the listed ones, including resources created
//! later and resources in other accounts.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}
//! ```
//!
//! Use instead: list the allowed resources in `Resource`; use `NotResource` only with `Deny`.

use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM011",
    name: "allow-with-not-resource",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "Allow statement uses NotResource",
    aws_code: None,
    source: include_str!("allow_with_not_resource.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    for st in &p.statements {
        if let (true, Some(r)) = (st.is_allow(), &st.resource) {
            if r.is_not() {
                out.push(r.key_span, "`Allow` with `NotResource` grants access to every resource not listed; list the allowed resources in `Resource` instead");
            }
        }
    }
}
