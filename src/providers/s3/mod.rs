//! S3: `aws_s3_bucket`, `aws_s3_bucket_versioning`,
//! `aws_s3_bucket_server_side_encryption_configuration`, `aws_s3_bucket_public_access_block`,
//! `aws_s3_bucket_policy`, `aws_s3_object`, and the `aws_s3_bucket` data source. Owns S3's
//! conventions: bucket ids are names, bucket sub-resources are keyed by bucket (optionally
//! `bucket,expected_bucket_owner`), domain names and hosted zones derive from the bucket's region,
//! emptying a bucket for `force_destroy`. Also offers plain readers of bucket facts kept in
//! state (region, default encryption) for plan-time checks. Must not know about the engine or
//! moto.

pub mod api;
pub mod bucket;
pub mod data;
pub mod encryption;
pub mod object;
pub mod policy;
pub mod public_access_block;
pub mod sdk;
#[cfg(test)]
pub(crate) mod testing;
pub mod versioning;

use super::attrs::{block, items, str_of};
use super::config::{dns_suffix_of, partition_of, Clients};
use super::error::{ApiError, ProviderError};
use super::normalize::canonical_policy;
use super::registry::Registry;
use super::Ctx;
use crate::config::value::Value;
use api::S3Api;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What every S3 type shares.
#[derive(Clone)]
pub struct S3 {
    /// The API.
    pub api: Arc<dyn S3Api>,
    /// The provider's region (where buckets are created).
    pub region: String,
    /// `default_tags`.
    pub default_tags: BTreeMap<String, String>,
}

/// Registers the S3 types.
pub fn register(r: &mut Registry, clients: &Clients) {
    let s3 = S3 {
        api: Arc::new(sdk::SdkS3::new(clients.s3.clone(), clients.caller.clone())),
        region: clients.region.clone(),
        default_tags: clients.default_tags.clone(),
    };
    r.add_resource(Arc::new(bucket::BucketResource(s3.clone())));
    r.add_resource(Arc::new(versioning::VersioningResource(s3.clone())));
    r.add_resource(Arc::new(encryption::EncryptionResource(s3.clone())));
    r.add_resource(Arc::new(public_access_block::PublicAccessBlockResource(
        s3.clone(),
    )));
    r.add_resource(Arc::new(policy::BucketPolicyResource(s3.clone())));
    r.add_resource(Arc::new(object::ObjectResource(s3.clone())));
    r.add_data_source(Arc::new(data::BucketData(s3)));
}

/// `arn:<partition>:s3:::<bucket>`.
pub fn bucket_arn(bucket: &str, region: &str) -> String {
    format!("arn:{}:s3:::{bucket}", partition_of(region))
}

/// `<bucket>.s3.amazonaws.com` (the partition's DNS suffix).
pub fn bucket_domain_name(bucket: &str, region: &str) -> String {
    format!("{bucket}.s3.{}", dns_suffix_of(partition_of(region)))
}

/// `<bucket>.s3.<region>.amazonaws.com`, the region always included (AWS provider v5).
pub fn bucket_regional_domain_name(bucket: &str, region: &str) -> String {
    format!(
        "{bucket}.s3.{region}.{}",
        dns_suffix_of(partition_of(region))
    )
}

