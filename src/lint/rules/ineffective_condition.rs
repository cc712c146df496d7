//! ## What it does
//! Reports a condition that can never match (an empty list of values, `Bool`/`Null` with a value
//! other than `true`/`false`, a `Numeric`/`Date` operator with a value that is not a number or
//! date, an unknown operator) or that is the same as no condition (`StringLike` with `*` and
//! `IfExists`).
//!
//! ## Why is this bad?
//! A condition that never matches makes the statement dead; one that always matches gives a
//! false sense of restriction.
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!  "Condition": {"Bool": {"aws:SecureTransport": "yes"}}}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
//!  "Condition": {"Bool": {"aws:SecureTransport": "true"}}}
//! ```

use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM023",
    name: "ineffective-condition",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "Condition can never match or is the same as no condition",
    aws_code: None,
    source: include_str!("ineffective_condition.rs"),
    check,
};

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

fn is_date(v: &str) -> bool {
    v.parse::<i64>().is_ok()
        || chrono::DateTime::parse_from_rfc3339(v).is_ok()
        || chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok()
}

fn check(p: &Policy, out: &mut Findings) {
    for st in &p.statements {
        for c in &st.conditions {
            let base = c.base_operator();
            if !OPERATORS.iter().any(|o| o.eq_ignore_ascii_case(base)) {
                out.push(c.operator_span, format!("`{}` is not a condition operator, so the statement never applies; use an operator such as `StringEquals`", c.operator));
                continue;
            }
            if c.opaque {
                continue;
            }
            if c.values.is_empty() {
                out.push(c.values_span, format!("`{}` has no values, so it never matches; give at least one value or remove the condition", c.key));
                continue;
            }
            for v in &c.values {
                let Some(text) = v.known() else { continue };
                let bad = match base {
                    "Bool" | "Null" => {
                        !matches!(text.to_ascii_lowercase().as_str(), "true" | "false")
                    }
                    b if b.starts_with("Numeric") => text.parse::<f64>().is_err(),
                    b if b.starts_with("Date") => !is_date(text),
                    b if b.contains("IpAddress") => {
                        text.parse::<ipnet::IpNet>().is_err()
                            && text.parse::<std::net::IpAddr>().is_err()
                    }
                    _ => false,
                };
                if bad {
                    out.push(v.span, format!("`{text}` is not a valid value for `{base}`, so the condition never matches; fix the value"));
                }
            }
            if c.operator.ends_with("IfExists")
                && base == "StringLike"
                && c.values.iter().any(|v| v.is_star())
            {
                out.push(c.operator_span, format!("`{}` with `*` matches every request, the same as no condition; remove it or give real values", c.operator));
            }
        }
    }
}
