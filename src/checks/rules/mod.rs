//! The checks, one per file, and the table of all of them. Codes are never reused.

mod image_repo_not_pullable;
mod image_uri_invalid;
mod initial_capacity_over_maximum;
mod initial_capacity_type_invalid;
mod key_policy_blocks_service;
mod log_bucket_other_region;
mod network_mixed_vpcs;
mod release_label_feature;
mod security_group_no_egress;
mod subnet_too_small;
mod subnet_without_s3_route;
mod tags_over_limit;
mod unsupported_availability_zone;
mod worker_size_off_grid;

pub use image_repo_not_pullable::ImageRepoNotPullable;
pub use image_uri_invalid::ImageUriInvalid;
pub use initial_capacity_over_maximum::InitialCapacityOverMaximum;
pub use initial_capacity_type_invalid::InitialCapacityTypeInvalid;
pub use key_policy_blocks_service::KeyPolicyBlocksService;
pub use log_bucket_other_region::LogBucketOtherRegion;
pub use network_mixed_vpcs::NetworkMixedVpcs;
pub use release_label_feature::ReleaseLabelFeature;
pub use security_group_no_egress::SecurityGroupNoEgress;
pub use subnet_too_small::SubnetTooSmall;
pub use subnet_without_s3_route::SubnetWithoutS3Route;
pub use tags_over_limit::TagsOverLimit;
pub use unsupported_availability_zone::UnsupportedAvailabilityZone;
pub use worker_size_off_grid::WorkerSizeOffGrid;

use super::Check;

/// Every check, in code order.
pub static ALL: &[&dyn Check] = &[
    &SubnetTooSmall,
    &WorkerSizeOffGrid,
    &InitialCapacityOverMaximum,
    &ImageRepoNotPullable,
    &ImageUriInvalid,
    &ReleaseLabelFeature,
    &NetworkMixedVpcs,
    &UnsupportedAvailabilityZone,
    &TagsOverLimit,
    &InitialCapacityTypeInvalid,
    &SubnetWithoutS3Route,
    &SecurityGroupNoEgress,
    &LogBucketOtherRegion,
    &KeyPolicyBlocksService,
];

use crate::config::value::Value;

/// The README's table of every check (ID, name, severity, what it catches, fix, silencing).
pub fn table_markdown() -> String {
    let mut out = String::from(
        "| ID | name | severity | catches | fix | silence on one resource |\n|---|---|---|---|---|---|\n",
    );
    for c in ALL {
        let m = c.meta();
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | `# emrform:ignore {} reason` |\n",
            m.code,
            m.name,
            match m.severity {
                crate::plan::FindingSeverity::Error => "error",
                crate::plan::FindingSeverity::Warning => "warning",
                crate::plan::FindingSeverity::Info => "info",
            },
            m.summary,
            m.fix,
            m.code
        ));
    }
    out
}

/// The first element of a one-block list (`maximum_capacity[0]`).
pub(crate) fn first<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    match v.get(key)? {
        Value::List(l) | Value::Set(l) => l.first(),
        m @ Value::Map(_) => Some(m),
        _ => None,
    }
}

/// The strings of a list or set value (others skipped); empty for anything else.
pub(crate) fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_list)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Subnet ids of an application's network configuration.
pub fn subnet_ids(app: &Value) -> Vec<String> {
    strings(first(app, "network_configuration").and_then(|n| n.get("subnet_ids")))
}

/// Security group ids of an application's network configuration.
pub(crate) fn security_group_ids(app: &Value) -> Vec<String> {
    strings(first(app, "network_configuration").and_then(|n| n.get("security_group_ids")))
}

/// Custom image URIs of an application, with the attribute they are set in.
pub(crate) fn image_uris(app: &Value) -> Vec<(String, &'static str)> {
    first(app, "image_configuration")
        .and_then(|i| i.get("image_uri"))
        .and_then(Value::as_str)
        .map(|u| vec![(u.to_string(), "image_configuration")])
        .unwrap_or_default()
}

/// Worker configurations of an application's initial capacity: (type, count, cpu, memory, disk).
/// (type, count, cpu, memory GB, disk GB) of one worker configuration.
pub(crate) type Worker = (String, f64, Option<f64>, Option<f64>, Option<f64>);

