//! Type conversion functions: tobool, tolist, tomap, tonumber, toset, tostring, and the
//! sensitivity functions. Values here carry no sensitivity marks (the evaluator tracks
//! sensitivity separately), so `sensitive` and `nonsensitive` return their argument and
//! `issensitive` is always false.

use super::{arg_err, conv_string, parse_number, unify, FuncCtx, FuncError};
use crate::config::value::Value;

fn first(a: Vec<Value>) -> Value {
    a.into_iter().next().unwrap_or(Value::Null)
}

pub(super) fn passthrough(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(first(a))
}

pub(super) fn issensitive(_: &FuncCtx<'_>, _a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Bool(false))
}

pub(super) fn tostring(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    match first(a) {
        Value::Null => Ok(Value::Null),
        v => conv_string(&v).map(Value::String).ok_or_else(|| {
            arg_err(
                0,
                "v",
                format!("cannot convert {} to string", v.type_name()),
            )
        }),
    }
}

pub(super) fn tonumber(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    match first(a) {
        Value::Null => Ok(Value::Null),
        Value::Number(n) => Ok(Value::Number(n)),
        Value::String(s) => parse_number(&s).map(Value::Number).ok_or_else(|| {
            arg_err(
                0,
                "v",
                format!("cannot convert {s:?} to number; given string must be a decimal representation of a number"),
            )
        }),
        v => Err(arg_err(0, "v", format!("cannot convert {} to number", v.type_name()))),
    }
}

pub(super) fn tobool(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    match first(a) {
        Value::Null => Ok(Value::Null),
        Value::Bool(b) => Ok(Value::Bool(b)),
        Value::String(s) if s == "true" => Ok(Value::Bool(true)),
        Value::String(s) if s == "false" => Ok(Value::Bool(false)),
        Value::String(s) => Err(arg_err(
            0,
            "v",
            format!(
                "cannot convert {s:?} to bool; only the strings \"true\" or \"false\" are allowed"
            ),
        )),
        v => Err(arg_err(
            0,
            "v",
            format!("cannot convert {} to bool", v.type_name()),
        )),
    }
}

fn seq(v: &Value, what: &str) -> Result<Option<Vec<Value>>, FuncError> {
    match v {
        Value::Null | Value::Unknown => Ok(None),
        Value::List(items) | Value::Set(items) => unify(items).map(Some).map_err(|_| {
            arg_err(
                0,
                "v",
                format!(
                    "cannot convert {} to {what} of any single type",
                    v.type_name()
                ),
            )
        }),
        other => Err(arg_err(
            0,
            "v",
            format!(
                "cannot convert {} to {what} of any single type",
                other.type_name()
            ),
        )),
    }
}

pub(super) fn tolist(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let v = first(a);
    Ok(match seq(&v, "list")? {
        Some(items) => Value::List(items),
        None => v,
    })
}

pub(super) fn toset(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let v = first(a);
    Ok(match seq(&v, "set")? {
        Some(items) => Value::set(items),
        None => v,
    })
}

pub(super) fn tomap(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    match first(a) {
        v @ (Value::Null | Value::Unknown) => Ok(v),
        Value::Map(m) => {
            let vals: Vec<Value> = m.values().cloned().collect();
            let unified = unify(&vals)
                .map_err(|_| arg_err(0, "v", "cannot convert object to map of any single type"))?;
            Ok(Value::Map(m.keys().cloned().zip(unified).collect()))
        }
        other => Err(arg_err(
            0,
            "v",
            format!(
                "cannot convert {} to map of any single type",
                other.type_name()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;

    #[test]
    fn primitives() {
        assert_eq!(ok("tostring", vec![n(1e21)]), s("1000000000000000000000"));
        assert_eq!(ok("tostring", vec![Value::Bool(true)]), s("true"));
        assert_eq!(ok("tostring", vec![Value::Null]), Value::Null);
        assert_eq!(
            err("tostring", vec![sl(&["a"])]).message,
            "Invalid value for \"v\" parameter: cannot convert tuple to string."
        );
        assert_eq!(ok("tonumber", vec![s("1e3")]), n(1000.0));
        assert_eq!(ok("tonumber", vec![s("-2.5")]), n(-2.5));
        assert_eq!(
            err("tonumber", vec![s("0x10")]).message,
            "Invalid value for \"v\" parameter: cannot convert \"0x10\" to number; given string must be a decimal representation of a number."
        );
        assert!(err("tonumber", vec![s(" 5")])
            .message
            .contains("decimal representation"));
        assert_eq!(ok("tobool", vec![s("true")]), Value::Bool(true));
        assert!(err("tobool", vec![s("yes")])
            .message
            .contains("only the strings"));
        assert_eq!(ok("tostring", vec![Value::Unknown]), Value::Unknown);
    }

    #[test]
    fn collections() {
        assert_eq!(
            ok(
                "tolist",
                vec![Value::List(vec![s("a"), n(1.0), Value::Bool(true)])]
            ),
            sl(&["a", "1", "true"])
        );
        assert_eq!(
            ok("tolist", vec![Value::set(vec![s("b"), s("a")])]),
            sl(&["a", "b"])
        );
        assert_eq!(
            ok("tolist", vec![Value::List(vec![Value::Unknown, s("a")])]),
            Value::List(vec![Value::Unknown, s("a")])
        );
        assert!(err("tolist", vec![Value::map([("a", n(1.0))])])
            .message
            .contains("cannot convert object to list"));
        assert_eq!(
            ok("toset", vec![sl(&["b", "a", "b"])]),
            Value::set(vec![s("a"), s("b")])
        );
        assert_eq!(
            ok("tomap", vec![Value::map([("a", n(1.0)), ("b", s("x"))])]),
            Value::map([("a", s("1")), ("b", s("x"))])
        );
        assert!(err("tomap", vec![sl(&["a"])])
            .message
            .contains("cannot convert tuple to map"));
        assert_eq!(ok("tolist", vec![Value::Unknown]), Value::Unknown);
    }

    #[test]
    fn sensitivity_is_transparent() {
        assert_eq!(ok("sensitive", vec![s("x")]), s("x"));
        assert_eq!(ok("nonsensitive", vec![Value::Unknown]), Value::Unknown);
        assert_eq!(ok("issensitive", vec![s("x")]), Value::Bool(false));
    }
}
