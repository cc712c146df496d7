//! IAM resources and the account/IAM data sources against moto: create → read back (no diff)
//! → update in place → ForceNew replacement → import by id → delete → read as gone.

mod support;

use emrform::config::value::Value;
use emrform::providers::{ApiOp, PathStep, Registry, ResourceProvider};
use std::sync::Arc;
use support::moto_differences::ACCOUNT_ID;

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"emr-serverless.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

fn doc(action: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": ["{action}"], "Resource": "*"}}]}}"#
    )
}

fn with(v: &Value, key: &str, val: Value) -> Value {
    let mut v = v.clone();
    if let Value::Map(m) = &mut v {
        m.insert(key.into(), val);
    }
    v
}

async fn registry() -> Registry {
    Registry::aws(&support::clients().await)
}

fn res(r: &Registry, t: &str) -> Arc<dyn ResourceProvider> {
    r.resource(t).expect("registered")
}

fn id(v: &Value) -> String {
    v.get("id").and_then(Value::as_str).expect("id").to_string()
}

async fn make_policy(r: &Registry, name: &str) -> Value {
    let p = res(r, "aws_iam_policy");
    let want = Value::map([
        ("name", Value::from(name)),
        ("policy", Value::from(doc("s3:GetObject"))),
    ]);
    p.create(
        &support::ctx("aws_iam_policy.p"),
        &p.plan(None, &want).planned,
    )
    .await
    .expect("policy")
}

#[tokio::test]
async fn role_lifecycle() {
    let r = registry().await;
    let p = res(&r, "aws_iam_role");
    let ctx = support::ctx("aws_iam_role.runtime");
    let name = support::unique("role");
    let want = Value::map([
        ("name", Value::from(name.as_str())),
        ("assume_role_policy", Value::from(TRUST)),
        ("tags", Value::map([("team", Value::from("data"))])),
    ]);
    let plan = p.plan(None, &want);
    assert_eq!(plan.planned.get("id"), Some(&Value::from(name.as_str())));
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    assert_eq!(
        state.get("arn"),
        Some(&Value::from(format!(
            "arn:aws:iam::{ACCOUNT_ID}:role/{name}"
        )))
    );
    // IAM returns the trust policy URL-encoded; state keeps the user's text.
    assert_eq!(state.get("assume_role_policy"), Some(&Value::from(TRUST)));
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    let again = p.plan(Some(&read), &want);
    assert!(again.changed_paths.is_empty(), "{:?}", again.changed_paths);

    // An equivalent document written differently is not a change.
    let reformatted = with(
        &want,
        "assume_role_policy",
        Value::from(
            r#"{"Statement":{"Action":["sts:AssumeRole"],"Principal":{"Service":["emr-serverless.amazonaws.com"]},"Effect":"Allow"},"Version":"2012-10-17"}"#,
        ),
    );
    assert!(p.plan(Some(&read), &reformatted).changed_paths.is_empty());

    // update in place
    let want2 = with(&want, "description", Value::from("runtime role"));
    let want2 = with(&want2, "max_session_duration", Value::from(7200i64));
    let want2 = with(
        &want2,
        "tags",
        Value::map([("team", Value::from("platform"))]),
    );
    let want2 = with(
        &want2,
        "assume_role_policy",
        Value::from(TRUST.replace("emr-serverless.amazonaws.com", "glue.amazonaws.com")),
    );
    let plan = p.plan(Some(&read), &want2);
    assert!(plan.requires_replace.is_empty());
    assert_eq!(
        plan.api_ops,
        vec![
            ApiOp::with_fields("UpdateAssumeRolePolicy", ["assume_role_policy".to_string()]),
            ApiOp::with_fields(
                "UpdateRole",
                [
                    "description".to_string(),
                    "max_session_duration".to_string()
                ]
            ),
            ApiOp::with_fields("TagRole", ["team".to_string()]),
        ]
    );
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("update");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert_eq!(read.get("description"), Some(&Value::from("runtime role")));
    assert!(p.plan(Some(&read), &want2).changed_paths.is_empty());

    // ForceNew: path
    let moved = with(&want2, "path", Value::from("/emr/"));
    let plan = p.plan(Some(&read), &moved);
    assert_eq!(
        plan.requires_replace,
        vec![vec![PathStep::Attr("path".into())]]
    );
    p.delete(&ctx, &read).await.expect("delete old");
    let replaced = p.create(&ctx, &plan.planned).await.expect("create new");
    assert_eq!(replaced.get("path"), Some(&Value::from("/emr/")));

    // import, delete, gone
    let imported = p
        .import(&ctx, &name)
        .await
        .expect("import")
        .expect("exists");
    assert!(p.plan(Some(&imported), &moved).changed_paths.is_empty());
    p.delete(&ctx, &imported).await.expect("delete");
    assert_eq!(p.read(&ctx, &imported).await.expect("read"), None);
    assert_eq!(p.import(&ctx, &name).await.expect("import"), None);
}

