//! Where a configuration's state lives: the `terraform { backend "..." {} }` block (local by
//! default, `local` or `s3`) and the current workspace, as Terraform lays them out.
//!
//! - Workspace: `EMRFORM_WORKSPACE`, else `TF_WORKSPACE`, else `.terraform/environment` (the file
//!   Terraform writes, so both tools agree), else `default`.
//! - Local: `terraform.tfstate` (or `backend "local" { path }`) for `default`, and
//!   `terraform.tfstate.d/<workspace>/terraform.tfstate` (or `workspace_dir`) for the others.
//! - S3: `key` for `default`, `<workspace_key_prefix>/<workspace>/<key>` (prefix `env:`) for
//!   the others.

use crate::config::value::Value;
use crate::providers::{Clients, ProviderConfig};
use crate::state::backend::local::LocalBackend;
use crate::state::backend::s3::{S3Backend, S3Settings};
use crate::state::backend::Backend;
use anyhow::{bail, Context as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The backend block: kind and its evaluated arguments.
pub type BackendBlock = (String, Value);

/// The backend block of the configuration in `dir`, evaluated (constants only, as Terraform
/// requires); `None` for the default local backend.
///
/// # Errors
/// A configuration that cannot be loaded.
pub fn configured(dir: &Path) -> anyhow::Result<Option<BackendBlock>> {
    let (config, diags) = crate::config::load::load(dir);
    if diags.has_errors() && config.modules.is_empty() {
        bail!("the configuration in {} cannot be loaded", dir.display());
    }
    Ok(from_config(&config))
}

/// The backend block of a loaded configuration.
pub fn from_config(config: &crate::config::model::Config) -> Option<BackendBlock> {
    config.root().terraform.backend.as_ref().map(|b| {
        let mut m = crate::config::value::Map::new();
        for a in b.body.attributes() {
            if let Ok(v) = crate::config::eval::constant(&a.value) {
                m.insert(a.key.as_str().to_string(), v);
            }
        }
        (b.kind.clone(), Value::Map(m))
    })
}

fn environment_file(dir: &Path) -> PathBuf {
    dir.join(".terraform").join("environment")
}

/// The current workspace.
pub fn current_workspace(dir: &Path) -> String {
    for var in ["EMRFORM_WORKSPACE", "TF_WORKSPACE"] {
        if let Ok(w) = std::env::var(var) {
            if !w.is_empty() {
                return w;
            }
        }
    }
    std::fs::read_to_string(environment_file(dir))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "default".to_string())
}

/// Makes `name` the current workspace (writes `.terraform/environment`).
///
/// # Errors
/// I/O failures.
pub fn select_workspace(dir: &Path, name: &str) -> anyhow::Result<()> {
    let f = environment_file(dir);
    if let Some(p) = f.parent() {
        std::fs::create_dir_all(p).with_context(|| format!("creating {}", p.display()))?;
    }
    if name == "default" {
        let _ = std::fs::remove_file(&f);
        return Ok(());
    }
    std::fs::write(&f, name).with_context(|| format!("writing {}", f.display()))
}

/// Checks a workspace name as Terraform does.
///
/// # Errors
/// A name with characters other than letters, digits, `-`, `_` and `.`.
pub fn check_workspace_name(name: &str) -> anyhow::Result<()> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        bail!("invalid workspace name {name:?}: use letters, digits, '-', '_' and '.'");
    }
    Ok(())
}

fn s(cfg: &Value, k: &str) -> Option<String> {
    cfg.get(k).and_then(Value::as_str).map(str::to_string)
}

fn b(cfg: &Value, k: &str) -> bool {
    cfg.get(k).and_then(Value::as_bool).unwrap_or(false)
}

/// The local state path of `workspace`.
pub fn local_path(dir: &Path, cfg: Option<&Value>, workspace: &str) -> PathBuf {
    if workspace == "default" {
        let p = cfg
            .and_then(|c| s(c, "path"))
            .unwrap_or_else(|| "terraform.tfstate".into());
        return dir.join(p);
    }
    let base = cfg
        .and_then(|c| s(c, "workspace_dir"))
        .unwrap_or_else(|| "terraform.tfstate.d".into());
    dir.join(base).join(workspace).join("terraform.tfstate")
}

