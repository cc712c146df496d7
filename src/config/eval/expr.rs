//! Evaluation of one expression in an [`Env`]: references, operators, conditionals,
//! for-expressions, splats, templates and function calls, with unknowns flowing through.

use super::functions::{self, FuncCtx};
use crate::addrs::ResourceAddr;
use crate::config::model::Module;
use crate::config::value::{format_number, Map, Value};
use crate::diag::{Diagnostic, FileId, Span};
use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator,
    UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Span as _;
use std::collections::HashMap;
use std::path::Path;

/// The values visible from one module instance.
#[derive(Debug, Default, Clone)]
pub struct ModuleValues {
    /// `var.NAME`
    pub vars: HashMap<String, Value>,
    /// `local.NAME`
    pub locals: HashMap<String, Value>,
    /// `TYPE.NAME` / `data.TYPE.NAME`: an object, a list (count) or a map (for_each).
    pub resources: HashMap<ResourceAddr, Value>,
    /// `module.NAME`: an object of outputs, or a list/map of them.
    pub modules: HashMap<String, Value>,
    /// This module's own outputs.
    pub outputs: HashMap<String, Value>,
}

/// Everything an expression can see.
pub struct Env<'a> {
    /// Values of the module instance.
    pub values: &'a ModuleValues,
    /// The module's configuration (for "did you mean" and to know declared names).
    pub module: &'a Module,
    /// Local names: `each`, `count`, `self`, `path`, `terraform`, for-expression and dynamic
    /// block iterators. Later entries shadow earlier ones.
    pub bindings: Vec<(String, Value)>,
    /// File the expression is in.
    pub file: FileId,
    /// Span to use when an expression has none of its own.
    pub fallback: Span,
    /// Paths for the filesystem functions.
    pub root_dir: &'a Path,
    /// Working directory.
    pub cwd: &'a Path,
}

type R = Result<Value, Diagnostic>;

impl<'a> Env<'a> {
    /// The span of a node, or the fallback.
    pub fn span_of(&self, node: &impl hcl_edit::Span) -> Span {
        node.span()
            .map(|r| Span::new(self.file, r))
            .unwrap_or(self.fallback)
    }

    fn err(
        &self,
        node: &impl hcl_edit::Span,
        code: &'static str,
        msg: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(code, msg).with_label(self.span_of(node), "")
    }

