//! Type conversion and time functions.

use super::util::str_arg;
use super::{FuncCtx, FuncDef, FuncError};
use crate::config::types::{convert, Type};
use crate::config::value::Value;
use chrono::{DateTime, Duration, Utc};

fn conv(a: &[Value], t: Type) -> Result<Value, FuncError> {
    convert(&a[0], &t).map_err(|m| {
        FuncError::arg(
            0,
            format!("cannot convert {} to {t}: {m}", a[0].type_name()),
        )
    })
}
fn tostring(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    conv(&a, Type::String)
}
fn tonumber(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    conv(&a, Type::Number)
}
fn tobool(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    conv(&a, Type::Bool)
}
fn tolist(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    conv(&a, Type::List(Box::new(Type::Any)))
}
fn toset(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if let Value::List(l) | Value::Set(l) = &a[0] {
        if l.iter().any(Value::is_unknown) {
            return Ok(Value::Unknown);
        }
    }
    conv(&a, Type::Set(Box::new(Type::Any)))
}
fn tomap(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    conv(&a, Type::Map(Box::new(Type::Any)))
}
fn identity(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(a[0].clone())
}
fn issensitive(_: &FuncCtx<'_>, _: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Bool(false))
}

fn timestamp(_: &FuncCtx<'_>, _: Vec<Value>) -> Result<Value, FuncError> {
    // Terraform's timestamp() is known only during apply.
    Ok(Value::Unknown)
}
fn plantimestamp(_: &FuncCtx<'_>, _: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::String(
        Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    ))
}
fn parse_ts(a: &[Value], i: usize) -> Result<DateTime<chrono::FixedOffset>, FuncError> {
    let s = str_arg(a, i)?;
    DateTime::parse_from_rfc3339(&s)
        .map_err(|e| FuncError::arg(i, format!("not a valid RFC 3339 timestamp: {e}")))
}
fn parse_duration(s: &str) -> Option<Duration> {
    let mut total = 0f64;
    let mut num = String::new();
    let mut rest = s;
    let neg = rest.starts_with('-');
    rest = rest.trim_start_matches(['-', '+']);
    let mut chars = rest.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let unit = match (c, chars.peek()) {
            ('h', _) => 3600.0,
            ('m', Some('s')) => {
                chars.next();
                0.001
            }
            ('m', _) => 60.0,
            ('s', _) => 1.0,
            _ => return None,
        };
        total += num.parse::<f64>().ok()? * unit;
        num.clear();
        any = true;
    }
    if !num.is_empty() || !any {
        return None;
    }
    let ms = (total * 1000.0) as i64;
    Some(Duration::milliseconds(if neg { -ms } else { ms }))
}
fn timeadd(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let t = parse_ts(&a, 0)?;
    let d = parse_duration(&str_arg(&a, 1)?).ok_or_else(|| {
        FuncError::arg(
            1,
            "invalid duration; use units h, m, s, ms such as \"1h30m\"",
        )
    })?;
    Ok(Value::String(
        (t + d).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    ))
}
fn timecmp(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let x = parse_ts(&a, 0)?;
    let y = parse_ts(&a, 1)?;
    Ok(Value::Number(match x.cmp(&y) {
        std::cmp::Ordering::Less => -1.0,
        std::cmp::Ordering::Equal => 0.0,
        std::cmp::Ordering::Greater => 1.0,
    }))
}
fn formatdate(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let spec = str_arg(&a, 0)?;
    let t = parse_ts(&a, 1)?;
    let mut out = String::new();
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let end = chars[i + 1..]
                .iter()
                .position(|x| *x == '\'')
                .map(|p| p + i + 1)
                .unwrap_or(chars.len());
            out.extend(&chars[i + 1..end]);
            i = end + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j] == c {
            j += 1;
        }
        let token: String = chars[i..j].iter().collect();
        let piece = match token.as_str() {
            "YYYY" => t.format("%Y").to_string(),
            "YY" => t.format("%y").to_string(),
            "MMMM" => t.format("%B").to_string(),
            "MMM" => t.format("%b").to_string(),
            "MM" => t.format("%m").to_string(),
            "M" => t.format("%-m").to_string(),
            "DD" => t.format("%d").to_string(),
            "D" => t.format("%-d").to_string(),
            "EEEE" => t.format("%A").to_string(),
            "EEE" => t.format("%a").to_string(),
            "hh" => t.format("%H").to_string(),
            "h" => t.format("%-H").to_string(),
            "HH" => t.format("%I").to_string(),
            "H" => t.format("%-I").to_string(),
            "AA" => t.format("%p").to_string(),
            "aa" => t.format("%P").to_string(),
            "mm" => t.format("%M").to_string(),
            "m" => t.format("%-M").to_string(),
            "ss" => t.format("%S").to_string(),
            "s" => t.format("%-S").to_string(),
            "ZZZZZ" => t.format("%:z").to_string(),
            "ZZZZ" => t.format("%z").to_string(),
            "ZZZ" => {
                if t.offset().local_minus_utc() == 0 {
                    "UTC".into()
                } else {
                    t.format("%z").to_string()
                }
            }
            "Z" => {
                if t.offset().local_minus_utc() == 0 {
                    "Z".into()
                } else {
                    t.format("%:z").to_string()
                }
            }
            other => {
                return Err(FuncError::arg(
                    0,
                    format!("invalid date format verb {other:?}"),
                ))
            }
        };
        out.push_str(&piece);
        i = j;
    }
    Ok(Value::String(out))
}

/// The conversion and time functions.
pub const DEFS: &[FuncDef] = &[
    FuncDef {
        name: "formatdate",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: formatdate,
    },
    FuncDef {
        name: "issensitive",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: true,
        call: issensitive,
    },
    FuncDef {
        name: "nonsensitive",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: true,
        call: identity,
    },
    FuncDef {
        name: "plantimestamp",
        min_args: 0,
        max_args: Some(0),
        handles_unknown: false,
        call: plantimestamp,
    },
    FuncDef {
        name: "sensitive",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: true,
        call: identity,
    },
    FuncDef {
        name: "timeadd",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: timeadd,
    },
    FuncDef {
        name: "timecmp",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: timecmp,
    },
    FuncDef {
        name: "timestamp",
        min_args: 0,
        max_args: Some(0),
        handles_unknown: true,
        call: timestamp,
    },
    FuncDef {
        name: "tobool",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: tobool,
    },
    FuncDef {
        name: "tolist",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: true,
        call: tolist,
    },
    FuncDef {
        name: "tomap",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: true,
        call: tomap,
    },
    FuncDef {
        name: "tonumber",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: tonumber,
    },
    FuncDef {
        name: "toset",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: true,
        call: toset,
    },
    FuncDef {
        name: "tostring",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: tostring,
    },
];
