//! The generic part of `plan`: fill defaults, carry computed attributes from the prior object
//! (or mark them unknown), compute `tags_all`, find changed and replace-forcing attributes.
//! Each resource describes its attributes with a table of [`AttrSpec`] and adds its own API
//! calls; the comparison always goes through the resource's `normalize`.

use super::attrs::{is_empty, string_map, string_map_value};
use super::normalize::merge_tags;
use super::{AttrPath, PathStep};
use crate::config::value::{Map, Value};
use std::collections::BTreeMap;

/// How an attribute behaves in a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Set by the configuration only.
    Config,
    /// Set by the configuration, or by AWS when the configuration leaves it out (Optional +
    /// Computed): carried from the prior object, unknown on create.
    OptionalComputed,
    /// Set by AWS only (`arn`, `id`, `unique_id`): carried from the prior object, unknown on
    /// create or replace.
    Computed,
    /// `tags_all`: computed from `tags` and `default_tags`.
    TagsAll,
}

/// One attribute of a resource type.
#[derive(Debug, Clone, Copy)]
pub struct AttrSpec {
    /// The Terraform attribute name.
    pub name: &'static str,
    /// How it behaves.
    pub kind: Kind,
    /// Changing it forces replacement.
    pub force_new: bool,
    /// The value used when the configuration leaves it null.
    pub default: Option<fn() -> Value>,
    /// When empty, the attribute is a block: absent means an empty list.
    pub block: bool,
}

impl AttrSpec {
    /// A plain configurable attribute.
    pub const fn config(name: &'static str) -> AttrSpec {
        AttrSpec {
            name,
            kind: Kind::Config,
            force_new: false,
            default: None,
            block: false,
        }
    }
    /// An Optional + Computed attribute.
    pub const fn optional_computed(name: &'static str) -> AttrSpec {
        AttrSpec {
            kind: Kind::OptionalComputed,
            ..AttrSpec::config(name)
        }
    }
    /// A computed-only attribute.
    pub const fn computed(name: &'static str) -> AttrSpec {
        AttrSpec {
            kind: Kind::Computed,
            ..AttrSpec::config(name)
        }
    }
    /// `tags_all`.
    pub const fn tags_all() -> AttrSpec {
        AttrSpec {
            kind: Kind::TagsAll,
            ..AttrSpec::config("tags_all")
        }
    }
    /// Marks the attribute ForceNew.
    pub const fn force_new(mut self) -> AttrSpec {
        self.force_new = true;
        self
    }
    /// Marks the attribute as a block (absent = empty list).
    pub const fn block(mut self) -> AttrSpec {
        self.block = true;
        self
    }
    /// Sets a default.
    pub const fn default(mut self, f: fn() -> Value) -> AttrSpec {
        self.default = Some(f);
        self
    }
}

/// The generic outcome of comparing prior and desired.
#[derive(Debug, Clone)]
pub struct Diff {
    /// The planned object.
    pub planned: Value,
    /// Changed top-level attributes.
    pub changed: Vec<&'static str>,
    /// Changed ForceNew attributes.
    pub replace: Vec<&'static str>,
}

impl Diff {
    /// Changed attribute paths.
    pub fn changed_paths(&self) -> Vec<AttrPath> {
        self.changed
            .iter()
            .map(|n| vec![PathStep::Attr(n.to_string())])
            .collect()
    }

    /// Replace paths.
    pub fn replace_paths(&self) -> Vec<AttrPath> {
        self.replace
            .iter()
            .map(|n| vec![PathStep::Attr(n.to_string())])
            .collect()
    }

    /// True when `name` changed.
    pub fn has(&self, name: &str) -> bool {
        self.changed.contains(&name)
    }
}

/// Plans `desired` against `prior` for a type described by `specs`.
pub fn diff(
    specs: &[AttrSpec],
    prior: Option<&Value>,
    desired: &Value,
    default_tags: &BTreeMap<String, String>,
    normalize: &dyn Fn(&Value) -> Value,
) -> Diff {
    let mut planned: Map = Map::new();
    for s in specs {
        let d = desired.get(s.name).cloned().unwrap_or(Value::Null);
        let v = match s.kind {
            Kind::Config => {
                if d.is_null() {
                    match (s.default, s.block) {
                        (Some(f), _) => f(),
                        (None, true) => Value::List(vec![]),
                        (None, false) => Value::Null,
                    }
                } else {
                    d
                }
            }
            Kind::OptionalComputed => {
                if is_empty(Some(&d)) && !d.is_unknown() {
                    match prior.and_then(|p| p.get(s.name)) {
                        Some(p) if !is_empty(Some(p)) => p.clone(),
                        _ => match s.default {
                            Some(f) => f(),
                            None => Value::Unknown,
                        },
                    }
                } else {
                    d
                }
            }
            Kind::Computed => prior
                .and_then(|p| p.get(s.name))
                .filter(|p| !p.is_null())
                .cloned()
                .unwrap_or(Value::Unknown),
            Kind::TagsAll => Value::Null, // filled below
        };
        planned.insert(s.name.to_string(), v);
    }
    if specs.iter().any(|s| s.kind == Kind::TagsAll) {
        let tags_v = planned.get("tags").cloned().unwrap_or(Value::Null);
        let tags_all = if tags_v.is_wholly_known() {
            let tags = string_map(&Value::map([("tags", tags_v)]), "tags");
            string_map_value(&merge_tags(default_tags, &tags))
        } else {
            Value::Unknown
        };
        planned.insert("tags_all".into(), tags_all);
    }
    let mut planned = Value::Map(planned);
    let mut changed = Vec::new();
    let mut replace = Vec::new();
    if let Some(prior) = prior {
        let np = normalize(prior);
        let nd = normalize(&planned);
        for s in specs {
            if s.kind == Kind::Computed {
                continue;
            }
            let a = np.get(s.name).cloned().unwrap_or(Value::Null);
            let b = nd.get(s.name).cloned().unwrap_or(Value::Null);
            if b.is_unknown() && s.kind == Kind::OptionalComputed {
                continue;
            }
            if !same(&a, &b) {
                changed.push(s.name);
                if s.force_new {
                    replace.push(s.name);
                }
            }
        }
        if !replace.is_empty() {
            if let Value::Map(m) = &mut planned {
                for s in specs {
                    if s.kind == Kind::Computed {
                        m.insert(s.name.to_string(), Value::Unknown);
                    }
                }
            }
        }
    }
    Diff {
        planned,
        changed,
        replace,
    }
}

