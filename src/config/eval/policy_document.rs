//! The `aws_iam_policy_document` data source computed offline: its `json` and
//! `minified_json` attributes from the evaluated configuration, byte for byte as the AWS
//! provider writes them.
//!
//! What the provider does, and this module reproduces:
//! - `source_policy_documents` are merged first, in order (a repeated non-empty `Sid` across
//!   them is an error), then the configured `statement` blocks, then
//!   `override_policy_documents`; a statement whose `Sid` is already present replaces that
//!   statement in place, others are appended. `Id` is taken from the last document that has
//!   one, and `Version` is the greatest seen (the configuration's defaults to `2012-10-17`).
//! - A configured string set with one member is written as a string; with more, as a list
//!   sorted in reverse byte order. Condition values keep their order and are a string when
//!   there is one. `&{` in resources, identifiers and condition values becomes `${`.
//! - Principals and conditions are objects with sorted keys; blocks with the same principal
//!   type (or the same test and variable) are concatenated in the order of the provider's
//!   set hashing, which is reproduced here. A single `*` principal of type `*` is `"*"`.
//! - Output is Go's `encoding/json`: keys in struct order (`Version`, `Id`, `Statement`;
//!   `Sid`, `Effect`, `Action`, `NotAction`, `Resource`, `NotResource`, `Principal`,
//!   `NotPrincipal`, `Condition`), empty fields left out, `<`, `>` and `&` escaped, and the
//!   pretty form indented by two spaces.
//!
//! Nothing here reads AWS or the filesystem.

use super::functions::write_json_string;
use crate::config::value::{format_number, Value};
use serde_json::Value as Json;

/// The `json` attribute: the merged document, pretty-printed.
///
/// # Errors
/// A message when the configuration is invalid (bad `effect`, `version` or `sid`, duplicate
/// Sids, a source or override document that is not a policy) or not wholly known.
pub fn render(config: &Value) -> Result<String, String> {
    let doc = build(config)?;
    let mut out = String::new();
    write_json(&mut out, &doc.to_json(), Some(0));
    Ok(out)
}

/// The `minified_json` attribute: the same document without whitespace.
///
/// # Errors
/// As [`render`].
pub fn render_minified(config: &Value) -> Result<String, String> {
    let doc = build(config)?;
    let mut out = String::new();
    write_json(&mut out, &doc.to_json(), None);
    Ok(out)
}

/// The data source's computed attributes as a map with `json`, `minified_json` and `id`
/// (the CRC-32 of `json` in decimal, as the provider sets it), or [`Value::Unknown`] for
/// all three when the configuration is not yet wholly known.
///
/// # Errors
/// As [`render`], for a wholly known configuration.
pub fn computed_attributes(config: &Value) -> Result<Value, String> {
    if !config.is_wholly_known() {
        return Ok(Value::map([
            ("id", Value::Unknown),
            ("json", Value::Unknown),
            ("minified_json", Value::Unknown),
        ]));
    }
    let doc = build(config)?.to_json();
    let mut pretty = String::new();
    write_json(&mut pretty, &doc, Some(0));
    let mut mini = String::new();
    write_json(&mut mini, &doc, None);
    let id = crc32(pretty.as_bytes()).to_string();
    Ok(Value::map([
        ("id", Value::String(id)),
        ("json", Value::String(pretty)),
        ("minified_json", Value::String(mini)),
    ]))
}

// ---------- model ----------

/// A JSON tree that keeps object keys in the order written.
#[derive(Debug, Clone, PartialEq)]
enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    fn from_serde(j: &Json) -> J {
        match j {
            Json::Null => J::Null,
            Json::Bool(b) => J::Bool(*b),
            Json::Number(n) => J::Num(n.to_string()),
            Json::String(s) => J::Str(s.clone()),
            Json::Array(a) => J::Arr(a.iter().map(J::from_serde).collect()),
            Json::Object(o) => J::Obj(
                o.iter()
                    .map(|(k, v)| (k.clone(), J::from_serde(v)))
                    .collect(),
            ),
        }
    }

    fn strings(v: Vec<String>) -> J {
        J::Arr(v.into_iter().map(J::Str).collect())
    }
}

/// Identifiers or values: one string, or a list.
#[derive(Debug, Clone, PartialEq)]
enum Strs {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
struct Principal {
    kind: String,
    ids: Strs,
}

#[derive(Debug, Clone, PartialEq)]
struct Condition {
    test: String,
    variable: String,
    values: Strs,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Statement {
    sid: String,
    effect: String,
    action: Option<J>,
    not_action: Option<J>,
    resource: Option<J>,
    not_resource: Option<J>,
    principal: Vec<Principal>,
    not_principal: Vec<Principal>,
    condition: Vec<Condition>,
}

#[derive(Debug, Clone, Default)]
struct Doc {
    version: String,
    id: String,
    statements: Vec<Statement>,
}

impl Doc {
    fn merge(&mut self, other: Doc) {
        if !other.id.is_empty() {
            self.id = other.id;
        }
        if other.version > self.version {
            self.version = other.version;
        }
        for st in other.statements {
            if st.sid.is_empty() {
                self.statements.push(st);
                continue;
            }
            match self.statements.iter_mut().find(|e| e.sid == st.sid) {
                Some(existing) => *existing = st,
                None => self.statements.push(st),
            }
        }
    }

