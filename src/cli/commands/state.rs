//! `emrform state list|show|rm|mv|pull|push`: inspect and edit the state through the
//! configured backend (local or S3) of the current workspace.

use crate::cli::state_file::StateFile;
use crate::cli::Output;
use crate::state::backend::{Backend, Version};
use crate::state::ops;
use clap::{Args, Subcommand};
use std::process::ExitCode;

/// `state` options.
#[derive(Debug, Args)]
pub struct StateCmd {
    /// The subcommand.
    #[command(subcommand)]
    pub command: StateSub,
}

/// State subcommands.
#[derive(Debug, Subcommand)]
pub enum StateSub {
    /// List resource instances (optionally only those matching addresses).
    List {
        /// Address filters.
        addrs: Vec<String>,
    },
    /// Show one instance's attributes, as `terraform state show` does.
    Show {
        /// The instance address.
        addr: String,
    },
    /// Forget instances without destroying them.
    Rm {
        /// Addresses to remove.
        addrs: Vec<String>,
    },
    /// Move an instance, resource or module instance to a new address.
    Mv {
        /// From.
        from: String,
        /// To.
        to: String,
    },
    /// Print the raw state.
    Pull,
    /// Replace the stored state by FILE (refused for an older serial or another lineage
    /// unless --force).
    Push {
        /// A state file.
        file: std::path::PathBuf,
        /// Write it even if its lineage differs or its serial is not newer.
        #[arg(long, alias = "f")]
        force: bool,
    },
}

/// Runs `state`.
///
/// # Errors
/// Backend failures and bad addresses.
pub fn run(args: &StateCmd, out: &Output) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let dir = std::env::current_dir()?;
        let block = crate::cli::backend::configured(&dir)?;
        let workspace = crate::cli::backend::current_workspace(&dir);
        let backend = crate::cli::backend::open(&dir, block.as_ref(), &workspace).await?;
        let edits = matches!(
            args.command,
            StateSub::Rm { .. } | StateSub::Mv { .. } | StateSub::Push { .. }
        );
        let _lock = if edits {
            Some(
                StateFile::for_dir(&dir, block.as_ref())?
                    .lock("OperationTypeInvalid", std::time::Duration::ZERO)?,
            )
        } else {
            None
        };
        let snap = backend.read().await?;
        if let StateSub::Push { file, force } = &args.command {
            return push(backend.as_ref(), &snap, file, *force, out).await;
        }
        let Some(mut state) = snap.state.clone() else {
            out.error("no state file was found");
            return Ok(ExitCode::from(1));
        };
        let result: anyhow::Result<()> = async {
            match &args.command {
                StateSub::List { addrs } => {
                    let f: Vec<&str> = addrs.iter().map(String::as_str).collect();
                    for a in ops::list(&state, &f)? {
                        println!("{a}");
                    }
                    Ok(())
                }
                StateSub::Show { addr } => {
                    let ty = addr
                        .parse::<crate::addrs::ResourceInstanceAddr>()
                        .ok()
                        .map(|a| a.resource.type_name);
                    let schema = ty
                        .as_deref()
                        .and_then(crate::config::schema::managed_resource)
                        .map(|s| &s.body);
                    print!("{}", ops::show(&state, addr, schema)?);
                    Ok(())
                }
                StateSub::Rm { addrs } => {
                    let a: Vec<&str> = addrs.iter().map(String::as_str).collect();
                    let removed = ops::rm(&mut state, &a)?;
                    state.bump_serial();
                    backend.write(&state, &snap.version).await?;
                    for r in &removed {
                        println!("Removed {r}");
                    }
                    println!(
                        "Successfully removed {} resource instance(s).",
                        removed.len()
                    );
                    Ok(())
                }
                StateSub::Mv { from, to } => {
                    let moved = ops::mv(&mut state, from, to)?;
                    state.bump_serial();
                    backend.write(&state, &snap.version).await?;
                    println!(
                        "Move \"{from}\" to \"{to}\"\nSuccessfully moved {} object(s).",
                        moved.len()
                    );
                    Ok(())
                }
                StateSub::Pull => {
                    use std::io::Write;
                    std::io::stdout().write_all(&ops::pull(&state))?;
                    Ok(())
                }
                // Handled before the state is required.
                StateSub::Push { .. } => Ok(()),
            }
        }
        .await;
        result.map(|()| ExitCode::SUCCESS)
    })
}

/// `state push FILE`: the stored state must be of the same lineage and an older serial,
/// unless `force`.
async fn push(
    backend: &dyn Backend,
    snap: &crate::state::backend::Snapshot,
    file: &std::path::Path,
    force: bool,
    out: &Output,
) -> anyhow::Result<ExitCode> {
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))?;
    let mut new = crate::state::model::State::from_slice(&bytes, &file.display().to_string())?;
    let mut expect = snap.version.clone();
    if let Some(cur) = &snap.state {
        if cur.lineage != new.lineage {
            if !force {
                out.error(&format!("refusing to push {}: its lineage {} differs from the stored state's {}; it belongs to another history (use --force to replace it anyway)", file.display(), new.lineage, cur.lineage));
                return Ok(ExitCode::from(1));
            }
            backend.delete().await?;
            expect = Version::Absent;
        } else if new.serial <= cur.serial {
            if !force {
                out.error(&format!("refusing to push {}: its serial {} is not newer than the stored serial {} (use --force to replace it anyway)", file.display(), new.serial, cur.serial));
                return Ok(ExitCode::from(1));
            }
            new.serial = cur.serial + 1;
        }
    }
    backend.write(&new, &expect).await?;
    println!(
        "Pushed {} to {} (serial {}).",
        file.display(),
        backend.describe(),
        new.serial
    );
    Ok(ExitCode::SUCCESS)
}
