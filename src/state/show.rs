//! Rendering one resource instance the way `terraform state show` prints it: `# ADDR:`, a
//! `resource "TYPE" "NAME" {` block, attributes sorted and aligned, JSON strings as
//! `jsonencode(...)`, null attributes left out and empty strings shown as `null` (what Terraform
//! prints for providers on the legacy SDK), nested blocks after attributes, sensitive values
//! hidden.
//!
//! With the resource's schema ([`Body`]) the output matches Terraform's (maps get quoted keys,
//! objects bare ones, blocks are blocks). Without one, objects are printed as maps and lists
//! of objects as lists.

use serde_json::Value as Json;

use crate::addrs::{ResourceInstanceAddr, ResourceMode};
use crate::config::schema::{AttrType, Body, Nesting};
use crate::config::value::format_number;

use super::model::Instance;

const INDENT: &str = "    ";
const SENSITIVE: &str = "(sensitive value)";

/// Renders an instance. `schema` is the resource type's body when known.
pub fn render_instance(
    addr: &ResourceInstanceAddr,
    inst: &Instance,
    schema: Option<&Body>,
) -> String {
    let mut out = format!("# {addr}:");
    if inst.status.is_some() {
        out.push_str(" (tainted)");
    }
    out.push('\n');
    let kw = match addr.resource.mode {
        ResourceMode::Managed => "resource",
        ResourceMode::Data => "data",
    };
    out.push_str(&format!(
        "{kw} \"{}\" \"{}\" {{\n",
        addr.resource.type_name, addr.resource.name
    ));
    let sensitive = inst.sensitive_paths();
    let empty = serde_json::Map::new();
    let attrs = match &inst.attributes_value_json() {
        Some(Json::Object(m)) => m.clone(),
        _ => empty,
    };
    let mut path = Vec::new();
    render_body(&mut out, &attrs, schema, 1, &mut path, &sensitive);
    out.push_str("}\n");
    out
}

impl Instance {
    fn attributes_value_json(&self) -> Option<Json> {
        match &self.attributes {
            Some(j) => Some(j.clone()),
            None => self.attributes_flat.as_ref().map(|f| {
                Json::Object(
                    f.iter()
                        .map(|(k, v)| (k.clone(), Json::String(v.clone())))
                        .collect(),
                )
            }),
        }
    }
}

fn is_sensitive(path: &[Json], sensitive: &[Vec<Json>]) -> bool {
    sensitive.iter().any(|p| p.as_slice() == path)
}

fn render_body(
    out: &mut String,
    obj: &serde_json::Map<String, Json>,
    schema: Option<&Body>,
    depth: usize,
    path: &mut Vec<Json>,
    sensitive: &[Vec<Json>],
) {
    let is_block = |k: &str| schema.is_some_and(|b| b.block_type(k).is_some());
    // Null attributes are left out, as Terraform does.
    let attrs: Vec<(&String, &Json)> = obj
        .iter()
        .filter(|(k, v)| !is_block(k) && !v.is_null())
        .collect();
    let width = attrs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let pad = INDENT.repeat(depth);
    for (k, v) in &attrs {
        path.push(Json::String((*k).clone()));
        let attr = schema.and_then(|b| b.attribute(k));
        let hidden = attr.is_some_and(|a| a.sensitive) || is_sensitive(path, sensitive);
        out.push_str(&format!("{pad}{k:<width$} = "));
        if hidden {
            out.push_str(SENSITIVE);
        } else {
            render_value(out, v, attr.map(|a| &a.ty), depth, path, sensitive);
        }
        out.push('\n');
        path.pop();
    }
    let Some(body) = schema else {
        return;
    };
    let mut blocks: Vec<_> = body.blocks.iter().collect();
    blocks.sort_by_key(|b| b.name);
    for bt in blocks {
        let items: Vec<&Json> = match obj.get(bt.name) {
            Some(Json::Array(a)) => a.iter().collect(),
            Some(o @ Json::Object(_)) if bt.nesting == Nesting::Single => vec![o],
            _ => Vec::new(),
        };
        path.push(Json::String(bt.name.to_string()));
        for (i, item) in items.into_iter().enumerate() {
            let Json::Object(m) = item else { continue };
            path.push(Json::from(i));
            out.push('\n');
            out.push_str(&format!("{pad}{} {{\n", bt.name));
            render_body(out, m, Some(&bt.body), depth + 1, path, sensitive);
            out.push_str(&format!("{pad}}}\n"));
            path.pop();
        }
        path.pop();
    }
}

