//! ## What it does
//! Reports an action listed twice in a statement, or already covered by a wildcard in the same
//! statement (`s3:GetObject` next to `s3:Get*`).
//!
//! ## Why is this bad?
//! It adds nothing but length (policies have size quotas) and hides what the statement grants.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "arn:aws:s3:::b/*"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": ["s3:Get*"], "Resource": "arn:aws:s3:::b/*"}
//! ```

use crate::lint::catalog::glob_match;
use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM021",
    name: "redundant-action",
    since: "0.1.0",
    severity: Severity::Info,
    title: "Action is listed twice or covered by a wildcard",
    aws_code: Some("REDUNDANT_ACTION"),
    source: include_str!("redundant_action.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    for st in &p.statements {
        let Some(a) = &st.action else { continue };
        let items: Vec<(&str, _)> = a.known().collect();
        let wildcards: Vec<&str> = items
            .iter()
            .map(|(w, _)| *w)
            .filter(|w| w.contains(['*', '?']))
            .collect();
        let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
        for (v, span) in &items {
            let lower = v.to_ascii_lowercase();
            let covered = seen.get(&lower).copied().or_else(|| {
                wildcards
                    .iter()
                    .copied()
                    .find(|w| !w.eq_ignore_ascii_case(v) && glob_match(w, v))
            });
            seen.entry(lower).or_insert(v);
            if let Some(w) = covered {
                out.push(
                    *span,
                    format!("`{v}` is already granted by `{w}` in this statement; remove it"),
                );
            }
        }
    }
}
