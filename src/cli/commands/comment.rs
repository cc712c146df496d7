//! `emrform comment DIR...`: plan several configuration directories and print one
//! pull-request comment with a section per directory and a footer summary (split into parts
//! under GitHub's limit; `--out-dir` writes comment-1.md, comment-2.md, ...).

use super::plan::{make, prepare, PlanArgs};
use crate::cli::Output;
use crate::render::plan_markdown::{render_sections, MarkdownOptions, Section};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// `comment` options.
#[derive(Debug, Args)]
pub struct CommentCmd {
    /// Configuration directories to plan (default: the current directory).
    pub dirs: Vec<PathBuf>,
    /// Shared plan options (applied to every directory).
    #[command(flatten)]
    pub common: PlanArgs,
    /// Write comment-1.md, comment-2.md, ... into DIR instead of printing.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Workspace named in the hidden marker.
    #[arg(long, default_value = "default")]
    pub workspace: String,
}

/// Runs `comment`: exit 0 when every plan succeeded, 1 when any failed or has error findings.
///
/// # Errors
/// I/O failures writing the comment files.
pub fn run(args: &CommentCmd, out: &Output) -> anyhow::Result<ExitCode> {
    let start = std::env::current_dir()?;
    let dirs = if args.dirs.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.dirs.clone()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let quiet = Output {
        color: false,
        color_err: false,
    };
    let mut outcomes: Vec<(String, Result<crate::plan::Plan, String>)> = Vec::new();
    for d in &dirs {
        let name = d.display().to_string();
        std::env::set_current_dir(start.join(d))?;
        let r: anyhow::Result<Result<crate::plan::Plan, String>> = rt.block_on(async {
            let mut p = match prepare(&args.common, "OperationTypePlan", &quiet).await? {
                Ok(p) => p,
                Err(()) => {
                    return Ok(Err(
                        "the configuration is invalid; run `emrform validate` for details"
                            .to_string(),
                    ))
                }
            };
            match make(&mut p, &args.common, &quiet).await? {
                Ok(plan) => Ok(Ok(plan)),
                Err(d) => Ok(Err(crate::diag::render_all(
                    d.iter(),
                    &p.config.sources,
                    Default::default(),
                ))),
            }
        });
        let r = r.unwrap_or_else(|e| Err(format!("{e:#}")));
        outcomes.push((name, r));
    }
    std::env::set_current_dir(&start)?;
    let sections: Vec<(String, Section<'_>)> = outcomes
        .iter()
        .map(|(n, r)| {
            (
                n.clone(),
                match r {
                    Ok(p) => Section::Planned(p),
                    Err(e) => Section::Failed(e.as_str()),
                },
            )
        })
        .collect();
    let opts = MarkdownOptions {
        dir: dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(","),
        workspace: args.workspace.clone(),
        ..MarkdownOptions::default()
    };
    let parts = render_sections(&sections, &opts);
    match &args.out_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            for (i, p) in parts.iter().enumerate() {
                std::fs::write(dir.join(format!("comment-{}.md", i + 1)), p)?;
            }
            eprintln!("wrote {} comment file(s) to {}", parts.len(), dir.display());
        }
        None => print!("{}", parts.join("\n\n---\n\n")),
    }
    let failed = outcomes.iter().any(|(_, r)| {
        r.as_ref()
            .map(|p| p.has_blocking_findings())
            .unwrap_or(true)
    });
    let _ = out;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
