//! Terraform's `backend "s3"`: the state is an S3 object, written only over the exact object
//! that was read (`If-Match` on its ETag, `If-None-Match: *` for the first write), so a lost
//! lock can never silently overwrite another run's state. Locking is a DynamoDB item
//! (`dynamodb_table`: a conditional put of `LockID = "<bucket>/<key>"` with the lock record in
//! `Info`) and/or an S3 lock object `<key>.tflock` written with `If-None-Match: *`
//! (`use_lockfile`), as Terraform does; with a table, the MD5 of every state written is kept
//! in the item `LockID = "<bucket>/<key>-md5"` and checked on read.

use super::{Backend, BackendError, LockId, LockInfo, Snapshot, Version};
use crate::state::model::State;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;
use md5::Digest as _;

/// Settings of a `backend "s3"` block (after workspace resolution: `key` is the full key).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct S3Settings {
    /// `bucket`.
    pub bucket: String,
    /// The object key of this workspace's state.
    pub key: String,
    /// `dynamodb_table`.
    pub dynamodb_table: Option<String>,
    /// `use_lockfile`.
    pub use_lockfile: bool,
    /// `encrypt`: server-side encryption (AES256, or aws:kms with `kms_key_id`).
    pub encrypt: bool,
    /// `kms_key_id`.
    pub kms_key_id: Option<String>,
}

/// The S3 backend.
pub struct S3Backend {
    s3: aws_sdk_s3::Client,
    dynamodb: aws_sdk_dynamodb::Client,
    settings: S3Settings,
}

fn io(action: &'static str, path: String, e: impl std::fmt::Display) -> BackendError {
    BackendError::Io {
        action,
        path,
        source: std::io::Error::other(e.to_string()),
    }
}

fn sdk_message<E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::fmt::Debug>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> String {
    match e.as_service_error() {
        Some(se) => format!(
            "{}: {}",
            se.code().unwrap_or("error"),
            se.message().unwrap_or("")
        ),
        None => format!("{e:?}"),
    }
}

fn status<E>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> Option<u16> {
    e.raw_response().map(|r| r.status().as_u16())
}

