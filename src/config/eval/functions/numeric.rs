//! Numeric functions: abs, ceil, floor, log, max, min, parseint, pow, signum.

use super::{arg_err, int_arg, num_arg, FuncCtx, FuncError};
use crate::config::value::Value;

pub(super) fn abs(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Number(num_arg(&a, 0, "num")?.abs() + 0.0))
}

pub(super) fn ceil(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Number(num_arg(&a, 0, "num")?.ceil() + 0.0))
}

pub(super) fn floor(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Number(num_arg(&a, 0, "num")?.floor() + 0.0))
}

pub(super) fn log(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let num = num_arg(&a, 0, "num")?;
    let base = num_arg(&a, 1, "base")?;
    Ok(Value::Number(num.ln() / base.ln()))
}

fn numbers(a: &[Value]) -> Result<Vec<f64>, FuncError> {
    if a.is_empty() {
        return Err(FuncError::new("must pass at least one number"));
    }
    (0..a.len()).map(|i| num_arg(a, i, "numbers")).collect()
}

pub(super) fn max(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let ns = numbers(&a)?;
    Ok(Value::Number(
        ns.into_iter().fold(f64::NEG_INFINITY, f64::max),
    ))
}

pub(super) fn min(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let ns = numbers(&a)?;
    Ok(Value::Number(ns.into_iter().fold(f64::INFINITY, f64::min)))
}

pub(super) fn parseint(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let text = match a.first() {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) => return Err(arg_err(0, "number", "argument must not be null")),
        _ => return Err(arg_err(0, "number", "string required")),
    };
    let base = int_arg(&a, 1, "base")?;
    if !(2..=62).contains(&base) {
        return Err(arg_err(
            1,
            "base",
            "base must be a whole number between 2 and 62 inclusive",
        ));
    }
    let fail = || {
        arg_err(
            0,
            "number",
            format!("cannot parse {text:?} as a base {base} integer"),
        )
    };
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    if digits.is_empty() {
        return Err(fail());
    }
    let mut acc = 0f64;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as i64 - '0' as i64,
            'a'..='z' => c as i64 - 'a' as i64 + 10,
            'A'..='Z' if base <= 36 => c as i64 - 'A' as i64 + 10,
            'A'..='Z' => c as i64 - 'A' as i64 + 36,
            _ => return Err(fail()),
        };
        if d >= base {
            return Err(fail());
        }
        acc = acc * base as f64 + d as f64;
    }
    Ok(Value::Number(if neg { -acc } else { acc }))
}

pub(super) fn pow(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Number(
        num_arg(&a, 0, "num")?.powf(num_arg(&a, 1, "power")?),
    ))
}

pub(super) fn signum(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let n = int_arg(&a, 0, "num").map_err(|_| {
        FuncError::new(
            "value must be a whole number, between -9223372036854775808 and 9223372036854775807",
        )
    })?;
    Ok(Value::Number(n.signum() as f64))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;

    #[test]
    fn basics() {
        assert_eq!(ok("abs", vec![n(-12.4)]), n(12.4));
        assert_eq!(ok("abs", vec![n(-0.0)]).to_string(), "0");
        assert_eq!(ok("ceil", vec![n(5.1)]), n(6.0));
        assert_eq!(ok("floor", vec![n(-4.9)]), n(-5.0));
        assert_eq!(ok("floor", vec![s("4.9")]), n(4.0));
        assert_eq!(ok("log", vec![n(8.0), n(2.0)]), n(3.0));
        assert_eq!(ok("log", vec![n(16.0), n(4.0)]), n(2.0));
        assert_eq!(ok("max", vec![n(12.0), n(54.0), n(3.0)]), n(54.0));
        assert_eq!(ok("min", vec![n(12.0), s("-3"), n(3.0)]), n(-3.0));
        assert_eq!(ok("pow", vec![n(3.0), n(2.0)]), n(9.0));
        assert_eq!(ok("pow", vec![n(2.0), n(0.5)]), n(std::f64::consts::SQRT_2));
        assert_eq!(ok("signum", vec![n(-13.0)]), n(-1.0));
        assert_eq!(ok("signum", vec![n(0.0)]), n(0.0));
    }

    #[test]
    fn errors() {
        assert_eq!(err("max", vec![]).message, "must pass at least one number");
        assert_eq!(
            err("abs", vec![s("x")]).message,
            "Invalid value for \"num\" parameter: a number is required."
        );
        assert!(err("signum", vec![n(-0.5)])
            .message
            .contains("whole number"));
        assert_eq!(err("abs", vec![Value::Bool(true)]).arg, Some(0));
    }

    #[test]
    fn parseint_bases() {
        assert_eq!(ok("parseint", vec![s("100"), n(10.0)]), n(100.0));
        assert_eq!(ok("parseint", vec![s("FF"), n(16.0)]), n(255.0));
        assert_eq!(ok("parseint", vec![s("-10"), n(16.0)]), n(-16.0));
        assert_eq!(
            ok("parseint", vec![s("1011111011101111"), n(2.0)]),
            n(48879.0)
        );
        assert_eq!(ok("parseint", vec![s("-zz"), n(36.0)]), n(-1295.0));
        assert_eq!(
            ok("parseint", vec![s("aA"), n(62.0)]),
            n((10 * 62 + 36) as f64)
        );
        let e = err("parseint", vec![s("12"), n(2.0)]);
        assert_eq!(
            e.message,
            "Invalid value for \"number\" parameter: cannot parse \"12\" as a base 2 integer."
        );
        assert!(err("parseint", vec![s(""), n(10.0)])
            .message
            .contains("cannot parse \"\" as a base 10"));
        assert!(err("parseint", vec![s("0x10"), n(16.0)])
            .message
            .contains("cannot parse"));
        assert_eq!(e.arg, Some(0));
        let e = err("parseint", vec![s("1"), n(63.0)]);
        assert_eq!(e.arg, Some(1));
        assert!(err("parseint", vec![n(1.0), n(10.0)])
            .message
            .contains("string required"));
    }

    #[test]
    fn unknown() {
        assert_eq!(ok("max", vec![n(1.0), Value::Unknown]), Value::Unknown);
    }
}
