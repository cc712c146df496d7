//! ## What it does
//! Checks the worker types of `initial_capacity` against the engine: Spark has `Driver` and
//! `Executor`, Hive has `HiveDriver` and `TezTask` (compared case-insensitively, with or without
//! the engine prefix and underscores, as AWS and its docs write them differently).
//!
//! ## Why is this bad?
//! CreateApplication rejects an unknown worker type.
//!
//! ## Example
//! `initial_capacity_type = "TezTask"` on a Spark application.
//!
//! Use instead: the engine's own worker types.

use crate::checks::{Check, CheckMeta, Context, RawFinding};
use crate::config::value::Value;
use crate::plan::FindingSeverity;

/// EMR110.
pub struct InitialCapacityTypeInvalid;

fn canonical(t: &str) -> String {
    t.to_ascii_lowercase().replace(['_', '-'], "")
}

impl Check for InitialCapacityTypeInvalid {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR110",
            name: "initial-capacity-type-invalid",
            severity: FindingSeverity::Error,
            summary: "an initial_capacity worker type the engine does not have",
            fix:
                "the engine's worker types: Spark `Driver`/`Executor`, Hive `HiveDriver`/`TezTask`",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        for app in ctx.of_type("aws_emrserverless_application") {
            let engine = app
                .value
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_ascii_lowercase();
            let allowed: &[&str] = match engine.as_str() {
                "spark" => &["Driver", "Executor"],
                "hive" => &["HiveDriver", "TezTask"],
                _ => continue,
            };
            let ok: Vec<String> = allowed
                .iter()
                .map(|a| canonical(a))
                .chain(if engine == "hive" {
                    vec!["driver".to_string()]
                } else {
                    vec![]
                })
                .collect();
            for ic in app
                .value
                .get("initial_capacity")
                .and_then(Value::as_list)
                .unwrap_or(&[])
            {
                let Some(t) = ic.get("initial_capacity_type").and_then(Value::as_str) else {
                    continue;
                };
                if !ok.contains(&canonical(t)) {
                    out.push(RawFinding {
                        code: "EMR110",
                        severity: FindingSeverity::Error,
                        message: format!(
                            "{}: {engine} applications have no worker type {t:?}; use {}.",
                            app.address,
                            allowed.join(" or ")
                        ),
                        address: app.address.clone(),
                        span: app.span_of("initial_capacity"),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::rules::testing::{app, run, subject};
    use crate::checks::Facts;

    #[test]
    fn engine_worker_types() {
        let spark = app(
            "a",
            "16 vCPU",
            &[
                ("Executor", 1, "4 vCPU", "16 GB"),
                ("DRIVER", 1, "4 vCPU", "16 GB"),
            ],
            &[],
        );
        let s = [subject(
            "aws_emrserverless_application.a",
            "aws_emrserverless_application",
            spark,
        )];
        assert!(run(&InitialCapacityTypeInvalid, &s, &Facts::default()).is_empty());
        let bad = app("a", "16 vCPU", &[("TezTask", 1, "4 vCPU", "16 GB")], &[]);
        let s = [subject(
            "aws_emrserverless_application.a",
            "aws_emrserverless_application",
            bad,
        )];
        let f = run(&InitialCapacityTypeInvalid, &s, &Facts::default());
        assert!(f[0]
            .message
            .contains("spark applications have no worker type \"TezTask\""));
    }
}
