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
    let attr = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default();
    if type_name == "aws_route" {
        return format!(
            "{}_{}",
            attr("route_table_id"),
            attr("destination_cidr_block")
        );
    }
    if type_name == "aws_security_group_rule" {
        return format!(
            "{}_{}_{}_{}_{}_{}",
            attr("security_group_id"),
            attr("type"),
            attr("protocol"),
            v.get("from_port")
                .and_then(Value::as_i64)
                .unwrap_or_default(),
            v.get("to_port").and_then(Value::as_i64).unwrap_or_default(),
            v.get("cidr_blocks")
                .and_then(Value::as_list)
                .unwrap_or(&[])
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("_")
        );
    }
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

/// After a create: find_created finds the object `state` describes (by its id).
/// Also checks that the created object has every attribute the plan has.
async fn assert_found(p: &Arc<dyn ResourceProvider>, ctx: &Ctx, planned: &Value, state: &Value) {
    for k in planned.as_map().expect("planned map").keys() {
        assert!(
            state.get(k).is_some(),
            "{}: {k} missing from the created object",
            p.type_name()
        );
    }
    let found = p
        .find_created(ctx, planned)
        .await
        .expect("find_created")
        .expect("the type can tell");
    assert!(
        found.iter().any(|f| f.get("id") == state.get("id")),
        "{}: find_created did not find {:?} in {:?}",
        p.type_name(),
        state.get("id"),
        found
    );
}

#[tokio::test]
async fn internet_gateway_lifecycle() {
    let r = registry().await;
    let v1 = vpc(&r, "10.60.0.0/16").await;
    let v2 = vpc(&r, "10.61.0.0/16").await;
    let p = res(&r, "aws_internet_gateway");
    let ctx = support::ctx("aws_internet_gateway.main");
    let want = Value::map([
        ("vpc_id", s(&id(&v1))),
        ("tags", Value::map([("Name", s(&support::unique("igw")))])),
    ]);
    let plan = p.plan(None, &want);
    assert_eq!(
        plan.api_ops,
        vec![
            ApiOp::call("CreateInternetGateway"),
            ApiOp::with_fields("AttachInternetGateway", ["vpc_id".to_string()])
        ]
    );
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    let igw = id(&state);
    assert!(igw.starts_with("igw-"), "{igw}");
    assert_eq!(state.get("vpc_id"), Some(&s(&id(&v1))));
    assert_eq!(
        state.get("arn"),
        Some(&s(&format!(
            "arn:aws:ec2:us-east-1:{}:internet-gateway/{igw}",
            support::moto_differences::ACCOUNT_ID
        )))
    );
    assert_found(&p, &ctx, &plan.planned, &state).await;
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    assert!(p.plan(Some(&read), &want).changed_paths.is_empty());

    // Moving to another VPC is a detach and an attach, in place.
    let update = with(&want, "vpc_id", s(&id(&v2)));
    let plan = p.plan(Some(&read), &update);
    assert!(plan.requires_replace.is_empty());
    assert_eq!(
        plan.api_ops,
        vec![
            ApiOp::with_fields("DetachInternetGateway", ["vpc_id".to_string()]),
            ApiOp::with_fields("AttachInternetGateway", ["vpc_id".to_string()])
        ]
    );
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("update");
    assert_eq!(updated.get("id"), Some(&s(&igw)));
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert_eq!(read.get("vpc_id"), Some(&s(&id(&v2))));
    assert!(p.plan(Some(&read), &update).changed_paths.is_empty());

    let imported = p.import(&ctx, &igw).await.expect("import").expect("found");
    assert!(
        p.plan(Some(&imported), &update).changed_paths.is_empty(),
        "{:?}",
        p.plan(Some(&imported), &update).changed_paths
    );
    p.delete(&ctx, &imported).await.expect("delete");
    assert_eq!(p.read(&ctx, &imported).await.expect("read"), None);
    for v in [v1, v2] {
        res(&r, "aws_vpc")
            .delete(&support::ctx("aws_vpc.fixture"), &v)
            .await
            .expect("delete vpc");
    }
}

