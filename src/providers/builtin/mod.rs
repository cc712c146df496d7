//! Built-in types that call no AWS API, as Terraform users know them from the `terraform`,
//! `null`, `time` and `random` providers: `terraform_data`, `null_resource`, `time_sleep`,
//! `random_id`, `random_string`, `random_uuid`. Their objects live only in state: reading one
//! returns it unchanged, deleting one forgets it (after `destroy_duration` for `time_sleep`).
//! Random values come from the operating system's generator.
//!
//! Provisioners (`local-exec` on `null_resource` and `terraform_data`) are not run here: the
//! engine runs them after a create, when the user allows it.

pub mod random;

use super::attrs::*;
use super::error::ProviderError;
use super::planning::{diff, AttrSpec};
use super::registry::Registry;
use super::{Ctx, PlannedChange, ResourceProvider};
use crate::config::value::Value;
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// Registers the built-in types.
pub fn register(r: &mut Registry) {
    r.add_resource(Arc::new(TerraformData));
    r.add_resource(Arc::new(NullResource));
    r.add_resource(Arc::new(TimeSleep));
    r.add_resource(Arc::new(random::RandomId));
    r.add_resource(Arc::new(random::RandomString));
    r.add_resource(Arc::new(random::RandomUuid));
}

/// Plans a built-in type from its attribute table (no default tags, no normalisation).
pub(crate) fn plan_specs(
    specs: &[AttrSpec],
    prior: Option<&Value>,
    desired: &Value,
) -> PlannedChange {
    let d = diff(specs, prior, desired, &BTreeMap::new(), &|v| v.clone());
    PlannedChange {
        changed_paths: d.changed_paths(),
        requires_replace: d.replace_paths(),
        planned: d.planned,
        api_ops: Vec::new(),
    }
}

/// Sets `key` of an object.
pub(crate) fn with(mut v: Value, key: &str, val: Value) -> Value {
    if let Value::Map(m) = &mut v {
        m.insert(key.to_string(), val);
    }
    v
}

/// A type whose objects live only in state. Implementing this gives the
/// [`ResourceProvider`]: reading returns the object as recorded, an update keeps its id, an
/// interrupted create made nothing.
#[async_trait]
pub trait LocalType: Send + Sync {
    /// The Terraform type name.
    fn name(&self) -> &'static str;
    /// The attribute table.
    fn specs(&self) -> &'static [AttrSpec];
    /// Adjusts the generic plan (e.g. derived attributes).
    fn adjust(&self, pc: PlannedChange) -> PlannedChange {
        pc
    }
    /// Makes the object for `planned` (draws values, waits).
    async fn make(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError>;
    /// The object after an in-place update: the planned one with the prior id.
    fn updated(&self, prior: &Value, planned: &Value) -> Value {
        with(
            planned.clone(),
            "id",
            prior.get("id").cloned().unwrap_or(Value::Null),
        )
    }
    /// Forgets the object (waits, for `time_sleep`).
    async fn forget(&self, _ctx: &Ctx, _prior: &Value) -> Result<(), ProviderError> {
        Ok(())
    }
    /// The object an import id describes.
    fn import_id(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError>;
}

#[async_trait]
impl<T: LocalType> ResourceProvider for T {
    fn type_name(&self) -> &'static str {
        self.name()
    }

    fn normalize(&self, v: &Value) -> Value {
        v.clone()
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        self.adjust(plan_specs(self.specs(), prior, desired))
    }

    async fn read(&self, _ctx: &Ctx, prior: &Value) -> Result<Option<Value>, ProviderError> {
        Ok(Some(prior.clone()))
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.make(ctx, planned).await
    }

    async fn update(
        &self,
        _ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        Ok(self.updated(prior, planned))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        self.forget(ctx, prior).await
    }

    async fn find_created(
        &self,
        _ctx: &Ctx,
        _planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        // An interrupted create made nothing anywhere.
        Ok(Some(Vec::new()))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        self.import_id(ctx, id).map(Some)
    }
}

/// `terraform_data`: `input` is copied to `output`; `triggers_replace` forces replacement;
/// id = a random UUID.
pub struct TerraformData;

const TERRAFORM_DATA: &[AttrSpec] = &[
    AttrSpec::computed("id"),
    AttrSpec::config("input"),
    AttrSpec::computed("output"),
    AttrSpec::config("triggers_replace").force_new(),
];

#[async_trait]
impl LocalType for TerraformData {
    fn name(&self) -> &'static str {
        "terraform_data"
    }

