//! `yamlencode` and `yamldecode` with Terraform's behaviour: decoding follows YAML 1.1 scalar
//! resolution (`yes`/`on`/`y` are true, timestamps become RFC 3339 strings, anchors and
//! aliases are expanded, exactly one document); encoding is block style with every string and
//! key double-quoted, multi-line strings as literal blocks, and long quoted strings folded
//! at column 80 as Terraform's YAML emitter folds them.

use super::{str_arg, FuncCtx, FuncError};
use crate::config::value::{format_number, Map, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

pub(super) fn yamldecode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let text = str_arg(&a, 0, "src")?;
    decode(&text).map_err(FuncError::new)
}

pub(super) fn yamlencode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let v = a.into_iter().next().unwrap_or(Value::Null);
    Ok(Value::String(encode(&v)))
}

// ---------- decoding ----------

enum Frame {
    Seq(Vec<Value>, usize),
    Map(Map, Option<String>, usize),
}

fn at(m: &Marker, msg: &str) -> String {
    format!("on line {}, column {}: {msg}", m.line(), m.col() + 1)
}

/// Decodes one YAML document.
///
/// # Errors
/// A message when the text is not exactly one well-formed document.
pub(crate) fn decode(text: &str) -> Result<Value, String> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Value> = HashMap::new();
    let mut root: Option<Value> = None;
    let mut docs = 0;
    loop {
        let (ev, mark) = parser.next_token().map_err(|e| {
            let m = e.marker();
            format!("on line {}, column {}: {}", m.line(), m.col() + 1, e.info())
        })?;
        let done: Option<(Value, usize)> = match ev {
            Event::StreamEnd => break,
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => None,
            Event::DocumentStart => {
                docs += 1;
                if docs > 1 {
                    return Err(at(&mark, "unexpected extra content after value"));
                }
                None
            }
            Event::Alias(id) => {
                let v = anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| at(&mark, "unknown anchor"))?;
                Some((v, 0))
            }
            Event::Scalar(s, style, anchor, tag) => Some((
                scalar(&s, style, tag.as_ref()).map_err(|e| at(&mark, &e))?,
                anchor,
            )),
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq(Vec::new(), anchor));
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map(Map::new(), None, anchor));
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, anchor)) => Some((Value::List(items), anchor)),
                _ => return Err(at(&mark, "unbalanced sequence")),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(m, _, anchor)) => Some((Value::Map(m), anchor)),
                _ => return Err(at(&mark, "unbalanced mapping")),
            },
        };
        let Some((v, anchor)) = done else { continue };
        if anchor > 0 {
            anchors.insert(anchor, v.clone());
        }
        match stack.last_mut() {
            None => root = Some(v),
            Some(Frame::Seq(items, _)) => items.push(v),
            Some(Frame::Map(m, key, _)) => match key.take() {
                None => {
                    let k = match &v {
                        Value::Null => "null".to_string(),
                        Value::String(s) => s.clone(),
                        Value::Number(n) => format_number(*n),
                        Value::Bool(b) => b.to_string(),
                        _ => {
                            return Err(at(&mark, "only scalar values can be used as mapping keys"))
                        }
                    };
                    *key = Some(k);
                }
                Some(k) => {
                    if k == "<<" {
                        if let Value::Map(src) = v {
                            for (sk, sv) in src {
                                m.entry(sk).or_insert(sv);
                            }
                            continue;
                        }
                    }
                    m.insert(k, v);
                }
            },
        }
    }
    root.ok_or_else(|| "on line 1, column 1: missing start of document".to_string())
}

fn tag_name(tag: Option<&Tag>) -> Option<&str> {
    let t = tag?;
    if t.handle == "!!" || t.handle == "tag:yaml.org,2002:" {
        Some(t.suffix.as_str())
    } else {
        t.suffix.strip_prefix("tag:yaml.org,2002:")
    }
}