    fn to_json(&self) -> J {
        let mut o = Vec::new();
        if !self.version.is_empty() {
            o.push(("Version".to_string(), J::Str(self.version.clone())));
        }
        if !self.id.is_empty() {
            o.push(("Id".to_string(), J::Str(self.id.clone())));
        }
        if !self.statements.is_empty() {
            o.push((
                "Statement".to_string(),
                J::Arr(self.statements.iter().map(Statement::to_json).collect()),
            ));
        }
        J::Obj(o)
    }
}

/// Go's `omitempty` for an `any` field: nil, "", empty arrays and objects are left out.
fn present(j: &Option<J>) -> Option<&J> {
    match j {
        None | Some(J::Null) => None,
        Some(J::Str(s)) if s.is_empty() => None,
        Some(J::Arr(a)) if a.is_empty() => None,
        Some(J::Obj(o)) if o.is_empty() => None,
        Some(j) => Some(j),
    }
}

impl Statement {
    fn to_json(&self) -> J {
        let mut o = Vec::new();
        if !self.sid.is_empty() {
            o.push(("Sid".to_string(), J::Str(self.sid.clone())));
        }
        if !self.effect.is_empty() {
            o.push(("Effect".to_string(), J::Str(self.effect.clone())));
        }
        for (name, field) in [
            ("Action", &self.action),
            ("NotAction", &self.not_action),
            ("Resource", &self.resource),
            ("NotResource", &self.not_resource),
        ] {
            if let Some(j) = present(field) {
                o.push((name.to_string(), j.clone()));
            }
        }
        if !self.principal.is_empty() {
            o.push(("Principal".to_string(), principals_json(&self.principal)));
        }
        if !self.not_principal.is_empty() {
            o.push((
                "NotPrincipal".to_string(),
                principals_json(&self.not_principal),
            ));
        }
        if !self.condition.is_empty() {
            o.push(("Condition".to_string(), conditions_json(&self.condition)));
        }
        J::Obj(o)
    }
}

fn principals_json(ps: &[Principal]) -> J {
    if let [p] = ps {
        let star = match &p.ids {
            Strs::One(s) => s == "*",
            Strs::Many(v) => v.len() == 1 && v[0] == "*",
        };
        if p.kind == "*" && star {
            return J::Str("*".into());
        }
    }
    let mut raw: std::collections::BTreeMap<String, Strs> = Default::default();
    for p in ps {
        let merged = match (raw.remove(&p.kind), &p.ids) {
            (None, Strs::One(s)) => Strs::One(s.clone()),
            (None, Strs::Many(v)) => Strs::Many(reverse_sorted(v.clone())),
            (Some(Strs::One(prev)), Strs::One(s)) => Strs::Many(vec![prev, s.clone()]),
            (Some(Strs::One(prev)), Strs::Many(v)) => {
                let mut all = vec![prev];
                all.extend(reverse_sorted(v.clone()));
                Strs::Many(all)
            }
            (Some(Strs::Many(mut prev)), Strs::One(s)) => {
                prev.push(s.clone());
                Strs::Many(prev)
            }
            (Some(Strs::Many(mut prev)), Strs::Many(v)) => {
                prev.extend(reverse_sorted(v.clone()));
                Strs::Many(prev)
            }
        };
        raw.insert(p.kind.clone(), merged);
    }
    J::Obj(
        raw.into_iter()
            .map(|(k, v)| {
                let j = match v {
                    Strs::One(s) => J::Str(s),
                    Strs::Many(v) => J::strings(v),
                };
                (k, j)
            })
            .collect(),
    )
}

fn conditions_json(cs: &[Condition]) -> J {
    use std::collections::BTreeMap;
    let mut raw: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for c in cs {
        let vals = raw
            .entry(c.test.clone())
            .or_default()
            .entry(c.variable.clone())
            .or_default();
        match &c.values {
            Strs::One(s) => vals.push(s.clone()),
            Strs::Many(v) => vals.extend(v.iter().cloned()),
        }
    }
    J::Obj(
        raw.into_iter()
            .map(|(test, vars)| {
                let inner = vars
                    .into_iter()
                    .map(|(var, mut vals)| {
                        let j = if vals.len() == 1 {
                            J::Str(vals.remove(0))
                        } else {
                            J::strings(vals)
                        };
                        (var, j)
                    })
                    .collect();
                (test, J::Obj(inner))
            })
            .collect(),
    )
}

fn reverse_sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.reverse();
    v
}

// ---------- the provider's set ordering ----------

/// CRC-32 (IEEE), the checksum behind the provider's set element hashes.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Orders set members as the provider's sets list them: by the decimal text of each
/// member's hash code, compared as strings; members with equal hashes collapse.
fn set_order<T>(items: Vec<T>, serialize: impl Fn(&T) -> String) -> Vec<T> {
    let mut keyed: Vec<(String, T)> = items
        .into_iter()
        .map(|t| (crc32(serialize(&t).as_bytes()).to_string(), t))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    keyed.into_iter().map(|(_, t)| t).collect()
}

/// A set of strings in the provider's order (a string member hashes as `value;`).
fn string_set(v: Vec<String>) -> Vec<String> {
    set_order(v, |s| format!("{s};"))
}

// ---------- reading the configuration ----------

fn get_str(m: &Value, key: &str) -> Result<Option<String>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(format_number(*n))),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(format!(
            "{key}: expected a string, got {}",
            other.type_name()
        )),
    }
}