#[tokio::test]
async fn role_with_inline_and_managed_policies_is_detached_before_delete() {
    let r = registry().await;
    let p = res(&r, "aws_iam_role");
    let ctx = support::ctx("aws_iam_role.with_policies");
    let policy = make_policy(&r, &support::unique("managed")).await;
    let arn = policy.get("arn").cloned().expect("arn");
    let want = Value::map([
        ("name", Value::from(support::unique("role"))),
        ("assume_role_policy", Value::from(TRUST)),
        (
            "inline_policy",
            Value::set(vec![Value::map([
                ("name", Value::from("logs")),
                ("policy", Value::from(doc("logs:PutLogEvents"))),
            ])]),
        ),
        ("managed_policy_arns", Value::set(vec![arn.clone()])),
    ]);
    let state = p
        .create(&ctx, &p.plan(None, &want).planned)
        .await
        .expect("create");
    assert_eq!(
        state.get("managed_policy_arns"),
        Some(&Value::set(vec![arn.clone()]))
    );
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    assert!(p.plan(Some(&read), &want).changed_paths.is_empty());
    // moto, like AWS, refuses DeleteRole while policies remain; delete detaches first.
    p.delete(&ctx, &read).await.expect("delete");
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
    let pol = res(&r, "aws_iam_policy");
    pol.delete(&support::ctx("aws_iam_policy.p"), &policy)
        .await
        .expect("delete policy");
}

#[tokio::test]
async fn policy_lifecycle_with_version_rotation() {
    let r = registry().await;
    let p = res(&r, "aws_iam_policy");
    let ctx = support::ctx("aws_iam_policy.read");
    let name = support::unique("pol");
    let want = Value::map([
        ("name", Value::from(name.as_str())),
        ("policy", Value::from(doc("s3:GetObject"))),
    ]);
    let state = p
        .create(&ctx, &p.plan(None, &want).planned)
        .await
        .expect("create");
    let arn = id(&state);
    assert_eq!(arn, format!("arn:aws:iam::{ACCOUNT_ID}:policy/{name}"));
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    assert!(p.plan(Some(&read), &want).changed_paths.is_empty());

    // Six document changes: IAM keeps five versions, the oldest is pruned each time.
    let mut cur = read;
    let mut last_want = want.clone();
    for i in 0..6 {
        let w = with(&want, "policy", Value::from(doc(&format!("s3:Get{i}"))));
        let plan = p.plan(Some(&cur), &w);
        assert_eq!(
            plan.api_ops,
            vec![ApiOp::with_fields(
                "CreatePolicyVersion",
                ["policy".to_string()]
            )]
        );
        cur = p.update(&ctx, &cur, &plan.planned).await.expect("update");
        assert!(p.plan(Some(&cur), &w).changed_paths.is_empty());
        last_want = w;
    }
    let clients = support::clients().await;
    let versions = clients
        .iam
        .list_policy_versions()
        .policy_arn(&arn)
        .send()
        .await
        .expect("versions");
    assert_eq!(versions.versions().len(), 5);

    // ForceNew: description
    let described = with(&last_want, "description", Value::from("read access"));
    let plan = p.plan(Some(&cur), &described);
    assert_eq!(
        plan.requires_replace,
        vec![vec![PathStep::Attr("description".into())]]
    );
    p.delete(&ctx, &cur).await.expect("delete old");
    let replaced = p.create(&ctx, &plan.planned).await.expect("create new");
    let imported = p
        .import(&ctx, &id(&replaced))
        .await
        .expect("import")
        .expect("exists");
    assert!(p.plan(Some(&imported), &described).changed_paths.is_empty());
    p.delete(&ctx, &imported).await.expect("delete");
    assert_eq!(p.read(&ctx, &imported).await.expect("read"), None);
}

