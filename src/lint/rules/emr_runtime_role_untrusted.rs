//! ## What it does
//! Reports the trust policy of an EMR Serverless job runtime role (a role whose name or
//! Terraform label mentions EMR and a runtime/job/execution/serverless role) that does not let
//! `emr-serverless.amazonaws.com` assume it.
//!
//! ## Why is this bad?
//! `StartJobRun` with the role fails at once: EMR Serverless cannot assume a role that does not
//! trust it. A common slip is trusting `elasticmapreduce.amazonaws.com` (EMR on EC2) or
//! `emr-containers.amazonaws.com` (EMR on EKS) instead.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Principal": {"Service": "elasticmapreduce.amazonaws.com"}, "Action": "sts:AssumeRole"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Principal": {"Service": "emr-serverless.amazonaws.com"}, "Action": "sts:AssumeRole"}
//! ```

use crate::lint::policy::{Policy, PolicyKind};
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "EMR001",
    name: "emr-runtime-role-untrusted",
    since: "0.1.0",
    severity: Severity::Error,
    title: "EMR Serverless runtime role does not trust emr-serverless.amazonaws.com",
    aws_code: None,
    source: include_str!("emr_runtime_role_untrusted.rs"),
    check,
};

/// True when a role name looks like an EMR Serverless job runtime role.
pub fn looks_like_runtime_role(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("emr")
        && ["runtime", "job", "execution", "exec", "serverless", "spark"]
            .iter()
            .any(|w| n.contains(w))
        && !n.contains("eks")
        && !n.contains("containers")
        && !n.contains("ec2")
}

fn check(p: &Policy, out: &mut Findings) {
    if p.kind != PolicyKind::Trust {
        return;
    }
    let Some(name) = p.origin.role_name.as_deref() else {
        return;
    };
    if !looks_like_runtime_role(name) {
        return;
    }
    let mut anchor = None;
    for st in &p.statements {
        if !st.is_allow() || st.principal.is_none() {
            continue;
        }
        let Some(pr) = &st.principal else { continue };
        if pr.anyone().is_some() {
            return;
        }
        for (_, values) in &pr.entries {
            for v in values {
                match v.known() {
                    None => return, // could be anything
                    Some(s) if s.eq_ignore_ascii_case("emr-serverless.amazonaws.com") => return,
                    Some(_) => {}
                }
            }
        }
        anchor.get_or_insert(pr.span);
    }
    let span = anchor.unwrap_or(p.statement_span);
    out.push(span, format!("role `{name}` looks like an EMR Serverless runtime role but its trust policy does not name `emr-serverless.amazonaws.com`; add it as a Service principal"));
}
