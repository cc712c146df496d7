//! `emrform workspace list|show|new|select|delete`: several states for one configuration, laid
//! out as Terraform lays them out (see [`crate::cli::backend`]).

use crate::cli::backend::{
    check_workspace_name, configured, current_workspace, open, select_workspace,
};
use crate::cli::Output;
use clap::{Args, Subcommand};
use std::path::Path;
use std::process::ExitCode;

/// `workspace` options.
#[derive(Debug, Args)]
pub struct WorkspaceCmd {
    /// The subcommand.
    #[command(subcommand)]
    pub command: WorkspaceSub,
}

/// Workspace subcommands.
#[derive(Debug, Subcommand)]
pub enum WorkspaceSub {
    /// List workspaces; the current one is marked with `*`.
    List,
    /// Print the current workspace.
    Show,
    /// Create a workspace and select it.
    New {
        /// Its name.
        name: String,
    },
    /// Select a workspace.
    Select {
        /// Its name.
        name: String,
    },
    /// Delete a workspace whose state holds no resources (or any, with --force).
    Delete {
        /// Its name.
        name: String,
        /// Delete even if its state still records resources.
        #[arg(long)]
        force: bool,
    },
}

async fn names(dir: &Path) -> anyhow::Result<Vec<String>> {
    crate::cli::backend::workspaces(dir, configured(dir)?.as_ref()).await
}

/// Runs `workspace`.
///
/// # Errors
/// Backend failures.
pub fn run(args: &WorkspaceCmd, out: &Output) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let dir = std::env::current_dir()?;
        let current = current_workspace(&dir);
        match &args.command {
            WorkspaceSub::Show => println!("{current}"),
            WorkspaceSub::List => {
                for n in names(&dir).await? {
                    println!("{} {n}", if n == current { "*" } else { " " });
                }
            }
            WorkspaceSub::New { name } => {
                check_workspace_name(name)?;
                if names(&dir).await?.contains(name) {
                    out.error(&format!("workspace {name:?} already exists"));
                    return Ok(ExitCode::from(1));
                }
                let block = configured(&dir)?;
                if block.as_ref().is_none_or(|(k, _)| k == "local") {
                    let p = crate::cli::backend::local_path(&dir, block.as_ref().map(|b| &b.1), name);
                    if let Some(parent) = p.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                } else {
                    // A remote workspace exists once it has a state: write an empty one.
                    let backend = open(&dir, block.as_ref(), name).await?;
                    backend
                        .write(&crate::state::model::State::new(), &crate::state::backend::Version::Absent)
                        .await?;
                }
                select_workspace(&dir, name)?;
                println!("Created and switched to workspace {name:?}!\n\nYou're now on a new, empty workspace. Workspaces isolate their state,\nso if you run \"emrform plan\" emrform will not see any existing state\nfor this configuration.");
            }
            WorkspaceSub::Select { name } => {
                if !names(&dir).await?.contains(name) {
                    out.error(&format!("workspace {name:?} doesn't exist; create it with `emrform workspace new {name}`"));
                    return Ok(ExitCode::from(1));
                }
                select_workspace(&dir, name)?;
                println!("Switched to workspace {name:?}.");
            }
            WorkspaceSub::Delete { name, force } => {
                if name == "default" {
                    out.error("the default workspace cannot be deleted");
                    return Ok(ExitCode::from(1));
                }
                if *name == current {
                    out.error(&format!("workspace {name:?} is your active workspace; select another one first"));
                    return Ok(ExitCode::from(1));
                }
                if !names(&dir).await?.contains(name) {
                    out.error(&format!("workspace {name:?} doesn't exist"));
                    return Ok(ExitCode::from(1));
                }
                let block = configured(&dir)?;
                let backend = open(&dir, block.as_ref(), name).await?;
                let snap = backend.read().await?;
                let held = snap.state.as_ref().map(|s| s.instance_addrs().len()).unwrap_or(0);
                if held > 0 && !force {
                    out.error(&format!("workspace {name:?} still records {held} resource instance(s); destroy them first, or use --force to forget them"));
                    return Ok(ExitCode::from(1));
                }
                backend.delete().await?;
                if block.as_ref().is_none_or(|(k, _)| k == "local") {
                    let p = crate::cli::backend::local_path(&dir, block.as_ref().map(|b| &b.1), name);
                    if let Some(parent) = p.parent() {
                        let _ = std::fs::remove_dir_all(parent);
                    }
                }
                println!("Deleted workspace {name:?}!");
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
