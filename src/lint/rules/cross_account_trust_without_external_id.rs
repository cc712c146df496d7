//! ## What it does
//! Reports a trust policy that lets an AWS account or role (given as a literal account id or
//! ARN) assume the role with no `sts:ExternalId` (or `aws:PrincipalOrgID`) condition.
//!
//! ## Why is this bad?
//! A third party that assumes roles for several customers can be tricked into using your role on
//! another customer's behalf (the confused deputy problem); the external id prevents it.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole",
//!  "Condition": {"StringEquals": {"sts:ExternalId": "a-shared-secret-id"}}}
//! ```

use crate::lint::policy::{Policy, PolicyKind};
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM031",
    name: "cross-account-trust-without-external-id",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "Cross-account trust without an sts:ExternalId condition",
    aws_code: None,
    source: include_str!("cross_account_trust_without_external_id.rs"),
    check,
};

fn account_of(v: &str) -> Option<&str> {
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v);
    }
    let f = crate::lint::arn::split(v)?;
    (f[2] == "iam" || f[2] == "sts")
        .then_some(f[4])
        .filter(|a| a.len() == 12)
}

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
            c.key_is("sts:ExternalId")
                || c.key_is("aws:PrincipalOrgID")
                || c.key_is("aws:PrincipalOrgPaths")
                || c.key_is("aws:MultiFactorAuthPresent")
        });
        if guarded {
            continue;
        }
        let accounts: Vec<_> = pr
            .values("AWS")
            .filter_map(|t| {
                t.known()
                    .and_then(account_of)
                    .map(|a| (a.to_string(), t.span))
            })
            .collect();
        // With principals from several accounts, or one account: we cannot know the role's own
        // account, so report literal account principals (own-account trusts use references).
        if let Some((acct, span)) = accounts.first() {
            out.push(*span, format!("account {acct} can assume this role without an `sts:ExternalId` condition; add `\"Condition\": {{\"StringEquals\": {{\"sts:ExternalId\": \"...\"}}}}`"));
        }
    }
}
