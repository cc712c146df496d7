//! `aws_route_table` (with inline `route` set) and `aws_route_table_association`.
//! Routes AWS adds itself (`local`, propagated, gateway endpoint routes) are not part of the
//! `route` set, as in the AWS provider.

use super::api::RouteSpec;
use super::Net;
use crate::config::value::{Map, Value};
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::planning::{diff, tag_ops, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use aws_sdk_ec2::types as t;
use std::collections::BTreeMap;

/// Route object attributes: destinations then targets.
pub const DESTINATIONS: &[&str] = &[
    "cidr_block",
    "ipv6_cidr_block",
    "destination_prefix_list_id",
];
/// Route targets.
pub const TARGETS: &[&str] = &[
    "carrier_gateway_id",
    "core_network_arn",
    "egress_only_gateway_id",
    "gateway_id",
    "local_gateway_id",
    "nat_gateway_id",
    "network_interface_id",
    "transit_gateway_id",
    "vpc_endpoint_id",
    "vpc_peering_connection_id",
];

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("id"),
    AttrSpec::computed("owner_id"),
    AttrSpec::optional_computed("propagating_vgws"),
    AttrSpec::optional_computed("route"),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
    AttrSpec::config("timeouts"),
    AttrSpec::config("vpc_id").force_new(),
];

/// A live route as a `route` object (`""` for unset fields, as the AWS provider keeps them),
/// or `None` for routes AWS manages.
pub fn route_value(r: &t::Route) -> Option<Value> {
    if r.gateway_id() == Some("local") || r.gateway_id().is_some_and(|g| g.starts_with("vpce-")) {
        return None;
    }
    if matches!(
        r.origin(),
        Some(t::RouteOrigin::EnableVgwRoutePropagation) | Some(t::RouteOrigin::CreateRouteTable)
    ) {
        return None;
    }
    let s = |v: Option<&str>| Value::from(v.unwrap_or_default());
    Some(Value::Map(obj([
        ("carrier_gateway_id", s(r.carrier_gateway_id())),
        ("cidr_block", s(r.destination_cidr_block())),
        ("core_network_arn", s(r.core_network_arn())),
        (
            "destination_prefix_list_id",
            s(r.destination_prefix_list_id()),
        ),
        (
            "egress_only_gateway_id",
            s(r.egress_only_internet_gateway_id()),
        ),
        ("gateway_id", s(r.gateway_id())),
        ("ipv6_cidr_block", s(r.destination_ipv6_cidr_block())),
        ("local_gateway_id", s(r.local_gateway_id())),
        ("nat_gateway_id", s(r.nat_gateway_id())),
        ("network_interface_id", s(r.network_interface_id())),
        ("transit_gateway_id", s(r.transit_gateway_id())),
        ("vpc_endpoint_id", Value::from("")),
        (
            "vpc_peering_connection_id",
            s(r.vpc_peering_connection_id()),
        ),
    ])))
}

fn route_spec(r: &Value) -> RouteSpec {
    RouteSpec {
        cidr_block: str_of(r, "cidr_block").map(str::to_string),
        ipv6_cidr_block: str_of(r, "ipv6_cidr_block").map(str::to_string),
        destination_prefix_list_id: str_of(r, "destination_prefix_list_id").map(str::to_string),
        targets: TARGETS
            .iter()
            .filter_map(|k| Some((k.to_string(), str_of(r, k)?.to_string())))
            .collect(),
    }
}

fn destination(r: &Value) -> String {
    DESTINATIONS
        .iter()
        .filter_map(|k| str_of(r, k))
        .collect::<Vec<_>>()
        .join(",")
}

fn normalize_route(r: &Value) -> Value {
    Value::Map(
        DESTINATIONS
            .iter()
            .chain(TARGETS)
            .map(|k| (k.to_string(), Value::from(str_of(r, k).unwrap_or_default())))
            .collect(),
    )
}

