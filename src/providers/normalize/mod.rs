//! Normalisers: pure functions that put equivalent forms of a value into one canonical form so
//! that comparing prior, live and desired objects shows no perpetual diff. They only serve
//! comparison and read-back (choosing which equivalent text to keep in state); they must not
//! call AWS or change meaning.

pub mod capacity;
pub mod policy;
pub mod tags;

pub use capacity::{normalize_cpu, normalize_disk, normalize_memory};
pub use policy::{canonical_policy, decode_policy_text, policies_equivalent, policy_for_state};
pub use tags::{merge_tags, tags_from_live};

/// An engine type in the case Terraform keeps in state (`spark`, `hive`).
pub fn engine_type_for_state(t: &str) -> String {
    t.trim().to_ascii_lowercase()
}

/// An engine type in the case the EMR Serverless API expects (`SPARK`, `HIVE`).
pub fn engine_type_for_api(t: &str) -> String {
    t.trim().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_types_compare_case_insensitively() {
        // moto and AWS answer "Spark"/"SPARK"; configurations say "spark" or "SPARK".
        for t in ["Spark", "SPARK", "spark", " spark "] {
            assert_eq!(engine_type_for_state(t), "spark");
            assert_eq!(engine_type_for_api(t), "SPARK");
        }
        assert_eq!(engine_type_for_state("Hive"), "hive");
    }
}
