//! `aws_emrserverless_application`: plan, read, create, update, delete and import.
//!
//! Lifecycle as EMR Serverless requires: create waits CREATING → CREATED (or a started state
//! when auto-start kicks in); an update sends only the changed fields and only while CREATED or
//! STOPPED — a STARTED application is stopped first (refused while job runs are active unless
//! the context allows it), updated, then started again, and the plan shows those steps; tags
//! change through TagResource/UntagResource in any state; delete is stop → delete → wait
//! TERMINATED; a TERMINATED application reads as gone.

use super::api::*;
use crate::config::value::{Map, Value};
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::normalize::tags::tag_changes;
use crate::providers::normalize::{
    engine_type_for_api, engine_type_for_state, merge_tags, normalize_cpu, normalize_memory,
    tags_from_live,
};
use crate::providers::planning::{diff, same, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The Terraform type name.
pub const TYPE_NAME: &str = "aws_emrserverless_application";

fn x86() -> Value {
    Value::from("X86_64")
}

/// The attributes of the type (AWS provider 5.x plus the v6 blocks).
pub const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("id"),
    AttrSpec::computed("arn"),
    AttrSpec::config("name").force_new(),
    AttrSpec::config("type").force_new(),
    AttrSpec::config("release_label"),
    AttrSpec::config("architecture").default(x86),
    AttrSpec::optional_computed("auto_start_configuration").block(),
    AttrSpec::optional_computed("auto_stop_configuration").block(),
    AttrSpec::optional_computed("image_configuration").block(),
    AttrSpec::config("initial_capacity").block(),
    AttrSpec::optional_computed("interactive_configuration").block(),
    AttrSpec::optional_computed("maximum_capacity").block(),
    AttrSpec::optional_computed("monitoring_configuration").block(),
    AttrSpec::config("network_configuration").block(),
    AttrSpec::config("runtime_configuration").block(),
    AttrSpec::config("scheduler_configuration").block(),
    AttrSpec::config("job_level_cost_allocation_configuration").block(),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
];

/// Attribute name → the API field an update sends for it.
const UPDATE_FIELDS: &[&str] = &[
    "release_label",
    "architecture",
    "auto_start_configuration",
    "auto_stop_configuration",
    "image_configuration",
    "initial_capacity",
    "interactive_configuration",
    "maximum_capacity",
    "monitoring_configuration",
    "network_configuration",
    "runtime_configuration",
    "scheduler_configuration",
    "job_level_cost_allocation_configuration",
];

/// The application resource over any [`EmrServerlessApi`].
pub struct ApplicationResource {
    api: Arc<dyn EmrServerlessApi>,
    default_tags: BTreeMap<String, String>,
    /// Live state of each application seen by the last read/create/update, so that the pure
    /// `plan` can show the stop → update → start steps a STARTED application needs.
    live_states: Mutex<HashMap<String, AppState>>,
}

impl ApplicationResource {
    /// A provider over `api` with the provider's `default_tags`.
    pub fn new(
        api: Arc<dyn EmrServerlessApi>,
        default_tags: BTreeMap<String, String>,
    ) -> ApplicationResource {
        ApplicationResource {
            api,
            default_tags,
            live_states: Mutex::new(HashMap::new()),
        }
    }

    fn remember(&self, app: &Application) {
        if let (Some(s), Ok(mut m)) = (app.state, self.live_states.lock()) {
            m.insert(app.id.clone(), s);
        }
    }

    fn live_state(&self, id: &str) -> Option<AppState> {
        self.live_states
            .lock()
            .ok()
            .and_then(|m| m.get(id).copied())
    }

    async fn get(&self, ctx: &Ctx, id: &str) -> Result<Option<Application>, ProviderError> {
        let app = self
            .api
            .get_application(id)
            .await
            .map_err(|e| ctx.api("GetApplication", e))?;
        if let Some(a) = &app {
            self.remember(a);
        }
        Ok(app)
    }

