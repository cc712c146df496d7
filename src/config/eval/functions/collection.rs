//! Collection functions. Those with `handles_unknown` keep their result known when only
//! elements (not the collection's shape) are unknown, as Terraform does.

use super::util::{int_arg, list_arg, str_arg};
use super::{FuncCtx, FuncDef, FuncError};
use crate::config::value::{format_number, Map, Value};

fn unknown_in(a: &[Value]) -> bool {
    a.iter().any(Value::is_unknown)
}

fn length(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(match &a[0] {
        Value::Unknown => Value::Unknown,
        Value::List(l) | Value::Set(l) => Value::Number(l.len() as f64),
        Value::Map(m) => Value::Number(m.len() as f64),
        Value::String(s) => Value::Number(s.chars().count() as f64),
        Value::Null => return Err(FuncError::arg(0, "argument must not be null")),
        other => {
            return Err(FuncError::arg(
                0,
                format!("collection or string required, got {}", other.type_name()),
            ))
        }
    })
}
fn merge(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if unknown_in(&a) {
        return Ok(Value::Unknown);
    }
    let mut out = Map::new();
    for (i, v) in a.into_iter().enumerate() {
        match v {
            Value::Map(m) => out.extend(m),
            Value::Null => {}
            other => {
                return Err(FuncError::arg(
                    i,
                    format!("map or object required, got {}", other.type_name()),
                ))
            }
        }
    }
    Ok(Value::Map(out))
}
fn concat(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if unknown_in(&a) {
        return Ok(Value::Unknown);
    }
    let mut out = Vec::new();
    for i in 0..a.len() {
        out.extend(list_arg(&a, i)?);
    }
    Ok(Value::List(out))
}
fn element(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if unknown_in(&a) {
        return Ok(Value::Unknown);
    }
    let l = list_arg(&a, 0)?;
    if l.is_empty() {
        return Err(FuncError::arg(
            0,
            "cannot use element function with an empty list",
        ));
    }
    let i = int_arg(&a, 1)?;
    if i < 0 {
        return Err(FuncError::arg(
            1,
            "cannot use element function with a negative index",
        ));
    }
    Ok(l[(i as usize) % l.len()].clone())
}
fn index(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let l = list_arg(&a, 0)?;
    l.iter()
        .position(|v| *v == a[1])
        .map(|i| Value::Number(i as f64))
        .ok_or_else(|| FuncError::arg(1, "item not found"))
}
fn lookup(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if a[0].is_unknown() || a[1].is_unknown() {
        return Ok(Value::Unknown);
    }
    let key = str_arg(&a, 1)?;
    match &a[0] {
        Value::Map(m) => match m.get(&key) {
            Some(v) => Ok(v.clone()),
            None => a
                .get(2)
                .cloned()
                .ok_or_else(|| FuncError::arg(1, format!("lookup failed to find key {key:?}"))),
        },
        other => Err(FuncError::arg(
            0,
            format!("map required, got {}", other.type_name()),
        )),
    }
}
fn keys(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    match &a[0] {
        Value::Unknown => Ok(Value::Unknown),
        Value::Map(m) => Ok(Value::List(
            m.keys().map(|k| Value::string(k.as_str())).collect(),
        )),
        other => Err(FuncError::arg(
            0,
            format!("map or object required, got {}", other.type_name()),
        )),
    }
}
fn values(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    match &a[0] {
        Value::Unknown => Ok(Value::Unknown),
        Value::Map(m) => Ok(Value::List(m.values().cloned().collect())),
        other => Err(FuncError::arg(
            0,
            format!("map or object required, got {}", other.type_name()),
        )),
    }
}
fn contains(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Bool(list_arg(&a, 0)?.contains(&a[1])))
}
fn coalesce(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    for v in &a {
        match v {
            Value::Unknown => return Ok(Value::Unknown),
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            other => return Ok(other.clone()),
        }
    }
    Err(FuncError::new("no non-null, non-empty-string arguments"))
}
fn coalescelist(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    for (i, v) in a.iter().enumerate() {
        match v {
            Value::Unknown => return Ok(Value::Unknown),
            Value::List(l) | Value::Set(l) if !l.is_empty() => return Ok(v.clone()),
            Value::List(_) | Value::Set(_) | Value::Null => {}
            other => {
                return Err(FuncError::arg(
                    i,
                    format!("list required, got {}", other.type_name()),
                ))
            }
        }
    }
    Ok(Value::List(Vec::new()))
}
fn compact(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::List(
        list_arg(&a, 0)?
            .into_iter()
            .filter(|v| !v.is_null() && v.as_str() != Some(""))
            .collect(),
    ))
}
fn distinct(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let mut out: Vec<Value> = Vec::new();
    for v in list_arg(&a, 0)? {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(Value::List(out))
}
fn flatten_into(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::List(l) | Value::Set(l) => l.iter().for_each(|x| flatten_into(x, out)),
        other => out.push(other.clone()),
    }
}
fn flatten(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let mut out = Vec::new();
    for v in list_arg(&a, 0)? {
        flatten_into(&v, &mut out);
    }
    Ok(Value::List(out))
}
fn reverse(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let mut l = list_arg(&a, 0)?;
    l.reverse();
    Ok(Value::List(l))
}
fn range(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let n: Vec<f64> = (0..a.len())
        .map(|i| super::util::num_arg(&a, i))
        .collect::<Result<_, _>>()?;
    let (start, end, step) = match n.as_slice() {
        [e] => (0.0, *e, 1.0),
        [s, e] => (*s, *e, if s <= e { 1.0 } else { -1.0 }),
        [s, e, st] => (*s, *e, *st),
        _ => return Err(FuncError::new("range takes 1 to 3 arguments")),
    };
    if step == 0.0 {
        return Err(FuncError::arg(2, "step must not be zero"));
    }
    if (step > 0.0 && start > end) || (step < 0.0 && start < end) {
        return Err(FuncError::new("step has the wrong sign for this range"));
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
        out.push(Value::Number(x));
        x += step;
        if out.len() > 1_024 * 1_024 {
            return Err(FuncError::new("more than 1048576 elements in range"));
        }
    }
    Ok(Value::List(out))
}
fn slice(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if unknown_in(&a) {
        return Ok(Value::Unknown);
    }
    let l = list_arg(&a, 0)?;
    let s = int_arg(&a, 1)?;
    let e = int_arg(&a, 2)?;
    if s < 0 || e < s || e as usize > l.len() {
        return Err(FuncError::new(format!(
            "slice({s}, {e}) is out of range for a list of {} elements",
            l.len()
        )));
    }
    Ok(Value::List(l[s as usize..e as usize].to_vec()))
}
fn sort(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let mut l: Vec<String> = Vec::new();
    for (i, v) in list_arg(&a, 0)?.iter().enumerate() {
        match v {
            Value::String(s) => l.push(s.clone()),
            Value::Number(n) => l.push(format_number(*n)),
            other => {
                return Err(FuncError::arg(
                    0,
                    format!("element {i}: string required, got {}", other.type_name()),
                ))
            }
        }
    }
    l.sort();
    Ok(Value::List(l.into_iter().map(Value::String).collect()))
}
fn one(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    match &a[0] {
        Value::Unknown => Ok(Value::Unknown),
        Value::Null => Ok(Value::Null),
        Value::List(l) | Value::Set(l) => match l.len() {
            0 => Ok(Value::Null),
            1 => Ok(l[0].clone()),
            n => Err(FuncError::arg(
                0,
                format!(
                    "must be a list, set, or tuple value with either zero or one elements, got {n}"
                ),
            )),
        },
        other => Err(FuncError::arg(
            0,
            format!("list required, got {}", other.type_name()),
        )),
    }
}
fn alltrue(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let mut r = true;
    for v in list_arg(&a, 0)? {
        r &= v == Value::Bool(true) || v == Value::string("true");
    }
    Ok(Value::Bool(r))
}
fn anytrue(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::Bool(list_arg(&a, 0)?.iter().any(|v| {
        *v == Value::Bool(true) || *v == Value::string("true")
    })))
}
fn sum(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let l = list_arg(&a, 0)?;
    if l.is_empty() {
        return Err(FuncError::arg(0, "cannot sum an empty list"));
    }
    let mut t = 0.0;
    for i in 0..l.len() {
        t += super::util::num_arg(&l, i)?;
    }
    Ok(Value::Number(t))
}
fn chunklist(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let l = list_arg(&a, 0)?;
    let n = int_arg(&a, 1)?;
    if n < 0 {
        return Err(FuncError::arg(1, "the size argument must be positive"));
    }
    if n == 0 {
        return Ok(Value::List(vec![Value::List(l)]));
    }
    Ok(Value::List(
        l.chunks(n as usize)
            .map(|c| Value::List(c.to_vec()))
            .collect(),
    ))
}
fn zipmap(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let k = list_arg(&a, 0)?;
    let v = list_arg(&a, 1)?;
    if k.len() != v.len() {
        return Err(FuncError::new(format!(
            "number of keys ({}) does not match number of values ({})",
            k.len(),
            v.len()
        )));
    }
    let mut m = Map::new();
    for (i, (key, val)) in k.iter().zip(v).enumerate() {
        m.insert(
            str_arg(&k, i)
                .map_err(|_| FuncError::arg(0, format!("key {i} must be a string: {key}")))?,
            val,
        );
    }
    Ok(Value::Map(m))
}
fn matchkeys(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let v = list_arg(&a, 0)?;
    let k = list_arg(&a, 1)?;
    let s = list_arg(&a, 2)?;
    if v.len() != k.len() {
        return Err(FuncError::new("length of keys and values should be equal"));
    }
    Ok(Value::List(
        v.into_iter()
            .zip(k)
            .filter(|(_, key)| s.contains(key))
            .map(|(x, _)| x)
            .collect(),
    ))
}
fn transpose(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let Value::Map(m) = &a[0] else {
        return Err(FuncError::arg(0, "map of lists required"));
    };
    let mut out: std::collections::BTreeMap<String, Vec<Value>> = Default::default();
    for (k, l) in m {
        for v in l
            .as_list()
            .ok_or_else(|| FuncError::arg(0, "map of lists required"))?
        {
            out.entry(v.as_str().unwrap_or_default().to_string())
                .or_default()
                .push(Value::string(k.as_str()));
        }
    }
    Ok(Value::Map(
        out.into_iter().map(|(k, v)| (k, Value::List(v))).collect(),
    ))
}
fn setop(
    a: &[Value],
    f: impl Fn(&Value, &[Vec<Value>]) -> bool,
    first_only: bool,
) -> Result<Value, FuncError> {
    let sets: Vec<Vec<Value>> = (0..a.len())
        .map(|i| list_arg(a, i))
        .collect::<Result<_, _>>()?;
    let pool: Vec<Value> = if first_only {
        sets[0].clone()
    } else {
        sets.iter().flatten().cloned().collect()
    };
    Ok(Value::set(
        pool.into_iter().filter(|v| f(v, &sets)).collect(),
    ))
}
fn setunion(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    setop(&a, |_, _| true, false)
}
fn setintersection(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    setop(&a, |v, s| s.iter().all(|x| x.contains(v)), true)
}
fn setsubtract(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    setop(&a, |v, s| !s[1].contains(v), true)
}
fn setproduct(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let mut acc: Vec<Vec<Value>> = vec![vec![]];
    for i in 0..a.len() {
        let l = list_arg(&a, i)?;
        acc = acc
            .into_iter()
            .flat_map(|p| {
                l.iter().map(move |x| {
                    let mut q = p.clone();
                    q.push(x.clone());
                    q
                })
            })
            .collect();
    }
    Ok(Value::List(acc.into_iter().map(Value::List).collect()))
}

