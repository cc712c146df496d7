//! Numeric functions: abs ceil floor log max min parseint pow signum.

use super::util::{num_arg, str_arg};
use super::{FuncCtx, FuncDef, FuncError};
use crate::config::value::Value;

fn abs(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Number(num_arg(&a, 0)?.abs()))
}
fn ceil(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Number(num_arg(&a, 0)?.ceil()))
}
fn floor(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Number(num_arg(&a, 0)?.floor()))
}
fn log(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Number(num_arg(&a, 0)?.ln() / num_arg(&a, 1)?.ln()))
}
fn pow(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Number(num_arg(&a, 0)?.powf(num_arg(&a, 1)?)))
}
fn signum(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let n = num_arg(&a, 0)?;
    Ok(Value::Number(if n > 0.0 {
        1.0
    } else if n < 0.0 {
        -1.0
    } else {
        0.0
    }))
}
fn extremum(a: &[Value], max: bool) -> Result<Value, FuncError> {
    if a.is_empty() {
        return Err(FuncError::new("at least one number is required"));
    }
    let mut best = num_arg(a, 0)?;
    for i in 1..a.len() {
        let n = num_arg(a, i)?;
        if (max && n > best) || (!max && n < best) {
            best = n;
        }
    }
    Ok(Value::Number(best))
}
fn max(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    extremum(&a, true)
}
fn min(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    extremum(&a, false)
}
fn parseint(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0)?;
    let base = num_arg(&a, 1)? as u32;
    if !(2..=62).contains(&base) {
        return Err(FuncError::arg(
            1,
            "base must be a whole number between 2 and 62",
        ));
    }
    let (neg, digits) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    let mut n: f64 = 0.0;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 10,
            'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
            'A'..='Z' => c as u32 - 'A' as u32 + 36,
            _ => u32::MAX,
        };
        if d >= base {
            return Err(FuncError::arg(
                0,
                format!("cannot parse {s:?} as a base {base} integer"),
            ));
        }
        n = n * base as f64 + d as f64;
    }
    if digits.is_empty() {
        return Err(FuncError::arg(
            0,
            format!("cannot parse {s:?} as a base {base} integer"),
        ));
    }
    Ok(Value::Number(if neg { -n } else { n }))
}

/// The numeric functions.
pub const DEFS: &[FuncDef] = &[
    FuncDef {
        name: "abs",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: abs,
    },
    FuncDef {
        name: "ceil",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: ceil,
    },
    FuncDef {
        name: "floor",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: floor,
    },
    FuncDef {
        name: "log",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: log,
    },
    FuncDef {
        name: "max",
        min_args: 1,
        max_args: None,
        handles_unknown: false,
        call: max,
    },
    FuncDef {
        name: "min",
        min_args: 1,
        max_args: None,
        handles_unknown: false,
        call: min,
    },
    FuncDef {
        name: "parseint",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: parseint,
    },
    FuncDef {
        name: "pow",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: pow,
    },
    FuncDef {
        name: "signum",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: signum,
    },
];
