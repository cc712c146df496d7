//! `emrform check [DIR | PLAN.json]`: the plan-time checks and the policy lint over any
//! Terraform configuration or Terraform plan JSON, without planning or touching AWS. Exit 0
//! when nothing is at or above `--min-severity`, 1 when something is, 2 when the input cannot
//! be read.

use super::lint::{options, LintArgs};
use crate::checks::standalone::{
    check_dir, check_plan_json, is_plan_json, CheckOptions, CheckReport,
};
use crate::cli::args::VarArgs;
use crate::lint::Severity;
use crate::render::{lint_json, lint_sarif, lint_text};
use anyhow::Context as _;
use clap::{Args, ValueEnum};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Findings grouped by file with the source line, then what was not checked.
    Text,
    /// A pull-request comment.
    Markdown,
    /// JSON Lines: one finding per line.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
}

/// `check` options.
#[derive(Debug, Args)]
pub struct CheckCmd {
    /// A configuration directory, or a plan JSON file (`terraform show -json PLANFILE`).
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Report findings at or above this severity (info, warning, error); findings at or above
    /// it make the exit status 1.
    #[arg(long, value_name = "SEVERITY")]
    pub min_severity: Option<String>,
    /// Only run these lint rules (codes, names or prefixes).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these lint rules.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Lint config file (default: `.emrform-lint.json` here or in a parent).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Do not read any lint config file.
    #[arg(long)]
    pub no_config: bool,
    /// Write output to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Variables (for a configuration directory).
    #[command(flatten)]
    pub vars: VarArgs,
}

/// One line saying what was judged and the verdict.
pub fn verdict(r: &CheckReport) -> String {
    let count = |s: Severity| r.report.findings.iter().filter(|f| f.severity == s).count();
    let (e, w) = (count(Severity::Error), count(Severity::Warning));
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut s = format!(
        "{}: {} and {} over {} and {}",
        if e > 0 { "FAIL" } else { "PASS" },
        plural(e, "error", "errors"),
        plural(w, "warning", "warnings"),
        plural(r.resources, "resource checked", "resources checked"),
        plural(r.report.policies, "policy linted", "policies linted"),
    );
    if !r.not_checked.is_empty() {
        let _ = write!(s, "; {} not checked", r.not_checked.len());
    }
    s
}

fn not_checked_text(r: &CheckReport) -> String {
    let mut out = String::new();
    if r.not_checked.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\nNot checked (types emrform does not know; their values count as unknown):"
    );
    for n in &r.not_checked {
        match &n.location {
            Some(l) => {
                let _ = writeln!(out, "  {}  ({l})", n.address);
            }
            None => {
                let _ = writeln!(out, "  {}", n.address);
            }
        }
    }
    out
}

/// The report as a pull-request comment.
pub fn markdown(r: &CheckReport, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### emrform check: `{title}`\n");
    let _ = writeln!(out, "**{}**\n", verdict(r));
    if !r.report.findings.is_empty() {
        out.push_str("| | rule | where | finding |\n|---|---|---|---|\n");
        for f in &r.report.findings {
            let icon = match f.severity {
                Severity::Error => "🛑",
                Severity::Warning => "⚠️",
                Severity::Info => "ℹ️",
            };
            let place = match &f.address {
                Some(a) => format!("`{a}`<br>{}:{}", f.file.display(), f.line),
                None => format!("{}:{}", f.file.display(), f.line),
            };
            let msg = f.message.replace('|', "\\|").replace('\n', " ");
            let _ = writeln!(
                out,
                "| {icon} | `{}` {} | {place} | {msg} |",
                f.rule, f.name
            );
        }
        out.push('\n');
    }
    if !r.not_checked.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} not checked (types emrform does not know)</summary>\n",
            r.not_checked.len()
        );
        for n in &r.not_checked {
            let _ = writeln!(out, "- `{}`", n.address);
        }
        out.push_str("\n</details>\n");
    }
    out
}

/// Runs `check`.
///
/// # Errors
/// When the input cannot be read or options are invalid (the caller exits 2).
pub fn run(args: &CheckCmd) -> anyhow::Result<ExitCode> {
    let lint_args = LintArgs {
        paths: Vec::new(),
        format: super::lint::Format::Text,
        min_severity: args.min_severity.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        config: args.config.clone(),
        no_config: args.no_config,
        output: None,
    };
    let opts = CheckOptions {
        lint: options(&lint_args)?,
        cli_vars: super::cli_vars(&args.vars)?,
    };
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let report = if is_plan_json(&path) {
        check_plan_json(&path, &opts)?
    } else if path.is_dir() {
        check_dir(&path, &opts)?
    } else {
        anyhow::bail!(
            "{} is neither a configuration directory nor a plan JSON file",
            path.display()
        );
    };
    let color = args.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let text = match args.format {
        CheckFormat::Text => {
            let mut t = lint_text::render(
                &report.report,
                &lint_text::TextOptions {
                    color,
                    show_source: true,
                },
            );
            t.push_str(&not_checked_text(&report));
            let _ = writeln!(t, "\n{}", verdict(&report));
            t
        }
        CheckFormat::Markdown => markdown(&report, &path.display().to_string()),
        CheckFormat::Json => lint_json::render(&report.report),
        CheckFormat::Sarif => lint_sarif::render_with_checks(&report.report),
    };
    match &args.output {
        Some(p) => std::fs::write(p, text).with_context(|| format!("writing {}", p.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(e).context("writing output");
                }
            }
        }
    }
    if args.format != CheckFormat::Text && !report.not_checked.is_empty() {
        eprintln!(
            "emrform check: {} not checked (types emrform does not know): {}",
            report.not_checked.len(),
            report
                .not_checked
                .iter()
                .map(|n| n.address.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let min = opts.lint.min_severity;
    Ok(
        if report.report.findings.iter().any(|f| f.severity >= min) {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}
