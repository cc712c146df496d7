//! ## What it does
//! Reports an `Allow` statement that grants `iam:PassRole` (by name or through a wildcard such as
//! `iam:*` or `iam:Pass*`) on `Resource: "*"`.
//!
//! ## Why is this bad?
//! Passing any role lets the holder hand a more privileged role to a service (an EMR Serverless
//! job, an EC2 instance, a Lambda function) and act with that role's permissions.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/emr-job-runtime",
//!  "Condition": {"StringEquals": {"iam:PassedToService": "emr-serverless.amazonaws.com"}}}
//! ```

use crate::lint::policy::Policy;
use crate::lint::rule::{granted_slice, Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM004",
    name: "pass-role-on-any-role",
    since: "0.1.0",
    severity: Severity::Error,
    title: "iam:PassRole is allowed on every role",
    aws_code: Some("PASS_ROLE_WITH_STAR_IN_RESOURCE"),
    source: include_str!("pass_role_on_any_role.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    // In resource and endpoint policies `Resource: "*"` means the attached resource.
    if p.kind != crate::lint::policy::PolicyKind::Identity {
        return;
    }
    for st in &p.statements {
        if st.is_full_admin() {
            continue;
        }
        let Some(star) = st.resources().and_then(|r| r.star()) else {
            continue;
        };
        if let Some((_, span)) = granted_slice(st)
            .iter()
            .copied()
            .find(|(r, _)| r.service.prefix == "iam" && r.action.name == "PassRole")
        {
            let _ = star;
            out.push(
                span,
                "iam:PassRole is allowed on every role (`Resource: \"*\"`); list the ARNs of the roles that may be passed",
            );
        }
    }
}
