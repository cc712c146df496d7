//! `emrform check` as a process: over configuration directories emrform cannot plan and over
//! Terraform plan JSON (made by Terraform 1.11.4 with the AWS provider 5.100 from the examples,
//! see `scripts/gen-plan-fixtures`): findings, what is not checked, formats, exit statuses.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn check(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_emrform"))
        .arg("check")
        .arg("--no-config")
        .args(args)
        .env("NO_COLOR", "1")
        .current_dir(root())
        .output()
        .expect("emrform runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn plan_fixture(name: &str) -> String {
    format!("tests/fixtures/plans/terraform-{name}.json")
}

fn rules_in_json_lines(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            v["rule"].as_str().unwrap_or_default().to_string()
        })
        .collect()
}

#[test]
fn terraform_plan_json_of_bad_examples_fails_with_their_findings() {
    for (case, rule, count) in [
        ("subnet-too-small", "EMR101", 6),
        ("image-repo-not-pullable", "EMR104", 1),
        ("admin-policy", "IAM002", 1),
    ] {
        let (code, out, err) = check(&["--format", "json", &plan_fixture(case)]);
        assert_eq!(code, 1, "{case}: {out}{err}");
        let rules = rules_in_json_lines(&out);
        assert_eq!(
            rules.iter().filter(|r| *r == rule).count(),
            count,
            "{case}: {rules:?}"
        );
    }
}

#[test]
fn terraform_plan_json_of_good_examples_passes() {
    for case in ["quickstart", "spark-in-vpc", "custom-image"] {
        let (code, out, err) = check(&[&plan_fixture(case)]);
        assert_eq!(code, 0, "{case}: {out}{err}");
        assert!(out.contains("PASS: 0 errors"), "{case}: {out}");
        // Every EMR Serverless application and role of the plan was judged.
        assert!(!out.contains("over 0 resources"), "{case}: {out}");
    }
}

#[test]
fn plan_findings_point_at_the_resource_in_the_plan() {
    let (_, out, _) = check(&[&plan_fixture("image-repo-not-pullable")]);
    assert!(
        out.contains("\"address\": \"aws_ecr_repository_policy.spark\""),
        "the excerpt shows the resource change: {out}"
    );
    let (_, out, _) = check(&[&plan_fixture("admin-policy")]);
    assert!(
        out.contains("terraform-admin-policy.json (aws_iam_role_policy.runtime policy)"),
        "a policy finding names the plan, the address and the argument: {out}"
    );
}

#[test]
fn bad_example_directories_fail_offline() {
    for (case, rule) in [
        ("subnet-too-small", "EMR101"),
        ("runtime-role-wrong-trust", "EMR001"),
        ("admin-policy", "IAM002"),
        ("unknown-attribute", "unsupported-argument"),
        ("capacity-initial-over-max", "EMR103"),
    ] {
        let dir = format!("examples/bad-examples/{case}");
        let (code, out, err) = check(&["--format", "json", &dir]);
        assert_eq!(code, 1, "{case}: {out}{err}");
        assert!(
            rules_in_json_lines(&out).iter().any(|r| r == rule),
            "{case}: {out}"
        );
    }
}

#[test]
fn a_configuration_emrform_cannot_plan_is_still_judged() {
    let dir = "tests/fixtures/check/mixed";
    let (code, out, _) = check(&[dir]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("EMR103"),
        "initial capacity over the maximum: {out}"
    );
    assert!(out.contains("IAM002"), "the admin policy: {out}");
    assert!(out.contains("Not checked"), "{out}");
    assert!(
        out.contains("aws_lambda_function.notify  (tests/fixtures/check/mixed/main.tf:9:10)"),
        "{out}"
    );
    assert!(out.contains("data.aws_glue_catalog_table.events"), "{out}");
    assert!(out.contains("; 2 not checked"), "{out}");
    // The same directory is refused by validate with the one error naming both types.
    let v = Command::new(env!("CARGO_BIN_EXE_emrform"))
        .args(["validate", "--no-color", "--chdir", dir])
        .current_dir(root())
        .output()
        .expect("runs");
    let verr = String::from_utf8_lossy(&v.stderr);
    assert_eq!(v.status.code(), Some(1));
    assert!(verr.contains("error[unplannable-types]: this configuration uses 2 types emrform cannot plan: aws_glue_catalog_table, aws_lambda_function"), "{verr}");
    assert!(verr.contains("emrform check"), "{verr}");
}

#[test]
fn formats_and_thresholds() {
    let dir = "tests/fixtures/check/mixed";
    let (_, sarif, _) = check(&["--format", "sarif", dir]);
    let log: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF is JSON");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/sarif/sarif-schema-2.1.0.json"))
            .expect("schema"),
    )
    .expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let emr103 = results
        .iter()
        .find(|r| r["ruleId"] == "EMR103")
        .expect("EMR103 result");
    let idx = emr103["ruleIndex"].as_u64().expect("index") as usize;
    assert_eq!(
        rules[idx]["id"], "EMR103",
        "ruleIndex points at the check's rule"
    );

    let (_, md, _) = check(&["--format", "markdown", dir]);
    assert!(
        md.starts_with("### emrform check: `tests/fixtures/check/mixed`"),
        "{md}"
    );
    assert!(md.contains("**FAIL: 3 errors and 0 warnings over 2 resources checked and 2 policies linted; 2 not checked**"), "{md}");
    assert!(md.contains("<summary>2 not checked"), "{md}");

    let (code, out, _) = check(&["--ignore", "IAM002", "--min-severity", "error", dir]);
    assert_eq!(code, 1, "EMR103 is an error: {out}");
    assert!(!out.contains("IAM002"), "{out}");
}

#[test]
fn unreadable_input_exits_2() {
    let tmp = tempfile::tempdir().expect("tmp");
    let not_plan: PathBuf = tmp.path().join("state.json");
    std::fs::write(&not_plan, r#"{"version": 4, "resources": []}"#).expect("write");
    let (code, _, err) = check(&[not_plan.to_str().unwrap_or_default()]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a plan JSON"), "{err}");
    let (code, _, err) = check(&["/no/such/dir"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("neither a configuration directory nor a plan JSON"),
        "{err}"
    );
}

#[test]
fn log_bucket_region_and_key_policy_are_checked() {
    let (code, out, err) = check(&["--format", "json", "tests/fixtures/check/logs-elsewhere"]);
    assert_eq!(code, 1, "warnings reach the default threshold: {out}{err}");
    let rules = rules_in_json_lines(&out);
    assert!(rules.iter().any(|r| r == "EMR113"), "{out}");
    assert!(rules.iter().any(|r| r == "EMR114"), "{out}");
    assert!(
        out.contains("planned in eu-west-1 while the application is in us-east-1"),
        "{out}"
    );
}
