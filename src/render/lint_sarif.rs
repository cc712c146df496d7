//! Lint findings as SARIF 2.1.0 for GitHub code scanning: one run, the rules in
//! `tool.driver.rules` (with `help` from each rule's documentation), one result per finding.

use crate::lint::registry::RULES;
use crate::lint::{LintReport, Severity};
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Renders a report as a SARIF log. File paths become relative URIs as given (run the linter
/// from the repository root for GitHub code scanning).
pub fn render(report: &LintReport) -> String {
    render_with(report, false)
}

/// Like [`render`], with the plan-time checks among the rules (`emrform check`).
pub fn render_with_checks(report: &LintReport) -> String {
    render_with(report, true)
}

fn render_with(report: &LintReport, with_checks: bool) -> String {
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    let mut rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let doc = r.doc();
            let mut props = json!({ "tags": ["security", "iam"], "since": r.since });
            if let Some(c) = r.aws_code {
                props["aws_code"] = json!(c);
            }
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.title },
                "fullDescription": { "text": r.title },
                "help": { "text": doc, "markdown": doc },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": props,
            })
        })
        .collect();
    if with_checks {
        for c in crate::checks::rules::ALL {
            let m = c.meta();
            let level = match m.severity {
                crate::plan::FindingSeverity::Error => "error",
                crate::plan::FindingSeverity::Warning => "warning",
                crate::plan::FindingSeverity::Info => "note",
            };
            let help = format!("{}\n\nFix: {}", m.summary, m.fix);
            ids.push(m.code);
            rules.push(json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": m.summary },
                "help": { "text": help, "markdown": help },
                "defaultConfiguration": { "level": level },
                "properties": { "tags": ["emr-serverless", "plan-check"] },
            }));
        }
    }
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let idx = ids.iter().position(|r| *r == f.rule);
            let uri = f.file.to_string_lossy().replace('\\', "/");
            let uri = uri.strip_prefix("./").unwrap_or(&uri).to_string();
            let mut props = json!({});
            if let Some(c) = f.aws_code {
                props["aws_code"] = json!(c);
            }
            if let Some(a) = &f.address {
                props["address"] = json!(a);
            }
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line.max(f.line),
                            "endColumn": if f.end_line > f.line { f.end_column } else { f.end_column.max(f.column + 1) },
                        }
                    }
                }],
                "properties": props,
            });
            if let Some(i) = idx {
                result["ruleIndex"] = json!(i);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "emrform",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}
