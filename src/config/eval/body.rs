//! Evaluation of a resource or data source body against its schema: every argument is
//! evaluated and converted to its schema type, nested and `dynamic` blocks are expanded, and
//! unknown arguments, missing required ones, wrong types and invalid values are diagnosed.

use super::expr::{iter_collection, Env};
use crate::config::schema::{AttrType, BlockType, Body as SchemaBody, Nesting, Validation};
use crate::config::types::{convert, ObjectAttr, Type};
use crate::config::value::{Map, Value};
use crate::diag::{Diagnostic, Diagnostics, Span};
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};

/// The type constraint equivalent to a schema attribute type.
pub fn attr_type_to_type(t: &AttrType) -> Type {
    match t {
        AttrType::String => Type::String,
        AttrType::Number => Type::Number,
        AttrType::Bool => Type::Bool,
        AttrType::List(e) => Type::List(Box::new(attr_type_to_type(e))),
        AttrType::Set(e) => Type::Set(Box::new(attr_type_to_type(e))),
        AttrType::Map(e) => Type::Map(Box::new(attr_type_to_type(e))),
        AttrType::Object(fields) => Type::Object(
            fields
                .iter()
                .map(|(n, t)| ObjectAttr {
                    name: n.to_string(),
                    ty: attr_type_to_type(t),
                    optional: true,
                    default: None,
                })
                .collect(),
        ),
        AttrType::Dynamic => Type::Any,
    }
}

/// Evaluates a resource body against its schema. `header` is where to point for problems
/// that have no better place (a missing required argument).
pub fn eval_resource_body(
    env: &mut Env<'_>,
    body: &Body,
    schema: &SchemaBody,
    header: Span,
    diags: &mut Diagnostics,
) -> Value {
    eval_body(env, body, schema, header, "", diags)
}

