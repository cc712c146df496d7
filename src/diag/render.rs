//! Rendering diagnostics as text in the style of rustc/ruff (`--> main.tf:12:5`, excerpt, carets).

use super::{Diagnostic, Severity, SourceMap};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Use ANSI colours.
    pub color: bool,
}

/// Renders one diagnostic with the source excerpts of its labels.
pub fn render(diag: &Diagnostic, sources: &SourceMap, opts: RenderOptions) -> String {
    let level = match diag.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group = Group::with_title(level.primary_title(diag.message.as_str()).id(diag.code));
    // One snippet per file, in the order files first appear among the labels.
    let mut files: Vec<super::FileId> = Vec::new();
    for l in &diag.labels {
        if !files.contains(&l.span.file) && sources.try_get(l.span.file).is_some() {
            files.push(l.span.file);
        }
    }
    for file_id in files {
        let file = sources.get(file_id);
        let path = file.path.display().to_string();
        let mut snippet = Snippet::source(file.text.as_str()).path(path).fold(true);
        for (i, l) in diag.labels.iter().enumerate() {
            if l.span.file != file_id {
                continue;
            }
            let kind = if i == 0 {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            let mut range = l.span.range();
            range.end = range.end.min(file.text.len());
            range.start = range.start.min(range.end);
            snippet = snippet.annotation(kind.span(range).label(l.text.as_str()));
        }
        group = group.element(snippet);
    }
    if let Some(help) = &diag.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let report: Vec<Group<'_>> = vec![group];
    let renderer = if opts.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&report)
}

/// Renders many diagnostics separated by blank lines.
pub fn render_all<'a>(
    diags: impl IntoIterator<Item = &'a Diagnostic>,
    sources: &SourceMap,
    opts: RenderOptions,
) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&render(d, sources, opts));
        out.push_str("\n\n");
    }
    out
}
