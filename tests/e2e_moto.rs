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

    // A held lock (this process holds the OS lock, as a running apply would): the second
    // operation fails fast naming the holder; force-unlock removes it.
    let lock = d.join(".terraform.tfstate.lock.info");
    std::fs::write(&lock, r#"{"ID":"1234","Operation":"OperationTypeApply","Who":"ci@runner","Created":"2026-11-23T00:00:00Z"}"#).expect("lock");
    let held = std::fs::File::open(&lock).expect("open lock");
    held.lock().expect("hold lock");
    let o = emrform(d, &["plan"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("ci@runner"), "{}", text(&o));
    let o = emrform(d, &["force-unlock", "1234"]);
    assert!(o.status.success(), "{}", text(&o));
    drop(held);
    // A lock file whose holder has ended (a crash, a kill) is taken over with a note.
    std::fs::write(&lock, r#"{"ID":"5678","Operation":"OperationTypeApply","Who":"gone@runner","Created":"2026-11-23T00:00:00Z"}"#).expect("lock");
    let o = emrform(d, &["plan", "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("taking over a state lock left by a process that has ended (ID 5678"),
        "{}",
        text(&o)
    );
    assert!(!lock.exists());

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

fn crash_config(endpoint: &str, name: &str) -> String {
    format!(
        r#"
provider "aws" {{
  region     = "us-east-1"
  access_key = "testing"
  secret_key = "testing"
  endpoints {{
    ec2           = "{endpoint}"
    emrserverless = "{endpoint}"
    iam           = "{endpoint}"
    sts           = "{endpoint}"
  }}
}}
resource "aws_vpc" "main" {{
  cidr_block = "10.42.0.0/16"
  tags       = {{ Name = "{name}" }}
}}
resource "aws_subnet" "a" {{
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.42.0.0/22"
  availability_zone = "us-east-1a"
}}
resource "aws_security_group" "sg" {{
  name   = "{name}-sg"
  vpc_id = aws_vpc.main.id
}}
resource "aws_iam_role" "runtime" {{
  name = "{name}-runtime"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ Service = "emr-serverless.amazonaws.com" }}, Action = "sts:AssumeRole" }}]
  }})
}}
resource "aws_iam_role_policy" "logs" {{
  name = "logs"
  role = aws_iam_role.runtime.id
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = ["logs:PutLogEvents"], Resource = "*" }}]
  }})
}}
resource "aws_emrserverless_application" "app" {{
  name          = "{name}"
  type          = "spark"
  release_label = "{label}"
  network_configuration {{
    subnet_ids         = [aws_subnet.a.id]
    security_group_ids = [aws_security_group.sg.id]
  }}
  tags = {{ Role = aws_iam_role.runtime.name }}
}}
"#,
        label = support::moto_differences::RELEASE_LABEL,
    )
}

/// What exists in moto for the crash stack called `name`: (address, id) pairs.
fn live_objects(name: &str) -> Vec<(String, String)> {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let c = support::clients().await;
        let mut out = Vec::new();
        let vpcs = c
            .ec2
            .describe_vpcs()
            .filters(
                aws_sdk_ec2::types::Filter::builder()
                    .name("tag:Name")
                    .values(name)
                    .build(),
            )
            .send()
            .await
            .expect("vpcs");
        for v in vpcs.vpcs() {
            let vpc = v.vpc_id().unwrap_or_default().to_string();
            out.push(("aws_vpc.main".to_string(), vpc.clone()));
            let f = aws_sdk_ec2::types::Filter::builder()
                .name("vpc-id")
                .values(&vpc)
                .build();
            let subnets = c
                .ec2
                .describe_subnets()
                .filters(f.clone())
                .send()
                .await
                .expect("subnets");
            for s in subnets.subnets() {
                out.push((
                    "aws_subnet.a".into(),
                    s.subnet_id().unwrap_or_default().into(),
                ));
            }
            let groups = c
                .ec2
                .describe_security_groups()
                .filters(f)
                .send()
                .await
                .expect("groups");
            for g in groups.security_groups() {
                if g.group_name() != Some("default") {
                    out.push((
                        "aws_security_group.sg".into(),
                        g.group_id().unwrap_or_default().into(),
                    ));
                }
            }
        }
        let role = format!("{name}-runtime");
        if c.iam.get_role().role_name(&role).send().await.is_ok() {
            out.push(("aws_iam_role.runtime".into(), role.clone()));
            let inline = c
                .iam
                .list_role_policies()
                .role_name(&role)
                .send()
                .await
                .expect("role policies");
            for p in inline.policy_names() {
                out.push(("aws_iam_role_policy.logs".into(), format!("{role}:{p}")));
            }
        }
        let apps = c
            .emr_serverless
            .list_applications()
            .send()
            .await
            .expect("applications");
        for a in apps.applications() {
            if a.name() == Some(name)
                && a.state() != &aws_sdk_emrserverless::types::ApplicationState::Terminated
            {
                out.push(("aws_emrserverless_application.app".into(), a.id().into()));
            }
        }
        out
    })
}

