//! [`Ec2Api`] over `aws-sdk-ec2`. Creates without a client token (VPC, subnet, security
//! group, rules, routes, associations) are [`Safety::NotIdempotent`]; route tables and VPC
//! endpoints carry a client token and are retried freely.

use super::api::*;
use crate::providers::error::{ApiError, ApiErrorKind};
use crate::providers::retry::{Caller, Safety};
use async_trait::async_trait;
use aws_sdk_ec2::types as t;
use std::collections::BTreeMap;
use std::sync::Arc;

/// SDK implementation.
#[derive(Debug, Clone)]
pub struct SdkEc2 {
    client: aws_sdk_ec2::Client,
    caller: Arc<Caller>,
}

impl SdkEc2 {
    /// Wraps a client.
    pub fn new(client: aws_sdk_ec2::Client, caller: Arc<Caller>) -> SdkEc2 {
        SdkEc2 { client, caller }
    }
}

macro_rules! call {
    ($self:ident, $op:literal, $safety:expr, $req:expr) => {
        $self
            .caller
            .call("ec2", $op, $safety, || async {
                $req.send().await.map_err(ApiError::from_sdk)
            })
            .await
    };
}

fn filters(f: &Filters) -> Option<Vec<t::Filter>> {
    if f.is_empty() {
        return None;
    }
    Some(
        f.iter()
            .map(|(n, v)| {
                t::Filter::builder()
                    .name(n)
                    .set_values(Some(v.clone()))
                    .build()
            })
            .collect(),
    )
}

fn ids(i: &[String]) -> Option<Vec<String>> {
    if i.is_empty() {
        None
    } else {
        Some(i.to_vec())
    }
}

fn tag_spec(
    rt: t::ResourceType,
    tags: &BTreeMap<String, String>,
) -> Option<Vec<t::TagSpecification>> {
    if tags.is_empty() {
        return None;
    }
    Some(vec![t::TagSpecification::builder()
        .resource_type(rt)
        .set_tags(Some(
            tags.iter()
                .map(|(k, v)| t::Tag::builder().key(k).value(v).build())
                .collect(),
        ))
        .build()])
}

fn empty_if_missing<T>(r: Result<Vec<T>, ApiError>) -> Result<Vec<T>, ApiError> {
    match r {
        Err(e) if e.is_not_found() => Ok(Vec::new()),
        other => other,
    }
}

fn ok_if_missing(r: Result<(), ApiError>) -> Result<(), ApiError> {
    match r {
        Err(e) if e.is_not_found() => Ok(()),
        other => other,
    }
}

fn missing_id(op: &str) -> ApiError {
    ApiError::new(
        ApiErrorKind::Other,
        "EmptyResponse",
        format!("{op} returned no id"),
    )
}

fn route_req<B>(
    mut b: B,
    r: &RouteSpec,
    cidr: impl Fn(B, Option<String>) -> B,
    ipv6: impl Fn(B, Option<String>) -> B,
    pl: impl Fn(B, Option<String>) -> B,
    target: impl Fn(B, &str, &str) -> B,
) -> B {
    b = cidr(b, r.cidr_block.clone());
    b = ipv6(b, r.ipv6_cidr_block.clone());
    b = pl(b, r.destination_prefix_list_id.clone());
    for (k, v) in &r.targets {
        b = target(b, k, v);
    }
    b
}

macro_rules! route_targets {
    ($b:expr, $k:expr, $v:expr) => {
        match $k {
            "gateway_id" => $b.gateway_id($v),
            "nat_gateway_id" => $b.nat_gateway_id($v),
            "vpc_endpoint_id" => $b.vpc_endpoint_id($v),
            "network_interface_id" => $b.network_interface_id($v),
            "transit_gateway_id" => $b.transit_gateway_id($v),
            "vpc_peering_connection_id" => $b.vpc_peering_connection_id($v),
            "egress_only_gateway_id" => $b.egress_only_internet_gateway_id($v),
            "local_gateway_id" => $b.local_gateway_id($v),
            "carrier_gateway_id" => $b.carrier_gateway_id($v),
            "core_network_arn" => $b.core_network_arn($v),
            _ => $b,
        }
    };
}

