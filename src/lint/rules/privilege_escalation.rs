//! ## What it does
//! Reports a policy whose `Allow` statements together grant a known privilege-escalation action
//! set (the combinations published by Rhino Security Labs and Bishop Fox), such as
//! `iam:CreatePolicyVersion`, `iam:AttachRolePolicy`, or `iam:PassRole` with `ec2:RunInstances`.
//!
//! ## Why is this bad?
//! Each set lets the holder give itself (or a resource it controls) more permissions than the
//! policy grants, up to administrator access.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}
//! ```
//!
//! Use instead: grant only one side of the combination, scope `iam:PassRole` to specific roles
//! with an `iam:PassedToService` condition, and scope IAM write actions to specific ARNs.

use crate::diag::Span;
use crate::lint::policy::Policy;
use crate::lint::rule::{granted_slice, Findings, RuleMeta, Severity};
use std::collections::HashMap;

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM006",
    name: "privilege-escalation",
    since: "0.1.0",
    severity: Severity::Error,
    title: "Policy grants an action set that allows privilege escalation",
    aws_code: None,
    source: include_str!("privilege_escalation.rs"),
    check,
};

/// Escalation sets: every action of a set must be granted.
pub const SETS: &[&[&str]] = &[
    &["iam:CreatePolicyVersion"],
    &["iam:SetDefaultPolicyVersion"],
    &["iam:CreateAccessKey"],
    &["iam:CreateLoginProfile"],
    &["iam:UpdateLoginProfile"],
    &["iam:AttachUserPolicy"],
    &["iam:AttachGroupPolicy"],
    &["iam:AttachRolePolicy"],
    &["iam:PutUserPolicy"],
    &["iam:PutGroupPolicy"],
    &["iam:PutRolePolicy"],
    &["iam:AddUserToGroup"],
    &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    &["iam:PassRole", "ec2:RunInstances"],
    &[
        "iam:PassRole",
        "lambda:CreateFunction",
        "lambda:InvokeFunction",
    ],
    &[
        "iam:PassRole",
        "lambda:CreateFunction",
        "lambda:CreateEventSourceMapping",
    ],
    &["lambda:UpdateFunctionCode"],
    &["iam:PassRole", "glue:CreateDevEndpoint"],
    &["glue:UpdateDevEndpoint"],
    &["iam:PassRole", "cloudformation:CreateStack"],
    &[
        "iam:PassRole",
        "datapipeline:CreatePipeline",
        "datapipeline:PutPipelineDefinition",
    ],
    &[
        "iam:PassRole",
        "sagemaker:CreateNotebookInstance",
        "sagemaker:CreatePresignedNotebookInstanceUrl",
    ],
    &["sagemaker:CreatePresignedNotebookInstanceUrl"],
    &["iam:PassRole", "codestar:CreateProject"],
];

fn check(p: &Policy, out: &mut Findings) {
    // In resource and endpoint policies `Resource: "*"` means the attached resource.
    if p.kind != crate::lint::policy::PolicyKind::Identity {
        return;
    }
    let mut granted: HashMap<String, Span> = HashMap::new();
    for st in &p.statements {
        if st.is_full_admin() || st.has_condition() {
            continue;
        }
        // Only grants on any resource escalate for certain; scoped grants are left alone.
        if !st.resource_is_star() {
            continue;
        }
        for (r, span) in granted_slice(st).iter().copied() {
            granted
                .entry(r.full_name().to_ascii_lowercase())
                .or_insert(span);
        }
    }
    let mut reported: Vec<Span> = Vec::new();
    for set in SETS {
        let spans: Option<Vec<Span>> = set
            .iter()
            .map(|a| granted.get(&a.to_ascii_lowercase()).copied())
            .collect();
        let Some(spans) = spans else { continue };
        let Some(&last) = spans.iter().max() else {
            continue;
        };
        if reported.contains(&last) {
            continue;
        }
        reported.push(last);
        out.push(
            last,
            format!(
                "{} on every resource allows privilege escalation; remove {} or scope it to specific ARNs",
                set.join(" + "),
                if set.len() == 1 { "it" } else { "one of them" }
            ),
        );
    }
}
