//! Lint findings as JUnit XML: one test case per policy rule, failures per finding.

use crate::diag::SourceMap;
use crate::lint::{rules, LintFinding};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The JUnit document.
pub fn render(findings: &[LintFinding], sources: &SourceMap) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"emrform lint\" tests=\"{}\" failures=\"{}\">\n",
        rules::ALL.len(),
        findings.len()
    ));
    out.push_str(&format!(
        "  <testsuite name=\"iam-policies\" tests=\"{}\" failures=\"{}\">\n",
        rules::ALL.len(),
        findings.len()
    ));
    for r in rules::ALL {
        let m = r.meta();
        let fs: Vec<&LintFinding> = findings.iter().filter(|f| f.rule == m.code).collect();
        out.push_str(&format!(
            "    <testcase classname=\"emrform.lint\" name=\"{} {}\">\n",
            m.code,
            esc(m.name)
        ));
        for f in fs {
            out.push_str(&format!(
                "      <failure type=\"{:?}\" message=\"{}\">{}</failure>\n",
                f.severity,
                esc(&f.message),
                esc(&sources.location(f.span))
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
