//! The EC2 calls the network resources need. Unlike the other services this trait passes the
//! SDK's plain data types (`Vpc`, `Subnet`, `IpPermission`, `Route`, ...) instead of copies of
//! them: they are simple data structs with builders, and mapping EC2's wide shapes twice would
//! add nothing. Errors are ours ([`ApiError`]).

use crate::providers::error::ApiError;
use async_trait::async_trait;
use aws_sdk_ec2::types as t;
use std::collections::BTreeMap;

/// A filter `name = values`.
pub type Filters = Vec<(String, Vec<String>)>;

/// A route's destination and target, as the resource configures it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RouteSpec {
    /// IPv4 destination.
    pub cidr_block: Option<String>,
    /// IPv6 destination.
    pub ipv6_cidr_block: Option<String>,
    /// Prefix list destination.
    pub destination_prefix_list_id: Option<String>,
    /// Target attribute (Terraform name, e.g. `gateway_id`) → id.
    pub targets: BTreeMap<String, String>,
}

/// CreateVpcEndpoint input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewEndpoint {
    /// VPC.
    pub vpc_id: String,
    /// e.g. `com.amazonaws.us-east-1.s3`.
    pub service_name: String,
    /// `Gateway` / `Interface` / `GatewayLoadBalancer`.
    pub endpoint_type: String,
    /// Endpoint policy.
    pub policy: Option<String>,
    /// Gateway: route tables.
    pub route_table_ids: Vec<String>,
    /// Interface: subnets.
    pub subnet_ids: Vec<String>,
    /// Interface: security groups.
    pub security_group_ids: Vec<String>,
    /// Interface: private DNS.
    pub private_dns_enabled: Option<bool>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
    /// Idempotency token.
    pub client_token: String,
}

/// AllocateAddress input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewAddress {
    /// `vpc` / `standard`.
    pub domain: Option<String>,
    /// A specific address from a BYOIP pool.
    pub address: Option<String>,
    /// BYOIP pool.
    pub public_ipv4_pool: Option<String>,
    /// Outposts customer-owned pool.
    pub customer_owned_ipv4_pool: Option<String>,
    /// Network border group.
    pub network_border_group: Option<String>,
    /// IPAM pool.
    pub ipam_pool_id: Option<String>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
}

/// CreateNatGateway input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewNatGateway {
    /// Subnet.
    pub subnet_id: String,
    /// `public` / `private`.
    pub connectivity_type: Option<String>,
    /// Elastic IP allocation (public).
    pub allocation_id: Option<String>,
    /// Primary private IP.
    pub private_ip: Option<String>,
    /// Secondary EIP allocations.
    pub secondary_allocation_ids: Vec<String>,
    /// Secondary private IPs.
    pub secondary_private_ip_addresses: Vec<String>,
    /// Number of secondary private IPs to assign.
    pub secondary_private_ip_address_count: Option<i32>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
    /// Idempotency token.
    pub client_token: String,
}

