//! `backend "s3"` against moto's S3 and DynamoDB: the backend contract, plan/apply with remote
//! state, a held lock naming its holder (and --lock-timeout waiting for it), force-unlock, a
//! digest mismatch, migration local → S3 → local keeping serial and lineage, `state push`
//! refusals, and workspaces with separate states.

mod support;

use emrform::state::backend::s3::{S3Backend, S3Settings};
use emrform::state::backend::{conformance, Backend, LockInfo};
use std::path::Path;
use std::process::{Command, Output};

const TABLE: &str = "emrform-locks";

async fn bucket_and_table(bucket: &str) {
    let c = support::clients().await;
    c.s3.create_bucket()
        .bucket(bucket)
        .send()
        .await
        .expect("bucket");
    let _ = c
        .dynamodb
        .create_table()
        .table_name(TABLE)
        .attribute_definitions(
            aws_sdk_dynamodb::types::AttributeDefinition::builder()
                .attribute_name("LockID")
                .attribute_type(aws_sdk_dynamodb::types::ScalarAttributeType::S)
                .build()
                .expect("attr"),
        )
        .key_schema(
            aws_sdk_dynamodb::types::KeySchemaElement::builder()
                .attribute_name("LockID")
                .key_type(aws_sdk_dynamodb::types::KeyType::Hash)
                .build()
                .expect("key"),
        )
        .billing_mode(aws_sdk_dynamodb::types::BillingMode::PayPerRequest)
        .send()
        .await;
}

async fn backend(bucket: &str, key: &str, table: bool, lockfile: bool) -> S3Backend {
    let c = support::clients().await;
    S3Backend::new(
        c.s3.clone(),
        c.dynamodb.clone(),
        S3Settings {
            bucket: bucket.into(),
            key: key.into(),
            dynamodb_table: table.then(|| TABLE.to_string()),
            use_lockfile: lockfile,
            encrypt: true,
            kms_key_id: None,
        },
    )
}

#[tokio::test]
async fn s3_backend_passes_the_backend_contract() {
    let bucket = support::unique("conf");
    bucket_and_table(&bucket).await;
    for (table, lockfile) in [(true, false), (false, true), (true, true)] {
        let mut backends = Vec::new();
        for i in 0..5 {
            backends.push(
                backend(
                    &bucket,
                    &format!("{table}-{lockfile}-{i}/terraform.tfstate"),
                    table,
                    lockfile,
                )
                .await,
            );
        }
        let mut it = backends.into_iter();
        conformance::run_all(|| it.next().expect("enough backends"))
            .await
            .unwrap_or_else(|e| panic!("table={table} lockfile={lockfile}: {e}"));
    }
}

fn emrform(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_emrform"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("EMRFORM_WORKSPACE")
        .env_remove("TF_WORKSPACE")
        .output()
        .expect("emrform runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn config(endpoint: &str, name: &str, backend: Option<&str>) -> String {
    let backend = backend
        .map(|b| {
            format!(
                r#"terraform {{
  backend "s3" {{
    bucket         = "{b}"
    key            = "stacks/app/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "{TABLE}"
    use_lockfile   = true
    encrypt        = true
    access_key     = "testing"
    secret_key     = "testing"
    endpoints      = {{ s3 = "{endpoint}", dynamodb = "{endpoint}" }}
  }}
}}
"#
            )
        })
        .unwrap_or_default();
    format!(
        r#"{backend}
provider "aws" {{
  region     = "us-east-1"
  access_key = "testing"
  secret_key = "testing"
  endpoints {{
    iam = "{endpoint}"
    sts = "{endpoint}"
  }}
}}
resource "aws_iam_role" "r" {{
  name = "{name}-${{terraform.workspace}}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ Service = "emr-serverless.amazonaws.com" }}, Action = "sts:AssumeRole" }}]
  }})
  tags = {{ Workspace = terraform.workspace }}
}}
"#
    )
}

