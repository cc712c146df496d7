//! ## What it does
//! Reports a policy whose `Version` is not `2012-10-17` (usually the old `2008-10-17`).
//!
//! ## Why is this bad?
//! The 2008 language does not support policy variables and some newer features; IAM rejects
//! any other value.
//!
//! ## Example
//! ```json
//! {"Version": "2008-10-17", "Statement": []}
//! ```
//!
//! Use instead:
//! ```json
//! {"Version": "2012-10-17", "Statement": []}
//! ```

use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM014",
    name: "outdated-version",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "Policy uses an old or invalid Version",
    aws_code: None,
    source: include_str!("outdated_version.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    let Some(v) = &p.version else { return };
    match v.known() {
        Some("2012-10-17") | None => {}
        Some("2008-10-17") => out.push(
            v.span,
            "`Version` 2008-10-17 is the old policy language without policy variables; use \"2012-10-17\"",
        ),
        Some(other) => out.push(
            v.span,
            format!("`Version` \"{other}\" is not a policy language version; use \"2012-10-17\""),
        ),
    }
}
