//! ECR: `aws_ecr_repository`, `aws_ecr_repository_policy`, `aws_ecr_lifecycle_policy`, and the
//! `aws_ecr_repository` / `aws_ecr_image` data sources. Owns repository and lifecycle policy
//! set/replace/delete and retrying a policy IAM has not yet propagated. Must not know about the
//! engine or moto.

pub mod api;
pub mod data;
pub mod lifecycle;
pub mod policy;
pub mod repository;
pub mod sdk;

use super::config::Clients;
use super::registry::Registry;
use std::sync::Arc;

/// Registers the ECR types.
pub fn register(r: &mut Registry, clients: &Clients) {
    let api: Arc<dyn api::EcrApi> = Arc::new(sdk::SdkEcr::new(
        clients.ecr.clone(),
        clients.caller.clone(),
    ));
    r.add_resource(Arc::new(repository::RepositoryResource::new(
        api.clone(),
        clients.default_tags.clone(),
    )));
    r.add_resource(Arc::new(policy::RepositoryPolicyResource::new(api.clone())));
    r.add_resource(Arc::new(lifecycle::LifecyclePolicyResource::new(
        api.clone(),
    )));
    r.add_data_source(Arc::new(data::RepositoryData(api.clone())));
    r.add_data_source(Arc::new(data::ImageData(api)));
}
