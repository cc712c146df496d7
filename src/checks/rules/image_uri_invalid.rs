//! ## What it does
//! Checks the form of a custom image URI: a private ECR image
//! `<12-digit account>.dkr.ecr.<region>.amazonaws.com/<repository>` with `:tag` or
//! `@sha256:<digest>`, in the application's own Region.
//!
//! ## Why is this bad?
//! EMR Serverless only runs images from private ECR repositories in its own Region; anything
//! else fails when the application is created or started.
//!
//! ## Example
//! `image_uri = "public.ecr.aws/emr-serverless/spark/emr-7.2.0:latest"`, or an image in
//! `eu-west-1` for an application in `us-east-1`.
//!
//! Use instead: copy the image into a private ECR repository in the application's Region.

use super::image_uris;
use crate::checks::{Check, CheckMeta, Context, RawFinding};
use crate::plan::FindingSeverity;

/// EMR105.
pub struct ImageUriInvalid;

fn pattern() -> Option<&'static regex::Regex> {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/[a-z0-9][a-z0-9._/-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$",
        )
        .ok()
    })
    .as_ref()
}

impl Check for ImageUriInvalid {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR105",
            name: "image-uri-invalid",
            severity: FindingSeverity::Error,
            summary: "the custom image is not a private ECR image (with a tag or digest) in the application's Region",
            fix: "push the image to a private ECR repository in the application's Region; use `:tag` or `@sha256:` digest",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        let Some(re) = pattern() else { return };
        for app in ctx.of_type("aws_emrserverless_application") {
            for (uri, attr) in image_uris(&app.value) {
                if uri.contains("(known after apply") {
                    continue;
                }
                let message = match re.captures(&uri) {
                    None => format!(
                        "{}: image_uri {uri:?} is not a private ECR image; EMR Serverless needs <account>.dkr.ecr.<region>.amazonaws.com/<repository> with :tag or @sha256:digest. Push the image to a private ECR repository and use its URI.",
                        app.address
                    ),
                    Some(c) => {
                        let region = c.get(2).map(|m| m.as_str()).unwrap_or("");
                        match &ctx.region {
                            Some(r) if r != region => format!(
                                "{}: image {uri:?} is in {region}, but the application is in {r}; EMR Serverless only pulls images from its own Region. Replicate the repository to {r} (ECR replication) and use that URI.",
                                app.address
                            ),
                            _ => continue,
                        }
                    }
                };
                out.push(RawFinding {
                    code: "EMR105",
                    severity: FindingSeverity::Error,
                    message,
                    address: app.address.clone(),
                    span: app.span_of(attr),
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
    use crate::config::value::Value;

    fn check(uri: &str) -> Vec<RawFinding> {
        let v = Value::map([(
            "image_configuration",
            Value::List(vec![Value::map([("image_uri", Value::string(uri))])]),
        )]);
        let s = [subject(
            "aws_emrserverless_application.a",
            "aws_emrserverless_application",
            v,
        )];
        run(&ImageUriInvalid, &s, &Facts::default())
    }

    #[test]
    fn private_same_region_images_pass() {
        assert!(check("123456789012.dkr.ecr.us-east-1.amazonaws.com/spark:7.2").is_empty());
        assert!(check(&format!(
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/spark@sha256:{}",
            "a".repeat(64)
        ))
        .is_empty());
        assert!(check("(known after apply: aws_ecr_repository.r):latest").is_empty());
    }

    #[test]
    fn public_untagged_and_other_region_images_fire() {
        let f = check("public.ecr.aws/emr-serverless/spark/emr-7.2.0:latest");
        assert!(
            f[0].message.contains("is not a private ECR image"),
            "{}",
            f[0].message
        );
        assert_eq!(
            check("123456789012.dkr.ecr.us-east-1.amazonaws.com/spark").len(),
            1
        );
        let f = check("123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark:1");
        assert!(f[0]
            .message
            .contains("is in eu-west-1, but the application is in us-east-1"));
    }
}
