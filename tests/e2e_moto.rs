//! The whole tool against a real AWS API (moto's server mode, started by the test): apply from
//! nothing, then "No changes"; a capacity change on a running application is one in-place update
//! through stop → update → start; a name change is one replacement; an object deleted behind
//! emrform's back shows as drift and is re-created; a removed block is destroyed; a second
//! apply while the state is locked fails fast naming the holder.

mod support;

use std::path::Path;
use std::process::{Command, Output};

fn config(endpoint: &str, name: &str, vcpu: u32, with_policy: bool) -> String {
    let policy = if with_policy {
        r#"
resource "aws_iam_role_policy" "logs" {
  name = "logs"
  role = aws_iam_role.runtime.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:PutLogEvents"], Resource = "*" }]
  })
}
"#
    } else {
        ""
    };
    format!(
        r#"
provider "aws" {{
  region     = "us-east-1"
  access_key = "testing"
  secret_key = "testing"
  endpoints {{
    emrserverless = "{endpoint}"
    iam           = "{endpoint}"
    sts           = "{endpoint}"
  }}
}}
data "aws_caller_identity" "me" {{}}
data "aws_iam_policy_document" "trust" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["emr-serverless.amazonaws.com"]
    }}
    condition {{
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.me.account_id]
    }}
  }}
}}
resource "aws_iam_role" "runtime" {{
  name               = "{name}-runtime"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}}
{policy}
resource "aws_emrserverless_application" "app" {{
  name          = "{name}"
  type          = "spark"
  release_label = "{label}"
  maximum_capacity {{
    cpu    = "{vcpu} vCPU"
    memory = "{mem} GB"
  }}
  tags = {{ Role = aws_iam_role.runtime.arn }}
}}
output "app_id" {{
  value = aws_emrserverless_application.app.id
}}
"#,
        label = support::moto_differences::RELEASE_LABEL,
        mem = vcpu * 4
    )
}

