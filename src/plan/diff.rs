//! Schema-driven diff of one resource instance: from its prior (refreshed) value and its
//! evaluated configuration, the planned new value, the attribute paths that force replacement,
//! and whether anything changes at all. Pure and synchronous.
//!
//! Comparison goes through a normaliser (policy JSON compared as documents, "4 vCPU" vs
//! "4vCPU", ...) supplied by the provider, so that equivalent forms never show a diff.

use super::model::PathStep;
use crate::config::schema::{Body, Nesting};
use crate::config::value::{Map, Value};

/// Normalises attribute values for comparison; providers implement it per type.
pub trait Normalizer {
    /// The canonical form of `value` at `path` (first element the top-level attribute name).
    fn normalize(&self, path: &[PathStep], value: &Value) -> Value {
        let _ = path;
        value.clone()
    }
}

/// Compares values as they are.
pub struct Identity;

impl Normalizer for Identity {}

/// The result of diffing one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceDiff {
    /// The planned new value: configuration, defaults, and computed values carried from prior
    /// (or unknown when the object is new or replaced).
    pub planned: Value,
    /// Attribute paths whose change forces replacement.
    pub replace_paths: Vec<Vec<PathStep>>,
    /// Top-level attributes whose value changes (in the normalised sense).
    pub changed: Vec<String>,
}

impl InstanceDiff {
    /// True when the object must be replaced.
    pub fn requires_replace(&self) -> bool {
        !self.replace_paths.is_empty()
    }
}

/// Plans one instance. `ignore` lists attribute paths from `lifecycle.ignore_changes` whose
/// prior values are kept; `ignore_all` keeps every prior value of an existing object.
pub fn diff_instance(
    schema: &Body,
    prior: Option<&Value>,
    config: &Value,
    norm: &dyn Normalizer,
    ignore: &[Vec<String>],
    ignore_all: bool,
) -> InstanceDiff {
    let mut replace_paths = Vec::new();
    let config = match (prior, ignore_all) {
        (Some(p), true) => keep_prior_all(schema, p, config),
        (Some(p), false) if !ignore.is_empty() => apply_ignore(p, config, ignore),
        _ => config.clone(),
    };
    let mut planned = plan_body(
        schema,
        prior,
        &config,
        norm,
        &mut Vec::new(),
        &mut replace_paths,
    );
    let replacing = prior.is_some() && !replace_paths.is_empty();
    if replacing {
        // A replacement is a new object: what AWS computes is unknown again.
        planned = unknown_computed(
            schema,
            &plan_body(
                schema,
                None,
                &config,
                norm,
                &mut Vec::new(),
                &mut Vec::new(),
            ),
        );
    }
    let mut changed = Vec::new();
    if let (Some(p), Value::Map(pm)) = (prior, &planned) {
        for (k, v) in pm {
            let pv = p.get(k).cloned().unwrap_or(Value::Null);
            let path = vec![PathStep::Key(k.clone())];
            if !equivalent(&norm.normalize(&path, &pv), &norm.normalize(&path, v)) {
                changed.push(k.clone());
            }
        }
    }
    InstanceDiff {
        planned,
        replace_paths,
        changed,
    }
}

