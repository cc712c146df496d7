//! ## What it does
//! Finds actions in a statement already covered by a wildcard in the same statement
//! (`s3:GetObject` next to `s3:Get*`).
//!
//! ## Why is this bad?
//! It hides what the statement really grants and wastes policy size.
//!
//! ## Example
//! `Action = ["s3:Get*", "s3:GetObject"]`
//!
//! Use instead: `Action = ["s3:Get*"]` (or, better, only the actions needed).

use crate::lint::rule::{
    action_matches, push, statements, LintFinding, PolicyDoc, Rule, RuleMeta, Severity,
};

/// IAM016.
pub struct RedundantAction;

impl Rule for RedundantAction {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM016",
            name: "redundant-action",
            severity: Severity::Info,
            title: "action covered by another in the same statement",
            aws_code: Some("REDUNDANT_ACTION"),
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("redundant_action.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        for s in statements(&doc.node) {
            let acts = s.values("Action");
            for (i, (a, sp)) in acts.iter().enumerate() {
                let covered = acts.iter().enumerate().any(|(j, (b, _))| {
                    i != j
                        && b.contains('*')
                        && *a != *b
                        && action_matches(b, a)
                        && !(a.contains('*') && action_matches(a, b))
                });
                if covered {
                    push(
                        self,
                        doc,
                        *sp,
                        format!("\"{a}\" is already covered by a wildcard in this statement"),
                        out,
                    );
                }
            }
        }
    }
}
