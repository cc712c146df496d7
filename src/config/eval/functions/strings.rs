//! String functions: chomp, endswith, indent, join, lower, replace, split, startswith,
//! strcontains, strrev, substr, title, trim, trimprefix, trimspace, trimsuffix, upper.
//!
//! Lengths and offsets count grapheme clusters, as Terraform does.

use super::{arg_err, conv_string, int_arg, list_arg, str_arg, FuncCtx, FuncError};
use crate::config::value::Value;
use unicode_segmentation::UnicodeSegmentation;

pub(super) fn chomp(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    Ok(Value::String(s.trim_end_matches(['\n', '\r']).to_string()))
}

pub(super) fn endswith(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    let suffix = str_arg(&a, 1, "suffix")?;
    Ok(Value::Bool(s.ends_with(&suffix)))
}

pub(super) fn startswith(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    let prefix = str_arg(&a, 1, "prefix")?;
    Ok(Value::Bool(s.starts_with(&prefix)))
}

pub(super) fn strcontains(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    let sub = str_arg(&a, 1, "substr")?;
    Ok(Value::Bool(s.contains(&sub)))
}

pub(super) fn indent(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let spaces = int_arg(&a, 0, "spaces")?;
    let s = str_arg(&a, 1, "str")?;
    let pad = " ".repeat(spaces.max(0) as usize);
    Ok(Value::String(s.replace('\n', &format!("\n{pad}"))))
}

pub(super) fn join(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let sep = str_arg(&a, 0, "separator")?;
    if a.len() < 2 {
        return Err(FuncError::new("at least one list is required"));
    }
    let mut parts = Vec::new();
    for i in 1..a.len() {
        let list = list_arg(&a, i, "lists")?;
        for (j, v) in list.iter().enumerate() {
            match v {
                Value::Null => {
                    return Err(arg_err(
                        i,
                        "lists",
                        format!("element {j} is null; cannot concatenate null values"),
                    ))
                }
                v => parts.push(
                    conv_string(v).ok_or_else(|| arg_err(i, "lists", "list of string required"))?,
                ),
            }
        }
    }
    Ok(Value::String(parts.join(&sep)))
}