fn emrform(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_emrform"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("EMRFORM_POLL_INTERVAL_MS", "50")
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

fn plan_json(dir: &Path) -> serde_json::Value {
    let o = emrform(dir, &["plan", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    serde_json::from_slice(&o.stdout).expect("plan JSON")
}

fn actions(p: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    p["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["change"]["actions"] != serde_json::json!(["no-op"]))
        .map(|c| {
            (
                c["address"].as_str().unwrap_or("").to_string(),
                c["change"]["actions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|a| a.as_str().map(str::to_string))
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn plan_apply_converge_update_replace_drift_destroy() {
    let moto = support::moto();
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let name = support::unique("e2e");
    std::fs::write(d.join("main.tf"), config(&moto.endpoint, &name, 8, true)).expect("write");

    // Apply from nothing, then no changes (exit 0 with --detailed-exitcode).
    let o = emrform(d, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Apply complete! Resources: 3 added, 0 changed, 0 destroyed."),
        "{}",
        text(&o)
    );
    let o = emrform(d, &["plan", "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("No changes."));
    let o = emrform(d, &["output", "app_id", "--raw"]);
    assert!(!String::from_utf8_lossy(&o.stdout).trim().is_empty());

    // A capacity change: one in-place update, through stop → update → start (moto starts apps).
    std::fs::write(d.join("main.tf"), config(&moto.endpoint, &name, 16, true)).expect("write");
    let o = emrform(d, &["plan", "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("will be updated in-place")
            && t.contains("StopApplication")
            && t.contains("StartApplication"),
        "{t}"
    );
    assert_eq!(
        actions(&plan_json(d)),
        vec![(
            String::from("aws_emrserverless_application.app"),
            vec!["update".to_string()]
        )]
    );
    let o = emrform(d, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        emrform(d, &["plan", "--detailed-exitcode"]).status.code(),
        Some(0)
    );

    // A name change: one replacement.
    let renamed = format!("{name}-b");
    std::fs::write(
        d.join("main.tf"),
        config(&moto.endpoint, &renamed, 16, true).replace(
            &format!("\"{renamed}-runtime\""),
            &format!("\"{name}-runtime\""),
        ),
    )
    .expect("write");
    let p = plan_json(d);
    assert_eq!(
        actions(&p),
        vec![(
            String::from("aws_emrserverless_application.app"),
            vec!["delete".to_string(), "create".to_string()]
        )]
    );
    assert_eq!(
        p["resource_changes"]
            .as_array()
            .and_then(|a| a
                .iter()
                .find(|c| c["address"] == "aws_emrserverless_application.app"))
            .map(|c| c["change"]["replace_paths"].clone()),
        Some(serde_json::json!([["name"]]))
    );
    let o = emrform(d, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        emrform(d, &["plan", "--detailed-exitcode"]).status.code(),
        Some(0)
    );

    // Deleted behind emrform's back: drift, then re-created.
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("terraform.tfstate")).expect("state"))
            .expect("json");
    let id = state["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["type"] == "aws_emrserverless_application")
        .and_then(|r| r["instances"][0]["attributes"]["id"].as_str())
        .expect("app id")
        .to_string();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let c = support::clients().await;
        c.emr_serverless
            .stop_application()
            .application_id(&id)
            .send()
            .await
            .expect("stop");
        c.emr_serverless
            .delete_application()
            .application_id(&id)
            .send()
            .await
            .expect("delete");
    });
    let o = emrform(d, &["plan"]);
    let t = text(&o);
    assert!(
        t.contains("has been deleted") && t.contains("will be created"),
        "{t}"
    );
    let o = emrform(d, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        emrform(d, &["plan", "--detailed-exitcode"]).status.code(),
        Some(0)
    );

    // A removed block is destroyed.
    std::fs::write(
        d.join("main.tf"),
        config(&moto.endpoint, &renamed, 16, false).replace(
            &format!("\"{renamed}-runtime\""),
            &format!("\"{name}-runtime\""),
        ),
    )
    .expect("write");
    assert_eq!(
        actions(&plan_json(d)),
        vec![(
            String::from("aws_iam_role_policy.logs"),
            vec!["delete".to_string()]
        )]
    );
    let o = emrform(d, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));

    // A held lock: the second operation fails fast naming the holder.
    let lock = d.join(".terraform.tfstate.lock.info");
    std::fs::write(&lock, r#"{"ID":"1234","Operation":"OperationTypeApply","Who":"ci@runner","Created":"2026-11-23T00:00:00Z"}"#).expect("lock");
    let o = emrform(d, &["plan"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("ci@runner"), "{}", text(&o));
    let o = emrform(d, &["force-unlock", "1234"]);
    assert!(o.status.success(), "{}", text(&o));

    // Destroy leaves nothing.
    let o = emrform(d, &["destroy", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("terraform.tfstate")).expect("state"))
            .expect("json");
    assert_eq!(state["resources"].as_array().map(|a| a.len()), Some(0));
}

/// Import blocks and `emrform import`: an IAM role and policy made outside emrform are
/// planned as imports, applied into state without changes to AWS, and then plan "No changes";
/// the import command records an object directly; bad targets and ids are refused clearly.
#[test]
fn import_blocks_and_import_command() {
    let moto = support::moto();
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let name = support::unique("imp");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"emr-serverless.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    rt.block_on(async {
        let c = support::clients().await;
        for suffix in ["a", "b"] {
            c.iam
                .create_role()
                .role_name(format!("{name}-{suffix}"))
                .assume_role_policy_document(trust)
                .send()
                .await
                .expect("create role outside emrform");
        }
    });
    let provider = format!(
        r#"
provider "aws" {{
  region     = "us-east-1"
  access_key = "testing"
  secret_key = "testing"
  endpoints {{
    iam = "{endpoint}"
    sts = "{endpoint}"
  }}
}}
locals {{
  trust = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ Service = "emr-serverless.amazonaws.com" }}, Action = "sts:AssumeRole" }}]
  }})
}}
resource "aws_iam_role" "a" {{
  name               = "{name}-a"
  assume_role_policy = local.trust
}}
"#,
        endpoint = moto.endpoint
    );
    let with_block = format!(
        "{provider}\nvariable \"role\" {{\n  default = \"{name}-a\"\n}}\nimport {{\n  to = aws_iam_role.a\n  id = var.role\n}}\n"
    );
    std::fs::write(d.join("main.tf"), &with_block).expect("write");

    let o = emrform(d, &["plan", "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("# aws_iam_role.a will be imported"), "{t}");
    assert!(
        t.contains("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."),
        "{t}"
    );
    let p = plan_json(d);
    let ch = &p["resource_changes"][0];
    assert_eq!(ch["change"]["importing"]["id"], format!("{name}-a"), "{p}");

    let o = emrform(d, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Resources: 1 imported, 0 added, 0 changed, 0 destroyed."),
        "{}",
        text(&o)
    );
    let o = emrform(d, &["state", "list"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "aws_iam_role.a");
    // The block stays in the configuration: once the object is in state it is a no-op.
    let o = emrform(d, &["plan", "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    // The import command, into a block that describes the second role.
    let second = format!(
        "{provider}\nresource \"aws_iam_role\" \"b\" {{\n  name               = \"{name}-b\"\n  assume_role_policy = local.trust\n  description        = \"managed by emrform now\"\n}}\n"
    );
    std::fs::write(d.join("main.tf"), &second).expect("write");
    let o = emrform(d, &["import", "aws_iam_role.b", &format!("{name}-b")]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Import successful!"), "{}", text(&o));
    let o = emrform(d, &["state", "list"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "aws_iam_role.a\naws_iam_role.b"
    );
    // b differs from its configuration only by its description.
    let p = plan_json(d);
    assert_eq!(
        actions(&p),
        vec![("aws_iam_role.b".to_string(), vec!["update".to_string()])],
        "{p}"
    );

    // Refusals: already managed, no such block, no such object, bad target.
    let o = emrform(d, &["import", "aws_iam_role.b", &format!("{name}-b")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("already managed"), "{}", text(&o));
    let o = emrform(d, &["import", "aws_iam_role.nope", "x"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("does not exist in the configuration"),
        "{}",
        text(&o)
    );
    std::fs::write(
        d.join("main.tf"),
        format!(
            "{provider}\nresource \"aws_iam_role\" \"c\" {{\n  name               = \"{name}-c\"\n  assume_role_policy = local.trust\n}}\nimport {{\n  to = aws_iam_role.c\n  id = \"{name}-missing\"\n}}\nimport {{\n  to = aws_iam_role.zzz\n  id = \"x\"\n}}\n"
        ),
    )
    .expect("write");
    let o = emrform(d, &["plan"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("configuration for import target does not exist: there is no resource block for aws_iam_role.zzz"),
        "{t}"
    );
    assert!(t.contains("main.tf:"), "{t}");
    std::fs::write(
        d.join("main.tf"),
        format!(
            "{provider}\nresource \"aws_iam_role\" \"c\" {{\n  name               = \"{name}-c\"\n  assume_role_policy = local.trust\n}}\nimport {{\n  to = aws_iam_role.c\n  id = \"{name}-missing\"\n}}\n"
        ),
    )
    .expect("write");
    let o = emrform(d, &["plan"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("cannot import non-existent remote object"),
        "{}",
        text(&o)
    );
}
