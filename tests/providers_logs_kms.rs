//! CloudWatch Logs and KMS resources and data sources against moto: create → read back (no
//! diff) → update in place → ForceNew replacement → import by id → find_created → delete →
//! read as gone.

mod support;

use emrform::config::value::Value;
use emrform::providers::{ApiOp, PathStep, Registry, ResourceProvider};
use std::sync::Arc;
use support::moto_differences::ACCOUNT_ID;

fn with(v: &Value, key: &str, val: Value) -> Value {
    let mut v = v.clone();
    if let Value::Map(m) = &mut v {
        m.insert(key.into(), val);
    }
    v
}

fn res(r: &Registry, t: &str) -> Arc<dyn ResourceProvider> {
    r.resource(t).expect("registered")
}

fn tags(pairs: &[(&str, &str)]) -> Value {
    Value::map(pairs.iter().map(|(k, v)| (*k, Value::from(*v))))
}

fn no_diff(p: &Arc<dyn ResourceProvider>, state: &Value, want: &Value) {
    let plan = p.plan(Some(state), want);
    assert!(
        plan.changed_paths.is_empty(),
        "unexpected diff {:?} between {state:?} and {want:?}",
        plan.changed_paths
    );
}

fn field_op(op: &str, field: &str) -> ApiOp {
    ApiOp::with_fields(op, [field.to_string()])
}

#[tokio::test]
async fn log_group_lifecycle() {
    let clients = support::clients().await;
    let r = Registry::aws(&clients);
    let p = res(&r, "aws_cloudwatch_log_group");
    let ctx = support::ctx("aws_cloudwatch_log_group.jobs");
    let name = format!("/emr-serverless/{}", support::unique("jobs"));
    let want = Value::map([
        ("name", Value::from(name.as_str())),
        ("retention_in_days", Value::from(14i64)),
        ("tags", tags(&[("team", "data")])),
    ]);
    let plan = p.plan(None, &want);
    assert_eq!(
        plan.api_ops,
        vec![
            ApiOp::call("CreateLogGroup"),
            field_op("PutRetentionPolicy", "retention_in_days")
        ]
    );
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    assert_eq!(
        state.get("arn"),
        Some(&Value::from(format!(
            "arn:aws:logs:us-east-1:{ACCOUNT_ID}:log-group:{name}"
        )))
    );
    assert_eq!(state.get("id"), Some(&Value::from(name.as_str())));
    assert_eq!(state.get("retention_in_days"), Some(&Value::from(14i64)));
    assert_eq!(state.get("log_group_class"), Some(&Value::from("STANDARD")));
    assert_eq!(state.get("tags_all"), Some(&tags(&[("team", "data")])));
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    no_diff(&p, &read, &want);

    // In place: retention, KMS key, tags.
    let key = clients
        .kms
        .create_key()
        .description("log group key")
        .send()
        .await
        .expect("kms key");
    let key_arn = key
        .key_metadata()
        .and_then(|m| m.arn())
        .expect("key arn")
        .to_string();
    let update = with(&want, "retention_in_days", Value::from(30i64));
    let update = with(&update, "kms_key_id", Value::from(key_arn.as_str()));
    let update = with(&update, "tags", tags(&[("team", "ml"), ("app", "spark")]));
    let plan = p.plan(Some(&read), &update);
    assert!(plan.requires_replace.is_empty());
    assert_eq!(
        plan.api_ops,
        vec![
            field_op("PutRetentionPolicy", "retention_in_days"),
            field_op("AssociateKmsKey", "kms_key_id"),
            ApiOp::with_fields("TagResource", ["app".to_string(), "team".to_string()]),
        ]
    );
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("update");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert_eq!(read.get("retention_in_days"), Some(&Value::from(30i64)));
    assert_eq!(read.get("kms_key_id"), Some(&Value::from(key_arn.as_str())));
    assert_eq!(
        read.get("tags"),
        Some(&tags(&[("app", "spark"), ("team", "ml")]))
    );
    no_diff(&p, &read, &update);

    // Back to "never expire", no key, one tag fewer.
    let back = Value::map([
        ("name", Value::from(name.as_str())),
        ("tags", tags(&[("team", "ml")])),
    ]);
    let plan = p.plan(Some(&read), &back);
    assert_eq!(
        plan.api_ops,
        vec![
            field_op("DeleteRetentionPolicy", "retention_in_days"),
            field_op("DisassociateKmsKey", "kms_key_id"),
            field_op("UntagResource", "app"),
        ]
    );
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("revert");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert_eq!(read.get("retention_in_days"), Some(&Value::from(0i64)));
    assert_eq!(read.get("kms_key_id"), Some(&Value::Null));
    no_diff(&p, &read, &back);

    // ForceNew: the class.
    let infrequent = with(&back, "log_group_class", Value::from("INFREQUENT_ACCESS"));
    let plan = p.plan(Some(&read), &infrequent);
    assert_eq!(
        plan.requires_replace,
        vec![vec![PathStep::Attr("log_group_class".into())]]
    );
    assert_eq!(
        plan.api_ops,
        vec![ApiOp::call("DeleteLogGroup"), ApiOp::call("CreateLogGroup")]
    );
    p.delete(&ctx, &read).await.expect("delete old");
    let created = p.create(&ctx, &plan.planned).await.expect("create new");
    assert_eq!(
        created.get("log_group_class"),
        Some(&Value::from("INFREQUENT_ACCESS"))
    );

    // Import by name, and find an interrupted create by name.
    let imported = p
        .import(&ctx, &name)
        .await
        .expect("import")
        .expect("exists");
    assert_eq!(imported.get("arn"), created.get("arn"));
    no_diff(&p, &imported, &infrequent);
    let found = p
        .find_created(&ctx, &p.plan(None, &infrequent).planned)
        .await
        .expect("find_created")
        .expect("searchable by name");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].get("arn"), created.get("arn"));

    // skip_destroy changes state only, and delete then leaves the group.
    let keep = with(&infrequent, "skip_destroy", Value::Bool(true));
    let plan = p.plan(Some(&imported), &keep);
    assert_eq!(
        plan.changed_paths,
        vec![vec![PathStep::Attr("skip_destroy".into())]]
    );
    assert!(plan.api_ops.is_empty());
    let kept = p
        .update(&ctx, &imported, &plan.planned)
        .await
        .expect("update");
    p.delete(&ctx, &kept).await.expect("skip destroy");
    assert!(p.read(&ctx, &kept).await.expect("read").is_some());

    p.delete(&ctx, &imported).await.expect("delete");
    assert_eq!(p.read(&ctx, &imported).await.expect("read"), None);
    assert_eq!(p.import(&ctx, &name).await.expect("import"), None);
}

#[tokio::test]
async fn log_group_from_a_name_prefix() {
    let r = Registry::aws(&support::clients().await);
    let p = res(&r, "aws_cloudwatch_log_group");
    let ctx = support::ctx("aws_cloudwatch_log_group.prefixed");
    let prefix = format!("/emr/{}-", support::unique("pfx"));
    let want = Value::map([("name_prefix", Value::from(prefix.as_str()))]);
    let plan = p.plan(None, &want);
    assert_eq!(plan.planned.get("name"), Some(&Value::Unknown));
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    let name = state
        .get("name")
        .and_then(Value::as_str)
        .expect("name")
        .to_string();
    assert!(name.starts_with(&prefix), "{name}");
    assert_eq!(state.get("id"), Some(&Value::from(name.as_str())));
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    no_diff(&p, &read, &want);
    p.delete(&ctx, &read).await.expect("delete");
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
}
