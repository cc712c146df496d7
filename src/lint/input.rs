//! Reading lint inputs: policy JSON files (bare documents or `aws iam get-policy-version`
//! output) and Terraform directories, into [`Policy`] values with their suppressions.

use super::config::Suppressions;
use super::hcl::{self, LeafResolver};
use super::policy::{json, Node, NodeKind, Policy, PolicyKind, PolicyOrigin};
use crate::diag::{FileId, SourceMap, Span};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A path that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The path does not exist or cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A path given on the command line is neither a `.json`/`.tf` file nor a directory.
    #[error("{0} is not a .json or .tf file or a directory")]
    Unsupported(PathBuf),
}

/// Everything read from the inputs.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Files read.
    pub files: Vec<PathBuf>,
    /// Policies, each with the index of its file's suppressions.
    pub policies: Vec<(Policy, usize)>,
    /// Suppressions per file.
    pub suppressions: Vec<Suppressions>,
    /// Problems reading files (invalid JSON or HCL), reported as malformed-policy findings.
    pub errors: Vec<(Span, String)>,
}

fn read(path: &Path) -> Result<String, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok(text
        .strip_prefix('\u{feff}')
        .map(String::from)
        .unwrap_or(text))
}

/// True when a JSON text looks like a policy (has `Statement` or `PolicyVersion` at the top).
fn looks_like_policy(text: &str) -> bool {
    text.contains("\"Statement\"") || text.contains("\"PolicyVersion\"")
}

/// Reads a policy document from a JSON file's root node: a bare document, or the
/// `{"PolicyVersion": {"Document": ...}}` form (the document may be an object or a URL-encoded
/// JSON string, as the API returns it).
pub fn document_from_json(root: Node, file: FileId) -> Result<Node, (Span, String)> {
    let Some(pv) = root.get("PolicyVersion") else {
        return Ok(root);
    };
    let Some(doc) = pv.value.get("Document") else {
        return Err((pv.key_span, "`PolicyVersion` has no `Document`".to_string()));
    };
    match &doc.value.kind {
        NodeKind::String(s) => {
            let decoded = percent_decode(s);
            json::parse(&decoded, file, 0)
                .map(|n| respan_all(n, doc.value.span))
                .map_err(|e| {
                    (
                        doc.value.span,
                        format!("the policy document is not valid JSON: {e}"),
                    )
                })
        }
        _ => Ok(doc.value.clone()),
    }
}

fn respan_all(mut n: Node, span: Span) -> Node {
    n.span = span;
    match &mut n.kind {
        NodeKind::Array(items) => {
            for i in items.iter_mut() {
                *i = respan_all(i.clone(), span);
            }
        }
        NodeKind::Object(ms) => {
            for m in ms.iter_mut() {
                m.key_span = span;
                m.value = respan_all(m.value.clone(), span);
            }
        }
        _ => {}
    }
    n
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Some(Ok(v)) = s.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16)) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Lints one JSON text already in `sources`.
pub fn load_json_file(loaded: &mut Loaded, sources: &SourceMap, file: FileId) {
    let supp = loaded.suppressions.len();
    loaded.suppressions.push(Suppressions::default());
    let text = &sources.get(file).text;
    let root = match json::parse(text, file, 0) {
        Ok(n) => n,
        Err(e) => {
            loaded.errors.push((
                Span::new(file, e.offset..e.offset),
                format!("the file is not valid JSON: {}", e.message),
            ));
            return;
        }
    };
    match document_from_json(root, file) {
        Ok(doc) => {
            let kind = hcl::guess_kind(&doc);
            let policy = Policy::from_node(
                &doc,
                kind,
                PolicyOrigin {
                    resource_type: Some("json".to_string()),
                    // The file name stands in for the role name (`emr-job-runtime-trust.json`).
                    role_name: sources
                        .get(file)
                        .path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned()),
                    ..PolicyOrigin::default()
                },
            );
            loaded.policies.push((policy, supp));
        }
        Err(e) => loaded.errors.push(e),
    }
}

/// Lints the `.tf` files of one directory; `only` limits reported policies to those files.
pub fn load_tf_dir(
    loaded: &mut Loaded,
    sources: &SourceMap,
    files: &[FileId],
    only: &[FileId],
    resolver: &dyn LeafResolver,
) {
    let (policies, problems) = hcl::extract(sources, files, only, resolver);
    let mut supp_index = BTreeMap::new();
    for &f in files {
        supp_index.insert(f, loaded.suppressions.len());
        loaded
            .suppressions
            .push(Suppressions::from_hcl(f, &sources.get(f).text));
    }
    for p in policies {
        let idx = supp_index.get(&p.node.span.file).copied().unwrap_or(0);
        let policy = Policy::from_node(&p.node, p.kind, p.origin);
        loaded.policies.push((policy, idx));
    }
    for p in problems {
        loaded.errors.push((p.span, p.message));
    }
}

