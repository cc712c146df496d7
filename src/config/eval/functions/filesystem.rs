//! Filesystem functions: abspath, basename, dirname, file, filebase64, fileexists, fileset,
//! pathexpand. As in Terraform, a relative path resolves against the working directory
//! ([`FuncCtx::cwd`], `path.cwd`), not the calling module's directory: configurations write
//! `"${path.module}/x"` and `path.module` is itself relative to the working directory.

use super::{arg_err, str_arg, FuncCtx, FuncError};
use crate::config::value::Value;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use std::path::{Path, PathBuf};

/// Expands a leading `~` to the home directory, as Go's homedir package does.
fn expand_home(path: &str) -> Result<String, String> {
    let Some(rest) = path.strip_prefix('~') else {
        return Ok(path.to_string());
    };
    if !(rest.is_empty() || rest.starts_with('/') || rest.starts_with('\\')) {
        return Err("cannot expand user-specific home dir".into());
    }
    let home = std::env::var("HOME").map_err(|_| "$HOME is not defined".to_string())?;
    Ok(format!("{home}{rest}"))
}

/// Resolves a path argument to the file it names.
pub(super) fn resolve(ctx: &FuncCtx<'_>, path: &str, i: usize) -> Result<PathBuf, FuncError> {
    let expanded =
        expand_home(path).map_err(|e| arg_err(i, "path", format!("failed to expand ~: {e}")))?;
    let p = Path::new(&expanded);
    Ok(if p.is_absolute() {
        p.to_path_buf()
    } else {
        ctx.cwd.join(p)
    })
}

/// Reads a file named by argument `i`, with Terraform's message when it is missing.
pub(super) fn read_bytes(ctx: &FuncCtx<'_>, a: &[Value], i: usize) -> Result<Vec<u8>, FuncError> {
    let path = str_arg(a, i, "path")?;
    let full = resolve(ctx, &path, i)?;
    std::fs::read(&full).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            arg_err(
                i,
                "path",
                format!("no file exists at {path:?}; this function works only with files that are distributed as part of the configuration source code, so if this file will be created by a resource in this configuration you must instead obtain this result from an attribute of that resource"),
            )
        } else {
            arg_err(i, "path", format!("failed to read file {path:?}: {e}"))
        }
    })
}

pub(super) fn file(ctx: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let bytes = read_bytes(ctx, &a, 0)?;
    let path = str_arg(&a, 0, "path")?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        FuncError::arg(
            0,
            format!("contents of {path:?} are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead"),
        )
    })
}

pub(super) fn filebase64(ctx: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::String(STANDARD.encode(read_bytes(ctx, &a, 0)?)))
}

pub(super) fn fileexists(ctx: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let path = str_arg(&a, 0, "path")?;
    let full = resolve(ctx, &path, 0)?;
    match std::fs::metadata(&full) {
        Ok(m) if m.is_file() => Ok(Value::Bool(true)),
        Ok(_) => Err(FuncError::arg(
            0,
            format!("{path:?} is a directory, not a file"),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Value::Bool(false)),
        Err(e) => Err(arg_err(0, "path", format!("failed to stat {path:?}: {e}"))),
    }
}

pub(super) fn fileset(ctx: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let path = str_arg(&a, 0, "path")?;
    let pattern = str_arg(&a, 1, "pattern")?;
    let base = resolve(ctx, &path, 0)?;
    let glob = globset::GlobBuilder::new(&pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|_| {
            let full = format!("{path}/{pattern}");
            FuncError::arg(
                1,
                format!("failed to glob pattern {full:?}: syntax error in pattern"),
            )
        })?
        .compile_matcher();
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&base).follow_links(true) {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&base) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if glob.is_match(&rel) {
            out.push(Value::String(rel));
        }
    }
    Ok(Value::set(out))
}

/// Lexically cleans a slash-separated path as Go's `path.Clean` does.
fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

pub(super) fn abspath(ctx: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let path = str_arg(&a, 0, "path")?;
    let full = if Path::new(&path).is_absolute() {
        PathBuf::from(&path)
    } else {
        let cwd = if ctx.cwd.is_absolute() {
            ctx.cwd.to_path_buf()
        } else {
            std::env::current_dir()
                .map_err(|e| FuncError::new(format!("failed to read the working directory: {e}")))?
                .join(ctx.cwd)
        };
        cwd.join(&path)
    };
    let text = full.to_string_lossy().replace('\\', "/");
    Ok(Value::String(clean(&text)))
}

pub(super) fn dirname(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let path = str_arg(&a, 0, "path")?;
    let dir = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    };
    Ok(Value::String(clean(dir)))
}

