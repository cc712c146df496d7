//! `aws_vpc`.

use super::Net;
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::planning::{diff, tag_ops, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use aws_sdk_ec2::types as t;

fn yes() -> Value {
    Value::Bool(true)
}
fn no() -> Value {
    Value::Bool(false)
}
fn tenancy() -> Value {
    Value::from("default")
}

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("default_network_acl_id"),
    AttrSpec::computed("default_route_table_id"),
    AttrSpec::computed("default_security_group_id"),
    AttrSpec::computed("dhcp_options_id"),
    AttrSpec::computed("id"),
    AttrSpec::computed("ipv6_association_id"),
    AttrSpec::computed("main_route_table_id"),
    AttrSpec::computed("owner_id"),
    AttrSpec::config("assign_generated_ipv6_cidr_block").default(no),
    AttrSpec::optional_computed("cidr_block").force_new(),
    AttrSpec::optional_computed("enable_dns_hostnames"),
    AttrSpec::config("enable_dns_support").default(yes),
    AttrSpec::optional_computed("enable_network_address_usage_metrics"),
    AttrSpec::config("instance_tenancy")
        .default(tenancy)
        .force_new(),
    AttrSpec::config("ipv4_ipam_pool_id").force_new(),
    AttrSpec::config("ipv4_netmask_length").force_new(),
    AttrSpec::optional_computed("ipv6_cidr_block"),
    AttrSpec::optional_computed("ipv6_cidr_block_network_border_group"),
    AttrSpec::config("ipv6_ipam_pool_id"),
    AttrSpec::config("ipv6_netmask_length"),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
];

const ATTRS: &[(&str, t::VpcAttributeName)] = &[
    ("enable_dns_support", t::VpcAttributeName::EnableDnsSupport),
    (
        "enable_dns_hostnames",
        t::VpcAttributeName::EnableDnsHostnames,
    ),
    (
        "enable_network_address_usage_metrics",
        t::VpcAttributeName::EnableNetworkAddressUsageMetrics,
    ),
];

/// The VPC resource.
pub struct VpcResource(pub Net);

impl VpcResource {
    async fn fetch(
        &self,
        ctx: &Ctx,
        id: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let n = &self.0;
        let Some(v) = n
            .api
            .describe_vpcs(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeVpcs", e))?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let mut flags = Vec::new();
        for (name, attr) in ATTRS {
            let val = n
                .api
                .vpc_attribute(id, attr.clone())
                .await
                .map_err(|e| ctx.api("DescribeVpcAttribute", e))?;
            flags.push((*name, opt_bool(val)));
        }
        let vpc_filter = || vec![("vpc-id".to_string(), vec![id.to_string()])];
        let mut main_filter = vpc_filter();
        main_filter.push(("association.main".into(), vec!["true".into()]));
        let main_rt = n
            .api
            .describe_route_tables(&[], &main_filter)
            .await
            .map_err(|e| ctx.api("DescribeRouteTables", e))?;
        let main_rt = main_rt
            .first()
            .and_then(|r| r.route_table_id())
            .map(str::to_string);
        let mut sg_filter = vpc_filter();
        sg_filter.push(("group-name".into(), vec!["default".into()]));
        let sg = n
            .api
            .describe_security_groups(&[], &sg_filter)
            .await
            .map_err(|e| ctx.api("DescribeSecurityGroups", e))?;
        let sg = sg.first().and_then(|g| g.group_id()).map(str::to_string);
        let owner = v.owner_id().unwrap_or_default();
        let ipv6 = v.ipv6_cidr_block_association_set().first();
        let (tags, tags_all) = n.tag_values(v.tags(), prior);
        let keep = |k: &str| {
            prior
                .and_then(|p| p.get(k))
                .cloned()
                .map(known)
                .unwrap_or(Value::Null)
        };
        let mut m = obj([
            ("arn", Value::from(n.arn(owner, "vpc", id))),
            (
                "assign_generated_ipv6_cidr_block",
                Value::Bool(ipv6.is_some()),
            ),
            ("cidr_block", opt_str(v.cidr_block())),
            ("default_network_acl_id", keep("default_network_acl_id")),
            ("default_route_table_id", opt_str(main_rt.clone())),
            ("default_security_group_id", opt_str(sg)),
            ("dhcp_options_id", opt_str(v.dhcp_options_id())),
            ("id", Value::from(id)),
            (
                "instance_tenancy",
                Value::from(
                    v.instance_tenancy()
                        .map(|t| t.as_str())
                        .unwrap_or("default"),
                ),
            ),
            ("ipv4_ipam_pool_id", keep("ipv4_ipam_pool_id")),
            ("ipv4_netmask_length", keep("ipv4_netmask_length")),
            (
                "ipv6_association_id",
                opt_str(ipv6.and_then(|a| a.association_id())),
            ),
            (
                "ipv6_cidr_block",
                opt_str(ipv6.and_then(|a| a.ipv6_cidr_block())),
            ),
            (
                "ipv6_cidr_block_network_border_group",
                opt_str(ipv6.and_then(|a| a.network_border_group())),
            ),
            ("ipv6_ipam_pool_id", keep("ipv6_ipam_pool_id")),
            ("ipv6_netmask_length", keep("ipv6_netmask_length")),
            ("main_route_table_id", opt_str(main_rt)),
            ("owner_id", Value::from(owner)),
            ("tags", tags),
            ("tags_all", tags_all),
        ]);
        for (k, v) in flags {
            m.insert(k.into(), v);
        }
        Ok(Some(Value::Map(m)))
    }
}

#[async_trait]
impl ResourceProvider for VpcResource {
    fn type_name(&self) -> &'static str {
        "aws_vpc"
    }