fn equivalent(a: &Value, b: &Value) -> bool {
    match (a, b) {
        // An empty collection and null are the same to AWS.
        (Value::Null, Value::List(l) | Value::Set(l))
        | (Value::List(l) | Value::Set(l), Value::Null) => l.is_empty(),
        (Value::Null, Value::Map(m)) | (Value::Map(m), Value::Null) => m.is_empty(),
        (Value::Map(x), Value::Map(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().all(|k| {
                equivalent(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                )
            })
        }
        (Value::List(x), Value::List(y))
        | (Value::Set(x), Value::Set(y))
        | (Value::List(x), Value::Set(y))
        | (Value::Set(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equivalent(p, q))
        }
        _ => a == b,
    }
}

fn plan_body(
    schema: &Body,
    prior: Option<&Value>,
    config: &Value,
    norm: &dyn Normalizer,
    path: &mut Vec<PathStep>,
    replace: &mut Vec<Vec<PathStep>>,
) -> Value {
    let mut out = Map::new();
    for a in &schema.attributes {
        let c = config.get(a.name).cloned().unwrap_or(Value::Null);
        let p = prior.and_then(|p| p.get(a.name)).cloned();
        path.push(PathStep::Key(a.name.to_string()));
        let planned = if !c.is_null() {
            // Keep the prior form when it is equivalent, so no diff shows for equal documents.
            match &p {
                Some(pv)
                    if c.is_wholly_known()
                        && equivalent(&norm.normalize(path, pv), &norm.normalize(path, &c)) =>
                {
                    pv.clone()
                }
                _ => c.clone(),
            }
        } else if a.computed {
            match &p {
                Some(pv) if !pv.is_null() || prior.is_some() => pv.clone(),
                _ => a.default.clone().unwrap_or(Value::Unknown),
            }
        } else {
            a.default.clone().unwrap_or(Value::Null)
        };
        if a.force_new {
            if let Some(pv) = &p {
                let differs = if planned.is_wholly_known() {
                    !equivalent(&norm.normalize(path, pv), &norm.normalize(path, &planned))
                } else {
                    // An unknown new value may differ.
                    !(a.computed && c.is_null())
                };
                if differs && prior.is_some() {
                    replace.push(path.clone());
                }
            }
        }
        path.pop();
        out.insert(a.name.to_string(), planned);
    }
    for b in &schema.blocks {
        let c = config.get(b.name).cloned().unwrap_or(Value::Null);
        let p = prior.and_then(|p| p.get(b.name)).cloned();
        path.push(PathStep::Key(b.name.to_string()));
        let c_items: Option<Vec<Value>> = match &c {
            Value::List(l) | Value::Set(l) => Some(l.clone()),
            Value::Map(_) => Some(vec![c.clone()]),
            Value::Unknown => None,
            _ => Some(Vec::new()),
        };
        let p_items: Vec<Value> = match &p {
            Some(Value::List(l)) | Some(Value::Set(l)) => l.clone(),
            Some(m @ Value::Map(_)) => vec![m.clone()],
            _ => Vec::new(),
        };
        let planned = match c_items {
            None => Value::Unknown,
            // An Optional+Computed block left out keeps what AWS has.
            Some(items) if items.is_empty() && b.computed => match &p {
                Some(pv) if prior.is_some() => pv.clone(),
                _ => Value::Unknown,
            },
            Some(items) => {
                let mut planned_items = Vec::with_capacity(items.len());
                for (i, it) in items.iter().enumerate() {
                    path.push(PathStep::Index(i));
                    // Sets are matched by position after sorting; lists by index.
                    let pi = p_items.get(i);
                    planned_items.push(plan_body(&b.body, pi, it, norm, path, replace));
                    path.pop();
                }
                match b.nesting {
                    Nesting::Set => Value::set(planned_items),
                    Nesting::List => Value::List(planned_items),
                    Nesting::Single => planned_items.into_iter().next().unwrap_or(Value::Null),
                }
            }
        };
        if b.force_new && prior.is_some() {
            let before = p.clone().unwrap_or(Value::Null);
            if planned.is_wholly_known()
                && !equivalent(
                    &norm.normalize(path, &before),
                    &norm.normalize(path, &planned),
                )
            {
                replace.push(path.clone());
            }
        }
        path.pop();
        out.insert(b.name.to_string(), planned);
    }
    // Keep attributes the schema does not list (provider-private extras) from prior.
    if let Some(Value::Map(pm)) = prior {
        for (k, v) in pm {
            out.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    Value::Map(out)
}

/// Computed-only attributes of a new object are unknown.
fn unknown_computed(schema: &Body, planned: &Value) -> Value {
    let Value::Map(m) = planned else {
        return planned.clone();
    };
    let mut out = m.clone();
    for a in &schema.attributes {
        if a.computed && !a.optional && !a.required {
            out.insert(a.name.to_string(), Value::Unknown);
        }
    }
    Value::Map(out)
}

fn keep_prior_all(schema: &Body, prior: &Value, config: &Value) -> Value {
    let _ = schema;
    let Value::Map(c) = config else {
        return config.clone();
    };
    let mut out = c.clone();
    if let Value::Map(p) = prior {
        for (k, v) in p {
            if out.contains_key(k) {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Map(out)
}

/// The configuration with `lifecycle.ignore_changes` applied: ignored paths keep their prior
/// values.
pub fn apply_lifecycle(
    prior: &Value,
    config: &Value,
    ignore: &[Vec<String>],
    ignore_all: bool,
) -> Value {
    if ignore_all {
        return keep_prior_all(&Body::default(), prior, config);
    }
    if ignore.is_empty() {
        return config.clone();
    }
    apply_ignore(prior, config, ignore)
}

/// Replaces the ignored paths of `config` with their prior values.
fn apply_ignore(prior: &Value, config: &Value, ignore: &[Vec<String>]) -> Value {
    let mut out = config.clone();
    for path in ignore {
        let Some(pv) = lookup(prior, path) else {
            continue;
        };
        set_path(&mut out, path, pv.clone());
    }
    out
}

fn lookup<'v>(v: &'v Value, path: &[String]) -> Option<&'v Value> {
    let mut cur = v;
    for step in path {
        cur = match cur {
            Value::Map(m) => m.get(step)?,
            Value::List(l) | Value::Set(l) => l.get(step.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn set_path(v: &mut Value, path: &[String], new: Value) {
    let Some((first, rest)) = path.split_first() else {
        *v = new;
        return;
    };
    match v {
        Value::Map(m) => {
            if rest.is_empty() {
                m.insert(first.clone(), new);
            } else if let Some(child) = m.get_mut(first) {
                set_path(child, rest, new);
            }
        }
        Value::List(l) => {
            if let Some(child) = first.parse::<usize>().ok().and_then(|i| l.get_mut(i)) {
                set_path(child, rest, new);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::schema::{managed_resource, Body};

    fn app_schema() -> &'static Body {
        &managed_resource("aws_emrserverless_application")
            .expect("schema")
            .body
    }

    fn cfg(pairs: &[(&str, Value)]) -> Value {
        let mut m = Map::new();
        for a in &app_schema().attributes {
            m.insert(a.name.to_string(), Value::Null);
        }
        for b in &app_schema().blocks {
            m.insert(b.name.to_string(), Value::List(Vec::new()));
        }
        for (k, v) in pairs {
            m.insert(k.to_string(), v.clone());
        }
        Value::Map(m)
    }

    #[test]
    fn new_object_has_unknown_computed_attributes() {
        let c = cfg(&[
            ("name", "a".into()),
            ("type", "spark".into()),
            ("release_label", "emr-7.2.0".into()),
        ]);
        let d = diff_instance(app_schema(), None, &c, &Identity, &[], false);
        assert_eq!(d.planned.get("arn"), Some(&Value::Unknown));
        assert_eq!(
            d.planned.get("architecture"),
            Some(&Value::string("X86_64"))
        );
        assert!(!d.requires_replace());
    }

    #[test]
    fn name_change_forces_replacement_and_release_label_does_not() {
        let c = cfg(&[
            ("name", "a".into()),
            ("type", "spark".into()),
            ("release_label", "emr-7.2.0".into()),
        ]);
        let first = diff_instance(app_schema(), None, &c, &Identity, &[], false).planned;
        let mut prior = first.clone();
        if let Value::Map(m) = &mut prior {
            m.insert(
                "arn".into(),
                "arn:aws:emr-serverless:us-east-1:1:/applications/x".into(),
            );
            m.insert("id".into(), "x".into());
        }
        let c2 = cfg(&[
            ("name", "a".into()),
            ("type", "spark".into()),
            ("release_label", "emr-7.3.0".into()),
        ]);
        let d = diff_instance(app_schema(), Some(&prior), &c2, &Identity, &[], false);
        assert!(!d.requires_replace());
        assert_eq!(d.changed, vec!["release_label"]);
        assert_eq!(d.planned.get("arn"), prior.get("arn"));
        let c3 = cfg(&[
            ("name", "b".into()),
            ("type", "spark".into()),
            ("release_label", "emr-7.2.0".into()),
        ]);
        let d = diff_instance(app_schema(), Some(&prior), &c3, &Identity, &[], false);
        assert_eq!(d.replace_paths, vec![vec![PathStep::Key("name".into())]]);
        assert_eq!(d.planned.get("arn"), Some(&Value::Unknown));
    }

    #[test]
    fn ignore_changes_keeps_prior_values() {
        let c = cfg(&[
            ("name", "a".into()),
            ("type", "spark".into()),
            ("release_label", "emr-7.2.0".into()),
            ("tags", Value::map([("a", "1".into())])),
        ]);
        let prior = diff_instance(app_schema(), None, &c, &Identity, &[], false).planned;
        let c2 = cfg(&[
            ("name", "a".into()),
            ("type", "spark".into()),
            ("release_label", "emr-7.2.0".into()),
            ("tags", Value::map([("a", "2".into())])),
        ]);
        let d = diff_instance(
            app_schema(),
            Some(&prior),
            &c2,
            &Identity,
            &[vec!["tags".into()]],
            false,
        );
        assert!(d.changed.iter().all(|c| c != "tags"), "{:?}", d.changed);
    }
}
