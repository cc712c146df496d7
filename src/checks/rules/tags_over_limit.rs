//! ## What it does
//! Checks an application's tags against AWS's limits: at most 50 tags, keys of 1–128
//! characters that do not start with `aws:`, values of at most 256 characters (the provider's
//! `default_tags` included, as `tags_all`).
//!
//! ## Why is this bad?
//! CreateApplication or TagResource fails at apply time.
//!
//! ## Example
//! A `default_tags` block of 40 tags plus 15 on the application.
//!
//! Use instead: fewer or shorter tags.

use crate::checks::{Check, CheckMeta, Context, RawFinding};
use crate::config::value::Value;
use crate::plan::FindingSeverity;

/// EMR109.
pub struct TagsOverLimit;

impl Check for TagsOverLimit {
    fn meta(&self) -> CheckMeta {
        CheckMeta {
            code: "EMR109",
            name: "tags-over-limit",
            severity: FindingSeverity::Error,
            summary: "more than 50 tags, a key over 128 characters or starting with aws:, or a value over 256",
            fix: "at most 50 tags, keys of 1–128 characters without `aws:`, values of at most 256",
        }
    }

    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>) {
        for app in ctx.of_type("aws_emrserverless_application") {
            let tags = match app.value.get("tags_all").and_then(Value::as_map) {
                Some(m) if !m.is_empty() => m,
                _ => match app.value.get("tags").and_then(Value::as_map) {
                    Some(m) => m,
                    None => continue,
                },
            };
            let mut problems = Vec::new();
            if tags.len() > 50 {
                problems.push(format!("{} tags (at most 50)", tags.len()));
            }
            for (k, v) in tags {
                if k.is_empty() || k.chars().count() > 128 {
                    problems.push(format!(
                        "key {k:?} is {} characters (1 to 128)",
                        k.chars().count()
                    ));
                }
                if k.to_ascii_lowercase().starts_with("aws:") {
                    problems.push(format!("key {k:?} uses the reserved aws: prefix"));
                }
                if let Some(s) = v.as_str() {
                    if s.chars().count() > 256 {
                        problems.push(format!(
                            "the value of {k:?} is {} characters (at most 256)",
                            s.chars().count()
                        ));
                    }
                }
            }
            if !problems.is_empty() {
                out.push(RawFinding {
                    code: "EMR109",
                    severity: FindingSeverity::Error,
                    message: format!(
                        "{}: its tags break AWS's limits: {}.",
                        app.address,
                        problems.join("; ")
                    ),
                    address: app.address.clone(),
                    span: app.span_of("tags"),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::rules::testing::{run, subject};
    use crate::checks::Facts;

    fn check(tags: Vec<(String, Value)>) -> Vec<RawFinding> {
        let v = Value::map([("tags", Value::map(tags))]);
        let s = [subject(
            "aws_emrserverless_application.a",
            "aws_emrserverless_application",
            v,
        )];
        run(&TagsOverLimit, &s, &Facts::default())
    }

    #[test]
    fn limits() {
        assert!(check(vec![("Team".into(), Value::string("data"))]).is_empty());
        let many = (0..51)
            .map(|i| (format!("k{i}"), Value::string("v")))
            .collect();
        assert!(check(many)[0].message.contains("51 tags"));
        assert!(check(vec![("aws:owner".into(), Value::string("x"))])[0]
            .message
            .contains("reserved"));
        assert!(check(vec![("k".into(), Value::string("v".repeat(257)))])[0]
            .message
            .contains("257 characters"));
    }
}
