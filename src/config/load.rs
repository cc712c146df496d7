//! Loading: the `.tf` files of a directory (and its local modules) into a [`Config`], keeping
//! source spans. Parse errors and malformed declarations become diagnostics; nothing is
//! evaluated here.

use crate::addrs::{ModulePath, ResourceAddr};
use crate::config::model::*;
use crate::diag::{Diagnostic, Diagnostics, FileId, SourceMap, Span};
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Body, Structure};
use hcl_edit::Span as _;
use std::path::{Path, PathBuf};

/// Meta-arguments of `resource`/`data` blocks, removed from the body before schema checks.
const RESOURCE_META: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "provisioner",
    "connection",
];

/// How deep module calls may nest before we call it recursion.
const MAX_MODULE_DEPTH: usize = 32;

/// Loads the configuration rooted at `dir`.
///
/// Returns the configuration (possibly partial) and every problem found; the caller must not
/// evaluate a configuration whose diagnostics contain errors.
pub fn load(dir: &Path) -> (Config, Diagnostics) {
    let mut loader = Loader {
        config: Config::default(),
        diags: Diagnostics::new(),
        root_dir: dir.to_path_buf(),
        modules_manifest: None,
    };
    loader.load_module(dir, ModulePath::root(), 0);
    (loader.config, loader.diags)
}

/// Parses one HCL file into a body, adding it to `sources`.
///
/// # Errors
/// A diagnostic pointing at the parse error.
pub fn parse_file(
    sources: &mut SourceMap,
    path: &Path,
    text: String,
) -> Result<(FileId, Body), Diagnostic> {
    let file = sources.add(display_path(path), text);
    let text = &sources.get(file).text;
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => Ok((file, body)),
        Err(e) => Err(parse_error_diag(sources, file, &e)),
    }
}

fn parse_error_diag(sources: &SourceMap, file: FileId, e: &hcl_edit::parser::Error) -> Diagnostic {
    let f = sources.get(file);
    let loc = e.location();
    let offset = f.offset_of(loc.line(), loc.column());
    let line_text = f.line_text(loc.line());
    let mut msg = e.message().to_string();
    if msg.is_empty() {
        msg = "invalid syntax".into();
    }
    // Highlight from the first non-blank character of the line to the error position, which
    // reads better than a single caret at the end of the line.
    let line_start = f.offset_of(loc.line(), 1);
    let indent = line_text.len() - line_text.trim_start().len();
    let start = (line_start + indent).min(offset);
    let mut d = Diagnostic::error("syntax-error", format!("Invalid syntax: {msg}")).with_label(
        Span::new(file, start..offset.max(start + 1).min(f.text.len())),
        "here",
    );
    let trimmed = line_text.trim();
    // `type "spark"` parses as the header of a block named `type`: the classic missing `=`.
    let words: Vec<&str> = trimmed.splitn(2, char::is_whitespace).collect();
    if words.len() == 2
        && is_ident(words[0])
        && words[1].trim_start().starts_with('"')
        && !trimmed.ends_with('{')
    {
        d = d.with_help(format!(
            "A block definition must have block content delimited by \"{{\" and \"}}\" on the \
             same line as its header. Did you mean `{} = {}`?",
            words[0],
            words[1].trim()
        ));
    }
    d
}

fn is_ident(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(ch) if ch.is_alphabetic() || ch == '_')
        && c.all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '-')
}

/// The path as shown to users: relative to the working directory when it is below it.
pub fn display_path(path: &Path) -> PathBuf {
    if let Ok(cwd) = std::env::current_dir() {
        if let Ok(rel) = path.strip_prefix(&cwd) {
            return rel.to_path_buf();
        }
    }
    path.to_path_buf()
}

struct Loader {
    config: Config,
    diags: Diagnostics,
    root_dir: PathBuf,
    modules_manifest: Option<Vec<(String, String)>>,
}

impl Loader {
    fn span(&self, file: FileId, node: &impl hcl_edit::Span) -> Span {
        node.span()
            .map(|r| Span::new(file, r))
            .unwrap_or(Span::new(file, 0..0))
    }

    /// `an argument named "X" is not expected {place}`, pointing at the name.
    fn unexpected_argument(
        &mut self,
        file: FileId,
        key: &hcl_edit::Decorated<hcl_edit::Ident>,
        place: &str,
        label: &str,
    ) {
        let sp = self.span(file, key);
        self.diags.push(
            Diagnostic::error(
                "unsupported-argument",
                format!(
                    "an argument named \"{}\" is not expected {place}",
                    key.as_str()
                ),
            )
            .with_label(sp, label),
        );
    }

