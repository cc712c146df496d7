//! Type constraints of input variables (`list(string)`, `object({a = optional(number, 1)})`) and
//! Terraform's conversion of a value to a type.

use crate::config::value::{format_number, Map, Value};
use hcl_edit::expr::{Expression, ObjectKey};
use std::fmt;

/// A type constraint.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// `any`: no conversion.
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    Object(Vec<ObjectAttr>),
}

/// One attribute of an object type.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectAttr {
    /// Attribute name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Declared with `optional(...)`.
    pub optional: bool,
    /// The default given to `optional(T, default)`.
    pub default: Option<Value>,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Any => f.write_str("any"),
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::List(t) => write!(f, "list of {t}"),
            Type::Set(t) => write!(f, "set of {t}"),
            Type::Map(t) => write!(f, "map of {t}"),
            Type::Tuple(_) => f.write_str("tuple"),
            Type::Object(_) => f.write_str("object"),
        }
    }
}

/// Parses a type constraint expression.
///
/// # Errors
/// A message naming what is not a type.
pub fn parse_type(
    expr: &Expression,
    eval_default: &dyn Fn(&Expression) -> Result<Value, String>,
) -> Result<Type, String> {
    match expr {
        Expression::Variable(v) => match v.as_str() {
            "any" => Ok(Type::Any),
            "string" => Ok(Type::String),
            "number" => Ok(Type::Number),
            "bool" => Ok(Type::Bool),
            "list" => Ok(Type::List(Box::new(Type::Any))),
            "map" => Ok(Type::Map(Box::new(Type::Any))),
            "set" => Ok(Type::Set(Box::new(Type::Any))),
            other => Err(format!(
                "the keyword \"{other}\" is not a valid type constraint"
            )),
        },
        // Legacy quoted forms from Terraform 0.11.
        Expression::String(s) => match s.as_str() {
            "string" => Ok(Type::String),
            "list" => Ok(Type::List(Box::new(Type::Any))),
            "map" => Ok(Type::Map(Box::new(Type::Any))),
            other => Err(format!("\"{other}\" is not a valid type constraint")),
        },
        Expression::FuncCall(call) => {
            let name = call.name.name.as_str();
            let args: Vec<&Expression> = call.args.iter().collect();
            let one = |args: &[&Expression]| -> Result<Type, String> {
                match args {
                    [a] => parse_type(a, eval_default),
                    _ => Err(format!("{name}(...) takes exactly one element type")),
                }
            };
            match name {
                "list" => Ok(Type::List(Box::new(one(&args)?))),
                "set" => Ok(Type::Set(Box::new(one(&args)?))),
                "map" => Ok(Type::Map(Box::new(one(&args)?))),
                "tuple" => match args.as_slice() {
                    [Expression::Array(a)] => Ok(Type::Tuple(
                        a.iter()
                            .map(|e| parse_type(e, eval_default))
                            .collect::<Result<_, _>>()?,
                    )),
                    _ => Err("tuple(...) takes a list of element types".into()),
                },
                "object" => match args.as_slice() {
                    [Expression::Object(o)] => {
                        let mut attrs = Vec::new();
                        for (k, v) in o.iter() {
                            let key = match k {
                                ObjectKey::Ident(i) => i.as_str().to_string(),
                                ObjectKey::Expression(Expression::String(s)) => {
                                    s.as_str().to_string()
                                }
                                ObjectKey::Expression(Expression::Variable(i)) => {
                                    i.as_str().to_string()
                                }
                                _ => return Err("object attribute names must be names".into()),
                            };
                            let (ty, optional, default) = match v.expr() {
                                Expression::FuncCall(c) if c.name.name.as_str() == "optional" => {
                                    let a: Vec<&Expression> = c.args.iter().collect();
                                    match a.as_slice() {
                                        [t] => (parse_type(t, eval_default)?, true, None),
                                        [t, d] => {
                                            let ty = parse_type(t, eval_default)?;
                                            let dv = eval_default(d)?;
                                            let dv = convert(&dv, &ty).map_err(|e| {
                                                format!("invalid default for optional attribute \"{key}\": {e}")
                                            })?;
                                            (ty, true, Some(dv))
                                        }
                                        _ => return Err(
                                            "optional(...) takes a type and an optional default"
                                                .into(),
                                        ),
                                    }
                                }
                                e => (parse_type(e, eval_default)?, false, None),
                            };
                            attrs.push(ObjectAttr {
                                name: key,
                                ty,
                                optional,
                                default,
                            });
                        }
                        Ok(Type::Object(attrs))
                    }
                    _ => Err("object(...) takes an object of attribute types".into()),
                },
                "optional" => Err("optional(...) is only allowed inside object(...)".into()),
                other => Err(format!("\"{other}\" is not a type constructor")),
            }
        }
        Expression::Parenthesis(p) => parse_type(p.inner(), eval_default),
        _ => Err("a type constraint is a type keyword or constructor such as list(string)".into()),
    }
}

