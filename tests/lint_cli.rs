//! `emrform lint` as a process: exit statuses (0 clean, 1 findings at or above the threshold,
//! 2 error) and output formats.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lint")
        .join(p)
}

fn lint(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_emrform"))
        .arg("lint")
        .arg("--no-config")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn exit_status_follows_the_threshold() {
    let clean = fixture("IAM001/pass_scoped.json");
    let bad = fixture("IAM002/fail_star.json");
    let warn_only = fixture("IAM001/fail_service_star.json");
    assert_eq!(lint(&[clean.to_str().unwrap()]).0, 0);
    assert_eq!(lint(&[bad.to_str().unwrap()]).0, 1);
    assert_eq!(
        lint(&["--min-severity", "error", warn_only.to_str().unwrap()]).0,
        0
    );
    assert_eq!(
        lint(&["--min-severity", "warning", warn_only.to_str().unwrap()]).0,
        1
    );
    let (code, _, err) = lint(&["--select", "IAM999", clean.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("IAM999"), "{err}");
    assert_eq!(lint(&["/no/such/path.json"]).0, 2);
}

#[test]
fn formats() {
    let bad = fixture("IAM002/fail_star.json");
    let (_, out, _) = lint(&["--format", "json", bad.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["rule"], "IAM002");
    let (_, out, _) = lint(&["--format", "sarif", bad.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let (_, out, _) = lint(&["--format", "junit", bad.to_str().unwrap()]);
    assert!(out.contains("<failure"));
    let (_, out, _) = lint(&["--ignore", "IAM002", bad.to_str().unwrap()]);
    assert!(!out.contains("IAM002"), "{out}");
}
