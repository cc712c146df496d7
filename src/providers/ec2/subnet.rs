//! `aws_subnet`. Attributes EC2 changes one per ModifySubnetAttribute call.

use super::Net;
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::planning::{diff, tag_ops, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use aws_sdk_ec2::types as t;

fn no() -> Value {
    Value::Bool(false)
}

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("id"),
    AttrSpec::computed("ipv6_cidr_block_association_id"),
    AttrSpec::computed("owner_id"),
    AttrSpec::config("assign_ipv6_address_on_creation").default(no),
    AttrSpec::optional_computed("availability_zone").force_new(),
    AttrSpec::optional_computed("availability_zone_id").force_new(),
    AttrSpec::config("cidr_block").force_new(),
    AttrSpec::config("customer_owned_ipv4_pool"),
    AttrSpec::config("enable_dns64").default(no),
    AttrSpec::config("enable_lni_at_device_index"),
    AttrSpec::config("enable_resource_name_dns_a_record_on_launch").default(no),
    AttrSpec::config("enable_resource_name_dns_aaaa_record_on_launch").default(no),
    AttrSpec::config("ipv6_cidr_block"),
    AttrSpec::config("ipv6_native").default(no).force_new(),
    AttrSpec::config("map_customer_owned_ip_on_launch"),
    AttrSpec::config("map_public_ip_on_launch").default(no),
    AttrSpec::config("outpost_arn").force_new(),
    AttrSpec::optional_computed("private_dns_hostname_type_on_launch"),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
    AttrSpec::config("timeouts"),
    AttrSpec::config("vpc_id").force_new(),
];

/// Attributes changed with ModifySubnetAttribute.
const MODIFIABLE: &[&str] = &[
    "map_public_ip_on_launch",
    "assign_ipv6_address_on_creation",
    "enable_dns64",
    "enable_resource_name_dns_a_record_on_launch",
    "enable_resource_name_dns_aaaa_record_on_launch",
    "private_dns_hostname_type_on_launch",
    "map_customer_owned_ip_on_launch",
];

/// The subnet resource.
pub struct SubnetResource(pub Net);

/// The object for a live subnet.
pub fn subnet_value(n: &Net, s: &t::Subnet, prior: Option<&Value>) -> Value {
    let id = s.subnet_id().unwrap_or_default();
    let owner = s.owner_id().unwrap_or_default();
    let ipv6 = s.ipv6_cidr_block_association_set().first();
    let dns = s.private_dns_name_options_on_launch();
    let (tags, tags_all) = n.tag_values(s.tags(), prior);
    let keep = |k: &str| {
        prior
            .and_then(|p| p.get(k))
            .cloned()
            .map(known)
            .unwrap_or(Value::Null)
    };
    Value::Map(obj([
        (
            "arn",
            Value::from(
                s.subnet_arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| n.arn(owner, "subnet", id)),
            ),
        ),
        (
            "assign_ipv6_address_on_creation",
            Value::Bool(s.assign_ipv6_address_on_creation().unwrap_or(false)),
        ),
        ("availability_zone", opt_str(s.availability_zone())),
        ("availability_zone_id", opt_str(s.availability_zone_id())),
        ("cidr_block", opt_str(s.cidr_block())),
        (
            "customer_owned_ipv4_pool",
            opt_str(s.customer_owned_ipv4_pool()),
        ),
        (
            "enable_dns64",
            Value::Bool(s.enable_dns64().unwrap_or(false)),
        ),
        (
            "enable_lni_at_device_index",
            opt_int(s.enable_lni_at_device_index().map(i64::from)),
        ),
        (
            "enable_resource_name_dns_a_record_on_launch",
            Value::Bool(
                dns.and_then(|d| d.enable_resource_name_dns_a_record())
                    .unwrap_or(false),
            ),
        ),
        (
            "enable_resource_name_dns_aaaa_record_on_launch",
            Value::Bool(
                dns.and_then(|d| d.enable_resource_name_dns_aaaa_record())
                    .unwrap_or(false),
            ),
        ),
        ("id", Value::from(id)),
        (
            "ipv6_cidr_block",
            opt_str(ipv6.and_then(|a| a.ipv6_cidr_block())),
        ),
        (
            "ipv6_cidr_block_association_id",
            opt_str(ipv6.and_then(|a| a.association_id())),
        ),
        ("ipv6_native", Value::Bool(s.ipv6_native().unwrap_or(false))),
        (
            "map_customer_owned_ip_on_launch",
            opt_bool(s.map_customer_owned_ip_on_launch()),
        ),
        (
            "map_public_ip_on_launch",
            Value::Bool(s.map_public_ip_on_launch().unwrap_or(false)),
        ),
        ("outpost_arn", opt_str(s.outpost_arn())),
        ("owner_id", Value::from(owner)),
        (
            "private_dns_hostname_type_on_launch",
            opt_str(
                dns.and_then(|d| d.hostname_type())
                    .map(|h| h.as_str().to_string()),
            ),
        ),
        ("tags", tags),
        ("tags_all", tags_all),
        ("timeouts", keep("timeouts")),
        ("vpc_id", opt_str(s.vpc_id())),
    ]))
}

