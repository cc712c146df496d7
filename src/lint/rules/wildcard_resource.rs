//! ## What it does
//! Reports an `Allow` statement with `Resource: "*"` (and no condition) that grants actions
//! supporting resource-level permissions, i.e. actions that could have been scoped to ARNs.
//!
//! ## Why is this bad?
//! The grant reaches every bucket, table, role or repository in the account, present and future,
//! instead of the ones the workload uses.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*"}
//! ```

use crate::lint::policy::{Policy, PolicyKind};
use crate::lint::rule::{granted_slice, Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM003",
    name: "wildcard-resource",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "Statement applies actions that support resource-level permissions to every resource",
    aws_code: None,
    source: include_str!("wildcard_resource.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    if p.kind != PolicyKind::Identity {
        return;
    }
    for st in &p.statements {
        if !st.is_allow() || st.is_full_admin() || st.has_condition() {
            continue;
        }
        let Some(star) = st.resources().and_then(|r| r.star()) else {
            continue;
        };
        let Some(actions) = st.actions() else {
            continue;
        };
        // Whole-service wildcards are reported by wildcard-action; here we look at what is
        // listed explicitly or by a partial wildcard.
        let mut scoped: Vec<String> = Vec::new();
        for (r, span) in granted_slice(st).iter().copied() {
            let text = &p_text(actions, span);
            if text == "*" || text.ends_with(":*") {
                continue;
            }
            if !r.action.resource_types.is_empty() && !scoped.contains(&r.full_name()) {
                scoped.push(r.full_name());
            }
        }
        if scoped.is_empty() {
            continue;
        }
        let shown: Vec<_> = scoped.iter().take(3).cloned().collect();
        let more = if scoped.len() > 3 {
            format!(" and {} more", scoped.len() - 3)
        } else {
            String::new()
        };
        out.push(
            star.span,
            format!(
                "`Resource: \"*\"` applies {}{} to every resource; these actions can be scoped, so list the ARNs they need",
                shown.join(", "),
                more
            ),
        );
    }
}

fn p_text(actions: &crate::lint::policy::Elem, span: crate::diag::Span) -> String {
    actions
        .items
        .iter()
        .find(|t| t.span == span)
        .and_then(|t| t.value.clone())
        .unwrap_or_default()
}
