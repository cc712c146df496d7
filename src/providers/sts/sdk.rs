//! [`StsApi`] over `aws-sdk-sts`.

use super::api::{CallerIdentity, StsApi};
use crate::providers::error::ApiError;
use crate::providers::retry::{Caller, Safety};
use async_trait::async_trait;
use std::sync::Arc;

/// SDK implementation.
#[derive(Debug, Clone)]
pub struct SdkSts {
    client: aws_sdk_sts::Client,
    caller: Arc<Caller>,
}

impl SdkSts {
    /// Wraps a client.
    pub fn new(client: aws_sdk_sts::Client, caller: Arc<Caller>) -> SdkSts {
        SdkSts { client, caller }
    }
}

#[async_trait]
impl StsApi for SdkSts {
    async fn get_caller_identity(&self) -> Result<CallerIdentity, ApiError> {
        let out = self
            .caller
            .call("sts", "GetCallerIdentity", Safety::Idempotent, || async {
                self.client
                    .get_caller_identity()
                    .send()
                    .await
                    .map_err(ApiError::from_sdk)
            })
            .await?;
        Ok(CallerIdentity {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
            user_id: out.user_id().unwrap_or_default().to_string(),
        })
    }
}
