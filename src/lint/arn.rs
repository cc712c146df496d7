//! ARN patterns against the catalog's resource-type ARN formats.

use super::catalog::{catalog, ResourceType, Service};

/// The six fields of an ARN pattern, when it has them.
pub fn split(arn: &str) -> Option<[&str; 6]> {
    let p: Vec<&str> = arn.splitn(6, ':').collect();
    if p.len() == 6 && p[0] == "arn" {
        Some([p[0], p[1], p[2], p[3], p[4], p[5]])
    } else {
        None
    }
}

enum Tok<'a> {
    Lit(&'a str),
    /// A placeholder; `true` when it may contain `/` (paths, object keys).
    Hole(bool),
}

fn tokens(t: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(i) = rest.find("${") {
        if i > 0 {
            out.push(Tok::Lit(&rest[..i]));
        }
        let Some(j) = rest[i..].find('}') else {
            out.push(Tok::Lit(&rest[i..]));
            return out;
        };
        let name = &rest[i + 2..i + j];
        // Most placeholders may hold `/` (role paths, object keys, ECR namespaces); bucket
        // names cannot, which is what tells an S3 bucket ARN from an object ARN.
        let slash = !matches!(name, "BucketName" | "Account" | "Region" | "Partition");
        out.push(Tok::Hole(slash));
        rest = &rest[i + j + 1..];
    }
    if !rest.is_empty() {
        out.push(Tok::Lit(rest));
    }
    out
}

/// Matches a concrete text against template tokens (literals case-sensitive, holes non-empty).
fn tok_match(toks: &[Tok<'_>], text: &str) -> bool {
    match toks.first() {
        None => text.is_empty(),
        Some(Tok::Lit(l)) => text
            .strip_prefix(l)
            .is_some_and(|r| tok_match(&toks[1..], r)),
        Some(Tok::Hole(slash)) => {
            let mut end = 0;
            for (i, c) in text.char_indices() {
                if c == '/' && !slash {
                    break;
                }
                end = i + c.len_utf8();
                if tok_match(&toks[1..], &text[end..]) {
                    return true;
                }
            }
            let _ = end;
            false
        }
    }
}

/// Template tokens, parsed once per catalog template.
fn cached_tokens(template: &'static str) -> std::sync::Arc<Vec<Tok<'static>>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<usize, Arc<Vec<Tok<'static>>>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let key = template.as_ptr() as usize ^ (template.len() << 48);
    let mut guard = match cache.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    guard
        .entry(key)
        .or_insert_with(|| Arc::new(tokens(template)))
        .clone()
}

fn could_match_cached(template_resource: &'static str, pattern: &str) -> bool {
    // Cheap reject: the literal text before the template's first placeholder and the pattern's
    // text before its first wildcard must agree on their common length.
    let tlit = template_resource
        .find("${")
        .map_or(template_resource, |i| &template_resource[..i]);
    let plit = pattern.find(['*', '?']).map_or(pattern, |i| &pattern[..i]);
    let n = tlit.len().min(plit.len());
    if tlit.as_bytes()[..n] != plit.as_bytes()[..n] {
        return false;
    }
    let toks = cached_tokens(template_resource);
    matches_tokens(&toks, pattern)
}

fn matches_tokens(toks: &[Tok<'_>], pattern: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        return tok_match(toks, pattern);
    }
    intersects(&template_atoms(toks), &pattern_atoms(pattern))
}

/// One position of a glob-like sequence.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Atom {
    /// One literal character.
    Ch(char),
    /// Any one character (`?`).
    One,
    /// Any run (`*`, or a placeholder that may hold `/`).
    Run,
    /// Any run without `/` (a bucket-name placeholder).
    RunNoSlash,
}

