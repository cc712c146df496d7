//! Installing module sources beyond local paths (`emrform init`): registry addresses
//! (service discovery, `versions`, `download` → `X-Terraform-Get`), git URLs and `.tar.gz`
//! archives over HTTP(S), into
//! `.emrform/modules/<key>`, recorded in `.emrform/modules/modules.json` (Terraform's manifest
//! format, which the loader reads) and `.emrform/modules/lock.json` (what was fetched: source,
//! version, resolved URL, commit). A module whose lock entry still matches its source and
//! version constraint is not fetched again. Modules Terraform already fetched
//! (`.terraform/modules/modules.json`) are used as they are, with no network call.
//!
//! `EMRFORM_REGISTRY_URL` replaces `https://<host>` for registry service discovery (a mirror,
//! or a local registry in tests).

use crate::config::module_source::{self, ModuleSource};
use anyhow::{anyhow, bail, Context as _};
use http_body_util::{BodyExt, Empty};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::process::Command;

/// Where fetched modules live, relative to the root module.
pub const MODULES_DIR: &str = ".emrform/modules";

/// One fetched module, as the lock records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Locked {
    /// Module key (`vpc`, `app.net`).
    pub key: String,
    /// The `source` as written.
    pub source: String,
    /// The `version` constraint as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<String>,
    /// The registry version chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// What was cloned (a registry download resolves to this).
    pub resolved: String,
    /// The commit checked out (git), or `sha256:<hex>` of the archive downloaded.
    pub commit: String,
    /// The module directory, relative to the root module.
    pub dir: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Lock {
    modules: Vec<Locked>,
}

fn read_lock(root: &Path) -> Lock {
    std::fs::read_to_string(root.join(MODULES_DIR).join("lock.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn write_manifests(root: &Path, lock: &Lock) -> anyhow::Result<()> {
    let dir = root.join(MODULES_DIR);
    std::fs::create_dir_all(&dir)?;
    let modules: Vec<serde_json::Value> =
        std::iter::once(serde_json::json!({"Key": "", "Source": "", "Dir": "."}))
            .chain(lock.modules.iter().map(|m| {
                serde_json::json!({
                    "Key": m.key,
                    "Source": m.source,
                    "Version": m.version,
                    "Dir": m.dir,
                })
            }))
            .collect();
    std::fs::write(
        dir.join("modules.json"),
        serde_json::to_string_pretty(&serde_json::json!({ "Modules": modules }))? + "\n",
    )?;
    std::fs::write(
        dir.join("lock.json"),
        serde_json::to_string_pretty(lock)? + "\n",
    )?;
    Ok(())
}

fn git(args: &[&str], cwd: Option<&Path>) -> anyhow::Result<String> {
    let mut c = Command::new("git");
    c.args(args).env("GIT_TERMINAL_PROMPT", "0");
    if let Some(d) = cwd {
        c.current_dir(d);
    }
    let out = c
        .output()
        .context("running git (modules from git sources need git installed)")?;
    if !out.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Clones `url` at `reference` into `into` (replacing it) and returns the commit.
fn clone(url: &str, reference: Option<&str>, into: &Path) -> anyhow::Result<String> {
    if into.exists() {
        std::fs::remove_dir_all(into)?;
    }
    if let Some(p) = into.parent() {
        std::fs::create_dir_all(p)?;
    }
    let dest = into.to_string_lossy().to_string();
    git(&["clone", "--quiet", url, &dest], None)?;
    if let Some(r) = reference {
        git(&["checkout", "--quiet", r], Some(into))?;
    }
    git(&["rev-parse", "HEAD"], Some(into))
}

type HttpClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    Empty<bytes::Bytes>,
>;

fn http_client() -> anyhow::Result<HttpClient> {
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()
        .context("loading the system's TLS roots")?
        .https_or_http()
        .enable_http1()
        .build();
    Ok(
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build(https),
    )
}

/// GET `url`: status, headers and body.
async fn get(
    client: &HttpClient,
    url: &str,
) -> anyhow::Result<(http::StatusCode, http::HeaderMap, bytes::Bytes)> {
    let uri: http::Uri = url.parse().with_context(|| format!("bad URL {url:?}"))?;
    let resp = tokio::time::timeout(std::time::Duration::from_secs(60), client.get(uri))
        .await
        .map_err(|_| anyhow!("GET {url}: timed out"))?
        .with_context(|| format!("GET {url}"))?;
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .with_context(|| format!("reading {url}"))?
        .to_bytes();
    Ok((status, headers, body))
}

/// Joins a possibly relative reference onto `base`.
fn join_url(base: &str, rel: &str) -> String {
    if rel.contains("://") || rel.contains("::") {
        return rel.to_string();
    }
    let origin_end = base
        .find("://")
        .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
        .unwrap_or(base.len());
    if rel.starts_with('/') {
        format!("{}{rel}", &base[..origin_end])
    } else {
        let dir_end = base.rfind('/').map_or(base.len(), |i| i + 1);
        format!("{}{rel}", &base[..dir_end])
    }
}

/// Resolves a registry module to (version, go-getter source) through the registry protocol.
async fn resolve_registry(
    client: &HttpClient,
    host: &str,
    path: &str,
    constraint: Option<&str>,
) -> anyhow::Result<(String, String)> {
    let origin = std::env::var("EMRFORM_REGISTRY_URL")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("https://{host}"));
    let origin = origin.trim_end_matches('/');
    let (status, _, body) = get(client, &format!("{origin}/.well-known/terraform.json")).await?;
    if !status.is_success() {
        bail!("{host} does not answer service discovery ({status})");
    }
    let disco: serde_json::Value = serde_json::from_slice(&body)
        .with_context(|| format!("{host}: service discovery is not JSON"))?;
    let modules = disco
        .get("modules.v1")
        .and_then(|v| v.as_str())
        .ok_or_else(|| anyhow!("{host} offers no module registry (modules.v1)"))?;
    let base = join_url(&format!("{origin}/"), modules);
    let base = if base.ends_with('/') {
        base
    } else {
        format!("{base}/")
    };
    let (status, _, body) = get(client, &format!("{base}{path}/versions")).await?;
    if status == http::StatusCode::NOT_FOUND {
        bail!("{host} has no module {path}");
    }
    if !status.is_success() {
        bail!("{host}: listing versions of {path} failed ({status})");
    }
    let list: serde_json::Value = serde_json::from_slice(&body)?;
    let versions: Vec<String> = list
        .get("modules")
        .and_then(|m| m.get(0))
        .and_then(|m| m.get("versions"))
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.get("version")?.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let version = module_source::newest_matching(&versions, constraint)
        .map_err(|e| anyhow!("version constraint: {e}"))?
        .ok_or_else(|| {
            anyhow!(
                "no version of {path} on {host} matches {:?} (available: {})",
                constraint.unwrap_or("any"),
                versions.join(", ")
            )
        })?;
    let url = format!("{base}{path}/{version}/download");
    let (status, headers, _) = get(client, &url).await?;
    if !status.is_success() {
        bail!("{host}: download of {path} {version} failed ({status})");
    }
    let target = headers
        .get("x-terraform-get")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            anyhow!("{host}: the download of {path} {version} names no source (X-Terraform-Get)")
        })?;
    Ok((version, join_url(&url, target)))
}

