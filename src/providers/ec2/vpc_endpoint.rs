//! `aws_vpc_endpoint`: S3 gateway endpoints (route tables) and interface endpoints (subnets,
//! security groups, private DNS). Created with a client token, then waited on until
//! `available`; route tables, subnets, security groups and the policy change in place.

use super::api::{ModifyEndpoint, NewEndpoint};
use super::Net;
use crate::config::value::{Map, Value};
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::normalize::{canonical_policy, policy_for_state};
use crate::providers::planning::{diff, same, tag_ops, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use aws_sdk_ec2::types as t;
use std::collections::BTreeSet;
use std::time::Instant;

fn gateway() -> Value {
    Value::from("Gateway")
}

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("cidr_blocks"),
    AttrSpec::computed("dns_entry"),
    AttrSpec::computed("id"),
    AttrSpec::computed("network_interface_ids"),
    AttrSpec::computed("owner_id"),
    AttrSpec::computed("prefix_list_id"),
    AttrSpec::computed("requester_managed"),
    AttrSpec::computed("state"),
    AttrSpec::config("auto_accept"),
    AttrSpec::optional_computed("dns_options").block(),
    AttrSpec::optional_computed("ip_address_type"),
    AttrSpec::optional_computed("policy"),
    AttrSpec::optional_computed("private_dns_enabled"),
    AttrSpec::config("resource_configuration_arn").force_new(),
    AttrSpec::optional_computed("route_table_ids"),
    AttrSpec::optional_computed("security_group_ids"),
    AttrSpec::config("service_name").force_new(),
    AttrSpec::config("service_network_arn").force_new(),
    AttrSpec::optional_computed("service_region").force_new(),
    AttrSpec::optional_computed("subnet_configuration"),
    AttrSpec::optional_computed("subnet_ids"),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
    AttrSpec::config("timeouts"),
    AttrSpec::config("vpc_endpoint_type")
        .default(gateway)
        .force_new(),
    AttrSpec::config("vpc_id").force_new(),
];

fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out: Map = m.clone();
    if let Some(Value::String(p)) = m.get("policy") {
        out.insert(
            "policy".into(),
            Value::String(canonical_policy(p).unwrap_or_else(|| p.clone())),
        );
    }
    for k in ["route_table_ids", "subnet_ids", "security_group_ids"] {
        if let Some(l) = m.get(k).and_then(Value::as_list) {
            out.insert(k.into(), Value::set(l.to_vec()));
        }
    }
    Value::Map(out)
}

/// The VPC endpoint resource.
pub struct VpcEndpointResource(pub Net);

impl VpcEndpointResource {
    async fn describe(&self, ctx: &Ctx, id: &str) -> Result<Option<t::VpcEndpoint>, ProviderError> {
        let e = self
            .0
            .api
            .describe_vpc_endpoints(&[id.to_string()])
            .await
            .map_err(|e| ctx.api("DescribeVpcEndpoints", e))?;
        Ok(e.into_iter()
            .next()
            .filter(|e| !matches!(state_of(e).as_str(), "deleted" | "deleting")))
    }

