//! `emrform plan`: refresh, diff, check and print the plan; `--out` saves it for `apply`.

use crate::cli::args::VarArgs;
use crate::cli::state_file::StateFile;
use crate::cli::Output;
use crate::config::eval::{EvalMode, EvalOptions};
use crate::config::load::load;
use crate::config::model::Config;
use crate::diag::{render_all, Diagnostics, RenderOptions};
use crate::plan::planner::{plan, Cloud, PlanOptions, PriorState};
use crate::plan::{Plan, PlanMode};
use crate::render::plan_markdown::{render as render_markdown, MarkdownOptions};
use crate::render::plan_text::{render as render_text, TextOptions};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Output formats of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum PlanFormat {
    /// Terraform-style text.
    #[default]
    Text,
    /// Terraform's plan JSON (format_version 1.2).
    Json,
    /// A pull-request comment.
    Markdown,
}

/// Options shared by plan, apply and destroy.
#[derive(Debug, Args, Clone)]
pub struct PlanArgs {
    /// Variables.
    #[command(flatten)]
    pub vars: VarArgs,
    /// Read live objects before planning (`--refresh=false` plans from state alone).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub refresh: bool,
    /// Only update state to match live objects.
    #[arg(long)]
    pub refresh_only: bool,
    /// Plan to destroy everything.
    #[arg(long)]
    pub destroy: bool,
    /// Limit to these resources (and what they depend on). Repeatable.
    #[arg(long, value_name = "ADDR")]
    pub target: Vec<String>,
    /// Replace this instance even if nothing forces it. Repeatable.
    #[arg(long, value_name = "ADDR")]
    pub replace: Vec<String>,
    /// Concurrent AWS operations.
    #[arg(long, default_value_t = 10)]
    pub parallelism: usize,
    /// Run `local-exec` provisioners after creates (they run commands on this machine; without
    /// this flag the plan says they will not run, and apply skips them).
    #[arg(long)]
    pub allow_local_exec: bool,
    /// How long to wait for the state lock, e.g. 30s.
    #[arg(long, default_value = "0s", value_name = "DURATION")]
    pub lock_timeout: String,
}

/// `plan` options.
#[derive(Debug, Args)]
pub struct PlanCmd {
    /// Shared options.
    #[command(flatten)]
    pub common: PlanArgs,
    /// Save the plan to FILE for `emrform apply FILE`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print the plan JSON (same as --format json).
    #[arg(long)]
    pub json: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: PlanFormat,
    /// With --format markdown: write comment-1.md, comment-2.md, ... into DIR.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Exit 0 with no changes, 2 with changes, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,
}

/// Parses `30s`, `2m`, `500ms`.
pub fn parse_duration(s: &str) -> anyhow::Result<std::time::Duration> {
    let s = s.trim();
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = n
        .parse()
        .map_err(|_| anyhow::anyhow!("invalid duration {s:?}: use forms like 30s, 2m, 500ms"))?;
    Ok(match unit {
        "" | "s" => std::time::Duration::from_secs(n),
        "ms" => std::time::Duration::from_millis(n),
        "m" => std::time::Duration::from_secs(n * 60),
        "h" => std::time::Duration::from_secs(n * 3600),
        _ => anyhow::bail!("invalid duration {s:?}: use forms like 30s, 2m, 500ms"),
    })
}

/// Everything a plan was made from.
pub struct Prepared {
    /// The configuration.
    pub config: Config,
    /// The state file.
    pub state_file: StateFile,
    /// The lock, held until dropped.
    pub lock: crate::cli::state_file::Lock,
    /// State as read.
    pub prior: PriorState,
    /// The cloud.
    pub cloud: Arc<dyn Cloud>,
    /// Evaluation options used.
    pub eval: EvalOptions,
}

