//! ## What it does
//! Reports a policy that is not valid JSON, or whose structure IAM would refuse: a missing
//! `Effect` or `Action`, an `Effect` other than `Allow`/`Deny`, unknown or misspelled elements,
//! wrong value types, a `Principal` in an identity policy.
//!
//! ## Why is this bad?
//! IAM rejects the document when the resource is created, so the apply fails half-way.
//!
//! ## Example
//! ```json
//! {"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Actions": "s3:GetObject"}]}
//! ```
//!
//! Use instead:
//! ```json
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}
//! ```

use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM000",
    name: "malformed-policy",
    since: "0.1.0",
    severity: Severity::Error,
    title: "Policy is not valid JSON or not a valid IAM policy structure",
    aws_code: None,
    source: include_str!("malformed_policy.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    for i in &p.issues {
        out.push(i.span, i.message.clone());
    }
}
