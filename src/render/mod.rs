//! Renderers: plans and findings as text, JSON, Markdown, SARIF. They only read values.

pub mod lint_json;
pub mod lint_junit;
pub mod lint_sarif;
pub mod lint_text;
