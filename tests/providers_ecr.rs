//! ECR resources and data sources against moto: create → read back (no diff) → update in
//! place → ForceNew replacement → import by id → delete → read as gone.

mod support;

use emrform::config::value::Value;
use emrform::providers::{ApiOp, PathStep, Registry, ResourceProvider};
use std::sync::Arc;
use support::moto_differences::ACCOUNT_ID;

fn with(v: &Value, key: &str, val: Value) -> Value {
    let mut v = v.clone();
    if let Value::Map(m) = &mut v {
        m.insert(key.into(), val);
    }
    v
}

fn res(r: &Registry, t: &str) -> Arc<dyn ResourceProvider> {
    r.resource(t).expect("registered")
}

fn pull_policy(app_arn: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"EmrServerlessPull","Effect":"Allow","Principal":{{"Service":"emr-serverless.amazonaws.com"}},"Action":["ecr:BatchGetImage","ecr:DescribeImages","ecr:GetDownloadUrlForLayer"],"Condition":{{"StringEquals":{{"aws:SourceArn":"{app_arn}"}}}}}}]}}"#
    )
}

#[tokio::test]
async fn repository_and_policy_lifecycles() {
    let r = Registry::aws(&support::clients().await);
    let p = res(&r, "aws_ecr_repository");
    let ctx = support::ctx("aws_ecr_repository.spark");
    let name = support::unique("spark-images");
    let want = Value::map([
        ("name", Value::from(name.as_str())),
        ("tags", Value::map([("team", Value::from("data"))])),
    ]);
    let state = p
        .create(&ctx, &p.plan(None, &want).planned)
        .await
        .expect("create");
    assert_eq!(
        state.get("repository_url"),
        Some(&Value::from(format!(
            "{ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/{name}"
        )))
    );
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    assert!(
        p.plan(Some(&read), &want).changed_paths.is_empty(),
        "{:?}",
        p.plan(Some(&read), &want).changed_paths
    );

    let update = with(&want, "image_tag_mutability", Value::from("IMMUTABLE"));
    let update = with(
        &update,
        "image_scanning_configuration",
        Value::List(vec![Value::map([("scan_on_push", Value::Bool(true))])]),
    );
    let plan = p.plan(Some(&read), &update);
    assert_eq!(
        plan.api_ops,
        vec![
            ApiOp::with_fields(
                "PutImageTagMutability",
                ["image_tag_mutability".to_string()]
            ),
            ApiOp::with_fields(
                "PutImageScanningConfiguration",
                ["image_scanning_configuration".to_string()]
            ),
        ]
    );
    let updated = p.update(&ctx, &read, &plan.planned).await.expect("update");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert!(p.plan(Some(&read), &update).changed_paths.is_empty());

    // repository policy: set, read back, replace, import, delete
    let pp = res(&r, "aws_ecr_repository_policy");
    let pctx = support::ctx("aws_ecr_repository_policy.pull");
    let app_arn = format!("arn:aws:emr-serverless:us-east-1:{ACCOUNT_ID}:/applications/00abc");
    let pwant = Value::map([
        ("repository", Value::from(name.as_str())),
        ("policy", Value::from(pull_policy(&app_arn))),
    ]);
    let ps = pp
        .create(&pctx, &pp.plan(None, &pwant).planned)
        .await
        .expect("set policy");
    assert_eq!(ps.get("registry_id"), Some(&Value::from(ACCOUNT_ID)));
    let pread = pp.read(&pctx, &ps).await.expect("read").expect("exists");
    assert!(pp.plan(Some(&pread), &pwant).changed_paths.is_empty());
    let pwant2 = with(
        &pwant,
        "policy",
        Value::from(pull_policy(&format!("{app_arn}x"))),
    );
    let plan = pp.plan(Some(&pread), &pwant2);
    assert_eq!(
        plan.api_ops,
        vec![ApiOp::with_fields(
            "SetRepositoryPolicy",
            ["policy".to_string()]
        )]
    );
    let pread = pp
        .update(&pctx, &pread, &plan.planned)
        .await
        .expect("replace policy");
    assert!(pp.plan(Some(&pread), &pwant2).changed_paths.is_empty());
    let imported = pp
        .import(&pctx, &name)
        .await
        .expect("import")
        .expect("exists");
    assert!(pp.plan(Some(&imported), &pwant2).changed_paths.is_empty());
    pp.delete(&pctx, &imported).await.expect("delete policy");
    assert_eq!(pp.read(&pctx, &imported).await.expect("read"), None);

    // ForceNew: the policy's repository
    let other = support::unique("other");
    let o = p
        .create(
            &ctx,
            &p.plan(None, &Value::map([("name", Value::from(other.as_str()))]))
                .planned,
        )
        .await
        .expect("other repo");
    let ps = pp
        .create(&pctx, &pp.plan(None, &pwant).planned)
        .await
        .expect("set again");
    let moved = with(&pwant, "repository", Value::from(other.as_str()));
    assert_eq!(
        pp.plan(Some(&ps), &moved).requires_replace,
        vec![vec![PathStep::Attr("repository".into())]]
    );
    pp.delete(&pctx, &ps).await.expect("delete old policy");
    let ps2 = pp
        .create(&pctx, &pp.plan(None, &moved).planned)
        .await
        .expect("policy on other");
    pp.delete(&pctx, &ps2).await.expect("delete");

    // ForceNew: repository name
    let renamed = with(&update, "name", Value::from(format!("{name}-b")));
    let plan = p.plan(Some(&read), &renamed);
    assert_eq!(
        plan.requires_replace,
        vec![vec![PathStep::Attr("name".into())]]
    );
    p.delete(&ctx, &read).await.expect("delete old");
    let created = p.create(&ctx, &plan.planned).await.expect("create new");
    let imported = p
        .import(&ctx, &format!("{name}-b"))
        .await
        .expect("import")
        .expect("exists");
    assert_eq!(imported.get("arn"), created.get("arn"));
    assert!(p.plan(Some(&imported), &renamed).changed_paths.is_empty());
    p.delete(&ctx, &imported).await.expect("delete");
    assert_eq!(p.read(&ctx, &imported).await.expect("read"), None);
    p.delete(&ctx, &o).await.expect("delete other");
}

