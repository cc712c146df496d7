//! The command line: argument parsing and one module per command.
//!
//! This module owns turning arguments into calls of the library and exit codes; it must not
//! hold planning or linting logic. (Minimal wiring for `lint` and `rule`; the full command set
//! is assembled on main.)

pub mod commands;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// emrform: plan and apply Amazon EMR Serverless stacks written in the Terraform language.
#[derive(Debug, Parser)]
#[command(name = "emrform", version)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint IAM policies in .tf files and policy JSON.
    Lint(commands::lint::LintArgs),
    /// Show a lint rule's documentation.
    Rule(commands::lint::RuleArgs),
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match &cli.command {
        Command::Lint(a) => commands::lint::run(a),
        Command::Rule(a) => commands::lint::run_rule(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