fn md5_hex(bytes: &[u8]) -> String {
    md5::Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl S3Backend {
    /// A backend over these clients.
    pub fn new(
        s3: aws_sdk_s3::Client,
        dynamodb: aws_sdk_dynamodb::Client,
        settings: S3Settings,
    ) -> S3Backend {
        S3Backend {
            s3,
            dynamodb,
            settings,
        }
    }

    /// The settings.
    pub fn settings(&self) -> &S3Settings {
        &self.settings
    }

    fn url(&self) -> String {
        format!("s3://{}/{}", self.settings.bucket, self.settings.key)
    }

    fn lock_key(&self) -> String {
        format!("{}.tflock", self.settings.key)
    }

    fn lock_id_item(&self) -> String {
        format!("{}/{}", self.settings.bucket, self.settings.key)
    }

    fn digest_item(&self) -> String {
        format!("{}/{}-md5", self.settings.bucket, self.settings.key)
    }

    /// The object's bytes and ETag; `None` when there is no object.
    async fn get(&self, key: &str) -> Result<Option<(Vec<u8>, String)>, BackendError> {
        let r = self
            .s3
            .get_object()
            .bucket(&self.settings.bucket)
            .key(key)
            .send()
            .await;
        match r {
            Ok(o) => {
                let etag = o.e_tag().unwrap_or_default().to_string();
                let bytes = o
                    .body
                    .collect()
                    .await
                    .map_err(|e| io("reading", self.url(), e))?
                    .into_bytes()
                    .to_vec();
                Ok(Some((bytes, etag)))
            }
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
            Err(e) if status(&e) == Some(404) => Ok(None),
            Err(e) => Err(io(
                "reading",
                format!("s3://{}/{key}", self.settings.bucket),
                sdk_message(&e),
            )),
        }
    }

    async fn stored_digest(&self) -> Result<Option<String>, BackendError> {
        let Some(table) = &self.settings.dynamodb_table else {
            return Ok(None);
        };
        let r = self
            .dynamodb
            .get_item()
            .table_name(table)
            .key("LockID", AttributeValue::S(self.digest_item()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| {
                io(
                    "reading the state digest from",
                    table.clone(),
                    sdk_message(&e),
                )
            })?;
        Ok(r.item()
            .and_then(|i| i.get("Digest"))
            .and_then(|d| d.as_s().ok())
            .cloned())
    }

    async fn put_digest(&self, digest: &str) -> Result<(), BackendError> {
        let Some(table) = &self.settings.dynamodb_table else {
            return Ok(());
        };
        self.dynamodb
            .put_item()
            .table_name(table)
            .item("LockID", AttributeValue::S(self.digest_item()))
            .item("Digest", AttributeValue::S(digest.to_string()))
            .send()
            .await
            .map_err(|e| {
                io(
                    "writing the state digest to",
                    table.clone(),
                    sdk_message(&e),
                )
            })?;
        Ok(())
    }

    async fn lock_table(&self, table: &str, info: &LockInfo) -> Result<(), BackendError> {
        let json = serde_json::to_string(info).map_err(|e| io("encoding", table.into(), e))?;
        let r = self
            .dynamodb
            .put_item()
            .table_name(table)
            .item("LockID", AttributeValue::S(self.lock_id_item()))
            .item("Info", AttributeValue::S(json))
            .condition_expression("attribute_not_exists(LockID)")
            .send()
            .await;
        match r {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                match self.table_lock_info(table).await? {
                    Some(held) => Err(BackendError::Locked(Box::new(held))),
                    None => Err(BackendError::LockUnreadable {
                        path: format!("{table} item {}", self.lock_id_item()),
                        reason: "the lock item has no readable Info".into(),
                    }),
                }
            }
            Err(e) => Err(io("locking with", table.into(), sdk_message(&e))),
        }
    }

    async fn table_lock_info(&self, table: &str) -> Result<Option<LockInfo>, BackendError> {
        let r = self
            .dynamodb
            .get_item()
            .table_name(table)
            .key("LockID", AttributeValue::S(self.lock_id_item()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| io("reading the lock in", table.into(), sdk_message(&e)))?;
        let Some(item) = r.item() else {
            return Ok(None);
        };
        let info = item
            .get("Info")
            .and_then(|i| i.as_s().ok())
            .ok_or_else(|| BackendError::LockUnreadable {
                path: format!("{table} item {}", self.lock_id_item()),
                reason: "no Info attribute".into(),
            })?;
        serde_json::from_str(info)
            .map(Some)
            .map_err(|e| BackendError::LockUnreadable {
                path: format!("{table} item {}", self.lock_id_item()),
                reason: e.to_string(),
            })
    }

    async fn lock_object(&self, info: &LockInfo) -> Result<(), BackendError> {
        let json = serde_json::to_vec(info).map_err(|e| io("encoding", self.lock_key(), e))?;
        let r = self
            .s3
            .put_object()
            .bucket(&self.settings.bucket)
            .key(self.lock_key())
            .if_none_match("*")
            .body(json.into())
            .send()
            .await;
        match r {
            Ok(_) => Ok(()),
            Err(e) if status(&e) == Some(412) || status(&e) == Some(409) => {
                match self.object_lock_info().await? {
                    Some(held) => Err(BackendError::Locked(Box::new(held))),
                    None => Err(BackendError::LockUnreadable {
                        path: format!("s3://{}/{}", self.settings.bucket, self.lock_key()),
                        reason: "the lock object vanished while being read".into(),
                    }),
                }
            }
            Err(e) => Err(io("locking with", self.lock_key(), sdk_message(&e))),
        }
    }

    async fn object_lock_info(&self) -> Result<Option<LockInfo>, BackendError> {
        let Some((bytes, _)) = self.get(&self.lock_key()).await? else {
            return Ok(None);
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| BackendError::LockUnreadable {
                path: format!("s3://{}/{}", self.settings.bucket, self.lock_key()),
                reason: e.to_string(),
            })
    }

    async fn remove_locks(&self) -> Result<(), BackendError> {
        if let Some(table) = &self.settings.dynamodb_table {
            self.dynamodb
                .delete_item()
                .table_name(table)
                .key("LockID", AttributeValue::S(self.lock_id_item()))
                .send()
                .await
                .map_err(|e| io("unlocking", table.clone(), sdk_message(&e)))?;
        }
        if self.settings.use_lockfile {
            self.s3
                .delete_object()
                .bucket(&self.settings.bucket)
                .key(self.lock_key())
                .send()
                .await
                .map_err(|e| io("unlocking", self.lock_key(), sdk_message(&e)))?;
        }
        Ok(())
    }

    /// Workspaces with a state in this bucket: `default` when `key` exists, and every
    /// `<prefix>/<name>/<key>`.
    ///
    /// # Errors
    /// S3 failures.
    pub async fn workspaces(
        &self,
        base_key: &str,
        prefix: &str,
    ) -> Result<Vec<String>, BackendError> {
        let mut out = Vec::new();
        if self.get(base_key).await?.is_some() {
            out.push("default".to_string());
        }
        let mut token = None;
        loop {
            let r = self
                .s3
                .list_objects_v2()
                .bucket(&self.settings.bucket)
                .prefix(format!("{prefix}/"))
                .set_continuation_token(token)
                .send()
                .await
                .map_err(|e| io("listing", self.settings.bucket.clone(), sdk_message(&e)))?;
            for o in r.contents() {
                let k = o.key().unwrap_or_default();
                if let Some(rest) = k.strip_prefix(&format!("{prefix}/")) {
                    if let Some(ws) = rest.strip_suffix(&format!("/{base_key}")) {
                        if !ws.contains('/') {
                            out.push(ws.to_string());
                        }
                    }
                }
            }
            match r.next_continuation_token() {
                Some(t) => token = Some(t.to_string()),
                None => break,
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Deletes this workspace's state object (and its digest).
    ///
    /// # Errors
    /// S3 or DynamoDB failures.
    async fn delete_state(&self) -> Result<(), BackendError> {
        self.s3
            .delete_object()
            .bucket(&self.settings.bucket)
            .key(&self.settings.key)
            .send()
            .await
            .map_err(|e| io("deleting", self.url(), sdk_message(&e)))?;
        if let Some(table) = &self.settings.dynamodb_table {
            self.dynamodb
                .delete_item()
                .table_name(table)
                .key("LockID", AttributeValue::S(self.digest_item()))
                .send()
                .await
                .map_err(|e| io("deleting the digest in", table.clone(), sdk_message(&e)))?;
        }
        Ok(())
    }
}

#[async_trait]
impl Backend for S3Backend {
    fn describe(&self) -> String {
        self.url()
    }

    async fn delete(&self) -> Result<(), BackendError> {
        self.delete_state().await
    }

    async fn read(&self) -> Result<Snapshot, BackendError> {
        let Some((bytes, etag)) = self.get(&self.settings.key).await? else {
            return Ok(Snapshot::absent());
        };
        if let Some(want) = self.stored_digest().await? {
            let have = md5_hex(&bytes);
            if !want.is_empty() && want != have {
                return Err(io(
                    "checking",
                    self.url(),
                    format!(
                        "the state's MD5 is {have} but the lock table records {want}: the object is not the state the last writer wrote (a write in flight, or one that went around the lock). Run again in a moment; if it persists, inspect the object and the table item {}.",
                        self.digest_item()
                    ),
                ));
            }
        }
        let mut snap = Snapshot::from_bytes(&bytes, &self.url())?;
        snap.version = Version::Token(etag);
        Ok(snap)
    }

    async fn write(&self, state: &State, expect: &Version) -> Result<Version, BackendError> {
        let current = match self.get(&self.settings.key).await? {
            None => Snapshot::absent(),
            Some((bytes, etag)) => {
                let mut s = Snapshot::from_bytes(&bytes, &self.url())?;
                s.version = Version::Token(etag);
                s
            }
        };
        if &current.version != expect {
            return Err(BackendError::Stale {
                expected: expect.clone(),
                found: current.version,
            });
        }
        current.check_successor(state)?;
        let bytes = state.to_vec();
        let mut put = self
            .s3
            .put_object()
            .bucket(&self.settings.bucket)
            .key(&self.settings.key)
            .content_type("application/json");
        put = match expect {
            Version::Absent => put.if_none_match("*"),
            Version::Token(etag) => put.if_match(etag),
        };
        if self.settings.encrypt {
            put = match &self.settings.kms_key_id {
                Some(k) => put
                    .server_side_encryption(aws_sdk_s3::types::ServerSideEncryption::AwsKms)
                    .ssekms_key_id(k),
                None => put.server_side_encryption(aws_sdk_s3::types::ServerSideEncryption::Aes256),
            };
        }
        let r = put.body(bytes.clone().into()).send().await;
        let etag = match r {
            Ok(o) => o.e_tag().unwrap_or_default().to_string(),
            Err(e) if matches!(status(&e), Some(412) | Some(409) | Some(404)) => {
                let found = match self.get(&self.settings.key).await? {
                    Some((_, etag)) => Version::Token(etag),
                    None => Version::Absent,
                };
                return Err(BackendError::Stale {
                    expected: expect.clone(),
                    found,
                });
            }
            Err(e) => return Err(io("writing", self.url(), sdk_message(&e))),
        };
        self.put_digest(&md5_hex(&bytes)).await?;
        Ok(Version::Token(etag))
    }

    async fn lock(&self, mut info: LockInfo) -> Result<LockId, BackendError> {
        if info.path.is_empty() {
            info.path = self.url();
        }
        if self.settings.use_lockfile {
            self.lock_object(&info).await?;
        }
        if let Some(table) = &self.settings.dynamodb_table {
            if let Err(e) = self.lock_table(table, &info).await {
                if self.settings.use_lockfile {
                    let _ = self
                        .s3
                        .delete_object()
                        .bucket(&self.settings.bucket)
                        .key(self.lock_key())
                        .send()
                        .await;
                }
                return Err(e);
            }
        }
        Ok(LockId(info.id))
    }

    async fn unlock(&self, id: &LockId) -> Result<(), BackendError> {
        let Some(held) = self.lock_info().await? else {
            return Err(BackendError::NotLocked);
        };
        if held.id != id.0 {
            return Err(BackendError::LockIdMismatch {
                held: Box::new(held),
                given: id.0.clone(),
            });
        }
        self.remove_locks().await
    }

    async fn lock_info(&self) -> Result<Option<LockInfo>, BackendError> {
        if let Some(table) = &self.settings.dynamodb_table {
            if let Some(i) = self.table_lock_info(table).await? {
                return Ok(Some(i));
            }
        }
        if self.settings.use_lockfile {
            return self.object_lock_info().await;
        }
        Ok(None)
    }
}