/// The collection functions.
pub const DEFS: &[FuncDef] = &[
    FuncDef {
        name: "alltrue",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: alltrue,
    },
    FuncDef {
        name: "anytrue",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: anytrue,
    },
    FuncDef {
        name: "chunklist",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: chunklist,
    },
    FuncDef {
        name: "coalesce",
        min_args: 1,
        max_args: None,
        handles_unknown: true,
        call: coalesce,
    },
    FuncDef {
        name: "coalescelist",
        min_args: 1,
        max_args: None,
        handles_unknown: true,
        call: coalescelist,
    },
    FuncDef {
        name: "compact",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: compact,
    },
    FuncDef {
        name: "concat",
        min_args: 1,
        max_args: None,
        handles_unknown: true,
        call: concat,
    },
    FuncDef {
        name: "contains",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: contains,
    },
    FuncDef {
        name: "distinct",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: distinct,
    },
    FuncDef {
        name: "element",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: true,
        call: element,
    },
    FuncDef {
        name: "flatten",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: flatten,
    },
    FuncDef {
        name: "index",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: index,
    },
    FuncDef {
        name: "keys",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: true,
        call: keys,
    },
    FuncDef {
        name: "length",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: true,
        call: length,
    },
    FuncDef {
        name: "lookup",
        min_args: 2,
        max_args: Some(3),
        handles_unknown: true,
        call: lookup,
    },
    FuncDef {
        name: "matchkeys",
        min_args: 3,
        max_args: Some(3),
        handles_unknown: false,
        call: matchkeys,
    },
    FuncDef {
        name: "merge",
        min_args: 0,
        max_args: None,
        handles_unknown: true,
        call: merge,
    },
    FuncDef {
        name: "one",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: true,
        call: one,
    },
    FuncDef {
        name: "range",
        min_args: 1,
        max_args: Some(3),
        handles_unknown: false,
        call: range,
    },
    FuncDef {
        name: "reverse",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: reverse,
    },
    FuncDef {
        name: "setintersection",
        min_args: 1,
        max_args: None,
        handles_unknown: false,
        call: setintersection,
    },
    FuncDef {
        name: "setproduct",
        min_args: 1,
        max_args: None,
        handles_unknown: false,
        call: setproduct,
    },
    FuncDef {
        name: "setsubtract",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: setsubtract,
    },
    FuncDef {
        name: "setunion",
        min_args: 1,
        max_args: None,
        handles_unknown: false,
        call: setunion,
    },
    FuncDef {
        name: "slice",
        min_args: 3,
        max_args: Some(3),
        handles_unknown: true,
        call: slice,
    },
    FuncDef {
        name: "sort",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: sort,
    },
    FuncDef {
        name: "sum",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: sum,
    },
    FuncDef {
        name: "transpose",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: transpose,
    },
    FuncDef {
        name: "values",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: true,
        call: values,
    },
    FuncDef {
        name: "zipmap",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: zipmap,
    },
];
