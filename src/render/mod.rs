//! Renderers: plans and findings as text, JSON, Markdown, SARIF. They only read values; they
//! never call providers, re-diff or read state.

pub mod lint_json;
pub mod lint_junit;
pub mod lint_sarif;
pub mod lint_text;
pub mod plan_json;
pub mod plan_markdown;
pub mod plan_text;
