//! Filesystem and hash functions. Relative paths resolve against the working directory, as in
//! Terraform (configurations use `path.module` to be independent of it).

use super::util::str_arg;
use super::{FuncCtx, FuncDef, FuncError};
use crate::config::value::Value;
use base64::Engine;
use sha2::Digest;
use std::path::{Path, PathBuf};

fn resolve(ctx: &FuncCtx<'_>, p: &str) -> PathBuf {
    let expanded = expand_home(p);
    let path = Path::new(&expanded);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        ctx.cwd.join(path)
    }
}

fn expand_home(p: &str) -> String {
    match (p.strip_prefix('~'), std::env::var("HOME")) {
        (Some(rest), Ok(home)) if rest.is_empty() || rest.starts_with('/') => {
            format!("{home}{rest}")
        }
        _ => p.to_string(),
    }
}

fn read(ctx: &FuncCtx<'_>, a: &[Value]) -> Result<Vec<u8>, FuncError> {
    let p = str_arg(a, 0)?;
    let full = resolve(ctx, &p);
    std::fs::read(&full)
        .map_err(|e| FuncError::arg(0, format!("cannot read {}: {e}", full.display())))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn file(ctx: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    String::from_utf8(read(ctx, &a)?)
        .map(Value::String)
        .map_err(|_| {
            FuncError::arg(
                0,
                "contents are not valid UTF-8; use filebase64 for binary files",
            )
        })
}
fn filebase64(ctx: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::String(b64(&read(ctx, &a)?)))
}
fn fileexists(ctx: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let p = resolve(ctx, &str_arg(&a, 0)?);
    if p.is_dir() {
        return Err(FuncError::arg(
            0,
            format!("{} is a directory, not a file", p.display()),
        ));
    }
    Ok(Value::Bool(p.is_file()))
}
fn fileset(ctx: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let base = resolve(ctx, &str_arg(&a, 0)?);
    let pattern = str_arg(&a, 1)?;
    let glob = globset::GlobBuilder::new(&pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| FuncError::arg(1, format!("invalid pattern: {e}")))?
        .compile_matcher();
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !e.file_type().is_file() {
            continue;
        }
        if let Ok(rel) = e.path().strip_prefix(&base) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if glob.is_match(&rel) {
                out.push(Value::String(rel));
            }
        }
    }
    Ok(Value::set(out))
}
fn basename(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let p = str_arg(&a, 0)?;
    let t = p.trim_end_matches('/');
    Ok(Value::String(if t.is_empty() && p.starts_with('/') {
        "/".into()
    } else {
        t.rsplit('/').next().unwrap_or("").to_string()
    }))
}
fn dirname(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let p = str_arg(&a, 0)?;
    Ok(Value::String(
        match p.trim_end_matches('/').rsplit_once('/') {
            Some(("", _)) => "/".into(),
            Some((d, _)) => d.to_string(),
            None => ".".into(),
        },
    ))
}
fn abspath(ctx: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::String(
        resolve(ctx, &str_arg(&a, 0)?).to_string_lossy().to_string(),
    ))
}
fn pathexpand(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::String(expand_home(&str_arg(&a, 0)?)))
}

macro_rules! hash_fns {
    ($($name:ident, $file:ident, $algo:ty, $enc:ident);*) => {$(
        fn $name(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
            Ok(Value::String($enc(&<$algo>::digest(str_arg(&a, 0)?.as_bytes()))))
        }
        fn $file(ctx: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
            Ok(Value::String($enc(&<$algo>::digest(&read(ctx, &a)?))))
        }
    )*};
}
hash_fns!(
    md5, filemd5, md5::Md5, hex;
    sha1, filesha1, sha1::Sha1, hex;
    sha256, filesha256, sha2::Sha256, hex;
    sha512, filesha512, sha2::Sha512, hex;
    base64sha256, filebase64sha256, sha2::Sha256, b64;
    base64sha512, filebase64sha512, sha2::Sha512, b64
);

fn uuid(_: &FuncCtx<'_>, _: Vec<Value>) -> Result<Value, FuncError> {
    // A new value on every evaluation: known only during apply, as in Terraform.
    Ok(Value::Unknown)
}
fn uuidv5(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let ns = str_arg(&a, 0)?;
    let namespace = match ns.as_str() {
        "dns" => uuid::Uuid::NAMESPACE_DNS,
        "url" => uuid::Uuid::NAMESPACE_URL,
        "oid" => uuid::Uuid::NAMESPACE_OID,
        "x500" => uuid::Uuid::NAMESPACE_X500,
        other => uuid::Uuid::parse_str(other).map_err(|_| {
            FuncError::arg(
                0,
                format!("{other:?} is not a valid namespace (dns, url, oid, x500 or a UUID)"),
            )
        })?,
    };
    Ok(Value::String(
        uuid::Uuid::new_v5(&namespace, str_arg(&a, 1)?.as_bytes()).to_string(),
    ))
}

/// The filesystem and hash functions.
pub const DEFS: &[FuncDef] = &[
    FuncDef {
        name: "abspath",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: abspath,
    },
    FuncDef {
        name: "base64sha256",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: base64sha256,
    },
    FuncDef {
        name: "base64sha512",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: base64sha512,
    },
    FuncDef {
        name: "basename",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: basename,
    },
    FuncDef {
        name: "dirname",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: dirname,
    },
    FuncDef {
        name: "file",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: file,
    },
    FuncDef {
        name: "filebase64",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: filebase64,
    },
    FuncDef {
        name: "filebase64sha256",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: filebase64sha256,
    },
    FuncDef {
        name: "filebase64sha512",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: filebase64sha512,
    },
    FuncDef {
        name: "fileexists",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: fileexists,
    },
    FuncDef {
        name: "filemd5",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: filemd5,
    },
    FuncDef {
        name: "fileset",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: fileset,
    },
    FuncDef {
        name: "filesha1",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: filesha1,
    },
    FuncDef {
        name: "filesha256",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: filesha256,
    },
    FuncDef {
        name: "filesha512",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: filesha512,
    },
    FuncDef {
        name: "md5",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: md5,
    },
    FuncDef {
        name: "pathexpand",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: pathexpand,
    },
    FuncDef {
        name: "sha1",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: sha1,
    },
    FuncDef {
        name: "sha256",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: sha256,
    },
    FuncDef {
        name: "sha512",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: sha512,
    },
    FuncDef {
        name: "uuid",
        min_args: 0,
        max_args: Some(0),
        handles_unknown: true,
        call: uuid,
    },
    FuncDef {
        name: "uuidv5",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: uuidv5,
    },
];