    /// Polls until the application reaches one of `targets` (or is gone, when `gone_ok`).
    async fn wait_for(
        &self,
        ctx: &Ctx,
        id: &str,
        targets: &[AppState],
        gone_ok: bool,
        timeout: std::time::Duration,
    ) -> Result<Option<Application>, ProviderError> {
        let start = Instant::now();
        let what = targets
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" or ");
        loop {
            let app = self.get(ctx, id).await?;
            match &app {
                None if gone_ok => return Ok(None),
                None => {
                    return Err(ProviderError::UnexpectedState {
                        address: ctx.address.clone(),
                        message: format!("application {id} disappeared while waiting for {what}"),
                        partial: None,
                    })
                }
                Some(a) if a.state.map(|s| targets.contains(&s)).unwrap_or(false) => {
                    return Ok(app)
                }
                Some(a) if a.state == Some(AppState::Terminated) => {
                    return Err(ProviderError::UnexpectedState {
                        address: ctx.address.clone(),
                        message: format!(
                            "application {id} is TERMINATED while waiting for {what}{}",
                            a.state_details
                                .as_deref()
                                .filter(|d| !d.is_empty())
                                .map(|d| format!(": {d}"))
                                .unwrap_or_default()
                        ),
                        partial: None,
                    })
                }
                Some(_) => {}
            }
            if start.elapsed() >= timeout {
                return Err(ProviderError::Timeout {
                    address: ctx.address.clone(),
                    waiting_for: format!("application {id} state {what}"),
                    seconds: timeout.as_secs(),
                    partial: None,
                });
            }
            tokio::time::sleep(ctx.poll_interval).await;
        }
    }

    /// Stops a started application (after checking for active job runs) and waits for STOPPED.
    async fn stop(&self, ctx: &Ctx, id: &str) -> Result<(), ProviderError> {
        if !ctx.allow_stop_with_active_jobs {
            let n = self
                .api
                .count_active_job_runs(id)
                .await
                .map_err(|e| ctx.api("ListJobRuns", e))?;
            if n > 0 {
                return Err(ProviderError::Refused {
                    address: ctx.address.clone(),
                    message: format!(
                        "application {id} has {n} active job run(s); stopping it would cancel them. \
                         Wait for them to finish, or allow stopping with active jobs"
                    ),
                });
            }
        }
        self.api
            .stop_application(id)
            .await
            .map_err(|e| ctx.api("StopApplication", e))?;
        self.wait_for(ctx, id, &[AppState::Stopped], false, ctx.timeouts.update)
            .await?;
        Ok(())
    }

    /// Brings the application to CREATED or STOPPED; returns true when it had to stop it.
    async fn make_updatable(&self, ctx: &Ctx, app: &Application) -> Result<bool, ProviderError> {
        let id = app.id.as_str();
        match app.state.unwrap_or(AppState::Created) {
            AppState::Created | AppState::Stopped => Ok(false),
            AppState::Creating => {
                self.wait_for(
                    ctx,
                    id,
                    &[AppState::Created, AppState::Started, AppState::Stopped],
                    false,
                    ctx.timeouts.update,
                )
                .await
                .map(|_| ())?;
                let app = self.get(ctx, id).await?.ok_or_else(|| gone(ctx, id))?;
                if matches!(app.state, Some(AppState::Started)) {
                    self.stop(ctx, id).await?;
                    return Ok(true);
                }
                Ok(false)
            }
            AppState::Stopping => {
                self.wait_for(ctx, id, &[AppState::Stopped], false, ctx.timeouts.update)
                    .await?;
                Ok(false)
            }
            AppState::Starting | AppState::Started => {
                self.wait_for(
                    ctx,
                    id,
                    &[AppState::Started, AppState::Stopped],
                    false,
                    ctx.timeouts.update,
                )
                .await?;
                self.stop(ctx, id).await?;
                Ok(true)
            }
            AppState::Terminated => Err(gone(ctx, id)),
        }
    }

    fn to_value(&self, app: &Application, prior: Option<&Value>) -> Value {
        let prior_tags = prior.map(|p| string_map(p, "tags")).unwrap_or_default();
        let tags = tags_from_live(&app.tags, &self.default_tags, &prior_tags);
        let mut v = app_to_value(app);
        if let Value::Map(m) = &mut v {
            let prior_tags_null = prior
                .map(|p| p.get("tags").map(Value::is_null).unwrap_or(true))
                .unwrap_or(true);
            m.insert(
                "tags".into(),
                if tags.is_empty() && prior_tags_null {
                    Value::Null
                } else {
                    string_map_value(&tags)
                },
            );
            m.insert("tags_all".into(), string_map_value(&app.tags));
        }
        if let Some(p) = prior {
            keep_prior_spelling(&mut v, p);
        }
        v
    }
}

fn gone(ctx: &Ctx, id: &str) -> ProviderError {
    ProviderError::UnexpectedState {
        address: ctx.address.clone(),
        message: format!("application {id} no longer exists"),
        partial: None,
    }
}

fn resources_of(b: &Value) -> Resources {
    Resources {
        cpu: str_of(b, "cpu").unwrap_or_default().to_string(),
        memory: str_of(b, "memory").unwrap_or_default().to_string(),
        disk: str_of(b, "disk").map(str::to_string),
    }
}

fn resources_value(r: &Resources) -> Map {
    obj([
        ("cpu", Value::from(r.cpu.as_str())),
        ("memory", Value::from(r.memory.as_str())),
        ("disk", opt_str(r.disk.clone())),
    ])
}