fn scalar(s: &str, style: TScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    match tag_name(tag) {
        Some("str") => return Ok(Value::string(s)),
        Some("null") => return Ok(Value::Null),
        Some("bool") => {
            return resolve_plain(s)
                .filter(|v| matches!(v, Value::Bool(_)))
                .ok_or_else(|| format!("cannot decode {s:?} as a bool"))
        }
        Some("int") | Some("float") => {
            return resolve_plain(s)
                .filter(|v| matches!(v, Value::Number(_)))
                .ok_or_else(|| format!("cannot decode {s:?} as a number"))
        }
        Some("binary") => {
            use base64::Engine;
            let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(clean)
                .map_err(|e| format!("cannot decode binary data: {e}"))?;
            return String::from_utf8(bytes)
                .map(Value::String)
                .map_err(|_| "binary data is not valid UTF-8".to_string());
        }
        _ => {}
    }
    if style != TScalarStyle::Plain {
        return Ok(Value::string(s));
    }
    Ok(resolve_plain(s).unwrap_or_else(|| Value::string(s)))
}

/// YAML 1.1 resolution of an untagged plain scalar; `None` means "a string".
fn resolve_plain(s: &str) -> Option<Value> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Some(Value::Bool(true))
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Some(Value::Bool(false))
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Some(Value::Number(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => return Some(Value::Number(f64::NEG_INFINITY)),
        _ => {}
    }
    let plain: String = s.chars().filter(|c| *c != '_').collect();
    let (neg, body) = match plain.as_bytes().first() {
        Some(b'-') => (true, &plain[1..]),
        Some(b'+') => (false, &plain[1..]),
        _ => (false, plain.as_str()),
    };
    let sign = if neg { -1.0 } else { 1.0 };
    let radix = |digits: &str, r: u32| {
        if digits.is_empty() {
            return None;
        }
        i128::from_str_radix(digits, r)
            .ok()
            .map(|n| Value::Number(sign * n as f64))
    };
    if let Some(h) = body.strip_prefix("0x") {
        return radix(h, 16);
    }
    if let Some(b) = body.strip_prefix("0b") {
        return radix(b, 2);
    }
    if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) {
        return radix(body, 10);
    }
    let looks_float = body.bytes().any(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if looks_float {
        if let Ok(f) = plain.parse::<f64>() {
            return Some(Value::Number(f));
        }
    }
    timestamp(s).map(Value::String)
}

/// A YAML timestamp (`2001-12-14`, `2001-12-14t21:59:43.10-05:00`, `2001-12-14 21:59:43.10 -5`)
/// as an RFC 3339 string.
fn timestamp(s: &str) -> Option<String> {
    use chrono::{NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};
    if s.len() == 10 {
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
        let dt = d.and_hms_opt(0, 0, 0)?;
        return Some(
            Utc.from_utc_datetime(&dt)
                .to_rfc3339_opts(SecondsFormat::AutoSi, true),
        );
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&s.replacen(['t', ' '], "T", 1)) {
        return Some(t.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
    let dt = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").ok()?;
    Some(
        Utc.from_utc_datetime(&dt)
            .to_rfc3339_opts(SecondsFormat::AutoSi, true),
    )
}

// ---------- encoding ----------

/// Encodes a value as Terraform's `yamlencode` does.
pub fn encode(v: &Value) -> String {
    let mut out = String::new();
    node(&mut out, v, 0, true);
    out.push('\n');
    if matches!(v, Value::Null | Value::Bool(_) | Value::Number(_)) {
        out.push_str("...\n");
    }
    out
}

fn is_block(v: &Value) -> bool {
    match v {
        Value::List(x) | Value::Set(x) => !x.is_empty(),
        Value::Map(m) => !m.is_empty(),
        _ => false,
    }
}

fn newline(out: &mut String, indent: usize) {
    out.push('\n');
    out.push_str(&" ".repeat(indent));
}

/// Writes `v` at the current position; continuation lines start at `indent`.
fn node(out: &mut String, v: &Value, indent: usize, root: bool) {
    match v {
        Value::Map(m) if !m.is_empty() => {
            for (i, (k, val)) in m.iter().enumerate() {
                if i > 0 {
                    newline(out, indent);
                }
                if k.contains('\n') {
                    out.push_str("? ");
                    literal(out, k, indent + 2);
                    newline(out, indent);
                    out.push(':');
                } else {
                    quoted(out, k, indent, false);
                    out.push(':');
                }
                match val {
                    Value::Map(_) if is_block(val) => {
                        newline(out, indent + 2);
                        node(out, val, indent + 2, false);
                    }
                    Value::List(_) | Value::Set(_) if is_block(val) => {
                        newline(out, indent);
                        node(out, val, indent, false);
                    }
                    _ => {
                        out.push(' ');
                        node(out, val, indent + 2, false);
                    }
                }
            }
        }
        Value::List(items) | Value::Set(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    newline(out, indent);
                }
                out.push_str("- ");
                node(out, item, indent + 2, false);
            }
        }
        Value::Map(_) => out.push_str("{}"),
        Value::List(_) | Value::Set(_) => out.push_str("[]"),
        Value::Null | Value::Unknown => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if n.is_infinite() => {
            out.push_str(if *n > 0.0 { "+.inf" } else { "-.inf" })
        }
        Value::Number(n) => out.push_str(&format_number(*n)),
        Value::String(s) if s.contains('\n') && literal_ok(s) => {
            literal(out, s, if root { 2 } else { indent })
        }
        Value::String(s) => quoted(out, s, indent, true),
    }
}

