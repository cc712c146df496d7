//! `regex` and `regexall`: RE2-syntax matching with Terraform's result shapes (a string with
//! no capture groups, a list for unnamed groups, a map for named ones).

use super::{arg_err, str_arg, FuncCtx, FuncError};
use crate::config::value::Value;
use regex::{Captures, Regex};

enum Shape {
    Whole,
    List,
    Named(Vec<String>),
}

fn compile(a: &[Value]) -> Result<(Regex, Shape, String), FuncError> {
    let pat = str_arg(a, 0, "pattern")?;
    let text = str_arg(a, 1, "string")?;
    let re = Regex::new(&pat).map_err(|e| {
        arg_err(
            0,
            "pattern",
            format!("invalid regular expression pattern: {e}"),
        )
    })?;
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    let shape = if names.is_empty() {
        Shape::Whole
    } else if names.iter().all(Option::is_none) {
        Shape::List
    } else if names.iter().all(Option::is_some) {
        Shape::Named(names.iter().flatten().map(|s| s.to_string()).collect())
    } else {
        return Err(arg_err(
            0,
            "pattern",
            "invalid regular expression pattern: cannot use both named and unnamed capture groups",
        ));
    };
    Ok((re, shape, text))
}

fn result(c: &Captures<'_>, shape: &Shape) -> Value {
    let grp = |m: Option<regex::Match<'_>>| m.map_or(Value::Null, |m| Value::string(m.as_str()));
    match shape {
        Shape::Whole => grp(c.get(0)),
        Shape::List => Value::List((1..c.len()).map(|i| grp(c.get(i))).collect()),
        Shape::Named(names) => Value::map(names.iter().map(|n| (n.clone(), grp(c.name(n))))),
    }
}

pub(super) fn regex(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let (re, shape, text) = compile(&a)?;
    match re.captures(&text) {
        Some(c) => Ok(result(&c, &shape)),
        None => Err(FuncError::new(
            "pattern did not match any part of the given string",
        )),
    }
}

pub(super) fn regexall(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let (re, shape, text) = compile(&a)?;
    Ok(Value::List(
        re.captures_iter(&text)
            .map(|c| result(&c, &shape))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;

    #[test]
    fn shapes() {
        assert_eq!(
            ok(
                "regex",
                vec![s("[a-z]+"), s("53453453.345345aaabbbccc23454")]
            ),
            s("aaabbbccc")
        );
        assert_eq!(ok("regex", vec![s("[0-9]+([a-z])"), s("12x")]), sl(&["x"]));
        assert_eq!(
            ok(
                "regex",
                vec![s("(?P<a>[a-z]+)(?P<b>[0-9]+)"), s("xx abc123")]
            ),
            Value::map([("a", s("abc")), ("b", s("123"))])
        );
        assert_eq!(
            ok("regex", vec![s("(a)|(b)"), s("b")]),
            Value::List(vec![Value::Null, s("b")])
        );
        assert_eq!(
            ok("regexall", vec![s("[a-z]+"), s("1 ab cd")]),
            sl(&["ab", "cd"])
        );
        assert_eq!(ok("regexall", vec![s("z"), s("abc")]), sl(&[]));
        assert_eq!(
            ok("regexall", vec![s("(\\w)=(\\d)"), s("a=1 b=2")]),
            Value::List(vec![sl(&["a", "1"]), sl(&["b", "2"])])
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            err("regex", vec![s("z"), s("abc")]).message,
            "pattern did not match any part of the given string"
        );
        let e = err("regex", vec![s("("), s("abc")]);
        assert_eq!(e.arg, Some(0));
        assert!(e.message.contains("invalid regular expression pattern"));
        assert!(err("regex", vec![s("(?P<a>x)(y)"), s("xy")])
            .message
            .contains("both named and unnamed"));
    }
}