#[tokio::test]
async fn repository_and_image_data_sources() {
    let clients = support::clients().await;
    let r = Registry::aws(&clients);
    let ctx = support::ctx("data.aws_ecr_image.spark");
    let p = res(&r, "aws_ecr_repository");
    let name = support::unique("img");
    let repo = p
        .create(
            &ctx,
            &p.plan(
                None,
                &Value::map([
                    ("name", Value::from(name.as_str())),
                    ("force_delete", Value::Bool(true)),
                ]),
            )
            .planned,
        )
        .await
        .expect("repo");
    let manifest = r#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7023,"digest":"sha256:aaaa"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":32654,"digest":"sha256:bbbb"}]}"#;
    clients
        .ecr
        .put_image()
        .repository_name(&name)
        .image_manifest(manifest)
        .image_tag("7.1")
        .send()
        .await
        .expect("put image");

    let d = r
        .data_source("aws_ecr_repository")
        .expect("ds")
        .read(&ctx, &Value::map([("name", Value::from(name.as_str()))]))
        .await
        .expect("repo data");
    assert_eq!(d.get("repository_url"), repo.get("repository_url"));
    assert_eq!(
        d.get("most_recent_image_tags"),
        Some(&Value::List(vec![Value::from("7.1")]))
    );

    let img = r.data_source("aws_ecr_image").expect("ds");
    let by_tag = img
        .read(
            &ctx,
            &Value::map([
                ("repository_name", Value::from(name.as_str())),
                ("image_tag", Value::from("7.1")),
            ]),
        )
        .await
        .expect("by tag");
    let digest = by_tag
        .get("image_digest")
        .and_then(Value::as_str)
        .expect("digest")
        .to_string();
    assert!(digest.starts_with("sha256:"));
    assert_eq!(
        by_tag.get("image_uri"),
        Some(&Value::from(format!(
            "{}@{digest}",
            repo.get("repository_url")
                .and_then(Value::as_str)
                .unwrap_or_default()
        )))
    );
    let latest = img
        .read(
            &ctx,
            &Value::map([
                ("repository_name", Value::from(name.as_str())),
                ("most_recent", Value::Bool(true)),
            ]),
        )
        .await
        .expect("most recent");
    assert_eq!(
        latest.get("image_digest"),
        Some(&Value::from(digest.as_str()))
    );
    let missing = img
        .read(
            &ctx,
            &Value::map([
                ("repository_name", Value::from(name.as_str())),
                ("image_tag", Value::from("nope")),
            ]),
        )
        .await;
    assert!(missing.is_err());
    p.delete(&ctx, &repo)
        .await
        .expect("force delete with images");
}

