//! String functions.

use super::util::{int_arg, list_arg, str_arg};
use super::{FuncCtx, FuncDef, FuncError};
use crate::config::value::{format_number, Map, Value};

fn s1(a: &[Value], f: impl Fn(&str) -> String) -> Result<Value, FuncError> {
    Ok(Value::String(f(&str_arg(a, 0)?)))
}
fn lower(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    s1(&a, |s| s.to_lowercase())
}
fn upper(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    s1(&a, |s| s.to_uppercase())
}
fn title(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    s1(&a, |s| {
        let mut out = String::with_capacity(s.len());
        let mut start = true;
        for c in s.chars() {
            if start && c.is_alphabetic() {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            start = !c.is_alphanumeric();
        }
        out
    })
}
fn chomp(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    s1(&a, |s| s.trim_end_matches(['\n', '\r']).to_string())
}
fn trimspace(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    s1(&a, |s| s.trim().to_string())
}
fn strrev(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    s1(&a, |s| s.chars().rev().collect())
}
fn trim(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let cut = str_arg(&a, 1)?;
    s1(&a, |s| s.trim_matches(|c| cut.contains(c)).to_string())
}
fn trimprefix(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let p = str_arg(&a, 1)?;
    s1(&a, |s| s.strip_prefix(p.as_str()).unwrap_or(s).to_string())
}
fn trimsuffix(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let p = str_arg(&a, 1)?;
    s1(&a, |s| s.strip_suffix(p.as_str()).unwrap_or(s).to_string())
}
fn startswith(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Bool(str_arg(&a, 0)?.starts_with(&str_arg(&a, 1)?)))
}
fn endswith(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Bool(str_arg(&a, 0)?.ends_with(&str_arg(&a, 1)?)))
}
fn strcontains(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Bool(str_arg(&a, 0)?.contains(&str_arg(&a, 1)?)))
}
fn indent(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let n = int_arg(&a, 0)?.max(0) as usize;
    let s = str_arg(&a, 1)?;
    let pad = " ".repeat(n);
    Ok(Value::String(
        s.split('\n')
            .enumerate()
            .map(|(i, l)| {
                if i == 0 || l.is_empty() {
                    l.to_string()
                } else {
                    format!("{pad}{l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
    ))
}
fn split(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let sep = str_arg(&a, 0)?;
    let s = str_arg(&a, 1)?;
    if s.is_empty() {
        return Ok(Value::List(vec![Value::string("")]));
    }
    Ok(Value::List(
        s.split(sep.as_str()).map(Value::string).collect(),
    ))
}
fn join(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let sep = str_arg(&a, 0)?;
    let mut parts = Vec::new();
    for i in 1..a.len() {
        for (j, v) in list_arg(&a, i)?.iter().enumerate() {
            match v {
                Value::Null => {
                    return Err(FuncError::arg(
                        i,
                        format!("element {j} is null; cannot join null values"),
                    ))
                }
                Value::String(s) => parts.push(s.clone()),
                Value::Number(n) => parts.push(format_number(*n)),
                Value::Bool(b) => parts.push(b.to_string()),
                other => {
                    return Err(FuncError::arg(
                        i,
                        format!("element {j}: string required, got {}", other.type_name()),
                    ))
                }
            }
        }
    }
    Ok(Value::String(parts.join(&sep)))
}
fn substr(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s: Vec<char> = str_arg(&a, 0)?.chars().collect();
    let mut off = int_arg(&a, 1)?;
    let len = int_arg(&a, 2)?;
    let n = s.len() as i64;
    if off < 0 {
        off += n;
    }
    if off < 0 || off > n {
        return Err(FuncError::arg(1, "offset is out of range"));
    }
    let end = if len < 0 { n } else { (off + len).min(n) };
    Ok(Value::String(
        s[off as usize..end.max(off) as usize].iter().collect(),
    ))
}
fn replace(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0)?;
    let from = str_arg(&a, 1)?;
    let to = str_arg(&a, 2)?;
    if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
        let re = regex::Regex::new(&from[1..from.len() - 1])
            .map_err(|e| FuncError::arg(1, format!("invalid regular expression: {e}")))?;
        // Terraform uses $1 / ${name} references, as the regex crate does.
        return Ok(Value::String(re.replace_all(&s, to.as_str()).into_owned()));
    }
    Ok(Value::String(s.replace(&from, &to)))
}
fn compile(a: &[Value]) -> Result<regex::Regex, FuncError> {
    let p = str_arg(a, 0)?;
    regex::Regex::new(&p).map_err(|e| FuncError::arg(0, format!("invalid regular expression: {e}")))
}
fn captures_value(re: &regex::Regex, c: &regex::Captures<'_>) -> Value {
    let names: Vec<Option<&str>> = re.capture_names().collect();
    if names.iter().skip(1).any(|n| n.is_some()) {
        let mut m = Map::new();
        for n in names.iter().flatten() {
            m.insert(
                n.to_string(),
                c.name(n)
                    .map(|x| Value::string(x.as_str()))
                    .unwrap_or(Value::Null),
            );
        }
        Value::Map(m)
    } else if re.captures_len() > 1 {
        Value::List(
            (1..re.captures_len())
                .map(|i| {
                    c.get(i)
                        .map(|x| Value::string(x.as_str()))
                        .unwrap_or(Value::Null)
                })
                .collect(),
        )
    } else {
        Value::string(c.get(0).map(|x| x.as_str()).unwrap_or(""))
    }
}
fn regex_fn(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let re = compile(&a)?;
    let s = str_arg(&a, 1)?;
    match re.captures(&s) {
        Some(c) => Ok(captures_value(&re, &c)),
        None => Err(FuncError::new(
            "pattern did not match any part of the given string",
        )),
    }
}
fn regexall(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let re = compile(&a)?;
    let s = str_arg(&a, 1)?;
    Ok(Value::List(
        re.captures_iter(&s)
            .map(|c| captures_value(&re, &c))
            .collect(),
    ))
}

/// Terraform's `format` over already evaluated arguments.
pub fn format_values(fmt: &str, args: &[Value]) -> Result<String, FuncError> {
    let mut out = String::new();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    let mut next = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        if chars.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut flags = String::new();
        while let Some(f) = chars.get(i).filter(|f| "+-# 0".contains(**f)) {
            flags.push(*f);
            i += 1;
        }
        let mut explicit = None;
        if chars.get(i) == Some(&'[') {
            let end = chars[i..]
                .iter()
                .position(|c| *c == ']')
                .map(|p| p + i)
                .ok_or_else(|| FuncError::arg(0, "unterminated %[n] index"))?;
            let n: usize = chars[i + 1..end]
                .iter()
                .collect::<String>()
                .parse()
                .map_err(|_| FuncError::arg(0, "invalid %[n] index"))?;
            explicit = Some(n.saturating_sub(1));
            i = end + 1;
        }
        let mut width = String::new();
        while let Some(d) = chars.get(i).filter(|d| d.is_ascii_digit()) {
            width.push(*d);
            i += 1;
        }
        let mut prec: Option<usize> = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            let mut p = String::new();
            while let Some(d) = chars.get(i).filter(|d| d.is_ascii_digit()) {
                p.push(*d);
                i += 1;
            }
            prec = Some(p.parse().unwrap_or(0));
        }
        let Some(&verb) = chars.get(i) else {
            return Err(FuncError::arg(
                0,
                "format string ends with an incomplete verb",
            ));
        };
        i += 1;
        let idx = explicit.unwrap_or(next);
        next = idx + 1;
        let Some(v) = args.get(idx) else {
            return Err(FuncError::new(format!(
                "not enough arguments for format string: verb %{verb} needs argument {}",
                idx + 1
            )));
        };
        let text = match verb {
            'v' => match v {
                Value::String(s) => s.clone(),
                other if flags.contains('#') => other.to_json().to_string(),
                other => match other {
                    Value::Number(n) => format_number(*n),
                    Value::Bool(b) => b.to_string(),
                    Value::Null => "null".into(),
                    x => x.to_json().to_string(),
                },
            },
            's' => match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => format_number(*n),
                Value::Bool(b) => b.to_string(),
                other => {
                    return Err(FuncError::arg(
                        idx + 1,
                        format!("%s requires a string, got {}", other.type_name()),
                    ))
                }
            },
            'q' => serde_json::to_string(&str_arg(args, idx)?).unwrap_or_default(),
            'd' => {
                let n = super::util::num_arg(args, idx)?;
                if n.fract() != 0.0 {
                    return Err(FuncError::arg(idx + 1, "%d requires a whole number"));
                }
                let s = format!("{}", n as i64);
                if flags.contains('+') && n >= 0.0 {
                    format!("+{s}")
                } else {
                    s
                }
            }
            'f' | 'F' => format!("{:.*}", prec.unwrap_or(6), super::util::num_arg(args, idx)?),
            'e' => format!(
                "{:.*e}",
                prec.unwrap_or(6),
                super::util::num_arg(args, idx)?
            ),
            'g' | 'G' => format_number(super::util::num_arg(args, idx)?),
            't' => super::util::bool_arg(args, idx)?.to_string(),
            'x' => format!("{:x}", super::util::num_arg(args, idx)? as i64),
            'X' => format!("{:X}", super::util::num_arg(args, idx)? as i64),
            'o' => format!("{:o}", super::util::num_arg(args, idx)? as i64),
            'b' => format!("{:b}", super::util::num_arg(args, idx)? as i64),
            other => {
                return Err(FuncError::arg(
                    0,
                    format!("unsupported format verb %{other}"),
                ))
            }
        };
        let text = if verb == 's' || verb == 'v' {
            prec.map(|p| text.chars().take(p).collect()).unwrap_or(text)
        } else {
            text
        };
        let w: usize = width.parse().unwrap_or(0);
        let len = text.chars().count();
        if len < w {
            let pad = w - len;
            if flags.contains('-') {
                out.push_str(&text);
                out.push_str(&" ".repeat(pad));
            } else if flags.contains('0') && verb != 's' {
                let (sign, digits) = if let Some(d) = text.strip_prefix('-') {
                    ("-", d)
                } else {
                    ("", text.as_str())
                };
                out.push_str(sign);
                out.push_str(&"0".repeat(pad));
                out.push_str(digits);
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&text);
            }
        } else {
            out.push_str(&text);
        }
    }
    if next < args.len() && !fmt.contains("%[") {
        return Err(FuncError::new(format!(
            "too many arguments; only {next} used by format string"
        )));
    }
    Ok(out)
}
fn format(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let f = str_arg(&a, 0)?;
    Ok(Value::String(format_values(&f, &a[1..])?))
}
fn formatlist(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let f = str_arg(&a, 0)?;
    let mut n: Option<usize> = None;
    for (i, v) in a.iter().enumerate().skip(1) {
        if let Value::List(l) | Value::Set(l) = v {
            match n {
                Some(m) if m != l.len() => return Err(FuncError::arg(i, format!("argument {i} has length {}, which does not match the {m} of the other lists", l.len()))),
                _ => n = Some(l.len()),
            }
        }
    }
    let n = n.unwrap_or(1);
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let row: Vec<Value> = a[1..]
            .iter()
            .map(|v| match v {
                Value::List(l) | Value::Set(l) => l[k].clone(),
                other => other.clone(),
            })
            .collect();
        out.push(Value::String(format_values(&f, &row)?));
    }
    Ok(Value::List(out))
}