#[tokio::test]
async fn eip_lifecycle() {
    let r = registry().await;
    let clients = support::clients().await;
    let v = vpc(&r, "10.62.0.0/16").await;
    let sn = subnet(&r, &id(&v), "10.62.1.0/24", "us-east-1a").await;
    let eni = clients
        .ec2
        .create_network_interface()
        .subnet_id(id(&sn))
        .send()
        .await
        .expect("eni")
        .network_interface()
        .and_then(|n| n.network_interface_id())
        .expect("eni id")
        .to_string();
    let p = res(&r, "aws_eip");
    let ctx = support::ctx("aws_eip.nat");
    let want = Value::map([
        ("domain", s("vpc")),
        ("tags", Value::map([("Name", s(&support::unique("eip")))])),
    ]);
    let plan = p.plan(None, &want);
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    let alloc = id(&state);
    assert!(alloc.starts_with("eipalloc-"), "{alloc}");
    assert_eq!(state.get("allocation_id"), Some(&s(&alloc)));
    let ip = state
        .get("public_ip")
        .and_then(Value::as_str)
        .expect("public ip")
        .to_string();
    assert_eq!(
        state.get("public_dns"),
        Some(&s(&format!(
            "ec2-{}.compute-1.amazonaws.com",
            ip.replace('.', "-")
        )))
    );
    assert_eq!(
        state.get("arn"),
        Some(&s(&format!(
            "arn:aws:ec2:us-east-1:{}:elastic-ip/{alloc}",
            support::moto_differences::ACCOUNT_ID
        )))
    );
    assert_found(&p, &ctx, &plan.planned, &state).await;
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    assert!(p.plan(Some(&read), &want).changed_paths.is_empty());

    // Associating with a network interface is in place.
    let update = with(&want, "network_interface", s(&eni));
    let plan = p.plan(Some(&read), &update);
    assert!(plan.requires_replace.is_empty());
    assert_eq!(
        plan.api_ops,
        vec![ApiOp::with_fields(
            "AssociateAddress",
            ["network_interface".to_string()]
        )]
    );
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("update");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert_eq!(read.get("network_interface"), Some(&s(&eni)));
    assert!(
        read.get("association_id")
            .and_then(Value::as_str)
            .is_some_and(|a| !a.is_empty()),
        "{read:?}"
    );
    assert!(p.plan(Some(&read), &update).changed_paths.is_empty());

    // A specific address forces a new allocation.
    let replace = with(&want, "address", s("198.51.100.7"));
    let plan = p.plan(Some(&read), &replace);
    assert_eq!(
        plan.requires_replace,
        vec![vec![PathStep::Attr("address".into())]]
    );
    p.delete(&ctx, &read).await.expect("delete (disassociates)");
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
    let created = p.create(&ctx, &plan.planned).await.expect("create new");
    assert_eq!(created.get("public_ip"), Some(&s("198.51.100.7")));

    let imported = p
        .import(&ctx, &id(&created))
        .await
        .expect("import")
        .expect("found");
    let by_ip = p
        .import(&ctx, "198.51.100.7")
        .await
        .expect("import by ip")
        .expect("found by ip");
    assert_eq!(by_ip.get("id"), created.get("id"));
    let mut imported_cfg = replace.clone();
    if let Value::Map(m) = &mut imported_cfg {
        // `address` is not read back (as in the AWS provider): an import plans it as a change.
        m.remove("address");
    }
    assert!(
        p.plan(Some(&imported), &imported_cfg)
            .changed_paths
            .is_empty(),
        "{:?}",
        p.plan(Some(&imported), &imported_cfg).changed_paths
    );
    p.delete(&ctx, &imported).await.expect("delete");
    assert_eq!(p.read(&ctx, &imported).await.expect("read"), None);
    clients
        .ec2
        .delete_network_interface()
        .network_interface_id(&eni)
        .send()
        .await
        .expect("delete eni");
}

