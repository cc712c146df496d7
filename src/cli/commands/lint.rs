//! `emrform lint [PATH...]`: IAM policy lint for CI.

use crate::cli::Output;
use crate::lint::{lint_paths, LintOptions, Severity};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LintFormat {
    /// Grouped by file with source lines.
    #[default]
    Text,
    /// JSON Lines.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// JUnit XML.
    Junit,
}

/// `lint` options.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Configuration directories and policy JSON files (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: LintFormat,
    /// Exit 1 only for findings at or above this severity.
    #[arg(long, value_enum, default_value = "warning")]
    pub min_severity: Severity,
    /// Only these rule IDs (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rule IDs (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
}

/// Runs `lint`: exit 0 clean, 1 findings at or above the threshold, 2 error.
///
/// # Errors
/// I/O failures (reported as exit 2 by the caller).
pub fn run(args: &LintArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let opts = LintOptions {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let report = match lint_paths(&args.paths, &opts) {
        Ok(r) => r,
        Err(e) => {
            out.error(&format!("lint: {e}"));
            return Ok(ExitCode::from(2));
        }
    };
    if report.errors.has_errors() {
        eprint!(
            "{}",
            crate::diag::render_all(
                report.errors.iter(),
                &report.sources,
                crate::diag::RenderOptions {
                    color: out.color_err
                }
            )
        );
        return Ok(ExitCode::from(2));
    }
    let shown: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity >= args.min_severity)
        .cloned()
        .collect();
    match args.format {
        LintFormat::Text => print!(
            "{}",
            crate::render::lint_text::render(&shown, &report.sources, report.policies, out.color)
        ),
        LintFormat::Json => print!(
            "{}",
            crate::render::lint_json::render(&shown, &report.sources)
        ),
        LintFormat::Sarif => println!(
            "{}",
            crate::render::lint_sarif::render(&shown, &report.sources)
        ),
        LintFormat::Junit => print!(
            "{}",
            crate::render::lint_junit::render(&shown, &report.sources)
        ),
    }
    Ok(
        if report
            .findings
            .iter()
            .any(|f| f.severity >= args.min_severity)
        {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}
