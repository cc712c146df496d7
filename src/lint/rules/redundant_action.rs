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
        for (i, (v, span)) in items.iter().enumerate() {
            let covered = items.iter().enumerate().find(|(j, (w, _))| {
                *j != i
                    && ((w.eq_ignore_ascii_case(v) && *j < i)
                        || (!w.eq_ignore_ascii_case(v) && w.contains('*') && glob_match(w, v)))
            });
            if let Some((_, (w, _))) = covered {
                out.push(
                    *span,
                    format!("`{v}` is already granted by `{w}` in this statement; remove it"),
                );
            }
        }
    }
}
