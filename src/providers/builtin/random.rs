//! `random_id`, `random_string` and `random_uuid`: values drawn once at create and kept in
//! state; every argument forces replacement (`keepers` is how a configuration asks for a new
//! value). Import ids are the value itself, as in the random provider.

use super::{with, LocalType};
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::planning::AttrSpec;
use crate::providers::{Ctx, ResourceProvider};
use async_trait::async_trait;
use base64::Engine as _;

/// Fills `buf` from the operating system's generator.
///
/// # Errors
/// When the generator is unavailable.
pub fn fill(ctx: &Ctx, buf: &mut [u8]) -> Result<(), ProviderError> {
    getrandom::fill(buf).map_err(|e| ctx.invalid(format!("no random numbers available: {e}")))
}

/// A uniform index below `n` (rejection sampling, no modulo bias).
fn below(ctx: &Ctx, n: usize) -> Result<usize, ProviderError> {
    let n = n as u64;
    let zone = u64::MAX - u64::MAX % n;
    loop {
        let mut b = [0u8; 8];
        fill(ctx, &mut b)?;
        let x = u64::from_be_bytes(b);
        if x < zone {
            return Ok((x % n) as usize);
        }
    }
}

/// The decimal form of a big-endian unsigned number.
pub fn decimal(bytes: &[u8]) -> String {
    let mut digits: Vec<u8> = vec![0];
    for &b in bytes {
        // digits = digits * 256 + b, little-endian base 10.
        let mut carry = u32::from(b);
        for d in digits.iter_mut() {
            let v = u32::from(*d) * 256 + carry;
            *d = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            digits.push((carry % 10) as u8);
            carry /= 10;
        }
    }
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

/// The computed attributes of a random_id for `bytes` and `prefix`.
pub fn id_values(bytes: &[u8], prefix: &str) -> [(&'static str, Value); 5] {
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let std = base64::engine::general_purpose::STANDARD.encode(bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    [
        ("b64_std", Value::from(format!("{prefix}{std}"))),
        ("b64_url", Value::from(format!("{prefix}{url}"))),
        ("dec", Value::from(format!("{prefix}{}", decimal(bytes)))),
        ("hex", Value::from(format!("{prefix}{hex}"))),
        ("id", Value::from(url)),
    ]
}

/// `random_id`.
pub struct RandomId;

const RANDOM_ID: &[AttrSpec] = &[
    AttrSpec::computed("b64_std"),
    AttrSpec::computed("b64_url"),
    AttrSpec::config("byte_length").force_new(),
    AttrSpec::computed("dec"),
    AttrSpec::computed("hex"),
    AttrSpec::computed("id"),
    AttrSpec::config("keepers").force_new(),
    AttrSpec::config("prefix").force_new(),
];

/// `result` and `id` both set to `s`.
fn with_result(v: Value, s: &str) -> Value {
    with(with(v, "result", Value::from(s)), "id", Value::from(s))
}

fn set_all(mut v: Value, pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    for (k, x) in pairs {
        v = with(v, k, x);
    }
    v
}

#[async_trait]
impl LocalType for RandomId {
    fn name(&self) -> &'static str {
        "random_id"
    }

    fn specs(&self) -> &'static [AttrSpec] {
        RANDOM_ID
    }

    async fn make(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let n = int_of(planned, "byte_length").unwrap_or(0);
        if !(1..=1024).contains(&n) {
            return Err(ctx.invalid(format!("byte_length {n} must be between 1 and 1024")));
        }
        let mut bytes = vec![0u8; n as usize];
        fill(ctx, &mut bytes)?;
        let prefix = str_of(planned, "prefix").unwrap_or_default().to_string();
        Ok(set_all(planned.clone(), id_values(&bytes, &prefix)))
    }

    fn import_id(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (prefix, b64) = match id.rsplit_once(',') {
            Some((p, b)) => (p, b),
            None => ("", id),
        };
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(b64)
            .map_err(|e| ctx.invalid(format!("import id {id:?} is not base64url: {e}")))?;
        if bytes.is_empty() {
            return Err(ctx.invalid(format!("import id {id:?} holds no bytes")));
        }
        let base = Value::Map(obj([
            ("byte_length", Value::from(bytes.len() as i64)),
            ("keepers", Value::Null),
            (
                "prefix",
                if prefix.is_empty() {
                    Value::Null
                } else {
                    Value::from(prefix)
                },
            ),
        ]));
        Ok(set_all(base, id_values(&bytes, prefix)))
    }
}

/// The default `special` characters of random_string.
pub const DEFAULT_SPECIAL: &str = "!@#$%&*()-_=+[]{}<>:?";

/// Draws a random_string for its planned arguments: the `min_*` counts first, the rest from
/// every enabled class, then shuffled.
///
/// # Errors
/// When the arguments allow no characters or ask for more than `length`.
pub fn random_string(ctx: &Ctx, planned: &Value) -> Result<String, ProviderError> {
    let length = int_of(planned, "length").unwrap_or(0).max(0) as usize;
    let flag = |k: &str| bool_of(planned, k).unwrap_or(true);
    let min = |k: &str| int_of(planned, k).unwrap_or(0).max(0) as usize;
    let special: String = str_of(planned, "override_special")
        .unwrap_or(DEFAULT_SPECIAL)
        .to_string();
    let numeric = flag("numeric") && bool_of(planned, "number").unwrap_or(true);
    let classes: Vec<(bool, String, usize)> = vec![
        (flag("lower"), ('a'..='z').collect(), min("min_lower")),
        (flag("upper"), ('A'..='Z').collect(), min("min_upper")),
        (numeric, ('0'..='9').collect(), min("min_numeric")),
        (flag("special"), special, min("min_special")),
    ];
    let required: usize = classes.iter().map(|c| c.2).sum();
    if required > length {
        return Err(ctx.invalid(format!(
            "the min_* counts ({required}) exceed length ({length})"
        )));
    }
    let mut out: Vec<char> = Vec::with_capacity(length);
    let mut all: Vec<char> = Vec::new();
    for (on, chars, n) in &classes {
        let chars: Vec<char> = chars.chars().collect();
        if *on {
            all.extend(chars.iter().copied());
        }
        if *n > 0 && chars.is_empty() {
            return Err(ctx.invalid("a min_* count asks for characters of an empty class"));
        }
        for _ in 0..*n {
            out.push(chars[below(ctx, chars.len())?]);
        }
    }
    if all.is_empty() && out.len() < length {
        return Err(ctx.invalid("lower, upper, numeric and special are all off"));
    }
    while out.len() < length {
        out.push(all[below(ctx, all.len())?]);
    }
    // Fisher–Yates.
    for i in (1..out.len()).rev() {
        let j = below(ctx, i + 1)?;
        out.swap(i, j);
    }
    Ok(out.into_iter().collect())
}

/// `random_string`.
pub struct RandomString;

const RANDOM_STRING: &[AttrSpec] = &[
    AttrSpec::computed("id"),
    AttrSpec::config("keepers").force_new(),
    AttrSpec::config("length").force_new(),
    AttrSpec::config("lower")
        .force_new()
        .default(|| Value::Bool(true)),
    AttrSpec::config("min_lower")
        .force_new()
        .default(|| Value::from(0i64)),
    AttrSpec::config("min_numeric")
        .force_new()
        .default(|| Value::from(0i64)),
    AttrSpec::config("min_special")
        .force_new()
        .default(|| Value::from(0i64)),
    AttrSpec::config("min_upper")
        .force_new()
        .default(|| Value::from(0i64)),
    AttrSpec::config("number")
        .force_new()
        .default(|| Value::Bool(true)),
    AttrSpec::config("numeric")
        .force_new()
        .default(|| Value::Bool(true)),
    AttrSpec::config("override_special").force_new(),
    AttrSpec::computed("result"),
    AttrSpec::config("special")
        .force_new()
        .default(|| Value::Bool(true)),
    AttrSpec::config("upper")
        .force_new()
        .default(|| Value::Bool(true)),
];

#[async_trait]
impl LocalType for RandomString {
    fn name(&self) -> &'static str {
        "random_string"
    }

    fn specs(&self) -> &'static [AttrSpec] {
        RANDOM_STRING
    }

    async fn make(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let s = random_string(ctx, planned)?;
        Ok(with_result(planned.clone(), &s))
    }

    fn import_id(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        if id.is_empty() {
            return Err(ctx.invalid("the import id of random_string is the string; it is empty"));
        }
        let planned = self
            .plan(
                None,
                &Value::map([("length", Value::from(id.chars().count() as i64))]),
            )
            .planned;
        Ok(with_result(planned, id))
    }
}