fn get_strings(m: &Value, key: &str) -> Result<Vec<String>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::List(items)) | Some(Value::Set(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(format_number(*n)),
                Value::Bool(b) => Ok(b.to_string()),
                other => Err(format!(
                    "{key}[{i}]: expected a string, got {}",
                    other.type_name()
                )),
            })
            .collect(),
        Some(other) => Err(format!(
            "{key}: expected a list of strings, got {}",
            other.type_name()
        )),
    }
}

fn get_blocks<'a>(m: &'a Value, key: &str) -> Result<&'a [Value], String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::List(items)) | Some(Value::Set(items)) => Ok(items),
        Some(other) => Err(format!("{key}: expected blocks, got {}", other.type_name())),
    }
}

/// A configured set of strings: one member is a string, more are reverse-sorted.
fn decode_string_set(v: Vec<String>) -> Option<Strs> {
    let mut v = string_set(v);
    match v.len() {
        0 => None,
        1 => v.pop().map(Strs::One),
        _ => Some(Strs::Many(reverse_sorted(v))),
    }
}

fn replace_vars(s: &str, version: &str) -> Result<String, String> {
    if version == "2008-10-17" && s.contains("&{") {
        return Err(format!(
            "found &{{ sequence in ({s}), which is not supported in document version 2008-10-17"
        ));
    }
    Ok(s.replace("&{", "${"))
}

fn replace_strs(v: Strs, version: &str) -> Result<Strs, String> {
    Ok(match v {
        Strs::One(s) => Strs::One(replace_vars(&s, version)?),
        Strs::Many(v) => Strs::Many(
            v.iter()
                .map(|s| replace_vars(s, version))
                .collect::<Result<_, _>>()?,
        ),
    })
}

fn strs_json(v: Strs) -> J {
    match v {
        Strs::One(s) => J::Str(s),
        Strs::Many(v) => J::strings(v),
    }
}

fn config_principals(
    blocks: &[Value],
    version: &str,
    what: &str,
) -> Result<Vec<Principal>, String> {
    let mut raw = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let kind = get_str(b, "type")?.ok_or_else(|| format!("{what}[{i}]: type is required"))?;
        let ids = get_strings(b, "identifiers")?;
        raw.push((kind, ids));
    }
    let ordered = set_order(raw, |(kind, ids)| {
        let mut s = String::from("identifiers:{");
        for id in string_set(ids.clone()) {
            s.push_str(&id);
            s.push(';');
        }
        s.push_str("};type:");
        s.push_str(kind);
        s.push(';');
        s
    });
    ordered
        .into_iter()
        .map(|(kind, ids)| {
            let ids = decode_string_set(ids).unwrap_or(Strs::Many(Vec::new()));
            Ok(Principal {
                kind,
                ids: replace_strs(ids, version)
                    .map_err(|e| format!("reading {what}: reading identifiers: {e}"))?,
            })
        })
        .collect()
}

fn config_conditions(blocks: &[Value], version: &str) -> Result<Vec<Condition>, String> {
    let mut raw = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let test =
            get_str(b, "test")?.ok_or_else(|| format!("condition[{i}]: test is required"))?;
        let variable = get_str(b, "variable")?
            .ok_or_else(|| format!("condition[{i}]: variable is required"))?;
        let values = get_strings(b, "values")?;
        raw.push((test, variable, values));
    }
    let ordered = set_order(raw, |(test, variable, values)| {
        let mut s = format!("test:{test};values:(");
        for v in values {
            s.push_str(v);
            s.push(';');
        }
        s.push_str(&format!(");variable:{variable};"));
        s
    });
    ordered
        .into_iter()
        .map(|(test, variable, values)| {
            let values = values
                .iter()
                .map(|v| replace_vars(v, version))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("reading condition: reading values: {e}"))?;
            let values = if values.len() == 1 {
                Strs::One(values[0].clone())
            } else {
                Strs::Many(values)
            };
            Ok(Condition {
                test,
                variable,
                values,
            })
        })
        .collect()
}

