//! EC2 network resources and data sources against moto: create → read back (no diff) →
//! update in place → ForceNew replacement → import by id → delete → read as gone.

mod support;

use emrform::config::value::Value;
use emrform::providers::{ApiOp, Ctx, PathStep, Registry, ResourceProvider};
use std::sync::Arc;

fn with(v: &Value, key: &str, val: Value) -> Value {
    let mut v = v.clone();
    if let Value::Map(m) = &mut v {
        m.insert(key.into(), val);
    }
    v
}

fn s(v: &str) -> Value {
    Value::from(v)
}

fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|i| Value::from(*i)).collect())
}

fn id(v: &Value) -> String {
    v.get("id").and_then(Value::as_str).expect("id").to_string()
}

async fn registry() -> Registry {
    Registry::aws(&support::clients().await)
}

fn res(r: &Registry, t: &str) -> Arc<dyn ResourceProvider> {
    r.resource(t).expect("registered")
}

/// Runs the standard cycle: create → read (no diff) → update in place → ForceNew replace →
/// import → delete → gone. Returns nothing; panics with the step that failed.
async fn cycle(
    p: &Arc<dyn ResourceProvider>,
    ctx: &Ctx,
    want: Value,
    update: Value,
    expect_ops: Vec<ApiOp>,
    replace: Value,
    replace_attr: &str,
) {
    let state = p
        .create(ctx, &p.plan(None, &want).planned)
        .await
        .expect("create");
    let read = p
        .read(ctx, &state)
        .await
        .expect("read")
        .expect("exists after create");
    let again = p.plan(Some(&read), &want);
    assert!(
        again.changed_paths.is_empty(),
        "{}: diff after create: {:?}",
        p.type_name(),
        again.changed_paths
    );

    let plan = p.plan(Some(&read), &update);
    assert!(
        plan.requires_replace.is_empty(),
        "{}: {:?}",
        p.type_name(),
        plan.requires_replace
    );
    assert_eq!(plan.api_ops, expect_ops, "{}", p.type_name());
    let updated = p.update(ctx, &read, &plan.planned).await.expect("update");
    let read = p
        .read(ctx, &updated)
        .await
        .expect("read")
        .expect("exists after update");
    let again = p.plan(Some(&read), &update);
    assert!(
        again.changed_paths.is_empty(),
        "{}: diff after update: {:?}",
        p.type_name(),
        again.changed_paths
    );

    let plan = p.plan(Some(&read), &replace);
    assert_eq!(
        plan.requires_replace,
        vec![vec![PathStep::Attr(replace_attr.into())]],
        "{}",
        p.type_name()
    );
    p.delete(ctx, &read).await.expect("delete old");
    assert_eq!(p.read(ctx, &read).await.expect("read old"), None);
    let created = p
        .create(ctx, &plan.planned)
        .await
        .expect("create replacement");

    let imported = p
        .import(ctx, &import_id(p.type_name(), &created))
        .await
        .expect("import")
        .expect("import finds it");
    let again = p.plan(Some(&imported), &replace);
    assert!(
        again.changed_paths.is_empty(),
        "{}: diff after import: {:?}",
        p.type_name(),
        again.changed_paths
    );
    p.delete(ctx, &imported).await.expect("delete");
    assert_eq!(
        p.read(ctx, &imported).await.expect("read"),
        None,
        "{} still there",
        p.type_name()
    );
}

fn import_id(type_name: &str, v: &Value) -> String {
    if type_name == "aws_route_table_association" {
        let target = v
            .get("subnet_id")
            .and_then(Value::as_str)
            .or_else(|| v.get("gateway_id").and_then(Value::as_str))
            .unwrap_or_default();
        return format!(
            "{target}/{}",
            v.get("route_table_id")
                .and_then(Value::as_str)
                .unwrap_or_default()
        );
    }
    id(v)
}

async fn vpc(r: &Registry, cidr: &str) -> Value {
    let p = res(r, "aws_vpc");
    p.create(
        &support::ctx("aws_vpc.fixture"),
        &p.plan(None, &Value::map([("cidr_block", s(cidr))])).planned,
    )
    .await
    .expect("vpc")
}

async fn subnet(r: &Registry, vpc_id: &str, cidr: &str, az: &str) -> Value {
    let p = res(r, "aws_subnet");
    let want = Value::map([
        ("vpc_id", s(vpc_id)),
        ("cidr_block", s(cidr)),
        ("availability_zone", s(az)),
    ]);
    p.create(
        &support::ctx("aws_subnet.fixture"),
        &p.plan(None, &want).planned,
    )
    .await
    .expect("subnet")
}

