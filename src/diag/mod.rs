//! Diagnostics: problems in the user's input (HCL, policy JSON, references, cycles).
//!
//! A [`Diagnostic`] has a severity, a stable code, one short message, labelled source spans and
//! optional help. Everything that reads user input collects diagnostics instead of stopping at the
//! first one. This module owns the data and its rendering; it must not decide *what* is wrong.

mod render;
mod source;

pub use render::{render, render_all, RenderOptions};
pub use source::{FileId, SourceFile, SourceMap, Span};

use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is. Errors stop `validate`/`plan`; warnings are shown and do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A source span with the text printed under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where in the input this label points.
    pub span: Span,
    /// Short text shown beside the carets; may be empty.
    pub text: String,
}

/// One problem found in the user's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable kind of problem, e.g. `unsupported-argument`; used by tests and JSON consumers.
    pub code: &'static str,
    /// One short sentence saying what is wrong (Terraform calls this the summary).
    pub message: String,
    /// The first label is the primary location; the others add context (e.g. each edge of a cycle).
    pub labels: Vec<Label>,
    /// Longer explanation or what to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error with no location.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    /// A new warning with no location.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Adds a label (the first one added is the primary location).
    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    /// Adds a label only when a span is known.
    pub fn with_opt_label(self, span: Option<Span>, text: impl Into<String>) -> Self {
        match span {
            Some(span) => self.with_label(span, text),
            None => self,
        }
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The primary span, if any.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }
}

/// A list of diagnostics collected by one phase.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    /// Appends one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Appends all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// True when there are no diagnostics at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Iterates over the diagnostics.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// Sorts by file and position so output is stable, keeping errors with equal spans in order.
    pub fn sort(&mut self) {
        self.0.sort_by_key(|d| {
            d.primary_span()
                .map(|s| (s.file.0, s.start))
                .unwrap_or((u32::MAX, 0))
        });
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}
