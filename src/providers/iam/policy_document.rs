//! `data "aws_iam_policy_document"`: builds policy JSON from HCL statements, locally (no AWS
//! call). Output follows the AWS provider's shape: `Version`, optional `Id`, `Statement` with
//! `Sid`, `Effect`, `Action`/`NotAction`, `Resource`/`NotResource`, `Principal`/`NotPrincipal`,
//! `Condition`; one-element lists print as a single string; `json` is indented by two spaces,
//! `minified_json` has no whitespace. Source documents are merged first, statements with the
//! same `Sid` replaced, then override documents replace by `Sid` or are appended.

use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::{Ctx, DataSourceProvider};
use async_trait::async_trait;
use serde_json::{Map as JsonMap, Value as Json};

/// The data source (stateless).
pub struct PolicyDocumentData;

fn one_or_many(mut v: Vec<String>) -> Json {
    v.sort();
    v.dedup();
    if v.len() == 1 {
        Json::String(v.remove(0))
    } else {
        Json::Array(v.into_iter().map(Json::String).collect())
    }
}

fn principals(items: &[Value]) -> Option<Json> {
    if items.is_empty() {
        return None;
    }
    let mut by_type: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for p in items {
        let t = str_of(p, "type").unwrap_or("AWS").to_string();
        by_type
            .entry(t)
            .or_default()
            .extend(strings(p, "identifiers"));
    }
    if by_type.len() == 1 {
        if let Some(ids) = by_type.get("*") {
            if ids.iter().all(|i| i == "*") {
                return Some(Json::String("*".into()));
            }
        }
    }
    let mut m = JsonMap::new();
    for (t, ids) in by_type {
        m.insert(t, one_or_many(ids));
    }
    Some(Json::Object(m))
}

fn statement(s: &Value) -> Json {
    let mut m = JsonMap::new();
    if let Some(sid) = str_of(s, "sid") {
        m.insert("Sid".into(), Json::String(sid.into()));
    }
    m.insert(
        "Effect".into(),
        Json::String(str_of(s, "effect").unwrap_or("Allow").into()),
    );
    for (attr, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        let v = strings(s, attr);
        if !v.is_empty() {
            m.insert(key.into(), one_or_many(v));
        }
    }
    if let Some(p) = principals(items(s, "principals")) {
        m.insert("Principal".into(), p);
    }
    if let Some(p) = principals(items(s, "not_principals")) {
        m.insert("NotPrincipal".into(), p);
    }
    let conds = items(s, "condition");
    if !conds.is_empty() {
        let mut by_test: std::collections::BTreeMap<String, JsonMap<String, Json>> =
            Default::default();
        for c in conds {
            let vals = strings(c, "values");
            let v = if vals.len() == 1 {
                Json::String(vals[0].clone())
            } else {
                Json::Array(vals.into_iter().map(Json::String).collect())
            };
            by_test
                .entry(str_of(c, "test").unwrap_or_default().to_string())
                .or_default()
                .insert(str_of(c, "variable").unwrap_or_default().to_string(), v);
        }
        m.insert(
            "Condition".into(),
            Json::Object(
                by_test
                    .into_iter()
                    .map(|(k, v)| (k, Json::Object(v)))
                    .collect(),
            ),
        );
    }
    Json::Object(m)
}

fn merge_by_sid(into: &mut Vec<Json>, stmts: Vec<Json>) {
    for s in stmts {
        let sid = s.get("Sid").and_then(Json::as_str).map(str::to_string);
        match sid.and_then(|sid| {
            into.iter()
                .position(|x| x.get("Sid").and_then(Json::as_str) == Some(sid.as_str()))
        }) {
            Some(i) => into[i] = s,
            None => into.push(s),
        }
    }
}

fn statements_of(doc: &str) -> Result<Vec<Json>, String> {
    let j: Json = serde_json::from_str(doc).map_err(|e| format!("invalid policy JSON: {e}"))?;
    Ok(match j.get("Statement") {
        Some(Json::Array(a)) => a.clone(),
        Some(o @ Json::Object(_)) => vec![o.clone()],
        _ => vec![],
    })
}

