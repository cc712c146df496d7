//! `aws_route`: one route in a route table. Id = `r-<route table id><hash of the
//! destination>` as the AWS provider composes it; import id = `<route table id>_<destination>`.
//! A target change is a ReplaceRoute in place; the table and the destination force
//! replacement. Shares [`RouteSpec`] and the target list with `aws_route_table`.

use super::api::RouteSpec;
use super::route_table::TARGETS;
use super::Net;
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::{ApiError, ApiErrorKind, ProviderError};
use crate::providers::planning::{diff, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use aws_sdk_ec2::types as t;
use std::collections::BTreeMap;
use std::time::Instant;

/// The destination attributes of `aws_route`, in the order the AWS provider picks one.
pub const DESTINATIONS: &[&str] = &[
    "destination_cidr_block",
    "destination_ipv6_cidr_block",
    "destination_prefix_list_id",
];

const SPECS: &[AttrSpec] = &[
    AttrSpec::config("carrier_gateway_id"),
    AttrSpec::config("core_network_arn"),
    AttrSpec::config("destination_cidr_block").force_new(),
    AttrSpec::config("destination_ipv6_cidr_block").force_new(),
    AttrSpec::config("destination_prefix_list_id").force_new(),
    AttrSpec::config("egress_only_gateway_id"),
    AttrSpec::config("gateway_id"),
    AttrSpec::computed("id"),
    AttrSpec::computed("instance_id"),
    AttrSpec::computed("instance_owner_id"),
    AttrSpec::config("local_gateway_id"),
    AttrSpec::config("nat_gateway_id"),
    AttrSpec::optional_computed("network_interface_id"),
    AttrSpec::config("odb_network_arn"),
    AttrSpec::computed("origin"),
    AttrSpec::config("route_table_id").force_new(),
    AttrSpec::computed("state"),
    AttrSpec::config("timeouts"),
    AttrSpec::config("transit_gateway_id"),
    AttrSpec::config("vpc_endpoint_id"),
    AttrSpec::config("vpc_peering_connection_id"),
];

/// The AWS provider's route id: `r-` + table id + the hash code of the destination.
pub fn route_id(table: &str, destination: &str) -> String {
    format!("r-{table}{}", super::hashcode(destination))
}

/// The destination a route object sets (the first of [`DESTINATIONS`]).
pub fn destination_of(v: &Value) -> Option<(&'static str, &str)> {
    DESTINATIONS
        .iter()
        .find_map(|k| str_of(v, k).map(|d| (*k, d)))
}

fn spec(v: &Value) -> RouteSpec {
    let s = |k: &str| str_of(v, k).map(str::to_string);
    RouteSpec {
        cidr_block: s("destination_cidr_block"),
        ipv6_cidr_block: s("destination_ipv6_cidr_block"),
        destination_prefix_list_id: s("destination_prefix_list_id"),
        targets: TARGETS
            .iter()
            .filter_map(|k| Some((k.to_string(), s(k)?)))
            .collect(),
    }
}

fn route_dest(r: &t::Route) -> Option<(&'static str, &str)> {
    r.destination_cidr_block()
        .map(|d| ("destination_cidr_block", d))
        .or_else(|| {
            r.destination_ipv6_cidr_block()
                .map(|d| ("destination_ipv6_cidr_block", d))
        })
        .or_else(|| {
            r.destination_prefix_list_id()
                .map(|d| ("destination_prefix_list_id", d))
        })
}

/// The targets that changed between two route objects.
fn changed_targets(d: &crate::providers::planning::Diff) -> Vec<String> {
    TARGETS
        .iter()
        .chain(["odb_network_arn"].iter())
        .filter(|k| d.has(k))
        .map(|k| k.to_string())
        .collect()
}

/// The route resource.
pub struct RouteResource(pub Net);

impl RouteResource {
    /// The route of `table` with `destination` (of kind `key`) as a state object.
    async fn find(
        &self,
        ctx: &Ctx,
        table: &str,
        key: &str,
        destination: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let rts = self
            .0
            .api
            .describe_route_tables(&[table.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeRouteTables", e))?;
        let Some(r) = rts
            .iter()
            .flat_map(|rt| rt.routes())
            .find(|r| route_dest(r) == Some((key, destination)))
        else {
            return Ok(None);
        };
        let gateway = r.gateway_id();
        let endpoint = gateway.filter(|g| g.starts_with("vpce-"));
        let gateway = gateway.filter(|g| !g.starts_with("vpce-"));
        let keep = |k: &str| {
            prior
                .and_then(|p| p.get(k))
                .cloned()
                .map(known)
                .unwrap_or(Value::Null)
        };
        let dest = |k: &str| {
            if k == key {
                Value::from(destination)
            } else {
                Value::Null
            }
        };
        Ok(Some(Value::Map(obj([
            ("carrier_gateway_id", opt_str(r.carrier_gateway_id())),
            ("core_network_arn", opt_str(r.core_network_arn())),
            ("destination_cidr_block", dest("destination_cidr_block")),
            (
                "destination_ipv6_cidr_block",
                dest("destination_ipv6_cidr_block"),
            ),
            (
                "destination_prefix_list_id",
                dest("destination_prefix_list_id"),
            ),
            (
                "egress_only_gateway_id",
                opt_str(r.egress_only_internet_gateway_id()),
            ),
            ("gateway_id", opt_str(gateway)),
            ("id", Value::from(route_id(table, destination))),
            ("instance_id", opt_str(r.instance_id())),
            ("instance_owner_id", opt_str(r.instance_owner_id())),
            ("local_gateway_id", opt_str(r.local_gateway_id())),
            ("nat_gateway_id", opt_str(r.nat_gateway_id())),
            ("network_interface_id", opt_str(r.network_interface_id())),
            ("odb_network_arn", keep("odb_network_arn")),
            (
                "origin",
                opt_str(r.origin().map(|o| o.as_str().to_string())),
            ),
            ("route_table_id", Value::from(table)),
            ("state", opt_str(r.state().map(|s| s.as_str().to_string()))),
            ("timeouts", keep("timeouts")),
            ("transit_gateway_id", opt_str(r.transit_gateway_id())),
            ("vpc_endpoint_id", opt_str(endpoint)),
            (
                "vpc_peering_connection_id",
                opt_str(r.vpc_peering_connection_id()),
            ),
        ]))))
    }

    async fn find_planned(
        &self,
        ctx: &Ctx,
        v: &Value,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let table =
            str_of(v, "route_table_id").ok_or_else(|| ctx.invalid("route_table_id is required"))?;
        let (key, dest) = destination_of(v).ok_or_else(|| {
            ctx.invalid("one of destination_cidr_block, destination_ipv6_cidr_block or destination_prefix_list_id is required")
        })?;
        self.find(ctx, table, key, dest, prior).await
    }

    /// Waits until the route shows up (EC2 is eventually consistent).
    async fn wait_present(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let start = Instant::now();
        loop {
            if let Some(v) = self.find_planned(ctx, planned, Some(planned)).await? {
                return Ok(v);
            }
            if start.elapsed() > ctx.timeouts.create {
                return Err(ProviderError::Timeout {
                    address: ctx.address.clone(),
                    waiting_for: "the route to appear in its route table".into(),
                    seconds: ctx.timeouts.create.as_secs(),
                    partial: None,
                });
            }
            tokio::time::sleep(ctx.poll_interval).await;
        }
    }
}

#[async_trait]
impl ResourceProvider for RouteResource {
    fn type_name(&self) -> &'static str {
        "aws_route"
    }

    fn normalize(&self, v: &Value) -> Value {
        v.clone()
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &BTreeMap::new(), &|v: &Value| {
            v.clone()
        });
        if prior.is_none() || !d.replace.is_empty() {
            // The id follows from the table and the destination when both are known.
            if let (Value::Map(m), Some(table), Some((_, dest))) = (
                &mut d.planned,
                str_of(desired, "route_table_id"),
                destination_of(desired),
            ) {
                m.insert("id".into(), Value::from(route_id(table, dest)));
            }
        }
        let ops = match prior {
            None => vec![ApiOp::call("CreateRoute")],
            Some(_) if !d.replace.is_empty() => {
                vec![ApiOp::call("DeleteRoute"), ApiOp::call("CreateRoute")]
            }
            Some(_) => {
                let f = changed_targets(&d);
                if f.is_empty() {
                    vec![]
                } else {
                    vec![ApiOp::with_fields("ReplaceRoute", f)]
                }
            }
        };
        PlannedChange {
            changed_paths: d.changed_paths(),
            requires_replace: d.replace_paths(),
            planned: d.planned,
            api_ops: ops,
        }
    }

    async fn read(&self, ctx: &Ctx, prior: &Value) -> Result<Option<Value>, ProviderError> {
        self.find_planned(ctx, prior, Some(prior)).await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let table = str_of(planned, "route_table_id")
            .ok_or_else(|| ctx.invalid("route_table_id is required"))?;
        let route = spec(planned);
        if route.targets.is_empty() {
            return Err(ctx.invalid("a route needs one target (gateway_id, nat_gateway_id, ...)"));
        }
        match self.0.api.create_route(table, &route).await {
            Ok(()) => {}
            // CreateRoute is retried after ambiguous failures: an identical route that is
            // there now is ours.
            Err(e) if e.has_code("RouteAlreadyExists") => {
                let live = self.find_planned(ctx, planned, Some(planned)).await?;
                let ours = live
                    .as_ref()
                    .is_some_and(|l| route.targets.iter().all(|(k, v)| str_of(l, k) == Some(v)));
                if !ours {
                    return Err(ctx.api(
                        "CreateRoute",
                        ApiError::new(
                            ApiErrorKind::Conflict,
                            "RouteAlreadyExists",
                            format!(
                                "a route to {} already exists in {table}; import it with `{table}_{}`",
                                destination_of(planned).map(|d| d.1).unwrap_or_default(),
                                destination_of(planned).map(|d| d.1).unwrap_or_default()
                            ),
                        ),
                    ));
                }
            }
            Err(e) => return Err(ctx.api("CreateRoute", e)),
        }
        self.wait_present(ctx, planned).await
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let table = str_of(prior, "route_table_id")
            .ok_or_else(|| ctx.invalid("no route_table_id in prior state"))?;
        let mut want = spec(planned);
        // An ENI AWS filled in for an instance target is not a target of its own.
        if want.targets.len() > 1 && str_of(prior, "instance_id").is_some() {
            want.targets.remove("network_interface_id");
        }
        self.0
            .api
            .replace_route(table, &want)
            .await
            .map_err(|e| ctx.api("ReplaceRoute", e))?;
        self.find_planned(ctx, planned, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid("the route no longer exists"))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let table = str_of(prior, "route_table_id")
            .ok_or_else(|| ctx.invalid("no route_table_id in prior state"))?;
        let mut route = spec(prior);
        route.targets.clear();
        match self.0.api.delete_route(table, &route).await {
            Ok(()) => Ok(()),
            Err(e) if e.has_code("InvalidRoute.NotFound") => Ok(()),
            Err(e) => Err(ctx.api("DeleteRoute", e)),
        }
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        if str_of(planned, "route_table_id").is_none() || destination_of(planned).is_none() {
            return Ok(None);
        }
        Ok(Some(
            self.find_planned(ctx, planned, None)
                .await?
                .into_iter()
                .collect(),
        ))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        let (table, dest) = id
            .split_once('_')
            .filter(|(t, d)| t.starts_with("rtb-") && !d.is_empty())
            .ok_or_else(|| {
                ctx.invalid(format!(
                    "import id {id:?} is not ROUTETABLEID_DESTINATION (rtb-…_10.0.0.0/16)"
                ))
            })?;
        let key = if dest.starts_with("pl-") {
            "destination_prefix_list_id"
        } else if dest.contains(':') {
            "destination_ipv6_cidr_block"
        } else {
            "destination_cidr_block"
        };
        self.find(ctx, table, key, dest, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prior() -> Value {
        Value::map([
            ("id", Value::from(route_id("rtb-1", "0.0.0.0/0"))),
            ("route_table_id", Value::from("rtb-1")),
            ("destination_cidr_block", Value::from("0.0.0.0/0")),
            ("gateway_id", Value::from("igw-1")),
            ("origin", Value::from("CreateRoute")),
            ("state", Value::from("active")),
        ])
    }

    #[test]
    fn id_is_the_table_and_the_crc_of_the_destination() {
        assert_eq!(
            route_id("rtb-1", "0.0.0.0/0"),
            format!("r-rtb-1{}", super::super::hashcode("0.0.0.0/0"))
        );
        let r = RouteResource(crate::providers::ec2::tests::net());
        let p = r.plan(
            None,
            &Value::map([
                ("route_table_id", Value::from("rtb-9")),
                ("destination_cidr_block", Value::from("10.0.0.0/8")),
                ("nat_gateway_id", Value::from("nat-1")),
            ]),
        );
        assert_eq!(
            p.planned.get("id"),
            Some(&Value::from(route_id("rtb-9", "10.0.0.0/8")))
        );
    }

    #[test]
    fn target_changes_replace_the_route_in_place() {
        let r = RouteResource(crate::providers::ec2::tests::net());
        let want = Value::map([
            ("route_table_id", Value::from("rtb-1")),
            ("destination_cidr_block", Value::from("0.0.0.0/0")),
            ("nat_gateway_id", Value::from("nat-1")),
        ]);
        let p = r.plan(Some(&prior()), &want);
        assert!(p.requires_replace.is_empty());
        assert_eq!(
            p.api_ops,
            vec![ApiOp::with_fields(
                "ReplaceRoute",
                ["gateway_id".to_string(), "nat_gateway_id".to_string()]
            )]
        );
        let moved = Value::map([
            ("route_table_id", Value::from("rtb-1")),
            ("destination_cidr_block", Value::from("10.0.0.0/8")),
            ("gateway_id", Value::from("igw-1")),
        ]);
        let p = r.plan(Some(&prior()), &moved);
        assert_eq!(
            p.requires_replace,
            vec![vec![crate::providers::PathStep::Attr(
                "destination_cidr_block".into()
            )]]
        );
    }
}
