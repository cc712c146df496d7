//! ## What it does
//! Finds actions that return credentials (access keys, login profiles, passwords, tokens)
//! allowed on every resource.
//!
//! ## Why is this bad?
//! Credentials outlive the job and can be used outside AWS's view of the role.
//!
//! ## Example
//! `{ Action = "iam:CreateAccessKey", Resource = "*" }`
//!
//! Use instead: remove the action, or scope it to the specific user or cluster.

use crate::lint::rule::{
    grants_on_star, is_full_admin, push, statements, LintFinding, PolicyDoc, Rule, RuleMeta,
    Severity,
};

/// IAM010.
pub struct CredentialsExposure;

const ACTIONS: &[&str] = &[
    "iam:CreateAccessKey",
    "iam:UpdateAccessKey",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "redshift:GetClusterCredentials",
    "ec2:GetPasswordData",
    "lightsail:GetInstanceAccessDetails",
    "sts:GetFederationToken",
];

impl Rule for CredentialsExposure {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM010",
            name: "credentials-exposure",
            severity: Severity::Warning,
            title: "action that returns credentials, on every resource",
            aws_code: None,
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("credentials_exposure.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        for s in statements(&doc.node) {
            if is_full_admin(&s) {
                continue;
            }
            for a in ACTIONS {
                if let Some(sp) = grants_on_star(&s, a) {
                    push(self, doc, sp, format!("allows {a} on every resource, which exposes credentials; scope it or remove it"), out);
                    break;
                }
            }
        }
    }
}
