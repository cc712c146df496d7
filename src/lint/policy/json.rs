//! A small JSON parser that keeps the byte span of every element (serde_json forgets them).
//!
//! Strict JSON (RFC 8259) plus nothing else; errors carry the byte offset where parsing stopped.

use super::node::{Member, Node, NodeKind};
use crate::diag::{FileId, Span};

/// Why a text is not JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct JsonError {
    /// What went wrong.
    pub message: String,
    /// Byte offset (in the parsed text, plus the base offset) where it went wrong.
    pub offset: usize,
}

/// Parses `text` as one JSON document. Spans are `base + offset in text` in `file`, so JSON
/// embedded in another file (a heredoc in a `.tf`) gets spans in that file.
///
/// # Errors
/// [`JsonError`] when `text` is not a single JSON value.
pub fn parse(text: &str, file: FileId, base: usize) -> Result<Node, JsonError> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        file,
        base,
        depth: 0,
    };
    p.ws();
    let node = p.value()?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("unexpected text after the JSON value"));
    }
    Ok(node)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    file: FileId,
    base: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, message: &str) -> JsonError {
        JsonError {
            message: message.to_string(),
            offset: self.base + self.i,
        }
    }

    fn span(&self, start: usize) -> Span {
        Span::new(self.file, self.base + start..self.base + self.i)
    }

    fn ws(&mut self) {
        while let Some(b) = self.s.get(self.i) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn value(&mut self) -> Result<Node, JsonError> {
        let start = self.i;
        match self.s.get(self.i) {
            None => Err(self.err("unexpected end of JSON")),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node::new(NodeKind::String(s), self.span(start)))
            }
            Some(b't') => self.word("true", NodeKind::Bool(true)),
            Some(b'f') => self.word("false", NodeKind::Bool(false)),
            Some(b'n') => self.word("null", NodeKind::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err("expected a JSON value")),
        }
    }

    fn word(&mut self, w: &str, kind: NodeKind) -> Result<Node, JsonError> {
        let start = self.i;
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            Ok(Node::new(kind, self.span(start)))
        } else {
            Err(self.err("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Node, JsonError> {
        let start = self.i;
        if self.s.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.i;
            while matches!(p.s.get(p.i), Some(b'0'..=b'9')) {
                p.i += 1;
            }
            p.i > s
        };
        if !digits(self) {
            return Err(self.err("malformed number"));
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            if !digits(self) {
                return Err(self.err("malformed number"));
            }
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return Err(self.err("malformed number"));
            }
        }
        let text = self.text[start..self.i].to_string();
        Ok(Node::new(NodeKind::Number(text), self.span(start)))
    }

    fn string(&mut self) -> Result<String, JsonError> {
        // at '"'
        self.i += 1;
        let mut out = String::new();
        loop {
            let run_start = self.i;
            while let Some(&b) = self.s.get(self.i) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(&self.text[run_start..self.i]);
            match self.s.get(self.i) {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = match self.s.get(self.i) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.i += 1;
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi)
                                && self.s[self.i..].starts_with(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                            continue;
                        }
                        _ => return Err(self.err("invalid escape in string")),
                    };
                    self.i += 1;
                    out.push(c);
                }
                Some(_) => return Err(self.err("control character in string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let h = self
            .text
            .get(self.i..self.i + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.err("invalid \\u escape"))?;
        self.i += 4;
        Ok(h)
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > 128 {
            return Err(self.err("JSON nested too deeply"));
        }
        Ok(())
    }

    fn array(&mut self) -> Result<Node, JsonError> {
        let start = self.i;
        self.enter()?;
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
        } else {
            loop {
                self.ws();
                items.push(self.value()?);
                self.ws();
                match self.s.get(self.i) {
                    Some(b',') => self.i += 1,
                    Some(b']') => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(self.err("expected ',' or ']' in array")),
                }
            }
        }
        self.depth -= 1;
        Ok(Node::new(NodeKind::Array(items), self.span(start)))
    }

    fn object(&mut self) -> Result<Node, JsonError> {
        let start = self.i;
        self.enter()?;
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
        } else {
            loop {
                self.ws();
                if self.s.get(self.i) != Some(&b'"') {
                    return Err(self.err("expected a string key in object"));
                }
                let kstart = self.i;
                let key = self.string()?;
                let key_span = self.span(kstart);
                self.ws();
                if self.s.get(self.i) != Some(&b':') {
                    return Err(self.err("expected ':' after object key"));
                }
                self.i += 1;
                self.ws();
                let value = self.value()?;
                members.push(Member {
                    key,
                    key_span,
                    value,
                });
                self.ws();
                match self.s.get(self.i) {
                    Some(b',') => self.i += 1,
                    Some(b'}') => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(self.err("expected ',' or '}' in object")),
                }
            }
        }
        self.depth -= 1;
        Ok(Node::new(NodeKind::Object(members), self.span(start)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spans() {
        let text = r#"{ "a": [1, "x\n", true], "b": null }"#;
        let n = parse(text, FileId(0), 10).unwrap();
        let a = n.get("a").unwrap();
        assert_eq!(a.key_span.start, 12);
        let NodeKind::Array(items) = &a.value.kind else {
            panic!()
        };
        assert_eq!(items[1].as_str(), Some("x\n"));
        assert_eq!(
            &text[items[1].span.start as usize - 10..items[1].span.end as usize - 10],
            "\"x\\n\""
        );
    }

    #[test]
    fn rejects_bad_json() {
        assert!(parse("{\"a\": }", FileId(0), 0).is_err());
        assert!(parse("[1,]", FileId(0), 0).is_err());
        assert!(parse("{} x", FileId(0), 0).is_err());
        let e = parse("{\"a\" 1}", FileId(0), 0).unwrap_err();
        assert_eq!(e.offset, 5);
    }

    #[test]
    fn decodes_unicode_escapes() {
        let n = parse(r#""\u00e9\ud83d\ude00""#, FileId(0), 0).unwrap();
        assert_eq!(n.as_str(), Some("é😀"));
    }
}
