//! Set functions: setintersection, setproduct, setsubtract, setunion. Arguments may be sets,
//! lists or tuples; element types are unified as Terraform unifies them.

use super::{arg_err, list_arg, unify, FuncCtx, FuncError};
use crate::config::value::Value;

fn elems(a: &[Value], i: usize) -> Result<Vec<Value>, FuncError> {
    let items =
        list_arg(a, i, "sets").map_err(|_| arg_err(i, "sets", "a set or list is required"))?;
    Ok(items.to_vec())
}

/// Unifies all arguments' elements together, returning them per argument.
fn all(a: &[Value]) -> Result<Vec<Vec<Value>>, FuncError> {
    let per: Vec<Vec<Value>> = (0..a.len())
        .map(|i| elems(a, i))
        .collect::<Result<_, _>>()?;
    let flat: Vec<Value> = per.iter().flatten().cloned().collect();
    let unified = unify(&flat).map_err(|e| arg_err(0, "sets", e))?;
    let mut it = unified.into_iter();
    Ok(per
        .iter()
        .map(|p| it.by_ref().take(p.len()).collect())
        .collect())
}

pub(super) fn setunion(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::set(all(&a)?.into_iter().flatten().collect()))
}

pub(super) fn setintersection(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let mut per = all(&a)?.into_iter();
    let first = per.next().unwrap_or_default();
    let rest: Vec<Vec<Value>> = per.collect();
    Ok(Value::set(
        first
            .into_iter()
            .filter(|v| rest.iter().all(|r| r.contains(v)))
            .collect(),
    ))
}

pub(super) fn setsubtract(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let per = all(&a)?;
    Ok(Value::set(
        per[0]
            .iter()
            .filter(|v| !per[1].contains(v))
            .cloned()
            .collect(),
    ))
}

pub(super) fn setproduct(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    if a.len() < 2 {
        return Err(FuncError::new("at least two arguments are required"));
    }
    let all_sets = a.iter().all(|v| matches!(v, Value::Set(_)));
    let per: Vec<Vec<Value>> = (0..a.len())
        .map(|i| elems(&a, i))
        .collect::<Result<_, _>>()?;
    let mut rows: Vec<Vec<Value>> = vec![vec![]];
    for p in &per {
        let mut next = Vec::with_capacity(rows.len() * p.len());
        for r in &rows {
            for e in p {
                let mut row = r.clone();
                row.push(e.clone());
                next.push(row);
            }
        }
        rows = next;
    }
    let rows: Vec<Value> = rows.into_iter().map(Value::List).collect();
    Ok(if all_sets {
        Value::set(rows)
    } else {
        Value::List(rows)
    })
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;

    fn set(xs: &[&str]) -> Value {
        Value::set(xs.iter().map(|x| s(x)).collect())
    }

    #[test]
    fn union_intersection_subtract() {
        assert_eq!(
            ok(
                "setunion",
                vec![sl(&["a", "b"]), sl(&["b", "c"]), sl(&["d"])]
            ),
            set(&["a", "b", "c", "d"])
        );
        assert_eq!(
            ok("setunion", vec![sl(&["a"]), nl(&[1.0])]),
            set(&["1", "a"])
        );
        assert_eq!(
            ok(
                "setintersection",
                vec![sl(&["a", "b"]), sl(&["b", "c"]), sl(&["b", "d"])]
            ),
            set(&["b"])
        );
        assert_eq!(
            ok("setsubtract", vec![sl(&["a", "b", "c"]), sl(&["a", "c"])]),
            set(&["b"])
        );
        assert_eq!(ok("setsubtract", vec![sl(&["a"]), sl(&[])]), set(&["a"]));
        assert_eq!(err("setunion", vec![s("a")]).arg, Some(0));
        assert_eq!(
            ok("setunion", vec![Value::List(vec![Value::Unknown])]),
            Value::Unknown
        );
    }

    #[test]
    fn product() {
        assert_eq!(
            ok("setproduct", vec![sl(&["a", "b"]), nl(&[1.0, 2.0])]),
            Value::List(vec![
                Value::List(vec![s("a"), n(1.0)]),
                Value::List(vec![s("a"), n(2.0)]),
                Value::List(vec![s("b"), n(1.0)]),
                Value::List(vec![s("b"), n(2.0)]),
            ])
        );
        assert_eq!(
            ok("setproduct", vec![sl(&["a"]), sl(&[])]),
            Value::List(vec![])
        );
        assert!(matches!(
            ok("setproduct", vec![set(&["a"]), set(&["b"])]),
            Value::Set(_)
        ));
        assert_eq!(
            err("setproduct", vec![sl(&["a"])]).message,
            "at least two arguments are required"
        );
    }
}