/// `random_uuid`.
pub struct RandomUuid;

const RANDOM_UUID: &[AttrSpec] = &[
    AttrSpec::computed("id"),
    AttrSpec::config("keepers").force_new(),
    AttrSpec::computed("result"),
];

#[async_trait]
impl LocalType for RandomUuid {
    fn name(&self) -> &'static str {
        "random_uuid"
    }

    fn specs(&self) -> &'static [AttrSpec] {
        RANDOM_UUID
    }

    async fn make(&self, _ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        Ok(with_result(
            planned.clone(),
            &uuid::Uuid::new_v4().to_string(),
        ))
    }

    fn import_id(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let u = uuid::Uuid::parse_str(id)
            .map_err(|e| ctx.invalid(format!("import id {id:?} is not a UUID: {e}")))?;
        Ok(with_result(
            Value::Map(obj([("keepers", Value::Null)])),
            &u.hyphenated().to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_of_big_numbers() {
        assert_eq!(decimal(&[0]), "0");
        assert_eq!(decimal(&[1, 0]), "256");
        assert_eq!(decimal(&[0xff; 8]), u64::MAX.to_string());
        assert_eq!(
            decimal(&[0x01, 0, 0, 0, 0, 0, 0, 0, 0]),
            "18446744073709551616"
        );
    }

    #[test]
    fn id_forms_agree() {
        let v = id_values(&[0xde, 0xad, 0xbe, 0xef], "p-");
        let get = |k: &str| v.iter().find(|(n, _)| *n == k).map(|(_, x)| x.clone());
        assert_eq!(get("hex"), Some(Value::from("p-deadbeef")));
        assert_eq!(get("dec"), Some(Value::from("p-3735928559")));
        assert_eq!(get("b64_url"), Some(Value::from("p-3q2-7w")));
        assert_eq!(get("b64_std"), Some(Value::from("p-3q2+7w==")));
        assert_eq!(get("id"), Some(Value::from("3q2-7w")));
    }

    #[tokio::test]
    async fn random_id_import_round_trips() {
        let p = RandomId;
        let ctx = Ctx::new("random_id.x");
        let v = p
            .import(&ctx, "app-,3q2-7w")
            .await
            .expect("import")
            .expect("some");
        assert_eq!(v.get("hex"), Some(&Value::from("app-deadbeef")));
        assert_eq!(v.get("byte_length"), Some(&Value::from(4i64)));
        let want = Value::map([
            ("byte_length", Value::from(4i64)),
            ("prefix", Value::from("app-")),
        ]);
        assert!(p.plan(Some(&v), &want).changed_paths.is_empty());
        assert_eq!(
            p.plan(Some(&v), &Value::map([("byte_length", Value::from(8i64))]))
                .requires_replace
                .len(),
            2
        );
        assert!(p.import(&ctx, "***").await.is_err());
    }

    #[test]
    fn random_strings_honour_classes_and_minimums() {
        let ctx = Ctx::new("random_string.s");
        for _ in 0..50 {
            let planned = RandomString
                .plan(
                    None,
                    &Value::map([
                        ("length", Value::from(12i64)),
                        ("special", Value::Bool(false)),
                        ("upper", Value::Bool(false)),
                        ("min_numeric", Value::from(3i64)),
                    ]),
                )
                .planned;
            let s = random_string(&ctx, &planned).expect("string");
            assert_eq!(s.chars().count(), 12);
            assert!(s
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
            assert!(s.chars().filter(char::is_ascii_digit).count() >= 3, "{s}");
        }
        let too_many = RandomString
            .plan(
                None,
                &Value::map([
                    ("length", Value::from(2i64)),
                    ("min_upper", Value::from(3i64)),
                ]),
            )
            .planned;
        assert!(random_string(&ctx, &too_many).is_err());
    }

    #[tokio::test]
    async fn uuid_and_string_imports() {
        let ctx = Ctx::new("random_uuid.u");
        let u = RandomUuid
            .import(&ctx, "6E8BC430-9C3A-11D9-9669-0800200C9A66")
            .await
            .expect("import")
            .expect("some");
        assert_eq!(
            u.get("result"),
            Some(&Value::from("6e8bc430-9c3a-11d9-9669-0800200c9a66"))
        );
        assert!(RandomUuid.import(&ctx, "nope").await.is_err());
        let s = RandomString
            .import(&ctx, "abc123")
            .await
            .expect("import")
            .expect("some");
        assert_eq!(s.get("length"), Some(&Value::from(6i64)));
        assert!(RandomString
            .plan(Some(&s), &Value::map([("length", Value::from(6i64))]))
            .changed_paths
            .is_empty());
    }
}
