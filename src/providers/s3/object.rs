//! `aws_s3_object`. Id = key; import id `bucket/key` or `s3://bucket/key`. The body comes from
//! `content`, `content_base64` or the file `source` (read at create/update). A change of the
//! body or of its headers (`etag`, `source_hash`, `content_type`, `metadata`, encryption,
//! storage class, ...) is an update in place: PutObject again, with a new `version_id` (and
//! `etag` unless configured). Only tags changing is PutObjectTagging. `bucket` and `key` force
//! replacement. Delete removes every version of the key on a versioned bucket.

use super::api::{ObjectHead, PutObject};
use super::{check_region, plan_region, S3};
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::normalize::{merge_tags, tags_from_live};
use crate::providers::planning::{diff, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use base64::Engine as _;
use std::collections::BTreeMap;

fn no() -> Value {
    Value::Bool(false)
}

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("checksum_crc32"),
    AttrSpec::computed("checksum_crc32c"),
    AttrSpec::computed("checksum_crc64nvme"),
    AttrSpec::computed("checksum_sha1"),
    AttrSpec::computed("checksum_sha256"),
    AttrSpec::computed("id"),
    AttrSpec::computed("version_id"),
    AttrSpec::config("bucket").force_new(),
    AttrSpec::config("key").force_new(),
    AttrSpec::optional_computed("region").force_new(),
    AttrSpec::optional_computed("acl"),
    AttrSpec::optional_computed("bucket_key_enabled"),
    AttrSpec::optional_computed("content_type"),
    AttrSpec::optional_computed("etag"),
    AttrSpec::optional_computed("kms_key_id"),
    AttrSpec::optional_computed("server_side_encryption"),
    AttrSpec::optional_computed("storage_class"),
    AttrSpec::config("cache_control"),
    AttrSpec::config("checksum_algorithm"),
    AttrSpec::config("content"),
    AttrSpec::config("content_base64"),
    AttrSpec::config("content_disposition"),
    AttrSpec::config("content_encoding"),
    AttrSpec::config("content_language"),
    AttrSpec::config("force_destroy").default(no),
    AttrSpec::config("metadata"),
    AttrSpec::config("object_lock_legal_hold_status"),
    AttrSpec::config("object_lock_mode"),
    AttrSpec::config("object_lock_retain_until_date"),
    AttrSpec::config("override_provider").block(),
    AttrSpec::config("source"),
    AttrSpec::config("source_hash"),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
    AttrSpec::config("website_redirect"),
];

/// Attributes whose change means writing the object again (PutObject).
const CONTENT_ATTRS: &[&str] = &[
    "acl",
    "bucket_key_enabled",
    "cache_control",
    "checksum_algorithm",
    "content",
    "content_base64",
    "content_disposition",
    "content_encoding",
    "content_language",
    "content_type",
    "etag",
    "kms_key_id",
    "metadata",
    "object_lock_legal_hold_status",
    "object_lock_mode",
    "object_lock_retain_until_date",
    "server_side_encryption",
    "source",
    "source_hash",
    "storage_class",
    "website_redirect",
];

/// Computed from the body: unknown again when the object is written again.
const BODY_COMPUTED: &[&str] = &[
    "checksum_crc32",
    "checksum_crc32c",
    "checksum_crc64nvme",
    "checksum_sha1",
    "checksum_sha256",
    "version_id",
];

/// The object resource.
pub struct ObjectResource(pub S3);

/// `bucket/key` or `s3://bucket/key`.
pub fn parse_object_id(ctx: &Ctx, id: &str) -> Result<(String, String), ProviderError> {
    let rest = id.strip_prefix("s3://").unwrap_or(id);
    match rest.split_once('/') {
        Some((b, k)) if !b.is_empty() && !k.is_empty() => Ok((b.to_string(), k.to_string())),
        _ => Err(ctx.invalid(format!(
            "import id {id:?}: expected BUCKET/KEY or s3://BUCKET/KEY"
        ))),
    }
}

fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out = m.clone();
    // S3 keeps user metadata keys in lower case.
    if let Some(Value::Map(md)) = m.get("metadata") {
        out.insert(
            "metadata".into(),
            Value::Map(
                md.iter()
                    .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                    .collect(),
            ),
        );
    }
    Value::Map(out)
}

/// The body attributes a state may lack (an imported object: S3 does not say where its body
/// came from).
const BODY_ATTRS: &[&str] = &["content", "content_base64", "source", "source_hash"];

