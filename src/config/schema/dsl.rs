//! Short constructors the per-type schema files are written with, so that a schema reads like the
//! provider's: `Attribute::required("name", s()).force_new().validate(len(1, 64))`.

use super::{AttrType, BlockType, Body, Nesting, Validation};

/// `string`.
pub(crate) fn s() -> AttrType {
    AttrType::String
}

/// `number`.
pub(crate) fn n() -> AttrType {
    AttrType::Number
}

/// `bool`.
pub(crate) fn b() -> AttrType {
    AttrType::Bool
}

/// `dynamic` (any type).
pub(crate) fn dynamic() -> AttrType {
    AttrType::Dynamic
}

/// `list(T)`.
pub(crate) fn list(t: AttrType) -> AttrType {
    AttrType::List(Box::new(t))
}

/// `set(T)`.
pub(crate) fn set(t: AttrType) -> AttrType {
    AttrType::Set(Box::new(t))
}

/// `map(T)`.
pub(crate) fn map(t: AttrType) -> AttrType {
    AttrType::Map(Box::new(t))
}

/// `object({...})`.
pub(crate) fn obj(fields: Vec<(&'static str, AttrType)>) -> AttrType {
    AttrType::Object(fields)
}

/// One of these strings, case-sensitive.
pub(crate) fn one_of(values: &'static [&'static str]) -> Validation {
    Validation::OneOf {
        values,
        ignore_case: false,
    }
}

/// One of these strings, any case.
pub(crate) fn one_of_ci(values: &'static [&'static str]) -> Validation {
    Validation::OneOf {
        values,
        ignore_case: true,
    }
}

/// String length between `min` and `max` characters, inclusive.
pub(crate) fn len(min: usize, max: usize) -> Validation {
    Validation::Length { min, max }
}

/// String of at least `min` characters.
pub(crate) fn min_len(min: usize) -> Validation {
    Validation::Length {
        min,
        max: usize::MAX,
    }
}

/// Number between `min` and `max`, inclusive.
pub(crate) fn range(min: f64, max: f64) -> Validation {
    Validation::Range { min, max }
}

/// Number of at least `min`.
pub(crate) fn at_least(min: f64) -> Validation {
    Validation::Range {
        min,
        max: f64::INFINITY,
    }
}

/// String matching `pattern`; `message` completes "must ...".
pub(crate) fn regex(pattern: &'static str, message: &'static str) -> Validation {
    Validation::Regex { pattern, message }
}

/// A block that appears at most once and is stored as an object (`NestingSingle`, e.g. the
/// framework's `timeouts`).
pub(crate) fn nested_single(name: &'static str, body: Body) -> BlockType {
    BlockType {
        nesting: Nesting::Single,
        ..BlockType::list(name, body)
    }
}
