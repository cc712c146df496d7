//! The planner: refresh prior objects, evaluate the configuration against them, diff every
//! instance, add deletions for orphans, and produce a [`Plan`].
//!
//! The planner reaches AWS only through the [`Cloud`] trait, implemented by the providers; it
//! never names a service. It builds no user-facing strings except diagnostics.

use super::diff::{diff_instance, Identity, Normalizer};
use super::model::*;
use crate::addrs::{InstanceKey, ModulePath, ResourceAddr, ResourceInstanceAddr, ResourceMode};
use crate::config::eval::{
    evaluate, planned_from_config, EvalOptions, Evaluated, ResolveRequest, ResourceResolver,
};
use crate::config::model::{Config, Lifecycle};
use crate::config::schema;
use crate::config::value::Value;
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::NodeKind;
use indexmap::IndexMap;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// An object recorded in state before planning.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriorObject {
    /// Its attributes, as in state.
    pub value: Value,
    /// Provider configuration key.
    pub provider_key: String,
    /// Dependencies recorded in state.
    pub dependencies: Vec<String>,
    /// Recorded just before a create call whose outcome was never recorded (the process
    /// died): `value` is the planned object, and the next plan looks for what the call made.
    pub pending_create: bool,
}

/// The `private` field (base64, opaque to Terraform) of a state instance recorded just before
/// its create call; such an instance is also written with `"status": "tainted"`, so Terraform
/// reading the state would not trust it either.
pub const PENDING_CREATE_PRIVATE: &str = "eyJlbXJmb3JtIjoicGVuZGluZy1jcmVhdGUifQ==";

/// What the planner knows of state.
#[derive(Debug, Clone, Default)]
pub struct PriorState {
    /// Managed objects by address.
    pub objects: IndexMap<ResourceInstanceAddr, PriorObject>,
    /// Root outputs.
    pub outputs: IndexMap<String, Value>,
    /// Identity of the state.
    pub state_ref: StateRef,
}

/// An error from the cloud side, with the AWS message.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{operation} {address}: {message}")]
pub struct CloudError {
    /// The resource address.
    pub address: String,
    /// What was being done (`read`, `read data source`).
    pub operation: String,
    /// The AWS message, with its error code.
    pub message: String,
}

/// How the planner talks to AWS. Implemented by the provider registry.
#[async_trait::async_trait]
pub trait Cloud: Send + Sync {
    /// True when the cloud can plan and apply (or read) objects of this type.
    fn supports(&self, mode: crate::addrs::ResourceMode, type_name: &str) -> bool {
        let _ = (mode, type_name);
        true
    }

    /// The comparison normaliser for a resource type.
    fn normalizer(&self, type_name: &str) -> Option<Arc<dyn Normalizer + Send + Sync>> {
        let _ = type_name;
        None
    }

    /// Typed AWS calls apply will make for this change, and extra replace paths the schema
    /// alone cannot decide. `live` is the refreshed object.
    fn plan_ops(
        &self,
        type_name: &str,
        action: Action,
        prior: Option<&Value>,
        planned: &Value,
        changed: &[String],
    ) -> Vec<ApiOp> {
        let _ = (type_name, action, prior, planned, changed);
        Vec::new()
    }

    /// The provider's own plan for one instance (planned value, changed attributes, what
    /// forces replacement, the API calls); `None` to let the schema diff decide.
    fn plan_instance(
        &self,
        provider_key: &str,
        type_name: &str,
        prior: Option<&Value>,
        config: &Value,
    ) -> Option<InstancePlan> {
        let _ = (provider_key, type_name, prior, config);
        None
    }

    /// Reads the live object; `Ok(None)` when it no longer exists.
    async fn read(
        &self,
        provider_key: &str,
        addr: &ResourceInstanceAddr,
        prior: &Value,
    ) -> Result<Option<Value>, CloudError>;

    /// Reads a data source whose configuration is known.
    async fn read_data(
        &self,
        provider_key: &str,
        addr: &ResourceInstanceAddr,
        config: &Value,
    ) -> Result<Value, CloudError>;

    /// Creates the object; returns its full value.
    async fn create(
        &self,
        provider_key: &str,
        addr: &ResourceInstanceAddr,
        planned: &Value,
    ) -> Result<Value, ApplyError>;

    /// Updates the object in place, making the calls in `ops`; returns its new value.
    async fn update(
        &self,
        provider_key: &str,
        addr: &ResourceInstanceAddr,
        prior: &Value,
        planned: &Value,
        ops: &[ApiOp],
    ) -> Result<Value, ApplyError>;

    /// Deletes the object (waiting until it is gone).
    async fn delete(
        &self,
        provider_key: &str,
        addr: &ResourceInstanceAddr,
        prior: &Value,
    ) -> Result<(), ApplyError>;