#[tokio::test]
async fn role_policy_and_attachment_lifecycles() {
    let r = registry().await;
    let role = res(&r, "aws_iam_role");
    let rctx = support::ctx("aws_iam_role.r");
    let role_name = support::unique("role");
    let role_state = role
        .create(
            &rctx,
            &role
                .plan(
                    None,
                    &Value::map([
                        ("name", Value::from(role_name.as_str())),
                        ("assume_role_policy", Value::from(TRUST)),
                    ]),
                )
                .planned,
        )
        .await
        .expect("role");

    // inline policy
    let rp = res(&r, "aws_iam_role_policy");
    let ctx = support::ctx("aws_iam_role_policy.logs");
    let want = Value::map([
        ("role", Value::from(role_name.as_str())),
        ("name", Value::from("logs")),
        ("policy", Value::from(doc("logs:PutLogEvents"))),
    ]);
    let state = rp
        .create(&ctx, &rp.plan(None, &want).planned)
        .await
        .expect("create");
    assert_eq!(id(&state), format!("{role_name}:logs"));
    let read = rp.read(&ctx, &state).await.expect("read").expect("exists");
    assert!(rp.plan(Some(&read), &want).changed_paths.is_empty());
    let want2 = with(&want, "policy", Value::from(doc("logs:CreateLogStream")));
    let plan = rp.plan(Some(&read), &want2);
    assert_eq!(
        plan.api_ops,
        vec![ApiOp::with_fields("PutRolePolicy", ["policy".to_string()])]
    );
    let read = rp.update(&ctx, &read, &plan.planned).await.expect("update");
    assert!(rp.plan(Some(&read), &want2).changed_paths.is_empty());
    let renamed = with(&want2, "name", Value::from("logs2"));
    let plan = rp.plan(Some(&read), &renamed);
    assert_eq!(
        plan.requires_replace,
        vec![vec![PathStep::Attr("name".into())]]
    );
    rp.delete(&ctx, &read).await.expect("delete old");
    let replaced = rp.create(&ctx, &plan.planned).await.expect("create new");
    let imported = rp
        .import(&ctx, &format!("{role_name}:logs2"))
        .await
        .expect("import")
        .expect("exists");
    assert_eq!(
        imported,
        rp.read(&ctx, &replaced)
            .await
            .expect("read")
            .expect("exists")
    );
    rp.delete(&ctx, &imported).await.expect("delete");
    assert_eq!(rp.read(&ctx, &imported).await.expect("read"), None);

    // attachment
    let a = res(&r, "aws_iam_role_policy_attachment");
    let actx = support::ctx("aws_iam_role_policy_attachment.a");
    let p1 = make_policy(&r, &support::unique("att")).await;
    let p2 = make_policy(&r, &support::unique("att")).await;
    let want = Value::map([
        ("role", Value::from(role_name.as_str())),
        ("policy_arn", p1.get("arn").cloned().expect("arn")),
    ]);
    let state = a
        .create(&actx, &a.plan(None, &want).planned)
        .await
        .expect("attach");
    assert!(id(&state).starts_with(&format!("{role_name}-")));
    let read = a.read(&actx, &state).await.expect("read").expect("exists");
    assert!(a.plan(Some(&read), &want).changed_paths.is_empty());
    let want2 = with(&want, "policy_arn", p2.get("arn").cloned().expect("arn"));
    let plan = a.plan(Some(&read), &want2);
    assert_eq!(
        plan.requires_replace,
        vec![vec![PathStep::Attr("policy_arn".into())]]
    );
    a.delete(&actx, &read).await.expect("detach old");
    let replaced = a.create(&actx, &plan.planned).await.expect("attach new");
    let p2_arn = p2
        .get("arn")
        .and_then(Value::as_str)
        .expect("arn")
        .to_string();
    let imported = a
        .import(&actx, &format!("{role_name}/{p2_arn}"))
        .await
        .expect("import")
        .expect("exists");
    assert_eq!(imported.get("policy_arn"), replaced.get("policy_arn"));
    a.delete(&actx, &replaced).await.expect("detach");
    assert_eq!(a.read(&actx, &replaced).await.expect("read"), None);

    role.delete(&rctx, &role_state).await.expect("delete role");
    let pol = res(&r, "aws_iam_policy");
    for p in [p1, p2] {
        pol.delete(&support::ctx("aws_iam_policy.p"), &p)
            .await
            .expect("delete policy");
    }
}

