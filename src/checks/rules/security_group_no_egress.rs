//! ## What it does
//! Checks that each planned security group an application uses allows some egress: inline
//! `egress` blocks, `aws_vpc_security_group_egress_rule` or `aws_security_group_rule` (type
//! `egress`) resources. (emrform, like the AWS provider, removes AWS's default allow-all egress
//! from groups it creates.)
//!
//! ## Why is this bad?
//! Workers in a group without egress reach nothing: not S3, not the metastore, not AWS APIs;
//! jobs fail at start.
//!
//! ## Example
//! `aws_security_group` with only `ingress` blocks.
//!
//! Use instead: an egress rule to `0.0.0.0/0` (or to the endpoints and data stores the jobs use).

use super::security_group_ids;
use crate::checks::{placeholder, Check, CheckMeta, Context, RawFinding};
use crate::config::value::Value;
use crate::plan::FindingSeverity;

/// EMR112.
pub struct SecurityGroupNoEgress;

impl Check for SecurityGroupNoEgress {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR112",
            name: "security-group-no-egress",
            severity: FindingSeverity::Warning,
            summary: "a planned security group of an application allows no egress at all",
            fix: "an `egress` block or `aws_vpc_security_group_egress_rule` to `0.0.0.0/0` or to the endpoints and data stores the jobs use",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        for app in ctx.of_type("aws_emrserverless_application") {
            let groups = security_group_ids(&app.value);
            for gid in groups {
                let Some(sg) = ctx
                    .by_id(&gid)
                    .filter(|s| s.type_name == "aws_security_group")
                else {
                    continue;
                };
                let id = sg
                    .value
                    .get("id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| placeholder(&sg.address));
                let inline = sg
                    .value
                    .get("egress")
                    .and_then(Value::as_list)
                    .is_some_and(|l| !l.is_empty());
                let unknown = matches!(sg.value.get("egress"), Some(Value::Unknown));
                let separate = ctx.of_type("aws_vpc_security_group_egress_rule").any(|r| {
                    r.value.get("security_group_id").and_then(Value::as_str) == Some(id.as_str())
                }) || ctx.of_type("aws_security_group_rule").any(|r| {
                    r.value.get("security_group_id").and_then(Value::as_str) == Some(id.as_str())
                        && r.value.get("type").and_then(Value::as_str) == Some("egress")
                });
                if !inline && !unknown && !separate {
                    out.push(RawFinding {
                        code: "EMR112",
                        severity: FindingSeverity::Warning,
                        message: format!(
                            "{}: security group {} allows no egress, so workers cannot reach S3, AWS APIs or data stores. Add an egress rule (0.0.0.0/0, or the endpoints and ports the jobs use).",
                            app.address, sg.address
                        ),
                        address: app.address.clone(),
                        span: sg.span_of("egress").or(app.span_of("network_configuration")),
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

    fn check(egress: Value, rule: bool) -> usize {
        let sg = placeholder("aws_security_group.w");
        let appv = Value::map([(
            "network_configuration",
            Value::List(vec![Value::map([
                ("subnet_ids", Value::set(vec![])),
                ("security_group_ids", Value::set(vec![Value::string(&sg)])),
            ])]),
        )]);
        let mut s = vec![
            subject(
                "aws_emrserverless_application.x",
                "aws_emrserverless_application",
                appv,
            ),
            subject(
                "aws_security_group.w",
                "aws_security_group",
                Value::map([("id", Value::string(&sg)), ("egress", egress)]),
            ),
        ];
        if rule {
            s.push(subject(
                "aws_vpc_security_group_egress_rule.all",
                "aws_vpc_security_group_egress_rule",
                Value::map([("security_group_id", Value::string(&sg))]),
            ));
        }
        run(&SecurityGroupNoEgress, &s, &Facts::default()).len()
    }

    #[test]
    fn groups_without_egress_warn() {
        assert_eq!(check(Value::set(vec![]), false), 1);
        assert_eq!(check(Value::set(vec![]), true), 0);
        assert_eq!(
            check(
                Value::set(vec![Value::map([(
                    "cidr_blocks",
                    Value::string("0.0.0.0/0")
                )])]),
                false
            ),
            0
        );
    }
}
