//! The table from Terraform type name to provider, built for one provider configuration.
//! The engine looks types up here and never names a service itself.

use super::config::Clients;
use super::emr_serverless::{sdk::SdkEmrServerless, ApplicationResource};
use super::error::ProviderError;
use super::{DataSourceProvider, ResourceProvider};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Resource and data source providers by type name.
#[derive(Default, Clone)]
pub struct Registry {
    resources: BTreeMap<&'static str, Arc<dyn ResourceProvider>>,
    data_sources: BTreeMap<&'static str, Arc<dyn DataSourceProvider>>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Every supported type, backed by the AWS SDK clients of one provider configuration.
    pub fn aws(clients: &Clients) -> Registry {
        let mut r = Registry::new();
        let tags = clients.default_tags.clone();
        r.add_resource(Arc::new(ApplicationResource::new(
            Arc::new(SdkEmrServerless::new(
                clients.emr_serverless.clone(),
                clients.caller.clone(),
            )),
            tags.clone(),
        )));
        super::iam::register(&mut r, clients);
        super::ec2::register(&mut r, clients);
        super::ecr::register(&mut r, clients);
        super::s3::register(&mut r, clients);
        super::sts::register(&mut r, clients);
        super::emr::register(&mut r, clients);
        super::logs::register(&mut r, clients);
        super::kms::register(&mut r, clients);
        super::builtin::register(&mut r);
        r
    }

    /// Adds (or replaces) a resource provider.
    pub fn add_resource(&mut self, p: Arc<dyn ResourceProvider>) {
        self.resources.insert(p.type_name(), p);
    }

    /// Adds (or replaces) a data source provider.
    pub fn add_data_source(&mut self, p: Arc<dyn DataSourceProvider>) {
        self.data_sources.insert(p.type_name(), p);
    }

    /// The provider of a resource type.
    ///
    /// # Errors
    /// [`ProviderError::Unsupported`] naming the type when none handles it.
    pub fn resource(&self, type_name: &str) -> Result<Arc<dyn ResourceProvider>, ProviderError> {
        self.resources
            .get(type_name)
            .cloned()
            .ok_or_else(|| ProviderError::Unsupported {
                kind: "resource",
                type_name: type_name.to_string(),
            })
    }

    /// The provider of a data source type.
    ///
    /// # Errors
    /// [`ProviderError::Unsupported`] naming the type when none handles it.
    pub fn data_source(
        &self,
        type_name: &str,
    ) -> Result<Arc<dyn DataSourceProvider>, ProviderError> {
        self.data_sources
            .get(type_name)
            .cloned()
            .ok_or_else(|| ProviderError::Unsupported {
                kind: "data source",
                type_name: type_name.to_string(),
            })
    }

    /// Supported resource types.
    pub fn resource_types(&self) -> Vec<&'static str> {
        self.resources.keys().copied().collect()
    }

    /// Supported data source types.
    pub fn data_source_types(&self) -> Vec<&'static str> {
        self.data_sources.keys().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::config::ProviderConfig;

    #[tokio::test]
    async fn every_managed_type_and_data_source_is_registered() {
        let cfg = ProviderConfig {
            region: Some("us-east-1".into()),
            static_credentials: Some(("a".into(), "b".into())),
            ..ProviderConfig::default()
        };
        let r = Registry::aws(&Clients::new(&cfg).await.expect("clients"));
        for t in [
            "aws_emrserverless_application",
            "aws_iam_role",
            "aws_iam_policy",
            "aws_iam_role_policy",
            "aws_iam_role_policy_attachment",
            "aws_vpc",
            "aws_subnet",
            "aws_route_table",
            "aws_route_table_association",
            "aws_vpc_endpoint",
            "aws_security_group",
            "aws_vpc_security_group_ingress_rule",
            "aws_vpc_security_group_egress_rule",
            "aws_ecr_repository",
            "aws_ecr_repository_policy",
            "aws_cloudwatch_log_group",
            "aws_kms_key",
            "aws_kms_alias",
            "aws_ecr_lifecycle_policy",
            "aws_s3_bucket",
            "aws_s3_bucket_versioning",
            "aws_s3_bucket_server_side_encryption_configuration",
            "aws_s3_bucket_public_access_block",
            "aws_s3_bucket_policy",
            "aws_s3_object",
        ] {
            assert_eq!(r.resource(t).map(|p| p.type_name()).ok(), Some(t));
        }
        for t in [
            "aws_iam_policy_document",
            "aws_iam_role",
            "aws_iam_policy",
            "aws_vpc",
            "aws_subnet",
            "aws_subnets",
            "aws_availability_zones",
            "aws_route_table",
            "aws_ecr_repository",
            "aws_ecr_image",
            "aws_caller_identity",
            "aws_region",
            "aws_partition",
            "aws_kms_key",
            "aws_s3_bucket",
        ] {
            assert_eq!(r.data_source(t).map(|p| p.type_name()).ok(), Some(t));
        }
        let err = r.resource("aws_s3_bucket_acl").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("unsupported resource type \"aws_s3_bucket_acl\"")
        );
    }
}
