//! Terraform's JSON configuration syntax (`*.tf.json`), converted to the native syntax so the
//! rest of the loader sees one form. Strings keep their `${...}` templates; object values under
//! names that the resource schema declares as blocks (and `lifecycle`, `provisioner`,
//! `dynamic`, `content`) become nested blocks.

use crate::config::schema::{self, Body as SchemaBody};
use serde_json::Value as Json;
use std::fmt::Write;

/// Converts a `.tf.json` document to an HCL body.
///
/// # Errors
/// A message when the text is not JSON or not shaped like a Terraform configuration.
pub fn to_body(text: &str) -> Result<hcl_edit::structure::Body, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let hcl = to_hcl(&json)?;
    hcl_edit::parser::parse_body(&hcl).map_err(|e| e.message().to_string())
}

fn to_hcl(json: &Json) -> Result<String, String> {
    let top = json.as_object().ok_or("the top level must be an object")?;
    let mut out = String::new();
    for (kind, v) in top {
        if kind == "//" {
            continue;
        }
        match kind.as_str() {
            "resource" | "data" => {
                for (ty, named) in obj(v, kind)? {
                    let sch = if kind == "data" {
                        schema::data_source(ty)
                    } else {
                        schema::managed_resource(ty)
                    };
                    for (name, body) in obj(named, ty)? {
                        for b in bodies(body) {
                            let _ = writeln!(out, "{kind} {} {} {{", quote(ty), quote(name));
                            body_hcl(&mut out, b, sch.map(|s| &s.body), 1)?;
                            out.push_str("}\n");
                        }
                    }
                }
            }
            "variable" | "output" | "module" | "provider" => {
                for (name, body) in obj(v, kind)? {
                    for b in bodies(body) {
                        let _ = writeln!(out, "{kind} {} {{", quote(name));
                        for (k, val) in obj(b, name)? {
                            if kind == "variable" && k == "type" {
                                let t = val.as_str().ok_or("variable type must be a string")?;
                                let _ = writeln!(out, "  type = {t}");
                            } else if kind == "variable" && k == "validation" {
                                for vb in bodies(val) {
                                    out.push_str("  validation {\n");
                                    body_hcl(&mut out, vb, None, 2)?;
                                    out.push_str("  }\n");
                                }
                            } else if k == "depends_on" {
                                let _ = writeln!(out, "  depends_on = {}", refs(val));
                            } else {
                                let _ = writeln!(out, "  {k} = {}", value_hcl(val));
                            }
                        }
                        out.push_str("}\n");
                    }
                }
            }
            "locals" => {
                for b in bodies(v) {
                    out.push_str("locals {\n");
                    body_hcl(&mut out, b, None, 1)?;
                    out.push_str("}\n");
                }
            }
            "terraform" => {
                for b in bodies(v) {
                    out.push_str("terraform {\n");
                    for (k, val) in obj(b, "terraform")? {
                        match k.as_str() {
                            "backend" => {
                                for (bk, bb) in obj(val, "backend")? {
                                    let _ = writeln!(out, "  backend {} {{", quote(bk));
                                    body_hcl(&mut out, bb, None, 2)?;
                                    out.push_str("  }\n");
                                }
                            }
                            "required_providers" => {
                                for rb in bodies(val) {
                                    out.push_str("  required_providers {\n");
                                    body_hcl(&mut out, rb, None, 2)?;
                                    out.push_str("  }\n");
                                }
                            }
                            _ => {
                                let _ = writeln!(out, "  {k} = {}", value_hcl(val));
                            }
                        }
                    }
                    out.push_str("}\n");
                }
            }
            other => return Err(format!("unsupported top-level key {other:?}")),
        }
    }
    Ok(out)
}

fn obj<'a>(v: &'a Json, what: &str) -> Result<&'a serde_json::Map<String, Json>, String> {
    v.as_object()
        .ok_or_else(|| format!("expected an object under {what:?}"))
}

fn bodies(v: &Json) -> Vec<&Json> {
    match v {
        Json::Array(a) => a.iter().collect(),
        other => vec![other],
    }
}

fn is_block(schema: Option<&SchemaBody>, key: &str) -> bool {
    matches!(
        key,
        "lifecycle" | "provisioner" | "connection" | "dynamic" | "content"
    ) || schema.is_some_and(|s| s.block_type(key).is_some())
}

fn body_hcl(
    out: &mut String,
    v: &Json,
    schema: Option<&SchemaBody>,
    depth: usize,
) -> Result<(), String> {
    let ind = "  ".repeat(depth);
    for (k, val) in obj(v, "body")? {
        if k == "//" {
            continue;
        }
        if is_block(schema, k) {
            let inner = schema.and_then(|s| s.block_type(k)).map(|b| &b.body);
            if k == "dynamic" || k == "provisioner" {
                for (label, b) in obj(val, k)? {
                    for b in bodies(b) {
                        let _ = writeln!(out, "{ind}{k} {} {{", quote(label));
                        let lbl_schema = schema.and_then(|s| s.block_type(label)).map(|b| &b.body);
                        body_hcl(out, b, lbl_schema, depth + 1)?;
                        let _ = writeln!(out, "{ind}}}");
                    }
                }
            } else {
                for b in bodies(val) {
                    let _ = writeln!(out, "{ind}{k} {{");
                    body_hcl(out, b, inner.or(schema), depth + 1)?;
                    let _ = writeln!(out, "{ind}}}");
                }
            }
        } else if k == "depends_on" {
            let _ = writeln!(out, "{ind}depends_on = {}", refs(val));
        } else {
            let _ = writeln!(out, "{ind}{k} = {}", value_hcl(val));
        }
    }
    Ok(())
}

fn refs(v: &Json) -> String {
    let items: Vec<String> = bodies(v)
        .into_iter()
        .filter_map(|e| {
            e.as_str()
                .map(|s| s.trim_start_matches("${").trim_end_matches('}').to_string())
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn value_hcl(v: &Json) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => quote(s),
        Json::Array(a) => format!(
            "[{}]",
            a.iter().map(value_hcl).collect::<Vec<_>>().join(", ")
        ),
        Json::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .map(|(k, v)| format!("{} = {}", quote(k), value_hcl(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_resources_variables_and_templates() {
        let j = serde_json::json!({
            "variable": {"name": {"type": "string", "default": "x"}},
            "resource": {"aws_iam_role": {"r": {"name": "${var.name}-role", "depends_on": ["aws_iam_policy.p"]}}}
        });
        let h = to_hcl(&j).unwrap();
        assert!(h.contains("type = string"), "{h}");
        assert!(h.contains("name = \"${var.name}-role\""), "{h}");
        assert!(h.contains("depends_on = [aws_iam_policy.p]"), "{h}");
        assert!(hcl_edit::parser::parse_body(&h).is_ok());
    }
}
