//! Policy lint: IAM policy documents checked against rules with stable IDs.
//!
//! This module owns finding policies in inputs (raw JSON files, `.tf` configurations), reading
//! them into the spanned [`policy::Policy`] model, running the [`registry`] of rules over them,
//! and applying selection, severity thresholds and suppressions. It produces [`LintReport`]
//! values; it must not format output (see `crate::render::lint_*`) or talk to AWS.
//!
//! Adding a rule: create `rules/<bad_pattern>.rs` with the `//!` documentation (What it does /
//! Why is this bad? / Example / Use instead), a `pub static RULE: RuleMeta` with the next free
//! code and a `check(&Policy, &mut Findings)` that pushes the span of the element at fault;
//! add it to `rules/mod.rs` and to [`registry::RULES`]; add `fail_*`/`pass_*` fixtures for JSON
//! and HCL in `scripts/gen-lint-fixtures.py` (a `»` marks where each finding starts) and run it.
//! Never reuse a code: retire it in [`retired`].

pub mod arn;
pub mod catalog;
pub mod config;
pub mod hcl;
pub mod input;
pub mod policy;
pub mod registry;
pub mod retired;
pub mod rule;
pub mod rules;

use crate::diag::{SourceMap, Span};
use policy::Policy;
pub use rule::{RuleMeta, Severity};
use serde::Serialize;
use std::path::PathBuf;

/// One finding, ready to render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Rule code (`IAM001`).
    pub rule: &'static str,
    /// Rule name (`wildcard-action`).
    pub name: &'static str,
    /// Severity after configuration.
    pub severity: Severity,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The file, as given to the user.
    pub file: PathBuf,
    /// 1-based line of the element at fault.
    pub line: usize,
    /// 1-based column (characters) of the element at fault.
    pub column: usize,
    /// End line and column (1-based, exclusive column), for SARIF regions.
    pub end_line: usize,
    /// End column.
    pub end_column: usize,
    /// The IAM Access Analyzer issue code for the same check, if any.
    pub aws_code: Option<&'static str>,
    /// Terraform address of the block holding the policy, when from HCL.
    pub address: Option<String>,
    /// The span (for excerpts); not serialised.
    #[serde(skip)]
    pub span: Span,
}

/// What to check and how to judge it.
#[derive(Debug, Clone)]
pub struct LintOptions {
    /// Rule selectors to run (codes, names or prefixes); empty = all rules.
    pub select: Vec<String>,
    /// Rule selectors to skip.
    pub ignore: Vec<String>,
    /// Findings below this severity are dropped.
    pub min_severity: Severity,
    /// Per-rule severity overrides from the config file.
    pub severity_overrides: Vec<(String, Severity)>,
    /// `(glob, selectors)`: rules ignored in files matching the glob.
    pub per_file_ignores: Vec<(String, Vec<String>)>,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            select: Vec::new(),
            ignore: Vec::new(),
            min_severity: Severity::Warning,
            severity_overrides: Vec::new(),
            per_file_ignores: Vec::new(),
        }
    }
}

impl LintOptions {
    /// The rules these options enable.
    pub fn enabled_rules(&self) -> Vec<&'static RuleMeta> {
        let mut rules: Vec<&'static RuleMeta> = if self.select.is_empty() {
            registry::RULES.to_vec()
        } else {
            let mut v = Vec::new();
            for s in &self.select {
                for r in registry::matching(s) {
                    if !v.iter().any(|x: &&RuleMeta| x.code == r.code) {
                        v.push(r);
                    }
                }
            }
            v
        };
        let ignored: Vec<&str> = self
            .ignore
            .iter()
            .flat_map(|s| registry::matching(s))
            .map(|r| r.code)
            .collect();
        rules.retain(|r| !ignored.contains(&r.code));
        rules
    }

    /// The severity a rule's findings get.
    pub fn severity_of(&self, rule: &RuleMeta) -> Severity {
        self.severity_overrides
            .iter()
            .rev()
            .find(|(sel, _)| registry::matching(sel).iter().any(|r| r.code == rule.code))
            .map(|(_, s)| *s)
            .unwrap_or(rule.severity)
    }
}

/// A policy found in an input, with where it came from.
#[derive(Debug, Clone)]
pub struct FoundPolicy {
    /// The policy.
    pub policy: Policy,
}

/// The result of linting a set of inputs.
#[derive(Debug, Default)]
pub struct LintReport {
    /// Every file read, for excerpts.
    pub sources: SourceMap,
    /// Findings at or above the threshold, not suppressed, sorted by file and position.
    pub findings: Vec<Finding>,
    /// Number of policy documents checked.
    pub policies: usize,
    /// Number of findings suppressed by inline comments.
    pub suppressed: usize,
    /// Files read.
    pub files: Vec<PathBuf>,
}