/// Loads the configuration and state, takes the lock and builds the cloud.
///
/// # Errors
/// Problems in the configuration (already printed) or the state.
pub async fn prepare(
    args: &PlanArgs,
    operation: &str,
    out: &Output,
) -> anyhow::Result<Result<Prepared, ()>> {
    let cwd = std::env::current_dir()?;
    crate::cli::timing("start");
    let timeout = parse_duration(&args.lock_timeout)?;
    // Without a backend block the state is the local file: lock it and start reading it
    // while the configuration loads.
    let mut early = None;
    if !mentions_backend(&cwd) {
        let sf = StateFile::for_dir(&cwd, None)?;
        let lock = sf.lock(operation, timeout)?;
        let reader = {
            let sf = sf.clone();
            std::thread::spawn(move || sf.read().map(|(prior, _)| prior))
        };
        early = Some((sf, lock, reader));
    }
    let (config, diags) = load(&cwd);
    crate::cli::timing("load");
    if diags.has_errors() {
        eprint!(
            "{}",
            render_all(
                diags.iter(),
                &config.sources,
                RenderOptions {
                    color: out.color_err
                }
            )
        );
        return Ok(Err(()));
    }
    let (state_file, lock, reader) = match early {
        Some(e) => e,
        None => {
            let backend = crate::cli::backend::from_config(&config);
            let state_file = StateFile::for_dir(&cwd, backend.as_ref())?;
            let lock = state_file.lock(operation, timeout)?;
            // Reading the state and setting up the AWS clients do not depend on each other.
            let reader = {
                let sf = state_file.clone();
                std::thread::spawn(move || sf.read().map(|(prior, _)| prior))
            };
            (state_file, lock, reader)
        }
    };
    crate::cli::timing("lock");
    let mut eval = EvalOptions::from_env(EvalMode::Plan);
    eval.workspace = crate::cli::backend::current_workspace(&cwd);
    eval.cli_vars = super::cli_vars(&args.vars)?;
    eval.cwd = cwd;
    // Provider configurations come from an evaluation of the root module (validate mode: no
    // AWS calls, unknown values allowed).
    let mut config = config;
    let mut vopts = EvalOptions::from_env(EvalMode::Validate);
    vopts.cli_vars = eval.cli_vars.clone();
    vopts.cwd = eval.cwd.clone();
    vopts.workspace = eval.workspace.clone();
    vopts.providers_only = true;
    let (ev, _) = crate::config::eval::evaluate(
        &mut config,
        &vopts,
        &mut crate::config::eval::UnknownResolver,
    );
    crate::cli::timing("evaluate providers");
    let cloud = crate::cli::cloud::build(&ev.providers).await?;
    crate::cli::timing("AWS clients");
    let prior = reader
        .join()
        .map_err(|_| anyhow::anyhow!("reading the state failed unexpectedly"))??;
    crate::cli::timing("read state");
    Ok(Ok(Prepared {
        config,
        state_file,
        lock,
        prior,
        cloud,
        eval,
    }))
}

/// True when a root configuration file may declare a backend (a cheap textual look, so the
/// default local state can be read while the configuration loads).
fn mentions_backend(dir: &std::path::Path) -> bool {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return true;
    };
    rd.flatten().any(|e| {
        let name = e.file_name().to_string_lossy().to_string();
        (name.ends_with(".tf") || name.ends_with(".tf.json"))
            && std::fs::read_to_string(e.path()).map_or(true, |t| t.contains("backend"))
    })
}

/// Makes the plan (with checks) for prepared inputs; prints diagnostics on failure.
///
/// # Errors
/// Tool failures.
pub async fn make(
    p: &mut Prepared,
    args: &PlanArgs,
    out: &Output,
) -> anyhow::Result<Result<Plan, Diagnostics>> {
    let mode = if args.destroy {
        PlanMode::Destroy
    } else if args.refresh_only {
        PlanMode::RefreshOnly
    } else {
        PlanMode::Normal
    };
    let mut replace = Vec::new();
    for r in &args.replace {
        replace.push(r.parse().map_err(|e| anyhow::anyhow!("--replace: {e}"))?);
    }
    let opts = PlanOptions {
        mode,
        refresh: args.refresh,
        targets: args.target.clone(),
        replace,
        parallelism: args.parallelism,
        eval: p.eval.clone(),
    };
    // The policy lint reads the files on its own: it runs beside the planning.
    let lint = std::thread::spawn(lint_findings);
    match plan(&mut p.config, &p.prior, p.cloud.clone(), &opts).await {
        Ok(planned) => {
            crate::cli::timing("plan");
            let mut plan = planned.plan;
            plan.allow_local_exec = args.allow_local_exec;
            plan.provisioners = creation_provisioners(&p.config, &plan);
            // Only the plan is needed from here on; the evaluation is left to the process end.
            std::mem::forget(planned.evaluated);
            plan.findings = run_checks(p, &plan).await;
            crate::cli::timing("checks");
            plan.findings.extend(lint.join().unwrap_or_default());
            crate::cli::timing("lint");
            Ok(Ok(plan))
        }
        Err(d) => {
            eprint!(
                "{}",
                render_all(
                    d.iter(),
                    &p.config.sources,
                    RenderOptions {
                        color: out.color_err
                    }
                )
            );
            Ok(Err(d))
        }
    }
}

/// Creation-time provisioner types of the instances `plan` creates (or replaces).
fn creation_provisioners(config: &Config, plan: &Plan) -> indexmap::IndexMap<String, Vec<String>> {
    let mut out = indexmap::IndexMap::new();
    for c in &plan.resource_changes {
        if !matches!(
            c.action,
            crate::plan::Action::Create
                | crate::plan::Action::DeleteThenCreate
                | crate::plan::Action::CreateThenDelete
        ) {
            continue;
        }
        let Some(r) = config
            .module(&c.addr.module.module_path())
            .and_then(|m| m.resources.get(&c.addr.resource))
        else {
            continue;
        };
        let kinds: Vec<String> = r
            .provisioners
            .iter()
            .filter(|p| !p.when_destroy)
            .map(|p| p.kind.clone())
            .collect();
        if !kinds.is_empty() {
            out.insert(c.addr.to_string(), kinds);
        }
    }
    out
}

