//! The apply executor.

use crate::addrs::ResourceInstanceAddr;
use crate::config::value::Value;
use crate::plan::planner::{ApplyError, Cloud};
use crate::plan::{Action, Plan, ResourceChange};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// What happened to one object, for the persistence callback.
#[derive(Debug, Clone, PartialEq)]
pub enum StateUpdate {
    /// The object exists with this value (created, updated, read, or partly created).
    Put {
        /// Address.
        addr: ResourceInstanceAddr,
        /// Value.
        value: Value,
        /// Provider configuration key.
        provider_key: String,
        /// Dependencies to record.
        dependencies: Vec<String>,
    },
    /// A create call is about to be made: recorded first so that, if the process dies before
    /// the result is recorded, the next plan looks for what the call made.
    PendingCreate {
        /// Address.
        addr: ResourceInstanceAddr,
        /// The planned object (unknown values as null).
        planned: Value,
        /// Provider configuration key.
        provider_key: String,
        /// Dependencies to record.
        dependencies: Vec<String>,
    },
    /// The object is gone.
    Remove(ResourceInstanceAddr),
}

/// Progress events.
#[derive(Debug, Clone)]
pub enum Event {
    /// An operation started.
    Started {
        addr: ResourceInstanceAddr,
        action: Action,
    },
    /// An operation finished.
    Finished {
        addr: ResourceInstanceAddr,
        action: Action,
        elapsed: Duration,
        id: Option<String>,
    },
    /// An operation failed.
    Failed {
        addr: ResourceInstanceAddr,
        action: Action,
        error: String,
    },
    /// Skipped because a dependency failed or the run was interrupted.
    Skipped {
        addr: ResourceInstanceAddr,
        reason: String,
    },
    /// A line a provisioner printed, or a note about one.
    Provisioner {
        addr: ResourceInstanceAddr,
        kind: String,
        line: String,
    },
}

/// Receives progress events (text progress, JSON lines, tests).
pub trait ApplyHooks: Send + Sync {
    /// One event.
    fn event(&self, e: &Event);
}

/// Hooks that do nothing.
pub struct NoHooks;

impl ApplyHooks for NoHooks {
    fn event(&self, _: &Event) {}
}

/// Re-plans a change just before it runs, once the objects it depends on exist; returns the
/// final planned value (`None` keeps the plan's).
pub type Refine = Arc<dyn Fn(&ResourceChange) -> Option<Value> + Send + Sync>;

/// Apply options.
#[derive(Clone)]
pub struct ApplyOptions {
    /// Operations at once.
    pub parallelism: usize,
    /// Set to stop starting new operations (Ctrl-C); running ones finish and are recorded.
    pub stop: Arc<AtomicBool>,
    /// Resolves values that were unknown at plan time.
    pub refine: Option<Refine>,
    /// The `local-exec` commands to run after creating an instance (none when the plan does
    /// not allow them).
    pub provision: Option<Provision>,
}

/// Evaluates the provisioners of a created instance.
pub type Provision = Arc<
    dyn Fn(&ResourceChange) -> Result<Vec<crate::config::eval::LocalExec>, String> + Send + Sync,
>;

/// Runs one `local-exec` command, passing its output lines to `hooks`.
///
/// # Errors
/// A command that cannot start or exits unsuccessfully.
pub async fn run_local_exec(
    addr: &ResourceInstanceAddr,
    p: &crate::config::eval::LocalExec,
    hooks: &dyn ApplyHooks,
) -> Result<(), String> {
    use tokio::io::AsyncBufReadExt;
    let (program, args): (String, Vec<String>) = match p.interpreter.split_first() {
        Some((prog, rest)) => (prog.clone(), rest.to_vec()),
        None => ("/bin/sh".into(), vec!["-c".into()]),
    };
    let say = |line: String| {
        hooks.event(&Event::Provisioner {
            addr: addr.clone(),
            kind: "local-exec".into(),
            line,
        })
    };
    if !p.quiet {
        say(format!(
            "Executing: {:?}",
            [&program]
                .into_iter()
                .chain(&args)
                .chain([&p.command])
                .collect::<Vec<_>>()
        ));
    }
    let mut cmd = tokio::process::Command::new(&program);
    cmd.args(&args)
        .arg(&p.command)
        .envs(p.environment.iter().cloned())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    if let Some(d) = &p.working_dir {
        cmd.current_dir(d);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let mut out = child
        .stdout
        .take()
        .map(|o| tokio::io::BufReader::new(o).lines());
    let mut err = child
        .stderr
        .take()
        .map(|o| tokio::io::BufReader::new(o).lines());
    loop {
        tokio::select! {
            l = async { match out.as_mut() { Some(o) => o.next_line().await, None => Ok(None) } }, if out.is_some() => {
                match l { Ok(Some(line)) => say(line), _ => out = None }
            }
            l = async { match err.as_mut() { Some(o) => o.next_line().await, None => Ok(None) } }, if err.is_some() => {
                match l { Ok(Some(line)) => say(line), _ => err = None }
            }
            else => break,
        }
    }
    let status = child
        .wait()
        .await
        .map_err(|e| format!("waiting for {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "local-exec provisioner: command exited with {status}"
        ))
    }
}