    fn specs(&self) -> &'static [AttrSpec] {
        TERRAFORM_DATA
    }

    fn adjust(&self, mut pc: PlannedChange) -> PlannedChange {
        // `output` follows `input`, known as soon as the input is.
        let input = pc.planned.get("input").cloned().unwrap_or(Value::Null);
        pc.planned = with(pc.planned, "output", input);
        pc
    }

    async fn make(&self, _ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let id = uuid::Uuid::new_v4().to_string();
        Ok(self.updated(&Value::map([("id", Value::from(id))]), planned))
    }

    fn updated(&self, prior: &Value, planned: &Value) -> Value {
        let id = prior.get("id").cloned().unwrap_or(Value::Null);
        let input = planned.get("input").cloned().unwrap_or(Value::Null);
        with(with(planned.clone(), "id", id), "output", input)
    }

    fn import_id(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        // Terraform imports a terraform_data by any id, with null input.
        if id.is_empty() {
            return Err(ctx.invalid("the import id of terraform_data must not be empty"));
        }
        Ok(Value::Map(obj([
            ("id", Value::from(id)),
            ("input", Value::Null),
            ("output", Value::Null),
            ("triggers_replace", Value::Null),
        ])))
    }
}

/// `null_resource`: nothing but `triggers`, which force replacement; id = a random number.
pub struct NullResource;

const NULL_RESOURCE: &[AttrSpec] = &[
    AttrSpec::computed("id"),
    AttrSpec::config("triggers").force_new(),
];

#[async_trait]
impl LocalType for NullResource {
    fn name(&self) -> &'static str {
        "null_resource"
    }

    fn specs(&self) -> &'static [AttrSpec] {
        NULL_RESOURCE
    }

    async fn make(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let mut b = [0u8; 8];
        random::fill(ctx, &mut b)?;
        // A non-negative 63-bit number, as the null provider makes.
        let n = u64::from_be_bytes(b) >> 1;
        Ok(with(planned.clone(), "id", Value::from(n.to_string())))
    }

    fn import_id(&self, ctx: &Ctx, _id: &str) -> Result<Value, ProviderError> {
        Err(ctx.invalid("null_resource cannot be imported; it is created by apply"))
    }
}

/// `time_sleep`: waits `create_duration` after creating and `destroy_duration` before
/// forgetting; changing a duration is an in-place update that waits for nothing; `triggers`
/// force replacement. id = the creation time (RFC 3339, UTC).
pub struct TimeSleep;

const TIME_SLEEP: &[AttrSpec] = &[
    AttrSpec::config("create_duration"),
    AttrSpec::config("destroy_duration"),
    AttrSpec::computed("id"),
    AttrSpec::config("triggers").force_new(),
];

/// Parses a Go duration (`30s`, `1m30s`, `1.5h`, `250ms`).
pub fn parse_go_duration(s: &str) -> Option<Duration> {
    let mut rest = s.trim();
    if rest.is_empty() {
        return None;
    }
    if rest == "0" {
        return Some(Duration::ZERO);
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let n: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let (unit, secs) = [
            ("ns", 1e-9),
            ("us", 1e-6),
            ("µs", 1e-6),
            ("ms", 1e-3),
            ("s", 1.0),
            ("m", 60.0),
            ("h", 3600.0),
        ]
        .into_iter()
        .filter(|(u, _)| rest.starts_with(u))
        .max_by_key(|(u, _)| u.len())?;
        rest = &rest[unit.len()..];
        total += n * secs;
    }
    Some(Duration::from_secs_f64(total))
}

impl TimeSleep {
    fn wait_for(ctx: &Ctx, v: &Value, key: &str) -> Result<Duration, ProviderError> {
        match str_of(v, key) {
            None => Ok(Duration::ZERO),
            Some(s) => parse_go_duration(s)
                .ok_or_else(|| ctx.invalid(format!("{key} {s:?} is not a duration such as 30s"))),
        }
    }
}

