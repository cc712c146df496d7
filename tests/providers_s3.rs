//! S3 resources and data source against moto: create → read back (no diff) → update in place →
//! ForceNew replacement → import by the Terraform import id → find_created → delete → read as
//! gone.

mod support;

use emrform::config::value::Value;
use emrform::providers::{ApiOp, PathStep, ProviderError, Registry, ResourceProvider};
use std::sync::Arc;

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

fn no_diff(p: &Arc<dyn ResourceProvider>, state: &Value, want: &Value) {
    let plan = p.plan(Some(state), want);
    assert!(
        plan.changed_paths.is_empty(),
        "{}: unexpected diff {:?}",
        p.type_name(),
        plan.changed_paths
    );
}

fn attr(name: &str) -> Vec<PathStep> {
    vec![PathStep::Attr(name.into())]
}

/// A bucket name S3 accepts (lower case, no underscores).
fn bucket_name(prefix: &str) -> String {
    support::unique(prefix).to_ascii_lowercase()
}

async fn put_raw(key: &str, bucket: &str, body: &str) {
    let c = support::clients().await;
    c.s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(body.as_bytes().to_vec().into())
        .send()
        .await
        .expect("put object");
}

fn public_read_policy(bucket: &str, sid: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"{sid}","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::123456789012:root"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{bucket}/*"}}]}}"#
    )
}

#[tokio::test]
async fn bucket_lifecycle() {
    let r = Registry::aws(&support::clients().await);
    let p = res(&r, "aws_s3_bucket");
    let ctx = support::ctx("aws_s3_bucket.logs");
    let name = bucket_name("emr-logs");
    let want = Value::map([
        ("bucket", Value::from(name.as_str())),
        ("tags", Value::map([("team", Value::from("data"))])),
    ]);
    let plan = p.plan(None, &want);
    assert_eq!(plan.planned.get("region"), Some(&Value::from("us-east-1")));
    assert_eq!(
        plan.api_ops,
        vec![
            ApiOp::call("CreateBucket"),
            ApiOp::with_fields("PutBucketTagging", ["tags".to_string()])
        ]
    );
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    assert_eq!(state.get("id"), Some(&Value::from(name.as_str())));
    assert_eq!(
        state.get("arn"),
        Some(&Value::from(format!("arn:aws:s3:::{name}")))
    );
    assert_eq!(
        state.get("bucket_domain_name"),
        Some(&Value::from(format!("{name}.s3.amazonaws.com")))
    );
    assert_eq!(
        state.get("bucket_regional_domain_name"),
        Some(&Value::from(format!("{name}.s3.us-east-1.amazonaws.com")))
    );
    assert_eq!(
        state.get("hosted_zone_id"),
        Some(&Value::from("Z3AQBSTGFYJSTF"))
    );
    assert_eq!(state.get("region"), Some(&Value::from("us-east-1")));
    assert_eq!(state.get("bucket_region"), Some(&Value::from("us-east-1")));
    assert_eq!(
        state.get("tags_all"),
        Some(&Value::map([("team", Value::from("data"))]))
    );
    assert_eq!(
        state.get("versioning"),
        Some(&Value::List(vec![Value::map([
            ("enabled", Value::Bool(false)),
            ("mfa_delete", Value::Bool(false)),
        ])]))
    );
    assert_eq!(state.get("policy"), Some(&Value::from("")));
    assert_eq!(
        state.get("request_payer"),
        Some(&Value::from("BucketOwner"))
    );
    assert_eq!(state.get("website_endpoint"), Some(&Value::Null));
    assert_eq!(state.get("object_lock_enabled"), Some(&Value::Bool(false)));
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    no_diff(&p, &read, &want);

    // Update in place: tags, and the inline settings emrform sets (policy, versioning).
    let update = with(
        &want,
        "tags",
        Value::map([
            ("team", Value::from("platform")),
            ("env", Value::from("dev")),
        ]),
    );
    let update = with(
        &update,
        "policy",
        Value::from(public_read_policy(&name, "Read")),
    );
    let update = with(
        &update,
        "versioning",
        Value::List(vec![Value::map([("enabled", Value::Bool(true))])]),
    );
    let update = with(
        &update,
        "server_side_encryption_configuration",
        Value::List(vec![Value::map([(
            "rule",
            sse_rule(
                "aws:kms",
                Some("arn:aws:kms:us-east-1:123456789012:key/k1"),
                false,
            ),
        )])]),
    );
    let plan = p.plan(Some(&read), &update);
    assert!(plan.requires_replace.is_empty());
    assert_eq!(
        plan.api_ops,
        vec![
            ApiOp::with_fields("PutBucketTagging", ["tags".to_string()]),
            ApiOp::with_fields("PutBucketPolicy", ["policy".to_string()]),
            ApiOp::with_fields("PutBucketVersioning", ["versioning".to_string()]),
            ApiOp::with_fields(
                "PutBucketEncryption",
                ["server_side_encryption_configuration".to_string()]
            ),
        ]
    );
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("update");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert_eq!(
        read.get("tags"),
        Some(&Value::map([
            ("env", Value::from("dev")),
            ("team", Value::from("platform"))
        ]))
    );
    assert_eq!(
        read.get("versioning")
            .and_then(|v| v.as_list())
            .and_then(|l| l.first())
            .and_then(|b| b.get("enabled")),
        Some(&Value::Bool(true))
    );
    assert_eq!(
        emrform::providers::s3::default_encryption(&read),
        Some((
            "aws:kms".to_string(),
            Some("arn:aws:kms:us-east-1:123456789012:key/k1".to_string())
        ))
    );
    no_diff(&p, &read, &update);

    // ForceNew: the name.
    let renamed = with(&update, "bucket", Value::from(format!("{name}-b")));
    let plan = p.plan(Some(&read), &renamed);
    assert_eq!(plan.requires_replace, vec![attr("bucket")]);
    assert_eq!(plan.planned.get("arn"), Some(&Value::Unknown));

    // Import by name plans no diff; find_created finds the bucket.
    let imported = p
        .import(&ctx, &name)
        .await
        .expect("import")
        .expect("exists");
    no_diff(&p, &imported, &update);
    let found = p
        .find_created(&ctx, &p.plan(None, &update).planned)
        .await
        .expect("find")
        .expect("supported");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].get("id"), Some(&Value::from(name.as_str())));

    // A bucket with objects is only deleted with force_destroy (every version goes).
    put_raw("a.txt", &name, "one").await;
    put_raw("a.txt", &name, "two").await;
    let err = p.delete(&ctx, &read).await.expect_err("not empty");
    assert_eq!(
        err.api_error().and_then(|e| e.code.as_deref()),
        Some("BucketNotEmpty")
    );
    let forced = with(&update, "force_destroy", Value::Bool(true));
    let plan = p.plan(Some(&read), &forced);
    assert_eq!(plan.changed_paths, vec![attr("force_destroy")]);
    assert!(plan.api_ops.is_empty());
    let read = p.update(&ctx, &read, &plan.planned).await.expect("update");
    assert_eq!(read.get("force_destroy"), Some(&Value::Bool(true)));
    p.delete(&ctx, &read).await.expect("delete");
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
    assert_eq!(p.import(&ctx, &name).await.expect("import"), None);
}

#[tokio::test]
async fn bucket_from_prefix_and_refused_inline_settings() {
    let r = Registry::aws(&support::clients().await);
    let p = res(&r, "aws_s3_bucket");
    let ctx = support::ctx("aws_s3_bucket.scratch");
    let prefix = format!("{}-", bucket_name("scratch"));
    let want = Value::map([("bucket_prefix", Value::from(prefix.as_str()))]);
    let plan = p.plan(None, &want);
    assert_eq!(plan.planned.get("bucket"), Some(&Value::Unknown));
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    let name = state
        .get("bucket")
        .and_then(Value::as_str)
        .expect("a name")
        .to_string();
    assert!(name.starts_with(&prefix), "{name}");
    assert_eq!(name.len(), prefix.len() + 26);
    assert_eq!(
        state.get("bucket_prefix"),
        Some(&Value::from(prefix.as_str()))
    );
    no_diff(&p, &state, &want);
    // An interrupted create from a prefix is found by the name's shape.
    let found = p
        .find_created(&ctx, &plan.planned)
        .await
        .expect("find")
        .expect("supported");
    assert_eq!(
        found
            .iter()
            .filter_map(|v| v.get("id").and_then(Value::as_str))
            .collect::<Vec<_>>(),
        vec![name.as_str()]
    );
    p.delete(&ctx, &state).await.expect("delete");
    assert_eq!(
        p.find_created(&ctx, &plan.planned).await.expect("find"),
        Some(vec![])
    );

    // Deprecated inline settings emrform does not set are refused before anything is made.
    let logged = Value::map([
        ("bucket", Value::from(bucket_name("refused").as_str())),
        (
            "logging",
            Value::List(vec![Value::map([("target_bucket", Value::from(name))])]),
        ),
    ]);
    let err = p
        .create(&ctx, &p.plan(None, &logged).planned)
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, ProviderError::Refused { message, .. } if message.contains("aws_s3_bucket_logging")),
        "{err}"
    );
    let planned = p.plan(None, &logged).planned;
    assert_eq!(
        p.find_created(&ctx, &planned).await.expect("find"),
        Some(vec![])
    );
}

/// A fresh bucket (force_destroy on) for the sub-resource tests.
async fn new_bucket(r: &Registry, prefix: &str) -> (String, Value) {
    let p = res(r, "aws_s3_bucket");
    let name = bucket_name(prefix);
    let want = Value::map([
        ("bucket", Value::from(name.as_str())),
        ("force_destroy", Value::Bool(true)),
    ]);
    let state = p
        .create(
            &support::ctx("aws_s3_bucket.b"),
            &p.plan(None, &want).planned,
        )
        .await
        .expect("bucket");
    (name, state)
}

async fn drop_bucket(r: &Registry, state: &Value) {
    let p = res(r, "aws_s3_bucket");
    p.delete(&support::ctx("aws_s3_bucket.b"), state)
        .await
        .expect("delete bucket");
}

fn versioning_conf(status: &str) -> Value {
    Value::List(vec![Value::map([("status", Value::from(status))])])
}

#[tokio::test]
async fn bucket_versioning_lifecycle() {
    let r = Registry::aws(&support::clients().await);
    let (name, bucket) = new_bucket(&r, "versioned").await;
    let (other, other_bucket) = new_bucket(&r, "versioned-other").await;
    let p = res(&r, "aws_s3_bucket_versioning");
    let ctx = support::ctx("aws_s3_bucket_versioning.v");

    // Never versioned: the state reads Disabled, and an import shows it.
    let before = p
        .import(&ctx, &name)
        .await
        .expect("import")
        .expect("exists");
    assert_eq!(
        before
            .get("versioning_configuration")
            .and_then(|v| v.as_list())
            .and_then(|l| l.first())
            .and_then(|b| b.get("status")),
        Some(&Value::from("Disabled"))
    );

    let want = Value::map([
        ("bucket", Value::from(name.as_str())),
        ("versioning_configuration", versioning_conf("Enabled")),
    ]);
    let plan = p.plan(None, &want);
    assert_eq!(plan.planned.get("id"), Some(&Value::from(name.as_str())));
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    no_diff(&p, &read, &want);
    assert_eq!(
        p.find_created(&ctx, &plan.planned)
            .await
            .expect("find")
            .map(|v| v.len()),
        Some(1)
    );

    // Update in place: suspend.
    let suspended = with(
        &want,
        "versioning_configuration",
        versioning_conf("Suspended"),
    );
    let plan = p.plan(Some(&read), &suspended);
    assert!(plan.requires_replace.is_empty());
    assert_eq!(
        plan.api_ops,
        vec![ApiOp::with_fields(
            "PutBucketVersioning",
            ["versioning_configuration".to_string()]
        )]
    );
    let read = p.update(&ctx, &read, &plan.planned).await.expect("update");
    no_diff(&p, &read, &suspended);

    // Disabled is refused once the bucket was versioned.
    let disabled = with(
        &want,
        "versioning_configuration",
        versioning_conf("Disabled"),
    );
    assert!(p
        .update(&ctx, &read, &p.plan(Some(&read), &disabled).planned)
        .await
        .is_err());

    // ForceNew: the bucket.
    let moved = with(&suspended, "bucket", Value::from(other.as_str()));
    assert_eq!(
        p.plan(Some(&read), &moved).requires_replace,
        vec![attr("bucket")]
    );

    // Import by the import id (with and without an expected owner) plans no diff.
    let imported = p
        .import(&ctx, &name)
        .await
        .expect("import")
        .expect("exists");
    no_diff(&p, &imported, &suspended);
    let owned = p
        .import(&ctx, &format!("{name},123456789012"))
        .await
        .expect("import")
        .expect("exists");
    assert_eq!(
        owned.get("id"),
        Some(&Value::from(format!("{name},123456789012")))
    );
    assert_eq!(
        owned.get("expected_bucket_owner"),
        Some(&Value::from("123456789012"))
    );

    // Delete suspends (S3 cannot un-version a bucket); the bucket going makes it gone.
    p.delete(&ctx, &read).await.expect("delete");
    let after = p
        .read(&ctx, &read)
        .await
        .expect("read")
        .expect("bucket exists");
    assert_eq!(
        after
            .get("versioning_configuration")
            .and_then(|v| v.as_list())
            .and_then(|l| l.first())
            .and_then(|b| b.get("status")),
        Some(&Value::from("Suspended"))
    );
    drop_bucket(&r, &bucket).await;
    drop_bucket(&r, &other_bucket).await;
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
}

fn sse_rule(alg: &str, key: Option<&str>, bucket_key: bool) -> Value {
    let mut by_default = vec![("sse_algorithm", Value::from(alg))];
    if let Some(k) = key {
        by_default.push(("kms_master_key_id", Value::from(k)));
    }
    Value::List(vec![Value::map([
        (
            "apply_server_side_encryption_by_default",
            Value::List(vec![Value::map(by_default)]),
        ),
        ("bucket_key_enabled", Value::Bool(bucket_key)),
    ])])
}

#[tokio::test]
async fn bucket_encryption_lifecycle() {
    let r = Registry::aws(&support::clients().await);
    let (name, bucket) = new_bucket(&r, "encrypted").await;
    let (other, other_bucket) = new_bucket(&r, "encrypted-other").await;
    let p = res(&r, "aws_s3_bucket_server_side_encryption_configuration");
    let ctx = support::ctx("aws_s3_bucket_server_side_encryption_configuration.e");
    let key = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";
    let want = Value::map([
        ("bucket", Value::from(name.as_str())),
        ("rule", sse_rule("aws:kms", Some(key), true)),
    ]);
    let state = p
        .create(&ctx, &p.plan(None, &want).planned)
        .await
        .expect("create");
    assert_eq!(
        emrform::providers::s3::default_encryption(&state),
        Some(("aws:kms".to_string(), Some(key.to_string())))
    );
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    no_diff(&p, &read, &want);

    // The bucket's deprecated inline block reads the same configuration.
    let b = res(&r, "aws_s3_bucket")
        .read(&support::ctx("aws_s3_bucket.b"), &bucket)
        .await
        .expect("read bucket")
        .expect("exists");
    assert_eq!(
        emrform::providers::s3::default_encryption(&b),
        Some(("aws:kms".to_string(), Some(key.to_string())))
    );

    // Update in place: SSE-S3.
    let aes = with(&want, "rule", sse_rule("AES256", None, false));
    let plan = p.plan(Some(&read), &aes);
    assert!(plan.requires_replace.is_empty());
    assert_eq!(
        plan.api_ops,
        vec![ApiOp::with_fields(
            "PutBucketEncryption",
            ["rule".to_string()]
        )]
    );
    let read = p.update(&ctx, &read, &plan.planned).await.expect("update");
    no_diff(&p, &read, &aes);
    assert_eq!(
        emrform::providers::s3::default_encryption(&read),
        Some(("AES256".to_string(), None))
    );

    // ForceNew: the bucket.
    let moved = with(&aes, "bucket", Value::from(other.as_str()));
    assert_eq!(
        p.plan(Some(&read), &moved).requires_replace,
        vec![attr("bucket")]
    );

    let imported = p
        .import(&ctx, &name)
        .await
        .expect("import")
        .expect("exists");
    no_diff(&p, &imported, &aes);
    let found = p
        .find_created(&ctx, &p.plan(None, &aes).planned)
        .await
        .expect("find")
        .expect("supported");
    assert_eq!(found.len(), 1);

    p.delete(&ctx, &read).await.expect("delete");
    support::moto_differences::assert_encryption_after_delete(
        p.read(&ctx, &read).await.expect("read"),
    );
    drop_bucket(&r, &bucket).await;
    drop_bucket(&r, &other_bucket).await;
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
}

#[tokio::test]
async fn public_access_block_lifecycle() {
    let r = Registry::aws(&support::clients().await);
    let (name, bucket) = new_bucket(&r, "private").await;
    let (other, other_bucket) = new_bucket(&r, "private-other").await;
    let p = res(&r, "aws_s3_bucket_public_access_block");
    let ctx = support::ctx("aws_s3_bucket_public_access_block.p");
    let want = Value::map([
        ("bucket", Value::from(name.as_str())),
        ("block_public_acls", Value::Bool(true)),
        ("block_public_policy", Value::Bool(true)),
    ]);
    let state = p
        .create(&ctx, &p.plan(None, &want).planned)
        .await
        .expect("create");
    assert_eq!(state.get("ignore_public_acls"), Some(&Value::Bool(false)));
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    no_diff(&p, &read, &want);

    let all = with(&want, "ignore_public_acls", Value::Bool(true));
    let all = with(&all, "restrict_public_buckets", Value::Bool(true));
    let plan = p.plan(Some(&read), &all);
    assert_eq!(
        plan.api_ops,
        vec![ApiOp::with_fields(
            "PutPublicAccessBlock",
            [
                "ignore_public_acls".to_string(),
                "restrict_public_buckets".to_string()
            ]
        )]
    );
    let read = p.update(&ctx, &read, &plan.planned).await.expect("update");
    assert_eq!(
        read.get("restrict_public_buckets"),
        Some(&Value::Bool(true))
    );
    no_diff(&p, &read, &all);

    let moved = with(&all, "bucket", Value::from(other.as_str()));
    assert_eq!(
        p.plan(Some(&read), &moved).requires_replace,
        vec![attr("bucket")]
    );
    let imported = p
        .import(&ctx, &name)
        .await
        .expect("import")
        .expect("exists");
    no_diff(&p, &imported, &all);
    assert_eq!(
        p.find_created(&ctx, &p.plan(None, &all).planned)
            .await
            .expect("find")
            .map(|v| v.len()),
        Some(1)
    );

    // skip_destroy leaves the block in place.
    let kept = with(&read, "skip_destroy", Value::Bool(true));
    p.delete(&ctx, &kept).await.expect("skip");
    assert!(p.read(&ctx, &read).await.expect("read").is_some());
    p.delete(&ctx, &read).await.expect("delete");
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
    drop_bucket(&r, &bucket).await;
    drop_bucket(&r, &other_bucket).await;
}

#[tokio::test]
async fn bucket_policy_lifecycle() {
    let r = Registry::aws(&support::clients().await);
    let (name, bucket) = new_bucket(&r, "policied").await;
    let (other, other_bucket) = new_bucket(&r, "policied-other").await;
    let p = res(&r, "aws_s3_bucket_policy");
    let ctx = support::ctx("aws_s3_bucket_policy.p");
    let want = Value::map([
        ("bucket", Value::from(name.as_str())),
        ("policy", Value::from(public_read_policy(&name, "One"))),
    ]);
    let state = p
        .create(&ctx, &p.plan(None, &want).planned)
        .await
        .expect("create");
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    no_diff(&p, &read, &want);
    // The same document written differently is no change.
    let reformatted = with(
        &want,
        "policy",
        Value::from(
            serde_json::to_string_pretty(
                &serde_json::from_str::<serde_json::Value>(&public_read_policy(&name, "One"))
                    .expect("json"),
            )
            .expect("json"),
        ),
    );
    no_diff(&p, &read, &reformatted);

    let changed = with(
        &want,
        "policy",
        Value::from(public_read_policy(&name, "Two")),
    );
    let plan = p.plan(Some(&read), &changed);
    assert_eq!(
        plan.api_ops,
        vec![ApiOp::with_fields(
            "PutBucketPolicy",
            ["policy".to_string()]
        )]
    );
    let read = p.update(&ctx, &read, &plan.planned).await.expect("update");
    no_diff(&p, &read, &changed);
    assert!(read
        .get("policy")
        .and_then(Value::as_str)
        .is_some_and(|t| t.contains("Two")));

    let moved = with(&changed, "bucket", Value::from(other.as_str()));
    assert_eq!(
        p.plan(Some(&read), &moved).requires_replace,
        vec![attr("bucket")]
    );
    let imported = p
        .import(&ctx, &name)
        .await
        .expect("import")
        .expect("exists");
    no_diff(&p, &imported, &changed);
    assert_eq!(
        p.find_created(&ctx, &p.plan(None, &changed).planned)
            .await
            .expect("find")
            .map(|v| v.len()),
        Some(1)
    );
    p.delete(&ctx, &read).await.expect("delete");
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
    assert_eq!(p.import(&ctx, &name).await.expect("import"), None);
    drop_bucket(&r, &bucket).await;
    drop_bucket(&r, &other_bucket).await;
}

fn md5_hex(s: &[u8]) -> String {
    use md5::Digest as _;
    md5::Md5::digest(s)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn object_lifecycle() {
    let r = Registry::aws(&support::clients().await);
    let (name, bucket) = new_bucket(&r, "objects").await;
    let p = res(&r, "aws_s3_object");
    let ctx = support::ctx("aws_s3_object.job");
    let want = Value::map([
        ("bucket", Value::from(name.as_str())),
        ("key", Value::from("jobs/etl.py")),
        ("content", Value::from("print('v1')\n")),
        ("content_type", Value::from("text/x-python")),
        ("metadata", Value::map([("owner", Value::from("data"))])),
        ("tags", Value::map([("team", Value::from("data"))])),
    ]);
    let plan = p.plan(None, &want);
    assert_eq!(plan.api_ops, vec![ApiOp::call("PutObject")]);
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    assert_eq!(state.get("id"), Some(&Value::from("jobs/etl.py")));
    assert_eq!(
        state.get("etag"),
        Some(&Value::from(md5_hex(b"print('v1')\n")))
    );
    assert_eq!(
        state.get("arn"),
        Some(&Value::from(format!("arn:aws:s3:::{name}/jobs/etl.py")))
    );
    assert_eq!(
        state.get("tags_all"),
        Some(&Value::map([("team", Value::from("data"))]))
    );
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    no_diff(&p, &read, &want);

    // New content (from a file, with its etag as filemd5() gives it): PutObject in place.
    let dir = std::env::temp_dir().join(support::unique("s3-object"));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("etl.py");
    std::fs::write(&file, b"print('v2')\n").expect("write");
    let mut from_file = want.clone();
    if let Value::Map(m) = &mut from_file {
        m.remove("content");
        m.insert("source".into(), Value::from(file.display().to_string()));
        m.insert("etag".into(), Value::from(md5_hex(b"print('v2')\n")));
    }
    let plan = p.plan(Some(&read), &from_file);
    assert!(plan.requires_replace.is_empty());
    assert_eq!(
        plan.api_ops,
        vec![ApiOp::with_fields(
            "PutObject",
            [
                "content".to_string(),
                "etag".to_string(),
                "source".to_string()
            ]
        )]
    );
    let read = p.update(&ctx, &read, &plan.planned).await.expect("update");
    assert_eq!(
        read.get("etag"),
        Some(&Value::from(md5_hex(b"print('v2')\n")))
    );
    no_diff(&p, &read, &from_file);

    // Tags alone: PutObjectTagging, the object is not written again.
    let retagged = with(
        &from_file,
        "tags",
        Value::map([("team", Value::from("ml"))]),
    );
    let plan = p.plan(Some(&read), &retagged);
    assert_eq!(
        plan.api_ops,
        vec![ApiOp::with_fields("PutObjectTagging", ["tags".to_string()])]
    );
    let read = p
        .update(&ctx, &read, &plan.planned)
        .await
        .expect("update tags");
    assert_eq!(
        read.get("tags"),
        Some(&Value::map([("team", Value::from("ml"))]))
    );
    no_diff(&p, &read, &retagged);

    // ForceNew: the key.
    let moved = with(&retagged, "key", Value::from("jobs/other.py"));
    assert_eq!(
        p.plan(Some(&read), &moved).requires_replace,
        vec![attr("key")]
    );

    // Import by bucket/key and s3://bucket/key.
    for id in [
        format!("{name}/jobs/etl.py"),
        format!("s3://{name}/jobs/etl.py"),
    ] {
        let imported = p.import(&ctx, &id).await.expect("import").expect("exists");
        no_diff(&p, &imported, &retagged);
    }
    assert_eq!(
        p.find_created(&ctx, &p.plan(None, &retagged).planned)
            .await
            .expect("find")
            .map(|v| v.len()),
        Some(1)
    );

    p.delete(&ctx, &read).await.expect("delete");
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
    assert_eq!(
        p.import(&ctx, &format!("{name}/jobs/etl.py"))
            .await
            .expect("import"),
        None
    );
    let _ = std::fs::remove_dir_all(&dir);
    drop_bucket(&r, &bucket).await;
}

#[tokio::test]
async fn object_on_a_versioned_bucket_deletes_every_version() {
    let r = Registry::aws(&support::clients().await);
    let (name, bucket) = new_bucket(&r, "objects-versioned").await;
    let v = res(&r, "aws_s3_bucket_versioning");
    let vctx = support::ctx("aws_s3_bucket_versioning.v");
    let vwant = Value::map([
        ("bucket", Value::from(name.as_str())),
        ("versioning_configuration", versioning_conf("Enabled")),
    ]);
    v.create(&vctx, &v.plan(None, &vwant).planned)
        .await
        .expect("versioning");
    let p = res(&r, "aws_s3_object");
    let ctx = support::ctx("aws_s3_object.o");
    let want = Value::map([
        ("bucket", Value::from(name.as_str())),
        ("key", Value::from("conf/app.json")),
        ("content_base64", Value::from("eyJhIjogMX0=")),
    ]);
    let first = p
        .create(&ctx, &p.plan(None, &want).planned)
        .await
        .expect("create");
    let v1 = first.get("version_id").cloned();
    assert!(v1
        .as_ref()
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty()));
    assert_eq!(
        first.get("etag"),
        Some(&Value::from(md5_hex(b"{\"a\": 1}")))
    );
    let second = with(&want, "content_base64", Value::from("eyJhIjogMn0="));
    let plan = p.plan(Some(&first), &second);
    assert_eq!(plan.planned.get("version_id"), Some(&Value::Unknown));
    let after = p.update(&ctx, &first, &plan.planned).await.expect("update");
    assert_ne!(after.get("version_id").cloned(), v1);
    p.delete(&ctx, &after).await.expect("delete");
    let c = support::clients().await;
    let left =
        c.s3.list_object_versions()
            .bucket(&name)
            .prefix("conf/app.json")
            .send()
            .await
            .expect("list");
    assert!(left.versions().is_empty(), "{:?}", left.versions());
    assert!(left.delete_markers().is_empty());
    drop_bucket(&r, &bucket).await;
}

#[tokio::test]
async fn bucket_data_source() {
    let r = Registry::aws(&support::clients().await);
    let (name, bucket) = new_bucket(&r, "looked-up").await;
    let d = r.data_source("aws_s3_bucket").expect("registered");
    let ctx = support::ctx("data.aws_s3_bucket.b");
    let v = d
        .read(&ctx, &Value::map([("bucket", Value::from(name.as_str()))]))
        .await
        .expect("read");
    assert_eq!(
        v.get("arn"),
        Some(&Value::from(format!("arn:aws:s3:::{name}")))
    );
    assert_eq!(v.get("region"), Some(&Value::from("us-east-1")));
    assert_eq!(v.get("bucket_region"), Some(&Value::from("us-east-1")));
    assert_eq!(emrform::providers::s3::bucket_region(&v), Some("us-east-1"));
    assert_eq!(
        v.get("bucket_regional_domain_name"),
        Some(&Value::from(format!("{name}.s3.us-east-1.amazonaws.com")))
    );
    assert_eq!(
        v.get("hosted_zone_id"),
        Some(&Value::from("Z3AQBSTGFYJSTF"))
    );
    assert_eq!(v.get("website_endpoint"), Some(&Value::Null));

    // With a website configuration, the website endpoint shows.
    let c = support::clients().await;
    c.s3.put_bucket_website()
        .bucket(&name)
        .website_configuration(
            aws_sdk_s3::types::WebsiteConfiguration::builder()
                .index_document(
                    aws_sdk_s3::types::IndexDocument::builder()
                        .suffix("index.html")
                        .build()
                        .expect("index"),
                )
                .build(),
        )
        .send()
        .await
        .expect("website");
    let v = d
        .read(&ctx, &Value::map([("bucket", Value::from(name.as_str()))]))
        .await
        .expect("read");
    assert_eq!(
        v.get("website_endpoint"),
        Some(&Value::from(format!(
            "{name}.s3-website-us-east-1.amazonaws.com"
        )))
    );

    drop_bucket(&r, &bucket).await;
    let err = d
        .read(&ctx, &Value::map([("bucket", Value::from(name.as_str()))]))
        .await
        .expect_err("gone");
    assert_eq!(
        err.api_error().map(|e| e.kind),
        Some(emrform::providers::ApiErrorKind::NotFound)
    );
}

#[tokio::test]
async fn bucket_outside_us_east_1_is_created_in_its_region() {
    let mut cfg = support::config_for(&support::moto().endpoint);
    cfg.region = Some("eu-west-1".into());
    let clients = emrform::providers::Clients::new(&cfg)
        .await
        .expect("clients");
    let r = Registry::aws(&clients);
    let p = res(&r, "aws_s3_bucket");
    let ctx = support::ctx("aws_s3_bucket.eu");
    let name = bucket_name("eu-logs");
    let want = Value::map([("bucket", Value::from(name.as_str()))]);
    let plan = p.plan(None, &want);
    assert_eq!(plan.planned.get("region"), Some(&Value::from("eu-west-1")));
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    // The LocationConstraint put it in eu-west-1, and everything derived follows.
    assert_eq!(state.get("bucket_region"), Some(&Value::from("eu-west-1")));
    assert_eq!(
        state.get("hosted_zone_id"),
        Some(&Value::from("Z1BKCTXD74EZPE"))
    );
    assert_eq!(
        state.get("bucket_regional_domain_name"),
        Some(&Value::from(format!("{name}.s3.eu-west-1.amazonaws.com")))
    );
    no_diff(&p, &state, &want);
    let location = clients
        .s3
        .get_bucket_location()
        .bucket(&name)
        .send()
        .await
        .expect("location");
    assert_eq!(
        location.location_constraint().map(|l| l.as_str()),
        Some("eu-west-1")
    );
    // A region other than the provider's is refused, not silently sent to the wrong one.
    let elsewhere = with(&want, "region", Value::from("us-west-2"));
    let err = p
        .create(&ctx, &p.plan(None, &elsewhere).planned)
        .await
        .expect_err("refused");
    assert!(matches!(err, ProviderError::Refused { .. }), "{err}");
    p.delete(&ctx, &state).await.expect("delete");
    assert_eq!(p.read(&ctx, &state).await.expect("read"), None);
}
