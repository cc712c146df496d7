//! ## What it does
//! Finds read actions on sensitive data allowed on every resource with no condition:
//! `s3:GetObject`, `secretsmanager:GetSecretValue`, `ssm:GetParameter(s)`, `kms:Decrypt`.
//!
//! ## Why is this bad?
//! A job that can read every object, secret or parameter in the account can leak all of them.
//! EMR Serverless jobs should read the prefixes they process.
//!
//! ## Example
//! `{ Action = "s3:GetObject", Resource = "*" }`
//!
//! Use instead: `Resource = "arn:aws:s3:::raw-bucket/events/*"`.

use crate::lint::rule::{
    grants_on_star, is_full_admin, push, statements, LintFinding, PolicyDoc, PolicyKind, Rule,
    RuleMeta, Severity,
};

/// IAM011.
pub struct DataExfiltration;

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "kms:Decrypt",
];

impl Rule for DataExfiltration {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM011",
            name: "unscoped-data-read",
            severity: Severity::Warning,
            title: "reads of sensitive data on every resource",
            aws_code: None,
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("data_exfiltration.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        if doc.kind != PolicyKind::Identity {
            return;
        }
        for s in statements(&doc.node) {
            if is_full_admin(&s) {
                continue;
            }
            let hits: Vec<&str> = ACTIONS
                .iter()
                .copied()
                .filter(|a| grants_on_star(&s, a).is_some())
                .collect();
            if let Some(first) = hits.first() {
                let sp = grants_on_star(&s, first).unwrap_or(s.node.span());
                push(
                    self,
                    doc,
                    sp,
                    format!(
                        "allows {} on every resource; scope Resource to the data the job reads",
                        hits.join(", ")
                    ),
                    out,
                );
            }
        }
    }
}
