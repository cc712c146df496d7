//! Small helpers to read and build objects (`Value::Map`s keyed by Terraform attribute names).
//! Absent, null, unknown and empty strings all read as "not set".

use crate::config::value::{Map, Value};
use std::collections::BTreeMap;

/// A non-empty string attribute.
pub fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// A bool attribute.
pub fn bool_of(v: &Value, key: &str) -> Option<bool> {
    v.get(key).and_then(Value::as_bool)
}

/// An integer attribute (numbers or numeric strings).
pub fn int_of(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(_) => v.get(key).and_then(Value::as_i64),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The single element of a MaxItems-1 block (a one-element list, or a bare map).
pub fn block<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v.get(key)? {
        Value::List(items) | Value::Set(items) => items.first().filter(|b| b.as_map().is_some()),
        m @ Value::Map(_) => Some(m),
        _ => None,
    }
}

/// The elements of a repeated block or list attribute.
pub fn items<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_list).unwrap_or(&[])
}

/// The strings of a list or set attribute, in their order.
pub fn strings(v: &Value, key: &str) -> Vec<String> {
    items(v, key)
        .iter()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// A `map(string)` attribute.
pub fn string_map(v: &Value, key: &str) -> BTreeMap<String, String> {
    v.get(key)
        .and_then(Value::as_map)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| match v {
                    Value::String(s) => Some((k.clone(), s.clone())),
                    Value::Number(n) => Some((k.clone(), crate::config::value::format_number(*n))),
                    Value::Bool(b) => Some((k.clone(), b.to_string())),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// An optional string as a value.
pub fn opt_str(s: Option<impl Into<String>>) -> Value {
    s.map(|s| Value::String(s.into())).unwrap_or(Value::Null)
}

/// An optional bool as a value.
pub fn opt_bool(b: Option<bool>) -> Value {
    b.map(Value::Bool).unwrap_or(Value::Null)
}

/// An optional integer as a value.
pub fn opt_int(n: Option<i64>) -> Value {
    n.map(|n| Value::Number(n as f64)).unwrap_or(Value::Null)
}

/// A MaxItems-1 block value: a one-element list, or an empty list when absent.
pub fn block_value(m: Option<Map>) -> Value {
    Value::List(m.map(Value::Map).into_iter().collect())
}

/// A set of strings.
pub fn string_set<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Value {
    Value::set(items.into_iter().map(|s| Value::String(s.into())).collect())
}

/// A list of strings.
pub fn string_list<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Value {
    Value::List(items.into_iter().map(|s| Value::String(s.into())).collect())
}

/// A `map(string)` value.
pub fn string_map_value(m: &BTreeMap<String, String>) -> Value {
    Value::Map(
        m.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

/// True when a value means "not set": null, unknown, empty string, empty collection.
pub fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::List(l)) | Some(Value::Set(l)) => l.is_empty(),
        Some(Value::Map(m)) => m.is_empty(),
        _ => false,
    }
}

/// A map built from pairs (shorthand).
pub fn obj<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Map {
    pairs.into_iter().map(|(k, v)| (k.into(), v)).collect()
}

/// The value with every unknown (anywhere inside) replaced by null: what an object read back
/// from AWS must look like, even where it copies a planned value.
pub fn known(v: Value) -> Value {
    match v {
        Value::Unknown => Value::Null,
        Value::List(items) => Value::List(items.into_iter().map(known).collect()),
        Value::Set(items) => Value::set(items.into_iter().map(known).collect()),
        Value::Map(m) => Value::Map(m.into_iter().map(|(k, v)| (k, known(v))).collect()),
        other => other,
    }
}

/// The candidates whose attributes `keys` equal the values `planned` knows (unknown and null
/// planned values match anything): how an interrupted create's object is told apart.
pub fn matching_known(candidates: Vec<Value>, planned: &Value, keys: &[&str]) -> Vec<Value> {
    candidates
        .into_iter()
        .filter(|c| {
            keys.iter().all(|k| match planned.get(k) {
                None | Some(Value::Null) | Some(Value::Unknown) => true,
                Some(want) => c.get(k) == Some(want),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_read_from_lists_or_maps() {
        let inner = Value::map([("enabled", Value::Bool(true))]);
        let v = Value::map([
            ("a", Value::List(vec![inner.clone()])),
            ("b", inner.clone()),
        ]);
        assert_eq!(block(&v, "a"), Some(&inner));
        assert_eq!(block(&v, "b"), Some(&inner));
        assert_eq!(block(&v, "c"), None);
        assert_eq!(
            bool_of(block(&v, "a").unwrap_or(&Value::Null), "enabled"),
            Some(true)
        );
    }

    #[test]
    fn empty_strings_are_unset() {
        let v = Value::map([("n", Value::from("")), ("i", Value::from("15"))]);
        assert_eq!(str_of(&v, "n"), None);
        assert_eq!(int_of(&v, "i"), Some(15));
        assert!(is_empty(v.get("n")));
    }
}
