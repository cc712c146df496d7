//! A fault-injecting HTTP proxy on loopback, in front of moto. For each request it draws from
//! a seeded generator and, at the configured rate, injects one fault:
//!
//! - `Throttle`: answers 429 with `x-amzn-ErrorType: ThrottlingException` without forwarding;
//! - `ErrorBefore`: answers 500 without forwarding (the call did not happen);
//! - `ErrorAfter`: forwards, lets moto act, then answers 500 (the call happened: ambiguous);
//! - `Slow`: forwards, then answers after a delay longer than the client's attempt timeout
//!   (the call happened, the client timed out: ambiguous);
//! - `DropBefore`: closes the connection without forwarding;
//! - `DropAfter`: forwards, then closes the connection without answering (ambiguous).
//!
//! Every request and fault is counted, with the AWS operation, so tests can check what was
//! sent. HTTP/1.1 with `Content-Length` bodies only (what the AWS SDK sends for these APIs).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One kind of fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    /// 429 throttling, not forwarded.
    Throttle,
    /// 500, not forwarded.
    ErrorBefore,
    /// 500 after moto acted.
    ErrorAfter,
    /// Forwarded late.
    Slow,
    /// Connection closed, not forwarded.
    DropBefore,
    /// Connection closed after moto acted.
    DropAfter,
}

/// All kinds, drawn with equal weight.
pub const ALL_FAULTS: [Fault; 6] = [
    Fault::Throttle,
    Fault::ErrorBefore,
    Fault::ErrorAfter,
    Fault::Slow,
    Fault::DropBefore,
    Fault::DropAfter,
];

/// Settings.
#[derive(Debug, Clone)]
pub struct FaultConfig {
    /// Fraction of requests that get a fault, 0.0–1.0.
    pub rate: f64,
    /// Which faults to draw from.
    pub kinds: Vec<Fault>,
    /// Delay of a `Slow` answer.
    pub slow: Duration,
    /// Seed of the generator (runs are reproducible).
    pub seed: u64,
}

/// What the proxy saw.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Requests received.
    pub requests: u64,
    /// Faults injected, by kind.
    pub faults: BTreeMap<String, u64>,
    /// Requests received per AWS operation (`Action=` or `X-Amz-Target`, else method + path).
    pub operations: BTreeMap<String, u64>,
    /// Ambiguous faults (the call happened, the client saw a failure) per operation.
    pub ambiguous: BTreeMap<String, u64>,
}

/// A running proxy; stops when dropped.
pub struct FaultProxy {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    stats: Arc<Mutex<Stats>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultProxy {
    /// Starts a proxy to `upstream` (`http://host:port`).
    pub async fn start(upstream: &str, cfg: FaultConfig) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fault proxy");
        let port = listener.local_addr().expect("local addr").port();
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let stats = Arc::new(Mutex::new(Stats::default()));
        let counter = Arc::new(AtomicU64::new(0));
        let cfg = Arc::new(cfg);
        let st = stats.clone();
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (up, cfg, st, counter) =
                    (upstream.clone(), cfg.clone(), st.clone(), counter.clone());
                tokio::spawn(async move {
                    let _ = serve(sock, &up, &cfg, &st, &counter).await;
                });
            }
        });
        FaultProxy {
            endpoint: format!("http://127.0.0.1:{port}"),
            stats,
            task,
        }
    }

    /// A copy of the counters.
    pub fn stats(&self) -> Stats {
        self.stats.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

fn draw(cfg: &FaultConfig, n: u64) -> Option<Fault> {
    // splitmix64 of (seed, n): reproducible and independent per request.
    let mut z = cfg.seed.wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let u = (z >> 11) as f64 / (1u64 << 53) as f64;
    if u >= cfg.rate || cfg.kinds.is_empty() {
        return None;
    }
    let idx = ((u / cfg.rate) * cfg.kinds.len() as f64) as usize;
    cfg.kinds.get(idx.min(cfg.kinds.len() - 1)).copied()
}

/// Reads one request (head + Content-Length body); `None` at end of stream.
async fn read_request(sock: &mut TcpStream) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i + 4;
        }
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(buf))
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

