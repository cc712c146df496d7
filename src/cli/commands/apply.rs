//! `emrform apply [PLANFILE]` and `emrform destroy`.

use super::plan::{make, prepare, print, PlanArgs, PlanFormat};
use crate::apply::{apply, ApplyHooks, ApplyOptions, Event, StateUpdate};
use crate::cli::state_file::to_json;
use crate::cli::Output;
use crate::plan::planner::{PriorObject, PriorState};
use crate::plan::{Action, Plan};
use clap::Args;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// `apply` options.
#[derive(Debug, Args)]
pub struct ApplyCmd {
    /// Shared plan options.
    #[command(flatten)]
    pub common: PlanArgs,
    /// Skip the confirmation prompt.
    #[arg(long)]
    pub auto_approve: bool,
    /// A plan saved with `plan --out`; applied without asking.
    pub plan_file: Option<PathBuf>,
}

struct TextHooks;

impl ApplyHooks for TextHooks {
    fn event(&self, e: &Event) {
        match e {
            Event::Started { addr, action } => {
                let verb = match action {
                    Action::Create => "Creating...",
                    Action::Update => "Modifying...",
                    Action::Delete => "Destroying...",
                    Action::DeleteThenCreate | Action::CreateThenDelete => "Replacing...",
                    Action::Read => "Reading...",
                    Action::NoOp => return,
                };
                println!("{addr}: {verb}");
            }
            Event::Finished {
                addr,
                action,
                elapsed,
                id,
            } => {
                let verb = match action {
                    Action::Create | Action::DeleteThenCreate | Action::CreateThenDelete => {
                        "Creation complete"
                    }
                    Action::Update => "Modifications complete",
                    Action::Delete => "Destruction complete",
                    Action::Read => "Read complete",
                    Action::NoOp => return,
                };
                let id = id
                    .as_deref()
                    .map(|i| format!(" [id={i}]"))
                    .unwrap_or_default();
                println!("{addr}: {verb} after {}s{id}", elapsed.as_secs());
            }
            Event::Failed { addr, error, .. } => eprintln!("{addr}: failed: {error}"),
            Event::Skipped { addr, reason } => eprintln!("{addr}: skipped ({reason})"),
            Event::Provisioner { addr, kind, line } => println!("{addr} ({kind}): {line}"),
        }
    }
}

fn confirm(prompt: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("apply needs confirmation but standard input is not a terminal; pass --auto-approve or apply a saved plan file");
    }
    print!("\n{prompt}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim() == "yes")
}

