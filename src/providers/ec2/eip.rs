//! `aws_eip`: an Elastic IP address. Id = the allocation id (also the import id). Its
//! association with an instance or network interface changes in place (disassociate, then
//! associate); the pool and domain arguments force replacement; delete disassociates, then
//! releases. DNS names are derived from the addresses as the AWS provider does. Import by
//! allocation id or by public IP.

use super::api::NewAddress;
use super::Net;
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::config::{dns_suffix_of, partition_of};
use crate::providers::error::ProviderError;
use crate::providers::planning::{diff, tag_ops, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use aws_sdk_ec2::types as t;

const SPECS: &[AttrSpec] = &[
    AttrSpec::config("address").force_new(),
    AttrSpec::computed("allocation_id"),
    AttrSpec::computed("arn"),
    AttrSpec::config("associate_with_private_ip"),
    AttrSpec::computed("association_id"),
    AttrSpec::computed("carrier_ip"),
    AttrSpec::computed("customer_owned_ip"),
    AttrSpec::config("customer_owned_ipv4_pool").force_new(),
    AttrSpec::optional_computed("domain").force_new(),
    AttrSpec::computed("id"),
    AttrSpec::optional_computed("instance"),
    AttrSpec::optional_computed("ipam_pool_id").force_new(),
    AttrSpec::optional_computed("network_border_group").force_new(),
    AttrSpec::optional_computed("network_interface"),
    AttrSpec::computed("private_dns"),
    AttrSpec::computed("private_ip"),
    AttrSpec::computed("ptr_record"),
    AttrSpec::computed("public_dns"),
    AttrSpec::computed("public_ip"),
    AttrSpec::optional_computed("public_ipv4_pool").force_new(),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
    AttrSpec::config("timeouts"),
    AttrSpec::optional_computed("vpc").force_new(),
];

/// The attributes whose change re-associates the address.
const ASSOCIATION: &[&str] = &["associate_with_private_ip", "instance", "network_interface"];

/// `ec2-1-2-3-4.compute-1.amazonaws.com` (us-east-1) or `ec2-….<region>.compute.amazonaws.com`.
pub fn public_dns(region: &str, ip: &str) -> String {
    let host = format!("ec2-{}", ip.replace('.', "-"));
    let suffix = dns_suffix_of(partition_of(region));
    if region == "us-east-1" {
        format!("{host}.compute-1.{suffix}")
    } else {
        format!("{host}.{region}.compute.{suffix}")
    }
}

/// `ip-10-0-0-1.ec2.internal` (us-east-1) or `ip-….<region>.compute.internal`.
pub fn private_dns(region: &str, ip: &str) -> String {
    let host = format!("ip-{}", ip.replace('.', "-"));
    if region == "us-east-1" {
        format!("{host}.ec2.internal")
    } else {
        format!("{host}.{region}.compute.internal")
    }
}

/// The Elastic IP resource.
pub struct EipResource(pub Net);

impl EipResource {
    async fn describe(&self, ctx: &Ctx, id: &str) -> Result<Option<t::Address>, ProviderError> {
        Ok(self
            .0
            .api
            .describe_addresses(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeAddresses", e))?
            .into_iter()
            .find(|a| a.allocation_id() == Some(id)))
    }

    async fn value(
        &self,
        ctx: &Ctx,
        a: &t::Address,
        prior: Option<&Value>,
    ) -> Result<Value, ProviderError> {
        let n = &self.0;
        let id = a.allocation_id().unwrap_or_default();
        let account = n.account_id(ctx).await?;
        let ptr = n
            .api
            .address_ptr_record(id)
            .await
            .map_err(|e| ctx.api("DescribeAddressesAttribute", e))?;
        let (tags, tags_all) = n.tag_values(a.tags(), prior);
        let keep = |k: &str| {
            prior
                .and_then(|p| p.get(k))
                .cloned()
                .map(known)
                .unwrap_or(Value::Null)
        };
        let domain = a.domain().map(|d| d.as_str().to_string());
        let dns = |ip: Option<&str>, f: fn(&str, &str) -> String| {
            opt_str(ip.filter(|i| !i.is_empty()).map(|i| f(&n.region, i)))
        };
        Ok(Value::Map(obj([
            ("address", keep("address")),
            ("allocation_id", Value::from(id)),
            (
                "arn",
                Value::from(format!(
                    "arn:{}:ec2:{}:{account}:elastic-ip/{id}",
                    partition_of(&n.region),
                    n.region
                )),
            ),
            (
                "associate_with_private_ip",
                keep("associate_with_private_ip"),
            ),
            ("association_id", opt_str(a.association_id())),
            ("carrier_ip", opt_str(a.carrier_ip())),
            ("customer_owned_ip", opt_str(a.customer_owned_ip())),
            (
                "customer_owned_ipv4_pool",
                opt_str(a.customer_owned_ipv4_pool()),
            ),
            ("domain", opt_str(domain.clone())),
            ("id", Value::from(id)),
            ("instance", opt_str(a.instance_id())),
            ("ipam_pool_id", keep("ipam_pool_id")),
            ("network_border_group", opt_str(a.network_border_group())),
            ("network_interface", opt_str(a.network_interface_id())),
            ("private_dns", dns(a.private_ip_address(), private_dns)),
            ("private_ip", opt_str(a.private_ip_address())),
            ("ptr_record", opt_str(ptr)),
            ("public_dns", dns(a.public_ip(), public_dns)),
            ("public_ip", opt_str(a.public_ip())),
            ("public_ipv4_pool", opt_str(a.public_ipv4_pool())),
            ("tags", tags),
            ("tags_all", tags_all),
            ("timeouts", keep("timeouts")),
            ("vpc", Value::Bool(domain.as_deref() == Some("vpc"))),
        ])))
    }

    async fn fetch(
        &self,
        ctx: &Ctx,
        id: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        match self.describe(ctx, id).await? {
            Some(a) => Ok(Some(self.value(ctx, &a, prior).await?)),
            None => Ok(None),
        }
    }

    async fn associate(&self, ctx: &Ctx, id: &str, planned: &Value) -> Result<(), ProviderError> {
        let instance = str_of(planned, "instance");
        let eni = str_of(planned, "network_interface");
        if instance.is_none() && eni.is_none() {
            return Ok(());
        }
        self.0
            .api
            .associate_address(
                id,
                instance,
                eni,
                str_of(planned, "associate_with_private_ip"),
            )
            .await
            .map(|_| ())
            .map_err(|e| ctx.api("AssociateAddress", e))
    }
}

#[async_trait]
impl ResourceProvider for EipResource {
    fn type_name(&self) -> &'static str {
        "aws_eip"
    }

    fn normalize(&self, v: &Value) -> Value {
        v.clone()
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &self.0.default_tags, &|v: &Value| {
            v.clone()
        });
        if prior.is_none() {
            // `vpc = true` is the deprecated spelling of `domain = "vpc"`.
            if let Value::Map(m) = &mut d.planned {
                if bool_of(desired, "vpc") == Some(true) && str_of(desired, "domain").is_none() {
                    m.insert("domain".into(), Value::from("vpc"));
                }
            }
        }
        let ops = match prior {
            None => {
                let mut ops = vec![ApiOp::call("AllocateAddress")];
                if ASSOCIATION[1..]
                    .iter()
                    .any(|k| !is_empty(desired.get(k)) || desired.get(k) == Some(&Value::Unknown))
                {
                    ops.push(ApiOp::call("AssociateAddress"));
                }
                ops
            }
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("ReleaseAddress"),
                ApiOp::call("AllocateAddress"),
            ],
            Some(p) => {
                let mut ops = Vec::new();
                let f: Vec<String> = ASSOCIATION
                    .iter()
                    .filter(|k| d.has(k))
                    .map(|k| k.to_string())
                    .collect();
                if !f.is_empty() {
                    if str_of(p, "association_id").is_some() {
                        ops.push(ApiOp::with_fields("DisassociateAddress", f.clone()));
                    }
                    if ASSOCIATION[1..].iter().any(|k| {
                        !is_empty(d.planned.get(k)) || d.planned.get(k) == Some(&Value::Unknown)
                    }) {
                        ops.push(ApiOp::with_fields("AssociateAddress", f));
                    }
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
        let n = &self.0;
        let s = |k: &str| str_of(planned, k).map(str::to_string);
        let domain = s("domain")
            .or_else(|| (bool_of(planned, "vpc") == Some(true)).then(|| "vpc".to_string()));
        let id = super::create_with_token(
            ctx,
            "AllocateAddress",
            &n.tags_all(planned),
            |tags| {
                let a = NewAddress {
                    domain: domain.clone(),
                    address: s("address"),
                    public_ipv4_pool: s("public_ipv4_pool"),
                    customer_owned_ipv4_pool: s("customer_owned_ipv4_pool"),
                    network_border_group: s("network_border_group"),
                    ipam_pool_id: s("ipam_pool_id"),
                    tags,
                };
                async move { n.api.allocate_address(&a).await }
            },
            |f| async move {
                Ok(n.api
                    .describe_addresses(&[], &f)
                    .await?
                    .first()
                    .and_then(|a| a.allocation_id())
                    .map(str::to_string))
            },
        )
        .await?;
        let partial = Value::map([("id", Value::from(id.as_str()))]);
        n.api
            .delete_tags(&id, &[super::CREATE_TOKEN_TAG.to_string()])
            .await
            .map_err(|e| ctx.api("DeleteTags", e).with_partial(partial.clone()))?;
        self.associate(ctx, &id, planned)
            .await
            .map_err(|e| e.with_partial(partial.clone()))?;
        self.fetch(ctx, &id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("Elastic IP {id} vanished after create")))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let moved = ASSOCIATION.iter().any(|k| {
            planned.get(k) != Some(&Value::Unknown)
                && !crate::providers::planning::same(
                    prior.get(k).unwrap_or(&Value::Null),
                    planned.get(k).unwrap_or(&Value::Null),
                )
        });
        if moved {
            if let Some(assoc) = str_of(prior, "association_id") {
                self.0
                    .api
                    .disassociate_address(assoc)
                    .await
                    .map_err(|e| ctx.api("DisassociateAddress", e))?;
            }
            self.associate(ctx, id, planned).await?;
        }
        if let Some(a) = self.describe(ctx, id).await? {
            self.0.sync_tags(ctx, id, a.tags(), planned).await?;
        }
        self.fetch(ctx, id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("Elastic IP {id} no longer exists")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let Some(a) = self.describe(ctx, id).await? else {
            return Ok(());
        };
        if let Some(assoc) = a.association_id() {
            self.0
                .api
                .disassociate_address(assoc)
                .await
                .map_err(|e| ctx.api("DisassociateAddress", e))?;
        }
        let group = a.network_border_group().map(str::to_string);
        super::delete_with_dependency_retry(ctx, "ReleaseAddress", || {
            self.0.api.release_address(id, group.as_deref())
        })
        .await
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let mut filters = super::tag_filters(planned);
        if let Some(ip) = str_of(planned, "address") {
            filters.push(("public-ip".into(), vec![ip.to_string()]));
        }
        // Addresses have no name: without tags or a requested address nothing tells ours apart.
        if filters.is_empty() {
            return Ok(None);
        }
        let found = self
            .0
            .api
            .describe_addresses(&[], &filters)
            .await
            .map_err(|e| ctx.api("DescribeAddresses", e))?;
        let mut out = Vec::new();
        for a in &found {
            out.push(self.value(ctx, a, None).await?);
        }
        Ok(Some(out))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        if id.starts_with("eipalloc-") {
            return self.fetch(ctx, id, None).await;
        }
        // As in the AWS provider, a VPC address can be imported by its public IP too.
        if id.parse::<std::net::Ipv4Addr>().is_err() {
            return Err(ctx.invalid(format!(
                "import id {id:?} is neither an allocation id (eipalloc-…) nor a public IP"
            )));
        }
        let found = self
            .0
            .api
            .describe_addresses(&[], &vec![("public-ip".to_string(), vec![id.to_string()])])
            .await
            .map_err(|e| ctx.api("DescribeAddresses", e))?;
        match found.first() {
            Some(a) => Ok(Some(self.value(ctx, a, None).await?)),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_names_follow_the_region() {
        assert_eq!(
            public_dns("us-east-1", "54.1.2.3"),
            "ec2-54-1-2-3.compute-1.amazonaws.com"
        );
        assert_eq!(
            public_dns("eu-west-1", "54.1.2.3"),
            "ec2-54-1-2-3.eu-west-1.compute.amazonaws.com"
        );
        assert_eq!(
            private_dns("us-east-1", "10.0.0.9"),
            "ip-10-0-0-9.ec2.internal"
        );
        assert_eq!(
            private_dns("eu-west-1", "10.0.0.9"),
            "ip-10-0-0-9.eu-west-1.compute.internal"
        );
    }

    #[test]
    fn association_changes_in_place_and_pools_force_new() {
        let r = EipResource(crate::providers::ec2::tests::net());
        let prior = Value::map([
            ("id", Value::from("eipalloc-1")),
            ("domain", Value::from("vpc")),
            ("network_interface", Value::from("eni-1")),
            ("association_id", Value::from("eipassoc-1")),
            ("public_ipv4_pool", Value::from("amazon")),
            ("tags_all", Value::map::<&str>([])),
        ]);
        let p = r.plan(
            Some(&prior),
            &Value::map([
                ("domain", Value::from("vpc")),
                ("network_interface", Value::from("eni-2")),
            ]),
        );
        assert!(p.requires_replace.is_empty());
        assert_eq!(
            p.api_ops,
            vec![
                ApiOp::with_fields("DisassociateAddress", ["network_interface".to_string()]),
                ApiOp::with_fields("AssociateAddress", ["network_interface".to_string()]),
            ]
        );
        let p = r.plan(
            Some(&prior),
            &Value::map([
                ("domain", Value::from("vpc")),
                ("public_ipv4_pool", Value::from("ipv4pool-ec2-1")),
            ]),
        );
        assert_eq!(p.requires_replace.len(), 1);
    }
}
