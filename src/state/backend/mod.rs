//! Backends: where a state lives and how it is locked.
//!
//! This module owns the small [`Backend`] trait (read a [`Snapshot`], write against an
//! expected [`Version`], lock, unlock), the [`LockInfo`] record, the lock retry helper, and the
//! implementations: [`local::LocalBackend`] (Terraform's `terraform.tfstate` file) and
//! [`memory::MemoryBackend`]; an S3 backend implements the same trait. [`conformance`] holds the
//! checks every backend must pass. Backends store and guard bytes; they must not change a
//! state's content (no serial bumps, no resource edits) and must never replace a stored state
//! they cannot parse.

pub mod conformance;
pub mod local;
pub mod memory;
pub mod s3;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::model::{State, StateFormatError};

/// Identifies the stored bytes a [`Snapshot`] was read from, so a later write can be refused
/// when someone else wrote in between. Opaque: compare for equality only.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Version {
    /// Nothing is stored.
    Absent,
    /// A token for the stored content (a content hash, an ETag, an object version id).
    Token(String),
}

impl Version {
    /// The content-hash version of some stored bytes (SHA-256, hex).
    pub fn of_bytes(bytes: &[u8]) -> Version {
        let digest = sha2::Sha256::digest(bytes);
        let mut s = String::with_capacity(64);
        for b in digest.iter() {
            s.push_str(&format!("{b:02x}"));
        }
        Version::Token(s)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Absent => f.write_str("(no state)"),
            Version::Token(t) => f.write_str(t),
        }
    }
}

/// What a backend holds right now.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The state, `None` when nothing is stored yet.
    pub state: Option<State>,
    /// The stored serial (0 when nothing is stored).
    pub serial: u64,
    /// The stored lineage, `None` when nothing is stored.
    pub lineage: Option<String>,
    /// Pass this to [`Backend::write`] to write over exactly what was read.
    pub version: Version,
}

impl Snapshot {
    /// The snapshot of nothing.
    pub fn absent() -> Snapshot {
        Snapshot {
            state: None,
            serial: 0,
            lineage: None,
            version: Version::Absent,
        }
    }

    /// Builds a snapshot from stored bytes: empty bytes count as no state, as in Terraform.
    ///
    /// # Errors
    ///
    /// [`BackendError::Format`] when the bytes are not a state emrform reads.
    pub fn from_bytes(bytes: &[u8], source_name: &str) -> Result<Snapshot, BackendError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Snapshot {
                version: Version::of_bytes(bytes),
                ..Snapshot::absent()
            });
        }
        let state = State::from_slice(bytes, source_name)?;
        Ok(Snapshot {
            serial: state.serial,
            lineage: Some(state.lineage.clone()),
            state: Some(state),
            version: Version::of_bytes(bytes),
        })
    }

    /// Checks that `next` may replace what this snapshot holds: same lineage and a larger
    /// serial. Every backend calls this before writing.
    ///
    /// # Errors
    ///
    /// [`BackendError::LineageMismatch`] or [`BackendError::SerialNotIncreased`].
    pub fn check_successor(&self, next: &State) -> Result<(), BackendError> {
        let Some(cur) = &self.state else {
            return Ok(());
        };
        if cur.lineage != next.lineage {
            return Err(BackendError::LineageMismatch {
                stored: cur.lineage.clone(),
                given: next.lineage.clone(),
            });
        }
        if next.serial <= cur.serial {
            return Err(BackendError::SerialNotIncreased {
                stored: cur.serial,
                given: next.serial,
            });
        }
        Ok(())
    }
}

/// The identifier returned by [`Backend::lock`]; needed to unlock.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LockId(pub String);

impl fmt::Display for LockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who holds a lock and why; the JSON Terraform writes into its lock files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockInfo {
    /// Unique id of this lock (UUID v4); `force-unlock` takes it.
    #[serde(rename = "ID")]
    pub id: String,
    /// What the holder is doing, e.g. `OperationTypeApply`.
    #[serde(rename = "Operation")]
    pub operation: String,
    /// Free text.
    #[serde(rename = "Info", default)]
    pub info: String,
    /// `user@host` of the holder.
    #[serde(rename = "Who")]
    pub who: String,
    /// Version of the tool that took the lock.
    #[serde(rename = "Version")]
    pub version: String,
    /// When the lock was taken, RFC 3339 with nanoseconds, UTC.
    #[serde(rename = "Created")]
    pub created: String,
    /// The state's path or key.
    #[serde(rename = "Path", default)]
    pub path: String,
}