async fn run_checks(p: &mut Prepared, plan: &Plan) -> Vec<crate::plan::Finding> {
    let subjects = tokio::task::block_in_place(|| {
        crate::checks::subjects::subjects(&mut p.config, &p.eval, plan)
    });
    let subnet_ids: Vec<String> = subjects
        .iter()
        .filter(|s| s.type_name == "aws_emrserverless_application")
        .flat_map(|s| crate::checks::rules::subnet_ids(&s.value))
        .filter(|id| id.starts_with("subnet-"))
        .collect();
    let mut facts = match p.cloud.facts("aws", &subnet_ids).await {
        Ok(f) => f,
        Err(e) => {
            eprintln!("warning: the checks go without live facts (subnet free addresses, other applications): {e}");
            crate::checks::Facts::default()
        }
    };
    // Applications of this plan are judged from the plan, not counted twice.
    let planned_ids: std::collections::HashSet<&str> = subjects
        .iter()
        .filter_map(|s| {
            s.value
                .get("id")
                .and_then(crate::config::value::Value::as_str)
        })
        .collect();
    facts
        .other_applications
        .retain(|a| !planned_ids.contains(a.id.as_str()));
    let ctx = crate::checks::Context {
        subjects: &subjects,
        facts: &facts,
        region: facts.region.clone(),
    };
    crate::checks::run_all(&ctx, &p.config.sources)
}

/// Prints a plan in the chosen format.
///
/// # Errors
/// Writing `--out-dir` files.
pub fn print(
    plan: &Plan,
    format: PlanFormat,
    out_dir: Option<&PathBuf>,
    out: &Output,
) -> anyhow::Result<()> {
    match format {
        PlanFormat::Text => print!("{}", render_text(plan, &TextOptions { color: out.color })),
        PlanFormat::Json => println!("{}", crate::render::plan_json::render(plan)),
        PlanFormat::Markdown => {
            let dir = std::env::current_dir()
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().to_string()))
                .unwrap_or_else(|| ".".into());
            let parts = render_markdown(
                plan,
                &MarkdownOptions {
                    dir,
                    ..MarkdownOptions::default()
                },
            );
            match out_dir {
                Some(d) => {
                    std::fs::create_dir_all(d)?;
                    for (i, p) in parts.iter().enumerate() {
                        std::fs::write(d.join(format!("comment-{}.md", i + 1)), p)?;
                    }
                    eprintln!("wrote {} comment file(s) to {}", parts.len(), d.display());
                }
                None => print!("{}", parts.join("\n\n---\n\n")),
            }
        }
    }
    Ok(())
}

/// Runs `plan`.
///
/// # Errors
/// Tool failures.
pub fn run(args: &PlanCmd, out: &Output) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let Ok(mut p) = prepare(&args.common, "OperationTypePlan", out).await? else { return Ok(ExitCode::from(1)) };
        let Ok(mut plan) = make(&mut p, &args.common, out).await? else { return Ok(ExitCode::from(1)) };
        let format = if args.json { PlanFormat::Json } else { args.format };
        // The references of the configuration are only written in plan JSON.
        if format == PlanFormat::Json || args.out.is_some() {
            plan.config_expressions = crate::plan::expressions::config_expressions(&p.config);
        }
        print(&plan, format, args.out_dir.as_ref(), out)?;
        crate::cli::timing("render");
        if let Some(f) = &args.out {
            std::fs::write(f, serde_json::to_vec(&plan)?)?;
            if format == PlanFormat::Text {
                println!("\nSaved the plan to: {}\n\nTo perform exactly these actions, run:\n    emrform apply {}", f.display(), f.display());
            }
        }
        let code = if plan.has_blocking_findings() {
            ExitCode::from(1)
        } else if args.detailed_exitcode && plan.has_changes() {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
        // The process ends here: freeing the configuration, state and plan one allocation at a
        // time would only add to the run time of large stacks.
        drop(p.lock);
        std::mem::forget(p.config);
        std::mem::forget(p.prior);
        std::mem::forget(plan);
        Ok(code)
    })
}

/// Policy lint findings (warnings and errors) for the configuration in the working directory.
fn lint_findings() -> Vec<crate::plan::Finding> {
    let opts = crate::lint::LintOptions::default();
    let Ok(report) = crate::lint::lint_paths(&[std::path::PathBuf::from(".")], &opts) else {
        return Vec::new();
    };
    report
        .findings
        .iter()
        .filter(|f| f.severity >= crate::lint::Severity::Warning)
        .map(|f| crate::plan::Finding {
            rule: f.rule.to_string(),
            severity: match f.severity {
                crate::lint::Severity::Error => crate::plan::FindingSeverity::Error,
                crate::lint::Severity::Warning => crate::plan::FindingSeverity::Warning,
                _ => crate::plan::FindingSeverity::Info,
            },
            message: f.message.clone(),
            address: f.address.clone(),
            location: Some(format!("{}:{}:{}", f.file.display(), f.line, f.column)),
            aws_code: f.aws_code.map(str::to_string),
        })
        .collect()
}
