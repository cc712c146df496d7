//! The local and memory backends: conformance, atomic writes, backups, file modes, locking
//! across threads and processes, corrupt files, force-unlock.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use emrform::state::backend::conformance::{self, sample_state};
use emrform::state::backend::local::LocalBackend;
use emrform::state::backend::memory::MemoryBackend;
use emrform::state::backend::{lock_with_timeout, Backend, BackendError, LockInfo, Version};
use emrform::state::State;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
}

fn first_state() -> State {
    let mut s = sample_state();
    s.bump_serial();
    s
}

#[test]
fn memory_backend_conforms() {
    rt().block_on(conformance::run_all(MemoryBackend::new))
        .unwrap();
}

#[test]
fn local_backend_conforms() {
    let dirs: Vec<tempfile::TempDir> = (0..5).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut it = dirs.iter();
    rt().block_on(conformance::run_all(|| {
        LocalBackend::in_dir(it.next().expect("enough directories").path())
    }))
    .unwrap();
}

#[test]
fn local_backend_with_custom_path_conforms() {
    let dirs: Vec<tempfile::TempDir> = (0..5).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut it = dirs.iter();
    rt().block_on(conformance::run_all(|| {
        let d = it.next().expect("enough directories").path().join("env");
        std::fs::create_dir_all(&d).unwrap();
        LocalBackend::new(d.join("prod.tfstate"))
    }))
    .unwrap();
}

#[test]
fn state_file_is_created_0600_and_previous_copy_kept_as_backup() {
    let dir = tempfile::tempdir().unwrap();
    let b = LocalBackend::in_dir(dir.path());
    rt().block_on(async {
        let s1 = first_state();
        let v1 = b.write(&s1, &Version::Absent).await.unwrap();
        let mode = std::fs::metadata(b.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "state file mode {mode:o}");
        assert!(
            !b.backup_path().exists(),
            "no backup before there is a previous state"
        );
        let first_bytes = std::fs::read(b.path()).unwrap();

        let mut s2 = s1.clone();
        s2.outputs.clear();
        s2.bump_serial();
        b.write(&s2, &v1).await.unwrap();
        assert_eq!(std::fs::read(b.backup_path()).unwrap(), first_bytes);
        let mode = std::fs::metadata(b.backup_path())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600, "backup mode {mode:o}");
        assert_eq!(std::fs::read(b.path()).unwrap(), s2.to_vec());
        // No temporary files are left behind.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    });
}

#[test]
fn failed_temp_write_leaves_the_old_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let b = LocalBackend::in_dir(dir.path());
    rt().block_on(async {
        let s1 = first_state();
        let v1 = b.write(&s1, &Version::Absent).await.unwrap();
        let before = std::fs::read(b.path()).unwrap();
        // Something that is not a file sits where the temporary file must be created
        // (a non-empty directory cannot be removed as a file), so the write fails.
        std::fs::create_dir(b.temp_path()).unwrap();
        std::fs::write(b.temp_path().join("x"), b"x").unwrap();
        let mut s2 = s1.clone();
        s2.bump_serial();
        let err = b.write(&s2, &v1).await.unwrap_err();
        assert!(matches!(err, BackendError::Io { .. }), "{err}");
        assert_eq!(std::fs::read(b.path()).unwrap(), before);
        assert_eq!(b.read().await.unwrap().state, Some(s1));
        std::fs::remove_dir_all(b.temp_path()).unwrap();
        // Once the obstacle is gone the same write succeeds.
        b.write(&s2, &v1).await.unwrap();
    });
}

