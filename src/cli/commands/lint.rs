//! `emrform lint [PATH...]` and `emrform rule [CODE]`.

use crate::lint::config::{check_selector, ConfigFile};
use crate::lint::{lint_paths, registry, LintOptions, Severity};
use crate::render::{lint_json, lint_junit, lint_sarif, lint_text};
use anyhow::Context as _;
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable, grouped by file, with the source line.
    Text,
    /// JSON Lines: one finding per line.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// JUnit XML.
    Junit,
}

/// Lint IAM policies in Terraform configurations and policy JSON files.
#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    /// Files or directories to lint (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Report findings at or above this severity (info, warning, error); findings at or above
    /// it make the exit status 1.
    #[arg(long, value_name = "SEVERITY")]
    pub min_severity: Option<String>,
    /// Only run these rules (codes, names or code prefixes; comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Config file (default: `.emrform-lint.json` in the current directory or a parent).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Do not read any config file.
    #[arg(long)]
    pub no_config: bool,
    /// Write output to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

/// Exit statuses of `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintExit {
    /// No findings at or above the threshold.
    Clean = 0,
    /// Findings at or above the threshold.
    Findings = 1,
    /// The tool could not do its job.
    Error = 2,
}

impl From<LintExit> for ExitCode {
    fn from(e: LintExit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// Resolves options from the config file and the command line.
///
/// # Errors
/// When the config file is unusable or an option names an unknown rule or severity.
pub fn options(args: &LintArgs) -> anyhow::Result<LintOptions> {
    let mut opts = LintOptions::default();
    if !args.no_config {
        let path = match &args.config {
            Some(p) => Some(p.clone()),
            None => std::env::current_dir()
                .ok()
                .and_then(|d| ConfigFile::discover(&d)),
        };
        if let Some(p) = path {
            let cfg = ConfigFile::load(&p)?;
            cfg.apply(&mut opts);
        }
    }
    for s in args.select.iter().chain(&args.ignore) {
        check_selector(s).map_err(anyhow::Error::msg)?;
    }
    if !args.select.is_empty() {
        opts.select = args.select.clone();
    }
    opts.ignore.extend(args.ignore.iter().cloned());
    if let Some(s) = &args.min_severity {
        opts.min_severity = Severity::parse(s)
            .with_context(|| format!("`{s}` is not a severity (info, warning, error)"))?;
    }
    Ok(opts)
}

/// Runs `emrform lint`.
///
/// # Errors
/// When options are invalid, an input cannot be read, or output cannot be written; the caller
/// prints the error and exits 2.
pub fn run(args: &LintArgs) -> anyhow::Result<ExitCode> {
    let opts = options(args)?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let report = lint_paths(&paths, &opts)?;
    let text = match args.format {
        Format::Text => lint_text::render(
            &report,
            &lint_text::TextOptions {
                color: args.output.is_none()
                    && std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none(),
                show_source: true,
            },
        ),
        Format::Json => lint_json::render(&report),
        Format::Sarif => lint_sarif::render(&report),
        Format::Junit => lint_junit::render(&report),
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
    Ok(if report.has_findings_at(opts.min_severity) {
        LintExit::Findings.into()
    } else {
        LintExit::Clean.into()
    })
}

/// Shows one rule's documentation.
#[derive(Debug, Clone, Args)]
pub struct RuleArgs {
    /// Rule code or name (`IAM001`, `wildcard-action`).
    pub rule: Option<String>,
    /// List every rule.
    #[arg(long)]
    pub all: bool,
}

/// Runs `emrform rule`.
///
/// # Errors
/// When the rule does not exist.
pub fn run_rule(args: &RuleArgs) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    match (&args.rule, args.all) {
        (Some(code), false) => {
            let r =
                registry::find(code).with_context(|| match crate::lint::retired::lookup(code) {
                    Some(w) => format!("rule {code} was retired: {w}"),
                    None => format!("no rule {code}; see `emrform rule --all`"),
                })?;
            out.push_str(&format!("# {} ({}): {}\n\n", r.name, r.code, r.title));
            out.push_str(&format!(
                "Default severity: {}. Since: {}.{}\n\n",
                r.severity,
                r.since,
                r.aws_code
                    .map(|c| format!(" IAM Access Analyzer: {c}."))
                    .unwrap_or_default()
            ));
            out.push_str(&r.doc());
            out.push('\n');
        }
        _ => {
            for r in registry::RULES {
                out.push_str(&format!(
                    "{}  {:<7}  {:<42} {}\n",
                    r.code,
                    r.severity.as_str(),
                    r.name,
                    r.title
                ));
            }
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