/// The Route 53 hosted zone of S3 website endpoints in `region` (AWS's published table).
pub fn hosted_zone_id(region: &str) -> Option<&'static str> {
    Some(match region {
        "af-south-1" => "Z83WF9RJE8B12",
        "ap-east-1" => "ZNB98KWMFR0R6",
        "ap-northeast-1" => "Z2M4EHUR26P7ZW",
        "ap-northeast-2" => "Z3W03O7B5YMIYP",
        "ap-northeast-3" => "Z2YQB5RD63NC85",
        "ap-south-1" => "Z11RGJOFQNVJUP",
        "ap-south-2" => "Z02976202B4EZMXIPMXF7",
        "ap-southeast-1" => "Z3O0J2DXBE1FTB",
        "ap-southeast-2" => "Z1WCIGYICN2BYD",
        "ap-southeast-3" => "Z01613992JD795ZI93075",
        "ap-southeast-4" => "Z0312387243XT5FE14WFO",
        "ca-central-1" => "Z1QDHH18159H29",
        "ca-west-1" => "Z03565811Z33SLEZTHOUL",
        "cn-north-1" => "Z5CN8UMXT92WN",
        "cn-northwest-1" => "Z282HJ1KT0DH03",
        "eu-central-1" => "Z21DNDUVLTQW6Q",
        "eu-central-2" => "Z030506016YDQGETNASS",
        "eu-north-1" => "Z3BAZG2TWCNX0D",
        "eu-south-1" => "Z30OZKI7KPW7MI",
        "eu-south-2" => "Z0081959F7139GRJC19J",
        "eu-west-1" => "Z1BKCTXD74EZPE",
        "eu-west-2" => "Z3GKZC51ZF0DB4",
        "eu-west-3" => "Z3R1K369G5AVDG",
        "il-central-1" => "Z09640613K4A3MN55U7GU",
        "me-central-1" => "Z06143092I8HRXZRUZROF",
        "me-south-1" => "Z1MPMWCPA7YB62",
        "sa-east-1" => "Z7KQH4QJS55SO",
        "us-east-1" => "Z3AQBSTGFYJSTF",
        "us-east-2" => "Z2O1EMRO9K5GLX",
        "us-gov-east-1" => "Z2NIFVYYW2VKV1",
        "us-gov-west-1" => "Z31GFT0UA1I2HV",
        "us-west-1" => "Z2F56UZL2M1ACD",
        "us-west-2" => "Z3BJ6K6RIION7M",
        _ => return None,
    })
}

/// The website domain of a region: `s3-website-<region>` in the oldest regions,
/// `s3-website.<region>` elsewhere, plus the DNS suffix.
pub fn website_domain(region: &str) -> String {
    let dash = matches!(
        region,
        "us-east-1"
            | "us-west-1"
            | "us-west-2"
            | "ap-southeast-1"
            | "ap-southeast-2"
            | "ap-northeast-1"
            | "sa-east-1"
            | "eu-west-1"
            | "us-gov-west-1"
    );
    let sep = if dash { '-' } else { '.' };
    format!(
        "s3-website{sep}{region}.{}",
        dns_suffix_of(partition_of(region))
    )
}

/// The region of a bucket as kept in state (resource or data source): `bucket_region`, else
/// `region`. Known at plan time for buckets this configuration creates.
pub fn bucket_region(state: &Value) -> Option<&str> {
    str_of(state, "bucket_region").or_else(|| str_of(state, "region"))
}

/// The default encryption (`sse_algorithm`, `kms_master_key_id`) kept in state by an
/// `aws_s3_bucket_server_side_encryption_configuration` (its `rule` blocks) or by an
/// `aws_s3_bucket` (its computed `server_side_encryption_configuration` block).
pub fn default_encryption(state: &Value) -> Option<(String, Option<String>)> {
    let rules: &[Value] = match block(state, "server_side_encryption_configuration") {
        Some(c) => items(c, "rule"),
        None => items(state, "rule"),
    };
    rules.iter().find_map(|r| {
        let d = block(r, "apply_server_side_encryption_by_default")?;
        Some((
            str_of(d, "sse_algorithm")?.to_string(),
            str_of(d, "kms_master_key_id").map(str::to_string),
        ))
    })
}

/// `bucket` or `bucket,expected_bucket_owner`, the import id of the bucket sub-resources.
pub fn parse_bucket_id(ctx: &Ctx, id: &str) -> Result<(String, Option<String>), ProviderError> {
    let mut parts = id.splitn(2, ',');
    let bucket = parts.next().unwrap_or_default().trim();
    if bucket.is_empty() {
        return Err(ctx.invalid(format!(
            "import id {id:?}: expected BUCKET or BUCKET,EXPECTED_BUCKET_OWNER"
        )));
    }
    let owner = parts.next().map(str::trim).filter(|o| !o.is_empty());
    Ok((bucket.to_string(), owner.map(str::to_string)))
}

