//! `aws_caller_identity`, `aws_region`, `aws_partition`.

use super::api::StsApi;
use crate::config::value::Value;
use crate::providers::attrs::{obj, str_of};
use crate::providers::config::{dns_suffix_of, partition_of};
use crate::providers::error::ProviderError;
use crate::providers::{Ctx, DataSourceProvider};
use async_trait::async_trait;
use std::sync::Arc;

/// `aws_caller_identity`: `account_id`, `arn`, `id` (the account id), `user_id`.
pub struct CallerIdentity {
    api: Arc<dyn StsApi>,
}

impl CallerIdentity {
    /// Over an STS API.
    pub fn new(api: Arc<dyn StsApi>) -> CallerIdentity {
        CallerIdentity { api }
    }
}

#[async_trait]
impl DataSourceProvider for CallerIdentity {
    fn type_name(&self) -> &'static str {
        "aws_caller_identity"
    }

    async fn read(&self, ctx: &Ctx, _config: &Value) -> Result<Value, ProviderError> {
        let id = self
            .api
            .get_caller_identity()
            .await
            .map_err(|e| ctx.api("GetCallerIdentity", e))?;
        Ok(Value::Map(obj([
            ("account_id", Value::from(id.account.as_str())),
            ("arn", Value::from(id.arn.as_str())),
            ("id", Value::from(id.account.as_str())),
            ("user_id", Value::from(id.user_id.as_str())),
        ])))
    }
}

/// `aws_region`: the provider's region (or the `name` asked for): `name`, `id`, `region`,
/// `endpoint`, `description`.
pub struct RegionData {
    region: String,
}

impl RegionData {
    /// For the provider's region.
    pub fn new(region: String) -> RegionData {
        RegionData { region }
    }
}

fn region_description(r: &str) -> String {
    let known: &[(&str, &str)] = &[
        ("us-east-1", "US East (N. Virginia)"),
        ("us-east-2", "US East (Ohio)"),
        ("us-west-1", "US West (N. California)"),
        ("us-west-2", "US West (Oregon)"),
        ("eu-west-1", "Europe (Ireland)"),
        ("eu-west-2", "Europe (London)"),
        ("eu-west-3", "Europe (Paris)"),
        ("eu-central-1", "Europe (Frankfurt)"),
        ("eu-north-1", "Europe (Stockholm)"),
        ("ap-northeast-1", "Asia Pacific (Tokyo)"),
        ("ap-northeast-2", "Asia Pacific (Seoul)"),
        ("ap-southeast-1", "Asia Pacific (Singapore)"),
        ("ap-southeast-2", "Asia Pacific (Sydney)"),
        ("ap-south-1", "Asia Pacific (Mumbai)"),
        ("ca-central-1", "Canada (Central)"),
        ("sa-east-1", "South America (Sao Paulo)"),
    ];
    known
        .iter()
        .find(|(k, _)| *k == r)
        .map(|(_, d)| d.to_string())
        .unwrap_or_default()
}

#[async_trait]
impl DataSourceProvider for RegionData {
    fn type_name(&self) -> &'static str {
        "aws_region"
    }

    async fn read(&self, _ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let name = str_of(config, "name")
            .or_else(|| str_of(config, "region"))
            .unwrap_or(&self.region)
            .to_string();
        let partition = partition_of(&name);
        Ok(Value::Map(obj([
            ("id", Value::from(name.as_str())),
            ("name", Value::from(name.as_str())),
            ("region", Value::from(name.as_str())),
            (
                "endpoint",
                Value::from(format!("ec2.{name}.{}", dns_suffix_of(partition))),
            ),
            ("description", Value::from(region_description(&name))),
        ])))
    }
}

/// `aws_partition`: `partition`, `id`, `dns_suffix`, `reverse_dns_prefix`.
pub struct PartitionData {
    region: String,
}

impl PartitionData {
    /// For the provider's region.
    pub fn new(region: String) -> PartitionData {
        PartitionData { region }
    }
}

#[async_trait]
impl DataSourceProvider for PartitionData {
    fn type_name(&self) -> &'static str {
        "aws_partition"
    }

    async fn read(&self, _ctx: &Ctx, _config: &Value) -> Result<Value, ProviderError> {
        let p = partition_of(&self.region);
        let suffix = dns_suffix_of(p);
        let reverse: Vec<&str> = suffix.split('.').rev().collect();
        Ok(Value::Map(obj([
            ("id", Value::from(p)),
            ("partition", Value::from(p)),
            ("dns_suffix", Value::from(suffix)),
            ("reverse_dns_prefix", Value::from(reverse.join("."))),
        ])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn region_and_partition_come_from_the_configuration() {
        let ctx = Ctx::new("data.aws_region.current");
        let r = RegionData::new("eu-west-1".into())
            .read(&ctx, &Value::map::<&str>([]))
            .await
            .expect("region");
        assert_eq!(r.get("name"), Some(&Value::from("eu-west-1")));
        assert_eq!(
            r.get("endpoint"),
            Some(&Value::from("ec2.eu-west-1.amazonaws.com"))
        );
        assert_eq!(r.get("description"), Some(&Value::from("Europe (Ireland)")));
        let p = PartitionData::new("cn-north-1".into())
            .read(&ctx, &Value::Null)
            .await
            .expect("partition");
        assert_eq!(p.get("partition"), Some(&Value::from("aws-cn")));
        assert_eq!(
            p.get("reverse_dns_prefix"),
            Some(&Value::from("cn.com.amazonaws"))
        );
    }
}
