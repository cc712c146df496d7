//! The command line: argument parsing (clap) and one module per command in [`commands`].
//! Commands turn library results into output and exit codes; they hold no planning logic.

pub mod args;
pub mod backend;
pub mod cloud;
pub mod commands;
pub mod modules;
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

/// `EMRFORM_TIMINGS=1`: prints how long each phase of a command took, to stderr (for
/// profiling whole runs; benchmarks print their own figures).
pub fn timing(label: &str) {
    use std::sync::{Mutex, OnceLock};
    use std::time::Instant;
    static ON: OnceLock<bool> = OnceLock::new();
    static LAST: Mutex<Option<Instant>> = Mutex::new(None);
    if !*ON.get_or_init(|| std::env::var_os("EMRFORM_TIMINGS").is_some()) {
        return;
    }
    if let Ok(mut last) = LAST.lock() {
        let now = Instant::now();
        let since = last.map(|l| now - l).unwrap_or_default();
        eprintln!(
            "emrform-timing: {label:<28} {:>8.1} ms",
            since.as_secs_f64() * 1000.0
        );
        *last = Some(now);
    }
}
