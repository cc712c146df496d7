//! AWS clients for one `provider "aws"` configuration: the standard AWS configuration chain
//! (environment, shared profiles, SSO, web identity, IMDS) plus the block's `region`, `profile`,
//! `assume_role`, `endpoints {}` and `default_tags {}`. `AWS_ENDPOINT_URL` and
//! `AWS_ENDPOINT_URL_<SERVICE>` are honoured by the chain itself; an `endpoints {}` entry wins
//! over them.

use super::error::ProviderError;
use super::retry::{documented_rates, Caller, RetryPolicy};
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// `assume_role { role_arn, session_name, external_id }` of the provider block.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssumeRole {
    /// The role to assume.
    pub role_arn: String,
    /// The session name; `emrform` when empty.
    pub session_name: Option<String>,
    /// The external id the role's trust policy asks for.
    pub external_id: Option<String>,
}

/// The settings of one `provider "aws"` block (or its alias), as evaluated by the engine.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProviderConfig {
    /// `region`; the chain's region (`AWS_REGION`, profile) when `None`.
    pub region: Option<String>,
    /// `profile`; the chain's profile when `None`.
    pub profile: Option<String>,
    /// `assume_role {}`.
    pub assume_role: Option<AssumeRole>,
    /// `endpoints {}`: service key as the AWS provider spells it (`emrserverless`, `iam`,
    /// `ec2`, `ecr`, `sts`, `emr`, `s3`, `dynamodb`, `kms`, `logs`) → URL.
    pub endpoints: BTreeMap<String, String>,
    /// `default_tags { tags = {...} }`: merged under every taggable resource's `tags`.
    pub default_tags: BTreeMap<String, String>,
    /// `max_retries`: attempts for retryable failures; 10 when `None`.
    pub max_retries: Option<u32>,
    /// Static credentials for tests (`access_key`/`secret_key`); the chain when `None`.
    pub static_credentials: Option<(String, String)>,
    /// Time limit of one attempt of one call; 60 s when `None`. An attempt over the limit
    /// fails as a network error and is retried when the call is safe to retry.
    pub attempt_timeout: Option<Duration>,
}

/// Per-attempt timeouts (an attempt that takes longer fails as a network error and is retried
/// when the call is safe to retry).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

/// The AWS clients and shared call machinery for one provider configuration.
#[derive(Debug, Clone)]
pub struct Clients {
    /// EMR Serverless.
    pub emr_serverless: aws_sdk_emrserverless::Client,
    /// IAM.
    pub iam: aws_sdk_iam::Client,
    /// EC2.
    pub ec2: aws_sdk_ec2::Client,
    /// ECR.
    pub ecr: aws_sdk_ecr::Client,
    /// STS.
    pub sts: aws_sdk_sts::Client,
    /// EMR (release labels).
    pub emr: aws_sdk_emr::Client,
    /// S3 (path-style addressing when an endpoint is overridden).
    pub s3: aws_sdk_s3::Client,
    /// DynamoDB.
    pub dynamodb: aws_sdk_dynamodb::Client,
    /// KMS.
    pub kms: aws_sdk_kms::Client,
    /// CloudWatch Logs.
    pub logs: aws_sdk_cloudwatchlogs::Client,
    /// The resolved region.
    pub region: String,
    /// Rate limiter and retry loop shared by every call made with these clients.
    pub caller: Arc<Caller>,
    /// `default_tags`.
    pub default_tags: BTreeMap<String, String>,
}