fn attr_text(v: &Value, k: &str) -> Option<String> {
    match v.get(k)? {
        Value::Bool(b) => Some(b.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

impl SubnetResource {
    async fn fetch(
        &self,
        ctx: &Ctx,
        id: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let s = self
            .0
            .api
            .describe_subnets(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeSubnets", e))?;
        Ok(s.first().map(|s| subnet_value(&self.0, s, prior)))
    }

    async fn modify(
        &self,
        ctx: &Ctx,
        id: &str,
        prior: Option<&Value>,
        planned: &Value,
    ) -> Result<(), ProviderError> {
        for k in MODIFIABLE {
            let want = attr_text(planned, k);
            let have = prior.and_then(|p| attr_text(p, k));
            let default = if *k == "private_dns_hostname_type_on_launch" {
                None
            } else {
                Some("false".to_string())
            };
            if let Some(w) = want {
                if have.or_else(|| default.clone()) != Some(w.clone()) {
                    self.0
                        .api
                        .modify_subnet_attribute(id, k, &w)
                        .await
                        .map_err(|e| ctx.api("ModifySubnetAttribute", e))?;
                }
            }
        }
        Ok(())
    }
}

#[async_trait]
impl ResourceProvider for SubnetResource {
    fn type_name(&self) -> &'static str {
        "aws_subnet"
    }

    fn normalize(&self, v: &Value) -> Value {
        v.clone()
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let d = diff(SPECS, prior, desired, &self.0.default_tags, &|v: &Value| {
            v.clone()
        });
        let ops = match prior {
            None => vec![ApiOp::call("CreateSubnet")],
            Some(_) if !d.replace.is_empty() => {
                vec![ApiOp::call("DeleteSubnet"), ApiOp::call("CreateSubnet")]
            }
            Some(p) => {
                let mut ops: Vec<ApiOp> = MODIFIABLE
                    .iter()
                    .filter(|k| d.has(k))
                    .map(|k| ApiOp::with_fields("ModifySubnetAttribute", [k.to_string()]))
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
        let vpc = str_of(planned, "vpc_id").ok_or_else(|| ctx.invalid("vpc_id is required"))?;
        let n = &self.0;
        let id = super::create_with_token(
            ctx,
            "CreateSubnet",
            &n.tags_all(planned),
            |tags| async move {
                n.api
                    .create_subnet(
                        vpc,
                        str_of(planned, "cidr_block"),
                        str_of(planned, "availability_zone"),
                        str_of(planned, "availability_zone_id"),
                        str_of(planned, "ipv6_cidr_block"),
                        &tags,
                    )
                    .await
            },
            |f| async move {
                Ok(n.api
                    .describe_subnets(&[], &f)
                    .await?
                    .first()
                    .and_then(|s| s.subnet_id())
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
        // Compare with a fresh subnet's settings, not the planned ones.
        let fresh = self.fetch(ctx, &id, None).await?;
        self.modify(ctx, &id, fresh.as_ref(), planned)
            .await
            .map_err(|e| e.with_partial(Value::map([("id", Value::from(id.as_str()))])))?;
        self.fetch(ctx, &id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("subnet {id} vanished after create")))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.modify(ctx, id, Some(prior), planned).await?;
        let live = self
            .0
            .api
            .describe_subnets(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeSubnets", e))?;
        if let Some(s) = live.first() {
            self.0.sync_tags(ctx, id, s.tags(), planned).await?;
        }
        self.fetch(ctx, id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("subnet {id} no longer exists")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        super::delete_with_dependency_retry(ctx, "DeleteSubnet", || self.0.api.delete_subnet(id))
            .await
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let (Some(vpc), Some(cidr)) = (str_of(planned, "vpc_id"), str_of(planned, "cidr_block"))
        else {
            return Ok(None);
        };
        let filters = vec![
            ("vpc-id".to_string(), vec![vpc.to_string()]),
            ("cidr-block".to_string(), vec![cidr.to_string()]),
        ];
        let subnets = self
            .0
            .api
            .describe_subnets(&[], &filters)
            .await
            .map_err(|e| ctx.api("DescribeSubnets", e))?;
        let mut found = Vec::new();
        for s in subnets {
            if let Some(x) = self
                .fetch(ctx, s.subnet_id().unwrap_or_default(), None)
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
