//! ## What it does
//! Reports an `Allow` statement that grants `iam:PassRole` without an `iam:PassedToService`
//! condition.
//!
//! ## Why is this bad?
//! Without the condition the role can be passed to any service, not only the one that needs it
//! (for EMR Serverless, `emr-serverless.amazonaws.com`).
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/job"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/job",
//!  "Condition": {"StringEquals": {"iam:PassedToService": "emr-serverless.amazonaws.com"}}}
//! ```

use crate::lint::policy::Policy;
use crate::lint::rule::{granted_slice, Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM005",
    name: "pass-role-without-service-condition",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "iam:PassRole without an iam:PassedToService condition",
    aws_code: None,
    source: include_str!("pass_role_without_service_condition.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    for st in &p.statements {
        if st.is_full_admin() || st.condition_opaque {
            continue;
        }
        if st
            .conditions
            .iter()
            .any(|c| c.key_is("iam:PassedToService"))
        {
            continue;
        }
        let explicit = st.actions().is_some_and(|a| {
            a.known()
                .any(|(v, _)| v.eq_ignore_ascii_case("iam:PassRole"))
        });
        if !explicit {
            continue;
        }
        if let Some((_, span)) = granted_slice(st)
            .iter()
            .copied()
            .find(|(r, _)| r.service.prefix == "iam" && r.action.name == "PassRole")
        {
            out.push(
                span,
                "iam:PassRole has no `iam:PassedToService` condition; add one naming the service the role is for",
            );
        }
    }
}
