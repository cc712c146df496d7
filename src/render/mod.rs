//! Renderers: plans and findings as text, JSON, Markdown, SARIF. They only read values; they
//! never call providers, re-diff or read state.

pub mod plan_json;
pub mod plan_markdown;
pub mod plan_text;
