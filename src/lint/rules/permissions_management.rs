//! ## What it does
//! Reports `Allow` statements that grant "Permissions management" actions (those that change
//! who can do what: `iam:PutRolePolicy`, `s3:PutBucketPolicy`, `kms:CreateGrant`, ...) on every
//! resource without a condition.
//!
//! ## Why is this bad?
//! Changing permissions on any resource is one step from granting yourself anything.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "s3:PutBucketPolicy", "Resource": "*"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": "s3:PutBucketPolicy", "Resource": "arn:aws:s3:::my-bucket"}
//! ```

use crate::lint::catalog::AccessLevel;
use crate::lint::policy::Policy;
use crate::lint::rule::{granted_slice, Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM008",
    name: "permissions-management-on-any-resource",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "Permissions-management actions allowed on every resource",
    aws_code: None,
    source: include_str!("permissions_management.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    // In resource and endpoint policies `Resource: "*"` means the attached resource.
    if p.kind != crate::lint::policy::PolicyKind::Identity {
        return;
    }
    for st in &p.statements {
        if st.is_full_admin() || st.has_condition() || !st.resource_is_star() {
            continue;
        }
        let mut hits: Vec<String> = Vec::new();
        let mut first = None;
        for (r, span) in granted_slice(st).iter().copied() {
            if r.action.level == AccessLevel::PermissionsManagement {
                // iam:PassRole has its own rule.
                if r.service.prefix == "iam" && r.action.name == "PassRole" {
                    continue;
                }
                first.get_or_insert(span);
                hits.push(r.full_name());
            }
        }
        if let Some(span) = first {
            let n = hits.len();
            let shown: Vec<_> = hits.into_iter().take(3).collect();
            out.push(
                span,
                format!(
                    "{}{} change permissions and are allowed on every resource; scope them to specific ARNs",
                    shown.join(", "),
                    if n > 3 { format!(" and {} more", n - 3) } else { String::new() }
                ),
            );
        }
    }
}
