//! ## What it does
//! Checks the policy's size against IAM's quotas: 6,144 characters for a managed policy and
//! 10,240 for a role's inline policies (whitespace not counted).
//!
//! ## Why is this bad?
//! IAM rejects the policy with "LimitExceeded" at apply time.
//!
//! ## Example
//! A managed policy listing hundreds of bucket ARNs.
//!
//! Use instead: wildcards within your own prefixes, or split it into several policies.

use crate::lint::rule::{push, LintFinding, PolicyDoc, Rule, RuleMeta, Severity};

/// IAM012.
pub struct PolicyTooLarge;

impl Rule for PolicyTooLarge {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM012",
            name: "policy-too-large",
            severity: Severity::Error,
            title: "policy larger than IAM's quota",
            aws_code: Some("POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"),
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("policy_too_large.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        let Some(quota) = doc.size_quota else { return };
        let size = doc
            .node
            .to_json()
            .to_string()
            .chars()
            .filter(|c| !c.is_whitespace())
            .count();
        if size > quota {
            push(self, doc, doc.span, format!("the policy has {size} characters; IAM allows {quota}. Split it or use wildcards within your own prefixes"), out);
        }
    }
}
