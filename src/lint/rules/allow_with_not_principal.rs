//! ## What it does
//! Reports an `Allow` statement that uses `NotPrincipal`.
//!
//! ## Why is this bad?
//! It grants access to every principal except the listed ones, including anonymous users.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
//! ```
//!
//! Use instead: name the allowed principals in `Principal`.

use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM012",
    name: "allow-with-not-principal",
    since: "0.1.0",
    severity: Severity::Error,
    title: "Allow statement uses NotPrincipal",
    aws_code: Some("ALLOW_WITH_NOT_PRINCIPAL"),
    source: include_str!("allow_with_not_principal.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    for st in &p.statements {
        if let (true, Some(pr)) = (st.is_allow(), &st.principal) {
            if pr.kind == crate::lint::policy::ElemKind::Not {
                out.push(pr.key_span, "`Allow` with `NotPrincipal` grants access to everyone not listed, including anonymous users; name the allowed principals in `Principal`");
            }
        }
    }
}