#[tokio::test]
async fn account_and_iam_data_sources_read() {
    let r = registry().await;
    let ctx = support::ctx("data.x.y");
    let empty = Value::map::<&str>([]);
    let me = r
        .data_source("aws_caller_identity")
        .expect("ds")
        .read(&ctx, &empty)
        .await
        .expect("identity");
    assert_eq!(me.get("account_id"), Some(&Value::from(ACCOUNT_ID)));
    let region = r
        .data_source("aws_region")
        .expect("ds")
        .read(&ctx, &empty)
        .await
        .expect("region");
    assert_eq!(region.get("name"), Some(&Value::from("us-east-1")));
    let part = r
        .data_source("aws_partition")
        .expect("ds")
        .read(&ctx, &empty)
        .await
        .expect("partition");
    assert_eq!(part.get("partition"), Some(&Value::from("aws")));
    assert_eq!(part.get("dns_suffix"), Some(&Value::from("amazonaws.com")));

    let role = res(&r, "aws_iam_role");
    let name = support::unique("datarole");
    let rs = role
        .create(
            &ctx,
            &role
                .plan(
                    None,
                    &Value::map([
                        ("name", Value::from(name.as_str())),
                        ("assume_role_policy", Value::from(TRUST)),
                    ]),
                )
                .planned,
        )
        .await
        .expect("role");
    let d = r
        .data_source("aws_iam_role")
        .expect("ds")
        .read(&ctx, &Value::map([("name", Value::from(name.as_str()))]))
        .await
        .expect("role data");
    assert_eq!(d.get("arn"), rs.get("arn"));
    assert_eq!(d.get("assume_role_policy"), Some(&Value::from(TRUST)));
    let missing = r
        .data_source("aws_iam_role")
        .expect("ds")
        .read(&ctx, &Value::map([("name", Value::from("no-such-role-x"))]))
        .await;
    assert!(missing.is_err());

    let pname = support::unique("datapol");
    let ps = make_policy(&r, &pname).await;
    let pd = r.data_source("aws_iam_policy").expect("ds");
    let by_name = pd
        .read(&ctx, &Value::map([("name", Value::from(pname.as_str()))]))
        .await
        .expect("by name");
    let by_arn = pd
        .read(
            &ctx,
            &Value::map([("arn", ps.get("arn").cloned().expect("arn"))]),
        )
        .await
        .expect("by arn");
    assert_eq!(by_name.get("arn"), ps.get("arn"));
    assert_eq!(by_arn.get("policy_id"), by_name.get("policy_id"));
    assert!(emrform::providers::normalize::policies_equivalent(
        by_arn
            .get("policy")
            .and_then(Value::as_str)
            .unwrap_or_default(),
        &doc("s3:GetObject")
    ));
    role.delete(&ctx, &rs).await.expect("delete");
    res(&r, "aws_iam_policy")
        .delete(&ctx, &ps)
        .await
        .expect("delete");
}

async fn make_role(r: &Registry, name: &str) -> Value {
    let p = res(r, "aws_iam_role");
    let want = Value::map([
        ("name", Value::from(name)),
        ("assume_role_policy", Value::from(TRUST)),
    ]);
    p.create(
        &support::ctx("aws_iam_role.r"),
        &p.plan(None, &want).planned,
    )
    .await
    .expect("role")
}

