//! Building the [`ConfigGraph`] from a loaded [`Config`].

use super::{ConfigGraph, Edge, EdgeKind, NodeId, NodeKind};
use crate::addrs::ModulePath;
use crate::config::eval::{references, RefTarget};
use crate::config::model::{Config, Expr, Module, Reference as DependsRef};
use crate::diag::{FileId, Span};
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Body, Structure};

/// Builds the graph of every module in `config`.
pub fn build(config: &Config) -> ConfigGraph {
    let mut g = ConfigGraph::default();
    for (path, m) in &config.modules {
        add_module_nodes(&mut g, path, m);
    }
    for (path, m) in &config.modules {
        add_module_edges(&mut g, config, path, m);
    }
    g
}

fn add_module_nodes(g: &mut ConfigGraph, path: &ModulePath, m: &Module) {
    let add = |g: &mut ConfigGraph, kind: NodeKind, span: Span| {
        let i = g.node(NodeId {
            module: path.clone(),
            kind,
        });
        g.decl_spans.insert(i, span);
    };
    for v in m.variables.values() {
        add(g, NodeKind::Variable(v.name.clone()), v.span);
    }
    for l in m.locals.values() {
        add(g, NodeKind::Local(l.name.clone()), l.span);
    }
    for o in m.outputs.values() {
        add(g, NodeKind::Output(o.name.clone()), o.span);
    }
    for r in m.resources.values() {
        add(g, NodeKind::Resource(r.addr.clone()), r.span);
    }
    for c in m.module_calls.values() {
        add(g, NodeKind::ModuleCall(c.name.clone()), c.span);
    }
    for (k, p) in &m.providers {
        add(g, NodeKind::Provider(k.clone()), p.span);
    }
}

/// Resolves a reference made in module `path` to graph nodes.
fn targets(config: &Config, path: &ModulePath, m: &Module, t: &RefTarget) -> Vec<NodeId> {
    let id = |kind| NodeId {
        module: path.clone(),
        kind,
    };
    match t {
        RefTarget::Var(n) if m.variables.contains_key(n) => vec![id(NodeKind::Variable(n.clone()))],
        RefTarget::Local(n) if m.locals.contains_key(n) => vec![id(NodeKind::Local(n.clone()))],
        RefTarget::Resource(a) if m.resources.contains_key(a) => {
            vec![id(NodeKind::Resource(a.clone()))]
        }
        RefTarget::Module(c, out) if m.module_calls.contains_key(c) => {
            let child = path.child(c);
            let mut v = vec![id(NodeKind::ModuleCall(c.clone()))];
            if let Some(cm) = config.module(&child) {
                match out {
                    Some(o) if cm.outputs.contains_key(o) => v.push(NodeId {
                        module: child.clone(),
                        kind: NodeKind::Output(o.clone()),
                    }),
                    Some(_) => {}
                    None => v.extend(cm.outputs.keys().map(|o| NodeId {
                        module: child.clone(),
                        kind: NodeKind::Output(o.clone()),
                    })),
                }
            }
            v
        }
        _ => Vec::new(),
    }
}

