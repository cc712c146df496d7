//! Canonical formatting of `.tf` files, as `terraform fmt` does it: two-space indentation by
//! nesting depth, one space around `=`, the `=` of consecutive attribute lines aligned,
//! trailing whitespace removed, exactly one newline at the end. Comments and heredocs are kept
//! as written. A file that does not parse is left alone and reported.

use crate::cli::Output;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Formats HCL source text.
///
/// # Errors
/// The parse error message when the text is not valid HCL (nothing is rewritten then).
pub fn format_source(src: &str) -> Result<String, String> {
    hcl_edit::parser::parse_body(src)
        .map_err(|e| format!("line {}: {}", e.location().line(), e.message()))?;
    let mut lines: Vec<Line> = Vec::new();
    // One indent level per line that leaves brackets open; closing them all pops the level.
    let mut groups: Vec<i64> = Vec::new();
    let mut heredoc: Option<String> = None;
    let mut block_comment = false;
    for raw in src.lines() {
        let depth = groups.len() as i64;
        if let Some(delim) = &heredoc {
            if raw.trim() == delim {
                heredoc = None;
                lines.push(Line {
                    text: raw.trim_end().to_string(),
                    depth,
                    verbatim: true,
                    attr: None,
                    multiline: false,
                });
            } else {
                lines.push(Line {
                    text: raw.trim_end_matches(['\r']).to_string(),
                    depth,
                    verbatim: true,
                    attr: None,
                    multiline: false,
                });
            }
            continue;
        }
        if block_comment {
            if raw.contains("*/") {
                block_comment = false;
            }
            lines.push(Line {
                text: raw.trim_end().to_string(),
                depth,
                verbatim: true,
                attr: None,
                multiline: false,
            });
            continue;
        }
        let trimmed = raw.trim();
        let scan = scan_line(trimmed);
        // Leading closers close groups before this line is indented.
        let mut to_close = scan.leading_closers as i64;
        let mut partly_closed = false;
        while to_close > 0 {
            match groups.last_mut() {
                Some(g) if *g > to_close => {
                    *g -= to_close;
                    to_close = 0;
                    partly_closed = true;
                }
                Some(g) => {
                    to_close -= *g;
                    groups.pop();
                }
                None => break,
            }
        }
        // A line that starts by closing part of a group is already dedented.
        let line_depth = groups.len() as i64 - i64::from(partly_closed);
        let text = respace(trimmed);
        let text = if scan.is_attribute_start {
            normalise_equals(&text)
        } else {
            text
        };
        let rest_delta = scan.delta + scan.leading_closers as i64;
        let multiline = rest_delta > 0;
        let attr = scan.is_attribute_start.then(|| text.find('=').unwrap_or(0));
        lines.push(Line {
            text,
            depth: line_depth,
            verbatim: false,
            attr,
            multiline,
        });
        // The rest of the line: closers then openers.
        let mut net = rest_delta;
        while net < 0 {
            match groups.last_mut() {
                Some(g) if *g > -net => {
                    *g += net;
                    net = 0;
                }
                Some(g) => {
                    net += *g;
                    groups.pop();
                }
                None => break,
            }
        }
        if net > 0 {
            groups.push(net);
        }
        if let Some(d) = scan.heredoc {
            heredoc = Some(d);
        }
        block_comment = scan.opens_block_comment;
    }
    align(&mut lines);
    let mut out = String::with_capacity(src.len());
    for l in &lines {
        if l.verbatim {
            out.push_str(&l.text);
        } else if !l.text.is_empty() {
            for _ in 0..l.depth {
                out.push_str("  ");
            }
            out.push_str(l.text.trim_end());
        }
        out.push('\n');
    }
    // Like terraform fmt, keep the file's ending as it was (no newline added or removed) and
    // its line endings.
    if !src.ends_with('\n') {
        out.pop();
    }
    if src.contains("\r\n") {
        out = out.replace('\n', "\r\n");
    }
    Ok(out)
}