/// The id of a bucket sub-resource: `bucket`, or `bucket,owner` with an expected owner.
pub fn bucket_id(bucket: &str, owner: Option<&str>) -> String {
    match owner {
        Some(o) if !o.is_empty() => format!("{bucket},{o}"),
        _ => bucket.to_string(),
    }
}

/// The bucket (and expected owner) a sub-resource's prior object names.
pub fn bucket_of(ctx: &Ctx, prior: &Value) -> Result<(String, Option<String>), ProviderError> {
    match str_of(prior, "bucket") {
        Some(b) => Ok((
            b.to_string(),
            str_of(prior, "expected_bucket_owner").map(str::to_string),
        )),
        None => parse_bucket_id(
            ctx,
            str_of(prior, "id").ok_or_else(|| ctx.invalid("no bucket in prior state"))?,
        ),
    }
}

/// Polls `check` until it returns true or `timeout` passes (S3 settings become visible a
/// little after the call that sets them).
pub async fn wait_until<F, Fut>(
    ctx: &Ctx,
    timeout: Duration,
    what: &str,
    mut check: F,
) -> Result<(), ProviderError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool, ProviderError>>,
{
    let start = Instant::now();
    loop {
        if check().await? {
            return Ok(());
        }
        if start.elapsed() >= timeout {
            return Err(ProviderError::Timeout {
                address: ctx.address.clone(),
                waiting_for: what.to_string(),
                seconds: timeout.as_secs(),
                partial: None,
            });
        }
        tokio::time::sleep(ctx.poll_interval).await;
    }
}

/// How long S3 may still answer NoSuchBucket for a bucket created a moment ago (or reject a
/// principal IAM has not propagated yet).
pub const PROPAGATION: Duration = Duration::from_secs(120);

/// Runs `call` until it succeeds, retrying while `transient` says the failure is only S3 not
/// seeing a just-created bucket or principal yet, for at most [`PROPAGATION`].
///
/// # Errors
/// The call's error wrapped with the address and `operation`.
pub async fn retry_propagation<F, Fut>(
    ctx: &Ctx,
    operation: &'static str,
    transient: fn(&ApiError) -> bool,
    mut call: F,
) -> Result<(), ProviderError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), ApiError>>,
{
    let start = Instant::now();
    loop {
        match call().await {
            Ok(()) => return Ok(()),
            Err(e) if transient(&e) && start.elapsed() < PROPAGATION => {
                tokio::time::sleep(ctx.poll_interval).await;
            }
            Err(e) => return Err(ctx.api(operation, e)),
        }
    }
}

/// True for NoSuchBucket (a bucket created a moment ago).
pub fn bucket_not_visible(e: &ApiError) -> bool {
    e.has_code("NoSuchBucket")
}

/// The bucket a bucket-keyed object names (`bucket`, else its id).
pub fn bucket_name<'a>(ctx: &Ctx, v: &'a Value) -> Result<&'a str, ProviderError> {
    str_of(v, "bucket")
        .or_else(|| str_of(v, "id"))
        .ok_or_else(|| ctx.invalid("no bucket"))
}

/// The object with its `policy` text in canonical form (for comparison only).
pub fn normalize_policy(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out = m.clone();
    if let Some(Value::String(p)) = m.get("policy") {
        out.insert(
            "policy".into(),
            Value::String(canonical_policy(p).unwrap_or_else(|| p.clone())),
        );
    }
    Value::Map(out)
}

/// Sets `region` to the provider's region in a planned object whose configuration leaves it
/// out (the resource is managed in the provider's region).
pub fn plan_region(planned: &mut Value, region: &str) {
    if let Value::Map(m) = planned {
        if matches!(
            m.get("region"),
            None | Some(Value::Unknown) | Some(Value::Null)
        ) {
            m.insert("region".into(), Value::from(region));
        }
    }
}

