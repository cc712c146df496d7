//! `emrform state list|show|rm|mv|pull`: inspect and edit the state through the local backend.

use crate::cli::Output;
use crate::state::backend::{local::LocalBackend, lock_with_timeout, Backend, LockInfo};
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
}

/// Runs `state`.
///
/// # Errors
/// Backend failures and bad addresses.
pub fn run(args: &StateCmd, out: &Output) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let backend = LocalBackend::in_dir(&std::env::current_dir()?);
        let edits = matches!(args.command, StateSub::Rm { .. } | StateSub::Mv { .. });
        let lock = if edits {
            Some(
                lock_with_timeout(
                    &backend,
                    LockInfo::new("OperationTypeInvalid"),
                    std::time::Duration::ZERO,
                )
                .await?,
            )
        } else {
            None
        };
        let snap = backend.read().await?;
        let Some(mut state) = snap.state.clone() else {
            if let Some(l) = lock {
                backend.unlock(&l).await?;
            }
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
            }
        }
        .await;
        if let Some(l) = lock {
            backend.unlock(&l).await?;
        }
        result.map(|()| ExitCode::SUCCESS)
    })
}