    async fn fetch(
        &self,
        ctx: &Ctx,
        id: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let Some(e) = self.describe(ctx, id).await? else {
            return Ok(None);
        };
        let n = &self.0;
        let owner = e.owner_id().unwrap_or_default();
        let mut prefix_list = None;
        if !e.route_table_ids().is_empty() {
            let rts = n
                .api
                .describe_route_tables(e.route_table_ids(), &vec![])
                .await
                .map_err(|x| ctx.api("DescribeRouteTables", x))?;
            prefix_list = rts
                .iter()
                .flat_map(|r| r.routes())
                .find(|r| r.gateway_id() == Some(id))
                .and_then(|r| r.destination_prefix_list_id())
                .map(str::to_string);
        }
        let (tags, tags_all) = n.tag_values(e.tags(), prior);
        let keep = |k: &str| {
            prior
                .and_then(|p| p.get(k))
                .cloned()
                .map(known)
                .unwrap_or(Value::Null)
        };
        let policy = e
            .policy_document()
            .map(|p| policy_for_state(p, prior.and_then(|x| str_of(x, "policy"))));
        Ok(Some(Value::Map(obj([
            ("arn", Value::from(n.arn(owner, "vpc-endpoint", id))),
            ("auto_accept", keep("auto_accept")),
            ("cidr_blocks", Value::List(vec![])),
            (
                "dns_entry",
                Value::List(
                    e.dns_entries()
                        .iter()
                        .map(|d| {
                            Value::Map(obj([
                                ("dns_name", opt_str(d.dns_name())),
                                ("hosted_zone_id", opt_str(d.hosted_zone_id())),
                            ]))
                        })
                        .collect(),
                ),
            ),
            (
                "dns_options",
                block_value(e.dns_options().map(|d| {
                    obj([
                        (
                            "dns_record_ip_type",
                            opt_str(d.dns_record_ip_type().map(|x| x.as_str().to_string())),
                        ),
                        (
                            "private_dns_only_for_inbound_resolver_endpoint",
                            opt_bool(d.private_dns_only_for_inbound_resolver_endpoint()),
                        ),
                    ])
                })),
            ),
            ("id", Value::from(id)),
            (
                "ip_address_type",
                opt_str(e.ip_address_type().map(|x| x.as_str().to_string())),
            ),
            (
                "network_interface_ids",
                string_set(e.network_interface_ids().iter().cloned()),
            ),
            ("owner_id", Value::from(owner)),
            ("policy", opt_str(policy)),
            ("prefix_list_id", opt_str(prefix_list)),
            (
                "private_dns_enabled",
                Value::Bool(e.private_dns_enabled().unwrap_or(false)),
            ),
            (
                "requester_managed",
                Value::Bool(e.requester_managed().unwrap_or(false)),
            ),
            (
                "resource_configuration_arn",
                opt_str(e.resource_configuration_arn()),
            ),
            (
                "route_table_ids",
                string_set(e.route_table_ids().iter().cloned()),
            ),
            (
                "security_group_ids",
                string_set(
                    e.groups()
                        .iter()
                        .filter_map(|g| g.group_id().map(str::to_string)),
                ),
            ),
            ("service_name", opt_str(e.service_name())),
            ("service_network_arn", opt_str(e.service_network_arn())),
            (
                "service_region",
                opt_str(
                    e.service_region()
                        .map(str::to_string)
                        .or_else(|| Some(n.region.clone())),
                ),
            ),
            ("state", opt_str(e.state().map(|s| s.as_str().to_string()))),
            ("subnet_configuration", Value::Set(vec![])),
            ("subnet_ids", string_set(e.subnet_ids().iter().cloned())),
            ("tags", tags),
            ("tags_all", tags_all),
            ("timeouts", keep("timeouts")),
            (
                "vpc_endpoint_type",
                opt_str(e.vpc_endpoint_type().map(|x| x.as_str().to_string())),
            ),
            ("vpc_id", opt_str(e.vpc_id())),
        ]))))
    }

    async fn wait_available(&self, ctx: &Ctx, id: &str) -> Result<(), ProviderError> {
        let start = Instant::now();
        loop {
            let e = self.describe(ctx, id).await?;
            match e.as_ref().map(state_of).as_deref() {
                Some("available") | Some("pendingacceptance") => return Ok(()),
                Some("failed") | Some("rejected") => {
                    return Err(ProviderError::UnexpectedState {
                        address: ctx.address.clone(),
                        message: format!(
                            "VPC endpoint {id} failed: {}",
                            e.and_then(|e| e.failure_reason().map(str::to_string))
                                .unwrap_or_default()
                        ),
                        partial: Some(Box::new(Value::map([("id", Value::from(id))]))),
                    })
                }
                _ => {}
            }
            if start.elapsed() > ctx.timeouts.create {
                return Err(ProviderError::Timeout {
                    address: ctx.address.clone(),
                    waiting_for: format!("VPC endpoint {id} to become available"),
                    seconds: ctx.timeouts.create.as_secs(),
                    partial: Some(Box::new(Value::map([("id", Value::from(id))]))),
                });
            }
            tokio::time::sleep(ctx.poll_interval).await;
        }
    }
}

/// The endpoint state in lower case: AWS answers `available`, while the SDK's enum spells
/// `Available`, so compare text.
fn state_of(e: &t::VpcEndpoint) -> String {
    e.state()
        .map(|s| s.as_str().to_ascii_lowercase())
        .unwrap_or_default()
}

fn set_of(v: &Value, k: &str) -> BTreeSet<String> {
    strings(v, k).into_iter().collect()
}

