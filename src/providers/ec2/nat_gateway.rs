//! `aws_nat_gateway` (zonal, public or private). Id = the `nat-` id (also the import id).
//! Create carries a client token and waits for `available` (a `failed` gateway is an error with
//! AWS's reason); delete waits for `deleted`, and a deleted gateway reads as gone. Secondary
//! addresses change in place (Associate/DisassociateNatGatewayAddress for EIPs,
//! Assign/UnassignPrivateNatGatewayAddress for private IPs); everything else forces
//! replacement. Regional NAT gateways (`availability_mode = "regional"`) are refused.

use super::api::NewNatGateway;
use super::Net;
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::planning::{diff, tag_ops, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use aws_sdk_ec2::types as t;
use std::collections::BTreeSet;
use std::time::Instant;

fn public() -> Value {
    Value::from("public")
}

const SPECS: &[AttrSpec] = &[
    AttrSpec::config("allocation_id").force_new(),
    AttrSpec::computed("association_id"),
    AttrSpec::computed("auto_provision_zones"),
    AttrSpec::computed("auto_scaling_ips"),
    AttrSpec::optional_computed("availability_mode").force_new(),
    AttrSpec::config("availability_zone_address").block(),
    AttrSpec::config("connectivity_type")
        .default(public)
        .force_new(),
    AttrSpec::computed("id"),
    AttrSpec::computed("network_interface_id"),
    AttrSpec::optional_computed("private_ip").force_new(),
    AttrSpec::computed("public_ip"),
    AttrSpec::computed("regional_nat_gateway_address"),
    AttrSpec::computed("regional_nat_gateway_auto_mode"),
    AttrSpec::computed("route_table_id"),
    AttrSpec::config("secondary_allocation_ids"),
    AttrSpec::optional_computed("secondary_private_ip_address_count"),
    AttrSpec::optional_computed("secondary_private_ip_addresses"),
    AttrSpec::config("subnet_id").force_new(),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
    AttrSpec::config("timeouts"),
    AttrSpec::optional_computed("vpc_id").force_new(),
];

fn state_of(g: &t::NatGateway) -> String {
    g.state()
        .map(|s| s.as_str().to_ascii_lowercase())
        .unwrap_or_default()
}

fn set_of(v: &Value, k: &str) -> BTreeSet<String> {
    strings(v, k).into_iter().collect()
}

/// Secondary addresses compare as sets.
fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out = m.clone();
    for k in ["secondary_allocation_ids", "secondary_private_ip_addresses"] {
        if let Some(l) = m.get(k).and_then(Value::as_list) {
            out.insert(k.into(), Value::set(l.to_vec()));
        }
    }
    Value::Map(out)
}

/// The NAT gateway resource.
pub struct NatGatewayResource(pub Net);

