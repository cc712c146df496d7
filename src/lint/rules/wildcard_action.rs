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
    // Endpoint policies only narrow what passes the endpoint; they grant nothing.
    if p.kind == crate::lint::policy::PolicyKind::Endpoint {
        return;
    }
    for st in &p.statements {
        if !st.is_allow() || st.is_full_admin() {
            continue;
        }
        if p.kind != crate::lint::policy::PolicyKind::Identity && delegates_to_account(st) {
            continue;
        }
        let Some(actions) = st.actions() else {
            continue;
        };
        for (a, span) in actions.known() {
            if a == "*" {
                out.push(
                    span,
                    "`Action: \"*\"` allows every AWS action; list the actions the workload calls",
                );
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

/// True when every principal of a resource-policy statement is a whole account (`:root` or a
/// bare account id) or unknown: the account then decides through its own IAM policies, as in
/// the default KMS key policy.
fn delegates_to_account(st: &crate::lint::policy::Statement) -> bool {
    let Some(pr) = &st.principal else {
        return false;
    };
    if pr.anyone().is_some() {
        return false;
    }
    let mut any = false;
    for (ty, values) in &pr.entries {
        if ty != "AWS" {
            return false;
        }
        for v in values {
            any = true;
            if let Some(s) = v.known() {
                let root = s.ends_with(":root")
                    || (s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()));
                if !root {
                    return false;
                }
            }
        }
    }
    any
}
