//! Retries with backoff and a client-side rate limit for every AWS call a provider makes.
//!
//! The SDK's own retries are switched off (see [`crate::providers::config`]) because they retry
//! every operation alike; here each call says whether it is safe to send again:
//! [`Safety::Idempotent`] calls (reads, puts, deletes, calls carrying a client token) are retried
//! on throttling, 5xx and network failures; [`Safety::NotIdempotent`] calls (creates without a
//! client token) only when AWS rejected them before doing anything (throttling), because a 5xx or
//! a dropped connection may hide a success.

use super::error::{ApiError, ApiErrorKind};
use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Whether a call may be sent again after a failure that may hide a success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// Sending it twice has the same effect as once (reads, puts, deletes, client tokens).
    Idempotent,
    /// Sending it twice may create two objects or fail the second time.
    NotIdempotent,
}

/// Backoff settings.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in total, including the first. At least 1.
    pub max_attempts: u32,
    /// The first backoff; doubled each attempt, with full jitter.
    pub base_delay: Duration,
    /// The cap on one backoff.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// The delay before attempt `attempt` (1-based count of failures so far), with full jitter.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.max_delay);
        let nanos = exp.as_nanos() as u64;
        if nanos == 0 {
            return exp;
        }
        Duration::from_nanos(jitter() % nanos + nanos / 4).min(self.max_delay)
    }

    /// Whether a failure of `kind` on a call of `safety` may be retried.
    pub fn should_retry(kind: ApiErrorKind, safety: Safety) -> bool {
        match safety {
            Safety::Idempotent => kind.is_transient(),
            Safety::NotIdempotent => kind.is_rejected_before_work(),
        }
    }
}

fn jitter() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

/// A token bucket per (service, operation).
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
    rate: f64,
    burst: f64,
}

/// The documented sustained rate and burst of an operation, if AWS documents one.
pub type RateTable = fn(service: &str, operation: &str) -> Option<(f64, f64)>;

/// The documented API limits (per account per Region). EMR Serverless publishes them
/// (facts §8.2); the other services' limits are not published per operation, so they are left
/// to AWS's throttling answers and the retry loop.
pub fn documented_rates(service: &str, operation: &str) -> Option<(f64, f64)> {
    if service != "emr-serverless" {
        return None;
    }
    match operation {
        "ListApplications" | "GetApplication" | "GetJobRun" => Some((10.0, 50.0)),
        "GetDashboardForJobRun" => Some((1.0, 2.0)),
        "CreateApplication" | "DeleteApplication" | "UpdateApplication" | "ListJobRuns"
        | "StartJobRun" | "CancelJobRun" | "StartApplication" | "StopApplication" => {
            Some((1.0, 25.0))
        }
        _ => None,
    }
}

/// A client-side rate limiter shared by every client of one configuration.
#[derive(Debug)]
pub struct RateLimiter {
    table: RateTable,
    buckets: Mutex<HashMap<(&'static str, &'static str), Bucket>>,
}

