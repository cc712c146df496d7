//! A backend in memory: for tests and for `-state` pipelines that never touch disk. It stores
//! the serialised bytes, so it exercises the same format path as real backends.

use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;

use super::{Backend, BackendError, LockId, LockInfo, Snapshot, Version};
use crate::state::model::State;

#[derive(Default)]
struct Inner {
    bytes: Option<Vec<u8>>,
    lock: Option<LockInfo>,
}

/// A state held in memory. Share it between tasks with `Arc`.
#[derive(Default)]
pub struct MemoryBackend {
    inner: Mutex<Inner>,
}

impl MemoryBackend {
    /// An empty backend.
    pub fn new() -> Self {
        Self::default()
    }

    /// A backend holding these bytes as if they had been written (they may be anything, even
    /// a corrupt state).
    pub fn with_bytes(bytes: Vec<u8>) -> Self {
        MemoryBackend {
            inner: Mutex::new(Inner {
                bytes: Some(bytes),
                lock: None,
            }),
        }
    }

    /// The stored bytes.
    pub fn bytes(&self) -> Option<Vec<u8>> {
        self.guard().bytes.clone()
    }

    fn guard(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the guard cannot leave Inner half-updated (single assignments).
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn snapshot(inner: &Inner) -> Result<Snapshot, BackendError> {
        match &inner.bytes {
            None => Ok(Snapshot::absent()),
            Some(b) => Snapshot::from_bytes(b, "memory"),
        }
    }
}

#[async_trait]
impl Backend for MemoryBackend {
    fn describe(&self) -> String {
        "memory".to_string()
    }

    async fn read(&self) -> Result<Snapshot, BackendError> {
        Self::snapshot(&self.guard())
    }

    async fn write(&self, state: &State, expect: &Version) -> Result<Version, BackendError> {
        let mut inner = self.guard();
        let current = Self::snapshot(&inner)?;
        if &current.version != expect {
            return Err(BackendError::Stale {
                expected: expect.clone(),
                found: current.version,
            });
        }
        current.check_successor(state)?;
        let bytes = state.to_vec();
        let v = Version::of_bytes(&bytes);
        inner.bytes = Some(bytes);
        Ok(v)
    }

    async fn lock(&self, mut info: LockInfo) -> Result<LockId, BackendError> {
        let mut inner = self.guard();
        if let Some(held) = &inner.lock {
            return Err(BackendError::Locked(Box::new(held.clone())));
        }
        if info.path.is_empty() {
            info.path = "memory".to_string();
        }
        let id = LockId(info.id.clone());
        inner.lock = Some(info);
        Ok(id)
    }

    async fn unlock(&self, id: &LockId) -> Result<(), BackendError> {
        let mut inner = self.guard();
        match &inner.lock {
            None => Err(BackendError::NotLocked),
            Some(held) if held.id != id.0 => Err(BackendError::LockIdMismatch {
                held: Box::new(held.clone()),
                given: id.0.clone(),
            }),
            Some(_) => {
                inner.lock = None;
                Ok(())
            }
        }
    }

    async fn lock_info(&self) -> Result<Option<LockInfo>, BackendError> {
        Ok(self.guard().lock.clone())
    }
}
