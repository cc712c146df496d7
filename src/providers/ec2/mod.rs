//! EC2 network resources: `aws_vpc`, `aws_subnet`, `aws_security_group` (with inline
//! `ingress`/`egress`), `aws_security_group_rule`,
//! `aws_vpc_security_group_ingress_rule`/`_egress_rule`, `aws_route_table`, `aws_route`,
//! `aws_route_table_association`, `aws_vpc_endpoint`, `aws_internet_gateway`, `aws_eip`,
//! `aws_nat_gateway`, and the data sources `aws_vpc`, `aws_subnet`, `aws_subnets`,
//! `aws_availability_zones`, `aws_route_table`, `aws_security_group`.
//! Owns EC2's conventions (tags through CreateTags/DeleteTags, removing AWS's default
//! allow-all egress rule from new security groups, waiting out DependencyViolation on delete).
//! Must not know about the engine or moto.

pub mod api;
pub mod data;
pub mod eip;
pub mod internet_gateway;
pub mod nat_gateway;
pub mod route;
pub mod route_table;
pub mod sdk;
pub mod security_group;
pub mod security_group_rule;
pub mod sg_rule;
pub mod subnet;
pub mod vpc;
pub mod vpc_endpoint;

use super::config::{partition_of, Clients};
use super::error::{ApiErrorKind, ProviderError};
use super::normalize::tags::tag_changes;
use super::normalize::{merge_tags, tags_from_live};
use super::registry::Registry;
use super::sts::api::StsApi;
use super::Ctx;
use crate::config::value::Value;
use api::Ec2Api;
use aws_sdk_ec2::types as t;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What every EC2 resource shares.
#[derive(Clone)]
pub struct Net {
    /// The API.
    pub api: Arc<dyn Ec2Api>,
    /// The region (for ARNs).
    pub region: String,
    /// `default_tags`.
    pub default_tags: BTreeMap<String, String>,
    /// STS, for the account id of ARNs EC2 does not return an owner for (Elastic IPs).
    pub sts: Arc<dyn StsApi>,
    /// The account id, looked up once.
    pub account: Arc<tokio::sync::OnceCell<String>>,
}

impl Net {
    /// The caller's account id (STS GetCallerIdentity, asked once).
    ///
    /// # Errors
    /// The GetCallerIdentity failure.
    pub async fn account_id(&self, ctx: &Ctx) -> Result<String, ProviderError> {
        self.account
            .get_or_try_init(|| async {
                self.sts
                    .get_caller_identity()
                    .await
                    .map(|i| i.account)
                    .map_err(|e| ctx.api("GetCallerIdentity", e))
            })
            .await
            .cloned()
    }

    /// An ARN `arn:<partition>:ec2:<region>:<owner>:<kind>/<id>`.
    pub fn arn(&self, owner: &str, kind: &str, id: &str) -> String {
        format!(
            "arn:{}:ec2:{}:{owner}:{kind}/{id}",
            partition_of(&self.region),
            self.region
        )
    }

    /// `tags_all` wanted for a planned object.
    pub fn tags_all(&self, planned: &Value) -> BTreeMap<String, String> {
        merge_tags(
            &self.default_tags,
            &super::attrs::string_map(planned, "tags"),
        )
    }

    /// (`tags`, `tags_all`) values for a live object.
    pub fn tag_values(&self, live: &[t::Tag], prior: Option<&Value>) -> (Value, Value) {
        let all = tags_of(live);
        let prior_tags = prior
            .map(|p| super::attrs::string_map(p, "tags"))
            .unwrap_or_default();
        let own = tags_from_live(&all, &self.default_tags, &prior_tags);
        let prior_null = prior
            .map(|p| p.get("tags").map(Value::is_null).unwrap_or(true))
            .unwrap_or(true);
        (
            if own.is_empty() && prior_null {
                Value::Null
            } else {
                super::attrs::string_map_value(&own)
            },
            super::attrs::string_map_value(&all),
        )
    }