/// Reads every input. Directories are walked (skipping hidden directories and `.terraform`);
/// each directory's `.tf` files form one module; `.json` files that look like policies are
/// linted. Explicit `.json` files are always linted.
///
/// # Errors
/// [`InputError`] when a path cannot be read.
pub fn load(
    paths: &[PathBuf],
    sources: &mut SourceMap,
    resolver: &dyn LeafResolver,
) -> Result<Loaded, InputError> {
    let mut loaded = Loaded::default();
    let mut tf_dirs: BTreeMap<PathBuf, (Vec<PathBuf>, bool)> = BTreeMap::new();
    let mut tf_single: Vec<PathBuf> = Vec::new();
    let mut json_files: Vec<PathBuf> = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| InputError::Read {
            path: p.clone(),
            source,
        })?;
        if meta.is_dir() {
            let walker = walkdir::WalkDir::new(p)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    let name = e.file_name().to_string_lossy();
                    e.depth() == 0 || !(name.starts_with('.') || name == "node_modules")
                });
            for entry in walker.flatten() {
                let path = entry.path();
                if !entry.file_type().is_file() {
                    continue;
                }
                if hcl::is_tf(path) {
                    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                    tf_dirs
                        .entry(dir)
                        .or_insert_with(|| (Vec::new(), true))
                        .0
                        .push(path.to_path_buf());
                } else if path.extension().is_some_and(|e| e == "json") {
                    let text = read(path)?;
                    if looks_like_policy(&text)
                        && !path.to_string_lossy().ends_with(".tfstate.json")
                    {
                        json_files.push(path.to_path_buf());
                    }
                }
            }
        } else if hcl::is_tf(p) {
            tf_single.push(p.clone());
        } else if p.extension().is_some_and(|e| e == "json") {
            json_files.push(p.clone());
        } else {
            return Err(InputError::Unsupported(p.clone()));
        }
    }
    for f in json_files {
        let text = read(&f)?;
        loaded.files.push(f.clone());
        let id = sources.add(f, text);
        load_json_file(&mut loaded, sources, id);
    }
    for (_, (files, _)) in tf_dirs {
        let mut ids = Vec::new();
        for f in files {
            let text = read(&f)?;
            loaded.files.push(f.clone());
            ids.push(sources.add(f, text));
        }
        load_tf_dir(&mut loaded, sources, &ids, &ids, resolver);
    }
    for f in tf_single {
        // Siblings are read for data-source lookups, but only `f`'s policies are reported.
        let dir = f.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut ids = Vec::new();
        let main_text = read(&f)?;
        loaded.files.push(f.clone());
        let main = sources.add(f.clone(), main_text);
        ids.push(main);
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        if let Ok(rd) = std::fs::read_dir(&dir) {
            let mut sibs: Vec<PathBuf> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| hcl::is_tf(p))
                .collect();
            sibs.sort();
            for s in sibs {
                if s.file_name() == f.file_name() {
                    continue;
                }
                if let Ok(t) = read(&s) {
                    ids.push(sources.add(s, t));
                }
            }
        }
        load_tf_dir(&mut loaded, sources, &ids, &[main], resolver);
    }
    Ok(loaded)
}

/// Reads one policy from JSON text (for tests and callers holding a document in memory).
///
/// # Errors
/// [`json::JsonError`] when the text is not JSON.
pub fn policy_from_json_text(
    sources: &mut SourceMap,
    name: &str,
    text: &str,
    kind: Option<PolicyKind>,
) -> Result<Policy, json::JsonError> {
    let id = sources.add(name, text);
    let root = json::parse(text, id, 0)?;
    let doc = document_from_json(root, id).map_err(|(s, m)| json::JsonError {
        message: m,
        offset: s.start as usize,
    })?;
    let kind = kind.unwrap_or_else(|| hcl::guess_kind(&doc));
    Ok(Policy::from_node(&doc, kind, PolicyOrigin::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_is_total() {
        assert_eq!(percent_decode("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(percent_decode("100%é"), "100%é");
        assert_eq!(percent_decode("%"), "%");
    }

    #[test]
    fn url_encoded_document_is_read() {
        let mut sources = SourceMap::new();
        let text = r#"{"PolicyVersion": {"Document": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"}}"#;
        let p = policy_from_json_text(&mut sources, "v.json", text, None).unwrap();
        assert_eq!(
            p.version.and_then(|v| v.value).as_deref(),
            Some("2012-10-17")
        );
    }
}