fn config_doc(config: &Value) -> Result<Doc, String> {
    let version = get_str(config, "version")?.unwrap_or_else(|| "2012-10-17".into());
    if version != "2012-10-17" && version != "2008-10-17" {
        return Err(format!(
            "expected version to be one of [\"2008-10-17\" \"2012-10-17\"], got {version}"
        ));
    }
    let mut doc = Doc {
        version: version.clone(),
        id: get_str(config, "policy_id")?.unwrap_or_default(),
        statements: Vec::new(),
    };
    let mut sids = std::collections::HashSet::new();
    for (i, b) in get_blocks(config, "statement")?.iter().enumerate() {
        let effect = get_str(b, "effect")?.unwrap_or_else(|| "Allow".into());
        if effect != "Allow" && effect != "Deny" {
            return Err(format!(
                "statement[{i}]: expected effect to be one of [\"Allow\" \"Deny\"], got {effect}"
            ));
        }
        let sid = get_str(b, "sid")?.unwrap_or_default();
        if !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!(
                "statement[{i}]: sid must only include alphanumeric characters, got {sid:?}"
            ));
        }
        if !sid.is_empty() && !sids.insert(sid.clone()) {
            return Err(format!(
                "writing IAM Policy Document: duplicate Sid ({sid}). Remove the Sid or ensure the Sid is unique."
            ));
        }
        let list = |key: &str, vars: bool| -> Result<Option<J>, String> {
            match decode_string_set(get_strings(b, key)?) {
                None => Ok(None),
                Some(v) if vars => replace_strs(v, &version)
                    .map(|v| Some(strs_json(v)))
                    .map_err(|e| format!("reading {key}: {e}")),
                Some(v) => Ok(Some(strs_json(v))),
            }
        };
        doc.statements.push(Statement {
            sid,
            effect,
            action: list("actions", false)?,
            not_action: list("not_actions", false)?,
            resource: list("resources", true)?,
            not_resource: list("not_resources", true)?,
            principal: config_principals(get_blocks(b, "principals")?, &version, "principals")?,
            not_principal: config_principals(
                get_blocks(b, "not_principals")?,
                &version,
                "not_principals",
            )?,
            condition: config_conditions(get_blocks(b, "condition")?, &version)?,
        });
    }
    Ok(doc)
}

// ---------- reading source and override documents ----------

/// Looks a field up as Go's decoder does: exact name first, then case-insensitively.
fn field<'a>(o: &'a serde_json::Map<String, Json>, name: &str) -> Option<&'a Json> {
    o.get(name).or_else(|| {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn json_string(o: &serde_json::Map<String, Json>, name: &str) -> Result<String, String> {
    match field(o, name) {
        None | Some(Json::Null) => Ok(String::new()),
        Some(Json::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!(
            "json: cannot unmarshal {} into Go struct field of type string ({name})",
            json_kind(other)
        )),
    }
}

fn json_kind(j: &Json) -> &'static str {
    match j {
        Json::Null => "null",
        Json::Bool(_) => "bool",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn json_principals(j: Option<&Json>) -> Result<Vec<Principal>, String> {
    match j {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::String(_)) => Ok(vec![Principal {
            kind: "*".into(),
            ids: Strs::Many(vec!["*".into()]),
        }]),
        Some(Json::Object(o)) => o
            .iter()
            .map(|(kind, v)| {
                let ids = match v {
                    Json::String(s) => Strs::One(s.clone()),
                    Json::Array(items) => Strs::Many(
                        items
                            .iter()
                            .map(|e| {
                                e.as_str().map(str::to_string).ok_or_else(|| {
                                    format!("Unsupported element type {} for IAMPolicyStatementPrincipalSet.Identifiers (principal type {kind:?}): must be string", json_kind(e))
                                })
                            })
                            .collect::<Result<_, _>>()?,
                    ),
                    other => {
                        return Err(format!(
                            "Unsupported data type {} for IAMPolicyStatementPrincipalSet.Identifiers",
                            json_kind(other)
                        ))
                    }
                };
                Ok(Principal { kind: kind.clone(), ids })
            })
            .collect(),
        Some(other) => Err(format!(
            "Unsupported data type {} for IAMPolicyStatementPrincipalSet",
            json_kind(other)
        )),
    }
}

fn json_conditions(j: Option<&Json>) -> Result<Vec<Condition>, String> {
    let o = match j {
        None | Some(Json::Null) => return Ok(Vec::new()),
        Some(Json::Object(o)) => o,
        Some(other) => {
            return Err(format!(
            "json: cannot unmarshal {} into Go value of type map[string]map[string]interface {{}}",
            json_kind(other)
        ))
        }
    };
    let mut out = Vec::new();
    for (test, vars) in o {
        let Json::Object(vars) = vars else {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                json_kind(vars)
            ));
        };
        for (variable, vals) in vars {
            let values = match vals {
                Json::String(s) => Strs::Many(vec![s.clone()]),
                Json::Bool(b) => Strs::One(b.to_string()),
                Json::Array(items) => Strs::Many(
                    items
                        .iter()
                        .map(|e| match e {
                            Json::String(s) => Ok(s.clone()),
                            other => Err(format!(
                                "condition {test} {variable}: unsupported value type {}",
                                json_kind(other)
                            )),
                        })
                        .collect::<Result<_, _>>()?,
                ),
                _ => continue,
            };
            out.push(Condition {
                test: test.clone(),
                variable: variable.clone(),
                values,
            });
        }
    }
    Ok(out)
}

