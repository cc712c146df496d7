//! EC2 data sources: `aws_vpc`, `aws_subnet`, `aws_subnets`, `aws_availability_zones`,
//! `aws_route_table`, `aws_security_group`. A singular lookup that matches zero or several objects is an error, as
//! in the AWS provider.

use super::api::Filters;
use super::route_table::route_value;
use super::subnet::subnet_value;
use super::{tags_of, Net};
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::{ApiError, ApiErrorKind, ProviderError};
use crate::providers::registry::Registry;
use crate::providers::{Ctx, DataSourceProvider};
use async_trait::async_trait;
use std::sync::Arc;

/// Registers the data sources.
pub fn register(r: &mut Registry, net: &Net) {
    r.add_data_source(Arc::new(VpcData(net.clone())));
    r.add_data_source(Arc::new(SubnetData(net.clone())));
    r.add_data_source(Arc::new(SubnetsData(net.clone())));
    r.add_data_source(Arc::new(AzData(net.clone())));
    r.add_data_source(Arc::new(RouteTableData(net.clone())));
    r.add_data_source(Arc::new(SecurityGroupData(net.clone())));
}

/// `filter {}` blocks, `tags` and the given argument → filter name pairs.
fn filters(config: &Value, args: &[(&str, &str)]) -> Filters {
    let mut f: Filters = items(config, "filter")
        .iter()
        .filter_map(|b| Some((str_of(b, "name")?.to_string(), strings(b, "values"))))
        .collect();
    for (attr, name) in args {
        match config.get(attr) {
            Some(Value::Bool(b)) => f.push((name.to_string(), vec![b.to_string()])),
            _ => {
                if let Some(s) = str_of(config, attr) {
                    f.push((name.to_string(), vec![s.to_string()]));
                }
            }
        }
    }
    for (k, v) in string_map(config, "tags") {
        f.push((format!("tag:{k}"), vec![v]));
    }
    f
}

fn exactly_one<T>(ctx: &Ctx, what: &str, mut v: Vec<T>) -> Result<T, ProviderError> {
    match v.len() {
        1 => Ok(v.remove(0)),
        0 => Err(ctx.api(
            "Describe",
            ApiError::new(
                ApiErrorKind::NotFound,
                "NotFound",
                format!("no matching {what} found"),
            ),
        )),
        n => Err(ctx.invalid(format!(
            "{n} {what}s matched; the lookup must match exactly one"
        ))),
    }
}

fn with_config(config: &Value, computed: Vec<(&str, Value)>) -> Value {
    let mut m = config.as_map().cloned().unwrap_or_default();
    for (k, v) in computed {
        m.insert(k.to_string(), v);
    }
    Value::Map(m)
}

/// `data "aws_vpc"`.
pub struct VpcData(Net);

#[async_trait]
impl DataSourceProvider for VpcData {
    fn type_name(&self) -> &'static str {
        "aws_vpc"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let n = &self.0;
        let ids: Vec<String> = str_of(config, "id")
            .map(|s| vec![s.to_string()])
            .unwrap_or_default();
        let f = filters(
            config,
            &[
                ("cidr_block", "cidr"),
                ("default", "is-default"),
                ("dhcp_options_id", "dhcp-options-id"),
                ("state", "state"),
            ],
        );
        let vpcs = n
            .api
            .describe_vpcs(&ids, &f)
            .await
            .map_err(|e| ctx.api("DescribeVpcs", e))?;
        let v = exactly_one(ctx, "VPC", vpcs)?;
        let id = v.vpc_id().unwrap_or_default().to_string();
        let mut flags = Vec::new();
        for (k, a) in [
            (
                "enable_dns_support",
                aws_sdk_ec2::types::VpcAttributeName::EnableDnsSupport,
            ),
            (
                "enable_dns_hostnames",
                aws_sdk_ec2::types::VpcAttributeName::EnableDnsHostnames,
            ),
            (
                "enable_network_address_usage_metrics",
                aws_sdk_ec2::types::VpcAttributeName::EnableNetworkAddressUsageMetrics,
            ),
        ] {
            flags.push((
                k,
                opt_bool(
                    n.api
                        .vpc_attribute(&id, a)
                        .await
                        .map_err(|e| ctx.api("DescribeVpcAttribute", e))?,
                ),
            ));
        }
        let main = n
            .api
            .describe_route_tables(
                &[],
                &vec![
                    ("vpc-id".into(), vec![id.clone()]),
                    ("association.main".into(), vec!["true".into()]),
                ],
            )
            .await
            .map_err(|e| ctx.api("DescribeRouteTables", e))?;
        let owner = v.owner_id().unwrap_or_default();
        let ipv6 = v.ipv6_cidr_block_association_set().first();
        let mut computed = vec![
            ("arn", Value::from(n.arn(owner, "vpc", &id))),
            ("cidr_block", opt_str(v.cidr_block())),
            (
                "cidr_block_associations",
                Value::List(
                    v.cidr_block_association_set()
                        .iter()
                        .map(|a| {
                            Value::Map(obj([
                                ("association_id", opt_str(a.association_id())),
                                ("cidr_block", opt_str(a.cidr_block())),
                                (
                                    "state",
                                    opt_str(
                                        a.cidr_block_state()
                                            .and_then(|s| s.state())
                                            .map(|s| s.as_str().to_string()),
                                    ),
                                ),
                            ]))
                        })
                        .collect(),
                ),
            ),
            ("default", Value::Bool(v.is_default().unwrap_or(false))),
            ("dhcp_options_id", opt_str(v.dhcp_options_id())),
            ("id", Value::from(id.as_str())),
            (
                "instance_tenancy",
                opt_str(v.instance_tenancy().map(|t| t.as_str().to_string())),
            ),
            (
                "ipv6_association_id",
                opt_str(ipv6.and_then(|a| a.association_id())),
            ),
            (
                "ipv6_cidr_block",
                opt_str(ipv6.and_then(|a| a.ipv6_cidr_block())),
            ),
            (
                "main_route_table_id",
                opt_str(main.first().and_then(|r| r.route_table_id())),
            ),
            ("owner_id", Value::from(owner)),
            ("state", opt_str(v.state().map(|s| s.as_str().to_string()))),
            ("tags", string_map_value(&tags_of(v.tags()))),
        ];
        computed.extend(flags);
        Ok(with_config(config, computed))
    }
}

