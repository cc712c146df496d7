//! ## What it does
//! Checks that an application's subnets and security groups all belong to one VPC (from the
//! planned subnets and groups, or the live subnets).
//!
//! ## Why is this bad?
//! CreateApplication and UpdateApplication reject a network configuration that spans VPCs.
//!
//! ## Example
//! Subnets of `aws_vpc.data` with a security group of `aws_vpc.shared`.
//!
//! Use instead: subnets and security groups of the same VPC.

use super::{security_group_ids, subnet_ids};
use crate::checks::{Check, CheckMeta, Context, RawFinding};
use crate::config::value::Value;
use crate::plan::FindingSeverity;
use std::collections::BTreeMap;

/// EMR107.
pub struct NetworkMixedVpcs;

impl Check for NetworkMixedVpcs {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR107",
            name: "network-mixed-vpcs",
            severity: FindingSeverity::Error,
            summary: "an application's subnets and security groups are in different VPCs",
            fix: "subnets and security groups of one VPC",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        for app in ctx.of_type("aws_emrserverless_application") {
            let groups = security_group_ids(&app.value);
            // VPC → the members that are in it.
            let mut vpcs: BTreeMap<String, Vec<String>> = BTreeMap::new();
            let vpc_of = |id: &str| -> Option<(String, String)> {
                if let Some(f) = ctx.facts.subnets.get(id) {
                    return Some((f.vpc_id.clone(), id.to_string()));
                }
                let s = ctx.by_id(id)?;
                let vpc = s.value.get("vpc_id").and_then(Value::as_str)?;
                Some((vpc.to_string(), s.address.clone()))
            };
            for id in subnet_ids(&app.value).iter().chain(&groups) {
                if let Some((vpc, who)) = vpc_of(id) {
                    vpcs.entry(vpc).or_default().push(who);
                }
            }
            if vpcs.len() > 1 {
                let parts: Vec<String> = vpcs
                    .iter()
                    .map(|(v, m)| format!("{} in {v}", m.join(", ")))
                    .collect();
                out.push(RawFinding {
                    code: "EMR107",
                    severity: FindingSeverity::Error,
                    message: format!(
                        "{}: the network configuration spans {} VPCs ({}); all subnets and security groups of an application must be in one VPC.",
                        app.address,
                        vpcs.len(),
                        parts.join("; ")
                    ),
                    address: app.address.clone(),
                    span: app.span_of("network_configuration"),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::rules::testing::{app, run, subject};
    use crate::checks::Facts;

    fn subnet(vpc: &str) -> Value {
        Value::map([
            ("id", Value::string("(known after apply: x)")),
            ("vpc_id", Value::string(vpc)),
        ])
    }

    #[test]
    fn subnets_in_two_vpcs_fire() {
        let mut a = subject("aws_subnet.a", "aws_subnet", subnet("vpc-1"));
        a.value = Value::map([
            ("id", Value::string("subnet-a")),
            ("vpc_id", Value::string("vpc-1")),
        ]);
        let mut b = subject("aws_subnet.b", "aws_subnet", subnet("vpc-2"));
        b.value = Value::map([
            ("id", Value::string("subnet-b")),
            ("vpc_id", Value::string("vpc-2")),
        ]);
        let application = subject(
            "aws_emrserverless_application.x",
            "aws_emrserverless_application",
            app("x", "16 vCPU", &[], &["subnet-a", "subnet-b"]),
        );
        let f = run(
            &NetworkMixedVpcs,
            &[a.clone(), b, application.clone()],
            &Facts::default(),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("spans 2 VPCs"), "{}", f[0].message);
        let mut b2 = subject("aws_subnet.b", "aws_subnet", subnet("vpc-1"));
        b2.value = Value::map([
            ("id", Value::string("subnet-b")),
            ("vpc_id", Value::string("vpc-1")),
        ]);
        assert!(run(&NetworkMixedVpcs, &[a, b2, application], &Facts::default()).is_empty());
    }
}
