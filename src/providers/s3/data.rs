//! `data "aws_s3_bucket"`: a bucket by name, with its region (where it really is), ARN, domain
//! names, hosted zone and website endpoint. A missing bucket is an error, as in the AWS provider.

use super::{
    bucket_arn, bucket_domain_name, bucket_regional_domain_name, hosted_zone_id, website_domain, S3,
};
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::{ApiError, ApiErrorKind, ProviderError};
use crate::providers::{Ctx, DataSourceProvider};
use async_trait::async_trait;

/// `data "aws_s3_bucket"`.
pub struct BucketData(pub S3);

#[async_trait]
impl DataSourceProvider for BucketData {
    fn type_name(&self) -> &'static str {
        "aws_s3_bucket"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let name = str_of(config, "bucket").ok_or_else(|| ctx.invalid("bucket is required"))?;
        let api = &self.0.api;
        let region = api
            .head_bucket(name)
            .await
            .map_err(|e| ctx.api("HeadBucket", e))?
            .ok_or_else(|| {
                ctx.api(
                    "HeadBucket",
                    ApiError::new(
                        ApiErrorKind::NotFound,
                        "NotFound",
                        format!("S3 bucket {name} not found"),
                    ),
                )
            })?;
        let website = api
            .get_bucket_website(name)
            .await
            .map_err(|e| ctx.api("GetBucketWebsite", e))?;
        let domain = website.map(|_| website_domain(&region));
        Ok(Value::Map(obj([
            ("arn", Value::from(bucket_arn(name, &region))),
            ("bucket", Value::from(name)),
            (
                "bucket_domain_name",
                Value::from(bucket_domain_name(name, &region)),
            ),
            ("bucket_region", Value::from(region.as_str())),
            (
                "bucket_regional_domain_name",
                Value::from(bucket_regional_domain_name(name, &region)),
            ),
            ("hosted_zone_id", opt_str(hosted_zone_id(&region))),
            ("id", Value::from(name)),
            ("region", Value::from(region.as_str())),
            ("website_domain", opt_str(domain.clone())),
            (
                "website_endpoint",
                opt_str(domain.map(|d| format!("{name}.{d}"))),
            ),
        ])))
    }
}
