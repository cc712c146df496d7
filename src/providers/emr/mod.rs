//! Amazon EMR (the cluster service) as far as EMR Serverless stacks need it: the
//! `aws_emr_release_labels` data source (ListReleaseLabels), which configurations use to pick the
//! newest release label for an application. Read-only: nothing here changes AWS.

pub mod api;
pub mod data;
pub mod sdk;

use super::config::Clients;
use super::registry::Registry;
use std::sync::Arc;

/// Registers the EMR data sources.
pub fn register(r: &mut Registry, clients: &Clients) {
    let api: Arc<dyn api::EmrApi> = Arc::new(sdk::SdkEmr::new(
        clients.emr.clone(),
        clients.caller.clone(),
    ));
    r.add_data_source(Arc::new(data::ReleaseLabels::new(
        api,
        clients.region.clone(),
    )));
}