impl LockInfo {
    /// A new lock record for `operation` (e.g. `OperationTypePlan`), with a fresh id, the
    /// current user and host, and the current time. The backend fills in `path`.
    pub fn new(operation: &str) -> LockInfo {
        LockInfo {
            id: uuid::Uuid::new_v4().to_string(),
            operation: operation.to_string(),
            info: String::new(),
            who: who(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            created: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
            path: String::new(),
        }
    }
}

impl fmt::Display for LockInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ID: {}\n  Path: {}\n  Operation: {}\n  Who: {}\n  Version: {}\n  Created: {}\n  Info: {}",
            self.id, self.path, self.operation, self.who, self.version, self.created, self.info
        )
    }
}

fn who() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".to_string());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_string());
    format!("{user}@{host}")
}

/// Failures of a backend.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The stored state cannot be read; it is left exactly as it is.
    #[error("{0}\nThe state file was left untouched; fix or restore it (a backup may exist) before running again.")]
    Format(#[from] StateFormatError),
    /// Reading or writing storage failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done ("reading", "writing", ...).
        action: &'static str,
        /// The file or object concerned.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The stored state changed since it was read.
    #[error("the state changed since it was read (expected version {expected}, found {found}); run the command again")]
    Stale {
        /// The version the writer read.
        expected: Version,
        /// The version stored now.
        found: Version,
    },
    /// The new state belongs to a different history than the stored one.
    #[error("refusing to replace state with lineage {stored} by a state with lineage {given}")]
    LineageMismatch {
        /// Lineage stored.
        stored: String,
        /// Lineage offered.
        given: String,
    },
    /// The new state's serial does not move forward.
    #[error("refusing to write serial {given} over stored serial {stored}: serials must increase")]
    SerialNotIncreased {
        /// Serial stored.
        stored: u64,
        /// Serial offered.
        given: u64,
    },
    /// Someone holds the lock.
    #[error("the state is locked by someone else.\nLock Info:\n  {0}\nWait for them to finish, or, if nobody is running, run `emrform force-unlock {id}`.", id = .0.id)]
    Locked(Box<LockInfo>),
    /// A lock exists but its record cannot be read.
    #[error("the state is locked ({path} exists) but the lock record cannot be read: {reason}")]
    LockUnreadable {
        /// The lock file or object.
        path: String,
        /// Why it could not be read.
        reason: String,
    },
    /// Unlock was asked with an id that does not match the lock held.
    #[error("lock id {given:?} does not match the lock held:\n  {held}")]
    LockIdMismatch {
        /// The lock that is held.
        held: Box<LockInfo>,
        /// The id given.
        given: String,
    },
    /// Unlock was asked but nothing is locked.
    #[error("the state is not locked")]
    NotLocked,
}

/// Storage for one state, with locking. Implementations: local file, memory, S3.
#[async_trait]
pub trait Backend: Send + Sync {
    /// A short description for messages, e.g. the file path or `s3://bucket/key`.
    fn describe(&self) -> String;

    /// Reads what is stored.
    ///
    /// # Errors
    ///
    /// [`BackendError::Format`] when the stored bytes are not a readable state,
    /// [`BackendError::Io`] when storage fails.
    async fn read(&self) -> Result<Snapshot, BackendError>;

    /// Replaces the stored state with `state`, only if what is stored is still `expect`, and
    /// returns the new version.
    ///
    /// # Errors
    ///
    /// [`BackendError::Stale`] when the stored version is not `expect`; `LineageMismatch` /
    /// `SerialNotIncreased` (see [`Snapshot::check_successor`]); [`BackendError::Format`] when
    /// the stored state cannot be parsed (it is never overwritten); [`BackendError::Io`].
    async fn write(&self, state: &State, expect: &Version) -> Result<Version, BackendError>;

