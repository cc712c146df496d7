//! Checks every [`Backend`] must pass (memory, local, S3 against moto). Each check takes a
//! backend that holds nothing and is unlocked, and returns what went wrong instead of
//! panicking, so test suites of any backend call them and `unwrap` the result.

use serde_json::json;

use super::{Backend, BackendError, LockInfo, Version};
use crate::state::model::{Instance, OutputValue, State};

/// A failed conformance check.
#[derive(Debug, thiserror::Error)]
pub enum ConformanceError {
    /// The backend behaved differently from the contract.
    #[error("{check}: {message}")]
    Violated {
        /// The check's name.
        check: &'static str,
        /// What differed.
        message: String,
    },
    /// The backend failed where it should have succeeded.
    #[error("{check}: unexpected backend error: {source}")]
    Backend {
        /// The check's name.
        check: &'static str,
        /// The error.
        #[source]
        source: BackendError,
    },
}

fn fail(check: &'static str, message: impl Into<String>) -> ConformanceError {
    ConformanceError::Violated {
        check,
        message: message.into(),
    }
}

fn ok<T>(check: &'static str, r: Result<T, BackendError>) -> Result<T, ConformanceError> {
    r.map_err(|source| ConformanceError::Backend { check, source })
}

/// A small but complete state: an output, a module resource with a keyed instance.
pub fn sample_state() -> State {
    let mut s = State::new();
    s.outputs.insert(
        "arn".into(),
        OutputValue {
            value: json!("arn:aws:iam::123456789012:role/x"),
            type_: json!("string"),
            sensitive: false,
        },
    );
    let addr = "module.app[\"etl\"].aws_iam_role.this[0]"
        .parse()
        .unwrap_or_else(|_| unreachable!("a literal address parses"));
    s.insert_instance(
        &addr,
        "provider[\"registry.terraform.io/hashicorp/aws\"]",
        Instance::new(
            0,
            json!({"id": "x", "name": "x & <y>", "max_session_duration": 3600}),
        ),
    );
    s
}

/// Runs every check, each on a fresh backend from `make`.
///
/// # Errors
///
/// The first check that fails.
pub async fn run_all<B: Backend, F: FnMut() -> B>(mut make: F) -> Result<(), ConformanceError> {
    round_trip(&make()).await?;
    serial_bump(&make()).await?;
    stale_write_rejected(&make()).await?;
    lock_held_error_carries_holder(&make()).await?;
    unlock_wrong_id_refused(&make()).await?;
    Ok(())
}

/// Empty read is absent; a written state reads back equal, with its serial and lineage.
///
/// # Errors
///
/// When the backend breaks the contract.
pub async fn round_trip(b: &dyn Backend) -> Result<(), ConformanceError> {
    const C: &str = "round_trip";
    let empty = ok(C, b.read().await)?;
    if empty.state.is_some() || empty.version != Version::Absent {
        return Err(fail(C, "a fresh backend should hold nothing"));
    }
    let mut s = sample_state();
    s.bump_serial();
    let v = ok(C, b.write(&s, &Version::Absent).await)?;
    let snap = ok(C, b.read().await)?;
    if snap.state.as_ref() != Some(&s) {
        return Err(fail(C, "the state read back differs from the one written"));
    }
    if snap.version != v || snap.serial != s.serial || snap.lineage.as_deref() != Some(&s.lineage) {
        return Err(fail(
            C,
            "snapshot version/serial/lineage do not match the write",
        ));
    }
    Ok(())
}

/// Successive writes must increase the serial; a write with the same serial is refused.
///
/// # Errors
///
/// When the backend breaks the contract.
pub async fn serial_bump(b: &dyn Backend) -> Result<(), ConformanceError> {
    const C: &str = "serial_bump";
    let mut s = sample_state();
    s.bump_serial();
    let v1 = ok(C, b.write(&s, &Version::Absent).await)?;
    s.outputs.remove("arn");
    match b.write(&s, &v1).await {
        Err(BackendError::SerialNotIncreased {
            stored: 1,
            given: 1,
        }) => {}
        other => {
            return Err(fail(
                C,
                format!("same serial accepted or wrong error: {other:?}"),
            ))
        }
    }
    s.bump_serial();
    let v2 = ok(C, b.write(&s, &v1).await)?;
    let snap = ok(C, b.read().await)?;
    if snap.serial != 2 || snap.version != v2 || v2 == v1 {
        return Err(fail(
            C,
            format!(
                "expected serial 2 at {v2}, read {} at {}",
                snap.serial, snap.version
            ),
        ));
    }
    let mut other = State::new();
    other.serial = 10;
    match b.write(&other, &v2).await {
        Err(BackendError::LineageMismatch { .. }) => Ok(()),
        other => Err(fail(
            C,
            format!("foreign lineage accepted or wrong error: {other:?}"),
        )),
    }
}

