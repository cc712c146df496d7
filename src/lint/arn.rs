//! ARN patterns against the catalog's resource-type ARN formats.

use super::catalog::{catalog, glob_match, ResourceType, Service};

/// The six fields of an ARN pattern, when it has them.
pub fn split(arn: &str) -> Option<[&str; 6]> {
    let p: Vec<&str> = arn.splitn(6, ':').collect();
    if p.len() == 6 && p[0] == "arn" {
        Some([p[0], p[1], p[2], p[3], p[4], p[5]])
    } else {
        None
    }
}

fn template_glob(t: &str) -> String {
    let mut out = String::new();
    let mut rest = t;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        out.push('*');
        match rest[i..].find('}') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The resource types of `service` whose ARN format the resource part of `arn` can match.
/// The most specific are returned: types whose format begins with literal text (`role/`) beat
/// types that begin with a placeholder (`${BucketName}`).
pub fn resource_types<'a>(service: &'a Service, resource_part: &str) -> Vec<&'a ResourceType> {
    let mut literal = Vec::new();
    let mut placeholder = Vec::new();
    for r in &service.resources {
        let Some(fields) = split(r.arn) else { continue };
        let tpl = fields[5];
        let glob = template_glob(tpl);
        // A pattern in the policy may itself contain wildcards: accept when either matches.
        let ok = glob_match(&glob, resource_part)
            || (resource_part.contains('*') && glob_match(resource_part, &glob));
        if !ok {
            continue;
        }
        if tpl.starts_with("${") {
            placeholder.push(r);
        } else {
            literal.push(r);
        }
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
