//! Finding the policies to lint: in `.tf` configurations (the `policy`/`assume_role_policy`
//! arguments written as `jsonencode(...)`, heredoc JSON, or a reference to a
//! `data "aws_iam_policy_document"`, rebuilt from its blocks with their spans) and in raw JSON
//! files (a bare document or `{"PolicyVersion": {"Document": ...}}`).

use super::policy::{parse_json, Node};
use super::rule::{LintFinding, PolicyDoc, PolicyKind, Severity};
use crate::addrs::ResourceMode;
use crate::config::eval::{constant, evaluate, EvalMode, EvalOptions, UnknownResolver};
use crate::config::load::load;
use crate::config::model::{Config, Module};
use crate::config::value::Value;
use crate::diag::{Diagnostics, FileId, SourceMap, Span};
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::Element;
use hcl_edit::Span as _;

/// (type, argument, kind, size quota) of every policy argument emrform lints.
const POLICY_ARGS: &[(&str, &str, PolicyKind, Option<usize>)] = &[
    (
        "aws_iam_role",
        "assume_role_policy",
        PolicyKind::Trust,
        Some(2048),
    ),
    ("aws_iam_policy", "policy", PolicyKind::Identity, Some(6144)),
    (
        "aws_iam_role_policy",
        "policy",
        PolicyKind::Identity,
        Some(10240),
    ),
    (
        "aws_ecr_repository_policy",
        "policy",
        PolicyKind::Resource,
        None,
    ),
    ("aws_s3_bucket_policy", "policy", PolicyKind::Resource, None),
];

/// Policies of a configuration directory.
pub fn from_config(
    dir: &std::path::Path,
    sources_out: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Vec<PolicyDoc> {
    let (mut config, d) = load(dir);
    if d.has_errors() {
        diags.extend(d);
        *sources_out = config.sources;
        return Vec::new();
    }
    let mut opts = EvalOptions::from_env(EvalMode::Validate);
    opts.cwd = dir.to_path_buf();
    let (ev, _) = evaluate(&mut config, &opts, &mut UnknownResolver);
    let mut out = Vec::new();
    for (path, m) in &config.modules {
        for r in m.resources.values() {
            if r.addr.mode != ResourceMode::Managed {
                continue;
            }
            for (ty, arg, kind, quota) in POLICY_ARGS {
                if r.addr.type_name != *ty {
                    continue;
                }
                let Some(a) = r.body.get_attribute(arg) else {
                    continue;
                };
                let span = a
                    .value
                    .span()
                    .map(|x| Span::new(r.file, x))
                    .unwrap_or(r.span);
                let address = if path.is_root() {
                    r.addr.to_string()
                } else {
                    format!("{path}.{}", r.addr)
                };
                let node = node_for_expr(&a.value, r.file, span, m, &config, || {
                    // Fall back to the evaluated value of the first instance.
                    ev.instances
                        .iter()
                        .find(|(ia, _)| ia.module.module_path() == *path && ia.resource == r.addr)
                        .and_then(|(_, iv)| iv.config.get(arg).cloned())
                });
                if let Some(node) = node {
                    out.push(PolicyDoc {
                        node,
                        kind: *kind,
                        address,
                        span,
                        ignored: r.ignored_checks.clone(),
                        size_quota: *quota,
                    });
                }
            }
        }
    }
    *sources_out = config.sources;
    out
}

fn node_for_expr(
    e: &Expression,
    file: FileId,
    span: Span,
    m: &Module,
    config: &Config,
    fallback: impl Fn() -> Option<Value>,
) -> Option<Node> {
    match e {
        Expression::FuncCall(f) if f.name.name.as_str() == "jsonencode" && f.args.len() == 1 => {
            f.args.iter().next().map(|a| hcl_node(a, file, span))
        }
        Expression::HeredocTemplate(h) => {
            literal_json(h.template.iter().collect(), file).or_else(|| from_value(fallback(), span))
        }
        Expression::StringTemplate(t) => {
            literal_json(t.iter().collect(), file).or_else(|| from_value(fallback(), span))
        }
        Expression::String(s) => {
            let start = e.span().map(|r| r.start + 1).unwrap_or(span.start as usize);
            parse_json(s.as_str(), file, start)
                .ok()
                .or_else(|| from_value(fallback(), span))
        }
        Expression::Traversal(t) => {
            if let Some(block) = policy_document_ref(t, m) {
                return Some(policy_document_node(block, file));
            }
            from_value(fallback(), span)
        }
        _ => {
            let _ = config;
            from_value(fallback(), span)
        }
    }
}

fn from_value(v: Option<Value>, span: Span) -> Option<Node> {
    match v? {
        Value::String(s) => {
            let j: serde_json::Value = serde_json::from_str(&s).ok()?;
            Some(Node::from_value(&Value::from_json(&j), span))
        }
        Value::Unknown => None,
        other => Some(Node::from_value(&other, span)),
    }
}

/// JSON in a template made only of literals, with spans into the file.
fn literal_json(els: Vec<&Element>, file: FileId) -> Option<Node> {
    let [Element::Literal(l)] = els.as_slice() else {
        return None;
    };
    let start = l.span()?.start;
    let text: &str = l.as_ref();
    parse_json(text, file, start).ok()
}

/// `data.aws_iam_policy_document.NAME.json` → the data block.
fn policy_document_ref<'m>(
    t: &hcl_edit::expr::Traversal,
    m: &'m Module,
) -> Option<&'m crate::config::model::Resource> {
    let Expression::Variable(v) = &t.expr else {
        return None;
    };
    if v.as_str() != "data" {
        return None;
    }
    let ops: Vec<&str> = t
        .operators
        .iter()
        .filter_map(|o| match o.value() {
            TraversalOperator::GetAttr(a) => Some(a.as_str()),
            _ => None,
        })
        .collect();
    match ops.as_slice() {
        ["aws_iam_policy_document", name, "json" | "minified_json"] => m.resources.get(
            &crate::addrs::ResourceAddr::data("aws_iam_policy_document", name),
        ),
        _ => None,
    }
}