impl LintReport {
    /// True when any finding is at or above `threshold`.
    pub fn has_findings_at(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= threshold)
    }
}

/// Runs the enabled rules over one policy and returns raw findings with their rule.
pub fn check_policy(
    policy: &Policy,
    rules: &[&'static RuleMeta],
) -> Vec<(&'static RuleMeta, rule::RawFinding)> {
    let mut out = Vec::new();
    for r in rules {
        let mut f = rule::Findings::default();
        (r.check)(policy, &mut f);
        out.extend(f.items.into_iter().map(|raw| (*r, raw)));
    }
    out
}

/// Turns raw findings into [`Finding`]s with locations, applying severities, thresholds and
/// suppressions, and appends them to `report`.
pub fn collect(
    report: &mut LintReport,
    policy: &Policy,
    raw: Vec<(&'static RuleMeta, rule::RawFinding)>,
    opts: &LintOptions,
    suppressions: &config::Suppressions,
) {
    for (meta, rf) in raw {
        let severity = opts.severity_of(meta);
        if severity < opts.min_severity {
            continue;
        }
        let Some(file) = report.sources.try_get(rf.span.file) else {
            continue;
        };
        let (line, column) = file.line_col(rf.span.start as usize);
        let (end_line, end_column) = file.line_col(rf.span.end as usize);
        if suppressions.suppresses(rf.span.file, line, meta) {
            report.suppressed += 1;
            continue;
        }
        let path = file.path.clone();
        if opts.per_file_ignores.iter().any(|(glob, sels)| {
            config::path_matches(glob, &path)
                && sels
                    .iter()
                    .any(|s| registry::matching(s).iter().any(|r| r.code == meta.code))
        }) {
            continue;
        }
        report.findings.push(Finding {
            rule: meta.code,
            name: meta.name,
            severity,
            message: rf.message,
            file: path,
            line,
            column,
            end_line,
            end_column,
            aws_code: meta.aws_code,
            address: policy.origin.address.clone(),
            span: rf.span,
        });
    }
}

/// Lints files and directories: `.json` files as policy documents, directories' `.tf` files as
/// one configuration per directory (and their `.json` files). Nothing is printed.
///
/// # Errors
/// [`input::InputError`] when a path cannot be read. Problems *in* a file (bad JSON, bad HCL) are
/// findings, not errors.
pub fn lint_paths(paths: &[PathBuf], opts: &LintOptions) -> Result<LintReport, input::InputError> {
    lint_paths_with(paths, opts, &hcl::NoResolver)
}

/// Like [`lint_paths`], with a [`hcl::LeafResolver`] that supplies values of non-literal HCL
/// expressions (the configuration evaluator plugs in here).
///
/// # Errors
/// [`input::InputError`] when a path cannot be read.
pub fn lint_paths_with(
    paths: &[PathBuf],
    opts: &LintOptions,
    resolver: &dyn hcl::LeafResolver,
) -> Result<LintReport, input::InputError> {
    let mut report = LintReport::default();
    let rules = opts.enabled_rules();
    let docs = input::load(paths, &mut report.sources, resolver)?;
    report.files = docs.files.clone();
    for (policy, supp) in docs.policies.iter() {
        report.policies += 1;
        let raw = check_policy(policy, &rules);
        let s = &docs.suppressions[*supp];
        collect(&mut report, policy, raw, opts, s);
    }
    // Input-level problems (files that are not JSON/HCL) are malformed-policy findings.
    if rules
        .iter()
        .any(|r| r.code == rules::malformed_policy::RULE.code)
    {
        let empty = Policy::from_node(
            &policy::Node::new(
                policy::NodeKind::Unknown,
                Span::new(crate::diag::FileId(0), 0..0),
            ),
            policy::PolicyKind::Identity,
            policy::PolicyOrigin::default(),
        );
        let raw: Vec<_> = docs
            .errors
            .iter()
            .map(|(span, msg)| {
                (
                    &rules::malformed_policy::RULE,
                    rule::RawFinding {
                        span: *span,
                        message: msg.clone(),
                    },
                )
            })
            .collect();
        collect(
            &mut report,
            &empty,
            raw,
            opts,
            &config::Suppressions::default(),
        );
    }
    report.findings.sort_by(|a, b| {
        (a.file.as_path(), a.line, a.column, a.rule).cmp(&(
            b.file.as_path(),
            b.line,
            b.column,
            b.rule,
        ))
    });
    report
        .findings
        .dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
    Ok(report)
}
