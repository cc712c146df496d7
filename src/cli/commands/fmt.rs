//! `emrform fmt`: rewrite .tf files in the canonical format.

use crate::cli::Output;
use clap::Args;
use std::process::ExitCode;

/// `fmt` options.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Don't write; exit 3 when a file would change (like terraform fmt -check).
    #[arg(long)]
    pub check: bool,
    /// Also process subdirectories.
    #[arg(long)]
    pub recursive: bool,
    /// Show the changes as a diff.
    #[arg(long)]
    pub diff: bool,
    /// Files or directories (default: the current directory).
    pub paths: Vec<std::path::PathBuf>,
}

/// Runs `fmt`.
///
/// # Errors
/// I/O failures.
pub fn run(args: &FmtArgs, out: &Output) -> anyhow::Result<ExitCode> {
    crate::config::fmt::run_cli(
        args.check,
        args.recursive,
        args.diff,
        &args.paths,
        out.color,
    )
}