#[tokio::test]
async fn vpc_and_subnet_lifecycles() {
    let r = registry().await;
    let want = Value::map([
        ("cidr_block", s("10.20.0.0/16")),
        ("tags", Value::map([("Name", s("main"))])),
    ]);
    let update = with(
        &with(&want, "enable_dns_hostnames", Value::Bool(true)),
        "tags",
        Value::map([("Name", s("main2"))]),
    );
    let replace = with(&update, "cidr_block", s("10.21.0.0/16"));
    cycle(
        &res(&r, "aws_vpc"),
        &support::ctx("aws_vpc.main"),
        want,
        update,
        vec![
            ApiOp::with_fields("ModifyVpcAttribute", ["enable_dns_hostnames".to_string()]),
            ApiOp::with_fields("CreateTags", ["Name".to_string()]),
        ],
        replace,
        "cidr_block",
    )
    .await;

    let v = vpc(&r, "10.22.0.0/16").await;
    let want = Value::map([
        ("vpc_id", s(&id(&v))),
        ("cidr_block", s("10.22.1.0/24")),
        ("availability_zone", s("us-east-1a")),
    ]);
    let update = with(&want, "map_public_ip_on_launch", Value::Bool(true));
    let replace = with(&update, "cidr_block", s("10.22.2.0/24"));
    cycle(
        &res(&r, "aws_subnet"),
        &support::ctx("aws_subnet.a"),
        want,
        update,
        vec![ApiOp::with_fields(
            "ModifySubnetAttribute",
            ["map_public_ip_on_launch".to_string()],
        )],
        replace,
        "cidr_block",
    )
    .await;
    res(&r, "aws_vpc")
        .delete(&support::ctx("aws_vpc.fixture"), &v)
        .await
        .expect("delete vpc");
}

#[tokio::test]
async fn security_group_lifecycle_with_inline_rules() {
    let r = registry().await;
    let v = vpc(&r, "10.30.0.0/16").await;
    let p = res(&r, "aws_security_group");
    let ctx = support::ctx("aws_security_group.emr");
    let https = Value::map([
        ("protocol", s("tcp")),
        ("from_port", Value::from(443i64)),
        ("to_port", Value::from(443i64)),
        ("cidr_blocks", list(&["10.30.0.0/16"])),
        ("description", s("https")),
    ]);
    let all_out = Value::map([
        ("protocol", s("-1")),
        ("from_port", Value::from(0i64)),
        ("to_port", Value::from(0i64)),
        ("cidr_blocks", list(&["0.0.0.0/0"])),
    ]);
    let name = support::unique("sg");

    // Without egress configured, AWS's default allow-all egress is removed on create.
    let bare = Value::map([("name", s(&format!("{name}-bare"))), ("vpc_id", s(&id(&v)))]);
    let plan = p.plan(None, &bare);
    assert_eq!(
        plan.api_ops[..2],
        [
            ApiOp::call("CreateSecurityGroup"),
            ApiOp::with_fields("RevokeSecurityGroupEgress", ["egress".to_string()])
        ]
    );
    let bare_state = p.create(&ctx, &plan.planned).await.expect("create bare");
    assert_eq!(bare_state.get("egress"), Some(&Value::Set(vec![])));
    assert!(p.plan(Some(&bare_state), &bare).changed_paths.is_empty());
    p.delete(&ctx, &bare_state).await.expect("delete bare");

    let want = Value::map([
        ("name", s(&name)),
        ("description", s("EMR Serverless workers")),
        ("vpc_id", s(&id(&v))),
        ("ingress", Value::List(vec![https.clone()])),
        ("egress", Value::List(vec![all_out.clone()])),
    ]);
    let ssh = Value::map([
        ("protocol", s("6")),
        ("from_port", Value::from(22i64)),
        ("to_port", Value::from(22i64)),
        ("self", Value::Bool(true)),
    ]);
    let update = with(&want, "ingress", Value::List(vec![https.clone(), ssh]));
    let replace = with(&update, "name", s(&format!("{name}-b")));
    cycle(
        &p,
        &ctx,
        want,
        update,
        vec![ApiOp::with_fields(
            "AuthorizeSecurityGroupIngress",
            ["ingress".to_string()],
        )],
        replace,
        "name",
    )
    .await;
    res(&r, "aws_vpc")
        .delete(&support::ctx("aws_vpc.fixture"), &v)
        .await
        .expect("delete vpc");
}

