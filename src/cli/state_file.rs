//! The local state file as the CLI uses it: Terraform's state v4 JSON read into the planner's
//! [`PriorState`] and written back after every object, atomically (temp file, fsync, rename),
//! keeping the previous copy as `*.backup`, mode 0600, guarded by a lock file. A state file
//! that cannot be read is an error and is never overwritten.

use crate::addrs::{InstanceKey, ModuleInstance, ResourceAddr, ResourceInstanceAddr, ResourceMode};
use crate::config::value::Value;
use crate::plan::planner::{PriorObject, PriorState};
use crate::plan::StateRef;
use crate::state::backend::{lock_with_timeout, Backend, LockId, LockInfo, Version};
use crate::state::model::State;
use anyhow::{bail, Context as _};
use serde_json::{json, Value as Json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The state of a configuration directory: a local file, or a remote backend (S3).
#[derive(Clone)]
pub struct StateFile {
    /// `terraform.tfstate` (or the local backend's `path`); for a remote backend, its URL.
    pub path: PathBuf,
    remote: Option<Arc<Remote>>,
}

/// A remote backend and the version of the state last read or written through it, which the
/// next write must replace exactly.
struct Remote {
    backend: Arc<dyn Backend>,
    version: Mutex<Version>,
}

/// A held lock; released on drop.
pub struct Lock {
    local: Option<(PathBuf, std::fs::File)>,
    remote: Option<(Arc<dyn Backend>, LockId)>,
}

/// Runs a future to completion from synchronous code, inside or outside a runtime.
fn block<F: std::future::Future>(f: F) -> anyhow::Result<F::Output> {
    match tokio::runtime::Handle::try_current() {
        Ok(h) => Ok(tokio::task::block_in_place(|| h.block_on(f))),
        Err(_) => Ok(tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(f)),
    }
}

/// True when `f` is the file now at `p` (not one removed since it was opened).
fn same_file(f: &std::fs::File, p: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (f.metadata(), std::fs::metadata(p)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some((path, _file)) = &self.local {
            let _ = std::fs::remove_file(path);
        }
        if let Some((backend, id)) = self.remote.take() {
            if let Ok(Err(e)) = block(async move { backend.unlock(&id).await }) {
                eprintln!("warning: releasing the state lock failed: {e}; run `emrform force-unlock` if it stays");
            }
        }
    }
}

impl StateFile {
    /// The state of the current workspace for `dir`, honouring the backend block.
    pub fn for_dir(dir: &Path, backend: Option<&(String, Value)>) -> anyhow::Result<StateFile> {
        let workspace = crate::cli::backend::current_workspace(dir);
        match backend {
            Some((kind, cfg)) if kind == "s3" => {
                let b = block(crate::cli::backend::s3_backend(cfg, &workspace))??;
                Ok(StateFile {
                    path: PathBuf::from(b.describe()),
                    remote: Some(Arc::new(Remote {
                        backend: Arc::new(b),
                        version: Mutex::new(Version::Absent),
                    })),
                })
            }
            Some((kind, _)) if kind != "local" => bail!("backend \"{kind}\" is not supported; emrform keeps state locally or in S3 (backend \"local\" or \"s3\")"),
            _ => Ok(StateFile {
                path: crate::cli::backend::local_path(dir, backend.map(|b| &b.1), &workspace),
                remote: None,
            }),
        }
    }

    /// The state of the configuration in the working directory (loading its backend block).
    ///
    /// # Errors
    /// A configuration or backend that cannot be read.
    pub fn for_cwd() -> anyhow::Result<StateFile> {
        let dir = std::env::current_dir()?;
        let block = crate::cli::backend::configured(&dir)?;
        StateFile::for_dir(&dir, block.as_ref())
    }

    /// The remote backend, when the state is not a local file.
    pub fn remote(&self) -> Option<Arc<dyn Backend>> {
        self.remote.as_ref().map(|r| r.backend.clone())
    }

    fn lock_path(&self) -> PathBuf {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        self.path.with_file_name(format!(".{name}.lock.info"))
    }

    /// Takes the lock, retrying until `timeout`. The lock file carries the holder's details
    /// and an OS file lock held for as long as the process lives: a lock file left by a process
    /// that died (a crash, a kill) is not held by anyone and is taken over, with a note.
    ///
    /// # Errors
    /// When another live process holds it: the error names the holder.
    pub fn lock(&self, operation: &str, timeout: std::time::Duration) -> anyhow::Result<Lock> {
        if let Some(r) = &self.remote {
            let backend = r.backend.clone();
            let info = LockInfo::new(operation);
            let id = block(async { lock_with_timeout(backend.as_ref(), info, timeout).await })?
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            return Ok(Lock {
                local: None,
                remote: Some((r.backend.clone(), id)),
            });
        }
        let p = self.lock_path();
        let start = std::time::Instant::now();
        loop {
            let mut f = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&p)
                .with_context(|| format!("opening the lock file {}", p.display()))?;
            match f.try_lock() {
                Ok(()) => {
                    // The holder we replaced may have removed the file after we opened it:
                    // only the file at the path counts.
                    if !same_file(&f, &p) {
                        continue;
                    }
                    let mut stale = String::new();
                    let _ = std::io::Read::read_to_string(&mut f, &mut stale);
                    if !stale.trim().is_empty() {
                        let h: Json = serde_json::from_str(&stale).unwrap_or(Json::Null);
                        eprintln!(
                            "note: taking over a state lock left by a process that has ended (ID {}, {} by {} at {})",
                            h["ID"].as_str().unwrap_or("?"),
                            h["Operation"].as_str().unwrap_or("?"),
                            h["Who"].as_str().unwrap_or("?"),
                            h["Created"].as_str().unwrap_or("?"),
                        );
                    }
                    let who = format!(
                        "{}@{}",
                        std::env::var("USER").unwrap_or_else(|_| "unknown".into()),
                        std::fs::read_to_string("/etc/hostname")
                            .unwrap_or_default()
                            .trim()
                    );
                    let info = json!({
                        "ID": uuid::Uuid::new_v4().to_string(),
                        "Operation": operation,
                        "Info": "",
                        "Who": who,
                        "Version": env!("CARGO_PKG_VERSION"),
                        "Created": chrono::Utc::now().to_rfc3339(),
                        "Path": self.path.display().to_string(),
                    });
                    f.set_len(0)?;
                    std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(0))?;
                    f.write_all(info.to_string().as_bytes())?;
                    f.sync_all()?;
                    return Ok(Lock {
                        local: Some((p, f)),
                        remote: None,
                    });
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    if start.elapsed() >= timeout {
                        let holder = std::fs::read_to_string(&p).unwrap_or_default();
                        let h: Json = serde_json::from_str(&holder).unwrap_or(Json::Null);
                        bail!(
                            "the state is locked by another operation\n  ID:        {}\n  Operation: {}\n  Who:       {}\n  Created:   {}\nWait for it to finish (or use --lock-timeout), or if it is stuck run `emrform force-unlock {}`.",
                            h["ID"].as_str().unwrap_or("?"),
                            h["Operation"].as_str().unwrap_or("?"),
                            h["Who"].as_str().unwrap_or("?"),
                            h["Created"].as_str().unwrap_or("?"),
                            h["ID"].as_str().unwrap_or("?")
                        );
                    }
                    std::thread::sleep(std::time::Duration::from_millis(250));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("locking the lock file {}", p.display()))
                }
            }
        }
    }

    /// Removes a stale lock with this id.
    pub fn force_unlock(&self, id: &str) -> anyhow::Result<()> {
        if let Some(r) = &self.remote {
            let backend = r.backend.clone();
            return block(async move { backend.force_unlock(id).await })?
                .map_err(|e| anyhow::anyhow!("{e}"));
        }
        let p = self.lock_path();
        let text = std::fs::read_to_string(&p).with_context(|| "the state is not locked")?;
        let h: Json = serde_json::from_str(&text).unwrap_or(Json::Null);
        if h["ID"].as_str() != Some(id) {
            bail!(
                "the lock id {id:?} does not match the lock held ({})",
                h["ID"].as_str().unwrap_or("?")
            );
        }
        std::fs::remove_file(&p)?;
        Ok(())
    }

    /// Reads the raw JSON; `None` when there is no state yet.
    ///
    /// # Errors
    /// A state file that exists but cannot be read or parsed.
    pub fn read_raw(&self) -> anyhow::Result<Option<Json>> {
        if let Some(r) = &self.remote {
            let backend = r.backend.clone();
            let snap =
                block(async move { backend.read().await })?.map_err(|e| anyhow::anyhow!("{e}"))?;
            if let Ok(mut v) = r.version.lock() {
                *v = snap.version.clone();
            }
            return match snap.state {
                None => Ok(None),
                Some(st) => Ok(Some(serde_json::from_slice(&st.to_vec())?)),
            };
        }
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", self.path.display())),
        };
        let j: Json = serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}:{}:{}: the state file is not valid JSON: {e}. It was left untouched; restore it from {}.backup or fix it by hand.", self.path.display(), e.line(), e.column(), self.path.display()))?;
        match j["version"].as_u64() {
            Some(4) => Ok(Some(j)),
            Some(v) => bail!("{}: state format version {v} is not supported (emrform reads version 4, as written by Terraform 0.12 and later)", self.path.display()),
            None => bail!("{}: not a state file (no \"version\")", self.path.display()),
        }
    }

    /// Reads the state.
    ///
    /// # Errors
    /// See [`StateFile::read_raw`].
    pub fn read(&self) -> anyhow::Result<(PriorState, Option<Json>)> {
        let Some(j) = self.read_raw()? else {
            return Ok((PriorState::default(), None));
        };
        Ok((from_json(&j)?, Some(j)))
    }

    /// Writes `state` atomically, keeping the previous file as a backup.
    ///
    /// # Errors
    /// I/O failures.
    pub fn write(&self, j: &Json) -> anyhow::Result<()> {
        if let Some(r) = &self.remote {
            let state =
                State::from_slice(&serde_json::to_vec(j)?, &self.path.display().to_string())?;
            let expect = r
                .version
                .lock()
                .map(|v| v.clone())
                .map_err(|_| anyhow::anyhow!("state version lock poisoned"))?;
            let backend = r.backend.clone();
            let new = block(async move { backend.write(&state, &expect).await })?
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if let Ok(mut v) = r.version.lock() {
                *v = new;
            }
            return Ok(());
        }
        let text = serde_json::to_string_pretty(j)? + "\n";
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let tmp = dir.join(format!(
            ".{}.tmp-{}",
            self.path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            std::process::id()
        ));
        {
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut f = opts
                .open(&tmp)
                .with_context(|| format!("writing {}", tmp.display()))?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
        }
        if self.path.exists() {
            let backup = self.path.with_file_name(format!(
                "{}.backup",
                self.path
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default()
            ));
            std::fs::copy(&self.path, &backup)
                .with_context(|| format!("keeping a backup at {}", backup.display()))?;
        }
        std::fs::rename(&tmp, &self.path)
            .with_context(|| format!("replacing {}", self.path.display()))?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

fn key_of(j: &Json) -> Option<InstanceKey> {
    match j {
        Json::Number(n) => n.as_i64().map(InstanceKey::Int),
        Json::String(s) => Some(InstanceKey::Str(s.clone())),
        _ => None,
    }
}

fn module_of(s: &str) -> anyhow::Result<ModuleInstance> {
    if s.is_empty() {
        return Ok(ModuleInstance::root());
    }
    let probe: ResourceInstanceAddr = format!("{s}.x.y")
        .parse()
        .map_err(|e| anyhow::anyhow!("bad module address in state: {e}"))?;
    Ok(probe.module)
}

/// The planner's view of a state document.
///
/// # Errors
/// Malformed resource entries.
pub fn from_json(j: &Json) -> anyhow::Result<PriorState> {
    let mut st = PriorState {
        state_ref: StateRef {
            lineage: j["lineage"].as_str().unwrap_or("").to_string(),
            serial: j["serial"].as_u64().unwrap_or(0),
        },
        ..PriorState::default()
    };
    for r in j["resources"].as_array().into_iter().flatten() {
        let mode = if r["mode"] == "data" {
            ResourceMode::Data
        } else {
            ResourceMode::Managed
        };
        let ty = r["type"].as_str().unwrap_or_default();
        let name = r["name"].as_str().unwrap_or_default();
        let module = module_of(r["module"].as_str().unwrap_or(""))?;
        let provider = r["provider"]
            .as_str()
            .unwrap_or("provider[\"registry.terraform.io/hashicorp/aws\"]");
        let provider_key = provider
            .rsplit('/')
            .next()
            .unwrap_or("aws")
            .trim_end_matches(['"', ']'])
            .to_string();
        for inst in r["instances"].as_array().into_iter().flatten() {
            if inst.get("deposed").is_some() {
                continue;
            }
            let addr = ResourceInstanceAddr {
                module: module.clone(),
                resource: ResourceAddr {
                    mode,
                    type_name: ty.to_string(),
                    name: name.to_string(),
                },
                key: inst.get("index_key").and_then(key_of),
            };
            let deps = inst["dependencies"]
                .as_array()
                .map(|d| {
                    d.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            st.objects.insert(
                addr,
                PriorObject {
                    value: Value::from_json(&inst["attributes"]),
                    provider_key: provider_key.clone(),
                    dependencies: deps,
                    pending_create: inst["status"] == "tainted"
                        && inst["private"] == crate::plan::planner::PENDING_CREATE_PRIVATE,
                },
            );
        }
    }
    if let Some(o) = j["outputs"].as_object() {
        for (k, v) in o {
            st.outputs.insert(k.clone(), Value::from_json(&v["value"]));
        }
    }
    Ok(st)
}

fn json_type(v: &Value) -> Json {
    match v {
        Value::String(_) => json!("string"),
        Value::Number(_) => json!("number"),
        Value::Bool(_) => json!("bool"),
        Value::List(l) => json!(["tuple", l.iter().map(json_type).collect::<Vec<_>>()]),
        Value::Set(l) => json!(["set", l.first().map(json_type).unwrap_or(json!("dynamic"))]),
        Value::Map(m) => json!([
            "object",
            m.iter()
                .map(|(k, v)| (k.clone(), json_type(v)))
                .collect::<serde_json::Map<_, _>>()
        ]),
        Value::Null | Value::Unknown => json!("dynamic"),
    }
}

/// A state document from the planner's view, with a new serial.
pub fn to_json(st: &PriorState, sensitive_outputs: &[String]) -> Json {
    let lineage = if st.state_ref.lineage.is_empty() {
        uuid::Uuid::new_v4().to_string()
    } else {
        st.state_ref.lineage.clone()
    };
    // Group instances by resource, keeping first-seen order.
    type Group<'a> = (
        ResourceInstanceAddr,
        Vec<(&'a ResourceInstanceAddr, &'a PriorObject)>,
    );
    let mut groups: indexmap::IndexMap<(String, String), Group<'_>> = indexmap::IndexMap::new();
    for (a, o) in &st.objects {
        let k = (a.module.to_string(), a.resource.to_string());
        groups
            .entry(k)
            .or_insert_with(|| (a.clone(), Vec::new()))
            .1
            .push((a, o));
    }
    let resources: Vec<Json> = groups
        .into_values()
        .map(|(first, insts)| {
            let provider_key = insts
                .first()
                .map(|(_, o)| o.provider_key.clone())
                .unwrap_or_else(|| "aws".into());
            let mut r = serde_json::Map::new();
            if !first.module.is_root() {
                r.insert("module".into(), json!(first.module.to_string()));
            }
            r.insert(
                "mode".into(),
                json!(if first.resource.mode == ResourceMode::Data {
                    "data"
                } else {
                    "managed"
                }),
            );
            r.insert("type".into(), json!(first.resource.type_name));
            r.insert("name".into(), json!(first.resource.name));
            match &first.key {
                Some(InstanceKey::Int(_)) => {
                    r.insert("each".into(), json!("list"));
                }
                Some(InstanceKey::Str(_)) => {
                    r.insert("each".into(), json!("map"));
                }
                None => {}
            }
            let (ns, name) = match provider_key.split('.').next().unwrap_or("aws") {
                "terraform" => ("terraform.io/builtin", "terraform".to_string()),
                other => ("registry.terraform.io/hashicorp", other.to_string()),
            };
            r.insert(
                "provider".into(),
                json!(format!("provider[\"{ns}/{name}\"]")),
            );
            let instances: Vec<Json> = insts
                .iter()
                .map(|(a, o)| {
                    let mut i = serde_json::Map::new();
                    match &a.key {
                        Some(InstanceKey::Int(n)) => {
                            i.insert("index_key".into(), json!(n));
                        }
                        Some(InstanceKey::Str(s)) => {
                            i.insert("index_key".into(), json!(s));
                        }
                        None => {}
                    }
                    if o.pending_create {
                        i.insert("status".into(), json!("tainted"));
                    }
                    i.insert("schema_version".into(), json!(0));
                    i.insert("attributes".into(), o.value.to_json());
                    i.insert("sensitive_attributes".into(), json!([]));
                    if o.pending_create {
                        i.insert(
                            "private".into(),
                            json!(crate::plan::planner::PENDING_CREATE_PRIVATE),
                        );
                    }
                    if !o.dependencies.is_empty() {
                        i.insert("dependencies".into(), json!(o.dependencies));
                    }
                    Json::Object(i)
                })
                .collect();
            r.insert("instances".into(), Json::Array(instances));
            Json::Object(r)
        })
        .collect();
    let outputs: serde_json::Map<String, Json> = st
        .outputs
        .iter()
        .filter(|(_, v)| v.is_wholly_known())
        .map(|(k, v)| {
            let mut o = serde_json::Map::new();
            o.insert("value".into(), v.to_json());
            o.insert("type".into(), json_type(v));
            if sensitive_outputs.contains(k) {
                o.insert("sensitive".into(), json!(true));
            }
            (k.clone(), Json::Object(o))
        })
        .collect();
    json!({
        "version": 4,
        "terraform_version": crate::render::plan_json::TERRAFORM_VERSION,
        "serial": st.state_ref.serial + 1,
        "lineage": lineage,
        "outputs": outputs,
        "resources": resources,
        "check_results": null,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_planner_view() {
        let mut st = PriorState::default();
        let a: ResourceInstanceAddr = "module.app[\"x\"].aws_iam_role.r[0]".parse().expect("addr");
        st.objects.insert(
            a.clone(),
            PriorObject {
                value: Value::map([("id", Value::string("r"))]),
                provider_key: "aws".into(),
                dependencies: vec!["aws_vpc.v".into()],
                pending_create: false,
            },
        );
        let b: ResourceInstanceAddr = "aws_subnet.s".parse().expect("addr");
        st.objects.insert(
            b.clone(),
            PriorObject {
                value: Value::map([("cidr_block", Value::string("10.0.0.0/24"))]),
                provider_key: "aws".into(),
                dependencies: vec![],
                pending_create: true,
            },
        );
        st.outputs.insert("o".into(), Value::string("x"));
        let j = to_json(&st, &[]);
        let back = from_json(&j).expect("reads");
        assert_eq!(back.objects[&a], st.objects[&a]);
        assert_eq!(back.objects[&b], st.objects[&b]);
        assert_eq!(back.outputs["o"], Value::string("x"));
        assert_eq!(back.state_ref.serial, 1);
        assert!(!back.state_ref.lineage.is_empty());
    }

    #[test]
    fn corrupt_state_is_refused_and_kept() {
        let dir = tempfile::tempdir().expect("tmp");
        let f = StateFile {
            path: dir.path().join("terraform.tfstate"),
            remote: None,
        };
        std::fs::write(&f.path, "{ not json").expect("write");
        let e = match f.read() {
            Ok(_) => panic!("refused"),
            Err(e) => e.to_string(),
        };
        assert!(e.contains("terraform.tfstate:1:3"), "{e}");
        assert_eq!(
            std::fs::read_to_string(&f.path).expect("kept"),
            "{ not json"
        );
    }

    #[test]
    fn writes_atomically_with_backup_and_0600() {
        let dir = tempfile::tempdir().expect("tmp");
        let f = StateFile {
            path: dir.path().join("terraform.tfstate"),
            remote: None,
        };
        f.write(&json!({"version": 4, "serial": 1})).expect("write");
        f.write(&json!({"version": 4, "serial": 2})).expect("write");
        let backup: Json = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("terraform.tfstate.backup")).expect("backup"),
        )
        .expect("json");
        assert_eq!(backup["serial"], 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&f.path)
                    .expect("meta")
                    .permissions()
                    .mode()
                    & 0o777,
                0o600
            );
        }
    }

    #[test]
    fn a_second_lock_fails_with_the_holder() {
        let dir = tempfile::tempdir().expect("tmp");
        let f = StateFile {
            path: dir.path().join("terraform.tfstate"),
            remote: None,
        };
        let held = f
            .lock("apply", std::time::Duration::ZERO)
            .expect("first lock");
        let e = f
            .lock("plan", std::time::Duration::from_millis(300))
            .err()
            .expect("second fails")
            .to_string();
        assert!(e.contains("Operation: apply"), "{e}");
        drop(held);
        assert!(f.lock("plan", std::time::Duration::ZERO).is_ok());
    }
}