impl Clients {
    /// Builds clients from the standard chain plus `cfg`.
    ///
    /// # Errors
    /// [`ProviderError::Config`] when no region can be found or the assumed role cannot be set up.
    pub async fn new(cfg: &ProviderConfig) -> Result<Clients, ProviderError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            // Our own retry loop decides what is safe to retry (retry.rs).
            .retry_config(RetryConfig::disabled())
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(CONNECT_TIMEOUT)
                    .operation_attempt_timeout(cfg.attempt_timeout.unwrap_or(ATTEMPT_TIMEOUT))
                    .build(),
            );
        if let Some(region) = &cfg.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(profile) = &cfg.profile {
            loader = loader.profile_name(profile);
        }
        if let Some((key, secret)) = &cfg.static_credentials {
            loader = loader.credentials_provider(aws_sdk_sts::config::Credentials::new(
                key,
                secret,
                None,
                None,
                "provider-block",
            ));
        }
        let mut sdk = loader.load().await;
        let region = sdk.region().map(|r| r.to_string()).ok_or_else(|| {
            ProviderError::Config(
                "no AWS region: set `region` in the provider block or AWS_REGION".into(),
            )
        })?;
        if let Some(ar) = &cfg.assume_role {
            let mut b = aws_config::sts::AssumeRoleProvider::builder(ar.role_arn.clone())
                .session_name(ar.session_name.clone().unwrap_or_else(|| "emrform".into()))
                .configure(&sdk);
            if let Some(id) = &ar.external_id {
                b = b.external_id(id.clone());
            }
            let provider = b.build().await;
            sdk = sdk
                .into_builder()
                .credentials_provider(aws_sdk_sts::config::SharedCredentialsProvider::new(
                    provider,
                ))
                .build();
        }
        let ep = |key: &str| cfg.endpoints.get(key).cloned();
        let emr_serverless = {
            let mut b = aws_sdk_emrserverless::config::Builder::from(&sdk);
            if let Some(u) = ep("emrserverless") {
                b = b.endpoint_url(u);
            }
            aws_sdk_emrserverless::Client::from_conf(b.build())
        };
        let iam = {
            let mut b = aws_sdk_iam::config::Builder::from(&sdk);
            if let Some(u) = ep("iam") {
                b = b.endpoint_url(u);
            }
            aws_sdk_iam::Client::from_conf(b.build())
        };
        let ec2 = {
            let mut b = aws_sdk_ec2::config::Builder::from(&sdk);
            if let Some(u) = ep("ec2") {
                b = b.endpoint_url(u);
            }
            aws_sdk_ec2::Client::from_conf(b.build())
        };
        let ecr = {
            let mut b = aws_sdk_ecr::config::Builder::from(&sdk);
            if let Some(u) = ep("ecr") {
                b = b.endpoint_url(u);
            }
            aws_sdk_ecr::Client::from_conf(b.build())
        };
        let sts = {
            let mut b = aws_sdk_sts::config::Builder::from(&sdk);
            if let Some(u) = ep("sts") {
                b = b.endpoint_url(u);
            }
            aws_sdk_sts::Client::from_conf(b.build())
        };
        let emr = {
            let mut b = aws_sdk_emr::config::Builder::from(&sdk);
            if let Some(u) = ep("emr") {
                b = b.endpoint_url(u);
            }
            aws_sdk_emr::Client::from_conf(b.build())
        };
        let s3 = {
            let mut b = aws_sdk_s3::config::Builder::from(&sdk);
            let custom = ep("s3");
            // Path-style addressing whenever the endpoint is not AWS's own (moto, MinIO).
            if custom.is_some() || sdk.endpoint_url().is_some() {
                b = b.force_path_style(true);
            }
            if let Some(u) = custom {
                b = b.endpoint_url(u);
            }
            aws_sdk_s3::Client::from_conf(b.build())
        };
        let dynamodb = {
            let mut b = aws_sdk_dynamodb::config::Builder::from(&sdk);
            if let Some(u) = ep("dynamodb") {
                b = b.endpoint_url(u);
            }
            aws_sdk_dynamodb::Client::from_conf(b.build())
        };
        let kms = {
            let mut b = aws_sdk_kms::config::Builder::from(&sdk);
            if let Some(u) = ep("kms") {
                b = b.endpoint_url(u);
            }
            aws_sdk_kms::Client::from_conf(b.build())
        };
        let logs = {
            let mut b = aws_sdk_cloudwatchlogs::config::Builder::from(&sdk);
            if let Some(u) = logs_endpoint(&cfg.endpoints) {
                b = b.endpoint_url(u);
            }
            aws_sdk_cloudwatchlogs::Client::from_conf(b.build())
        };
        let policy = RetryPolicy {
            max_attempts: cfg
                .max_retries
                .unwrap_or(RetryPolicy::default().max_attempts),
            ..RetryPolicy::default()
        };
        Ok(Clients {
            emr_serverless,
            iam,
            ec2,
            ecr,
            sts,
            emr,
            s3,
            dynamodb,
            kms,
            logs,
            region,
            caller: Arc::new(Caller::new(policy, documented_rates)),
            default_tags: cfg.default_tags.clone(),
        })
    }
}

/// The CloudWatch Logs endpoint: `endpoints { logs }`, or the older keys the AWS provider
/// still accepts for it (`cloudwatchlogs`, `cloudwatchlog`).
fn logs_endpoint(endpoints: &BTreeMap<String, String>) -> Option<String> {
    ["logs", "cloudwatchlogs", "cloudwatchlog"]
        .iter()
        .find_map(|k| endpoints.get(*k).cloned())
}

/// The partition of a region (`aws`, `aws-cn`, `aws-us-gov`, ...).
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("eu-isoe-") {
        "aws-iso-e"
    } else if region.starts_with("us-isof-") {
        "aws-iso-f"
    } else {
        "aws"
    }
}

/// The DNS suffix of a partition.
pub fn dns_suffix_of(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "amazonaws.com.cn",
        "aws-iso" => "c2s.ic.gov",
        "aws-iso-b" => "sc2s.sgov.gov",
        "aws-iso-e" => "cloud.adc-e.uk",
        "aws-iso-f" => "csp.hci.ic.gov",
        _ => "amazonaws.com",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_follow_region_prefixes() {
        assert_eq!(partition_of("us-east-1"), "aws");
        assert_eq!(partition_of("cn-north-1"), "aws-cn");
        assert_eq!(partition_of("us-gov-west-1"), "aws-us-gov");
        assert_eq!(dns_suffix_of("aws-cn"), "amazonaws.com.cn");
    }

    #[tokio::test]
    async fn provider_block_region_and_endpoints_win() {
        let cfg = ProviderConfig {
            region: Some("eu-west-1".into()),
            endpoints: [("iam".to_string(), "http://127.0.0.1:9".to_string())].into(),
            static_credentials: Some(("a".into(), "b".into())),
            ..ProviderConfig::default()
        };
        let c = Clients::new(&cfg).await.expect("clients");
        assert_eq!(c.region, "eu-west-1");
        assert_eq!(
            c.iam.config().region().map(|r| r.to_string()).as_deref(),
            Some("eu-west-1")
        );
    }

    #[test]
    fn logs_endpoint_takes_the_older_keys_too() {
        let eps = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            logs_endpoint(&eps(&[
                ("cloudwatchlogs", "http://a"),
                ("logs", "http://b")
            ])),
            Some("http://b".to_string())
        );
        assert_eq!(
            logs_endpoint(&eps(&[("cloudwatchlog", "http://c")])),
            Some("http://c".to_string())
        );
        assert_eq!(logs_endpoint(&eps(&[("kms", "http://d")])), None);
    }
}
