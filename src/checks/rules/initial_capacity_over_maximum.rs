//! ## What it does
//! Checks that the pre-initialized workers fit in the maximum capacity: Σ worker_count × worker
//! size ≤ `maximum_capacity` for vCPU, memory and disk.
//!
//! ## Why is this bad?
//! Pre-initialized capacity counts against the maximum; an application whose initial capacity
//! exceeds it cannot start its workers.
//!
//! ## Example
//! 10 × 4 vCPU executors with `maximum_capacity { cpu = "16 vCPU" }`.
//!
//! Use instead: raise `maximum_capacity` to at least the initial capacity, or lower the counts.

use super::{first, workers};
use crate::checks::capacity::{parse_gb, parse_vcpu};
use crate::checks::{Check, CheckMeta, Context, RawFinding};
use crate::config::value::Value;
use crate::plan::FindingSeverity;

/// EMR103.
pub struct InitialCapacityOverMaximum;

impl Check for InitialCapacityOverMaximum {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR103",
            name: "initial-capacity-over-maximum",
            severity: FindingSeverity::Error,
            summary: "pre-initialized workers add up to more than the maximum capacity",
            fix: "raise `maximum_capacity` or pre-initialize fewer workers",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        for s in ctx.of_type("aws_emrserverless_application") {
            let Some(max) = first(&s.value, "maximum_capacity") else {
                continue;
            };
            let ws = workers(&s.value);
            if ws.is_empty() {
                continue;
            }
            let dims: [(&str, &str, Option<f64>, f64); 3] = [
                (
                    "vCPU",
                    "cpu",
                    max.get("cpu").and_then(Value::as_str).and_then(parse_vcpu),
                    ws.iter().map(|w| w.1 * w.2.unwrap_or(0.0)).sum(),
                ),
                (
                    "GB of memory",
                    "memory",
                    max.get("memory").and_then(Value::as_str).and_then(parse_gb),
                    ws.iter().map(|w| w.1 * w.3.unwrap_or(0.0)).sum(),
                ),
                (
                    "GB of disk",
                    "disk",
                    max.get("disk").and_then(Value::as_str).and_then(parse_gb),
                    ws.iter().map(|w| w.1 * w.4.unwrap_or(20.0)).sum(),
                ),
            ];
            for (unit, key, limit, used) in dims {
                let Some(limit) = limit else { continue };
                if used > limit {
                    let parts: Vec<String> = ws
                        .iter()
                        .map(|w| {
                            format!(
                                "{} {} × {}",
                                w.1,
                                w.0,
                                match key {
                                    "cpu" => w.2,
                                    "memory" => w.3,
                                    _ => Some(w.4.unwrap_or(20.0)),
                                }
                                .unwrap_or(0.0)
                            )
                        })
                        .collect();
                    out.push(RawFinding {
                        code: "EMR103",
                        severity: FindingSeverity::Error,
                        message: format!("initial capacity needs {used} {unit} ({}) but maximum_capacity.{key} is {limit}; raise maximum_capacity.{key} to at least {used} or pre-initialize fewer workers.", parts.join(" + ")),
                        address: s.address.clone(),
                        span: s.span_of("initial_capacity"),
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
    fn fires_when_initial_exceeds_maximum() {
        let s = subject(
            "aws_emrserverless_application.a",
            "aws_emrserverless_application",
            app("a", "16 vCPU", &[("Executor", 10, "4 vCPU", "16 GB")], &[]),
        );
        let f = run(&InitialCapacityOverMaximum, &[s], &Facts::default());
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("40 vCPU"), "{}", f[0].message);
        let ok = subject(
            "aws_emrserverless_application.a",
            "aws_emrserverless_application",
            app(
                "a",
                "400 vCPU",
                &[
                    ("Driver", 5, "2 vCPU", "4 GB"),
                    ("Executor", 50, "4 vCPU", "8 GB"),
                ],
                &[],
            ),
        );
        assert!(run(&InitialCapacityOverMaximum, &[ok], &Facts::default()).is_empty());
    }
}