fn is_ident(k: &str) -> bool {
    let mut c = k.chars();
    matches!(c.next(), Some(f) if f.is_alphabetic() || f == '_')
        && c.all(|x| x.is_alphanumeric() || x == '_' || x == '-')
}

fn quote(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for ch in s.chars() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c => o.push(c),
        }
    }
    o.push('"');
    o.replace("${", "$${").replace("%{", "%%{")
}

fn render_string(out: &mut String, s: &str, depth: usize) {
    if let Ok(j @ (Json::Object(_) | Json::Array(_))) = serde_json::from_str::<Json>(s) {
        let pad = INDENT.repeat(depth);
        out.push_str("jsonencode(\n");
        out.push_str(&INDENT.repeat(depth + 1));
        render_json(out, &j, depth + 1);
        out.push('\n');
        out.push_str(&format!("{pad})"));
        return;
    }
    if s.contains('\n') && !s.trim_end_matches('\n').is_empty() {
        let pad = INDENT.repeat(depth + 1);
        out.push_str("<<-EOT\n");
        for line in s.trim_end_matches('\n').split('\n') {
            if line.is_empty() {
                out.push('\n');
            } else {
                out.push_str(&format!("{pad}{line}\n"));
            }
        }
        out.push_str(&format!("{}EOT", INDENT.repeat(depth)));
        return;
    }
    out.push_str(&quote(s));
}

/// JSON inside `jsonencode(...)`: objects with bare keys where possible, lists with trailing
/// commas.
fn render_json(out: &mut String, j: &Json, depth: usize) {
    match j {
        Json::Array(a) if a.is_empty() => out.push_str("[]"),
        Json::Array(a) => {
            out.push_str("[\n");
            for e in a {
                out.push_str(&INDENT.repeat(depth + 1));
                render_json(out, e, depth + 1);
                out.push_str(",\n");
            }
            out.push_str(&format!("{}]", INDENT.repeat(depth)));
        }
        Json::Object(m) if m.is_empty() => out.push_str("{}"),
        Json::Object(m) => {
            let keys: Vec<String> = m
                .keys()
                .map(|k| if is_ident(k) { k.clone() } else { quote(k) })
                .collect();
            let width = keys.iter().map(|k| k.chars().count()).max().unwrap_or(0);
            out.push_str("{\n");
            for (k, v) in keys.iter().zip(m.values()) {
                out.push_str(&format!("{}{k:<width$} = ", INDENT.repeat(depth + 1)));
                render_json(out, v, depth + 1);
                out.push('\n');
            }
            out.push_str(&format!("{}}}", INDENT.repeat(depth)));
        }
        Json::String(s) => out.push_str(&quote(s)),
        Json::Number(n) => out.push_str(&n.as_f64().map(format_number).unwrap_or_default()),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Null => out.push_str("null"),
    }
}