fn lifecycle(count: i64) -> String {
    format!(
        r#"{{"rules":[{{"rulePriority":1,"description":"keep the last images","selection":{{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":{count}}},"action":{{"type":"expire"}}}}]}}"#
    )
}

#[tokio::test]
async fn lifecycle_policy_lifecycle() {
    let r = Registry::aws(&support::clients().await);
    let repos = res(&r, "aws_ecr_repository");
    let p = res(&r, "aws_ecr_lifecycle_policy");
    let ctx = support::ctx("aws_ecr_lifecycle_policy.images");
    let mut made = Vec::new();
    for prefix in ["lc", "lc-other"] {
        let name = support::unique(prefix);
        made.push(
            repos
                .create(
                    &ctx,
                    &repos
                        .plan(None, &Value::map([("name", Value::from(name.as_str()))]))
                        .planned,
                )
                .await
                .expect("repository"),
        );
    }
    let repo = |i: usize| {
        made[i]
            .get("name")
            .and_then(Value::as_str)
            .expect("name")
            .to_string()
    };
    let want = Value::map([
        ("repository", Value::from(repo(0))),
        ("policy", Value::from(lifecycle(10))),
    ]);
    let plan = p.plan(None, &want);
    assert_eq!(plan.api_ops, vec![ApiOp::call("PutLifecyclePolicy")]);
    assert_eq!(plan.planned.get("id"), Some(&Value::from(repo(0))));
    let state = p.create(&ctx, &plan.planned).await.expect("create");
    assert_eq!(state.get("id"), Some(&Value::from(repo(0))));
    assert_eq!(state.get("registry_id"), Some(&Value::from(ACCOUNT_ID)));
    assert_eq!(state.get("policy"), Some(&Value::from(lifecycle(10))));
    let read = p.read(&ctx, &state).await.expect("read").expect("exists");
    assert!(p.plan(Some(&read), &want).changed_paths.is_empty());
    // The same document with other spacing and key order is no change.
    let pretty = serde_json::to_string_pretty(
        &serde_json::from_str::<serde_json::Value>(&lifecycle(10)).expect("json"),
    )
    .expect("pretty");
    assert!(p
        .plan(Some(&read), &with(&want, "policy", Value::from(pretty)))
        .changed_paths
        .is_empty());

    // ForceNew, as in the AWS provider (it has no update): a new policy replaces the object.
    let update = with(&want, "policy", Value::from(lifecycle(20)));
    let plan = p.plan(Some(&read), &update);
    assert_eq!(
        plan.requires_replace,
        vec![vec![PathStep::Attr("policy".into())]]
    );
    p.delete(&ctx, &read).await.expect("delete old");
    let updated = p.create(&ctx, &plan.planned).await.expect("create new");
    let read = p.read(&ctx, &updated).await.expect("read").expect("exists");
    assert_eq!(read.get("policy"), Some(&Value::from(lifecycle(20))));
    assert!(p.plan(Some(&read), &update).changed_paths.is_empty());

    // ForceNew: the repository.
    let moved = with(&update, "repository", Value::from(repo(1)));
    let plan = p.plan(Some(&read), &moved);
    assert_eq!(
        plan.requires_replace,
        vec![vec![PathStep::Attr("repository".into())]]
    );
    p.delete(&ctx, &read).await.expect("delete old");
    assert_eq!(p.read(&ctx, &read).await.expect("read"), None);
    let created = p.create(&ctx, &plan.planned).await.expect("create new");

    // Import by repository name; find an interrupted create by repository.
    let imported = p
        .import(&ctx, &repo(1))
        .await
        .expect("import")
        .expect("exists");
    assert_eq!(imported.get("id"), created.get("id"));
    assert!(p.plan(Some(&imported), &moved).changed_paths.is_empty());
    let found = p
        .find_created(&ctx, &p.plan(None, &moved).planned)
        .await
        .expect("find_created")
        .expect("searchable by repository");
    assert_eq!(found.len(), 1);

    p.delete(&ctx, &imported).await.expect("delete");
    assert_eq!(p.read(&ctx, &imported).await.expect("read"), None);
    assert_eq!(p.import(&ctx, &repo(1)).await.expect("import"), None);
    p.delete(&ctx, &imported)
        .await
        .expect("deleting twice is fine");
    for m in &made {
        repos.delete(&ctx, m).await.expect("delete repository");
    }
}
