//! ## What it does
//! Reports a policy longer than the IAM quota for where it is used: 6,144 characters for a
//! managed policy, 10,240 for a role's inline policies, 2,048 for a trust policy (the default,
//! raisable to 4,096), 20 KB for an S3 bucket policy, 10,240 for an ECR repository policy.
//! Whitespace is not counted, as IAM does not count it.
//!
//! ## Why is this bad?
//! AWS rejects the policy at apply time (`LimitExceeded` / `MalformedPolicyDocument`).
//!
//! ## Example
//! A managed policy listing hundreds of object ARNs one by one.
//!
//! Use instead: use wildcards on a common prefix, split the policy, or attach several managed
//! policies.

use crate::lint::policy::{Policy, PolicyKind};
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM025",
    name: "policy-too-large",
    since: "0.1.0",
    severity: Severity::Error,
    title: "Policy exceeds the IAM size quota",
    aws_code: None,
    source: include_str!("policy_too_large.rs"),
    check,
};

/// The quota for a policy, by kind and resource type, in characters (without whitespace).
pub fn quota(p: &Policy) -> (usize, &'static str) {
    match (p.kind, p.origin.resource_type.as_deref()) {
        (PolicyKind::Trust, _) => (4096, "trust policy (default quota 2,048, at most 4,096)"),
        (_, Some("aws_s3_bucket_policy")) => (20480, "S3 bucket policy"),
        (_, Some("aws_ecr_repository_policy")) => (10240, "ECR repository policy"),
        (_, Some("aws_iam_role_policy" | "aws_iam_role")) => (10240, "role inline policy"),
        (_, Some("aws_iam_user_policy")) => (2048, "user inline policy"),
        (_, Some("aws_iam_group_policy")) => (5120, "group inline policy"),
        _ => (6144, "managed policy"),
    }
}

fn check(p: &Policy, out: &mut Findings) {
    let Some(size) = p.size else { return };
    let (limit, what) = quota(p);
    if size > limit {
        out.push(
            p.span,
            format!("the policy is {size} characters, over the {limit}-character {what} quota; shorten it with wildcards or split it"),
        );
    } else if p.kind == PolicyKind::Trust && size > 2048 {
        out.push(
            p.span,
            format!("the trust policy is {size} characters, over the default 2,048 quota; shorten it or raise the account quota"),
        );
    }
}
