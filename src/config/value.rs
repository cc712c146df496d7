//! The value of an evaluated expression: Terraform's dynamic values, plus a first-class
//! [`Value::Unknown`] for what is only known after apply (`aws_iam_role.r.arn` before creation).
//!
//! Lists and tuples share [`Value::List`]; maps and objects share [`Value::Map`]. A
//! [`Value::Set`] keeps its elements unique and sorted so that equal sets compare equal.
//! Unknowns flow through expressions: an operation on an unknown yields unknown, and a
//! collection may hold unknown elements while its own shape is known.

use serde_json::Value as Json;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

/// An evaluated value.
///
/// Serde gives it a lossless tagged form (unknowns included) for saved plans; use
/// [`Value::to_json`] for Terraform-compatible JSON.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub enum Value {
    /// `null`: absent.
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// Numbers are IEEE doubles; integral values print without a fraction.
    Number(f64),
    /// A Unicode string.
    String(String),
    /// A list or tuple.
    List(Vec<Value>),
    /// A set: unique elements, kept sorted by [`Value::total_cmp`].
    Set(Vec<Value>),
    /// A map or object, keys sorted.
    Map(BTreeMap<String, Value>),
    /// Not known until apply.
    Unknown,
}

/// Shorthand for building maps.
pub type Map = BTreeMap<String, Value>;

impl Value {
    /// A string value.
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// A set built from any elements: sorts and removes duplicates.
    pub fn set(mut items: Vec<Value>) -> Value {
        items.sort_by(Value::total_cmp);
        items.dedup();
        Value::Set(items)
    }

    /// A map from pairs.
    pub fn map<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// Terraform's name for the value's type, as used in error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "tuple",
            Value::Set(_) => "set",
            Value::Map(_) => "object",
            Value::Unknown => "unknown",
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// True when this value itself is unknown (not looking inside collections).
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// True when neither this value nor anything inside it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(v) | Value::Set(v) => v.iter().all(Value::is_wholly_known),
            Value::Map(m) => m.values().all(Value::is_wholly_known),
            _ => true,
        }
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The number as an integer, if it is a whole number in range.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
            _ => None,
        }
    }

    /// The bool, if this is a bool.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Elements of a list, tuple or set.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Set(v) => Some(v),
            _ => None,
        }
    }

    /// Entries of a map or object.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Looks up a key of a map or object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// A total order used to sort sets: by kind, then by content.
    pub fn total_cmp(a: &Value, b: &Value) -> Ordering {
        fn rank(v: &Value) -> u8 {
            match v {
                Value::Null => 0,
                Value::Bool(_) => 1,
                Value::Number(_) => 2,
                Value::String(_) => 3,
                Value::List(_) => 4,
                Value::Set(_) => 5,
                Value::Map(_) => 6,
                Value::Unknown => 7,
            }
        }
        match (a, b) {
            (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
            (Value::Number(x), Value::Number(y)) => x.total_cmp(y),
            (Value::String(x), Value::String(y)) => x.cmp(y),
            (Value::List(x), Value::List(y)) | (Value::Set(x), Value::Set(y)) => {
                for (p, q) in x.iter().zip(y) {
                    let o = Value::total_cmp(p, q);
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                x.len().cmp(&y.len())
            }
            (Value::Map(x), Value::Map(y)) => {
                for ((kp, p), (kq, q)) in x.iter().zip(y) {
                    let o = kp.cmp(kq).then_with(|| Value::total_cmp(p, q));
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                x.len().cmp(&y.len())
            }
            _ => rank(a).cmp(&rank(b)),
        }
    }

    /// Converts to JSON. Unknown values become `null`; use [`Value::is_wholly_known`] first
    /// where that matters.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Null | Value::Unknown => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => number_to_json(*n),
            Value::String(s) => Json::String(s.clone()),
            Value::List(v) | Value::Set(v) => Json::Array(v.iter().map(Value::to_json).collect()),
            Value::Map(m) => {
                Json::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }

    /// Converts from JSON (objects become maps, arrays lists).
    pub fn from_json(j: &Json) -> Value {
        match j {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
            Json::String(s) => Value::String(s.clone()),
            Json::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            Json::Object(o) => Value::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// A mask of the same shape with `true` where the value is unknown, as in Terraform's
    /// `after_unknown`; `None` when nothing inside is unknown.
    pub fn unknown_mask(&self) -> Option<Json> {
        match self {
            Value::Unknown => Some(Json::Bool(true)),
            Value::List(v) | Value::Set(v) => {
                if v.iter().all(Value::is_wholly_known) {
                    None
                } else {
                    Some(Json::Array(
                        v.iter()
                            .map(|e| e.unknown_mask().unwrap_or(Json::Bool(false)))
                            .collect(),
                    ))
                }
            }
            Value::Map(m) => {
                let o: serde_json::Map<String, Json> = m
                    .iter()
                    .filter_map(|(k, v)| v.unknown_mask().map(|j| (k.clone(), j)))
                    .collect();
                if o.is_empty() {
                    None
                } else {
                    Some(Json::Object(o))
                }
            }
            _ => None,
        }
    }
}

/// Formats a number as Terraform does: integral values without a fraction.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{}", n)
    }
}

fn number_to_json(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Json::Number((n as i64).into())
    } else {
        serde_json::Number::from_f64(n)
            .map(Json::Number)
            .unwrap_or(Json::Null)
    }
}

impl fmt::Display for Value {
    /// HCL-like rendering used in messages and plan output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(&format_number(*n)),
            Value::String(s) => write!(f, "{:?}", s),
            Value::List(v) | Value::Set(v) => {
                f.write_str("[")?;
                for (i, e) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{e}")?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} = {v}")?;
                }
                f.write_str("}")
            }
            Value::Unknown => f.write_str("(known after apply)"),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_are_sorted_and_unique() {
        let s = Value::set(vec!["b".into(), "a".into(), "b".into()]);
        assert_eq!(s, Value::Set(vec!["a".into(), "b".into()]));
    }

    #[test]
    fn unknown_mask_marks_nested_unknowns() {
        let v = Value::map([("a", Value::Unknown), ("b", Value::from(1i64))]);
        assert_eq!(v.unknown_mask(), Some(serde_json::json!({"a": true})));
        assert!(!v.is_wholly_known());
        assert_eq!(Value::from(2i64).unknown_mask(), None);
    }

    #[test]
    fn numbers_round_trip_json() {
        assert_eq!(Value::from(3i64).to_json(), serde_json::json!(3));
        assert_eq!(Value::from(2.5).to_json(), serde_json::json!(2.5));
        assert_eq!(format_number(1e3), "1000");
    }
}