fn expr_edges(
    g: &mut ConfigGraph,
    config: &Config,
    path: &ModulePath,
    m: &Module,
    to: &NodeId,
    e: &Expr,
    bound: &[String],
) {
    let fallback = e.span().unwrap_or(Span::new(e.file, 0..0));
    for r in references(&e.expr, e.file, fallback, bound) {
        connect(
            g,
            config,
            path,
            m,
            to,
            &r.target,
            Some(r.span),
            EdgeKind::Reference,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn connect(
    g: &mut ConfigGraph,
    config: &Config,
    path: &ModulePath,
    m: &Module,
    to: &NodeId,
    t: &RefTarget,
    span: Option<Span>,
    kind: EdgeKind,
) {
    let dependent = g.node(to.clone());
    for dep in targets(config, path, m, t) {
        let d = g.node(dep);
        g.depend(dependent, d, Edge { kind, span });
    }
}

fn depends_on_edges(
    g: &mut ConfigGraph,
    config: &Config,
    path: &ModulePath,
    m: &Module,
    to: &NodeId,
    refs: &[DependsRef],
) {
    for r in refs {
        for t in references(&r.expr.expr, r.expr.file, r.span, &[]) {
            connect(
                g,
                config,
                path,
                m,
                to,
                &t.target,
                Some(r.span),
                EdgeKind::DependsOn,
            );
        }
    }
}

/// Edges for every expression in a body, including nested and dynamic blocks.
#[allow(clippy::too_many_arguments)]
fn body_edges(
    g: &mut ConfigGraph,
    config: &Config,
    path: &ModulePath,
    m: &Module,
    to: &NodeId,
    body: &Body,
    file: FileId,
    bound: &mut Vec<String>,
) {
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let e = Expr {
                    expr: a.value.clone(),
                    file,
                };
                expr_edges(g, config, path, m, to, &e, bound);
            }
            Structure::Block(b) => {
                if b.ident.as_str() == "dynamic" {
                    let mut iter = b
                        .labels
                        .first()
                        .map(|l| l.as_str().to_string())
                        .unwrap_or_default();
                    if let Some(Expression::Variable(v)) =
                        b.body.get_attribute("iterator").map(|a| &a.value)
                    {
                        iter = v.as_str().to_string();
                    }
                    let n = bound.len();
                    for a in b.body.attributes() {
                        if a.key.as_str() == "for_each" {
                            let e = Expr {
                                expr: a.value.clone(),
                                file,
                            };
                            expr_edges(g, config, path, m, to, &e, bound);
                        }
                    }
                    bound.push(iter);
                    for a in b.body.attributes() {
                        if a.key.as_str() == "labels" {
                            let e = Expr {
                                expr: a.value.clone(),
                                file,
                            };
                            expr_edges(g, config, path, m, to, &e, bound);
                        }
                    }
                    for c in b.body.blocks() {
                        body_edges(g, config, path, m, to, &c.body, file, bound);
                    }
                    bound.truncate(n);
                } else {
                    body_edges(g, config, path, m, to, &b.body, file, bound);
                }
            }
        }
    }
}

