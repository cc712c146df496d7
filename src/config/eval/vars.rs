//! Values for the root module's input variables, gathered from their sources with
//! Terraform's precedence (lowest first): `TF_VAR_name` environment variables,
//! `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars(.json)` in lexical order, then
//! `--var-file` and `--var` in the order given on the command line.

use crate::config::model::Expr;
use crate::diag::{Diagnostic, Diagnostics, SourceMap, Span};
use hcl_edit::structure::Structure;
use hcl_edit::Span as _;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where a variable's value came from.
#[derive(Debug, Clone, PartialEq)]
pub enum VarSource {
    /// `TF_VAR_name`.
    Env,
    /// A variables file.
    File(PathBuf),
    /// `--var name=value`.
    Cli,
}

/// One command-line variable setting, in the order given.
#[derive(Debug, Clone, PartialEq)]
pub enum CliVar {
    /// `--var-file PATH`.
    File(PathBuf),
    /// `--var NAME=VALUE`.
    Var(String, String),
}

/// An unevaluated value for a root variable.
#[derive(Debug, Clone)]
pub struct RawVariable {
    /// The value: an expression (from a file) or raw text (from the environment or `--var`,
    /// which Terraform reads as a literal string for primitive types and as HCL otherwise).
    pub value: RawValue,
    /// Where it came from.
    pub source: VarSource,
    /// The span of the value in its file, when from a file.
    pub span: Option<Span>,
}

/// The form of a raw value.
#[derive(Debug, Clone)]
pub enum RawValue {
    /// An expression from a variables file.
    Expr(Expr),
    /// Text from the environment or the command line.
    Text(String),
}

/// Parses `NAME=VALUE` from `--var`.
///
/// # Errors
/// A message when there is no `=`.
pub fn parse_cli_var(s: &str) -> Result<CliVar, String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => {
            Ok(CliVar::Var(k.trim().to_string(), v.to_string()))
        }
        _ => Err(format!("invalid --var {s:?}: expected NAME=VALUE")),
    }
}

/// Gathers raw values for the root module's variables.
pub fn gather(
    root_dir: &Path,
    cli: &[CliVar],
    env: &[(String, String)],
    sources: &mut SourceMap,
) -> (HashMap<String, RawVariable>, Diagnostics) {
    let mut out = HashMap::new();
    let mut diags = Diagnostics::new();
    for (k, v) in env {
        if let Some(name) = k.strip_prefix("TF_VAR_") {
            out.insert(
                name.to_string(),
                RawVariable {
                    value: RawValue::Text(v.clone()),
                    source: VarSource::Env,
                    span: None,
                },
            );
        }
    }
    let mut files = Vec::new();
    for f in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = root_dir.join(f);
        if p.is_file() {
            files.push(p);
        }
    }
    let mut autos: Vec<PathBuf> = std::fs::read_dir(root_dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    autos.sort();
    files.extend(autos);
    for f in files {
        read_file(&f, sources, &mut out, &mut diags);
    }
    for c in cli {
        match c {
            CliVar::File(p) => {
                if p.is_file() {
                    read_file(p, sources, &mut out, &mut diags);
                } else {
                    diags.push(Diagnostic::error(
                        "missing-var-file",
                        format!("the variables file {} does not exist", p.display()),
                    ));
                }
            }
            CliVar::Var(k, v) => {
                out.insert(
                    k.clone(),
                    RawVariable {
                        value: RawValue::Text(v.clone()),
                        source: VarSource::Cli,
                        span: None,
                    },
                );
            }
        }
    }
    (out, diags)
}

fn read_file(
    path: &Path,
    sources: &mut SourceMap,
    out: &mut HashMap<String, RawVariable>,
    diags: &mut Diagnostics,
) {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::error(
                "unreadable-file",
                format!("cannot read {}: {e}", path.display()),
            ));
            return;
        }
    };
    let is_json = path.to_string_lossy().ends_with(".json");
    let body = if is_json {
        // JSON variables files: each top-level key is a variable; convert values to HCL text.
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(m)) => {
                let hcl: String = m.iter().map(|(k, v)| format!("{k} = {}\n", v)).collect();
                let file = sources.add(crate::config::load::display_path(path), hcl);
                match hcl_edit::parser::parse_body(&sources.get(file).text) {
                    Ok(b) => Some((file, b)),
                    Err(e) => {
                        diags.push(Diagnostic::error(
                            "syntax-error",
                            format!("invalid variables file {}: {}", path.display(), e.message()),
                        ));
                        None
                    }
                }
            }
            Ok(_) => {
                diags.push(Diagnostic::error(
                    "syntax-error",
                    format!(
                        "{}: a JSON variables file must hold an object",
                        path.display()
                    ),
                ));
                None
            }
            Err(e) => {
                diags.push(Diagnostic::error(
                    "syntax-error",
                    format!("{}: {e}", path.display()),
                ));
                None
            }
        }
    } else {
        match crate::config::load::parse_file(sources, path, text) {
            Ok(b) => Some(b),
            Err(d) => {
                diags.push(d);
                None
            }
        }
    };
    let Some((file, body)) = body else {
        return;
    };
    for s in body.into_iter() {
        match s {
            Structure::Attribute(a) => {
                let span = a.value.span().map(|r| Span::new(file, r));
                out.insert(
                    a.key.as_str().to_string(),
                    RawVariable {
                        value: RawValue::Expr(Expr {
                            expr: a.value,
                            file,
                        }),
                        source: VarSource::File(path.to_path_buf()),
                        span,
                    },
                );
            }
            Structure::Block(b) => {
                let span = b.ident.span().map(|r| Span::new(file, r));
                diags.push(
                    Diagnostic::error(
                        "unexpected-block",
                        "blocks are not allowed in a variables file",
                    )
                    .with_opt_label(span, "write NAME = VALUE"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_follows_terraform() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("terraform.tfvars"),
            "a = \"file\"\nb = \"file\"\nc = \"file\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("x.auto.tfvars"),
            "b = \"auto\"\nc = \"auto\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("extra.tfvars"), "c = \"varfile\"\n").unwrap();
        let mut sources = SourceMap::new();
        let env = vec![
            ("TF_VAR_a".to_string(), "env".to_string()),
            ("TF_VAR_d".to_string(), "env".to_string()),
        ];
        let cli = vec![
            CliVar::Var("c".into(), "cli-first".into()),
            CliVar::File(dir.path().join("extra.tfvars")),
        ];
        let (vars, diags) = gather(dir.path(), &cli, &env, &mut sources);
        assert!(diags.is_empty());
        let text = |n: &str| match &vars[n].value {
            RawValue::Text(t) => t.clone(),
            RawValue::Expr(e) => e.expr.as_str().unwrap_or("?").to_string(),
        };
        assert_eq!(text("a"), "file");
        assert_eq!(text("b"), "auto");
        assert_eq!(text("c"), "varfile"); // the later command-line setting wins
        assert_eq!(text("d"), "env");
    }

    #[test]
    fn cli_var_needs_equals() {
        assert!(parse_cli_var("x").is_err());
        assert_eq!(
            parse_cli_var("x=a=b").unwrap(),
            CliVar::Var("x".into(), "a=b".into())
        );
    }
}
