//! Creating and deleting one object of every managed type through a proxy that fails 20% of
//! the calls (throttling, 500s before and after moto acted, slow answers past the attempt
//! timeout, dropped connections). Everything must complete, and calls that are not safe to
//! repeat must not create duplicates.

mod support;

use emrform::config::value::Value;
use emrform::providers::{Clients, Registry, ResourceProvider};
use std::sync::Arc;
use std::time::Duration;
use support::fault_proxy::{FaultConfig, FaultProxy, ALL_FAULTS};

fn s(v: &str) -> Value {
    Value::from(v)
}

fn id(v: &Value) -> String {
    v.get("id").and_then(Value::as_str).expect("id").to_string()
}

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"emr-serverless.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const S3_READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

struct Made {
    provider: Arc<dyn ResourceProvider>,
    state: Value,
}

#[tokio::test]
async fn every_type_survives_twenty_percent_failing_calls() {
    let moto = support::moto();
    let proxy = FaultProxy::start(
        &moto.endpoint,
        FaultConfig {
            rate: 0.2,
            kinds: ALL_FAULTS.to_vec(),
            slow: Duration::from_millis(2500),
            // EMRFORM_FAULT_SEED replays another fault pattern.
            seed: std::env::var("EMRFORM_FAULT_SEED")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(20),
        },
    )
    .await;
    let mut cfg = support::config_for(&proxy.endpoint);
    cfg.attempt_timeout = Some(Duration::from_secs(1));
    cfg.max_retries = Some(12);
    let clients = Clients::new(&cfg).await.expect("clients through the proxy");
    let direct = support::clients().await;
    let r = Registry::aws(&clients);
    let mut ctx = support::ctx("faults");
    ctx.timeouts.create = Duration::from_secs(120);
    ctx.timeouts.update = Duration::from_secs(120);
    ctx.timeouts.delete = Duration::from_secs(120);
    let u = support::unique("flt");
    let mut made: Vec<Made> = Vec::new();

    macro_rules! create {
        ($t:expr, $want:expr) => {{
            let p = r.resource($t).expect("registered");
            let mut c = ctx.clone();
            c.address = format!("{}.faults", $t);
            let state = p
                .create(&c, &p.plan(None, &$want).planned)
                .await
                .unwrap_or_else(|e| panic!("create {}: {e}", $t));
            made.push(Made {
                provider: p,
                state: state.clone(),
            });
            state
        }};
    }

    let role = create!(
        "aws_iam_role",
        Value::map([("name", s(&u)), ("assume_role_policy", s(TRUST))])
    );
    let policy = create!(
        "aws_iam_policy",
        Value::map([("name", s(&u)), ("policy", s(S3_READ))])
    );
    create!(
        "aws_iam_role_policy",
        Value::map([
            ("role", s(&id(&role))),
            ("name", s("inline")),
            ("policy", s(S3_READ))
        ])
    );
    create!(
        "aws_iam_role_policy_attachment",
        Value::map([
            ("role", s(&id(&role))),
            ("policy_arn", policy.get("arn").cloned().expect("arn"))
        ])
    );

    let vpc = create!("aws_vpc", Value::map([("cidr_block", s("10.99.0.0/16"))]));
    let vpc_id = id(&vpc);
    let subnet = create!(
        "aws_subnet",
        Value::map([
            ("vpc_id", s(&vpc_id)),
            ("cidr_block", s("10.99.1.0/24")),
            ("availability_zone", s("us-east-1a"))
        ])
    );
    let sg = create!(
        "aws_security_group",
        Value::map([
            ("name", s(&u)),
            ("vpc_id", s(&vpc_id)),
            (
                "egress",
                Value::List(vec![Value::map([
                    ("protocol", s("-1")),
                    ("from_port", Value::from(0i64)),
                    ("to_port", Value::from(0i64)),
                    ("cidr_blocks", Value::List(vec![s("0.0.0.0/0")]))
                ])])
            ),
        ])
    );
    create!(
        "aws_vpc_security_group_ingress_rule",
        Value::map([
            ("security_group_id", s(&id(&sg))),
            ("ip_protocol", s("tcp")),
            ("from_port", Value::from(443i64)),
            ("to_port", Value::from(443i64)),
            ("cidr_ipv4", s("10.99.0.0/16"))
        ])
    );
    create!(
        "aws_vpc_security_group_egress_rule",
        Value::map([
            ("security_group_id", s(&id(&sg))),
            ("ip_protocol", s("tcp")),
            ("from_port", Value::from(5439i64)),
            ("to_port", Value::from(5439i64)),
            ("cidr_ipv4", s("10.0.0.0/8"))
        ])
    );
    let igw = direct
        .ec2
        .create_internet_gateway()
        .send()
        .await
        .expect("igw");
    let igw_id = igw
        .internet_gateway()
        .and_then(|g| g.internet_gateway_id())
        .expect("igw id")
        .to_string();
    direct
        .ec2
        .attach_internet_gateway()
        .internet_gateway_id(&igw_id)
        .vpc_id(&vpc_id)
        .send()
        .await
        .expect("attach");
    let rt = create!(
        "aws_route_table",
        Value::map([
            ("vpc_id", s(&vpc_id)),
            (
                "route",
                Value::List(vec![Value::map([
                    ("cidr_block", s("0.0.0.0/0")),
                    ("gateway_id", s(&igw_id))
                ])])
            )
        ])
    );
    create!(
        "aws_route_table_association",
        Value::map([
            ("subnet_id", s(&id(&subnet))),
            ("route_table_id", s(&id(&rt)))
        ])
    );
    create!(
        "aws_vpc_endpoint",
        Value::map([
            ("vpc_id", s(&vpc_id)),
            ("service_name", s("com.amazonaws.us-east-1.s3")),
            ("route_table_ids", Value::set(vec![s(&id(&rt))]))
        ])
    );

    let repo = create!("aws_ecr_repository", Value::map([("name", s(&u))]));
    create!(
        "aws_ecr_repository_policy",
        Value::map([
            ("repository", s(&id(&repo))),
            (
                "policy",
                s(
                    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"emr-serverless.amazonaws.com"},"Action":["ecr:BatchGetImage","ecr:DescribeImages","ecr:GetDownloadUrlForLayer"]}]}"#
                )
            ),
        ])
    );
    let list = |v: &str| Value::set(vec![s(v)]);
    create!(
        "aws_emrserverless_application",
        Value::map([
            ("name", s(&u)),
            ("type", s("spark")),
            ("release_label", s(support::moto_differences::RELEASE_LABEL)),
            (
                "network_configuration",
                Value::List(vec![Value::map([
                    ("subnet_ids", list(&id(&subnet))),
                    ("security_group_ids", list(&id(&sg)))
                ])])
            ),
        ])
    );

    // Calls without a client token were not repeated into duplicates.
    let vpcs = direct
        .ec2
        .describe_vpcs()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("cidr")
                .values("10.99.0.0/16")
                .build(),
        )
        .send()
        .await
        .expect("vpcs");
    assert_eq!(vpcs.vpcs().len(), 1, "CreateVpc made duplicates");
    let subnets = direct
        .ec2
        .describe_subnets()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("vpc-id")
                .values(&vpc_id)
                .build(),
        )
        .send()
        .await
        .expect("subnets");
    assert_eq!(subnets.subnets().len(), 1, "CreateSubnet made duplicates");
    let rules = direct
        .ec2
        .describe_security_group_rules()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("group-id")
                .values(id(&sg))
                .build(),
        )
        .send()
        .await
        .expect("rules");
    assert_eq!(
        rules.security_group_rules().len(),
        3,
        "security group rules duplicated or missing"
    );

    for m in made.iter().rev() {
        let mut c = ctx.clone();
        c.address = format!("{}.faults", m.provider.type_name());
        m.provider
            .delete(&c, &m.state)
            .await
            .unwrap_or_else(|e| panic!("delete {}: {e}", m.provider.type_name()));
    }
    let check = Registry::aws(&direct);
    for m in &made {
        let p = check.resource(m.provider.type_name()).expect("registered");
        assert_eq!(
            p.read(&ctx, &m.state).await.expect("read after delete"),
            None,
            "{} still exists",
            p.type_name()
        );
    }
    direct
        .ec2
        .detach_internet_gateway()
        .internet_gateway_id(&igw_id)
        .vpc_id(&vpc_id)
        .send()
        .await
        .ok();

    let stats = proxy.stats();
    let faults: u64 = stats.faults.values().sum();
    eprintln!(
        "fault proxy: {} requests, faults {:?}",
        stats.requests, stats.faults
    );
    assert!(stats.requests > 50, "{stats:?}");
    assert!(faults as f64 > stats.requests as f64 * 0.1, "{stats:?}");
    assert!(stats.faults.len() >= 3, "too few kinds of fault: {stats:?}");
    assert!(
        !stats.ambiguous.is_empty(),
        "no call failed after moto acted: {stats:?}"
    );
}
