//! Encoding functions: JSON, base64, CSV, URL.

use super::util::str_arg;
use super::{FuncCtx, FuncDef, FuncError};
use crate::config::value::{Map, Value};
use base64::Engine;

/// Terraform's `jsonencode`: compact, keys sorted, `<`, `>` and `&` escaped.
pub fn json_encode(v: &Value) -> String {
    let s = serde_json::to_string(&sorted(v.to_json())).unwrap_or_default();
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn sorted(j: serde_json::Value) -> serde_json::Value {
    match j {
        serde_json::Value::Object(o) => {
            let mut pairs: Vec<(String, serde_json::Value)> =
                o.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(pairs.into_iter().collect())
        }
        serde_json::Value::Array(a) => {
            serde_json::Value::Array(a.into_iter().map(sorted).collect())
        }
        other => other,
    }
}

fn jsonencode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::String(json_encode(&a[0])))
}
fn jsondecode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0)?;
    let j: serde_json::Value =
        serde_json::from_str(&s).map_err(|e| FuncError::arg(0, format!("invalid JSON: {e}")))?;
    Ok(Value::from_json(&j))
}
fn base64encode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::String(
        base64::engine::general_purpose::STANDARD.encode(str_arg(&a, 0)?),
    ))
}
fn base64decode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(str_arg(&a, 0)?)
        .map_err(|e| FuncError::arg(0, format!("failed to decode base64 data: {e}")))?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        FuncError::arg(
            0,
            "the result of decoding the provided string is not valid UTF-8",
        )
    })
}
fn base64gzip(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(str_arg(&a, 0)?.as_bytes())
        .map_err(|e| FuncError::new(e.to_string()))?;
    let bytes = enc.finish().map_err(|e| FuncError::new(e.to_string()))?;
    Ok(Value::String(
        base64::engine::general_purpose::STANDARD.encode(bytes),
    ))
}
fn textencodebase64(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let enc = str_arg(&a, 1)?;
    if !enc.eq_ignore_ascii_case("UTF-8") {
        return Err(FuncError::arg(
            1,
            format!("encoding {enc:?} is not supported; use UTF-8"),
        ));
    }
    base64encode(
        &FuncCtx {
            module_dir: std::path::Path::new("."),
            root_dir: std::path::Path::new("."),
            cwd: std::path::Path::new("."),
        },
        a,
    )
}
fn textdecodebase64(ctx: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let enc = str_arg(&a, 1)?;
    if !enc.eq_ignore_ascii_case("UTF-8") {
        return Err(FuncError::arg(
            1,
            format!("encoding {enc:?} is not supported; use UTF-8"),
        ));
    }
    base64decode(ctx, a)
}
fn urlencode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0)?;
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(Value::String(out))
}
fn csvdecode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    let Some(header) = rows.first().cloned() else {
        return Err(FuncError::arg(0, "missing header line"));
    };
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate().skip(1) {
        if r.len() != header.len() {
            return Err(FuncError::arg(
                0,
                format!("line {}: wrong number of fields", i + 1),
            ));
        }
        out.push(Value::Map(
            header
                .iter()
                .cloned()
                .zip(r.iter().map(|f| Value::string(f.as_str())))
                .collect::<Map>(),
        ));
    }
    Ok(Value::List(out))
}

/// The encoding functions.
pub const DEFS: &[FuncDef] = &[
    FuncDef {
        name: "base64decode",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: base64decode,
    },
    FuncDef {
        name: "base64encode",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: base64encode,
    },
    FuncDef {
        name: "base64gzip",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: base64gzip,
    },
    FuncDef {
        name: "csvdecode",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: csvdecode,
    },
    FuncDef {
        name: "jsondecode",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: jsondecode,
    },
    FuncDef {
        name: "jsonencode",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: jsonencode,
    },
    FuncDef {
        name: "textdecodebase64",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: textdecodebase64,
    },
    FuncDef {
        name: "textencodebase64",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: textencodebase64,
    },
    FuncDef {
        name: "urlencode",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: urlencode,
    },
];
