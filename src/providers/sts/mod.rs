//! Account data sources: `aws_caller_identity` (STS GetCallerIdentity), `aws_region` and
//! `aws_partition` (from the provider configuration). Read-only: nothing here changes AWS.

pub mod api;
pub mod data;
pub mod sdk;

use super::config::Clients;
use super::registry::Registry;
use std::sync::Arc;

/// Registers the account data sources.
pub fn register(r: &mut Registry, clients: &Clients) {
    let api: Arc<dyn api::StsApi> = Arc::new(sdk::SdkSts::new(
        clients.sts.clone(),
        clients.caller.clone(),
    ));
    r.add_data_source(Arc::new(data::CallerIdentity::new(api)));
    r.add_data_source(Arc::new(data::RegionData::new(clients.region.clone())));
    r.add_data_source(Arc::new(data::PartitionData::new(clients.region.clone())));
}