fn attr_node(body: &Body, name: &str, file: FileId) -> Option<Node> {
    let a = body.get_attribute(name)?;
    let sp = a
        .value
        .span()
        .map(|r| Span::new(file, r))
        .unwrap_or(Span::new(file, 0..0));
    Some(hcl_node(&a.value, file, sp))
}

fn key_span(body: &Body, name: &str, file: FileId, fallback: Span) -> Span {
    body.get_attribute(name)
        .and_then(|a| a.key.span())
        .map(|r| Span::new(file, r))
        .unwrap_or(fallback)
}

/// A policy document data block as a policy tree.
fn policy_document_node(r: &crate::config::model::Resource, file: FileId) -> Node {
    let whole = r.span;
    let mut statements = Vec::new();
    for b in r.body.blocks().filter(|b| b.ident.as_str() == "statement") {
        statements.push(statement_node(b, file));
    }
    let mut top = vec![(
        "Version".to_string(),
        whole,
        Node::Str("2012-10-17".into(), whole),
    )];
    if let Some(v) = attr_node(&r.body, "version", file) {
        top[0].2 = v;
    }
    top.push(("Statement".into(), whole, Node::Arr(statements, whole)));
    Node::Obj(top, whole)
}

fn statement_node(b: &Block, file: FileId) -> Node {
    let sp = b
        .span()
        .map(|r| Span::new(file, r))
        .unwrap_or(Span::new(file, 0..0));
    let mut m = Vec::new();
    let effect = attr_node(&b.body, "effect", file).unwrap_or(Node::Str("Allow".into(), sp));
    m.push(("Effect".to_string(), sp, effect));
    for (attr, key) in [
        ("sid", "Sid"),
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(n) = attr_node(&b.body, attr, file) {
            m.push((key.to_string(), key_span(&b.body, attr, file, sp), n));
        }
    }
    for (block, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let mut p: Vec<(String, Span, Node)> = Vec::new();
        for pb in b.body.blocks().filter(|x| x.ident.as_str() == block) {
            let psp = pb.span().map(|r| Span::new(file, r)).unwrap_or(sp);
            let ty = attr_node(&pb.body, "type", file)
                .and_then(|n| n.as_str().map(str::to_string))
                .unwrap_or_default();
            let ids = attr_node(&pb.body, "identifiers", file).unwrap_or(Node::Unknown(psp));
            p.push((ty, psp, ids));
        }
        if !p.is_empty() {
            m.push((key.to_string(), sp, Node::Obj(p, sp)));
        }
    }
    let mut cond: Vec<(String, Span, Node)> = Vec::new();
    for cb in b.body.blocks().filter(|x| x.ident.as_str() == "condition") {
        let csp = cb.span().map(|r| Span::new(file, r)).unwrap_or(sp);
        let test = attr_node(&cb.body, "test", file)
            .and_then(|n| n.as_str().map(str::to_string))
            .unwrap_or_default();
        let var = attr_node(&cb.body, "variable", file)
            .and_then(|n| n.as_str().map(str::to_string))
            .unwrap_or_default();
        let values = attr_node(&cb.body, "values", file).unwrap_or(Node::Unknown(csp));
        let vsp = key_span(&cb.body, "variable", file, csp);
        match cond.iter_mut().find(|(t, _, _)| *t == test) {
            Some((_, _, Node::Obj(vars, _))) => vars.push((var, vsp, values)),
            _ => cond.push((test, csp, Node::Obj(vec![(var, vsp, values)], csp))),
        }
    }
    if !cond.is_empty() {
        m.push(("Condition".into(), sp, Node::Obj(cond, sp)));
    }
    Node::Obj(m, sp)
}

