//! Gathering the live [`Facts`] the checks read: the existing subnets the plan's applications
//! use (free addresses, CIDR, zone, VPC) and the EMR Serverless applications already in the
//! account and Region (their subnets and maximum capacity count against the same addresses).
//! Reads only, through the provider's rate limiter and retry loop.

use super::capacity::parse_vcpu;
use super::facts::{Facts, LiveApplication, SubnetFact};
use crate::providers::retry::Safety;
use crate::providers::{ApiError, Clients};

type Failed = (&'static str, ApiError);

/// Facts about `subnet_ids` (ids that do not exist yet are skipped) and the live applications.
///
/// # Errors
/// The operation and AWS's error when a read fails.
pub async fn facts(c: &Clients, subnet_ids: &[String]) -> Result<Facts, Failed> {
    let mut facts = Facts::default();
    let ids: Vec<String> = subnet_ids
        .iter()
        .filter(|id| id.starts_with("subnet-"))
        .cloned()
        .collect();
    if ids.is_empty() {
        return Ok(facts);
    }
    let subnets = c
        .caller
        .call("ec2", "DescribeSubnets", Safety::Idempotent, || async {
            c.ec2
                .describe_subnets()
                .filters(
                    aws_sdk_ec2::types::Filter::builder()
                        .name("subnet-id")
                        .set_values(Some(ids.clone()))
                        .build(),
                )
                .send()
                .await
                .map_err(ApiError::from_sdk)
        })
        .await
        .map_err(|e| ("DescribeSubnets", e))?;
    for s in subnets.subnets() {
        let id = s.subnet_id().unwrap_or_default().to_string();
        facts.subnets.insert(
            id.clone(),
            SubnetFact {
                id,
                vpc_id: s.vpc_id().unwrap_or_default().to_string(),
                cidr: s.cidr_block().unwrap_or_default().to_string(),
                availability_zone: s.availability_zone().unwrap_or_default().to_string(),
                availability_zone_id: s.availability_zone_id().unwrap_or_default().to_string(),
                available_ips: s.available_ip_address_count().unwrap_or(0).max(0) as u64,
            },
        );
    }
    facts.other_applications = applications(c).await?;
    Ok(facts)
}

/// Every application in the account and Region that is not terminated, with its network and
/// capacity settings.
async fn applications(c: &Clients) -> Result<Vec<LiveApplication>, Failed> {
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = c
            .caller
            .call(
                "emr-serverless",
                "ListApplications",
                Safety::Idempotent,
                || async {
                    c.emr_serverless
                        .list_applications()
                        .set_next_token(token.clone())
                        .send()
                        .await
                        .map_err(ApiError::from_sdk)
                },
            )
            .await
            .map_err(|e| ("ListApplications", e))?;
        for a in out.applications() {
            if a.state() != &aws_sdk_emrserverless::types::ApplicationState::Terminated {
                ids.push(a.id().to_string());
            }
        }
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    let mut apps = Vec::new();
    for id in ids {
        let out = c
            .caller
            .call(
                "emr-serverless",
                "GetApplication",
                Safety::Idempotent,
                || async {
                    c.emr_serverless
                        .get_application()
                        .application_id(&id)
                        .send()
                        .await
                        .map_err(ApiError::from_sdk)
                },
            )
            .await;
        let a = match out {
            Ok(o) => match o.application() {
                Some(a) => a.clone(),
                None => continue,
            },
            // Deleted between the list and the read.
            Err(e) if e.is_not_found() => continue,
            Err(e) => return Err(("GetApplication", e)),
        };
        let subnet_ids = a
            .network_configuration()
            .map(|n| n.subnet_ids().to_vec())
            .unwrap_or_default();
        if subnet_ids.is_empty() {
            continue;
        }
        let worker_vcpu = a.initial_capacity().and_then(|m| {
            m.values()
                .filter_map(|ic| ic.worker_configuration())
                .filter_map(|w| parse_vcpu(w.cpu()))
                .reduce(f64::min)
        });
        apps.push(LiveApplication {
            id: a.application_id().to_string(),
            name: a.name().unwrap_or_default().to_string(),
            subnet_ids,
            max_vcpu: a.maximum_capacity().and_then(|m| parse_vcpu(m.cpu())),
            worker_vcpu,
            engine: a.r#type().to_string(),
        });
    }
    Ok(apps)
}
