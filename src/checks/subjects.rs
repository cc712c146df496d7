//! Building check subjects from a plan: every planned managed instance with its value, where
//! ids and ARNs that are only known after apply are replaced by placeholders naming their
//! resource, so that `subnet_ids = aws_subnet.private[*].id` can be traced to those subnets.

use super::{placeholder, Subject};
use crate::addrs::{ResourceInstanceAddr, ResourceMode};
use crate::config::eval::{
    evaluate, planned_from_config, EvalOptions, ResolveRequest, ResourceResolver,
};
use crate::config::model::Config;
use crate::config::value::Value;
use crate::diag::Span;
use crate::plan::{Action, Plan};
use hcl_edit::structure::Structure;
use std::collections::HashMap;

/// Subjects for every managed instance the plan keeps (created, updated or unchanged).
pub fn subjects(config: &mut Config, eval: &EvalOptions, plan: &Plan) -> Vec<Subject> {
    let after: HashMap<String, (&Value, bool)> = plan
        .resource_changes
        .iter()
        .filter(|c| c.action != Action::Delete)
        .filter_map(|c| {
            c.after.as_ref().map(|a| {
                (
                    c.addr.to_string(),
                    (a, c.before.is_some() && !c.action.is_replace()),
                )
            })
        })
        .collect();
    // When every planned value is known (a plan with no creates or unknown attributes, the
    // common case of re-planning a stack), the planned values are the subjects as they are;
    // otherwise evaluate again with placeholders standing for what apply will decide.
    let all_known = plan
        .resource_changes
        .iter()
        .filter(|c| c.action != Action::Delete && c.addr.resource.mode == ResourceMode::Managed)
        .all(|c| c.after.as_ref().is_some_and(Value::is_wholly_known));
    let collected: Vec<(ResourceInstanceAddr, Value, bool)> = if all_known {
        plan.resource_changes
            .iter()
            .filter(|c| c.action != Action::Delete && c.addr.resource.mode == ResourceMode::Managed)
            .filter(|c| super::SUBJECT_TYPES.contains(&c.addr.resource.type_name.as_str()))
            .filter_map(|c| {
                let exists = c.before.is_some() && !c.action.is_replace();
                c.after.clone().map(|v| (c.addr.clone(), v, exists))
            })
            .collect()
    } else {
        let mut r = PlaceholderResolver {
            after: &after,
            data: &plan.data,
            out: Vec::new(),
        };
        let _ = evaluate(config, eval, &mut r);
        std::mem::take(&mut r.out)
    };
    to_subjects(config, collected)
}

/// Subjects of a configuration on its own, with no state and no plan (`emrform check`):
/// values come from the configuration, ids and ARNs not known until apply are placeholders.
/// Also returns the evaluation and its diagnostics.
pub fn from_config(
    config: &mut Config,
    eval: &EvalOptions,
) -> (
    Vec<Subject>,
    crate::config::eval::Evaluated,
    crate::diag::Diagnostics,
) {
    let after = HashMap::new();
    let data = indexmap::IndexMap::new();
    let mut r = PlaceholderResolver {
        after: &after,
        data: &data,
        out: Vec::new(),
    };
    let (ev, diags) = evaluate(config, eval, &mut r);
    let collected = std::mem::take(&mut r.out);
    (to_subjects(config, collected), ev, diags)
}

