//! Every lint rule fires where it should and not where it should not, on JSON and on HCL, with
//! the reported line and column checked; the corpus case iam-star-admin gives exactly one error
//! at main.tf:37 and no stack gives an error; SARIF output has the 2.1.0 structure GitHub reads.

use emrform::lint::{lint_paths, LintOptions, Severity};
use std::path::{Path, PathBuf};

fn lint_json(doc: &str) -> Vec<(String, Severity, usize, usize)> {
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("policy.json");
    std::fs::write(&f, doc).expect("write");
    let r = lint_paths(&[f], &LintOptions::default()).expect("lint");
    r.findings
        .iter()
        .map(|x| {
            let (l, c) = r.sources.line_col(x.span);
            (x.rule.to_string(), x.severity, l, c)
        })
        .collect()
}

fn rules(found: &[(String, Severity, usize, usize)]) -> Vec<&str> {
    let mut v: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    v.dedup();
    v
}

fn at(found: &[(String, Severity, usize, usize)], rule: &str) -> (usize, usize) {
    found
        .iter()
        .find(|f| f.0 == rule)
        .map(|f| (f.2, f.3))
        .unwrap_or_else(|| panic!("{rule} did not fire: {found:?}"))
}

const V: &str = "\"Version\": \"2012-10-17\"";

#[test]
fn iam001_full_admin() {
    let f = lint_json(&format!("{{{V},\n\"Statement\": [{{\"Effect\": \"Allow\",\n  \"Action\": \"*\",\n  \"Resource\": \"*\"}}]}}"));
    assert_eq!(
        rules(&f),
        vec!["IAM001"],
        "reported once, not also as a wildcard"
    );
    assert_eq!(at(&f, "IAM001"), (3, 13));
    assert!(lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {{\"Bool\": {{\"aws:MultiFactorAuthPresent\": \"true\"}}}}}}]}}")).iter().all(|x| x.0 != "IAM001"));
}

#[test]
fn iam002_wildcard_action() {
    let f = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\",\n \"s3:*\"], \"Resource\": \"arn:aws:s3:::b/*\"}}]}}"));
    assert_eq!(at(&f, "IAM002"), (2, 2));
    assert!(!rules(&lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}}]}}"))).contains(&"IAM002"));
}

#[test]
fn iam003_pass_role() {
    let f = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"*\"}}]}}"));
    assert!(f.iter().any(|x| x.0 == "IAM003" && x.1 == Severity::Error));
    let f = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"arn:aws:iam::123456789012:role/job\"}}]}}"));
    assert!(
        f.iter()
            .any(|x| x.0 == "IAM003" && x.1 == Severity::Warning),
        "no PassedToService condition: {f:?}"
    );
    let ok = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"arn:aws:iam::123456789012:role/job\", \"Condition\": {{\"StringEquals\": {{\"iam:PassedToService\": \"emr-serverless.amazonaws.com\"}}}}}}]}}"));
    assert!(!rules(&ok).contains(&"IAM003"));
}

#[test]
fn iam004_not_action_with_allow() {
    let f = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"NotAction\": \"iam:*\", \"Resource\": \"*\"}}]}}"));
    assert!(rules(&f).contains(&"IAM004"));
    let ok = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Deny\", \"NotAction\": \"iam:*\", \"Resource\": \"*\"}}]}}"));
    assert!(!rules(&ok).contains(&"IAM004"));
}

#[test]
fn iam005_version() {
    assert!(rules(&lint_json("{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]}")).contains(&"IAM005"));
    let f = lint_json("{\"Version\": \"2008-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]}");
    assert_eq!(at(&f, "IAM005"), (1, 13));
}

#[test]
fn iam006_duplicate_sid() {
    let f = lint_json(&format!("{{{V}, \"Statement\": [\n{{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}},\n{{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:PutObject\", \"Resource\": \"arn:aws:s3:::b/*\"}}]}}"));
    assert_eq!(at(&f, "IAM006"), (3, 9));
}

