//! The pull-request comment: snapshots of the shapes a reviewer sees, and the splitting of a
//! large plan into comments that GitHub accepts.

use emrform::addrs::ResourceInstanceAddr;
use emrform::config::value::Value;
use emrform::plan::*;
use emrform::render::plan_markdown::{
    render, render_sections, MarkdownOptions, Section, GITHUB_COMMENT_LIMIT,
};

fn change(
    addr: &str,
    action: Action,
    before: Option<Value>,
    after: Option<Value>,
) -> ResourceChange {
    ResourceChange {
        addr: addr.parse::<ResourceInstanceAddr>().expect("address"),
        provider_key: "aws".into(),
        action,
        action_reason: None,
        before,
        after,
        replace_paths: vec![],
        api_ops: vec![],
        importing: None,
        sensitive_attrs: vec![],
        dependencies: vec![],
        create_before_destroy: false,
    }
}

fn role(name: &str) -> Value {
    Value::map([
        ("name", Value::string(name)),
        (
            "assume_role_policy",
            Value::string("{\"Version\":\"2012-10-17\",\"Statement\":[]}"),
        ),
        ("arn", Value::Unknown),
        ("id", Value::Unknown),
    ])
}

fn opts() -> MarkdownOptions {
    MarkdownOptions {
        dir: "stacks/etl".into(),
        workspace: "default".into(),
        limit: GITHUB_COMMENT_LIMIT,
    }
}

#[test]
fn no_changes_is_one_line() {
    let parts = render(&Plan::default(), &opts());
    assert_eq!(parts.len(), 1);
    insta::assert_snapshot!(parts[0]);
}

#[test]
fn small_plan() {
    let plan = Plan {
        resource_changes: vec![change(
            "aws_iam_role.runtime",
            Action::Create,
            None,
            Some(role("runtime")),
        )],
        ..Plan::default()
    };
    insta::assert_snapshot!(render(&plan, &opts())[0]);
}

#[test]
fn every_risk_flag() {
    let app_before = Value::map([
        ("name", Value::string("etl")),
        ("type", Value::string("spark")),
        ("release_label", Value::string("emr-7.1.0")),
        ("id", Value::string("00abc")),
    ]);
    let mut replaced = change(
        "aws_emrserverless_application.etl",
        Action::DeleteThenCreate,
        Some(app_before.clone()),
        Some(Value::map([
            ("name", Value::string("etl2")),
            ("type", Value::string("spark")),
            ("release_label", Value::string("emr-7.1.0")),
            ("id", Value::Unknown),
        ])),
    );
    replaced.replace_paths = vec![vec![PathStep::Key("name".into())]];
    replaced.action_reason = Some(ActionReason::ReplaceBecauseCannotUpdate);
    let mut stopped = change(
        "aws_emrserverless_application.reports",
        Action::Update,
        Some(app_before.clone()),
        Some(Value::map([
            ("name", Value::string("etl")),
            ("type", Value::string("spark")),
            ("release_label", Value::string("emr-7.2.0")),
            ("id", Value::string("00abc")),
        ])),
    );
    stopped.api_ops = vec![
        ApiOp {
            service: "emr-serverless".into(),
            operation: "StopApplication".into(),
            fields: vec![],
            note: Some("the application is STARTED".into()),
        },
        ApiOp {
            service: "emr-serverless".into(),
            operation: "UpdateApplication".into(),
            fields: vec!["releaseLabel".into()],
            note: None,
        },
        ApiOp {
            service: "emr-serverless".into(),
            operation: "StartApplication".into(),
            fields: vec![],
            note: None,
        },
    ];
    let plan = Plan {
        resource_changes: vec![
            replaced,
            stopped,
            change("aws_iam_role_policy.wide", Action::Update, Some(Value::map([("policy", Value::string("{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Resource\":\"*\"}]}"))])), Some(Value::map([("policy", Value::string("{\"Statement\":[{\"Action\":\"*\",\"Effect\":\"Allow\",\"Resource\":\"*\"}]}"))]))),
            change("aws_subnet.old", Action::Delete, Some(Value::map([("id", Value::string("subnet-1")), ("cidr_block", Value::string("10.0.0.0/24"))])), None),
        ],
        resource_drift: vec![change("aws_iam_role.runtime", Action::Delete, Some(role("runtime")), None)],
        findings: vec![
            Finding { rule: "EMR101".into(), severity: FindingSeverity::Error, message: "subnet aws_subnet.a is too small: 4,000 vCPU ÷ 4 vCPU = 1,000 workers; it has 507 usable IPs (/23)".into(), address: Some("aws_emrserverless_application.etl".into()), location: Some("main.tf:30:3".into()), aws_code: None },
            Finding { rule: "IAM001".into(), severity: FindingSeverity::Warning, message: "statement allows every action".into(), address: Some("aws_iam_role_policy.wide".into()), location: Some("iam.tf:12:7".into()), aws_code: Some("PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE".into()) },
        ],
        ..Plan::default()
    };
    let parts = render(&plan, &opts());
    assert_eq!(parts.len(), 1);
    insta::assert_snapshot!(parts[0]);
}