struct Line {
    text: String,
    depth: i64,
    verbatim: bool,
    /// Byte offset of `=` for an attribute line.
    attr: Option<usize>,
    /// The line opens a value that continues on later lines.
    multiline: bool,
}

#[derive(Default)]
struct Scan {
    delta: i64,
    leading_closers: usize,
    is_attribute_start: bool,
    heredoc: Option<String>,
    opens_block_comment: bool,
}

fn scan_line(t: &str) -> Scan {
    let mut s = Scan {
        leading_closers: t
            .chars()
            .take_while(|c| matches!(c, '}' | ']' | ')'))
            .count(),
        ..Scan::default()
    };
    // identifier followed by `=` (not `==`, not `=>`)
    let ident_len = t
        .char_indices()
        .find(|(i, c)| !(c.is_alphanumeric() || *c == '_' || (*c == '-' && *i > 0)))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    // A quoted object key: "a.b" = value
    let quoted_len = if let Some(rest) = t.strip_prefix('"') {
        rest.find('"')
            .map(|i| i + 2)
            .filter(|&n| !t[1..n - 1].contains("${"))
            .unwrap_or(0)
    } else {
        0
    };
    if quoted_len > 0 {
        let rest = t[quoted_len..].trim_start();
        if rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>") {
            s.is_attribute_start = true;
        }
    } else if ident_len > 0
        && t.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
    {
        let rest = t[ident_len..].trim_start();
        if rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>") {
            s.is_attribute_start = true;
        }
    }
    let b = t.as_bytes();
    let mut i = 0;
    // Stack of contexts: true = inside a string, false = inside an interpolation's braces.
    let mut in_string = false;
    let mut interp_depth: Vec<i64> = Vec::new();
    while i < b.len() {
        let c = b[i] as char;
        if in_string {
            match c {
                '\\' => i += 1,
                '"' => in_string = false,
                '$' | '%' if b.get(i + 1) == Some(&b'{') => {
                    interp_depth.push(0);
                    in_string = false;
                    i += 1;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            '"' => in_string = true,
            '#' => break,
            '/' if b.get(i + 1) == Some(&b'/') => break,
            '/' if b.get(i + 1) == Some(&b'*') && !t[i..].contains("*/") => {
                s.opens_block_comment = true;
                break;
            }
            '<' if b.get(i + 1) == Some(&b'<') => {
                let rest = t[i + 2..].trim_start_matches('-');
                let delim: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !delim.is_empty() {
                    s.heredoc = Some(delim);
                    break;
                }
            }
            '{' | '[' | '(' => {
                if let Some(d) = interp_depth.last_mut() {
                    *d += 1;
                }
                s.delta += 1;
            }
            '}' | ']' | ')' => {
                if c == '}' {
                    if let Some(d) = interp_depth.last_mut() {
                        if *d == 0 {
                            interp_depth.pop();
                            in_string = true;
                            i += 1;
                            continue;
                        }
                        *d -= 1;
                    }
                } else if let Some(d) = interp_depth.last_mut() {
                    *d -= 1;
                }
                s.delta -= 1;
            }
            _ => {}
        }
        i += 1;
    }
    s
}

/// `key=value` → `key = value`.
fn normalise_equals(t: &str) -> String {
    let Some(eq) = t.find('=') else {
        return t.to_string();
    };
    let key = t[..eq].trim_end();
    let value = t[eq + 1..].trim_start();
    if value.is_empty() {
        format!("{key} =")
    } else {
        format!("{key} = {value}")
    }
}

/// Aligns `=` over runs of consecutive single-line attribute lines at the same depth. An
/// attribute whose value spans lines is neither aligned nor part of a run.
fn align(lines: &mut [Line]) {
    let mut i = 0;
    while i < lines.len() {
        let start_ok = |l: &Line| l.attr.is_some() && !l.verbatim && !l.multiline;
        if !start_ok(&lines[i]) {
            i += 1;
            continue;
        }
        let depth = lines[i].depth;
        let mut j = i;
        while j < lines.len() && start_ok(&lines[j]) && lines[j].depth == depth {
            j += 1;
        }
        let width = lines[i..j]
            .iter()
            .filter_map(|l| l.attr.map(|p| l.text[..p].trim_end().chars().count()))
            .max()
            .unwrap_or(0);
        for l in &mut lines[i..j] {
            if let Some(p) = l.attr {
                let key = l.text[..p].trim_end().to_string();
                let rest = l.text[p..].to_string();
                let pad = width - key.chars().count();
                l.text = format!("{key}{} {rest}", " ".repeat(pad));
            }
        }
        i = j.max(i + 1);
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Punct(String),
    Comment(String),
}

/// Splits the code of one line into tokens; strings (with their templates) and comments are
/// kept whole. Returns None when the line holds something we do not re-space (an unterminated
/// string, a heredoc start).
fn tokens(line: &str) -> Option<Vec<Tok>> {
    let b: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '#' || (c == '/' && b.get(i + 1) == Some(&'/')) {
            out.push(Tok::Comment(b[i..].iter().collect()));
            break;
        }
        if c == '/' && b.get(i + 1) == Some(&'*') {
            return None;
        }
        if c == '<' && b.get(i + 1) == Some(&'<') {
            return None;
        }
        if c == '"' {
            let start = i;
            i += 1;
            let mut depth = 0;
            let mut closed = false;
            while i < b.len() {
                match b[i] {
                    '\\' => i += 1,
                    '$' | '%' if b.get(i + 1) == Some(&'{') => {
                        depth += 1;
                        i += 1;
                    }
                    '}' if depth > 0 => depth -= 1,
                    '"' if depth == 0 => {
                        closed = true;
                        break;
                    }
                    _ => {}
                }
                i += 1;
            }
            if !closed {
                return None;
            }
            out.push(Tok::Str(b[start..=i].iter().collect()));
            i += 1;
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < b.len()
                && (b[i].is_alphanumeric()
                    || b[i] == '_'
                    || b[i] == '-'
                    || (b[i] == '.'
                        && b.get(i + 1).is_some_and(|d| d.is_ascii_digit())
                        && b[start].is_ascii_digit()))
            {
                i += 1;
            }
            out.push(Tok::Word(b[start..i].iter().collect()));
            continue;
        }
        let two: String = b[i..(i + 2).min(b.len())].iter().collect();
        let three: String = b[i..(i + 3).min(b.len())].iter().collect();
        let p = if three == "..." {
            three
        } else if ["==", "!=", "<=", ">=", "&&", "||", "=>"].contains(&two.as_str()) {
            two
        } else {
            c.to_string()
        };
        i += p.chars().count();
        out.push(Tok::Punct(p));
    }
    Some(out)
}

/// `"${expr}"` → `expr`, as terraform fmt does for interpolation-only strings.
fn unwrap_interpolation(s: &str) -> String {
    let Some(inner) = s.strip_prefix("\"${").and_then(|r| r.strip_suffix("}\"")) else {
        return s.to_string();
    };
    if inner.starts_with('~') || inner.ends_with('~') || inner.trim().is_empty() {
        return s.to_string();
    }
    // The first `${` must close exactly at the end: one interpolation, nothing else.
    let mut depth = 0i32;
    let mut in_str = false;
    let mut prev = ' ';
    for c in inner.chars() {
        match c {
            '"' if prev != '\\' => in_str = !in_str,
            '{' if !in_str => depth += 1,
            '}' if !in_str => {
                depth -= 1;
                if depth < 0 {
                    return s.to_string();
                }
            }
            _ => {}
        }
        prev = c;
    }
    if depth != 0 || in_str || inner.contains("%{") {
        return s.to_string();
    }
    inner.trim().to_string()
}

/// Normalises the spaces between the tokens of one line as terraform fmt does.
fn respace(line: &str) -> String {
    let Some(mut toks) = tokens(line) else {
        return line.to_string();
    };
    // A block header (`resource aws_route "x" {`): labels are always quoted.
    let is_header = toks.len() >= 2
        && matches!(toks.last(), Some(Tok::Punct(p)) if p == "{")
        && toks[..toks.len() - 1]
            .iter()
            .all(|t| matches!(t, Tok::Word(_) | Tok::Str(_)))
        && matches!(toks[0], Tok::Word(_));
    if is_header {
        let n = toks.len() - 1;
        for t in toks[1..n].iter_mut() {
            if let Tok::Word(w) = t {
                *t = Tok::Str(format!("\"{w}\""));
            }
        }
    }
    let mut out = String::with_capacity(line.len());
    let binary = [
        "=", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "+", "*", "/", "%", "=>", "?", ":", "-",
    ];
    for (k, t) in toks.iter().enumerate() {
        let prev = if k > 0 { Some(&toks[k - 1]) } else { None };
        let p = |x: &str| matches!(prev, Some(Tok::Punct(s)) if s == x);
        let is = |x: &str| matches!(t, Tok::Punct(s) if s == x);
        // Is the previous token a value end (so an operator after it is binary)?
        let prev_value =
            matches!(prev, Some(Tok::Word(_)) | Some(Tok::Str(_))) || p(")") || p("]") || p("}");
        let space = match (prev, t) {
            (None, _) => false,
            (_, Tok::Comment(_)) => true,
            (Some(Tok::Punct(s)), _) if s == "(" || s == "[" || s == "." || s == "!" => false,
            (_, Tok::Punct(s)) if s == ")" || s == "]" || s == "," || s == "." || s == "..." => {
                false
            }
            (Some(Tok::Punct(s)), _) if s == "," => true,
            (Some(Tok::Punct(s)), _) if s == "{" => !is("}"),
            (_, Tok::Punct(s)) if s == "}" => !p("{"),
            (_, Tok::Punct(s)) if s == "(" => {
                !prev_value || matches!(prev, Some(Tok::Word(w)) if w == "in" || w == "if")
            }
            (_, Tok::Punct(s)) if s == "[" => {
                !prev_value || matches!(prev, Some(Tok::Word(w)) if w == "in" || w == "if")
            }
            (_, Tok::Punct(s)) if s == "*" && p("[") => false,
            (Some(Tok::Punct(s)), _)
                if s == "*"
                    && (k >= 2
                        && matches!(&toks[k - 2], Tok::Punct(x) if x == "[" || x == ".")) =>
            {
                false
            }
            (_, Tok::Punct(s)) if s == "*" && p(".") => false,
            (_, Tok::Punct(s)) if binary.contains(&s.as_str()) => true,
            (Some(Tok::Punct(s)), _) if s == "-" || s == "!" => {
                // After a binary minus there is a space; after a unary one there is none.
                k >= 2
                    && (matches!(&toks[k - 2], Tok::Word(_) | Tok::Str(_))
                        || matches!(&toks[k - 2], Tok::Punct(x) if x == ")" || x == "]" || x == "}"))
            }
            (Some(Tok::Punct(s)), _) if binary.contains(&s.as_str()) => true,
            _ => true,
        };
        if space {
            out.push(' ');
        }
        match t {
            Tok::Str(w) => out.push_str(&unwrap_interpolation(w)),
            Tok::Word(w) | Tok::Punct(w) | Tok::Comment(w) => out.push_str(w),
        }
    }
    out
}

/// The `.tf` and `.tfvars` files to format under `paths`.
fn files(paths: &[PathBuf], recursive: bool) -> Vec<PathBuf> {
    let roots: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut out = Vec::new();
    for r in roots {
        if r.is_file() {
            out.push(r);
            continue;
        }
        let walker = walkdir::WalkDir::new(&r)
            .max_depth(if recursive { usize::MAX } else { 1 })
            .sort_by_file_name();
        for e in walker.into_iter().filter_map(Result::ok) {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.components().any(|c| c.as_os_str() == ".terraform") {
                continue;
            }
            if e.file_type().is_file() && (name.ends_with(".tf") || name.ends_with(".tfvars")) {
                out.push(p.to_path_buf());
            }
        }
    }
    out
}

/// The `fmt` command: exit 0 when everything is formatted (or was rewritten), 3 with `--check`
/// when a file would change, 2 when a file does not parse.
///
/// # Errors
/// I/O failures.
pub fn run_cli(
    check: bool,
    recursive: bool,
    diff: bool,
    paths: &[PathBuf],
    color: bool,
) -> anyhow::Result<ExitCode> {
    let out = Output {
        color,
        color_err: color,
    };
    let mut changed = false;
    let mut failed = false;
    for f in files(paths, recursive) {
        let src = std::fs::read_to_string(&f)?;
        match format_source(&src) {
            Ok(formatted) if formatted != src => {
                changed = true;
                println!("{}", display(&f));
                if diff {
                    let d = similar::TextDiff::from_lines(&src, &formatted);
                    print!("{}", d.unified_diff().header(&display(&f), &display(&f)));
                }
                if !check {
                    std::fs::write(&f, formatted)?;
                }
            }
            Ok(_) => {}
            Err(e) => {
                failed = true;
                out.error(&format!("{}: {e}", display(&f)));
            }
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else if check && changed {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

fn display(p: &Path) -> String {
    p.strip_prefix("./").unwrap_or(p).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::format_source;

    #[test]
    fn aligns_and_indents() {
        let src = "resource \"a\" \"b\" {\nname=\"x\"\n    assume_role_policy = jsonencode({\n  a = 1\n})\n  tags = {}\n}\n";
        let want = "resource \"a\" \"b\" {\n  name = \"x\"\n  assume_role_policy = jsonencode({\n    a = 1\n  })\n  tags = {}\n}\n";
        assert_eq!(format_source(src).unwrap(), want);
    }

    #[test]
    fn keeps_heredocs_and_comments() {
        let src = "locals {\n  # note\n  p = <<EOF\n{\n   \"a\": 1\n}\nEOF\n}\n";
        assert_eq!(format_source(src).unwrap(), src);
    }

    #[test]
    fn refuses_invalid_input() {
        assert!(format_source("resource \"a\" {").is_err());
    }

    #[test]
    fn quotes_labels_and_spaces_in() {
        assert_eq!(
            super::respace("resource aws_route \"r\" {"),
            "resource \"aws_route\" \"r\" {"
        );
        assert_eq!(
            super::respace("x = [for d in[1] : d]"),
            "x = [for d in [1] : d]"
        );
    }

    #[test]
    fn respaces_expressions() {
        assert_eq!(
            super::respace("Statement=[{Effect=\"Allow\"}]"),
            "Statement = [{ Effect = \"Allow\" }]"
        );
        assert_eq!(
            super::respace("zz={for k,v in var.m : k=>v}"),
            "zz = { for k, v in var.m : k => v }"
        );
        assert_eq!(super::respace("x = a[*].id  # note"), "x = a[*].id # note");
        assert_eq!(super::respace("n = -1 + f(x, -y)"), "n = -1 + f(x, -y)");
        assert_eq!(super::respace("c = a ? b : !d"), "c = a ? b : !d");
        assert_eq!(
            super::respace("role = \"${aws_iam_role.r.id}\""),
            "role = aws_iam_role.r.id"
        );
        assert_eq!(
            super::respace("n = \"${var.a}-${var.b}\""),
            "n = \"${var.a}-${var.b}\""
        );
    }

    #[test]
    fn idempotent() {
        let src =
            "variable \"x\" {\n  type    = list(string)\n  default = [\"${var.a}-b\", \"c\"]\n}\n";
        let once = format_source(src).unwrap();
        assert_eq!(format_source(&once).unwrap(), once);
    }
}