#[tokio::test]
async fn nat_gateway_and_route_lifecycles() {
    let r = registry().await;
    let v = vpc(&r, "10.63.0.0/16").await;
    let vpc_id = id(&v);
    let sn1 = subnet(&r, &vpc_id, "10.63.1.0/24", "us-east-1a").await;
    let sn2 = subnet(&r, &vpc_id, "10.63.2.0/24", "us-east-1b").await;
    let eipp = res(&r, "aws_eip");
    let ectx = support::ctx("aws_eip.nat");
    let eip = eipp
        .create(
            &ectx,
            &eipp.plan(None, &Value::map([("domain", s("vpc"))])).planned,
        )
        .await
        .expect("eip");
    let eip2 = eipp
        .create(
            &ectx,
            &eipp.plan(None, &Value::map([("domain", s("vpc"))])).planned,
        )
        .await
        .expect("eip2");
    let igwp = res(&r, "aws_internet_gateway");
    let ictx = support::ctx("aws_internet_gateway.x");
    let igw = igwp
        .create(
            &ictx,
            &igwp
                .plan(None, &Value::map([("vpc_id", s(&vpc_id))]))
                .planned,
        )
        .await
        .expect("igw");

    let p = res(&r, "aws_nat_gateway");
    let ctx = support::ctx("aws_nat_gateway.main");
    let want = Value::map([
        ("allocation_id", s(&id(&eip))),
        ("subnet_id", s(&id(&sn1))),
        ("tags", Value::map([("Name", s(&support::unique("nat")))])),
    ]);
    let plan = p.plan(None, &want);
    assert_eq!(plan.planned.get("connectivity_type"), Some(&s("public")));
    let nat = p.create(&ctx, &plan.planned).await.expect("create nat");
    assert!(id(&nat).starts_with("nat-"), "{nat:?}");
    assert_eq!(nat.get("public_ip"), eip.get("public_ip"));
    assert_eq!(nat.get("vpc_id"), Some(&s(&vpc_id)));
    assert!(
        nat.get("network_interface_id")
            .and_then(Value::as_str)
            .is_some_and(|n| n.starts_with("eni-")),
        "{nat:?}"
    );
    assert_found(&p, &ctx, &plan.planned, &nat).await;
    let read = p.read(&ctx, &nat).await.expect("read").expect("exists");
    assert!(
        p.plan(Some(&read), &want).changed_paths.is_empty(),
        "{:?}",
        p.plan(Some(&read), &want).changed_paths
    );
    let update = with(&want, "tags", Value::map([("Name", s("nat-a"))]));
    let plan = p.plan(Some(&read), &update);
    assert_eq!(
        plan.api_ops,
        vec![ApiOp::with_fields("CreateTags", ["Name".to_string()])]
    );
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("update");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert!(p.plan(Some(&read), &update).changed_paths.is_empty());
    let replace = with(
        &with(&update, "subnet_id", s(&id(&sn2))),
        "allocation_id",
        s(&id(&eip2)),
    );
    let plan = p.plan(Some(&read), &replace);
    assert_eq!(
        plan.requires_replace,
        vec![
            vec![PathStep::Attr("allocation_id".into())],
            vec![PathStep::Attr("subnet_id".into())]
        ]
    );
    p.delete(&ctx, &read).await.expect("delete nat");
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
    let nat = p
        .create(&ctx, &plan.planned)
        .await
        .expect("create replacement");
    let imported = p
        .import(&ctx, &id(&nat))
        .await
        .expect("import")
        .expect("found");
    assert!(
        p.plan(Some(&imported), &replace).changed_paths.is_empty(),
        "{:?}",
        p.plan(Some(&imported), &replace).changed_paths
    );

    // aws_route: a default route through the internet gateway, then through the NAT gateway.
    let rtp = res(&r, "aws_route_table");
    let rt = rtp
        .create(
            &support::ctx("aws_route_table.x"),
            &rtp.plan(None, &Value::map([("vpc_id", s(&vpc_id))]))
                .planned,
        )
        .await
        .expect("route table");
    let rp = res(&r, "aws_route");
    let rctx = support::ctx("aws_route.default");
    let want = Value::map([
        ("route_table_id", s(&id(&rt))),
        ("destination_cidr_block", s("0.0.0.0/0")),
        ("gateway_id", s(&id(&igw))),
    ]);
    let update = with(
        &with(&want, "gateway_id", Value::Null),
        "nat_gateway_id",
        s(&id(&nat)),
    );
    let replace = with(&update, "destination_cidr_block", s("192.168.0.0/16"));
    let plan = rp.plan(None, &want);
    let route_id = plan
        .planned
        .get("id")
        .and_then(Value::as_str)
        .expect("id known at plan time")
        .to_string();
    assert!(
        route_id.starts_with(&format!("r-{}", id(&rt))),
        "{route_id}"
    );
    let state = rp.create(&rctx, &plan.planned).await.expect("create route");
    assert_eq!(state.get("id"), Some(&s(&route_id)));
    assert_eq!(state.get("origin"), Some(&s("CreateRoute")));
    assert_found(&rp, &rctx, &plan.planned, &state).await;
    rp.delete(&rctx, &state).await.expect("delete route");
    cycle(
        &rp,
        &rctx,
        want,
        update,
        vec![ApiOp::with_fields(
            "ReplaceRoute",
            ["gateway_id".to_string(), "nat_gateway_id".to_string()],
        )],
        replace,
        "destination_cidr_block",
    )
    .await;

    p.delete(&ctx, &imported).await.expect("delete nat");
    assert_eq!(p.read(&ctx, &imported).await.expect("read"), None);
    rtp.delete(&support::ctx("aws_route_table.x"), &rt)
        .await
        .expect("delete rt");
    igwp.delete(&ictx, &igw).await.expect("delete igw");
    for e in [eip, eip2] {
        eipp.delete(&ectx, &e).await.expect("release eip");
    }
}

