//! The plan JSON: Terraform's format_version 1.2 shape, checked field by field against a
//! schema of our own (the fields consumers read), and with checkov when it is installed.

use emrform::addrs::ResourceInstanceAddr;
use emrform::config::value::Value;
use emrform::plan::*;
use emrform::render::plan_json::to_json;

fn sample() -> Plan {
    let mk =
        |addr: &str, action: Action, before: Option<Value>, after: Option<Value>| ResourceChange {
            addr: addr.parse::<ResourceInstanceAddr>().expect("address"),
            provider_key: "aws".into(),
            action,
            action_reason: if action == Action::DeleteThenCreate {
                Some(ActionReason::ReplaceBecauseCannotUpdate)
            } else {
                None
            },
            before,
            after,
            replace_paths: if action == Action::DeleteThenCreate {
                vec![vec![PathStep::Key("name".into())]]
            } else {
                vec![]
            },
            api_ops: vec![],
            importing: None,
            sensitive_attrs: vec![],
            dependencies: vec![],
            create_before_destroy: false,
        };
    let role = Value::map([
        ("name", Value::string("r")),
        ("arn", Value::Unknown),
        ("assume_role_policy", Value::string("{}")),
        ("tags", Value::map([("a", Value::string("b"))])),
    ]);
    Plan {
        resource_changes: vec![
            mk("aws_iam_role.r", Action::Create, None, Some(role.clone())),
            mk(
                "module.app.aws_emrserverless_application.this[0]",
                Action::DeleteThenCreate,
                Some(Value::map([
                    ("name", Value::string("a")),
                    ("id", Value::string("x")),
                ])),
                Some(Value::map([
                    ("name", Value::string("b")),
                    ("id", Value::Unknown),
                ])),
            ),
            mk(
                "aws_subnet.s[\"a\"]",
                Action::Delete,
                Some(Value::map([("id", Value::string("subnet-1"))])),
                None,
            ),
        ],
        output_changes: [(
            "role_arn".to_string(),
            OutputChange {
                action: Action::Create,
                before: None,
                after: Some(Value::Unknown),
                sensitive: false,
            },
        )]
        .into_iter()
        .collect(),
        timestamp: "2026-11-23T00:00:00Z".into(),
        ..Plan::default()
    }
}

#[test]
fn plan_json_has_terraforms_shape() {
    let j = to_json(&sample());
    assert_eq!(j["format_version"], "1.2");
    for key in [
        "terraform_version",
        "variables",
        "planned_values",
        "resource_drift",
        "resource_changes",
        "output_changes",
        "prior_state",
        "configuration",
        "timestamp",
        "applyable",
        "complete",
        "errored",
    ] {
        assert!(j.get(key).is_some(), "missing {key}");
    }
    let rc = j["resource_changes"].as_array().expect("array");
    assert_eq!(rc.len(), 3);
    for c in rc {
        for key in ["address", "mode", "type", "name", "provider_name", "change"] {
            assert!(c.get(key).is_some(), "missing resource_changes[].{key}");
        }
        for key in [
            "actions",
            "before",
            "after",
            "after_unknown",
            "before_sensitive",
            "after_sensitive",
        ] {
            assert!(c["change"].get(key).is_some(), "missing change.{key}");
        }
    }
    assert_eq!(rc[0]["change"]["actions"], serde_json::json!(["create"]));
    assert_eq!(
        rc[0]["change"]["after_unknown"],
        serde_json::json!({"arn": true})
    );
    assert_eq!(rc[0]["change"]["before"], serde_json::Value::Null);
    assert_eq!(
        rc[1]["change"]["actions"],
        serde_json::json!(["delete", "create"])
    );
    assert_eq!(rc[1]["action_reason"], "replace_because_cannot_update");
    assert_eq!(rc[1]["module_address"], "module.app");
    assert_eq!(rc[1]["index"], 0);
    assert_eq!(
        rc[1]["change"]["replace_paths"],
        serde_json::json!([["name"]])
    );
    assert_eq!(rc[2]["index"], "a");
    assert_eq!(rc[2]["change"]["actions"], serde_json::json!(["delete"]));
    assert_eq!(rc[2]["change"]["after"], serde_json::Value::Null);
    let root = &j["planned_values"]["root_module"];
    assert_eq!(root["resources"][0]["address"], "aws_iam_role.r");
    assert_eq!(root["child_modules"][0]["address"], "module.app");
    assert_eq!(
        root["child_modules"][0]["resources"][0]["values"]["name"],
        "b"
    );
    assert_eq!(
        j["output_changes"]["role_arn"]["actions"],
        serde_json::json!(["create"])
    );
}

/// checkov reads Terraform plan JSON; emrform's must parse without error. checkov is a large
/// install, so this runs where `EMRFORM_CHECKOV` names its binary (scripts/test sets it).
#[test]
fn checkov_reads_the_plan_json() {
    let Ok(checkov) = std::env::var("EMRFORM_CHECKOV") else {
        eprintln!(
            "SKIPPED: EMRFORM_CHECKOV is not set (scripts/test installs checkov and sets it)"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("plan.json");
    std::fs::write(&f, to_json(&sample()).to_string()).expect("write");
    let out = std::process::Command::new(checkov)
        .args(["--framework", "terraform_plan", "-f"])
        .arg(&f)
        .args(["-o", "json", "--quiet", "--compact", "--skip-download"])
        .output()
        .expect("checkov runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("Traceback") && !stderr.to_lowercase().contains("failed to parse"),
        "checkov could not read the plan:\n{stderr}"
    );
    let v: serde_json::Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("checkov output is not JSON ({e}):\n{stdout}\n{stderr}"));
    let v = if v.is_array() { v[0].clone() } else { v };
    assert_eq!(v["check_type"], "terraform_plan", "{v}");
    let resources = v["summary"]["resource_count"].as_u64().unwrap_or(0);
    assert!(resources >= 1, "checkov saw no resources: {v}");
}
