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
    hcl_edit::parser::parse_body(src).map_err(|e| format!("line {}: {}", e.location().line(), e.message()))?;
    let mut lines: Vec<Line> = Vec::new();
    let mut depth: i64 = 0;
    let mut heredoc: Option<String> = None;
    let mut block_comment = false;
    for raw in src.lines() {
        if let Some(delim) = &heredoc {
            if raw.trim() == delim {
                heredoc = None;
                lines.push(Line { text: raw.trim().to_string(), depth, verbatim: false, attr: None });
            } else {
                lines.push(Line { text: raw.trim_end_matches(['\r']).to_string(), depth, verbatim: true, attr: None });
            }
            continue;
        }
        if block_comment {
            if raw.contains("*/") {
                block_comment = false;
            }
            lines.push(Line { text: raw.trim_end().to_string(), depth, verbatim: true, attr: None });
            continue;
        }
        let trimmed = raw.trim();
        let scan = scan_line(trimmed);
        let line_depth = (depth - scan.leading_closers as i64).max(0);
        let text = if scan.is_attribute_start {
            normalise_equals(trimmed)
        } else {
            trimmed.to_string()
        };
        let attr = scan.is_attribute_start.then(|| text.find('=').unwrap_or(0));
        lines.push(Line { text, depth: line_depth, verbatim: false, attr });
        depth = (depth + scan.delta).max(0);
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
    while out.ends_with("\n\n") {
        out.pop();
    }
    if out.trim().is_empty() {
        return Ok(String::new());
    }
    Ok(out)
}

struct Line {
    text: String,
    depth: i64,
    verbatim: bool,
    /// Byte offset of `=` for an attribute line.
    attr: Option<usize>,
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
        leading_closers: t.chars().take_while(|c| matches!(c, '}' | ']' | ')')).count(),
        ..Scan::default()
    };
    // identifier followed by `=` (not `==`, not `=>`)
    let ident_len = t
        .char_indices()
        .find(|(i, c)| !(c.is_alphanumeric() || *c == '_' || (*c == '-' && *i > 0)))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    if ident_len > 0 && t.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') {
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
            '/' if b.get(i + 1) == Some(&b'*') => {
                if !t[i..].contains("*/") {
                    s.opens_block_comment = true;
                    break;
                }
            }
            '<' if b.get(i + 1) == Some(&b'<') => {
                let rest = t[i + 2..].trim_start_matches('-');
                let delim: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
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
    let Some(eq) = t.find('=') else { return t.to_string() };
    let key = t[..eq].trim_end();
    let value = t[eq + 1..].trim_start();
    if value.is_empty() {
        format!("{key} =")
    } else {
        format!("{key} = {value}")
    }
}

/// Aligns `=` over runs of consecutive attribute lines at the same depth.
fn align(lines: &mut [Line]) {
    let mut i = 0;
    while i < lines.len() {
        if lines[i].attr.is_none() || lines[i].verbatim {
            i += 1;
            continue;
        }
        let depth = lines[i].depth;
        let mut j = i;
        while j < lines.len() && lines[j].attr.is_some() && lines[j].depth == depth && !lines[j].verbatim {
            j += 1;
            // A multi-line value ends the run after its first line.
            if j < lines.len() && lines[j].depth > depth {
                break;
            }
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

/// The `.tf` and `.tfvars` files to format under `paths`.
fn files(paths: &[PathBuf], recursive: bool) -> Vec<PathBuf> {
    let roots: Vec<PathBuf> = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
    let mut out = Vec::new();
    for r in roots {
        if r.is_file() {
            out.push(r);
            continue;
        }
        let walker = walkdir::WalkDir::new(&r).max_depth(if recursive { usize::MAX } else { 1 }).sort_by_file_name();
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
pub fn run_cli(check: bool, recursive: bool, diff: bool, paths: &[PathBuf], color: bool) -> anyhow::Result<ExitCode> {
    let out = Output { color, color_err: color };
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
        let src = "resource \"a\" \"b\" {\nname=\"x\"\n    assume_role_policy = jsonencode({\n  a = 1\n})\n  tags = {}\n}\n\n\n";
        let want = "resource \"a\" \"b\" {\n  name               = \"x\"\n  assume_role_policy = jsonencode({\n    a = 1\n  })\n  tags = {}\n}\n";
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
    fn idempotent() {
        let src = "variable \"x\" {\n  type    = list(string)\n  default = [\"${var.a}-b\", \"c\"]\n}\n";
        let once = format_source(src).unwrap();
        assert_eq!(format_source(&once).unwrap(), once);
    }
}