#[tokio::test]
async fn security_group_rule_legacy_lifecycle() {
    let r = registry().await;
    let v = vpc(&r, "10.64.0.0/16").await;
    let sgp = res(&r, "aws_security_group");
    let sctx = support::ctx("aws_security_group.x");
    let g = sgp
        .create(
            &sctx,
            &sgp.plan(
                None,
                &Value::map([("name", s(&support::unique("g"))), ("vpc_id", s(&id(&v)))]),
            )
            .planned,
        )
        .await
        .expect("group");
    let p = res(&r, "aws_security_group_rule");
    let ctx = support::ctx("aws_security_group_rule.https");
    let want = Value::map([
        ("type", s("ingress")),
        ("security_group_id", s(&id(&g))),
        ("protocol", s("tcp")),
        ("from_port", Value::from(443i64)),
        ("to_port", Value::from(443i64)),
        ("cidr_blocks", list(&["10.64.0.0/16", "10.65.0.0/16"])),
    ]);
    let plan = p.plan(None, &want);
    let planned_id = plan.planned.get("id").cloned();
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    assert_eq!(state.get("id").cloned(), planned_id);
    assert!(id(&state).starts_with("sgrule-"), "{state:?}");
    assert!(
        state
            .get("security_group_rule_id")
            .and_then(Value::as_str)
            .is_some_and(|r| r.starts_with("sgr-")),
        "{state:?}"
    );
    assert_found(&p, &ctx, &plan.planned, &state).await;
    p.delete(&ctx, &state).await.expect("delete");
    assert_eq!(p.read(&ctx, &state).await.expect("read"), None);

    let update = with(&want, "description", s("https from the VPC"));
    let replace = with(&update, "to_port", Value::from(444i64));
    cycle(
        &p,
        &ctx,
        want,
        update,
        vec![ApiOp::with_fields(
            "UpdateSecurityGroupRuleDescriptionsIngress",
            ["description".to_string()],
        )],
        replace,
        "to_port",
    )
    .await;

    // An egress rule to its own group, with the protocol spelled as a number.
    let own = Value::map([
        ("type", s("egress")),
        ("security_group_id", s(&id(&g))),
        ("protocol", s("6")),
        ("from_port", Value::from(22i64)),
        ("to_port", Value::from(22i64)),
        ("self", Value::Bool(true)),
    ]);
    let state = p
        .create(&ctx, &p.plan(None, &own).planned)
        .await
        .expect("create self rule");
    assert!(p.plan(Some(&state), &own).changed_paths.is_empty());
    let imported = p
        .import(&ctx, &format!("{}_egress_tcp_22_22_self", id(&g)))
        .await
        .expect("import")
        .expect("found");
    assert_eq!(imported.get("id"), state.get("id"));
    assert!(p.plan(Some(&imported), &own).changed_paths.is_empty());
    p.delete(&ctx, &imported).await.expect("delete");
    assert_eq!(p.read(&ctx, &imported).await.expect("read"), None);

    sgp.delete(&sctx, &g).await.expect("delete group");
    res(&r, "aws_vpc")
        .delete(&support::ctx("aws_vpc.fixture"), &v)
        .await
        .expect("delete vpc");
}

