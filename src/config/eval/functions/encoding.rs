//! Encoding functions: base64decode, base64encode, base64gzip, csvdecode, textdecodebase64,
//! textencodebase64, urlencode. (jsonencode/jsondecode and the YAML pair have their own files.)

use super::{arg_err, str_arg, FuncCtx, FuncError};
use crate::config::value::{Map, Value};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use std::io::Write;

pub(super) fn base64decode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    let bytes = STANDARD
        .decode(s.as_bytes())
        .map_err(|_| FuncError::arg(0, format!("failed to decode base64 data {s:?}")))?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        arg_err(
            0,
            "str",
            "the result of decoding the provided string is not valid UTF-8",
        )
    })
}

pub(super) fn base64encode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::String(STANDARD.encode(str_arg(&a, 0, "str")?)))
}

/// Gzip then base64. The header matches Go's writer (no name, mtime 0, OS 255); the
/// compressed bytes are zlib's, so they can differ from Terraform's while decompressing to
/// the same text.
pub(super) fn base64gzip(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::default());
    let fail = |e: std::io::Error| FuncError::new(format!("failed to write gzip raw data: {e}"));
    enc.write_all(s.as_bytes()).map_err(fail)?;
    let bytes = enc.finish().map_err(fail)?;
    Ok(Value::String(STANDARD.encode(bytes)))
}

/// Splits CSV text into records as Go's `encoding/csv` reader does (RFC 4180, blank lines
/// skipped), returning each record with the line it starts on.
fn csv_records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut records = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut line = 1;
    while i < chars.len() {
        if chars[i] == '\n' || (chars[i] == '\r' && chars.get(i + 1) == Some(&'\n')) {
            i += if chars[i] == '\r' { 2 } else { 1 };
            line += 1;
            continue;
        }
        let start_line = line;
        let mut fields = Vec::new();
        loop {
            let mut field = String::new();
            if chars.get(i) == Some(&'"') {
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(format!("CSV parse error on line {line}: extraneous or missing \" in quoted-field")),
                        Some('\r') if chars.get(i + 1) == Some(&'\n') => {
                            // Go's reader turns CRLF inside a quoted field into LF.
                            field.push('\n');
                            line += 1;
                            i += 2;
                        }
                        Some('"') if chars.get(i + 1) == Some(&'"') => {
                            field.push('"');
                            i += 2;
                        }
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some(c) => {
                            if *c == '\n' {
                                line += 1;
                            }
                            field.push(*c);
                            i += 1;
                        }
                    }
                }
                match chars.get(i) {
                    None | Some(',') | Some('\n') => {}
                    Some('\r') if chars.get(i + 1) == Some(&'\n') => {}
                    Some(_) => {
                        return Err(format!(
                        "CSV parse error on line {line}: extraneous or missing \" in quoted-field"
                    ))
                    }
                }
            } else {
                while let Some(&c) = chars.get(i) {
                    if c == ',' || c == '\n' || (c == '\r' && chars.get(i + 1) == Some(&'\n')) {
                        break;
                    }
                    if c == '"' {
                        return Err(format!(
                            "CSV parse error on line {line}: bare \" in non-quoted-field"
                        ));
                    }
                    field.push(c);
                    i += 1;
                }
            }
            fields.push(field);
            match chars.get(i) {
                Some(',') => i += 1,
                Some('\r') => {
                    i += 2;
                    line += 1;
                    break;
                }
                Some('\n') => {
                    i += 1;
                    line += 1;
                    break;
                }
                _ => break,
            }
        }
        records.push((start_line, fields));
    }
    Ok(records)
}

pub(super) fn csvdecode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let text = str_arg(&a, 0, "str")?;
    let records = csv_records(&text).map_err(|e| arg_err(0, "str", e))?;
    let mut it = records.into_iter();
    let Some((_, header)) = it.next() else {
        return Err(arg_err(0, "str", "missing header line"));
    };
    let mut out = Vec::new();
    for (line, rec) in it {
        if rec.len() != header.len() {
            return Err(arg_err(
                0,
                "str",
                format!("CSV parse error on line {line}: wrong number of fields"),
            ));
        }
        let row: Map = header
            .iter()
            .cloned()
            .zip(rec.into_iter().map(Value::String))
            .collect();
        out.push(Value::Map(row));
    }
    Ok(Value::List(out))
}

/// Encodes text in a named character encoding.
fn encode_text(s: &str, name: &str) -> Option<Result<Vec<u8>, ()>> {
    let upper = name.to_ascii_uppercase();
    match upper.as_str() {
        "UTF-16LE" => return Some(Ok(s.encode_utf16().flat_map(u16::to_le_bytes).collect())),
        "UTF-16BE" => return Some(Ok(s.encode_utf16().flat_map(u16::to_be_bytes).collect())),
        "UTF-16" => {
            let mut v = vec![0xfe, 0xff];
            v.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
            return Some(Ok(v));
        }
        _ => {}
    }
    let enc = encoding_rs::Encoding::for_label(name.as_bytes())?;
    let (bytes, _, had_errors) = enc.encode(s);
    Some(if had_errors {
        Err(())
    } else {
        Ok(bytes.into_owned())
    })
}

