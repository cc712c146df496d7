//! ## What it does
//! Finds two statements with the same `Sid`.
//!
//! ## Why is this bad?
//! IAM rejects the policy (Sids must be unique within a policy).
//!
//! ## Example
//! Two statements with `Sid = "ReadData"`.
//!
//! Use instead: unique Sids.

use crate::lint::rule::{push, statements, LintFinding, PolicyDoc, Rule, RuleMeta, Severity};

/// IAM006.
pub struct DuplicateSid;

impl Rule for DuplicateSid {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM006",
            name: "duplicate-sid",
            severity: Severity::Error,
            title: "two statements share a Sid",
            aws_code: Some("DUPLICATE_SID"),
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("duplicate_sid.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        let mut seen = std::collections::HashSet::new();
        for s in statements(&doc.node) {
            for (sid, sp) in s.values("Sid") {
                if !seen.insert(sid.to_string()) {
                    push(
                        self,
                        doc,
                        sp,
                        format!(
                            "Sid \"{sid}\" is used by an earlier statement; Sids must be unique"
                        ),
                        out,
                    );
                }
            }
        }
    }
}
