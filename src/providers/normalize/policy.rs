//! IAM-style policy documents (identity, trust, ECR repository policies) compared as
//! documents, not text: key order, a single value vs a one-item list, statement order, action
//! case, principal forms (`"*"` vs `{"AWS": "*"}`, an account id vs its root ARN), a missing
//! `Version` (IAM's default 2008-10-17) and IAM's URL-encoding all compare equal.

use serde_json::{Map as JsonMap, Value as Json};

/// Decodes policy text as AWS returns it: IAM URL-encodes documents (`%7B%22Version...`);
/// text that already looks like JSON is left alone.
pub fn decode_policy_text(raw: &str) -> String {
    let t = raw.trim();
    if t.starts_with('{') || !t.contains('%') {
        return t.to_string();
    }
    percent_decode(t)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The canonical text of a policy document, or `None` when it is not a JSON object.
pub fn canonical_policy(text: &str) -> Option<String> {
    let decoded = decode_policy_text(text);
    let doc: Json = serde_json::from_str(&decoded).ok()?;
    let Json::Object(top) = doc else {
        return None;
    };
    let mut out = JsonMap::new();
    for (k, v) in top {
        match k.as_str() {
            "Statement" => {
                let stmts = match v {
                    Json::Array(a) => a,
                    other => vec![other],
                };
                let mut canon: Vec<Json> = stmts.into_iter().map(canonical_statement).collect();
                canon.sort_by_key(canonical_text);
                canon.dedup();
                out.insert(k, Json::Array(canon));
            }
            _ => {
                out.insert(k, v);
            }
        }
    }
    out.entry("Version".to_string())
        .or_insert_with(|| Json::String("2008-10-17".into()));
    Some(canonical_text(&Json::Object(out)))
}

/// True when two policy texts are the same document. Texts that are not JSON compare as text.
pub fn policies_equivalent(a: &str, b: &str) -> bool {
    match (canonical_policy(a), canonical_policy(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.trim() == b.trim(),
    }
}

/// The policy text to keep in state after a read: the prior text when the live document is
/// equivalent to it (so the user's formatting stays and no diff shows), else the live document
/// decoded.
pub fn policy_for_state(live_raw: &str, prior: Option<&str>) -> String {
    let live = decode_policy_text(live_raw);
    match prior {
        Some(p) if !p.is_empty() && policies_equivalent(p, &live) => p.to_string(),
        _ => live,
    }
}

fn canonical_statement(stmt: Json) -> Json {
    let Json::Object(m) = stmt else {
        return stmt;
    };
    let mut out = JsonMap::new();
    for (k, v) in m {
        let v = match k.as_str() {
            "Action" | "NotAction" => string_set(v, |s| s.to_ascii_lowercase()),
            "Resource" | "NotResource" => string_set(v, str::to_string),
            "Principal" | "NotPrincipal" => canonical_principal(v),
            "Condition" => canonical_condition(v),
            "Sid" if v.as_str() == Some("") => continue,
            _ => v,
        };
        out.insert(k, v);
    }
    Json::Object(out)
}

fn string_set(v: Json, f: impl Fn(&str) -> String) -> Json {
    let mut items: Vec<String> = match v {
        Json::String(s) => vec![f(&s)],
        Json::Array(a) => a
            .into_iter()
            .map(|e| match e {
                Json::String(s) => f(&s),
                other => canonical_text(&other),
            })
            .collect(),
        other => return other,
    };
    items.sort();
    items.dedup();
    Json::Array(items.into_iter().map(Json::String).collect())
}

fn canonical_principal(v: Json) -> Json {
    match v {
        Json::String(s) if s == "*" => {
            let mut m = JsonMap::new();
            m.insert("AWS".into(), Json::Array(vec![Json::String("*".into())]));
            Json::Object(m)
        }
        Json::Object(m) => {
            let mut out = JsonMap::new();
            for (k, v) in m {
                let v = if k == "AWS" {
                    string_set(v, |s| {
                        if s.len() == 12 && s.chars().all(|c| c.is_ascii_digit()) {
                            format!("arn:aws:iam::{s}:root")
                        } else {
                            s.to_string()
                        }
                    })
                } else {
                    string_set(v, str::to_string)
                };
                out.insert(k, v);
            }
            Json::Object(out)
        }
        other => other,
    }
}

fn canonical_condition(v: Json) -> Json {
    let Json::Object(ops) = v else {
        return v;
    };
    let mut out = JsonMap::new();
    for (op, keys) in ops {
        let keys = match keys {
            Json::Object(km) => Json::Object(
                km.into_iter()
                    .map(|(k, v)| {
                        let v = string_set(
                            match v {
                                Json::Bool(b) => Json::String(b.to_string()),
                                Json::Number(n) => Json::String(n.to_string()),
                                Json::Array(a) => Json::Array(
                                    a.into_iter()
                                        .map(|e| match e {
                                            Json::Bool(b) => Json::String(b.to_string()),
                                            Json::Number(n) => Json::String(n.to_string()),
                                            e => e,
                                        })
                                        .collect(),
                                ),
                                other => other,
                            },
                            str::to_string,
                        );
                        (k, v)
                    })
                    .collect(),
            ),
            other => other,
        };
        out.insert(op, keys);
    }
    Json::Object(out)
}

/// JSON text with object keys sorted at every level, independent of serde_json features.
pub fn canonical_text(v: &Json) -> String {
    let mut s = String::new();
    write_canonical(v, &mut s);
    s
}

fn write_canonical(v: &Json, out: &mut String) {
    match v {
        Json::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Json::String((*k).clone()).to_string());
                out.push(':');
                if let Some(val) = m.get(*k) {
                    write_canonical(val, out);
                }
            }
            out.push('}');
        }
        Json::Array(a) => {
            out.push('[');
            for (i, e) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(e, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"emr-serverless.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

    #[test]
    fn iam_url_encoded_trust_policy_equals_the_jsonencode_form() {
        // As GetRole returns AssumeRolePolicyDocument.
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22emr-serverless.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
        assert_eq!(decode_policy_text(encoded), TRUST);
        assert!(policies_equivalent(encoded, TRUST));
    }

    #[test]
    fn key_order_whitespace_and_single_values_do_not_matter() {
        let other = r#"{
          "Statement": {
            "Action": ["sts:AssumeRole"],
            "Principal": {"Service": ["emr-serverless.amazonaws.com"]},
            "Effect": "Allow"
          },
          "Version": "2012-10-17"
        }"#;
        assert!(policies_equivalent(TRUST, other));
    }

    #[test]
    fn action_case_and_order_and_statement_order_do_not_matter() {
        let a = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"},
            {"Sid":"","Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#;
        let b = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Deny","Action":"IAM:*","Resource":["*"]},
            {"Effect":"Allow","Action":["s3:listbucket","S3:GetObject"],"Resource":["*"]}]}"#;
        assert!(policies_equivalent(a, b));
    }

    #[test]
    fn principal_forms_compare_equal() {
        let star = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}]}"#;
        let aws_star = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:BatchGetImage"}]}"#;
        assert!(policies_equivalent(star, aws_star));
        let id = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}]}"#;
        let arn = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root"]},"Action":"sts:AssumeRole"}]}"#;
        assert!(policies_equivalent(id, arn));
    }

    #[test]
    fn missing_version_is_iams_default_not_2012() {
        let none = r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        let old = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        let new = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        assert!(policies_equivalent(none, old));
        assert!(!policies_equivalent(none, new));
    }

    #[test]
    fn condition_scalars_and_lists_compare_equal() {
        let a = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"emr-serverless.amazonaws.com"},"Bool":{"aws:SecureTransport":true}}}]}"#;
        let b = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":["true"]},"StringEquals":{"iam:PassedToService":["emr-serverless.amazonaws.com"]}}}]}"#;
        assert!(policies_equivalent(a, b));
    }

    #[test]
    fn real_differences_still_differ() {
        let a = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"}]}"#;
        let b = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::A/*"}]}"#;
        assert!(!policies_equivalent(a, b));
        assert!(!policies_equivalent(a, "{not json"));
    }

    #[test]
    fn state_keeps_the_users_text_when_equivalent() {
        let user = r#"{"Version": "2012-10-17", "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "emr-serverless.amazonaws.com"}}]}"#;
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22emr-serverless.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
        assert_eq!(policy_for_state(encoded, Some(user)), user);
        assert_eq!(policy_for_state(encoded, None), TRUST);
    }
}
