//! KMS: `aws_kms_key`, `aws_kms_alias` and the `aws_kms_key` data source. Owns key policy,
//! rotation, enabled state, scheduled deletion and aliases. Must not know about the engine or
//! moto.

pub mod alias;
pub mod api;
pub mod data;
pub mod key;
pub mod sdk;

use super::config::Clients;
use super::registry::Registry;
use std::sync::Arc;

/// Registers the KMS types.
pub fn register(r: &mut Registry, clients: &Clients) {
    let api: Arc<dyn api::KmsApi> = Arc::new(sdk::SdkKms::new(
        clients.kms.clone(),
        clients.caller.clone(),
    ));
    r.add_resource(Arc::new(key::KeyResource::new(
        api.clone(),
        clients.default_tags.clone(),
    )));
    r.add_resource(Arc::new(alias::AliasResource::new(api.clone())));
    r.add_data_source(Arc::new(data::KeyData(api)));
}
