//! The EMR call the release-label data source needs.

use crate::providers::error::ApiError;
use async_trait::async_trait;

/// `Filters` of ListReleaseLabels.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReleaseLabelFilter {
    /// Only labels starting with this, e.g. `emr-7`.
    pub prefix: Option<String>,
    /// Only labels that include this application, e.g. `spark@3.5.0` or `Spark`.
    pub application: Option<String>,
}

/// EMR.
///
/// # Errors
/// Every method returns AWS's failure classified as an [`ApiError`].
#[async_trait]
pub trait EmrApi: Send + Sync {
    /// ListReleaseLabels, every page, in the order AWS returns them (newest first).
    async fn list_release_labels(
        &self,
        filter: &ReleaseLabelFilter,
    ) -> Result<Vec<String>, ApiError>;
}