pub(crate) fn workers(app: &Value) -> Vec<Worker> {
    let mut out = Vec::new();
    if let Some(list) = app.get("initial_capacity").and_then(Value::as_list) {
        for ic in list {
            let ty = ic
                .get("initial_capacity_type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let Some(cfg) = first(ic, "initial_capacity_config") else {
                continue;
            };
            let count = cfg
                .get("worker_count")
                .and_then(Value::as_f64)
                .unwrap_or(0.0);
            let wc = first(cfg, "worker_configuration");
            let cpu = wc
                .and_then(|w| w.get("cpu"))
                .and_then(Value::as_str)
                .and_then(super::capacity::parse_vcpu);
            let mem = wc
                .and_then(|w| w.get("memory"))
                .and_then(Value::as_str)
                .and_then(super::capacity::parse_gb);
            let disk = wc
                .and_then(|w| w.get("disk"))
                .and_then(Value::as_str)
                .and_then(super::capacity::parse_gb);
            out.push((ty, count, cpu, mem, disk));
        }
    }
    out
}

#[cfg(test)]
mod readme {
    /// README.md's table is this code's table.
    #[test]
    fn readme_table_matches_the_checks() {
        crate::readme_section::check("checks-table", &super::table_markdown());
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use crate::checks::{Context, Facts, RawFinding, Subject};
    use crate::config::value::Value;

    /// An application value in state form.
    pub fn app(
        name: &str,
        max_cpu: &str,
        workers: &[(&str, u32, &str, &str)],
        subnets: &[&str],
    ) -> Value {
        let ic: Vec<Value> = workers
            .iter()
            .map(|(t, n, cpu, mem)| {
                Value::map([
                    ("initial_capacity_type", Value::string(*t)),
                    (
                        "initial_capacity_config",
                        Value::List(vec![Value::map([
                            ("worker_count", Value::Number(*n as f64)),
                            (
                                "worker_configuration",
                                Value::List(vec![Value::map([
                                    ("cpu", Value::string(*cpu)),
                                    ("memory", Value::string(*mem)),
                                    ("disk", Value::Null),
                                ])]),
                            ),
                        ])]),
                    ),
                ])
            })
            .collect();
        Value::map([
            ("name", Value::string(name)),
            ("type", Value::string("spark")),
            (
                "maximum_capacity",
                Value::List(vec![Value::map([
                    ("cpu", Value::string(max_cpu)),
                    ("memory", Value::string("100000 GB")),
                    ("disk", Value::Null),
                ])]),
            ),
            ("initial_capacity", Value::set(ic)),
            (
                "network_configuration",
                Value::List(vec![Value::map([
                    (
                        "subnet_ids",
                        Value::set(subnets.iter().map(|s| Value::string(*s)).collect()),
                    ),
                    ("security_group_ids", Value::set(vec![])),
                ])]),
            ),
        ])
    }

    pub fn subject(addr: &str, ty: &str, value: Value) -> Subject {
        Subject {
            address: addr.into(),
            type_name: ty.into(),
            value,
            span: None,
            attr_spans: vec![],
            ignored: vec![],
            exists: false,
        }
    }

    pub fn run(
        check: &dyn crate::checks::Check,
        subjects: &[Subject],
        facts: &Facts,
    ) -> Vec<RawFinding> {
        let ctx = Context {
            subjects,
            facts,
            region: Some("us-east-1".into()),
        };
        let mut out = Vec::new();
        check.run(&ctx, &mut out);
        out
    }
}

/// A JSON policy value as strings (`"a"` or `["a", "b"]`).
pub(crate) fn string_values(v: Option<&serde_json::Value>) -> Vec<String> {
    match v {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// True when `pattern` (an IAM action with `*`/`?` wildcards, case-insensitive) covers `action`.
pub(crate) fn action_matches(pattern: &str, action: &str) -> bool {
    let p = pattern.to_ascii_lowercase();
    let a = action.to_ascii_lowercase();
    let re = format!(
        "^{}$",
        regex::escape(&p).replace(r"\*", ".*").replace(r"\?", ".")
    );
    regex::Regex::new(&re).is_ok_and(|r| r.is_match(&a))
}
