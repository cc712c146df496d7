//! ## What it does
//! Reports two statements of one policy with the same `Sid`.
//!
//! ## Why is this bad?
//! IAM refuses some policies with duplicate statement ids, and tools that refer to statements by
//! `Sid` (and people reading findings) cannot tell them apart.
//!
//! ## Example
//! ```json
//! {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"},
//!                                        {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::a"}]}
//! ```
//!
//! Use instead: give each statement its own `Sid` (`ReadObjects`, `ListBucket`).

use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM015",
    name: "duplicate-sid",
    since: "0.1.0",
    severity: Severity::Error,
    title: "Two statements share a Sid",
    aws_code: Some("DUPLICATE_SID"),
    source: include_str!("duplicate_sid.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    let mut seen: Vec<&str> = Vec::new();
    for st in &p.statements {
        let Some(sid) = &st.sid else { continue };
        let Some(v) = sid.known() else { continue };
        if v.is_empty() {
            continue;
        }
        if seen.contains(&v) {
            out.push(
                sid.span,
                format!("`Sid` \"{v}\" is used by an earlier statement; give each statement a unique `Sid`"),
            );
        } else {
            seen.push(v);
        }
    }
}
