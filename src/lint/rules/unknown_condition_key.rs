//! ## What it does
//! Reports a condition key that no service defines (`aws:SourceAcount`, `s3:prefixes`), or a
//! service key used in a statement none of whose actions belong to that service.
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

/// Key prefixes that are not service prefixes but are valid in trust policies.
const OTHER_PREFIXES: &[&str] = &["saml", "sts", "ec2", "ssm", "lambda", "s3"];

fn check(p: &Policy, out: &mut Findings) {
    let c = catalog();
    for st in &p.statements {
        let action_services: Vec<String> = st
            .action
            .as_ref()
            .map(|a| {
                a.known()
                    .filter_map(|(v, _)| v.split_once(':').map(|(s, _)| s.to_ascii_lowercase()))
                    .collect()
            })
            .unwrap_or_default();
        let any_action = st.action.as_ref().is_none_or(|a| {
            a.is_not() || a.opaque || a.items.iter().any(|t| t.value.is_none() || t.is_star())
        });
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
                if !OTHER_PREFIXES.contains(&lower.as_str()) {
                    out.push(
                        cond.key_span,
                        format!("`{prefix}` in `{}` is not an AWS service prefix", cond.key),
                    );
                }
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
            if !any_action
                && !action_services.is_empty()
                && !action_services.contains(&lower)
                && lower != "sts"
            {
                out.push(cond.key_span, format!("`{}` is a {} key but the statement has no {} action, so it is never in the request", cond.key, service.name, prefix));
            }
        }
    }
}