#[tokio::test]
async fn security_group_rule_resources() {
    let r = registry().await;
    let v = vpc(&r, "10.31.0.0/16").await;
    let sgp = res(&r, "aws_security_group");
    let sctx = support::ctx("aws_security_group.x");
    let g1 = sgp
        .create(
            &sctx,
            &sgp.plan(
                None,
                &Value::map([("name", s(&support::unique("g1"))), ("vpc_id", s(&id(&v)))]),
            )
            .planned,
        )
        .await
        .expect("g1");
    let g2 = sgp
        .create(
            &sctx,
            &sgp.plan(
                None,
                &Value::map([("name", s(&support::unique("g2"))), ("vpc_id", s(&id(&v)))]),
            )
            .planned,
        )
        .await
        .expect("g2");

    let want = Value::map([
        ("security_group_id", s(&id(&g1))),
        ("ip_protocol", s("tcp")),
        ("from_port", Value::from(443i64)),
        ("to_port", Value::from(443i64)),
        ("cidr_ipv4", s("10.31.0.0/16")),
    ]);
    let update = with(&want, "description", s("https from the VPC"));
    let replace = with(&update, "security_group_id", s(&id(&g2)));
    cycle(
        &res(&r, "aws_vpc_security_group_ingress_rule"),
        &support::ctx("aws_vpc_security_group_ingress_rule.https"),
        want,
        update,
        vec![ApiOp::with_fields(
            "ModifySecurityGroupRules",
            ["description".to_string()],
        )],
        replace,
        "security_group_id",
    )
    .await;

    let want = Value::map([
        ("security_group_id", s(&id(&g1))),
        ("ip_protocol", s("-1")),
        ("cidr_ipv4", s("0.0.0.0/0")),
    ]);
    let update = with(&want, "tags", Value::map([("Name", s("all-out"))]));
    let replace = with(&update, "security_group_id", s(&id(&g2)));
    cycle(
        &res(&r, "aws_vpc_security_group_egress_rule"),
        &support::ctx("aws_vpc_security_group_egress_rule.all"),
        want,
        update,
        vec![ApiOp::with_fields("CreateTags", ["Name".to_string()])],
        replace,
        "security_group_id",
    )
    .await;
    sgp.delete(&sctx, &g1).await.expect("g1");
    sgp.delete(&sctx, &g2).await.expect("g2");
    res(&r, "aws_vpc")
        .delete(&support::ctx("aws_vpc.fixture"), &v)
        .await
        .expect("delete vpc");
}

#[tokio::test]
async fn route_table_association_and_endpoint_lifecycles() {
    let r = registry().await;
    let clients = support::clients().await;
    let v = vpc(&r, "10.40.0.0/16").await;
    let v2 = vpc(&r, "10.41.0.0/16").await;
    let vpc_id = id(&v);
    let igw = clients
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
    clients
        .ec2
        .attach_internet_gateway()
        .internet_gateway_id(&igw_id)
        .vpc_id(&vpc_id)
        .send()
        .await
        .expect("attach igw");

    let route = Value::map([("cidr_block", s("0.0.0.0/0")), ("gateway_id", s(&igw_id))]);
    let want = Value::map([
        ("vpc_id", s(&vpc_id)),
        ("tags", Value::map([("Name", s("public"))])),
    ]);
    let update = with(&want, "route", Value::List(vec![route]));
    let replace = with(&update, "vpc_id", s(&id(&v2)));
    let replace = with(&replace, "route", Value::List(vec![]));
    cycle(
        &res(&r, "aws_route_table"),
        &support::ctx("aws_route_table.public"),
        want,
        update,
        vec![ApiOp::with_fields("CreateRoute", ["route".to_string()])],
        replace,
        "vpc_id",
    )
    .await;

    let rtp = res(&r, "aws_route_table");
    let rctx = support::ctx("aws_route_table.x");
    let rt1 = rtp
        .create(
            &rctx,
            &rtp.plan(None, &Value::map([("vpc_id", s(&vpc_id))]))
                .planned,
        )
        .await
        .expect("rt1");
    let rt2 = rtp
        .create(
            &rctx,
            &rtp.plan(None, &Value::map([("vpc_id", s(&vpc_id))]))
                .planned,
        )
        .await
        .expect("rt2");
    let sn1 = subnet(&r, &vpc_id, "10.40.1.0/24", "us-east-1a").await;
    let sn2 = subnet(&r, &vpc_id, "10.40.2.0/24", "us-east-1b").await;
    let want = Value::map([
        ("subnet_id", s(&id(&sn1))),
        ("route_table_id", s(&id(&rt1))),
    ]);
    let update = with(&want, "route_table_id", s(&id(&rt2)));
    let replace = with(&update, "subnet_id", s(&id(&sn2)));
    cycle(
        &res(&r, "aws_route_table_association"),
        &support::ctx("aws_route_table_association.a"),
        want,
        update,
        vec![ApiOp::with_fields(
            "ReplaceRouteTableAssociation",
            ["route_table_id".to_string()],
        )],
        replace,
        "subnet_id",
    )
    .await;

    let want = Value::map([
        ("vpc_id", s(&vpc_id)),
        ("service_name", s("com.amazonaws.us-east-1.s3")),
        ("route_table_ids", Value::set(vec![s(&id(&rt1))])),
    ]);
    let update = with(
        &want,
        "route_table_ids",
        Value::set(vec![s(&id(&rt1)), s(&id(&rt2))]),
    );
    let replace = with(
        &update,
        "service_name",
        s("com.amazonaws.us-east-1.dynamodb"),
    );
    cycle(
        &res(&r, "aws_vpc_endpoint"),
        &support::ctx("aws_vpc_endpoint.s3"),
        want,
        update,
        vec![ApiOp::with_fields(
            "ModifyVpcEndpoint",
            ["route_table_ids".to_string()],
        )],
        replace,
        "service_name",
    )
    .await;
}

