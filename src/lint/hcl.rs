//! Finds IAM policies in Terraform-language files and turns them into spanned [`Node`] trees.
//!
//! Walks the hcl-edit AST of one directory (one module): `policy` / `assume_role_policy`
//! arguments of the IAM, ECR and S3 policy resources (heredoc JSON, `jsonencode({...})`, a
//! reference to `data.aws_iam_policy_document.NAME.json`, `file("...")`), `inline_policy` blocks,
//! and `data "aws_iam_policy_document"` blocks themselves. For `jsonencode` the tree is built
//! from the HCL object literal, so spans point at `Action = "*"` in the `.tf`; heredoc JSON is
//! parsed and its spans offset into the `.tf`.
//!
//! Anything that is not a literal (`var.x`, `local.y`, `aws_s3_bucket.b.arn`, interpolations) is
//! handed to a [`LeafResolver`]; the default resolver knows nothing and yields
//! [`NodeKind::Unknown`], which rules treat as "could be anything" (never as `*`). The
//! configuration evaluator plugs in here to give the linter evaluated values.

use super::policy::{json, Member, Node, NodeKind, PolicyKind, PolicyOrigin};
use crate::config::value::Value;
use crate::diag::{FileId, SourceMap, Span};
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::Element;
use hcl_edit::Span as _;
use std::path::Path;

/// Supplies values for expressions the linter cannot read on its own.
///
/// `resolve` is called with a non-literal expression (a traversal such as `var.bucket_arn`,
/// `aws_iam_role.r.arn`, a function call, a template with interpolations) and the file it is in.
/// Return `Some(value)` with the evaluated value, `Some(Value::Unknown)` when the value is known
/// only after apply, or `None` when the resolver cannot evaluate it; both of the latter become
/// unknown leaves that rules ignore. The returned value's parts all take the span of `expr`.
pub trait LeafResolver {
    /// Evaluates one expression.
    fn resolve(&self, expr: &Expression, file: FileId) -> Option<Value>;
}

/// The resolver used when no evaluator is available: everything non-literal is unknown.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoResolver;

impl LeafResolver for NoResolver {
    fn resolve(&self, _expr: &Expression, _file: FileId) -> Option<Value> {
        None
    }
}

/// A policy document found in HCL.
#[derive(Debug, Clone)]
pub struct HclPolicy {
    /// The spanned document.
    pub node: Node,
    /// Identity, trust or resource policy.
    pub kind: PolicyKind,
    /// Address and names.
    pub origin: PolicyOrigin,
}

/// A `.tf` file that could not be parsed, or a policy that could not be read.
#[derive(Debug, Clone)]
pub struct HclProblem {
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
}

/// Resource types and the arguments holding policies, with the kind of policy.
pub const POLICY_ARGS: &[(&str, &str, PolicyKind)] = &[
    ("aws_iam_role", "assume_role_policy", PolicyKind::Trust),
    ("aws_iam_policy", "policy", PolicyKind::Identity),
    ("aws_iam_role_policy", "policy", PolicyKind::Identity),
    ("aws_iam_user_policy", "policy", PolicyKind::Identity),
    ("aws_iam_group_policy", "policy", PolicyKind::Identity),
    ("aws_ecr_repository_policy", "policy", PolicyKind::Resource),
    ("aws_s3_bucket_policy", "policy", PolicyKind::Resource),
    ("aws_kms_key", "policy", PolicyKind::Resource),
    ("aws_vpc_endpoint", "policy", PolicyKind::Endpoint),
];

struct Module<'a> {
    files: Vec<(FileId, Body)>,
    sources: &'a SourceMap,
}

fn span_of(file: FileId, r: Option<std::ops::Range<usize>>) -> Span {
    Span::new(file, r.unwrap_or(0..0))
}

fn label(b: &Block, i: usize) -> Option<&str> {
    b.labels.get(i).map(|l| l.as_str())
}

