//! `import {}` blocks: the target address written in `to` (a static reference whose instance
//! keys may be expressions, e.g. `aws_iam_role.r[each.key]` or `module.app["a"].aws_x.y`),
//! split into its parts so the driver can evaluate the keys and match the instances it expands.

use crate::addrs::ResourceAddr;
use hcl_edit::expr::{Expression, TraversalOperator};

/// An instance key as written in an address: an expression or the legacy `.0` form.
#[derive(Debug, Clone, Copy)]
pub enum KeyExpr<'a> {
    /// `[expr]`.
    Expr(&'a Expression),
    /// `.0`.
    Int(u64),
}

/// The parts of an import target.
#[derive(Debug, Clone)]
pub struct ImportTarget<'a> {
    /// `module.NAME[KEY]` steps, outermost first.
    pub modules: Vec<(String, Option<KeyExpr<'a>>)>,
    /// The resource (always managed: data sources cannot be imported).
    pub resource: ResourceAddr,
    /// The instance key, when written.
    pub key: Option<KeyExpr<'a>>,
}

impl ImportTarget<'_> {
    /// The module call names, outermost first.
    pub fn module_names(&self) -> Vec<String> {
        self.modules.iter().map(|(n, _)| n.clone()).collect()
    }
}

enum Part<'a> {
    Name(String),
    Key(KeyExpr<'a>),
}

type Parts<'a> = std::iter::Peekable<std::vec::IntoIter<Part<'a>>>;

/// Takes an instance key when one comes next.
fn key_after<'a>(it: &mut Parts<'a>) -> Option<KeyExpr<'a>> {
    if let Some(Part::Key(_)) = it.peek() {
        if let Some(Part::Key(k)) = it.next() {
            return Some(k);
        }
    }
    None
}

/// Splits `to` into its parts.
///
/// # Errors
/// A message saying what is wrong when `e` is not a resource instance address.
pub fn target_of(e: &Expression) -> Result<ImportTarget<'_>, String> {
    let (root, ops): (&str, Vec<&TraversalOperator>) = match e {
        Expression::Traversal(t) => match &t.expr {
            Expression::Variable(v) => {
                (v.as_str(), t.operators.iter().map(|o| o.value()).collect())
            }
            _ => {
                return Err(
                    "the target must be a resource address such as aws_iam_role.runtime".into(),
                )
            }
        },
        Expression::Variable(v) => (v.as_str(), Vec::new()),
        _ => {
            return Err("the target must be a resource address such as aws_iam_role.runtime".into())
        }
    };
    let mut parts = vec![Part::Name(root.to_string())];
    for op in ops {
        parts.push(match op {
            TraversalOperator::GetAttr(a) => Part::Name(a.as_str().to_string()),
            TraversalOperator::Index(ix) => Part::Key(KeyExpr::Expr(ix)),
            TraversalOperator::LegacyIndex(n) => Part::Key(KeyExpr::Int(*n.value())),
            _ => return Err("splat expressions are not allowed in an import target".into()),
        });
    }
    let mut it = parts.into_iter().peekable();
    let mut modules = Vec::new();
    loop {
        match it.next() {
            Some(Part::Name(n)) if n == "module" => match it.next() {
                Some(Part::Name(call)) => {
                    let k = key_after(&mut it);
                    modules.push((call, k));
                }
                _ => return Err("`module.` must be followed by a module call name".into()),
            },
            Some(Part::Name(n)) if n == "data" => {
                return Err(
                    "data sources cannot be imported; the target must be a managed resource".into(),
                )
            }
            Some(Part::Name(ty)) => {
                let Some(Part::Name(name)) = it.next() else {
                    return Err(format!(
                        "`{ty}` must be followed by a resource name, as in {ty}.example"
                    ));
                };
                let key = key_after(&mut it);
                if it.next().is_some() {
                    return Err(
                        "the target must end at a resource instance; attributes cannot be imported"
                            .into(),
                    );
                }
                return Ok(ImportTarget {
                    modules,
                    resource: ResourceAddr::managed(&ty, &name),
                    key,
                });
            }
            _ => {
                return Err(
                    "the target must be a resource address such as aws_iam_role.runtime".into(),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Expression {
        match s.parse::<Expression>() {
            Ok(e) => e,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    #[test]
    fn plain_keyed_and_module_targets() {
        let e = parse("aws_iam_role.runtime");
        let t = target_of(&e).map_err(|e| e.to_string());
        let t = t
            .as_ref()
            .map(|t| (t.resource.to_string(), t.key.is_some(), t.modules.len()));
        assert_eq!(t, Ok(("aws_iam_role.runtime".to_string(), false, 0)));

        let e = parse("module.apps[\"etl\"].aws_emrserverless_application.this[each.key]");
        let t = match target_of(&e) {
            Ok(t) => t,
            Err(m) => panic!("{m}"),
        };
        assert_eq!(t.module_names(), vec!["apps".to_string()]);
        assert!(t.modules[0].1.is_some());
        assert!(matches!(t.key, Some(KeyExpr::Expr(_))));
        assert_eq!(t.resource.to_string(), "aws_emrserverless_application.this");

        let e = parse("aws_subnet.private.0");
        let t = target_of(&e).map(|t| matches!(t.key, Some(KeyExpr::Int(0))));
        assert_eq!(t, Ok(true));
    }

    #[test]
    fn bad_targets_say_why() {
        for (src, want) in [
            ("data.aws_iam_role.r", "data sources cannot be imported"),
            ("aws_iam_role.r.arn", "attributes cannot be imported"),
            ("aws_iam_role", "must be followed by a resource name"),
            ("\"aws_iam_role.r\"", "must be a resource address"),
            ("aws_iam_role.r[*]", "splat"),
        ] {
            let e = parse(src);
            match target_of(&e) {
                Ok(t) => panic!("{src} parsed as {}", t.resource),
                Err(m) => assert!(m.contains(want), "{src}: {m}"),
            }
        }
    }
}
