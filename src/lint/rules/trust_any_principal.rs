//! ## What it does
//! Finds trust and resource policies that allow `Principal = "*"` (or `{ AWS = "*" }`) with
//! no condition.
//!
//! ## Why is this bad?
//! Anyone, in any AWS account, can assume the role or use the resource.
//!
//! ## Example
//! `{ Effect = "Allow", Principal = "*", Action = "sts:AssumeRole" }`
//!
//! Use instead: the service or account principals that need access.

use crate::lint::policy::Node;
use crate::lint::rule::{
    push, statements, LintFinding, PolicyDoc, PolicyKind, Rule, RuleMeta, Severity,
};

/// IAM013.
pub struct TrustAnyPrincipal;

impl Rule for TrustAnyPrincipal {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM013",
            name: "any-principal",
            severity: Severity::Error,
            title: "Principal \"*\" with no condition",
            aws_code: None,
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("trust_any_principal.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        if doc.kind == PolicyKind::Identity {
            return;
        }
        for s in statements(&doc.node) {
            if !s.allow || s.has_condition() {
                continue;
            }
            let Some((_, p)) = s.node.get("Principal") else {
                continue;
            };
            let star = match p {
                Node::Str(x, _) => x == "*",
                Node::Obj(..) => p
                    .get("AWS")
                    .map(|(_, v)| v.items().iter().any(|i| i.as_str() == Some("*")))
                    .unwrap_or(false),
                _ => false,
            };
            if star {
                push(self, doc, p.span(), "Principal \"*\" lets anyone in any account use this; name the principals, or add a condition".into(), out);
            }
        }
    }
}
