//! ## What it does
//! Reports `Allow` statements granting, on every resource and without a condition, actions that
//! return credentials or secrets-like tokens (`iam:CreateAccessKey`, `sts:GetFederationToken`,
//! `redshift:GetClusterCredentials`, ...).
//!
//! ## Why is this bad?
//! The returned credentials outlive the session and can be used from anywhere.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "redshift:GetClusterCredentials", "Resource": "*"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": "redshift:GetClusterCredentials", "Resource": "arn:aws:redshift:us-east-1:111122223333:dbuser:analytics/etl"}
//! ```

use crate::lint::policy::Policy;
use crate::lint::rule::{granted_slice, Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM007",
    name: "credentials-exposure",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "Statement allows actions that return credentials on every resource",
    aws_code: None,
    source: include_str!("credentials_exposure.rs"),
    check,
};

/// Actions whose responses carry credentials.
pub const ACTIONS: &[&str] = &[
    "chime:CreateApiKey",
    "codepipeline:PollForJobs",
    "cognito-identity:GetCredentialsForIdentity",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "gamelift:GetInstanceAccess",
    "gamelift:RequestUploadCredentials",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UpdateAccessKey",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "rds-db:Connect",
    "redshift:GetClusterCredentials",
    "sso:GetRoleCredentials",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
];

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
            let name = r.full_name();
            if ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(&name)) && !hits.contains(&name) {
                first.get_or_insert(span);
                hits.push(name);
            }
        }
        if let Some(span) = first {
            out.push(
                span,
                format!(
                    "{} return credentials and are allowed on every resource; scope them to specific ARNs",
                    hits.join(", ")
                ),
            );
        }
    }
}