    /// Takes the lock at once or fails; never waits (see [`lock_with_timeout`]).
    ///
    /// # Errors
    ///
    /// [`BackendError::Locked`] with the holder's [`LockInfo`] when held,
    /// [`BackendError::LockUnreadable`], [`BackendError::Io`].
    async fn lock(&self, info: LockInfo) -> Result<LockId, BackendError>;

    /// Releases a lock this caller holds.
    ///
    /// # Errors
    ///
    /// [`BackendError::LockIdMismatch`] when another lock is held, [`BackendError::NotLocked`],
    /// [`BackendError::Io`].
    async fn unlock(&self, id: &LockId) -> Result<(), BackendError>;

    /// The current lock holder, if any.
    ///
    /// # Errors
    ///
    /// [`BackendError::LockUnreadable`], [`BackendError::Io`].
    async fn lock_info(&self) -> Result<Option<LockInfo>, BackendError>;

    /// `force-unlock ID`: removes a lock left behind by a crashed run. Refuses an id that
    /// does not match the lock held.
    ///
    /// # Errors
    ///
    /// As [`Backend::unlock`].
    async fn force_unlock(&self, id: &str) -> Result<(), BackendError> {
        self.unlock(&LockId(id.to_string())).await
    }

    /// Removes the stored state (`state push -force` of another history, `workspace delete`);
    /// a local backend keeps it as the backup.
    ///
    /// # Errors
    ///
    /// [`BackendError::Io`], also when the backend cannot remove states.
    async fn delete(&self) -> Result<(), BackendError> {
        Err(BackendError::Io {
            action: "removing",
            path: self.describe(),
            source: std::io::Error::other("this backend cannot remove its state"),
        })
    }
}

/// Takes the lock, retrying while someone else holds it until `timeout` has passed
/// (`-lock-timeout`; zero tries once).
///
/// # Errors
///
/// The last [`BackendError::Locked`] when the timeout passes, or any other error at once.
pub async fn lock_with_timeout(
    backend: &dyn Backend,
    info: LockInfo,
    timeout: Duration,
) -> Result<LockId, BackendError> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut delay = Duration::from_millis(50);
    loop {
        match backend.lock(info.clone()).await {
            Err(BackendError::Locked(holder)) => {
                let now = tokio::time::Instant::now();
                if now >= deadline {
                    return Err(BackendError::Locked(holder));
                }
                tokio::time::sleep(delay.min(deadline - now)).await;
                delay = (delay * 2).min(Duration::from_secs(2));
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_info_uses_terraform_field_names() {
        let mut info = LockInfo::new("OperationTypeApply");
        info.path = "terraform.tfstate".into();
        let j = serde_json::to_value(&info).unwrap();
        for k in [
            "ID",
            "Operation",
            "Info",
            "Who",
            "Version",
            "Created",
            "Path",
        ] {
            assert!(j.get(k).is_some(), "{k} in {j}");
        }
        assert!(info.who.contains('@'));
        assert!(chrono::DateTime::parse_from_rfc3339(&info.created).is_ok());
        let back: LockInfo = serde_json::from_value(j).unwrap();
        assert_eq!(back, info);
    }

    #[test]
    fn versions_are_content_hashes() {
        assert_eq!(Version::of_bytes(b"a"), Version::of_bytes(b"a"));
        assert_ne!(Version::of_bytes(b"a"), Version::of_bytes(b"b"));
        assert_ne!(Version::of_bytes(b""), Version::Absent);
    }

    #[test]
    fn successor_rules() {
        let s = State::new();
        let snap = Snapshot::from_bytes(&s.to_vec(), "m").unwrap();
        assert!(matches!(
            snap.check_successor(&s),
            Err(BackendError::SerialNotIncreased { .. })
        ));
        let mut next = s.clone();
        next.bump_serial();
        assert!(snap.check_successor(&next).is_ok());
        assert!(matches!(
            snap.check_successor(&State::new()),
            Err(BackendError::LineageMismatch { .. })
        ));
        assert!(Snapshot::absent().check_successor(&s).is_ok());
    }
}