#[test]
fn failed_plan_and_multiple_directories() {
    let plan = Plan {
        resource_changes: vec![change(
            "aws_iam_role.runtime",
            Action::Create,
            None,
            Some(role("runtime")),
        )],
        ..Plan::default()
    };
    let empty = Plan::default();
    let err = "error[missing-variable]: no value for required variable \"subnet_ids\"\n --> variables.tf:7:1";
    let parts = render_sections(
        &[
            ("envs/dev".into(), Section::Planned(&plan)),
            ("envs/prod".into(), Section::Failed(err)),
            ("envs/stage".into(), Section::Planned(&empty)),
        ],
        &opts(),
    );
    assert_eq!(parts.len(), 1);
    insta::assert_snapshot!(parts[0]);
}

#[test]
fn two_thousand_resources_split_into_valid_comments() {
    let changes: Vec<ResourceChange> = (0..2000)
        .map(|i| {
            let mut tags = indexmap::IndexMap::new();
            for t in 0..8 {
                tags.insert(format!("tag{t}"), Value::string(format!("value-{i}-{t}")));
            }
            let after = Value::map([
                ("name", Value::string(format!("role-{i}"))),
                ("assume_role_policy", Value::string("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"emr-serverless.amazonaws.com\"}}]}")),
                ("tags", Value::Map(tags.into_iter().collect())),
                ("arn", Value::Unknown),
            ]);
            change(&format!("aws_iam_role.r[{i}]"), Action::Create, None, Some(after))
        })
        .collect();
    let plan = Plan {
        resource_changes: changes,
        ..Plan::default()
    };
    let parts = render(&plan, &opts());
    assert!(parts.len() > 1, "a plan this large needs several comments");
    let mut seen = std::collections::HashMap::new();
    for (i, p) in parts.iter().enumerate() {
        assert!(
            p.chars().count() <= GITHUB_COMMENT_LIMIT,
            "part {} has {} characters",
            i + 1,
            p.chars().count()
        );
        assert!(p.starts_with("<!-- emrform:plan dir=stacks/etl workspace=default -->"));
        assert!(p.contains(&format!("part {} of {}", i + 1, parts.len())));
        assert_eq!(
            p.matches("<details>").count(),
            p.matches("</details>").count(),
            "balanced details in part {}",
            i + 1
        );
        assert_eq!(
            p.matches("```").count() % 2,
            0,
            "closed code fences in part {}",
            i + 1
        );
        // Render as GitHub-flavoured Markdown and count every resource's summary.
        let arena = comrak::Arena::new();
        let mut o = comrak::Options::default();
        o.render.r#unsafe = true;
        o.extension.table = true;
        let root = comrak::parse_document(&arena, p, &o);
        let mut html = String::new();
        comrak::format_html(root, &o, &mut html).expect("renders");
        for line in html
            .lines()
            .filter(|l| l.contains("<summary><code>aws_iam_role.r["))
        {
            let start = line.find("<code>").map(|s| s + 6).unwrap_or(0);
            let end = line.find("</code>").unwrap_or(line.len());
            *seen.entry(line[start..end].to_string()).or_insert(0) += 1;
        }
    }
    assert!(parts[0].contains("Plan: 2000 to add, 0 to change, 0 to destroy."));
    assert_eq!(seen.len(), 2000);
    assert!(
        seen.values().all(|&n| n == 1),
        "every resource appears exactly once"
    );
}

#[test]
fn comment_command_plans_several_directories() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_emrform"))
        .args([
            "comment",
            "tests/fixtures/cli/ok",
            "tests/fixtures/cli/bad",
            "--refresh=false",
        ])
        .current_dir(root)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed directory fails the run"
    );
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.starts_with("<!-- emrform:plan dir=tests/fixtures/cli/ok,tests/fixtures/cli/bad workspace=default -->"), "{md}");
    assert!(
        md.contains("### 1. `tests/fixtures/cli/ok`")
            && md.contains("### 2. `tests/fixtures/cli/bad`")
    );
    assert!(
        md.contains("Plan failed for `tests/fixtures/cli/bad`")
            && md.contains("idle_timeout_minutes")
    );
    assert!(
        md.contains(
            "**Plan summary**: 2 directories, 1 with changes, 0 with no changes, 1 failed."
        ),
        "{md}"
    );
}