#[test]
fn iam007_malformed() {
    assert_eq!(
        rules(&lint_json("{\"Version\": \"2012-10-17\", \"Statement\": [")),
        vec!["IAM007"]
    );
    let f = lint_json(&format!(
        "{{{V}, \"Statement\": [{{\"Effect\": \"Maybe\", \"Action\": \"s3GetObject\"}}]}}"
    ));
    assert_eq!(
        f.iter().filter(|x| x.0 == "IAM007").count(),
        3,
        "bad effect, no resource, bad action: {f:?}"
    );
}

#[test]
fn iam008_invalid_arn() {
    let f = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\",\n \"Resource\": \"arn:aws:s3:us-east-1:123456789012:bucket/*\"}}]}}"));
    assert_eq!(at(&f, "IAM008"), (2, 14));
    assert!(!rules(&lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket/*\"}}]}}"))).contains(&"IAM008"));
}

#[test]
fn iam009_privilege_escalation() {
    assert!(rules(&lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": [\"iam:AttachRolePolicy\"], \"Resource\": \"*\"}}]}}"))).contains(&"IAM009"));
    assert!(!rules(&lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": [\"iam:AttachRolePolicy\"], \"Resource\": \"arn:aws:iam::123456789012:role/app\"}}]}}"))).contains(&"IAM009"));
}

#[test]
fn iam010_and_iam011_credentials_and_data() {
    assert!(rules(&lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"iam:CreateAccessKey\", \"Resource\": \"*\"}}]}}"))).contains(&"IAM010"));
    let f = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}}]}}"));
    assert!(rules(&f).contains(&"IAM011"));
    assert!(!rules(&lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::raw/*\"}}]}}"))).contains(&"IAM011"));
}

#[test]
fn iam012_size() {
    let many: Vec<String> = (0..400)
        .map(|i| format!("\"arn:aws:s3:::bucket-with-a-long-name-{i}/*\""))
        .collect();
    let f = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": [{}]}}]}}", many.join(",")));
    assert!(rules(&f).contains(&"IAM012"));
}

#[test]
fn trust_rules_iam013_iam014_iam015() {
    let any = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRole\"}}]}}"));
    assert!(rules(&any).contains(&"IAM013"));
    let svc = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Principal\": {{\"Service\": \"emr-serverless.amazonaws.com\"}}, \"Action\": \"sts:AssumeRole\"}}]}}"));
    assert!(svc.iter().any(|x| x.0 == "IAM014" && x.1 == Severity::Info));
    let pinned = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Principal\": {{\"Service\": \"emr-serverless.amazonaws.com\"}}, \"Action\": \"sts:AssumeRole\", \"Condition\": {{\"StringEquals\": {{\"aws:SourceAccount\": \"123456789012\"}}}}}}]}}"));
    assert!(pinned.is_empty(), "{pinned:?}");
    let fav = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Principal\": {{\"Service\": \"emr-serverless.amazonaws.com\"}}, \"Action\": \"sts:AssumeRole\", \"Condition\": {{\"ForAllValues:StringEquals\": {{\"aws:SourceAccount\": \"123456789012\"}}}}}}]}}"));
    assert!(rules(&fav).contains(&"IAM015"));
}

#[test]
fn iam016_redundant_action() {
    let f = lint_json(&format!("{{{V}, \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": [\"s3:Get*\", \"s3:GetObject\"], \"Resource\": \"arn:aws:s3:::b/*\"}}]}}"));
    assert!(rules(&f).contains(&"IAM016"));
}

#[test]
fn get_policy_version_form_is_read() {
    let doc = r#"{"PolicyVersion": {"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}, "VersionId": "v1"}}"#;
    assert_eq!(rules(&lint_json(doc)), vec!["IAM001"]);
}

fn lint_tf(text: &str) -> Vec<(String, usize, usize)> {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("main.tf"), text).expect("write");
    let r = lint_paths(&[dir.path().to_path_buf()], &LintOptions::default()).expect("lint");
    assert!(!r.errors.has_errors());
    r.findings
        .iter()
        .filter(|x| x.severity > Severity::Info)
        .map(|x| {
            let (l, c) = r.sources.line_col(x.span);
            (x.rule.to_string(), l, c)
        })
        .collect()
}

#[test]
fn hcl_jsonencode_heredoc_and_policy_document() {
    let enc = "resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect = \"Allow\"\n      Action = \"iam:PassRole\"\n      Resource = \"*\"\n    }]\n  })\n}\n";
    assert_eq!(lint_tf(enc), vec![("IAM003".to_string(), 7, 16)]);
    let heredoc = "resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = <<EOF\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::b/*\"}]\n}\nEOF\n}\n";
    assert_eq!(lint_tf(heredoc), vec![("IAM002".to_string(), 6, 47)]);
    let doc = "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions   = [\"s3:GetObject\"]\n    resources = [\"*\"]\n  }\n}\nresource \"aws_iam_role_policy\" \"p\" {\n  name   = \"p\"\n  role   = \"r\"\n  policy = data.aws_iam_policy_document.d.json\n}\n";
    assert_eq!(lint_tf(doc), vec![("IAM011".to_string(), 3, 18)]);
    // References are unknown: no false alarm on an ARN only known after apply.
    let refs = "resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"iam:PassRole\", Resource = aws_iam_role.r.arn,\n      Condition = { StringEquals = { \"iam:PassedToService\" = \"emr-serverless.amazonaws.com\" } } }]\n  })\n}\nresource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n  assume_role_policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = { Service = \"emr-serverless.amazonaws.com\" } }] })\n}\n";
    assert!(lint_tf(refs).is_empty(), "{:?}", lint_tf(refs));
    // Inline suppression.
    let quiet = enc.replace("resource \"aws_iam_policy\" \"p\" {", "# emrform:ignore IAM003 the job passes roles it creates\nresource \"aws_iam_policy\" \"p\" {");
    assert!(lint_tf(&quiet).is_empty());
}

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("SKIPPED: ../shared/corpus is not beside the checkout");
        None
    }
}

#[test]
fn corpus_star_admin_once_and_no_errors_on_stacks() {
    let Some(c) = corpus() else { return };
    let r = lint_paths(&[c.join("bad/iam-star-admin")], &LintOptions::default()).expect("lint");
    let shown: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].rule, "IAM001");
    assert_eq!(r.sources.line_col(shown[0].span).0, 37);
    assert_eq!(shown[0].address, "aws_iam_role_policy.runtime_everything");
    for d in [
        "spark-batch-basic",
        "private-vpc-spark",
        "hive-existing-vpc",
        "custom-image-interactive",
        "multi-app-modules",
        "legacy-count-module",
        "observability-spark",
        "envs-layered/envs/dev",
        "lakehouse-nat-s3",
        "image-build-pipeline",
    ] {
        let r = lint_paths(&[c.join("stacks").join(d)], &LintOptions::default()).expect("lint");
        let errors: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| (f.rule, f.message.clone()))
            .collect();
        assert!(errors.is_empty(), "{d}: {errors:?}");
        assert!(r.policies > 0, "{d}: found no policies");
    }
}

#[test]
fn sarif_has_the_structure_code_scanning_reads() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("p.json");
    std::fs::write(&f, "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}").expect("write");
    let r = lint_paths(&[f], &LintOptions::default()).expect("lint");
    let s = emrform::render::lint_sarif::to_json(&r.findings, &r.sources);
    assert_eq!(s["version"], "2.1.0");
    let run = &s["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "emrform");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().all(|r| r["id"].is_string()
        && r["shortDescription"]["text"].is_string()
        && r["help"]["text"]
            .as_str()
            .is_some_and(|h| h.contains("What it does"))));
    let res = &run["results"][0];
    assert_eq!(res["ruleId"], "IAM001");
    assert_eq!(res["level"], "error");
    assert_eq!(
        rules[res["ruleIndex"].as_u64().expect("index") as usize]["id"],
        "IAM001"
    );
    let region = &res["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 1);
    assert!(region["startColumn"].as_u64().expect("col") >= 1);
    assert!(
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri")
            .ends_with("p.json")
    );
}
