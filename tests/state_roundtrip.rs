//! Every state file Terraform wrote (tests/fixtures/state/roundtrip, state/samples) reads and
//! writes back byte for byte, and validates against state/state-v4.schema.json.

use std::path::{Path, PathBuf};

use emrform::state::State;

fn samples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/fixtures/state/roundtrip", "state/samples"] {
        let entries = std::fs::read_dir(root.join(dir)).expect("fixture directory exists");
        for e in entries {
            let p = e.expect("readable directory entry").path();
            if p.extension().is_some_and(|x| x == "tfstate") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn terraform_written_states_round_trip_byte_for_byte() {
    let files = samples();
    assert!(
        files.len() >= 6,
        "expected the Terraform-written samples, found {files:?}"
    );
    for p in files {
        let bytes = std::fs::read(&p).unwrap();
        let state =
            State::from_slice(&bytes, &p.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
        let written = state.to_vec();
        if written != bytes {
            let a = String::from_utf8_lossy(&bytes);
            let b = String::from_utf8_lossy(&written);
            for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
                assert_eq!(x, y, "{}: first difference at line {}", p.display(), i + 1);
            }
            panic!(
                "{}: lengths differ ({} vs {})",
                p.display(),
                bytes.len(),
                written.len()
            );
        }
        // A second pass through the model is stable too.
        let again = State::from_slice(&written, "again").unwrap();
        assert_eq!(again, state);
    }
}

#[test]
fn samples_cover_the_interesting_parts_of_the_format() {
    let all: Vec<State> = samples()
        .iter()
        .map(|p| State::from_slice(&std::fs::read(p).unwrap(), "s").unwrap())
        .collect();
    let instances = || {
        all.iter()
            .flat_map(|s| s.resources.iter().flat_map(|r| &r.instances))
    };
    assert!(
        all.iter().any(|s| s.check_results.is_some()),
        "check_results"
    );
    assert!(
        all.iter().any(|s| s.outputs.values().any(|o| o.sensitive)),
        "sensitive output"
    );
    assert!(
        all.iter()
            .any(|s| s.resources.iter().any(|r| !r.module.is_root())),
        "module"
    );
    assert!(
        instances().any(|i| i.create_before_destroy),
        "create_before_destroy"
    );
    assert!(
        instances().any(|i| !i.dependencies.is_empty()),
        "dependencies"
    );
    assert!(instances().any(|i| matches!(i.index_key, Some(emrform::addrs::InstanceKey::Str(_)))));
    assert!(instances().any(|i| matches!(i.index_key, Some(emrform::addrs::InstanceKey::Int(_)))));
}

fn validator() -> jsonschema::Validator {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("state/state-v4.schema.json");
    let schema: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_sample_validates_against_the_json_schema() {
    let v = validator();
    for p in samples() {
        let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        let errs = errors(&v, &doc);
        assert!(errs.is_empty(), "{}: {errs:#?}", p.display());
    }
}

#[test]
fn states_emrform_writes_validate_and_bad_ones_do_not() {
    let v = validator();
    let mut s = emrform::state::backend::conformance::sample_state();
    emrform::state::ops::mv(&mut s, "module.app[\"etl\"]", "module.etl").unwrap();
    s.bump_serial();
    let doc: serde_json::Value = serde_json::from_slice(&s.to_vec()).unwrap();
    assert!(errors(&v, &doc).is_empty(), "{:#?}", errors(&v, &doc));

    let mut bad = doc.clone();
    bad["version"] = 5.into();
    assert!(!errors(&v, &bad).is_empty());
    let mut bad = doc.clone();
    bad.as_object_mut().unwrap().remove("lineage");
    assert!(!errors(&v, &bad).is_empty());
    let mut bad = doc.clone();
    bad["resources"][0]["mode"] = "other".into();
    assert!(!errors(&v, &bad).is_empty());
    let mut bad = doc;
    bad["resources"][0]["instances"][0]["surprise"] = true.into();
    assert!(!errors(&v, &bad).is_empty());
}
