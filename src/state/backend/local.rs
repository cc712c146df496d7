//! The local backend: Terraform's `terraform.tfstate` file in the root module directory (or
//! `backend "local" { path = ... }`), written atomically with the previous copy kept as
//! `<path>.backup`, and locked with `.<name>.lock.info` next to it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use async_trait::async_trait;

use super::{Backend, BackendError, LockId, LockInfo, Snapshot, Version};
use crate::state::model::State;

/// The default state file name in the root module directory.
pub const DEFAULT_STATE_FILE: &str = "terraform.tfstate";

/// A state kept in a file on this machine.
#[derive(Debug, Clone)]
pub struct LocalBackend {
    path: PathBuf,
}

impl LocalBackend {
    /// The state at `path` (`backend "local" { path }`; relative paths are relative to the
    /// working directory, as the caller resolved them).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        LocalBackend { path: path.into() }
    }

    /// The default: `terraform.tfstate` in the root module directory.
    pub fn in_dir(root_module_dir: &Path) -> Self {
        Self::new(root_module_dir.join(DEFAULT_STATE_FILE))
    }

    /// The state file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the previous copy is kept: `<path>.backup`.
    pub fn backup_path(&self) -> PathBuf {
        let mut s = self.path.clone().into_os_string();
        s.push(".backup");
        PathBuf::from(s)
    }

    /// The lock file, named as Terraform names it: `.<file name>.lock.info` in the same
    /// directory.
    pub fn lock_path(&self) -> PathBuf {
        let name = file_name(&self.path);
        self.dir().join(format!(".{name}.lock.info"))
    }

    /// The temporary file a write goes through before the rename.
    pub fn temp_path(&self) -> PathBuf {
        let name = file_name(&self.path);
        self.dir()
            .join(format!(".{name}.tmp.{}", std::process::id()))
    }

    fn dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    fn io_err(&self, action: &'static str, path: &Path, source: io::Error) -> BackendError {
        BackendError::Io {
            action,
            path: path.display().to_string(),
            source,
        }
    }

    fn read_bytes(&self) -> Result<Option<Vec<u8>>, BackendError> {
        match fs::read(&self.path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.io_err("reading", &self.path, e)),
        }
    }

    fn snapshot_of(&self, bytes: Option<&[u8]>) -> Result<Snapshot, BackendError> {
        match bytes {
            None => Ok(Snapshot::absent()),
            Some(b) => Snapshot::from_bytes(b, &self.path.display().to_string()),
        }
    }

    /// Writes `bytes` to `target` through a temporary file in the same directory: create
    /// (0600), write, fsync, rename over the target, fsync the directory. On any failure the
    /// target is untouched and the temporary file is removed.
    fn atomic_write(&self, target: &Path, bytes: &[u8]) -> Result<(), BackendError> {
        let tmp = self.temp_path();
        let result = (|| -> Result<(), BackendError> {
            let mut f = open_new_0600(&tmp).map_err(|e| self.io_err("creating", &tmp, e))?;
            f.write_all(bytes)
                .map_err(|e| self.io_err("writing", &tmp, e))?;
            f.sync_all().map_err(|e| self.io_err("syncing", &tmp, e))?;
            fs::rename(&tmp, target).map_err(|e| self.io_err("renaming over", target, e))?;
            let dir = self.dir();
            File::open(&dir)
                .and_then(|d| d.sync_all())
                .map_err(|e| self.io_err("syncing directory", &dir, e))
        })();
        if result.is_err() {
            // Best effort: the temp file may not exist, or may be something we cannot remove.
            let _ = fs::remove_file(&tmp);
        }
        result
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| DEFAULT_STATE_FILE.to_string())
}

fn open_new_0600(path: &Path) -> io::Result<File> {
    let open = || {
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
    };
    match open() {
        // A temp file left by a crashed run of a process with the same id: replace it.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            open()
        }
        other => other,
    }
}

#[async_trait]
impl Backend for LocalBackend {
    fn describe(&self) -> String {
        self.path.display().to_string()
    }