/// The string functions.
pub const DEFS: &[FuncDef] = &[
    FuncDef {
        name: "chomp",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: chomp,
    },
    FuncDef {
        name: "endswith",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: endswith,
    },
    FuncDef {
        name: "format",
        min_args: 1,
        max_args: None,
        handles_unknown: false,
        call: format,
    },
    FuncDef {
        name: "formatlist",
        min_args: 1,
        max_args: None,
        handles_unknown: false,
        call: formatlist,
    },
    FuncDef {
        name: "indent",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: indent,
    },
    FuncDef {
        name: "join",
        min_args: 2,
        max_args: None,
        handles_unknown: false,
        call: join,
    },
    FuncDef {
        name: "lower",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: lower,
    },
    FuncDef {
        name: "regex",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: regex_fn,
    },
    FuncDef {
        name: "regexall",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: regexall,
    },
    FuncDef {
        name: "replace",
        min_args: 3,
        max_args: Some(3),
        handles_unknown: false,
        call: replace,
    },
    FuncDef {
        name: "split",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: split,
    },
    FuncDef {
        name: "startswith",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: startswith,
    },
    FuncDef {
        name: "strcontains",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: strcontains,
    },
    FuncDef {
        name: "strrev",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: strrev,
    },
    FuncDef {
        name: "substr",
        min_args: 3,
        max_args: Some(3),
        handles_unknown: false,
        call: substr,
    },
    FuncDef {
        name: "title",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: title,
    },
    FuncDef {
        name: "trim",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: trim,
    },
    FuncDef {
        name: "trimprefix",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: trimprefix,
    },
    FuncDef {
        name: "trimspace",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: trimspace,
    },
    FuncDef {
        name: "trimsuffix",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: trimsuffix,
    },
    FuncDef {
        name: "upper",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: upper,
    },
];
