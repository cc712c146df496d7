//! The cloud the commands plan against: the AWS providers behind the engine's `Cloud` trait.

use crate::addrs::ResourceInstanceAddr;
use crate::config::value::Value;
use crate::plan::planner::{ApplyError, Cloud, CloudError};
use crate::plan::ApiOp;
use std::sync::Arc;

/// Builds the cloud for the root module's provider configurations.
///
/// # Errors
/// When the AWS configuration cannot be loaded.
pub async fn build(
    _providers: &indexmap::IndexMap<String, Value>,
) -> anyhow::Result<Arc<dyn Cloud>> {
    Ok(Arc::new(Unavailable))
}

/// A cloud for builds without AWS providers: every call fails with a clear message.
pub struct Unavailable;

fn unavailable(addr: &ResourceInstanceAddr, op: &str) -> String {
    format!("{op} {addr}: the AWS providers are not available in this build")
}

#[async_trait::async_trait]
impl Cloud for Unavailable {
    async fn read(
        &self,
        _: &str,
        addr: &ResourceInstanceAddr,
        _: &Value,
    ) -> Result<Option<Value>, CloudError> {
        Err(CloudError {
            address: addr.to_string(),
            operation: "read".into(),
            message: unavailable(addr, "read"),
        })
    }
    async fn read_data(
        &self,
        _: &str,
        addr: &ResourceInstanceAddr,
        _: &Value,
    ) -> Result<Value, CloudError> {
        Err(CloudError {
            address: addr.to_string(),
            operation: "read data source".into(),
            message: unavailable(addr, "read"),
        })
    }
    async fn create(
        &self,
        _: &str,
        addr: &ResourceInstanceAddr,
        _: &Value,
    ) -> Result<Value, ApplyError> {
        Err(ApplyError {
            address: addr.to_string(),
            operation: "create".into(),
            message: unavailable(addr, "create"),
            partial: None,
        })
    }
    async fn update(
        &self,
        _: &str,
        addr: &ResourceInstanceAddr,
        _: &Value,
        _: &Value,
        _: &[ApiOp],
    ) -> Result<Value, ApplyError> {
        Err(ApplyError {
            address: addr.to_string(),
            operation: "update".into(),
            message: unavailable(addr, "update"),
            partial: None,
        })
    }
    async fn delete(
        &self,
        _: &str,
        addr: &ResourceInstanceAddr,
        _: &Value,
    ) -> Result<(), ApplyError> {
        Err(ApplyError {
            address: addr.to_string(),
            operation: "delete".into(),
            message: unavailable(addr, "delete"),
            partial: None,
        })
    }
    async fn import(
        &self,
        _: &str,
        addr: &ResourceInstanceAddr,
        _: &str,
    ) -> Result<Option<Value>, CloudError> {
        Err(CloudError {
            address: addr.to_string(),
            operation: "import".into(),
            message: unavailable(addr, "import"),
        })
    }
}