/// `data "aws_subnet"`.
pub struct SubnetData(Net);

#[async_trait]
impl DataSourceProvider for SubnetData {
    fn type_name(&self) -> &'static str {
        "aws_subnet"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let ids: Vec<String> = str_of(config, "id")
            .map(|s| vec![s.to_string()])
            .unwrap_or_default();
        let f = filters(
            config,
            &[
                ("vpc_id", "vpc-id"),
                ("availability_zone", "availability-zone"),
                ("availability_zone_id", "availability-zone-id"),
                ("cidr_block", "cidr-block"),
                ("default_for_az", "default-for-az"),
                (
                    "ipv6_cidr_block",
                    "ipv6-cidr-block-association.ipv6-cidr-block",
                ),
                ("state", "state"),
            ],
        );
        let subnets = self
            .0
            .api
            .describe_subnets(&ids, &f)
            .await
            .map_err(|e| ctx.api("DescribeSubnets", e))?;
        let s = exactly_one(ctx, "subnet", subnets)?;
        let base = subnet_value(&self.0, &s, None);
        let mut computed: Vec<(&str, Value)> = Vec::new();
        if let Value::Map(m) = &base {
            for k in [
                "arn",
                "assign_ipv6_address_on_creation",
                "availability_zone",
                "availability_zone_id",
                "cidr_block",
                "customer_owned_ipv4_pool",
                "enable_dns64",
                "enable_lni_at_device_index",
                "enable_resource_name_dns_a_record_on_launch",
                "enable_resource_name_dns_aaaa_record_on_launch",
                "id",
                "ipv6_cidr_block",
                "ipv6_cidr_block_association_id",
                "ipv6_native",
                "map_customer_owned_ip_on_launch",
                "map_public_ip_on_launch",
                "outpost_arn",
                "owner_id",
                "private_dns_hostname_type_on_launch",
                "vpc_id",
            ] {
                if let Some(v) = m.get(k) {
                    computed.push((k, v.clone()));
                }
            }
        }
        computed.push((
            "available_ip_address_count",
            opt_int(s.available_ip_address_count().map(i64::from)),
        ));
        computed.push((
            "default_for_az",
            Value::Bool(s.default_for_az().unwrap_or(false)),
        ));
        computed.push(("state", opt_str(s.state().map(|x| x.as_str().to_string()))));
        computed.push(("tags", string_map_value(&tags_of(s.tags()))));
        Ok(with_config(config, computed))
    }
}

/// `data "aws_subnets"`.
pub struct SubnetsData(Net);

#[async_trait]
impl DataSourceProvider for SubnetsData {
    fn type_name(&self) -> &'static str {
        "aws_subnets"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let f = filters(config, &[]);
        let subnets = self
            .0
            .api
            .describe_subnets(&[], &f)
            .await
            .map_err(|e| ctx.api("DescribeSubnets", e))?;
        let mut ids: Vec<String> = subnets
            .iter()
            .filter_map(|s| s.subnet_id().map(str::to_string))
            .collect();
        ids.sort();
        Ok(with_config(
            config,
            vec![
                ("id", Value::from(self.0.region.as_str())),
                ("ids", string_list(ids)),
            ],
        ))
    }
}

/// `data "aws_availability_zones"`.
pub struct AzData(Net);