/// Finds every policy in the `.tf` files of one module directory. `files` are already in
/// `sources`; `report_in` limits which files' policies are returned (data sources may be
/// looked up in the others).
pub fn extract(
    sources: &SourceMap,
    files: &[FileId],
    report_in: &[FileId],
    resolver: &dyn LeafResolver,
) -> (Vec<HclPolicy>, Vec<HclProblem>) {
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    for &f in files {
        let text = &sources.get(f).text;
        match hcl_edit::parser::parse_body(text) {
            Ok(body) => parsed.push((f, body)),
            Err(e) if !report_in.contains(&f) => drop(e),
            Err(e) => {
                let loc = e.location();
                let off = sources.get(f).offset_of(loc.line(), loc.column());
                problems.push(HclProblem {
                    span: Span::new(f, off..off),
                    message: format!("the file is not valid HCL: {}", e.message()),
                })
            }
        }
    }
    let m = Module {
        files: parsed,
        sources,
    };
    let mut out = Vec::new();
    // Data sources referenced from trust-policy arguments, and the role they belong to.
    let mut data_kinds: Vec<(String, PolicyKind, PolicyOrigin)> = Vec::new();
    for (f, body) in &m.files {
        for block in body.blocks() {
            if block.ident.as_str() != "resource" {
                continue;
            }
            let (Some(rtype), Some(rname)) = (label(block, 0), label(block, 1)) else {
                continue;
            };
            let address = format!("{rtype}.{rname}");
            let role_name = literal_attr(&block.body, "name")
                .or_else(|| literal_attr(&block.body, "name_prefix"))
                .or_else(|| Some(rname.to_string()));
            let mut args: Vec<(&Expression, PolicyKind)> = Vec::new();
            for (t, arg, kind) in POLICY_ARGS {
                if *t == rtype {
                    if let Some(a) = block.body.get_attribute(arg) {
                        args.push((&a.value, *kind));
                    }
                }
            }
            if args.is_empty() {
                // Another resource type's `policy`: follow data-source references only, so the
                // document is linted with a sensible kind.
                if let Some(a) = block.body.get_attribute("policy") {
                    if let Some(data) = data_reference(&a.value) {
                        data_kinds.push((
                            data,
                            PolicyKind::Resource,
                            PolicyOrigin {
                                address: Some(address.clone()),
                                resource_type: Some(rtype.to_string()),
                                role_name: None,
                            },
                        ));
                    }
                }
            }
            if rtype == "aws_iam_role" {
                for ib in block.body.get_blocks("inline_policy") {
                    if let Some(a) = ib.body.get_attribute("policy") {
                        args.push((&a.value, PolicyKind::Identity));
                    }
                }
            }
            for (expr, kind) in args {
                let origin = PolicyOrigin {
                    address: Some(address.clone()),
                    resource_type: Some(rtype.to_string()),
                    role_name: role_name.clone(),
                };
                if let Some(data) = data_reference(expr) {
                    data_kinds.push((data, kind, origin));
                    continue;
                }
                if !report_in.contains(f) {
                    continue;
                }
                match m.policy_expr(*f, expr, resolver) {
                    Ok(Some(node)) => out.push(HclPolicy { node, kind, origin }),
                    Ok(None) => {}
                    Err(p) => problems.push(HclProblem {
                        message: format!("{}: {}", address, p.message),
                        span: p.span,
                    }),
                }
            }
        }
    }
    for (f, body) in &m.files {
        if !report_in.contains(f) {
            continue;
        }
        for block in body.blocks() {
            if block.ident.as_str() != "data" || label(block, 0) != Some("aws_iam_policy_document")
            {
                continue;
            }
            let Some(name) = label(block, 1) else {
                continue;
            };
            let refs: Vec<&(String, PolicyKind, PolicyOrigin)> =
                data_kinds.iter().filter(|(d, _, _)| d == name).collect();
            let node = m.policy_document(*f, block, resolver);
            let address = format!("data.aws_iam_policy_document.{name}");
            let (kind, mut origin) = match refs.iter().find(|(_, k, _)| *k == PolicyKind::Trust) {
                Some((_, k, o)) => (*k, o.clone()),
                None => match refs.first() {
                    Some((_, k, o)) => (*k, o.clone()),
                    None => (guess_kind(&node), PolicyOrigin::default()),
                },
            };
            origin.address = Some(address);
            if origin.resource_type.is_none() {
                origin.resource_type = Some("aws_iam_policy_document".to_string());
            }
            out.push(HclPolicy { node, kind, origin });
        }
    }
    (out, problems)
}