/// Refuses a configured `region` other than the provider's: emrform sends every call of a
/// provider configuration to that configuration's region.
pub fn check_region(ctx: &Ctx, planned: &Value, region: &str) -> Result<(), ProviderError> {
    match str_of(planned, "region") {
        Some(r) if r != region => Err(ProviderError::Refused {
            address: ctx.address.clone(),
            message: format!(
                "region = {r:?} differs from the provider's region {region:?}; use a provider configuration (alias) for {r}"
            ),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_region_and_partition() {
        assert_eq!(bucket_arn("b", "us-east-1"), "arn:aws:s3:::b");
        assert_eq!(bucket_arn("b", "cn-north-1"), "arn:aws-cn:s3:::b");
        assert_eq!(bucket_domain_name("b", "eu-west-1"), "b.s3.amazonaws.com");
        assert_eq!(
            bucket_regional_domain_name("b", "us-east-1"),
            "b.s3.us-east-1.amazonaws.com"
        );
        assert_eq!(
            bucket_regional_domain_name("b", "cn-north-1"),
            "b.s3.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(hosted_zone_id("us-east-1"), Some("Z3AQBSTGFYJSTF"));
        assert_eq!(hosted_zone_id("eu-central-1"), Some("Z21DNDUVLTQW6Q"));
        assert_eq!(hosted_zone_id("xx-nowhere-1"), None);
        assert_eq!(
            website_domain("us-east-1"),
            "s3-website-us-east-1.amazonaws.com"
        );
        assert_eq!(
            website_domain("eu-central-1"),
            "s3-website.eu-central-1.amazonaws.com"
        );
    }

    #[test]
    fn sub_resource_ids_carry_an_optional_owner() {
        let ctx = Ctx::new("aws_s3_bucket_versioning.v");
        assert_eq!(
            parse_bucket_id(&ctx, "b").ok(),
            Some(("b".to_string(), None))
        );
        assert_eq!(
            parse_bucket_id(&ctx, "b,123456789012").ok(),
            Some(("b".to_string(), Some("123456789012".to_string())))
        );
        assert!(parse_bucket_id(&ctx, ",1").is_err());
        assert_eq!(bucket_id("b", Some("1")), "b,1");
        assert_eq!(bucket_id("b", None), "b");
    }

    #[test]
    fn a_region_other_than_the_providers_is_refused() {
        let ctx = Ctx::new("aws_s3_bucket.b");
        let mut planned = Value::map([("bucket", Value::from("b"))]);
        plan_region(&mut planned, "eu-west-1");
        assert_eq!(planned.get("region"), Some(&Value::from("eu-west-1")));
        assert!(check_region(&ctx, &planned, "eu-west-1").is_ok());
        let other = Value::map([("region", Value::from("us-west-2"))]);
        let err = check_region(&ctx, &other, "eu-west-1")
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.contains("alias")),
            "{err:?}"
        );
    }

    #[test]
    fn default_encryption_reads_both_shapes() {
        let by_default = Value::map([
            ("sse_algorithm", Value::from("aws:kms")),
            ("kms_master_key_id", Value::from("arn:k")),
        ]);
        let rule = Value::map([(
            "apply_server_side_encryption_by_default",
            Value::List(vec![by_default]),
        )]);
        let sub = Value::map([("rule", Value::set(vec![rule.clone()]))]);
        let bucket = Value::map([(
            "server_side_encryption_configuration",
            Value::List(vec![Value::map([("rule", Value::List(vec![rule]))])]),
        )]);
        let want = Some(("aws:kms".to_string(), Some("arn:k".to_string())));
        assert_eq!(default_encryption(&sub), want);
        assert_eq!(default_encryption(&bucket), want);
        assert_eq!(default_encryption(&Value::map::<&str>([])), None);
        assert_eq!(
            bucket_region(&Value::map([("region", Value::from("eu-west-1"))])),
            Some("eu-west-1")
        );
    }
}