#[async_trait]
impl DataSourceProvider for AzData {
    fn type_name(&self) -> &'static str {
        "aws_availability_zones"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let mut f = filters(config, &[]);
        if let Some(state) = str_of(config, "state") {
            f.push(("state".into(), vec![state.to_string()]));
        }
        let all = bool_of(config, "all_availability_zones").unwrap_or(false);
        let zones = self
            .0
            .api
            .describe_availability_zones(all, &f)
            .await
            .map_err(|e| ctx.api("DescribeAvailabilityZones", e))?;
        let ex_names = strings(config, "exclude_names");
        let ex_ids = strings(config, "exclude_zone_ids");
        let mut kept: Vec<_> = zones
            .iter()
            .filter(|z| {
                !ex_names.iter().any(|n| Some(n.as_str()) == z.zone_name())
                    && !ex_ids.iter().any(|n| Some(n.as_str()) == z.zone_id())
            })
            .collect();
        kept.sort_by_key(|z| z.zone_name().unwrap_or_default().to_string());
        Ok(with_config(
            config,
            vec![
                (
                    "group_names",
                    string_set(
                        kept.iter()
                            .filter_map(|z| z.group_name().map(str::to_string)),
                    ),
                ),
                ("id", Value::from(self.0.region.as_str())),
                (
                    "names",
                    string_list(
                        kept.iter()
                            .filter_map(|z| z.zone_name().map(str::to_string)),
                    ),
                ),
                (
                    "zone_ids",
                    string_list(kept.iter().filter_map(|z| z.zone_id().map(str::to_string))),
                ),
            ],
        ))
    }
}

/// `data "aws_route_table"`.
pub struct RouteTableData(Net);

#[async_trait]
impl DataSourceProvider for RouteTableData {
    fn type_name(&self) -> &'static str {
        "aws_route_table"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let ids: Vec<String> = str_of(config, "route_table_id")
            .map(|s| vec![s.to_string()])
            .unwrap_or_default();
        let f = filters(
            config,
            &[
                ("vpc_id", "vpc-id"),
                ("subnet_id", "association.subnet-id"),
                ("gateway_id", "association.gateway-id"),
            ],
        );
        let rts = self
            .0
            .api
            .describe_route_tables(&ids, &f)
            .await
            .map_err(|e| ctx.api("DescribeRouteTables", e))?;
        let rt = exactly_one(ctx, "route table", rts)?;
        let id = rt.route_table_id().unwrap_or_default();
        let owner = rt.owner_id().unwrap_or_default();
        let s = |v: Option<&str>| Value::from(v.unwrap_or_default());
        Ok(with_config(
            config,
            vec![
                ("arn", Value::from(self.0.arn(owner, "route-table", id))),
                (
                    "associations",
                    Value::List(
                        rt.associations()
                            .iter()
                            .map(|a| {
                                Value::Map(obj([
                                    ("gateway_id", s(a.gateway_id())),
                                    ("main", Value::Bool(a.main().unwrap_or(false))),
                                    (
                                        "route_table_association_id",
                                        s(a.route_table_association_id()),
                                    ),
                                    ("route_table_id", s(a.route_table_id())),
                                    ("subnet_id", s(a.subnet_id())),
                                ]))
                            })
                            .collect(),
                    ),
                ),
                ("id", Value::from(id)),
                ("owner_id", Value::from(owner)),
                ("route_table_id", Value::from(id)),
                (
                    "routes",
                    Value::List(
                        rt.routes()
                            .iter()
                            .filter(|r| r.gateway_id() != Some("local"))
                            .filter_map(|r| {
                                route_value(r).map(|v| {
                                    let mut m = v.as_map().cloned().unwrap_or_default();
                                    m.insert("instance_id".into(), s(r.instance_id()));
                                    if let Some(g) =
                                        r.gateway_id().filter(|g| g.starts_with("vpce-"))
                                    {
                                        m.insert("vpc_endpoint_id".into(), Value::from(g));
                                    }
                                    Value::Map(m)
                                })
                            })
                            .collect(),
                    ),
                ),
                ("tags", string_map_value(&tags_of(rt.tags()))),
                ("vpc_id", opt_str(rt.vpc_id())),
            ],
        ))
    }
}

/// `data "aws_security_group"`: by `id`, `name`, `vpc_id`, `tags` and `filter` blocks.
pub struct SecurityGroupData(Net);

#[async_trait]
impl DataSourceProvider for SecurityGroupData {
    fn type_name(&self) -> &'static str {
        "aws_security_group"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let ids: Vec<String> = str_of(config, "id")
            .map(|s| vec![s.to_string()])
            .unwrap_or_default();
        let f = filters(config, &[("name", "group-name"), ("vpc_id", "vpc-id")]);
        let groups = self
            .0
            .api
            .describe_security_groups(&ids, &f)
            .await
            .map_err(|e| ctx.api("DescribeSecurityGroups", e))?;
        let g = exactly_one(ctx, "security group", groups)?;
        let id = g.group_id().unwrap_or_default();
        let owner = g.owner_id().unwrap_or_default();
        Ok(with_config(
            config,
            vec![
                (
                    "arn",
                    Value::from(
                        g.security_group_arn()
                            .map(str::to_string)
                            .unwrap_or_else(|| self.0.arn(owner, "security-group", id)),
                    ),
                ),
                ("description", opt_str(g.description())),
                ("id", Value::from(id)),
                ("name", opt_str(g.group_name())),
                ("tags", string_map_value(&tags_of(g.tags()))),
                ("vpc_id", opt_str(g.vpc_id())),
            ],
        ))
    }
}
