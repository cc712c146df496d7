//! Collection functions over lists, tuples, sets and maps: alltrue, anytrue, chunklist,
//! coalesce, coalescelist, compact, concat, contains, distinct, element, flatten, index, keys,
//! length, lookup, matchkeys, merge, one, range, reverse, slice, sort, sum, transpose, values,
//! zipmap.
//!
//! Several of these keep their result known when only some elements are unknown (Terraform
//! does the same); those check their top-level arguments for unknowns themselves.

use super::{
    arg_err, bool_arg, conv_string, int_arg, list_arg, map_arg, num_arg, str_arg, unify, FuncCtx,
    FuncError,
};
use crate::config::value::{Map, Value};
use unicode_segmentation::UnicodeSegmentation;

/// Terraform's name for the element type of a homogeneous collection.
fn element_type(items: &[Value]) -> &'static str {
    let first = items.iter().find(|v| !v.is_null() && !v.is_unknown());
    match first {
        Some(Value::String(_)) => "string",
        Some(Value::Number(_)) => "number",
        Some(Value::Bool(_)) => "bool",
        _ => "dynamic",
    }
}

fn any_unknown(a: &[Value]) -> bool {
    a.iter().any(Value::is_unknown)
}

pub(super) fn alltrue(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if any_unknown(&a) {
        return Ok(Value::Unknown);
    }
    let items = list_arg(&a, 0, "list")?;
    let mut result = Value::Bool(true);
    for v in items {
        match v {
            Value::Unknown => result = Value::Unknown,
            Value::Null => return Ok(Value::Bool(false)),
            v => {
                if !bool_arg(std::slice::from_ref(v), 0, "list")
                    .map_err(|_| arg_err(0, "list", "a bool is required"))?
                {
                    return Ok(Value::Bool(false));
                }
            }
        }
    }
    Ok(result)
}

pub(super) fn anytrue(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if any_unknown(&a) {
        return Ok(Value::Unknown);
    }
    let items = list_arg(&a, 0, "list")?;
    let mut result = Value::Bool(false);
    for v in items {
        match v {
            Value::Unknown => result = Value::Unknown,
            Value::Null => {}
            v => {
                if bool_arg(std::slice::from_ref(v), 0, "list")
                    .map_err(|_| arg_err(0, "list", "a bool is required"))?
                {
                    return Ok(Value::Bool(true));
                }
            }
        }
    }
    Ok(result)
}

pub(super) fn chunklist(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if any_unknown(&a) {
        return Ok(Value::Unknown);
    }
    let items = list_arg(&a, 0, "list")?;
    let size = int_arg(&a, 1, "size")?;
    if size < 0 {
        return Err(arg_err(1, "size", "the size argument must be positive"));
    }
    if items.is_empty() {
        return Ok(Value::List(Vec::new()));
    }
    if size == 0 {
        return Ok(Value::List(vec![Value::List(items.to_vec())]));
    }
    Ok(Value::List(
        items
            .chunks(size as usize)
            .map(|c| Value::List(c.to_vec()))
            .collect(),
    ))
}

pub(super) fn coalesce(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if a.is_empty() {
        return Err(FuncError::new("all arguments must have the same type"));
    }
    let vals = unify(&a).map_err(|_| FuncError::new("all arguments must have the same type"))?;
    for v in vals {
        match v {
            Value::Unknown => return Ok(Value::Unknown),
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            v => return Ok(v),
        }
    }
    Err(FuncError::new("no non-null, non-empty-string arguments"))
}

pub(super) fn coalescelist(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if a.is_empty() {
        return Err(FuncError::new("at least one argument is required"));
    }
    for (i, v) in a.iter().enumerate() {
        match v {
            Value::Unknown => return Ok(Value::Unknown),
            Value::Null => {}
            Value::List(items) | Value::Set(items) => {
                if !items.is_empty() {
                    return Ok(v.clone());
                }
            }
            _ => {
                return Err(FuncError::arg(
                    i,
                    "coalescelist arguments must be lists or tuples",
                ))
            }
        }
    }
    Err(FuncError::new("no non-null arguments"))
}

pub(super) fn compact(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let items = list_arg(&a, 0, "list")?;
    let mut out = Vec::new();
    for v in items {
        match v {
            Value::Null => {}
            v => {
                let s =
                    conv_string(v).ok_or_else(|| arg_err(0, "list", "list of string required"))?;
                if !s.is_empty() {
                    out.push(Value::String(s));
                }
            }
        }
    }
    Ok(Value::List(out))
}