/// A write against a version that is no longer stored is refused and changes nothing.
///
/// # Errors
///
/// When the backend breaks the contract.
pub async fn stale_write_rejected(b: &dyn Backend) -> Result<(), ConformanceError> {
    const C: &str = "stale_write_rejected";
    let mut s = sample_state();
    s.bump_serial();
    let v1 = ok(C, b.write(&s, &Version::Absent).await)?;
    // Writer A and writer B both read v1; A writes first.
    let mut a = s.clone();
    a.bump_serial();
    let v2 = ok(C, b.write(&a, &v1).await)?;
    let mut bb = s.clone();
    bb.serial = 5;
    match b.write(&bb, &v1).await {
        Err(BackendError::Stale { expected, found }) if expected == v1 && found == v2 => {}
        other => {
            return Err(fail(
                C,
                format!("stale write not refused as Stale: {other:?}"),
            ))
        }
    }
    match b.write(&bb, &Version::Absent).await {
        Err(BackendError::Stale { .. }) => {}
        other => {
            return Err(fail(
                C,
                format!("create over existing state not refused: {other:?}"),
            ))
        }
    }
    let snap = ok(C, b.read().await)?;
    if snap.state.as_ref() != Some(&a) {
        return Err(fail(C, "a refused write changed the stored state"));
    }
    Ok(())
}

/// A second lock fails at once with the holder's [`LockInfo`]; unlock frees it.
///
/// # Errors
///
/// When the backend breaks the contract.
pub async fn lock_held_error_carries_holder(b: &dyn Backend) -> Result<(), ConformanceError> {
    const C: &str = "lock_held_error_carries_holder";
    let mut first = LockInfo::new("OperationTypeApply");
    first.info = "first holder".into();
    let id = ok(C, b.lock(first.clone()).await)?;
    if id.0 != first.id {
        return Err(fail(C, "the lock id is not the LockInfo id"));
    }
    match b.lock(LockInfo::new("OperationTypePlan")).await {
        Err(BackendError::Locked(held)) => {
            if held.id != first.id
                || held.info != "first holder"
                || held.operation != first.operation
            {
                return Err(fail(C, format!("holder info wrong: {held:?}")));
            }
        }
        other => return Err(fail(C, format!("second lock not refused: {other:?}"))),
    }
    match ok(C, b.lock_info().await)? {
        Some(h) if h.id == first.id && !h.path.is_empty() => {}
        other => return Err(fail(C, format!("lock_info wrong: {other:?}"))),
    }
    ok(C, b.unlock(&id).await)?;
    if ok(C, b.lock_info().await)?.is_some() {
        return Err(fail(C, "still locked after unlock"));
    }
    let again = ok(C, b.lock(LockInfo::new("OperationTypePlan")).await)?;
    ok(C, b.unlock(&again).await)?;
    match b.unlock(&again).await {
        Err(BackendError::NotLocked) => Ok(()),
        other => Err(fail(C, format!("unlocking twice: {other:?}"))),
    }
}

/// Unlock and force-unlock refuse an id that is not the holder's.
///
/// # Errors
///
/// When the backend breaks the contract.
pub async fn unlock_wrong_id_refused(b: &dyn Backend) -> Result<(), ConformanceError> {
    const C: &str = "unlock_wrong_id_refused";
    let info = LockInfo::new("OperationTypeApply");
    let id = ok(C, b.lock(info.clone()).await)?;
    match b.force_unlock("not-the-id").await {
        Err(BackendError::LockIdMismatch { held, given })
            if held.id == info.id && given == "not-the-id" => {}
        other => return Err(fail(C, format!("wrong id accepted: {other:?}"))),
    }
    if ok(C, b.lock_info().await)?.is_none() {
        return Err(fail(C, "a refused force-unlock released the lock"));
    }
    ok(C, b.force_unlock(&id.0).await)?;
    if ok(C, b.lock_info().await)?.is_some() {
        return Err(fail(C, "force-unlock with the right id left the lock"));
    }
    Ok(())
}