impl NatGatewayResource {
    async fn describe(&self, ctx: &Ctx, id: &str) -> Result<Option<t::NatGateway>, ProviderError> {
        Ok(self
            .0
            .api
            .describe_nat_gateways(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeNatGateways", e))?
            .into_iter()
            .find(|g| state_of(g) != "deleted"))
    }

    fn value(&self, g: &t::NatGateway, prior: Option<&Value>) -> Value {
        let (tags, tags_all) = self.0.tag_values(g.tags(), prior);
        let addrs = g.nat_gateway_addresses();
        let primary_at = addrs
            .iter()
            .position(|a| a.is_primary() == Some(true))
            .or(if addrs.is_empty() { None } else { Some(0) });
        let primary = primary_at.and_then(|i| addrs.get(i));
        let secondary: Vec<&t::NatGatewayAddress> = addrs
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != primary_at)
            .map(|(_, a)| a)
            .filter(|a| {
                !matches!(
                    a.status(),
                    Some(t::NatGatewayAddressStatus::Disassociating)
                        | Some(t::NatGatewayAddressStatus::Unassigning)
                )
            })
            .collect();
        let connectivity = g
            .connectivity_type()
            .map(|c| c.as_str().to_string())
            .unwrap_or_else(|| "public".into());
        let public = connectivity == "public";
        let keep = |k: &str| {
            prior
                .and_then(|p| p.get(k))
                .cloned()
                .map(known)
                .unwrap_or(Value::Null)
        };
        let secondary_ips: Vec<String> = secondary
            .iter()
            .filter_map(|a| a.private_ip().map(str::to_string))
            .collect();
        Value::Map(obj([
            (
                "allocation_id",
                opt_str(primary.and_then(|a| a.allocation_id())),
            ),
            (
                "association_id",
                opt_str(primary.and_then(|a| a.association_id())),
            ),
            (
                "auto_provision_zones",
                opt_str(g.auto_provision_zones().map(|s| s.as_str().to_string())),
            ),
            (
                "auto_scaling_ips",
                opt_str(g.auto_scaling_ips().map(|s| s.as_str().to_string())),
            ),
            (
                "availability_mode",
                Value::from(
                    g.availability_mode()
                        .map(|m| m.as_str().to_string())
                        .unwrap_or_else(|| "zonal".into()),
                ),
            ),
            ("availability_zone_address", Value::Set(vec![])),
            ("connectivity_type", Value::from(connectivity.as_str())),
            ("id", opt_str(g.nat_gateway_id())),
            (
                "network_interface_id",
                opt_str(primary.and_then(|a| a.network_interface_id())),
            ),
            ("private_ip", opt_str(primary.and_then(|a| a.private_ip()))),
            ("public_ip", opt_str(primary.and_then(|a| a.public_ip()))),
            ("regional_nat_gateway_address", Value::Set(vec![])),
            ("regional_nat_gateway_auto_mode", Value::Null),
            ("route_table_id", opt_str(g.route_table_id())),
            (
                "secondary_allocation_ids",
                if public {
                    string_set(
                        secondary
                            .iter()
                            .filter_map(|a| a.allocation_id().map(str::to_string)),
                    )
                } else {
                    keep("secondary_allocation_ids")
                },
            ),
            (
                "secondary_private_ip_address_count",
                Value::from(secondary_ips.len() as i64),
            ),
            ("secondary_private_ip_addresses", string_set(secondary_ips)),
            ("subnet_id", opt_str(g.subnet_id())),
            ("tags", tags),
            ("tags_all", tags_all),
            ("timeouts", keep("timeouts")),
            ("vpc_id", opt_str(g.vpc_id())),
        ]))
    }

    async fn fetch(
        &self,
        ctx: &Ctx,
        id: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        Ok(self.describe(ctx, id).await?.map(|g| self.value(&g, prior)))
    }

    async fn wait_available(&self, ctx: &Ctx, id: &str) -> Result<(), ProviderError> {
        let start = Instant::now();
        let partial = || Some(Box::new(Value::map([("id", Value::from(id))])));
        loop {
            let g = self.describe(ctx, id).await?;
            match g.as_ref().map(state_of).as_deref() {
                Some("available") => return Ok(()),
                Some("failed") => {
                    return Err(ProviderError::UnexpectedState {
                        address: ctx.address.clone(),
                        message: format!(
                            "NAT gateway {id} failed: {}: {}",
                            g.as_ref()
                                .and_then(|g| g.failure_code())
                                .unwrap_or_default(),
                            g.as_ref()
                                .and_then(|g| g.failure_message())
                                .unwrap_or_default()
                        ),
                        partial: partial(),
                    })
                }
                _ => {}
            }
            if start.elapsed() > ctx.timeouts.create {
                return Err(ProviderError::Timeout {
                    address: ctx.address.clone(),
                    waiting_for: format!("NAT gateway {id} to become available"),
                    seconds: ctx.timeouts.create.as_secs(),
                    partial: partial(),
                });
            }
            tokio::time::sleep(ctx.poll_interval).await;
        }
    }