async fn object(bucket: &str, key: &str) -> Option<serde_json::Value> {
    let c = support::clients().await;
    let o =
        c.s3.get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .ok()?;
    let b = o.body.collect().await.ok()?.into_bytes();
    serde_json::from_slice(&b).ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn remote_state_locking_digest_migration_push_and_workspaces() {
    let moto = support::moto();
    let bucket = support::unique("state");
    bucket_and_table(&bucket).await;
    let name = support::unique("s3be");
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let key = "stacks/app/terraform.tfstate";

    // Local first, then migrate to S3.
    std::fs::write(d.join("main.tf"), config(&moto.endpoint, &name, None)).expect("write");
    let o = emrform(d, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    let local: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("terraform.tfstate")).expect("local state"))
            .expect("json");
    let o = emrform(d, &["init"]);
    assert!(o.status.success(), "{}", text(&o));
    std::fs::write(
        d.join("main.tf"),
        config(&moto.endpoint, &name, Some(&bucket)),
    )
    .expect("write");
    let o = emrform(d, &["init"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("--migrate-state"), "{}", text(&o));
    let o = emrform(d, &["init", "--migrate-state"]);
    assert!(o.status.success(), "{}", text(&o));
    let remote = object(&bucket, key).await.expect("state object in S3");
    assert_eq!(remote["serial"], local["serial"]);
    assert_eq!(remote["lineage"], local["lineage"]);
    assert!(
        !d.join("terraform.tfstate").exists(),
        "the local copy is only a backup now"
    );
    let o = emrform(d, &["plan", "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    // A held lock names its holder; --lock-timeout waits for it; force-unlock clears it.
    let b = backend(&bucket, key, true, true).await;
    let mut info = LockInfo::new("OperationTypeApply");
    info.who = "ci@runner".into();
    let id = b.lock(info).await.expect("lock");
    let o = emrform(d, &["plan"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("ci@runner") && text(&o).contains(&id.0),
        "{}",
        text(&o)
    );
    let waiter = Command::new(env!("CARGO_BIN_EXE_emrform"))
        .args(["plan", "--lock-timeout", "20s"])
        .current_dir(d)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    b.unlock(&id).await.expect("unlock");
    let o = waiter.wait_with_output().expect("waits");
    assert!(o.status.success(), "{}", text(&o));
    let id = b
        .lock(LockInfo::new("OperationTypeApply"))
        .await
        .expect("stale lock");
    let o = emrform(d, &["force-unlock", &id.0]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(b.lock_info().await.expect("info").is_none());

    // Two applies at once from two processes: each either runs or fails naming the holder.
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_emrform"))
            .args(["apply", "--auto-approve"])
            .current_dir(d)
            .env("NO_COLOR", "1")
            .output()
    };
    let (x, y) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join(), b.join())
    });
    for o in [x, y].into_iter().flatten().flatten() {
        assert!(
            o.status.success() || text(&o).contains("locked"),
            "{}",
            text(&o)
        );
    }

    // A state written around the lock (so its digest differs) is detected.
    let c = support::clients().await;
    let mut tampered = object(&bucket, key).await.expect("state");
    tampered["serial"] = serde_json::json!(999);
    c.s3.put_object()
        .bucket(&bucket)
        .key(key)
        .body(serde_json::to_vec(&tampered).expect("bytes").into())
        .send()
        .await
        .expect("tamper");
    let o = emrform(d, &["plan"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("MD5"), "{}", text(&o));
    tampered["serial"] = remote["serial"].clone();
    let o = emrform(d, &["state", "pull"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));

    // state push: an older serial and another lineage are refused unless forced.
    let pushed = d.join("pushed.tfstate");
    let mut old = local.clone();
    old["serial"] = serde_json::json!(1);
    std::fs::write(&pushed, serde_json::to_vec(&old).expect("bytes")).expect("write");
    let o = emrform(d, &["state", "push", pushed.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("digest") || text(&o).contains("MD5") || text(&o).contains("not newer"),
        "{}",
        text(&o)
    );
    let o = emrform(
        d,
        &["state", "push", "--force", pushed.to_str().expect("utf-8")],
    );
    // The tampered object still fails its digest check: push refuses to build on it.
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    c.s3.put_object()
        .bucket(&bucket)
        .key(key)
        .body(serde_json::to_vec(&local).expect("bytes").into())
        .send()
        .await
        .expect("restore");
    c.dynamodb
        .delete_item()
        .table_name(TABLE)
        .key(
            "LockID",
            aws_sdk_dynamodb::types::AttributeValue::S(format!("{bucket}/{key}-md5")),
        )
        .send()
        .await
        .expect("digest reset");
    let o = emrform(d, &["state", "push", pushed.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("not newer"), "{}", text(&o));
    let mut other = local.clone();
    other["lineage"] = serde_json::json!("00000000-0000-4000-8000-000000000000");
    other["serial"] = serde_json::json!(50);
    std::fs::write(&pushed, serde_json::to_vec(&other).expect("bytes")).expect("write");
    let o = emrform(d, &["state", "push", pushed.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("lineage"), "{}", text(&o));
    let mut newer = local.clone();
    newer["serial"] = serde_json::json!(local["serial"].as_u64().unwrap_or(1) + 10);
    std::fs::write(&pushed, serde_json::to_vec(&newer).expect("bytes")).expect("write");
    let o = emrform(d, &["state", "push", pushed.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", text(&o));
    let now = object(&bucket, key).await.expect("state");
    assert_eq!(now["serial"], newer["serial"]);
    let o = emrform(d, &["plan", "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    // Workspaces keep separate states, at env:/<workspace>/<key>.
    let o = emrform(d, &["workspace", "new", "staging"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = emrform(d, &["workspace", "show"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "staging");
    let o = emrform(d, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    let staging = object(&bucket, &format!("env:/staging/{key}"))
        .await
        .expect("staging state");
    let role = &staging["resources"][0]["instances"][0]["attributes"];
    assert_eq!(role["name"], format!("{name}-staging"));
    assert_eq!(role["tags"]["Workspace"], "staging");
    let o = emrform(d, &["workspace", "list"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "  default\n* staging\n");
    let o = emrform(d, &["workspace", "select", "default"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = emrform(d, &["plan", "--detailed-exitcode"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "default is untouched: {}",
        text(&o)
    );
    let o = emrform(d, &["workspace", "delete", "staging"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "still holds the staging role: {}",
        text(&o)
    );

    // And back to local, keeping serial and lineage.
    let before = object(&bucket, key).await.expect("state");
    std::fs::write(d.join("main.tf"), config(&moto.endpoint, &name, None)).expect("write");
    let o = emrform(d, &["init", "--migrate-state"]);
    assert!(o.status.success(), "{}", text(&o));
    let back: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("terraform.tfstate")).expect("local state"))
            .expect("json");
    assert_eq!(back["serial"], before["serial"]);
    assert_eq!(back["lineage"], before["lineage"]);
    let staging_back: serde_json::Value = serde_json::from_slice(
        &std::fs::read(d.join("terraform.tfstate.d/staging/terraform.tfstate"))
            .expect("staging migrated too"),
    )
    .expect("json");
    assert_eq!(staging_back["lineage"], staging["lineage"]);
    assert_eq!(staging_back["serial"], staging["serial"]);
}
