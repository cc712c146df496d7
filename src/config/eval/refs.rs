//! Finding the references in an expression (`var.x`, `local.y`, `aws_iam_role.r`,
//! `data.aws_region.current`, `module.net.subnet_ids`), for building the dependency graph.

use crate::addrs::ResourceAddr;
use crate::diag::{FileId, Span};
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::template::{Directive, Element, Template};

/// What a reference points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RefTarget {
    /// `var.NAME`
    Var(String),
    /// `local.NAME`
    Local(String),
    /// `TYPE.NAME` or `data.TYPE.NAME`
    Resource(ResourceAddr),
    /// `module.NAME` (all outputs) or `module.NAME.OUTPUT`
    Module(String, Option<String>),
}

/// A reference and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The target.
    pub target: RefTarget,
    /// Where the reference is written (the enclosing span when hcl-edit has none).
    pub span: Span,
}

/// Every reference in `e`. Names bound by enclosing for-expressions or by `bound` (e.g. a
/// dynamic block's iterator) are not references.
pub fn references(
    e: &Expression,
    file: FileId,
    fallback: Span,
    bound: &[String],
) -> Vec<Reference> {
    let mut w = Walker {
        file,
        fallback,
        bound: bound.to_vec(),
        out: Vec::new(),
    };
    w.expr(e);
    w.out
}

struct Walker {
    file: FileId,
    fallback: Span,
    bound: Vec<String>,
    out: Vec<Reference>,
}

impl Walker {
    fn span(&self, n: &impl hcl_edit::Span) -> Span {
        n.span()
            .map(|r| Span::new(self.file, r))
            .unwrap_or(self.fallback)
    }

    fn root(&mut self, node: &Expression, root: &str, ops: &[&TraversalOperator]) {
        if self.bound.iter().any(|b| b == root) {
            return;
        }
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str().to_string()),
            _ => None,
        };
        let target = match root {
            "var" => attr(0).map(RefTarget::Var),
            "local" => attr(0).map(RefTarget::Local),
            "module" => attr(0).map(|m| RefTarget::Module(m, attr(1))),
            "data" => match (attr(0), attr(1)) {
                (Some(t), Some(n)) => Some(RefTarget::Resource(ResourceAddr::data(&t, &n))),
                _ => None,
            },
            "count" | "each" | "self" | "path" | "terraform" => None,
            ty => attr(0).map(|n| RefTarget::Resource(ResourceAddr::managed(ty, &n))),
        };
        if let Some(target) = target {
            let span = self.span(node);
            self.out.push(Reference { target, span });
        }
    }

    fn expr(&mut self, e: &Expression) {
        match e {
            Expression::Null(_)
            | Expression::Bool(_)
            | Expression::Number(_)
            | Expression::String(_) => {}
            Expression::Array(a) => a.iter().for_each(|x| self.expr(x)),
            Expression::Object(o) => {
                for (k, v) in o.iter() {
                    if let ObjectKey::Expression(ke) = k {
                        if !matches!(ke, Expression::Variable(_)) {
                            self.expr(ke);
                        }
                    }
                    self.expr(v.expr());
                }
            }
            Expression::StringTemplate(t) => {
                let els: Vec<&Element> = t.iter().collect();
                self.elements(&els);
            }
            Expression::HeredocTemplate(h) => self.template(&h.template),
            Expression::Parenthesis(p) => self.expr(p.inner()),
            Expression::Variable(v) => self.root(e, v.as_str(), &[]),
            Expression::Traversal(t) => {
                let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
                match &t.expr {
                    Expression::Variable(v) => self.root(e, v.as_str(), &ops),
                    other => self.expr(other),
                }
                for op in &ops {
                    if let TraversalOperator::Index(ix) = op {
                        self.expr(ix);
                    }
                }
            }
            Expression::Conditional(c) => {
                self.expr(&c.cond_expr);
                self.expr(&c.true_expr);
                self.expr(&c.false_expr);
            }
            Expression::FuncCall(f) => f.args.iter().for_each(|a| self.expr(a)),
            Expression::UnaryOp(u) => self.expr(&u.expr),
            Expression::BinaryOp(b) => {
                self.expr(&b.lhs_expr);
                self.expr(&b.rhs_expr);
            }
            Expression::ForExpr(f) => {
                self.expr(&f.intro.collection_expr);
                let n = self.bound.len();
                if let Some(k) = &f.intro.key_var {
                    self.bound.push(k.as_str().to_string());
                }
                self.bound.push(f.intro.value_var.as_str().to_string());
                if let Some(k) = &f.key_expr {
                    self.expr(k);
                }
                self.expr(&f.value_expr);
                if let Some(c) = &f.cond {
                    self.expr(&c.expr);
                }
                self.bound.truncate(n);
            }
        }
    }

    fn template(&mut self, t: &Template) {
        let els: Vec<&Element> = t.iter().collect();
        self.elements(&els);
    }

    fn elements(&mut self, els: &[&Element]) {
        for el in els {
            match el {
                Element::Literal(_) => {}
                Element::Interpolation(i) => self.expr(&i.expr),
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(i) => {
                        self.expr(&i.if_expr.cond_expr);
                        self.template(&i.if_expr.template);
                        if let Some(e) = &i.else_expr {
                            self.template(&e.template);
                        }
                    }
                    Directive::For(f) => {
                        self.expr(&f.for_expr.collection_expr);
                        let n = self.bound.len();
                        if let Some(k) = &f.for_expr.key_var {
                            self.bound.push(k.as_str().to_string());
                        }
                        self.bound.push(f.for_expr.value_var.as_str().to_string());
                        self.template(&f.for_expr.template);
                        self.bound.truncate(n);
                    }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(src: &str) -> Vec<RefTarget> {
        let e = hcl_edit::parser::parse_expr(src).unwrap();
        references(&e, FileId(0), Span::new(FileId(0), 0..0), &[])
            .into_iter()
            .map(|r| r.target)
            .collect()
    }

    #[test]
    fn finds_every_kind() {
        assert_eq!(
            refs("\"${var.a}-${local.b}\""),
            vec![RefTarget::Var("a".into()), RefTarget::Local("b".into())]
        );
        assert_eq!(
            refs("aws_subnet.private[*].id"),
            vec![RefTarget::Resource(ResourceAddr::managed(
                "aws_subnet",
                "private"
            ))]
        );
        assert_eq!(
            refs("data.aws_region.current.name"),
            vec![RefTarget::Resource(ResourceAddr::data(
                "aws_region",
                "current"
            ))]
        );
        assert_eq!(
            refs("module.net.ids"),
            vec![RefTarget::Module("net".into(), Some("ids".into()))]
        );
    }

    #[test]
    fn for_variables_are_not_references() {
        assert_eq!(
            refs("[for s in var.subnets : s.id if s.public]"),
            vec![RefTarget::Var("subnets".into())]
        );
        assert!(refs("each.value.x + count.index").is_empty());
    }
}
