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

fn key_policy(sid: &str, action: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"{sid}","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT_ID}:root"}},"Action":"{action}","Resource":"*"}}]}}"#
    )
}

#[tokio::test]
async fn kms_key_lifecycle() {
    let r = Registry::aws(&support::clients().await);
    let p = res(&r, "aws_kms_key");
    let ctx = support::ctx("aws_kms_key.emr");
    let want = Value::map([
        ("description", Value::from("emr jobs")),
        ("deletion_window_in_days", Value::from(7i64)),
        ("tags", tags(&[("team", "data")])),
    ]);
    let plan = p.plan(None, &want);
    assert_eq!(plan.api_ops, vec![ApiOp::call("CreateKey")]);
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    let id = state
        .get("key_id")
        .and_then(Value::as_str)
        .expect("key id")
        .to_string();
    assert_eq!(state.get("id"), Some(&Value::from(id.as_str())));
    assert_eq!(
        state.get("arn"),
        Some(&Value::from(format!(
            "arn:aws:kms:us-east-1:{ACCOUNT_ID}:key/{id}"
        )))
    );
    assert_eq!(
        state.get("key_usage"),
        Some(&Value::from("ENCRYPT_DECRYPT"))
    );
    assert_eq!(
        state.get("customer_master_key_spec"),
        Some(&Value::from("SYMMETRIC_DEFAULT"))
    );
    assert_eq!(state.get("is_enabled"), Some(&Value::Bool(true)));
    assert_eq!(state.get("enable_key_rotation"), Some(&Value::Bool(false)));
    assert_eq!(state.get("multi_region"), Some(&Value::Bool(false)));
    assert_eq!(state.get("tags_all"), Some(&tags(&[("team", "data")])));
    // No policy configured: the default policy AWS made is read back for checks to see.
    let default_policy = state
        .get("policy")
        .and_then(Value::as_str)
        .expect("policy")
        .to_string();
    assert!(default_policy.contains("kms:*"), "{default_policy}");
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    no_diff(&p, &read, &want);

    // In place: rotation with a period, description, policy, tags.
    let policy = key_policy("EmrRoot", "kms:*");
    let update = with(&want, "description", Value::from("emr jobs and logs"));
    let update = with(&update, "enable_key_rotation", Value::Bool(true));
    let update = with(&update, "rotation_period_in_days", Value::from(180i64));
    let update = with(&update, "policy", Value::from(policy.as_str()));
    let update = with(&update, "tags", tags(&[("team", "data"), ("app", "spark")]));
    let plan = p.plan(Some(&read), &update);
    assert!(plan.requires_replace.is_empty());
    assert_eq!(
        plan.api_ops,
        vec![
            ApiOp::with_fields(
                "EnableKeyRotation",
                [
                    "enable_key_rotation".to_string(),
                    "rotation_period_in_days".to_string()
                ]
            ),
            field_op("UpdateKeyDescription", "description"),
            field_op("PutKeyPolicy", "policy"),
            field_op("TagResource", "app"),
        ]
    );
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("update");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert_eq!(read.get("enable_key_rotation"), Some(&Value::Bool(true)));
    assert_eq!(
        read.get("rotation_period_in_days"),
        Some(&Value::from(180i64))
    );
    assert_eq!(
        read.get("description"),
        Some(&Value::from("emr jobs and logs"))
    );
    assert_eq!(read.get("policy"), Some(&Value::from(policy.as_str())));
    no_diff(&p, &read, &update);
    // The same document written differently is no change.
    let pretty = serde_json::to_string_pretty(
        &serde_json::from_str::<serde_json::Value>(&policy).expect("json"),
    )
    .expect("pretty");
    no_diff(&p, &read, &with(&update, "policy", Value::from(pretty)));

    // Disable, then enable again with a new policy (enable first, so the policy can change).
    let disabled = with(&update, "is_enabled", Value::Bool(false));
    let plan = p.plan(Some(&read), &disabled);
    assert_eq!(plan.api_ops, vec![field_op("DisableKey", "is_enabled")]);
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("disable");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert_eq!(read.get("is_enabled"), Some(&Value::Bool(false)));
    no_diff(&p, &read, &disabled);
    let policy2 = key_policy("EmrRoot", "kms:Decrypt");
    let enabled = with(&update, "policy", Value::from(policy2.as_str()));
    let plan = p.plan(Some(&read), &enabled);
    assert_eq!(
        plan.api_ops,
        vec![
            field_op("EnableKey", "is_enabled"),
            field_op("PutKeyPolicy", "policy")
        ]
    );
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("enable");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert_eq!(read.get("is_enabled"), Some(&Value::Bool(true)));
    assert_eq!(read.get("policy"), Some(&Value::from(policy2.as_str())));
    no_diff(&p, &read, &enabled);

    // ForceNew: usage and spec.
    let signing = with(&enabled, "key_usage", Value::from("SIGN_VERIFY"));
    let signing = with(
        &signing,
        "customer_master_key_spec",
        Value::from("RSA_2048"),
    );
    let plan = p.plan(Some(&read), &signing);
    assert_eq!(
        plan.requires_replace,
        vec![
            vec![PathStep::Attr("customer_master_key_spec".into())],
            vec![PathStep::Attr("key_usage".into())],
        ]
    );

    // Import by key id: only the state-only deletion window differs (the AWS provider
    // does not import it either).
    let imported = p.import(&ctx, &id).await.expect("import").expect("exists");
    assert_eq!(imported.get("arn"), read.get("arn"));
    let plan = p.plan(Some(&imported), &enabled);
    assert_eq!(
        plan.changed_paths,
        vec![vec![PathStep::Attr("deletion_window_in_days".into())]]
    );
    assert!(plan.api_ops.is_empty());
    // No natural key: an interrupted create cannot be found again.
    assert_eq!(
        p.find_created(&ctx, &p.plan(None, &want).planned)
            .await
            .expect("find_created"),
        None
    );

    // Delete schedules the deletion; a key pending deletion reads as gone.
    p.delete(&ctx, &read).await.expect("delete");
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
    assert_eq!(p.import(&ctx, &id).await.expect("import"), None);
    p.delete(&ctx, &read).await.expect("deleting twice is fine");
}

