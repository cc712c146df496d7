//! Lint findings as JSON Lines: one object per finding with file, line, column, rule,
//! aws_code, severity and message.

use crate::diag::SourceMap;
use crate::lint::LintFinding;
use serde_json::json;

/// One JSON object per line.
pub fn render(findings: &[LintFinding], sources: &SourceMap) -> String {
    let mut out = String::new();
    for f in findings {
        let (line, column) = sources.line_col(f.span);
        let file = sources
            .try_get(f.span.file)
            .map(|x| x.path.display().to_string())
            .unwrap_or_default();
        let o = json!({
            "file": file, "line": line, "column": column, "rule": f.rule, "name": f.name,
            "aws_code": f.aws_code, "severity": f.severity, "message": f.message, "address": f.address,
        });
        out.push_str(&o.to_string());
        out.push('\n');
    }
    out
}