#[tokio::test]
async fn network_data_sources_read() {
    let r = registry().await;
    let ctx = support::ctx("data.x.y");
    let v = vpc(&r, "10.50.0.0/16").await;
    let vpc_id = id(&v);
    let sn = subnet(&r, &vpc_id, "10.50.1.0/24", "us-east-1a").await;
    let _sn2 = subnet(&r, &vpc_id, "10.50.2.0/24", "us-east-1b").await;

    let d = r
        .data_source("aws_vpc")
        .expect("ds")
        .read(&ctx, &Value::map([("id", s(&vpc_id))]))
        .await
        .expect("vpc");
    assert_eq!(d.get("cidr_block"), Some(&s("10.50.0.0/16")));
    assert_eq!(d.get("main_route_table_id"), v.get("main_route_table_id"));

    let d = r
        .data_source("aws_subnet")
        .expect("ds")
        .read(&ctx, &Value::map([("id", s(&id(&sn)))]))
        .await
        .expect("subnet");
    assert_eq!(
        d.get("available_ip_address_count"),
        Some(&Value::from(251i64))
    );
    assert_eq!(d.get("availability_zone"), Some(&s("us-east-1a")));

    let filter = Value::List(vec![Value::map([
        ("name", s("vpc-id")),
        ("values", Value::set(vec![s(&vpc_id)])),
    ])]);
    let d = r
        .data_source("aws_subnets")
        .expect("ds")
        .read(&ctx, &Value::map([("filter", filter.clone())]))
        .await
        .expect("subnets");
    assert_eq!(
        d.get("ids").and_then(Value::as_list).map(<[Value]>::len),
        Some(2)
    );

    let d = r
        .data_source("aws_availability_zones")
        .expect("ds")
        .read(&ctx, &Value::map([("state", s("available"))]))
        .await
        .expect("azs");
    let names = d.get("names").and_then(Value::as_list).expect("names");
    assert!(names.contains(&s("us-east-1a")));
    assert_eq!(
        d.get("zone_ids")
            .and_then(Value::as_list)
            .map(<[Value]>::len),
        Some(names.len())
    );

    let d = r
        .data_source("aws_route_table")
        .expect("ds")
        .read(
            &ctx,
            &Value::map([
                ("vpc_id", s(&vpc_id)),
                (
                    "filter",
                    Value::List(vec![Value::map([
                        ("name", s("association.main")),
                        ("values", Value::set(vec![s("true")])),
                    ])]),
                ),
            ]),
        )
        .await
        .expect("route table");
    assert_eq!(d.get("id"), v.get("main_route_table_id"));

    let none = r
        .data_source("aws_vpc")
        .expect("ds")
        .read(&ctx, &Value::map([("id", s("vpc-00000000"))]))
        .await;
    assert!(none.is_err());
}
