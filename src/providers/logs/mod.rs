//! CloudWatch Logs: `aws_cloudwatch_log_group` (the group EMR Serverless job logs go to).
//! Owns retention, KMS key association, deletion protection and tags of a group. Must not
//! know about the engine or moto.

pub mod api;
pub mod group;
pub mod sdk;

use super::config::Clients;
use super::registry::Registry;
use std::sync::Arc;

/// Registers the CloudWatch Logs types.
pub fn register(r: &mut Registry, clients: &Clients) {
    let api: Arc<dyn api::LogsApi> = Arc::new(sdk::SdkLogs::new(
        clients.logs.clone(),
        clients.caller.clone(),
    ));
    r.add_resource(Arc::new(group::LogGroupResource::new(
        api,
        clients.default_tags.clone(),
    )));
}
