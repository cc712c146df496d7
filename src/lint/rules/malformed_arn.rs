//! ## What it does
//! Reports a `Resource` ARN that cannot match anything: fewer than six colon-separated parts, an
//! unknown partition or service, or a region or account in an ARN whose service has none (S3
//! buckets and objects, IAM). (A missing account is not reported: AWS-owned resources such as
//! `arn:aws:ssm:*::document/AWS-...` have none.)
//!
//! ## Why is this bad?
//! The statement silently applies to nothing: the workload is denied, or a `Deny` protects
//! nothing.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:us-east-1:111122223333:data/*"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*"}
//! ```

use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM020",
    name: "malformed-arn",
    since: "0.1.0",
    severity: Severity::Error,
    title: "Resource ARN is malformed",
    aws_code: None,
    source: include_str!("malformed_arn.rs"),
    check,
};

/// Checks one ARN, returning what is wrong with it.
pub fn arn_problem(arn: &str) -> Option<String> {
    if arn == "*" || arn.contains("${") {
        return None;
    }
    if !arn.starts_with("arn:") {
        if arn.contains('*') || arn.contains('?') {
            return None;
        }
        return Some(format!("`{arn}` is not an ARN; resources are written `arn:partition:service:region:account:resource` or `*`"));
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() < 6 {
        return Some(format!(
            "`{arn}` has {} colon-separated parts; an ARN has six (`arn:aws:s3:::bucket/key` for S3)",
            parts.len()
        ));
    }
    let (partition, service, region, account) = (parts[1], parts[2], parts[3], parts[4]);
    if !partition.contains('*')
        && ![
            "aws",
            "aws-cn",
            "aws-us-gov",
            "aws-iso",
            "aws-iso-b",
            "aws-iso-e",
            "aws-iso-f",
            "aws-eusc",
        ]
        .contains(&partition)
    {
        return Some(format!("`{partition}` is not an AWS partition; use `aws`"));
    }
    if service.contains('*') {
        return None;
    }
    let (_, types) = crate::lint::arn::lookup(arn)?;
    if types.is_empty() {
        return None; // action-resource-mismatch and friends handle unknown shapes
    }
    let field = |r: &crate::lint::catalog::ResourceType, i: usize| {
        crate::lint::arn::split(r.arn)
            .map(|f| f[i].is_empty())
            .unwrap_or(false)
    };
    if !region.is_empty() && region != "*" && types.iter().all(|r| field(r, 3)) {
        return Some(format!(
            "{service} ARNs of this kind have no region, but `{arn}` has `{region}`; leave the region empty (`arn:aws:{service}::...`)"
        ));
    }
    if !account.is_empty() && account != "*" && types.iter().all(|r| field(r, 4)) {
        return Some(format!(
            "{service} ARNs of this kind have no account, but `{arn}` has `{account}`; leave the account empty"
        ));
    }
    None
}

fn check(p: &Policy, out: &mut Findings) {
    for st in &p.statements {
        let Some(r) = &st.resource else { continue };
        for (v, span) in r.known() {
            if let Some(msg) = arn_problem(v) {
                out.push(span, msg);
            }
        }
    }
}
