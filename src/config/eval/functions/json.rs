//! `jsonencode` and `jsondecode`, with Terraform's exact encoding: compact, object keys
//! sorted, numbers in plain decimal, and `<`, `>`, `&`, U+2028 and U+2029 escaped as Go's
//! encoder escapes them.

use super::{str_arg, FuncCtx, FuncError};
use crate::config::value::{format_number, Value};

pub(super) fn jsonencode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let v = a.into_iter().next().unwrap_or(Value::Null);
    if !v.is_wholly_known() {
        return Ok(Value::Unknown);
    }
    Ok(Value::String(encode(&v)))
}

pub(super) fn jsondecode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let text = str_arg(&a, 0, "str")?;
    decode(&text).map_err(FuncError::new)
}

/// Decodes JSON text into a value (objects become maps).
///
/// # Errors
/// A message like Terraform's when the text is not one JSON value.
pub(crate) fn decode(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Err("EOF".into());
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let j: serde_json::Value = match serde::Deserialize::deserialize(&mut de) {
        Ok(j) => j,
        Err(e) if e.is_eof() => return Err("EOF".into()),
        Err(e) => return Err(e.to_string()),
    };
    if de.end().is_err() {
        return Err("extraneous data after JSON object".into());
    }
    Ok(Value::from_json(&j))
}

/// Encodes a value as Terraform's `jsonencode` does. Unknowns encode as `null`; callers
/// check [`Value::is_wholly_known`] first.
pub fn encode(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null | Value::Unknown => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&format_number(*n)),
        Value::String(s) => write_string(out, s),
        Value::List(items) | Value::Set(items) => {
            out.push('[');
            for (i, e) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, e);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, e)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, e);
            }
            out.push('}');
        }
    }
}

/// Writes a JSON string literal with Go's `encoding/json` escapes.
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;

    #[test]
    fn encode_matches_terraform() {
        let v = Value::map([
            ("b", s("<a>&")),
            ("a", n(1.5)),
            ("c", nl(&[1.0, 2.0])),
            ("d", Value::Null),
            ("e", Value::set(vec![s("z"), s("a")])),
        ]);
        assert_eq!(
            ok("jsonencode", vec![v]),
            s(r#"{"a":1.5,"b":"\u003ca\u003e\u0026","c":[1,2],"d":null,"e":["a","z"]}"#)
        );
        assert_eq!(
            ok("jsonencode", vec![s("\u{8}\u{c}\u{1f} \u{2028}\u{7f}é")]),
            s("\"\\b\\f\\u001f \\u2028\u{7f}é\"")
        );
        assert_eq!(ok("jsonencode", vec![n(1e20)]), s("100000000000000000000"));
        assert_eq!(ok("jsonencode", vec![n(0.0000001)]), s("0.0000001"));
        assert_eq!(ok("jsonencode", vec![n(-0.5)]), s("-0.5"));
        assert_eq!(ok("jsonencode", vec![Value::Null]), s("null"));
    }

    #[test]
    fn encode_of_unknown_is_unknown() {
        assert_eq!(
            ok("jsonencode", vec![Value::map([("a", Value::Unknown)])]),
            Value::Unknown
        );
    }

    #[test]
    fn decode() {
        assert_eq!(
            ok(
                "jsondecode",
                vec![s(r#"{"hello": "world", "n": [1, 2.5, true, null]}"#)]
            ),
            Value::map([
                ("hello", s("world")),
                (
                    "n",
                    Value::List(vec![n(1.0), n(2.5), Value::Bool(true), Value::Null])
                ),
            ])
        );
        assert_eq!(ok("jsondecode", vec![s("true")]), Value::Bool(true));
        assert_eq!(err("jsondecode", vec![s("{\"a\":1")]).message, "EOF");
        assert_eq!(err("jsondecode", vec![s("")]).message, "EOF");
        assert_eq!(
            err("jsondecode", vec![s("[1,2] x")]).message,
            "extraneous data after JSON object"
        );
        assert!(err("jsondecode", vec![s("{x}")])
            .message
            .contains("key must be a string"));
    }
}