fn names(items: &[&str]) -> Value {
    Value::set(items.iter().map(|i| Value::from(*i)).collect())
}

#[tokio::test]
async fn exclusive_policy_attachment_lifecycle() {
    let r = registry().await;
    let clients = support::clients().await;
    let policy = make_policy(&r, &support::unique("excl")).await;
    let arn = id(&policy);
    let r1 = support::unique("r1");
    let r2 = support::unique("r2");
    make_role(&r, &r1).await;
    make_role(&r, &r2).await;
    let user = support::unique("u");
    clients
        .iam
        .create_user()
        .user_name(&user)
        .send()
        .await
        .expect("user");
    let group = support::unique("g");
    clients
        .iam
        .create_group()
        .group_name(&group)
        .send()
        .await
        .expect("group");
    // Attached outside the configuration: the exclusive attachment takes it away.
    clients
        .iam
        .attach_role_policy()
        .role_name(&r2)
        .policy_arn(&arn)
        .send()
        .await
        .expect("stray attachment");

    let p = res(&r, "aws_iam_policy_attachment");
    let ctx = support::ctx("aws_iam_policy_attachment.runtime");
    let name = support::unique("att");
    let want = Value::map([
        ("name", Value::from(name.as_str())),
        ("policy_arn", Value::from(arn.as_str())),
        ("roles", Value::List(vec![Value::from(r1.as_str())])),
        ("users", Value::List(vec![Value::from(user.as_str())])),
    ]);
    let plan = p.plan(None, &want);
    assert_eq!(plan.planned.get("id"), Some(&Value::from(name.as_str())));
    assert_eq!(
        plan.api_ops,
        vec![
            ApiOp::with_fields("AttachUserPolicy", ["users".to_string()]),
            ApiOp::with_fields("AttachRolePolicy", ["roles".to_string()]),
        ]
    );
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    assert_eq!(state.get("roles"), Some(&names(&[&r1])));
    assert_eq!(state.get("users"), Some(&names(&[&user])));
    let found = p
        .find_created(&ctx, &plan.planned)
        .await
        .expect("find_created")
        .expect("can tell");
    assert_eq!(found, vec![state.clone()]);
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    assert!(p.plan(Some(&read), &want).changed_paths.is_empty());

    // Drift: attached to a group elsewhere; the plan detaches it.
    clients
        .iam
        .attach_group_policy()
        .group_name(&group)
        .policy_arn(&arn)
        .send()
        .await
        .expect("drift");
    let read = p.read(&ctx, &read).await.expect("read").expect("exists");
    assert_eq!(read.get("groups"), Some(&names(&[&group])));
    let plan = p.plan(Some(&read), &want);
    assert_eq!(
        plan.api_ops,
        vec![ApiOp::with_fields(
            "DetachGroupPolicy",
            ["groups".to_string()]
        )]
    );
    let updated = p
        .update(&ctx, &read, &plan.planned)
        .await
        .expect("detach drift");
    assert_eq!(updated.get("groups"), Some(&names(&[])));

    // Update in place: swap the role, add the group.
    let update = with(
        &with(&want, "roles", Value::List(vec![Value::from(r2.as_str())])),
        "groups",
        Value::List(vec![Value::from(group.as_str())]),
    );
    let plan = p.plan(Some(&updated), &update);
    assert!(plan.requires_replace.is_empty());
    assert_eq!(
        plan.api_ops,
        vec![
            ApiOp::with_fields("DetachRolePolicy", ["roles".to_string()]),
            ApiOp::with_fields("AttachRolePolicy", ["roles".to_string()]),
            ApiOp::with_fields("AttachGroupPolicy", ["groups".to_string()]),
        ]
    );
    let updated = p
        .update(&ctx, &updated, &plan.planned)
        .await
        .expect("update");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert_eq!(read.get("roles"), Some(&names(&[&r2])));
    assert!(p.plan(Some(&read), &update).changed_paths.is_empty());

    // ForceNew: the name.
    let renamed = with(&update, "name", Value::from(format!("{name}-b")));
    assert_eq!(
        p.plan(Some(&read), &renamed).requires_replace,
        vec![vec![PathStep::Attr("name".into())]]
    );
    // Not importable, as in the AWS provider.
    assert!(p.import(&ctx, &name).await.is_err());

    p.delete(&ctx, &read).await.expect("delete");
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
    res(&r, "aws_iam_policy")
        .delete(&support::ctx("aws_iam_policy.p"), &policy)
        .await
        .expect("delete policy");
}

