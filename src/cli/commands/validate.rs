//! `emrform validate`: load and evaluate the configuration without touching AWS.

use crate::cli::args::VarArgs;
use crate::cli::Output;
use crate::config::eval::{evaluate, EvalMode, EvalOptions, UnknownResolver};
use crate::config::load::load;
use crate::diag::{render_all, Diagnostic, Diagnostics, RenderOptions, Severity, SourceMap};
use clap::Args;
use serde_json::json;
use std::process::ExitCode;

/// `validate` options.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Print Terraform's validate JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Variables.
    #[command(flatten)]
    pub vars: VarArgs,
}

/// Loads and evaluates the configuration in the current directory.
pub fn check(
    vars: &VarArgs,
    mode: EvalMode,
) -> anyhow::Result<(crate::config::model::Config, Diagnostics)> {
    let cwd = std::env::current_dir()?;
    let (mut config, mut diags) = load(&cwd);
    if !diags.has_errors() {
        let mut opts = EvalOptions::from_env(mode);
        if let Ok(cwd) = std::env::current_dir() {
            opts.workspace = crate::cli::backend::current_workspace(&cwd);
        }
        opts.cli_vars = super::cli_vars(vars)?;
        let (_, d) = evaluate(&mut config, &opts, &mut UnknownResolver);
        diags.extend(d);
    }
    diags.sort();
    Ok((config, diags))
}

/// Runs `validate`.
///
/// # Errors
/// When the working directory cannot be read.
pub fn run(args: &ValidateArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let (config, diags) = check(&args.vars, EvalMode::Validate)?;
    let valid = !diags.has_errors();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&validate_json(&diags, &config.sources))?
        );
    } else {
        let text = render_all(
            diags.iter(),
            &config.sources,
            RenderOptions {
                color: out.color_err,
            },
        );
        eprint!("{text}");
        if valid {
            println!(
                "Success! The configuration is valid ({} resource and data blocks in {} module{}).",
                config.resource_count(),
                config.modules.len(),
                if config.modules.len() == 1 { "" } else { "s" }
            );
        }
    }
    Ok(if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Terraform's `validate -json` document.
pub fn validate_json(diags: &Diagnostics, sources: &SourceMap) -> serde_json::Value {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    json!({
        "format_version": "1.0",
        "valid": errors == 0,
        "error_count": errors,
        "warning_count": diags.len() - errors,
        "diagnostics": diags.iter().map(|d| diagnostic_json(d, sources)).collect::<Vec<_>>(),
    })
}

/// One diagnostic in Terraform's JSON shape.
pub fn diagnostic_json(d: &Diagnostic, sources: &SourceMap) -> serde_json::Value {
    let mut v = json!({
        "severity": d.severity.to_string(),
        "summary": d.message,
        "detail": d.help.clone().unwrap_or_default(),
        "code": d.code,
    });
    if let Some(span) = d.primary_span() {
        if let Some(f) = sources.try_get(span.file) {
            let (sl, sc) = f.line_col(span.start as usize);
            let (el, ec) = f.line_col(span.end as usize);
            v["range"] = json!({
                "filename": f.path.display().to_string(),
                "start": {"line": sl, "column": sc, "byte": span.start},
                "end": {"line": el, "column": ec, "byte": span.end},
            });
            v["snippet"] = json!({"code": f.line_text(sl), "start_line": sl});
        }
    }
    v
}