#[async_trait]
impl Ec2Api for SdkEc2 {
    async fn describe_vpcs(&self, i: &[String], f: &Filters) -> Result<Vec<t::Vpc>, ApiError> {
        empty_if_missing(
            call!(
                self,
                "DescribeVpcs",
                Safety::Idempotent,
                self.client
                    .describe_vpcs()
                    .set_vpc_ids(ids(i))
                    .set_filters(filters(f))
            )
            .map(|o| o.vpcs().to_vec()),
        )
    }

    async fn vpc_attribute(
        &self,
        id: &str,
        attr: t::VpcAttributeName,
    ) -> Result<Option<bool>, ApiError> {
        let o = call!(
            self,
            "DescribeVpcAttribute",
            Safety::Idempotent,
            self.client
                .describe_vpc_attribute()
                .vpc_id(id)
                .attribute(attr.clone())
        )?;
        Ok(match attr {
            t::VpcAttributeName::EnableDnsSupport => o.enable_dns_support().and_then(|a| a.value()),
            t::VpcAttributeName::EnableDnsHostnames => {
                o.enable_dns_hostnames().and_then(|a| a.value())
            }
            t::VpcAttributeName::EnableNetworkAddressUsageMetrics => o
                .enable_network_address_usage_metrics()
                .and_then(|a| a.value()),
            _ => None,
        })
    }

    async fn create_vpc(
        &self,
        cidr: Option<&str>,
        tenancy: Option<&str>,
        ipv6: bool,
        tags: &BTreeMap<String, String>,
    ) -> Result<String, ApiError> {
        let o = call!(
            self,
            "CreateVpc",
            Safety::NotIdempotent,
            self.client
                .create_vpc()
                .set_cidr_block(cidr.map(str::to_string))
                .set_instance_tenancy(tenancy.map(t::Tenancy::from))
                .set_amazon_provided_ipv6_cidr_block(ipv6.then_some(true))
                .set_tag_specifications(tag_spec(t::ResourceType::Vpc, tags))
        )?;
        o.vpc()
            .and_then(|v| v.vpc_id())
            .map(str::to_string)
            .ok_or_else(|| missing_id("CreateVpc"))
    }

    async fn modify_vpc_attribute(
        &self,
        id: &str,
        attr: t::VpcAttributeName,
        value: bool,
    ) -> Result<(), ApiError> {
        let v = t::AttributeBooleanValue::builder().value(value).build();
        let b = self.client.modify_vpc_attribute().vpc_id(id);
        let b = match attr {
            t::VpcAttributeName::EnableDnsHostnames => b.enable_dns_hostnames(v),
            t::VpcAttributeName::EnableNetworkAddressUsageMetrics => {
                b.enable_network_address_usage_metrics(v)
            }
            _ => b.enable_dns_support(v),
        };
        call!(self, "ModifyVpcAttribute", Safety::Idempotent, b.clone()).map(|_| ())
    }

