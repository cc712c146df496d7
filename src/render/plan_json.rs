//! The plan as Terraform's machine-readable plan JSON (`format_version` "1.2"), so existing
//! consumers (checkov `--framework terraform_plan`, OPA/conftest, tfcmt, Infracost) read
//! emrform plans unchanged.

use crate::addrs::{InstanceKey, ModuleInstance, ResourceInstanceAddr, ResourceMode};
use crate::config::value::Value;
use crate::plan::{Action, Plan, ResourceChange};
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeMap;

/// The Terraform language version whose plan format this follows.
pub const TERRAFORM_VERSION: &str = "1.11.4";

fn provider_name(key: &str) -> String {
    let base = key.split('.').next().unwrap_or(key);
    match base {
        "terraform" => "terraform.io/builtin/terraform".into(),
        other => format!("registry.terraform.io/hashicorp/{other}"),
    }
}

fn index_json(k: &Option<InstanceKey>) -> Option<Json> {
    match k {
        Some(InstanceKey::Int(i)) => Some(json!(i)),
        Some(InstanceKey::Str(s)) => Some(json!(s)),
        None => None,
    }
}

fn mode(a: &ResourceInstanceAddr) -> &'static str {
    match a.resource.mode {
        ResourceMode::Managed => "managed",
        ResourceMode::Data => "data",
    }
}

fn sensitive_mask(c: &ResourceChange) -> Json {
    let mut m = Map::new();
    for s in &c.sensitive_attrs {
        m.insert(s.clone(), Json::Bool(true));
    }
    Json::Object(m)
}

fn change_json(c: &ResourceChange) -> Json {
    let mut o = Map::new();
    o.insert("address".into(), json!(c.addr.to_string()));
    if !c.addr.module.is_root() {
        o.insert("module_address".into(), json!(c.addr.module.to_string()));
    }
    o.insert("mode".into(), json!(mode(&c.addr)));
    o.insert("type".into(), json!(c.addr.resource.type_name));
    o.insert("name".into(), json!(c.addr.resource.name));
    if let Some(i) = index_json(&c.addr.key) {
        o.insert("index".into(), i);
    }
    o.insert(
        "provider_name".into(),
        json!(provider_name(&c.provider_key)),
    );
    let mut ch = Map::new();
    ch.insert("actions".into(), json!(c.action.json_actions()));
    ch.insert(
        "before".into(),
        c.before.as_ref().map(Value::to_json).unwrap_or(Json::Null),
    );
    ch.insert(
        "after".into(),
        c.after.as_ref().map(Value::to_json).unwrap_or(Json::Null),
    );
    ch.insert(
        "after_unknown".into(),
        c.after
            .as_ref()
            .and_then(Value::unknown_mask)
            .unwrap_or_else(|| json!({})),
    );
    ch.insert(
        "before_sensitive".into(),
        if c.before.is_some() {
            sensitive_mask(c)
        } else {
            json!(false)
        },
    );
    ch.insert(
        "after_sensitive".into(),
        if c.after.is_some() {
            sensitive_mask(c)
        } else {
            json!(false)
        },
    );
    if !c.replace_paths.is_empty() {
        ch.insert(
            "replace_paths".into(),
            serde_json::to_value(&c.replace_paths).unwrap_or(Json::Null),
        );
    }
    if let Some(id) = &c.importing {
        ch.insert("importing".into(), json!({ "id": id }));
    }
    o.insert("change".into(), Json::Object(ch));
    if let Some(r) = c
        .action_reason
        .filter(|r| *r != crate::plan::ActionReason::CreateInterrupted)
    {
        o.insert(
            "action_reason".into(),
            serde_json::to_value(r).unwrap_or(Json::Null),
        );
    }
    Json::Object(o)
}

#[derive(Default)]
struct ModuleNode {
    resources: Vec<Json>,
    children: BTreeMap<String, ModuleNode>,
}

impl ModuleNode {
    fn insert(&mut self, module: &ModuleInstance, depth: usize, r: Json) {
        if depth == module.0.len() {
            self.resources.push(r);
            return;
        }
        let addr = ModuleInstance(module.0[..=depth].to_vec()).to_string();
        self.children
            .entry(addr)
            .or_default()
            .insert(module, depth + 1, r);
    }

    fn to_json(&self, address: Option<&str>) -> Json {
        let mut o = Map::new();
        if let Some(a) = address {
            o.insert("address".into(), json!(a));
        }
        o.insert("resources".into(), Json::Array(self.resources.clone()));
        if !self.children.is_empty() {
            o.insert(
                "child_modules".into(),
                Json::Array(
                    self.children
                        .iter()
                        .map(|(a, c)| c.to_json(Some(a)))
                        .collect(),
                ),
            );
        }
        Json::Object(o)
    }
}

fn resource_value(
    addr: &ResourceInstanceAddr,
    provider_key: &str,
    v: &Value,
    sensitive: Json,
) -> Json {
    let mut o = Map::new();
    o.insert("address".into(), json!(addr.to_string()));
    o.insert("mode".into(), json!(mode(addr)));
    o.insert("type".into(), json!(addr.resource.type_name));
    o.insert("name".into(), json!(addr.resource.name));
    if let Some(i) = index_json(&addr.key) {
        o.insert("index".into(), i);
    }
    o.insert("provider_name".into(), json!(provider_name(provider_key)));
    o.insert("schema_version".into(), json!(0));
    o.insert("values".into(), v.to_json());
    o.insert("sensitive_values".into(), sensitive);
    Json::Object(o)
}

