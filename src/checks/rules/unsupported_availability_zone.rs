//! ## What it does
//! Checks the zone of each subnet an application uses against the zones where EMR Serverless
//! runs, in the Regions where the guide restricts them (us-east-1: use1-az1, -az2, -az4, -az5,
//! -az6; us-east-2: use2-az1, -az2, -az3; ca-central-1: cac1-az1, -az2). Zone ids come from the
//! live subnets (names map to different ids in each account).
//!
//! ## Why is this bad?
//! Creating or starting the application fails for a subnet in another zone.
//!
//! ## Example
//! A subnet in `use1-az3`.
//!
//! Use instead: subnets in supported zones.

use super::subnet_ids;
use crate::checks::{Check, CheckMeta, Context, RawFinding};
use crate::config::value::Value;
use crate::plan::FindingSeverity;

/// EMR108.
pub struct UnsupportedAvailabilityZone;

/// The supported zone ids of a Region with restrictions; `None` when all zones work.
pub(crate) fn supported_zones(az_id: &str) -> Option<&'static [&'static str]> {
    let prefix = az_id.split("-az").next().unwrap_or("");
    match prefix {
        "use1" => Some(&["use1-az1", "use1-az2", "use1-az4", "use1-az5", "use1-az6"]),
        "use2" => Some(&["use2-az1", "use2-az2", "use2-az3"]),
        "cac1" => Some(&["cac1-az1", "cac1-az2"]),
        _ => None,
    }
}

impl Check for UnsupportedAvailabilityZone {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR108",
            name: "unsupported-availability-zone",
            severity: FindingSeverity::Error,
            summary: "a subnet is in an Availability Zone where EMR Serverless does not run",
            fix: "subnets in the supported zone ids",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        for app in ctx.of_type("aws_emrserverless_application") {
            for id in subnet_ids(&app.value) {
                let zone = match ctx.facts.subnets.get(&id) {
                    Some(f) => f.availability_zone_id.clone(),
                    None => match ctx
                        .by_id(&id)
                        .and_then(|s| s.value.get("availability_zone_id").and_then(Value::as_str))
                    {
                        Some(z) => z.to_string(),
                        None => continue,
                    },
                };
                let Some(ok) = supported_zones(&zone) else {
                    continue;
                };
                if !ok.contains(&zone.as_str()) {
                    out.push(RawFinding {
                        code: "EMR108",
                        severity: FindingSeverity::Error,
                        message: format!(
                            "{}: subnet {id} is in zone {zone}, where EMR Serverless does not run (supported: {}); use subnets in those zones.",
                            app.address,
                            ok.join(", ")
                        ),
                        address: app.address.clone(),
                        span: app.span_of("network_configuration"),
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
    use crate::checks::{Facts, SubnetFact};

    #[test]
    fn live_subnet_zone_is_judged() {
        let s = [subject(
            "aws_emrserverless_application.x",
            "aws_emrserverless_application",
            app("x", "16 vCPU", &[], &["subnet-1"]),
        )];
        let mut facts = Facts::default();
        let fact = |az: &str| SubnetFact {
            id: "subnet-1".into(),
            vpc_id: "vpc-1".into(),
            cidr: "10.0.0.0/24".into(),
            availability_zone: "us-east-1c".into(),
            availability_zone_id: az.into(),
            available_ips: 251,
        };
        facts.subnets.insert("subnet-1".into(), fact("use1-az3"));
        let f = run(&UnsupportedAvailabilityZone, &s, &facts);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("zone use1-az3"));
        facts.subnets.insert("subnet-1".into(), fact("use1-az6"));
        assert!(run(&UnsupportedAvailabilityZone, &s, &facts).is_empty());
        facts.subnets.insert("subnet-1".into(), fact("euw1-az3"));
        assert!(run(&UnsupportedAvailabilityZone, &s, &facts).is_empty());
    }
}