    /// Brings the tags of `id` from `live` to what `planned` wants.
    ///
    /// # Errors
    /// The CreateTags/DeleteTags failure.
    pub async fn sync_tags(
        &self,
        ctx: &Ctx,
        id: &str,
        live: &[t::Tag],
        planned: &Value,
    ) -> Result<(), ProviderError> {
        let (set, remove) = tag_changes(&tags_of(live), &self.tags_all(planned));
        if !set.is_empty() {
            self.api
                .create_tags(id, &set)
                .await
                .map_err(|e| ctx.api("CreateTags", e))?;
        }
        if !remove.is_empty() {
            self.api
                .delete_tags(id, &remove)
                .await
                .map_err(|e| ctx.api("DeleteTags", e))?;
        }
        Ok(())
    }
}

/// A tag that marks one create call, so that after an ambiguous failure (5xx, dropped
/// connection) the object it may have made can be found and adopted instead of created twice.
/// EC2's CreateVpc and CreateSubnet have no client token. The tag is removed right after.
pub const CREATE_TOKEN_TAG: &str = "emrform:create-token";

/// EC2 tags as a map (without AWS's own `aws:` tags and our create token).
pub fn tags_of(tags: &[t::Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_string(),
                t.value().unwrap_or_default().to_string(),
            ))
        })
        .filter(|(k, _)| !k.starts_with("aws:") && k != CREATE_TOKEN_TAG)
        .collect()
}

/// Creates an object without a client token safely: tags it with a one-off token, adopts the
/// object carrying the token after an ambiguous failure, then removes the token tag.
///
/// # Errors
/// The create's error when it fails for good.
pub async fn create_with_token<C, CF, P, PF>(
    ctx: &Ctx,
    operation: &'static str,
    tags: &BTreeMap<String, String>,
    create: C,
    probe: P,
) -> Result<String, ProviderError>
where
    C: Fn(BTreeMap<String, String>) -> CF,
    CF: std::future::Future<Output = Result<String, super::error::ApiError>>,
    P: Fn(api::Filters) -> PF,
    PF: std::future::Future<Output = Result<Option<String>, super::error::ApiError>>,
{
    let token = uuid::Uuid::new_v4().to_string();
    let mut with_token = tags.clone();
    with_token.insert(CREATE_TOKEN_TAG.into(), token.clone());
    let filter = vec![(format!("tag:{CREATE_TOKEN_TAG}"), vec![token])];
    let id = super::iam::create_or_adopt(
        ctx,
        operation,
        || create(with_token.clone()),
        || probe(filter.clone()),
    )
    .await?;
    Ok(id)
}

/// Retries a delete while EC2 answers DependencyViolation (ENIs and rules take a while to go).
///
/// # Errors
/// The last error when the time runs out or another error comes.
pub async fn delete_with_dependency_retry<F, Fut>(
    ctx: &Ctx,
    operation: &'static str,
    mut f: F,
) -> Result<(), ProviderError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), super::error::ApiError>>,
{
    let start = Instant::now();
    loop {
        match f().await {
            Ok(()) => return Ok(()),
            Err(e) if e.kind == ApiErrorKind::Conflict && start.elapsed() < ctx.timeouts.delete => {
                tokio::time::sleep(ctx.poll_interval.max(Duration::from_millis(50))).await;
            }
            Err(e) => return Err(ctx.api(operation, e)),
        }
    }
}

/// Registers the EC2 types.
pub fn register(r: &mut Registry, clients: &Clients) {
    let net = Net {
        api: Arc::new(sdk::SdkEc2::new(
            clients.ec2.clone(),
            clients.caller.clone(),
        )),
        region: clients.region.clone(),
        default_tags: clients.default_tags.clone(),
        sts: Arc::new(super::sts::sdk::SdkSts::new(
            clients.sts.clone(),
            clients.caller.clone(),
        )),
        account: Arc::new(tokio::sync::OnceCell::new()),
    };
    r.add_resource(Arc::new(vpc::VpcResource(net.clone())));
    r.add_resource(Arc::new(subnet::SubnetResource(net.clone())));
    r.add_resource(Arc::new(security_group::SecurityGroupResource(net.clone())));
    r.add_resource(Arc::new(sg_rule::SgRuleResource {
        net: net.clone(),
        egress: false,
    }));
    r.add_resource(Arc::new(sg_rule::SgRuleResource {
        net: net.clone(),
        egress: true,
    }));
    r.add_resource(Arc::new(route_table::RouteTableResource(net.clone())));
    r.add_resource(Arc::new(route_table::AssociationResource(net.clone())));
    r.add_resource(Arc::new(vpc_endpoint::VpcEndpointResource(net.clone())));
    r.add_resource(Arc::new(internet_gateway::InternetGatewayResource(
        net.clone(),
    )));
    r.add_resource(Arc::new(eip::EipResource(net.clone())));
    r.add_resource(Arc::new(nat_gateway::NatGatewayResource(net.clone())));
    r.add_resource(Arc::new(route::RouteResource(net.clone())));
    r.add_resource(Arc::new(security_group_rule::SecurityGroupRuleResource(
        net.clone(),
    )));
    data::register(r, &net);
}

