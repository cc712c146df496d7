//! ## What it does
//! Reports an `Allow` statement with `Action: "*"` and `Resource: "*"` and no condition:
//! administrator access.
//!
//! ## Why is this bad?
//! Whoever holds the policy can do anything in the account, including granting themselves and
//! others more access and deleting audit trails. A job runtime role never needs it.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "*", "Resource": "*"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::data/*"}
//! ```

use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM002",
    name: "full-admin-access",
    since: "0.1.0",
    severity: Severity::Error,
    title: "Statement allows every action on every resource (administrator access)",
    aws_code: Some("PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE"),
    source: include_str!("full_admin_access.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    if p.kind != crate::lint::policy::PolicyKind::Identity {
        return;
    }
    for st in &p.statements {
        if !st.is_full_admin() {
            continue;
        }
        let span = st
            .actions()
            .and_then(|a| a.star())
            .map(|t| t.span)
            .unwrap_or(st.span);
        out.push(
            span,
            "statement allows every action on every resource (administrator access); grant only the actions and resources the workload needs",
        );
    }
}