#[tokio::test]
async fn kms_alias_lifecycle_and_key_data_source() {
    let r = Registry::aws(&support::clients().await);
    let keys = res(&r, "aws_kms_key");
    let p = res(&r, "aws_kms_alias");
    let ctx = support::ctx("aws_kms_alias.emr");
    let mut made = Vec::new();
    for d in ["first", "second"] {
        let want = Value::map([("description", Value::from(d))]);
        made.push(
            keys.create(&ctx, &keys.plan(None, &want).planned)
                .await
                .expect("key"),
        );
    }
    let key_id = |i: usize| {
        made[i]
            .get("key_id")
            .and_then(Value::as_str)
            .expect("key id")
            .to_string()
    };
    let key_arn = |i: usize| made[i].get("arn").cloned().expect("key arn");
    let name = format!("alias/{}", support::unique("emr"));
    let want = Value::map([
        ("name", Value::from(name.as_str())),
        ("target_key_id", Value::from(key_id(0))),
    ]);
    let plan = p.plan(None, &want);
    assert_eq!(plan.api_ops, vec![ApiOp::call("CreateAlias")]);
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    assert_eq!(state.get("id"), Some(&Value::from(name.as_str())));
    assert_eq!(
        state.get("arn"),
        Some(&Value::from(format!(
            "arn:aws:kms:us-east-1:{ACCOUNT_ID}:{name}"
        )))
    );
    assert_eq!(state.get("target_key_arn"), Some(&key_arn(0)));
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    no_diff(&p, &read, &want);
    // The key's ARN names the same key as its id.
    no_diff(&p, &read, &with(&want, "target_key_id", key_arn(0)));

    // The data source finds the key by id, key ARN, alias name and alias ARN.
    let data = r.data_source("aws_kms_key").expect("data source");
    let alias_arn = read.get("arn").cloned().expect("alias arn");
    for lookup in [
        Value::from(key_id(0)),
        key_arn(0),
        Value::from(name.as_str()),
        alias_arn,
    ] {
        let d = data
            .read(&ctx, &Value::map([("key_id", lookup.clone())]))
            .await
            .expect("data source read");
        assert_eq!(d.get("id"), Some(&Value::from(key_id(0))), "{lookup:?}");
        assert_eq!(d.get("key_id"), Some(&lookup));
        assert_eq!(d.get("arn"), Some(&key_arn(0)));
        assert_eq!(d.get("description"), Some(&Value::from("first")));
        assert_eq!(d.get("enabled"), Some(&Value::Bool(true)));
        assert_eq!(d.get("key_state"), Some(&Value::from("Enabled")));
        assert_eq!(d.get("key_manager"), Some(&Value::from("CUSTOMER")));
        assert_eq!(d.get("origin"), Some(&Value::from("AWS_KMS")));
        assert_eq!(d.get("aws_account_id"), Some(&Value::from(ACCOUNT_ID)));
        assert_eq!(d.get("multi_region"), Some(&Value::Bool(false)));
        assert_eq!(
            d.get("multi_region_configuration"),
            Some(&Value::List(vec![]))
        );
        let created = d
            .get("creation_date")
            .and_then(Value::as_str)
            .expect("creation date");
        assert!(
            chrono::DateTime::parse_from_rfc3339(created).is_ok(),
            "{created}"
        );
    }
    let missing = data
        .read(
            &ctx,
            &Value::map([("key_id", Value::from("alias/does-not-exist"))]),
        )
        .await;
    assert!(
        missing
            .as_ref()
            .err()
            .and_then(|e| e.api_error())
            .map(|e| e.is_not_found())
            .unwrap_or(false),
        "{missing:?}"
    );

    // In place: point the alias at the second key.
    let moved = with(&want, "target_key_id", Value::from(key_id(1)));
    let plan = p.plan(Some(&read), &moved);
    assert_eq!(plan.api_ops, vec![field_op("UpdateAlias", "target_key_id")]);
    assert_eq!(plan.planned.get("target_key_arn"), Some(&Value::Unknown));
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("update");
    assert_eq!(updated.get("target_key_arn"), Some(&key_arn(1)));
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    no_diff(&p, &read, &moved);

    // ForceNew: the name.
    let renamed = with(&moved, "name", Value::from(format!("{name}-b")));
    let plan = p.plan(Some(&read), &renamed);
    assert_eq!(
        plan.requires_replace,
        vec![vec![PathStep::Attr("name".into())]]
    );
    p.delete(&ctx, &read).await.expect("delete old");
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
    let created = p.create(&ctx, &plan.planned).await.expect("create new");

    // Import by alias name; find an interrupted create by name.
    let imported = p
        .import(&ctx, &format!("{name}-b"))
        .await
        .expect("import")
        .expect("exists");
    assert_eq!(imported.get("arn"), created.get("arn"));
    no_diff(&p, &imported, &renamed);
    let found = p
        .find_created(&ctx, &p.plan(None, &renamed).planned)
        .await
        .expect("find_created")
        .expect("searchable by name");
    assert_eq!(found.len(), 1);
    assert!(p.import(&ctx, "not-an-alias").await.is_err());

    // A generated name from a prefix.
    let prefix = format!("alias/{}-", support::unique("pfx"));
    let prefixed = Value::map([
        ("name_prefix", Value::from(prefix.as_str())),
        ("target_key_id", Value::from(key_id(0))),
    ]);
    let pre = p
        .create(&ctx, &p.plan(None, &prefixed).planned)
        .await
        .expect("create from prefix");
    let pre_name = pre.get("name").and_then(Value::as_str).expect("name");
    assert!(pre_name.starts_with(&prefix), "{pre_name}");
    no_diff(&p, &pre, &prefixed);

    for s in [&imported, &pre] {
        p.delete(&ctx, s).await.expect("delete");
        assert_eq!(p.read(&ctx, s).await.expect("read"), None);
    }
    for k in &made {
        keys.delete(&ctx, k).await.expect("delete key");
    }
}