/// Equality where null and empty collections/strings are the same.
pub fn same(a: &Value, b: &Value) -> bool {
    if is_empty(Some(a)) && is_empty(Some(b)) && !a.is_unknown() && !b.is_unknown() {
        return true;
    }
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().all(|k| {
                same(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                )
            })
        }
        (Value::List(x), Value::List(y)) | (Value::Set(x), Value::Set(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::List(x), Value::Set(y)) | (Value::Set(y), Value::List(x)) => {
            let mut xs = x.clone();
            xs.sort_by(Value::total_cmp);
            xs.len() == y.len() && xs.iter().zip(y).all(|(p, q)| same(p, q))
        }
        _ => a == b,
    }
}

/// The tag calls going from the prior `tags_all` to the planned one.
pub fn tag_ops(prior: &Value, planned: &Value, tag_op: &str, untag_op: &str) -> Vec<super::ApiOp> {
    let old = string_map(prior, "tags_all");
    let new = string_map(planned, "tags_all");
    let (set, remove) = super::normalize::tags::tag_changes(&old, &new);
    let mut ops = Vec::new();
    if !set.is_empty() {
        ops.push(super::ApiOp::with_fields(tag_op, set.into_keys()));
    }
    if !remove.is_empty() {
        ops.push(super::ApiOp::with_fields(untag_op, remove));
    }
    ops
}

/// A name from a prefix, as the AWS provider makes them: prefix + UTC timestamp + counter
/// (26 characters after the prefix). `terraform-` when there is no prefix.
pub fn unique_name(prefix: Option<&str>) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let now = chrono::Utc::now();
    format!(
        "{}{}{:08}",
        prefix.unwrap_or("terraform-"),
        now.format("%Y%m%d%H%M%S%3f0"),
        N.fetch_add(1, Ordering::SeqCst) + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[AttrSpec] = &[
        AttrSpec::computed("id"),
        AttrSpec::config("name").force_new(),
        AttrSpec::config("path")
            .force_new()
            .default(|| Value::from("/")),
        AttrSpec::config("description"),
        AttrSpec::optional_computed("arch"),
        AttrSpec::config("tags"),
        AttrSpec::tags_all(),
        AttrSpec::config("blk").block(),
    ];

    fn ident(v: &Value) -> Value {
        v.clone()
    }

    #[test]
    fn create_marks_computed_unknown_and_fills_defaults() {
        let d = diff(
            SPECS,
            None,
            &Value::map([
                ("name", Value::from("a")),
                ("tags", Value::map([("k", Value::from("v"))])),
            ]),
            &[("team".to_string(), "x".to_string())].into(),
            &ident,
        );
        assert_eq!(d.planned.get("id"), Some(&Value::Unknown));
        assert_eq!(d.planned.get("arch"), Some(&Value::Unknown));
        assert_eq!(d.planned.get("path"), Some(&Value::from("/")));
        assert_eq!(d.planned.get("blk"), Some(&Value::List(vec![])));
        assert_eq!(
            d.planned.get("tags_all"),
            Some(&Value::map([
                ("k", Value::from("v")),
                ("team", Value::from("x"))
            ]))
        );
        assert!(d.changed.is_empty());
    }

    #[test]
    fn update_carries_computed_and_finds_force_new() {
        let prior = Value::map([
            ("id", Value::from("i-1")),
            ("name", Value::from("a")),
            ("path", Value::from("/")),
            ("arch", Value::from("X86_64")),
            ("tags", Value::Null),
            ("tags_all", Value::map::<&str>([])),
            ("blk", Value::List(vec![])),
        ]);
        let d = diff(
            SPECS,
            Some(&prior),
            &Value::map([
                ("name", Value::from("a")),
                ("description", Value::from("d")),
            ]),
            &BTreeMap::new(),
            &ident,
        );
        assert_eq!(d.changed, vec!["description"]);
        assert!(d.replace.is_empty());
        assert_eq!(d.planned.get("id"), Some(&Value::from("i-1")));
        assert_eq!(d.planned.get("arch"), Some(&Value::from("X86_64")));
        let d = diff(
            SPECS,
            Some(&prior),
            &Value::map([("name", Value::from("b"))]),
            &BTreeMap::new(),
            &ident,
        );
        assert_eq!(d.replace, vec!["name"]);
        assert_eq!(d.planned.get("id"), Some(&Value::Unknown));
    }
}