    /// `a block named "X" is not expected {place}`, pointing at the block type.
    fn unexpected_block(
        &mut self,
        file: FileId,
        ident: &hcl_edit::Decorated<hcl_edit::Ident>,
        place: &str,
        label: &str,
    ) {
        let sp = self.span(file, ident);
        self.diags.push(
            Diagnostic::error(
                "unsupported-block",
                format!(
                    "a block named \"{}\" is not expected {place}",
                    ident.as_str()
                ),
            )
            .with_label(sp, label),
        );
    }

    fn load_module(&mut self, dir: &Path, path: ModulePath, depth: usize) {
        let mut files = match config_files(dir) {
            Ok(f) => f,
            Err(e) => {
                self.diags.push(
                    Diagnostic::error(
                        "unreadable-directory",
                        format!(
                            "cannot read the configuration directory {}: {e}",
                            dir.display()
                        ),
                    )
                    .with_help("Check the path given to --chdir or the module's `source`."),
                );
                return;
            }
        };
        files.sort();
        if files.is_empty() && path.is_root() {
            self.diags.push(
                Diagnostic::error(
                    "no-configuration",
                    format!(
                        "no configuration files (*.tf, *.tf.json) in {}",
                        dir.display()
                    ),
                )
                .with_help("Run emrform in a directory with .tf files, or pass --chdir DIR."),
            );
        }
        let mut module = Module {
            path: path.clone(),
            dir: dir.to_path_buf(),
            ..Module::default()
        };
        let index = self.config.modules.len();
        // Reserve the slot so the root stays first even though children load recursively.
        self.config.modules.insert(path.clone(), Module::default());
        for f in &files {
            let text = match std::fs::read_to_string(f) {
                Ok(t) => t,
                Err(e) => {
                    self.diags.push(Diagnostic::error(
                        "unreadable-file",
                        format!("cannot read {}: {e}", f.display()),
                    ));
                    continue;
                }
            };
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name == "override.tf"
                || name.ends_with("_override.tf")
                || name == "override.tf.json"
                || name.ends_with("_override.tf.json")
            {
                self.diags.push(
                    Diagnostic::error(
                        "unsupported-override-file",
                        format!(
                            "override files are not supported: {}",
                            display_path(f).display()
                        ),
                    )
                    .with_help("Merge the override into the main files."),
                );
                continue;
            }
            let parsed = if name.ends_with(".tf.json") {
                let file = self.config.sources.add(display_path(f), text);
                crate::config::json_syntax::to_body(&self.config.sources.get(file).text)
                    .map(|b| (file, b))
                    .map_err(|m| {
                        Diagnostic::error(
                            "syntax-error",
                            format!("Invalid JSON configuration: {m}"),
                        )
                        .with_label(Span::new(file, 0..0), "in this file")
                    })
            } else {
                parse_file(&mut self.config.sources, f, text)
            };
            match parsed {
                Ok((file, body)) => self.load_body(&mut module, file, body),
                Err(d) => self.diags.push(d),
            }
        }
        // Load child modules after the parent's own files.
        let calls: Vec<(String, String, Span)> = module
            .module_calls
            .values()
            .map(|c| (c.name.clone(), c.source.clone(), c.source_span))
            .collect();
        if let Some(slot) = self.config.modules.get_index_mut(index) {
            *slot.1 = module;
        }
        for (name, source, span) in calls {
            if depth >= MAX_MODULE_DEPTH {
                self.diags.push(
                    Diagnostic::error(
                        "module-recursion",
                        format!("module \"{name}\" nests deeper than {MAX_MODULE_DEPTH} levels"),
                    )
                    .with_label(span, "this module calls itself, directly or indirectly"),
                );
                continue;
            }
            let child_path = path.child(&name);
            match self.resolve_source(dir, &child_path, &source) {
                Ok(child_dir) => self.load_module(&child_dir, child_path, depth + 1),
                Err(msg) => self.diags.push(
                    Diagnostic::error("unsupported-module-source", msg.0)
                        .with_label(span, "module source")
                        .with_help(msg.1),
                ),
            }
        }
    }

    fn resolve_source(
        &mut self,
        dir: &Path,
        child: &ModulePath,
        source: &str,
    ) -> Result<PathBuf, (String, String)> {
        if source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
        {
            let p = dir.join(source);
            if p.is_dir() {
                return Ok(p);
            }
            return Err((
                format!("module source {source:?} is not a directory"),
                format!("Looked for {}.", p.display()),
            ));
        }
        // A module Terraform already downloaded (`terraform init`): use its copy.
        let key = child.0.join(".");
        if self.modules_manifest.is_none() {
            self.modules_manifest = Some(read_modules_manifest(&self.root_dir));
        }
        if let Some(m) = &self.modules_manifest {
            if let Some((_, d)) = m.iter().find(|(k, _)| *k == key) {
                let p = self.root_dir.join(d);
                if p.is_dir() {
                    return Ok(p);
                }
            }
        }
        Err((
            format!("module source {source:?} has not been fetched"),
            "Run `emrform init` to fetch registry and git module sources into .emrform/modules (modules `terraform init` already fetched, in .terraform/modules, are used as they are)."
                .into(),
        ))
    }

