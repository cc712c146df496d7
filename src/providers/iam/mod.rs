//! IAM: `aws_iam_role`, `aws_iam_policy`, `aws_iam_role_policy`,
//! `aws_iam_role_policy_attachment`, `aws_iam_policy_attachment` (exclusive),
//! `aws_iam_instance_profile`, and the `aws_iam_role` / `aws_iam_policy` /
//! `aws_iam_policy_document` data sources. Owns IAM's eventual consistency (retrying calls that
//! fail only because a just-created principal or policy has not propagated), policy version
//! rotation and the detach-before-delete order. Must not know about the engine or about moto.

pub mod api;
pub mod attachment;
pub mod data;
pub mod instance_profile;
pub mod policy;
pub mod policy_attachment;
pub mod policy_document;
pub mod role;
pub mod role_policy;
pub mod sdk;

use super::config::Clients;
use super::error::{ApiError, ApiErrorKind, ProviderError};
use super::registry::Registry;
use super::Ctx;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long to keep retrying an IAM propagation error (the AWS provider uses 2 minutes).
pub const PROPAGATION_TIMEOUT: Duration = Duration::from_secs(120);

/// Registers the IAM types.
pub fn register(r: &mut Registry, clients: &Clients) {
    let api: Arc<dyn api::IamApi> = Arc::new(sdk::SdkIam::new(
        clients.iam.clone(),
        clients.caller.clone(),
    ));
    let tags = clients.default_tags.clone();
    r.add_resource(Arc::new(role::RoleResource::new(api.clone(), tags.clone())));
    r.add_resource(Arc::new(policy::PolicyResource::new(api.clone(), tags)));
    r.add_resource(Arc::new(role_policy::RolePolicyResource::new(api.clone())));
    r.add_resource(Arc::new(attachment::AttachmentResource::new(api.clone())));
    r.add_resource(Arc::new(policy_attachment::PolicyAttachmentResource::new(
        api.clone(),
    )));
    r.add_resource(Arc::new(instance_profile::InstanceProfileResource::new(
        api.clone(),
        clients.default_tags.clone(),
    )));
    r.add_data_source(Arc::new(data::RoleData::new(api.clone())));
    r.add_data_source(Arc::new(data::PolicyData::new(api)));
    r.add_data_source(Arc::new(policy_document::PolicyDocumentData));
}

/// True for errors IAM gives while a just-created principal or policy propagates.
pub fn is_propagation_error(e: &ApiError) -> bool {
    let m = e.message.to_ascii_lowercase();
    (e.has_code("MalformedPolicyDocument") && m.contains("invalid principal"))
        || (e.kind == ApiErrorKind::NotFound && m.contains("policy"))
        || m.contains("role cannot be assumed")
        || m.contains("invalid repository policy")
}

/// Runs `f`, retrying propagation errors until [`PROPAGATION_TIMEOUT`].
///
/// # Errors
/// The call's error wrapped with the address and operation.
pub async fn with_propagation_retry<T, F, Fut>(
    ctx: &Ctx,
    operation: &'static str,
    mut f: F,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let start = Instant::now();
    loop {
        match f().await {
            Ok(v) => return Ok(v),
            Err(e) if is_propagation_error(&e) && start.elapsed() < PROPAGATION_TIMEOUT => {
                tokio::time::sleep(ctx.poll_interval.max(Duration::from_millis(50))).await;
            }
            Err(e) => return Err(ctx.api(operation, e)),
        }
    }
}

/// Runs a create that has no client token; after an ambiguous failure (5xx, dropped
/// connection) it looks the object up with `probe` before trying again, so a create that did
/// happen is adopted rather than repeated.
///
/// # Errors
/// The create's error when it fails for good.
pub async fn create_or_adopt<T, C, CF, P, PF>(
    ctx: &Ctx,
    operation: &'static str,
    mut create: C,
    mut probe: P,
) -> Result<T, ProviderError>
where
    C: FnMut() -> CF,
    CF: Future<Output = Result<T, ApiError>>,
    P: FnMut() -> PF,
    PF: Future<Output = Result<Option<T>, ApiError>>,
{
    let start = Instant::now();
    let mut ambiguous = 0;
    loop {
        match create().await {
            Ok(v) => return Ok(v),
            Err(e)
                if matches!(e.kind, ApiErrorKind::Unavailable | ApiErrorKind::Network)
                    && ambiguous < 8 =>
            {
                ambiguous += 1;
                tokio::time::sleep(Duration::from_millis(100 * ambiguous)).await;
                if let Some(v) = probe().await.map_err(|pe| ctx.api(operation, pe))? {
                    return Ok(v);
                }
            }
            Err(e) if ambiguous > 0 && e.kind == ApiErrorKind::Conflict => {
                // An earlier ambiguous attempt did create it.
                if let Some(v) = probe().await.map_err(|pe| ctx.api(operation, pe))? {
                    return Ok(v);
                }
                return Err(ctx.api(operation, e));
            }
            Err(e) if is_propagation_error(&e) && start.elapsed() < PROPAGATION_TIMEOUT => {
                tokio::time::sleep(ctx.poll_interval.max(Duration::from_millis(50))).await;
            }
            Err(e) => return Err(ctx.api(operation, e)),
        }
    }
}