/// The AWS provider's string hash code (`create.StringHashcode`): the IEEE CRC-32 of the
/// bytes, as a non-negative number. Used in the ids of `aws_route` and
/// `aws_security_group_rule`.
pub fn hashcode(s: &str) -> u32 {
    let mut crc: u32 = 0xFFFF_FFFF;
    for b in s.bytes() {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// `tag:KEY` filters for the tags a configuration sets: an object it created carries at least
/// these.
pub(crate) fn tag_filters(planned: &crate::config::value::Value) -> api::Filters {
    crate::providers::attrs::string_map(planned, "tags")
        .into_iter()
        .map(|(k, v)| (format!("tag:{k}"), vec![v]))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::providers::retry::{documented_rates, Caller, RetryPolicy};

    /// A `Net` for pure plan/normalize tests: its clients are never called.
    pub(crate) fn net() -> Net {
        let caller = Arc::new(Caller::new(RetryPolicy::default(), documented_rates));
        let ec2 = aws_sdk_ec2::Client::from_conf(
            aws_sdk_ec2::Config::builder()
                .behavior_version(aws_sdk_ec2::config::BehaviorVersion::latest())
                .region(aws_sdk_ec2::config::Region::new("us-east-1"))
                .build(),
        );
        let sts = aws_sdk_sts::Client::from_conf(
            aws_sdk_sts::Config::builder()
                .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
                .region(aws_sdk_sts::config::Region::new("us-east-1"))
                .build(),
        );
        Net {
            api: Arc::new(sdk::SdkEc2::new(ec2, caller.clone())),
            region: "us-east-1".into(),
            default_tags: BTreeMap::new(),
            sts: Arc::new(crate::providers::sts::sdk::SdkSts::new(sts, caller)),
            account: Arc::new(tokio::sync::OnceCell::new()),
        }
    }

    /// Every attribute and block of the type's schema (but `region`, which no EC2 type
    /// produces yet) is in a planned object.
    pub(crate) fn assert_covers_schema(p: &dyn crate::providers::ResourceProvider) {
        let schema =
            crate::config::schema::registry::managed_resource(p.type_name()).expect("schema");
        let planned = p.plan(None, &Value::map::<&str>([])).planned;
        let m = planned.as_map().expect("map");
        for name in schema
            .body
            .attributes
            .iter()
            .map(|a| a.name)
            .chain(schema.body.blocks.iter().map(|b| b.name))
            .filter(|n| *n != "region")
        {
            assert!(m.contains_key(name), "{}: {name} missing", p.type_name());
        }
    }

    #[test]
    fn new_types_cover_their_schemas() {
        let n = net();
        assert_covers_schema(&internet_gateway::InternetGatewayResource(n.clone()));
        assert_covers_schema(&eip::EipResource(n.clone()));
        assert_covers_schema(&nat_gateway::NatGatewayResource(n.clone()));
        assert_covers_schema(&route::RouteResource(n.clone()));
        assert_covers_schema(&security_group_rule::SecurityGroupRuleResource(n));
    }

    #[test]
    fn hashcode_is_the_ieee_crc32() {
        assert_eq!(hashcode("123456789"), 0xCBF4_3926);
        assert_eq!(hashcode(""), 0);
    }
}