/// The S3 settings of a `backend "s3"` block for `workspace`, and its clients' configuration.
///
/// # Errors
/// A block without `bucket` or `key`.
pub fn s3_settings(cfg: &Value, workspace: &str) -> anyhow::Result<(S3Settings, ProviderConfig)> {
    let bucket = s(cfg, "bucket").context("backend \"s3\" needs `bucket`")?;
    let key = s(cfg, "key").context("backend \"s3\" needs `key`")?;
    let prefix = s(cfg, "workspace_key_prefix").unwrap_or_else(|| "env:".into());
    let full_key = if workspace == "default" {
        key
    } else {
        format!("{prefix}/{workspace}/{key}")
    };
    let mut pc = ProviderConfig {
        region: s(cfg, "region"),
        profile: s(cfg, "profile"),
        ..ProviderConfig::default()
    };
    if let (Some(k), Some(sk)) = (s(cfg, "access_key"), s(cfg, "secret_key")) {
        pc.static_credentials = Some((k, sk));
    }
    if let Some(Value::Map(eps)) = cfg.get("endpoints") {
        for (k, v) in eps {
            if let Some(u) = v.as_str() {
                pc.endpoints.insert(k.clone(), u.to_string());
            }
        }
    }
    // The settings older Terraform versions used.
    if let Some(u) = s(cfg, "endpoint") {
        pc.endpoints.entry("s3".into()).or_insert(u);
    }
    if let Some(u) = s(cfg, "dynamodb_endpoint") {
        pc.endpoints.entry("dynamodb".into()).or_insert(u);
    }
    Ok((
        S3Settings {
            bucket,
            key: full_key,
            dynamodb_table: s(cfg, "dynamodb_table"),
            use_lockfile: b(cfg, "use_lockfile"),
            encrypt: b(cfg, "encrypt"),
            kms_key_id: s(cfg, "kms_key_id"),
        },
        pc,
    ))
}

/// An S3 backend for the block and workspace.
///
/// # Errors
/// A bad block or no AWS configuration (region).
pub async fn s3_backend(cfg: &Value, workspace: &str) -> anyhow::Result<S3Backend> {
    let (settings, pc) = s3_settings(cfg, workspace)?;
    let clients = Clients::new(&pc)
        .await
        .map_err(|e| anyhow::anyhow!("backend \"s3\": {e}"))?;
    Ok(S3Backend::new(clients.s3, clients.dynamodb, settings))
}

/// The backend holding `workspace`'s state for the configuration in `dir`.
///
/// # Errors
/// An unsupported backend kind or a bad block.
pub async fn open(
    dir: &Path,
    block: Option<&BackendBlock>,
    workspace: &str,
) -> anyhow::Result<Arc<dyn Backend>> {
    match block {
        None => Ok(Arc::new(LocalBackend::new(local_path(dir, None, workspace)))),
        Some((kind, cfg)) => match kind.as_str() {
            "local" => Ok(Arc::new(LocalBackend::new(local_path(dir, Some(cfg), workspace)))),
            "s3" => Ok(Arc::new(s3_backend(cfg, workspace).await?)),
            other => bail!("backend \"{other}\" is not supported; emrform keeps state locally or in S3 (backend \"local\" or \"s3\")"),
        },
    }
}

/// The workspaces that have (or, for local ones, may have) a state in a backend; `default`
/// first.
///
/// # Errors
/// S3 failures.
pub async fn workspaces(dir: &Path, block: Option<&BackendBlock>) -> anyhow::Result<Vec<String>> {
    match block {
        Some((kind, cfg)) if kind == "s3" => {
            let (settings, _) = s3_settings(cfg, "default")?;
            let prefix = s(cfg, "workspace_key_prefix").unwrap_or_else(|| "env:".into());
            let b = s3_backend(cfg, "default").await?;
            let mut v = b.workspaces(&settings.key, &prefix).await?;
            v.retain(|w| w != "default");
            v.insert(0, "default".into());
            Ok(v)
        }
        _ => {
            let base = block
                .and_then(|b| s(&b.1, "workspace_dir"))
                .unwrap_or_else(|| "terraform.tfstate.d".into());
            let mut v: Vec<String> = std::fs::read_dir(dir.join(base))
                .map(|rd| {
                    rd.flatten()
                        .filter(|e| e.path().is_dir())
                        .map(|e| e.file_name().to_string_lossy().to_string())
                        .collect()
                })
                .unwrap_or_default();
            v.sort();
            v.insert(0, "default".into());
            Ok(v)
        }
    }
}