/// Guesses the kind of an unreferenced document: statements with principals are trust
/// policies when they only assume roles, resource policies otherwise.
pub fn guess_kind(node: &Node) -> PolicyKind {
    let stmts: Vec<&Node> = match node.get("Statement").map(|m| &m.value.kind) {
        Some(NodeKind::Array(items)) => items.iter().collect(),
        Some(NodeKind::Object(_)) => node
            .get("Statement")
            .map(|m| &m.value)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    let with_principal: Vec<&&Node> = stmts
        .iter()
        .filter(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some())
        .collect();
    if with_principal.is_empty() {
        return PolicyKind::Identity;
    }
    let only_assume = with_principal.iter().all(|s| {
        let acts: Vec<String> = match s.get("Action").map(|m| &m.value) {
            Some(n) => match &n.kind {
                NodeKind::String(v) => vec![v.clone()],
                NodeKind::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(String::from))
                    .collect(),
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        !acts.is_empty()
            && acts
                .iter()
                .all(|a| a.to_ascii_lowercase().starts_with("sts:"))
    });
    if only_assume {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource
    }
}

fn literal_attr(body: &Body, name: &str) -> Option<String> {
    match &body.get_attribute(name)?.value {
        Expression::String(s) => Some(s.value().to_string()),
        _ => None,
    }
}

/// `data.aws_iam_policy_document.NAME.json` → `NAME`.
fn data_reference(expr: &Expression) -> Option<String> {
    let Expression::Traversal(t) = expr else {
        return None;
    };
    let Expression::Variable(v) = &t.expr else {
        return None;
    };
    if v.as_str() != "data" {
        return None;
    }
    let names: Vec<String> = t
        .operators
        .iter()
        .filter_map(|o| match o.value() {
            hcl_edit::expr::TraversalOperator::GetAttr(i) => Some(i.as_str().to_string()),
            _ => None,
        })
        .collect();
    match names.as_slice() {
        [ty, name, attr]
            if ty == "aws_iam_policy_document" && (attr == "json" || attr == "minified_json") =>
        {
            Some(name.clone())
        }
        _ => None,
    }
}

/// Converts an evaluated value into a node where every part has `span`.
pub fn value_to_node(v: &Value, span: Span) -> Node {
    let kind = match v {
        Value::Null => NodeKind::Null,
        Value::Bool(b) => NodeKind::Bool(*b),
        Value::Number(n) => NodeKind::Number(crate::config::value::format_number(*n)),
        Value::String(s) => NodeKind::String(s.clone()),
        Value::List(items) | Value::Set(items) => {
            NodeKind::Array(items.iter().map(|i| value_to_node(i, span)).collect())
        }
        Value::Map(m) => NodeKind::Object(
            m.iter()
                .map(|(k, v)| Member {
                    key: k.clone(),
                    key_span: span,
                    value: value_to_node(v, span),
                })
                .collect(),
        ),
        Value::Unknown => NodeKind::Unknown,
    };
    Node::new(kind, span)
}

/// Marks strings holding Terraform interpolations (`${...}` not escaped as `$${`) unknown, and
/// unescapes `$${` to `${` (IAM policy variables written in a heredoc).
fn unknown_interpolations(n: &mut Node) {
    match &mut n.kind {
        NodeKind::String(s) => {
            let stripped = s.replace("$${", "").replace("%%{", "");
            if stripped.contains("${") || stripped.contains("%{") {
                n.kind = NodeKind::Unknown;
            } else if s.contains("$${") || s.contains("%%{") {
                *s = s.replace("$${", "${").replace("%%{", "%{");
            }
        }
        NodeKind::Array(items) => items.iter_mut().for_each(unknown_interpolations),
        NodeKind::Object(members) => {
            for m in members {
                unknown_interpolations(&mut m.value);
            }
        }
        _ => {}
    }
}

impl Module<'_> {
    fn resolve(&self, f: FileId, expr: &Expression, resolver: &dyn LeafResolver) -> Node {
        let span = span_of(f, expr.span());
        match resolver.resolve(expr, f) {
            Some(v) => value_to_node(&v, span),
            None => Node::new(NodeKind::Unknown, span),
        }
    }

    /// The policy document an argument expression holds. `Ok(None)` when it is not a literal
    /// document and the resolver did not know it.
    fn policy_expr(
        &self,
        f: FileId,
        expr: &Expression,
        resolver: &dyn LeafResolver,
    ) -> Result<Option<Node>, HclProblem> {
        match expr {
            Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => {
                let Some(arg) = call.args.iter().next() else {
                    return Ok(None);
                };
                Ok(Some(self.hcl_to_node(f, arg, resolver)))
            }
            Expression::HeredocTemplate(h) => {
                let Some(r) = h.template.span() else {
                    return Ok(None);
                };
                let raw = &self.sources.get(f).text[r.clone()];
                let has_interp = h.template.iter().any(|e| !matches!(e, Element::Literal(_)));
                match json::parse(raw, f, r.start) {
                    Ok(mut n) => {
                        unknown_interpolations(&mut n);
                        Ok(Some(n))
                    }
                    Err(_) if has_interp => Ok(None),
                    Err(e) => Err(HclProblem {
                        span: Span::new(f, e.offset..e.offset),
                        message: format!("the policy is not valid JSON: {}", e.message),
                    }),
                }
            }
            Expression::String(s) => {
                let span = span_of(f, s.span());
                // A JSON string literal in HCL: its spans cannot be mapped exactly (escapes), so
                // every element points at the string.
                match json::parse(s.value(), f, 0) {
                    Ok(n) => Ok(Some(respan(n, span))),
                    Err(e) => Err(HclProblem {
                        span,
                        message: format!("the policy is not valid JSON: {}", e.message),
                    }),
                }
            }
            Expression::FuncCall(call) if call.name.name.as_str() == "file" => {
                Ok(self.file_call(f, call.args.iter().next()))
            }
            Expression::Parenthesis(p) => self.policy_expr(f, p.inner(), resolver),
            other => {
                let n = self.resolve(f, other, resolver);
                match &n.kind {
                    NodeKind::String(s) => Ok(json::parse(s, f, 0).ok().map(|j| respan(j, n.span))),
                    NodeKind::Object(_) => Ok(Some(n)),
                    _ => Ok(None),
                }
            }
        }
    }

    /// `file("policy.json")` or `file("${path.module}/policy.json")`: not followed, since the
    /// file would need its own source entry; left to the directory walk, which lints `.json`
    /// policy files it finds.
    fn file_call(&self, _f: FileId, _arg: Option<&Expression>) -> Option<Node> {
        None
    }

    fn hcl_to_node(&self, f: FileId, expr: &Expression, resolver: &dyn LeafResolver) -> Node {
        let span = span_of(f, expr.span());
        match expr {
            Expression::Null(_) => Node::new(NodeKind::Null, span),
            Expression::Bool(b) => Node::new(NodeKind::Bool(*b.value()), span),
            Expression::Number(n) => Node::new(NodeKind::Number(n.value().to_string()), span),
            Expression::String(s) => Node::new(NodeKind::String(s.value().to_string()), span),
            Expression::Array(a) => Node::new(
                NodeKind::Array(a.iter().map(|e| self.hcl_to_node(f, e, resolver)).collect()),
                span,
            ),
            Expression::Object(o) => {
                let mut members = Vec::new();
                for (k, v) in o.iter() {
                    let (key, key_span) = match k {
                        ObjectKey::Ident(i) => (i.as_str().to_string(), span_of(f, i.span())),
                        ObjectKey::Expression(Expression::String(s)) => {
                            (s.value().to_string(), span_of(f, s.span()))
                        }
                        ObjectKey::Expression(e) => {
                            // A computed key: the whole object may hold anything.
                            let _ = e;
                            return Node::new(NodeKind::Unknown, span);
                        }
                    };
                    members.push(Member {
                        key,
                        key_span,
                        value: self.hcl_to_node(f, v.expr(), resolver),
                    });
                }
                Node::new(NodeKind::Object(members), span)
            }
            Expression::Parenthesis(p) => self.hcl_to_node(f, p.inner(), resolver),
            Expression::StringTemplate(t) => {
                let mut s = String::new();
                for e in t.iter() {
                    match e {
                        Element::Literal(l) => s.push_str(l.value()),
                        _ => return self.resolve(f, expr, resolver),
                    }
                }
                Node::new(NodeKind::String(s), span)
            }
            other => self.resolve(f, other, resolver),
        }
    }

    /// Builds the JSON document a `data "aws_iam_policy_document"` block produces.
    fn policy_document(&self, f: FileId, block: &Block, resolver: &dyn LeafResolver) -> Node {
        let bspan = span_of(f, block.span());
        let ident_span = span_of(f, block.ident.span());
        let mut members = Vec::new();
        let version = block.body.get_attribute("version");
        members.push(Member {
            key: "Version".into(),
            key_span: version
                .map(|a| span_of(f, a.key.span()))
                .unwrap_or(ident_span),
            value: match version {
                Some(a) => self.hcl_to_node(f, &a.value, resolver),
                None => Node::new(NodeKind::String("2012-10-17".into()), ident_span),
            },
        });
        let mut statements = Vec::new();
        for st in block.body.get_blocks("statement") {
            statements.push(self.statement_block(f, st, resolver));
        }
        if block.body.get_blocks("dynamic").next().is_some()
            || block
                .body
                .get_attribute("source_policy_documents")
                .is_some()
            || block
                .body
                .get_attribute("override_policy_documents")
                .is_some()
            || block.body.get_attribute("source_json").is_some()
            || block.body.get_attribute("override_json").is_some()
        {
            statements.push(Node::new(NodeKind::Unknown, bspan));
        }
        members.push(Member {
            key: "Statement".into(),
            key_span: ident_span,
            value: Node::new(NodeKind::Array(statements), bspan),
        });
        Node::new(NodeKind::Object(members), bspan)
    }

    fn statement_block(&self, f: FileId, st: &Block, resolver: &dyn LeafResolver) -> Node {
        let sspan = span_of(f, st.span());
        let ident_span = span_of(f, st.ident.span());
        let mut members = Vec::new();
        let attr_member = |name: &str, key: &str, members: &mut Vec<Member>| {
            if let Some(a) = st.body.get_attribute(name) {
                members.push(Member {
                    key: key.to_string(),
                    key_span: span_of(f, a.key.span()),
                    value: self.hcl_to_node(f, &a.value, resolver),
                });
            }
        };
        attr_member("sid", "Sid", &mut members);
        if st.body.get_attribute("effect").is_some() {
            attr_member("effect", "Effect", &mut members);
        } else {
            members.push(Member {
                key: "Effect".into(),
                key_span: ident_span,
                value: Node::new(NodeKind::String("Allow".into()), ident_span),
            });
        }
        attr_member("actions", "Action", &mut members);
        attr_member("not_actions", "NotAction", &mut members);
        attr_member("resources", "Resource", &mut members);
        attr_member("not_resources", "NotResource", &mut members);
        for (block_name, key) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let blocks: Vec<&Block> = st.body.get_blocks(block_name).collect();
            if blocks.is_empty() {
                continue;
            }
            let first_span = span_of(f, blocks[0].ident.span());
            let mut entries: Vec<Member> = Vec::new();
            let mut star: Option<Node> = None;
            for pb in &blocks {
                let ty = literal_attr(&pb.body, "type");
                let ids = pb.body.get_attribute("identifiers");
                let ids_node = match ids {
                    Some(a) => self.hcl_to_node(f, &a.value, resolver),
                    None => Node::new(NodeKind::Unknown, span_of(f, pb.span())),
                };
                match ty.as_deref() {
                    Some("*") => {
                        star = Some(Node::new(NodeKind::String("*".into()), ids_node.span))
                    }
                    Some(t) => entries.push(Member {
                        key: t.to_string(),
                        key_span: span_of(
                            f,
                            pb.body.get_attribute("type").and_then(|a| a.value.span()),
                        ),
                        value: ids_node,
                    }),
                    None => entries.push(Member {
                        key: "AWS".into(),
                        key_span: span_of(f, pb.span()),
                        value: Node::new(NodeKind::Unknown, span_of(f, pb.span())),
                    }),
                }
            }
            let value = match star {
                Some(s) if entries.is_empty() => s,
                _ => Node::new(NodeKind::Object(entries), span_of(f, blocks[0].span())),
            };
            members.push(Member {
                key: key.to_string(),
                key_span: first_span,
                value,
            });
        }
        let conds: Vec<&Block> = st.body.get_blocks("condition").collect();
        if !conds.is_empty() {
            let mut ops: Vec<Member> = Vec::new();
            for cb in &conds {
                let test = cb.body.get_attribute("test");
                let var = cb.body.get_attribute("variable");
                let vals = cb.body.get_attribute("values");
                let (Some(test), Some(var)) = (test, var) else {
                    continue;
                };
                let (Expression::String(t), Expression::String(v)) = (&test.value, &var.value)
                else {
                    ops.push(Member {
                        key: "<unknown>".into(),
                        key_span: span_of(f, cb.span()),
                        value: Node::new(NodeKind::Unknown, span_of(f, cb.span())),
                    });
                    continue;
                };
                let value = match vals {
                    Some(a) => self.hcl_to_node(f, &a.value, resolver),
                    None => Node::new(NodeKind::Array(Vec::new()), span_of(f, cb.span())),
                };
                let key_member = Member {
                    key: v.value().to_string(),
                    key_span: span_of(f, v.span()),
                    value,
                };
                match ops.iter_mut().find(|m| m.key == *t.value()) {
                    Some(m) => {
                        if let NodeKind::Object(ms) = &mut m.value.kind {
                            ms.push(key_member);
                        }
                    }
                    None => ops.push(Member {
                        key: t.value().to_string(),
                        key_span: span_of(f, t.span()),
                        value: Node::new(NodeKind::Object(vec![key_member]), span_of(f, cb.span())),
                    }),
                }
            }
            // Unknown operator placeholders make the whole condition opaque.
            let value = if ops.iter().any(|m| m.key == "<unknown>") {
                Node::new(NodeKind::Unknown, span_of(f, conds[0].span()))
            } else {
                Node::new(NodeKind::Object(ops), span_of(f, conds[0].span()))
            };
            members.push(Member {
                key: "Condition".into(),
                key_span: span_of(f, conds[0].ident.span()),
                value,
            });
        }
        if st.body.get_blocks("dynamic").next().is_some() {
            // dynamic principals/conditions: the statement may be narrower than it looks.
            members.push(Member {
                key: "Condition".into(),
                key_span: ident_span,
                value: Node::new(NodeKind::Unknown, ident_span),
            });
            members.dedup_by(|a, b| a.key == "Condition" && b.key == "Condition");
        }
        Node::new(NodeKind::Object(members), sspan)
    }
}

