//! ## What it does
//! Reports an action the service does not have, and a wildcard pattern (`s3:Gte*`) that matches
//! no action.
//!
//! ## Why is this bad?
//! The action grants or denies nothing: a typo in an `Allow` leaves the workload without the
//! permission, and in a `Deny` leaves a hole.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "arn:aws:s3:::b/*"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
//! ```

use crate::lint::catalog::catalog;
use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM017",
    name: "unknown-action",
    since: "0.1.0",
    severity: Severity::Error,
    title: "Action does not exist or wildcard matches no action",
    aws_code: Some("INVALID_ACTION"),
    source: include_str!("unknown_action.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    let c = catalog();
    for st in &p.statements {
        let Some(a) = &st.action else { continue };
        for (v, span) in a.known() {
            if v == "*" || v.contains("${") {
                continue;
            }
            let Some((svc, name)) = v.split_once(':') else {
                continue;
            };
            if svc.contains(['*', '?']) {
                continue;
            }
            let Some(service) = c.service(svc) else {
                continue; // unknown-service reports it
            };
            if !c.expand(v).is_empty() {
                continue;
            }
            if name.contains(['*', '?']) {
                out.push(
                    span,
                    format!("`{v}` matches no {svc} action; fix the pattern"),
                );
            } else {
                let hint = service
                    .actions
                    .iter()
                    .map(|a| {
                        (
                            strsim::levenshtein(
                                &a.name.to_ascii_lowercase(),
                                &name.to_ascii_lowercase(),
                            ),
                            a.name,
                        )
                    })
                    .min()
                    .filter(|(d, _)| *d <= 3)
                    .map(|(_, n)| format!("; did you mean `{svc}:{n}`?"))
                    .unwrap_or_default();
                out.push(
                    span,
                    format!("{} has no action `{name}`{hint}", service.name),
                );
            }
        }
    }
}
