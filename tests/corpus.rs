//! The shared corpus: every configuration in `../shared/corpus/stacks` validates, and every
//! one in `../shared/corpus/bad` is refused with the diagnostic its EXPECT.md describes.
//! These tests need the corpus beside the checkout; without it they print that they skipped.

use emrform::config::eval::{evaluate, EvalMode, EvalOptions, UnknownResolver};
use emrform::config::load::load;
use emrform::diag::{Diagnostics, SourceMap};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("SKIPPED: ../shared/corpus is not beside the checkout");
        None
    }
}

fn run(dir: &Path, mode: EvalMode, env: &[(&str, &str)]) -> (Diagnostics, SourceMap) {
    let (mut config, mut diags) = load(dir);
    if !diags.has_errors() {
        let mut opts = EvalOptions::from_env(mode);
        opts.env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        opts.cwd = dir.to_path_buf();
        let (_, d) = evaluate(&mut config, &opts, &mut UnknownResolver);
        diags.extend(d);
    }
    (diags, config.sources)
}

fn describe(diags: &Diagnostics, sources: &SourceMap) -> String {
    emrform::diag::render_all(diags.iter(), sources, Default::default())
}

/// (file name, line) of every error's primary label.
fn error_locations(diags: &Diagnostics, sources: &SourceMap) -> Vec<(String, String, usize)> {
    diags
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| {
            let s = d.primary_span()?;
            let f = sources.try_get(s.file)?;
            let name = f.path.file_name()?.to_string_lossy().to_string();
            Some((d.code.to_string(), name, f.line_col(s.start as usize).0))
        })
        .collect()
}

#[test]
fn every_stack_validates() {
    let Some(c) = corpus() else { return };
    let roots = [
        "stacks/spark-batch-basic",
        "stacks/private-vpc-spark",
        "stacks/hive-existing-vpc",
        "stacks/custom-image-interactive",
        "stacks/multi-app-modules",
        "stacks/legacy-count-module",
        "stacks/observability-spark",
        "stacks/envs-layered/envs/dev",
        "stacks/envs-layered/envs/prod",
        "stacks/lakehouse-nat-s3",
        "stacks/image-build-pipeline",
    ];
    for r in roots {
        let (diags, sources) = run(&c.join(r), EvalMode::Validate, &[]);
        assert!(
            !diags.has_errors(),
            "{r} must validate:\n{}",
            describe(&diags, &sources)
        );
    }
}

#[test]
fn bad_syntax_error_points_at_line_17() {
    let Some(c) = corpus() else { return };
    let (diags, sources) = run(&c.join("bad/syntax-error"), EvalMode::Validate, &[]);
    let locs = error_locations(&diags, &sources);
    assert_eq!(
        locs,
        vec![("syntax-error".into(), "main.tf".into(), 17)],
        "{}",
        describe(&diags, &sources)
    );
    assert!(describe(&diags, &sources).contains("Did you mean `type = \"spark\"`?"));
}

#[test]
fn bad_unknown_app_attribute_is_refused_at_20_3() {
    let Some(c) = corpus() else { return };
    let (diags, sources) = run(
        &c.join("bad/unknown-app-attribute"),
        EvalMode::Validate,
        &[],
    );
    let errs: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errs.len(), 1, "{}", describe(&diags, &sources));
    let span = errs[0].primary_span().expect("a location");
    assert_eq!(sources.line_col(span), (20, 3));
    assert!(errs[0]
        .help
        .as_deref()
        .unwrap_or("")
        .contains("auto_stop_configuration.idle_timeout_minutes"));
}

#[test]
fn bad_reference_cycle_prints_every_edge() {
    let Some(c) = corpus() else { return };
    let (diags, sources) = run(&c.join("bad/reference-cycle"), EvalMode::Validate, &[]);
    let cycle: Vec<_> = diags
        .iter()
        .filter(|d| d.code == "dependency-cycle")
        .collect();
    assert_eq!(cycle.len(), 1, "{}", describe(&diags, &sources));
    let mut lines: Vec<usize> = cycle[0]
        .labels
        .iter()
        .map(|l| sources.line_col(l.span).0)
        .collect();
    lines.sort();
    assert_eq!(lines, vec![30, 37, 51]);
    for node in [
        "aws_emrserverless_application.app",
        "aws_ecr_repository_policy.spark",
        "data.aws_iam_policy_document.pull",
    ] {
        assert!(cycle[0].message.contains(node), "{}", cycle[0].message);
    }
}

#[test]
fn bad_missing_required_variable_fails_at_plan() {
    let Some(c) = corpus() else { return };
    let dir = c.join("bad/missing-required-variable");
    let (diags, sources) = run(&dir, EvalMode::Validate, &[]);
    assert!(
        !diags.has_errors(),
        "validate passes, as in Terraform: {}",
        describe(&diags, &sources)
    );
    let (diags, sources) = run(&dir, EvalMode::Plan, &[]);
    let locs = error_locations(&diags, &sources);
    assert_eq!(
        locs,
        vec![("missing-variable".into(), "variables.tf".into(), 7)],
        "{}",
        describe(&diags, &sources)
    );
}

#[test]
fn bad_variable_type_mismatch_points_at_tfvars_and_declaration() {
    let Some(c) = corpus() else { return };
    let (diags, sources) = run(&c.join("bad/variable-type-mismatch"), EvalMode::Plan, &[]);
    let errs: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errs.len(), 1, "{}", describe(&diags, &sources));
    let labels: Vec<(String, usize)> = errs[0]
        .labels
        .iter()
        .map(|l| {
            (
                sources
                    .get(l.span.file)
                    .path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string(),
                sources.line_col(l.span).0,
            )
        })
        .collect();
    assert_eq!(
        labels,
        vec![("terraform.tfvars".into(), 2), ("main.tf".into(), 20)]
    );
    assert!(errs[0]
        .help
        .as_deref()
        .unwrap_or("")
        .contains("list of string required"));
}

#[test]
fn bad_iam_star_admin_is_valid_configuration() {
    let Some(c) = corpus() else { return };
    let (diags, sources) = run(&c.join("bad/iam-star-admin"), EvalMode::Validate, &[]);
    assert!(!diags.has_errors(), "{}", describe(&diags, &sources));
}

/// `terraform fmt -check -recursive stacks` flags exactly one file, spark-batch-basic/main.tf
/// (two interpolation-only strings); emrform's formatter must agree file by file.
#[test]
fn fmt_agrees_with_terraform_fmt_on_the_stacks() {
    let Some(c) = corpus() else { return };
    let mut changed = Vec::new();
    for e in walkdir::WalkDir::new(c.join("stacks")).sort_by_file_name() {
        let e = e.expect("walk");
        if e.path().extension().is_some_and(|x| x == "tf") {
            let text = std::fs::read_to_string(e.path()).expect("read");
            let out = emrform::config::fmt::format_source(&text).expect("parses");
            if out != text {
                changed.push(
                    e.path()
                        .strip_prefix(&c)
                        .expect("prefix")
                        .display()
                        .to_string(),
                );
            }
        }
    }
    assert_eq!(changed, vec!["stacks/spark-batch-basic/main.tf"]);
}
