//! Placeholder until the policy document renderer lands: renders nothing.

use crate::config::value::Value;

/// Renders an `aws_iam_policy_document` configuration to JSON.
///
/// # Errors
/// Always, until the renderer lands.
pub fn render(_config: &Value) -> Result<String, String> {
    Err("not yet supported".into())
}

/// The data source's `id`: a hash of the JSON.
pub fn document_id(json: &str) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(json.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
