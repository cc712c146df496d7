//! ## What it does
//! Reports an action whose service prefix (`s3` in `s3:GetObject`) is not a published AWS
//! service prefix, or an action without a `prefix:` part.
//!
//! ## Why is this bad?
//! The action grants nothing; usually a typo (`s3s:GetObject`) or a product name used instead of
//! the prefix (`emrserverless:` instead of `emr-serverless:`), so the workload lacks a permission.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "emrserverless:StartJobRun", "Resource": "*"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": "emr-serverless:StartJobRun", "Resource": "*"}
//! ```

use crate::lint::catalog::{catalog, glob_match};
use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM016",
    name: "unknown-service",
    since: "0.1.0",
    severity: Severity::Error,
    title: "Action names a service prefix AWS does not have",
    aws_code: Some("INVALID_SERVICE"),
    source: include_str!("unknown_service.rs"),
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
            let Some((svc, _)) = v.split_once(':') else {
                out.push(
                    span,
                    format!("`{v}` is not an action; write it as `service:Action`"),
                );
                continue;
            };
            let known = if svc.contains(['*', '?']) {
                c.services().iter().any(|s| glob_match(svc, s.prefix))
            } else {
                c.service(svc).is_some()
            };
            if !known {
                let hint = c
                    .services()
                    .iter()
                    .map(|s| {
                        (
                            strsim::levenshtein(s.prefix, &svc.to_ascii_lowercase()),
                            s.prefix,
                        )
                    })
                    .min()
                    .filter(|(d, _)| *d <= 2)
                    .map(|(_, p)| format!("; did you mean `{p}`?"))
                    .unwrap_or_else(|| {
                        "; check the prefix in the Service Authorization Reference".to_string()
                    });
                out.push(span, format!("`{svc}` is not an AWS service prefix{hint}"));
            }
        }
    }
}