/// Builds the plan JSON document.
pub fn to_json(plan: &Plan) -> Json {
    let mut planned = ModuleNode::default();
    let mut prior = ModuleNode::default();
    let mut config = ModuleNode::default();
    for c in &plan.resource_changes {
        if let Some(after) = &c.after {
            if c.action != Action::Read {
                planned.insert(
                    &c.addr.module,
                    0,
                    resource_value(&c.addr, &c.provider_key, after, sensitive_mask(c)),
                );
            }
        }
        if let Some(before) = &c.before {
            prior.insert(
                &c.addr.module,
                0,
                resource_value(&c.addr, &c.provider_key, before, sensitive_mask(c)),
            );
        }
        if c.after.is_some()
            && c.addr
                .key
                .as_ref()
                .is_none_or(|k| *k == InstanceKey::Int(0) || matches!(k, InstanceKey::Str(_)))
        {
            let mut r = Map::new();
            r.insert(
                "address".into(),
                json!(c.addr.abs_resource().resource.to_string()),
            );
            r.insert("mode".into(), json!(mode(&c.addr)));
            r.insert("type".into(), json!(c.addr.resource.type_name));
            r.insert("name".into(), json!(c.addr.resource.name));
            r.insert("provider_config_key".into(), json!(c.provider_key));
            let mut exprs: Map<String, Json> = c
                .after
                .as_ref()
                .and_then(Value::as_map)
                .map(|m| {
                    m.iter()
                        .filter(|(_, v)| !v.is_null() && !v.is_unknown())
                        .map(|(k, v)| (k.clone(), json!({ "constant_value": v.to_json() })))
                        .collect()
                })
                .unwrap_or_default();
            let path = c.addr.module.module_path().to_string();
            let key = if path.is_empty() {
                c.addr.resource.to_string()
            } else {
                format!("{path}.{}", c.addr.resource)
            };
            if let Some(Json::Object(refs)) = plan.config_expressions.get(&key) {
                for (k, v) in refs {
                    exprs.insert(k.clone(), v.clone());
                }
            }
            r.insert("expressions".into(), Json::Object(exprs));
            r.insert("schema_version".into(), json!(0));
            config.insert(
                &ModuleInstance(
                    c.addr
                        .module
                        .0
                        .iter()
                        .map(|s| crate::addrs::ModuleStep {
                            name: s.name.clone(),
                            key: None,
                        })
                        .collect(),
                ),
                0,
                Json::Object(r),
            );
        }
    }
    let mut outputs = Map::new();
    let mut output_changes = Map::new();
    for (name, o) in &plan.output_changes {
        if let Some(a) = &o.after {
            outputs.insert(name.clone(), json!({ "sensitive": o.sensitive, "value": if o.sensitive { Json::Null } else { a.to_json() } }));
        }
        output_changes.insert(
            name.clone(),
            json!({
                "actions": o.action.json_actions(),
                "before": o.before.as_ref().map(Value::to_json).unwrap_or(Json::Null),
                "after": o.after.as_ref().map(Value::to_json).unwrap_or(Json::Null),
                "after_unknown": o.after.as_ref().map(|a| a.unknown_mask().is_some() && a.is_unknown()).unwrap_or(false),
                "before_sensitive": o.sensitive,
                "after_sensitive": o.sensitive,
            }),
        );
    }
    let mut planned_root = planned.to_json(None);
    if let Json::Object(ref mut m) = planned_root {
        m.remove("address");
    }
    let variables: Map<String, Json> = plan
        .variables
        .iter()
        .map(|(k, v)| (k.clone(), json!({ "value": v.to_json() })))
        .collect();
    let mut providers = Map::new();
    for c in &plan.resource_changes {
        providers.entry(c.provider_key.clone()).or_insert_with(|| {
            json!({ "name": c.provider_key.split('.').next().unwrap_or("aws"), "full_name": provider_name(&c.provider_key) })
        });
    }
    json!({
        "format_version": "1.2",
        "terraform_version": TERRAFORM_VERSION,
        "emrform_version": env!("CARGO_PKG_VERSION"),
        "variables": variables,
        "planned_values": { "outputs": outputs, "root_module": planned_root },
        "resource_drift": plan.resource_drift.iter().map(change_json).collect::<Vec<_>>(),
        "resource_changes": plan.resource_changes.iter().map(change_json).collect::<Vec<_>>(),
        "output_changes": output_changes,
        "prior_state": {
            "format_version": "1.0",
            "terraform_version": TERRAFORM_VERSION,
            "values": { "outputs": {}, "root_module": prior.to_json(None) },
        },
        "configuration": { "provider_config": providers, "root_module": config.to_json(None) },
        "relevant_attributes": [],
        "checks": [],
        "timestamp": plan.timestamp,
        "applyable": plan.has_changes() && !plan.has_blocking_findings(),
        "complete": true,
        "errored": false,
        "emrform_findings": plan.findings,
    })
}

/// The plan JSON as one line of text.
pub fn render(plan: &Plan) -> String {
    to_json(plan).to_string()
}