fn operation(req: &[u8]) -> String {
    let text = String::from_utf8_lossy(req);
    if let Some(i) = text.find("Action=") {
        return text[i + 7..]
            .split(['&', '\r', '\n'])
            .next()
            .unwrap_or_default()
            .to_string();
    }
    for line in text.lines() {
        if let Some(v) = line
            .strip_prefix("x-amz-target:")
            .or_else(|| line.strip_prefix("X-Amz-Target:"))
        {
            return v.trim().rsplit('.').next().unwrap_or_default().to_string();
        }
    }
    let first = text.lines().next().unwrap_or_default();
    let mut parts = first.split(' ');
    let method = parts.next().unwrap_or_default();
    let path = parts
        .next()
        .unwrap_or_default()
        .split('?')
        .next()
        .unwrap_or_default();
    // Collapse ids so one REST operation counts once.
    let path: Vec<&str> = path
        .split('/')
        .map(|p| if p.len() > 12 { "{id}" } else { p })
        .collect();
    format!("{method} {}", path.join("/"))
}

/// Forwards one request on a fresh upstream connection and returns the whole answer.
async fn forward(up: &str, req: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut s = TcpStream::connect(up).await?;
    // Ask for a closed connection so the answer ends at end of stream.
    let head_end = find(req, b"\r\n\r\n").map(|i| i + 4).unwrap_or(req.len());
    let head = String::from_utf8_lossy(&req[..head_end]);
    let mut new_head = String::new();
    for line in head.split("\r\n") {
        if line.to_ascii_lowercase().starts_with("connection:") || line.is_empty() {
            continue;
        }
        new_head.push_str(line);
        new_head.push_str("\r\n");
    }
    new_head.push_str("Connection: close\r\n\r\n");
    s.write_all(new_head.as_bytes()).await?;
    s.write_all(&req[head_end..]).await?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).await?;
    Ok(out)
}

const THROTTLE: &[u8] = b"HTTP/1.1 429 Too Many Requests\r\nx-amzn-ErrorType: ThrottlingException\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
const ERROR: &[u8] =
    b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

async fn serve(
    mut sock: TcpStream,
    up: &str,
    cfg: &FaultConfig,
    st: &Mutex<Stats>,
    counter: &AtomicU64,
) -> std::io::Result<()> {
    let Some(req) = read_request(&mut sock).await? else {
        return Ok(());
    };
    let n = counter.fetch_add(1, Ordering::SeqCst);
    let op = operation(&req);
    let fault = draw(cfg, n);
    if let Ok(mut s) = st.lock() {
        s.requests += 1;
        *s.operations.entry(op.clone()).or_default() += 1;
        if let Some(f) = fault {
            *s.faults.entry(format!("{f:?}")).or_default() += 1;
            if matches!(f, Fault::ErrorAfter | Fault::DropAfter | Fault::Slow) {
                *s.ambiguous.entry(op.clone()).or_default() += 1;
            }
        }
    }
    match fault {
        Some(Fault::Throttle) => sock.write_all(THROTTLE).await?,
        Some(Fault::ErrorBefore) => sock.write_all(ERROR).await?,
        Some(Fault::DropBefore) => {}
        Some(Fault::ErrorAfter) => {
            forward(up, &req).await?;
            sock.write_all(ERROR).await?;
        }
        Some(Fault::DropAfter) => {
            forward(up, &req).await?;
        }
        Some(Fault::Slow) => {
            let answer = forward(up, &req).await?;
            tokio::time::sleep(cfg.slow).await;
            let _ = sock.write_all(&answer).await;
        }
        None => {
            let answer = forward(up, &req).await?;
            sock.write_all(&answer).await?;
        }
    }
    // One request per connection: the client opens a new one for the next call.
    let _ = sock.shutdown().await;
    Ok(())
}