/// Whether a multi-line string may be a literal block: no characters that need escapes
/// (tabs included), no space right before a line break and no trailing space; otherwise
/// the emitter falls back to a double-quoted string.
fn literal_ok(s: &str) -> bool {
    s.chars().all(|c| {
        c == '\n'
            || !(c.is_control() || matches!(c, '\u{feff}' | '\u{85}' | '\u{2028}' | '\u{2029}'))
    }) && !s.contains(" \n")
        && !s.ends_with(' ')
}

fn literal(out: &mut String, s: &str, indent: usize) {
    out.push('|');
    if s.starts_with(' ') || s.starts_with('\n') {
        out.push('2');
    }
    let trailing = s.len() - s.trim_end_matches('\n').len();
    out.push_str(match trailing {
        0 => "-",
        1 if s.len() > 1 => "",
        _ => "+",
    });
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&" ".repeat(indent));
            out.push_str(line);
        }
    }
}

fn column(out: &str) -> usize {
    out.rsplit('\n').next().map_or(0, |l| l.chars().count())
}

fn quoted(out: &mut String, s: &str, indent: usize, allow_breaks: bool) {
    out.push('"');
    let chars: Vec<char> = s.chars().collect();
    let mut spaces = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let printable = !(c.is_control()
            || c == '\u{feff}'
            || c == '\u{2028}'
            || c == '\u{2029}'
            || c == '\u{85}');
        if !printable || c == '"' || c == '\\' {
            let esc = match c {
                '\0' => "\\0".to_string(),
                '\u{7}' => "\\a".to_string(),
                '\u{8}' => "\\b".to_string(),
                '\t' => "\\t".to_string(),
                '\n' => "\\n".to_string(),
                '\u{b}' => "\\v".to_string(),
                '\u{c}' => "\\f".to_string(),
                '\r' => "\\r".to_string(),
                '\u{1b}' => "\\e".to_string(),
                '"' => "\\\"".to_string(),
                '\\' => "\\\\".to_string(),
                '\u{85}' => "\\N".to_string(),
                '\u{a0}' => "\\_".to_string(),
                '\u{2028}' => "\\L".to_string(),
                '\u{2029}' => "\\P".to_string(),
                c if (c as u32) <= 0xff => format!("\\x{:02X}", c as u32),
                c => format!("\\u{:04X}", c as u32),
            };
            out.push_str(&esc);
            spaces = false;
        } else if c == ' ' {
            if allow_breaks && !spaces && column(out) > 80 && i > 0 && i + 1 < chars.len() {
                newline(out, indent);
                if chars[i + 1] == ' ' {
                    out.push('\\');
                }
            } else {
                out.push(c);
            }
            spaces = true;
        } else {
            out.push(c);
            spaces = false;
        }
        i += 1;
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;

    fn y(v: Value) -> String {
        match ok("yamlencode", vec![v]) {
            Value::String(s) => s,
            other => panic!("{other}"),
        }
    }

    #[test]
    fn encode_matches_terraform() {
        let v = Value::map([
            ("a", s("b")),
            (
                "c",
                Value::List(vec![n(1.0), n(2.5), Value::Bool(true), Value::Null]),
            ),
            ("d e", Value::map([("x", s("multi\nline"))])),
            ("f", Value::List(vec![])),
            ("g", Value::map::<&str>([])),
        ]);
        assert_eq!(
            y(v),
            "\"a\": \"b\"\n\"c\":\n- 1\n- 2.5\n- true\n- null\n\"d e\":\n  \"x\": |-\n    multi\n    line\n\"f\": []\n\"g\": {}\n"
        );
        assert_eq!(y(s("x")), "\"x\"\n");
        assert_eq!(y(Value::Null), "null\n...\n");
        assert_eq!(y(n(1.5)), "1.5\n...\n");
        let nested = Value::List(vec![
            nl(&[1.0, 2.0]),
            Value::map([
                ("a", n(1.0)),
                ("b", Value::List(vec![n(3.0), Value::map([("c", n(4.0))])])),
            ]),
            Value::List(vec![]),
            Value::map::<&str>([]),
            s("x"),
        ]);
        assert_eq!(
            y(nested),
            "- - 1\n  - 2\n- \"a\": 1\n  \"b\":\n  - 3\n  - \"c\": 4\n- []\n- {}\n- \"x\"\n"
        );
    }

    #[test]
    fn encode_strings_like_terraform() {
        let words = "word ".repeat(30);
        let v = Value::map([
            ("s", s("a\nb\n")),
            ("t", s("a\n\n")),
            ("u", s(" lead\nx")),
            ("v", s("tab\there")),
            ("w", s("é \"q\" \\")),
            ("x", s(&words)),
        ]);
        assert_eq!(
            y(v),
            "\"s\": |\n  a\n  b\n\"t\": |+\n  a\n\n\"u\": |2-\n   lead\n  x\n\"v\": \"tab\\there\"\n\"w\": \"é \\\"q\\\" \\\\\"\n\"x\": \"word word word word word word word word word word word word word word word word\n  word word word word word word word word word word word word word word \"\n"
        );
    }

    #[test]
    fn encode_falls_back_to_quotes_and_folds_nested() {
        assert_eq!(
            y(Value::map([("t", s("a\tb\nc"))])),
            "\"t\": \"a\\tb\\nc\"\n"
        );
        assert_eq!(
            y(Value::map([("u", s("trailing \nx"))])),
            "\"u\": \"trailing \\nx\"\n"
        );
        assert_eq!(y(s("a\u{7}b")), "\"a\\ab\"\n");
        assert_eq!(y(Value::Bool(true)), "true\n...\n");
        assert_eq!(y(s("\n")), "|2+\n\n");
        assert_eq!(
            y(Value::map([
                ("k", s("line1\nline2")),
                ("l", Value::List(vec![s("m\nn")])),
                ("m", Value::map([("n", s("o\n"))])),
            ])),
            "\"k\": |-\n  line1\n  line2\n\"l\":\n- |-\n  m\n  n\n\"m\":\n  \"n\": |\n    o\n"
        );
        let words = "word ".repeat(25);
        assert_eq!(
            y(Value::map([
                ("a", Value::List(vec![Value::map([("b", s(&words))])])),
                ("c", s("")),
            ])),
            "\"a\":\n- \"b\": \"word word word word word word word word word word word word word word word\n    word word word word word word word word word word \"\n\"c\": \"\"\n"
        );
        let long = "longword ".repeat(20);
        assert_eq!(
            y(Value::List(vec![s(&long)])),
            "- \"longword longword longword longword longword longword longword longword longword\n  longword longword longword longword longword longword longword longword longword\n  longword longword \"\n"
        );
    }

    #[test]
    fn decode_follows_yaml_1_1() {
        let v = ok(
            "yamldecode",
            vec![s(
                "a: 1\nb: [x, true, null, 1.5, 0x10, 010, yes, ~]\nc: !!str 5\nd: |\n  hi\n",
            )],
        );
        assert_eq!(
            v,
            Value::map([
                ("a", n(1.0)),
                (
                    "b",
                    Value::List(vec![
                        s("x"),
                        Value::Bool(true),
                        Value::Null,
                        n(1.5),
                        n(16.0),
                        n(10.0),
                        Value::Bool(true),
                        Value::Null
                    ])
                ),
                ("c", s("5")),
                ("d", s("hi\n")),
            ])
        );
        assert_eq!(
            ok("yamldecode", vec![s("- a\n- b: 2")]),
            Value::List(vec![s("a"), Value::map([("b", n(2.0))])])
        );
        assert_eq!(
            ok("yamldecode", vec![s("x: &a [1]\ny: *a")]),
            Value::map([("x", nl(&[1.0])), ("true", nl(&[1.0]))])
        );
        assert_eq!(
            ok("yamldecode", vec![s("x: 1e3\nz: 2001-12-14\nq: 'yes'")]),
            Value::map([
                ("x", n(1000.0)),
                ("z", s("2001-12-14T00:00:00Z")),
                ("q", s("yes"))
            ])
        );
        assert_eq!(
            ok(
                "yamldecode",
                vec![s("base: &b {a: 1, b: 2}\nder:\n  <<: *b\n  b: 3")]
            ),
            Value::map([
                ("base", Value::map([("a", n(1.0)), ("b", n(2.0))])),
                ("der", Value::map([("a", n(1.0)), ("b", n(3.0))])),
            ])
        );
    }

    #[test]
    fn decode_errors() {
        assert_eq!(
            err("yamldecode", vec![s("")]).message,
            "on line 1, column 1: missing start of document"
        );
        assert!(err("yamldecode", vec![s("---\na: 1\n---\nb: 2")])
            .message
            .contains("unexpected extra content after value"));
        assert!(run("yamldecode", vec![s("a: b: c")]).is_err());
        assert!(run("yamldecode", vec![s("a: [1, 2")]).is_err());
    }

    #[test]
    fn round_trip() {
        let v = Value::map([(
            "k",
            Value::List(vec![s("a b"), s("l1\nl2\n"), n(3.0), Value::Bool(false)]),
        )]);
        let text = y(v.clone());
        assert_eq!(ok("yamldecode", vec![s(&text)]), v);
    }

    mod round_trips {
        use crate::config::value::Value;
        use proptest::prelude::*;

        fn value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                (-1_000_000i64..1_000_000).prop_map(|n| Value::Number(n as f64)),
                (-1000i32..1000).prop_map(|n| Value::Number(f64::from(n) / 8.0)),
                "\\PC{0,40}".prop_map(Value::String),
                "[a-z \\t\\n\\\\\"é]{0,120}".prop_map(Value::String),
            ];
            leaf.prop_recursive(3, 24, 5, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..5).prop_map(Value::List),
                    prop::collection::btree_map("[a-z:\\n ]{0,8}", inner, 0..5)
                        .prop_map(Value::Map),
                ]
            })
        }

        proptest! {
            #[test]
            fn yaml_decodes_what_it_encodes(v in value()) {
                let text = super::super::encode(&v);
                prop_assert_eq!(super::super::decode(&text), Ok(v.clone()), "{}", text);
            }

            #[test]
            fn json_decodes_what_it_encodes(v in value()) {
                let text = super::super::super::json::encode(&v);
                prop_assert_eq!(super::super::super::json::decode(&text), Ok(v.clone()), "{}", text);
            }
        }
    }
}
