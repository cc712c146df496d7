//! [`EmrApi`] over `aws-sdk-emr`.

use super::api::{EmrApi, ReleaseLabelFilter};
use crate::providers::error::ApiError;
use crate::providers::retry::{Caller, Safety};
use async_trait::async_trait;
use std::sync::Arc;

/// SDK implementation.
#[derive(Debug, Clone)]
pub struct SdkEmr {
    client: aws_sdk_emr::Client,
    caller: Arc<Caller>,
}

impl SdkEmr {
    /// Wraps a client.
    pub fn new(client: aws_sdk_emr::Client, caller: Arc<Caller>) -> SdkEmr {
        SdkEmr { client, caller }
    }
}

#[async_trait]
impl EmrApi for SdkEmr {
    async fn list_release_labels(
        &self,
        filter: &ReleaseLabelFilter,
    ) -> Result<Vec<String>, ApiError> {
        let filters = (filter.prefix.is_some() || filter.application.is_some()).then(|| {
            aws_sdk_emr::types::ReleaseLabelFilter::builder()
                .set_prefix(filter.prefix.clone())
                .set_application(filter.application.clone())
                .build()
        });
        let mut labels = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = self
                .caller
                .call("emr", "ListReleaseLabels", Safety::Idempotent, || async {
                    self.client
                        .list_release_labels()
                        .set_filters(filters.clone())
                        .set_next_token(token.clone())
                        .send()
                        .await
                        .map_err(ApiError::from_sdk)
                })
                .await?;
            labels.extend(out.release_labels().iter().cloned());
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => break,
            }
        }
        Ok(labels)
    }
}
