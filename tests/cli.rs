//! The command line as a user runs it: exit codes and rendered output.

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};
use std::process::Command;

fn emrform(dir: &str) -> Command {
    let mut c = Command::new(get_cargo_bin("emrform"));
    c.current_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir));
    c.env("NO_COLOR", "1");
    c.env_remove("TF_VAR_name");
    c
}

#[test]
fn validate_ok() {
    assert_cmd_snapshot!(emrform("tests/fixtures/cli/ok").arg("validate"));
}

#[test]
fn validate_bad_exits_1_with_location() {
    assert_cmd_snapshot!(emrform("tests/fixtures/cli/bad").arg("validate"));
}

#[test]
fn validate_json_is_terraform_shaped() {
    let out = emrform("tests/fixtures/cli/bad")
        .args(["validate", "--json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["valid"], false);
    assert_eq!(v["error_count"], 1);
    assert_eq!(v["diagnostics"][0]["range"]["start"]["line"], 5);
    assert_eq!(v["diagnostics"][0]["range"]["start"]["column"], 3);
}

#[test]
fn graph_prints_dot() {
    assert_cmd_snapshot!(emrform("tests/fixtures/cli/ok").arg("graph"));
}

#[test]
fn chdir_and_var() {
    let out = Command::new(get_cargo_bin("emrform"))
        .args([
            "--chdir",
            "tests/fixtures/cli/ok",
            "validate",
            "--var",
            "name=x",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn fmt_check_reports_and_exits_3() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("a.tf"), "locals {\nx=1\n}\n").expect("write");
    let out = Command::new(get_cargo_bin("emrform"))
        .args(["fmt", "--check"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a.tf\n");
    let out = Command::new(get_cargo_bin("emrform"))
        .arg("fmt")
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.tf")).expect("read"),
        "locals {\n  x = 1\n}\n"
    );
}

#[test]
fn version() {
    let out = Command::new(get_cargo_bin("emrform"))
        .arg("version")
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("emrform v"));
}

#[test]
fn state_list_show_mv_rm_on_a_terraform_written_state() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/state/roundtrip/network.tfstate"),
        dir.path().join("terraform.tfstate"),
    )
    .expect("copy");
    let run = |args: &[&str]| {
        Command::new(get_cargo_bin("emrform"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("runs")
    };
    let list = String::from_utf8_lossy(&run(&["state", "list"]).stdout).to_string();
    assert!(list.lines().any(|l| l == "aws_subnet.private[1]"), "{list}");
    let show = run(&["state", "show", "aws_vpc.main"]);
    assert!(String::from_utf8_lossy(&show.stdout).contains("resource \"aws_vpc\" \"main\""));
    assert!(
        run(&["state", "mv", "aws_subnet.private[1]", "aws_subnet.extra"])
            .status
            .success()
    );
    let bad = run(&["state", "mv", "aws_vpc.main", "aws_subnet.nope"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        !dir.path().join(".terraform.tfstate.lock.info").exists(),
        "a failed command releases the lock"
    );
    assert!(run(&["state", "rm", "aws_security_group.emr"])
        .status
        .success());
    let list = String::from_utf8_lossy(&run(&["state", "list"]).stdout).to_string();
    assert!(
        list.contains("aws_subnet.extra")
            && !list.contains("aws_security_group.emr")
            && !list.contains("private[1]"),
        "{list}"
    );
}
