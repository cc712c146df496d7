//! The STS call the account data sources need.

use crate::providers::error::ApiError;
use async_trait::async_trait;

/// Who the credentials belong to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallerIdentity {
    /// 12-digit account id.
    pub account: String,
    /// Caller ARN.
    pub arn: String,
    /// Caller's unique id.
    pub user_id: String,
}

/// STS.
///
/// # Errors
/// Every method returns AWS's failure classified as an [`ApiError`] (see
/// [`ApiError::from_sdk`](crate::providers::error::ApiError::from_sdk)); lookups return
/// `Ok(None)` rather than a not-found error where their doc says so.
#[async_trait]
pub trait StsApi: Send + Sync {
    /// GetCallerIdentity.
    async fn get_caller_identity(&self) -> Result<CallerIdentity, ApiError>;
}
