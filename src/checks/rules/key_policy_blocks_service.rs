//! ## What it does
//! Follows each `encryption_key_arn` of an application's `monitoring_configuration` to the
//! planned `aws_kms_key` it names and reads the key policy: S3 and managed-persistence logs need
//! `emr-serverless.amazonaws.com`, CloudWatch logs need `logs.<region>.amazonaws.com`, to be
//! allowed `kms:Decrypt` and `kms:GenerateDataKey`.
//!
//! ## Why is this bad?
//! A key policy that does not name the service makes log delivery fail at job time with an
//! access-denied error; nothing fails at apply.
//!
//! ## Example
//! An `aws_kms_key` whose `policy` only has the "Enable IAM User Permissions" statement for the
//! account root, used as `s3_monitoring_configuration.encryption_key_arn`.
//!
//! Use instead: a statement for `Service = "emr-serverless.amazonaws.com"` with `kms:Decrypt`
//! and `kms:GenerateDataKey` (and an `aws:SourceArn` condition naming the application).

use super::{action_matches, first, string_values};
use crate::checks::{Check, CheckMeta, Context, RawFinding, Subject};
use crate::config::value::Value;
use crate::plan::FindingSeverity;

/// EMR114.
pub struct KeyPolicyBlocksService;

const ACTIONS: [&str; 2] = ["kms:Decrypt", "kms:GenerateDataKey"];

/// The actions of `wanted` the policy allows `service` (or everyone).
pub(crate) fn service_grants(
    policy: &str,
    service: &str,
    wanted: &[&'static str],
) -> Option<Vec<&'static str>> {
    let doc: serde_json::Value = serde_json::from_str(policy).ok()?;
    let statements = match doc.get("Statement") {
        Some(serde_json::Value::Array(a)) => a.clone(),
        Some(o @ serde_json::Value::Object(_)) => vec![o.clone()],
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for st in statements {
        if st.get("Effect").and_then(|e| e.as_str()) != Some("Allow") {
            continue;
        }
        let names = st.get("Principal").is_some_and(|p| {
            p.as_str() == Some("*")
                || string_values(p.get("Service")).iter().any(|s| s == service)
                || string_values(p.get("AWS")).iter().any(|s| s == "*")
        });
        if !names {
            continue;
        }
        let actions = string_values(st.get("Action"));
        for a in wanted {
            if actions.iter().any(|p| action_matches(p, a)) && !out.contains(a) {
                out.push(*a);
            }
        }
    }
    Some(out)
}

/// The planned key an ARN (or key id, or placeholder) names.
fn planned_key<'c>(ctx: &'c Context<'_>, arn: &str) -> Option<&'c Subject> {
    ctx.of_type("aws_kms_key").find(|k| {
        k.value.get("arn").and_then(Value::as_str) == Some(arn)
            || k.value.get("key_id").and_then(Value::as_str) == Some(arn)
            || k.value.get("id").and_then(Value::as_str) == Some(arn)
            || format!("arn:(known after apply):{}", k.address) == arn
    })
}

impl Check for KeyPolicyBlocksService {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR114",
            name: "key-policy-blocks-service",
            severity: FindingSeverity::Warning,
            summary: "a log encryption key's policy does not let EMR Serverless (or CloudWatch Logs) use it",
            fix: "a key policy statement for `emr-serverless.amazonaws.com` (S3 and managed logs) or `logs.<region>.amazonaws.com` (CloudWatch) with `kms:Decrypt` and `kms:GenerateDataKey`",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        let region = ctx.region.clone().unwrap_or_else(|| "<region>".into());
        let logs = format!("logs.{region}.amazonaws.com");
        for app in ctx.of_type("aws_emrserverless_application") {
            let Some(mc) = first(&app.value, "monitoring_configuration") else {
                continue;
            };
            for (block, service) in [
                (
                    "s3_monitoring_configuration",
                    "emr-serverless.amazonaws.com",
                ),
                (
                    "managed_persistence_monitoring_configuration",
                    "emr-serverless.amazonaws.com",
                ),
                ("cloudwatch_logging_configuration", logs.as_str()),
            ] {
                let Some(arn) = first(mc, block)
                    .and_then(|b| b.get("encryption_key_arn"))
                    .and_then(Value::as_str)
                else {
                    continue;
                };
                let Some(key) = planned_key(ctx, arn) else {
                    continue;
                };
                // Only a policy written in the configuration is judged.
                let Some(policy) = key.value.get("policy").and_then(Value::as_str) else {
                    continue;
                };
                let Some(have) = service_grants(policy, service, &ACTIONS) else {
                    continue;
                };
                let missing: Vec<&str> = ACTIONS
                    .iter()
                    .copied()
                    .filter(|a| !have.contains(a))
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                out.push(RawFinding {
                    code: "EMR114",
                    severity: FindingSeverity::Warning,
                    message: format!(
                        "{} encrypts its {block} logs with {}, but the key policy does not allow {service} {}; log delivery would fail with access denied at job time. Add a key policy statement for Service = \"{service}\" with kms:Decrypt and kms:GenerateDataKey.",
                        app.address,
                        key.address,
                        missing.join(", ")
                    ),
                    address: app.address.clone(),
                    span: key.span_of("policy"),
                });
            }
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

    fn run(policy: &str, block: &str) -> Vec<RawFinding> {
        let subjects = vec![
            subject(
                "aws_emrserverless_application.a",
                "aws_emrserverless_application",
                Value::map([(
                    "monitoring_configuration",
                    Value::List(vec![Value::map([(
                        block,
                        Value::List(vec![Value::map([(
                            "encryption_key_arn",
                            Value::from("arn:(known after apply):aws_kms_key.logs"),
                        )])]),
                    )])]),
                )]),
            ),
            subject(
                "aws_kms_key.logs",
                "aws_kms_key",
                Value::map([("arn", Value::Unknown), ("policy", Value::from(policy))]),
            ),
        ];
        let facts = Facts::default();
        let ctx = Context {
            subjects: &subjects,
            facts: &facts,
            region: Some("us-east-1".into()),
        };
        let mut out = Vec::new();
        KeyPolicyBlocksService.run(&ctx, &mut out);
        out
    }

    const ROOT_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;
    const EMR: &str = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"emr-serverless.amazonaws.com"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*"}]}"#;
    const LOGS: &str = r#"{"Statement":{"Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":"kms:*","Resource":"*"}}"#;

    #[test]
    fn fires_when_the_service_is_not_allowed() {
        let f = run(ROOT_ONLY, "s3_monitoring_configuration");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("kms:Decrypt, kms:GenerateDataKey"),
            "{}",
            f[0].message
        );
        assert_eq!(run(EMR, "cloudwatch_logging_configuration").len(), 1);
    }

    #[test]
    fn silent_when_the_right_service_is_allowed() {
        assert!(run(EMR, "s3_monitoring_configuration").is_empty());
        assert!(run(EMR, "managed_persistence_monitoring_configuration").is_empty());
        assert!(run(LOGS, "cloudwatch_logging_configuration").is_empty());
    }
}