/// An HCL expression as a policy tree, with the HCL node spans.
fn hcl_node(e: &Expression, file: FileId, fallback: Span) -> Node {
    let sp = e.span().map(|r| Span::new(file, r)).unwrap_or(fallback);
    match e {
        Expression::Object(o) => Node::Obj(
            o.iter()
                .map(|(k, v)| {
                    let (name, ks) = match k {
                        ObjectKey::Ident(i) => (
                            i.as_str().to_string(),
                            i.span().map(|r| Span::new(file, r)).unwrap_or(sp),
                        ),
                        ObjectKey::Expression(x) => (
                            constant(x)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_string))
                                .unwrap_or_default(),
                            x.span().map(|r| Span::new(file, r)).unwrap_or(sp),
                        ),
                    };
                    (name, ks, hcl_node(v.expr(), file, ks))
                })
                .collect(),
            sp,
        ),
        Expression::Array(a) => Node::Arr(a.iter().map(|x| hcl_node(x, file, sp)).collect(), sp),
        Expression::String(s) => Node::Str(s.as_str().to_string(), sp),
        Expression::Parenthesis(p) => hcl_node(p.inner(), file, sp),
        other => match constant(other) {
            Ok(v) if v.is_wholly_known() => Node::from_value(&v, sp),
            _ => Node::Unknown(sp),
        },
    }
}

/// Policies in a JSON file; a file that is not JSON yields a finding instead.
pub fn from_json_file(
    path: &std::path::Path,
    sources: &mut SourceMap,
    findings: &mut Vec<LintFinding>,
) -> std::io::Result<Option<PolicyDoc>> {
    let text = std::fs::read_to_string(path)?;
    let file = sources.add(crate::config::load::display_path(path), text);
    let text = sources.get(file).text.clone();
    let node = match parse_json(&text, file, 0) {
        Ok(n) => n,
        Err(e) => {
            findings.push(LintFinding {
                rule: "IAM007",
                name: "malformed-policy",
                severity: Severity::Error,
                message: format!("not valid JSON: {}", e.message),
                aws_code: Some("JSON_PARSE_ERROR"),
                address: String::new(),
                span: Span::new(file, e.offset..e.offset),
            });
            return Ok(None);
        }
    };
    let span = node.span();
    // The form `aws iam get-policy-version` prints.
    let node = match node
        .get("PolicyVersion")
        .and_then(|(_, pv)| pv.get("Document"))
    {
        Some((_, Node::Obj(..))) => node
            .get("PolicyVersion")
            .and_then(|(_, pv)| pv.get("Document"))
            .map(|(_, d)| d.clone())
            .unwrap_or(node),
        Some((_, Node::Str(s, sp))) => {
            let decoded = percent_decode(s);
            let j: serde_json::Value =
                serde_json::from_str(&decoded).unwrap_or(serde_json::Value::Null);
            Node::from_value(&Value::from_json(&j), *sp)
        }
        _ => node,
    };
    let has_principal = super::rule::statements(&node)
        .iter()
        .any(|s| s.has("Principal") || s.has("NotPrincipal"));
    let assume = super::rule::statements(&node).iter().any(|s| {
        s.values("Action")
            .iter()
            .any(|(a, _)| a.to_ascii_lowercase().starts_with("sts:assumerole"))
    });
    let kind = match (has_principal, assume) {
        (true, true) => PolicyKind::Trust,
        (true, false) => PolicyKind::Resource,
        _ => PolicyKind::Identity,
    };
    Ok(Some(PolicyDoc {
        node,
        kind,
        address: String::new(),
        span,
        ignored: Vec::new(),
        size_quota: (kind == PolicyKind::Identity).then_some(6144),
    }))
}

fn percent_decode(s: &str) -> String {
    if s.trim_start().starts_with('{') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(x) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(x);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}