/// Downloads a gzipped tarball and unpacks it into `into` (replacing it); returns
/// `sha256:<hex>` of what was downloaded. Entries that would land outside `into` are refused
/// by the unpacker.
async fn unpack_tarball(client: &HttpClient, url: &str, into: &Path) -> anyhow::Result<String> {
    use sha2::Digest as _;
    let (status, _, body) = get(client, url).await?;
    if !status.is_success() {
        bail!("GET {url}: {status}");
    }
    if into.exists() {
        std::fs::remove_dir_all(into)?;
    }
    std::fs::create_dir_all(into)?;
    let gz = flate2::read::GzDecoder::new(body.as_ref());
    tar::Archive::new(gz)
        .unpack(into)
        .with_context(|| format!("unpacking {url}"))?;
    let hex: String = sha2::Sha256::digest(&body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(format!("sha256:{hex}"))
}

/// A module call not yet available locally.
#[derive(Debug, Clone)]
struct Pending {
    key: String,
    source: String,
    constraint: Option<String>,
}

/// Remote module calls of the configuration whose key the loader could not resolve.
fn pending_calls(root: &Path) -> Vec<Pending> {
    let (config, _) = crate::config::load::load(root);
    let mut out = Vec::new();
    for (path, m) in &config.modules {
        for call in m.module_calls.values() {
            let key = path
                .0
                .iter()
                .cloned()
                .chain(std::iter::once(call.name.clone()))
                .collect::<Vec<_>>()
                .join(".");
            let loaded = config.modules.keys().any(|p| p.0.join(".") == key);
            if loaded {
                continue;
            }
            if matches!(module_source::parse(&call.source), ModuleSource::Local(_)) {
                continue;
            }
            out.push(Pending {
                key,
                source: call.source.clone(),
                constraint: call.version.clone(),
            });
        }
    }
    out
}

/// Fetches every module source the configuration needs that is neither local nor already
/// fetched; returns the lock entries of what it fetched.
///
/// # Errors
/// A source that cannot be fetched (named in the message).
pub async fn install(root: &Path) -> anyhow::Result<Vec<Locked>> {
    let mut lock = read_lock(root);
    let mut fetched = Vec::new();
    let mut client: Option<HttpClient> = None;
    // Each round makes the modules fetched so far loadable, which may reveal their own calls.
    for _round in 0..16 {
        let pending = pending_calls(root);
        let mut progress = false;
        for p in pending {
            let dir_rel = format!("{MODULES_DIR}/{}", p.key);
            let into = root.join(&dir_rel);
            // A lock entry for the same source and constraint whose directory exists is used
            // as it is.
            if let Some(l) = lock
                .modules
                .iter()
                .find(|l| l.key == p.key && l.source == p.source && l.constraint == p.constraint)
            {
                if root.join(&l.dir).is_dir() {
                    continue;
                }
            }
            let (version, resolved, subdir) = match module_source::parse(&p.source) {
                ModuleSource::Registry {
                    host,
                    namespace,
                    name,
                    provider,
                    subdir,
                } => {
                    if client.is_none() {
                        client = Some(http_client()?);
                    }
                    let c = client.as_ref().ok_or_else(|| anyhow!("no HTTP client"))?;
                    let path = format!("{namespace}/{name}/{provider}");
                    let (version, target) =
                        resolve_registry(c, &host, &path, p.constraint.as_deref())
                            .await
                            .with_context(|| format!("module {:?} ({})", p.key, p.source))?;
                    (Some(version), target, subdir)
                }
                ModuleSource::Git { .. } | ModuleSource::Archive { .. } => {
                    (None, p.source.clone(), None)
                }
                ModuleSource::Local(_) => continue,
                ModuleSource::Unsupported(s) => bail!(
                    "module {:?}: source {s:?} is not a registry address or a git URL; emrform fetches those two kinds (and uses modules `terraform init` fetched)",
                    p.key
                ),
            };
            // A registry download names a git source or a tarball.
            let (commit, inner) = match module_source::parse(&resolved) {
                ModuleSource::Git {
                    url,
                    reference,
                    subdir,
                } => (
                    clone(&url, reference.as_deref(), &into)
                        .with_context(|| format!("module {:?} ({})", p.key, p.source))?,
                    subdir,
                ),
                ModuleSource::Archive { url, subdir } => {
                    if client.is_none() {
                        client = Some(http_client()?);
                    }
                    let c = client.as_ref().ok_or_else(|| anyhow!("no HTTP client"))?;
                    let digest = unpack_tarball(c, &url, &into)
                        .await
                        .with_context(|| format!("module {:?} ({})", p.key, p.source))?;
                    (digest, subdir)
                }
                _ => bail!(
                    "module {:?}: the registry points at {resolved:?}; emrform fetches git sources and .tar.gz archives",
                    p.key
                ),
            };
            let mut dir = dir_rel.clone();
            for s in [inner, subdir].into_iter().flatten() {
                dir = format!("{dir}/{s}");
            }
            if !root.join(&dir).is_dir() {
                bail!(
                    "module {:?}: {dir} is not a directory in what was fetched",
                    p.key
                );
            }
            let entry = Locked {
                key: p.key.clone(),
                source: p.source.clone(),
                constraint: p.constraint.clone(),
                version,
                resolved,
                commit,
                dir,
            };
            lock.modules.retain(|l| l.key != entry.key);
            lock.modules.push(entry.clone());
            fetched.push(entry);
            progress = true;
        }
        write_manifests(root, &lock)?;
        if !progress {
            break;
        }
    }
    Ok(fetched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_like_a_browser() {
        assert_eq!(
            join_url(
                "https://r.example/v1/modules/a/b/c/1.0.0/download",
                "git::https://x/y"
            ),
            "git::https://x/y"
        );
        assert_eq!(
            join_url("https://r.example/v1/modules/", "/archive/a.tgz"),
            "https://r.example/archive/a.tgz"
        );
        assert_eq!(
            join_url(
                "http://127.0.0.1:9/v1/modules/a/b/c/1.0.0/download",
                "x.tgz"
            ),
            "http://127.0.0.1:9/v1/modules/a/b/c/1.0.0/x.tgz"
        );
    }
}