fn decode_text(bytes: &[u8], name: &str) -> Option<Result<String, ()>> {
    let enc = encoding_rs::Encoding::for_label(name.as_bytes())?;
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    Some(if had_errors {
        Err(())
    } else {
        Ok(text.into_owned())
    })
}

fn unsupported(name: &str) -> FuncError {
    arg_err(
        1,
        "encoding",
        format!(
            "{name:?} is not a supported IANA encoding name or alias in this Terraform version"
        ),
    )
}

pub(super) fn textencodebase64(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "string")?;
    let name = str_arg(&a, 1, "encoding")?;
    match encode_text(&s, &name) {
        None => Err(unsupported(&name)),
        Some(Err(())) => Err(arg_err(
            0,
            "string",
            format!("the given string contains characters that cannot be represented in {name}"),
        )),
        Some(Ok(bytes)) => Ok(Value::String(STANDARD.encode(bytes))),
    }
}

pub(super) fn textdecodebase64(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "source")?;
    let name = str_arg(&a, 1, "encoding")?;
    if encoding_rs::Encoding::for_label(name.as_bytes()).is_none() {
        return Err(unsupported(&name));
    }
    let bytes = STANDARD.decode(s.as_bytes()).map_err(|e| {
        arg_err(
            0,
            "source",
            format!("the given value has an invalid base64 symbol: {e}"),
        )
    })?;
    match decode_text(&bytes, &name) {
        None => Err(unsupported(&name)),
        Some(Err(())) => Err(arg_err(
            0,
            "source",
            format!("the given value contains bytes that are not valid in {name}"),
        )),
        Some(Ok(text)) => Ok(Value::String(text)),
    }
}

pub(super) fn urlencode(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let s = str_arg(&a, 0, "str")?;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(Value::String(out))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;
    use std::io::Read;

    #[test]
    fn base64() {
        assert_eq!(
            ok("base64encode", vec![s("Hello World")]),
            s("SGVsbG8gV29ybGQ=")
        );
        assert_eq!(
            ok("base64decode", vec![s("SGVsbG8gV29ybGQ=")]),
            s("Hello World")
        );
        assert!(err("base64decode", vec![s("SGVsbG8")])
            .message
            .contains("failed to decode base64 data"));
        assert!(err("base64decode", vec![s("/w==")])
            .message
            .contains("not valid UTF-8"));
    }

    #[test]
    fn gzip_round_trips_with_go_header() {
        let Value::String(b64) = ok("base64gzip", vec![s("hello")]) else {
            panic!()
        };
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap_or_default();
        assert_eq!(&bytes[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap_or_default();
        assert_eq!(text, "hello");
    }

    #[test]
    fn csv() {
        assert_eq!(
            ok("csvdecode", vec![s("a,b\n1,\"x,y\"\n\r\n2,\"q\"\"\"\r\n")]),
            Value::List(vec![
                Value::map([("a", s("1")), ("b", s("x,y"))]),
                Value::map([("a", s("2")), ("b", s("q\""))]),
            ])
        );
        assert_eq!(ok("csvdecode", vec![s("a,b")]), Value::List(vec![]));
        assert_eq!(
            ok("csvdecode", vec![s("a,b\n\"x\r\ny\",z\n")]),
            Value::List(vec![Value::map([("a", s("x\ny")), ("b", s("z"))])])
        );
        assert!(err("csvdecode", vec![s("")])
            .message
            .contains("missing header line"));
        assert!(err("csvdecode", vec![s("a,b\n1\n")])
            .message
            .contains("CSV parse error on line 2: wrong number of fields"));
        assert!(err("csvdecode", vec![s("a\nx\"y\n")])
            .message
            .contains("bare \" in non-quoted-field"));
    }

    #[test]
    fn text_encodings() {
        assert_eq!(
            ok("textencodebase64", vec![s("Hello World"), s("UTF-16LE")]),
            s("SABlAGwAbABvACAAVwBvAHIAbABkAA==")
        );
        assert_eq!(
            ok(
                "textdecodebase64",
                vec![s("SABlAGwAbABvACAAVwBvAHIAbABkAA=="), s("UTF-16LE")]
            ),
            s("Hello World")
        );
        assert_eq!(ok("textencodebase64", vec![s("é"), s("UTF-8")]), s("w6k="));
        assert_eq!(
            ok("textencodebase64", vec![s("é"), s("ISO-8859-1")]),
            s("6Q==")
        );
        let e = err("textencodebase64", vec![s("x"), s("nope")]);
        assert_eq!(e.arg, Some(1));
        assert!(e.message.contains("is not a supported IANA encoding name"));
        assert_eq!(
            err("textencodebase64", vec![s("日本"), s("ISO-8859-1")]).arg,
            Some(0)
        );
    }

    #[test]
    fn url() {
        assert_eq!(
            ok("urlencode", vec![s("a b&c=d/é~*")]),
            s("a+b%26c%3Dd%2F%C3%A9~%2A")
        );
        assert_eq!(
            ok("urlencode", vec![s("https://example.com/?x=1")]),
            s("https%3A%2F%2Fexample.com%2F%3Fx%3D1")
        );
    }
}