    /// The objects an interrupted create of `planned` may have made (found by the type's
    /// natural key: name, CIDR in a VPC, ...). `Ok(None)` when the type cannot tell.
    async fn find_created(
        &self,
        provider_key: &str,
        addr: &ResourceInstanceAddr,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, CloudError> {
        let _ = (provider_key, addr, planned);
        Ok(None)
    }

    /// Reads an existing object by its import id; `Ok(None)` when there is none.
    async fn import(
        &self,
        provider_key: &str,
        addr: &ResourceInstanceAddr,
        id: &str,
    ) -> Result<Option<Value>, CloudError>;

    /// Live facts for the plan-time checks: the existing subnets among `subnet_ids` and the
    /// EMR Serverless applications in the account. Offline implementations return nothing.
    async fn facts(
        &self,
        provider_key: &str,
        subnet_ids: &[String],
    ) -> Result<crate::checks::Facts, CloudError> {
        let _ = (provider_key, subnet_ids);
        Ok(crate::checks::Facts::default())
    }
}

/// The refusal of a configuration with blocks of types `cloud` cannot plan (no schema, or no
/// provider behind the schema), listing every such block.
pub fn unplannable(config: &Config, cloud: &dyn Cloud) -> Option<crate::diag::Diagnostic> {
    use crate::addrs::ResourceMode;
    let mut items = Vec::new();
    for (path, m) in &config.modules {
        for r in m.resources.values() {
            let t = &r.addr.type_name;
            let known = match r.addr.mode {
                ResourceMode::Managed => crate::config::schema::managed_resource(t).is_some(),
                ResourceMode::Data => crate::config::schema::data_source(t).is_some(),
            };
            if known && cloud.supports(r.addr.mode, t) {
                continue;
            }
            let prefix = path.to_string();
            items.push(crate::config::eval::UnplannableType {
                what: if r.addr.mode == ResourceMode::Data {
                    "data source"
                } else {
                    "resource"
                },
                address: if prefix.is_empty() {
                    r.addr.to_string()
                } else {
                    format!("{prefix}.{}", r.addr)
                },
                type_name: t.clone(),
                span: r.type_span,
                did_you_mean: None,
            });
        }
    }
    items.sort_by_key(|u| (u.span.file, u.span.start));
    crate::config::eval::unplannable_types_diagnostic(&items)
}

/// A provider's plan for one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct InstancePlan {
    /// The planned new value.
    pub planned: Value,
    /// Top-level attributes that change.
    pub changed: Vec<String>,
    /// Paths whose change forces replacement.
    pub replace_paths: Vec<Vec<PathStep>>,
    /// The API calls apply will make.
    pub api_ops: Vec<ApiOp>,
}

/// A failed create, update or delete.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{operation} {address}: {message}")]
pub struct ApplyError {
    /// The resource address.
    pub address: String,
    /// The operation that failed (`CreateApplication`, `DeleteRole`, ...).
    pub operation: String,
    /// The AWS message with its error code and request id.
    pub message: String,
    /// When a create failed after the object came to exist (e.g. a wait timed out), the object
    /// as far as known, so that state records it.
    pub partial: Option<Value>,
}

/// Planning options.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// Normal, destroy or refresh-only.
    pub mode: PlanMode,
    /// Read live objects first (`--refresh=false` turns it off).
    pub refresh: bool,
    /// `--target`: only these resources (or instances) and what they depend on.
    pub targets: Vec<String>,
    /// `--replace`: replace these instances.
    pub replace: Vec<ResourceInstanceAddr>,
    /// Concurrent reads.
    pub parallelism: usize,
    /// Evaluation options (variables, workspace).
    pub eval: EvalOptions,
}

/// A plan plus the evaluation it came from.
pub struct Planned {
    /// The plan.
    pub plan: Plan,
    /// The evaluated configuration (instances, outputs, graph).
    pub evaluated: Evaluated,
}

