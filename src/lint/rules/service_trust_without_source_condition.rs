//! ## What it does
//! Reports a trust policy that lets an AWS service principal assume the role with no
//! `aws:SourceAccount`, `aws:SourceArn` or `aws:SourceOrgID` condition.
//!
//! ## Why is this bad?
//! Without it, the service could be made to assume the role on behalf of another account's
//! resource (cross-service confused deputy). EMR Serverless supports both keys.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Principal": {"Service": "emr-serverless.amazonaws.com"}, "Action": "sts:AssumeRole"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Principal": {"Service": "emr-serverless.amazonaws.com"}, "Action": "sts:AssumeRole",
//!  "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}
//! ```

use crate::lint::policy::{Policy, PolicyKind};
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM032",
    name: "service-trust-without-source-condition",
    since: "0.1.0",
    severity: Severity::Info,
    title: "Service principal trust without aws:SourceAccount or aws:SourceArn",
    aws_code: None,
    source: include_str!("service_trust_without_source_condition.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    if p.kind != PolicyKind::Trust {
        return;
    }
    for st in &p.statements {
        let Some(pr) = &st.principal else { continue };
        if !st.is_allow() || st.condition_opaque {
            continue;
        }
        let guarded = st.conditions.iter().any(|c| {
            c.key_is("aws:SourceAccount")
                || c.key_is("aws:SourceArn")
                || c.key_is("aws:SourceOrgID")
                || c.key_is("aws:SourceOrgPaths")
        });
        if guarded {
            continue;
        }
        if let Some(t) = pr.values("Service").find(|t| t.known().is_some()) {
            out.push(t.span, format!("`{}` can assume this role for any account's resources; add an `aws:SourceAccount` or `aws:SourceArn` condition", t.known().unwrap_or_default()));
        }
    }
}