    fn load_body(&mut self, module: &mut Module, file: FileId, body: Body) {
        for structure in body.into_iter() {
            match structure {
                Structure::Attribute(a) => {
                    let sp = self.span(file, &a);
                    self.diags.push(
                        Diagnostic::error(
                            "unexpected-argument",
                            format!(
                                "an argument named \"{}\" is not expected here",
                                a.key.as_str()
                            ),
                        )
                        .with_label(sp, "top-level arguments are not allowed")
                        .with_help(
                            "Top-level items are blocks such as resource, variable, locals.",
                        ),
                    );
                }
                Structure::Block(b) => self.load_block(module, file, b),
            }
        }
    }

    fn labels(&mut self, file: FileId, b: &Block, n: usize, what: &str) -> Option<Vec<String>> {
        if b.labels.len() != n {
            let sp = self.span(file, &b.ident);
            self.diags.push(
                Diagnostic::error(
                    "wrong-labels",
                    format!(
                        "a {} block needs {} label(s), found {}",
                        b.ident.as_str(),
                        n,
                        b.labels.len()
                    ),
                )
                .with_label(sp, format!("expected {what}")),
            );
            return None;
        }
        Some(b.labels.iter().map(|l| l.as_str().to_string()).collect())
    }

    fn header_span(&self, file: FileId, b: &Block) -> Span {
        let start = b.ident.span().map(|r| r.start);
        let end = b
            .labels
            .last()
            .and_then(|l| l.span())
            .map(|r| r.end)
            .or_else(|| b.ident.span().map(|r| r.end));
        match (start, end) {
            (Some(s), Some(e)) => Span::new(file, s..e),
            _ => self.span(file, b),
        }
    }

