//! ## What it does
//! Reports `Allow` statements that grant reads of data or secrets (`s3:GetObject`,
//! `secretsmanager:GetSecretValue`, `ssm:GetParameter*`, `kms:Decrypt`, `dynamodb:Scan`, ...) on
//! every resource with no condition.
//!
//! ## Why is this bad?
//! The holder can read every object and secret in the account, an easy exfiltration path.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-*"}
//! ```

use crate::lint::policy::Policy;
use crate::lint::rule::{granted_slice, Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM009",
    name: "unconstrained-data-read",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "Data or secret reads allowed on every resource without a condition",
    aws_code: None,
    source: include_str!("unconstrained_data_read.rs"),
    check,
};

/// Actions that read data or secrets.
pub const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:GetObjectVersion",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "secretsmanager:GetSecretValue",
    "kms:Decrypt",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "rds:DownloadDBLogFilePortion",
    "ec2:GetPasswordData",
    "glue:GetConnection",
];

fn check(p: &Policy, out: &mut Findings) {
    // In resource and endpoint policies `Resource: "*"` means the attached resource.
    if p.kind != crate::lint::policy::PolicyKind::Identity {
        return;
    }
    for st in &p.statements {
        if st.is_full_admin() || st.has_condition() || !st.resource_is_star() {
            continue;
        }
        let mut hits: Vec<String> = Vec::new();
        let mut first = None;
        for (r, span) in granted_slice(st).iter().copied() {
            let name = r.full_name();
            if ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(&name)) && !hits.contains(&name) {
                first.get_or_insert(span);
                hits.push(name);
            }
        }
        if let Some(span) = first {
            out.push(
                span,
                format!(
                    "{} can read every object or secret (`Resource: \"*\"`, no condition); scope to the ARNs the workload reads",
                    hits.join(", ")
                ),
            );
        }
    }
}
