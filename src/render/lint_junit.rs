//! Lint findings as JUnit XML: one test suite per file, one failed test case per finding, and
//! one passing case for a file without findings, so CI dashboards show what was checked.

use crate::lint::LintReport;
use std::fmt::Write as _;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => o.push(c),
        }
    }
    o
}

/// Renders a report.
pub fn render(report: &LintReport) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total = report.findings.len().max(1).max(report.files.len());
    let _ = writeln!(
        out,
        "<testsuites name=\"emrform lint\" tests=\"{}\" failures=\"{}\">",
        total,
        report.findings.len()
    );
    for file in &report.files {
        let fs: Vec<_> = report.findings.iter().filter(|f| &f.file == file).collect();
        let name = esc(&file.display().to_string());
        let _ = writeln!(
            out,
            "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{}\">",
            fs.len().max(1),
            fs.len()
        );
        if fs.is_empty() {
            let _ = writeln!(
                out,
                "    <testcase name=\"no findings\" classname=\"{name}\"/>"
            );
        }
        for f in fs {
            let _ = writeln!(
                out,
                "    <testcase name=\"{} {}:{}:{}\" classname=\"{}\">",
                f.rule,
                name,
                f.line,
                f.column,
                esc(f.address.as_deref().unwrap_or(&file.display().to_string()))
            );
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{} {} [{}] {}:{}:{}: {}</failure>",
                f.severity.as_str(),
                esc(&f.message),
                f.severity.as_str(),
                f.rule,
                f.name,
                name,
                f.line,
                f.column,
                esc(&f.message)
            );
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
