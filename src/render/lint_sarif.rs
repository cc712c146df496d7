//! Lint findings as SARIF 2.1.0 for GitHub code scanning, with rule metadata and help.

use crate::diag::SourceMap;
use crate::lint::{rules, LintFinding, Severity};
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF log.
pub fn to_json(findings: &[LintFinding], sources: &SourceMap) -> Value {
    let rules_json: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
            let m = r.meta();
            let help: String = r
                .doc()
                .lines()
                .take_while(|l| l.starts_with("//!"))
                .map(|l| l.trim_start_matches("//!").trim_start_matches(' '))
                .collect::<Vec<_>>()
                .join("\n");
            let mut props = json!({ "tags": ["security", "iam"] });
            if let Some(c) = m.aws_code {
                props["aws_code"] = json!(c);
            }
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.title },
                "fullDescription": { "text": m.title },
                "help": { "text": help, "markdown": help },
                "defaultConfiguration": { "level": level(m.severity) },
                "properties": props,
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let (sl, sc) = sources.line_col(f.span);
            let end = crate::diag::Span { start: f.span.end, ..f.span };
            let (el, ec) = sources.line_col(end);
            let uri = sources.try_get(f.span.file).map(|x| x.path.display().to_string()).unwrap_or_default();
            let rule_index = rules::ALL.iter().position(|r| r.meta().code == f.rule).unwrap_or(0);
            let mut r = json!({
                "ruleId": f.rule,
                "ruleIndex": rule_index,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [{ "physicalLocation": {
                    "artifactLocation": { "uri": uri },
                    "region": { "startLine": sl.max(1), "startColumn": sc.max(1), "endLine": el.max(sl.max(1)), "endColumn": if el == sl { ec.max(sc + 1) } else { ec.max(1) } },
                } }],
            });
            if !f.address.is_empty() {
                r["properties"] = json!({ "address": f.address });
            }
            r
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "emrform", "version": env!("CARGO_PKG_VERSION"), "informationUri": "https://github.com/emrform/emrform", "rules": rules_json } },
            "results": results,
        }],
    })
}

/// The SARIF log as text.
pub fn render(findings: &[LintFinding], sources: &SourceMap) -> String {
    serde_json::to_string_pretty(&to_json(findings, sources)).unwrap_or_default()
}
