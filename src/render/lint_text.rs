//! Lint findings as text: grouped by file, each with its location, severity, rule, message and
//! the source line with carets under the element at fault.

use crate::lint::{Finding, LintReport};
use std::fmt::Write as _;

/// Options for the text renderer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Print the source line under each finding.
    pub show_source: bool,
}

fn paint(s: &str, code: &str, on: bool) -> String {
    if on {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// Renders a report.
pub fn render(report: &LintReport, opts: &TextOptions) -> String {
    let mut out = String::new();
    let mut current: Option<&std::path::Path> = None;
    for f in &report.findings {
        if current != Some(f.file.as_path()) {
            if current.is_some() {
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "{}",
                paint(&f.file.display().to_string(), "1", opts.color)
            );
            current = Some(f.file.as_path());
        }
        render_one(&mut out, report, f, opts);
    }
    let (e, w, i) = counts(&report.findings);
    if !report.findings.is_empty() {
        out.push('\n');
    }
    let _ = write!(
        out,
        "{} polic{} checked in {} file{}: {} error{}, {} warning{}, {} info",
        report.policies,
        if report.policies == 1 { "y" } else { "ies" },
        report.files.len(),
        if report.files.len() == 1 { "" } else { "s" },
        e,
        if e == 1 { "" } else { "s" },
        w,
        if w == 1 { "" } else { "s" },
        i
    );
    if report.suppressed > 0 {
        let _ = write!(out, " ({} suppressed)", report.suppressed);
    }
    out.push('\n');
    out
}

/// Counts of errors, warnings and infos.
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    use crate::lint::Severity::*;
    findings
        .iter()
        .fold((0, 0, 0), |(e, w, i), f| match f.severity {
            Error => (e + 1, w, i),
            Warning => (e, w + 1, i),
            Info => (e, w, i + 1),
        })
}

fn render_one(out: &mut String, report: &LintReport, f: &Finding, opts: &TextOptions) {
    let sev = match f.severity {
        crate::lint::Severity::Error => paint("error", "31;1", opts.color),
        crate::lint::Severity::Warning => paint("warning", "33;1", opts.color),
        crate::lint::Severity::Info => paint("info", "36", opts.color),
    };
    let _ = write!(
        out,
        "  {}:{}: {} {} [{}] {}",
        f.line, f.column, sev, f.rule, f.name, f.message
    );
    if let Some(a) = &f.address {
        let _ = write!(out, " ({a})");
    }
    out.push('\n');
    if !opts.show_source {
        return;
    }
    let Some(file) = report.sources.try_get(f.span.file) else {
        return;
    };
    let text = file.line_text(f.line);
    let width = f.line.to_string().len();
    let _ = writeln!(out, "  {:>width$} | {}", f.line, text.trim_end());
    let start = f.column.saturating_sub(1);
    let line_len = text.chars().count();
    let len = if f.end_line == f.line {
        f.end_column.saturating_sub(f.column).max(1)
    } else {
        line_len.saturating_sub(start).max(1)
    };
    let pad: String = text
        .chars()
        .take(start)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(
        out,
        "  {:>width$} | {}{}",
        "",
        pad,
        paint(&"^".repeat(len), "31", opts.color)
    );
}