fn eval_body(
    env: &mut Env<'_>,
    body: &Body,
    schema: &SchemaBody,
    header: Span,
    path: &str,
    diags: &mut Diagnostics,
) -> Value {
    let mut out = Map::new();
    let mut blocks: Vec<(&BlockType, Vec<Value>, bool)> = schema
        .blocks
        .iter()
        .map(|b| (b, Vec::new(), false))
        .collect();
    let mut attr_blocks: indexmap::IndexMap<&str, (bool, Vec<Value>)> = indexmap::IndexMap::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let name = a.key.as_str();
                let key_span = env.span_of(&a.key);
                let value_span = env.span_of(&a.value);
                if let Some(attr) = schema.attribute(name) {
                    if !attr.optional && !attr.required {
                        diags.push(
                            Diagnostic::error("unconfigurable-attribute", format!("can't configure a value for \"{path}{name}\": its value is decided by AWS"))
                                .with_label(key_span, "read-only attribute")
                                .with_help("Remove this argument; read it with a reference instead."),
                        );
                        continue;
                    }
                    if out.contains_key(name) {
                        diags.push(
                            Diagnostic::error(
                                "duplicate-argument",
                                format!("the argument \"{path}{name}\" was already set"),
                            )
                            .with_label(key_span, "set again here"),
                        );
                        continue;
                    }
                    let saved = env.fallback;
                    env.fallback = value_span;
                    let v = match env.eval(&a.value) {
                        Ok(v) => v,
                        Err(d) => {
                            diags.push(d);
                            Value::Unknown
                        }
                    };
                    env.fallback = saved;
                    let ty = attr_type_to_type(&attr.ty);
                    let v = match convert(&v, &ty) {
                        Ok(v) => v,
                        Err(m) => {
                            diags.push(
                                Diagnostic::error(
                                    "type-mismatch",
                                    format!(
                                        "incorrect attribute value type for \"{path}{name}\": {m}"
                                    ),
                                )
                                .with_label(value_span, format!("{} given", v.type_name())),
                            );
                            Value::Unknown
                        }
                    };
                    if let Some(msg) = attr.deprecated {
                        diags.push(
                            Diagnostic::warning(
                                "deprecated-attribute",
                                format!("argument \"{path}{name}\" is deprecated"),
                            )
                            .with_label(key_span, "")
                            .with_help(msg),
                        );
                    }
                    validate_value(
                        &v,
                        &attr.validations,
                        &format!("{path}{name}"),
                        value_span,
                        diags,
                    );
                    out.insert(name.to_string(), v);
                } else if let Some(bt) = schema.block_type(name) {
                    // Attributes-as-blocks (e.g. aws_security_group ingress = [...]).
                    let v = match env.eval(&a.value) {
                        Ok(v) => v,
                        Err(d) => {
                            diags.push(d);
                            Value::Unknown
                        }
                    };
                    match v {
                        Value::List(items) | Value::Set(items) => {
                            if let Some(slot) = blocks.iter_mut().find(|(b, _, _)| b.name == bt.name) {
                                slot.1.extend(items);
                            }
                        }
                        Value::Unknown => {
                            if let Some(slot) = blocks.iter_mut().find(|(b, _, _)| b.name == bt.name) {
                                slot.2 = true;
                            }
                        }
                        other => diags.push(
                            Diagnostic::error("unsupported-argument", format!("an argument named \"{name}\" is not expected here; did you mean to define a block of type \"{name}\"?"))
                                .with_label(value_span, format!("{} given", other.type_name())),
                        ),
                    }
                } else {
                    diags.push(unknown_name(schema, path, name, key_span, false));
                }
            }
            Structure::Block(b) => {
                let ident = b.ident.as_str();
                let ident_span = env.span_of(&b.ident);
                if ident == "dynamic" {
                    let Some(label) = b.labels.first().map(|l| l.as_str().to_string()) else {
                        diags.push(
                            Diagnostic::error(
                                "wrong-labels",
                                "a dynamic block needs the block type as its label",
                            )
                            .with_label(ident_span, ""),
                        );
                        continue;
                    };
                    let Some(bt) = schema.block_type(&label) else {
                        diags.push(unknown_name(schema, path, &label, ident_span, true));
                        continue;
                    };
                    let slot = blocks.iter_mut().position(|(x, _, _)| x.name == bt.name);
                    let (items, unknown) =
                        expand_dynamic(env, b, bt, &format!("{path}{label}."), diags);
                    if let Some(i) = slot {
                        blocks[i].1.extend(items);
                        blocks[i].2 |= unknown;
                    }
                    continue;
                }
                let Some(bt) = schema.block_type(ident) else {
                    // Attributes of type list/set(object) may be written as blocks
                    // (aws_security_group ingress/egress, aws_route_table route).
                    if let Some((attr, fields)) = schema
                        .attribute(ident)
                        .and_then(|a| a.block_syntax_fields().map(|f| (a, f)))
                    {
                        let inner = SchemaBody {
                            attributes: fields
                                .iter()
                                .map(|(n, t)| {
                                    crate::config::schema::Attribute::optional(n, t.clone())
                                })
                                .collect(),
                            blocks: Vec::new(),
                        };
                        let bspan = env.span_of(b);
                        let v = eval_body(
                            env,
                            &b.body,
                            &inner,
                            bspan,
                            &format!("{path}{ident}."),
                            diags,
                        );
                        let entry = attr_blocks
                            .entry(attr.name)
                            .or_insert_with(|| (matches!(attr.ty, AttrType::Set(_)), Vec::new()));
                        entry.1.push(v);
                        continue;
                    }
                    diags.push(unknown_name(schema, path, ident, ident_span, true));
                    continue;
                };
                if !b.labels.is_empty() {
                    diags.push(
                        Diagnostic::error(
                            "wrong-labels",
                            format!("blocks of type \"{ident}\" take no labels"),
                        )
                        .with_label(ident_span, ""),
                    );
                }
                let bspan = env.span_of(b);
                let v = eval_body(
                    env,
                    &b.body,
                    &bt.body,
                    bspan,
                    &format!("{path}{ident}."),
                    diags,
                );
                if let Some(slot) = blocks.iter_mut().find(|(x, _, _)| x.name == bt.name) {
                    slot.1.push(v);
                }
            }
        }
    }
    for (name, (is_set, items)) in attr_blocks {
        if out.contains_key(name) {
            diags.push(
                Diagnostic::error(
                    "duplicate-argument",
                    format!("\"{path}{name}\" is set both as an argument and as blocks"),
                )
                .with_label(header, ""),
            );
            continue;
        }
        out.insert(
            name.to_string(),
            if is_set {
                Value::set(items)
            } else {
                Value::List(items)
            },
        );
    }
    for attr in &schema.attributes {
        if !out.contains_key(attr.name) {
            if attr.required {
                diags.push(
                    Diagnostic::error(
                        "missing-argument",
                        format!(
                            "the argument \"{path}{}\" is required, but no definition was found",
                            attr.name
                        ),
                    )
                    .with_label(header, format!("add {} = ...", attr.name)),
                );
            }
            out.insert(attr.name.to_string(), Value::Null);
        }
    }
    for (bt, items, unknown) in blocks {
        if unknown {
            out.insert(bt.name.to_string(), Value::Unknown);
            continue;
        }
        if bt.max_items > 0 && items.len() > bt.max_items {
            diags.push(
                Diagnostic::error(
                    "too-many-blocks",
                    format!(
                        "no more than {} \"{}{}\" block(s) are allowed, found {}",
                        bt.max_items,
                        path,
                        bt.name,
                        items.len()
                    ),
                )
                .with_label(header, ""),
            );
        }
        if items.len() < bt.min_items {
            diags.push(
                Diagnostic::error(
                    "missing-block",
                    format!(
                        "at least {} \"{}{}\" block(s) are required, found {}",
                        bt.min_items,
                        path,
                        bt.name,
                        items.len()
                    ),
                )
                .with_label(header, format!("add a {} block", bt.name)),
            );
        }
        let v = match bt.nesting {
            Nesting::Set => Value::set(items),
            Nesting::List => Value::List(items),
            Nesting::Single => items.into_iter().next().unwrap_or(Value::Null),
        };
        out.insert(bt.name.to_string(), v);
    }
    Value::Map(out)
}