#[test]
fn corrupt_state_is_reported_with_position_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let b = LocalBackend::in_dir(dir.path());
    let corrupt =
        b"{\n  \"version\": 4,\n  \"serial\": 3,\n  \"lineage\": \"x\"\n  \"resources\": []\n}\n";
    std::fs::write(b.path(), corrupt).unwrap();
    rt().block_on(async {
        let err = b.read().await.unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, BackendError::Format(_)), "{msg}");
        assert!(msg.contains("terraform.tfstate:5:3"), "{msg}");
        assert!(msg.contains("left untouched"), "{msg}");
        let s = first_state();
        for expect in [
            Version::Absent,
            Version::of_bytes(corrupt),
            Version::Token("anything".into()),
        ] {
            let err = b.write(&s, &expect).await.unwrap_err();
            assert!(matches!(err, BackendError::Format(_)), "{err}");
        }
        assert_eq!(std::fs::read(b.path()).unwrap(), corrupt);
        assert!(!b.backup_path().exists());
    });
    // The same holds for the memory backend.
    let m = MemoryBackend::with_bytes(b"not json".to_vec());
    rt().block_on(async {
        assert!(m.read().await.is_err());
        assert!(m.write(&first_state(), &Version::Absent).await.is_err());
    });
    assert_eq!(m.bytes().unwrap(), b"not json");
}

#[test]
fn newer_format_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let b = LocalBackend::in_dir(dir.path());
    let future = br#"{"version": 5, "serial": 9, "lineage": "l", "something_new": {}}"#;
    std::fs::write(b.path(), future).unwrap();
    rt().block_on(async {
        let msg = b.read().await.unwrap_err().to_string();
        assert!(msg.contains("version 5 is not supported"), "{msg}");
        assert!(b.write(&first_state(), &Version::Absent).await.is_err());
    });
    assert_eq!(std::fs::read(b.path()).unwrap(), future);
}

#[test]
fn terraform_written_state_is_read_and_updated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/state/roundtrip/network.tfstate");
    std::fs::copy(&src, dir.path().join("terraform.tfstate")).unwrap();
    let b = LocalBackend::in_dir(dir.path());
    rt().block_on(async {
        let snap = b.read().await.unwrap();
        let mut s = snap.state.clone().unwrap();
        assert_eq!(snap.serial, s.serial);
        s.bump_serial();
        b.write(&s, &snap.version).await.unwrap();
        assert_eq!(
            std::fs::read(b.backup_path()).unwrap(),
            std::fs::read(&src).unwrap()
        );
        let again = b.read().await.unwrap();
        assert_eq!(again.serial, snap.serial + 1);
        assert_eq!(again.lineage, snap.lineage);
    });
}

#[test]
fn lock_file_is_terraform_named_json() {
    let dir = tempfile::tempdir().unwrap();
    let b = LocalBackend::in_dir(dir.path());
    rt().block_on(async {
        let info = LockInfo::new("OperationTypeApply");
        let id = b.lock(info.clone()).await.unwrap();
        let path = dir.path().join(".terraform.tfstate.lock.info");
        let j: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(j["ID"], info.id.as_str());
        assert_eq!(j["Operation"], "OperationTypeApply");
        assert_eq!(j["Path"], b.path().display().to_string());
        assert!(j["Who"].as_str().unwrap().contains('@'));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        b.unlock(&id).await.unwrap();
        assert!(!path.exists());
    });
}

