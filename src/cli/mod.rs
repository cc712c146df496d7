//! The command line: argument parsing (clap) and one module per command in [`commands`].
//! Commands turn library results into output and exit codes; they hold no planning logic.

pub mod args;
pub mod cloud;
pub mod commands;
mod output;
pub mod state_file;

pub use output::Output;

use clap::Parser;
use std::process::ExitCode;

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let out = Output::new(cli.global.no_color);
    if let Some(dir) = &cli.global.chdir {
        if let Err(e) = std::env::set_current_dir(dir) {
            out.error(&format!(
                "cannot change directory to {}: {e}",
                dir.display()
            ));
            return ExitCode::from(1);
        }
    }
    match commands::dispatch(cli, &out) {
        Ok(code) => code,
        Err(e) => {
            out.error(&format!("{e:#}"));
            ExitCode::from(1)
        }
    }
}