    async fn delete_vpc(&self, id: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DeleteVpc",
                Safety::Idempotent,
                self.client.delete_vpc().vpc_id(id)
            )
            .map(|_| ()),
        )
    }

    async fn describe_subnets(
        &self,
        i: &[String],
        f: &Filters,
    ) -> Result<Vec<t::Subnet>, ApiError> {
        empty_if_missing(
            call!(
                self,
                "DescribeSubnets",
                Safety::Idempotent,
                self.client
                    .describe_subnets()
                    .set_subnet_ids(ids(i))
                    .set_filters(filters(f))
            )
            .map(|o| o.subnets().to_vec()),
        )
    }

    async fn create_subnet(
        &self,
        vpc: &str,
        cidr: Option<&str>,
        az: Option<&str>,
        az_id: Option<&str>,
        ipv6_cidr: Option<&str>,
        tags: &BTreeMap<String, String>,
    ) -> Result<String, ApiError> {
        let o = call!(
            self,
            "CreateSubnet",
            Safety::NotIdempotent,
            self.client
                .create_subnet()
                .vpc_id(vpc)
                .set_cidr_block(cidr.map(str::to_string))
                .set_availability_zone(az.map(str::to_string))
                .set_availability_zone_id(az_id.map(str::to_string))
                .set_ipv6_cidr_block(ipv6_cidr.map(str::to_string))
                .set_tag_specifications(tag_spec(t::ResourceType::Subnet, tags))
        )?;
        o.subnet()
            .and_then(|s| s.subnet_id())
            .map(str::to_string)
            .ok_or_else(|| missing_id("CreateSubnet"))
    }

    async fn modify_subnet_attribute(
        &self,
        id: &str,
        attr: &str,
        value: &str,
    ) -> Result<(), ApiError> {
        let b = self.client.modify_subnet_attribute().subnet_id(id);
        let flag = t::AttributeBooleanValue::builder()
            .value(value == "true")
            .build();
        let b = match attr {
            "map_public_ip_on_launch" => b.map_public_ip_on_launch(flag),
            "assign_ipv6_address_on_creation" => b.assign_ipv6_address_on_creation(flag),
            "enable_dns64" => b.enable_dns64(flag),
            "map_customer_owned_ip_on_launch" => b.map_customer_owned_ip_on_launch(flag),
            "enable_resource_name_dns_a_record_on_launch" => {
                b.enable_resource_name_dns_a_record_on_launch(flag)
            }
            "enable_resource_name_dns_aaaa_record_on_launch" => {
                b.enable_resource_name_dns_aaaa_record_on_launch(flag)
            }
            "private_dns_hostname_type_on_launch" => {
                b.private_dns_hostname_type_on_launch(t::HostnameType::from(value))
            }
            other => {
                return Err(ApiError::new(
                    ApiErrorKind::Validation,
                    "UnsupportedAttribute",
                    format!("cannot modify subnet attribute {other}"),
                ))
            }
        };
        call!(self, "ModifySubnetAttribute", Safety::Idempotent, b.clone()).map(|_| ())
    }

    async fn delete_subnet(&self, id: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DeleteSubnet",
                Safety::Idempotent,
                self.client.delete_subnet().subnet_id(id)
            )
            .map(|_| ()),
        )
    }

    async fn describe_security_groups(
        &self,
        i: &[String],
        f: &Filters,
    ) -> Result<Vec<t::SecurityGroup>, ApiError> {
        empty_if_missing(
            call!(
                self,
                "DescribeSecurityGroups",
                Safety::Idempotent,
                self.client
                    .describe_security_groups()
                    .set_group_ids(ids(i))
                    .set_filters(filters(f))
            )
            .map(|o| o.security_groups().to_vec()),
        )
    }

    async fn create_security_group(
        &self,
        name: &str,
        description: &str,
        vpc: Option<&str>,
        tags: &BTreeMap<String, String>,
    ) -> Result<String, ApiError> {
        let o = call!(
            self,
            "CreateSecurityGroup",
            Safety::NotIdempotent,
            self.client
                .create_security_group()
                .group_name(name)
                .description(description)
                .set_vpc_id(vpc.map(str::to_string))
                .set_tag_specifications(tag_spec(t::ResourceType::SecurityGroup, tags))
        )?;
        o.group_id()
            .map(str::to_string)
            .ok_or_else(|| missing_id("CreateSecurityGroup"))
    }

    async fn authorize(
        &self,
        group: &str,
        egress: bool,
        perms: Vec<t::IpPermission>,
        tags: &BTreeMap<String, String>,
    ) -> Result<Vec<t::SecurityGroupRule>, ApiError> {
        let spec = tag_spec(t::ResourceType::SecurityGroupRule, tags);
        if egress {
            call!(
                self,
                "AuthorizeSecurityGroupEgress",
                Safety::NotIdempotent,
                self.client
                    .authorize_security_group_egress()
                    .group_id(group)
                    .set_ip_permissions(Some(perms.clone()))
                    .set_tag_specifications(spec.clone())
            )
            .map(|o| o.security_group_rules().to_vec())
        } else {
            call!(
                self,
                "AuthorizeSecurityGroupIngress",
                Safety::NotIdempotent,
                self.client
                    .authorize_security_group_ingress()
                    .group_id(group)
                    .set_ip_permissions(Some(perms.clone()))
                    .set_tag_specifications(spec.clone())
            )
            .map(|o| o.security_group_rules().to_vec())
        }
    }

    async fn revoke(
        &self,
        group: &str,
        egress: bool,
        perms: Vec<t::IpPermission>,
    ) -> Result<(), ApiError> {
        let r = if egress {
            call!(
                self,
                "RevokeSecurityGroupEgress",
                Safety::Idempotent,
                self.client
                    .revoke_security_group_egress()
                    .group_id(group)
                    .set_ip_permissions(Some(perms.clone()))
            )
            .map(|_| ())
        } else {
            call!(
                self,
                "RevokeSecurityGroupIngress",
                Safety::Idempotent,
                self.client
                    .revoke_security_group_ingress()
                    .group_id(group)
                    .set_ip_permissions(Some(perms.clone()))
            )
            .map(|_| ())
        };
        ok_if_missing(r)
    }

    async fn revoke_rule(&self, group: &str, egress: bool, rule_id: &str) -> Result<(), ApiError> {
        let r = if egress {
            call!(
                self,
                "RevokeSecurityGroupEgress",
                Safety::Idempotent,
                self.client
                    .revoke_security_group_egress()
                    .group_id(group)
                    .security_group_rule_ids(rule_id)
            )
            .map(|_| ())
        } else {
            call!(
                self,
                "RevokeSecurityGroupIngress",
                Safety::Idempotent,
                self.client
                    .revoke_security_group_ingress()
                    .group_id(group)
                    .security_group_rule_ids(rule_id)
            )
            .map(|_| ())
        };
        ok_if_missing(r)
    }

    async fn describe_security_group_rules(
        &self,
        i: &[String],
        f: &Filters,
    ) -> Result<Vec<t::SecurityGroupRule>, ApiError> {
        empty_if_missing(
            call!(
                self,
                "DescribeSecurityGroupRules",
                Safety::Idempotent,
                self.client
                    .describe_security_group_rules()
                    .set_security_group_rule_ids(ids(i))
                    .set_filters(filters(f))
            )
            .map(|o| o.security_group_rules().to_vec()),
        )
    }

    async fn modify_security_group_rule(
        &self,
        group: &str,
        rule_id: &str,
        rule: t::SecurityGroupRuleRequest,
    ) -> Result<(), ApiError> {
        let update = t::SecurityGroupRuleUpdate::builder()
            .security_group_rule_id(rule_id)
            .security_group_rule(rule)
            .build();
        call!(
            self,
            "ModifySecurityGroupRules",
            Safety::Idempotent,
            self.client
                .modify_security_group_rules()
                .group_id(group)
                .security_group_rules(update.clone())
        )
        .map(|_| ())
    }

    async fn delete_security_group(&self, id: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DeleteSecurityGroup",
                Safety::Idempotent,
                self.client.delete_security_group().group_id(id)
            )
            .map(|_| ()),
        )
    }

    async fn describe_route_tables(
        &self,
        i: &[String],
        f: &Filters,
    ) -> Result<Vec<t::RouteTable>, ApiError> {
        empty_if_missing(
            call!(
                self,
                "DescribeRouteTables",
                Safety::Idempotent,
                self.client
                    .describe_route_tables()
                    .set_route_table_ids(ids(i))
                    .set_filters(filters(f))
            )
            .map(|o| o.route_tables().to_vec()),
        )
    }

    async fn create_route_table(
        &self,
        vpc: &str,
        tags: &BTreeMap<String, String>,
        client_token: &str,
    ) -> Result<String, ApiError> {
        let o = call!(
            self,
            "CreateRouteTable",
            Safety::Idempotent,
            self.client
                .create_route_table()
                .vpc_id(vpc)
                .client_token(client_token)
                .set_tag_specifications(tag_spec(t::ResourceType::RouteTable, tags))
        )?;
        o.route_table()
            .and_then(|r| r.route_table_id())
            .map(str::to_string)
            .ok_or_else(|| missing_id("CreateRouteTable"))
    }

    async fn create_route(&self, table: &str, r: &RouteSpec) -> Result<(), ApiError> {
        let b = route_req(
            self.client.create_route().route_table_id(table),
            r,
            |b, v| b.set_destination_cidr_block(v),
            |b, v| b.set_destination_ipv6_cidr_block(v),
            |b, v| b.set_destination_prefix_list_id(v),
            |b, k, v| route_targets!(b, k, v),
        );
        // A repeat answers RouteAlreadyExists, which the route table resource turns into
        // ReplaceRoute with the same target: safe to retry.
        call!(self, "CreateRoute", Safety::Idempotent, b.clone()).map(|_| ())
    }

    async fn replace_route(&self, table: &str, r: &RouteSpec) -> Result<(), ApiError> {
        let b = route_req(
            self.client.replace_route().route_table_id(table),
            r,
            |b, v| b.set_destination_cidr_block(v),
            |b, v| b.set_destination_ipv6_cidr_block(v),
            |b, v| b.set_destination_prefix_list_id(v),
            |b, k, v| match k {
                "gateway_id" => b.gateway_id(v),
                "nat_gateway_id" => b.nat_gateway_id(v),
                "vpc_endpoint_id" => b.vpc_endpoint_id(v),
                "network_interface_id" => b.network_interface_id(v),
                "transit_gateway_id" => b.transit_gateway_id(v),
                "vpc_peering_connection_id" => b.vpc_peering_connection_id(v),
                "egress_only_gateway_id" => b.egress_only_internet_gateway_id(v),
                "local_gateway_id" => b.local_gateway_id(v),
                "carrier_gateway_id" => b.carrier_gateway_id(v),
                "core_network_arn" => b.core_network_arn(v),
                _ => b,
            },
        );
        call!(self, "ReplaceRoute", Safety::Idempotent, b.clone()).map(|_| ())
    }

    async fn delete_route(&self, table: &str, r: &RouteSpec) -> Result<(), ApiError> {
        let b = self
            .client
            .delete_route()
            .route_table_id(table)
            .set_destination_cidr_block(r.cidr_block.clone())
            .set_destination_ipv6_cidr_block(r.ipv6_cidr_block.clone())
            .set_destination_prefix_list_id(r.destination_prefix_list_id.clone());
        ok_if_missing(call!(self, "DeleteRoute", Safety::Idempotent, b.clone()).map(|_| ()))
    }

    async fn delete_route_table(&self, id: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DeleteRouteTable",
                Safety::Idempotent,
                self.client.delete_route_table().route_table_id(id)
            )
            .map(|_| ()),
        )
    }

    async fn associate_route_table(
        &self,
        table: &str,
        subnet: Option<&str>,
        gateway: Option<&str>,
    ) -> Result<String, ApiError> {
        let o = call!(
            self,
            "AssociateRouteTable",
            Safety::NotIdempotent,
            self.client
                .associate_route_table()
                .route_table_id(table)
                .set_subnet_id(subnet.map(str::to_string))
                .set_gateway_id(gateway.map(str::to_string))
        )?;
        o.association_id()
            .map(str::to_string)
            .ok_or_else(|| missing_id("AssociateRouteTable"))
    }

    async fn replace_route_table_association(
        &self,
        association: &str,
        table: &str,
    ) -> Result<String, ApiError> {
        let o = call!(
            self,
            "ReplaceRouteTableAssociation",
            Safety::Idempotent,
            self.client
                .replace_route_table_association()
                .association_id(association)
                .route_table_id(table)
        )?;
        o.new_association_id()
            .map(str::to_string)
            .ok_or_else(|| missing_id("ReplaceRouteTableAssociation"))
    }

    async fn disassociate_route_table(&self, association: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DisassociateRouteTable",
                Safety::Idempotent,
                self.client
                    .disassociate_route_table()
                    .association_id(association)
            )
            .map(|_| ()),
        )
    }

    async fn describe_vpc_endpoints(&self, i: &[String]) -> Result<Vec<t::VpcEndpoint>, ApiError> {
        empty_if_missing(
            call!(
                self,
                "DescribeVpcEndpoints",
                Safety::Idempotent,
                self.client
                    .describe_vpc_endpoints()
                    .set_vpc_endpoint_ids(ids(i))
            )
            .map(|o| o.vpc_endpoints().to_vec()),
        )
    }

    async fn create_vpc_endpoint(&self, e: &NewEndpoint) -> Result<String, ApiError> {
        let o = call!(
            self,
            "CreateVpcEndpoint",
            Safety::Idempotent,
            self.client
                .create_vpc_endpoint()
                .vpc_id(&e.vpc_id)
                .service_name(&e.service_name)
                .vpc_endpoint_type(t::VpcEndpointType::from(e.endpoint_type.as_str()))
                .client_token(&e.client_token)
                .set_policy_document(e.policy.clone())
                .set_route_table_ids(ids(&e.route_table_ids))
                .set_subnet_ids(ids(&e.subnet_ids))
                .set_security_group_ids(ids(&e.security_group_ids))
                .set_private_dns_enabled(e.private_dns_enabled)
                .set_tag_specifications(tag_spec(t::ResourceType::VpcEndpoint, &e.tags))
        )?;
        o.vpc_endpoint()
            .and_then(|v| v.vpc_endpoint_id())
            .map(str::to_string)
            .ok_or_else(|| missing_id("CreateVpcEndpoint"))
    }

    async fn modify_vpc_endpoint(&self, id: &str, c: ModifyEndpoint) -> Result<(), ApiError> {
        let mut b = self
            .client
            .modify_vpc_endpoint()
            .vpc_endpoint_id(id)
            .set_add_route_table_ids(ids(&c.add_route_tables))
            .set_remove_route_table_ids(ids(&c.remove_route_tables))
            .set_add_subnet_ids(ids(&c.add_subnets))
            .set_remove_subnet_ids(ids(&c.remove_subnets))
            .set_add_security_group_ids(ids(&c.add_security_groups))
            .set_remove_security_group_ids(ids(&c.remove_security_groups))
            .set_private_dns_enabled(c.private_dns_enabled);
        match c.policy {
            Some(Some(p)) => b = b.policy_document(p),
            Some(None) => b = b.reset_policy(true),
            None => {}
        }
        call!(self, "ModifyVpcEndpoint", Safety::Idempotent, b.clone()).map(|_| ())
    }

    async fn delete_vpc_endpoint(&self, id: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DeleteVpcEndpoints",
                Safety::Idempotent,
                self.client.delete_vpc_endpoints().vpc_endpoint_ids(id)
            )
            .map(|_| ()),
        )
    }

    async fn describe_availability_zones(
        &self,
        all: bool,
        f: &Filters,
    ) -> Result<Vec<t::AvailabilityZone>, ApiError> {
        call!(
            self,
            "DescribeAvailabilityZones",
            Safety::Idempotent,
            self.client
                .describe_availability_zones()
                .all_availability_zones(all)
                .set_filters(filters(f))
        )
        .map(|o| o.availability_zones().to_vec())
    }

    async fn describe_internet_gateways(
        &self,
        i: &[String],
        f: &Filters,
    ) -> Result<Vec<t::InternetGateway>, ApiError> {
        empty_if_missing(
            call!(
                self,
                "DescribeInternetGateways",
                Safety::Idempotent,
                self.client
                    .describe_internet_gateways()
                    .set_internet_gateway_ids(ids(i))
                    .set_filters(filters(f))
            )
            .map(|o| o.internet_gateways().to_vec()),
        )
    }

    async fn create_internet_gateway(
        &self,
        tags: &BTreeMap<String, String>,
    ) -> Result<String, ApiError> {
        let o = call!(
            self,
            "CreateInternetGateway",
            Safety::NotIdempotent,
            self.client
                .create_internet_gateway()
                .set_tag_specifications(tag_spec(t::ResourceType::InternetGateway, tags))
        )?;
        o.internet_gateway()
            .and_then(|g| g.internet_gateway_id())
            .map(str::to_string)
            .ok_or_else(|| missing_id("CreateInternetGateway"))
    }

    async fn attach_internet_gateway(&self, id: &str, vpc: &str) -> Result<(), ApiError> {
        // A repeat answers Resource.AlreadyAssociated, which the resource accepts.
        call!(
            self,
            "AttachInternetGateway",
            Safety::Idempotent,
            self.client
                .attach_internet_gateway()
                .internet_gateway_id(id)
                .vpc_id(vpc)
        )
        .map(|_| ())
    }

    async fn detach_internet_gateway(&self, id: &str, vpc: &str) -> Result<(), ApiError> {
        match call!(
            self,
            "DetachInternetGateway",
            Safety::Idempotent,
            self.client
                .detach_internet_gateway()
                .internet_gateway_id(id)
                .vpc_id(vpc)
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() || e.has_code("Gateway.NotAttached") => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn delete_internet_gateway(&self, id: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DeleteInternetGateway",
                Safety::Idempotent,
                self.client
                    .delete_internet_gateway()
                    .internet_gateway_id(id)
            )
            .map(|_| ()),
        )
    }

    async fn describe_addresses(
        &self,
        i: &[String],
        f: &Filters,
    ) -> Result<Vec<t::Address>, ApiError> {
        empty_if_missing(
            call!(
                self,
                "DescribeAddresses",
                Safety::Idempotent,
                self.client
                    .describe_addresses()
                    .set_allocation_ids(ids(i))
                    .set_filters(filters(f))
            )
            .map(|o| o.addresses().to_vec()),
        )
    }

    async fn address_ptr_record(&self, allocation_id: &str) -> Result<Option<String>, ApiError> {
        let r = call!(
            self,
            "DescribeAddressesAttribute",
            Safety::Idempotent,
            self.client
                .describe_addresses_attribute()
                .allocation_ids(allocation_id)
                .attribute(t::AddressAttributeName::DomainName)
        );
        match r {
            Ok(o) => Ok(o
                .addresses()
                .iter()
                .find(|a| a.allocation_id() == Some(allocation_id))
                .and_then(|a| a.ptr_record())
                .map(|p| p.trim_end_matches('.').to_string())
                .filter(|p| !p.is_empty())),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn allocate_address(&self, a: &NewAddress) -> Result<String, ApiError> {
        let o = call!(
            self,
            "AllocateAddress",
            Safety::NotIdempotent,
            self.client
                .allocate_address()
                .set_domain(a.domain.as_deref().map(t::DomainType::from))
                .set_address(a.address.clone())
                .set_public_ipv4_pool(a.public_ipv4_pool.clone())
                .set_customer_owned_ipv4_pool(a.customer_owned_ipv4_pool.clone())
                .set_network_border_group(a.network_border_group.clone())
                .set_ipam_pool_id(a.ipam_pool_id.clone())
                .set_tag_specifications(tag_spec(t::ResourceType::ElasticIp, &a.tags))
        )?;
        o.allocation_id()
            .map(str::to_string)
            .ok_or_else(|| missing_id("AllocateAddress"))
    }

    async fn associate_address(
        &self,
        allocation_id: &str,
        instance: Option<&str>,
        network_interface: Option<&str>,
        private_ip: Option<&str>,
    ) -> Result<String, ApiError> {
        let o = call!(
            self,
            "AssociateAddress",
            Safety::Idempotent,
            self.client
                .associate_address()
                .allocation_id(allocation_id)
                .set_instance_id(instance.map(str::to_string))
                .set_network_interface_id(network_interface.map(str::to_string))
                .set_private_ip_address(private_ip.map(str::to_string))
                .allow_reassociation(true)
        )?;
        o.association_id()
            .map(str::to_string)
            .ok_or_else(|| missing_id("AssociateAddress"))
    }

    async fn disassociate_address(&self, association_id: &str) -> Result<(), ApiError> {
        match call!(
            self,
            "DisassociateAddress",
            Safety::Idempotent,
            self.client
                .disassociate_address()
                .association_id(association_id)
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() || e.has_code("InvalidAssociationID.NotFound") => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn release_address(
        &self,
        allocation_id: &str,
        network_border_group: Option<&str>,
    ) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "ReleaseAddress",
                Safety::Idempotent,
                self.client
                    .release_address()
                    .allocation_id(allocation_id)
                    .set_network_border_group(network_border_group.map(str::to_string))
            )
            .map(|_| ()),
        )
    }

    async fn describe_nat_gateways(
        &self,
        i: &[String],
        f: &Filters,
    ) -> Result<Vec<t::NatGateway>, ApiError> {
        empty_if_missing(
            call!(
                self,
                "DescribeNatGateways",
                Safety::Idempotent,
                self.client
                    .describe_nat_gateways()
                    .set_nat_gateway_ids(ids(i))
                    .set_filter(filters(f))
            )
            .map(|o| o.nat_gateways().to_vec()),
        )
    }

    async fn create_nat_gateway(&self, n: &NewNatGateway) -> Result<String, ApiError> {
        let o = call!(
            self,
            "CreateNatGateway",
            Safety::Idempotent,
            self.client
                .create_nat_gateway()
                .subnet_id(&n.subnet_id)
                .client_token(&n.client_token)
                .set_connectivity_type(
                    n.connectivity_type
                        .as_deref()
                        .map(t::ConnectivityType::from)
                )
                .set_allocation_id(n.allocation_id.clone())
                .set_private_ip_address(n.private_ip.clone())
                .set_secondary_allocation_ids(ids(&n.secondary_allocation_ids))
                .set_secondary_private_ip_addresses(ids(&n.secondary_private_ip_addresses))
                .set_secondary_private_ip_address_count(n.secondary_private_ip_address_count)
                .set_tag_specifications(tag_spec(t::ResourceType::Natgateway, &n.tags))
        )?;
        o.nat_gateway()
            .and_then(|g| g.nat_gateway_id())
            .map(str::to_string)
            .ok_or_else(|| missing_id("CreateNatGateway"))
    }

    async fn delete_nat_gateway(&self, id: &str) -> Result<(), ApiError> {
        ok_if_missing(
            call!(
                self,
                "DeleteNatGateway",
                Safety::Idempotent,
                self.client.delete_nat_gateway().nat_gateway_id(id)
            )
            .map(|_| ()),
        )
    }

    async fn associate_nat_gateway_addresses(
        &self,
        id: &str,
        allocation_ids: &[String],
    ) -> Result<(), ApiError> {
        call!(
            self,
            "AssociateNatGatewayAddress",
            Safety::Idempotent,
            self.client
                .associate_nat_gateway_address()
                .nat_gateway_id(id)
                .set_allocation_ids(Some(allocation_ids.to_vec()))
        )
        .map(|_| ())
    }

    async fn disassociate_nat_gateway_addresses(
        &self,
        id: &str,
        association_ids: &[String],
    ) -> Result<(), ApiError> {
        call!(
            self,
            "DisassociateNatGatewayAddress",
            Safety::Idempotent,
            self.client
                .disassociate_nat_gateway_address()
                .nat_gateway_id(id)
                .set_association_ids(Some(association_ids.to_vec()))
        )
        .map(|_| ())
    }

    async fn assign_private_nat_gateway_addresses(
        &self,
        id: &str,
        ips: &[String],
        count: Option<i32>,
    ) -> Result<(), ApiError> {
        // By count it is not idempotent: a repeat would assign more addresses.
        let safety = if count.is_some() {
            Safety::NotIdempotent
        } else {
            Safety::Idempotent
        };
        call!(
            self,
            "AssignPrivateNatGatewayAddress",
            safety,
            self.client
                .assign_private_nat_gateway_address()
                .nat_gateway_id(id)
                .set_private_ip_addresses(ids(ips))
                .set_private_ip_address_count(count)
        )
        .map(|_| ())
    }

    async fn unassign_private_nat_gateway_addresses(
        &self,
        id: &str,
        ips: &[String],
    ) -> Result<(), ApiError> {
        call!(
            self,
            "UnassignPrivateNatGatewayAddress",
            Safety::Idempotent,
            self.client
                .unassign_private_nat_gateway_address()
                .nat_gateway_id(id)
                .set_private_ip_addresses(Some(ips.to_vec()))
        )
        .map(|_| ())
    }

    async fn update_rule_descriptions(
        &self,
        group: &str,
        egress: bool,
        perms: Vec<t::IpPermission>,
    ) -> Result<(), ApiError> {
        if egress {
            call!(
                self,
                "UpdateSecurityGroupRuleDescriptionsEgress",
                Safety::Idempotent,
                self.client
                    .update_security_group_rule_descriptions_egress()
                    .group_id(group)
                    .set_ip_permissions(Some(perms.clone()))
            )
            .map(|_| ())
        } else {
            call!(
                self,
                "UpdateSecurityGroupRuleDescriptionsIngress",
                Safety::Idempotent,
                self.client
                    .update_security_group_rule_descriptions_ingress()
                    .group_id(group)
                    .set_ip_permissions(Some(perms.clone()))
            )
            .map(|_| ())
        }
    }

    async fn create_tags(&self, id: &str, tags: &BTreeMap<String, String>) -> Result<(), ApiError> {
        let tags: Vec<t::Tag> = tags
            .iter()
            .map(|(k, v)| t::Tag::builder().key(k).value(v).build())
            .collect();
        call!(
            self,
            "CreateTags",
            Safety::Idempotent,
            self.client
                .create_tags()
                .resources(id)
                .set_tags(Some(tags.clone()))
        )
        .map(|_| ())
    }

    async fn delete_tags(&self, id: &str, keys: &[String]) -> Result<(), ApiError> {
        let tags: Vec<t::Tag> = keys
            .iter()
            .map(|k| t::Tag::builder().key(k).build())
            .collect();
        call!(
            self,
            "DeleteTags",
            Safety::Idempotent,
            self.client
                .delete_tags()
                .resources(id)
                .set_tags(Some(tags.clone()))
        )
        .map(|_| ())
    }
}