    fn load_block(&mut self, module: &mut Module, file: FileId, b: Block) {
        let kind = b.ident.as_str().to_string();
        let header = self.header_span(file, &b);
        match kind.as_str() {
            "resource" | "data" => {
                let Some(l) = self.labels(file, &b, 2, "a type and a name") else {
                    return;
                };
                let addr = if kind == "data" {
                    ResourceAddr::data(&l[0], &l[1])
                } else {
                    ResourceAddr::managed(&l[0], &l[1])
                };
                if let Some(prev) = module.resources.get(&addr) {
                    let prev_loc = self.config.sources.location(prev.span);
                    self.diags.push(
                        Diagnostic::error("duplicate-resource", format!("duplicate {kind} \"{}\" \"{}\"", l[0], l[1]))
                            .with_label(header, "declared again here")
                            .with_label(prev.span, "first declared here")
                            .with_help(format!("A {kind} named {addr} was already declared at {prev_loc}; each address must be unique within a module.")),
                    );
                    return;
                }
                let type_span = b
                    .labels
                    .first()
                    .and_then(|l| l.span())
                    .map(|r| Span::new(file, r))
                    .unwrap_or(header);
                let block_span = self.span(file, &b);
                let r = self.load_resource(file, addr.clone(), b, header, type_span, block_span);
                module.resources.insert(addr, r);
            }
            "variable" => {
                let Some(l) = self.labels(file, &b, 1, "a name") else {
                    return;
                };
                if module.variables.contains_key(&l[0]) {
                    self.diags.push(
                        Diagnostic::error(
                            "duplicate-variable",
                            format!("duplicate variable \"{}\"", l[0]),
                        )
                        .with_label(header, "declared again here"),
                    );
                    return;
                }
                let v = self.load_variable(file, &l[0], b, header);
                module.variables.insert(l[0].clone(), v);
            }
            "locals" => {
                for s in b.body.into_iter() {
                    match s {
                        Structure::Attribute(a) => {
                            let name = a.key.as_str().to_string();
                            let span = self.span(file, &a);
                            if module.locals.contains_key(&name) {
                                self.diags.push(
                                    Diagnostic::error(
                                        "duplicate-local",
                                        format!("duplicate local value \"{name}\""),
                                    )
                                    .with_label(span, "declared again here"),
                                );
                                continue;
                            }
                            module.locals.insert(
                                name.clone(),
                                Local {
                                    name,
                                    value: Expr {
                                        expr: a.value,
                                        file,
                                    },
                                    span,
                                },
                            );
                        }
                        Structure::Block(inner) => {
                            let sp = self.span(file, &inner.ident);
                            self.diags.push(
                                Diagnostic::error(
                                    "unexpected-block",
                                    "blocks are not allowed in locals",
                                )
                                .with_label(sp, "write `name = value` instead"),
                            );
                        }
                    }
                }
            }
            "output" => {
                let Some(l) = self.labels(file, &b, 1, "a name") else {
                    return;
                };
                if module.outputs.contains_key(&l[0]) {
                    self.diags.push(
                        Diagnostic::error(
                            "duplicate-output",
                            format!("duplicate output \"{}\"", l[0]),
                        )
                        .with_label(header, "declared again here"),
                    );
                    return;
                }
                let o = self.load_output(file, &l[0], b, header);
                module.outputs.insert(l[0].clone(), o);
            }
            "module" => {
                let Some(l) = self.labels(file, &b, 1, "a name") else {
                    return;
                };
                if module.module_calls.contains_key(&l[0]) {
                    self.diags.push(
                        Diagnostic::error(
                            "duplicate-module",
                            format!("duplicate module call \"{}\"", l[0]),
                        )
                        .with_label(header, "declared again here"),
                    );
                    return;
                }
                if let Some(c) = self.load_module_call(file, &l[0], b, header) {
                    module.module_calls.insert(l[0].clone(), c);
                }
            }
            "provider" => {
                let Some(l) = self.labels(file, &b, 1, "a provider name") else {
                    return;
                };
                let mut body = b.body;
                let alias = body
                    .remove_attribute("alias")
                    .and_then(|a| a.value.as_str().map(str::to_string));
                body.remove_attribute("version");
                let key = match &alias {
                    Some(a) => format!("{}.{}", l[0], a),
                    None => l[0].clone(),
                };
                if module.providers.contains_key(&key) {
                    self.diags.push(
                        Diagnostic::error(
                            "duplicate-provider",
                            format!("duplicate provider configuration \"{key}\""),
                        )
                        .with_label(header, "declared again here")
                        .with_help("Give the second configuration an `alias`."),
                    );
                    return;
                }
                module.providers.insert(
                    key,
                    ProviderBlock {
                        name: l[0].clone(),
                        alias,
                        body,
                        file,
                        span: header,
                    },
                );
            }
            "terraform" => self.load_terraform(module, file, b),
            "import" => {
                let span = self.span(file, &b);
                let to = b.body.get_attribute("to").map(|a| Expr {
                    expr: a.value.clone(),
                    file,
                });
                let id = b.body.get_attribute("id").map(|a| Expr {
                    expr: a.value.clone(),
                    file,
                });
                let for_each = b.body.get_attribute("for_each").map(|a| Expr {
                    expr: a.value.clone(),
                    file,
                });
                match (to, id) {
                    (Some(to), Some(id)) => module.imports.push(ImportBlock {
                        to,
                        id,
                        for_each,
                        span,
                    }),
                    _ => self.diags.push(
                        Diagnostic::error("invalid-import", "an import block needs `to` and `id`")
                            .with_label(header, "here"),
                    ),
                }
            }
            "moved" => {
                let span = self.span(file, &b);
                let from = b.body.get_attribute("from").map(|a| a.value.clone());
                let to = b.body.get_attribute("to").map(|a| a.value.clone());
                match (from, to) {
                    (Some(from), Some(to)) => module.moved.push(MovedBlock {
                        from: Expr { expr: from, file },
                        to: Expr { expr: to, file },
                        span,
                    }),
                    _ => self.diags.push(
                        Diagnostic::error("invalid-moved", "a moved block needs `from` and `to`")
                            .with_label(header, "here"),
                    ),
                }
            }
            "check" => module.checks.push(header),
            "removed" | "ephemeral" => {
                self.diags.push(
                    Diagnostic::error(
                        "unsupported-block",
                        format!("`{kind}` blocks are not supported"),
                    )
                    .with_label(header, "here"),
                );
            }
            other => {
                let known = [
                    "resource",
                    "data",
                    "variable",
                    "locals",
                    "output",
                    "module",
                    "provider",
                    "terraform",
                    "import",
                    "moved",
                    "check",
                ];
                let mut d = Diagnostic::error(
                    "unsupported-block-type",
                    format!("unsupported block type \"{other}\""),
                )
                .with_label(header, "not expected here");
                if let Some(s) = crate::config::suggest::did_you_mean(other, known.iter().copied())
                {
                    d = d.with_help(format!("Did you mean \"{s}\"?"));
                }
                self.diags.push(d);
            }
        }
    }

    fn refs(&mut self, file: FileId, a: &Attribute) -> Vec<Reference> {
        match &a.value {
            Expression::Array(arr) => arr
                .iter()
                .map(|e| Reference {
                    expr: Expr {
                        expr: e.clone(),
                        file,
                    },
                    span: self.span(file, e),
                })
                .collect(),
            other => {
                let sp = self.span(file, other);
                self.diags.push(
                    Diagnostic::error(
                        "invalid-depends-on",
                        format!("\"{}\" must be a list of references", a.key.as_str()),
                    )
                    .with_label(sp, "expected [ ... ]"),
                );
                Vec::new()
            }
        }
    }

