//! Lint findings as JSON Lines: one object per finding per line with `file`, `line`, `column`,
//! `rule`, `aws_code`, `severity`, `message` (plus `name`, `end_line`, `end_column`, `address`).

use crate::lint::LintReport;
use serde_json::json;

/// Renders a report; empty when there are no findings.
pub fn render(report: &LintReport) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let v = json!({
            "file": f.file.display().to_string(),
            "line": f.line,
            "column": f.column,
            "end_line": f.end_line,
            "end_column": f.end_column,
            "rule": f.rule,
            "name": f.name,
            "aws_code": f.aws_code,
            "severity": f.severity.as_str(),
            "message": f.message,
            "address": f.address,
        });
        out.push_str(&v.to_string());
        out.push('\n');
    }
    out
}