/// The API fields an object's attributes describe.
pub fn config_from_value(v: &Value) -> AppConfig {
    let initial: BTreeMap<String, InitialCapacity> = items(v, "initial_capacity")
        .iter()
        .filter_map(|ic| {
            let t = str_of(ic, "initial_capacity_type")?.to_string();
            let cfg = block(ic, "initial_capacity_config");
            Some((
                t,
                InitialCapacity {
                    worker_count: cfg.and_then(|c| int_of(c, "worker_count")).unwrap_or(0),
                    worker: cfg
                        .and_then(|c| block(c, "worker_configuration"))
                        .map(resources_of),
                },
            ))
        })
        .collect();
    AppConfig {
        release_label: str_of(v, "release_label").map(str::to_string),
        architecture: str_of(v, "architecture").map(str::to_ascii_uppercase),
        initial_capacity: if initial.is_empty() {
            None
        } else {
            Some(initial)
        },
        maximum_capacity: block(v, "maximum_capacity").map(resources_of),
        auto_start: block(v, "auto_start_configuration")
            .map(|b| bool_of(b, "enabled").unwrap_or(true)),
        auto_stop: block(v, "auto_stop_configuration").map(|b| {
            (
                bool_of(b, "enabled").unwrap_or(true),
                int_of(b, "idle_timeout_minutes").map(|n| n as i32),
            )
        }),
        network: block(v, "network_configuration").map(|b| Network {
            subnet_ids: strings(b, "subnet_ids"),
            security_group_ids: strings(b, "security_group_ids"),
        }),
        image_uri: block(v, "image_configuration")
            .and_then(|b| str_of(b, "image_uri"))
            .map(str::to_string),
        runtime_configuration: {
            let r: Vec<Classification> = items(v, "runtime_configuration")
                .iter()
                .filter_map(|c| {
                    Some(Classification {
                        classification: str_of(c, "classification")?.to_string(),
                        properties: string_map(c, "properties"),
                    })
                })
                .collect();
            if r.is_empty() {
                None
            } else {
                Some(r)
            }
        },
        monitoring: block(v, "monitoring_configuration").map(|m| Monitoring {
            s3: block(m, "s3_monitoring_configuration").map(|b| {
                (
                    str_of(b, "log_uri").map(str::to_string),
                    str_of(b, "encryption_key_arn").map(str::to_string),
                )
            }),
            managed_persistence: block(m, "managed_persistence_monitoring_configuration").map(
                |b| {
                    (
                        bool_of(b, "enabled"),
                        str_of(b, "encryption_key_arn").map(str::to_string),
                    )
                },
            ),
            cloudwatch: block(m, "cloudwatch_logging_configuration").map(|b| CloudWatchLogging {
                enabled: bool_of(b, "enabled").unwrap_or(false),
                log_group_name: str_of(b, "log_group_name").map(str::to_string),
                log_stream_name_prefix: str_of(b, "log_stream_name_prefix").map(str::to_string),
                encryption_key_arn: str_of(b, "encryption_key_arn").map(str::to_string),
                log_types: items(b, "log_types")
                    .iter()
                    .filter_map(|lt| Some((str_of(lt, "name")?.to_string(), strings(lt, "values"))))
                    .collect(),
            }),
            prometheus: block(m, "prometheus_monitoring_configuration")
                .map(|b| str_of(b, "remote_write_url").map(str::to_string)),
        }),
        interactive: block(v, "interactive_configuration").map(|b| {
            (
                bool_of(b, "livy_endpoint_enabled"),
                bool_of(b, "studio_enabled"),
            )
        }),
        scheduler: block(v, "scheduler_configuration").map(|b| {
            (
                int_of(b, "max_concurrent_runs").map(|n| n as i32),
                int_of(b, "queue_timeout_minutes").map(|n| n as i32),
            )
        }),
        job_level_cost_allocation: block(v, "job_level_cost_allocation_configuration")
            .map(|b| bool_of(b, "enabled").unwrap_or(false)),
    }
}

/// The object for an application as read (tags and tags_all are both all live tags; the
/// resource splits them against default_tags).
pub fn app_to_value(app: &Application) -> Value {
    let c = &app.config;
    let initial = c
        .initial_capacity
        .as_ref()
        .map(|m| {
            Value::set(
                m.iter()
                    .map(|(k, ic)| {
                        Value::Map(obj([
                            ("initial_capacity_type", Value::from(k.as_str())),
                            (
                                "initial_capacity_config",
                                block_value(Some(obj([
                                    ("worker_count", Value::from(ic.worker_count)),
                                    (
                                        "worker_configuration",
                                        block_value(ic.worker.as_ref().map(resources_value)),
                                    ),
                                ]))),
                            ),
                        ]))
                    })
                    .collect(),
            )
        })
        .unwrap_or(Value::Set(vec![]));
    let monitoring = c.monitoring.as_ref().map(|m| {
        obj([
            (
                "s3_monitoring_configuration",
                block_value(m.s3.as_ref().map(|(uri, key)| {
                    obj([
                        ("log_uri", opt_str(uri.clone())),
                        ("encryption_key_arn", opt_str(key.clone())),
                    ])
                })),
            ),
            (
                "managed_persistence_monitoring_configuration",
                block_value(m.managed_persistence.as_ref().map(|(en, key)| {
                    obj([
                        ("enabled", opt_bool(*en)),
                        ("encryption_key_arn", opt_str(key.clone())),
                    ])
                })),
            ),
            (
                "cloudwatch_logging_configuration",
                block_value(m.cloudwatch.as_ref().map(|cw| {
                    obj([
                        ("enabled", Value::Bool(cw.enabled)),
                        ("log_group_name", opt_str(cw.log_group_name.clone())),
                        (
                            "log_stream_name_prefix",
                            opt_str(cw.log_stream_name_prefix.clone()),
                        ),
                        ("encryption_key_arn", opt_str(cw.encryption_key_arn.clone())),
                        (
                            "log_types",
                            Value::set(
                                cw.log_types
                                    .iter()
                                    .map(|(n, vs)| {
                                        Value::Map(obj([
                                            ("name", Value::from(n.as_str())),
                                            ("values", string_set(vs.iter().cloned())),
                                        ]))
                                    })
                                    .collect(),
                            ),
                        ),
                    ])
                })),
            ),
            (
                "prometheus_monitoring_configuration",
                block_value(
                    m.prometheus
                        .as_ref()
                        .map(|url| obj([("remote_write_url", opt_str(url.clone()))])),
                ),
            ),
        ])
    });
    Value::Map(obj([
        ("id", Value::from(app.id.as_str())),
        ("arn", Value::from(app.arn.as_str())),
        ("name", Value::from(app.name.as_str())),
        ("type", Value::from(engine_type_for_state(&app.engine_type))),
        ("release_label", opt_str(c.release_label.clone())),
        (
            "architecture",
            Value::from(c.architecture.clone().unwrap_or_else(|| "X86_64".into())),
        ),
        (
            "auto_start_configuration",
            block_value(c.auto_start.map(|e| obj([("enabled", Value::Bool(e))]))),
        ),
        (
            "auto_stop_configuration",
            block_value(c.auto_stop.map(|(e, idle)| {
                obj([
                    ("enabled", Value::Bool(e)),
                    ("idle_timeout_minutes", opt_int(idle.map(i64::from))),
                ])
            })),
        ),
        (
            "image_configuration",
            block_value(
                c.image_uri
                    .as_ref()
                    .map(|u| obj([("image_uri", Value::from(u.as_str()))])),
            ),
        ),
        ("initial_capacity", initial),
        (
            "interactive_configuration",
            block_value(c.interactive.map(|(livy, studio)| {
                obj([
                    ("livy_endpoint_enabled", opt_bool(livy)),
                    ("studio_enabled", opt_bool(studio)),
                ])
            })),
        ),
        (
            "maximum_capacity",
            block_value(c.maximum_capacity.as_ref().map(resources_value)),
        ),
        ("monitoring_configuration", block_value(monitoring)),
        (
            "network_configuration",
            block_value(c.network.as_ref().map(|n| {
                obj([
                    (
                        "security_group_ids",
                        string_set(n.security_group_ids.iter().cloned()),
                    ),
                    ("subnet_ids", string_set(n.subnet_ids.iter().cloned())),
                ])
            })),
        ),
        (
            "runtime_configuration",
            Value::List(
                c.runtime_configuration
                    .iter()
                    .flatten()
                    .map(|cl| {
                        Value::Map(obj([
                            ("classification", Value::from(cl.classification.as_str())),
                            (
                                "properties",
                                if cl.properties.is_empty() {
                                    Value::Null
                                } else {
                                    string_map_value(&cl.properties)
                                },
                            ),
                        ]))
                    })
                    .collect(),
            ),
        ),
        (
            "scheduler_configuration",
            block_value(c.scheduler.map(|(runs, queue)| {
                obj([
                    ("max_concurrent_runs", opt_int(runs.map(i64::from))),
                    ("queue_timeout_minutes", opt_int(queue.map(i64::from))),
                ])
            })),
        ),
        (
            "job_level_cost_allocation_configuration",
            block_value(
                c.job_level_cost_allocation
                    .map(|e| obj([("enabled", Value::Bool(e))])),
            ),
        ),
        ("tags", string_map_value(&app.tags)),
        ("tags_all", string_map_value(&app.tags)),
    ]))
}