    async fn sync_secondary(
        &self,
        ctx: &Ctx,
        id: &str,
        prior: &Value,
        planned: &Value,
    ) -> Result<(), ProviderError> {
        let n = &self.0;
        let public = str_of(planned, "connectivity_type").unwrap_or("public") == "public";
        if public {
            if planned.get("secondary_allocation_ids") == Some(&Value::Unknown) {
                return Ok(());
            }
            let have = set_of(prior, "secondary_allocation_ids");
            let want = set_of(planned, "secondary_allocation_ids");
            let remove: Vec<String> = have.difference(&want).cloned().collect();
            if !remove.is_empty() {
                let g = self.describe(ctx, id).await?;
                let assoc: Vec<String> = g
                    .iter()
                    .flat_map(|g| g.nat_gateway_addresses())
                    .filter(|a| {
                        a.allocation_id()
                            .is_some_and(|x| remove.iter().any(|r| r == x))
                    })
                    .filter_map(|a| a.association_id().map(str::to_string))
                    .collect();
                if !assoc.is_empty() {
                    n.api
                        .disassociate_nat_gateway_addresses(id, &assoc)
                        .await
                        .map_err(|e| ctx.api("DisassociateNatGatewayAddress", e))?;
                }
            }
            let add: Vec<String> = want.difference(&have).cloned().collect();
            if !add.is_empty() {
                n.api
                    .associate_nat_gateway_addresses(id, &add)
                    .await
                    .map_err(|e| ctx.api("AssociateNatGatewayAddress", e))?;
            }
        } else if planned.get("secondary_private_ip_addresses") != Some(&Value::Unknown)
            && !is_empty(planned.get("secondary_private_ip_addresses"))
        {
            let have = set_of(prior, "secondary_private_ip_addresses");
            let want = set_of(planned, "secondary_private_ip_addresses");
            let remove: Vec<String> = have.difference(&want).cloned().collect();
            if !remove.is_empty() {
                n.api
                    .unassign_private_nat_gateway_addresses(id, &remove)
                    .await
                    .map_err(|e| ctx.api("UnassignPrivateNatGatewayAddress", e))?;
            }
            let add: Vec<String> = want.difference(&have).cloned().collect();
            if !add.is_empty() {
                n.api
                    .assign_private_nat_gateway_addresses(id, &add, None)
                    .await
                    .map_err(|e| ctx.api("AssignPrivateNatGatewayAddress", e))?;
            }
        } else if let (Some(want), Some(have)) = (
            int_of(planned, "secondary_private_ip_address_count"),
            int_of(prior, "secondary_private_ip_address_count"),
        ) {
            if want > have {
                n.api
                    .assign_private_nat_gateway_addresses(id, &[], Some((want - have) as i32))
                    .await
                    .map_err(|e| ctx.api("AssignPrivateNatGatewayAddress", e))?;
            } else if want < have {
                let mut ips: Vec<String> = strings(prior, "secondary_private_ip_addresses");
                ips.sort();
                let drop: Vec<String> = ips.into_iter().take((have - want) as usize).collect();
                n.api
                    .unassign_private_nat_gateway_addresses(id, &drop)
                    .await
                    .map_err(|e| ctx.api("UnassignPrivateNatGatewayAddress", e))?;
            }
        }
        Ok(())
    }
}