fn body_unknown(prior: &Value) -> bool {
    ["content", "content_base64", "source"]
        .iter()
        .all(|k| is_empty(prior.get(k)))
}

fn md5_hex(bytes: &[u8]) -> String {
    use md5::Digest as _;
    md5::Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// True when the configured body is the one S3 holds: the MD5 of `content` /
/// `content_base64`, or the configured `etag` (`filemd5(source)`), equals the live ETag.
fn body_matches(prior: &Value, desired: &Value) -> bool {
    let Some(live) = str_of(prior, "etag") else {
        return false;
    };
    let want = if let Some(Value::String(c)) = desired.get("content") {
        Some(md5_hex(c.as_bytes()))
    } else if let Some(b) = str_of(desired, "content_base64") {
        base64::engine::general_purpose::STANDARD
            .decode(b.trim())
            .ok()
            .map(|bytes| md5_hex(&bytes))
    } else if str_of(desired, "source").is_some() {
        str_of(desired, "etag").map(str::to_string)
    } else {
        None
    };
    want.as_deref() == Some(live)
}

/// The prior object with the configured body attributes: an imported object whose body is
/// the configured one plans no rewrite.
fn adopt_body(prior: &Value, desired: &Value) -> Value {
    let mut out = prior.clone();
    if let Value::Map(m) = &mut out {
        for k in BODY_ATTRS {
            m.insert(
                k.to_string(),
                desired.get(k).cloned().unwrap_or(Value::Null),
            );
        }
    }
    out
}

impl ObjectResource {
    /// `default_tags`, unless `override_provider { default_tags { tags } }` replaces them.
    fn default_tags(&self, v: &Value) -> BTreeMap<String, String> {
        match block(v, "override_provider").and_then(|o| block(o, "default_tags")) {
            Some(d) => string_map(d, "tags"),
            None => self.0.default_tags.clone(),
        }
    }

    fn body(&self, ctx: &Ctx, planned: &Value) -> Result<Vec<u8>, ProviderError> {
        if let Some(Value::String(c)) = planned.get("content") {
            return Ok(c.as_bytes().to_vec());
        }
        if let Some(b) = str_of(planned, "content_base64") {
            return base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .map_err(|e| ctx.invalid(format!("content_base64 is not valid base64: {e}")));
        }
        if let Some(path) = str_of(planned, "source") {
            return std::fs::read(path)
                .map_err(|e| ctx.invalid(format!("cannot read source {path:?}: {e}")));
        }
        Ok(Vec::new())
    }

    async fn fetch(
        &self,
        ctx: &Ctx,
        bucket: &str,
        key: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let api = &self.0.api;
        let Some(h) = api
            .head_object(bucket, key)
            .await
            .map_err(|e| ctx.api("HeadObject", e))?
        else {
            return Ok(None);
        };
        let tags = api
            .get_object_tags(bucket, key)
            .await
            .map_err(|e| ctx.api("GetObjectTagging", e))?;
        Ok(Some(self.to_value(bucket, key, &h, &tags, prior)))
    }

    fn to_value(
        &self,
        bucket: &str,
        key: &str,
        h: &ObjectHead,
        tags: &BTreeMap<String, String>,
        prior: Option<&Value>,
    ) -> Value {
        let keep = |k: &str| {
            prior
                .and_then(|p| p.get(k))
                .cloned()
                .map(known)
                .unwrap_or(Value::Null)
        };
        let defaults = prior
            .map(|p| self.default_tags(p))
            .unwrap_or_else(|| self.0.default_tags.clone());
        let prior_tags = prior.map(|p| string_map(p, "tags")).unwrap_or_default();
        let own = tags_from_live(tags, &defaults, &prior_tags);
        let prior_null = prior
            .map(|p| p.get("tags").map(Value::is_null).unwrap_or(true))
            .unwrap_or(true);
        let kms = h
            .server_side_encryption
            .as_deref()
            .is_some_and(|s| s.starts_with("aws:kms"));
        let checksum = |n: &str| opt_str(h.checksums.get(n).cloned());
        Value::Map(obj([
            ("acl", keep("acl")),
            (
                "arn",
                Value::from(format!(
                    "{}/{key}",
                    super::bucket_arn(bucket, &self.0.region)
                )),
            ),
            ("bucket", Value::from(bucket)),
            (
                "bucket_key_enabled",
                Value::Bool(h.bucket_key_enabled.unwrap_or(false)),
            ),
            ("cache_control", opt_str(h.cache_control.clone())),
            ("checksum_algorithm", keep("checksum_algorithm")),
            ("checksum_crc32", checksum("crc32")),
            ("checksum_crc32c", checksum("crc32c")),
            ("checksum_crc64nvme", checksum("crc64nvme")),
            ("checksum_sha1", checksum("sha1")),
            ("checksum_sha256", checksum("sha256")),
            ("content", keep("content")),
            ("content_base64", keep("content_base64")),
            (
                "content_disposition",
                opt_str(h.content_disposition.clone()),
            ),
            ("content_encoding", opt_str(h.content_encoding.clone())),
            ("content_language", opt_str(h.content_language.clone())),
            ("content_type", opt_str(h.content_type.clone())),
            ("etag", Value::from(h.etag.as_str())),
            (
                "force_destroy",
                match keep("force_destroy") {
                    Value::Null => Value::Bool(false),
                    v => v,
                },
            ),
            ("id", Value::from(key)),
            ("key", Value::from(key)),
            (
                "kms_key_id",
                if kms {
                    opt_str(h.kms_key_id.clone())
                } else {
                    Value::Null
                },
            ),
            (
                "metadata",
                if h.metadata.is_empty() {
                    Value::Null
                } else {
                    string_map_value(&h.metadata)
                },
            ),
            (
                "object_lock_legal_hold_status",
                opt_str(h.object_lock_legal_hold_status.clone()),
            ),
            ("object_lock_mode", opt_str(h.object_lock_mode.clone())),
            (
                "object_lock_retain_until_date",
                opt_str(h.object_lock_retain_until_date.clone()),
            ),
            (
                "override_provider",
                match keep("override_provider") {
                    Value::Null => Value::List(vec![]),
                    v => v,
                },
            ),
            ("region", Value::from(self.0.region.as_str())),
            (
                "server_side_encryption",
                opt_str(h.server_side_encryption.clone()),
            ),
            ("source", keep("source")),
            ("source_hash", keep("source_hash")),
            (
                "storage_class",
                Value::from(h.storage_class.clone().unwrap_or_else(|| "STANDARD".into())),
            ),
            (
                "tags",
                if own.is_empty() && prior_null {
                    Value::Null
                } else {
                    string_map_value(&own)
                },
            ),
            ("tags_all", string_map_value(tags)),
            (
                "version_id",
                Value::from(h.version_id.clone().unwrap_or_default()),
            ),
            ("website_redirect", opt_str(h.website_redirect.clone())),
        ]))
    }

    async fn put(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        check_region(ctx, planned, &self.0.region)?;
        let bucket = str_of(planned, "bucket").ok_or_else(|| ctx.invalid("bucket is required"))?;
        let key = str_of(planned, "key").ok_or_else(|| ctx.invalid("key is required"))?;
        let s = |k: &str| str_of(planned, k).map(str::to_string);
        let o = PutObject {
            bucket: bucket.to_string(),
            key: key.to_string(),
            body: self.body(ctx, planned)?,
            acl: s("acl"),
            content_type: s("content_type"),
            cache_control: s("cache_control"),
            content_disposition: s("content_disposition"),
            content_encoding: s("content_encoding"),
            content_language: s("content_language"),
            metadata: string_map(planned, "metadata"),
            server_side_encryption: s("server_side_encryption"),
            kms_key_id: s("kms_key_id"),
            bucket_key_enabled: bool_of(planned, "bucket_key_enabled"),
            storage_class: s("storage_class"),
            website_redirect: s("website_redirect"),
            tags: merge_tags(&self.default_tags(planned), &string_map(planned, "tags")),
            checksum_algorithm: s("checksum_algorithm"),
            object_lock_legal_hold_status: s("object_lock_legal_hold_status"),
            object_lock_mode: s("object_lock_mode"),
            object_lock_retain_until_date: s("object_lock_retain_until_date"),
        };
        self.0
            .api
            .put_object(&o)
            .await
            .map_err(|e| ctx.api("PutObject", e))?;
        self.fetch(ctx, bucket, key, Some(planned))
            .await?
            .ok_or_else(|| {
                ctx.invalid(format!(
                    "object s3://{bucket}/{key} not found after PutObject"
                ))
            })
    }
}

#[async_trait]
impl ResourceProvider for ObjectResource {
    fn type_name(&self) -> &'static str {
        "aws_s3_object"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let adopted;
        let prior = match prior {
            Some(p) if body_unknown(p) && body_matches(p, desired) => {
                adopted = adopt_body(p, desired);
                Some(&adopted)
            }
            other => other,
        };
        let mut d = diff(
            SPECS,
            prior,
            desired,
            &self.default_tags(desired),
            &normalize,
        );
        plan_region(&mut d.planned, &self.0.region);
        let rewrite: Vec<String> = CONTENT_ATTRS
            .iter()
            .filter(|a| d.has(a))
            .map(|a| a.to_string())
            .collect();
        if let Value::Map(m) = &mut d.planned {
            if let Some(k) = str_of(desired, "key") {
                m.insert("id".into(), Value::from(k));
            }
            if prior.is_some() && !rewrite.is_empty() {
                for a in BODY_COMPUTED {
                    m.insert(a.to_string(), Value::Unknown);
                }
                if str_of(desired, "etag").is_none() {
                    m.insert("etag".into(), Value::Unknown);
                }
            }
        }
        let ops = match prior {
            None => vec![ApiOp::call("PutObject")],
            Some(_) if !d.replace.is_empty() => {
                vec![ApiOp::call("DeleteObject"), ApiOp::call("PutObject")]
            }
            Some(_) if !rewrite.is_empty() => vec![ApiOp::with_fields("PutObject", rewrite)],
            Some(_) if d.has("tags") || d.has("tags_all") => {
                vec![ApiOp::with_fields("PutObjectTagging", ["tags".to_string()])]
            }
            Some(_) => vec![],
        };
        PlannedChange {
            changed_paths: d.changed_paths(),
            requires_replace: d.replace_paths(),
            planned: d.planned,
            api_ops: ops,
        }
    }

    async fn read(&self, ctx: &Ctx, prior: &Value) -> Result<Option<Value>, ProviderError> {
        let bucket =
            str_of(prior, "bucket").ok_or_else(|| ctx.invalid("no bucket in prior state"))?;
        let key = str_of(prior, "key")
            .or_else(|| str_of(prior, "id"))
            .ok_or_else(|| ctx.invalid("no key in prior state"))?;
        self.fetch(ctx, bucket, key, Some(prior)).await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.put(ctx, planned).await
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let p = self.plan(Some(prior), planned);
        let rewrite = p.api_ops.iter().any(|o| o.operation == "PutObject");
        if rewrite {
            return self.put(ctx, planned).await;
        }
        let bucket = str_of(planned, "bucket").ok_or_else(|| ctx.invalid("bucket is required"))?;
        let key = str_of(planned, "key").ok_or_else(|| ctx.invalid("key is required"))?;
        let want = merge_tags(&self.default_tags(planned), &string_map(planned, "tags"));
        if want != string_map(prior, "tags_all") {
            self.0
                .api
                .put_object_tags(bucket, key, &want)
                .await
                .map_err(|e| ctx.api("PutObjectTagging", e))?;
        }
        self.fetch(ctx, bucket, key, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("object s3://{bucket}/{key} no longer exists")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let bucket =
            str_of(prior, "bucket").ok_or_else(|| ctx.invalid("no bucket in prior state"))?;
        let key = str_of(prior, "key")
            .or_else(|| str_of(prior, "id"))
            .ok_or_else(|| ctx.invalid("no key in prior state"))?;
        let force = bool_of(prior, "force_destroy").unwrap_or(false);
        let api = &self.0.api;
        if str_of(prior, "version_id").is_none() {
            return api
                .delete_object(bucket, key, None, force)
                .await
                .map_err(|e| ctx.api("DeleteObject", e));
        }
        // A versioned bucket: every version and delete marker of exactly this key.
        let versions = match api.list_object_versions(bucket, Some(key)).await {
            Ok(v) => v,
            Err(e) if e.is_not_found() => return Ok(()),
            Err(e) => return Err(ctx.api("ListObjectVersions", e)),
        };
        for v in versions.into_iter().filter(|v| v.key == key) {
            api.delete_object(bucket, key, v.version_id.as_deref(), force)
                .await
                .map_err(|e| ctx.api("DeleteObject", e))?;
        }
        Ok(())
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        match (str_of(planned, "bucket"), str_of(planned, "key")) {
            (Some(b), Some(k)) => Ok(Some(
                self.fetch(ctx, b, k, Some(planned))
                    .await?
                    .into_iter()
                    .collect(),
            )),
            _ => Ok(None),
        }
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        let (bucket, key) = parse_object_id(ctx, id)?;
        self.fetch(ctx, &bucket, &key, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prior() -> Value {
        Value::map([
            ("id", Value::from("jobs/a.py")),
            ("bucket", Value::from("b")),
            ("key", Value::from("jobs/a.py")),
            ("content", Value::from("print(1)")),
            ("etag", Value::from("0123")),
            ("version_id", Value::from("v1")),
            ("content_type", Value::from("text/x-python")),
            ("metadata", Value::map([("owner", Value::from("data"))])),
            ("region", Value::from("eu-west-1")),
            ("force_destroy", Value::Bool(false)),
            ("tags_all", Value::map([("team", Value::from("data"))])),
        ])
    }

    #[test]
    fn content_changes_rewrite_the_object_in_place() {
        let r = ObjectResource(super::super::testing::s3());
        let same = Value::map([
            ("bucket", Value::from("b")),
            ("key", Value::from("jobs/a.py")),
            ("content", Value::from("print(1)")),
            ("metadata", Value::map([("Owner", Value::from("data"))])),
        ]);
        let p = r.plan(Some(&prior()), &same);
        assert!(p.changed_paths.is_empty(), "{:?}", p.changed_paths);
        let changed = Value::map([
            ("bucket", Value::from("b")),
            ("key", Value::from("jobs/a.py")),
            ("content", Value::from("print(2)")),
        ]);
        let p = r.plan(Some(&prior()), &changed);
        assert!(p.requires_replace.is_empty());
        assert_eq!(
            p.api_ops,
            vec![ApiOp::with_fields(
                "PutObject",
                ["content".to_string(), "metadata".to_string()]
            )]
        );
        assert_eq!(p.planned.get("version_id"), Some(&Value::Unknown));
        assert_eq!(p.planned.get("etag"), Some(&Value::Unknown));
        let moved = Value::map([
            ("bucket", Value::from("b")),
            ("key", Value::from("jobs/b.py")),
            ("content", Value::from("print(1)")),
        ]);
        assert_eq!(r.plan(Some(&prior()), &moved).requires_replace.len(), 1);
    }

    #[test]
    fn tags_alone_are_put_object_tagging_and_override_provider_drops_defaults() {
        let r = ObjectResource(super::super::testing::s3());
        let tagged = Value::map([
            ("bucket", Value::from("b")),
            ("key", Value::from("jobs/a.py")),
            ("content", Value::from("print(1)")),
            ("metadata", Value::map([("owner", Value::from("data"))])),
            ("tags", Value::map([("env", Value::from("dev"))])),
        ]);
        let p = r.plan(Some(&prior()), &tagged);
        assert_eq!(
            p.api_ops,
            vec![ApiOp::with_fields("PutObjectTagging", ["tags".to_string()])]
        );
        assert_eq!(p.planned.get("version_id"), Some(&Value::from("v1")));
        let overridden = Value::map([
            ("bucket", Value::from("b")),
            ("key", Value::from("k")),
            (
                "override_provider",
                Value::List(vec![Value::map([(
                    "default_tags",
                    Value::List(vec![Value::map([("tags", Value::map::<&str>([]))])]),
                )])]),
            ),
        ]);
        let p = r.plan(None, &overridden);
        assert_eq!(p.planned.get("tags_all"), Some(&Value::map::<&str>([])));
    }

    #[test]
    fn an_imported_object_with_the_configured_body_plans_no_rewrite() {
        let r = ObjectResource(super::super::testing::s3());
        let mut imported = prior();
        if let Value::Map(m) = &mut imported {
            m.remove("content");
            m.insert("etag".into(), Value::from(md5_hex(b"print(1)")));
        }
        let want = Value::map([
            ("bucket", Value::from("b")),
            ("key", Value::from("jobs/a.py")),
            ("content", Value::from("print(1)")),
            ("metadata", Value::map([("owner", Value::from("data"))])),
        ]);
        let p = r.plan(Some(&imported), &want);
        assert!(p.changed_paths.is_empty(), "{:?}", p.changed_paths);
        let other = with_content(&want, "print(2)");
        assert!(!r.plan(Some(&imported), &other).api_ops.is_empty());
    }

    fn with_content(v: &Value, c: &str) -> Value {
        let mut v = v.clone();
        if let Value::Map(m) = &mut v {
            m.insert("content".into(), Value::from(c));
        }
        v
    }

    #[test]
    fn import_ids_name_bucket_and_key() {
        let ctx = Ctx::new("aws_s3_object.o");
        assert_eq!(
            parse_object_id(&ctx, "b/jobs/a.py").ok(),
            Some(("b".to_string(), "jobs/a.py".to_string()))
        );
        assert_eq!(
            parse_object_id(&ctx, "s3://b/k").ok(),
            Some(("b".to_string(), "k".to_string()))
        );
        assert!(parse_object_id(&ctx, "b").is_err());
    }
}
