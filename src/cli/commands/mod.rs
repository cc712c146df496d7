//! One module per command, each with its clap `Args` and a `run`.

pub mod apply;
pub mod check;
pub mod comment;
pub mod fmt;
pub mod graph;
pub mod import;
pub mod init;
pub mod lint;
pub mod plan;
pub mod show;
pub mod state;
pub mod validate;
pub mod workspace;

use super::args::{Cli, Command, VarArgs};
use super::Output;
use crate::config::eval::{parse_cli_var, CliVar};
use std::process::ExitCode;

/// Runs the parsed command.
///
/// # Errors
/// Tool failures (I/O and the like); problems in the user's input are reported and mapped to
/// exit codes by the command itself.
pub fn dispatch(cli: Cli, out: &Output) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Validate(a) => validate::run(&a, out),
        Command::Graph(a) => graph::run(&a, out),
        Command::Fmt(a) => fmt::run(&a, out),
        Command::Plan(a) => plan::run(&a, out),
        // Lint reports tool errors with exit 2 (findings use 1).
        Command::Lint(a) => Ok(lint::run(&a).unwrap_or_else(|e| {
            out.error(&format!("{e:#}"));
            ExitCode::from(2)
        })),
        Command::Rule(a) => lint::run_rule(&a),
        Command::Check(a) => Ok(check::run(&a).unwrap_or_else(|e| {
            out.error(&format!("{e:#}"));
            ExitCode::from(2)
        })),
        Command::State(a) => state::run(&a, out),
        Command::Comment(a) => comment::run(&a, out),
        Command::Apply(a) => apply::run(&a, false, out),
        Command::Destroy(a) => apply::run(&a, true, out),
        Command::Show(a) => show::run(&a, out),
        Command::Output(a) => show::run_output(&a, out),
        Command::ForceUnlock(a) => show::run_force_unlock(&a),
        Command::Import(a) => import::run(&a, out),
        Command::Init(a) => init::run(&a, out),
        Command::Workspace(a) => workspace::run(&a, out),
        Command::Version => {
            println!("emrform v{}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `--var` and `--var-file` in command-line order.
///
/// clap keeps the two lists apart, so the order between them is rebuilt from the raw
/// arguments.
///
/// # Errors
/// A `--var` without `=`.
pub fn cli_vars(a: &VarArgs) -> anyhow::Result<Vec<CliVar>> {
    let mut out = Vec::new();
    let mut vars = a.vars.iter();
    let mut files = a.var_files.iter();
    let raw: Vec<String> = std::env::args().collect();
    let mut i = 0;
    while i < raw.len() {
        let r = &raw[i];
        let is_var = r == "--var" || r.starts_with("--var=");
        let is_file = r == "--var-file" || r.starts_with("--var-file=");
        if is_var {
            if let Some(v) = vars.next() {
                out.push(parse_cli_var(v).map_err(anyhow::Error::msg)?);
            }
        } else if is_file {
            if let Some(f) = files.next() {
                out.push(CliVar::File(f.clone()));
            }
        }
        i += 1;
    }
    // Anything not matched above (e.g. when called as a library) keeps flag order.
    for v in vars {
        out.push(parse_cli_var(v).map_err(anyhow::Error::msg)?);
    }
    for f in files {
        out.push(CliVar::File(f.clone()));
    }
    Ok(out)
}
