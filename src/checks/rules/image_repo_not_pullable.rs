//! ## What it does
//! Follows an application's custom image (`image_configuration.image_uri`) to its ECR
//! repository in the plan and checks the repository policy: an `Allow` statement for the
//! service principal `emr-serverless.amazonaws.com` with `ecr:BatchGetImage`,
//! `ecr:DescribeImages` and `ecr:GetDownloadUrlForLayer`.
//!
//! ## Why is this bad?
//! EMR Serverless pulls the image as that service principal. Without the grant, `apply`
//! succeeds and every job then fails to start.
//!
//! ## Example
//! A repository policy that only names the account's own principals.
//!
//! Use instead: a statement for `emr-serverless.amazonaws.com` with the three actions and an
//! `aws:SourceArn` condition naming the application (see `examples/custom-image`).

use super::image_uris;
use crate::checks::{placeholder, Check, CheckMeta, Context, RawFinding, Subject};
use crate::config::value::Value;
use crate::plan::FindingSeverity;

/// EMR104.
pub struct ImageRepoNotPullable;

const SERVICE: &str = "emr-serverless.amazonaws.com";
const ACTIONS: [&str; 3] = [
    "ecr:BatchGetImage",
    "ecr:DescribeImages",
    "ecr:GetDownloadUrlForLayer",
];

/// The repository subject an image URI points at: by its planned `repository_url` (or the
/// placeholder standing for it) or by the repository name in the URI.
fn repository<'c>(ctx: &'c Context<'_>, uri: &str) -> Option<&'c Subject> {
    let base = uri.split('@').next().unwrap_or(uri);
    let base = match base.rsplit_once(':') {
        Some((b, tag)) if !tag.contains('/') => b,
        _ => base,
    };
    let name = base.split_once('/').map(|(_, n)| n);
    ctx.of_type("aws_ecr_repository").find(|r| {
        r.value.get("repository_url").and_then(Value::as_str) == Some(base)
            || placeholder(&r.address) == base
            || uri.starts_with(&placeholder(&r.address))
            || (name.is_some() && r.value.get("name").and_then(Value::as_str) == name)
    })
}

/// The pull actions the policy grants the service principal.
fn granted(policy: &str) -> Option<Vec<&'static str>> {
    super::key_policy_blocks_service::service_grants(policy, SERVICE, &ACTIONS)
}

impl Check for ImageRepoNotPullable {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR104",
            name: "image-repo-not-pullable",
            severity: FindingSeverity::Error,
            summary: "the custom image's ECR repository policy does not let emr-serverless.amazonaws.com pull it",
            fix: "a repository policy statement for `Service = \"emr-serverless.amazonaws.com\"` with `ecr:BatchGetImage`, `ecr:DescribeImages`, `ecr:GetDownloadUrlForLayer` and an `aws:SourceArn` condition",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        for app in ctx.of_type("aws_emrserverless_application") {
            for (uri, attr) in image_uris(&app.value) {
                let Some(repo) = repository(ctx, &uri) else {
                    continue;
                };
                let repo_name = repo.value.get("name").and_then(Value::as_str).unwrap_or("");
                let policy = ctx.of_type("aws_ecr_repository_policy").find(|p| {
                    let r = p.value.get("repository").and_then(Value::as_str);
                    r == Some(repo_name) || r.is_some_and(|r| r == placeholder(&repo.address))
                });
                let (message, at) = match policy {
                    None if repo.exists => continue, // its live policy is not in the plan
                    None => (
                        format!(
                            "{} runs an image from {}, which has no repository policy in this configuration, so EMR Serverless cannot pull it and jobs fail to start. Add an aws_ecr_repository_policy granting {SERVICE} {} (with an aws:SourceArn condition naming the application).",
                            app.address, repo.address, ACTIONS.join(", ")
                        ),
                        app.span_of(attr),
                    ),
                    Some(p) => {
                        let Some(text) = p.value.get("policy").and_then(Value::as_str) else {
                            continue;
                        };
                        let Some(have) = granted(text) else { continue };
                        let missing: Vec<&str> =
                            ACTIONS.iter().copied().filter(|a| !have.contains(a)).collect();
                        if missing.is_empty() {
                            continue;
                        }
                        (
                            format!(
                                "{} runs an image from {}, but the repository policy {} does not allow {SERVICE} {}; EMR Serverless pulls images as that service principal, so jobs would fail to start. Add a statement for Service = \"{SERVICE}\" with {} and an aws:SourceArn condition naming the application.",
                                app.address,
                                repo.address,
                                p.address,
                                missing.join(", "),
                                ACTIONS.join(", ")
                            ),
                            p.span_of("policy"),
                        )
                    }
                };
                out.push(RawFinding {
                    code: "EMR104",
                    severity: FindingSeverity::Error,
                    message,
                    address: app.address.clone(),
                    span: at,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::rules::testing::{run, subject};
    use crate::checks::Facts;

    fn app(uri: &str) -> Value {
        Value::map([
            ("name", Value::string("etl")),
            ("release_label", Value::string("emr-7.2.0")),
            (
                "image_configuration",
                Value::List(vec![Value::map([("image_uri", Value::string(uri))])]),
            ),
        ])
    }

    fn repo() -> Value {
        Value::map([
            ("name", Value::string("spark")),
            (
                "repository_url",
                Value::string(placeholder("aws_ecr_repository.spark")),
            ),
        ])
    }

    fn policy(doc: &str) -> Value {
        Value::map([
            ("repository", Value::string("spark")),
            ("policy", Value::string(doc)),
        ])
    }

    fn findings(doc: Option<&str>) -> Vec<RawFinding> {
        let mut s = vec![
            subject(
                "aws_emrserverless_application.etl",
                "aws_emrserverless_application",
                app(&format!(
                    "{}:latest",
                    placeholder("aws_ecr_repository.spark")
                )),
            ),
            subject("aws_ecr_repository.spark", "aws_ecr_repository", repo()),
        ];
        if let Some(d) = doc {
            s.push(subject(
                "aws_ecr_repository_policy.spark",
                "aws_ecr_repository_policy",
                policy(d),
            ));
        }
        run(&ImageRepoNotPullable, &s, &Facts::default())
    }

    #[test]
    fn account_only_policy_fires() {
        let f = findings(Some(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["ecr:BatchGetImage","ecr:DescribeImages","ecr:GetDownloadUrlForLayer"]}]}"#,
        ));
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("does not allow emr-serverless.amazonaws.com ecr:BatchGetImage, ecr:DescribeImages, ecr:GetDownloadUrlForLayer"), "{}", f[0].message);
    }

    #[test]
    fn service_grant_passes_and_partial_grant_names_the_gap() {
        assert!(findings(Some(
            r#"{"Statement":{"Effect":"Allow","Principal":{"Service":["emr-serverless.amazonaws.com"]},"Action":["ecr:BatchGetImage","ecr:DescribeImages","ecr:GetDownloadUrlForLayer"]}}"#
        ))
        .is_empty());
        assert!(findings(Some(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"emr-serverless.amazonaws.com"},"Action":"ecr:*"}]}"#
        ))
        .is_empty());
        let f = findings(Some(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"emr-serverless.amazonaws.com"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"#,
        ));
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("does not allow emr-serverless.amazonaws.com ecr:DescribeImages;"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn new_repository_without_policy_fires() {
        let f = findings(None);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("has no repository policy"));
    }
}
