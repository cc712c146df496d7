//! ## What it does
//! Checks that every subnet an EMR Serverless application runs in has a free IP address for
//! every worker that all the applications sharing it can scale to, in at least two
//! Availability Zones.
//!
//! ## Why is this bad?
//! Each worker takes one IP address from its subnet. When a subnet runs out, jobs fail to scale
//! or start — at run time, long after `terraform apply` succeeded. The user guide sizes subnets
//! for the maximum capacity: 4 vCPU workers scaling to 4,000 vCPU need 1,000 addresses in each
//! of at least two AZs, and applications sharing subnets need the sum.
//!
//! ## Example
//! Three applications with `maximum_capacity { cpu = "4000 vCPU" }` and 4 vCPU workers on /23
//! subnets (507 usable addresses each).
//!
//! Use instead: /20 subnets (4,091 usable), or lower maximum capacities, or larger workers.

use super::{first, workers};
use crate::checks::capacity::{default_worker_vcpu, parse_vcpu, thousands, usable_ips};
use crate::checks::{Check, CheckMeta, Context, RawFinding};
use crate::config::value::Value;
use crate::plan::FindingSeverity;
use std::collections::BTreeMap;

/// EMR101.
pub struct SubnetTooSmall;

struct AppDemand {
    address: String,
    subject_index: Option<usize>,
    max_vcpu: f64,
    worker_vcpu: f64,
    declared: bool,
    subnets: Vec<String>,
}

impl AppDemand {
    fn workers(&self) -> u64 {
        (self.max_vcpu / self.worker_vcpu).ceil() as u64
    }
}

struct SubnetInfo {
    name: String,
    free: u64,
    how: String,
    az: Option<String>,
}