/// Canonical form for comparison.
pub fn normalize_application(v: &Value) -> Value {
    fn walk(key: &str, v: &Value) -> Value {
        match v {
            Value::String(s) => match key {
                "cpu" => Value::String(normalize_cpu(s)),
                "memory" | "disk" => Value::String(normalize_memory(s)),
                "type" => Value::String(engine_type_for_state(s)),
                "architecture" | "initial_capacity_type" => {
                    Value::String(s.trim().to_ascii_uppercase())
                }
                _ => Value::String(s.trim().to_string()),
            },
            Value::Number(n) if key == "properties" => {
                Value::String(crate::config::value::format_number(*n))
            }
            Value::Map(m) => Value::Map(m.iter().map(|(k, x)| (k.clone(), walk(k, x))).collect()),
            Value::List(items) | Value::Set(items) => {
                let items: Vec<Value> = items.iter().map(|x| walk(key, x)).collect();
                match key {
                    "runtime_configuration" => Value::List(items),
                    "initial_capacity" | "subnet_ids" | "security_group_ids" | "log_types"
                    | "values" => Value::set(items),
                    _ => Value::List(items),
                }
            }
            Value::Null => match key {
                "architecture" => Value::from("X86_64"),
                "tags" | "tags_all" => Value::Map(Map::new()),
                _ => Value::Null,
            },
            other => other.clone(),
        }
    }
    match v {
        Value::Map(m) => Value::Map(m.iter().map(|(k, x)| (k.clone(), walk(k, x))).collect()),
        other => other.clone(),
    }
}

/// Keeps the prior text of capacity strings and engine type when only their spelling differs.
fn keep_prior_spelling(live: &mut Value, prior: &Value) {
    fn walk(key: &str, live: &mut Value, prior: &Value) {
        match (live, prior) {
            (Value::String(l), Value::String(p)) => {
                let eq = match key {
                    "cpu" => normalize_cpu(l) == normalize_cpu(p),
                    "memory" | "disk" => normalize_memory(l) == normalize_memory(p),
                    "type" | "architecture" => l.eq_ignore_ascii_case(p),
                    _ => false,
                };
                if eq {
                    *l = p.clone();
                }
            }
            (Value::Map(l), Value::Map(p)) => {
                for (k, lv) in l.iter_mut() {
                    if let Some(pv) = p.get(k) {
                        walk(k, lv, pv);
                    }
                }
            }
            (Value::List(l), Value::List(p))
            | (Value::Set(l), Value::Set(p))
            | (Value::Set(l), Value::List(p)) => {
                if key == "initial_capacity" {
                    for lv in l.iter_mut() {
                        let t = lv.get("initial_capacity_type").cloned();
                        if let Some(pv) = p
                            .iter()
                            .find(|pv| pv.get("initial_capacity_type") == t.as_ref())
                        {
                            walk(key, lv, pv);
                        }
                    }
                } else if l.len() == p.len() {
                    for (lv, pv) in l.iter_mut().zip(p) {
                        walk(key, lv, pv);
                    }
                }
            }
            _ => {}
        }
    }
    walk("", live, prior);
    if let Value::Map(m) = live {
        if let Some(Value::Set(items)) = m.get_mut("initial_capacity") {
            let v = Value::set(std::mem::take(items));
            m.insert("initial_capacity".into(), v);
        }
    }
}