/// EC2.
///
/// # Errors
/// Every method returns AWS's failure classified as an [`ApiError`] (see
/// [`ApiError::from_sdk`](crate::providers::error::ApiError::from_sdk)); lookups return
/// `Ok(None)` rather than a not-found error where their doc says so.
#[async_trait]
pub trait Ec2Api: Send + Sync {
    /// DescribeVpcs.
    async fn describe_vpcs(
        &self,
        ids: &[String],
        filters: &Filters,
    ) -> Result<Vec<t::Vpc>, ApiError>;
    /// DescribeVpcAttribute for one boolean attribute.
    async fn vpc_attribute(
        &self,
        id: &str,
        attr: t::VpcAttributeName,
    ) -> Result<Option<bool>, ApiError>;
    /// CreateVpc; returns the id.
    async fn create_vpc(
        &self,
        cidr: Option<&str>,
        tenancy: Option<&str>,
        ipv6: bool,
        tags: &BTreeMap<String, String>,
    ) -> Result<String, ApiError>;
    /// ModifyVpcAttribute for one boolean attribute.
    async fn modify_vpc_attribute(
        &self,
        id: &str,
        attr: t::VpcAttributeName,
        value: bool,
    ) -> Result<(), ApiError>;
    /// DeleteVpc.
    async fn delete_vpc(&self, id: &str) -> Result<(), ApiError>;
    /// DescribeSubnets.
    async fn describe_subnets(
        &self,
        ids: &[String],
        filters: &Filters,
    ) -> Result<Vec<t::Subnet>, ApiError>;
    /// CreateSubnet; returns the id.
    async fn create_subnet(
        &self,
        vpc: &str,
        cidr: Option<&str>,
        az: Option<&str>,
        az_id: Option<&str>,
        ipv6_cidr: Option<&str>,
        tags: &BTreeMap<String, String>,
    ) -> Result<String, ApiError>;
    /// ModifySubnetAttribute: one attribute (Terraform name) per call.
    async fn modify_subnet_attribute(
        &self,
        id: &str,
        attr: &str,
        value: &str,
    ) -> Result<(), ApiError>;
    /// DeleteSubnet.
    async fn delete_subnet(&self, id: &str) -> Result<(), ApiError>;
    /// DescribeSecurityGroups.
    async fn describe_security_groups(
        &self,
        ids: &[String],
        filters: &Filters,
    ) -> Result<Vec<t::SecurityGroup>, ApiError>;
    /// CreateSecurityGroup; returns the id.
    async fn create_security_group(
        &self,
        name: &str,
        description: &str,
        vpc: Option<&str>,
        tags: &BTreeMap<String, String>,
    ) -> Result<String, ApiError>;
    /// AuthorizeSecurityGroupIngress/Egress; returns the created rules.
    async fn authorize(
        &self,
        group: &str,
        egress: bool,
        perms: Vec<t::IpPermission>,
        tags: &BTreeMap<String, String>,
    ) -> Result<Vec<t::SecurityGroupRule>, ApiError>;
    /// RevokeSecurityGroupIngress/Egress.
    async fn revoke(
        &self,
        group: &str,
        egress: bool,
        perms: Vec<t::IpPermission>,
    ) -> Result<(), ApiError>;
    /// RevokeSecurityGroupIngress/Egress by rule id.
    async fn revoke_rule(&self, group: &str, egress: bool, rule_id: &str) -> Result<(), ApiError>;
    /// DescribeSecurityGroupRules.
    async fn describe_security_group_rules(
        &self,
        ids: &[String],
        filters: &Filters,
    ) -> Result<Vec<t::SecurityGroupRule>, ApiError>;
    /// ModifySecurityGroupRules for one rule.
    async fn modify_security_group_rule(
        &self,
        group: &str,
        rule_id: &str,
        rule: t::SecurityGroupRuleRequest,
    ) -> Result<(), ApiError>;
    /// DeleteSecurityGroup.
    async fn delete_security_group(&self, id: &str) -> Result<(), ApiError>;
    /// DescribeRouteTables.
    async fn describe_route_tables(
        &self,
        ids: &[String],
        filters: &Filters,
    ) -> Result<Vec<t::RouteTable>, ApiError>;
    /// CreateRouteTable (with a client token); returns the id.
    async fn create_route_table(
        &self,
        vpc: &str,
        tags: &BTreeMap<String, String>,
        client_token: &str,
    ) -> Result<String, ApiError>;
    /// CreateRoute.
    async fn create_route(&self, table: &str, route: &RouteSpec) -> Result<(), ApiError>;
    /// ReplaceRoute.
    async fn replace_route(&self, table: &str, route: &RouteSpec) -> Result<(), ApiError>;
    /// DeleteRoute.
    async fn delete_route(&self, table: &str, route: &RouteSpec) -> Result<(), ApiError>;
    /// DeleteRouteTable.
    async fn delete_route_table(&self, id: &str) -> Result<(), ApiError>;
    /// AssociateRouteTable; returns the association id.
    async fn associate_route_table(
        &self,
        table: &str,
        subnet: Option<&str>,
        gateway: Option<&str>,
    ) -> Result<String, ApiError>;
    /// ReplaceRouteTableAssociation; returns the new association id.
    async fn replace_route_table_association(
        &self,
        association: &str,
        table: &str,
    ) -> Result<String, ApiError>;
    /// DisassociateRouteTable.
    async fn disassociate_route_table(&self, association: &str) -> Result<(), ApiError>;
    /// DescribeVpcEndpoints.
    async fn describe_vpc_endpoints(&self, ids: &[String])
        -> Result<Vec<t::VpcEndpoint>, ApiError>;
    /// CreateVpcEndpoint; returns the id.
    async fn create_vpc_endpoint(&self, e: &NewEndpoint) -> Result<String, ApiError>;
    /// ModifyVpcEndpoint.
    async fn modify_vpc_endpoint(&self, id: &str, change: ModifyEndpoint) -> Result<(), ApiError>;
    /// DeleteVpcEndpoints.
    async fn delete_vpc_endpoint(&self, id: &str) -> Result<(), ApiError>;
    /// DescribeAvailabilityZones.
    async fn describe_availability_zones(
        &self,
        all: bool,
        filters: &Filters,
    ) -> Result<Vec<t::AvailabilityZone>, ApiError>;
    /// DescribeInternetGateways.
    async fn describe_internet_gateways(
        &self,
        ids: &[String],
        filters: &Filters,
    ) -> Result<Vec<t::InternetGateway>, ApiError>;
    /// CreateInternetGateway; returns the id.
    async fn create_internet_gateway(
        &self,
        tags: &BTreeMap<String, String>,
    ) -> Result<String, ApiError>;
    /// AttachInternetGateway.
    async fn attach_internet_gateway(&self, id: &str, vpc: &str) -> Result<(), ApiError>;
    /// DetachInternetGateway (not attached counts as detached).
    async fn detach_internet_gateway(&self, id: &str, vpc: &str) -> Result<(), ApiError>;
    /// DeleteInternetGateway.
    async fn delete_internet_gateway(&self, id: &str) -> Result<(), ApiError>;
    /// DescribeAddresses by allocation id.
    async fn describe_addresses(
        &self,
        allocation_ids: &[String],
        filters: &Filters,
    ) -> Result<Vec<t::Address>, ApiError>;
    /// DescribeAddressesAttribute (`domain-name`): the reverse DNS record, without the final
    /// dot; `None` when there is none.
    async fn address_ptr_record(&self, allocation_id: &str) -> Result<Option<String>, ApiError>;
    /// AllocateAddress; returns the allocation id.
    async fn allocate_address(&self, a: &NewAddress) -> Result<String, ApiError>;
    /// AssociateAddress with an instance or a network interface; returns the association id.
    async fn associate_address(
        &self,
        allocation_id: &str,
        instance: Option<&str>,
        network_interface: Option<&str>,
        private_ip: Option<&str>,
    ) -> Result<String, ApiError>;
    /// DisassociateAddress (already gone counts as done).
    async fn disassociate_address(&self, association_id: &str) -> Result<(), ApiError>;
    /// ReleaseAddress (already gone counts as released).
    async fn release_address(
        &self,
        allocation_id: &str,
        network_border_group: Option<&str>,
    ) -> Result<(), ApiError>;
    /// DescribeNatGateways.
    async fn describe_nat_gateways(
        &self,
        ids: &[String],
        filters: &Filters,
    ) -> Result<Vec<t::NatGateway>, ApiError>;
    /// CreateNatGateway (with a client token); returns the id.
    async fn create_nat_gateway(&self, n: &NewNatGateway) -> Result<String, ApiError>;
    /// DeleteNatGateway (already gone counts as deleted).
    async fn delete_nat_gateway(&self, id: &str) -> Result<(), ApiError>;
    /// AssociateNatGatewayAddress: secondary EIPs (public NAT gateways).
    async fn associate_nat_gateway_addresses(
        &self,
        id: &str,
        allocation_ids: &[String],
    ) -> Result<(), ApiError>;
    /// DisassociateNatGatewayAddress by association ids.
    async fn disassociate_nat_gateway_addresses(
        &self,
        id: &str,
        association_ids: &[String],
    ) -> Result<(), ApiError>;
    /// AssignPrivateNatGatewayAddress: secondary private IPs (by list or by count).
    async fn assign_private_nat_gateway_addresses(
        &self,
        id: &str,
        ips: &[String],
        count: Option<i32>,
    ) -> Result<(), ApiError>;
    /// UnassignPrivateNatGatewayAddress.
    async fn unassign_private_nat_gateway_addresses(
        &self,
        id: &str,
        ips: &[String],
    ) -> Result<(), ApiError>;
    /// UpdateSecurityGroupRuleDescriptionsIngress/Egress.
    async fn update_rule_descriptions(
        &self,
        group: &str,
        egress: bool,
        perms: Vec<t::IpPermission>,
    ) -> Result<(), ApiError>;
    /// CreateTags.
    async fn create_tags(&self, id: &str, tags: &BTreeMap<String, String>) -> Result<(), ApiError>;
    /// DeleteTags.
    async fn delete_tags(&self, id: &str, keys: &[String]) -> Result<(), ApiError>;
}

/// ModifyVpcEndpoint input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModifyEndpoint {
    /// New policy, or reset when `Some(None)`.
    pub policy: Option<Option<String>>,
    /// Route tables to add / remove.
    pub add_route_tables: Vec<String>,
    /// .
    pub remove_route_tables: Vec<String>,
    /// Subnets to add / remove.
    pub add_subnets: Vec<String>,
    /// .
    pub remove_subnets: Vec<String>,
    /// Security groups to add / remove.
    pub add_security_groups: Vec<String>,
    /// .
    pub remove_security_groups: Vec<String>,
    /// Private DNS.
    pub private_dns_enabled: Option<bool>,
}