impl Check for SubnetTooSmall {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR101",
            name: "subnet-too-small",
            severity: FindingSeverity::Error,
            summary:
                "a subnet has fewer free IPs than the workers of the applications using it can need",
            fix: "larger subnets (the message names the prefix), more subnets, larger workers or a lower `maximum_capacity`",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        let mut apps = Vec::new();
        for (i, s) in ctx.subjects.iter().enumerate() {
            if s.type_name != "aws_emrserverless_application" {
                continue;
            }
            if first(&s.value, "network_configuration").is_none() {
                continue;
            }
            let subnets = super::subnet_ids(&s.value);
            let Some(max) = first(&s.value, "maximum_capacity")
                .and_then(|m| m.get("cpu"))
                .and_then(Value::as_str)
                .and_then(parse_vcpu)
            else {
                continue;
            };
            let engine = s
                .value
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("spark")
                .to_string();
            let declared: Vec<f64> = workers(&s.value)
                .iter()
                .filter_map(|w| w.2)
                .filter(|c| *c > 0.0)
                .collect();
            let (wv, decl) = match declared
                .iter()
                .cloned()
                .fold(None, |m: Option<f64>, c| Some(m.map_or(c, |m| m.min(c))))
            {
                Some(v) => (v, true),
                None => (default_worker_vcpu(&engine), false),
            };
            apps.push(AppDemand {
                address: s.address.clone(),
                subject_index: Some(i),
                max_vcpu: max,
                worker_vcpu: wv,
                declared: decl,
                subnets,
            });
        }
        if apps.is_empty() {
            return;
        }
        for a in &ctx.facts.other_applications {
            if let Some(max) = a.max_vcpu {
                let wv = a
                    .worker_vcpu
                    .unwrap_or_else(|| default_worker_vcpu(&a.engine));
                apps.push(AppDemand {
                    address: format!("application {} ({})", a.name, a.id),
                    subject_index: None,
                    max_vcpu: max,
                    worker_vcpu: wv,
                    declared: a.worker_vcpu.is_some(),
                    subnets: a.subnet_ids.clone(),
                });
            }
        }
        // Demand per subnet.
        let mut demand: BTreeMap<String, (u64, u64, Vec<usize>)> = BTreeMap::new();
        for (i, a) in apps.iter().enumerate() {
            for s in &a.subnets {
                let e = demand.entry(s.clone()).or_insert((0, 0, Vec::new()));
                e.0 += a.workers();
                e.1 += a.max_vcpu.ceil() as u64;
                e.2.push(i);
            }
        }
        let info = |id: &str| -> Option<SubnetInfo> {
            if let Some(f) = ctx.facts.subnets.get(id) {
                return Some(SubnetInfo {
                    name: id.to_string(),
                    free: f.available_ips,
                    how: format!("{} free IPs now ({})", thousands(f.available_ips), f.cidr),
                    az: Some(f.availability_zone.clone()),
                });
            }
            let s = ctx.by_id(id)?;
            if s.type_name != "aws_subnet" {
                return None;
            }
            let cidr = s.value.get("cidr_block").and_then(Value::as_str)?;
            let net: ipnet::Ipv4Net = cidr.parse().ok()?;
            let free = usable_ips(net.prefix_len());
            let az = s
                .value
                .get("availability_zone")
                .and_then(Value::as_str)
                .map(str::to_string);
            Some(SubnetInfo {
                name: s.address.clone(),
                free,
                how: format!(
                    "{} usable IPs (/{}, 5 reserved by AWS)",
                    thousands(free),
                    net.prefix_len()
                ),
                az,
            })
        };
        // Per application: which subnets fall short, and how many AZs pass.
        for (i, a) in apps.iter().enumerate() {
            let Some(si) = a.subject_index else { continue };
            let subject = &ctx.subjects[si];
            let mut passing_azs = std::collections::BTreeSet::new();
            let mut known = 0;
            let mut short = false;
            for sid in &a.subnets {
                let Some(sub) = info(sid) else { continue };
                known += 1;
                let (need, worst, users) = &demand[sid];
                let share = if users.len() > 1 {
                    let others: Vec<String> = users
                        .iter()
                        .filter(|&&u| u != i)
                        .map(|&u| {
                            format!(
                                "{} ({} workers)",
                                apps[u].address,
                                thousands(apps[u].workers())
                            )
                        })
                        .collect();
                    format!(
                        " Together with {} other application{} on this subnet ({}) that makes {} IPs.",
                        users.len() - 1,
                        if users.len() == 2 { "" } else { "s" },
                        others.join(", "),
                        thousands(*need)
                    )
                } else {
                    String::new()
                };
                let arith = format!(
                    "{} can scale to {} vCPU ÷ {} vCPU{} = {} workers, one IP each.{}",
                    a.address,
                    thousands(a.max_vcpu.ceil() as u64),
                    a.worker_vcpu,
                    if a.declared {
                        ""
                    } else {
                        " (engine default worker size)"
                    },
                    thousands(a.workers()),
                    share
                );
                if sub.free < *need {
                    let prefix = (1..=28u8)
                        .rev()
                        .find(|p| usable_ips(*p) >= *need)
                        .unwrap_or(16);
                    out.push(RawFinding {
                        code: "EMR101",
                        severity: FindingSeverity::Error,
                        message: format!("subnet {} is too small: {arith} It has {}. Use a /{prefix} or larger subnet, spread the applications over more subnets, or lower maximum_capacity.", sub.name, sub.how),
                        address: subject.address.clone(),
                        span: subject.span_of("network_configuration"),
                    });
                    short = true;
                    continue;
                }
                if let Some(az) = &sub.az {
                    passing_azs.insert(az.clone());
                }
                if !a.declared && sub.free < *worst && i == users[0] {
                    out.push(RawFinding {
                        code: "EMR101",
                        severity: FindingSeverity::Warning,
                        message: format!("subnet {} may be too small: sized for {} vCPU workers it fits, but jobs that ask for 1 vCPU workers could need {} IPs and it has {}. Declare the worker size in initial_capacity to make the check exact.", sub.name, a.worker_vcpu, thousands(*worst), sub.how),
                        address: subject.address.clone(),
                        span: subject.span_of("network_configuration"),
                    });
                }
            }
            if !short
                && known == a.subnets.len()
                && known > 0
                && passing_azs.len() < 2
                && !ctx.subjects.is_empty()
            {
                let all_known_az = a
                    .subnets
                    .iter()
                    .all(|s| info(s).is_some_and(|i| i.az.is_some()));
                if all_known_az {
                    out.push(RawFinding {
                        code: "EMR101",
                        severity: FindingSeverity::Error,
                        message: format!("{} has enough free IPs in {} Availability Zone{} only; EMR Serverless needs at least two AZs with room for all {} workers so it can fail over. Add a subnet in another AZ.", a.address, passing_azs.len(), if passing_azs.len() == 1 { "" } else { "s" }, thousands(a.workers())),
                        address: subject.address.clone(),
                        span: subject.span_of("network_configuration"),
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
    use crate::checks::{placeholder, Facts, SubnetFact};

    fn subnet(addr: &str, cidr: &str, az: &str) -> crate::checks::Subject {
        subject(
            addr,
            "aws_subnet",
            Value::map([
                ("id", Value::string(placeholder(addr))),
                ("cidr_block", Value::string(cidr)),
                ("availability_zone", Value::string(az)),
            ]),
        )
    }

    fn a(max: &str, vcpu: &str, subnets: &[&str]) -> crate::checks::Subject {
        subject(
            "aws_emrserverless_application.a",
            "aws_emrserverless_application",
            app("a", max, &[("Executor", 1, vcpu, "16 GB")], subnets),
        )
    }

    #[test]
    fn guide_example_4_vcpu_needs_1000_ips_22_passes_23_fails() {
        let s22 = [
            subnet("aws_subnet.a", "10.0.0.0/22", "us-east-1a"),
            subnet("aws_subnet.b", "10.0.4.0/22", "us-east-1b"),
        ];
        let ids: Vec<String> = s22.iter().map(|s| placeholder(&s.address)).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut subjects = s22.to_vec();
        subjects.push(a("4000 vCPU", "4 vCPU", &ids));
        assert!(run(&SubnetTooSmall, &subjects, &Facts::default()).is_empty());

        let s23 = [
            subnet("aws_subnet.a", "10.0.0.0/23", "us-east-1a"),
            subnet("aws_subnet.b", "10.0.4.0/23", "us-east-1b"),
        ];
        let mut subjects = s23.to_vec();
        subjects.push(a("4000 vCPU", "4 vCPU", &ids));
        let f = run(&SubnetTooSmall, &subjects, &Facts::default());
        assert!(
            f.iter().any(|f| f.severity == FindingSeverity::Error),
            "{f:?}"
        );
        let m = &f[0].message;
        assert!(m.contains("4,000 vCPU ÷ 4 vCPU = 1,000 workers"), "{m}");
        assert!(m.contains("507 usable IPs (/23"), "{m}");
        assert!(m.contains("/22 or larger"), "{m}");
    }

    #[test]
    fn guide_example_16_vcpu_needs_250_ips_24_passes() {
        let s = [
            subnet("aws_subnet.a", "10.0.0.0/24", "us-east-1a"),
            subnet("aws_subnet.b", "10.0.1.0/24", "us-east-1b"),
        ];
        let ids: Vec<String> = s.iter().map(|x| placeholder(&x.address)).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut subjects = s.to_vec();
        subjects.push(a("4000 vCPU", "16 vCPU", &ids));
        assert!(run(&SubnetTooSmall, &subjects, &Facts::default()).is_empty());
    }

    #[test]
    fn three_applications_sharing_subnets_need_3000_ips_each() {
        let mut facts = Facts::default();
        for (id, az) in [("subnet-1", "us-east-1a"), ("subnet-2", "us-east-1b")] {
            facts.subnets.insert(
                id.into(),
                SubnetFact {
                    id: id.into(),
                    vpc_id: "vpc-1".into(),
                    cidr: "10.0.0.0/20".into(),
                    availability_zone: az.into(),
                    availability_zone_id: "use1-az1".into(),
                    available_ips: 2_900,
                },
            );
        }
        let mut subjects = Vec::new();
        for n in ["x", "y", "z"] {
            subjects.push(subject(
                &format!("aws_emrserverless_application.{n}"),
                "aws_emrserverless_application",
                app(
                    n,
                    "4000 vCPU",
                    &[("Executor", 1, "4 vCPU", "16 GB")],
                    &["subnet-1", "subnet-2"],
                ),
            ));
        }
        let f = run(&SubnetTooSmall, &subjects, &facts);
        assert!(!f.is_empty());
        assert!(f[0].message.contains("makes 3,000 IPs"), "{}", f[0].message);
        assert!(
            f[0].message.contains("2,900 free IPs now"),
            "{}",
            f[0].message
        );
        facts
            .subnets
            .values_mut()
            .for_each(|s| s.available_ips = 3_000);
        assert!(run(&SubnetTooSmall, &subjects, &facts).is_empty());
    }

    #[test]
    fn one_az_is_not_enough() {
        let s = [
            subnet("aws_subnet.a", "10.0.0.0/20", "us-east-1a"),
            subnet("aws_subnet.b", "10.0.16.0/20", "us-east-1a"),
        ];
        let ids: Vec<String> = s.iter().map(|x| placeholder(&x.address)).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut subjects = s.to_vec();
        subjects.push(a("400 vCPU", "4 vCPU", &ids));
        let f = run(&SubnetTooSmall, &subjects, &Facts::default());
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("1 Availability Zone only"),
            "{}",
            f[0].message
        );
    }
}