/// Makes a plan.
///
/// # Errors
/// Diagnostics for problems in the configuration or failed reads; the plan is not usable then.
pub async fn plan(
    config: &mut Config,
    prior: &PriorState,
    cloud: Arc<dyn Cloud>,
    opts: &PlanOptions,
) -> Result<Planned, Diagnostics> {
    let mut diags = Diagnostics::new();
    // 0. Every type must be one the cloud plans: one refusal naming all that are not.
    if let Some(d) = unplannable(config, cloud.as_ref()) {
        diags.push(d);
        return Err(diags);
    }
    // 1. Refresh.
    let mut refreshed: IndexMap<ResourceInstanceAddr, Option<Value>> = IndexMap::new();
    let mut drift = Vec::new();
    if !opts.refresh {
        for (a, o) in &prior.objects {
            if !o.pending_create {
                refreshed.insert(a.clone(), Some(o.value.clone()));
            }
        }
    }
    // Without refresh, only creates an earlier apply left pending are looked up.
    let results = refresh_all(prior, cloud.clone(), opts.parallelism.max(1), !opts.refresh).await;
    {
        for (addr, r) in results {
            match r {
                Ok(v) if prior.objects[&addr].pending_create => {
                    let obj = &prior.objects[&addr];
                    drift.push(drift_entry(&addr, obj, &v, Some(ActionReason::CreateInterrupted)));
                    refreshed.insert(addr, v);
                }
                Ok(v) => {
                    let obj = &prior.objects[&addr];
                    let norm = cloud.normalizer(&addr.resource.type_name);
                    let same = match &v {
                        Some(v) => same_value(norm.as_deref(), &obj.value, v),
                        None => false,
                    };
                    if !same {
                        drift.push(drift_entry(&addr, obj, &v, None));
                    }
                    refreshed.insert(addr, v);
                }
                Err(e) => diags.push(Diagnostic::error("refresh-failed", e.to_string()).with_help("Check credentials, region and endpoints; --refresh=false plans from state alone.")),
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
    }

    // 2. Evaluate the configuration with a resolver that diffs each instance against state.
    let lifecycles: HashMap<(ModulePath, ResourceAddr), Lifecycle> = config
        .modules
        .iter()
        .flat_map(|(p, m)| {
            m.resources
                .iter()
                .map(move |(a, r)| ((p.clone(), a.clone()), r.lifecycle.clone()))
        })
        .collect();
    let mut resolver = PlanResolver {
        refreshed: &refreshed,
        cloud: cloud.clone(),
        lifecycles: &lifecycles,
        replace: &opts.replace,
        changes: IndexMap::new(),
        data_errors: Vec::new(),
        data_values: IndexMap::new(),
        handle: tokio::runtime::Handle::current(),
        mode: opts.mode,
        data_deps: data_dependencies(config),
    };
    // A destroy plan deletes what state records; data sources are not read for it, so
    // count/for_each that depend on them may stay unknown without being an error.
    let mut eval_opts = opts.eval.clone();
    if opts.mode == PlanMode::Destroy {
        eval_opts.mode = crate::config::eval::EvalMode::Validate;
    }
    let (evaluated, d) =
        tokio::task::block_in_place(|| evaluate(config, &eval_opts, &mut resolver));
    diags.extend(d);
    for e in resolver.data_errors.drain(..) {
        if e.operation == "import" {
            let block = evaluated
                .imports
                .iter()
                .find(|(a, _)| a.to_string() == e.address)
                .map(|(_, i)| i.span);
            diags.push(
                Diagnostic::error("import-failed", e.to_string())
                    .with_opt_label(block, "imported by this block"),
            );
        } else {
            diags.push(Diagnostic::error("data-source-read-failed", e.to_string()));
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let mut changes = std::mem::take(&mut resolver.changes);

    // 3. Orphans: objects in state with no configuration.
    let configured: HashSet<&ResourceInstanceAddr> = evaluated.instances.keys().collect();
    for (addr, obj) in &prior.objects {
        if configured.contains(addr) || addr.resource.mode == ResourceMode::Data {
            continue;
        }
        let Some(Some(live)) = refreshed.get(addr) else {
            continue;
        };
        let reason = orphan_reason(config, &evaluated, addr);
        changes.insert(
            addr.clone(),
            ResourceChange {
                addr: addr.clone(),
                provider_key: obj.provider_key.clone(),
                action: Action::Delete,
                action_reason: Some(reason),
                before: Some(live.clone()),
                after: None,
                replace_paths: Vec::new(),
                api_ops: cloud.plan_ops(
                    &addr.resource.type_name,
                    Action::Delete,
                    Some(live),
                    &Value::Null,
                    &[],
                ),
                importing: None,
                sensitive_attrs: sensitive_attrs(addr),
                dependencies: obj.dependencies.clone(),
                create_before_destroy: false,
            },
        );
    }

    // 4. Destroy and refresh-only modes.
    match opts.mode {
        PlanMode::Destroy => {
            changes = prior
                .objects
                .iter()
                .filter(|(a, _)| a.resource.mode == ResourceMode::Managed)
                .filter_map(|(a, o)| {
                    let live = refreshed.get(a).cloned().flatten()?;
                    Some((
                        a.clone(),
                        ResourceChange {
                            addr: a.clone(),
                            provider_key: o.provider_key.clone(),
                            action: Action::Delete,
                            action_reason: None,
                            before: Some(live.clone()),
                            after: None,
                            replace_paths: Vec::new(),
                            api_ops: cloud.plan_ops(
                                &a.resource.type_name,
                                Action::Delete,
                                Some(&live),
                                &Value::Null,
                                &[],
                            ),
                            importing: None,
                            sensitive_attrs: sensitive_attrs(a),
                            dependencies: o.dependencies.clone(),
                            create_before_destroy: false,
                        },
                    ))
                })
                .collect();
        }
        PlanMode::RefreshOnly => changes.clear(),
        PlanMode::Normal => {}
    }

    // 5. prevent_destroy.
    for c in changes.values() {
        if matches!(
            c.action,
            Action::Delete | Action::DeleteThenCreate | Action::CreateThenDelete
        ) {
            if let Some(l) = lifecycles.get(&(c.addr.module.module_path(), c.addr.resource.clone()))
            {
                if l.prevent_destroy {
                    diags.push(
                        Diagnostic::error("prevent-destroy", format!("instance cannot be destroyed: {} has lifecycle.prevent_destroy set, but the plan calls for it to be destroyed", c.addr))
                            .with_opt_label(l.span, "prevent_destroy = true")
                            .with_help("To avoid this error, remove prevent_destroy or change the plan so the object is not destroyed or replaced."),
                    );
                }
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }

    // 6. Dependencies and order.
    let deps = resource_dependencies(&evaluated);
    for c in changes.values_mut() {
        if c.action != Action::Delete {
            if let Some(d) = deps.get(&c.addr) {
                c.dependencies = d.clone();
            }
        }
    }
    if !opts.targets.is_empty() {
        changes = filter_targets(changes, &opts.targets, &deps);
    }
    let mut resource_changes: Vec<ResourceChange> = changes.into_values().collect();
    resource_changes.sort_by_key(|c| c.action == Action::Delete);

    // 7. Outputs.
    let mut output_changes = IndexMap::new();
    if opts.mode != PlanMode::RefreshOnly {
        for (name, o) in &evaluated.outputs {
            let before = prior.outputs.get(name).cloned();
            let after = if opts.mode == PlanMode::Destroy {
                None
            } else {
                Some(o.value.clone())
            };
            let action = match (&before, &after) {
                (None, Some(_)) => Action::Create,
                (Some(_), None) => Action::Delete,
                (Some(b), Some(a)) if b == a => Action::NoOp,
                (Some(_), Some(_)) => Action::Update,
                (None, None) => continue,
            };
            output_changes.insert(
                name.clone(),
                OutputChange {
                    action,
                    before,
                    after,
                    sensitive: o.sensitive,
                },
            );
        }
        for (name, v) in &prior.outputs {
            if !evaluated.outputs.contains_key(name) {
                output_changes.insert(
                    name.clone(),
                    OutputChange {
                        action: Action::Delete,
                        before: Some(v.clone()),
                        after: None,
                        sensitive: false,
                    },
                );
            }
        }
    }
    let variables = evaluated
        .module_values
        .get(&crate::addrs::ModuleInstance::root())
        .map(|v| {
            let root = config.root();
            let mut vars: Vec<(String, Value)> = v
                .vars
                .iter()
                .map(|(k, val)| {
                    let sensitive = root.variables.get(k).is_some_and(|d| d.sensitive);
                    (
                        k.clone(),
                        if sensitive {
                            Value::string("(sensitive value)")
                        } else {
                            val.clone()
                        },
                    )
                })
                .collect();
            vars.sort_by(|a, b| a.0.cmp(&b.0));
            vars.into_iter().collect()
        })
        .unwrap_or_default();
    let plan = Plan {
        mode: opts.mode,
        resource_changes,
        resource_drift: drift,
        output_changes,
        findings: Vec::new(),
        prior_state: prior.state_ref.clone(),
        variables,
        timestamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        config_dir: config.root().dir.display().to_string(),
        data: std::mem::take(&mut resolver.data_values),
        config_expressions: Default::default(),
        provisioners: Default::default(),
        allow_local_exec: false,
    };
    Ok(Planned { plan, evaluated })
}

fn same_value(norm: Option<&(dyn Normalizer + Send + Sync)>, a: &Value, b: &Value) -> bool {
    match norm {
        Some(n) => {
            let (Value::Map(x), Value::Map(y)) = (a, b) else {
                return a == b;
            };
            let keys: HashSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().all(|k| {
                let p = vec![PathStep::Key(k.clone())];
                n.normalize(&p, x.get(k).unwrap_or(&Value::Null))
                    == n.normalize(&p, y.get(k).unwrap_or(&Value::Null))
            })
        }
        None => a == b,
    }
}

/// A `resource_drift` entry: the object in state became `live` (`None`: it is gone).
fn drift_entry(
    addr: &ResourceInstanceAddr,
    obj: &PriorObject,
    live: &Option<Value>,
    reason: Option<ActionReason>,
) -> ResourceChange {
    ResourceChange {
        addr: addr.clone(),
        provider_key: obj.provider_key.clone(),
        action: if live.is_some() {
            Action::Update
        } else {
            Action::Delete
        },
        action_reason: reason,
        before: Some(obj.value.clone()),
        after: live.clone(),
        replace_paths: Vec::new(),
        api_ops: Vec::new(),
        importing: None,
        sensitive_attrs: sensitive_attrs(addr),
        dependencies: Vec::new(),
        create_before_destroy: false,
    }
}

fn sensitive_attrs(addr: &ResourceInstanceAddr) -> Vec<String> {
    let s = match addr.resource.mode {
        ResourceMode::Managed => schema::managed_resource(&addr.resource.type_name),
        ResourceMode::Data => schema::data_source(&addr.resource.type_name),
    };
    s.map(|s| {
        s.body
            .attributes
            .iter()
            .filter(|a| a.sensitive)
            .map(|a| a.name.to_string())
            .collect()
    })
    .unwrap_or_default()
}

/// Reads every managed object in state (or, with `only_pending`, just the creates an earlier
/// apply left pending), in parallel.
async fn refresh_all(
    prior: &PriorState,
    cloud: Arc<dyn Cloud>,
    parallelism: usize,
    only_pending: bool,
) -> Vec<(ResourceInstanceAddr, Result<Option<Value>, CloudError>)> {
    let sem = Arc::new(tokio::sync::Semaphore::new(parallelism));
    let mut set = tokio::task::JoinSet::new();
    // Ids already recorded: a pending create cannot have made these.
    let recorded: Arc<HashSet<String>> = Arc::new(
        prior
            .objects
            .values()
            .filter(|o| !o.pending_create)
            .filter_map(|o| {
                o.value
                    .get("id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .collect(),
    );
    for (addr, obj) in &prior.objects {
        if addr.resource.mode != ResourceMode::Managed || (only_pending && !obj.pending_create) {
            continue;
        }
        let sem = sem.clone();
        let cloud = cloud.clone();
        let addr = addr.clone();
        let obj = obj.clone();
        let recorded = recorded.clone();
        set.spawn(async move {
            let _permit = sem.acquire_owned().await;
            let r = if obj.pending_create {
                find_interrupted_create(cloud.as_ref(), &addr, &obj, &recorded).await
            } else {
                cloud.read(&obj.provider_key, &addr, &obj.value).await
            };
            (addr, r)
        });
    }
    let mut out = Vec::new();
    while let Some(r) = set.join_next().await {
        match r {
            Ok(x) => out.push(x),
            Err(e) => out.push((
                ResourceInstanceAddr {
                    module: Default::default(),
                    resource: ResourceAddr::managed("unknown", "unknown"),
                    key: None,
                },
                Err(CloudError {
                    address: String::new(),
                    operation: "refresh".into(),
                    message: e.to_string(),
                }),
            )),
        }
    }
    // Keep state order so drift is reported stably.
    let order: HashMap<&ResourceInstanceAddr, usize> = prior
        .objects
        .keys()
        .enumerate()
        .map(|(i, a)| (a, i))
        .collect();
    out.sort_by_key(|(a, _)| order.get(a).copied().unwrap_or(usize::MAX));
    out
}

/// What an interrupted create of `obj` made: the one live object matching its natural key
/// that state does not already record, or nothing.
async fn find_interrupted_create(
    cloud: &dyn Cloud,
    addr: &ResourceInstanceAddr,
    obj: &PriorObject,
    recorded: &HashSet<String>,
) -> Result<Option<Value>, CloudError> {
    let err = |message: String| CloudError {
        address: addr.to_string(),
        operation: "find interrupted create".into(),
        message,
    };
    let Some(found) = cloud
        .find_created(&obj.provider_key, addr, &obj.value)
        .await?
    else {
        return Err(err(format!(
            "an earlier apply stopped while creating this {}, and emrform cannot look it up by its configuration. If it exists, record it with `emrform state rm {addr}` then `emrform import {addr} ID`; if not, `emrform state rm {addr}`.",
            addr.resource.type_name
        )));
    };
    let mut fresh: Vec<Value> = found
        .into_iter()
        .filter(|v| {
            v.get("id")
                .and_then(Value::as_str)
                .is_none_or(|id| !recorded.contains(id))
        })
        .collect();
    match fresh.len() {
        0 => Ok(None),
        1 => Ok(fresh.pop()),
        _ => Err(err(format!(
            "an earlier apply stopped while creating this object and {} live objects match its configuration ({}); keep the right one with `emrform state rm {addr}` then `emrform import {addr} ID`",
            fresh.len(),
            fresh
                .iter()
                .filter_map(|v| v.get("id").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

struct PlanResolver<'a> {
    refreshed: &'a IndexMap<ResourceInstanceAddr, Option<Value>>,
    cloud: Arc<dyn Cloud>,
    lifecycles: &'a HashMap<(ModulePath, ResourceAddr), Lifecycle>,
    replace: &'a [ResourceInstanceAddr],
    changes: IndexMap<ResourceInstanceAddr, ResourceChange>,
    data_errors: Vec<CloudError>,
    data_values: IndexMap<String, Value>,
    handle: tokio::runtime::Handle,
    mode: PlanMode,
    /// The managed resources each data source depends on (through locals, variables,
    /// module calls and other data sources), by static address.
    data_deps: HashMap<(ModulePath, ResourceAddr), Vec<(ModulePath, ResourceAddr)>>,
}

/// The managed resources each data source of `config` depends on, by static address.
fn data_dependencies(
    config: &Config,
) -> HashMap<(ModulePath, ResourceAddr), Vec<(ModulePath, ResourceAddr)>> {
    let g = config
        .graph
        .get_or_init(|| std::sync::Arc::new(crate::graph::build(config)))
        .clone();
    let mut out = HashMap::new();
    for ix in g.graph.node_indices() {
        let NodeKind::Resource(r) = &g.graph[ix].kind else {
            continue;
        };
        if r.mode != ResourceMode::Data {
            continue;
        }
        let mut seen = HashSet::new();
        let mut stack: Vec<_> = g
            .graph
            .neighbors_directed(ix, petgraph::Direction::Incoming)
            .collect();
        let mut found = Vec::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            match &g.graph[n].kind {
                NodeKind::Resource(d) if d.mode == ResourceMode::Managed => {
                    found.push((g.graph[n].module.clone(), d.clone()));
                }
                NodeKind::Provider(_) => {}
                _ => stack.extend(g.graph.neighbors_directed(n, petgraph::Direction::Incoming)),
            }
        }
        if !found.is_empty() {
            out.insert((g.graph[ix].module.clone(), r.clone()), found);
        }
    }
    out
}

impl PlanResolver<'_> {
    /// True when a managed resource this data source depends on has a pending change: the
    /// data source is then read during apply, after it (as Terraform does).
    fn dependency_pending(&self, addr: &ResourceInstanceAddr) -> bool {
        let Some(deps) = self
            .data_deps
            .get(&(addr.module.module_path(), addr.resource.clone()))
        else {
            return false;
        };
        self.changes.values().any(|c| {
            !matches!(c.action, Action::NoOp | Action::Read)
                && deps
                    .iter()
                    .any(|(m, r)| *m == c.addr.module.module_path() && *r == c.addr.resource)
        })
    }
}

impl ResourceResolver for PlanResolver<'_> {
    fn resolve(&mut self, req: &ResolveRequest<'_>) -> Value {
        let addr = req.addr;
        let provider_key = addr
            .resource
            .type_name
            .split('_')
            .next()
            .unwrap_or("aws")
            .to_string();
        if addr.resource.mode == ResourceMode::Data {
            if let Some(v) = crate::config::eval::local_data_source(
                &addr.resource.type_name,
                req.config,
                req.provider,
            ) {
                return merge(planned_from_config(req.config, &req.schema.body), v);
            }
            let pending = self.mode != PlanMode::Destroy && self.dependency_pending(addr);
            if req.config.is_wholly_known() && self.mode != PlanMode::Destroy && !pending {
                let cloud = self.cloud.clone();
                let cfg = req.config.clone();
                let a = addr.clone();
                let pk = provider_key.clone();
                match self
                    .handle
                    .block_on(async move { cloud.read_data(&pk, &a, &cfg).await })
                {
                    Ok(v) => {
                        self.data_values.insert(addr.to_string(), v.clone());
                        return v;
                    }
                    Err(e) => {
                        self.data_errors.push(e);
                        return planned_from_config(req.config, &req.schema.body);
                    }
                }
            }
            // Read during apply.
            let planned = planned_from_config(req.config, &req.schema.body);
            self.changes.insert(
                addr.clone(),
                ResourceChange {
                    addr: addr.clone(),
                    provider_key,
                    action: Action::Read,
                    action_reason: Some(if pending && req.config.is_wholly_known() {
                        ActionReason::ReadBecauseDependencyPending
                    } else {
                        ActionReason::ReadBecauseConfigUnknown
                    }),
                    before: None,
                    after: Some(planned.clone()),
                    replace_paths: Vec::new(),
                    api_ops: Vec::new(),
                    importing: None,
                    sensitive_attrs: Vec::new(),
                    dependencies: Vec::new(),
                    create_before_destroy: false,
                },
            );
            return planned;
        }
        let lifecycle = self
            .lifecycles
            .get(&(addr.module.module_path(), addr.resource.clone()))
            .cloned()
            .unwrap_or_default();
        let mut prior = self.refreshed.get(addr).cloned().flatten();
        // An import block for an object not yet in state: read it by its id and plan against it.
        let mut importing = None;
        if let (Some(id), None, true) = (
            req.import_id,
            self.refreshed.get(addr),
            self.mode != PlanMode::Destroy,
        ) {
            let cloud = self.cloud.clone();
            let (a, pk, i) = (addr.clone(), provider_key.clone(), id.to_string());
            match self
                .handle
                .block_on(async move { cloud.import(&pk, &a, &i).await })
            {
                Ok(Some(v)) => {
                    prior = Some(v);
                    importing = Some(id.to_string());
                }
                Ok(None) => self.data_errors.push(CloudError {
                    address: addr.to_string(),
                    operation: "import".into(),
                    message: format!("cannot import non-existent remote object: no {} with id {id:?} exists (check the id and the provider's region)", addr.resource.type_name),
                }),
                Err(e) => self.data_errors.push(e),
            }
        }
        let norm = self.cloud.normalizer(&addr.resource.type_name);
        let identity = Identity;
        let n: &dyn Normalizer = match &norm {
            Some(n) => n.as_ref(),
            None => &identity,
        };
        let mut provider_ops = None;
        let effective = match &prior {
            Some(p) => super::diff::apply_lifecycle(
                p,
                req.config,
                &lifecycle.ignore_changes,
                lifecycle.ignore_all_changes,
            ),
            None => req.config.clone(),
        };
        // The provider plans its types; the schema diff is for types without one.
        let mut d = match self.cloud.plan_instance(
            &provider_key,
            &addr.resource.type_name,
            prior.as_ref(),
            &effective,
        ) {
            Some(ip) => {
                provider_ops = Some(ip.api_ops);
                super::diff::InstanceDiff {
                    planned: ip.planned,
                    replace_paths: ip.replace_paths,
                    changed: ip.changed,
                }
            }
            None => diff_instance(
                &req.schema.body,
                prior.as_ref(),
                req.config,
                n,
                &lifecycle.ignore_changes,
                lifecycle.ignore_all_changes,
            ),
        };
        let forced = prior.is_some() && self.replace.contains(addr);
        if forced && !d.requires_replace() {
            d = match self.cloud.plan_instance(
                &provider_key,
                &addr.resource.type_name,
                None,
                req.config,
            ) {
                Some(ip) => super::diff::InstanceDiff {
                    planned: ip.planned,
                    replace_paths: Vec::new(),
                    changed: ip.changed,
                },
                None => diff_instance(&req.schema.body, None, req.config, n, &[], false),
            };
        }
        let (action, reason) = match &prior {
            None => (Action::Create, None),
            Some(_) if forced => (
                if lifecycle.create_before_destroy {
                    Action::CreateThenDelete
                } else {
                    Action::DeleteThenCreate
                },
                Some(ActionReason::ReplaceByRequest),
            ),
            Some(_) if d.requires_replace() => (
                if lifecycle.create_before_destroy {
                    Action::CreateThenDelete
                } else {
                    Action::DeleteThenCreate
                },
                Some(ActionReason::ReplaceBecauseCannotUpdate),
            ),
            Some(_) if !d.changed.is_empty() => (Action::Update, None),
            Some(_) => (Action::NoOp, None),
        };
        // Nothing changes: the object stays exactly as it is (as Terraform plans a no-op),
        // computed attributes included.
        if action == Action::NoOp {
            if let Some(p) = &prior {
                d.planned = p.clone();
            }
        }
        let api_ops = if action == Action::NoOp {
            Vec::new()
        } else {
            provider_ops.unwrap_or_else(|| {
                self.cloud.plan_ops(
                    &addr.resource.type_name,
                    action,
                    prior.as_ref(),
                    &d.planned,
                    &d.changed,
                )
            })
        };
        self.changes.insert(
            addr.clone(),
            ResourceChange {
                addr: addr.clone(),
                provider_key,
                action,
                action_reason: reason,
                before: prior,
                after: Some(d.planned.clone()),
                replace_paths: d.replace_paths,
                api_ops,
                importing,
                sensitive_attrs: req
                    .schema
                    .body
                    .attributes
                    .iter()
                    .filter(|a| a.sensitive)
                    .map(|a| a.name.to_string())
                    .collect(),
                dependencies: Vec::new(),
                create_before_destroy: lifecycle.create_before_destroy,
            },
        );
        d.planned
    }
}

fn merge(base: Value, over: Value) -> Value {
    match (base, over) {
        (Value::Map(mut b), Value::Map(o)) => {
            b.extend(o);
            Value::Map(b)
        }
        (_, o) => o,
    }
}

fn orphan_reason(config: &Config, ev: &Evaluated, addr: &ResourceInstanceAddr) -> ActionReason {
    let path = addr.module.module_path();
    let Some(m) = config.module(&path) else {
        return ActionReason::DeleteBecauseNoModule;
    };
    let Some(r) = m.resources.get(&addr.resource) else {
        return ActionReason::DeleteBecauseNoResourceConfig;
    };
    let _ = ev;
    match (&addr.key, r.count.is_some(), r.for_each.is_some()) {
        (Some(InstanceKey::Int(_)), true, _) => ActionReason::DeleteBecauseCountIndex,
        (Some(InstanceKey::Str(_)), _, true) => ActionReason::DeleteBecauseEachKey,
        _ => ActionReason::DeleteBecauseWrongRepetition,
    }
}

/// For every instance, the resources it depends on (directly or through locals, variables,
/// outputs and module calls), as the state's `dependencies` lists them.
pub fn resource_dependencies(ev: &Evaluated) -> HashMap<ResourceInstanceAddr, Vec<String>> {
    let g = &ev.graph;
    // Static resource dependencies of each static resource node.
    let mut static_deps: HashMap<petgraph::graph::NodeIndex, Vec<petgraph::graph::NodeIndex>> =
        HashMap::new();
    for ix in g.graph.node_indices() {
        if !matches!(g.graph[ix].kind, NodeKind::Resource(_)) {
            continue;
        }
        let mut seen = HashSet::new();
        let mut stack: Vec<_> = g
            .graph
            .neighbors_directed(ix, petgraph::Direction::Incoming)
            .collect();
        let mut found = Vec::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            match &g.graph[n].kind {
                // A data source is read when what it refers to exists, so what depends on it
                // depends on those too (as Terraform records them).
                NodeKind::Resource(r) if r.mode == ResourceMode::Data => {
                    found.push(n);
                    stack.extend(g.graph.neighbors_directed(n, petgraph::Direction::Incoming));
                }
                NodeKind::Resource(_) => found.push(n),
                NodeKind::Provider(_) => {}
                _ => stack.extend(g.graph.neighbors_directed(n, petgraph::Direction::Incoming)),
            }
        }
        static_deps.insert(ix, found);
    }
    // Map static nodes to instances.
    let mut by_static: HashMap<(ModulePath, ResourceAddr), Vec<&ResourceInstanceAddr>> =
        HashMap::new();
    for a in ev.instances.keys() {
        by_static
            .entry((a.module.module_path(), a.resource.clone()))
            .or_default()
            .push(a);
    }
    let mut out = HashMap::new();
    for a in ev.instances.keys() {
        let id = crate::graph::NodeId {
            module: a.module.module_path(),
            kind: NodeKind::Resource(a.resource.clone()),
        };
        let Some(ix) = g.index.get(&id) else { continue };
        let mut deps: Vec<String> = static_deps
            .get(ix)
            .map(|v| {
                v.iter()
                    .filter_map(|d| match &g.graph[*d].kind {
                        NodeKind::Resource(r) => Some((g.graph[*d].module.clone(), r.clone())),
                        _ => None,
                    })
                    .flat_map(|(m, r)| by_static.get(&(m, r)).cloned().unwrap_or_default())
                    .map(|i| i.abs_resource().to_string())
                    .collect()
            })
            .unwrap_or_default();
        deps.sort();
        deps.dedup();
        out.insert(a.clone(), deps);
    }
    out
}

fn filter_targets(
    changes: IndexMap<ResourceInstanceAddr, ResourceChange>,
    targets: &[String],
    deps: &HashMap<ResourceInstanceAddr, Vec<String>>,
) -> IndexMap<ResourceInstanceAddr, ResourceChange> {
    let matches = |a: &ResourceInstanceAddr, t: &str| {
        let s = a.to_string();
        let r = a.abs_resource().to_string();
        s == t || r == t || s.starts_with(&format!("{t}.")) || s.starts_with(&format!("{t}["))
    };
    let mut keep: HashSet<String> = HashSet::new();
    let mut stack: Vec<String> = changes
        .keys()
        .filter(|a| targets.iter().any(|t| matches(a, t)))
        .map(|a| a.to_string())
        .collect();
    while let Some(s) = stack.pop() {
        if !keep.insert(s.clone()) {
            continue;
        }
        for (a, d) in deps {
            if a.to_string() == s {
                for dep in d {
                    for c in changes.keys() {
                        if c.abs_resource().to_string() == *dep {
                            stack.push(c.to_string());
                        }
                    }
                }
            }
        }
    }
    changes
        .into_iter()
        .filter(|(a, _)| keep.contains(&a.to_string()))
        .collect()
}

/// Re-plans one change at apply time, now that the objects it depends on exist: evaluates the
/// configuration with the values in `state` (and the data read while planning) and diffs the
/// instance again. Returns the refined planned value, or `None` when the instance is no longer
/// in the configuration.
pub fn refine(
    config: &mut Config,
    eval: &EvalOptions,
    state: &IndexMap<ResourceInstanceAddr, Value>,
    data: &IndexMap<String, Value>,
    change: &ResourceChange,
    norm: Option<&(dyn Normalizer + Send + Sync)>,
) -> Option<Value> {
    let lifecycles: HashMap<(ModulePath, ResourceAddr), Lifecycle> = config
        .modules
        .iter()
        .flat_map(|(p, m)| {
            m.resources
                .iter()
                .map(move |(a, r)| ((p.clone(), a.clone()), r.lifecycle.clone()))
        })
        .collect();
    let mut r = RefineResolver {
        state,
        data,
        target: &change.addr,
        target_config: None,
    };
    let (_, diags) = evaluate(config, eval, &mut r);
    if diags.has_errors() {
        return None;
    }
    let (config_value, schema) = r.target_config?;
    let l = lifecycles
        .get(&(
            change.addr.module.module_path(),
            change.addr.resource.clone(),
        ))
        .cloned()
        .unwrap_or_default();
    let identity = Identity;
    let n: &dyn Normalizer = match norm {
        Some(n) => n,
        None => &identity,
    };
    let prior = if change.action.is_replace() {
        None
    } else {
        change.before.as_ref()
    };
    Some(
        diff_instance(
            &schema.body,
            prior,
            &config_value,
            n,
            &l.ignore_changes,
            l.ignore_all_changes,
        )
        .planned,
    )
}

struct RefineResolver<'a> {
    state: &'a IndexMap<ResourceInstanceAddr, Value>,
    data: &'a IndexMap<String, Value>,
    target: &'a ResourceInstanceAddr,
    target_config: Option<(Value, &'static schema::ResourceSchema)>,
}

impl ResourceResolver for RefineResolver<'_> {
    fn resolve(&mut self, req: &ResolveRequest<'_>) -> Value {
        if req.addr == self.target {
            self.target_config = Some((req.config.clone(), req.schema));
        }
        if req.addr.resource.mode == ResourceMode::Data {
            if let Some(v) = self.data.get(&req.addr.to_string()) {
                return v.clone();
            }
            if let Some(v) = crate::config::eval::local_data_source(
                &req.addr.resource.type_name,
                req.config,
                req.provider,
            ) {
                return merge(planned_from_config(req.config, &req.schema.body), v);
            }
            return planned_from_config(req.config, &req.schema.body);
        }
        match self.state.get(req.addr) {
            Some(v) => v.clone(),
            None => planned_from_config(req.config, &req.schema.body),
        }
    }
}

/// The `local-exec` provisioners of `addr`, evaluated against the objects in `state` (which
/// holds the object just created, bound to `self`).
///
/// # Errors
/// The evaluation's error messages.
pub fn provisioner_commands(
    config: &mut Config,
    eval: &EvalOptions,
    state: &IndexMap<ResourceInstanceAddr, Value>,
    data: &IndexMap<String, Value>,
    addr: &ResourceInstanceAddr,
) -> Result<Vec<crate::config::eval::LocalExec>, String> {
    let mut opts = eval.clone();
    opts.provision = Some(addr.clone());
    let mut r = RefineResolver {
        state,
        data,
        target: addr,
        target_config: None,
    };
    let (ev, diags) = evaluate(config, &opts, &mut r);
    if diags.has_errors() {
        return Err(diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("; "));
    }
    Ok(ev.provisioners)
}

/// Root outputs evaluated against the objects in `state` (after apply).
pub fn outputs(
    config: &mut Config,
    eval: &EvalOptions,
    state: &IndexMap<ResourceInstanceAddr, Value>,
    data: &IndexMap<String, Value>,
) -> IndexMap<String, Value> {
    let target = ResourceInstanceAddr {
        module: Default::default(),
        resource: ResourceAddr::managed("", ""),
        key: None,
    };
    let mut r = RefineResolver {
        state,
        data,
        target: &target,
        target_config: None,
    };
    let (ev, _) = evaluate(config, eval, &mut r);
    ev.outputs.into_iter().map(|(k, o)| (k, o.value)).collect()
}
