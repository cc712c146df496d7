//! ## What it does
//! Reports a condition key that no service defines (`aws:SourceAcount`, `s3:prefixes`), .
//!
//! ## Why is this bad?
//! A condition on a key that is never present in the request does not match (or, with
//! `...IfExists`, always matches), so the statement does not do what it says.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
//!  "Condition": {"StringLike": {"s3:prefixes": "home/*"}}}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
//!  "Condition": {"StringLike": {"s3:prefix": "home/*"}}}
//! ```

use crate::lint::catalog::{catalog, is_global_key};
use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM018",
    name: "unknown-condition-key",
    since: "0.1.0",
    severity: Severity::Error,
    title: "Condition key is not defined for the statement's actions",
    aws_code: None,
    source: include_str!("unknown_condition_key.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    let c = catalog();
    for st in &p.statements {
        for cond in &st.conditions {
            let Some((prefix, _)) = cond.key.split_once(':') else {
                out.push(
                    cond.key_span,
                    format!(
                        "`{}` is not a condition key; keys look like `service:Name`",
                        cond.key
                    ),
                );
                continue;
            };
            // OIDC provider keys (`token.actions.githubusercontent.com:sub`) and similar.
            if prefix.contains(['.', '/']) {
                continue;
            }
            let lower = prefix.to_ascii_lowercase();
            if lower == "aws" {
                if !is_global_key(&cond.key) {
                    out.push(
                        cond.key_span,
                        format!(
                            "`{}` is not a global condition key; check its spelling",
                            cond.key
                        ),
                    );
                }
                continue;
            }
            let Some(service) = c.service(&lower) else {
                // Not a service prefix we know (`catalog:ChangeType`, identity-provider keys):
                // the catalog cannot judge it.
                continue;
            };
            if !service.has_condition_key(&cond.key) {
                // Trust policies carry keys of the identity provider / STS request.
                if lower == "sts" || lower == "saml" {
                    continue;
                }
                out.push(
                    cond.key_span,
                    format!(
                        "{} defines no condition key `{}`; check its spelling",
                        service.name, cond.key
                    ),
                );
                continue;
            }
        }
    }
}
