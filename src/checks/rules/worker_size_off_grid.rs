//! ## What it does
//! Checks each worker configuration of `initial_capacity`: the vCPU is 1, 2, 4, 8 or 16, the
//! memory is within that size's range and on its increment (8 vCPU: 16–60 GB in steps of 4;
//! 16 vCPU: 32–120 GB in steps of 8), and the disk is 20–200 GB.
//!
//! ## Why is this bad?
//! AWS rejects the application at create or update time; Terraform's schema accepts any string.
//!
//! ## Example
//! `worker_configuration { cpu = "8 vCPU"  memory = "18 GB" }`
//!
//! Use instead: `memory = "16 GB"` or `"20 GB"`.

use super::workers;
use crate::checks::capacity::memory_grid;
use crate::checks::{Check, CheckMeta, Context, RawFinding};
use crate::plan::FindingSeverity;

/// EMR102.
pub struct WorkerSizeOffGrid;

impl Check for WorkerSizeOffGrid {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR102",
            name: "worker-size-off-grid",
            severity: FindingSeverity::Error,
            summary: "a worker's vCPU, memory or disk is not a size EMR Serverless supports",
            fix: "a supported size: 1/2/4/8/16 vCPU with memory in that size's range and step, disk 20–200 GB",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        for s in ctx.of_type("aws_emrserverless_application") {
            for (ty, _, cpu, mem, disk) in workers(&s.value) {
                let mut push = |m: String| {
                    out.push(RawFinding {
                        code: "EMR102",
                        severity: FindingSeverity::Error,
                        message: m,
                        address: s.address.clone(),
                        span: s.span_of("initial_capacity"),
                    })
                };
                let Some(cpu) = cpu else { continue };
                let Some((lo, hi, step)) = memory_grid(cpu) else {
                    push(format!("{ty} workers have {cpu} vCPU; EMR Serverless workers have 1, 2, 4, 8 or 16 vCPU."));
                    continue;
                };
                if let Some(m) = mem {
                    if m < lo || m > hi || ((m - lo) / step).fract() != 0.0 {
                        push(format!("{ty} workers with {cpu} vCPU cannot have {m} GB of memory: the range is {lo}–{hi} GB in steps of {step} GB."));
                    }
                }
                if let Some(d) = disk {
                    if !(20.0..=200.0).contains(&d) {
                        push(format!("{ty} workers have a {d} GB disk; standard disks are 20–200 GB per worker."));
                    }
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
    fn fires_off_grid_and_not_on_grid() {
        let bad = subject(
            "aws_emrserverless_application.a",
            "aws_emrserverless_application",
            app(
                "a",
                "100 vCPU",
                &[
                    ("Executor", 1, "8 vCPU", "18 GB"),
                    ("Driver", 1, "3 vCPU", "8 GB"),
                ],
                &[],
            ),
        );
        let f = run(&WorkerSizeOffGrid, &[bad], &Facts::default());
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(
            f.iter()
                .any(|x| x.message.contains("16–60 GB in steps of 4 GB")),
            "{f:?}"
        );
        let good = subject(
            "aws_emrserverless_application.a",
            "aws_emrserverless_application",
            app(
                "a",
                "100 vCPU",
                &[
                    ("Executor", 1, "8 vCPU", "20 GB"),
                    ("Driver", 1, "4vCPU", "30GB"),
                ],
                &[],
            ),
        );
        assert!(run(&WorkerSizeOffGrid, &[good], &Facts::default()).is_empty());
    }
}