/// Converts a value to a type as Terraform does for input variables and arguments.
///
/// # Errors
/// A message in Terraform's words, e.g. "list of string required".
pub fn convert(v: &Value, ty: &Type) -> Result<Value, String> {
    if v.is_unknown() || v.is_null() {
        return Ok(v.clone());
    }
    match ty {
        Type::Any => Ok(v.clone()),
        Type::String => match v {
            Value::String(_) => Ok(v.clone()),
            Value::Number(n) => Ok(Value::String(format_number(*n))),
            Value::Bool(b) => Ok(Value::String(b.to_string())),
            _ => Err("string required".into()),
        },
        Type::Number => match v {
            Value::Number(_) => Ok(v.clone()),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Value::Number)
                .ok_or_else(|| "a number is required".into()),
            _ => Err("number required".into()),
        },
        Type::Bool => match v {
            Value::Bool(_) => Ok(v.clone()),
            Value::String(s) if s == "true" => Ok(Value::Bool(true)),
            Value::String(s) if s == "false" => Ok(Value::Bool(false)),
            _ => Err("bool required".into()),
        },
        Type::List(et) => match v {
            Value::List(items) | Value::Set(items) => Ok(Value::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, e)| convert(e, et).map_err(|m| format!("element {i}: {m}")))
                    .collect::<Result<_, _>>()?,
            )),
            _ => Err(format!("{ty} required")),
        },
        Type::Set(et) => match v {
            Value::List(items) | Value::Set(items) => Ok(Value::set(
                items
                    .iter()
                    .map(|e| convert(e, et))
                    .collect::<Result<_, _>>()?,
            )),
            _ => Err(format!("{ty} required")),
        },
        Type::Map(et) => match v {
            Value::Map(m) => Ok(Value::Map(
                m.iter()
                    .map(|(k, e)| {
                        convert(e, et)
                            .map(|c| (k.clone(), c))
                            .map_err(|m| format!("element {k:?}: {m}"))
                    })
                    .collect::<Result<_, _>>()?,
            )),
            _ => Err(format!("{ty} required")),
        },
        Type::Tuple(ts) => match v {
            Value::List(items) | Value::Set(items) if items.len() == ts.len() => Ok(Value::List(
                items
                    .iter()
                    .zip(ts)
                    .enumerate()
                    .map(|(i, (e, t))| convert(e, t).map_err(|m| format!("element {i}: {m}")))
                    .collect::<Result<_, _>>()?,
            )),
            _ => Err(format!("tuple with {} elements required", ts.len())),
        },
        Type::Object(attrs) => match v {
            Value::Map(m) => {
                let mut out = Map::new();
                for a in attrs {
                    match m.get(&a.name) {
                        Some(e) if !e.is_null() => {
                            let c = convert(e, &a.ty)
                                .map_err(|msg| format!("attribute {:?}: {msg}", a.name))?;
                            out.insert(a.name.clone(), c);
                        }
                        Some(_) | None if a.optional => {
                            let d = a.default.clone().unwrap_or(Value::Null);
                            let d = if d.is_null() { d } else { convert(&d, &a.ty)? };
                            out.insert(a.name.clone(), d);
                        }
                        Some(_) => {
                            out.insert(a.name.clone(), Value::Null);
                        }
                        None => return Err(format!("attribute {:?} is required", a.name)),
                    }
                }
                Ok(Value::Map(out))
            }
            _ => Err("object required".into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(src: &str) -> Type {
        let e = hcl_edit::parser::parse_expr(src).unwrap();
        parse_type(&e, &|e| match e {
            Expression::Number(n) => Ok(Value::Number(n.as_f64().unwrap_or(0.0))),
            Expression::String(s) => Ok(Value::string(s.as_str())),
            Expression::Bool(b) => Ok(Value::Bool(*b.value())),
            _ => Ok(Value::Null),
        })
        .unwrap()
    }

    #[test]
    fn parses_nested_types() {
        assert_eq!(ty("list(string)"), Type::List(Box::new(Type::String)));
        assert_eq!(ty("\"string\""), Type::String);
        let o = ty("object({a = string, b = optional(number, 3)})");
        let Type::Object(attrs) = o else { panic!() };
        assert_eq!(attrs[1].default, Some(Value::Number(3.0)));
        assert!(attrs[1].optional);
    }

    #[test]
    fn string_is_not_a_list() {
        let err = convert(&Value::string("a,b"), &ty("list(string)")).unwrap_err();
        assert_eq!(err, "list of string required");
    }

    #[test]
    fn converts_primitives_like_terraform() {
        assert_eq!(
            convert(&Value::Number(64.0), &Type::String).unwrap(),
            Value::string("64")
        );
        assert_eq!(
            convert(&Value::string("12"), &Type::Number).unwrap(),
            Value::Number(12.0)
        );
        assert!(convert(&Value::string("x"), &Type::Number).is_err());
        assert_eq!(
            convert(&Value::string("true"), &Type::Bool).unwrap(),
            Value::Bool(true)
        );
    }

    #[test]
    fn object_optional_defaults_fill_in() {
        let t = ty("object({a = string, b = optional(number, 3), c = optional(string)})");
        let v = convert(&Value::map([("a", Value::string("x"))]), &t).unwrap();
        assert_eq!(v.get("b"), Some(&Value::Number(3.0)));
        assert_eq!(v.get("c"), Some(&Value::Null));
        assert!(convert(&Value::map([("b", Value::Number(1.0))]), &t).is_err());
    }

    #[test]
    fn sets_dedupe() {
        let v = convert(
            &Value::List(vec!["a".into(), "a".into()]),
            &Type::Set(Box::new(Type::String)),
        )
        .unwrap();
        assert_eq!(v, Value::Set(vec!["a".into()]));
    }
}
