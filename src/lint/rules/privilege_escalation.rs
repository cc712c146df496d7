//! ## What it does
//! Finds actions that let the holder raise their own permissions (the Rhino Security Labs /
//! Bishop Fox list) allowed on every resource: creating or setting policy versions, attaching
//! or putting policies, editing trust policies, creating login profiles or access keys for
//! other users, adding users to groups, and updating code that runs with another role.
//!
//! ## Why is this bad?
//! Any of these is a path from a limited role to administrator.
//!
//! ## Example
//! `{ Action = "iam:AttachRolePolicy", Resource = "*" }`
//!
//! Use instead: scope the resource to the specific role or policy, or remove the action.

use crate::lint::rule::{
    grants_on_star, is_full_admin, push, statements, LintFinding, PolicyDoc, Rule, RuleMeta,
    Severity,
};

/// IAM009.
pub struct PrivilegeEscalation;

/// Actions that allow privilege escalation when granted on `*`.
pub const ESCALATION: &[&str] = &[
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:AddUserToGroup",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:CreateAccessKey",
    "iam:DeleteUserPermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "lambda:UpdateFunctionCode",
    "glue:UpdateDevEndpoint",
    "cloudformation:CreateStack",
    "datapipeline:CreatePipeline",
    "ec2:RunInstances",
];

impl Rule for PrivilegeEscalation {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM009",
            name: "privilege-escalation",
            severity: Severity::Error,
            title: "action that lets the holder raise its own permissions",
            aws_code: None,
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("privilege_escalation.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        for s in statements(&doc.node) {
            if is_full_admin(&s) {
                continue;
            }
            let hits: Vec<&str> = ESCALATION
                .iter()
                .copied()
                .filter(|a| grants_on_star(&s, a).is_some())
                .collect();
            if let Some(first) = hits.first() {
                let sp = grants_on_star(&s, first).unwrap_or(s.node.span());
                push(self, doc, sp, format!("allows {} on every resource, a privilege-escalation path; scope Resource to specific ARNs", hits.join(", ")), out);
            }
        }
    }
}
