//! ## What it does
//! Reports an `Allow` statement that uses `NotAction`.
//!
//! ## Why is this bad?
//! `Allow` + `NotAction` grants every action except the listed ones, including every action AWS
//! adds later; it is almost always broader than intended.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
//! ```
//!
//! Use instead: list the allowed actions in `Action`; use `NotAction` only with `Deny`.

use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM010",
    name: "allow-with-not-action",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "Allow statement uses NotAction",
    aws_code: None,
    source: include_str!("allow_with_not_action.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    for st in &p.statements {
        if let (true, Some(a)) = (st.is_allow(), &st.action) {
            if a.is_not() {
                out.push(a.key_span, "`Allow` with `NotAction` grants every action not listed, including future ones; list the allowed actions in `Action` instead");
            }
        }
    }
}
