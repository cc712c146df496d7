//! `emrform graph`: the dependency graph in Graphviz DOT.

use crate::cli::Output;
use crate::config::load::load;
use crate::diag::{render_all, RenderOptions};
use clap::Args;
use std::process::ExitCode;

/// `graph` options.
#[derive(Debug, Args)]
pub struct GraphArgs {}

/// Runs `graph`.
///
/// # Errors
/// When the working directory cannot be read.
pub fn run(_args: &GraphArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir()?;
    let (config, diags) = load(&cwd);
    if diags.has_errors() {
        eprint!(
            "{}",
            render_all(
                diags.iter(),
                &config.sources,
                RenderOptions {
                    color: out.color_err
                }
            )
        );
        return Ok(ExitCode::from(1));
    }
    let g = crate::graph::build(&config);
    let cycles = g.cycles(&config.sources);
    if !cycles.is_empty() {
        eprint!(
            "{}",
            render_all(
                cycles.iter(),
                &config.sources,
                RenderOptions {
                    color: out.color_err
                }
            )
        );
        return Ok(ExitCode::from(1));
    }
    print!("{}", g.to_dot());
    Ok(ExitCode::SUCCESS)
}
