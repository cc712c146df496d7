//! ## What it does
//! Finds `ForAllValues:` operators on condition keys that hold one value (`aws:SourceAccount`,
//! `aws:SourceArn`, `aws:PrincipalArn`, `aws:SourceVpc`, `iam:PassedToService`, ...).
//!
//! ## Why is this bad?
//! `ForAllValues` is true when the key is absent, so the condition allows requests it was meant
//! to deny.
//!
//! ## Example
//! `ForAllValues:StringEquals = { "aws:SourceAccount" = "123456789012" }`
//!
//! Use instead: `StringEquals`.

use crate::lint::rule::{push, statements, LintFinding, PolicyDoc, Rule, RuleMeta, Severity};

/// IAM015.
pub struct ForAllValuesSingleValued;

const SINGLE: &[&str] = &[
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:principalarn",
    "aws:principalaccount",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceip",
    "iam:passedtoservice",
    "aws:requestedregion",
    "aws:principalorgid",
    "aws:securetransport",
];

impl Rule for ForAllValuesSingleValued {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM015",
            name: "for-all-values-on-single-valued-key",
            severity: Severity::Warning,
            title: "ForAllValues with a single-valued key",
            aws_code: Some("FORALLVALUES_WITH_SINGLE_VALUED_KEY"),
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("for_all_values_single_valued.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        for s in statements(&doc.node) {
            for (op, key, sp) in s.condition_keys() {
                if op.to_ascii_lowercase().starts_with("forallvalues:")
                    && SINGLE.contains(&key.as_str())
                {
                    push(self, doc, sp, format!("{op} with the single-valued key {key} is true when the key is absent; use {}", op.split_once(':').map(|x| x.1).unwrap_or("StringEquals")), out);
                }
            }
        }
    }
}
