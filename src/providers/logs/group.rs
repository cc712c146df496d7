//! `aws_cloudwatch_log_group`. Id = name (from `name`, `name_prefix` or a generated one).
//! Retention (PutRetentionPolicy / DeleteRetentionPolicy), the KMS key (AssociateKmsKey /
//! DisassociateKmsKey), deletion protection and tags change in place; the name and the class
//! force replacement. `arn` is kept without the `:*` suffix DescribeLogGroups adds, as the AWS
//! provider stores it. `skip_destroy` leaves the group in AWS when the resource is destroyed.

use super::api::{LogGroup, LogsApi, NewLogGroup};
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::{ApiError, ProviderError};
use crate::providers::normalize::tags::tag_changes;
use crate::providers::normalize::{merge_tags, tags_from_live};
use crate::providers::planning::{diff, tag_ops, unique_name, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn zero() -> Value {
    Value::from(0i64)
}
fn no() -> Value {
    Value::Bool(false)
}

/// The class whose retention AWS fixes itself (the AWS provider ignores retention for it).
const DELIVERY: &str = "DELIVERY";

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::optional_computed("deletion_protection_enabled"),
    AttrSpec::computed("id"),
    AttrSpec::config("kms_key_id"),
    AttrSpec::optional_computed("log_group_class").force_new(),
    AttrSpec::optional_computed("name").force_new(),
    AttrSpec::optional_computed("name_prefix").force_new(),
    AttrSpec::config("retention_in_days").default(zero),
    AttrSpec::config("skip_destroy").default(no),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
];

/// The ARN the AWS provider keeps: DescribeLogGroups' `arn` without its `:*` suffix.
pub fn arn_for_state(described: &str) -> &str {
    described.strip_suffix(":*").unwrap_or(described)
}

/// The log group resource.
pub struct LogGroupResource {
    api: Arc<dyn LogsApi>,
    default_tags: BTreeMap<String, String>,
}

impl LogGroupResource {
    /// Over a CloudWatch Logs API.
    pub fn new(api: Arc<dyn LogsApi>, default_tags: BTreeMap<String, String>) -> LogGroupResource {
        LogGroupResource { api, default_tags }
    }

    async fn describe(&self, ctx: &Ctx, name: &str) -> Result<Option<LogGroup>, ProviderError> {
        self.api
            .describe_log_group(name)
            .await
            .map_err(|e| ctx.api("DescribeLogGroups", e))
    }

    async fn to_value(
        &self,
        ctx: &Ctx,
        g: &LogGroup,
        prior: Option<&Value>,
    ) -> Result<Value, ProviderError> {
        let arn = arn_for_state(&g.arn);
        let all = self
            .api
            .list_tags(arn)
            .await
            .map_err(|e| ctx.api("ListTagsForResource", e))?;
        let prior_tags = prior.map(|p| string_map(p, "tags")).unwrap_or_default();
        let own = tags_from_live(&all, &self.default_tags, &prior_tags);
        let prior_null = prior
            .map(|p| p.get("tags").map(Value::is_null).unwrap_or(true))
            .unwrap_or(true);
        let keep = |k: &str| {
            prior
                .and_then(|p| p.get(k))
                .cloned()
                .map(known)
                .filter(|v| !v.is_null())
        };
        Ok(Value::Map(obj([
            ("arn", Value::from(arn)),
            (
                "deletion_protection_enabled",
                Value::Bool(g.deletion_protection_enabled.unwrap_or(false)),
            ),
            ("id", Value::from(g.name.as_str())),
            ("kms_key_id", opt_str(g.kms_key_id.clone())),
            ("log_group_class", opt_str(g.log_group_class.clone())),
            ("name", Value::from(g.name.as_str())),
            ("name_prefix", keep("name_prefix").unwrap_or(Value::Null)),
            (
                "retention_in_days",
                Value::from(g.retention_in_days.unwrap_or(0)),
            ),
            ("skip_destroy", keep("skip_destroy").unwrap_or_else(no)),
            (
                "tags",
                if own.is_empty() && prior_null {
                    Value::Null
                } else {
                    string_map_value(&own)
                },
            ),
            ("tags_all", string_map_value(&all)),
        ])))
    }