/// The result of an apply.
#[derive(Debug, Default)]
pub struct ApplyOutcome {
    /// Errors, one per failed operation.
    pub errors: Vec<ApplyError>,
    /// (added, changed, destroyed)
    pub counts: (usize, usize, usize),
    /// Changes not attempted.
    pub skipped: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Step {
    /// Create, update, read, or the whole of a delete-then-create.
    Main(usize),
    /// A delete (plain, or the old half of create-then-delete).
    Delete(usize),
}

/// Applies `plan`. `persist` is called after every object, in the order they finish, and must
/// write state before returning; when it fails, apply stops starting new work.
pub async fn apply(
    plan: &Plan,
    cloud: Arc<dyn Cloud>,
    persist: Arc<dyn Fn(StateUpdate) -> Result<(), String> + Send + Sync>,
    hooks: Arc<dyn ApplyHooks>,
    opts: &ApplyOptions,
) -> ApplyOutcome {
    let changes: Vec<&ResourceChange> = plan
        .resource_changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .collect();
    // Which step provides which resource (abs address) for ordering.
    let mut provides: HashMap<String, Vec<Step>> = HashMap::new();
    let mut deletes_of: HashMap<String, Vec<Step>> = HashMap::new();
    let mut steps = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        let key = c.addr.abs_resource().to_string();
        match c.action {
            Action::Delete => {
                steps.push(Step::Delete(i));
                deletes_of.entry(key).or_default().push(Step::Delete(i));
            }
            Action::CreateThenDelete => {
                steps.push(Step::Main(i));
                steps.push(Step::Delete(i));
                provides.entry(key.clone()).or_default().push(Step::Main(i));
                deletes_of.entry(key).or_default().push(Step::Delete(i));
            }
            _ => {
                steps.push(Step::Main(i));
                provides.entry(key).or_default().push(Step::Main(i));
            }
        }
    }
    // Resources (abs addresses) this apply creates, updates, replaces or reads.
    let changed: HashSet<String> = changes
        .iter()
        .filter(|c| c.action != Action::Delete)
        .map(|c| c.addr.abs_resource().to_string())
        .collect();
    // Prerequisites of each step.
    let mut prereq: HashMap<Step, Vec<Step>> = HashMap::new();
    for &s in &steps {
        let mut p = Vec::new();
        match s {
            Step::Main(i) => {
                for d in &changes[i].dependencies {
                    p.extend(provides.get(d).cloned().unwrap_or_default());
                }
            }
            Step::Delete(i) => {
                // Delete after everything that depended on it is deleted, and after the
                // replacement (create_before_destroy) exists.
                let me = changes[i].addr.abs_resource().to_string();
                for (j, other) in changes.iter().enumerate() {
                    if j != i && other.dependencies.contains(&me) {
                        if let Some(ds) = deletes_of.get(&other.addr.abs_resource().to_string()) {
                            p.extend(ds.iter().copied().filter(|d| *d == Step::Delete(j)));
                        }
                    }
                }
                if changes[i].action == Action::CreateThenDelete {
                    p.push(Step::Main(i));
                    // Dependents are updated to point at the replacement first.
                    for (j, other) in changes.iter().enumerate() {
                        if j != i
                            && other.dependencies.contains(&me)
                            && other.action != Action::Delete
                        {
                            p.push(Step::Main(j));
                        }
                    }
                }
            }
        }
        p.retain(|x| *x != s);
        prereq.insert(s, p);
    }
    let sem = Arc::new(Semaphore::new(opts.parallelism.max(1)));
    let mut done: HashSet<Step> = HashSet::new();
    let mut failed: HashSet<Step> = HashSet::new();
    let mut pending: Vec<Step> = steps.clone();
    let mut outcome = ApplyOutcome::default();
    let mut running = tokio::task::JoinSet::new();
    let persist_failed = Arc::new(AtomicBool::new(false));
    loop {
        // Start every ready step.
        let stopping = opts.stop.load(Ordering::SeqCst) || persist_failed.load(Ordering::SeqCst);
        let mut i = 0;
        while i < pending.len() {
            let s = pending[i];
            let pre = &prereq[&s];
            if pre.iter().any(|p| failed.contains(p)) || stopping {
                let c = changes[match s {
                    Step::Main(i) | Step::Delete(i) => i,
                }];
                hooks.event(&Event::Skipped {
                    addr: c.addr.clone(),
                    reason: if stopping {
                        "interrupted".into()
                    } else {
                        "a dependency failed".into()
                    },
                });
                failed.insert(s);
                outcome.skipped += 1;
                pending.remove(i);
                continue;
            }
            if pre.iter().all(|p| done.contains(p)) {
                pending.remove(i);
                let mut c = changes[match s {
                    Step::Main(i) | Step::Delete(i) => i,
                }]
                .clone();
                if let (Step::Main(_), Some(refine)) = (s, &opts.refine) {
                    // Values unknown at plan time can only have come from objects this apply
                    // changes; without such a dependency the unknowns are the provider's own
                    // computed attributes, and evaluating the configuration again (which costs
                    // as much as the whole configuration) would change nothing. Data sources
                    // read during apply get their configuration again too.
                    let waits_on_changes = c.dependencies.iter().any(|d| changed.contains(d));
                    if (c.after.as_ref().is_some_and(|a| !a.is_wholly_known()) && waits_on_changes)
                        || c.action == Action::Read
                    {
                        if let Some(v) = refine(&c) {
                            c.after = Some(v);
                        }
                    }
                }
                let cloud = cloud.clone();
                let persist = persist.clone();
                let hooks = hooks.clone();
                let sem = sem.clone();
                let persist_failed = persist_failed.clone();
                let provision = opts.provision.clone();
                running.spawn(async move {
                    let _permit = sem.acquire_owned().await;
                    let r = run_step(
                        &c,
                        s,
                        cloud.as_ref(),
                        persist.as_ref(),
                        hooks.as_ref(),
                        provision.as_ref(),
                    )
                    .await;
                    if let Err(e) = &r {
                        if e.operation == "persist" {
                            persist_failed.store(true, Ordering::SeqCst);
                        }
                    }
                    (s, c.action, r)
                });
                continue;
            }
            i += 1;
        }
        let Some(res) = running.join_next().await else {
            break;
        };
        match res {
            Ok((s, action, Ok(()))) => {
                done.insert(s);
                let (a, c, d) = match (s, action) {
                    (Step::Main(_), Action::Create) => (1, 0, 0),
                    (Step::Main(_), Action::Update) => (0, 1, 0),
                    (Step::Main(_), Action::DeleteThenCreate) => (1, 0, 1),
                    (Step::Main(_), Action::CreateThenDelete) => (1, 0, 0),
                    (Step::Delete(_), _) => (0, 0, 1),
                    _ => (0, 0, 0),
                };
                outcome.counts = (
                    outcome.counts.0 + a,
                    outcome.counts.1 + c,
                    outcome.counts.2 + d,
                );
            }
            Ok((s, _, Err(e))) => {
                failed.insert(s);
                outcome.errors.push(e);
            }
            Err(join) => outcome.errors.push(ApplyError {
                address: String::new(),
                operation: "apply".into(),
                message: join.to_string(),
                partial: None,
            }),
        }
    }
    outcome
}

