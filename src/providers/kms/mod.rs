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

/// A KMS API that answers nothing, for planning tests (plans never call AWS).
#[cfg(test)]
pub(crate) mod unused {
    use super::api::*;
    use crate::providers::error::{ApiError, ApiErrorKind};
    use async_trait::async_trait;
    use std::collections::BTreeMap;

    /// Every call fails.
    pub struct NoKms;

    fn no<T>() -> Result<T, ApiError> {
        Err(ApiError::new(
            ApiErrorKind::Other,
            "Unused",
            "planning must not call KMS",
        ))
    }

    #[async_trait]
    impl KmsApi for NoKms {
        async fn describe_key(
            &self,
            _: &str,
            _: &[String],
        ) -> Result<Option<KeyMetadata>, ApiError> {
            no()
        }
        async fn create_key(&self, _: &NewKey) -> Result<KeyMetadata, ApiError> {
            no()
        }
        async fn get_key_policy(&self, _: &str) -> Result<Option<String>, ApiError> {
            no()
        }
        async fn put_key_policy(&self, _: &str, _: &str, _: bool) -> Result<(), ApiError> {
            no()
        }
        async fn get_key_rotation(&self, _: &str) -> Result<Rotation, ApiError> {
            no()
        }
        async fn set_key_rotation(&self, _: &str, _: bool, _: Option<i64>) -> Result<(), ApiError> {
            no()
        }
        async fn set_key_enabled(&self, _: &str, _: bool) -> Result<(), ApiError> {
            no()
        }
        async fn update_key_description(&self, _: &str, _: &str) -> Result<(), ApiError> {
            no()
        }
        async fn schedule_key_deletion(&self, _: &str, _: Option<i64>) -> Result<(), ApiError> {
            no()
        }
        async fn list_tags(&self, _: &str) -> Result<BTreeMap<String, String>, ApiError> {
            no()
        }
        async fn tag_resource(
            &self,
            _: &str,
            _: &BTreeMap<String, String>,
        ) -> Result<(), ApiError> {
            no()
        }
        async fn untag_resource(&self, _: &str, _: &[String]) -> Result<(), ApiError> {
            no()
        }
        async fn list_aliases(&self, _: Option<&str>) -> Result<Vec<Alias>, ApiError> {
            no()
        }
        async fn create_alias(&self, _: &str, _: &str) -> Result<(), ApiError> {
            no()
        }
        async fn update_alias(&self, _: &str, _: &str) -> Result<(), ApiError> {
            no()
        }
        async fn delete_alias(&self, _: &str) -> Result<(), ApiError> {
            no()
        }
    }
}