/// Builds the document for an evaluated configuration.
///
/// # Errors
/// A message when a source or override document is not valid JSON.
pub fn build(config: &Value) -> Result<Json, String> {
    let mut stmts: Vec<Json> = Vec::new();
    for src in strings(config, "source_policy_documents")
        .iter()
        .chain(str_of(config, "source_json").map(str::to_string).iter())
    {
        merge_by_sid(&mut stmts, statements_of(src)?);
    }
    merge_by_sid(
        &mut stmts,
        items(config, "statement").iter().map(statement).collect(),
    );
    for ov in strings(config, "override_policy_documents")
        .iter()
        .chain(str_of(config, "override_json").map(str::to_string).iter())
    {
        merge_by_sid(&mut stmts, statements_of(ov)?);
    }
    let mut m = JsonMap::new();
    m.insert(
        "Version".into(),
        Json::String(str_of(config, "version").unwrap_or("2012-10-17").into()),
    );
    if let Some(id) = str_of(config, "policy_id") {
        m.insert("Id".into(), Json::String(id.into()));
    }
    m.insert("Statement".into(), Json::Array(stmts));
    Ok(Json::Object(m))
}

fn ordered_text(v: &Json, pretty: bool) -> String {
    // serde_json may sort keys; write keys in the AWS provider's order instead.
    const ORDER: &[&str] = &[
        "Version",
        "Id",
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
        "Statement",
    ];
    fn rank(k: &str) -> usize {
        ORDER.iter().position(|o| *o == k).unwrap_or(ORDER.len())
    }
    fn write(v: &Json, pretty: bool, depth: usize, out: &mut String) {
        let nl = |out: &mut String, d: usize| {
            if pretty {
                out.push('\n');
                out.push_str(&"  ".repeat(d));
            }
        };
        match v {
            Json::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, depth + 1);
                    out.push_str(&Json::String((*k).clone()).to_string());
                    out.push(':');
                    if pretty {
                        out.push(' ');
                    }
                    if let Some(x) = m.get(*k) {
                        write(x, pretty, depth + 1, out);
                    }
                }
                if !keys.is_empty() {
                    nl(out, depth);
                }
                out.push('}');
            }
            Json::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, depth + 1);
                    write(x, pretty, depth + 1, out);
                }
                if !a.is_empty() {
                    nl(out, depth);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut s = String::new();
    write(v, pretty, 0, &mut s);
    s
}

#[async_trait]
impl DataSourceProvider for PolicyDocumentData {
    fn type_name(&self) -> &'static str {
        "aws_iam_policy_document"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let doc = build(config).map_err(|m| ctx.invalid(m))?;
        let json = ordered_text(&doc, true);
        let mut out = config.as_map().cloned().unwrap_or_default();
        out.insert("id".into(), Value::from(format!("{}", fnv(&json))));
        out.insert(
            "minified_json".into(),
            Value::from(ordered_text(&doc, false)),
        );
        out.insert("json".into(), Value::from(json));
        Ok(Value::Map(out))
    }
}

fn fnv(s: &str) -> u32 {
    // The AWS provider's id is a string hash of the JSON; any stable hash does.
    let mut h: u32 = 0x811c9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x01000193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn trust_policy_document_matches_the_aws_provider_shape() {
        let cfg = Value::map([(
            "statement",
            Value::List(vec![Value::map([
                ("actions", string_set(["sts:AssumeRole"])),
                (
                    "principals",
                    Value::set(vec![Value::map([
                        ("type", Value::from("Service")),
                        ("identifiers", string_set(["emr-serverless.amazonaws.com"])),
                    ])]),
                ),
            ])]),
        )]);
        let out = PolicyDocumentData
            .read(&Ctx::new("data.aws_iam_policy_document.t"), &cfg)
            .await
            .expect("doc");
        assert_eq!(
            str_of(&out, "minified_json"),
            Some(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"emr-serverless.amazonaws.com"}}]}"#
            )
        );
        let json = str_of(&out, "json").unwrap_or_default();
        assert!(
            json.starts_with("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n"),
            "{json}"
        );
    }

    #[test]
    fn overrides_replace_statements_by_sid() {
        let cfg = Value::map([
            (
                "source_policy_documents",
                string_list([
                    r#"{"Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
                ]),
            ),
            (
                "override_policy_documents",
                string_list([
                    r#"{"Statement":[{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#,
                ]),
            ),
        ]);
        let doc = build(&cfg).expect("doc");
        assert_eq!(doc["Statement"].as_array().map(Vec::len), Some(1));
        assert_eq!(doc["Statement"][0]["Effect"], "Deny");
    }
}