#[test]
fn lock_contention_between_threads_has_one_winner() {
    let dir = tempfile::tempdir().unwrap();
    let n = 8;
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            let b = LocalBackend::in_dir(dir.path());
            std::thread::spawn(move || {
                barrier.wait();
                rt().block_on(b.lock(LockInfo::new("OperationTypeApply")))
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let winners: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    for r in &results {
        if let Err(e) = r {
            match e {
                BackendError::Locked(held) => assert_eq!(held.id, winners[0].0),
                other => panic!("unexpected error {other}"),
            }
        }
    }
}

#[test]
fn lock_timeout_waits_for_release_and_gives_up_when_held() {
    let dir = tempfile::tempdir().unwrap();
    let b = Arc::new(LocalBackend::in_dir(dir.path()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    rt.block_on(async {
        let holder = b.lock(LockInfo::new("OperationTypeApply")).await.unwrap();
        // Zero timeout: one try, the holder is reported.
        let err = lock_with_timeout(
            b.as_ref(),
            LockInfo::new("OperationTypePlan"),
            Duration::ZERO,
        )
        .await
        .unwrap_err();
        match &err {
            BackendError::Locked(h) => assert_eq!(h.id, holder.0),
            other => panic!("{other}"),
        }
        assert!(err.to_string().contains("force-unlock"), "{err}");
        // Released after 200ms: a 5s timeout gets the lock.
        let b2 = Arc::clone(&b);
        let h2 = holder.clone();
        let releaser = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            b2.unlock(&h2).await
        });
        let got = lock_with_timeout(
            b.as_ref(),
            LockInfo::new("OperationTypePlan"),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
        releaser.await.unwrap().unwrap();
        assert_ne!(got, holder);
        b.unlock(&got).await.unwrap();
    });
}

const CHILD_ENV: &str = "EMRFORM_STATE_LOCK_CHILD_DIR";

/// Not a test on its own: when started by `lock_contention_between_processes` it takes the
/// lock in a separate process, reports, and holds it until told to release.
#[test]
fn child_process_lock_holder() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let dir = Path::new(&dir);
    let b = LocalBackend::in_dir(dir);
    let rt = rt();
    let mut info = LockInfo::new("OperationTypeApply");
    info.info = "child process".into();
    let id = rt.block_on(b.lock(info)).unwrap();
    std::fs::write(dir.join("child-locked"), &id.0).unwrap();
    for _ in 0..200 {
        if dir.join("child-release").exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    rt.block_on(b.unlock(&id)).unwrap();
    std::fs::write(dir.join("child-done"), b"").unwrap();
}

#[test]
fn lock_contention_between_processes() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(exe)
        .args(["--exact", "child_process_lock_holder", "--test-threads=1"])
        .env(CHILD_ENV, dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let locked = dir.path().join("child-locked");
    for _ in 0..400 {
        if locked.exists() && std::fs::metadata(&locked).unwrap().len() > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let child_id = std::fs::read_to_string(&locked).expect("child took the lock");
    let b = LocalBackend::in_dir(dir.path());
    let rt = rt();
    match rt.block_on(b.lock(LockInfo::new("OperationTypePlan"))) {
        Err(BackendError::Locked(h)) => {
            assert_eq!(h.id, child_id);
            assert_eq!(h.info, "child process");
        }
        other => panic!("lock held by another process was granted: {other:?}"),
    }
    // Our force-unlock with a wrong id must not free the child's lock.
    assert!(rt.block_on(b.force_unlock("wrong")).is_err());
    std::fs::write(dir.path().join("child-release"), b"").unwrap();
    assert!(child.wait().unwrap().success());
    assert!(dir.path().join("child-done").exists());
    let id = rt
        .block_on(b.lock(LockInfo::new("OperationTypePlan")))
        .unwrap();
    rt.block_on(b.unlock(&id)).unwrap();
}

#[test]
fn force_unlock_clears_a_lock_left_by_a_crashed_run() {
    let dir = tempfile::tempdir().unwrap();
    let b = LocalBackend::in_dir(dir.path());
    // A lock file as a crashed Terraform run leaves it.
    let stale = r#"{"ID":"2b6a6738-5dd5-50d6-c0ae-f6352977666b","Operation":"OperationTypeApply","Info":"","Who":"someone@elsewhere","Version":"1.11.4","Created":"2025-01-01T10:00:00.123456789Z","Path":"terraform.tfstate"}"#;
    std::fs::write(b.lock_path(), stale).unwrap();
    rt().block_on(async {
        let err = b
            .lock(LockInfo::new("OperationTypeApply"))
            .await
            .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("someone@elsewhere"), "{msg}");
        assert!(
            msg.contains("2b6a6738-5dd5-50d6-c0ae-f6352977666b"),
            "{msg}"
        );
        assert!(matches!(
            b.force_unlock("00000000-0000-0000-0000-000000000000").await,
            Err(BackendError::LockIdMismatch { .. })
        ));
        assert!(b.lock_path().exists());
        b.force_unlock("2b6a6738-5dd5-50d6-c0ae-f6352977666b")
            .await
            .unwrap();
        assert!(!b.lock_path().exists());
        assert!(matches!(
            b.force_unlock("x").await,
            Err(BackendError::NotLocked)
        ));
    });
}
