//! ## What it does
//! Checks the structure IAM requires: a `Statement`; each statement with `Effect` Allow or
//! Deny, an `Action` or `NotAction`, a `Resource` or `NotResource` (identity policies) or a
//! `Principal` (trust and resource policies); action names of the form `service:Action`.
//!
//! ## Why is this bad?
//! IAM rejects the policy with "MalformedPolicyDocument" at apply time.
//!
//! ## Example
//! `{ Effect = "Allow", Action = "s3GetObject" }`
//!
//! Use instead: `{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" }`.

use crate::lint::policy::Node;
use crate::lint::rule::{
    push, statements, LintFinding, PolicyDoc, PolicyKind, Rule, RuleMeta, Severity,
};

/// IAM007.
pub struct MalformedPolicy;

impl Rule for MalformedPolicy {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM007",
            name: "malformed-policy",
            severity: Severity::Error,
            title: "policy structure IAM rejects",
            aws_code: Some("MISSING_ARN_FIELD"),
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("malformed_policy.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        if doc.node.has_unknown() && doc.node.get("Statement").is_none() {
            return;
        }
        if doc.node.get("Statement").is_none() {
            push(
                self,
                doc,
                doc.span,
                "the policy has no Statement".into(),
                out,
            );
            return;
        }
        for s in statements(&doc.node) {
            let span = s.node.span();
            match s.node.get("Effect") {
                None => push(
                    self,
                    doc,
                    span,
                    "statement has no Effect; add Effect = \"Allow\" or \"Deny\"".into(),
                    out,
                ),
                Some((_, Node::Str(e, sp))) if e != "Allow" && e != "Deny" => push(
                    self,
                    doc,
                    *sp,
                    format!("Effect must be \"Allow\" or \"Deny\", not \"{e}\""),
                    out,
                ),
                _ => {}
            }
            if !s.has("Action") && !s.has("NotAction") {
                push(
                    self,
                    doc,
                    span,
                    "statement has no Action or NotAction".into(),
                    out,
                );
            }
            if doc.kind == PolicyKind::Identity && !s.has("Resource") && !s.has("NotResource") {
                push(
                    self,
                    doc,
                    span,
                    "statement has no Resource or NotResource".into(),
                    out,
                );
            }
            if doc.kind != PolicyKind::Identity && !s.has("Principal") && !s.has("NotPrincipal") {
                push(self, doc, span, "statement has no Principal; trust and resource policies must name who they apply to".into(), out);
            }
            for key in ["Action", "NotAction"] {
                for (a, sp) in s.values(key) {
                    let ok = a == "*"
                        || a.split_once(':').is_some_and(|(svc, act)| {
                            !svc.is_empty()
                                && svc.chars().all(|c| {
                                    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
                                })
                                && !act.is_empty()
                                && act
                                    .chars()
                                    .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?')
                        });
                    if !ok {
                        push(
                            self,
                            doc,
                            sp,
                            format!("\"{a}\" is not an action name of the form service:Action"),
                            out,
                        );
                    }
                }
            }
        }
    }
}