#[tokio::test]
async fn security_group_data_source_reads() {
    let r = registry().await;
    let ctx = support::ctx("data.aws_security_group.x");
    let v = vpc(&r, "10.66.0.0/16").await;
    let sgp = res(&r, "aws_security_group");
    let name = support::unique("dsg");
    let g = sgp
        .create(
            &support::ctx("aws_security_group.x"),
            &sgp.plan(
                None,
                &Value::map([
                    ("name", s(&name)),
                    ("description", s("looked up")),
                    ("vpc_id", s(&id(&v))),
                    ("tags", Value::map([("Team", s(&name))])),
                ]),
            )
            .planned,
        )
        .await
        .expect("group");
    let ds = r.data_source("aws_security_group").expect("registered");

    let by_id = ds
        .read(&ctx, &Value::map([("id", s(&id(&g)))]))
        .await
        .expect("by id");
    assert_eq!(by_id.get("name"), Some(&s(&name)));
    assert_eq!(by_id.get("description"), Some(&s("looked up")));
    assert_eq!(by_id.get("vpc_id"), Some(&s(&id(&v))));
    assert_eq!(by_id.get("arn"), g.get("arn"));

    let by_name = ds
        .read(
            &ctx,
            &Value::map([("name", s(&name)), ("vpc_id", s(&id(&v)))]),
        )
        .await
        .expect("by name");
    assert_eq!(by_name.get("id"), Some(&s(&id(&g))));

    let by_filter = ds
        .read(
            &ctx,
            &Value::map([(
                "filter",
                Value::List(vec![Value::map([
                    ("name", s("tag:Team")),
                    ("values", Value::set(vec![s(&name)])),
                ])]),
            )]),
        )
        .await
        .expect("by filter");
    assert_eq!(by_filter.get("id"), Some(&s(&id(&g))));
    assert_eq!(
        by_filter.get("tags"),
        Some(&Value::map([("Team", s(&name))]))
    );

    let by_tags = ds
        .read(
            &ctx,
            &Value::map([("tags", Value::map([("Team", s(&name))]))]),
        )
        .await
        .expect("by tags");
    assert_eq!(by_tags.get("id"), Some(&s(&id(&g))));

    let missing = ds
        .read(&ctx, &Value::map([("name", s(&format!("{name}-nope")))]))
        .await;
    assert!(missing.is_err(), "{missing:?}");

    sgp.delete(&support::ctx("aws_security_group.x"), &g)
        .await
        .expect("delete group");
    res(&r, "aws_vpc")
        .delete(&support::ctx("aws_vpc.fixture"), &v)
        .await
        .expect("delete vpc");
}
