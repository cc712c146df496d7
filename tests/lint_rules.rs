//! Lint rules against fixtures: every rule fires on its `fail_*` fixtures at exactly the
//! line:column listed in `tests/fixtures/lint/<CODE>/expect.txt`, and stays silent on its
//! `pass_*` fixtures, for both policy JSON and `.tf` input. Plus the corpus checks, the SARIF
//! schema check, the config file and suppressions, and snapshots of rendered output.

use emrform::lint::config::ConfigFile;
use emrform::lint::{lint_paths, registry, LintOptions, LintReport, Severity};
use emrform::render::{lint_json, lint_junit, lint_sarif, lint_text};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint")
}

fn opts_for(code: &str) -> LintOptions {
    LintOptions {
        select: vec![code.to_string()],
        min_severity: Severity::Info,
        ..LintOptions::default()
    }
}

/// Lints one fixture on its own (copied into an empty directory so that sibling fixtures do
/// not take part in data-source lookups).
fn lint_alone(path: &Path, opts: &LintOptions) -> LintReport {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join(path.file_name().unwrap());
    std::fs::copy(path, &dest).unwrap();
    let report = lint_paths(&[dest], opts).unwrap();
    drop(dir);
    report
}

fn expectations(dir: &Path) -> BTreeMap<String, Vec<(usize, usize)>> {
    let mut out: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    let text = std::fs::read_to_string(dir.join("expect.txt")).unwrap();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (file, pos) = line.split_once(' ').unwrap();
        let (l, c) = pos.split_once(':').unwrap();
        out.entry(file.to_string())
            .or_default()
            .push((l.parse().unwrap(), c.parse().unwrap()));
    }
    out
}

#[test]
fn every_rule_fires_and_stays_silent_on_json_and_hcl() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in registry::RULES {
        let dir = fixtures().join(rule.code);
        assert!(dir.is_dir(), "no fixtures for {}", rule.code);
        let expect = expectations(&dir);
        let mut kinds = BTreeMap::new();
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let ext = path
                .extension()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            if ext != "json" && ext != "tf" {
                continue;
            }
            let fail = name.starts_with("fail");
            *kinds.entry((fail, ext.clone())).or_insert(0) += 1;
            let report = lint_alone(&path, &opts_for(rule.code));
            let mut got: Vec<(usize, usize)> = report
                .findings
                .iter()
                .filter(|f| f.rule == rule.code)
                .map(|f| (f.line, f.column))
                .collect();
            got.sort();
            let mut want = expect.get(&name).cloned().unwrap_or_default();
            want.sort();
            checked += 1;
            if got != want {
                failures.push(format!(
                    "{}/{name}: expected {want:?}, got {got:?}: {:#?}",
                    rule.code,
                    report
                        .findings
                        .iter()
                        .map(|f| &f.message)
                        .collect::<Vec<_>>()
                ));
            }
        }
        for need in [(true, "json"), (true, "tf"), (false, "json"), (false, "tf")] {
            if !kinds.contains_key(&(need.0, need.1.to_string())) {
                failures.push(format!(
                    "{} has no {} {} fixture",
                    rule.code,
                    if need.0 { "fail" } else { "pass" },
                    need.1
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} fixtures failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn findings_carry_metadata() {
    let report = lint_alone(
        &fixtures().join("IAM002/fail_jsonencode.tf"),
        &LintOptions::default(),
    );
    let f = &report.findings[0];
    assert_eq!(f.rule, "IAM002");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(
        f.aws_code,
        Some("PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE")
    );
    assert_eq!(f.address.as_deref(), Some("aws_iam_role_policy.p"));
    assert!(f.message.contains("administrator"));
}

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from("/work/shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: /work/shared/corpus is not present on this machine");
        None
    }
}

#[test]
fn corpus_star_admin_gives_one_error_at_line_37() {
    let Some(corpus) = shared() else { return };
    let report = lint_paths(
        &[corpus.join("bad/iam-star-admin")],
        &LintOptions::default(),
    )
    .unwrap();
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{:#?}", report.findings);
    assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);
    let f = errors[0];
    assert!(f.file.ends_with("main.tf"));
    assert_eq!((f.line, f.column), (37, 20));
    assert_eq!(
        f.address.as_deref(),
        Some("aws_iam_role_policy.runtime_everything")
    );
}

#[test]
fn corpus_stacks_have_no_error_findings() {
    let Some(corpus) = shared() else { return };
    let opts = LintOptions {
        min_severity: Severity::Info,
        ..LintOptions::default()
    };
    let report = lint_paths(&[corpus.join("stacks")], &opts).unwrap();
    assert!(
        report.policies >= 20,
        "only {} policies found",
        report.policies
    );
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn sarif_output_validates_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/sarif/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let opts = LintOptions {
        min_severity: Severity::Info,
        ..LintOptions::default()
    };
    let report = lint_paths(
        &[
            fixtures().join("IAM002"),
            fixtures().join("IAM032"),
            fixtures().join("IAM000"),
        ],
        &opts,
    )
    .unwrap();
    assert!(!report.findings.is_empty());
    let sarif: serde_json::Value = serde_json::from_str(&lint_sarif::render(&report)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), registry::RULES.len());
    assert!(rules[1]["help"]["text"]
        .as_str()
        .unwrap()
        .contains("## What it does"));
    // A deliberately broken log must fail, so the check above is not vacuous.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn json_lines_have_the_documented_fields() {
    let report = lint_alone(
        &fixtures().join("IAM004/fail.json"),
        &LintOptions::default(),
    );
    let out = lint_json::render(&report);
    let line = out.lines().find(|l| l.contains("IAM004")).unwrap();
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    for k in [
        "file", "line", "column", "rule", "aws_code", "severity", "message",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    assert_eq!(v["aws_code"], "PASS_ROLE_WITH_STAR_IN_RESOURCE");
    assert_eq!(v["severity"], "error");
    assert_eq!(v["line"], 6);
}

#[test]
fn junit_is_one_failure_per_finding() {
    let report = lint_alone(
        &fixtures().join("IAM002/fail_star.json"),
        &LintOptions::default(),
    );
    let xml = lint_junit::render(&report);
    assert_eq!(xml.matches("<failure").count(), report.findings.len());
    assert!(xml.starts_with("<?xml"));
}

#[test]
fn suppression_comment_silences_one_rule() {
    let dir = tempfile::tempdir().unwrap();
    let tf = dir.path().join("main.tf");
    std::fs::write(
        &tf,
        "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect = \"Allow\"\n      # emrform:ignore IAM001 vendor module needs it\n      Action = \"s3:*\"\n      Resource = \"arn:aws:s3:::data/*\"\n    }, {\n      Effect = \"Allow\"\n      Action = \"ec2:*\"\n      Resource = \"*\"\n    }]\n  })\n}\n",
    )
    .unwrap();
    let report = lint_paths(&[tf], &LintOptions::default()).unwrap();
    let wild: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "IAM001")
        .map(|f| f.line)
        .collect();
    assert_eq!(wild, vec![11]);
    assert_eq!(report.suppressed, 1);
}

