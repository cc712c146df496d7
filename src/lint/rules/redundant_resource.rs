//! ## What it does
//! Reports a resource listed twice in a statement, or covered by a wildcard resource in the same
//! statement (`arn:aws:s3:::b/logs/*` next to `arn:aws:s3:::b/*`).
//!
//! ## Why is this bad?
//! It adds length against the size quota and makes the grant harder to read.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*"]}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*"]}
//! ```

use crate::lint::catalog::glob_match;
use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM022",
    name: "redundant-resource",
    since: "0.1.0",
    severity: Severity::Info,
    title: "Resource is listed twice or covered by a wildcard",
    aws_code: Some("REDUNDANT_RESOURCE"),
    source: include_str!("redundant_resource.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    for st in &p.statements {
        let Some(r) = &st.resource else { continue };
        let items: Vec<(&str, _)> = r.known().collect();
        for (i, (v, span)) in items.iter().enumerate() {
            let covered = items.iter().enumerate().find(|(j, (w, _))| {
                *j != i
                    && ((*w == *v && *j < i)
                        || (*w != *v && w.contains('*') && !w.contains("${") && glob_match(w, v)))
            });
            if let Some((_, (w, _))) = covered {
                out.push(
                    *span,
                    format!("`{v}` is already covered by `{w}` in this statement; remove it"),
                );
            }
        }
    }
}