fn respan(mut n: Node, span: Span) -> Node {
    n.span = span;
    match &mut n.kind {
        NodeKind::Array(items) => {
            let items = std::mem::take(items);
            n.kind = NodeKind::Array(items.into_iter().map(|i| respan(i, span)).collect());
        }
        NodeKind::Object(members) => {
            let ms = std::mem::take(members);
            n.kind = NodeKind::Object(
                ms.into_iter()
                    .map(|m| Member {
                        key: m.key,
                        key_span: span,
                        value: respan(m.value, span),
                    })
                    .collect(),
            );
        }
        _ => {}
    }
    n
}

/// True when a path is a Terraform file.
pub fn is_tf(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tf")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::policy::Policy;
    use crate::lint::rule::Findings;

    const TF: &str = r#"
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = var.resources }]
  })
}
"#;

    struct StarResolver;
    impl LeafResolver for StarResolver {
        fn resolve(&self, expr: &Expression, _file: FileId) -> Option<Value> {
            let Expression::Traversal(t) = expr else {
                return None;
            };
            matches!(&t.expr, Expression::Variable(v) if v.as_str() == "var")
                .then(|| Value::List(vec![Value::string("*")]))
        }
    }

    fn wildcard_resource_findings(resolver: &dyn LeafResolver) -> usize {
        let mut sources = SourceMap::new();
        let f = sources.add("main.tf", TF);
        let (policies, problems) = extract(&sources, &[f], &[f], resolver);
        assert!(problems.is_empty());
        let p = &policies[0];
        assert_eq!(p.origin.address.as_deref(), Some("aws_iam_policy.p"));
        let policy = Policy::from_node(&p.node, p.kind, p.origin.clone());
        let mut out = Findings::default();
        (crate::lint::rules::wildcard_resource::RULE.check)(&policy, &mut out);
        out.items.len()
    }

    #[test]
    fn unknown_leaves_do_not_fire_but_resolved_ones_do() {
        assert_eq!(wildcard_resource_findings(&NoResolver), 0);
        assert_eq!(wildcard_resource_findings(&StarResolver), 1);
    }

    #[test]
    fn heredoc_interpolations_are_unknown_and_escapes_are_policy_variables() {
        let tf = "resource \"aws_iam_policy\" \"p\" {\n  policy = <<EOT\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": [\"arn:aws:s3:::${var.b}/*\", \"arn:aws:s3:::b/$${aws:username}/*\"]}]}\nEOT\n}\n";
        let mut sources = SourceMap::new();
        let f = sources.add("main.tf", tf);
        let (policies, _) = extract(&sources, &[f], &[f], &NoResolver);
        let policy = Policy::from_node(
            &policies[0].node,
            PolicyKind::Identity,
            PolicyOrigin::default(),
        );
        let r = policy.statements[0].resources().unwrap();
        assert_eq!(r.items[0].value, None);
        assert_eq!(
            r.items[1].value.as_deref(),
            Some("arn:aws:s3:::b/${aws:username}/*")
        );
        assert_eq!(
            sources.text(r.items[1].span),
            "\"arn:aws:s3:::b/$${aws:username}/*\""
        );
    }
}
