//! `aws_emrserverless_application` against moto (through our launcher): create → read back
//! (no diff) → update in place on a STARTED application (stop → update → start) → ForceNew
//! replacement → import by id → delete → read as gone.

mod support;

use emrform::config::value::Value;
use emrform::providers::{ApiOp, PathStep, ProviderError, Registry, ResourceProvider};
use std::sync::Arc;
use support::moto_differences::{NEW_APPLICATIONS_ARE_STARTED, NEXT_RELEASE_LABEL, RELEASE_LABEL};

const TYPE: &str = "aws_emrserverless_application";

fn block(pairs: Vec<(&str, Value)>) -> Value {
    Value::List(vec![Value::map(pairs)])
}

fn desired(name: &str) -> Value {
    Value::map([
        ("name", Value::from(name)),
        ("type", Value::from("spark")),
        ("release_label", Value::from(RELEASE_LABEL)),
        (
            "initial_capacity",
            Value::set(vec![Value::map([
                ("initial_capacity_type", Value::from("DRIVER")),
                (
                    "initial_capacity_config",
                    block(vec![
                        ("worker_count", Value::from(1i64)),
                        (
                            "worker_configuration",
                            block(vec![
                                ("cpu", Value::from("2 vCPU")),
                                ("memory", Value::from("4 GB")),
                            ]),
                        ),
                    ]),
                ),
            ])]),
        ),
        (
            "maximum_capacity",
            block(vec![
                ("cpu", Value::from("4 vCPU")),
                ("memory", Value::from("16 GB")),
                ("disk", Value::from("20 GB")),
            ]),
        ),
        (
            "auto_stop_configuration",
            block(vec![
                ("enabled", Value::Bool(true)),
                ("idle_timeout_minutes", Value::from(15i64)),
            ]),
        ),
        ("tags", Value::map([("team", Value::from("data"))])),
    ])
}

fn with(v: &Value, key: &str, val: Value) -> Value {
    let mut v = v.clone();
    if let Value::Map(m) = &mut v {
        m.insert(key.into(), val);
    }
    v
}

async fn provider() -> (Arc<dyn ResourceProvider>, emrform::providers::Clients) {
    let clients = support::clients().await;
    let reg = Registry::aws(&clients);
    (reg.resource(TYPE).expect("registered"), clients)
}

