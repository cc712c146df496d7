//! Renderers: plans and findings as text, JSON, Markdown, SARIF. They only read values.