#[async_trait]
impl ResourceProvider for NatGatewayResource {
    fn type_name(&self) -> &'static str {
        "aws_nat_gateway"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let d = diff(SPECS, prior, desired, &self.0.default_tags, &normalize);
        let ops = match prior {
            None => vec![ApiOp::call("CreateNatGateway")],
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DeleteNatGateway"),
                ApiOp::call("CreateNatGateway"),
            ],
            Some(p) => {
                let mut ops = Vec::new();
                if d.has("secondary_allocation_ids") {
                    let have = set_of(p, "secondary_allocation_ids");
                    let want = set_of(&d.planned, "secondary_allocation_ids");
                    let f = || vec!["secondary_allocation_ids".to_string()];
                    if have.difference(&want).next().is_some() {
                        ops.push(ApiOp::with_fields("DisassociateNatGatewayAddress", f()));
                    }
                    if want.difference(&have).next().is_some() {
                        ops.push(ApiOp::with_fields("AssociateNatGatewayAddress", f()));
                    }
                }
                let f: Vec<String> = [
                    "secondary_private_ip_addresses",
                    "secondary_private_ip_address_count",
                ]
                .iter()
                .filter(|k| d.has(k))
                .map(|k| k.to_string())
                .collect();
                if !f.is_empty() {
                    ops.push(ApiOp::with_fields("AssignPrivateNatGatewayAddress", f));
                }
                ops.extend(tag_ops(p, &d.planned, "CreateTags", "DeleteTags"));
                ops
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
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.fetch(ctx, id, Some(prior)).await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        if str_of(planned, "availability_mode") == Some("regional")
            || !items(planned, "availability_zone_address").is_empty()
        {
            return Err(ctx.invalid(
                "regional NAT gateways (availability_mode = \"regional\") are not supported",
            ));
        }
        let subnet =
            str_of(planned, "subnet_id").ok_or_else(|| ctx.invalid("subnet_id is required"))?;
        let new = NewNatGateway {
            subnet_id: subnet.to_string(),
            connectivity_type: str_of(planned, "connectivity_type").map(str::to_string),
            allocation_id: str_of(planned, "allocation_id").map(str::to_string),
            private_ip: str_of(planned, "private_ip").map(str::to_string),
            secondary_allocation_ids: strings(planned, "secondary_allocation_ids"),
            secondary_private_ip_addresses: strings(planned, "secondary_private_ip_addresses"),
            secondary_private_ip_address_count: int_of(
                planned,
                "secondary_private_ip_address_count",
            )
            .filter(|n| *n > 0)
            .map(|n| n as i32),
            tags: self.0.tags_all(planned),
            client_token: uuid::Uuid::new_v4().to_string(),
        };
        let id = self
            .0
            .api
            .create_nat_gateway(&new)
            .await
            .map_err(|e| ctx.api("CreateNatGateway", e))?;
        self.wait_available(ctx, &id).await?;
        self.fetch(ctx, &id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("NAT gateway {id} vanished after create")))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.sync_secondary(ctx, id, prior, planned).await?;
        if let Some(g) = self.describe(ctx, id).await? {
            self.0.sync_tags(ctx, id, g.tags(), planned).await?;
        }
        self.fetch(ctx, id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("NAT gateway {id} no longer exists")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        if self.describe(ctx, id).await?.is_none() {
            return Ok(());
        }
        self.0
            .api
            .delete_nat_gateway(id)
            .await
            .map_err(|e| ctx.api("DeleteNatGateway", e))?;
        let start = Instant::now();
        while self.describe(ctx, id).await?.is_some() {
            if start.elapsed() > ctx.timeouts.delete {
                return Err(ProviderError::Timeout {
                    address: ctx.address.clone(),
                    waiting_for: format!("NAT gateway {id} to be deleted"),
                    seconds: ctx.timeouts.delete.as_secs(),
                    partial: None,
                });
            }
            tokio::time::sleep(ctx.poll_interval).await;
        }
        Ok(())
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let Some(subnet) = str_of(planned, "subnet_id") else {
            return Ok(None);
        };
        let mut filters = super::tag_filters(planned);
        filters.push(("subnet-id".into(), vec![subnet.to_string()]));
        filters.push(("state".into(), vec!["pending".into(), "available".into()]));
        let found = self
            .0
            .api
            .describe_nat_gateways(&[], &filters)
            .await
            .map_err(|e| ctx.api("DescribeNatGateways", e))?;
        let values = found.iter().map(|g| self.value(g, None)).collect();
        Ok(Some(matching_known(
            values,
            planned,
            &["allocation_id", "connectivity_type", "private_ip"],
        )))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        if !id.starts_with("nat-") {
            return Err(ctx.invalid(format!("import id {id:?} is not a NAT gateway id")));
        }
        self.fetch(ctx, id, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secondary_allocations_change_in_place_subnet_forces_new() {
        let r = NatGatewayResource(crate::providers::ec2::tests::net());
        let prior = Value::map([
            ("id", Value::from("nat-1")),
            ("allocation_id", Value::from("eipalloc-1")),
            ("connectivity_type", Value::from("public")),
            ("availability_mode", Value::from("zonal")),
            ("subnet_id", Value::from("subnet-1")),
            ("vpc_id", Value::from("vpc-1")),
            ("private_ip", Value::from("10.0.0.5")),
            ("secondary_allocation_ids", Value::set(vec![])),
            ("secondary_private_ip_address_count", Value::from(0i64)),
            ("secondary_private_ip_addresses", Value::set(vec![])),
            ("tags_all", Value::map::<&str>([])),
        ]);
        let want = Value::map([
            ("allocation_id", Value::from("eipalloc-1")),
            ("subnet_id", Value::from("subnet-1")),
        ]);
        assert!(r.plan(Some(&prior), &want).changed_paths.is_empty());
        let more = Value::map([
            ("allocation_id", Value::from("eipalloc-1")),
            ("subnet_id", Value::from("subnet-1")),
            (
                "secondary_allocation_ids",
                Value::List(vec![Value::from("eipalloc-2")]),
            ),
        ]);
        let p = r.plan(Some(&prior), &more);
        assert!(p.requires_replace.is_empty());
        assert_eq!(
            p.api_ops,
            vec![ApiOp::with_fields(
                "AssociateNatGatewayAddress",
                ["secondary_allocation_ids".to_string()]
            )]
        );
        let moved = Value::map([
            ("allocation_id", Value::from("eipalloc-1")),
            ("subnet_id", Value::from("subnet-2")),
        ]);
        assert_eq!(r.plan(Some(&prior), &moved).requires_replace.len(), 1);
    }
}
