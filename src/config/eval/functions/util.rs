//! Argument helpers shared by the function families.

use super::FuncError;
use crate::config::value::{format_number, Value};

/// Argument `i` as a string (numbers and bools convert, as Terraform does).
pub fn str_arg(args: &[Value], i: usize) -> Result<String, FuncError> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(format_number(*n)),
        Some(Value::Bool(b)) => Ok(b.to_string()),
        Some(Value::Null) => Err(FuncError::arg(i, "argument must not be null")),
        Some(v) => Err(FuncError::arg(
            i,
            format!("string required, got {}", v.type_name()),
        )),
        None => Err(FuncError::new("missing argument")),
    }
}

/// Argument `i` as a number (numeric strings convert).
pub fn num_arg(args: &[Value], i: usize) -> Result<f64, FuncError> {
    match args.get(i) {
        Some(Value::Number(n)) => Ok(*n),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| FuncError::arg(i, format!("a number is required, got {s:?}"))),
        Some(v) => Err(FuncError::arg(
            i,
            format!("number required, got {}", v.type_name()),
        )),
        None => Err(FuncError::new("missing argument")),
    }
}

/// Argument `i` as a whole number.
pub fn int_arg(args: &[Value], i: usize) -> Result<i64, FuncError> {
    let n = num_arg(args, i)?;
    if n.fract() != 0.0 {
        return Err(FuncError::arg(
            i,
            format!("a whole number is required, got {}", format_number(n)),
        ));
    }
    Ok(n as i64)
}

/// Argument `i` as a list or set.
pub fn list_arg(args: &[Value], i: usize) -> Result<Vec<Value>, FuncError> {
    match args.get(i) {
        Some(Value::List(l)) | Some(Value::Set(l)) => Ok(l.clone()),
        Some(v) => Err(FuncError::arg(
            i,
            format!("list required, got {}", v.type_name()),
        )),
        None => Err(FuncError::new("missing argument")),
    }
}

/// Argument `i` as a bool.
pub fn bool_arg(args: &[Value], i: usize) -> Result<bool, FuncError> {
    match args.get(i) {
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s == "true" => Ok(true),
        Some(Value::String(s)) if s == "false" => Ok(false),
        Some(v) => Err(FuncError::arg(
            i,
            format!("bool required, got {}", v.type_name()),
        )),
        None => Err(FuncError::new("missing argument")),
    }
}
