//! The rule interface: [`RuleMeta`] (stable code, name, severity, Access Analyzer code) and the
//! [`Findings`] sink a rule's `check` function pushes into.

use super::catalog::{catalog, ActionRef};
use super::policy::{Policy, Statement};
use crate::diag::Span;
use serde::Serialize;
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; not shown by default.
    Info,
    /// Should be fixed.
    Warning,
    /// Must be fixed: broken or dangerous.
    Error,
}

impl Severity {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `info`, `warning`, `error`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" | "note" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The signature of a rule's check.
pub type CheckFn = fn(&Policy, &mut Findings);

/// What a rule is: the data the registry, `emrform rule CODE` and SARIF show.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, never reused: `IAM001`.
    pub code: &'static str,
    /// Kebab-case name readable as "allow <name>": `wildcard-action`.
    pub name: &'static str,
    /// Version that introduced the rule.
    pub since: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One-line title.
    pub title: &'static str,
    /// The IAM Access Analyzer `ValidatePolicy` issue code for the same check, where one exists.
    pub aws_code: Option<&'static str>,
    /// The rule's source file; its `//!` lines are the documentation.
    pub source: &'static str,
    /// The check.
    pub check: CheckFn,
}

impl RuleMeta {
    /// The rule's documentation: the `//!` comment of its file (What it does / Why is this bad? /
    /// Example / Use instead).
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                if !out.is_empty() {
                    break;
                }
                continue;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out.trim_end().to_string()
    }
}

/// A finding as a rule reports it (the driver adds code, severity and location).
#[derive(Debug, Clone, PartialEq)]
pub struct RawFinding {
    /// The element at fault.
    pub span: Span,
    /// One sentence: what is wrong and the fix.
    pub message: String,
}

/// Where a rule's check pushes what it finds.
#[derive(Debug, Default)]
pub struct Findings {
    /// Findings so far.
    pub items: Vec<RawFinding>,
}

impl Findings {
    /// Reports one finding.
    pub fn push(&mut self, span: Span, message: impl Into<String>) {
        self.items.push(RawFinding {
            span,
            message: message.into(),
        });
    }
}

/// Every catalog action an `Action` element of an `Allow` statement grants, with the span of the
/// item that grants it. Unknown items and `NotAction` give nothing.
pub fn granted_actions(st: &Statement) -> Vec<(ActionRef<'static>, Span)> {
    granted_slice(st).to_vec()
}

/// Like [`granted_actions`], without copying: the expansion is computed once per statement.
pub fn granted_slice(st: &Statement) -> &[(ActionRef<'static>, Span)] {
    st.granted.0.get_or_init(|| {
        let mut out = Vec::new();
        if !st.is_allow() {
            return out;
        }
        if let Some(a) = st.actions() {
            for (pat, span) in a.known() {
                for r in catalog().expand(pat) {
                    out.push((r, span));
                }
            }
        }
        out
    })
}

/// True when a resource pattern means "any resource" for the purpose of over-breadth rules:
/// `*` itself, or `arn:aws:<svc>:*:*:*`-style patterns whose resource part is `*`.
pub fn is_any_resource(r: &str) -> bool {
    if r == "*" {
        return true;
    }
    let parts: Vec<&str> = r.splitn(6, ':').collect();
    parts.len() == 6 && parts[0] == "arn" && parts[5] == "*"
}
