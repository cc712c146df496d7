//! ## What it does
//! Checks the release label against the features the application uses: EMR Serverless itself
//! needs emr-6.6.0 or later; Graviton (`architecture = "ARM64"`) emr-6.8.0 (a warning at
//! exactly 6.8.0, which the guide contradicts itself about, an error below); custom images
//! emr-6.9.0; Prometheus monitoring emr-7.1.0.
//!
//! ## Why is this bad?
//! CreateApplication refuses the combination at apply time.
//!
//! ## Example
//! `release_label = "emr-6.7.0"` with `architecture = "ARM64"`.
//!
//! Use instead: a newer release label (or drop the feature).

use super::first;
use crate::checks::{Check, CheckMeta, Context, RawFinding};
use crate::config::value::Value;
use crate::plan::FindingSeverity;

/// EMR106.
pub struct ReleaseLabelFeature;

/// (feature used, first release with it, what, attribute, severity).
type Gate = (
    bool,
    (u32, u32, u32),
    &'static str,
    &'static str,
    FindingSeverity,
);

/// `emr-7.2.0` → (7, 2, 0).
pub(crate) fn release(label: &str) -> Option<(u32, u32, u32)> {
    let v = label.strip_prefix("emr-")?;
    let mut it = v.split('.').map(|p| p.parse::<u32>().ok());
    Some((it.next()??, it.next()??, it.next().flatten().unwrap_or(0)))
}

impl Check for ReleaseLabelFeature {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR106",
            name: "release-label-too-old",
            severity: FindingSeverity::Error,
            summary: "the release label is older than a feature the application uses needs",
            fix: "a newer `release_label`, or drop the feature",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        for app in ctx.of_type("aws_emrserverless_application") {
            let Some(label) = app.value.get("release_label").and_then(Value::as_str) else {
                continue;
            };
            let Some(v) = release(label) else { continue };
            let arm = app.value.get("architecture").and_then(Value::as_str) == Some("ARM64");
            let image = first(&app.value, "image_configuration")
                .and_then(|i| i.get("image_uri"))
                .is_some_and(|u| !u.is_null());
            let prometheus = first(&app.value, "monitoring_configuration")
                .and_then(|m| first(m, "prometheus_monitoring_configuration"))
                .is_some();
            let gates: [Gate; 5] = [
                (true, (6, 6, 0), "EMR Serverless", "release_label", FindingSeverity::Error),
                (arm, (6, 8, 0), "architecture = \"ARM64\"", "architecture", FindingSeverity::Error),
                (arm && v == (6, 8, 0), (6, 9, 0), "architecture = \"ARM64\" (emr-6.8.0 is listed both with and without Graviton support)", "architecture", FindingSeverity::Warning),
                (image, (6, 9, 0), "a custom image (image_configuration)", "image_configuration", FindingSeverity::Error),
                (prometheus, (7, 1, 0), "Prometheus monitoring", "monitoring_configuration", FindingSeverity::Error),
            ];
            for (used, min, what, attr, severity) in gates {
                let below = if severity == FindingSeverity::Warning {
                    v == (6, 8, 0)
                } else {
                    v < min
                };
                if used && below {
                    out.push(RawFinding {
                        code: "EMR106",
                        severity,
                        message: format!(
                            "{}: {what} needs release emr-{}.{}.{} or later, but release_label is {label:?}; use a newer release label.",
                            app.address, min.0, min.1, min.2
                        ),
                        address: app.address.clone(),
                        span: app.span_of(attr),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::rules::testing::{run, subject};
    use crate::checks::Facts;

    fn check(pairs: Vec<(&str, Value)>) -> Vec<RawFinding> {
        let s = [subject(
            "aws_emrserverless_application.a",
            "aws_emrserverless_application",
            Value::map(pairs),
        )];
        run(&ReleaseLabelFeature, &s, &Facts::default())
    }

    #[test]
    fn gates_fire_below_their_release_only() {
        assert!(check(vec![
            ("release_label", Value::string("emr-7.2.0")),
            ("architecture", Value::string("ARM64"))
        ])
        .is_empty());
        let f = check(vec![
            ("release_label", Value::string("emr-6.7.0")),
            ("architecture", Value::string("ARM64")),
        ]);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("needs release emr-6.8.0 or later"));
        let f = check(vec![
            ("release_label", Value::string("emr-6.8.0")),
            ("architecture", Value::string("ARM64")),
        ]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, FindingSeverity::Warning);
        let img = Value::List(vec![Value::map([("image_uri", Value::string("x"))])]);
        let f = check(vec![
            ("release_label", Value::string("emr-6.8.0")),
            ("image_configuration", img),
        ]);
        assert!(f.iter().any(|f| f.message.contains("custom image")));
        let f = check(vec![("release_label", Value::string("emr-6.5.0"))]);
        assert!(f[0]
            .message
            .contains("EMR Serverless needs release emr-6.6.0"));
    }

    #[test]
    fn parses_labels() {
        assert_eq!(release("emr-7.10.0"), Some((7, 10, 0)));
        assert_eq!(release("emr-6.9"), Some((6, 9, 0)));
        assert_eq!(release("7.1.0"), None);
    }
}