pub(super) fn concat(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if a.is_empty() {
        return Err(FuncError::new("at least one argument is required"));
    }
    if any_unknown(&a) {
        return Ok(Value::Unknown);
    }
    let mut out = Vec::new();
    for (i, v) in a.iter().enumerate() {
        match v {
            Value::List(items) => out.extend(items.iter().cloned()),
            Value::Null => return Err(arg_err(i, "seqs", "argument must not be null")),
            other => {
                return Err(arg_err(
                    i,
                    "seqs",
                    format!(
                        "all arguments must be lists or tuples; got {}",
                        other.type_name()
                    ),
                ))
            }
        }
    }
    Ok(Value::List(out))
}

/// Equality as Terraform compares values for `contains`, `index` and `matchkeys`: values of
/// different types are never equal.
fn same(a: &Value, b: &Value) -> bool {
    a == b
}

pub(super) fn contains(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if a[0].is_unknown() {
        return Ok(Value::Unknown);
    }
    let items = a[0]
        .as_list()
        .ok_or_else(|| FuncError::new("argument must be list, tuple, or set"))?;
    if items.is_empty() {
        return Ok(Value::Bool(false));
    }
    if !a[1].is_wholly_known() {
        return Ok(Value::Unknown);
    }
    let mut unknown = false;
    for v in items {
        if !v.is_wholly_known() {
            unknown = true;
        } else if same(v, &a[1]) {
            return Ok(Value::Bool(true));
        }
    }
    Ok(if unknown {
        Value::Unknown
    } else {
        Value::Bool(false)
    })
}

