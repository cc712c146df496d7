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
        let wildcards: Vec<&str> = items
            .iter()
            .map(|(w, _)| *w)
            .filter(|w| w.contains(['*', '?']) && !w.contains("${"))
            .collect();
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (v, span) in &items {
            let covered = if seen.contains(v) {
                Some(*v)
            } else {
                wildcards
                    .iter()
                    .copied()
                    .find(|w| w != v && glob_match(w, v))
            };
            seen.insert(v);
            if let Some(w) = covered {
                out.push(
                    *span,
                    format!("`{v}` is already covered by `{w}` in this statement; remove it"),
                );
            }
        }
    }
}