    fn bool_attr(&mut self, file: FileId, a: &Attribute) -> bool {
        match &a.value {
            Expression::Bool(b) => *b.value(),
            other => {
                let sp = self.span(file, other);
                self.diags.push(
                    Diagnostic::error(
                        "invalid-value",
                        format!("\"{}\" must be true or false", a.key.as_str()),
                    )
                    .with_label(sp, "a literal bool is required here"),
                );
                false
            }
        }
    }

    fn string_attr(&mut self, file: FileId, a: &Attribute) -> Option<String> {
        match a.value.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                let sp = self.span(file, &a.value);
                self.diags.push(
                    Diagnostic::error(
                        "invalid-value",
                        format!("\"{}\" must be a literal string", a.key.as_str()),
                    )
                    .with_label(sp, "a string without references is required here"),
                );
                None
            }
        }
    }

    fn check_rule(&mut self, file: FileId, b: &Block) -> Option<CheckRule> {
        let span = self.span(file, b);
        match b.body.get_attribute("condition") {
            Some(c) => Some(CheckRule {
                condition: Expr {
                    expr: c.value.clone(),
                    file,
                },
                error_message: b.body.get_attribute("error_message").map(|a| Expr {
                    expr: a.value.clone(),
                    file,
                }),
                span,
            }),
            None => {
                self.diags.push(
                    Diagnostic::error(
                        "missing-condition",
                        format!("a {} block needs a `condition`", b.ident.as_str()),
                    )
                    .with_label(span, "here"),
                );
                None
            }
        }
    }

    fn load_resource(
        &mut self,
        file: FileId,
        addr: ResourceAddr,
        b: Block,
        header: Span,
        type_span: Span,
        block_span: Span,
    ) -> Resource {
        let mut r = Resource {
            addr,
            count: None,
            for_each: None,
            depends_on: Vec::new(),
            provider: None,
            lifecycle: Lifecycle::default(),
            provisioners: Vec::new(),
            body: Body::new(),
            file,
            span: header,
            type_span,
            ignored_checks: ignore_comments(&self.config.sources.get(file).text, block_span),
        };
        let mut body = Body::new();
        for s in b.body.into_iter() {
            match s {
                Structure::Attribute(a) if RESOURCE_META.contains(&a.key.as_str()) => {
                    match a.key.as_str() {
                        "count" => {
                            r.count = Some(Expr {
                                expr: a.value,
                                file,
                            })
                        }
                        "for_each" => {
                            r.for_each = Some(Expr {
                                expr: a.value,
                                file,
                            })
                        }
                        "depends_on" => r.depends_on = self.refs(file, &a),
                        "provider" => {
                            r.provider = Some(traversal_text(&a.value).unwrap_or_default())
                        }
                        _ => {
                            let sp = self.span(file, &a);
                            self.diags.push(
                                Diagnostic::error(
                                    "invalid-meta-argument",
                                    format!("\"{}\" is a block, not an argument", a.key.as_str()),
                                )
                                .with_label(sp, "here"),
                            );
                        }
                    }
                }
                Structure::Block(blk) if blk.ident.as_str() == "lifecycle" => {
                    r.lifecycle = self.load_lifecycle(file, blk);
                }
                Structure::Block(blk) if blk.ident.as_str() == "provisioner" => {
                    let kind = blk
                        .labels
                        .first()
                        .map(|l| l.as_str().to_string())
                        .unwrap_or_default();
                    let sp = self.span(file, &blk);
                    let mut when_destroy = false;
                    let mut on_failure_continue = false;
                    let mut pbody = Body::builder();
                    for st in blk.body.into_iter() {
                        match st {
                            Structure::Attribute(a) if a.key.as_str() == "when" => {
                                when_destroy =
                                    traversal_text(&a.value).as_deref() == Some("destroy");
                            }
                            Structure::Attribute(a) if a.key.as_str() == "on_failure" => {
                                on_failure_continue =
                                    traversal_text(&a.value).as_deref() == Some("continue");
                            }
                            Structure::Block(c) if c.ident.as_str() == "connection" => {}
                            other => pbody = pbody.structure(other),
                        }
                    }
                    r.provisioners.push(crate::config::model::Provisioner {
                        kind,
                        span: sp,
                        body: pbody.build(),
                        when_destroy,
                        on_failure_continue,
                    });
                }
                Structure::Block(blk) if blk.ident.as_str() == "connection" => {}
                other => body.push(other),
            }
        }
        if r.count.is_some() && r.for_each.is_some() {
            self.diags.push(
                Diagnostic::error(
                    "count-and-for-each",
                    "\"count\" and \"for_each\" cannot be used together",
                )
                .with_opt_label(r.for_each.as_ref().and_then(Expr::span), "for_each")
                .with_opt_label(r.count.as_ref().and_then(Expr::span), "count"),
            );
        }
        r.body = body;
        r
    }

    fn load_lifecycle(&mut self, file: FileId, b: Block) -> Lifecycle {
        let mut l = Lifecycle {
            span: Some(self.span(file, &b)),
            ..Lifecycle::default()
        };
        for s in b.body.iter() {
            match s {
                Structure::Attribute(a) => match a.key.as_str() {
                    "create_before_destroy" => l.create_before_destroy = self.bool_attr(file, a),
                    "prevent_destroy" => l.prevent_destroy = self.bool_attr(file, a),
                    "ignore_changes" => match &a.value {
                        Expression::Variable(v) if v.as_str() == "all" => {
                            l.ignore_all_changes = true
                        }
                        Expression::String(s) if s.as_str() == "all" => l.ignore_all_changes = true,
                        Expression::Array(arr) => {
                            for e in arr.iter() {
                                match attribute_path(e) {
                                    Some(p) => l.ignore_changes.push(p),
                                    None => {
                                        let sp = self.span(file, e);
                                        self.diags.push(
                                            Diagnostic::error("invalid-ignore-changes", "ignore_changes entries must be attribute names")
                                                .with_label(sp, "expected an attribute such as tags or tags[\"Name\"]"),
                                        );
                                    }
                                }
                            }
                        }
                        other => {
                            let sp = self.span(file, other);
                            self.diags.push(
                                Diagnostic::error(
                                    "invalid-ignore-changes",
                                    "ignore_changes must be a list of attribute names or `all`",
                                )
                                .with_label(sp, "here"),
                            );
                        }
                    },
                    "replace_triggered_by" => l.replace_triggered_by = self.refs(file, a),
                    _ => {
                        self.unexpected_argument(file, &a.key, "in lifecycle", "not expected here");
                    }
                },
                Structure::Block(inner) => match inner.ident.as_str() {
                    "precondition" => {
                        if let Some(c) = self.check_rule(file, inner) {
                            l.preconditions.push(c)
                        }
                    }
                    "postcondition" => {
                        if let Some(c) = self.check_rule(file, inner) {
                            l.postconditions.push(c)
                        }
                    }
                    _ => {
                        self.unexpected_block(
                            file,
                            &inner.ident,
                            "in lifecycle",
                            "not expected here",
                        );
                    }
                },
            }
        }
        l
    }

    fn load_variable(&mut self, file: FileId, name: &str, b: Block, header: Span) -> Variable {
        let mut v = Variable {
            name: name.to_string(),
            type_expr: None,
            default: None,
            description: None,
            sensitive: false,
            nullable: true,
            ephemeral: false,
            validations: Vec::new(),
            span: header,
        };
        for s in b.body.iter() {
            match s {
                Structure::Attribute(a) => match a.key.as_str() {
                    "type" => {
                        v.type_expr = Some(Expr {
                            expr: a.value.clone(),
                            file,
                        })
                    }
                    "default" => {
                        v.default = Some(Expr {
                            expr: a.value.clone(),
                            file,
                        })
                    }
                    "description" => v.description = self.string_attr(file, a),
                    "sensitive" => v.sensitive = self.bool_attr(file, a),
                    "nullable" => v.nullable = self.bool_attr(file, a),
                    "ephemeral" => v.ephemeral = self.bool_attr(file, a),
                    _ => {
                        self.unexpected_argument(
                            file,
                            &a.key,
                            "in a variable block",
                            "not expected here",
                        );
                    }
                },
                Structure::Block(inner) if inner.ident.as_str() == "validation" => {
                    if let Some(c) = self.check_rule(file, inner) {
                        v.validations.push(c)
                    }
                }
                Structure::Block(inner) => {
                    self.unexpected_block(
                        file,
                        &inner.ident,
                        "in a variable block",
                        "not expected here",
                    );
                }
            }
        }
        v
    }

    fn load_output(&mut self, file: FileId, name: &str, b: Block, header: Span) -> Output {
        let mut o = Output {
            name: name.to_string(),
            value: None,
            description: None,
            sensitive: false,
            depends_on: Vec::new(),
            preconditions: Vec::new(),
            span: header,
        };
        for s in b.body.iter() {
            match s {
                Structure::Attribute(a) => match a.key.as_str() {
                    "value" => {
                        o.value = Some(Expr {
                            expr: a.value.clone(),
                            file,
                        })
                    }
                    "description" => o.description = self.string_attr(file, a),
                    "sensitive" => o.sensitive = self.bool_attr(file, a),
                    "ephemeral" => {}
                    "depends_on" => o.depends_on = self.refs(file, a),
                    _ => {
                        self.unexpected_argument(
                            file,
                            &a.key,
                            "in an output block",
                            "not expected here",
                        );
                    }
                },
                Structure::Block(inner) if inner.ident.as_str() == "precondition" => {
                    if let Some(c) = self.check_rule(file, inner) {
                        o.preconditions.push(c)
                    }
                }
                Structure::Block(inner) => {
                    self.unexpected_block(
                        file,
                        &inner.ident,
                        "in an output block",
                        "not expected here",
                    );
                }
            }
        }
        if o.value.is_none() {
            self.diags.push(
                Diagnostic::error(
                    "missing-argument",
                    format!("output \"{name}\" has no `value`"),
                )
                .with_label(header, "add value = ..."),
            );
        }
        o
    }

    fn load_module_call(
        &mut self,
        file: FileId,
        name: &str,
        b: Block,
        header: Span,
    ) -> Option<ModuleCall> {
        let mut source = None;
        let mut source_span = header;
        let mut c = ModuleCall {
            name: name.to_string(),
            source: String::new(),
            source_span: header,
            version: None,
            count: None,
            for_each: None,
            depends_on: Vec::new(),
            inputs: indexmap::IndexMap::new(),
            providers: None,
            span: header,
        };
        for s in b.body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let span = self.span(file, a);
                    match a.key.as_str() {
                        "source" => {
                            source_span = self.span(file, &a.value);
                            source = self.string_attr(file, a);
                        }
                        "version" => c.version = self.string_attr(file, a),
                        "count" => {
                            c.count = Some(Expr {
                                expr: a.value.clone(),
                                file,
                            })
                        }
                        "for_each" => {
                            c.for_each = Some(Expr {
                                expr: a.value.clone(),
                                file,
                            })
                        }
                        "depends_on" => c.depends_on = self.refs(file, a),
                        "providers" => {
                            c.providers = Some(Expr {
                                expr: a.value.clone(),
                                file,
                            })
                        }
                        other => {
                            c.inputs.insert(
                                other.to_string(),
                                (
                                    Expr {
                                        expr: a.value.clone(),
                                        file,
                                    },
                                    span,
                                ),
                            );
                        }
                    }
                }
                Structure::Block(inner) => {
                    self.unexpected_block(
                        file,
                        &inner.ident,
                        "in a module call",
                        "module inputs are arguments: name = value",
                    );
                }
            }
        }
        let Some(source) = source else {
            self.diags.push(
                Diagnostic::error(
                    "missing-argument",
                    format!("module \"{name}\" has no `source`"),
                )
                .with_label(header, "add source = \"./modules/...\""),
            );
            return None;
        };
        c.source = source;
        c.source_span = source_span;
        Some(c)
    }

    fn load_terraform(&mut self, module: &mut Module, file: FileId, b: Block) {
        for s in b.body.into_iter() {
            match s {
                Structure::Attribute(a) => match a.key.as_str() {
                    "required_version" => {
                        module.terraform.required_version = self.string_attr(file, &a)
                    }
                    "experiments" | "language" => {}
                    _ => {
                        self.unexpected_argument(
                            file,
                            &a.key,
                            "in a terraform block",
                            "not expected here",
                        );
                    }
                },
                Structure::Block(inner) => match inner.ident.as_str() {
                    "required_providers" => {
                        for a in inner.body.attributes() {
                            let (src, ver) = match &a.value {
                                Expression::Object(o) => {
                                    let mut src = None;
                                    let mut ver = None;
                                    for (k, v) in o.iter() {
                                        let key = match k {
                                            hcl_edit::expr::ObjectKey::Ident(i) => i.as_str(),
                                            hcl_edit::expr::ObjectKey::Expression(e) => {
                                                e.as_str().unwrap_or("")
                                            }
                                        };
                                        let val = v.expr().as_str().map(str::to_string);
                                        match key {
                                            "source" => src = val,
                                            "version" => ver = val,
                                            _ => {}
                                        }
                                    }
                                    (src, ver)
                                }
                                Expression::String(s) => (None, Some(s.as_str().to_string())),
                                _ => (None, None),
                            };
                            module
                                .terraform
                                .required_providers
                                .insert(a.key.as_str().to_string(), (src, ver));
                        }
                    }
                    "backend" => {
                        let header = self.header_span(file, &inner);
                        let kind = inner
                            .labels
                            .first()
                            .map(|l| l.as_str().to_string())
                            .unwrap_or_default();
                        module.terraform.backend = Some(BackendBlock {
                            kind,
                            body: inner.body,
                            file,
                            span: header,
                        });
                    }
                    "cloud" => module.terraform.cloud = Some(self.header_span(file, &inner)),
                    "provider_meta" => {}
                    _ => {
                        self.unexpected_block(
                            file,
                            &inner.ident,
                            "in a terraform block",
                            "not expected here",
                        );
                    }
                },
            }
        }
    }
}

