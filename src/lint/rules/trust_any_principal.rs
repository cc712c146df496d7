//! ## What it does
//! Reports an `Allow` statement in a trust or resource policy whose principal is anyone
//! (`"Principal": "*"` or `{"AWS": "*"}`) with no condition that narrows who (such as
//! `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceAccount` or `sts:ExternalId`).
//!
//! ## Why is this bad?
//! Any AWS account, and for resource policies anonymous users, can assume the role or use the
//! resource.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Principal": {"Service": "emr-serverless.amazonaws.com"}, "Action": "sts:AssumeRole"}
//! ```

use crate::lint::policy::{ElemKind, Policy};
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM030",
    name: "trust-any-principal",
    since: "0.1.0",
    severity: Severity::Error,
    title: "Trust or resource policy allows any principal",
    aws_code: None,
    source: include_str!("trust_any_principal.rs"),
    check,
};

/// Condition keys that narrow who the principal can be.
pub const NARROWING_KEYS: &[&str] = &[
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:userid",
    "aws:PrincipalServiceName",
    "sts:ExternalId",
];

fn check(p: &Policy, out: &mut Findings) {
    if p.kind == crate::lint::policy::PolicyKind::Endpoint {
        return;
    }
    for st in &p.statements {
        let Some(pr) = &st.principal else { continue };
        if !st.is_allow() || pr.kind == ElemKind::Not || st.condition_opaque {
            continue;
        }
        let Some(span) = pr.anyone() else { continue };
        let narrowed = st.conditions.iter().any(|c| {
            NARROWING_KEYS.iter().any(|k| c.key_is(k)) && !c.operator.starts_with("StringNot")
        });
        if !narrowed {
            out.push(span, "`Principal: \"*\"` lets any AWS principal in; name the principals, or add an `aws:PrincipalOrgID`/`aws:SourceAccount` condition");
        }
    }
}
