//! IAM policy documents as a tree with source spans, whatever they were written as: a JSON
//! file, heredoc JSON inside a `.tf` file, or a `jsonencode({...})` object literal (whose spans
//! are the HCL nodes', so a finding points at the `Action = "*"` line). Values not known
//! statically (references, interpolations) are [`Node::Unknown`]: rules never fire on them.

use crate::diag::{FileId, Span};

/// A JSON-like node with its span.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A string.
    Str(String, Span),
    /// A number, bool or null (rules rarely care).
    Scalar(String, Span),
    /// An array.
    Arr(Vec<Node>, Span),
    /// An object: (key, key span, value).
    Obj(Vec<(String, Span, Node)>, Span),
    /// Not known until apply.
    Unknown(Span),
}

impl Node {
    /// Its span.
    pub fn span(&self) -> Span {
        match self {
            Node::Str(_, s)
            | Node::Scalar(_, s)
            | Node::Arr(_, s)
            | Node::Obj(_, s)
            | Node::Unknown(s) => *s,
        }
    }

    /// A member of an object, by key (exact case first, then case-insensitive as IAM is).
    pub fn get(&self, key: &str) -> Option<(&Span, &Node)> {
        let Node::Obj(m, _) = self else { return None };
        m.iter()
            .find(|(k, _, _)| k == key)
            .or_else(|| m.iter().find(|(k, _, _)| k.eq_ignore_ascii_case(key)))
            .map(|(_, s, v)| (s, v))
    }

    /// A string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s, _) => Some(s),
            _ => None,
        }
    }

    /// A single value or an array of values, as IAM allows for Action/Resource: the items.
    pub fn items(&self) -> Vec<&Node> {
        match self {
            Node::Arr(a, _) => a.iter().collect(),
            other => vec![other],
        }
    }

    /// True when the node or anything inside it is unknown.
    pub fn has_unknown(&self) -> bool {
        match self {
            Node::Unknown(_) => true,
            Node::Arr(a, _) => a.iter().any(Node::has_unknown),
            Node::Obj(m, _) => m.iter().any(|(_, _, v)| v.has_unknown()),
            _ => false,
        }
    }

    /// Plain JSON (unknowns as null), for size checks.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Node::Str(s, _) => serde_json::Value::String(s.clone()),
            Node::Scalar(s, _) => serde_json::from_str(s).unwrap_or(serde_json::Value::Null),
            Node::Arr(a, _) => serde_json::Value::Array(a.iter().map(Node::to_json).collect()),
            Node::Obj(m, _) => serde_json::Value::Object(
                m.iter().map(|(k, _, v)| (k.clone(), v.to_json())).collect(),
            ),
            Node::Unknown(_) => serde_json::Value::Null,
        }
    }

    /// Builds a node from a value with one span for everything.
    pub fn from_value(v: &crate::config::value::Value, span: Span) -> Node {
        use crate::config::value::Value;
        match v {
            Value::String(s) => Node::Str(s.clone(), span),
            Value::List(l) | Value::Set(l) => {
                Node::Arr(l.iter().map(|x| Node::from_value(x, span)).collect(), span)
            }
            Value::Map(m) => Node::Obj(
                m.iter()
                    .map(|(k, x)| (k.clone(), span, Node::from_value(x, span)))
                    .collect(),
                span,
            ),
            Value::Unknown => Node::Unknown(span),
            other => Node::Scalar(other.to_json().to_string(), span),
        }
    }
}

/// A JSON syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    /// What is wrong.
    pub message: String,
    /// Where (absolute byte offset in the file).
    pub offset: usize,
}

/// Parses JSON text into a spanned tree. `base` is the byte offset of `text` within `file`.
///
/// # Errors
/// The first syntax error with its offset.
pub fn parse_json(text: &str, file: FileId, base: usize) -> Result<Node, JsonError> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        file,
        base,
        text,
    };
    p.ws();
    let n = p.value()?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("unexpected text after the document"));
    }
    Ok(n)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    file: FileId,
    base: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn err(&self, m: &str) -> JsonError {
        JsonError {
            message: m.to_string(),
            offset: self.base + self.i,
        }
    }
    fn span(&self, start: usize) -> Span {
        Span::new(self.file, self.base + start..self.base + self.i)
    }
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    fn value(&mut self) -> Result<Node, JsonError> {
        let start = self.i;
        match self.s.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut m = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Node::Obj(m, self.span(start)));
                }
                loop {
                    self.ws();
                    let ks = self.i;
                    let Node::Str(k, _) = self.string()? else {
                        return Err(self.err("expected a key"));
                    };
                    let kspan = self.span(ks);
                    self.ws();
                    if self.s.get(self.i) != Some(&b':') {
                        return Err(self.err("expected ':'"));
                    }
                    self.i += 1;
                    self.ws();
                    let v = self.value()?;
                    m.push((k, kspan, v));
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Node::Obj(m, self.span(start)));
                        }
                        _ => return Err(self.err("expected ',' or '}'")),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut a = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Node::Arr(a, self.span(start)));
                }
                loop {
                    self.ws();
                    a.push(self.value()?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Node::Arr(a, self.span(start)));
                        }
                        _ => return Err(self.err("expected ',' or ']'")),
                    }
                }
            }
            Some(b'"') => self.string(),
            Some(_) => {
                while self.i < self.s.len()
                    && !matches!(
                        self.s[self.i],
                        b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'
                    )
                {
                    self.i += 1;
                }
                let t = &self.text[start..self.i];
                if serde_json::from_str::<serde_json::Value>(t).is_err() {
                    self.i = start;
                    return Err(self.err("expected a JSON value"));
                }
                Ok(Node::Scalar(t.to_string(), self.span(start)))
            }
            None => Err(self.err("unexpected end of document")),
        }
    }
    fn string(&mut self) -> Result<Node, JsonError> {
        let start = self.i;
        if self.s.get(self.i) != Some(&b'"') {
            return Err(self.err("expected a string"));
        }
        self.i += 1;
        while self.i < self.s.len() {
            match self.s[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    let raw = &self.text[start..self.i];
                    let v: String = serde_json::from_str(raw).map_err(|e| JsonError {
                        message: e.to_string(),
                        offset: self.base + start,
                    })?;
                    return Ok(Node::Str(v, self.span(start)));
                }
                _ => self.i += 1,
            }
        }
        Err(self.err("unterminated string"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spans() {
        let t = "{\n  \"Action\": [\"s3:*\", \"iam:PassRole\"]\n}";
        let n = parse_json(t, FileId(0), 0).expect("parses");
        let (ks, v) = n.get("action").expect("case-insensitive");
        assert_eq!(&t[ks.range()], "\"Action\"");
        assert_eq!(v.items()[1].as_str(), Some("iam:PassRole"));
        assert_eq!(&t[v.items()[1].span().range()], "\"iam:PassRole\"");
        assert!(parse_json("{\"a\": }", FileId(0), 0).is_err());
    }
}
