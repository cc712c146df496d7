//! ## What it does
//! Reports `ForAllValues:` (or `ForAnyValue:`) used with a single-valued condition key such as
//! `aws:SourceAccount` or `aws:PrincipalTag/team`.
//!
//! ## Why is this bad?
//! `ForAllValues` is true when the key is absent from the request, so the condition allows
//! requests it was meant to refuse; on single-valued keys use the plain operator.
//!
//! ## Example
//! ```json
//! {"Condition": {"ForAllValues:StringEquals": {"aws:SourceAccount": "111122223333"}}}
//! ```
//!
//! Use instead:
//! ```json
//! {"Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}
//! ```

use crate::lint::catalog::{catalog, is_global_key, MULTIVALUED_GLOBAL_KEYS};
use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM024",
    name: "for-all-values-with-single-valued-key",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "ForAllValues/ForAnyValue used with a single-valued condition key",
    aws_code: None,
    source: include_str!("for_all_values_single_valued_key.rs"),
    check,
};

/// True when the key is known to be single-valued.
fn single_valued(key: &str) -> bool {
    let Some((prefix, _)) = key.split_once(':') else {
        return false;
    };
    if prefix.eq_ignore_ascii_case("aws") {
        return is_global_key(key)
            && !MULTIVALUED_GLOBAL_KEYS
                .iter()
                .any(|k| k.eq_ignore_ascii_case(key));
    }
    match catalog()
        .service(prefix)
        .and_then(|s| s.condition_key_type(key))
    {
        Some(t) => !t.starts_with("ArrayOf"),
        None => false,
    }
}

fn check(p: &Policy, out: &mut Findings) {
    for st in &p.statements {
        for c in &st.conditions {
            let set_op = if c.operator.starts_with("ForAllValues:") {
                "ForAllValues"
            } else if c.operator.starts_with("ForAnyValue:") {
                "ForAnyValue"
            } else {
                continue;
            };
            if single_valued(&c.key) {
                out.push(
                    c.operator_span,
                    format!(
                        "`{}` is single-valued; `{set_op}:` on it {}; use `{}` instead",
                        c.key,
                        if set_op == "ForAllValues" {
                            "also matches requests without the key"
                        } else {
                            "is misleading"
                        },
                        c.base_operator()
                    ),
                );
            }
        }
    }
}