fn normalize_rt(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out: Map = m.clone();
    if let Some(items) = v.get("route").and_then(Value::as_list) {
        out.insert(
            "route".into(),
            Value::set(items.iter().map(normalize_route).collect()),
        );
    }
    if let Some(items) = v.get("propagating_vgws").and_then(Value::as_list) {
        out.insert("propagating_vgws".into(), Value::set(items.to_vec()));
    }
    Value::Map(out)
}

/// The route table resource.
pub struct RouteTableResource(pub Net);

impl RouteTableResource {
    async fn fetch(
        &self,
        ctx: &Ctx,
        id: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let n = &self.0;
        let rts = n
            .api
            .describe_route_tables(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeRouteTables", e))?;
        let Some(rt) = rts.first() else {
            return Ok(None);
        };
        let owner = rt.owner_id().unwrap_or_default();
        let (tags, tags_all) = n.tag_values(rt.tags(), prior);
        Ok(Some(Value::Map(obj([
            ("arn", Value::from(n.arn(owner, "route-table", id))),
            ("id", Value::from(id)),
            ("owner_id", Value::from(owner)),
            (
                "propagating_vgws",
                string_set(
                    rt.propagating_vgws()
                        .iter()
                        .filter_map(|g| g.gateway_id().map(str::to_string)),
                ),
            ),
            (
                "route",
                Value::set(rt.routes().iter().filter_map(route_value).collect()),
            ),
            ("tags", tags),
            ("tags_all", tags_all),
            (
                "timeouts",
                prior
                    .and_then(|p| p.get("timeouts"))
                    .cloned()
                    .map(known)
                    .unwrap_or(Value::Null),
            ),
            ("vpc_id", opt_str(rt.vpc_id())),
        ]))))
    }

    async fn sync_routes(
        &self,
        ctx: &Ctx,
        id: &str,
        have: &[Value],
        want: &[Value],
    ) -> Result<(), ProviderError> {
        let have: BTreeMap<String, Value> = have
            .iter()
            .map(|r| (destination(r), normalize_route(r)))
            .collect();
        let want: BTreeMap<String, Value> = want
            .iter()
            .map(|r| (destination(r), normalize_route(r)))
            .collect();
        for (d, r) in &have {
            if !want.contains_key(d) {
                self.0
                    .api
                    .delete_route(id, &route_spec(r))
                    .await
                    .map_err(|e| ctx.api("DeleteRoute", e))?;
            }
        }
        for (d, r) in &want {
            match have.get(d) {
                None => match self.0.api.create_route(id, &route_spec(r)).await {
                    Ok(()) => {}
                    Err(e) if e.has_code("RouteAlreadyExists") => self
                        .0
                        .api
                        .replace_route(id, &route_spec(r))
                        .await
                        .map_err(|e| ctx.api("ReplaceRoute", e))?,
                    Err(e) => return Err(ctx.api("CreateRoute", e)),
                },
                Some(h) if h != r => self
                    .0
                    .api
                    .replace_route(id, &route_spec(r))
                    .await
                    .map_err(|e| ctx.api("ReplaceRoute", e))?,
                Some(_) => {}
            }
        }
        Ok(())
    }
}

#[async_trait]
impl ResourceProvider for RouteTableResource {
    fn type_name(&self) -> &'static str {
        "aws_route_table"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize_rt(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &self.0.default_tags, &normalize_rt);
        if prior.is_none() {
            if let Value::Map(m) = &mut d.planned {
                for k in ["route", "propagating_vgws"] {
                    if desired.get(k).map(Value::is_null).unwrap_or(true) {
                        m.insert(k.into(), Value::Set(vec![]));
                    }
                }
            }
        }
        let ops = match prior {
            None => {
                let mut ops = vec![ApiOp::call("CreateRouteTable")];
                if !items(desired, "route").is_empty() {
                    ops.push(ApiOp::with_fields("CreateRoute", ["route".to_string()]));
                }
                ops
            }
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DeleteRouteTable"),
                ApiOp::call("CreateRouteTable"),
            ],
            Some(p) => {
                let mut ops = Vec::new();
                if d.has("route") {
                    ops.push(ApiOp::with_fields("CreateRoute", ["route".to_string()]));
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
        let vpc = str_of(planned, "vpc_id").ok_or_else(|| ctx.invalid("vpc_id is required"))?;
        let token = uuid::Uuid::new_v4().to_string();
        let id = self
            .0
            .api
            .create_route_table(vpc, &self.0.tags_all(planned), &token)
            .await
            .map_err(|e| ctx.api("CreateRouteTable", e))?;
        self.sync_routes(ctx, &id, &[], items(planned, "route"))
            .await
            .map_err(|e| e.with_partial(Value::map([("id", Value::from(id.as_str()))])))?;
        self.fetch(ctx, &id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("route table {id} vanished after create")))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        if !planned.get("route").map(Value::is_unknown).unwrap_or(true) {
            self.sync_routes(ctx, id, items(prior, "route"), items(planned, "route"))
                .await?;
        }
        let rts = self
            .0
            .api
            .describe_route_tables(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeRouteTables", e))?;
        if let Some(rt) = rts.first() {
            self.0.sync_tags(ctx, id, rt.tags(), planned).await?;
        }
        self.fetch(ctx, id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("route table {id} no longer exists")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let rts = self
            .0
            .api
            .describe_route_tables(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeRouteTables", e))?;
        let Some(rt) = rts.first() else {
            return Ok(());
        };
        for a in rt.associations().iter().filter(|a| a.main() != Some(true)) {
            if let Some(aid) = a.route_table_association_id() {
                self.0
                    .api
                    .disassociate_route_table(aid)
                    .await
                    .map_err(|e| ctx.api("DisassociateRouteTable", e))?;
            }
        }
        super::delete_with_dependency_retry(ctx, "DeleteRouteTable", || {
            self.0.api.delete_route_table(id)
        })
        .await
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let Some(vpc) = str_of(planned, "vpc_id") else {
            return Ok(None);
        };
        let mut filters = super::tag_filters(planned);
        filters.push(("vpc-id".into(), vec![vpc.to_string()]));
        let tables = self
            .0
            .api
            .describe_route_tables(&[], &filters)
            .await
            .map_err(|e| ctx.api("DescribeRouteTables", e))?;
        let mut found = Vec::new();
        // The VPC's main route table is AWS's, never one emrform created.
        for rt in tables
            .iter()
            .filter(|rt| !rt.associations().iter().any(|a| a.main() == Some(true)))
        {
            if let Some(x) = self
                .fetch(ctx, rt.route_table_id().unwrap_or_default(), None)
                .await?
            {
                found.push(x);
            }
        }
        Ok(Some(found))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        self.fetch(ctx, id, None).await
    }
}

const ASSOC_SPECS: &[AttrSpec] = &[
    AttrSpec::computed("id"),
    AttrSpec::config("gateway_id").force_new(),
    AttrSpec::config("route_table_id"),
    AttrSpec::config("subnet_id").force_new(),
    AttrSpec::config("timeouts"),
];

/// The route table association resource. Import id: `subnet-…/rtb-…` or `igw-…/rtb-…`.
pub struct AssociationResource(pub Net);

impl AssociationResource {
    async fn find(
        &self,
        ctx: &Ctx,
        filter: (&str, &str),
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let rts = self
            .0
            .api
            .describe_route_tables(
                &[],
                &vec![(filter.0.to_string(), vec![filter.1.to_string()])],
            )
            .await
            .map_err(|e| ctx.api("DescribeRouteTables", e))?;
        for rt in &rts {
            for a in rt.associations() {
                let hit = match filter.0 {
                    "association.route-table-association-id" => {
                        a.route_table_association_id() == Some(filter.1)
                    }
                    "association.subnet-id" => a.subnet_id() == Some(filter.1),
                    _ => a.gateway_id() == Some(filter.1),
                };
                let gone = matches!(
                    a.association_state().and_then(|s| s.state()),
                    Some(t::RouteTableAssociationStateCode::Disassociated)
                );
                if hit && !gone {
                    return Ok(Some(Value::Map(obj([
                        ("gateway_id", opt_str(a.gateway_id())),
                        ("id", opt_str(a.route_table_association_id())),
                        ("route_table_id", opt_str(a.route_table_id())),
                        ("subnet_id", opt_str(a.subnet_id())),
                        (
                            "timeouts",
                            prior
                                .and_then(|p| p.get("timeouts"))
                                .cloned()
                                .map(known)
                                .unwrap_or(Value::Null),
                        ),
                    ]))));
                }
            }
        }
        Ok(None)
    }
}

#[async_trait]
impl ResourceProvider for AssociationResource {
    fn type_name(&self) -> &'static str {
        "aws_route_table_association"
    }

    fn normalize(&self, v: &Value) -> Value {
        v.clone()
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let d = diff(
            ASSOC_SPECS,
            prior,
            desired,
            &BTreeMap::new(),
            &|v: &Value| v.clone(),
        );
        let ops = match prior {
            None => vec![ApiOp::call("AssociateRouteTable")],
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DisassociateRouteTable"),
                ApiOp::call("AssociateRouteTable"),
            ],
            Some(_) if d.has("route_table_id") => vec![ApiOp::with_fields(
                "ReplaceRouteTableAssociation",
                ["route_table_id".to_string()],
            )],
            Some(_) => vec![],
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
        self.find(
            ctx,
            ("association.route-table-association-id", id),
            Some(prior),
        )
        .await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let rt = str_of(planned, "route_table_id")
            .ok_or_else(|| ctx.invalid("route_table_id is required"))?;
        let subnet = str_of(planned, "subnet_id");
        let gateway = str_of(planned, "gateway_id");
        let create = || self.0.api.associate_route_table(rt, subnet, gateway);
        let probe = || async {
            let key = subnet
                .map(|s| ("association.subnet-id", s))
                .or(gateway.map(|g| ("association.gateway-id", g)));
            let Some((k, v)) = key else {
                return Ok(None);
            };
            let rts = self
                .0
                .api
                .describe_route_tables(
                    &[rt.to_string()],
                    &vec![(k.to_string(), vec![v.to_string()])],
                )
                .await?;
            Ok(rts
                .iter()
                .flat_map(|r| r.associations())
                .find(|a| a.subnet_id() == subnet && a.gateway_id() == gateway)
                .and_then(|a| a.route_table_association_id())
                .map(str::to_string))
        };
        let id = crate::providers::iam::create_or_adopt(ctx, "AssociateRouteTable", create, probe)
            .await?;
        self.find(
            ctx,
            ("association.route-table-association-id", &id),
            Some(planned),
        )
        .await?
        .ok_or_else(|| ctx.invalid(format!("association {id} vanished after create")))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let rt = str_of(planned, "route_table_id")
            .ok_or_else(|| ctx.invalid("route_table_id is required"))?;
        let new_id = self
            .0
            .api
            .replace_route_table_association(id, rt)
            .await
            .map_err(|e| ctx.api("ReplaceRouteTableAssociation", e))?;
        self.find(
            ctx,
            ("association.route-table-association-id", &new_id),
            Some(planned),
        )
        .await?
        .ok_or_else(|| ctx.invalid(format!("association {new_id} vanished after update")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.0
            .api
            .disassociate_route_table(id)
            .await
            .map_err(|e| ctx.api("DisassociateRouteTable", e))
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let target = str_of(planned, "subnet_id").or_else(|| str_of(planned, "gateway_id"));
        let (Some(target), Some(rt)) = (target, str_of(planned, "route_table_id")) else {
            return Ok(None);
        };
        Ok(Some(
            self.import(ctx, &format!("{target}/{rt}"))
                .await?
                .into_iter()
                .collect(),
        ))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        let (target, rt) = id.split_once('/').ok_or_else(|| {
            ctx.invalid(format!(
                "import id {id:?} is not SUBNET_OR_GATEWAY/ROUTE_TABLE"
            ))
        })?;
        let key = if target.starts_with("subnet-") {
            "association.subnet-id"
        } else {
            "association.gateway-id"
        };
        let found = self.find(ctx, (key, target), None).await?;
        Ok(found.filter(|v| str_of(v, "route_table_id") == Some(rt)))
    }
}