fn to_subjects(
    config: &Config,
    collected: Vec<(ResourceInstanceAddr, Value, bool)>,
) -> Vec<Subject> {
    collected
        .into_iter()
        .filter(|(addr, _, _)| super::SUBJECT_TYPES.contains(&addr.resource.type_name.as_str()))
        .map(|(addr, value, exists)| {
            let module = config.module(&addr.module.module_path());
            let res = module.and_then(|m| m.resources.get(&addr.resource));
            let span = res.map(|r| r.span);
            let mut attr_spans = Vec::new();
            if let Some(r) = res {
                use hcl_edit::Span as _;
                for s in r.body.iter() {
                    let (name, sp) = match s {
                        Structure::Attribute(a) => (a.key.as_str().to_string(), a.span()),
                        Structure::Block(b) if b.ident.as_str() == "dynamic" => (
                            b.labels
                                .first()
                                .map(|l| l.as_str().to_string())
                                .unwrap_or_default(),
                            b.span(),
                        ),
                        Structure::Block(b) => (b.ident.as_str().to_string(), b.span()),
                    };
                    if let Some(sp) = sp {
                        attr_spans.push((name, Span::new(r.file, sp)));
                    }
                }
            }
            Subject {
                address: addr.to_string(),
                type_name: addr.resource.type_name.clone(),
                value,
                span,
                attr_spans,
                ignored: res.map(|r| r.ignored_checks.clone()).unwrap_or_default(),
                exists,
            }
        })
        .collect()
}

struct PlaceholderResolver<'a> {
    after: &'a HashMap<String, (&'a Value, bool)>,
    data: &'a indexmap::IndexMap<String, Value>,
    out: Vec<(ResourceInstanceAddr, Value, bool)>,
}

fn with_placeholders(v: &Value, addr: &str) -> Value {
    let Value::Map(m) = v else { return v.clone() };
    let mut m = m.clone();
    for k in ["id", "arn", "repository_url"] {
        if matches!(m.get(k), Some(Value::Unknown)) {
            let p = if k == "arn" {
                format!("arn:(known after apply):{addr}")
            } else {
                placeholder(addr)
            };
            m.insert(k.to_string(), Value::String(p));
        }
    }
    Value::Map(m)
}

fn overlay(base: &Value, config: &Value) -> Value {
    match (base, config) {
        (Value::Map(b), Value::Map(c)) => {
            let mut out = b.clone();
            for (k, v) in c {
                if !v.is_null() && !(matches!(v, Value::List(l) | Value::Set(l) if l.is_empty())) {
                    let merged = match out.get(k) {
                        Some(bv) => overlay(bv, v),
                        None => v.clone(),
                    };
                    out.insert(k.clone(), merged);
                }
            }
            Value::Map(out)
        }
        (Value::List(b), Value::List(c)) | (Value::Set(b), Value::Set(c)) if b.len() == c.len() => {
            let items: Vec<Value> = b.iter().zip(c).map(|(x, y)| overlay(x, y)).collect();
            if matches!(config, Value::Set(_)) {
                Value::set(items)
            } else {
                Value::List(items)
            }
        }
        (_, c) => c.clone(),
    }
}

impl ResourceResolver for PlaceholderResolver<'_> {
    fn resolve(&mut self, req: &ResolveRequest<'_>) -> Value {
        let key = req.addr.to_string();
        if req.addr.resource.mode == ResourceMode::Data {
            if let Some(v) = self.data.get(&key) {
                return v.clone();
            }
            if let Some(v) = crate::config::eval::local_data_source(
                &req.addr.resource.type_name,
                req.config,
                req.provider,
            ) {
                return v;
            }
            return planned_from_config(req.config, &req.schema.body);
        }
        let (planned, exists) = match self.after.get(&key) {
            Some((v, e)) => ((*v).clone(), *e),
            None => (planned_from_config(req.config, &req.schema.body), false),
        };
        let mut value = with_placeholders(&overlay(&planned, req.config), &key);
        // `region` defaults to the provider's Region (the AWS provider's v6 attribute).
        if let (Value::Map(m), Some(region)) = (
            &mut value,
            req.provider
                .and_then(|p| p.get("region"))
                .and_then(Value::as_str),
        ) {
            if req
                .schema
                .body
                .attributes
                .iter()
                .any(|a| a.name == "region")
                && m.get("region")
                    .is_none_or(|r| r.is_null() || r.is_unknown())
            {
                m.insert("region".into(), Value::from(region));
            }
        }
        self.out.push((req.addr.clone(), value.clone(), exists));
        value
    }
}