fn json_doc(text: &str) -> Result<Doc, String> {
    let j: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Json::Object(o) = &j else {
        return Err(format!(
            "json: cannot unmarshal {} into Go value of type iam.IAMPolicyDoc",
            json_kind(&j)
        ));
    };
    let mut doc = Doc {
        version: json_string(o, "Version")?,
        id: json_string(o, "Id")?,
        statements: Vec::new(),
    };
    match field(o, "Statement") {
        None | Some(Json::Null) => {}
        Some(Json::Array(items)) => {
            for item in items {
                let Json::Object(s) = item else {
                    return Err(format!(
                        "json: cannot unmarshal {} into Go struct field IAMPolicyDoc.Statement of type iam.IAMPolicyStatement",
                        json_kind(item)
                    ));
                };
                let any = |name: &str| field(s, name).map(J::from_serde);
                doc.statements.push(Statement {
                    sid: json_string(s, "Sid")?,
                    effect: json_string(s, "Effect")?,
                    action: any("Action"),
                    not_action: any("NotAction"),
                    resource: any("Resource"),
                    not_resource: any("NotResource"),
                    principal: json_principals(field(s, "Principal"))?,
                    not_principal: json_principals(field(s, "NotPrincipal"))?,
                    condition: json_conditions(field(s, "Condition"))?,
                });
            }
        }
        Some(other) => {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field IAMPolicyDoc.Statement of type []*iam.IAMPolicyStatement",
                json_kind(other)
            ))
        }
    }
    Ok(doc)
}

fn documents(config: &Value, key: &str) -> Result<Vec<String>, String> {
    match config.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::List(items)) | Some(Value::Set(items)) => Ok(items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect()),
        Some(other) => Err(format!(
            "{key}: expected a list of strings, got {}",
            other.type_name()
        )),
    }
}

fn build(config: &Value) -> Result<Doc, String> {
    if !config.is_wholly_known() {
        return Err("the policy document's configuration is not known until apply".into());
    }
    let mut merged = Doc::default();
    let mut sids = std::collections::HashSet::new();
    for (i, text) in documents(config, "source_policy_documents")?
        .iter()
        .enumerate()
    {
        let src = json_doc(text).map_err(|e| {
            format!("writing IAM Policy Document: merging source document {i}: {e}")
        })?;
        for (j, st) in src.statements.iter().enumerate() {
            if !st.sid.is_empty() && !sids.insert(st.sid.clone()) {
                return Err(format!(
                    "writing IAM Policy Document: merging source document {i}: duplicate Sid ({}) in source_policy_documents (statement {j}). Remove the Sid or ensure Sids are unique.",
                    st.sid
                ));
            }
        }
        merged.merge(src);
    }
    merged.merge(config_doc(config)?);
    for (i, text) in documents(config, "override_policy_documents")?
        .iter()
        .enumerate()
    {
        let over = json_doc(text).map_err(|e| {
            format!("writing IAM Policy Document: merging override document {i}: {e}")
        })?;
        merged.merge(over);
    }
    Ok(merged)
}

// ---------- writing ----------