/// Runs `apply` (or `destroy` when `destroy` is set).
///
/// # Errors
/// Tool failures.
pub fn run(args: &ApplyCmd, destroy: bool, out: &Output) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let mut common = args.common.clone();
        common.destroy |= destroy;
        let Ok(mut p) = prepare(&common, "OperationTypeApply", out).await? else { return Ok(ExitCode::from(1)) };
        let plan: Plan = match &args.plan_file {
            Some(f) => {
                let plan: Plan = serde_json::from_slice(&std::fs::read(f)?).map_err(|e| anyhow::anyhow!("{} is not a saved plan: {e}", f.display()))?;
                if plan.prior_state.lineage != p.prior.state_ref.lineage || plan.prior_state.serial != p.prior.state_ref.serial {
                    anyhow::bail!("saved plan is stale: the state changed since the plan was made (plan: lineage {:?} serial {}, state: lineage {:?} serial {}); run plan again", plan.prior_state.lineage, plan.prior_state.serial, p.prior.state_ref.lineage, p.prior.state_ref.serial);
                }
                plan
            }
            None => {
                let Ok(plan) = make(&mut p, &common, out).await? else { return Ok(ExitCode::from(1)) };
                print(&plan, PlanFormat::Text, None, out)?;
                plan
            }
        };
        if plan.has_blocking_findings() {
            out.error("the plan has error findings; fix them (or silence one with `# emrform:ignore ID reason`) before applying");
            return Ok(ExitCode::from(1));
        }
        if !plan.has_changes() && plan.resource_drift.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        if args.plan_file.is_none() && !args.auto_approve {
            let q = if common.destroy { "Do you really want to destroy all resources?" } else { "Do you want to perform these actions?" };
            if !confirm(q)? {
                println!("\nApply cancelled.");
                return Ok(ExitCode::from(1));
            }
        }
        // Start from state as refreshed.
        let mut start = p.prior.clone();
        for d in &plan.resource_drift {
            match &d.after {
                Some(v) => {
                    if let Some(o) = start.objects.get_mut(&d.addr) {
                        o.value = v.clone();
                        o.pending_create = false;
                    }
                }
                None => {
                    start.objects.shift_remove(&d.addr);
                }
            }
        }
        // Objects imported by import blocks join state as they were read; their changes (if
        // any) then apply on top like any other.
        for c in plan.resource_changes.iter().filter(|c| c.importing.is_some()) {
            if let Some(v) = &c.before {
                start.objects.insert(c.addr.clone(), PriorObject { value: v.clone(), provider_key: c.provider_key.clone(), dependencies: c.dependencies.clone(), pending_create: false });
            }
        }
        let state = Arc::new(Mutex::new(start));
        let sensitive: Vec<String> = plan.output_changes.iter().filter(|(_, o)| o.sensitive).map(|(k, _)| k.clone()).collect();
        let write = {
            let state = state.clone();
            let file = p.state_file.clone();
            let sensitive = sensitive.clone();
            move |st: &mut PriorState| -> Result<(), String> {
                let j = to_json(st, &sensitive);
                file.write(&j).map_err(|e| e.to_string())?;
                st.state_ref.serial += 1;
                if st.state_ref.lineage.is_empty() {
                    st.state_ref.lineage = j["lineage"].as_str().unwrap_or_default().to_string();
                }
                let _ = &state;
                Ok(())
            }
        };
        {
            let mut st = state.lock().map_err(|_| anyhow::anyhow!("state lock poisoned"))?;
            write(&mut st).map_err(anyhow::Error::msg)?;
        }
        let persist = {
            let state = state.clone();
            let write = write.clone();
            Arc::new(move |u: StateUpdate| -> Result<(), String> {
                let mut st = state.lock().map_err(|_| "state lock poisoned".to_string())?;
                match u {
                    StateUpdate::Put { addr, value, provider_key, dependencies } => {
                        st.objects.insert(addr, PriorObject { value, provider_key, dependencies, pending_create: false });
                    }
                    StateUpdate::PendingCreate { addr, planned, provider_key, dependencies } => {
                        st.objects.insert(addr, PriorObject { value: planned, provider_key, dependencies, pending_create: true });
                    }
                    StateUpdate::Remove(a) => {
                        st.objects.shift_remove(&a);
                    }
                }
                write(&mut st)
            })
        };
        let config = Arc::new(Mutex::new(std::mem::take(&mut p.config)));
        let refine: crate::apply::Refine = {
            let config = config.clone();
            let state = state.clone();
            let eval = p.eval.clone();
            let data = plan.data.clone();
            Arc::new(move |c| {
                let values = state.lock().ok()?.objects.iter().map(|(a, o)| (a.clone(), o.value.clone())).collect();
                let mut cfg = config.lock().ok()?;
                crate::plan::planner::refine(&mut cfg, &eval, &values, &data, c, None)
            })
        };
        let stop = Arc::new(AtomicBool::new(false));
        {
            let stop = stop.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    eprintln!("\nInterrupt received: waiting for running operations to finish; nothing new will start.");
                    stop.store(true, Ordering::SeqCst);
                }
            });
        }
        let provision: Option<crate::apply::executor::Provision> = if plan.provisioners.is_empty() {
            None
        } else {
            let config = config.clone();
            let state = state.clone();
            let eval = p.eval.clone();
            let data = plan.data.clone();
            let kinds = plan.provisioners.clone();
            let allowed = plan.allow_local_exec;
            Some(Arc::new(move |c: &crate::plan::ResourceChange| {
                let Some(k) = kinds.get(&c.addr.to_string()) else { return Ok(Vec::new()) };
                if !allowed {
                    if k.iter().any(|k| k == "local-exec") {
                        eprintln!("{}: local-exec provisioner not run (pass --allow-local-exec to run it)", c.addr);
                    }
                    return Ok(Vec::new());
                }
                let values = state.lock().map_err(|_| "state lock poisoned".to_string())?.objects.iter().map(|(a, o)| (a.clone(), o.value.clone())).collect();
                let mut cfg = config.lock().map_err(|_| "configuration lock poisoned".to_string())?;
                crate::plan::planner::provisioner_commands(&mut cfg, &eval, &values, &data, &c.addr)
            }))
        };
        let outcome = apply(&plan, p.cloud.clone(), persist, Arc::new(TextHooks), &ApplyOptions { parallelism: common.parallelism, stop, refine: Some(refine), provision }).await;
        // Outputs from the final state.
        {
            let mut st = state.lock().map_err(|_| anyhow::anyhow!("state lock poisoned"))?;
            let values = st.objects.iter().map(|(a, o)| (a.clone(), o.value.clone())).collect();
            let mut cfg = config.lock().map_err(|_| anyhow::anyhow!("config lock poisoned"))?;
            st.outputs = if common.destroy { Default::default() } else { crate::plan::planner::outputs(&mut cfg, &p.eval, &values, &plan.data) };
            write(&mut st).map_err(anyhow::Error::msg)?;
        }
        drop(p.lock);
        if !outcome.errors.is_empty() {
            for e in &outcome.errors {
                out.error(&e.to_string());
            }
            eprintln!("\nState records every object that exists; run apply again to finish.");
            return Ok(ExitCode::from(1));
        }
        let (a, c, d) = outcome.counts;
        if common.destroy {
            println!("\nDestroy complete! Resources: {d} destroyed.");
        } else {
            let imported = plan.resource_changes.iter().filter(|c| c.importing.is_some()).count();
            if imported > 0 {
                println!("\nApply complete! Resources: {imported} imported, {a} added, {c} changed, {d} destroyed.");
            } else {
                println!("\nApply complete! Resources: {a} added, {c} changed, {d} destroyed.");
            }
            let st = state.lock().map_err(|_| anyhow::anyhow!("state lock poisoned"))?;
            if !st.outputs.is_empty() {
                println!("\nOutputs:\n");
                for (k, v) in &st.outputs {
                    let shown = if sensitive.contains(k) { "<sensitive>".to_string() } else { v.to_string() };
                    println!("{k} = {shown}");
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