/// The `.tf` and `.tf.json` files directly in `dir`.
fn config_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.starts_with('.') || !p.is_file() {
            continue;
        }
        if name.ends_with(".tf") || name.ends_with(".tf.json") {
            out.push(p);
        }
    }
    Ok(out)
}

/// Module keys and directories from the manifests of `emrform init` (first) and
/// `terraform init`.
fn read_modules_manifest(root: &Path) -> Vec<(String, String)> {
    let mut out = read_one_manifest(&root.join(".emrform/modules/modules.json"));
    out.extend(read_one_manifest(
        &root.join(".terraform/modules/modules.json"),
    ));
    out
}

fn read_one_manifest(p: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(p) else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    json.get("Modules")
        .and_then(|m| m.as_array())
        .map(|mods| {
            mods.iter()
                .filter_map(|m| {
                    Some((
                        m.get("Key")?.as_str()?.to_string(),
                        m.get("Dir")?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `aws.east` from a `provider = aws.east` traversal.
fn traversal_text(e: &Expression) -> Option<String> {
    match e {
        Expression::Variable(v) => Some(v.as_str().to_string()),
        Expression::Traversal(t) => {
            let mut s = traversal_text(&t.expr)?;
            for op in &t.operators {
                if let hcl_edit::expr::TraversalOperator::GetAttr(a) = op.value() {
                    s.push('.');
                    s.push_str(a.as_str());
                }
            }
            Some(s)
        }
        Expression::String(s) => Some(s.as_str().to_string()),
        _ => None,
    }
}

/// An attribute path such as `tags["Name"]` or `auto_stop_configuration[0].enabled` as steps.
fn attribute_path(e: &Expression) -> Option<Vec<String>> {
    match e {
        Expression::Variable(v) => Some(vec![v.as_str().to_string()]),
        Expression::String(s) => Some(vec![s.as_str().to_string()]),
        Expression::Traversal(t) => {
            let mut p = attribute_path(&t.expr)?;
            for op in &t.operators {
                match op.value() {
                    hcl_edit::expr::TraversalOperator::GetAttr(a) => p.push(a.as_str().to_string()),
                    hcl_edit::expr::TraversalOperator::Index(Expression::String(s)) => {
                        p.push(s.as_str().to_string())
                    }
                    hcl_edit::expr::TraversalOperator::Index(Expression::Number(n)) => {
                        p.push(n.to_string())
                    }
                    hcl_edit::expr::TraversalOperator::LegacyIndex(i) => p.push(i.to_string()),
                    _ => return None,
                }
            }
            Some(p)
        }
        _ => None,
    }
}

/// Rule IDs named by `# emrform:ignore ID[,ID] reason` comments inside a block or in the
/// comment lines directly above it.
pub fn ignore_comments(text: &str, block: Span) -> Vec<String> {
    let start = (block.start as usize).min(text.len());
    let end = (block.end as usize).min(text.len());
    let mut lines: Vec<&str> = text.get(start..end).unwrap_or("").lines().collect();
    let before = text.get(..start).unwrap_or("");
    let mut above: Vec<&str> = before
        .lines()
        .rev()
        .skip(usize::from(!before.ends_with('\n') && !before.is_empty()))
        .take_while(|l| {
            let t = l.trim_start();
            t.starts_with('#') || t.starts_with("//")
        })
        .collect();
    above.reverse();
    lines.extend(above);
    let mut ids = Vec::new();
    for l in lines {
        let Some(pos) = l.find("emrform:ignore") else {
            continue;
        };
        let rest = &l[pos + "emrform:ignore".len()..];
        for word in rest.split(|c: char| c == ',' || c.is_whitespace()) {
            if word.is_empty() {
                continue;
            }
            let is_id = word.len() >= 4
                && word.chars().take_while(|c| c.is_ascii_uppercase()).count() >= 2
                && word
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_digit())
                    .count()
                    >= 3;
            if is_id {
                ids.push(word.to_string());
            } else {
                break;
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_comments_above_and_inside() {
        let text = "# keep\n# emrform:ignore EMR101, IAM002 sized by hand\nresource \"a\" \"b\" {\n  x = 1 # emrform:ignore NET001\n}\n";
        let start = text.find("resource").unwrap();
        let ids = ignore_comments(text, Span::new(FileId(0), start..text.len()));
        assert_eq!(ids, vec!["NET001", "EMR101", "IAM002"]);
    }
}
