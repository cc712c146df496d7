//! Snapshots of the text plan for each kind of change: create, update, replace, destroy,
//! drift, no changes and imports.

use emrform::addrs::ResourceInstanceAddr;
use emrform::config::value::Value;
use emrform::plan::*;
use emrform::render::plan_text::{render, TextOptions};

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

fn app(name: &str, cpu: &str, id: Value) -> Value {
    Value::map([
        ("id", id),
        ("name", Value::string(name)),
        ("type", Value::string("spark")),
        ("release_label", Value::string("emr-7.2.0")),
        ("architecture", Value::string("X86_64")),
        ("tags", Value::map([("Team", Value::string("data"))])),
        (
            "maximum_capacity",
            Value::List(vec![Value::map([
                ("cpu", Value::string(cpu)),
                ("memory", Value::string("64 GB")),
                ("disk", Value::Null),
            ])]),
        ),
    ])
}

fn text(plan: &Plan) -> String {
    render(plan, &TextOptions { color: false })
}

#[test]
fn create() {
    let p = Plan {
        resource_changes: vec![change(
            "aws_emrserverless_application.etl",
            Action::Create,
            None,
            Some(app("etl", "16 vCPU", Value::Unknown)),
        )],
        ..Plan::default()
    };
    insta::assert_snapshot!(text(&p));
}

#[test]
fn update_with_stop_and_start() {
    let mut c = change(
        "aws_emrserverless_application.etl",
        Action::Update,
        Some(app("etl", "16 vCPU", Value::string("00abc"))),
        Some(app("etl", "32 vCPU", Value::string("00abc"))),
    );
    c.api_ops = vec![
        ApiOp {
            service: "emr-serverless".into(),
            operation: "StopApplication".into(),
            fields: vec![],
            note: Some("interrupts the running application".into()),
        },
        ApiOp {
            service: "emr-serverless".into(),
            operation: "UpdateApplication".into(),
            fields: vec!["maximum_capacity".into()],
            note: None,
        },
        ApiOp {
            service: "emr-serverless".into(),
            operation: "StartApplication".into(),
            fields: vec![],
            note: None,
        },
    ];
    insta::assert_snapshot!(text(&Plan {
        resource_changes: vec![c],
        ..Plan::default()
    }));
}

#[test]
fn replace() {
    let mut c = change(
        "aws_emrserverless_application.etl",
        Action::DeleteThenCreate,
        Some(app("etl", "16 vCPU", Value::string("00abc"))),
        Some(app("etl-v2", "16 vCPU", Value::Unknown)),
    );
    c.replace_paths = vec![vec![PathStep::Key("name".into())]];
    c.action_reason = Some(ActionReason::ReplaceBecauseCannotUpdate);
    insta::assert_snapshot!(text(&Plan {
        resource_changes: vec![c],
        ..Plan::default()
    }));
}

#[test]
fn destroy_and_policy_diff() {
    let mut d = change(
        "aws_subnet.old",
        Action::Delete,
        Some(Value::map([
            ("id", Value::string("subnet-1")),
            ("cidr_block", Value::string("10.0.0.0/24")),
        ])),
        None,
    );
    d.action_reason = Some(ActionReason::DeleteBecauseNoResourceConfig);
    let pol = |a: &str| {
        Value::map([("name", Value::string("p")), ("policy", Value::string(format!("{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":\"{a}\",\"Resource\":\"arn:aws:s3:::b/*\"}}]}}")))])
    };
    let u = change(
        "aws_iam_role_policy.p",
        Action::Update,
        Some(pol("s3:GetObject")),
        Some(pol("s3:PutObject")),
    );
    insta::assert_snapshot!(text(&Plan {
        resource_changes: vec![u, d],
        ..Plan::default()
    }));
}

#[test]
fn drift_then_recreate() {
    let gone = change(
        "aws_emrserverless_application.etl",
        Action::Delete,
        Some(app("etl", "16 vCPU", Value::string("00abc"))),
        None,
    );
    let create = change(
        "aws_emrserverless_application.etl",
        Action::Create,
        None,
        Some(app("etl", "16 vCPU", Value::Unknown)),
    );
    insta::assert_snapshot!(text(&Plan {
        resource_drift: vec![gone],
        resource_changes: vec![create],
        ..Plan::default()
    }));
}

#[test]
fn no_changes() {
    let same = change(
        "aws_emrserverless_application.etl",
        Action::NoOp,
        Some(app("etl", "16 vCPU", Value::string("00abc"))),
        Some(app("etl", "16 vCPU", Value::string("00abc"))),
    );
    let out = text(&Plan {
        resource_changes: vec![same],
        ..Plan::default()
    });
    assert!(out.contains("No changes. Your infrastructure matches the configuration."));
    insta::assert_snapshot!(out);
}

#[test]
fn imports_unchanged_and_updated() {
    let mut same = change(
        "aws_emrserverless_application.etl",
        Action::NoOp,
        Some(app("etl", "16 vCPU", Value::string("00abc"))),
        Some(app("etl", "16 vCPU", Value::string("00abc"))),
    );
    same.importing = Some("00abc".into());
    let mut updated = change(
        "aws_emrserverless_application.adhoc",
        Action::Update,
        Some(app("adhoc", "16 vCPU", Value::string("00def"))),
        Some(app("adhoc", "32 vCPU", Value::string("00def"))),
    );
    updated.importing = Some("00def".into());
    insta::assert_snapshot!(text(&Plan {
        resource_changes: vec![same, updated],
        ..Plan::default()
    }));
}

#[test]
fn interrupted_creates_found_and_not_made() {
    let mut found = change(
        "aws_emrserverless_application.etl",
        Action::Update,
        Some(app("etl", "16 vCPU", Value::Null)),
        Some(app("etl", "16 vCPU", Value::string("00abc"))),
    );
    found.action_reason = Some(ActionReason::CreateInterrupted);
    let mut missing = change(
        "aws_emrserverless_application.adhoc",
        Action::Delete,
        Some(app("adhoc", "16 vCPU", Value::Null)),
        None,
    );
    missing.action_reason = Some(ActionReason::CreateInterrupted);
    let create = change(
        "aws_emrserverless_application.adhoc",
        Action::Create,
        None,
        Some(app("adhoc", "16 vCPU", Value::Unknown)),
    );
    insta::assert_snapshot!(text(&Plan {
        resource_drift: vec![found, missing],
        resource_changes: vec![create],
        ..Plan::default()
    }));
}