#[async_trait]
impl LocalType for TimeSleep {
    fn name(&self) -> &'static str {
        "time_sleep"
    }

    fn specs(&self) -> &'static [AttrSpec] {
        TIME_SLEEP
    }

    async fn make(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let wait = Self::wait_for(ctx, planned, "create_duration")?;
        tokio::time::sleep(wait).await;
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        Ok(with(planned.clone(), "id", Value::from(now)))
    }

    async fn forget(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let wait = Self::wait_for(ctx, prior, "destroy_duration")?;
        tokio::time::sleep(wait).await;
        Ok(())
    }

    fn import_id(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        // `create_duration,destroy_duration`, either may be empty.
        let Some((c, d)) = id.split_once(',') else {
            return Err(ctx.invalid(format!(
                "import id {id:?}: expected CREATE_DURATION,DESTROY_DURATION (either may be empty)"
            )));
        };
        for part in [c, d] {
            if !part.is_empty() && parse_go_duration(part).is_none() {
                return Err(ctx.invalid(format!("import id {id:?}: {part:?} is not a duration")));
            }
        }
        let opt = |s: &str| {
            if s.is_empty() {
                Value::Null
            } else {
                Value::from(s)
            }
        };
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        Ok(Value::Map(obj([
            ("create_duration", opt(c)),
            ("destroy_duration", opt(d)),
            ("id", Value::from(now)),
            ("triggers", Value::Null),
        ])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse_go_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_go_duration("1.5h"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_go_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_go_duration("0"), Some(Duration::ZERO));
        assert_eq!(parse_go_duration("10"), None);
        assert_eq!(parse_go_duration("5x"), None);
        assert_eq!(parse_go_duration(""), None);
    }

    #[test]
    fn terraform_data_output_follows_input_and_triggers_replace() {
        let p = TerraformData;
        let v1 = Value::map([("input", Value::from("a"))]);
        let created = p.plan(None, &v1).planned;
        assert_eq!(created.get("output"), Some(&Value::from("a")));
        assert_eq!(created.get("id"), Some(&Value::Unknown));
        let prior = with(created, "id", Value::from("x"));
        let same = p.plan(Some(&prior), &v1);
        assert!(same.changed_paths.is_empty());
        let changed = p.plan(Some(&prior), &Value::map([("input", Value::from("b"))]));
        assert_eq!(changed.changed_paths.len(), 1);
        assert!(changed.requires_replace.is_empty());
        assert_eq!(changed.planned.get("output"), Some(&Value::from("b")));
        assert_eq!(changed.planned.get("id"), Some(&Value::from("x")));
        let replaced = p.plan(
            Some(&prior),
            &Value::map([
                ("input", Value::from("a")),
                ("triggers_replace", Value::from("v2")),
            ]),
        );
        assert_eq!(replaced.requires_replace.len(), 1);
        assert_eq!(replaced.planned.get("id"), Some(&Value::Unknown));
    }

    #[tokio::test]
    async fn null_resource_ids_are_numbers_and_triggers_replace() {
        let p = NullResource;
        let ctx = Ctx::new("null_resource.x");
        let want = Value::map([("triggers", Value::map([("v", Value::from("1"))]))]);
        let made = p
            .create(&ctx, &p.plan(None, &want).planned)
            .await
            .expect("create");
        let id = str_of(&made, "id").expect("id").to_string();
        assert!(id.parse::<u64>().is_ok(), "{id}");
        assert!(p.plan(Some(&made), &want).changed_paths.is_empty());
        let other = Value::map([("triggers", Value::map([("v", Value::from("2"))]))]);
        assert_eq!(p.plan(Some(&made), &other).requires_replace.len(), 1);
        assert!(p.import(&ctx, "1").await.is_err());
    }

    #[tokio::test]
    async fn time_sleep_waits_and_imports() {
        let p = TimeSleep;
        let ctx = Ctx::new("time_sleep.wait");
        let want = Value::map([("create_duration", Value::from("200ms"))]);
        let start = std::time::Instant::now();
        let made = p
            .create(&ctx, &p.plan(None, &want).planned)
            .await
            .expect("create");
        assert!(start.elapsed() >= Duration::from_millis(200));
        assert!(str_of(&made, "id").is_some_and(|s| s.ends_with('Z')));
        let longer = Value::map([("create_duration", Value::from("1s"))]);
        let pc = p.plan(Some(&made), &longer);
        assert_eq!(pc.changed_paths.len(), 1);
        assert!(pc.requires_replace.is_empty());
        let imported = p.import(&ctx, "30s,").await.expect("import").expect("some");
        assert_eq!(imported.get("create_duration"), Some(&Value::from("30s")));
        assert_eq!(imported.get("destroy_duration"), Some(&Value::Null));
        assert!(p.import(&ctx, "30s").await.is_err());
        assert!(p.import(&ctx, "soon,").await.is_err());
    }
}