fn expand_dynamic(
    env: &mut Env<'_>,
    b: &Block,
    bt: &BlockType,
    path: &str,
    diags: &mut Diagnostics,
) -> (Vec<Value>, bool) {
    let label = bt.name.to_string();
    let mut iterator = label.clone();
    let mut for_each = None;
    let mut content = None;
    let ident_span = env.span_of(&b.ident);
    for s in b.body.iter() {
        match s {
            Structure::Attribute(a) => {
                match a.key.as_str() {
                    "for_each" => for_each = Some(&a.value),
                    "iterator" => match &a.value {
                        Expression::Variable(v) => iterator = v.as_str().to_string(),
                        other => {
                            let sp = env.span_of(other);
                            diags.push(
                                Diagnostic::error(
                                    "invalid-iterator",
                                    "a dynamic block's iterator must be a name",
                                )
                                .with_label(sp, ""),
                            );
                        }
                    },
                    "labels" => {}
                    other => {
                        let sp = env.span_of(&a.key);
                        diags.push(Diagnostic::error("unsupported-argument", format!("an argument named \"{other}\" is not expected in a dynamic block")).with_label(sp, "expected for_each, iterator, labels or a content block"));
                    }
                }
            }
            Structure::Block(c) if c.ident.as_str() == "content" => content = Some(c),
            Structure::Block(c) => {
                let sp = env.span_of(&c.ident);
                diags.push(
                    Diagnostic::error(
                        "unsupported-block",
                        format!(
                            "a block named \"{}\" is not expected in a dynamic block",
                            c.ident.as_str()
                        ),
                    )
                    .with_label(sp, "put nested blocks inside content { }"),
                );
            }
        }
    }
    let Some(for_each) = for_each else {
        diags.push(
            Diagnostic::error("missing-argument", "a dynamic block needs for_each")
                .with_label(ident_span, ""),
        );
        return (Vec::new(), false);
    };
    let Some(content) = content else {
        diags.push(
            Diagnostic::error("missing-block", "a dynamic block needs a content block")
                .with_label(ident_span, ""),
        );
        return (Vec::new(), false);
    };
    let coll = match env.eval(for_each) {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            return (Vec::new(), true);
        }
    };
    let cspan = env.span_of(content);
    if coll.is_unknown() {
        // Check the content once with an unknown iterator so mistakes still show.
        env.bindings.push((
            iterator,
            Value::map([("key", Value::Unknown), ("value", Value::Unknown)]),
        ));
        let mut scratch = Diagnostics::new();
        let _ = eval_body(env, &content.body, &bt.body, cspan, path, &mut scratch);
        env.bindings.pop();
        diags.extend(scratch);
        return (Vec::new(), true);
    }
    let items = match iter_collection(&coll) {
        Some(items) => items,
        None if coll.is_null() => Vec::new(),
        None => {
            let sp = env.span_of(for_each);
            diags.push(
                Diagnostic::error(
                    "invalid-for-each",
                    format!(
                        "a dynamic block's for_each must be a collection, not {}",
                        coll.type_name()
                    ),
                )
                .with_label(sp, ""),
            );
            return (Vec::new(), false);
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (k, v) in items {
        env.bindings
            .push((iterator.clone(), Value::map([("key", k), ("value", v)])));
        let val = eval_body(env, &content.body, &bt.body, cspan, path, diags);
        env.bindings.pop();
        out.push(val);
    }
    (out, false)
}

fn unknown_name(
    schema: &SchemaBody,
    path: &str,
    name: &str,
    span: Span,
    is_block: bool,
) -> Diagnostic {
    let (code, msg) = if is_block {
        (
            "unsupported-block",
            format!("blocks of type \"{path}{name}\" are not expected here"),
        )
    } else {
        (
            "unsupported-argument",
            format!("an argument named \"{path}{name}\" is not expected here"),
        )
    };
    let mut d = Diagnostic::error(code, msg).with_label(span, "not in the schema");
    let names = schema
        .attributes
        .iter()
        .filter(|a| a.optional || a.required)
        .map(|a| a.name)
        .chain(schema.blocks.iter().map(|b| b.name));
    if let Some(s) = crate::config::suggest::did_you_mean(name, names) {
        d = d.with_help(format!("Did you mean \"{s}\"?"));
    } else {
        let nested = schema.find_nested(name);
        if let Some(p) = nested.first() {
            let block = p.rsplit_once('.').map(|(b, _)| b).unwrap_or(p);
            d = d.with_help(format!("\"{name}\" belongs inside a nested block: did you mean `{p}`? Write it as {block} {{ {name} = ... }}."));
        }
    }
    d
}

fn validate_value(
    v: &Value,
    checks: &[Validation],
    name: &str,
    span: Span,
    diags: &mut Diagnostics,
) {
    if !v.is_wholly_known() || v.is_null() {
        return;
    }
    for c in checks {
        let problem = match (c, v) {
            (
                Validation::OneOf {
                    values,
                    ignore_case,
                },
                Value::String(s),
            ) => {
                let ok = values.iter().any(|x| {
                    if *ignore_case {
                        x.eq_ignore_ascii_case(s)
                    } else {
                        x == s
                    }
                });
                (!ok).then(|| {
                    format!(
                        "expected one of {}, got {s:?}",
                        values
                            .iter()
                            .map(|x| format!("{x:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
            }
            (Validation::Length { min, max }, Value::String(s)) => {
                let n = s.chars().count();
                (n < *min || n > *max)
                    .then(|| format!("expected length between {min} and {max}, got {n}"))
            }
            (Validation::Range { min, max }, Value::Number(n)) => (n < min || n > max).then(|| {
                format!(
                    "expected a value between {} and {}, got {}",
                    crate::config::value::format_number(*min),
                    crate::config::value::format_number(*max),
                    crate::config::value::format_number(*n)
                )
            }),
            (Validation::Regex { pattern, message }, Value::String(s)) => {
                match cached_regex(pattern) {
                    Ok(re) if !re.is_match(s) => Some(message.to_string()),
                    _ => None,
                }
            }
            (Validation::Json, Value::String(s)) => serde_json::from_str::<serde_json::Value>(s)
                .err()
                .map(|e| format!("invalid JSON: {e}")),
            (Validation::Ipv4Cidr, Value::String(s)) => s
                .parse::<ipnet::Ipv4Net>()
                .err()
                .map(|_| format!("{s:?} is not a valid IPv4 CIDR block")),
            (Validation::Arn, Value::String(s)) => {
                let parts: Vec<&str> = s.splitn(6, ':').collect();
                (parts.len() < 6 || parts[0] != "arn").then(|| format!("{s:?} is not a valid ARN"))
            }
            _ => None,
        };
        if let Some(p) = problem {
            diags.push(
                Diagnostic::error(
                    "invalid-value",
                    format!("invalid value for \"{name}\": {p}"),
                )
                .with_label(span, ""),
            );
        }
    }
}

/// Schema patterns are `'static`; each is compiled once per process and kept for its life
/// (a clone per use would give every match a fresh, empty search cache).
fn cached_regex(pattern: &'static str) -> Result<&'static regex::Regex, regex::Error> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Cache = Mutex<HashMap<&'static str, Result<&'static regex::Regex, regex::Error>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = match cache.lock() {
        Ok(m) => m,
        Err(poisoned) => poisoned.into_inner(),
    };
    map.entry(pattern)
        .or_insert_with(|| regex::Regex::new(pattern).map(|r| &*Box::leak(Box::new(r))))
        .clone()
}
