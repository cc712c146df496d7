//! ## What it does
//! Finds policies without `Version = "2012-10-17"` (missing, or the old `2008-10-17`).
//!
//! ## Why is this bad?
//! Without the current version, policy variables such as `${aws:username}` are read as
//! literal text and some features are unavailable.
//!
//! ## Example
//! `{ Statement = [...] }`
//!
//! Use instead: `{ Version = "2012-10-17", Statement = [...] }`.

use crate::lint::policy::Node;
use crate::lint::rule::{push, LintFinding, PolicyDoc, Rule, RuleMeta, Severity};

/// IAM005.
pub struct MissingVersion;

impl Rule for MissingVersion {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM005",
            name: "missing-version",
            severity: Severity::Warning,
            title: "policy without Version 2012-10-17",
            aws_code: Some("MISSING_VERSION"),
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("missing_version.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        match doc.node.get("Version") {
            None if matches!(doc.node, Node::Obj(..)) => push(
                self,
                doc,
                doc.span,
                "the policy has no Version; add Version = \"2012-10-17\"".into(),
                out,
            ),
            Some((_, Node::Str(v, sp))) if v != "2012-10-17" => push(
                self,
                doc,
                *sp,
                format!("Version \"{v}\" is outdated; use \"2012-10-17\""),
                out,
            ),
            _ => {}
        }
    }
}