#[test]
fn config_file_sets_threshold_and_ignores() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join(".emrform-lint.json");
    std::fs::write(
        &cfg,
        r#"{"ignore": ["IAM001"], "min_severity": "info", "severity": {"IAM032": "error"}}"#,
    )
    .unwrap();
    let c = ConfigFile::load(&cfg).unwrap();
    let mut opts = LintOptions::default();
    c.apply(&mut opts);
    let report = lint_paths(
        &[
            fixtures().join("IAM032/fail.json"),
            fixtures().join("IAM001/fail_service_star.json"),
        ],
        &opts,
    )
    .unwrap();
    assert!(report.findings.iter().all(|f| f.rule != "IAM001"));
    let f = report.findings.iter().find(|f| f.rule == "IAM032").unwrap();
    assert_eq!(f.severity, Severity::Error);
    std::fs::write(&cfg, r#"{"ignore": ["IAM999"]}"#).unwrap();
    assert!(ConfigFile::load(&cfg).is_err());
}

#[test]
fn get_policy_version_output_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("version.json");
    std::fs::write(
        &p,
        "{\n  \"PolicyVersion\": {\n    \"Document\": {\n      \"Version\": \"2012-10-17\",\n      \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]\n    },\n    \"VersionId\": \"v1\",\n    \"IsDefaultVersion\": true\n  }\n}\n",
    )
    .unwrap();
    let report = lint_paths(&[p], &LintOptions::default()).unwrap();
    let f = report.findings.iter().find(|f| f.rule == "IAM002").unwrap();
    assert_eq!((f.line, f.column), (5, 51));
}

#[test]
fn text_output_snapshot() {
    let report = lint_paths(
        &[
            fixtures().join("IAM002/fail_jsonencode.tf"),
            fixtures().join("IAM017/fail.json"),
        ],
        &LintOptions::default(),
    )
    .unwrap();
    let text = lint_text::render(
        &report,
        &lint_text::TextOptions {
            color: false,
            show_source: true,
        },
    );
    let root = fixtures().display().to_string();
    insta::assert_snapshot!(text.replace(&root, "[FIXTURES]"));
}

#[test]
fn json_output_snapshot() {
    let report = lint_paths(
        &[fixtures().join("IAM030/fail.tf")],
        &LintOptions::default(),
    )
    .unwrap();
    let root = fixtures().display().to_string();
    insta::assert_snapshot!(lint_json::render(&report).replace(&root, "[FIXTURES]"));
}