    async fn delete(&self) -> Result<(), BackendError> {
        match fs::rename(&self.path, self.backup_path()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.io_err("removing", &self.path, e)),
        }
    }

    async fn read(&self) -> Result<Snapshot, BackendError> {
        let bytes = self.read_bytes()?;
        self.snapshot_of(bytes.as_deref())
    }

    async fn write(&self, state: &State, expect: &Version) -> Result<Version, BackendError> {
        let old = self.read_bytes()?;
        // Parsing first means a file we cannot read is never replaced, whatever `expect` says.
        let current = self.snapshot_of(old.as_deref())?;
        if &current.version != expect {
            return Err(BackendError::Stale {
                expected: expect.clone(),
                found: current.version,
            });
        }
        current.check_successor(state)?;
        if let Some(old) = &old {
            if current.state.is_some() {
                self.atomic_write(&self.backup_path(), old)?;
            }
        }
        let bytes = state.to_vec();
        // A new workspace's directory (terraform.tfstate.d/<name>) may not exist yet.
        let dir = self.dir();
        fs::create_dir_all(&dir).map_err(|e| self.io_err("creating", &dir, e))?;
        self.atomic_write(&self.path, &bytes)?;
        Ok(Version::of_bytes(&bytes))
    }

    async fn lock(&self, mut info: LockInfo) -> Result<LockId, BackendError> {
        let lock_path = self.lock_path();
        if info.path.is_empty() {
            info.path = self.path.display().to_string();
        }
        let json = serde_json::to_vec(&info).map_err(|e| BackendError::LockUnreadable {
            path: lock_path.display().to_string(),
            reason: e.to_string(),
        })?;
        // Write the record to a private file first and hard-link it into place: link() fails
        // if the lock file exists, and a reader never sees a lock file without its record.
        let tmp = self.dir().join(format!(
            ".{}.{}",
            file_name(&lock_path),
            uuid::Uuid::new_v4()
        ));
        let prepared =
            open_new_0600(&tmp).and_then(|mut f| f.write_all(&json).and_then(|()| f.sync_all()));
        if let Err(e) = prepared {
            let _ = fs::remove_file(&tmp);
            return Err(self.io_err("writing lock file", &tmp, e));
        }
        let linked = fs::hard_link(&tmp, &lock_path);
        let _ = fs::remove_file(&tmp);
        match linked {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return match self.lock_info().await? {
                    Some(held) => Err(BackendError::Locked(Box::new(held))),
                    None => Err(BackendError::LockUnreadable {
                        path: lock_path.display().to_string(),
                        reason: "the lock was released while its record was being read; \
                                 try again"
                            .to_string(),
                    }),
                };
            }
            Err(e) => return Err(self.io_err("creating lock file", &lock_path, e)),
        }
        Ok(LockId(info.id))
    }

    async fn unlock(&self, id: &LockId) -> Result<(), BackendError> {
        let lock_path = self.lock_path();
        match self.lock_info().await? {
            None => Err(BackendError::NotLocked),
            Some(held) if held.id != id.0 => Err(BackendError::LockIdMismatch {
                held: Box::new(held),
                given: id.0.clone(),
            }),
            Some(_) => match fs::remove_file(&lock_path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Err(BackendError::NotLocked),
                Err(e) => Err(self.io_err("removing lock file", &lock_path, e)),
            },
        }
    }

    async fn lock_info(&self) -> Result<Option<LockInfo>, BackendError> {
        let lock_path = self.lock_path();
        let bytes = match fs::read(&lock_path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io_err("reading lock file", &lock_path, e)),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| BackendError::LockUnreadable {
                path: lock_path.display().to_string(),
                reason: e.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_follow_terraform() {
        let b = LocalBackend::in_dir(Path::new("/x/root"));
        assert_eq!(b.path(), Path::new("/x/root/terraform.tfstate"));
        assert_eq!(
            b.backup_path(),
            Path::new("/x/root/terraform.tfstate.backup")
        );
        assert_eq!(
            b.lock_path(),
            Path::new("/x/root/.terraform.tfstate.lock.info")
        );
        let b = LocalBackend::new("env/prod.tfstate");
        assert_eq!(b.lock_path(), Path::new("env/.prod.tfstate.lock.info"));
        let b = LocalBackend::new("prod.tfstate");
        assert_eq!(b.lock_path(), Path::new("./.prod.tfstate.lock.info"));
    }
}
