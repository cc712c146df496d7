//! ## What it does
//! Reports a policy without a `Version` element.
//!
//! ## Why is this bad?
//! Without `"Version": "2012-10-17"` IAM uses the 2008 policy language, in which policy
//! variables such as `${aws:username}` are plain text, so conditions silently stop matching.
//!
//! ## Example
//! ```json
//! {"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}]}
//! ```
//!
//! Use instead:
//! ```json
//! {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}]}
//! ```

use crate::lint::policy::{NodeKind, Policy};
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM013",
    name: "missing-version",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "Policy has no Version element",
    aws_code: Some("MISSING_VERSION"),
    source: include_str!("missing_version.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    let _ = NodeKind::Null;
    if p.version.is_none() && !p.statements.is_empty() {
        out.push(
            p.span,
            "the policy has no `Version`; add `\"Version\": \"2012-10-17\"`",
        );
    }
}