fn map_chars(s: &str, upper: bool) -> String {
    s.chars()
        .map(|c| {
            let mut m: Vec<char> = if upper {
                c.to_uppercase().collect()
            } else {
                c.to_lowercase().collect()
            };
            if m.len() == 1 {
                m.pop().unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

pub(super) fn lower(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::String(map_chars(&str_arg(&a, 0, "str")?, false)))
}

pub(super) fn upper(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::String(map_chars(&str_arg(&a, 0, "str")?, true)))
}

pub(super) fn replace(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    let sub = str_arg(&a, 1, "substr")?;
    let rep = str_arg(&a, 2, "replace")?;
    if sub.len() > 1 && sub.starts_with('/') && sub.ends_with('/') {
        let pat = &sub[1..sub.len() - 1];
        let re = regex::Regex::new(pat)
            .map_err(|e| arg_err(1, "substr", format!("invalid regular expression: {e}")))?;
        return Ok(Value::String(re.replace_all(&s, rep.as_str()).into_owned()));
    }
    Ok(Value::String(s.replace(&sub, &rep)))
}

pub(super) fn split(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let sep = str_arg(&a, 0, "separator")?;
    let s = str_arg(&a, 1, "str")?;
    let parts: Vec<Value> = if sep.is_empty() {
        s.chars().map(|c| Value::String(c.to_string())).collect()
    } else {
        s.split(sep.as_str()).map(Value::string).collect()
    };
    Ok(Value::List(parts))
}

pub(super) fn strrev(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    Ok(Value::String(s.graphemes(true).rev().collect()))
}

pub(super) fn substr(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    let mut offset = int_arg(&a, 1, "offset")?;
    let length = int_arg(&a, 2, "length")?;
    let g: Vec<&str> = s.graphemes(true).collect();
    let total = g.len() as i64;
    if offset < 0 {
        offset += total;
        if offset < 0 {
            offset = 0;
        }
    }
    if offset >= total {
        return Ok(Value::string(""));
    }
    let end = if length < 0 {
        total
    } else {
        (offset + length).min(total)
    };
    Ok(Value::String(g[offset as usize..end as usize].concat()))
}

pub(super) fn title(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    // A word starts after a separator: ASCII other than letters, digits and underscore, or
    // Unicode white space.
    let is_sep = |c: char| {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else if c.is_alphanumeric() {
            false
        } else {
            c.is_whitespace()
        }
    };
    let mut out = String::with_capacity(s.len());
    let mut prev_sep = true;
    for c in s.chars() {
        if prev_sep {
            let mut u = c.to_uppercase();
            match (u.next(), u.next()) {
                (Some(x), None) => out.push(x),
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
        prev_sep = is_sep(c);
    }
    Ok(Value::String(out))
}

pub(super) fn trim(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    let cut = str_arg(&a, 1, "cutset")?;
    let set: Vec<char> = cut.chars().collect();
    Ok(Value::String(s.trim_matches(set.as_slice()).to_string()))
}

pub(super) fn trimprefix(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    let p = str_arg(&a, 1, "prefix")?;
    Ok(Value::String(
        s.strip_prefix(p.as_str()).unwrap_or(&s).to_string(),
    ))
}

pub(super) fn trimsuffix(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    let p = str_arg(&a, 1, "suffix")?;
    Ok(Value::String(
        s.strip_suffix(p.as_str()).unwrap_or(&s).to_string(),
    ))
}

pub(super) fn trimspace(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::String(str_arg(&a, 0, "str")?.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;

    #[test]
    fn chomp_and_trims() {
        assert_eq!(ok("chomp", vec![s("a\n\r\n\n")]), s("a"));
        assert_eq!(ok("chomp", vec![s("a\nb")]), s("a\nb"));
        assert_eq!(ok("trim", vec![s("?!hello?!"), s("!?")]), s("hello"));
        assert_eq!(
            ok("trimprefix", vec![s("helloworld"), s("hello")]),
            s("world")
        );
        assert_eq!(
            ok("trimprefix", vec![s("helloworld"), s("cat")]),
            s("helloworld")
        );
        assert_eq!(
            ok("trimsuffix", vec![s("helloworld"), s("world")]),
            s("hello")
        );
        assert_eq!(ok("trimspace", vec![s("  \n\t x \u{a0}")]), s("x"));
    }

    #[test]
    fn predicates() {
        assert_eq!(
            ok("endswith", vec![s("hello world"), s("world")]),
            Value::Bool(true)
        );
        assert_eq!(
            ok("startswith", vec![s("hello world"), s("world")]),
            Value::Bool(false)
        );
        assert_eq!(
            ok("strcontains", vec![s("hello world"), s("o w")]),
            Value::Bool(true)
        );
    }

    #[test]
    fn indent_pads_every_line_but_the_first() {
        assert_eq!(
            ok("indent", vec![n(2.0), s("a\nb\n\nc")]),
            s("a\n  b\n  \n  c")
        );
    }

    #[test]
    fn join_and_split() {
        assert_eq!(
            ok("join", vec![s(", "), sl(&["foo", "bar"])]),
            s("foo, bar")
        );
        assert_eq!(
            ok("join", vec![s("-"), sl(&["a"]), nl(&[1.0, 2.0])]),
            s("a-1-2")
        );
        assert_eq!(
            err("join", vec![s(",")]).message,
            "at least one list is required"
        );
        let e = err("join", vec![s(","), Value::List(vec![s("a"), Value::Null])]);
        assert_eq!(e.arg, Some(1));
        assert!(e.message.contains("element 1 is null"));
        assert_eq!(
            ok("split", vec![s(","), s("foo,bar,baz")]),
            sl(&["foo", "bar", "baz"])
        );
        assert_eq!(ok("split", vec![s(","), s("")]), sl(&[""]));
        assert_eq!(ok("split", vec![s(""), s("ab")]), sl(&["a", "b"]));
        assert_eq!(
            ok("join", vec![s(","), Value::List(vec![Value::Unknown])]),
            Value::Unknown
        );
    }

    #[test]
    fn case() {
        assert_eq!(ok("upper", vec![s("héllo")]), s("HÉLLO"));
        assert_eq!(ok("lower", vec![s("HÉLLO")]), s("héllo"));
        assert_eq!(ok("upper", vec![s("ß")]), s("ß"));
        assert_eq!(
            ok("title", vec![s("hello wORLD foo_bar o'neil x-y")]),
            s("Hello WORLD Foo_bar O'Neil X-Y")
        );
    }

    #[test]
    fn replace_plain_and_regex() {
        assert_eq!(
            ok("replace", vec![s("1 + 2 + 3"), s("+"), s("-")]),
            s("1 - 2 - 3")
        );
        assert_eq!(
            ok(
                "replace",
                vec![s("hello world"), s("/w(or)ld/"), s("$1 ${1}x")]
            ),
            s("hello or orx")
        );
        assert_eq!(ok("replace", vec![s("a/b"), s("/"), s("-")]), s("a-b"));
        let e = err("replace", vec![s("x"), s("/(/"), s("")]);
        assert_eq!(e.arg, Some(1));
    }

    #[test]
    fn graphemes() {
        assert_eq!(ok("strrev", vec![s("héllo")]), s("olléh"));
        assert_eq!(
            ok("substr", vec![s("hello world"), n(1.0), n(4.0)]),
            s("ello")
        );
        assert_eq!(ok("substr", vec![s("héllo"), n(-3.0), n(-1.0)]), s("llo"));
        assert_eq!(ok("substr", vec![s("abc"), n(5.0), n(1.0)]), s(""));
        assert_eq!(ok("substr", vec![s("abc"), n(1.0), n(10.0)]), s("bc"));
        assert_eq!(
            ok("substr", vec![s("e\u{301}x"), n(0.0), n(1.0)]),
            s("\u{e9}")
        );
    }
}