async fn run_step(
    c: &ResourceChange,
    s: Step,
    cloud: &dyn Cloud,
    persist: &(dyn Fn(StateUpdate) -> Result<(), String> + Send + Sync),
    hooks: &dyn ApplyHooks,
    provisioner: Option<&Provision>,
) -> Result<(), ApplyError> {
    let start = Instant::now();
    let action = c.action;
    hooks.event(&Event::Started {
        addr: c.addr.clone(),
        action,
    });
    let put = |value: Value| StateUpdate::Put {
        addr: c.addr.clone(),
        value,
        provider_key: c.provider_key.clone(),
        dependencies: c.dependencies.clone(),
    };
    let save = |u: StateUpdate| {
        persist(u).map_err(|m| ApplyError {
            address: c.addr.to_string(),
            operation: "persist".into(),
            message: format!("writing state: {m}"),
            partial: None,
        })
    };
    let fail = |e: ApplyError| {
        hooks.event(&Event::Failed {
            addr: c.addr.clone(),
            action,
            error: e.to_string(),
        });
        e
    };
    let result: Result<Option<Value>, ApplyError> = async {
        match (s, action) {
            (Step::Delete(_), _) | (_, Action::Delete) => {
                let prior = c.before.clone().unwrap_or_default();
                cloud.delete(&c.provider_key, &c.addr, &prior).await?;
                if action == Action::CreateThenDelete {
                    // The replacement is already recorded under this address.
                    return Ok(None);
                }
                save(StateUpdate::Remove(c.addr.clone()))?;
                Ok(None)
            }
            (Step::Main(_), Action::DeleteThenCreate) => {
                let prior = c.before.clone().unwrap_or_default();
                cloud.delete(&c.provider_key, &c.addr, &prior).await?;
                save(StateUpdate::Remove(c.addr.clone()))?;
                let v = create(c, cloud, &put, &save).await?;
                provision(c, provisioner, hooks).await?;
                Ok(Some(v))
            }
            (Step::Main(_), Action::Create | Action::CreateThenDelete) => {
                let v = create(c, cloud, &put, &save).await?;
                provision(c, provisioner, hooks).await?;
                Ok(Some(v))
            }
            (Step::Main(_), Action::Update) => {
                let prior = c.before.clone().unwrap_or_default();
                let planned = c.after.clone().unwrap_or_default();
                let v = cloud
                    .update(&c.provider_key, &c.addr, &prior, &planned, &c.api_ops)
                    .await?;
                save(put(v.clone()))?;
                Ok(Some(v))
            }
            (Step::Main(_), Action::Read) => {
                let cfg = c.after.clone().unwrap_or_default();
                let v = cloud
                    .read_data(&c.provider_key, &c.addr, &cfg)
                    .await
                    .map_err(|e| ApplyError {
                        address: e.address,
                        operation: e.operation,
                        message: e.message,
                        partial: None,
                    })?;
                Ok(Some(v))
            }
            (Step::Main(_), Action::NoOp) => Ok(None),
        }
    }
    .await;
    match result {
        Ok(v) => {
            let id = v
                .as_ref()
                .and_then(|v| v.get("id"))
                .and_then(Value::as_str)
                .map(str::to_string);
            hooks.event(&Event::Finished {
                addr: c.addr.clone(),
                action,
                elapsed: start.elapsed(),
                id,
            });
            Ok(())
        }
        Err(e) => Err(fail(e)),
    }
}