/// Asserts that state accounts for every live object: its id is recorded at its address, or
/// the address holds the pending record of an interrupted create (which the next plan
/// resolves to that object); and that nothing exists twice.
fn assert_state_accounts_for(d: &Path, name: &str, when: &str) {
    let live = live_objects(name);
    let state: serde_json::Value = serde_json::from_slice(
        &std::fs::read(d.join("terraform.tfstate")).unwrap_or_else(|_| b"{}".to_vec()),
    )
    .expect("state JSON");
    let mut recorded = Vec::new();
    let mut pending = Vec::new();
    for r in state["resources"].as_array().into_iter().flatten() {
        let addr = format!(
            "{}.{}",
            r["type"].as_str().unwrap_or(""),
            r["name"].as_str().unwrap_or("")
        );
        for i in r["instances"].as_array().into_iter().flatten() {
            if i["status"] == "tainted" {
                pending.push(addr.clone());
            } else if let Some(id) = i["attributes"]["id"].as_str() {
                recorded.push((addr.clone(), id.to_string()));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (addr, id) in &live {
        assert!(
            seen.insert(addr.clone()),
            "{when}: {addr} exists twice in AWS: {live:?}"
        );
        assert!(
            recorded.contains(&(addr.clone(), id.clone())) || pending.contains(addr),
            "{when}: {addr} ({id}) exists but state records neither it nor a pending create.\nlive: {live:?}\nrecorded: {recorded:?}\npending: {pending:?}"
        );
    }
}

/// SIGKILL part-way through apply, at chosen points (just before and just after the create
/// call of several objects, through EMRFORM_KILL_AT) and at timed moments from outside: state
/// always accounts for every object that exists, and the next apply converges without
/// duplicates, then plans "No changes".
#[test]
fn sigkill_mid_apply_loses_nothing() {
    use std::os::unix::process::ExitStatusExt;
    let moto = support::moto();
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let name = support::unique("kill");
    std::fs::write(d.join("main.tf"), crash_config(&moto.endpoint, &name)).expect("write");
    let points = [
        "after-create:aws_vpc.main",
        "before-create:aws_subnet.a",
        "after-create:aws_subnet.a",
        "after-create:aws_security_group.sg",
        "after-create:aws_iam_role.runtime",
        "after-create:aws_iam_role_policy.logs",
        "after-create:aws_emrserverless_application.app",
    ];
    for point in points {
        let o = Command::new(env!("CARGO_BIN_EXE_emrform"))
            .args(["apply", "--auto-approve", "--parallelism", "1"])
            .current_dir(d)
            .env("NO_COLOR", "1")
            .env("EMRFORM_POLL_INTERVAL_MS", "50")
            .env("EMRFORM_KILL_AT", point)
            .output()
            .expect("emrform runs");
        assert_eq!(
            o.status.signal(),
            Some(9),
            "{point}: not killed:\n{}",
            text(&o)
        );
        assert_state_accounts_for(d, &name, point);
        if point.starts_with("after-create") {
            // The next plan finds the object the killed run made (refresh on or off).
            let o = emrform(d, &["plan", "--refresh=false"]);
            let addr = point.trim_start_matches("after-create:");
            assert!(
                text(&o).contains(&format!(
                    "{addr} was created by an earlier apply that stopped before recording it"
                )),
                "{point}:\n{}",
                text(&o)
            );
        }
        // The next apply converges without duplicates; then start again from nothing.
        let o = emrform(d, &["apply", "--auto-approve"]);
        assert!(o.status.success(), "{point}: {}", text(&o));
        assert_state_accounts_for(d, &name, &format!("{point}, converged"));
        assert_eq!(
            live_objects(&name).len(),
            6,
            "{point}: {:?}",
            live_objects(&name)
        );
        let o = emrform(d, &["plan", "--detailed-exitcode"]);
        assert_eq!(o.status.code(), Some(0), "{point}: {}", text(&o));
        let o = emrform(d, &["destroy", "--auto-approve"]);
        assert!(o.status.success(), "{point}: {}", text(&o));
        assert!(
            live_objects(&name).is_empty(),
            "{point}: {:?}",
            live_objects(&name)
        );
    }
    let o = emrform(d, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));

    // Kills from outside at different moments of a destroy and a fresh apply.
    let kill_after = |command: &str, delay_ms: u64| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_emrform"))
            .args([command, "--auto-approve", "--parallelism", "2"])
            .current_dir(d)
            .env("NO_COLOR", "1")
            .env("EMRFORM_POLL_INTERVAL_MS", "50")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        assert_state_accounts_for(d, &name, &format!("{command} killed at {delay_ms} ms"));
    };
    for delay_ms in [150u64, 400, 900] {
        kill_after("destroy", delay_ms);
        kill_after("apply", delay_ms);
    }
    let o = emrform(d, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(live_objects(&name).len(), 6, "{:?}", live_objects(&name));
    let o = emrform(d, &["plan", "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = emrform(d, &["destroy", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(live_objects(&name).is_empty(), "{:?}", live_objects(&name));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        let dest = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}

/// Every example (except bad-examples) applies against moto exactly as written — only the
/// standard AWS_ENDPOINT_URL and test credentials point it there — then plans "No changes",
/// then destroys cleanly.
#[test]
fn every_example_applies_and_converges() {
    let moto = support::moto();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tmp");
    copy_dir(&root.join("modules"), &tmp.path().join("modules"));
    copy_dir(&root.join("examples"), &tmp.path().join("examples"));
    let run = |dir: &Path, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_emrform"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("EMRFORM_POLL_INTERVAL_MS", "50")
            .env("AWS_ENDPOINT_URL", &moto.endpoint)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env_remove("AWS_PROFILE")
            .output()
            .expect("emrform runs")
    };
    let mut seen = 0;
    for e in std::fs::read_dir(tmp.path().join("examples"))
        .expect("examples")
        .flatten()
    {
        let d = e.path();
        if !d.is_dir() || e.file_name() == "bad-examples" {
            continue;
        }
        seen += 1;
        let name = e.file_name().to_string_lossy().to_string();
        let key = if name == "shared-subnets" {
            "name_prefix"
        } else {
            "name"
        };
        let var = format!("{key}={}", support::unique(&name));
        let vars = ["--var", "bucket=emrform-examples", "--var", var.as_str()];
        let o = run(&d, &["validate"]);
        assert!(o.status.success(), "{name}: validate: {}", text(&o));
        let o = run(&d, &[&["apply", "--auto-approve"][..], &vars[..]].concat());
        assert!(o.status.success(), "{name}: apply: {}", text(&o));
        assert!(text(&o).contains("Apply complete!"), "{name}: {}", text(&o));
        let o = run(
            &d,
            &[&["plan", "--detailed-exitcode"][..], &vars[..]].concat(),
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{name}: plan after apply: {}",
            text(&o)
        );
        assert!(text(&o).contains("No changes."), "{name}: {}", text(&o));
        let o = run(
            &d,
            &[&["destroy", "--auto-approve"][..], &vars[..]].concat(),
        );
        assert!(o.status.success(), "{name}: destroy: {}", text(&o));
    }
    assert_eq!(
        seen, 4,
        "quickstart, spark-in-vpc, custom-image, shared-subnets"
    );
}

/// EMR101 with live facts: free addresses of existing subnets (used up here by ENIs with
/// secondary addresses, which moto counts) and an application outside the configuration that
/// shares a subnet both count.
#[test]
fn subnet_sizing_reads_live_subnets_and_other_applications() {
    let moto = support::moto();
    let name = support::unique("ips");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (a, b, eni) = rt.block_on(async {
        let c = support::clients().await;
        let vpc = c
            .ec2
            .create_vpc()
            .cidr_block("10.77.0.0/16")
            .send()
            .await
            .expect("vpc");
        let vpc = vpc
            .vpc()
            .and_then(|v| v.vpc_id())
            .expect("vpc id")
            .to_string();
        let mut ids = Vec::new();
        for (cidr, az) in [
            ("10.77.1.0/24", "us-east-1a"),
            ("10.77.2.0/24", "us-east-1b"),
        ] {
            let s = c
                .ec2
                .create_subnet()
                .vpc_id(&vpc)
                .cidr_block(cidr)
                .availability_zone(az)
                .send()
                .await
                .expect("subnet");
            ids.push(
                s.subnet()
                    .and_then(|s| s.subnet_id())
                    .expect("id")
                    .to_string(),
            );
        }
        // 1 primary + 199 secondary addresses: 251 - 200 = 51 left in the first subnet.
        let eni = c
            .ec2
            .create_network_interface()
            .subnet_id(&ids[0])
            .secondary_private_ip_address_count(199)
            .send()
            .await
            .expect("eni");
        let eni = eni
            .network_interface()
            .and_then(|n| n.network_interface_id())
            .expect("eni id")
            .to_string();
        (ids[0].clone(), ids[1].clone(), eni)
    });
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    std::fs::write(
        d.join("main.tf"),
        format!(
            r#"
provider "aws" {{
  region     = "us-east-1"
  access_key = "testing"
  secret_key = "testing"
  endpoints {{
    ec2           = "{endpoint}"
    emrserverless = "{endpoint}"
    iam           = "{endpoint}"
    sts           = "{endpoint}"
  }}
}}
resource "aws_emrserverless_application" "app" {{
  name          = "{name}"
  type          = "spark"
  release_label = "{label}"
  maximum_capacity {{
    cpu    = "400 vCPU"
    memory = "1600 GB"
  }}
  initial_capacity {{
    initial_capacity_type = "Executor"
    initial_capacity_config {{
      worker_count = 1
      worker_configuration {{
        cpu    = "4 vCPU"
        memory = "16 GB"
      }}
    }}
  }}
  network_configuration {{
    subnet_ids = ["{a}", "{b}"]
  }}
}}
"#,
            endpoint = moto.endpoint,
            label = support::moto_differences::RELEASE_LABEL,
        ),
    )
    .expect("write");
    // 400 vCPU / 4 vCPU = 100 workers per subnet: the first subnet has 51 free addresses.
    let o = emrform(d, &["plan"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("EMR101"), "{t}");
    assert!(t.contains("51 free IPs now"), "{t}");

    // With the ENI gone both subnets pass...
    rt.block_on(async {
        let c = support::clients().await;
        c.ec2
            .delete_network_interface()
            .network_interface_id(&eni)
            .send()
            .await
            .expect("delete eni");
    });
    let o = emrform(d, &["plan"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!text(&o).contains("EMR101"), "{}", text(&o));

    // ...until an application outside this configuration takes 200 workers on the second.
    rt.block_on(async {
        let c = support::clients().await;
        c.emr_serverless
            .create_application()
            .name(format!("{name}-other"))
            .r#type("SPARK")
            .release_label(support::moto_differences::RELEASE_LABEL)
            .client_token(support::unique("tok"))
            .maximum_capacity(
                aws_sdk_emrserverless::types::MaximumAllowedResources::builder()
                    .cpu("800 vCPU")
                    .memory("3200 GB")
                    .build()
                    .expect("capacity"),
            )
            .network_configuration(
                aws_sdk_emrserverless::types::NetworkConfiguration::builder()
                    .subnet_ids(&b)
                    .build(),
            )
            .send()
            .await
            .expect("other application");
    });
    let o = emrform(d, &["plan"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("EMR101") && t.contains(&format!("{name}-other")),
        "{t}"
    );
}

/// Every bad example is refused by `plan` (exit 1) with the finding its README names, against
/// the local AWS API server as a user would run it.
#[test]
fn every_bad_example_is_refused_with_its_finding() {
    let moto = support::moto();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tmp");
    copy_dir(&root.join("modules"), &tmp.path().join("modules"));
    copy_dir(&root.join("examples"), &tmp.path().join("examples"));
    let cases = [
        ("subnet-too-small", "EMR101"),
        ("runtime-role-wrong-trust", "EMR001"),
        ("admin-policy", "IAM002"),
        ("image-repo-not-pullable", "EMR104"),
        ("unknown-attribute", "unsupported-argument"),
        ("capacity-initial-over-max", "EMR103"),
    ];
    let dirs = std::fs::read_dir(tmp.path().join("examples/bad-examples"))
        .expect("bad examples")
        .flatten()
        .filter(|e| e.path().is_dir())
        .count();
    assert_eq!(dirs, cases.len(), "every bad example has a case here");
    for (case, finding) in cases {
        let o = Command::new(env!("CARGO_BIN_EXE_emrform"))
            .args(["plan"])
            .current_dir(tmp.path().join("examples/bad-examples").join(case))
            .env("NO_COLOR", "1")
            .env("AWS_ENDPOINT_URL", &moto.endpoint)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env_remove("AWS_PROFILE")
            .output()
            .expect("emrform runs");
        assert_eq!(o.status.code(), Some(1), "{case}: {}", text(&o));
        assert!(
            text(&o).contains(finding),
            "{case}: expected {finding}:\n{}",
            text(&o)
        );
        if case == "unknown-attribute" {
            continue; // no plan to save
        }
        // emrform's own plan JSON, judged again by `check`, gives the same finding.
        let dir = tmp.path().join("examples/bad-examples").join(case);
        let o = Command::new(env!("CARGO_BIN_EXE_emrform"))
            .args(["plan", "--json"])
            .current_dir(&dir)
            .env("AWS_ENDPOINT_URL", &moto.endpoint)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env_remove("AWS_PROFILE")
            .output()
            .expect("emrform runs");
        let plan_file = dir.join("emrform-plan.json");
        std::fs::write(&plan_file, &o.stdout).expect("write plan");
        let c = Command::new(env!("CARGO_BIN_EXE_emrform"))
            .args(["check", "--no-config", "--format", "json"])
            .arg(&plan_file)
            .env("NO_COLOR", "1")
            .output()
            .expect("emrform runs");
        assert_eq!(c.status.code(), Some(1), "{case}: {}", text(&c));
        assert!(
            String::from_utf8_lossy(&c.stdout).contains(&format!("\"rule\":\"{finding}\"")),
            "{case}: check of emrform's plan JSON: {}",
            text(&c)
        );
    }
}

/// No plan-time check fires as an error on the shared corpus stacks (valid AWS usage), planned
/// against the local AWS API server. Stacks that cannot be planned here (an existing VPC to
/// look up, a required secret variable, a remote backend) are named in the output.
#[test]
fn no_check_errors_on_the_corpus_stacks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/stacks");
    if !root.is_dir() {
        println!("SKIPPED: {} is not here", root.display());
        return;
    }
    let moto = support::moto();
    seed_shared_vpc();
    let mut dirs = Vec::new();
    for e in std::fs::read_dir(&root).expect("stacks").flatten() {
        let p = e.path();
        let envs = p.join("envs");
        if envs.is_dir() {
            for env in std::fs::read_dir(&envs).expect("envs").flatten() {
                dirs.push((p.clone(), env.path()));
            }
        } else {
            dirs.push((p.clone(), p.clone()));
        }
    }
    let mut planned = 0;
    for (stack, dir) in dirs {
        let tmp = tempfile::tempdir().expect("tmp");
        copy_dir(&stack, tmp.path());
        let rel = dir.strip_prefix(&stack).expect("inside the stack");
        // envs-layered/envs/prod is for parsing and validation only (its README): its S3
        // backend, deploy role and image belong to another account.
        if dir.ends_with("envs/prod") {
            let o = Command::new(env!("CARGO_BIN_EXE_emrform"))
                .args(["validate", "--var-file=prod.tfvars"])
                .current_dir(tmp.path().join(rel))
                .env("NO_COLOR", "1")
                .output()
                .expect("emrform runs");
            assert!(o.status.success(), "{}: {}", dir.display(), text(&o));
            planned += 1;
            continue;
        }
        let o = Command::new(env!("CARGO_BIN_EXE_emrform"))
            .args(["plan"])
            .current_dir(tmp.path().join(rel))
            .env("NO_COLOR", "1")
            .env("AWS_ENDPOINT_URL", &moto.endpoint)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            // hive-existing-vpc's one variable that must come from outside its files.
            .env("TF_VAR_metastore_password", "test")
            .env_remove("AWS_PROFILE")
            .output()
            .expect("emrform runs");
        let t = text(&o);
        assert!(!t.contains("error[EMR1"), "{}: {t}", dir.display());
        assert!(t.contains("Plan: "), "{} does not plan: {t}", dir.display());
        planned += 1;
        if stack.ends_with("hive-existing-vpc") {
            assert!(
                t.contains("Plan: 10 to add, 0 to change, 0 to destroy."),
                "{t}"
            );
        }
    }
    assert!(
        planned >= 11,
        "only {planned} corpus stack roots planned (or validated)"
    );
}

/// The shared VPC hive-existing-vpc looks up (its README): a VPC tagged
/// `Name = shared-data-vpc` with two private subnets (`Tier = private`) in different zones,
/// each with its own route table.
fn seed_shared_vpc() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let c = support::clients().await;
        let tag = |k: &str, v: &str| aws_sdk_ec2::types::Tag::builder().key(k).value(v).build();
        let spec = |kind: aws_sdk_ec2::types::ResourceType, tags: Vec<aws_sdk_ec2::types::Tag>| {
            aws_sdk_ec2::types::TagSpecification::builder()
                .resource_type(kind)
                .set_tags(Some(tags))
                .build()
        };
        let existing = c
            .ec2
            .describe_vpcs()
            .filters(
                aws_sdk_ec2::types::Filter::builder()
                    .name("tag:Name")
                    .values("shared-data-vpc")
                    .build(),
            )
            .send()
            .await
            .expect("describe vpcs");
        if !existing.vpcs().is_empty() {
            return;
        }
        let vpc = c
            .ec2
            .create_vpc()
            .cidr_block("10.60.0.0/16")
            .tag_specifications(spec(
                aws_sdk_ec2::types::ResourceType::Vpc,
                vec![tag("Name", "shared-data-vpc")],
            ))
            .send()
            .await
            .expect("vpc");
        let vpc_id = vpc
            .vpc()
            .and_then(|v| v.vpc_id())
            .expect("vpc id")
            .to_string();
        for (i, az) in ["us-east-1a", "us-east-1b"].iter().enumerate() {
            let subnet = c
                .ec2
                .create_subnet()
                .vpc_id(&vpc_id)
                .cidr_block(format!("10.60.{i}.0/24"))
                .availability_zone(*az)
                .tag_specifications(spec(
                    aws_sdk_ec2::types::ResourceType::Subnet,
                    vec![tag("Tier", "private")],
                ))
                .send()
                .await
                .expect("subnet");
            let subnet_id = subnet
                .subnet()
                .and_then(|s| s.subnet_id())
                .expect("id")
                .to_string();
            let table = c
                .ec2
                .create_route_table()
                .vpc_id(&vpc_id)
                .send()
                .await
                .expect("route table");
            let table_id = table
                .route_table()
                .and_then(|t| t.route_table_id())
                .expect("id")
                .to_string();
            c.ec2
                .associate_route_table()
                .route_table_id(table_id)
                .subnet_id(subnet_id)
                .send()
                .await
                .expect("associate");
        }
    });
}

fn builtins_config(endpoint: &str, version: &str, command: &str) -> String {
    format!(
        r#"
provider "aws" {{
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  endpoints {{
    ec2           = "{endpoint}"
    emrserverless = "{endpoint}"
    iam           = "{endpoint}"
    sts           = "{endpoint}"
  }}
}}

resource "random_id" "suffix" {{
  byte_length = 4
  prefix      = "app-"
}}

resource "random_string" "token" {{
  length  = 12
  special = false
}}

resource "random_uuid" "run" {{}}

resource "terraform_data" "marker" {{
  input = random_id.suffix.hex
}}

resource "time_sleep" "settle" {{
  create_duration = "100ms"
}}

resource "null_resource" "push" {{
  triggers = {{
    version = "{version}"
    suffix  = random_id.suffix.hex
  }}

  provisioner "local-exec" {{
    command = "{command}"
    environment = {{
      SUFFIX = terraform_data.marker.output
    }}
  }}

  depends_on = [time_sleep.settle]
}}

output "suffix" {{
  value = random_id.suffix.hex
}}

output "token" {{
  value = random_string.token.result
}}
"#
    )
}

/// The built-in types plan, apply and converge with no AWS call; a `local-exec` provisioner
/// runs only with --allow-local-exec (and the plan says which), sees `self` and its
/// environment, and a failing one fails the apply with the object still in state.
#[test]
fn builtin_types_and_local_exec_provisioners() {
    let moto = support::moto();
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    let write = |version: &str, command: &str| {
        std::fs::write(
            d.join("main.tf"),
            builtins_config(&moto.endpoint, version, command),
        )
        .expect("write");
    };
    let echo = r#"echo pushed-${self.triggers.version}-$SUFFIX > pushed.txt"#;
    write("1", echo);

    let o = emrform(d, &["plan"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("provisioner \"local-exec\" will NOT run: pass --allow-local-exec"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("Plan: 6 to add"), "{}", text(&o));

    let o = emrform(d, &["apply", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("local-exec provisioner not run"),
        "{}",
        text(&o)
    );
    assert!(
        !d.join("pushed.txt").exists(),
        "nothing ran without the flag"
    );
    let suffix_line = String::from_utf8_lossy(&o.stdout)
        .lines()
        .find(|l| l.starts_with("suffix = "))
        .map(str::to_string)
        .expect("suffix output");
    let suffix = suffix_line
        .trim_start_matches("suffix = ")
        .trim_matches('"')
        .to_string();
    assert!(suffix.starts_with("app-") && suffix.len() == 12, "{suffix}");

    let o = emrform(d, &["plan", "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(0), "converged: {}", text(&o));

    // A new trigger replaces the null_resource; with the flag its command runs.
    write("2", echo);
    let o = emrform(d, &["plan", "--allow-local-exec"]);
    assert!(
        text(&o).contains("null_resource.push must be replaced"),
        "{}",
        text(&o)
    );
    assert!(
        text(&o).contains("will run on this machine after the create"),
        "{}",
        text(&o)
    );
    let o = emrform(d, &["apply", "--auto-approve", "--allow-local-exec"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("null_resource.push (local-exec): Executing"),
        "{}",
        text(&o)
    );
    let pushed = std::fs::read_to_string(d.join("pushed.txt")).expect("the command ran");
    assert_eq!(pushed.trim(), format!("pushed-2-{suffix}"));

    // A failing command fails the apply; the object stays recorded.
    write("3", "echo broken >&2; exit 3");
    let o = emrform(d, &["apply", "--auto-approve", "--allow-local-exec"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("null_resource.push (local-exec): broken"),
        "{}",
        text(&o)
    );
    assert!(
        text(&o).contains("exited with exit status: 3"),
        "{}",
        text(&o)
    );
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("terraform.tfstate")).expect("state"))
            .expect("state JSON");
    let push = state["resources"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["type"] == "null_resource"))
        .expect("null_resource recorded");
    assert_eq!(
        push["instances"][0]["attributes"]["triggers"]["version"],
        "3"
    );

    let o = emrform(d, &["destroy", "--auto-approve"]);
    assert!(o.status.success(), "{}", text(&o));
}
