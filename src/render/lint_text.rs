//! Lint findings as text, grouped by file, with the source line.

use crate::diag::{Diagnostic, SourceMap};
use crate::lint::{LintFinding, Severity};

/// Renders findings like compiler diagnostics, then a summary line.
pub fn render(
    findings: &[LintFinding],
    sources: &SourceMap,
    policies: usize,
    color: bool,
) -> String {
    let mut out = String::new();
    for f in findings {
        let mut d = match f.severity {
            Severity::Error => Diagnostic::error(f.rule, f.message.clone()),
            Severity::Warning | Severity::Info => Diagnostic::warning(f.rule, f.message.clone()),
        };
        let label = if f.address.is_empty() {
            f.name.to_string()
        } else {
            format!("{} ({})", f.name, f.address)
        };
        d = d.with_label(f.span, label);
        if let Some(c) = f.aws_code {
            d = d.with_help(format!("IAM Access Analyzer: {c}"));
        }
        out.push_str(&crate::diag::render(
            &d,
            sources,
            crate::diag::RenderOptions { color },
        ));
        out.push_str("\n\n");
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    out.push_str(&format!(
        "{} polic{} checked: {} error(s), {} warning(s), {} info.\n",
        policies,
        if policies == 1 { "y" } else { "ies" },
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    ));
    out
}
