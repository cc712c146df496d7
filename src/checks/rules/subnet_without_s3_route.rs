//! ## What it does
//! For an application in a VPC, follows each planned subnet to its route table (through
//! `aws_route_table_association`) and looks for a way to S3: a default route through a NAT
//! gateway, or an S3 gateway endpoint (`aws_vpc_endpoint` for `com.amazonaws.<region>.s3`)
//! attached to that route table.
//!
//! ## Why is this bad?
//! EMR Serverless workers in private subnets reach S3 (scripts, logs, data) only that way;
//! without it jobs hang or fail reading their entry point.
//!
//! ## Example
//! Private subnets with their own route table and no endpoint or NAT route.
//!
//! Use instead: an S3 gateway endpoint on the route table (free), or a NAT gateway route.

use super::{first, strings, subnet_ids};
use crate::checks::{placeholder, Check, CheckMeta, Context, RawFinding, Subject};
use crate::config::value::Value;
use crate::plan::FindingSeverity;

/// EMR111.
pub struct SubnetWithoutS3Route;

fn id_of(s: &Subject) -> String {
    s.value
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| placeholder(&s.address))
}

impl Check for SubnetWithoutS3Route {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR111",
            name: "subnet-without-s3-route",
            severity: FindingSeverity::Warning,
            summary: "a planned private subnet of an application has neither an S3 gateway endpoint nor a NAT route",
            fix: "add an `aws_vpc_endpoint` for `com.amazonaws.<region>.s3` (type Gateway) on the subnet's route table, or a `0.0.0.0/0` route to a NAT gateway",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        for app in ctx.of_type("aws_emrserverless_application") {
            if first(&app.value, "network_configuration").is_none() {
                continue;
            }
            for sid in subnet_ids(&app.value) {
                let Some(subnet) = ctx.by_id(&sid).filter(|s| s.type_name == "aws_subnet") else {
                    continue; // existing subnets: their routes are not in the plan
                };
                let sub_id = id_of(subnet);
                let Some(assoc) = ctx.of_type("aws_route_table_association").find(|a| {
                    a.value.get("subnet_id").and_then(Value::as_str) == Some(sub_id.as_str())
                }) else {
                    continue; // the VPC's main route table decides; not in the plan
                };
                let Some(rt_id) = assoc.value.get("route_table_id").and_then(Value::as_str) else {
                    continue;
                };
                let Some(rt) = ctx
                    .by_id(rt_id)
                    .filter(|s| s.type_name == "aws_route_table")
                else {
                    continue;
                };
                let nat = rt
                    .value
                    .get("route")
                    .and_then(Value::as_list)
                    .unwrap_or(&[])
                    .iter()
                    .any(|r| {
                        r.get("nat_gateway_id").is_some_and(|v| !v.is_null())
                            && r.get("cidr_block").and_then(Value::as_str) == Some("0.0.0.0/0")
                    })
                    || ctx.of_type("aws_route").any(|r| {
                        r.value.get("route_table_id").and_then(Value::as_str) == Some(rt_id)
                            && r.value.get("nat_gateway_id").is_some_and(|v| !v.is_null())
                    });
                let endpoint = ctx.of_type("aws_vpc_endpoint").any(|e| {
                    e.value
                        .get("service_name")
                        .and_then(Value::as_str)
                        .is_some_and(|s| s.ends_with(".s3"))
                        && strings(e.value.get("route_table_ids"))
                            .iter()
                            .any(|r| r == rt_id)
                }) || ctx
                    .of_type("aws_vpc_endpoint_route_table_association")
                    .any(|a| a.value.get("route_table_id").and_then(Value::as_str) == Some(rt_id));
                if !nat && !endpoint {
                    out.push(RawFinding {
                        code: "EMR111",
                        severity: FindingSeverity::Warning,
                        message: format!(
                            "{}: subnet {} routes through {}, which has neither an S3 gateway endpoint nor a NAT route, so workers there cannot reach S3 (scripts, logs, data). Add an aws_vpc_endpoint for com.amazonaws.<region>.s3 on that route table, or a 0.0.0.0/0 route to a NAT gateway.",
                            app.address, subnet.address, rt.address
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
    use crate::checks::Facts;

    fn stack(with_endpoint: bool) -> Vec<Subject> {
        let sub = placeholder("aws_subnet.a");
        let rt = placeholder("aws_route_table.private");
        let mut v = vec![
            subject(
                "aws_emrserverless_application.x",
                "aws_emrserverless_application",
                app("x", "16 vCPU", &[], &[&sub]),
            ),
            subject(
                "aws_subnet.a",
                "aws_subnet",
                Value::map([("id", Value::string(&sub))]),
            ),
            subject(
                "aws_route_table.private",
                "aws_route_table",
                Value::map([("id", Value::string(&rt)), ("route", Value::List(vec![]))]),
            ),
            subject(
                "aws_route_table_association.a",
                "aws_route_table_association",
                Value::map([
                    ("subnet_id", Value::string(&sub)),
                    ("route_table_id", Value::string(&rt)),
                ]),
            ),
        ];
        if with_endpoint {
            v.push(subject(
                "aws_vpc_endpoint.s3",
                "aws_vpc_endpoint",
                Value::map([
                    ("service_name", Value::string("com.amazonaws.us-east-1.s3")),
                    ("route_table_ids", Value::set(vec![Value::string(&rt)])),
                ]),
            ));
        }
        v
    }

    #[test]
    fn private_route_table_without_a_way_to_s3_warns() {
        let f = run(&SubnetWithoutS3Route, &stack(false), &Facts::default());
        assert_eq!(f.len(), 1);
        assert!(f[0]
            .message
            .contains("neither an S3 gateway endpoint nor a NAT route"));
        assert!(run(&SubnetWithoutS3Route, &stack(true), &Facts::default()).is_empty());
    }
}
