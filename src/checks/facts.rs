//! Live facts the checks read, gathered from AWS by the caller (or left empty offline).

use std::collections::HashMap;

/// An existing subnet.
#[derive(Debug, Clone, PartialEq)]
pub struct SubnetFact {
    /// `subnet-...`
    pub id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// CIDR block.
    pub cidr: String,
    /// AZ name (`us-east-1a`).
    pub availability_zone: String,
    /// AZ id (`use1-az6`).
    pub availability_zone_id: String,
    /// Free addresses now (`AvailableIpAddressCount`: AWS's 5 reserved and other ENIs excluded).
    pub available_ips: u64,
}

/// An EMR Serverless application that exists in the account but is not in this plan.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveApplication {
    /// Application id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its subnets.
    pub subnet_ids: Vec<String>,
    /// Maximum vCPU (`maximumCapacity.cpu`), when set.
    pub max_vcpu: Option<f64>,
    /// Worker vCPU from its initial capacity, when set.
    pub worker_vcpu: Option<f64>,
    /// Engine (`SPARK`/`HIVE`).
    pub engine: String,
}

/// Everything known about the live account.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Existing subnets by id.
    pub subnets: HashMap<String, SubnetFact>,
    /// Applications not managed by this configuration.
    pub other_applications: Vec<LiveApplication>,
    /// The provider's Region.
    pub region: Option<String>,
}
