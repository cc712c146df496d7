//! `format` and `formatlist`: printf-style formatting with the verbs Terraform supports
//! (`%v %#v %t %s %q %d %b %o %x %X %e %E %f %F %g %G %%`), flags (`+ - # 0` and space),
//! widths, precisions and explicit argument indexes (`%[n]d`).

use super::json::encode as json_encode;
use super::{arg_err, conv_string, parse_number, str_arg, FuncCtx, FuncError};
use crate::config::value::{format_number, Value};

pub(super) fn format(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let fmt = str_arg(&a, 0, "format")?;
    format_str(&fmt, &a[1..]).map(Value::String)
}

pub(super) fn formatlist(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let fmt = str_arg(&a, 0, "format")?;
    let rest = &a[1..];
    let mut len: Option<(usize, usize)> = None; // (length, argument number)
    for (i, v) in rest.iter().enumerate() {
        if let Some(items) = v.as_list() {
            match len {
                None => len = Some((items.len(), i + 1)),
                Some((l, first)) if l != items.len() => {
                    return Err(arg_err(
                        i + 1,
                        "args",
                        format!(
                            "argument {} has length {}, which is inconsistent with argument {} of length {}",
                            i + 1,
                            items.len(),
                            first,
                            l
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
    }
    let count = len.map_or(1, |(l, _)| l);
    let mut out = Vec::with_capacity(count);
    for row in 0..count {
        let args: Vec<Value> = rest
            .iter()
            .map(|v| match v.as_list() {
                Some(items) => items[row].clone(),
                None => v.clone(),
            })
            .collect();
        if !args.iter().all(Value::is_wholly_known) {
            out.push(Value::Unknown);
            continue;
        }
        let text = format_str(&fmt, &args).map_err(|e| FuncError {
            message: format!("error on format iteration {row}: {}", e.message),
            arg: e.arg,
        })?;
        out.push(Value::String(text));
    }
    Ok(Value::List(out))
}

#[derive(Default)]
struct Spec {
    plus: bool,
    minus: bool,
    sharp: bool,
    zero: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Formats `args` by `fmt`.
///
/// # Errors
/// A [`FuncError`] worded as Terraform's for bad verbs, missing or surplus arguments and
/// values of the wrong type.
pub(crate) fn format_str(fmt: &str, args: &[Value]) -> Result<String, FuncError> {
    let chars: Vec<(usize, char)> = fmt.char_indices().collect();
    let mut out = String::new();
    let mut next_arg = 0usize; // 0-based
    let mut max_used = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let at = |i: usize| chars.get(i).map(|p| p.1);
        if at(i) == Some('%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut spec = Spec::default();
        while let Some(f) = at(i) {
            match f {
                '+' => spec.plus = true,
                '-' => spec.minus = true,
                '#' => spec.sharp = true,
                '0' => spec.zero = true,
                ' ' => spec.space = true,
                _ => break,
            }
            i += 1;
        }
        let offset_of = |i: usize| chars.get(i).map_or(fmt.len(), |p| p.0);
        if at(i) == Some('[') {
            i += 1;
            match at(i) {
                Some(d @ '1'..='9') => {
                    let mut n = d as usize - '0' as usize;
                    i += 1;
                    while let Some(d @ '0'..='9') = at(i) {
                        n = n * 10 + (d as usize - '0' as usize);
                        i += 1;
                    }
                    if at(i) != Some(']') {
                        return Err(bad_char(at(i), offset_of(i), fmt.len()));
                    }
                    i += 1;
                    next_arg = n - 1;
                }
                other => return Err(bad_char(other, offset_of(i), fmt.len())),
            }
        }
        let mut width = None;
        while let Some(d @ '0'..='9') = at(i) {
            width = Some(width.unwrap_or(0) * 10 + (d as usize - '0' as usize));
            i += 1;
        }
        spec.width = width;
        if at(i) == Some('.') {
            i += 1;
            let mut p = 0;
            while let Some(d @ '0'..='9') = at(i) {
                p = p * 10 + (d as usize - '0' as usize);
                i += 1;
            }
            spec.prec = Some(p);
        }
        let verb = match at(i) {
            Some(v) if v.is_ascii_alphabetic() => v,
            other => return Err(bad_char(other, offset_of(i), fmt.len())),
        };
        i += 1;
        let end = offset_of(i);
        let text = &fmt[start..end];
        if !"vtsqdboxXeEfFgG".contains(verb) {
            return Err(FuncError::new(format!(
                "unsupported format verb '{verb}' in {text:?} at offset {start}"
            )));
        }
        let Some(arg) = args.get(next_arg) else {
            return Err(FuncError::new(format!(
                "not enough arguments for {text:?} at {start}: need index {} but have {} total",
                next_arg + 1,
                args.len()
            )));
        };
        next_arg += 1;
        max_used = max_used.max(next_arg);
        let bad =
            |msg: &str| FuncError::new(format!("unsupported value for {text:?} at {start}: {msg}"));
        let piece = format_one(verb, &spec, arg).map_err(|m| bad(&m))?;
        out.push_str(&piece);
    }
    if max_used < args.len() {
        return Err(arg_err(
            max_used + 1,
            "args",
            format!("too many arguments; only {max_used} used by format string"),
        ));
    }
    Ok(out)
}

fn bad_char(c: Option<char>, offset: usize, len: usize) -> FuncError {
    match c {
        Some(c) => FuncError::new(format!(
            "unrecognized format character '{c}' at offset {offset}"
        )),
        None => FuncError::new(format!("invalid format string starting at offset {len}")),
    }
}

fn number_of(v: &Value) -> Result<f64, String> {
    match v {
        Value::Number(n) => Ok(*n),
        Value::String(s) => parse_number(s).ok_or_else(|| "a number is required".to_string()),
        _ => Err("a number is required".into()),
    }
}

fn format_one(verb: char, spec: &Spec, arg: &Value) -> Result<String, String> {
    if arg.is_null() {
        if verb == 'v' {
            return Ok(pad("null".into(), spec, false));
        }
        return Err("null value cannot be formatted".into());
    }
    match verb {
        'v' if spec.sharp => Ok(pad(json_encode(arg), spec, false)),
        'v' => match arg {
            Value::String(s) => Ok(pad(s.clone(), spec, false)),
            Value::Bool(b) => Ok(pad(b.to_string(), spec, false)),
            // Terraform ignores flags, width and precision for numbers under %v.
            Value::Number(n) => Ok(float_verb('g', &Spec::default(), *n)),
            other => Ok(pad(json_encode(other), spec, false)),
        },
        't' => match arg {
            Value::Bool(b) => Ok(b.to_string()),
            Value::String(s) if s == "true" || s == "false" => Ok(s.clone()),
            _ => Err("a bool is required".into()),
        },
        's' | 'q' => {
            let mut s = conv_string(arg).ok_or_else(|| "string required".to_string())?;
            if let Some(p) = spec.prec {
                s = s.chars().take(p).collect();
            }
            if verb == 'q' {
                s = go_quote(&s);
            }
            Ok(pad(s, spec, false))
        }
        'd' | 'b' | 'o' | 'x' | 'X' => {
            let n = number_of(arg)?;
            if n.fract() != 0.0 || !n.is_finite() {
                return Err("an integer is required".into());
            }
            let neg = n < 0.0;
            let mag = n.abs();
            let digits = if verb == 'd' || mag >= 1.7e38 {
                format_number(mag)
            } else {
                let m = mag as u128;
                match verb {
                    'b' => format!("{m:b}"),
                    'o' if spec.sharp => format!("0{m:o}"),
                    'o' => format!("{m:o}"),
                    'x' if spec.sharp => format!("0x{m:x}"),
                    'x' => format!("{m:x}"),
                    'X' if spec.sharp => format!("0X{m:X}"),
                    _ => format!("{m:X}"),
                }
            };
            Ok(signed(neg, digits, spec))
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => Ok(float_verb(verb, spec, number_of(arg)?)),
        _ => Err(format!("unsupported verb {verb}")),
    }
}

/// Adds the sign and pads a number.
fn signed(neg: bool, digits: String, spec: &Spec) -> String {
    let sign = if neg {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    if spec.zero && !spec.minus {
        if let Some(w) = spec.width {
            let len = sign.len() + digits.chars().count();
            if len < w {
                return format!("{sign}{}{digits}", "0".repeat(w - len));
            }
        }
    }
    pad(format!("{sign}{digits}"), spec, true)
}

fn pad(s: String, spec: &Spec, numeric: bool) -> String {
    let Some(w) = spec.width else { return s };
    let len = s.chars().count();
    if len >= w {
        return s;
    }
    let fill = w - len;
    if spec.minus {
        format!("{s}{}", " ".repeat(fill))
    } else if spec.zero && !numeric {
        format!("{}{s}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

/// Decimal digits (no trailing zeros, at least "0") and the decimal point position of |x|,
/// either shortest (`prec` None) or rounded to `prec` significant digits.
fn decimal(x: f64, prec: Option<usize>) -> (Vec<u8>, i32) {
    let s = match prec {
        None => format!("{:e}", x.abs()),
        Some(p) => format!("{:.*e}", p.max(1) - 1, x.abs()),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits == [b'0'] {
        return (digits, 1);
    }
    (digits, exp + 1)
}

fn fmt_e(digits: &[u8], dp: i32, prec: usize, upper: bool) -> String {
    let mut s = String::new();
    s.push(digits.first().copied().unwrap_or(b'0') as char);
    if prec > 0 {
        s.push('.');
        for i in 1..=prec {
            s.push(digits.get(i).copied().unwrap_or(b'0') as char);
        }
    }
    s.push(if upper { 'E' } else { 'e' });
    let exp = if digits == [b'0'] { 0 } else { dp - 1 };
    s.push(if exp < 0 { '-' } else { '+' });
    s.push_str(&format!("{:02}", exp.abs()));
    s
}

fn fmt_f(digits: &[u8], dp: i32, prec: usize) -> String {
    let mut s = String::new();
    if dp > 0 {
        for i in 0..dp as usize {
            s.push(digits.get(i).copied().unwrap_or(b'0') as char);
        }
    } else {
        s.push('0');
    }
    if prec > 0 {
        s.push('.');
        for i in 0..prec as i32 {
            let idx = dp + i;
            let d = if idx >= 0 {
                digits.get(idx as usize).copied().unwrap_or(b'0')
            } else {
                b'0'
            };
            s.push(d as char);
        }
    }
    s
}

fn float_verb(verb: char, spec: &Spec, x: f64) -> String {
    let neg = x.is_sign_negative() && x != 0.0;
    if !x.is_finite() {
        let body = if x.is_nan() { "NaN" } else { "Inf" };
        return signed(neg, body.into(), spec);
    }
    let body = match verb {
        'e' | 'E' => {
            let p = spec.prec.unwrap_or(6);
            let (d, dp) = decimal(x, Some(p + 1));
            fmt_e(&d, dp, p, verb == 'E')
        }
        'f' | 'F' => format!("{:.*}", spec.prec.unwrap_or(6), x.abs()),
        _ => {
            let shortest = spec.prec.is_none();
            let (d, dp) = decimal(x, spec.prec.map(|p| p.max(1)));
            let mut prec = spec.prec.map_or(d.len(), |p| p.max(1));
            let mut eprec = prec as i32;
            if eprec > d.len() as i32 && d.len() as i32 >= dp {
                eprec = d.len() as i32;
            }
            if shortest {
                eprec = 6;
            }
            let exp = dp - 1;
            if exp < -4 || exp >= eprec {
                prec = prec.min(d.len());
                fmt_e(&d, dp, prec - 1, verb == 'G')
            } else {
                if prec as i32 > dp {
                    prec = d.len();
                }
                fmt_f(&d, dp, (prec as i32 - dp).max(0) as usize)
            }
        }
    };
    signed(neg, body, spec)
}

/// Quotes a string as Go's `%q` does.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;

    fn f(fmt: &str, args: Vec<Value>) -> String {
        let mut a = vec![s(fmt)];
        a.extend(args);
        match ok("format", a) {
            Value::String(s) => s,
            other => panic!("{other}"),
        }
    }

    fn fe(fmt: &str, args: Vec<Value>) -> String {
        let mut a = vec![s(fmt)];
        a.extend(args);
        err("format", a).message
    }

    #[test]
    #[allow(clippy::approx_constant)]
    fn verbs_match_terraform() {
        assert_eq!(
            f(
                "%v|%#v|%q|%s",
                vec![
                    Value::List(vec![n(1.0), s("a")]),
                    Value::map([("a", n(1.0))]),
                    s("x\"y"),
                    n(1.5)
                ]
            ),
            "[1,\"a\"]|{\"a\":1}|\"x\\\"y\"|1.5"
        );
        assert_eq!(
            f(
                "%5d|%-5d|%05d|%+d|%x|%X|%o|%b|%e|%g|%.2f|%8.3f|%t",
                vec![
                    n(42.0),
                    n(42.0),
                    n(42.0),
                    n(42.0),
                    n(255.0),
                    n(255.0),
                    n(8.0),
                    n(5.0),
                    n(12345.678),
                    n(0.000012),
                    n(3.14159),
                    n(2.5),
                    Value::Bool(true)
                ]
            ),
            "   42|42   |00042|+42|ff|FF|10|101|1.234568e+04|1.2e-05|3.14|   2.500|true"
        );
        assert_eq!(f("%[2]s %[1]s %s", vec![s("a"), s("b")]), "b a b");
        assert_eq!(f("%[1]s %[1]s %s", vec![s("a"), s("b")]), "a a b");
        assert_eq!(
            f(
                "%10s|%-4s|%.2s|%q",
                vec![s("abc"), s("x"), s("hello"), s("é\n")]
            ),
            "       abc|x   |he|\"é\\n\""
        );
        assert_eq!(
            f(
                "%5.1f|%-8.2e|%G|%E|%g",
                vec![n(3.14159), n(1234.5), n(1e21), n(1.5), n(1e8)]
            ),
            "  3.1|1.23e+03|1E+21|1.500000E+00|1e+08"
        );
        assert_eq!(
            f(
                "%v|%v|%v|%v|%s|%s",
                vec![
                    n(1234567.0),
                    n(100000.0),
                    n(0.00001),
                    n(0.0001),
                    n(1234567.0),
                    n(0.1)
                ]
            ),
            "1.234567e+06|100000|1e-05|0.0001|1234567|0.1"
        );
        assert_eq!(
            f(
                "%.3g|%g|%.10g|%e|%.0f|%.0e",
                vec![
                    n(1234567.0),
                    n(123456.0),
                    n(1234567.0),
                    n(0.0),
                    n(2.5),
                    n(15000.0)
                ]
            ),
            "1.23e+06|123456|1234567|0.000000e+00|2|2e+04"
        );
        assert_eq!(
            f(
                "%6.2f%%|%-6d|%06.2f|%x|%X",
                vec![n(99.5), n(7.0), n(-1.5), n(-255.0), n(3000.0)]
            ),
            " 99.50%|7     |-01.50|-ff|BB8"
        );
        assert_eq!(
            f("% d|%+.1f|%#x|%#o", vec![n(5.0), n(2.25), n(255.0), n(8.0)]),
            " 5|+2.2|0xff|010"
        );
        assert_eq!(f("%05s|%-05d", vec![s("ab"), n(3.0)]), "000ab|3    ");
        assert_eq!(
            f("%d|%s|%b", vec![s("12"), Value::Bool(true), n(-5.0)]),
            "12|true|-101"
        );
        assert_eq!(
            f("%d|%s|%v", vec![n(1e20), n(1e21), n(1.5e300)]),
            "100000000000000000000|1000000000000000000000|1.5e+300"
        );
        assert_eq!(
            f("%#v|%#v|%v", vec![s("a"), n(1.0), Value::Null]),
            "\"a\"|1|null"
        );
        assert_eq!(f("100%%", vec![]), "100%");
        assert_eq!(
            f(
                "%10.4v|%-10v|%+v|%6.2v|%.2v",
                vec![
                    n(3.14159265),
                    Value::Bool(true),
                    n(5.0),
                    n(3.14159),
                    s("hello")
                ]
            ),
            "3.14159265|true      |5|3.14159|hello"
        );
        assert_eq!(
            f(
                "%08.3f|%e|%.3g|%.3g|%.0f|%.0f|%5.1e|%g|%G",
                vec![
                    n(-3.14159),
                    n(-1234.5),
                    n(0.0001234),
                    n(123456789.0),
                    n(0.5),
                    n(1.5),
                    n(31415.9),
                    n(1e-5),
                    n(1e-7)
                ]
            ),
            "-003.142|-1.234500e+03|0.000123|1.23e+08|0|2|3.1e+04|1e-05|1E-07"
        );
        assert_eq!(
            f("%#o|%#x|%#X|%x", vec![n(0.0), n(0.0), n(255.0), n(1e20)]),
            "00|0x0|0XFF|56bc75e2d63100000"
        );
        assert_eq!(
            f("%v|%v|%v", vec![n(1e21), n(123456.7), n(1234567.8)]),
            "1e+21|123456.7|1.2345678e+06"
        );
        assert_eq!(
            f("%5t|%-6v|%3q", vec![Value::Bool(true), s("ab"), s("x")]),
            "true|ab    |\"x\""
        );
    }

    #[test]
    fn errors_match_terraform() {
        assert_eq!(
            fe("%d", vec![n(1.5)]),
            "unsupported value for \"%d\" at 0: an integer is required"
        );
        assert_eq!(
            fe("%s", vec![]),
            "not enough arguments for \"%s\" at 0: need index 1 but have 0 total"
        );
        assert_eq!(
            fe("%[3]s", vec![s("a")]),
            "not enough arguments for \"%[3]s\" at 0: need index 3 but have 1 total"
        );
        assert_eq!(
            fe("%z", vec![n(1.0)]),
            "unsupported format verb 'z' in \"%z\" at offset 0"
        );
        assert_eq!(
            fe("%3c", vec![n(1.0)]),
            "unsupported format verb 'c' in \"%3c\" at offset 0"
        );
        assert_eq!(
            fe("%!", vec![]),
            "unrecognized format character '!' at offset 1"
        );
        assert_eq!(
            fe("%[0]s", vec![s("a")]),
            "unrecognized format character '0' at offset 2"
        );
        assert_eq!(
            fe("abc%", vec![]),
            "invalid format string starting at offset 4"
        );
        assert_eq!(
            fe("%t", vec![s("x")]),
            "unsupported value for \"%t\" at 0: a bool is required"
        );
        assert_eq!(
            fe("%s", vec![nl(&[1.0])]),
            "unsupported value for \"%s\" at 0: string required"
        );
        assert_eq!(
            fe("%x", vec![s("hi")]),
            "unsupported value for \"%x\" at 0: a number is required"
        );
        assert_eq!(
            fe("%s", vec![Value::Null]),
            "unsupported value for \"%s\" at 0: null value cannot be formatted"
        );
        let mut a = vec![s("%s %s")];
        a.extend([s("a"), s("b"), s("c")]);
        let e = err("format", a);
        assert_eq!(e.message, "Invalid value for \"args\" parameter: too many arguments; only 2 used by format string.");
        assert_eq!(e.arg, Some(3));
    }

    #[test]
    fn formatlist_zips_lists_and_repeats_scalars() {
        assert_eq!(
            ok("formatlist", vec![s("%s-%s"), sl(&["a", "b"]), s("c")]),
            sl(&["a-c", "b-c"])
        );
        assert_eq!(ok("formatlist", vec![s("%s"), sl(&[])]), sl(&[]));
        assert_eq!(ok("formatlist", vec![s("%s"), s("a")]), sl(&["a"]));
        let e = err("formatlist", vec![s("%s-%s"), sl(&["a", "b"]), sl(&["c"])]);
        assert!(
            e.message.contains(
                "argument 2 has length 1, which is inconsistent with argument 1 of length 2"
            ),
            "{}",
            e.message
        );
        let e = err("formatlist", vec![s("%d"), nl(&[1.0, 1.5])]);
        assert_eq!(e.message, "error on format iteration 1: unsupported value for \"%d\" at 0: an integer is required");
    }

    #[test]
    fn unknown_arguments() {
        assert_eq!(ok("format", vec![s("%s"), Value::Unknown]), Value::Unknown);
    }
}