    fn binding(&self, name: &str) -> Option<&Value> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// Evaluates an expression.
    ///
    /// # Errors
    /// A diagnostic pointing at the part of the expression that failed.
    pub fn eval(&mut self, e: &Expression) -> R {
        match e {
            Expression::Null(_) => Ok(Value::Null),
            Expression::Bool(b) => Ok(Value::Bool(*b.value())),
            Expression::Number(n) => Ok(Value::Number(n.as_f64().unwrap_or(0.0))),
            Expression::String(s) => Ok(Value::String(s.as_str().to_string())),
            Expression::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for item in a.iter() {
                    out.push(self.eval(item)?);
                }
                Ok(Value::List(out))
            }
            Expression::Object(o) => {
                let mut out = Map::new();
                let mut unknown_key = false;
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(Expression::Variable(i)) => i.as_str().to_string(),
                        ObjectKey::Expression(ke) => match self.eval(ke)? {
                            Value::String(s) => s,
                            Value::Number(n) => format_number(n),
                            Value::Bool(b) => b.to_string(),
                            Value::Unknown => {
                                unknown_key = true;
                                continue;
                            }
                            other => {
                                return Err(self.err(
                                    ke,
                                    "invalid-object-key",
                                    format!(
                                        "object keys must be strings, not {}",
                                        other.type_name()
                                    ),
                                ))
                            }
                        },
                    };
                    let val = self.eval(v.expr())?;
                    out.insert(key, val);
                }
                if unknown_key {
                    return Ok(Value::Unknown);
                }
                Ok(Value::Map(out))
            }
            Expression::StringTemplate(t) => {
                let elems: Vec<&Element> = t.iter().collect();
                if let [Element::Interpolation(i)] = elems.as_slice() {
                    return self.eval(&i.expr);
                }
                self.eval_elements(&elems)
            }
            Expression::HeredocTemplate(h) => {
                let elems: Vec<&Element> = h.template.iter().collect();
                self.eval_elements(&elems)
            }
            Expression::Parenthesis(p) => self.eval(p.inner()),
            Expression::Variable(v) => self.eval_traversal_parts(e, Some(v.as_str()), &[]),
            Expression::Traversal(t) => self.eval_traversal(e, t),
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr)?;
                match cond {
                    Value::Unknown => Ok(Value::Unknown),
                    Value::Bool(true) => self.eval(&c.true_expr),
                    Value::Bool(false) => self.eval(&c.false_expr),
                    Value::String(ref s) if s == "true" => self.eval(&c.true_expr),
                    Value::String(ref s) if s == "false" => self.eval(&c.false_expr),
                    Value::Null => Err(self.err(
                        &c.cond_expr,
                        "null-condition",
                        "the condition value is null; conditions must be true or false",
                    )),
                    other => Err(self.err(
                        &c.cond_expr,
                        "invalid-condition",
                        format!("the condition must be a bool, not {}", other.type_name()),
                    )),
                }
            }
            Expression::FuncCall(f) => self.eval_call(f),
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr)?;
                if v.is_unknown() {
                    return Ok(Value::Unknown);
                }
                match u.operator.value() {
                    UnaryOperator::Neg => match to_number(&v) {
                        Some(n) => Ok(Value::Number(-n)),
                        None => Err(self.err(
                            &u.expr,
                            "invalid-operand",
                            format!("a number is required, got {}", v.type_name()),
                        )),
                    },
                    UnaryOperator::Not => match to_bool(&v) {
                        Some(b) => Ok(Value::Bool(!b)),
                        None => Err(self.err(
                            &u.expr,
                            "invalid-operand",
                            format!("a bool is required, got {}", v.type_name()),
                        )),
                    },
                }
            }
            Expression::BinaryOp(b) => {
                let op = *b.operator.value();
                // `&&`/`||` short-circuit on a known left side, as Terraform 1.11 does not,
                // but the result is the same for well-typed operands.
                let l = self.eval(&b.lhs_expr)?;
                let r = self.eval(&b.rhs_expr)?;
                self.binary(op, &l, &r, &b.lhs_expr, &b.rhs_expr)
            }
            Expression::ForExpr(f) => self.eval_for(f),
        }
    }

    fn binary(
        &self,
        op: BinaryOperator,
        l: &Value,
        r: &Value,
        le: &Expression,
        re: &Expression,
    ) -> R {
        use BinaryOperator::*;
        match op {
            Eq | NotEq => {
                if !l.is_wholly_known() || !r.is_wholly_known() {
                    return Ok(Value::Unknown);
                }
                let eq = values_equal(l, r);
                Ok(Value::Bool(if op == Eq { eq } else { !eq }))
            }
            And | Or => {
                let lb = if l.is_unknown() {
                    None
                } else {
                    Some(to_bool(l).ok_or_else(|| {
                        self.err(
                            le,
                            "invalid-operand",
                            format!("a bool is required, got {}", l.type_name()),
                        )
                    })?)
                };
                let rb = if r.is_unknown() {
                    None
                } else {
                    Some(to_bool(r).ok_or_else(|| {
                        self.err(
                            re,
                            "invalid-operand",
                            format!("a bool is required, got {}", r.type_name()),
                        )
                    })?)
                };
                Ok(match (op, lb, rb) {
                    (And, Some(false), _) | (And, _, Some(false)) => Value::Bool(false),
                    (Or, Some(true), _) | (Or, _, Some(true)) => Value::Bool(true),
                    (_, Some(a), Some(b)) => Value::Bool(if op == And { a && b } else { a || b }),
                    _ => Value::Unknown,
                })
            }
            _ => {
                if l.is_unknown() || r.is_unknown() {
                    return Ok(Value::Unknown);
                }
                let a = to_number(l).ok_or_else(|| {
                    self.err(
                        le,
                        "invalid-operand",
                        format!("a number is required, got {}", describe(l)),
                    )
                })?;
                let b = to_number(r).ok_or_else(|| {
                    self.err(
                        re,
                        "invalid-operand",
                        format!("a number is required, got {}", describe(r)),
                    )
                })?;
                Ok(match op {
                    Plus => Value::Number(a + b),
                    Minus => Value::Number(a - b),
                    Mul => Value::Number(a * b),
                    Div => {
                        if b == 0.0 {
                            return Err(self.err(re, "division-by-zero", "division by zero"));
                        }
                        Value::Number(a / b)
                    }
                    Mod => {
                        if b == 0.0 {
                            return Err(self.err(re, "division-by-zero", "modulo by zero"));
                        }
                        Value::Number(a % b)
                    }
                    Less => Value::Bool(a < b),
                    LessEq => Value::Bool(a <= b),
                    Greater => Value::Bool(a > b),
                    GreaterEq => Value::Bool(a >= b),
                    Eq | NotEq | And | Or => Value::Unknown,
                })
            }
        }
    }

    fn eval_elements(&mut self, elems: &[&Element]) -> R {
        let mut out = String::new();
        let mut unknown = false;
        let mut strip_next = false;
        self.render_elements(elems, &mut out, &mut unknown, &mut strip_next)?;
        if unknown {
            Ok(Value::Unknown)
        } else {
            Ok(Value::String(out))
        }
    }

    fn render_elements(
        &mut self,
        elems: &[&Element],
        out: &mut String,
        unknown: &mut bool,
        strip_next: &mut bool,
    ) -> Result<(), Diagnostic> {
        for el in elems {
            match el {
                Element::Literal(s) => {
                    let text: &str = s.as_ref();
                    if *strip_next {
                        out.push_str(text.trim_start());
                        *strip_next = false;
                    } else {
                        out.push_str(text);
                    }
                }
                Element::Interpolation(i) => {
                    if i.strip.strip_start() {
                        truncate_trailing_ws(out);
                    }
                    let v = self.eval(&i.expr)?;
                    match template_string(&v) {
                        Ok(Some(s)) => out.push_str(&s),
                        Ok(None) => *unknown = true,
                        Err(m) => return Err(self.err(&i.expr, "invalid-template-value", m)),
                    }
                    *strip_next = i.strip.strip_end();
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(ifd) => {
                        if ifd.if_expr.strip.strip_start() {
                            truncate_trailing_ws(out);
                        }
                        *strip_next = ifd.if_expr.strip.strip_end();
                        let cond = self.eval(&ifd.if_expr.cond_expr)?;
                        let branch: Option<&Template> = match to_bool(&cond) {
                            Some(true) => Some(&ifd.if_expr.template),
                            Some(false) => ifd.else_expr.as_ref().map(|e| &e.template),
                            None if cond.is_unknown() => {
                                *unknown = true;
                                None
                            }
                            None => {
                                return Err(self.err(
                                    &ifd.if_expr.cond_expr,
                                    "invalid-condition",
                                    "template if condition must be a bool",
                                ))
                            }
                        };
                        if let Some(t) = branch {
                            let inner: Vec<&Element> = t.iter().collect();
                            self.render_elements(&inner, out, unknown, strip_next)?;
                        }
                        if ifd.endif_expr.strip.strip_start() {
                            truncate_trailing_ws(out);
                        }
                        *strip_next = ifd.endif_expr.strip.strip_end();
                    }
                    Directive::For(ford) => {
                        let fe = &ford.for_expr;
                        if fe.strip.strip_start() {
                            truncate_trailing_ws(out);
                        }
                        *strip_next = fe.strip.strip_end();
                        let coll = self.eval(&fe.collection_expr)?;
                        let items = match iter_collection(&coll) {
                            Some(items) => items,
                            None if coll.is_unknown() => {
                                *unknown = true;
                                Vec::new()
                            }
                            None => {
                                return Err(self.err(
                                    &fe.collection_expr,
                                    "invalid-for",
                                    "template for requires a collection",
                                ))
                            }
                        };
                        let inner: Vec<&Element> = fe.template.iter().collect();
                        for (k, v) in items {
                            let n = self.bindings.len();
                            if let Some(kv) = &fe.key_var {
                                self.bindings.push((kv.as_str().to_string(), k));
                            }
                            self.bindings.push((fe.value_var.as_str().to_string(), v));
                            // The opening directive's `~}` strips the start of every iteration, and the
                            // closing one's `{~` the end of every iteration.
                            *strip_next = fe.strip.strip_end();
                            let r = self.render_elements(&inner, out, unknown, strip_next);
                            if ford.endfor_expr.strip.strip_start() {
                                truncate_trailing_ws(out);
                            }
                            self.bindings.truncate(n);
                            r?;
                        }
                        if ford.endfor_expr.strip.strip_start() {
                            truncate_trailing_ws(out);
                        }
                        *strip_next = ford.endfor_expr.strip.strip_end();
                    }
                },
            }
        }
        Ok(())
    }

    fn eval_traversal(&mut self, whole: &Expression, t: &Traversal) -> R {
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        // Point at the whole traversal (`var.name`), falling back to its root.
        let node = if whole.span().is_some() {
            whole
        } else {
            &t.expr
        };
        match &t.expr {
            Expression::Variable(v) => self.eval_traversal_parts(node, Some(v.as_str()), &ops),
            other => {
                let base = self.eval(other)?;
                self.apply_ops(base, &ops, node)
            }
        }
    }

    /// Resolves a root name (`var`, `local`, `aws_x`, a binding) and applies the operators.
    fn eval_traversal_parts(
        &mut self,
        node: &Expression,
        root: Option<&str>,
        ops: &[&TraversalOperator],
    ) -> R {
        let Some(root) = root else {
            return Err(self.err(node, "invalid-reference", "invalid reference"));
        };
        if let Some(v) = self.binding(root) {
            let v = v.clone();
            return self.apply_ops(v, ops, node);
        }
        let attr = |i: usize| -> Option<&str> {
            match ops.get(i) {
                Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
                _ => None,
            }
        };
        match root {
            "var" => {
                let Some(name) = attr(0) else {
                    return Err(self.err(
                        node,
                        "invalid-reference",
                        "a reference to an input variable needs a name: var.NAME",
                    ));
                };
                match self.values.vars.get(name) {
                    Some(v) => {
                        let v = v.clone();
                        self.apply_ops(v, &ops[1..], node)
                    }
                    None => {
                        let mut d = Diagnostic::error(
                            "undeclared-variable",
                            format!("reference to undeclared input variable \"{name}\""),
                        )
                        .with_label(self.span_of(node), "");
                        if let Some(s) = crate::config::suggest::did_you_mean(
                            name,
                            self.module.variables.keys().map(String::as_str),
                        ) {
                            d = d.with_help(format!("Did you mean var.{s}?"));
                        } else {
                            d = d.with_help(format!(
                                "Declare it with a variable \"{name}\" {{}} block."
                            ));
                        }
                        Err(d)
                    }
                }
            }
            "local" => {
                let Some(name) = attr(0) else {
                    return Err(self.err(
                        node,
                        "invalid-reference",
                        "a reference to a local value needs a name: local.NAME",
                    ));
                };
                match self.values.locals.get(name) {
                    Some(v) => {
                        let v = v.clone();
                        self.apply_ops(v, &ops[1..], node)
                    }
                    None => {
                        let mut d = Diagnostic::error(
                            "undeclared-local",
                            format!("reference to undeclared local value \"{name}\""),
                        )
                        .with_label(self.span_of(node), "");
                        if let Some(s) = crate::config::suggest::did_you_mean(
                            name,
                            self.module.locals.keys().map(String::as_str),
                        ) {
                            d = d.with_help(format!("Did you mean local.{s}?"));
                        }
                        Err(d)
                    }
                }
            }
            "module" => {
                let Some(name) = attr(0) else {
                    return Err(self.err(
                        node,
                        "invalid-reference",
                        "a reference to a module needs a name: module.NAME",
                    ));
                };
                match self.values.modules.get(name) {
                    Some(v) => {
                        let v = v.clone();
                        self.apply_ops(v, &ops[1..], node)
                    }
                    None => {
                        let mut d = Diagnostic::error(
                            "undeclared-module",
                            format!("reference to undeclared module \"{name}\""),
                        )
                        .with_label(self.span_of(node), "");
                        if let Some(s) = crate::config::suggest::did_you_mean(
                            name,
                            self.module.module_calls.keys().map(String::as_str),
                        ) {
                            d = d.with_help(format!("Did you mean module.{s}?"));
                        }
                        Err(d)
                    }
                }
            }
            "data" => {
                let (Some(ty), Some(name)) = (attr(0), attr(1)) else {
                    return Err(self.err(
                        node,
                        "invalid-reference",
                        "a reference to a data source needs a type and a name: data.TYPE.NAME",
                    ));
                };
                let addr = ResourceAddr::data(ty, name);
                match self.values.resources.get(&addr) {
                    Some(v) => {
                        let v = v.clone();
                        self.apply_ops(v, &ops[2..], node)
                    }
                    None => Err(self.undeclared_resource(node, &addr)),
                }
            }
            "count" | "each" | "self" => Err(self.err(
                node,
                "invalid-reference",
                match root {
                    "count" => {
                        "count.index is only available in blocks that set \"count\"".to_string()
                    }
                    "each" => {
                        "each.key and each.value are only available in blocks that set \"for_each\""
                            .to_string()
                    }
                    _ => "self is only available in provisioner and connection blocks".to_string(),
                },
            )),
            ty => {
                let Some(name) = attr(0) else {
                    let mut d = Diagnostic::error(
                        "unknown-variable",
                        format!("there is no variable named \"{ty}\""),
                    )
                    .with_label(self.span_of(node), "");
                    let names: Vec<&str> = self.bindings.iter().map(|(n, _)| n.as_str()).collect();
                    if let Some(s) = crate::config::suggest::did_you_mean(ty, names) {
                        d = d.with_help(format!("Did you mean {s}?"));
                    }
                    return Err(d);
                };
                let addr = ResourceAddr::managed(ty, name);
                match self.values.resources.get(&addr) {
                    Some(v) => {
                        let v = v.clone();
                        self.apply_ops(v, &ops[1..], node)
                    }
                    None => Err(self.undeclared_resource(node, &addr)),
                }
            }
        }
    }

    fn undeclared_resource(&self, node: &Expression, addr: &ResourceAddr) -> Diagnostic {
        let mut d = Diagnostic::error(
            "undeclared-resource",
            format!("reference to undeclared resource {addr}"),
        )
        .with_label(self.span_of(node), "");
        let same_mode: Vec<String> = self
            .module
            .resources
            .keys()
            .filter(|a| a.mode == addr.mode)
            .map(|a| a.to_string())
            .collect();
        let target = addr.to_string();
        if let Some(s) =
            crate::config::suggest::did_you_mean(&target, same_mode.iter().map(String::as_str))
        {
            d = d.with_help(format!("Did you mean {s}?"));
        } else {
            d = d.with_help(format!(
                "A {} block named \"{}\" \"{}\" has not been declared in this module.",
                if addr.mode == crate::addrs::ResourceMode::Data {
                    "data"
                } else {
                    "resource"
                },
                addr.type_name,
                addr.name
            ));
        }
        d
    }

    fn apply_ops(&mut self, mut v: Value, ops: &[&TraversalOperator], node: &Expression) -> R {
        let mut i = 0;
        while i < ops.len() {
            match ops[i] {
                TraversalOperator::GetAttr(a) => {
                    v = self.get_attr(v, a.as_str(), node)?;
                }
                TraversalOperator::Index(ie) => {
                    let key = self.eval(ie)?;
                    v = self.index(v, &key, ie)?;
                }
                TraversalOperator::LegacyIndex(n) => {
                    v = self.index(v, &Value::Number(*n.value() as f64), node)?;
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let full = matches!(ops[i], TraversalOperator::FullSplat(_));
                    // The operators the splat applies to each element.
                    let mut j = i + 1;
                    while j < ops.len() {
                        let part = match ops[j] {
                            TraversalOperator::GetAttr(_) => true,
                            TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_) => full,
                            _ => false,
                        };
                        if !part {
                            break;
                        }
                        j += 1;
                    }
                    let rest = &ops[i + 1..j];
                    v = match v {
                        Value::Unknown => Value::Unknown,
                        Value::Null => Value::List(Vec::new()),
                        Value::List(items) | Value::Set(items) => {
                            let mut out = Vec::with_capacity(items.len());
                            for it in items {
                                out.push(self.apply_ops(it, rest, node)?);
                            }
                            Value::List(out)
                        }
                        single => Value::List(vec![self.apply_ops(single, rest, node)?]),
                    };
                    i = j;
                    continue;
                }
            }
            i += 1;
        }
        Ok(v)
    }

    fn get_attr(&self, v: Value, name: &str, node: &Expression) -> R {
        match v {
            Value::Unknown => Ok(Value::Unknown),
            Value::Map(mut m) => match m.remove(name) {
                Some(x) => Ok(x),
                None => {
                    let mut d = Diagnostic::error("unsupported-attribute", format!("this object does not have an attribute named \"{name}\""))
                        .with_label(self.span_of(node), "");
                    if let Some(s) = crate::config::suggest::did_you_mean(name, m.keys().map(String::as_str)) {
                        d = d.with_help(format!("Did you mean \"{s}\"?"));
                    }
                    Err(d)
                }
            },
            Value::Null => Err(self.err(node, "null-value", format!("attempt to get attribute \"{name}\" from a null value"))),
            Value::List(_) | Value::Set(_) => Err(self.err(node, "unsupported-attribute", format!(
                "can't access attribute \"{name}\" on a list of objects; use [*].{name} for all elements or [INDEX].{name} for one"
            ))),
            other => Err(self.err(node, "unsupported-attribute", format!(
                "can't access attribute \"{name}\" on a {}",
                other.type_name()
            ))),
        }
    }

    fn index(&self, v: Value, key: &Value, node: &impl hcl_edit::Span) -> R {
        if v.is_unknown() || key.is_unknown() {
            return Ok(Value::Unknown);
        }
        match v {
            Value::List(items) => {
                let Some(i) = to_number(key).filter(|n| n.fract() == 0.0) else {
                    return Err(self.err(
                        node,
                        "invalid-index",
                        format!("a list index must be a whole number, not {}", describe(key)),
                    ));
                };
                if i < 0.0 || i as usize >= items.len() {
                    return Err(self.err(
                        node,
                        "index-out-of-range",
                        format!(
                            "index {} out of range for a list of {} element(s)",
                            format_number(i),
                            items.len()
                        ),
                    ));
                }
                Ok(items.into_iter().nth(i as usize).unwrap_or(Value::Null))
            }
            Value::Map(mut m) => {
                let k = match key {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => format_number(*n),
                    other => {
                        return Err(self.err(
                            node,
                            "invalid-index",
                            format!("a map key must be a string, not {}", other.type_name()),
                        ))
                    }
                };
                match m.remove(&k) {
                    Some(x) => Ok(x),
                    None => Err(self.err(
                        node,
                        "invalid-index",
                        format!(
                            "the given key {k:?} does not identify an element in this collection"
                        ),
                    )),
                }
            }
            Value::Set(_) => Err(self.err(
                node,
                "invalid-index",
                "elements of a set cannot be accessed by index; convert it with tolist() first",
            )),
            Value::Null => Err(self.err(node, "null-value", "attempt to index a null value")),
            other => Err(self.err(
                node,
                "invalid-index",
                format!("a {} cannot be indexed", other.type_name()),
            )),
        }
    }

    fn eval_for(&mut self, f: &ForExpr) -> R {
        let coll = self.eval(&f.intro.collection_expr)?;
        if coll.is_unknown() {
            return Ok(Value::Unknown);
        }
        let Some(items) = iter_collection(&coll) else {
            return Err(self.err(
                &f.intro.collection_expr,
                "invalid-for",
                format!(
                    "a for expression needs a list, set, map or object, not {}",
                    coll.type_name()
                ),
            ));
        };
        let key_var = f.intro.key_var.as_ref().map(|k| k.as_str().to_string());
        let val_var = f.intro.value_var.as_str().to_string();
        let mut list = Vec::new();
        let mut map = Map::new();
        let mut groups: indexmap::IndexMap<String, Vec<Value>> = indexmap::IndexMap::new();
        let mut unknown = false;
        for (k, v) in items {
            let n = self.bindings.len();
            if let Some(kv) = &key_var {
                self.bindings.push((kv.clone(), k));
            }
            self.bindings.push((val_var.clone(), v));
            let r = self.for_item(f, &mut list, &mut map, &mut groups, &mut unknown);
            self.bindings.truncate(n);
            r?;
        }
        if unknown {
            return Ok(Value::Unknown);
        }
        if f.key_expr.is_some() {
            if f.grouping {
                for (k, v) in groups {
                    map.insert(k, Value::List(v));
                }
            }
            Ok(Value::Map(map))
        } else {
            Ok(Value::List(list))
        }
    }

    fn for_item(
        &mut self,
        f: &ForExpr,
        list: &mut Vec<Value>,
        map: &mut Map,
        groups: &mut indexmap::IndexMap<String, Vec<Value>>,
        unknown: &mut bool,
    ) -> Result<(), Diagnostic> {
        if let Some(c) = &f.cond {
            match self.eval(&c.expr)? {
                Value::Bool(true) => {}
                Value::Bool(false) => return Ok(()),
                Value::Unknown => {
                    *unknown = true;
                    return Ok(());
                }
                other => {
                    return Err(self.err(
                        &c.expr,
                        "invalid-condition",
                        format!(
                            "a for expression's if clause must be a bool, not {}",
                            other.type_name()
                        ),
                    ))
                }
            }
        }
        let val = self.eval(&f.value_expr)?;
        match &f.key_expr {
            None => list.push(val),
            Some(ke) => {
                let key = match self.eval(ke)? {
                    Value::String(s) => s,
                    Value::Number(n) => format_number(n),
                    Value::Bool(b) => b.to_string(),
                    Value::Unknown => {
                        *unknown = true;
                        return Ok(());
                    }
                    other => {
                        return Err(self.err(
                            ke,
                            "invalid-object-key",
                            format!("object keys must be strings, not {}", other.type_name()),
                        ))
                    }
                };
                if f.grouping {
                    groups.entry(key).or_default().push(val);
                } else {
                    match map.entry(key) {
                        std::collections::btree_map::Entry::Occupied(e) => {
                            return Err(self.err(
                                ke,
                                "duplicate-key",
                                format!(
                                    "two results have the key {:?}; use `...` after the value to group them",
                                    e.key()
                                ),
                            ));
                        }
                        std::collections::btree_map::Entry::Vacant(e) => {
                            e.insert(val);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn eval_call(&mut self, f: &FuncCall) -> R {
        let name = f.name.name.as_str();
        if f.name.is_namespaced() {
            let full: Vec<&str> = f
                .name
                .namespace
                .iter()
                .map(|n| n.as_str())
                .chain([name])
                .collect();
            return Err(self.err(
                &f.name.name,
                "unsupported-function",
                format!(
                    "provider-defined function \"{}\" is not supported",
                    full.join("::")
                ),
            ));
        }
        match name {
            "try" => {
                let mut last = None;
                for a in f.args.iter() {
                    match self.eval(a) {
                        Ok(v) => return Ok(v),
                        Err(e) => last = Some(e),
                    }
                }
                return Err(last.unwrap_or_else(|| {
                    self.err(
                        &f.name.name,
                        "invalid-function-call",
                        "try() needs at least one argument",
                    )
                }));
            }
            "can" => {
                let args: Vec<&Expression> = f.args.iter().collect();
                let [a] = args.as_slice() else {
                    return Err(self.err(
                        &f.name.name,
                        "invalid-function-call",
                        "can() takes exactly one argument",
                    ));
                };
                return Ok(match self.eval(a) {
                    Ok(v) if v.is_unknown() => Value::Unknown,
                    Ok(_) => Value::Bool(true),
                    Err(_) => Value::Bool(false),
                });
            }
            "templatefile" => return self.templatefile(f),
            _ => {}
        }
        let Some(def) = functions::lookup(name) else {
            let mut d = Diagnostic::error(
                "unknown-function",
                format!("call to unknown function \"{name}\""),
            )
            .with_label(self.span_of(&f.name.name), "");
            if let Some(s) = crate::config::suggest::did_you_mean(
                name,
                functions::names().chain(["try", "can", "templatefile"]),
            ) {
                d = d.with_help(format!("Did you mean \"{s}\"?"));
            } else {
                d = d.with_help(
                    "emrform supports Terraform's built-in functions; this is not one of them.",
                );
            }
            return Err(d);
        };
        let mut args = Vec::with_capacity(f.args.len());
        let arg_exprs: Vec<&Expression> = f.args.iter().collect();
        for (i, a) in arg_exprs.iter().enumerate() {
            let v = self.eval(a)?;
            if f.args.expand_final() && i + 1 == arg_exprs.len() {
                match v {
                    Value::List(items) | Value::Set(items) => args.extend(items),
                    Value::Unknown => return Ok(Value::Unknown),
                    other => {
                        return Err(self.err(
                            *a,
                            "invalid-function-call",
                            format!(
                                "the final argument expanded with ... must be a list, not {}",
                                other.type_name()
                            ),
                        ))
                    }
                }
            } else {
                args.push(v);
            }
        }
        let module_dir = self.module.dir.clone();
        let ctx = FuncCtx {
            module_dir: &module_dir,
            root_dir: self.root_dir,
            cwd: self.cwd,
        };
        functions::call_for_plan(def, &ctx, args).map_err(|e| {
            let span = e
                .arg
                .and_then(|i| arg_exprs.get(i))
                .map(|a| self.span_of(*a))
                .unwrap_or_else(|| self.span_of(&f.name.name));
            Diagnostic::error(
                "invalid-function-argument",
                format!("error in function call {name}(): {}", e.message),
            )
            .with_label(span, "")
        })
    }

    fn templatefile(&mut self, f: &FuncCall) -> R {
        let args: Vec<&Expression> = f.args.iter().collect();
        let [path_e, vars_e] = args.as_slice() else {
            return Err(self.err(
                &f.name.name,
                "invalid-function-call",
                "templatefile() takes a path and an object of variables",
            ));
        };
        let path = self.eval(path_e)?;
        let vars = self.eval(vars_e)?;
        let Value::String(path) = path else {
            if path.is_unknown() {
                return Ok(Value::Unknown);
            }
            return Err(self.err(
                *path_e,
                "invalid-function-argument",
                "templatefile(): the path must be a string",
            ));
        };
        let full = {
            let p = Path::new(&path);
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                self.cwd.join(p)
            }
        };
        let text = std::fs::read_to_string(&full).map_err(|e| {
            self.err(
                *path_e,
                "invalid-function-argument",
                format!("templatefile(): cannot read {}: {e}", full.display()),
            )
        })?;
        let tpl = hcl_edit::parser::parse_template(&text).map_err(|e| {
            self.err(
                *path_e,
                "invalid-function-argument",
                format!(
                    "templatefile(): {} line {}: {}",
                    full.display(),
                    e.location().line(),
                    e.message()
                ),
            )
        })?;
        let bindings = match &vars {
            Value::Map(m) => m.clone(),
            Value::Unknown => return Ok(Value::Unknown),
            other => {
                return Err(self.err(
                    *vars_e,
                    "invalid-function-argument",
                    format!(
                        "templatefile(): variables must be an object, not {}",
                        other.type_name()
                    ),
                ))
            }
        };
        // The template sees only its variables (and functions), as in Terraform.
        let saved = std::mem::take(&mut self.bindings);
        self.bindings = bindings.into_iter().collect();
        let elems: Vec<&Element> = tpl.iter().collect();
        let r = if let [Element::Interpolation(i)] = elems.as_slice() {
            self.eval(&i.expr)
        } else {
            self.eval_elements(&elems)
        };
        self.bindings = saved;
        r.map_err(|mut d| {
            d.message = format!("in template {}: {}", full.display(), d.message);
            d.labels = vec![crate::diag::Label {
                span: self.span_of(&f.name.name),
                text: String::new(),
            }];
            d
        })
    }
}

fn truncate_trailing_ws(s: &mut String) {
    let n = s.trim_end().len();
    s.truncate(n);
}

/// (key, value) pairs of a collection for `for` expressions; None if not a collection.
pub fn iter_collection(v: &Value) -> Option<Vec<(Value, Value)>> {
    match v {
        Value::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::Number(i as f64), x.clone()))
                .collect(),
        ),
        Value::Set(items) => Some(items.iter().map(|x| (x.clone(), x.clone())).collect()),
        Value::Map(m) => Some(
            m.iter()
                .map(|(k, x)| (Value::String(k.clone()), x.clone()))
                .collect(),
        ),
        _ => None,
    }
}

/// A value as template text: Ok(None) when unknown.
fn template_string(v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(n) => Ok(Some(format_number(*n))),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Unknown => Ok(None),
        Value::Null => Err("invalid template interpolation value: the expression result is null".into()),
        other => Err(format!(
            "invalid template interpolation value: cannot include a {} in a string; use jsonencode() or join()",
            other.type_name()
        )),
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string {s:?}"),
        other => other.type_name().to_string(),
    }
}

/// A value as a number, converting strings as Terraform does.
pub fn to_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => Some(*n),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A value as a bool, converting "true"/"false".
pub fn to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// Terraform's `==`: same type and same content (lists and tuples alike, maps and objects alike).
pub fn values_equal(a: &Value, b: &Value) -> bool {
    a == b
}