    fn normalize(&self, v: &Value) -> Value {
        v.clone()
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let d = diff(SPECS, prior, desired, &self.0.default_tags, &|v: &Value| {
            v.clone()
        });
        let ops = match prior {
            None => vec![ApiOp::call("CreateVpc")],
            Some(_) if !d.replace.is_empty() => {
                vec![ApiOp::call("DeleteVpc"), ApiOp::call("CreateVpc")]
            }
            Some(p) => {
                let mut ops: Vec<ApiOp> = ATTRS
                    .iter()
                    .filter(|(k, _)| d.has(k))
                    .map(|(k, _)| ApiOp::with_fields("ModifyVpcAttribute", [k.to_string()]))
                    .collect();
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
        let n = &self.0;
        let ipv6 = bool_of(planned, "assign_generated_ipv6_cidr_block").unwrap_or(false);
        let id = super::create_with_token(
            ctx,
            "CreateVpc",
            &n.tags_all(planned),
            |tags| async move {
                n.api
                    .create_vpc(
                        str_of(planned, "cidr_block"),
                        str_of(planned, "instance_tenancy"),
                        ipv6,
                        &tags,
                    )
                    .await
            },
            |f| async move {
                Ok(n.api
                    .describe_vpcs(&[], &f)
                    .await?
                    .first()
                    .and_then(|v| v.vpc_id())
                    .map(str::to_string))
            },
        )
        .await?;
        n.api
            .delete_tags(&id, &[super::CREATE_TOKEN_TAG.to_string()])
            .await
            .map_err(|e| {
                ctx.api("DeleteTags", e)
                    .with_partial(Value::map([("id", Value::from(id.as_str()))]))
            })?;
        let partial = Value::map([("id", Value::from(id.as_str()))]);
        for (k, attr) in ATTRS {
            if let Some(b) = bool_of(planned, k) {
                let default = *k == "enable_dns_support";
                if b != default {
                    n.api
                        .modify_vpc_attribute(&id, attr.clone(), b)
                        .await
                        .map_err(|e| {
                            ctx.api("ModifyVpcAttribute", e)
                                .with_partial(partial.clone())
                        })?;
                }
            }
        }
        self.fetch(ctx, &id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("VPC {id} vanished after create")))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let n = &self.0;
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        for (k, attr) in ATTRS {
            if let Some(b) = bool_of(planned, k) {
                if bool_of(prior, k) != Some(b) {
                    n.api
                        .modify_vpc_attribute(id, attr.clone(), b)
                        .await
                        .map_err(|e| ctx.api("ModifyVpcAttribute", e))?;
                }
            }
        }
        let live = n
            .api
            .describe_vpcs(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeVpcs", e))?;
        if let Some(v) = live.first() {
            n.sync_tags(ctx, id, v.tags(), planned).await?;
        }
        self.fetch(ctx, id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("VPC {id} no longer exists")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        super::delete_with_dependency_retry(ctx, "DeleteVpc", || self.0.api.delete_vpc(id)).await
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let Some(cidr) = str_of(planned, "cidr_block") else {
            return Ok(None);
        };
        let mut filters = super::tag_filters(planned);
        filters.push(("cidr-block".into(), vec![cidr.to_string()]));
        filters.push(("is-default".into(), vec!["false".into()]));
        let vpcs = self
            .0
            .api
            .describe_vpcs(&[], &filters)
            .await
            .map_err(|e| ctx.api("DescribeVpcs", e))?;
        let mut found = Vec::new();
        for v in vpcs {
            if let Some(x) = self
                .fetch(ctx, v.vpc_id().unwrap_or_default(), None)
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