/// Fills nested Optional+Computed values (disk, interactive flags) from the prior object and
/// nested defaults (auto start/stop) into the desired object before diffing.
fn fill_nested(prior: Option<&Value>, desired: &Value) -> Value {
    let mut d = desired.clone();
    let Value::Map(m) = &mut d else {
        return d;
    };
    let prior_block = |name: &str| prior.and_then(|p| block(p, name)).cloned();
    if let Some(Value::List(items)) = m.get_mut("maximum_capacity") {
        if let (Some(Value::Map(b)), Some(pb)) =
            (items.first_mut(), prior_block("maximum_capacity"))
        {
            if b.get("disk").map(Value::is_null).unwrap_or(true) {
                if let Some(pd) = pb.get("disk") {
                    b.insert("disk".into(), pd.clone());
                }
            }
        }
    }
    if let Some(Value::List(items)) | Some(Value::Set(items)) = m.get_mut("initial_capacity") {
        let prior_items: Vec<Value> = prior
            .map(|p| items_of(p, "initial_capacity"))
            .unwrap_or_default();
        for ic in items.iter_mut() {
            let t = ic.get("initial_capacity_type").cloned();
            let pw = prior_items
                .iter()
                .find(|p| p.get("initial_capacity_type") == t.as_ref())
                .and_then(|p| block(p, "initial_capacity_config"))
                .and_then(|c| block(c, "worker_configuration"))
                .cloned();
            if let (Some(pw), Some(Value::List(cfgs))) =
                (pw, ic_map_mut(ic, "initial_capacity_config"))
            {
                if let Some(Value::Map(cfg)) = cfgs.first_mut() {
                    if let Some(Value::List(ws)) = cfg.get_mut("worker_configuration") {
                        if let Some(Value::Map(w)) = ws.first_mut() {
                            if w.get("disk").map(Value::is_null).unwrap_or(true) {
                                if let Some(pd) = pw.get("disk") {
                                    w.insert("disk".into(), pd.clone());
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(Value::List(items)) = m.get_mut("auto_start_configuration") {
        if let Some(Value::Map(b)) = items.first_mut() {
            if b.get("enabled").map(Value::is_null).unwrap_or(true) {
                b.insert("enabled".into(), Value::Bool(true));
            }
        }
    }
    if let Some(Value::List(items)) = m.get_mut("auto_stop_configuration") {
        if let Some(Value::Map(b)) = items.first_mut() {
            if b.get("enabled").map(Value::is_null).unwrap_or(true) {
                b.insert("enabled".into(), Value::Bool(true));
            }
            if b.get("idle_timeout_minutes")
                .map(Value::is_null)
                .unwrap_or(true)
            {
                b.insert("idle_timeout_minutes".into(), Value::from(15i64));
            }
        }
    }
    if let Some(Value::List(items)) = m.get_mut("interactive_configuration") {
        let pb = prior_block("interactive_configuration");
        if let Some(Value::Map(b)) = items.first_mut() {
            for k in ["livy_endpoint_enabled", "studio_enabled"] {
                if b.get(k).map(Value::is_null).unwrap_or(true) {
                    let v = pb
                        .as_ref()
                        .and_then(|p| p.get(k))
                        .cloned()
                        .unwrap_or(Value::Unknown);
                    b.insert(k.into(), if prior.is_some() { v } else { Value::Unknown });
                }
            }
        }
    }
    d
}

fn items_of(v: &Value, key: &str) -> Vec<Value> {
    items(v, key).to_vec()
}

fn ic_map_mut<'a>(v: &'a mut Value, key: &str) -> Option<&'a mut Value> {
    match v {
        Value::Map(m) => m.get_mut(key),
        _ => None,
    }
}

/// The update request for the changed attributes: each changed field in full; a removed field
/// in its empty form where the API has one.
fn changes_for(fields: &[&str], planned: &Value) -> AppConfig {
    let full = config_from_value(planned);
    let mut c = AppConfig::default();
    for f in fields {
        match *f {
            "release_label" => c.release_label = full.release_label.clone(),
            "architecture" => c.architecture = full.architecture.clone().or(Some("X86_64".into())),
            "auto_start_configuration" => c.auto_start = full.auto_start,
            "auto_stop_configuration" => c.auto_stop = full.auto_stop,
            "image_configuration" => c.image_uri = full.image_uri.clone(),
            "initial_capacity" => {
                c.initial_capacity = Some(full.initial_capacity.clone().unwrap_or_default())
            }
            "interactive_configuration" => c.interactive = full.interactive,
            "maximum_capacity" => c.maximum_capacity = full.maximum_capacity.clone(),
            "monitoring_configuration" => {
                c.monitoring = Some(full.monitoring.clone().unwrap_or_default())
            }
            "network_configuration" => c.network = Some(full.network.clone().unwrap_or_default()),
            "runtime_configuration" => {
                c.runtime_configuration =
                    Some(full.runtime_configuration.clone().unwrap_or_default())
            }
            "scheduler_configuration" => c.scheduler = Some(full.scheduler.unwrap_or((None, None))),
            "job_level_cost_allocation_configuration" => {
                c.job_level_cost_allocation = Some(full.job_level_cost_allocation.unwrap_or(false))
            }
            _ => {}
        }
    }
    c
}

fn changed_update_fields(prior: &Value, planned: &Value) -> Vec<&'static str> {
    let np = normalize_application(prior);
    let nd = normalize_application(planned);
    UPDATE_FIELDS
        .iter()
        .copied()
        .filter(|f| {
            let b = nd.get(f).cloned().unwrap_or(Value::Null);
            !b.is_unknown() && !same(&np.get(f).cloned().unwrap_or(Value::Null), &b)
        })
        .collect()
}

#[async_trait]
impl ResourceProvider for ApplicationResource {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize_application(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let desired = fill_nested(prior, desired);
        let d = diff(
            SPECS,
            prior,
            &desired,
            &self.default_tags,
            &normalize_application,
        );
        let mut ops = Vec::new();
        match prior {
            None => ops.push(ApiOp::call("CreateApplication")),
            Some(p) => {
                let live = str_of(p, "id").and_then(|id| self.live_state(id));
                let running = matches!(live, Some(AppState::Started) | Some(AppState::Starting));
                if !d.replace.is_empty() {
                    if running {
                        ops.push(ApiOp::call("StopApplication").disruptive());
                    }
                    ops.push(ApiOp::call("DeleteApplication"));
                    ops.push(ApiOp::call("CreateApplication"));
                } else {
                    let fields: Vec<String> = d
                        .changed
                        .iter()
                        .filter(|f| UPDATE_FIELDS.contains(f))
                        .map(|f| f.to_string())
                        .collect();
                    if d.has("tags_all") || d.has("tags") {
                        let old = string_map(p, "tags_all");
                        let new = string_map(&d.planned, "tags_all");
                        let (set, remove) = tag_changes(&old, &new);
                        if !set.is_empty() {
                            ops.push(ApiOp::with_fields("TagResource", set.into_keys()));
                        }
                        if !remove.is_empty() {
                            ops.push(ApiOp::with_fields("UntagResource", remove));
                        }
                    }
                    if !fields.is_empty() {
                        if running {
                            ops.push(ApiOp::call("StopApplication").disruptive());
                        }
                        ops.push(ApiOp::with_fields("UpdateApplication", fields));
                        if running {
                            ops.push(ApiOp::call("StartApplication"));
                        }
                    }
                }
            }
        }
        PlannedChange {
            changed_paths: d.changed_paths(),
            requires_replace: d.replace_paths(),
            planned: d.planned,
            api_ops: ops,
        }
    }

    async fn read(&self, ctx: &Ctx, prior: &Value) -> Result<Option<Value>, ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        match self.get(ctx, id).await? {
            None => Ok(None),
            Some(a) if a.state == Some(AppState::Terminated) => Ok(None),
            Some(a) => Ok(Some(self.to_value(&a, Some(prior)))),
        }
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let name = str_of(planned, "name").ok_or_else(|| ctx.invalid("name is required"))?;
        let engine = str_of(planned, "type").ok_or_else(|| ctx.invalid("type is required"))?;
        let tags = merge_tags(&self.default_tags, &string_map(planned, "tags"));
        let req = CreateRequest {
            name: name.to_string(),
            engine_type: engine_type_for_api(engine),
            config: config_from_value(planned),
            tags,
            client_token: uuid::Uuid::new_v4().to_string(),
        };
        let (id, arn) = self
            .api
            .create_application(&req)
            .await
            .map_err(|e| ctx.api("CreateApplication", e))?;
        let partial = || {
            let mut p = planned.clone();
            if let Value::Map(m) = &mut p {
                m.insert("id".into(), Value::from(id.as_str()));
                m.insert("arn".into(), Value::from(arn.as_str()));
            }
            p
        };
        let app = self
            .wait_for(
                ctx,
                &id,
                &[AppState::Created, AppState::Started, AppState::Stopped],
                false,
                ctx.timeouts.create,
            )
            .await
            .map_err(|e| e.with_partial(partial()))?
            .ok_or_else(|| gone(ctx, &id).with_partial(partial()))?;
        Ok(self.to_value(&app, Some(planned)))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let app = self.get(ctx, id).await?.ok_or_else(|| gone(ctx, id))?;
        if app.state == Some(AppState::Terminated) {
            return Err(gone(ctx, id));
        }
        // Tags: any state.
        let want = merge_tags(&self.default_tags, &string_map(planned, "tags"));
        let (set, remove) = tag_changes(&app.tags, &want);
        if !set.is_empty() {
            self.api
                .tag_resource(&app.arn, &set)
                .await
                .map_err(|e| ctx.api("TagResource", e))?;
        }
        if !remove.is_empty() {
            self.api
                .untag_resource(&app.arn, &remove)
                .await
                .map_err(|e| ctx.api("UntagResource", e))?;
        }
        let fields = changed_update_fields(prior, planned);
        if !fields.is_empty() {
            let restart = self.make_updatable(ctx, &app).await?;
            let changes = changes_for(&fields, planned);
            let token = uuid::Uuid::new_v4().to_string();
            self.api
                .update_application(id, &changes, &token)
                .await
                .map_err(|e| ctx.api("UpdateApplication", e))?;
            if restart {
                self.api
                    .start_application(id)
                    .await
                    .map_err(|e| ctx.api("StartApplication", e))?;
                self.wait_for(ctx, id, &[AppState::Started], false, ctx.timeouts.update)
                    .await?;
            }
        }
        let app = self.get(ctx, id).await?.ok_or_else(|| gone(ctx, id))?;
        Ok(self.to_value(&app, Some(planned)))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let Some(app) = self.get(ctx, id).await? else {
            return Ok(());
        };
        match app.state.unwrap_or(AppState::Created) {
            AppState::Terminated => return Ok(()),
            AppState::Created | AppState::Stopped => {}
            _ => {
                self.make_updatable(ctx, &app).await?;
            }
        }
        if let Err(e) = self.api.delete_application(id).await {
            // A retried delete whose first attempt went through finds the application
            // TERMINATED (or gone) and is refused: that is success.
            match self.get(ctx, id).await? {
                None => return Ok(()),
                Some(a) if a.state == Some(AppState::Terminated) => return Ok(()),
                Some(_) => return Err(ctx.api("DeleteApplication", e)),
            }
        }
        self.wait_for(ctx, id, &[AppState::Terminated], true, ctx.timeouts.delete)
            .await?;
        Ok(())
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let Some(name) = str_of(planned, "name") else {
            return Ok(None);
        };
        let ids = self
            .api
            .application_ids_named(name)
            .await
            .map_err(|e| ctx.api("ListApplications", e))?;
        let mut found = Vec::new();
        for id in ids {
            if let Some(v) = self.import(ctx, &id).await? {
                found.push(v);
            }
        }
        Ok(Some(found))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        if id.is_empty() {
            return Err(ctx.invalid("empty application id"));
        }
        match self.get(ctx, id).await? {
            None => Ok(None),
            Some(a) if a.state == Some(AppState::Terminated) => Ok(None),
            Some(a) => Ok(Some(self.to_value(&a, None))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::FakeEmrServerless;
    use super::*;
    use std::time::Duration;

    fn desired() -> Value {
        Value::Map(obj([
            ("name", Value::from("etl")),
            ("type", Value::from("spark")),
            ("release_label", Value::from("emr-7.1.0")),
            (
                "maximum_capacity",
                block_value(Some(obj([
                    ("cpu", Value::from("4 vCPU")),
                    ("memory", Value::from("16 GB")),
                ]))),
            ),
            ("tags", Value::map([("team", Value::from("data"))])),
        ]))
    }

    fn setup() -> (Arc<FakeEmrServerless>, ApplicationResource, Ctx) {
        let fake = Arc::new(FakeEmrServerless::new(2));
        let r = ApplicationResource::new(
            fake.clone(),
            [("env".to_string(), "test".to_string())].into(),
        );
        let mut ctx = Ctx::new("aws_emrserverless_application.etl");
        ctx.poll_interval = Duration::from_millis(1);
        (fake, r, ctx)
    }

    async fn created(r: &ApplicationResource, ctx: &Ctx) -> Value {
        let plan = r.plan(None, &desired());
        assert_eq!(plan.api_ops, vec![ApiOp::call("CreateApplication")]);
        assert_eq!(plan.planned.get("id"), Some(&Value::Unknown));
        r.create(ctx, &plan.planned).await.expect("create")
    }

    fn set_block(v: &Value, key: &str, b: Map) -> Value {
        let mut v = v.clone();
        if let Value::Map(m) = &mut v {
            m.insert(key.into(), block_value(Some(b)));
        }
        v
    }

    #[tokio::test]
    async fn create_waits_for_created_and_reads_back_without_diff() {
        let (fake, r, ctx) = setup();
        let state = created(&r, &ctx).await;
        let id = str_of(&state, "id").expect("id").to_string();
        assert_eq!(fake.state(&id), Some(AppState::Created));
        let calls = fake.calls();
        assert_eq!(calls[0], "CreateApplication");
        assert!(calls.iter().filter(|c| *c == "GetApplication").count() >= 3);
        // The user's spelling survives the read-back, and tags split from default tags.
        assert_eq!(state.get("type"), Some(&Value::from("spark")));
        let max = block(&state, "maximum_capacity").expect("max");
        assert_eq!(max.get("cpu"), Some(&Value::from("4 vCPU")));
        assert_eq!(
            state.get("tags"),
            Some(&Value::map([("team", Value::from("data"))]))
        );
        assert_eq!(
            state.get("tags_all"),
            Some(&Value::map([
                ("env", Value::from("test")),
                ("team", Value::from("data"))
            ]))
        );
        let p = r.plan(Some(&state), &desired());
        assert!(p.changed_paths.is_empty(), "{:?}", p.changed_paths);
        assert!(p.api_ops.is_empty());
        // A refresh reads the same object.
        let read = r.read(&ctx, &state).await.expect("read").expect("exists");
        assert!(r.plan(Some(&read), &desired()).changed_paths.is_empty());
    }

    #[tokio::test]
    async fn update_of_a_started_app_is_planned_and_applied_as_stop_update_start() {
        let (fake, r, ctx) = setup();
        let state = created(&r, &ctx).await;
        let id = str_of(&state, "id").expect("id").to_string();
        fake.set_state(&id, AppState::Started);
        let state = r.read(&ctx, &state).await.expect("read").expect("exists");
        let want = set_block(
            &desired(),
            "maximum_capacity",
            obj([
                ("cpu", Value::from("8vCPU")),
                ("memory", Value::from("32GB")),
            ]),
        );
        let p = r.plan(Some(&state), &want);
        assert!(p.requires_replace.is_empty());
        assert_eq!(
            p.api_ops,
            vec![
                ApiOp::call("StopApplication").disruptive(),
                ApiOp::with_fields("UpdateApplication", ["maximum_capacity".to_string()]),
                ApiOp::call("StartApplication"),
            ]
        );
        fake.clear_calls();
        let after = r.update(&ctx, &state, &p.planned).await.expect("update");
        let calls: Vec<String> = fake
            .calls()
            .into_iter()
            .filter(|c| c != "GetApplication")
            .collect();
        assert_eq!(
            calls,
            vec![
                "ListJobRuns",
                "StopApplication",
                "UpdateApplication",
                "StartApplication"
            ]
        );
        assert_eq!(fake.state(&id), Some(AppState::Started));
        // Only the changed field was sent.
        let sent = fake.last_update().expect("update sent");
        assert!(sent.maximum_capacity.is_some());
        assert_eq!(
            AppConfig {
                maximum_capacity: None,
                ..sent
            },
            AppConfig::default()
        );
        assert!(r.plan(Some(&after), &want).changed_paths.is_empty());
    }

    #[tokio::test]
    async fn stop_is_refused_while_jobs_run_unless_allowed() {
        let (fake, r, ctx) = setup();
        let state = created(&r, &ctx).await;
        let id = str_of(&state, "id").expect("id").to_string();
        fake.set_state(&id, AppState::Started);
        fake.set_active_jobs(&id, 2);
        let want = set_block(
            &desired(),
            "auto_stop_configuration",
            obj([("idle_timeout_minutes", Value::from(30i64))]),
        );
        let p = r.plan(Some(&state), &want);
        let err = r
            .update(&ctx, &state, &p.planned)
            .await
            .expect_err("refused");
        assert!(matches!(err, ProviderError::Refused { .. }), "{err}");
        assert!(err.to_string().contains("2 active job run"));
        assert!(!fake.calls().contains(&"StopApplication".to_string()));
        let mut allow = ctx.clone();
        allow.allow_stop_with_active_jobs = true;
        let after = r.update(&allow, &state, &p.planned).await.expect("update");
        let stop = block(&after, "auto_stop_configuration").expect("auto stop");
        assert_eq!(stop.get("idle_timeout_minutes"), Some(&Value::from(30i64)));
    }

    #[tokio::test]
    async fn tag_only_changes_do_not_stop_the_application() {
        let (fake, r, ctx) = setup();
        let state = created(&r, &ctx).await;
        let id = str_of(&state, "id").expect("id").to_string();
        fake.set_state(&id, AppState::Started);
        let state = r.read(&ctx, &state).await.expect("read").expect("exists");
        let mut want = desired();
        if let Value::Map(m) = &mut want {
            m.insert("tags".into(), Value::map([("owner", Value::from("me"))]));
        }
        let p = r.plan(Some(&state), &want);
        assert_eq!(
            p.api_ops,
            vec![
                ApiOp::with_fields("TagResource", ["owner".to_string()]),
                ApiOp::with_fields("UntagResource", ["team".to_string()]),
            ]
        );
        fake.clear_calls();
        let after = r.update(&ctx, &state, &p.planned).await.expect("update");
        assert!(!fake.calls().contains(&"StopApplication".to_string()));
        assert_eq!(
            after.get("tags"),
            Some(&Value::map([("owner", Value::from("me"))]))
        );
        assert_eq!(fake.state(&id), Some(AppState::Started));
    }

    #[tokio::test]
    async fn delete_stops_deletes_and_waits_then_reads_as_gone() {
        let (fake, r, ctx) = setup();
        let state = created(&r, &ctx).await;
        let id = str_of(&state, "id").expect("id").to_string();
        fake.set_state(&id, AppState::Started);
        fake.clear_calls();
        r.delete(&ctx, &state).await.expect("delete");
        let calls: Vec<String> = fake
            .calls()
            .into_iter()
            .filter(|c| c != "GetApplication")
            .collect();
        assert_eq!(
            calls,
            vec!["ListJobRuns", "StopApplication", "DeleteApplication"]
        );
        assert_eq!(fake.state(&id), Some(AppState::Terminated));
        assert_eq!(r.read(&ctx, &state).await.expect("read"), None);
        assert_eq!(r.import(&ctx, &id).await.expect("import"), None);
        // Deleting again is a no-op.
        r.delete(&ctx, &state).await.expect("delete again");
    }

    #[tokio::test]
    async fn name_or_type_change_forces_replacement() {
        let (_fake, r, ctx) = setup();
        let state = created(&r, &ctx).await;
        let mut want = desired();
        if let Value::Map(m) = &mut want {
            m.insert("type".into(), Value::from("HIVE"));
        }
        let p = r.plan(Some(&state), &want);
        assert_eq!(
            p.requires_replace,
            vec![vec![crate::providers::PathStep::Attr("type".into())]]
        );
        assert_eq!(p.planned.get("id"), Some(&Value::Unknown));
        // Case alone is not a change.
        if let Value::Map(m) = &mut want {
            m.insert("type".into(), Value::from("SPARK"));
        }
        assert!(r.plan(Some(&state), &want).changed_paths.is_empty());
    }

    #[tokio::test]
    async fn import_reads_every_field_and_drift_shows() {
        let (fake, r, ctx) = setup();
        let state = created(&r, &ctx).await;
        let id = str_of(&state, "id").expect("id").to_string();
        let imported = r.import(&ctx, &id).await.expect("import").expect("exists");
        assert_eq!(imported.get("arn"), state.get("arn"));
        // Fields moto cannot keep, as AWS returns them: drift shows as an update.
        fake.edit(&id, |a| {
            a.config.architecture = Some("ARM64".into());
            a.config.image_uri =
                Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/spark:1".into());
            a.config.monitoring = Some(Monitoring {
                s3: Some((Some("s3://logs/".into()), None)),
                ..Monitoring::default()
            });
            a.config.scheduler = Some((Some(10), Some(60)));
        });
        let live = r.read(&ctx, &state).await.expect("read").expect("exists");
        assert_eq!(live.get("architecture"), Some(&Value::from("ARM64")));
        let mon = block(&live, "monitoring_configuration").expect("monitoring");
        let s3 = block(mon, "s3_monitoring_configuration").expect("s3");
        assert_eq!(s3.get("log_uri"), Some(&Value::from("s3://logs/")));
        let p = r.plan(Some(&live), &desired());
        let fields: Vec<String> = p
            .api_ops
            .iter()
            .find(|o| o.operation == "UpdateApplication")
            .map(|o| o.fields.clone())
            .unwrap_or_default();
        assert_eq!(
            fields,
            vec![
                "architecture".to_string(),
                "scheduler_configuration".to_string()
            ]
        );
    }

    #[test]
    fn normalisation_ignores_spelling_only_differences() {
        let a = desired();
        let b = set_block(
            &desired(),
            "maximum_capacity",
            obj([
                ("cpu", Value::from("4vcpu")),
                ("memory", Value::from("16GB")),
            ]),
        );
        assert_eq!(normalize_application(&a), normalize_application(&b));
    }
}