pub(super) fn distinct(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let items = unify(list_arg(&a, 0, "list")?).map_err(|e| arg_err(0, "list", e))?;
    let mut out: Vec<Value> = Vec::new();
    for v in &items {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    Ok(Value::List(out))
}

pub(super) fn element(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if any_unknown(&a) {
        return Ok(Value::Unknown);
    }
    let items = match &a[0] {
        Value::List(items) => items,
        Value::Set(items) => {
            return Err(FuncError::arg(
                0,
                format!("cannot read elements from set of {}", element_type(items)),
            ))
        }
        Value::Null => return Err(arg_err(0, "list", "argument must not be null")),
        _ => return Err(arg_err(0, "list", "list or tuple required")),
    };
    let index = int_arg(&a, 1, "index")?;
    if items.is_empty() {
        return Err(FuncError::new(
            "cannot use element function with an empty list",
        ));
    }
    if index < 0 {
        return Err(FuncError::new(
            "cannot use element function with a negative index",
        ));
    }
    Ok(items[(index as usize) % items.len()].clone())
}

pub(super) fn flatten(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    fn walk(v: &[Value], out: &mut Vec<Value>) {
        for e in v {
            match e {
                Value::List(inner) | Value::Set(inner) => walk(inner, out),
                other => out.push(other.clone()),
            }
        }
    }
    let items = a[0]
        .as_list()
        .ok_or_else(|| FuncError::new("can only flatten lists, sets and tuples"))?;
    let mut out = Vec::new();
    walk(items, &mut out);
    Ok(Value::List(out))
}

pub(super) fn index(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let Value::List(items) = &a[0] else {
        return Err(arg_err(0, "list", "argument must be a list or tuple"));
    };
    items
        .iter()
        .position(|v| same(v, &a[1]))
        .map(|i| Value::Number(i as f64))
        .ok_or_else(|| FuncError::new("item not found"))
}

pub(super) fn keys(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if any_unknown(&a) {
        return Ok(Value::Unknown);
    }
    let m = map_arg(&a, 0, "inputMap")
        .map_err(|_| arg_err(0, "inputMap", "must have map or object type"))?;
    Ok(Value::List(m.keys().map(Value::string).collect()))
}

pub(super) fn values(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if any_unknown(&a) {
        return Ok(Value::Unknown);
    }
    let m = map_arg(&a, 0, "mapping").map_err(|_| {
        arg_err(
            0,
            "mapping",
            "values() requires a map as the first argument",
        )
    })?;
    Ok(Value::List(m.values().cloned().collect()))
}

pub(super) fn length(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let n = match &a[0] {
        Value::Unknown => return Ok(Value::Unknown),
        Value::Null => return Err(arg_err(0, "value", "argument must not be null")),
        Value::String(s) => s.graphemes(true).count(),
        Value::List(v) => v.len(),
        Value::Set(v) if v.iter().any(|e| !e.is_wholly_known()) => return Ok(Value::Unknown),
        Value::Set(v) => v.len(),
        Value::Map(m) => m.len(),
        _ => {
            return Err(arg_err(
                0,
                "value",
                "argument must be a string, a collection type, or a structural type",
            ))
        }
    };
    Ok(Value::Number(n as f64))
}

pub(super) fn lookup(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if a[0].is_unknown() || a[1].is_unknown() {
        return Ok(Value::Unknown);
    }
    let m = map_arg(&a, 0, "inputMap").map_err(|_| {
        arg_err(
            0,
            "inputMap",
            "lookup() requires a map as the first argument",
        )
    })?;
    let key = str_arg(&a, 1, "key")?;
    match m.get(&key) {
        Some(v) => Ok(v.clone()),
        None => match a.get(2) {
            Some(d) => Ok(d.clone()),
            None => Err(arg_err(
                0,
                "inputMap",
                format!("the given object has no attribute {key:?}"),
            )),
        },
    }
}

pub(super) fn matchkeys(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let vals = list_arg(&a, 0, "values")?;
    let keys = list_arg(&a, 1, "keys")?;
    let search = list_arg(&a, 2, "searchset")?;
    if vals.len() != keys.len() {
        return Err(FuncError::new("length of keys and values should be equal"));
    }
    Ok(Value::List(
        vals.iter()
            .zip(keys)
            .filter(|(_, k)| search.iter().any(|s| same(s, k)))
            .map(|(v, _)| v.clone())
            .collect(),
    ))
}

pub(super) fn merge(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if any_unknown(&a) {
        return Ok(Value::Unknown);
    }
    let mut out = Map::new();
    for (i, v) in a.iter().enumerate() {
        match v {
            Value::Null => {}
            Value::Map(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
            other => {
                return Err(FuncError::arg(
                    i,
                    format!(
                        "arguments must be maps or objects, got {:?}",
                        other.type_name()
                    ),
                ))
            }
        }
    }
    Ok(Value::Map(out))
}

pub(super) fn one(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let items = match &a[0] {
        Value::Unknown => return Ok(Value::Unknown),
        Value::Set(v) if v.iter().any(|e| !e.is_wholly_known()) => return Ok(Value::Unknown),
        Value::List(v) | Value::Set(v) => v,
        Value::Null => return Err(arg_err(0, "list", "argument must not be null")),
        _ => {
            return Err(arg_err(
                0,
                "list",
                "must be a list, set, or tuple value with either zero or one elements",
            ))
        }
    };
    match items.len() {
        0 => Ok(Value::Null),
        1 => Ok(items[0].clone()),
        _ => Err(arg_err(
            0,
            "list",
            "must be a list, set, or tuple value with either zero or one elements",
        )),
    }
}

pub(super) fn range(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let (start, limit, step) = match a.len() {
        1 => {
            let l = num_arg(&a, 0, "params")?;
            (0.0, l, if l < 0.0 { -1.0 } else { 1.0 })
        }
        2 => {
            let (s, l) = (num_arg(&a, 0, "params")?, num_arg(&a, 1, "params")?);
            (s, l, if s > l { -1.0 } else { 1.0 })
        }
        _ => (
            num_arg(&a, 0, "params")?,
            num_arg(&a, 1, "params")?,
            num_arg(&a, 2, "params")?,
        ),
    };
    if start < limit && step < 0.0 {
        return Err(arg_err(
            2,
            "params",
            "end must be less than start when step is negative",
        ));
    }
    if start > limit && step > 0.0 {
        return Err(arg_err(
            2,
            "params",
            "end must be greater than start when step is positive",
        ));
    }
    let mut out = Vec::new();
    let mut i = 0u32;
    loop {
        let v = start + step * f64::from(i);
        if (step >= 0.0 && v >= limit && (step > 0.0 || start == limit))
            || (step < 0.0 && v <= limit)
        {
            break;
        }
        if out.len() >= 1024 {
            return Err(FuncError::new("more than 1024 values were generated; either decrease the difference between start and end or use a smaller step"));
        }
        out.push(Value::Number(v));
        i += 1;
    }
    Ok(Value::List(out))
}

pub(super) fn reverse(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    match &a[0] {
        Value::Unknown => Ok(Value::Unknown),
        Value::List(v) | Value::Set(v) => Ok(Value::List(v.iter().rev().cloned().collect())),
        Value::Null => Err(arg_err(0, "list", "argument must not be null")),
        other => Err(arg_err(
            0,
            "list",
            format!(
                "can only reverse list or tuple values, not {}",
                other.type_name()
            ),
        )),
    }
}

pub(super) fn slice(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if any_unknown(&a) {
        return Ok(Value::Unknown);
    }
    let items = list_arg(&a, 0, "list")?;
    let start = int_arg(&a, 1, "start_index")?;
    let end = int_arg(&a, 2, "end_index")?;
    if start < 0 {
        return Err(arg_err(
            1,
            "start_index",
            "start index must not be less than zero",
        ));
    }
    if end > items.len() as i64 {
        return Err(arg_err(
            2,
            "end_index",
            "end index must not be greater than the length of the list",
        ));
    }
    if start > end {
        return Err(arg_err(
            1,
            "start_index",
            "start index must not be greater than end index",
        ));
    }
    Ok(Value::List(items[start as usize..end as usize].to_vec()))
}

pub(super) fn sort(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let items = list_arg(&a, 0, "list")?;
    let mut out = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        match v {
            Value::Null => {
                return Err(FuncError::arg(
                    0,
                    format!("given list element {i} is null; a null string cannot be sorted"),
                ))
            }
            v => out
                .push(conv_string(v).ok_or_else(|| arg_err(0, "list", "list of string required"))?),
        }
    }
    out.sort();
    Ok(Value::List(out.into_iter().map(Value::String).collect()))
}

pub(super) fn sum(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let items = match &a[0] {
        Value::List(v) | Value::Set(v) => v.clone(),
        Value::Null => return Err(arg_err(0, "list", "argument must not be null")),
        other => {
            return Err(arg_err(
                0,
                "list",
                format!(
                    "argument must be list, set, or tuple. Received {}",
                    other.type_name()
                ),
            ))
        }
    };
    if items.is_empty() {
        return Err(arg_err(0, "list", "cannot sum an empty list"));
    }
    let mut total = 0.0;
    for i in 0..items.len() {
        total += num_arg(&items, i, "list").map_err(|_| {
            arg_err(
                0,
                "list",
                "argument must be list, set, or tuple of number values",
            )
        })?;
    }
    Ok(Value::Number(total))
}

pub(super) fn transpose(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let m = map_arg(&a, 0, "values")?;
    let mut out: std::collections::BTreeMap<String, Vec<Value>> = Default::default();
    for (k, v) in m {
        let items = v
            .as_list()
            .ok_or_else(|| arg_err(0, "values", "map of list of string required"))?;
        for e in items {
            let s = conv_string(e)
                .ok_or_else(|| arg_err(0, "values", "map of list of string required"))?;
            out.entry(s).or_default().push(Value::string(k.clone()));
        }
    }
    Ok(Value::Map(
        out.into_iter().map(|(k, v)| (k, Value::List(v))).collect(),
    ))
}

pub(super) fn zipmap(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if any_unknown(&a) {
        return Ok(Value::Unknown);
    }
    let keys = list_arg(&a, 0, "keys")?;
    let vals = list_arg(&a, 1, "values")?;
    if keys.len() != vals.len() {
        return Err(FuncError::new(format!(
            "number of keys ({}) does not match number of values ({})",
            keys.len(),
            vals.len()
        )));
    }
    let mut out = Map::new();
    for (k, v) in keys.iter().zip(vals) {
        match k {
            Value::Unknown => return Ok(Value::Unknown),
            Value::Null => return Err(arg_err(0, "keys", "keys list has null value")),
            k => {
                let key =
                    conv_string(k).ok_or_else(|| arg_err(0, "keys", "list of string required"))?;
                out.insert(key, v.clone());
            }
        }
    }
    Ok(Value::Map(out))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;

    const U: Value = Value::Unknown;
    fn b(x: bool) -> Value {
        Value::Bool(x)
    }
    fn l(v: Vec<Value>) -> Value {
        Value::List(v)
    }

    #[test]
    fn all_and_any_true() {
        assert_eq!(ok("alltrue", vec![l(vec![b(true), s("true")])]), b(true));
        assert_eq!(ok("alltrue", vec![l(vec![])]), b(true));
        assert_eq!(ok("alltrue", vec![l(vec![b(true), b(false)])]), b(false));
        assert_eq!(ok("alltrue", vec![l(vec![b(true), U])]), U);
        assert_eq!(ok("alltrue", vec![l(vec![U, b(false)])]), b(false));
        assert_eq!(ok("anytrue", vec![l(vec![])]), b(false));
        assert_eq!(ok("anytrue", vec![l(vec![b(false), s("true")])]), b(true));
        assert_eq!(ok("anytrue", vec![l(vec![U, b(true)])]), b(true));
        assert_eq!(ok("anytrue", vec![l(vec![U, b(false)])]), U);
        assert!(err("alltrue", vec![l(vec![s("x")])])
            .message
            .contains("a bool is required"));
    }

    #[test]
    fn chunklist_splits() {
        assert_eq!(
            ok("chunklist", vec![sl(&["a", "b", "c"]), n(2.0)]),
            l(vec![sl(&["a", "b"]), sl(&["c"])])
        );
        assert_eq!(
            ok("chunklist", vec![sl(&["a"]), n(0.0)]),
            l(vec![sl(&["a"])])
        );
        assert_eq!(ok("chunklist", vec![sl(&[]), n(0.0)]), l(vec![]));
        assert_eq!(
            err("concat", vec![]).message,
            "at least one argument is required"
        );
        assert_eq!(
            err("coalescelist", vec![]).message,
            "at least one argument is required"
        );
        assert_eq!(
            err("flatten", vec![s("a")]).message,
            "can only flatten lists, sets and tuples"
        );
        assert_eq!(
            err("contains", vec![s("a"), n(1.0)]).message,
            "argument must be list, tuple, or set"
        );
        assert_eq!(
            err("alltrue", vec![sl(&["x"])]).message,
            "Invalid value for \"list\" parameter: a bool is required."
        );
        assert_eq!(err("chunklist", vec![sl(&["a"]), n(-1.0)]).arg, Some(1));
        assert_eq!(
            ok("chunklist", vec![l(vec![U]), n(1.0)]),
            l(vec![l(vec![U])])
        );
    }

    #[test]
    fn coalesce_family() {
        assert_eq!(ok("coalesce", vec![s(""), s("b")]), s("b"));
        assert_eq!(ok("coalesce", vec![Value::Null, n(1.0), n(2.0)]), n(1.0));
        assert_eq!(ok("coalesce", vec![s(""), n(1.0)]), s("1"));
        assert_eq!(ok("coalesce", vec![Value::Null, U, s("x")]), U);
        assert_eq!(ok("coalesce", vec![s("a"), U]), s("a"));
        assert_eq!(
            err("coalesce", vec![s(""), Value::Null]).message,
            "no non-null, non-empty-string arguments"
        );
        assert_eq!(ok("coalescelist", vec![sl(&[]), sl(&["c"])]), sl(&["c"]));
        assert_eq!(
            err("coalescelist", vec![sl(&[])]).message,
            "no non-null arguments"
        );
        assert_eq!(err("coalescelist", vec![s("x")]).arg, Some(0));
    }

    #[test]
    fn compact_concat_contains() {
        assert_eq!(
            ok("compact", vec![l(vec![s("a"), s(""), Value::Null, n(1.0)])]),
            sl(&["a", "1"])
        );
        assert_eq!(ok("compact", vec![l(vec![s("a"), U])]), U);
        assert_eq!(
            ok("concat", vec![sl(&["a"]), l(vec![U]), nl(&[1.0])]),
            l(vec![s("a"), U, n(1.0)])
        );
        assert_eq!(ok("concat", vec![sl(&["a"]), U]), U);
        assert!(err("concat", vec![s("a")])
            .message
            .contains("must be lists or tuples"));
        assert_eq!(ok("contains", vec![sl(&["a", "b"]), s("b")]), b(true));
        assert_eq!(ok("contains", vec![sl(&["a", "b"]), s("c")]), b(false));
        assert_eq!(ok("contains", vec![l(vec![s("a"), U]), s("a")]), b(true));
        assert_eq!(ok("contains", vec![l(vec![s("a"), U]), s("c")]), U);
        assert_eq!(ok("contains", vec![nl(&[1.0]), s("1")]), b(false));
        assert_eq!(ok("contains", vec![sl(&[]), U]), b(false));
        assert_eq!(ok("contains", vec![sl(&["a"]), U]), U);
        assert_eq!(ok("distinct", vec![l(vec![n(1.0), s("1")])]), sl(&["1"]));
        assert_eq!(
            err("element", vec![Value::set(vec![s("a")]), n(0.0)]).message,
            "cannot read elements from set of string"
        );
    }

    #[test]
    fn distinct_element_flatten_index() {
        assert_eq!(
            ok("distinct", vec![sl(&["a", "b", "a", "c"])]),
            sl(&["a", "b", "c"])
        );
        assert_eq!(ok("element", vec![sl(&["a", "b", "c"]), n(5.0)]), s("c"));
        assert_eq!(ok("element", vec![l(vec![U, s("b")]), n(1.0)]), s("b"));
        assert_eq!(
            err("element", vec![sl(&[]), n(0.0)]).message,
            "cannot use element function with an empty list"
        );
        assert_eq!(
            err("element", vec![sl(&["a"]), n(-1.0)]).message,
            "cannot use element function with a negative index"
        );
        assert_eq!(
            ok(
                "flatten",
                vec![l(vec![l(vec![n(1.0), nl(&[2.0])]), l(vec![]), n(3.0)])]
            ),
            nl(&[1.0, 2.0, 3.0])
        );
        assert_eq!(ok("flatten", vec![l(vec![l(vec![U])])]), U);
        assert_eq!(ok("index", vec![sl(&["a", "b"]), s("b")]), n(1.0));
        assert_eq!(
            err("index", vec![sl(&["a"]), s("z")]).message,
            "item not found"
        );
        assert_eq!(
            err("index", vec![Value::set(vec![s("a")]), s("a")]).arg,
            Some(0)
        );
        assert_eq!(
            err("coalesce", vec![]).message,
            "all arguments must have the same type"
        );
        assert_eq!(
            err("coalesce", vec![n(1.0), Value::Bool(true)]).message,
            "all arguments must have the same type"
        );
        assert!(err("sum", vec![Value::map([("a", n(1.0))])])
            .message
            .contains("list, set, or tuple"));
    }

    #[test]
    fn maps() {
        let m = Value::map([("b", n(2.0)), ("a", U)]);
        assert_eq!(ok("keys", vec![m.clone()]), sl(&["a", "b"]));
        assert_eq!(ok("values", vec![m.clone()]), l(vec![U, n(2.0)]));
        assert_eq!(ok("length", vec![m.clone()]), n(2.0));
        assert_eq!(
            ok("lookup", vec![Value::map([("b", n(2.0))]), s("b")]),
            n(2.0)
        );
        assert_eq!(ok("lookup", vec![m.clone(), s("a")]), U);
        // Terraform gives up on a map that is not wholly known, even for known keys.
        assert_eq!(ok("lookup", vec![m.clone(), s("b")]), U);
        assert!(err("lookup", vec![sl(&["a"]), s("a")])
            .message
            .contains("lookup() requires a map"));
        assert_eq!(
            ok("lookup", vec![Value::map([("b", n(2.0))]), s("z"), s("d")]),
            s("d")
        );
        assert_eq!(
            err("lookup", vec![Value::map([("a", n(1.0))]), s("b")]).message,
            "Invalid value for \"inputMap\" parameter: the given object has no attribute \"b\"."
        );
        assert_eq!(ok("lookup", vec![U, s("a")]), U);
        assert_eq!(
            ok(
                "merge",
                vec![
                    Value::map([("a", n(1.0)), ("b", n(1.0))]),
                    Value::Null,
                    Value::map([("b", U)])
                ]
            ),
            Value::map([("a", n(1.0)), ("b", U)])
        );
        assert_eq!(ok("merge", vec![Value::map([("a", n(1.0))]), U]), U);
        assert!(err("merge", vec![sl(&["a"])])
            .message
            .contains("arguments must be maps or objects, got \"tuple\""));
        assert_eq!(ok("keys", vec![U]), U);
        assert!(err("keys", vec![s("x")]).message.contains("map or object"));
    }

    #[test]
    fn length_counts() {
        assert_eq!(ok("length", vec![s("héllo")]), n(5.0));
        assert_eq!(ok("length", vec![l(vec![U, U])]), n(2.0));
        assert_eq!(ok("length", vec![Value::Set(vec![s("a"), U])]), U);
        assert_eq!(ok("length", vec![U]), U);
        assert_eq!(err("length", vec![Value::Null]).arg, Some(0));
        assert!(err("length", vec![n(5.0)])
            .message
            .contains("collection type"));
    }

    #[test]
    fn matchkeys_filters() {
        assert_eq!(
            ok(
                "matchkeys",
                vec![sl(&["i-1", "i-2", "i-3"]), sl(&["a", "b", "a"]), sl(&["a"])]
            ),
            sl(&["i-1", "i-3"])
        );
        assert!(err("matchkeys", vec![sl(&["x"]), sl(&[]), sl(&[])])
            .message
            .contains("should be equal"));
    }

    #[test]
    fn one_range_reverse_slice() {
        assert_eq!(ok("one", vec![sl(&[])]), Value::Null);
        assert_eq!(ok("one", vec![sl(&["a"])]), s("a"));
        assert!(err("one", vec![sl(&["a", "b"])])
            .message
            .contains("zero or one"));
        assert_eq!(ok("range", vec![n(3.0)]), nl(&[0.0, 1.0, 2.0]));
        assert_eq!(
            ok("range", vec![n(1.0), n(3.0), n(0.5)]),
            nl(&[1.0, 1.5, 2.0, 2.5])
        );
        assert_eq!(ok("range", vec![n(3.0), n(0.0)]), nl(&[3.0, 2.0, 1.0]));
        assert_eq!(ok("range", vec![n(0.0)]), nl(&[]));
        assert_eq!(ok("range", vec![n(-3.0)]), nl(&[0.0, -1.0, -2.0]));
        assert_eq!(ok("range", vec![n(1.0), n(1.0)]), nl(&[]));
        assert!(err("range", vec![n(0.0), n(5.0), n(0.0)])
            .message
            .contains("more than 1024"));
        assert!(err("range", vec![n(0.0), n(5.0), n(-1.0)])
            .message
            .contains("end must be less than start when step is negative"));
        assert!(err("range", vec![n(3.0), n(0.0), n(1.0)])
            .message
            .contains("end must be greater than start when step is positive"));
        assert!(err("range", vec![n(2000.0)])
            .message
            .contains("more than 1024"));
        assert_eq!(ok("reverse", vec![sl(&["a", "b"])]), sl(&["b", "a"]));
        assert_eq!(
            ok("slice", vec![sl(&["a", "b", "c"]), n(1.0), n(3.0)]),
            sl(&["b", "c"])
        );
        assert_eq!(ok("slice", vec![sl(&["a"]), n(1.0), n(1.0)]), sl(&[]));
        assert_eq!(err("slice", vec![sl(&["a"]), n(0.0), n(2.0)]).arg, Some(2));
        assert_eq!(err("slice", vec![sl(&["a"]), n(1.0), n(0.0)]).arg, Some(1));
    }

    #[test]
    fn sort_sum_transpose_zipmap() {
        assert_eq!(
            ok("sort", vec![l(vec![n(10.0), n(9.0), s("b"), s("a")])]),
            sl(&["10", "9", "a", "b"])
        );
        assert!(err("sort", vec![l(vec![Value::Null])])
            .message
            .contains("null"));
        assert_eq!(ok("sort", vec![l(vec![s("b"), U])]), U);
        assert_eq!(ok("sum", vec![l(vec![n(1.0), n(2.5), s("3")])]), n(6.5));
        assert_eq!(
            err("sum", vec![l(vec![])]).message,
            "Invalid value for \"list\" parameter: cannot sum an empty list."
        );
        let t = ok(
            "transpose",
            vec![Value::map([("a", sl(&["1", "2"])), ("b", sl(&["2", "3"]))])],
        );
        assert_eq!(
            t,
            Value::map([("1", sl(&["a"])), ("2", sl(&["a", "b"])), ("3", sl(&["b"]))])
        );
        assert_eq!(
            ok("zipmap", vec![sl(&["a", "b"]), l(vec![n(1.0), U])]),
            Value::map([("a", n(1.0)), ("b", U)])
        );
        assert_eq!(ok("zipmap", vec![l(vec![U]), nl(&[1.0])]), U);
        assert!(err("zipmap", vec![sl(&["a"]), sl(&[])])
            .message
            .contains("number of keys (1) does not match number of values (0)"));
    }
}
