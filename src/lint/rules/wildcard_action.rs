//! ## What it does
//! Reports an `Allow` statement whose `Action` is `*` or a whole service (`s3:*`).
//!
//! ## Why is this bad?
//! It grants every present and future action of the service, including destructive and
//! permission-changing ones, when the workload needs a handful.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::data/*"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::data/*"}
//! ```

use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM001",
    name: "wildcard-action",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "Statement allows every action of a service",
    aws_code: None,
    source: include_str!("wildcard_action.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    for st in &p.statements {
        if !st.is_allow() || st.is_full_admin() {
            continue;
        }
        let Some(actions) = st.actions() else { continue };
        for (a, span) in actions.known() {
            if a == "*" {
                out.push(span, "`Action: \"*\"` allows every AWS action; list the actions the workload calls");
            } else if let Some((svc, rest)) = a.split_once(':') {
                if rest == "*" {
                    out.push(
                        span,
                        format!("`{a}` allows every {svc} action; list the {svc} actions the workload calls"),
                    );
                }
            }
        }
    }
}
