//! `aws_kms_key`. Id = key id. Description, policy (PutKeyPolicy, compared as a document),
//! rotation (with its period), enabled state and tags change in place; usage, spec,
//! multi-Region and key store settings force replacement. A key without a configured policy
//! keeps the default policy AWS gives it, read back into state (`policy` is Optional +
//! Computed) so plan-time checks can read it. Delete schedules the deletion
//! (`deletion_window_in_days`); a key pending deletion reads as gone. KMS keys have no
//! natural key, so an interrupted create cannot be found again (`find_created` says so).

use super::api::{KeyMetadata, KmsApi, NewKey};
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::{ApiError, ProviderError};
use crate::providers::normalize::tags::tag_changes;
use crate::providers::normalize::{
    canonical_policy, merge_tags, policies_equivalent, policy_for_state, tags_from_live,
};
use crate::providers::planning::{diff, tag_ops, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

fn no() -> Value {
    Value::Bool(false)
}
fn yes() -> Value {
    Value::Bool(true)
}
fn symmetric() -> Value {
    Value::from("SYMMETRIC_DEFAULT")
}
fn encrypt_decrypt() -> Value {
    Value::from("ENCRYPT_DECRYPT")
}

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::config("bypass_policy_lockout_safety_check").default(no),
    AttrSpec::config("custom_key_store_id").force_new(),
    AttrSpec::config("customer_master_key_spec")
        .force_new()
        .default(symmetric),
    AttrSpec::config("deletion_window_in_days"),
    AttrSpec::optional_computed("description"),
    AttrSpec::config("enable_key_rotation").default(no),
    AttrSpec::computed("id"),
    AttrSpec::config("is_enabled").default(yes),
    AttrSpec::computed("key_id"),
    AttrSpec::config("key_usage")
        .force_new()
        .default(encrypt_decrypt),
    AttrSpec::optional_computed("multi_region").force_new(),
    AttrSpec::optional_computed("policy"),
    AttrSpec::optional_computed("rotation_period_in_days"),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
    AttrSpec::config("timeouts"),
    AttrSpec::config("xks_key_id").force_new(),
];

/// Key states in which the AWS provider counts a key as deleted.
const GONE_STATES: &[&str] = &["PendingDeletion", "PendingReplicaDeletion"];

/// True when KMS refuses a policy because a principal in it is not visible yet.
fn is_principal_propagation(e: &ApiError) -> bool {
    e.has_code("MalformedPolicyDocumentException")
        && e.message.to_ascii_lowercase().contains("principal")
}

/// The key resource.
pub struct KeyResource {
    api: Arc<dyn KmsApi>,
    default_tags: BTreeMap<String, String>,
}

impl KeyResource {
    /// Over a KMS API.
    pub fn new(api: Arc<dyn KmsApi>, default_tags: BTreeMap<String, String>) -> KeyResource {
        KeyResource { api, default_tags }
    }

    /// The live key, `None` when missing or pending deletion.
    async fn describe(&self, ctx: &Ctx, id: &str) -> Result<Option<KeyMetadata>, ProviderError> {
        let m = self
            .api
            .describe_key(id, &[])
            .await
            .map_err(|e| ctx.api("DescribeKey", e))?;
        Ok(m.filter(|m| !GONE_STATES.contains(&m.key_state.as_str())))
    }