fn template_atoms(toks: &[Tok<'_>]) -> Vec<Atom> {
    let mut out = Vec::new();
    for t in toks {
        match t {
            Tok::Lit(l) => out.extend(l.chars().map(Atom::Ch)),
            Tok::Hole(true) => out.push(Atom::Run),
            Tok::Hole(false) => out.push(Atom::RunNoSlash),
        }
    }
    out
}

fn pattern_atoms(p: &str) -> Vec<Atom> {
    p.chars()
        .map(|c| match c {
            '*' => Atom::Run,
            '?' => Atom::One,
            c => Atom::Ch(c),
        })
        .collect()
}

/// True when some string matches both sequences (placeholders must be non-empty in ARNs, but
/// allowing empty runs only makes this more permissive, which is the safe side).
fn intersects(a: &[Atom], b: &[Atom]) -> bool {
    let mut memo = vec![None; (a.len() + 1) * (b.len() + 1)];
    inter(a, b, 0, 0, &mut memo)
}

fn single(x: Atom, y: Atom) -> bool {
    match (x, y) {
        (Atom::Ch(c), Atom::Ch(d)) => c == d,
        (Atom::Ch(c), Atom::RunNoSlash) | (Atom::RunNoSlash, Atom::Ch(c)) => c != '/',
        _ => true,
    }
}

fn inter(a: &[Atom], b: &[Atom], i: usize, j: usize, memo: &mut Vec<Option<bool>>) -> bool {
    let key = i * (b.len() + 1) + j;
    if let Some(v) = memo[key] {
        return v;
    }
    let is_run = |x: Atom| matches!(x, Atom::Run | Atom::RunNoSlash);
    let r = match (a.get(i).copied(), b.get(j).copied()) {
        (None, None) => true,
        (Some(x), None) => is_run(x) && inter(a, b, i + 1, j, memo),
        (None, Some(y)) => is_run(y) && inter(a, b, i, j + 1, memo),
        (Some(x), Some(y)) => {
            (is_run(x) && inter(a, b, i + 1, j, memo))
                || (is_run(y) && inter(a, b, i, j + 1, memo))
                || (single(x, y)
                    && ((is_run(x) && inter(a, b, i, j + 1, memo))
                        || (is_run(y) && inter(a, b, i + 1, j, memo))
                        || inter(a, b, i + 1, j + 1, memo)))
        }
    };
    memo[key] = Some(r);
    r
}

/// True when a policy resource part (which may hold `*`/`?`) could name a resource of the
/// template.
pub fn could_match(template_resource: &str, pattern: &str) -> bool {
    matches_tokens(&tokens(template_resource), pattern)
}

/// The resource types of `service` whose ARN format the resource part of `arn` can match.
/// The most specific are returned: types whose format begins with literal text (`role/`) beat
/// types that begin with a placeholder (`${BucketName}`).
pub fn resource_types(
    service: &'static Service,
    resource_part: &str,
) -> Vec<&'static ResourceType> {
    let mut literal = Vec::new();
    let mut placeholder = Vec::new();
    for r in &service.resources {
        let Some(fields) = split(r.arn) else { continue };
        let tpl = fields[5];
        if !could_match_cached(tpl, resource_part) {
            continue;
        }
        if tpl.starts_with("${") {
            placeholder.push(r);
        } else {
            literal.push(r);
        }
    }
    if resource_part.starts_with(['*', '?']) {
        literal.extend(placeholder);
        return literal;
    }
    if literal.is_empty() {
        placeholder
    } else {
        literal
    }
}

/// Resolves an ARN to its service and candidate resource types; `None` when the ARN is not
/// checkable (wildcard service, unknown service, not an ARN, policy variables).
pub fn lookup(arn: &str) -> Option<(&'static Service, Vec<&'static ResourceType>)> {
    if arn.contains("${") {
        return None;
    }
    let f = split(arn)?;
    if f[2].contains(['*', '?']) {
        return None;
    }
    let svc = catalog().service(f[2])?;
    Some((svc, resource_types(svc, f[5])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_objects_and_buckets_are_told_apart() {
        let s3 = catalog().service("s3").unwrap();
        let names = |p: &str| {
            resource_types(s3, p)
                .iter()
                .map(|r| r.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names("data/*"), vec!["object"]);
        assert_eq!(names("data"), vec!["bucket"]);
        assert!(names("*").contains(&"bucket") && names("*").contains(&"object"));
        let iam = catalog().service("iam").unwrap();
        assert_eq!(
            resource_types(iam, "role/service/emr-job")
                .iter()
                .map(|r| r.name)
                .collect::<Vec<_>>(),
            vec!["role"]
        );
    }
}
