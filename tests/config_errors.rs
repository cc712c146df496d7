//! One snapshot per kind of bad input: the rendered diagnostics of validate (and of plan-mode
//! evaluation for the cases that only fail once variables need values).

use emrform::config::eval::{evaluate, EvalMode, EvalOptions, UnknownResolver};
use emrform::config::load::load;
use emrform::diag::{render_all, RenderOptions};
use std::path::Path;

/// Cases that only fail when every root variable needs a value.
const PLAN_MODE: &[&str] = &["missing-required-variable", "tfvars-type-mismatch"];

fn diagnostics_for(dir: &Path, mode: EvalMode) -> String {
    let (mut config, mut diags) = load(dir);
    if !diags.has_errors() {
        let mut opts = EvalOptions::from_env(mode);
        opts.env.clear();
        opts.cwd = dir.to_path_buf();
        let (_, d) = evaluate(&mut config, &opts, &mut UnknownResolver);
        diags.extend(d);
    }
    diags.sort();
    let text = render_all(
        diags.iter(),
        &config.sources,
        RenderOptions { color: false },
    );
    // Paths are shown relative to the working directory; make them relative to the case.
    let abs = format!("{}/", dir.display());
    let rel = dir
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .map(|r| format!("{}/", r.display()))
        .unwrap_or_default();
    text.replace(&abs, "").replace(&rel, "")
}

#[test]
fn every_bad_input_kind_has_a_clear_diagnostic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config/errors");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures exist")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "at least 15 kinds of bad input");
    for case in cases {
        let name = case
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let mode = if PLAN_MODE.contains(&name.as_str()) {
            EvalMode::Plan
        } else {
            EvalMode::Validate
        };
        let out = diagnostics_for(&case, mode);
        assert!(
            out.contains("error"),
            "{name} must produce an error, got:\n{out}"
        );
        insta::assert_snapshot!(name, out);
    }
}