    async fn to_value(
        &self,
        ctx: &Ctx,
        m: &KeyMetadata,
        prior: Option<&Value>,
    ) -> Result<Value, ProviderError> {
        if let Some(c) = m.multi_region_config.as_ref().filter(|_| m.multi_region) {
            if c.key_type != "PRIMARY" {
                return Err(ctx.invalid(format!(
                    "KMS key {} is not a multi-Region primary key",
                    m.key_id
                )));
            }
        }
        let policy = self
            .api
            .get_key_policy(&m.key_id)
            .await
            .map_err(|e| ctx.api("GetKeyPolicy", e))?
            .unwrap_or_default();
        let rotation = if m.origin == "AWS_KMS" {
            Some(
                self.api
                    .get_key_rotation(&m.key_id)
                    .await
                    .map_err(|e| ctx.api("GetKeyRotationStatus", e))?,
            )
        } else {
            None
        };
        let all = self
            .api
            .list_tags(&m.key_id)
            .await
            .map_err(|e| ctx.api("ListResourceTags", e))?;
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
            ("arn", Value::from(m.arn.as_str())),
            (
                "bypass_policy_lockout_safety_check",
                keep("bypass_policy_lockout_safety_check").unwrap_or_else(no),
            ),
            (
                "custom_key_store_id",
                opt_str(m.custom_key_store_id.clone()),
            ),
            ("customer_master_key_spec", Value::from(m.key_spec.as_str())),
            (
                "deletion_window_in_days",
                keep("deletion_window_in_days").unwrap_or(Value::Null),
            ),
            ("description", Value::from(m.description.as_str())),
            (
                "enable_key_rotation",
                Value::Bool(rotation.map(|r| r.enabled).unwrap_or(false)),
            ),
            ("id", Value::from(m.key_id.as_str())),
            ("is_enabled", Value::Bool(m.enabled)),
            ("key_id", Value::from(m.key_id.as_str())),
            ("key_usage", Value::from(m.key_usage.as_str())),
            ("multi_region", Value::Bool(m.multi_region)),
            (
                "policy",
                Value::from(policy_for_state(
                    &policy,
                    prior.and_then(|p| str_of(p, "policy")),
                )),
            ),
            (
                "rotation_period_in_days",
                opt_int(rotation.and_then(|r| r.period_in_days)),
            ),
            (
                "tags",
                if own.is_empty() && prior_null {
                    Value::Null
                } else {
                    string_map_value(&own)
                },
            ),
            ("tags_all", string_map_value(&all)),
            ("timeouts", keep("timeouts").unwrap_or(Value::Null)),
            ("xks_key_id", opt_str(m.xks_key_id.clone())),
        ])))
    }

    async fn read_back(&self, ctx: &Ctx, id: &str, prior: &Value) -> Result<Value, ProviderError> {
        let m = self
            .describe(ctx, id)
            .await?
            .ok_or_else(|| ctx.invalid(format!("KMS key {id} vanished")))?;
        self.to_value(ctx, &m, Some(prior)).await
    }

    async fn create_key(&self, ctx: &Ctx, new: &NewKey) -> Result<KeyMetadata, ProviderError> {
        let start = Instant::now();
        loop {
            match self.api.create_key(new).await {
                Ok(m) => return Ok(m),
                Err(e)
                    if is_principal_propagation(&e)
                        && start.elapsed()
                            < crate::providers::iam::PROPAGATION_TIMEOUT
                                .min(ctx.timeouts.create) =>
                {
                    tokio::time::sleep(ctx.poll_interval).await;
                }
                Err(e) => return Err(ctx.api("CreateKey", e)),
            }
        }
    }

    async fn put_policy(
        &self,
        ctx: &Ctx,
        id: &str,
        policy: &str,
        bypass: bool,
    ) -> Result<(), ProviderError> {
        let start = Instant::now();
        loop {
            match self.api.put_key_policy(id, policy, bypass).await {
                Ok(()) => return Ok(()),
                Err(e)
                    if is_principal_propagation(&e)
                        && start.elapsed()
                            < crate::providers::iam::PROPAGATION_TIMEOUT
                                .min(ctx.timeouts.update) =>
                {
                    tokio::time::sleep(ctx.poll_interval).await;
                }
                Err(e) => return Err(ctx.api("PutKeyPolicy", e)),
            }
        }
    }

    async fn set_rotation(
        &self,
        ctx: &Ctx,
        id: &str,
        planned: &Value,
    ) -> Result<(), ProviderError> {
        let enabled = bool_of(planned, "enable_key_rotation").unwrap_or(false);
        let period = int_of(planned, "rotation_period_in_days").filter(|n| *n > 0);
        self.api
            .set_key_rotation(id, enabled, period)
            .await
            .map_err(|e| {
                ctx.api(
                    if enabled {
                        "EnableKeyRotation"
                    } else {
                        "DisableKeyRotation"
                    },
                    e,
                )
            })
    }

    async fn set_enabled(&self, ctx: &Ctx, id: &str, enabled: bool) -> Result<(), ProviderError> {
        self.api
            .set_key_enabled(id, enabled)
            .await
            .map_err(|e| ctx.api(if enabled { "EnableKey" } else { "DisableKey" }, e))
    }
}

fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out = m.clone();
    if let Some(Value::String(p)) = m.get("policy") {
        out.insert(
            "policy".into(),
            Value::String(canonical_policy(p).unwrap_or_else(|| p.clone())),
        );
    }
    Value::Map(out)
}

#[async_trait]
impl ResourceProvider for KeyResource {
    fn type_name(&self) -> &'static str {
        "aws_kms_key"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let d = diff(SPECS, prior, desired, &self.default_tags, &normalize);
        let enabled = bool_of(&d.planned, "is_enabled").unwrap_or(true);
        let rotation = bool_of(&d.planned, "enable_key_rotation").unwrap_or(false);
        let ops = match prior {
            None => {
                let mut ops = vec![ApiOp::call("CreateKey")];
                if rotation {
                    ops.push(ApiOp::with_fields(
                        "EnableKeyRotation",
                        ["enable_key_rotation".to_string()],
                    ));
                }
                if !enabled {
                    ops.push(ApiOp::with_fields("DisableKey", ["is_enabled".to_string()]));
                }
                ops
            }
            Some(_) if !d.replace.is_empty() => {
                vec![ApiOp::call("ScheduleKeyDeletion"), ApiOp::call("CreateKey")]
            }
            Some(p) => {
                let mut ops = Vec::new();
                if d.has("is_enabled") && enabled {
                    ops.push(ApiOp::with_fields("EnableKey", ["is_enabled".to_string()]));
                }
                let period_changed = d.has("rotation_period_in_days");
                if d.has("enable_key_rotation") || (rotation && period_changed) {
                    let fields = ["enable_key_rotation", "rotation_period_in_days"]
                        .into_iter()
                        .filter(|f| d.has(f))
                        .map(str::to_string);
                    ops.push(ApiOp::with_fields(
                        if rotation {
                            "EnableKeyRotation"
                        } else {
                            "DisableKeyRotation"
                        },
                        fields,
                    ));
                }
                if d.has("description") {
                    ops.push(ApiOp::with_fields(
                        "UpdateKeyDescription",
                        ["description".to_string()],
                    ));
                }
                if d.has("policy") {
                    ops.push(ApiOp::with_fields("PutKeyPolicy", ["policy".to_string()]));
                }
                if d.has("is_enabled") && !enabled {
                    ops.push(ApiOp::with_fields("DisableKey", ["is_enabled".to_string()]));
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
        let id = str_of(prior, "id")
            .or_else(|| str_of(prior, "key_id"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        match self.describe(ctx, id).await? {
            None => Ok(None),
            Some(m) => Ok(Some(self.to_value(ctx, &m, Some(prior)).await?)),
        }
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let new = NewKey {
            description: str_of(planned, "description").map(str::to_string),
            key_usage: str_of(planned, "key_usage").map(str::to_string),
            key_spec: str_of(planned, "customer_master_key_spec").map(str::to_string),
            policy: str_of(planned, "policy").map(str::to_string),
            bypass_policy_lockout_safety_check: bool_of(
                planned,
                "bypass_policy_lockout_safety_check",
            )
            .unwrap_or(false),
            multi_region: bool_of(planned, "multi_region"),
            custom_key_store_id: str_of(planned, "custom_key_store_id").map(str::to_string),
            xks_key_id: str_of(planned, "xks_key_id").map(str::to_string),
            tags: merge_tags(&self.default_tags, &string_map(planned, "tags")),
        };
        let m = self.create_key(ctx, &new).await?;
        let id = m.key_id.clone();
        let partial = Value::Map(obj([
            ("arn", Value::from(m.arn.as_str())),
            ("id", Value::from(id.as_str())),
            ("key_id", Value::from(id.as_str())),
        ]));
        let rest = async {
            if bool_of(planned, "enable_key_rotation") == Some(true) {
                self.set_rotation(ctx, &id, planned).await?;
            }
            if bool_of(planned, "is_enabled") == Some(false) {
                self.set_enabled(ctx, &id, false).await?;
            }
            self.read_back(ctx, &id, planned).await
        };
        rest.await.map_err(|e| e.with_partial(partial))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let id = str_of(prior, "id")
            .or_else(|| str_of(prior, "key_id"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?
            .to_string();
        let live = self
            .describe(ctx, &id)
            .await?
            .ok_or_else(|| ctx.invalid(format!("KMS key {id} no longer exists")))?;
        let want_enabled = bool_of(planned, "is_enabled").unwrap_or(true);
        // A disabled key cannot be changed: enable first, disable last.
        if want_enabled && !live.enabled {
            self.set_enabled(ctx, &id, true).await?;
        }
        if live.origin == "AWS_KMS" {
            let have = self
                .api
                .get_key_rotation(&id)
                .await
                .map_err(|e| ctx.api("GetKeyRotationStatus", e))?;
            let want = bool_of(planned, "enable_key_rotation").unwrap_or(false);
            let want_period = int_of(planned, "rotation_period_in_days").filter(|n| *n > 0);
            let period_differs = want
                && want_period.is_some()
                && have.period_in_days.is_some()
                && want_period != have.period_in_days;
            if have.enabled != want || period_differs {
                self.set_rotation(ctx, &id, planned).await?;
            }
        }
        if let Some(desc) = planned.get("description").and_then(Value::as_str) {
            if desc != live.description {
                self.api
                    .update_key_description(&id, desc)
                    .await
                    .map_err(|e| ctx.api("UpdateKeyDescription", e))?;
            }
        }
        if let Some(policy) = str_of(planned, "policy") {
            let have = self
                .api
                .get_key_policy(&id)
                .await
                .map_err(|e| ctx.api("GetKeyPolicy", e))?
                .unwrap_or_default();
            if !policies_equivalent(&have, policy) {
                let bypass =
                    bool_of(planned, "bypass_policy_lockout_safety_check").unwrap_or(false);
                self.put_policy(ctx, &id, policy, bypass).await?;
            }
        }
        if !want_enabled && live.enabled {
            self.set_enabled(ctx, &id, false).await?;
        }
        let have = self
            .api
            .list_tags(&id)
            .await
            .map_err(|e| ctx.api("ListResourceTags", e))?;
        let (set, remove) = tag_changes(
            &have,
            &merge_tags(&self.default_tags, &string_map(planned, "tags")),
        );
        if !set.is_empty() {
            self.api
                .tag_resource(&id, &set)
                .await
                .map_err(|e| ctx.api("TagResource", e))?;
        }
        if !remove.is_empty() {
            self.api
                .untag_resource(&id, &remove)
                .await
                .map_err(|e| ctx.api("UntagResource", e))?;
        }
        self.read_back(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = str_of(prior, "id")
            .or_else(|| str_of(prior, "key_id"))
            .ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.api
            .schedule_key_deletion(id, int_of(prior, "deletion_window_in_days"))
            .await
            .map_err(|e| ctx.api("ScheduleKeyDeletion", e))?;
        // Wait until KMS shows the key as pending deletion (or gone).
        let start = Instant::now();
        while self.describe(ctx, id).await?.is_some() {
            if start.elapsed() >= ctx.timeouts.delete {
                return Err(ctx.invalid(format!(
                    "KMS key {id} was still not pending deletion after {:?}",
                    ctx.timeouts.delete
                )));
            }
            tokio::time::sleep(ctx.poll_interval).await;
        }
        Ok(())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        match self.describe(ctx, id).await? {
            None => Ok(None),
            Some(m) => Ok(Some(self.to_value(ctx, &m, None).await?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::PathStep;

    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}"#;

    fn resource() -> KeyResource {
        KeyResource::new(Arc::new(super::super::unused::NoKms), BTreeMap::new())
    }

    fn prior() -> Value {
        Value::map([
            (
                "arn",
                Value::from("arn:aws:kms:us-east-1:123456789012:key/k-1"),
            ),
            ("bypass_policy_lockout_safety_check", Value::Bool(false)),
            ("custom_key_store_id", Value::Null),
            ("customer_master_key_spec", Value::from("SYMMETRIC_DEFAULT")),
            ("deletion_window_in_days", Value::Null),
            ("description", Value::from("")),
            ("enable_key_rotation", Value::Bool(false)),
            ("id", Value::from("k-1")),
            ("is_enabled", Value::Bool(true)),
            ("key_id", Value::from("k-1")),
            ("key_usage", Value::from("ENCRYPT_DECRYPT")),
            ("multi_region", Value::Bool(false)),
            ("policy", Value::from(POLICY)),
            ("rotation_period_in_days", Value::Null),
            ("tags", Value::Null),
            ("tags_all", Value::map::<&str>([])),
            ("timeouts", Value::Null),
            ("xks_key_id", Value::Null),
        ])
    }

    #[test]
    fn create_fills_defaults_and_leaves_aws_values_unknown() {
        let plan = resource().plan(
            None,
            &Value::map([
                ("enable_key_rotation", Value::Bool(true)),
                ("is_enabled", Value::Bool(false)),
            ]),
        );
        assert_eq!(
            plan.planned.get("key_usage"),
            Some(&Value::from("ENCRYPT_DECRYPT"))
        );
        assert_eq!(
            plan.planned.get("customer_master_key_spec"),
            Some(&Value::from("SYMMETRIC_DEFAULT"))
        );
        for k in ["policy", "description", "multi_region", "arn", "key_id"] {
            assert_eq!(plan.planned.get(k), Some(&Value::Unknown), "{k}");
        }
        assert_eq!(
            plan.api_ops,
            vec![
                ApiOp::call("CreateKey"),
                ApiOp::with_fields("EnableKeyRotation", ["enable_key_rotation".to_string()]),
                ApiOp::with_fields("DisableKey", ["is_enabled".to_string()]),
            ]
        );
    }

    #[test]
    fn an_unset_policy_keeps_the_one_aws_made_and_equivalent_text_is_no_change() {
        let r = resource();
        let p = prior();
        assert!(r
            .plan(Some(&p), &Value::map::<&str>([]))
            .changed_paths
            .is_empty());
        let reformatted = r#"{
            "Statement": {"Resource": "*", "Action": ["kms:*"], "Effect": "Allow",
                          "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]}, "Sid": "Root"},
            "Version": "2012-10-17"
        }"#;
        let plan = r.plan(
            Some(&p),
            &Value::map([("policy", Value::from(reformatted))]),
        );
        assert!(plan.changed_paths.is_empty(), "{:?}", plan.changed_paths);
        let other = POLICY.replace("kms:*", "kms:Decrypt");
        let plan = r.plan(Some(&p), &Value::map([("policy", Value::from(other))]));
        assert_eq!(
            plan.api_ops,
            vec![ApiOp::with_fields("PutKeyPolicy", ["policy".to_string()])]
        );
    }

    #[test]
    fn enabling_comes_first_and_disabling_last() {
        let r = resource();
        let mut disabled = prior();
        if let Value::Map(m) = &mut disabled {
            m.insert("is_enabled".into(), Value::Bool(false));
        }
        let plan = r.plan(
            Some(&disabled),
            &Value::map([
                ("description", Value::from("jobs")),
                ("enable_key_rotation", Value::Bool(true)),
                ("rotation_period_in_days", Value::from(180i64)),
            ]),
        );
        assert_eq!(
            plan.api_ops,
            vec![
                ApiOp::with_fields("EnableKey", ["is_enabled".to_string()]),
                ApiOp::with_fields(
                    "EnableKeyRotation",
                    [
                        "enable_key_rotation".to_string(),
                        "rotation_period_in_days".to_string()
                    ]
                ),
                ApiOp::with_fields("UpdateKeyDescription", ["description".to_string()]),
            ]
        );
        let plan = r.plan(
            Some(&prior()),
            &Value::map([
                ("description", Value::from("jobs")),
                ("is_enabled", Value::Bool(false)),
            ]),
        );
        assert_eq!(
            plan.api_ops,
            vec![
                ApiOp::with_fields("UpdateKeyDescription", ["description".to_string()]),
                ApiOp::with_fields("DisableKey", ["is_enabled".to_string()]),
            ]
        );
    }

    #[test]
    fn usage_and_spec_force_replacement() {
        let plan = resource().plan(
            Some(&prior()),
            &Value::map([
                ("key_usage", Value::from("SIGN_VERIFY")),
                ("customer_master_key_spec", Value::from("RSA_2048")),
            ]),
        );
        assert_eq!(
            plan.requires_replace,
            vec![
                vec![PathStep::Attr("customer_master_key_spec".into())],
                vec![PathStep::Attr("key_usage".into())],
            ]
        );
        assert_eq!(plan.planned.get("key_id"), Some(&Value::Unknown));
        assert_eq!(
            plan.api_ops,
            vec![ApiOp::call("ScheduleKeyDeletion"), ApiOp::call("CreateKey")]
        );
    }
}
