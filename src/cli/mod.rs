//! The command line: argument parsing and one module per command.

use std::process::ExitCode;

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    ExitCode::SUCCESS
}