/// Writes JSON as Go's encoder does: compact when `indent` is `None`, otherwise as
/// `MarshalIndent(v, "", "  ")` at the given depth.
fn write_json(out: &mut String, j: &J, indent: Option<usize>) {
    let nl = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    match j {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Num(n) => out.push_str(n),
        J::Str(s) => write_json_string(out, s),
        J::Arr(items) if items.is_empty() => out.push_str("[]"),
        J::Obj(o) if o.is_empty() => out.push_str("{}"),
        J::Arr(items) => {
            out.push('[');
            for (i, e) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(d) = indent {
                    nl(out, d + 1);
                }
                write_json(out, e, indent.map(|d| d + 1));
            }
            if let Some(d) = indent {
                nl(out, d);
            }
            out.push(']');
        }
        J::Obj(o) => {
            out.push('{');
            for (i, (k, v)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(d) = indent {
                    nl(out, d + 1);
                }
                write_json_string(out, k);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_json(out, v, indent.map(|d| d + 1));
            }
            if let Some(d) = indent {
                nl(out, d);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(xs: &[&str]) -> Value {
        Value::List(xs.iter().map(|x| Value::string(*x)).collect())
    }

    fn principal(kind: &str, ids: &[&str]) -> Value {
        Value::map([("type", Value::string(kind)), ("identifiers", strs(ids))])
    }

    fn condition(test: &str, var: &str, vals: &[&str]) -> Value {
        Value::map([
            ("test", Value::string(test)),
            ("variable", Value::string(var)),
            ("values", strs(vals)),
        ])
    }

    fn both(config: &Value) -> (String, String) {
        match (render(config), render_minified(config)) {
            (Ok(a), Ok(b)) => (a, b),
            (a, b) => panic!("{a:?} {b:?}"),
        }
    }

    // Expected outputs below were produced by the AWS provider 5.100 for the same
    // configuration (terraform apply of the data source, `json` and `minified_json`).

    #[test]
    fn single_statement() {
        let cfg = Value::map([(
            "statement",
            Value::List(vec![Value::map([
                ("sid", Value::string("S1")),
                ("actions", strs(&["s3:GetObject"])),
                ("resources", strs(&["arn:aws:s3:::b/*"])),
            ])]),
        )]);
        let (pretty, mini) = both(&cfg);
        assert_eq!(
            pretty,
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"S1\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::b/*\"\n    }\n  ]\n}"
        );
        assert_eq!(
            mini,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"S1","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#
        );
    }

    #[test]
    fn lists_are_reverse_sorted_and_variables_replaced() {
        let cfg = Value::map([(
            "statement",
            Value::List(vec![Value::map([
                (
                    "actions",
                    strs(&["s3:GetObject", "s3:ListBucket", "s3:PutObject"]),
                ),
                (
                    "resources",
                    strs(&["arn:aws:s3:::b/*", "arn:aws:s3:::b/&{aws:username}"]),
                ),
            ])]),
        )]);
        assert_eq!(
            render(&cfg),
            Ok("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\n        \"s3:PutObject\",\n        \"s3:ListBucket\",\n        \"s3:GetObject\"\n      ],\n      \"Resource\": [\n        \"arn:aws:s3:::b/*\",\n        \"arn:aws:s3:::b/${aws:username}\"\n      ]\n    }\n  ]\n}".to_string())
        );
    }

    #[test]
    fn principals_of_several_types() {
        let cfg = Value::map([
            ("policy_id", Value::string("P1")),
            (
                "statement",
                Value::List(vec![
                    Value::map([
                        ("effect", Value::string("Deny")),
                        ("actions", strs(&["sts:AssumeRole", "sts:TagSession"])),
                        (
                            "principals",
                            Value::List(vec![
                                principal("Service", &["emr-serverless.amazonaws.com"]),
                                principal(
                                    "AWS",
                                    &["arn:aws:iam::123456789012:root", "111122223333"],
                                ),
                                principal("Service", &["glue.amazonaws.com", "ec2.amazonaws.com"]),
                                principal("Federated", &["cognito-identity.amazonaws.com"]),
                            ]),
                        ),
                        (
                            "not_principals",
                            Value::List(vec![principal(
                                "AWS",
                                &["arn:aws:iam::123456789012:user/bob"],
                            )]),
                        ),
                    ]),
                    Value::map([
                        ("actions", strs(&["s3:*"])),
                        ("not_resources", strs(&["arn:aws:s3:::x"])),
                        ("principals", Value::List(vec![principal("*", &["*"])])),
                    ]),
                    Value::map([
                        ("not_actions", strs(&["iam:*", "organizations:*"])),
                        ("resources", strs(&["*"])),
                        ("principals", Value::List(vec![principal("AWS", &["*"])])),
                    ]),
                ]),
            ),
        ]);
        let (pretty, mini) = both(&cfg);
        assert_eq!(
            mini,
            r#"{"Version":"2012-10-17","Id":"P1","Statement":[{"Effect":"Deny","Action":["sts:TagSession","sts:AssumeRole"],"Principal":{"AWS":["arn:aws:iam::123456789012:root","111122223333"],"Federated":"cognito-identity.amazonaws.com","Service":["emr-serverless.amazonaws.com","glue.amazonaws.com","ec2.amazonaws.com"]},"NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/bob"}},{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::x","Principal":"*"},{"Effect":"Allow","NotAction":["organizations:*","iam:*"],"Resource":"*","Principal":{"AWS":"*"}}]}"#
        );
        assert!(pretty.contains(
            "      \"Principal\": {\n        \"AWS\": [\n          \"arn:aws:iam::123456789012:root\",\n          \"111122223333\"\n        ],\n        \"Federated\": \"cognito-identity.amazonaws.com\",\n"
        ));
    }

    #[test]
    fn same_type_principals_follow_the_providers_set_order() {
        let cfg = Value::map([(
            "statement",
            Value::List(vec![Value::map([
                ("actions", strs(&["sts:AssumeRole"])),
                (
                    "principals",
                    Value::List(vec![
                        principal("AWS", &["arn:aws:iam::111111111111:root"]),
                        principal(
                            "AWS",
                            &[
                                "arn:aws:iam::222222222222:root",
                                "arn:aws:iam::333333333333:root",
                            ],
                        ),
                        principal("AWS", &["arn:aws:iam::444444444444:root"]),
                        principal("Service", &["a.amazonaws.com"]),
                        principal("Service", &["b.amazonaws.com"]),
                    ]),
                ),
            ])]),
        )]);
        assert_eq!(
            render_minified(&cfg),
            Ok(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":["arn:aws:iam::444444444444:root","arn:aws:iam::111111111111:root","arn:aws:iam::333333333333:root","arn:aws:iam::222222222222:root"],"Service":["a.amazonaws.com","b.amazonaws.com"]}}]}"#.to_string())
        );
    }

    #[test]
    fn repeated_blocks_follow_the_providers_set_order() {
        let cfg = Value::map([(
            "statement",
            Value::List(vec![Value::map([
                ("actions", strs(&["sts:AssumeRole"])),
                (
                    "principals",
                    Value::List(vec![
                        principal(
                            "AWS",
                            &[
                                "arn:aws:iam::555555555555:role/x",
                                "arn:aws:iam::555555555555:role/a",
                                "666666666666",
                            ],
                        ),
                        principal("AWS", &["777777777777", "arn:aws:iam::888888888888:root"]),
                        principal("AWS", &["999999999999"]),
                        principal(
                            "Service",
                            &["emr-serverless.amazonaws.com", "glue.amazonaws.com"],
                        ),
                        principal("Service", &["ecs-tasks.amazonaws.com"]),
                    ]),
                ),
                (
                    "condition",
                    Value::List(vec![
                        condition("StringEquals", "aws:SourceAccount", &["1"]),
                        condition("StringEquals", "aws:SourceAccount", &["2", "3"]),
                        condition("StringEquals", "aws:SourceAccount", &["4"]),
                        condition("StringEquals", "aws:SourceAccount", &["5"]),
                    ]),
                ),
            ])]),
        )]);
        assert_eq!(
            render_minified(&cfg),
            Ok(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":["999999999999","arn:aws:iam::888888888888:root","777777777777","arn:aws:iam::555555555555:role/x","arn:aws:iam::555555555555:role/a","666666666666"],"Service":["ecs-tasks.amazonaws.com","glue.amazonaws.com","emr-serverless.amazonaws.com"]},"Condition":{"StringEquals":{"aws:SourceAccount":["1","4","5","2","3"]}}}]}"#.to_string())
        );
    }

    #[test]
    fn conditions_group_by_test_and_variable() {
        let cfg = Value::map([
            ("version", Value::string("2008-10-17")),
            (
                "statement",
                Value::List(vec![Value::map([
                    ("actions", strs(&["s3:PutObject"])),
                    ("resources", strs(&["*"])),
                    (
                        "condition",
                        Value::List(vec![
                            condition("StringEquals", "aws:SourceAccount", &["123456789012"]),
                            condition(
                                "ArnLike",
                                "aws:SourceArn",
                                &[
                                    "arn:aws:emr-serverless:us-east-1:123456789012:/applications/*",
                                    "arn:a&b<c>",
                                ],
                            ),
                            condition(
                                "StringEquals",
                                "aws:SourceAccount",
                                &["999999999999", "000000000000"],
                            ),
                            condition("StringEquals", "s3:prefix", &["", "home/"]),
                            condition("Bool", "aws:SecureTransport", &["false"]),
                        ]),
                    ),
                ])]),
            ),
        ]);
        let (pretty, mini) = both(&cfg);
        assert_eq!(
            mini,
            r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":["arn:aws:emr-serverless:us-east-1:123456789012:/applications/*","arn:a\u0026b\u003cc\u003e"]},"Bool":{"aws:SecureTransport":"false"},"StringEquals":{"aws:SourceAccount":["123456789012","999999999999","000000000000"],"s3:prefix":["","home/"]}}}]}"#
        );
        assert!(pretty.contains(
            "      \"Condition\": {\n        \"ArnLike\": {\n          \"aws:SourceArn\": [\n"
        ));
    }

    #[test]
    fn source_and_override_documents_merge_by_sid() {
        let source1 = r#"{"Statement":[{"Action":["b:x","a:y"],"Effect":"Allow","Resource":"*","Sid":"A"},{"Effect":"Deny","NotAction":"c:z","Principal":"*","Resource":["r2","r1"]}],"Version":"2012-10-17"}"#;
        let source2 = r#"{"Statement":[{"Action":"d:d","Condition":{"Bool":{"aws:x":true},"StringLike":{"k:v":["one"],"k:w":"two"}},"Effect":"Allow","Principal":{"AWS":["z","a"],"Service":"s.amazonaws.com"},"Resource":"*","Sid":"B"}]}"#;
        let over = r#"{"Id":"O","Statement":[{"Action":"*","Effect":"Deny","Resource":"*","Sid":"A"},{"Action":"e:e","Effect":"Allow","Resource":"*","Sid":"C"}]}"#;
        let cfg = Value::map([
            ("source_policy_documents", strs(&[source1, source2])),
            ("override_policy_documents", strs(&[over])),
            (
                "statement",
                Value::List(vec![
                    Value::map([
                        ("sid", Value::string("B")),
                        ("actions", strs(&["own:thing"])),
                        ("resources", strs(&["*"])),
                    ]),
                    Value::map([
                        ("actions", strs(&["own:other"])),
                        ("resources", strs(&["*"])),
                    ]),
                ]),
            ),
        ]);
        assert_eq!(
            render_minified(&cfg),
            Ok(r#"{"Version":"2012-10-17","Id":"O","Statement":[{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":"c:z","Resource":["r2","r1"],"Principal":"*"},{"Sid":"B","Effect":"Allow","Action":"own:thing","Resource":"*"},{"Effect":"Allow","Action":"own:other","Resource":"*"},{"Sid":"C","Effect":"Allow","Action":"e:e","Resource":"*"}]}"#.to_string())
        );
        // Without the configured statement B, the source statement's principal and
        // condition come through re-encoded.
        let cfg = Value::map([("source_policy_documents", strs(&[source2]))]);
        assert_eq!(
            render_minified(&cfg),
            Ok(r#"{"Version":"2012-10-17","Statement":[{"Sid":"B","Effect":"Allow","Action":"d:d","Resource":"*","Principal":{"AWS":["z","a"],"Service":"s.amazonaws.com"},"Condition":{"Bool":{"aws:x":"true"},"StringLike":{"k:v":"one","k:w":"two"}}}]}"#.to_string())
        );
    }

    #[test]
    fn empty_and_source_only_documents() {
        assert_eq!(
            render(&Value::map::<&str>([])),
            Ok("{\n  \"Version\": \"2012-10-17\"\n}".to_string())
        );
        let src = r#"{"Statement":[{"Action":"x:y","Effect":"Allow","Resource":"*"}],"Version":"2008-10-17"}"#;
        assert_eq!(
            render_minified(&Value::map([("source_policy_documents", strs(&[src]))])),
            Ok(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"x:y","Resource":"*"}]}"#.to_string())
        );
    }

    #[test]
    fn invalid_configurations_are_refused() {
        let st = |pairs: Vec<(&str, Value)>| {
            Value::map([("statement", Value::List(vec![Value::map(pairs)]))])
        };
        assert!(render(&st(vec![("effect", Value::string("allow"))])).is_err());
        assert!(render(&st(vec![("sid", Value::string("has space"))])).is_err());
        assert!(render(&Value::map([("version", Value::string("2010-01-01"))])).is_err());
        let dup = Value::map([(
            "statement",
            Value::List(vec![
                Value::map([("sid", Value::string("X"))]),
                Value::map([("sid", Value::string("X"))]),
            ]),
        )]);
        let Err(e) = render(&dup) else { panic!() };
        assert!(e.contains("duplicate Sid (X)"), "{e}");
        let old = Value::map([
            ("version", Value::string("2008-10-17")),
            (
                "statement",
                Value::List(vec![Value::map([("resources", strs(&["a/&{x}"]))])]),
            ),
        ]);
        assert!(
            render(&old).is_err_and(|e| e.contains("not supported in document version 2008-10-17"))
        );
        let src = r#"{"Statement":[{"Sid":"A"}]}"#;
        let dup_src = Value::map([("source_policy_documents", strs(&[src, src]))]);
        assert!(render(&dup_src)
            .is_err_and(|e| e.contains("duplicate Sid (A) in source_policy_documents")));
        let bad = Value::map([("override_policy_documents", strs(&["{\"Statement\": {}}"]))]);
        assert!(render(&bad).is_err_and(|e| e.contains("merging override document 0")));
    }

    #[test]
    fn unknown_configuration_gives_unknown_attributes() {
        let cfg = Value::map([(
            "statement",
            Value::List(vec![Value::map([(
                "resources",
                Value::List(vec![Value::Unknown]),
            )])]),
        )]);
        assert_eq!(
            computed_attributes(&cfg),
            Ok(Value::map([
                ("id", Value::Unknown),
                ("json", Value::Unknown),
                ("minified_json", Value::Unknown)
            ]))
        );
        assert!(render(&cfg).is_err());
        let known = computed_attributes(&Value::map::<&str>([]));
        let Ok(known) = known else { panic!() };
        assert_eq!(
            known.get("minified_json"),
            Some(&Value::string(r#"{"Version":"2012-10-17"}"#))
        );
        // The provider's id for this document.
        assert_eq!(known.get("id"), Some(&Value::string("1132004489")));
    }

    #[test]
    fn crc32_matches_the_ieee_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }
}
