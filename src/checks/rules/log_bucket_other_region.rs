//! ## What it does
//! Follows an application's `monitoring_configuration.s3_monitoring_configuration.log_uri` to
//! the planned `aws_s3_bucket` it names and compares the bucket's Region with the Region the
//! application is planned in.
//!
//! ## Why is this bad?
//! EMR Serverless writes job logs to the log bucket from the application's Region; a bucket in
//! another Region (or account) is a cross-Region write that the guide advises against: logs go
//! missing or cost transfer, and a bucket policy scoped to the Region refuses them.
//!
//! ## Example
//! An application in `us-east-1` whose `log_uri` is `s3://${aws_s3_bucket.logs.bucket}/` with the
//! bucket created through a provider alias for `eu-west-1`.
//!
//! Use instead: a log bucket in the application's Region.

use super::first;
use crate::checks::{placeholder, Check, CheckMeta, Context, RawFinding, Subject};
use crate::config::value::Value;
use crate::plan::FindingSeverity;

/// EMR113.
pub struct LogBucketOtherRegion;

/// The bucket of an `s3://bucket/prefix` URI.
pub(crate) fn bucket_of(uri: &str) -> Option<&str> {
    let rest = uri.strip_prefix("s3://")?;
    let b = rest.split('/').next()?;
    (!b.is_empty()).then_some(b)
}

/// The planned bucket called `name` (its name, id, or placeholder).
pub(crate) fn planned_bucket<'c>(ctx: &'c Context<'_>, name: &str) -> Option<&'c Subject> {
    ctx.of_type("aws_s3_bucket").find(|b| {
        b.value.get("bucket").and_then(Value::as_str) == Some(name)
            || b.value.get("id").and_then(Value::as_str) == Some(name)
            || placeholder(&b.address) == name
    })
}

impl Check for LogBucketOtherRegion {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR113",
            name: "log-bucket-other-region",
            severity: FindingSeverity::Warning,
            summary: "the S3 log bucket (`log_uri`) of an application is planned in another Region than the application",
            fix: "create the log bucket in the application's Region (the same provider configuration), or point `log_uri` at one that is",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        let Some(app_region) = ctx.region.as_deref() else {
            return;
        };
        for app in ctx.of_type("aws_emrserverless_application") {
            let Some(uri) = first(&app.value, "monitoring_configuration")
                .and_then(|m| first(m, "s3_monitoring_configuration"))
                .and_then(|s| s.get("log_uri"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let Some(bucket) = bucket_of(uri).and_then(|n| planned_bucket(ctx, n)) else {
                continue;
            };
            let Some(region) = bucket.value.get("region").and_then(Value::as_str) else {
                continue;
            };
            if region.is_empty() || region == app_region {
                continue;
            }
            out.push(RawFinding {
                code: "EMR113",
                severity: FindingSeverity::Warning,
                message: format!(
                    "{} writes its logs to {uri}, but {} is planned in {region} while the application is in {app_region}; create the log bucket in {app_region} (the application's provider) or point log_uri at one that is.",
                    app.address, bucket.address
                ),
                address: app.address.clone(),
                span: app.span_of("monitoring_configuration"),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Facts;

    fn subject(address: &str, type_name: &str, value: Value) -> Subject {
        Subject {
            address: address.into(),
            type_name: type_name.into(),
            value,
            span: None,
            attr_spans: Vec::new(),
            ignored: Vec::new(),
            exists: false,
        }
    }

    fn app(log_uri: &str) -> Subject {
        subject(
            "aws_emrserverless_application.a",
            "aws_emrserverless_application",
            Value::map([(
                "monitoring_configuration",
                Value::List(vec![Value::map([(
                    "s3_monitoring_configuration",
                    Value::List(vec![Value::map([("log_uri", Value::from(log_uri))])]),
                )])]),
            )]),
        )
    }

    fn bucket(region: &str) -> Subject {
        subject(
            "aws_s3_bucket.logs",
            "aws_s3_bucket",
            Value::map([
                ("bucket", Value::from("acme-logs")),
                ("id", Value::Unknown),
                ("region", Value::from(region)),
            ]),
        )
    }

    fn run(subjects: &[Subject]) -> Vec<RawFinding> {
        let facts = Facts::default();
        let ctx = Context {
            subjects,
            facts: &facts,
            region: Some("us-east-1".into()),
        };
        let mut out = Vec::new();
        LogBucketOtherRegion.run(&ctx, &mut out);
        out
    }

    #[test]
    fn fires_for_a_bucket_in_another_region() {
        let f = run(&[app("s3://acme-logs/emr/"), bucket("eu-west-1")]);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("planned in eu-west-1"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn silent_for_the_same_region_or_an_unknown_bucket() {
        assert!(run(&[app("s3://acme-logs/emr/"), bucket("us-east-1")]).is_empty());
        assert!(run(&[app("s3://other/emr/"), bucket("eu-west-1")]).is_empty());
        let placeholder_uri = format!("s3://{}/logs/", placeholder("aws_s3_bucket.logs"));
        assert_eq!(run(&[app(&placeholder_uri), bucket("eu-west-1")]).len(), 1);
    }
}