#[tokio::test]
async fn instance_profile_lifecycle() {
    let r = registry().await;
    let r1 = support::unique("ipr1");
    let r2 = support::unique("ipr2");
    make_role(&r, &r1).await;
    make_role(&r, &r2).await;
    let p = res(&r, "aws_iam_instance_profile");
    let ctx = support::ctx("aws_iam_instance_profile.emr");
    let name = support::unique("ip");
    let want = Value::map([
        ("name", Value::from(name.as_str())),
        ("role", Value::from(r1.as_str())),
        ("tags", Value::map([("team", Value::from("data"))])),
    ]);
    let plan = p.plan(None, &want);
    assert_eq!(plan.planned.get("id"), Some(&Value::from(name.as_str())));
    assert_eq!(plan.planned.get("path"), Some(&Value::from("/")));
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    assert_eq!(
        state.get("arn"),
        Some(&Value::from(format!(
            "arn:aws:iam::{ACCOUNT_ID}:instance-profile/{name}"
        )))
    );
    assert_eq!(state.get("role"), Some(&Value::from(r1.as_str())));
    assert!(state
        .get("unique_id")
        .and_then(Value::as_str)
        .is_some_and(|u| !u.is_empty()));
    assert!(state
        .get("create_date")
        .and_then(Value::as_str)
        .is_some_and(|u| !u.is_empty()));
    let found = p
        .find_created(&ctx, &plan.planned)
        .await
        .expect("find_created")
        .expect("can tell");
    assert_eq!(found.len(), 1);
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    assert!(p.plan(Some(&read), &want).changed_paths.is_empty());

    let update = with(
        &with(&want, "role", Value::from(r2.as_str())),
        "tags",
        Value::map([("team", Value::from("platform"))]),
    );
    let plan = p.plan(Some(&read), &update);
    assert!(plan.requires_replace.is_empty());
    assert_eq!(
        plan.api_ops,
        vec![
            ApiOp::with_fields("RemoveRoleFromInstanceProfile", ["role".to_string()]),
            ApiOp::with_fields("AddRoleToInstanceProfile", ["role".to_string()]),
            ApiOp::with_fields("TagInstanceProfile", ["team".to_string()]),
        ]
    );
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("update");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert_eq!(read.get("role"), Some(&Value::from(r2.as_str())));
    assert!(p.plan(Some(&read), &update).changed_paths.is_empty());

    let moved = with(&update, "path", Value::from("/emr/"));
    let plan = p.plan(Some(&read), &moved);
    assert_eq!(
        plan.requires_replace,
        vec![vec![PathStep::Attr("path".into())]]
    );
    p.delete(&ctx, &read).await.expect("delete old");
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
    let replaced = p.create(&ctx, &plan.planned).await.expect("create new");
    assert_eq!(replaced.get("path"), Some(&Value::from("/emr/")));

    let imported = p
        .import(&ctx, &name)
        .await
        .expect("import")
        .expect("exists");
    assert!(
        p.plan(Some(&imported), &moved).changed_paths.is_empty(),
        "{:?}",
        p.plan(Some(&imported), &moved).changed_paths
    );
    p.delete(&ctx, &imported).await.expect("delete");
    assert_eq!(p.read(&ctx, &imported).await.expect("read"), None);
    assert_eq!(p.import(&ctx, &name).await.expect("import"), None);
    for role in [r1, r2] {
        res(&r, "aws_iam_role")
            .delete(
                &support::ctx("aws_iam_role.r"),
                &Value::map([("id", Value::from(role.as_str()))]),
            )
            .await
            .expect("delete role");
    }
}
