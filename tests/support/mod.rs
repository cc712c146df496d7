//! Test support shared by integration tests: a moto server (our launcher in `tools/moto`)
//! started once per test binary on a free loopback port, clients pointed at it, unique names,
//! and — in [`moto_differences`] — every place where moto answers differently from AWS.
//!
//! Use it with `mod support;` at the top of a test file. moto's reset is global, so tests
//! never reset it: they use unique names instead and run in parallel. If moto is not
//! installed the first test panics and says how to install it (never a silent skip).

#![allow(dead_code)]

pub mod fault_proxy;
pub mod moto_differences;

use emrform::providers::{Clients, Ctx, ProviderConfig};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, Mutex, OnceLock};
use std::time::Duration;

/// A running moto server.
pub struct Moto {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    child: Mutex<Child>,
}

impl Drop for Moto {
    fn drop(&mut self) {
        if let Ok(mut c) = self.child.lock() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn python() -> PathBuf {
    if let Ok(server) = std::env::var("EMRFORM_MOTO_SERVER") {
        let p = PathBuf::from(server);
        if let Some(dir) = p.parent() {
            return dir.join("python");
        }
    }
    let venv = std::env::var("EMRFORM_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into()))
                .join(".cache/emrform/venv")
        });
    venv.join("bin/python")
}

/// Starts a new moto server on a free port (the launcher prints the port it got).
///
/// Panics when moto cannot be started, naming `scripts/test`, which installs it.
pub fn start_moto() -> Moto {
    let py = python();
    let launcher = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/moto/emrform_moto.py");
    let how = "moto is installed by `scripts/test` (or `. scripts/env.sh && emrform_python_tools`)";
    if !py.exists() {
        panic!("cannot start moto: {} does not exist; {how}", py.display());
    }
    let mut child = Command::new(&py)
        .arg(&launcher)
        .args(["-H", "127.0.0.1", "-p", "0", "--parent-pid"])
        .arg(std::process::id().to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start moto with {}: {e}; {how}", py.display()));
    let stderr = child.stderr.take().expect("piped stderr");
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if !sent {
                if let Some(url) = line.split("Running on ").nth(1) {
                    let _ = tx.send(url.trim().to_string());
                    sent = true;
                    continue;
                }
                let _ = tx.send(format!("LOG {line}"));
            }
            // Keep draining so the server never blocks on a full pipe.
        }
    });
    let mut log = Vec::new();
    loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(l) if l.starts_with("LOG ") => log.push(l),
            Ok(url) => {
                return Moto {
                    endpoint: url,
                    child: Mutex::new(child),
                }
            }
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "moto did not start (launcher {}); {how}. Output:\n{}",
                    launcher.display(),
                    log.join("\n")
                );
            }
        }
    }
}

/// The moto server shared by every test of this test binary. It stops when the binary exits
/// (the launcher watches our pid).
pub fn moto() -> &'static Moto {
    static MOTO: OnceLock<Moto> = OnceLock::new();
    MOTO.get_or_init(start_moto)
}

/// A provider configuration pointing every service at `endpoint`.
pub fn config_for(endpoint: &str) -> ProviderConfig {
    let endpoints = [
        "emrserverless",
        "iam",
        "ec2",
        "ecr",
        "sts",
        "emr",
        "s3",
        "dynamodb",
        "kms",
        "logs",
    ]
    .iter()
    .map(|s| (s.to_string(), endpoint.to_string()))
    .collect();
    ProviderConfig {
        region: Some("us-east-1".into()),
        endpoints,
        static_credentials: Some(("testing".into(), "testing".into())),
        ..ProviderConfig::default()
    }
}

/// Clients for the shared moto server.
pub async fn clients() -> Clients {
    Clients::new(&config_for(&moto().endpoint))
        .await
        .expect("clients for moto")
}

/// A name unique across tests and runs: `prefix-<pid>-<n>`.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// A context with short polling for moto.
pub fn ctx(address: &str) -> Ctx {
    let mut c = Ctx::new(address);
    c.poll_interval = Duration::from_millis(50);
    c.timeouts.create = Duration::from_secs(30);
    c.timeouts.update = Duration::from_secs(30);
    c.timeouts.delete = Duration::from_secs(30);
    c
}