fn render_value(
    out: &mut String,
    v: &Json,
    ty: Option<&AttrType>,
    depth: usize,
    path: &mut Vec<Json>,
    sensitive: &[Vec<Json>],
) {
    let elem_ty = match ty {
        Some(AttrType::List(t) | AttrType::Set(t) | AttrType::Map(t)) => Some(t.as_ref()),
        _ => None,
    };
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&n.as_f64().map(format_number).unwrap_or_default()),
        // Providers on the legacy SDK cannot tell "" from null; Terraform prints both as null.
        Json::String(s) if s.is_empty() => out.push_str("null"),
        Json::String(s) => render_string(out, s, depth),
        Json::Array(a) if a.is_empty() => out.push_str("[]"),
        Json::Array(a) => {
            out.push_str("[\n");
            for (i, e) in a.iter().enumerate() {
                path.push(Json::from(i));
                out.push_str(&INDENT.repeat(depth + 1));
                if is_sensitive(path, sensitive) {
                    out.push_str(SENSITIVE);
                } else {
                    render_value(out, e, elem_ty, depth + 1, path, sensitive);
                }
                out.push_str(",\n");
                path.pop();
            }
            out.push_str(&format!("{}]", INDENT.repeat(depth)));
        }
        Json::Object(m) if m.is_empty() => out.push_str("{}"),
        Json::Object(m) => {
            let object_fields = match ty {
                Some(AttrType::Object(f)) => Some(f),
                _ => None,
            };
            let keys: Vec<String> = m
                .keys()
                .map(|k| {
                    if object_fields.is_some() && is_ident(k) {
                        k.clone()
                    } else {
                        quote(k)
                    }
                })
                .collect();
            let width = keys.iter().map(|k| k.chars().count()).max().unwrap_or(0);
            out.push_str("{\n");
            for ((shown, (k, e)), _) in keys.iter().zip(m.iter()).zip(0..) {
                path.push(Json::String(k.clone()));
                out.push_str(&format!("{}{shown:<width$} = ", INDENT.repeat(depth + 1)));
                let field_ty = match object_fields {
                    Some(f) => f.iter().find(|(n, _)| n == k).map(|(_, t)| t),
                    None => elem_ty,
                };
                if is_sensitive(path, sensitive) {
                    out.push_str(SENSITIVE);
                } else {
                    render_value(out, e, field_ty, depth + 1, path, sensitive);
                }
                out.push('\n');
                path.pop();
            }
            out.push_str(&format!("{}}}", INDENT.repeat(depth)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::schema::{Attribute, BlockType};
    use serde_json::json;

    #[test]
    fn renders_like_terraform_state_show() {
        let inst = Instance::new(
            0,
            json!({
                "arn": "arn:aws:ecr:us-east-1:123456789012:repository/spark-custom",
                "id": "spark-custom",
                "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"]}]}",
                "tags": {"team": "data & platform"},
                "tags_all": {},
                "names": ["a"],
                "count": 3,
                "description": null,
                "kms": "",
                "encryption_configuration": [{"encryption_type": "AES256", "kms_key": ""}],
            }),
        );
        let body = Body::new()
            .attr(Attribute::computed("arn", AttrType::String))
            .attr(Attribute::computed("id", AttrType::String))
            .attr(Attribute::optional("policy", AttrType::String))
            .attr(Attribute::optional(
                "tags",
                AttrType::Map(Box::new(AttrType::String)),
            ))
            .attr(Attribute::computed(
                "tags_all",
                AttrType::Map(Box::new(AttrType::String)),
            ))
            .attr(Attribute::optional(
                "names",
                AttrType::List(Box::new(AttrType::String)),
            ))
            .attr(Attribute::optional("count", AttrType::Number))
            .attr(Attribute::optional("description", AttrType::String))
            .block(BlockType::single(
                "encryption_configuration",
                Body::new()
                    .attr(Attribute::optional("encryption_type", AttrType::String))
                    .attr(Attribute::optional("kms_key", AttrType::String)),
            ));
        let addr: ResourceInstanceAddr = "aws_ecr_repository.spark".parse().unwrap();
        let got = render_instance(&addr, &inst, Some(&body));
        let want = r#"# aws_ecr_repository.spark:
resource "aws_ecr_repository" "spark" {
    arn      = "arn:aws:ecr:us-east-1:123456789012:repository/spark-custom"
    count    = 3
    id       = "spark-custom"
    kms      = null
    names    = [
        "a",
    ]
    policy   = jsonencode(
        {
            Statement = [
                {
                    Action = [
                        "s3:GetObject",
                        "s3:PutObject",
                    ]
                    Effect = "Allow"
                },
            ]
            Version   = "2012-10-17"
        }
    )
    tags     = {
        "team" = "data & platform"
    }
    tags_all = {}

    encryption_configuration {
        encryption_type = "AES256"
        kms_key         = null
    }
}
"#;
        assert_eq!(got, want, "\n{got}");
    }

    #[test]
    fn sensitive_values_are_hidden() {
        let mut inst = Instance::new(
            0,
            json!({"id": "x", "password": "hunter2", "nested": {"secret": "s", "plain": "p"}}),
        );
        inst.sensitive_attributes = Some(json!([
            [{"type": "get_attr", "value": "password"}],
            [{"type": "get_attr", "value": "nested"}, {"type": "index", "value": {"value": "secret", "type": "string"}}]
        ]));
        let addr: ResourceInstanceAddr = "aws_db.x".parse().unwrap();
        let got = render_instance(&addr, &inst, None);
        assert!(!got.contains("hunter2"), "{got}");
        assert!(got.contains("password = (sensitive value)"), "{got}");
        assert!(got.contains("\"secret\" = (sensitive value)"), "{got}");
        assert!(got.contains("\"plain\"  = \"p\""), "{got}");
    }
}