#[async_trait]
impl ResourceProvider for VpcEndpointResource {
    fn type_name(&self) -> &'static str {
        "aws_vpc_endpoint"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let d = diff(SPECS, prior, desired, &self.0.default_tags, &normalize);
        let ops = match prior {
            None => vec![ApiOp::call("CreateVpcEndpoint")],
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DeleteVpcEndpoints"),
                ApiOp::call("CreateVpcEndpoint"),
            ],
            Some(p) => {
                let f: Vec<String> = [
                    "policy",
                    "private_dns_enabled",
                    "route_table_ids",
                    "security_group_ids",
                    "subnet_ids",
                ]
                .iter()
                .filter(|k| d.has(k))
                .map(|k| k.to_string())
                .collect();
                let mut ops = Vec::new();
                if !f.is_empty() {
                    ops.push(ApiOp::with_fields("ModifyVpcEndpoint", f));
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
        let new = NewEndpoint {
            vpc_id: str_of(planned, "vpc_id")
                .ok_or_else(|| ctx.invalid("vpc_id is required"))?
                .to_string(),
            service_name: str_of(planned, "service_name")
                .ok_or_else(|| ctx.invalid("service_name is required"))?
                .to_string(),
            endpoint_type: str_of(planned, "vpc_endpoint_type")
                .unwrap_or("Gateway")
                .to_string(),
            policy: str_of(planned, "policy").map(str::to_string),
            route_table_ids: strings(planned, "route_table_ids"),
            subnet_ids: strings(planned, "subnet_ids"),
            security_group_ids: strings(planned, "security_group_ids"),
            private_dns_enabled: bool_of(planned, "private_dns_enabled"),
            tags: self.0.tags_all(planned),
            client_token: uuid::Uuid::new_v4().to_string(),
        };
        let id = self
            .0
            .api
            .create_vpc_endpoint(&new)
            .await
            .map_err(|e| ctx.api("CreateVpcEndpoint", e))?;
        self.wait_available(ctx, &id).await?;
        self.fetch(ctx, &id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("VPC endpoint {id} vanished after create")))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let (np, nd) = (normalize(prior), normalize(planned));
        let changed = |k: &str| {
            !nd.get(k).map(Value::is_unknown).unwrap_or(false)
                && !same(
                    np.get(k).unwrap_or(&Value::Null),
                    nd.get(k).unwrap_or(&Value::Null),
                )
        };
        let mut m = ModifyEndpoint::default();
        let diff_sets = |k: &str| {
            let (a, b) = (set_of(prior, k), set_of(planned, k));
            (
                b.difference(&a).cloned().collect::<Vec<_>>(),
                a.difference(&b).cloned().collect::<Vec<_>>(),
            )
        };
        if changed("route_table_ids") {
            (m.add_route_tables, m.remove_route_tables) = diff_sets("route_table_ids");
        }
        if changed("subnet_ids") {
            (m.add_subnets, m.remove_subnets) = diff_sets("subnet_ids");
        }
        if changed("security_group_ids") {
            (m.add_security_groups, m.remove_security_groups) = diff_sets("security_group_ids");
        }
        if changed("policy") {
            m.policy = Some(str_of(planned, "policy").map(str::to_string));
        }
        if changed("private_dns_enabled") {
            m.private_dns_enabled = bool_of(planned, "private_dns_enabled");
        }
        if m != ModifyEndpoint::default() {
            self.0
                .api
                .modify_vpc_endpoint(id, m)
                .await
                .map_err(|e| ctx.api("ModifyVpcEndpoint", e))?;
        }
        if let Some(e) = self.describe(ctx, id).await? {
            self.0.sync_tags(ctx, id, e.tags(), planned).await?;
        }
        self.fetch(ctx, id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("VPC endpoint {id} no longer exists")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.0
            .api
            .delete_vpc_endpoint(id)
            .await
            .map_err(|e| ctx.api("DeleteVpcEndpoints", e))?;
        let start = Instant::now();
        while self.describe(ctx, id).await?.is_some() {
            if start.elapsed() > ctx.timeouts.delete {
                return Err(ProviderError::Timeout {
                    address: ctx.address.clone(),
                    waiting_for: format!("VPC endpoint {id} to be deleted"),
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
        let (Some(vpc), Some(service)) =
            (str_of(planned, "vpc_id"), str_of(planned, "service_name"))
        else {
            return Ok(None);
        };
        let all = self
            .0
            .api
            .describe_vpc_endpoints(&[])
            .await
            .map_err(|e| ctx.api("DescribeVpcEndpoints", e))?;
        let mut found = Vec::new();
        for e in all.iter().filter(|e| {
            e.vpc_id() == Some(vpc)
                && e.service_name() == Some(service)
                && !matches!(
                    e.state(),
                    Some(t::State::Deleted | t::State::Deleting | t::State::Failed)
                )
        }) {
            if let Some(x) = self
                .fetch(ctx, e.vpc_endpoint_id().unwrap_or_default(), None)
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
