//! `emrform show [PLANFILE]`, `emrform output [NAME]` and `emrform force-unlock ID`.

use super::plan::{print, PlanFormat};
use crate::cli::state_file::StateFile;
use crate::cli::Output;
use crate::plan::Plan;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// `show` options.
#[derive(Debug, Args)]
pub struct ShowCmd {
    /// A saved plan; without it, the state is shown.
    pub plan_file: Option<PathBuf>,
    /// Print JSON (plan JSON for a plan, the state document otherwise).
    #[arg(long)]
    pub json: bool,
    /// Output format for a plan.
    #[arg(long, value_enum, default_value_t)]
    pub format: PlanFormat,
}

/// Runs `show`.
///
/// # Errors
/// Unreadable files.
pub fn run(args: &ShowCmd, out: &Output) -> anyhow::Result<ExitCode> {
    match &args.plan_file {
        Some(f) => {
            let plan: Plan = serde_json::from_slice(&std::fs::read(f)?)
                .map_err(|e| anyhow::anyhow!("{} is not a saved plan: {e}", f.display()))?;
            let format = if args.json {
                PlanFormat::Json
            } else {
                args.format
            };
            print(&plan, format, None, out)?;
        }
        None => {
            let sf = StateFile::for_cwd()?;
            match sf.read_raw()? {
                None => println!("The state file is empty. No resources are represented."),
                Some(j) if args.json => println!("{j}"),
                Some(j) => {
                    let st = crate::cli::state_file::from_json(&j)?;
                    for (a, o) in &st.objects {
                        println!("# {a}:");
                        println!("{}\n", o.value);
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `output` options.
#[derive(Debug, Args)]
pub struct OutputCmd {
    /// Only this output.
    pub name: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Print the value without quotes (strings only).
    #[arg(long)]
    pub raw: bool,
}

/// Runs `output`.
///
/// # Errors
/// Unreadable state.
pub fn run_output(args: &OutputCmd, out: &Output) -> anyhow::Result<ExitCode> {
    let sf = StateFile::for_cwd()?;
    let Some(j) = sf.read_raw()? else {
        out.error("no outputs found: the state is empty (run apply first)");
        return Ok(ExitCode::from(1));
    };
    let outputs = j["outputs"].as_object().cloned().unwrap_or_default();
    match &args.name {
        Some(n) => {
            let Some(o) = outputs.get(n) else {
                out.error(&format!("output \"{n}\" not found"));
                return Ok(ExitCode::from(1));
            };
            let v = &o["value"];
            if args.json {
                println!("{v}");
            } else if args.raw {
                match v.as_str() {
                    Some(s) => println!("{s}"),
                    None => println!("{v}"),
                }
            } else {
                println!("{}", crate::config::value::Value::from_json(v));
            }
        }
        None if args.json => println!("{}", serde_json::to_string_pretty(&outputs)?),
        None => {
            for (k, o) in &outputs {
                let shown = if o["sensitive"] == true {
                    "<sensitive>".to_string()
                } else {
                    crate::config::value::Value::from_json(&o["value"]).to_string()
                };
                println!("{k} = {shown}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `force-unlock` options.
#[derive(Debug, Args)]
pub struct ForceUnlockCmd {
    /// The lock id printed by the failed command.
    pub lock_id: String,
}

/// Runs `force-unlock`.
///
/// # Errors
/// A wrong id or no lock.
pub fn run_force_unlock(args: &ForceUnlockCmd) -> anyhow::Result<ExitCode> {
    let sf = StateFile::for_cwd()?;
    sf.force_unlock(&args.lock_id)?;
    println!("emrform state has been successfully unlocked!");
    Ok(ExitCode::SUCCESS)
}