fn add_module_edges(g: &mut ConfigGraph, config: &Config, path: &ModulePath, m: &Module) {
    let id = |kind| NodeId {
        module: path.clone(),
        kind,
    };
    // Everything in a child module waits for the call that expands it.
    let expansion = if path.is_root() {
        None
    } else {
        let parent = path.parent();
        let name = path.0.last().cloned().unwrap_or_default();
        Some(g.node(NodeId {
            module: parent,
            kind: NodeKind::ModuleCall(name),
        }))
    };
    // An import block's id and for_each are evaluated when its target resource is, so the
    // target waits for what they refer to.
    if path.is_root() {
        for ib in &m.imports {
            let Ok(t) = crate::config::eval::imports::target_of(&ib.to.expr) else {
                continue;
            };
            let target = NodeId {
                module: ModulePath(t.module_names()),
                kind: NodeKind::Resource(t.resource.clone()),
            };
            if !g.index.contains_key(&target) {
                continue;
            }
            for e in std::iter::once(&ib.id).chain(ib.for_each.as_ref()) {
                expr_edges(g, config, path, m, &target, e, &[]);
            }
            // Keys written in the target itself (`aws_x.y[local.k]`).
            let fallback = ib.to.span().unwrap_or(ib.span);
            for r in references(&ib.to.expr, ib.to.file, fallback, &[]) {
                if r.target != RefTarget::Resource(t.resource.clone())
                    && !matches!(r.target, RefTarget::Module(..))
                {
                    connect(
                        g,
                        config,
                        path,
                        m,
                        &target,
                        &r.target,
                        Some(r.span),
                        EdgeKind::Reference,
                    );
                }
            }
        }
    }
    let mut all: Vec<NodeId> = Vec::new();
    for v in m.variables.values() {
        let me = id(NodeKind::Variable(v.name.clone()));
        // A validation condition refers to its own variable; that is not a dependency.
        for rule in &v.validations {
            for e in [Some(&rule.condition), rule.error_message.as_ref()]
                .into_iter()
                .flatten()
            {
                let fallback = e.span().unwrap_or(Span::new(e.file, 0..0));
                for r in references(&e.expr, e.file, fallback, &[]) {
                    if r.target != RefTarget::Var(v.name.clone()) {
                        connect(
                            g,
                            config,
                            path,
                            m,
                            &me,
                            &r.target,
                            Some(r.span),
                            EdgeKind::Reference,
                        );
                    }
                }
            }
        }
        all.push(me);
    }
    for l in m.locals.values() {
        let me = id(NodeKind::Local(l.name.clone()));
        expr_edges(g, config, path, m, &me, &l.value, &[]);
        all.push(me);
    }
    for o in m.outputs.values() {
        let me = id(NodeKind::Output(o.name.clone()));
        if let Some(v) = &o.value {
            expr_edges(g, config, path, m, &me, v, &[]);
        }
        depends_on_edges(g, config, path, m, &me, &o.depends_on);
        all.push(me);
    }
    for r in m.resources.values() {
        let me = id(NodeKind::Resource(r.addr.clone()));
        for e in [&r.count, &r.for_each].into_iter().flatten() {
            expr_edges(g, config, path, m, &me, e, &[]);
        }
        body_edges(g, config, path, m, &me, &r.body, r.file, &mut Vec::new());
        // Provisioners run after the create, with what they refer to already known.
        for p in &r.provisioners {
            body_edges(
                g,
                config,
                path,
                m,
                &me,
                &p.body,
                r.file,
                &mut vec!["self".to_string()],
            );
        }
        depends_on_edges(g, config, path, m, &me, &r.depends_on);
        for t in &r.lifecycle.replace_triggered_by {
            depends_on_edges(g, config, path, m, &me, std::slice::from_ref(t));
        }
        // The resource's provider configuration: `provider = aws.x` or the default for its type.
        let prefix = r.addr.type_name.split('_').next().unwrap_or("").to_string();
        let pkey = r.provider.clone().unwrap_or(prefix);
        if m.providers.contains_key(&pkey) {
            let p = g.node(id(NodeKind::Provider(pkey)));
            let mi = g.node(me.clone());
            g.depend(
                mi,
                p,
                Edge {
                    kind: EdgeKind::Provider,
                    span: None,
                },
            );
        }
        all.push(me);
    }
    for c in m.module_calls.values() {
        let me = id(NodeKind::ModuleCall(c.name.clone()));
        for e in [&c.count, &c.for_each].into_iter().flatten() {
            expr_edges(g, config, path, m, &me, e, &[]);
        }
        depends_on_edges(g, config, path, m, &me, &c.depends_on);
        // Inputs are evaluated in this module but feed the child's variables.
        let child = path.child(&c.name);
        if let Some(cm) = config.module(&child) {
            for (name, (e, _)) in &c.inputs {
                if cm.variables.contains_key(name) {
                    let var = NodeId {
                        module: child.clone(),
                        kind: NodeKind::Variable(name.clone()),
                    };
                    let fallback = e.span().unwrap_or(Span::new(e.file, 0..0));
                    for r in references(&e.expr, e.file, fallback, &[]) {
                        connect(
                            g,
                            config,
                            path,
                            m,
                            &var,
                            &r.target,
                            Some(r.span),
                            EdgeKind::Reference,
                        );
                    }
                }
            }
        }
        all.push(me);
    }
    for (k, p) in &m.providers {
        let me = id(NodeKind::Provider(k.clone()));
        body_edges(g, config, path, m, &me, &p.body, p.file, &mut Vec::new());
        all.push(me);
    }
    if let Some(exp) = expansion {
        for n in all {
            let ni = g.node(n);
            g.depend(
                ni,
                exp,
                Edge {
                    kind: EdgeKind::ModuleExpansion,
                    span: None,
                },
            );
        }
    }
}