async fn live_state(clients: &emrform::providers::Clients, id: &str) -> String {
    clients
        .emr_serverless
        .get_application()
        .application_id(id)
        .send()
        .await
        .expect("get")
        .application()
        .map(|a| a.state().as_str().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn application_full_lifecycle() {
    let (p, clients) = provider().await;
    let name = support::unique("app");
    let ctx = support::ctx(&format!("{TYPE}.main"));
    let want = desired(&name);

    // create
    let plan = p.plan(None, &want);
    assert_eq!(plan.api_ops, vec![ApiOp::call("CreateApplication")]);
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    let id = state
        .get("id")
        .and_then(Value::as_str)
        .expect("id")
        .to_string();
    assert!(state
        .get("arn")
        .and_then(Value::as_str)
        .is_some_and(|a| a.ends_with(&format!("/applications/{id}"))));

    // read back: no diff
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    let again = p.plan(Some(&read), &want);
    assert!(again.changed_paths.is_empty(), "{:?}", again.changed_paths);
    assert!(again.api_ops.is_empty());

    // update in place; moto's applications are STARTED, so stop → update → start
    const { assert!(NEW_APPLICATIONS_ARE_STARTED) };
    let want2 = with(
        &want,
        "maximum_capacity",
        block(vec![
            ("cpu", Value::from("8 vCPU")),
            ("memory", Value::from("32 GB")),
            ("disk", Value::from("20 GB")),
        ]),
    );
    let plan = p.plan(Some(&read), &want2);
    assert!(plan.requires_replace.is_empty());
    assert_eq!(
        plan.api_ops,
        vec![
            ApiOp::call("StopApplication").disruptive(),
            ApiOp::with_fields("UpdateApplication", ["maximum_capacity".to_string()]),
            ApiOp::call("StartApplication"),
        ]
    );
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("update");
    assert_eq!(live_state(&clients, &id).await, "STARTED");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert!(p.plan(Some(&read), &want2).changed_paths.is_empty());

    // ForceNew: a new name replaces the application
    let renamed = with(&want2, "name", Value::from(format!("{name}-b")));
    let plan = p.plan(Some(&read), &renamed);
    assert_eq!(
        plan.requires_replace,
        vec![vec![PathStep::Attr("name".into())]]
    );
    p.delete(&ctx, &read).await.expect("delete old");
    let replacement = p.create(&ctx, &plan.planned).await.expect("create new");
    let new_id = replacement
        .get("id")
        .and_then(Value::as_str)
        .expect("id")
        .to_string();
    assert_ne!(new_id, id);
    assert_eq!(p.read(&ctx, &read).await.expect("read old"), None);

    // import by id
    let imported = p
        .import(&ctx, &new_id)
        .await
        .expect("import")
        .expect("exists");
    assert_eq!(imported.get("arn"), replacement.get("arn"));
    assert!(p.plan(Some(&imported), &renamed).changed_paths.is_empty());

    // delete → gone
    p.delete(&ctx, &imported).await.expect("delete");
    assert_eq!(live_state(&clients, &new_id).await, "TERMINATED");
    assert_eq!(p.read(&ctx, &imported).await.expect("read"), None);
    assert_eq!(p.import(&ctx, &new_id).await.expect("import"), None);
}

#[tokio::test]
async fn fields_moto_drops_round_trip_through_the_launcher() {
    let (p, _clients) = provider().await;
    let ctx = support::ctx(&format!("{TYPE}.full"));
    let want = desired(&support::unique("full"));
    let want = with(&want, "architecture", Value::from("ARM64"));
    let want = with(
        &want,
        "image_configuration",
        block(vec![(
            "image_uri",
            Value::from("123456789012.dkr.ecr.us-east-1.amazonaws.com/spark:7.1"),
        )]),
    );
    let want = with(
        &want,
        "runtime_configuration",
        Value::List(vec![Value::map([
            ("classification", Value::from("spark-defaults")),
            (
                "properties",
                Value::map([("spark.executor.cores", Value::from("4"))]),
            ),
        ])]),
    );
    let want = with(
        &want,
        "monitoring_configuration",
        block(vec![(
            "s3_monitoring_configuration",
            block(vec![("log_uri", Value::from("s3://logs/emr/"))]),
        )]),
    );
    let want = with(
        &want,
        "scheduler_configuration",
        block(vec![
            ("max_concurrent_runs", Value::from(10i64)),
            ("queue_timeout_minutes", Value::from(60i64)),
        ]),
    );
    let want = with(
        &want,
        "interactive_configuration",
        block(vec![
            ("livy_endpoint_enabled", Value::Bool(true)),
            ("studio_enabled", Value::Bool(false)),
        ]),
    );
    let state = p
        .create(&ctx, &p.plan(None, &want).planned)
        .await
        .expect("create");
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    let plan = p.plan(Some(&read), &want);
    assert!(plan.changed_paths.is_empty(), "{:?}", plan.changed_paths);

    // release label and tags change in place
    let want2 = with(&want, "release_label", Value::from(NEXT_RELEASE_LABEL));
    let want2 = with(
        &want2,
        "tags",
        Value::map([("team", Value::from("platform"))]),
    );
    let plan = p.plan(Some(&read), &want2);
    assert_eq!(
        plan.api_ops,
        vec![
            ApiOp::with_fields("TagResource", ["team".to_string()]),
            ApiOp::call("StopApplication").disruptive(),
            ApiOp::with_fields("UpdateApplication", ["release_label".to_string()]),
            ApiOp::call("StartApplication"),
        ]
    );
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("update");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert_eq!(
        read.get("release_label"),
        Some(&Value::from(NEXT_RELEASE_LABEL))
    );
    assert!(p.plan(Some(&read), &want2).changed_paths.is_empty());
    p.delete(&ctx, &read).await.expect("delete");
}

#[tokio::test]
async fn aws_errors_name_the_address_the_operation_and_aws_message() {
    let (p, _clients) = provider().await;
    let ctx = support::ctx("aws_emrserverless_application.bad");
    let want = with(
        &desired(&support::unique("bad")),
        "release_label",
        Value::from("emr-0.0.1"),
    );
    let err = p
        .create(&ctx, &p.plan(None, &want).planned)
        .await
        .expect_err("refused");
    assert!(matches!(err, ProviderError::Api { .. }));
    let text = err.to_string();
    assert!(
        text.starts_with(
            "aws_emrserverless_application.bad: CreateApplication failed: ValidationException"
        ),
        "{text}"
    );
    assert!(text.contains("emr-0.0.1"), "{text}");
}

/// `aws_emr_release_labels` against moto's ListReleaseLabels. moto ignores `Filters` (its
/// docstring says filtering is not implemented), so the prefix the data source also applies
/// itself is what narrows the list here; against AWS the service filters first.
#[tokio::test]
async fn release_labels_data_source_lists_and_filters() {
    let clients = support::clients().await;
    let r = Registry::aws(&clients);
    let ctx = support::ctx("data.aws_emr_release_labels.latest");
    let ds = r.data_source("aws_emr_release_labels").expect("registered");
    let all = ds
        .read(&ctx, &Value::map(Vec::<(&str, Value)>::new()))
        .await
        .expect("list all");
    let all_labels = match all.get("release_labels") {
        Some(Value::List(l)) => l.clone(),
        other => panic!("release_labels: {other:?}"),
    };
    assert!(
        all_labels.len() > 10,
        "moto lists many labels: {all_labels:?}"
    );
    assert_eq!(
        all.get("id").and_then(Value::as_str),
        Some(clients.region.as_str())
    );
    let seven = ds
        .read(
            &ctx,
            &Value::map([(
                "filters",
                Value::List(vec![Value::map([("prefix", Value::from("emr-7"))])]),
            )]),
        )
        .await
        .expect("filtered");
    let labels = match seven.get("release_labels") {
        Some(Value::List(l)) => l.clone(),
        other => panic!("release_labels: {other:?}"),
    };
    assert!(!labels.is_empty());
    assert!(labels.len() < all_labels.len());
    assert!(labels
        .iter()
        .all(|l| l.as_str().is_some_and(|s| s.starts_with("emr-7"))));
}
