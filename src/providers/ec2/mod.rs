//! EC2 network resources: `aws_vpc`, `aws_subnet`, `aws_security_group` (with inline
//! `ingress`/`egress`), `aws_vpc_security_group_ingress_rule`/`_egress_rule`,
//! `aws_route_table`, `aws_route_table_association`, `aws_vpc_endpoint`, and the data sources
//! `aws_vpc`, `aws_subnet`, `aws_subnets`, `aws_availability_zones`, `aws_route_table`.
//! Owns EC2's conventions (tags through CreateTags/DeleteTags, removing AWS's default
//! allow-all egress rule from new security groups, waiting out DependencyViolation on delete).
//! Must not know about the engine or moto.

pub mod api;
pub mod sdk;

use super::config::Clients;
use super::registry::Registry;

/// Registers the EC2 types.
pub fn register(_r: &mut Registry, _clients: &Clients) {}