impl RateLimiter {
    /// A limiter using `table` for rates.
    pub fn new(table: RateTable) -> RateLimiter {
        RateLimiter {
            table,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Waits until a call of `operation` may be sent.
    pub async fn acquire(&self, service: &'static str, operation: &'static str) {
        let Some((rate, burst)) = (self.table)(service, operation) else {
            return;
        };
        loop {
            let wait = {
                let mut buckets = match self.buckets.lock() {
                    Ok(b) => b,
                    Err(poisoned) => poisoned.into_inner(),
                };
                let now = Instant::now();
                let b = buckets.entry((service, operation)).or_insert(Bucket {
                    tokens: burst,
                    last: now,
                    rate,
                    burst,
                });
                let elapsed = now.duration_since(b.last).as_secs_f64();
                b.tokens = (b.tokens + elapsed * b.rate).min(b.burst);
                b.last = now;
                if b.tokens >= 1.0 {
                    b.tokens -= 1.0;
                    return;
                }
                Duration::from_secs_f64((1.0 - b.tokens) / b.rate)
            };
            tokio::time::sleep(wait).await;
        }
    }
}

/// Every attempt of every AWS call this process made (for `EMRFORM_STATS` and benchmarks).
static API_CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many AWS call attempts this process has made so far.
pub fn api_calls() -> u64 {
    API_CALLS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sends AWS calls through the rate limiter and the retry loop.
#[derive(Debug)]
pub struct Caller {
    /// Backoff settings.
    pub policy: RetryPolicy,
    limiter: RateLimiter,
}

impl Default for Caller {
    fn default() -> Self {
        Caller::new(RetryPolicy::default(), documented_rates)
    }
}

impl Caller {
    /// A caller with its own limiter.
    pub fn new(policy: RetryPolicy, table: RateTable) -> Caller {
        Caller {
            policy,
            limiter: RateLimiter::new(table),
        }
    }

    /// Runs `f` until it succeeds, fails for good, or runs out of attempts.
    ///
    /// # Errors
    /// The last [`ApiError`] when the call failed for good or every attempt failed.
    pub async fn call<T, F, Fut>(
        &self,
        service: &'static str,
        operation: &'static str,
        safety: Safety,
        mut f: F,
    ) -> Result<T, ApiError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let mut attempt = 0u32;
        loop {
            self.limiter.acquire(service, operation).await;
            attempt += 1;
            API_CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            match f().await {
                Ok(v) => return Ok(v),
                Err(e)
                    if attempt < self.policy.max_attempts.max(1)
                        && RetryPolicy::should_retry(e.kind, safety) =>
                {
                    tokio::time::sleep(self.policy.backoff(attempt)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn fast() -> Caller {
        Caller::new(
            RetryPolicy {
                max_attempts: 5,
                base_delay: Duration::from_millis(1),
                max_delay: Duration::from_millis(5),
            },
            |_, _| None,
        )
    }

    #[tokio::test]
    async fn idempotent_calls_retry_on_5xx_and_network() {
        let n = AtomicU32::new(0);
        let r = fast()
            .call("svc", "Get", Safety::Idempotent, || async {
                match n.fetch_add(1, Ordering::SeqCst) {
                    0 => Err(ApiError::new(
                        ApiErrorKind::Unavailable,
                        "InternalError",
                        "x",
                    )),
                    1 => Err(ApiError::new(ApiErrorKind::Network, "io", "dropped")),
                    _ => Ok(7),
                }
            })
            .await;
        assert_eq!(r, Ok(7));
        assert_eq!(n.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn non_idempotent_calls_retry_only_throttling() {
        let n = AtomicU32::new(0);
        let r: Result<(), _> = fast()
            .call("svc", "Create", Safety::NotIdempotent, || async {
                n.fetch_add(1, Ordering::SeqCst);
                Err(ApiError::new(
                    ApiErrorKind::Unavailable,
                    "InternalError",
                    "x",
                ))
            })
            .await;
        assert!(r.is_err());
        assert_eq!(n.load(Ordering::SeqCst), 1);
        let m = AtomicU32::new(0);
        let r = fast()
            .call("svc", "Create", Safety::NotIdempotent, || async {
                if m.fetch_add(1, Ordering::SeqCst) == 0 {
                    Err(ApiError::new(
                        ApiErrorKind::Throttled,
                        "Throttling",
                        "slow down",
                    ))
                } else {
                    Ok(())
                }
            })
            .await;
        assert_eq!(r, Ok(()));
    }

    #[tokio::test]
    async fn validation_errors_are_not_retried_and_attempts_are_capped() {
        let n = AtomicU32::new(0);
        let r: Result<(), _> = fast()
            .call("svc", "Get", Safety::Idempotent, || async {
                n.fetch_add(1, Ordering::SeqCst);
                Err(ApiError::new(
                    ApiErrorKind::Validation,
                    "ValidationException",
                    "no",
                ))
            })
            .await;
        assert!(r.is_err());
        assert_eq!(n.load(Ordering::SeqCst), 1);
        let n = AtomicU32::new(0);
        let _: Result<(), _> = fast()
            .call("svc", "Get", Safety::Idempotent, || async {
                n.fetch_add(1, Ordering::SeqCst);
                Err(ApiError::new(ApiErrorKind::Throttled, "Throttling", "no"))
            })
            .await;
        assert_eq!(n.load(Ordering::SeqCst), 5);
    }

    #[tokio::test]
    async fn limiter_allows_the_burst_then_holds_to_the_rate() {
        // Same shape as EMR Serverless mutations (burst, then a steady rate), scaled up so
        // the test takes milliseconds: burst 5, 50 per second.
        let l = RateLimiter::new(|_, op| (op == "Mutate").then_some((50.0, 5.0)));
        let start = Instant::now();
        for _ in 0..5 {
            l.acquire("svc", "Mutate").await;
        }
        assert!(start.elapsed() < Duration::from_millis(15));
        for _ in 0..5 {
            l.acquire("svc", "Mutate").await;
        }
        // Five more at 50/s need about 100 ms.
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(90), "{waited:?}");
        let start = Instant::now();
        for _ in 0..100 {
            l.acquire("svc", "Read").await;
        }
        assert!(start.elapsed() < Duration::from_millis(20));
    }

    #[test]
    fn documented_rates_match_the_published_table() {
        assert_eq!(
            documented_rates("emr-serverless", "GetApplication"),
            Some((10.0, 50.0))
        );
        assert_eq!(
            documented_rates("emr-serverless", "StopApplication"),
            Some((1.0, 25.0))
        );
        assert_eq!(documented_rates("iam", "GetRole"), None);
    }
}