pub(super) fn basename(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let path = str_arg(&a, 0, "path")?;
    if path.is_empty() {
        return Ok(Value::string("."));
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(Value::string("/"));
    }
    Ok(Value::string(trimmed.rsplit('/').next().unwrap_or(trimmed)))
}

pub(super) fn pathexpand(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let path = str_arg(&a, 0, "path")?;
    expand_home(&path)
        .map(Value::String)
        .map_err(|e| arg_err(0, "path", e))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;
    use std::fs;

    fn fixture() -> tempfile::TempDir {
        let Ok(d) = tempfile::tempdir() else {
            panic!("tempdir")
        };
        let p = d.path();
        let _ = fs::create_dir_all(p.join("sub/deep"));
        let _ = fs::write(p.join("hello.txt"), "Hello World");
        let _ = fs::write(p.join("bin.dat"), [0xffu8, 0x00]);
        let _ = fs::write(p.join("sub/a.json"), "{}");
        let _ = fs::write(p.join("sub/deep/b.json"), "[]");
        d
    }

    #[test]
    fn file_reads_relative_to_cwd() {
        let d = fixture();
        let r = run_in(d.path(), "file", vec![s("hello.txt")]);
        assert_eq!(r, Ok(s("Hello World")));
        let r = run_in(d.path(), "filebase64", vec![s("bin.dat")]);
        assert_eq!(r, Ok(s("/wA=")));
        let Err(e) = run_in(d.path(), "file", vec![s("bin.dat")]) else {
            panic!()
        };
        assert!(e.message.contains("not valid UTF-8"));
        let Err(e) = run_in(d.path(), "file", vec![s("missing.txt")]) else {
            panic!()
        };
        assert!(e.message.contains("no file exists at \"missing.txt\""));
        assert_eq!(e.arg, Some(0));
        let abs = d.path().join("hello.txt").to_string_lossy().into_owned();
        assert_eq!(
            run_in(std::path::Path::new("/"), "file", vec![s(&abs)]),
            Ok(s("Hello World"))
        );
    }

    #[test]
    fn fileexists_and_fileset() {
        let d = fixture();
        assert_eq!(
            run_in(d.path(), "fileexists", vec![s("hello.txt")]),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            run_in(d.path(), "fileexists", vec![s("nope")]),
            Ok(Value::Bool(false))
        );
        let Err(e) = run_in(d.path(), "fileexists", vec![s("sub")]) else {
            panic!()
        };
        assert_eq!(e.message, "\"sub\" is a directory, not a file");
        let Err(e) = run_in(d.path(), "fileset", vec![s("sub"), s("[")]) else {
            panic!()
        };
        assert_eq!(
            e.message,
            "failed to glob pattern \"sub/[\": syntax error in pattern"
        );
        assert_eq!(
            run_in(d.path(), "fileset", vec![s("nope"), s("*")]),
            Ok(Value::set(vec![]))
        );
        assert_eq!(
            run_in(d.path(), "fileset", vec![s("."), s("**/*.json")]),
            Ok(Value::set(vec![s("sub/a.json"), s("sub/deep/b.json")]))
        );
        assert_eq!(
            run_in(d.path(), "fileset", vec![s("sub"), s("*.json")]),
            Ok(Value::set(vec![s("a.json")]))
        );
        assert_eq!(
            run_in(d.path(), "fileset", vec![s("."), s("{hello,bin}.*")]),
            Ok(Value::set(vec![s("bin.dat"), s("hello.txt")]))
        );
    }

    #[test]
    fn path_names() {
        assert_eq!(ok("dirname", vec![s("foo/bar/baz.txt")]), s("foo/bar"));
        assert_eq!(ok("dirname", vec![s("baz.txt")]), s("."));
        assert_eq!(ok("dirname", vec![s("/baz.txt")]), s("/"));
        assert_eq!(ok("basename", vec![s("foo/bar/baz.txt")]), s("baz.txt"));
        assert_eq!(ok("basename", vec![s("foo/bar/")]), s("bar"));
        assert_eq!(ok("basename", vec![s("")]), s("."));
        assert_eq!(
            run_in(
                std::path::Path::new("/tmp/x"),
                "abspath",
                vec![s("../y/./z")]
            ),
            Ok(s("/tmp/y/z"))
        );
        assert_eq!(ok("abspath", vec![s("/a/b/../c")]), s("/a/c"));
        let home = std::env::var("HOME").unwrap_or_default();
        assert_eq!(
            ok("pathexpand", vec![s("~/.ssh")]),
            s(&format!("{home}/.ssh"))
        );
        assert_eq!(ok("pathexpand", vec![s("/etc")]), s("/etc"));
        assert!(err("pathexpand", vec![s("~bob/x")])
            .message
            .contains("user-specific"));
    }
}