    async fn set_retention(&self, ctx: &Ctx, name: &str, days: i64) -> Result<(), ProviderError> {
        if days > 0 {
            self.api
                .put_retention_policy(name, days)
                .await
                .map_err(|e| ctx.api("PutRetentionPolicy", e))
        } else {
            self.api
                .delete_retention_policy(name)
                .await
                .map_err(|e| ctx.api("DeleteRetentionPolicy", e))
        }
    }
}

fn is_delivery(v: &Value) -> bool {
    str_of(v, "log_group_class") == Some(DELIVERY)
}

fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out = m.clone();
    // AWS fixes a DELIVERY group's retention itself; the configuration's value is not compared.
    if is_delivery(v) {
        out.insert("retention_in_days".into(), Value::Null);
    }
    Value::Map(out)
}

/// True when `e` is CloudWatch Logs asking to try again (a concurrent change to the group).
fn is_aborted(e: &ApiError) -> bool {
    e.has_code("OperationAbortedException")
}

#[async_trait]
impl ResourceProvider for LogGroupResource {
    fn type_name(&self) -> &'static str {
        "aws_cloudwatch_log_group"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &self.default_tags, &normalize);
        if prior.is_none() {
            if let (Value::Map(m), Some(n)) = (&mut d.planned, str_of(desired, "name")) {
                m.insert("id".into(), Value::from(n));
            }
        }
        let retention = int_of(&d.planned, "retention_in_days").unwrap_or(0);
        let ops = match prior {
            None => {
                let mut ops = vec![ApiOp::call("CreateLogGroup")];
                if retention > 0 && !is_delivery(&d.planned) {
                    ops.push(ApiOp::with_fields(
                        "PutRetentionPolicy",
                        ["retention_in_days".to_string()],
                    ));
                }
                ops
            }
            Some(_) if !d.replace.is_empty() => {
                vec![ApiOp::call("DeleteLogGroup"), ApiOp::call("CreateLogGroup")]
            }
            Some(p) => {
                let mut ops = Vec::new();
                if d.has("retention_in_days") {
                    let op = if retention > 0 {
                        "PutRetentionPolicy"
                    } else {
                        "DeleteRetentionPolicy"
                    };
                    ops.push(ApiOp::with_fields(op, ["retention_in_days".to_string()]));
                }
                if d.has("kms_key_id") {
                    let op = if str_of(&d.planned, "kms_key_id").is_some() {
                        "AssociateKmsKey"
                    } else {
                        "DisassociateKmsKey"
                    };
                    ops.push(ApiOp::with_fields(op, ["kms_key_id".to_string()]));
                }
                if d.has("deletion_protection_enabled") {
                    ops.push(ApiOp::with_fields(
                        "PutLogGroupDeletionProtection",
                        ["deletion_protection_enabled".to_string()],
                    ));
                }
                ops.extend(tag_ops(p, &d.planned, "TagResource", "UntagResource"));
                ops
            }
        };
        PlannedChange {
            changed_paths: d.changed_paths(),
            requires_replace: d.replace_paths(),
            planned: d.planned,
            api_ops: ops,
        }
    }

    async fn read(&self, ctx: &Ctx, prior: &Value) -> Result<Option<Value>, ProviderError> {
        let name = str_of(prior, "id")
            .or_else(|| str_of(prior, "name"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        match self.describe(ctx, name).await? {
            None => Ok(None),
            Some(g) => Ok(Some(self.to_value(ctx, &g, Some(prior)).await?)),
        }
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let name = str_of(planned, "name")
            .map(str::to_string)
            .unwrap_or_else(|| unique_name(str_of(planned, "name_prefix")));
        let new = NewLogGroup {
            name: name.clone(),
            kms_key_id: str_of(planned, "kms_key_id").map(str::to_string),
            log_group_class: str_of(planned, "log_group_class").map(str::to_string),
            deletion_protection_enabled: bool_of(planned, "deletion_protection_enabled"),
            tags: merge_tags(&self.default_tags, &string_map(planned, "tags")),
        };
        crate::providers::iam::create_or_adopt(
            ctx,
            "CreateLogGroup",
            || self.api.create_log_group(&new),
            || async {
                self.api
                    .describe_log_group(&name)
                    .await
                    .map(|g| g.map(|_| ()))
            },
        )
        .await?;
        let partial = Value::Map(obj([
            ("id", Value::from(name.as_str())),
            ("name", Value::from(name.as_str())),
        ]));
        let retention = int_of(planned, "retention_in_days").unwrap_or(0);
        if retention > 0 && !is_delivery(planned) {
            self.set_retention(ctx, &name, retention)
                .await
                .map_err(|e| e.with_partial(partial.clone()))?;
        }
        let g = self
            .describe(ctx, &name)
            .await?
            .ok_or_else(|| ctx.invalid(format!("log group {name} vanished after create")))?;
        self.to_value(ctx, &g, Some(planned)).await
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let name = str_of(prior, "id")
            .or_else(|| str_of(prior, "name"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?
            .to_string();
        let live = self
            .describe(ctx, &name)
            .await?
            .ok_or_else(|| ctx.invalid(format!("log group {name} no longer exists")))?;
        let want_days = int_of(planned, "retention_in_days").unwrap_or(0);
        if !is_delivery(planned) && live.retention_in_days.unwrap_or(0) != want_days {
            self.set_retention(ctx, &name, want_days).await?;
        }
        let want_key = str_of(planned, "kms_key_id");
        if live.kms_key_id.as_deref() != want_key {
            match want_key {
                Some(k) => self
                    .api
                    .associate_kms_key(&name, k)
                    .await
                    .map_err(|e| ctx.api("AssociateKmsKey", e))?,
                None => self
                    .api
                    .disassociate_kms_key(&name)
                    .await
                    .map_err(|e| ctx.api("DisassociateKmsKey", e))?,
            }
        }
        if let Some(want) = bool_of(planned, "deletion_protection_enabled") {
            if live.deletion_protection_enabled.unwrap_or(false) != want {
                self.api
                    .put_deletion_protection(&name, want)
                    .await
                    .map_err(|e| ctx.api("PutLogGroupDeletionProtection", e))?;
            }
        }
        let arn = arn_for_state(&live.arn);
        let have = self
            .api
            .list_tags(arn)
            .await
            .map_err(|e| ctx.api("ListTagsForResource", e))?;
        let (set, remove) = tag_changes(
            &have,
            &merge_tags(&self.default_tags, &string_map(planned, "tags")),
        );
        if !set.is_empty() {
            self.api
                .tag_resource(arn, &set)
                .await
                .map_err(|e| ctx.api("TagResource", e))?;
        }
        if !remove.is_empty() {
            self.api
                .untag_resource(arn, &remove)
                .await
                .map_err(|e| ctx.api("UntagResource", e))?;
        }
        let live = self
            .describe(ctx, &name)
            .await?
            .ok_or_else(|| ctx.invalid(format!("log group {name} no longer exists")))?;
        self.to_value(ctx, &live, Some(planned)).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        if bool_of(prior, "skip_destroy") == Some(true) {
            return Ok(());
        }
        let name = str_of(prior, "id")
            .or_else(|| str_of(prior, "name"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let start = Instant::now();
        loop {
            match self.api.delete_log_group(name).await {
                Ok(()) => return Ok(()),
                Err(e) if is_aborted(&e) && start.elapsed() < Duration::from_secs(60) => {
                    tokio::time::sleep(ctx.poll_interval).await;
                }
                Err(e) => return Err(ctx.api("DeleteLogGroup", e)),
            }
        }
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        match str_of(planned, "name") {
            Some(name) => Ok(Some(self.import(ctx, name).await?.into_iter().collect())),
            None => Ok(None),
        }
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        match self.describe(ctx, id).await? {
            None => Ok(None),
            Some(g) => Ok(Some(self.to_value(ctx, &g, None).await?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers every call; `fail_delete` makes DeleteLogGroup fail.
    struct NoApi {
        fail_delete: bool,
    }

    #[async_trait]
    impl LogsApi for NoApi {
        async fn describe_log_group(&self, _: &str) -> Result<Option<LogGroup>, ApiError> {
            Ok(None)
        }
        async fn create_log_group(&self, _: &NewLogGroup) -> Result<(), ApiError> {
            Ok(())
        }
        async fn delete_log_group(&self, _: &str) -> Result<(), ApiError> {
            if self.fail_delete {
                return Err(ApiError::new(
                    crate::providers::ApiErrorKind::Other,
                    "Unexpected",
                    "delete must not be called",
                ));
            }
            Ok(())
        }
        async fn put_retention_policy(&self, _: &str, _: i64) -> Result<(), ApiError> {
            Ok(())
        }
        async fn delete_retention_policy(&self, _: &str) -> Result<(), ApiError> {
            Ok(())
        }
        async fn associate_kms_key(&self, _: &str, _: &str) -> Result<(), ApiError> {
            Ok(())
        }
        async fn disassociate_kms_key(&self, _: &str) -> Result<(), ApiError> {
            Ok(())
        }
        async fn put_deletion_protection(&self, _: &str, _: bool) -> Result<(), ApiError> {
            Ok(())
        }
        async fn list_tags(&self, _: &str) -> Result<BTreeMap<String, String>, ApiError> {
            Ok(BTreeMap::new())
        }
        async fn tag_resource(
            &self,
            _: &str,
            _: &BTreeMap<String, String>,
        ) -> Result<(), ApiError> {
            Ok(())
        }
        async fn untag_resource(&self, _: &str, _: &[String]) -> Result<(), ApiError> {
            Ok(())
        }
    }

    fn resource() -> LogGroupResource {
        LogGroupResource::new(
            Arc::new(NoApi { fail_delete: false }),
            [("team".to_string(), "data".to_string())].into(),
        )
    }

    fn prior() -> Value {
        Value::map([
            (
                "arn",
                Value::from("arn:aws:logs:us-east-1:1:log-group:/emr/x"),
            ),
            ("deletion_protection_enabled", Value::Bool(false)),
            ("id", Value::from("/emr/x")),
            ("kms_key_id", Value::Null),
            ("log_group_class", Value::from("STANDARD")),
            ("name", Value::from("/emr/x")),
            ("name_prefix", Value::Null),
            ("retention_in_days", Value::from(0i64)),
            ("skip_destroy", Value::Bool(false)),
            ("tags", Value::Null),
            ("tags_all", Value::map([("team", Value::from("data"))])),
        ])
    }

    #[test]
    fn arn_loses_the_wildcard_suffix() {
        assert_eq!(
            arn_for_state("arn:aws:logs:us-east-1:1:log-group:/a:*"),
            "arn:aws:logs:us-east-1:1:log-group:/a"
        );
        assert_eq!(arn_for_state("arn:x:log-group:/a"), "arn:x:log-group:/a");
    }

    #[test]
    fn create_plans_retention_only_when_set_and_not_delivery() {
        let r = resource();
        let want = Value::map([
            ("name", Value::from("/emr/x")),
            ("retention_in_days", Value::from(14i64)),
        ]);
        let plan = r.plan(None, &want);
        assert_eq!(plan.planned.get("id"), Some(&Value::from("/emr/x")));
        assert_eq!(plan.planned.get("arn"), Some(&Value::Unknown));
        assert_eq!(plan.planned.get("log_group_class"), Some(&Value::Unknown));
        assert_eq!(
            plan.planned.get("tags_all"),
            Some(&Value::map([("team", Value::from("data"))]))
        );
        assert_eq!(
            plan.api_ops,
            vec![
                ApiOp::call("CreateLogGroup"),
                ApiOp::with_fields("PutRetentionPolicy", ["retention_in_days".to_string()])
            ]
        );
        let delivery = Value::map([
            ("name", Value::from("/emr/x")),
            ("log_group_class", Value::from("DELIVERY")),
            ("retention_in_days", Value::from(14i64)),
        ]);
        assert_eq!(
            r.plan(None, &delivery).api_ops,
            vec![ApiOp::call("CreateLogGroup")]
        );
    }

    #[test]
    fn in_place_changes_pick_their_calls() {
        let r = resource();
        let p = prior();
        let same = Value::map([("name", Value::from("/emr/x"))]);
        assert!(r.plan(Some(&p), &same).changed_paths.is_empty());
        let want = Value::map([
            ("name", Value::from("/emr/x")),
            ("retention_in_days", Value::from(30i64)),
            ("kms_key_id", Value::from("arn:aws:kms:us-east-1:1:key/abc")),
            ("tags", Value::map([("app", Value::from("spark"))])),
        ]);
        let plan = r.plan(Some(&p), &want);
        assert!(plan.requires_replace.is_empty());
        assert_eq!(
            plan.api_ops,
            vec![
                ApiOp::with_fields("PutRetentionPolicy", ["retention_in_days".to_string()]),
                ApiOp::with_fields("AssociateKmsKey", ["kms_key_id".to_string()]),
                ApiOp::with_fields("TagResource", ["app".to_string()]),
            ]
        );
        let protect = Value::map([
            ("name", Value::from("/emr/x")),
            ("deletion_protection_enabled", Value::Bool(true)),
        ]);
        assert_eq!(
            r.plan(Some(&p), &protect).api_ops,
            vec![ApiOp::with_fields(
                "PutLogGroupDeletionProtection",
                ["deletion_protection_enabled".to_string()]
            )]
        );
        // Back to "never expire" and no key.
        let mut p2 = p.clone();
        if let Value::Map(m) = &mut p2 {
            m.insert("retention_in_days".into(), Value::from(30i64));
            m.insert("kms_key_id".into(), Value::from("arn:k"));
        }
        assert_eq!(
            r.plan(Some(&p2), &same).api_ops,
            vec![
                ApiOp::with_fields("DeleteRetentionPolicy", ["retention_in_days".to_string()]),
                ApiOp::with_fields("DisassociateKmsKey", ["kms_key_id".to_string()]),
            ]
        );
    }

    #[test]
    fn class_and_name_force_replacement_and_delivery_ignores_retention() {
        let r = resource();
        let p = prior();
        let plan = r.plan(
            Some(&p),
            &Value::map([
                ("name", Value::from("/emr/x")),
                ("log_group_class", Value::from("INFREQUENT_ACCESS")),
            ]),
        );
        assert_eq!(
            plan.requires_replace,
            vec![vec![crate::providers::PathStep::Attr(
                "log_group_class".into()
            )]]
        );
        assert_eq!(plan.planned.get("arn"), Some(&Value::Unknown));
        let mut d = p.clone();
        if let Value::Map(m) = &mut d {
            m.insert("log_group_class".into(), Value::from("DELIVERY"));
            m.insert("retention_in_days".into(), Value::from(2i64));
        }
        let plan = r.plan(
            Some(&d),
            &Value::map([
                ("name", Value::from("/emr/x")),
                ("log_group_class", Value::from("DELIVERY")),
            ]),
        );
        assert!(plan.changed_paths.is_empty(), "{:?}", plan.changed_paths);
    }

    #[tokio::test]
    async fn skip_destroy_leaves_the_group() {
        let r = LogGroupResource::new(Arc::new(NoApi { fail_delete: true }), BTreeMap::new());
        let ctx = Ctx::new("aws_cloudwatch_log_group.x");
        let mut p = prior();
        assert!(r.delete(&ctx, &p).await.is_err());
        if let Value::Map(m) = &mut p {
            m.insert("skip_destroy".into(), Value::Bool(true));
        }
        assert!(r.delete(&ctx, &p).await.is_ok());
    }
}
