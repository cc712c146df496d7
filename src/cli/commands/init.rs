//! `emrform init [--migrate-state]`: records the backend the configuration uses, in
//! `.emrform/backend.json`, and when it changed since the last init, copies the state (every
//! workspace's) from the old backend to the new one keeping serial and lineage. Before that it
//! fetches registry and git module sources into `.emrform/modules` ([`crate::cli::modules`]).

use crate::cli::backend::{configured, open, BackendBlock};
use crate::cli::Output;
use crate::config::value::Value;
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

/// `init` options.
#[derive(Debug, Args)]
pub struct InitCmd {
    /// Copy the state from the previously recorded backend to the configured one.
    #[arg(long)]
    pub migrate_state: bool,
}

fn record_path(dir: &Path) -> std::path::PathBuf {
    dir.join(".emrform").join("backend.json")
}

fn recorded(dir: &Path) -> Option<Option<BackendBlock>> {
    let text = std::fs::read_to_string(record_path(dir)).ok()?;
    let j: serde_json::Value = serde_json::from_str(&text).ok()?;
    match j.get("type").and_then(|t| t.as_str()) {
        None | Some("local-default") => Some(None),
        Some(kind) => Some(Some((
            kind.to_string(),
            Value::from_json(j.get("config").unwrap_or(&serde_json::Value::Null)),
        ))),
    }
}

fn describe(b: &Option<BackendBlock>) -> String {
    match b {
        None => "the default local backend".into(),
        Some((k, _)) => format!("backend \"{k}\""),
    }
}

/// Runs `init`.
///
/// # Errors
/// Backend failures.
pub fn run(args: &InitCmd, out: &Output) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let dir = std::env::current_dir()?;
        // Module sources first: the backend block may sit in the root module only, but a
        // configuration is only usable once its modules are here.
        let fetched = crate::cli::modules::install(&dir).await?;
        for m in &fetched {
            println!(
                "Fetched module {:?} from {}{} (commit {}) into {}.",
                m.key,
                m.source,
                m.version.as_ref().map(|v| format!(" {v}")).unwrap_or_default(),
                &m.commit[..m.commit.len().min(12)],
                m.dir
            );
        }
        let now = configured(&dir)?;
        let before = recorded(&dir);
        if let Some(before) = &before {
            if *before != now {
                let workspaces = crate::cli::backend::workspaces(&dir, before.as_ref()).await?;
                let mut moved = 0;
                for ws in &workspaces {
                    let from = open(&dir, before.as_ref(), ws).await?;
                    let snap = from.read().await?;
                    let Some(state) = snap.state else { continue };
                    if !args.migrate_state {
                        out.error(&format!(
                            "the backend changed from {} to {} and workspace {ws:?} has state in the old one; run `emrform init --migrate-state` to copy it",
                            describe(before),
                            describe(&now)
                        ));
                        return Ok(ExitCode::from(1));
                    }
                    let to = open(&dir, now.as_ref(), ws).await?;
                    let there = to.read().await?;
                    if let Some(t) = &there.state {
                        if t.lineage != state.lineage || t.serial >= state.serial {
                            out.error(&format!("{} already holds a state for workspace {ws:?} (lineage {}, serial {}); not overwriting it", to.describe(), t.lineage, t.serial));
                            return Ok(ExitCode::from(1));
                        }
                    }
                    to.write(&state, &there.version).await?;
                    // A local source is kept only as its backup, so that later runs cannot
                    // mistake it for the live state.
                    if before.as_ref().is_none_or(|(k, _)| k == "local") {
                        from.delete().await?;
                    }
                    println!("Copied workspace {ws:?} (serial {}, lineage {}) from {} to {}.", state.serial, state.lineage, from.describe(), to.describe());
                    moved += 1;
                }
                if moved == 0 {
                    println!("The backend changed; there was no state to copy.");
                }
            }
        }
        let (kind, config) = match &now {
            None => ("local-default".to_string(), serde_json::Value::Null),
            Some((k, c)) => (k.clone(), c.to_json()),
        };
        let p = record_path(&dir);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&p, serde_json::to_string_pretty(&serde_json::json!({"type": kind, "config": config}))? + "\n")?;
        println!("emrform has been successfully initialized ({}).", describe(&now));
        Ok(ExitCode::SUCCESS)
    })
}