/// Runs the creation-time provisioners of a created instance. A failure fails the create
/// (the object stays recorded) unless the provisioner says `on_failure = continue`.
async fn provision(
    c: &ResourceChange,
    provisioner: Option<&Provision>,
    hooks: &dyn ApplyHooks,
) -> Result<(), ApplyError> {
    let Some(p) = provisioner else {
        return Ok(());
    };
    let err = |message: String| ApplyError {
        address: c.addr.to_string(),
        operation: "local-exec".into(),
        message,
        partial: None,
    };
    for cmd in p(c).map_err(err)? {
        if let Err(m) = run_local_exec(&c.addr, &cmd, hooks).await {
            if cmd.on_failure_continue {
                hooks.event(&Event::Provisioner {
                    addr: c.addr.clone(),
                    kind: "local-exec".into(),
                    line: format!("{m} (on_failure = continue)"),
                });
            } else {
                return Err(err(m));
            }
        }
    }
    Ok(())
}

async fn create(
    c: &ResourceChange,
    cloud: &dyn Cloud,
    put: &(dyn Fn(Value) -> StateUpdate + Sync),
    save: &(dyn Fn(StateUpdate) -> Result<(), ApplyError> + Sync),
) -> Result<Value, ApplyError> {
    let planned = c.after.clone().unwrap_or_default();
    // With create_before_destroy the address still holds the object being replaced, which
    // state must keep recording; the pending record is only written where nothing is.
    let pending = c.action != Action::CreateThenDelete;
    if pending {
        save(StateUpdate::PendingCreate {
            addr: c.addr.clone(),
            planned: planned.clone(),
            provider_key: c.provider_key.clone(),
            dependencies: c.dependencies.clone(),
        })?;
    }
    fail_point("before-create", &c.addr);
    let created = cloud.create(&c.provider_key, &c.addr, &planned).await;
    fail_point("after-create", &c.addr);
    match created {
        Ok(v) => {
            save(put(v.clone()))?;
            Ok(v)
        }
        Err(e) => {
            // The object may exist even though the create failed: record it. Otherwise AWS
            // refused the create and nothing was made.
            if let Some(p) = &e.partial {
                save(put(p.clone()))?;
            } else if pending {
                save(StateUpdate::Remove(c.addr.clone()))?;
            }
            Err(e)
        }
    }
}

/// Crash testing: `EMRFORM_KILL_AT=POINT:ADDR` (POINT is `before-create` or `after-create`)
/// makes the process kill itself with SIGKILL at that point for that address, as a power cut
/// or `kill -9` would, so tests can check that state records every object that exists.
fn fail_point(point: &str, addr: &ResourceInstanceAddr) {
    static AT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let Some(at) = AT.get_or_init(|| std::env::var("EMRFORM_KILL_AT").ok()) else {
        return;
    };
    if at.split_once(':') == Some((point, addr.to_string().as_str())) {
        #[cfg(unix)]
        // SAFETY: sending a signal to our own process; no memory is touched.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
        std::process::abort();
    }
}
