//! ## What it does
//! Finds trust policies that let an AWS service assume the role with no `aws:SourceAccount`
//! or `aws:SourceArn` condition.
//!
//! ## Why is this bad?
//! Without them, the service can be tricked into using the role on behalf of another account
//! (the confused-deputy problem). EMR Serverless runtime roles should pin the account.
//!
//! ## Example
//! `Principal = { Service = "emr-serverless.amazonaws.com" }` and no condition.
//!
//! Use instead: add `StringEquals aws:SourceAccount = <your account id>`.

use crate::lint::rule::{
    push, statements, LintFinding, PolicyDoc, PolicyKind, Rule, RuleMeta, Severity,
};

/// IAM014.
pub struct ServicePrincipalWithoutSource;

impl Rule for ServicePrincipalWithoutSource {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM014",
            name: "service-trust-without-source",
            severity: Severity::Info,
            title: "service trust without aws:SourceAccount or aws:SourceArn",
            aws_code: None,
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("service_principal_without_source.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        if doc.kind != PolicyKind::Trust {
            return;
        }
        for s in statements(&doc.node) {
            if !s.allow || s.unknown("Condition") {
                continue;
            }
            let Some((_, p)) = s.node.get("Principal") else {
                continue;
            };
            let Some((_, svc)) = p.get("Service") else {
                continue;
            };
            let keys = s.condition_keys();
            let pinned = keys.iter().any(|(_, k, _)| {
                k == "aws:sourceaccount" || k == "aws:sourcearn" || k == "aws:sourceorgid"
            });
            if !pinned {
                let names: Vec<&str> = svc.items().iter().filter_map(|n| n.as_str()).collect();
                push(self, doc, svc.span(), format!("{} can assume this role for any account; add an aws:SourceAccount (or aws:SourceArn) condition", names.join(", ")), out);
            }
        }
    }
}
