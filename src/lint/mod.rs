//! Policy lint: IAM policy documents (in configurations and JSON files) checked against rules
//! with stable IDs, severities and IAM Access Analyzer codes. [`policy`] parses documents with
//! spans, [`extract`] finds them, [`rules`] judges them; `render::lint_*` prints findings.
//! Lint never evaluates against AWS and needs only the configuration loader.

pub mod extract;
pub mod policy;
pub mod rule;
pub mod rules;

pub use rule::{LintFinding, PolicyDoc, PolicyKind, Rule, Severity};

use crate::diag::{Diagnostics, SourceMap};
use std::path::{Path, PathBuf};

/// Which rules run and what counts.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// Only these rule IDs (empty: all).
    pub select: Vec<String>,
    /// Never these rule IDs.
    pub ignore: Vec<String>,
}

/// The result of linting.
pub struct LintReport {
    /// Findings, by file then position.
    pub findings: Vec<LintFinding>,
    /// Every file read.
    pub sources: SourceMap,
    /// Problems reading configurations (syntax errors and the like).
    pub errors: Diagnostics,
    /// Number of policy documents checked.
    pub policies: usize,
}

/// Runs every rule over one document, honouring suppressions and options.
pub fn lint_doc(doc: &PolicyDoc, opts: &LintOptions, out: &mut Vec<LintFinding>) {
    for r in rules::ALL {
        let code = r.meta().code;
        if (!opts.select.is_empty() && !opts.select.iter().any(|s| s == code))
            || opts.ignore.iter().any(|s| s == code)
            || doc.ignored.iter().any(|s| s == code)
        {
            continue;
        }
        r.check(doc, out);
    }
}

/// Lints files and directories: directories as Terraform configurations (plus any `.json`
/// policy files in them), `.json` files as policy documents.
pub fn lint_paths(paths: &[PathBuf], opts: &LintOptions) -> std::io::Result<LintReport> {
    let mut report = LintReport {
        findings: Vec::new(),
        sources: SourceMap::new(),
        errors: Diagnostics::new(),
        policies: 0,
    };
    let roots: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    for p in roots {
        if p.is_dir() {
            let has_tf = std::fs::read_dir(&p)?
                .filter_map(Result::ok)
                .any(|e| e.path().extension().is_some_and(|x| x == "tf"));
            if has_tf {
                let mut sources = SourceMap::new();
                let mut errs = Diagnostics::new();
                let docs = extract::from_config(&p, &mut sources, &mut errs);
                let offset = report.sources.len() as u32;
                for mut d in errs {
                    for l in &mut d.labels {
                        l.span.file = crate::diag::FileId(l.span.file.0 + offset);
                    }
                    report.errors.push(d);
                }
                // Keep file ids valid: lint each configuration with its own map, then merge.
                merge(&mut report, sources, docs, opts);
            }
            for e in std::fs::read_dir(&p)?.filter_map(Result::ok) {
                let f = e.path();
                if f.extension().is_some_and(|x| x == "json")
                    && !f.to_string_lossy().ends_with(".tf.json")
                {
                    lint_json(&f, &mut report, opts)?;
                }
            }
        } else {
            lint_json(&p, &mut report, opts)?;
        }
    }
    report.findings.sort_by_key(|f| (f.span.file, f.span.start));
    Ok(report)
}

fn lint_json(f: &Path, report: &mut LintReport, opts: &LintOptions) -> std::io::Result<()> {
    let mut local = SourceMap::new();
    let mut findings = Vec::new();
    let doc = extract::from_json_file(f, &mut local, &mut findings)?;
    let mut docs = Vec::new();
    if let Some(d) = doc {
        docs.push(d);
    }
    let offset = report.sources.len() as u32;
    for mut fi in findings {
        fi.span.file = crate::diag::FileId(fi.span.file.0 + offset);
        report.findings.push(fi);
    }
    merge(report, local, docs, opts);
    Ok(())
}

fn merge(report: &mut LintReport, sources: SourceMap, docs: Vec<PolicyDoc>, opts: &LintOptions) {
    let offset = report.sources.len() as u32;
    for i in 0..sources.len() {
        let f = sources.get(crate::diag::FileId(i as u32));
        report.sources.add(f.path.clone(), f.text.clone());
    }
    for d in docs {
        report.policies += 1;
        let mut out = Vec::new();
        lint_doc(&d, opts, &mut out);
        for mut f in out {
            f.span.file = crate::diag::FileId(f.span.file.0 + offset);
            report.findings.push(f);
        }
    }
}
