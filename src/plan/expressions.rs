//! The `expressions` of each resource block as Terraform's plan JSON `configuration` records
//! them: an argument that refers to other objects becomes `{"references": [...]}` (written as
//! Terraform writes them: `aws_subnet.a.id` then `aws_subnet.a`; a splat only as the
//! resource), nested blocks become lists of such objects. Readers of plan JSON (emrform's own
//! `check`, policy tools) follow references to values only known after apply through these.

use crate::config::eval::{references, RefTarget};
use crate::config::model::Config;
use crate::diag::{SourceMap, Span};
use hcl_edit::structure::{Body, Structure};
use indexmap::IndexMap;
use serde_json::{json, Map, Value as Json};

/// `module.a.module.b.` + `aws_x.y` (static module path) → `expressions` object, for every
/// resource and data block of the configuration. Arguments without references are absent
/// (the renderer writes their values as `constant_value`).
pub fn config_expressions(config: &Config) -> IndexMap<String, Json> {
    let mut out = IndexMap::new();
    for (path, m) in &config.modules {
        let prefix = path.to_string();
        for r in m.resources.values() {
            let key = if prefix.is_empty() {
                r.addr.to_string()
            } else {
                format!("{prefix}.{}", r.addr)
            };
            let e = body_expressions(&r.body, r.file, r.span, &config.sources);
            if !e.is_empty() {
                out.insert(key, Json::Object(e));
            }
        }
    }
    out
}

fn body_expressions(
    body: &Body,
    file: crate::diag::FileId,
    fallback: Span,
    sources: &SourceMap,
) -> Map<String, Json> {
    let mut o = Map::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let refs = reference_strings(&a.value, file, fallback, sources);
                if !refs.is_empty() {
                    o.insert(a.key.as_str().to_string(), json!({ "references": refs }));
                }
            }
            Structure::Block(b) if b.ident.as_str() == "dynamic" => {}
            Structure::Block(b) => {
                let inner = body_expressions(&b.body, file, fallback, sources);
                let entry = o
                    .entry(b.ident.as_str().to_string())
                    .or_insert_with(|| Json::Array(Vec::new()));
                if let Json::Array(items) = entry {
                    items.push(Json::Object(inner));
                }
            }
        }
    }
    // Blocks whose contents refer to nothing add nothing.
    o.retain(|_, v| match v {
        Json::Array(items) => items
            .iter()
            .any(|i| i.as_object().is_some_and(|m| !m.is_empty())),
        _ => true,
    });
    o
}

/// Terraform's reference strings for the resource references in `e`.
fn reference_strings(
    e: &hcl_edit::expr::Expression,
    file: crate::diag::FileId,
    fallback: Span,
    sources: &SourceMap,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in references(e, file, fallback, &[]) {
        let RefTarget::Resource(addr) = &r.target else {
            continue;
        };
        let base = addr.to_string();
        let text = sources.text(r.span);
        let rest = text.strip_prefix(base.as_str()).unwrap_or("");
        let mut items = Vec::new();
        if !(rest.starts_with("[*]") || rest.starts_with(".*")) {
            // An index (`[0]`, `["a"]`, `[count.index]`) is skipped; the attribute after it named.
            let after_index = match rest.strip_prefix('[') {
                Some(r) => r.split_once(']').map_or("", |(_, tail)| tail),
                None => rest,
            };
            if let Some(attr) = after_index.strip_prefix('.') {
                let name: String = attr
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                if !name.is_empty() {
                    items.push(format!("{base}.{name}"));
                }
            }
        }
        items.push(base);
        for i in items {
            if !out.contains(&i) {
                out.push(i);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_written_as_terraform_writes_them() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(
            dir.path().join("main.tf"),
            r#"
resource "aws_subnet" "private" {
  count      = 2
  vpc_id     = "vpc-1"
  cidr_block = "10.0.${count.index}.0/24"
}
resource "aws_ecr_repository" "r" {
  name = "r"
}
resource "aws_emrserverless_application" "a" {
  name          = "a"
  type          = "spark"
  release_label = "emr-7.2.0"
  image_configuration {
    image_uri = "${aws_ecr_repository.r.repository_url}:latest"
  }
  network_configuration {
    subnet_ids = aws_subnet.private[*].id
  }
  maximum_capacity {
    cpu    = "4 vCPU"
    memory = "16 GB"
  }
}
"#,
        )
        .expect("write");
        let (config, diags) = crate::config::load::load(dir.path());
        assert!(!diags.has_errors());
        let e = config_expressions(&config);
        let app = &e["aws_emrserverless_application.a"];
        assert_eq!(
            app["image_configuration"][0]["image_uri"]["references"],
            json!([
                "aws_ecr_repository.r.repository_url",
                "aws_ecr_repository.r"
            ])
        );
        assert_eq!(
            app["network_configuration"][0]["subnet_ids"]["references"],
            json!(["aws_subnet.private"])
        );
        assert!(app.get("maximum_capacity").is_none(), "{app}");
        assert!(!e.contains_key("aws_ecr_repository.r"));
    }
}
