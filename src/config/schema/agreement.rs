//! Agreement between our schemas and the AWS provider's own schema dumps in `testdata/`: every
//! attribute name, type and required/optional/computed/sensitive/deprecated flag, and every
//! block's nesting and item limits, as provider 5.100 reports them, plus the v6 additions we
//! deliberately carry. The deliberate differences are listed here, in one place.
//!
//! Test-only: nothing outside `#[cfg(test)]` may depend on this module.

use super::registry::all_schemas;
use super::{AttrType, Attribute, Body, Nesting, ResourceSchema, SchemaKind};
use serde_json::Value as Json;
use std::collections::BTreeSet;

const V5: &str = include_str!("testdata/aws-provider-5.100.json");
const V6: &str = include_str!("testdata/aws-provider-6.47.json");

/// Attributes and blocks we have that provider 5.100 does not: provider v6 additions, each
/// checked against the 6.47 dump (type and flags, or the whole block). (kind, type, path)
const V6_ADDITIONS: &[(&str, &str, &str)] = &[
    ("managed", "aws_emrserverless_application", "region"),
    (
        "managed",
        "aws_emrserverless_application",
        "monitoring_configuration",
    ),
    (
        "managed",
        "aws_emrserverless_application",
        "runtime_configuration",
    ),
    (
        "managed",
        "aws_emrserverless_application",
        "scheduler_configuration",
    ),
    (
        "managed",
        "aws_iam_policy",
        "delay_after_policy_creation_in_ms",
    ),
    ("managed", "aws_vpc", "region"),
    ("managed", "aws_subnet", "ipv4_ipam_pool_id"),
    ("managed", "aws_subnet", "ipv4_netmask_length"),
    ("managed", "aws_subnet", "ipv6_ipam_pool_id"),
    ("managed", "aws_subnet", "ipv6_netmask_length"),
    ("managed", "aws_subnet", "region"),
    ("managed", "aws_route_table", "region"),
    ("managed", "aws_route_table_association", "region"),
    ("managed", "aws_route", "odb_network_arn"),
    ("managed", "aws_route", "region"),
    ("managed", "aws_vpc_endpoint", "region"),
    (
        "managed",
        "aws_vpc_endpoint",
        "dns_options.private_dns_preference",
    ),
    (
        "managed",
        "aws_vpc_endpoint",
        "dns_options.private_dns_specified_domains",
    ),
    ("managed", "aws_security_group", "region"),
    ("managed", "aws_security_group_rule", "region"),
    ("managed", "aws_vpc_security_group_ingress_rule", "region"),
    ("managed", "aws_vpc_security_group_egress_rule", "region"),
    ("managed", "aws_internet_gateway", "region"),
    ("managed", "aws_nat_gateway", "auto_provision_zones"),
    ("managed", "aws_nat_gateway", "auto_scaling_ips"),
    ("managed", "aws_nat_gateway", "availability_mode"),
    ("managed", "aws_nat_gateway", "region"),
    ("managed", "aws_nat_gateway", "regional_nat_gateway_address"),
    (
        "managed",
        "aws_nat_gateway",
        "regional_nat_gateway_auto_mode",
    ),
    ("managed", "aws_nat_gateway", "route_table_id"),
    ("managed", "aws_nat_gateway", "vpc_id"),
    ("managed", "aws_nat_gateway", "availability_zone_address"),
    ("managed", "aws_eip", "region"),
    ("managed", "aws_ecr_repository", "region"),
    (
        "managed",
        "aws_ecr_repository",
        "image_tag_mutability_exclusion_filter",
    ),
    ("managed", "aws_ecr_repository_policy", "region"),
    ("managed", "aws_ecr_lifecycle_policy", "region"),
    ("managed", "aws_s3_bucket", "bucket_namespace"),
    ("managed", "aws_s3_bucket", "bucket_region"),
    ("managed", "aws_s3_bucket_versioning", "region"),
    (
        "managed",
        "aws_s3_bucket_server_side_encryption_configuration",
        "region",
    ),
    (
        "managed",
        "aws_s3_bucket_server_side_encryption_configuration",
        "rule.blocked_encryption_types",
    ),
    ("managed", "aws_s3_bucket_public_access_block", "region"),
    (
        "managed",
        "aws_s3_bucket_public_access_block",
        "skip_destroy",
    ),
    ("managed", "aws_s3_bucket_policy", "region"),
    ("managed", "aws_s3_object", "region"),
    (
        "managed",
        "aws_cloudwatch_log_group",
        "deletion_protection_enabled",
    ),
    ("managed", "aws_cloudwatch_log_group", "region"),
    ("managed", "aws_kms_key", "region"),
    ("managed", "aws_kms_alias", "region"),
    ("data", "aws_vpc", "region"),
    ("data", "aws_subnet", "region"),
    ("data", "aws_subnets", "region"),
    ("data", "aws_availability_zones", "region"),
    ("data", "aws_route_table", "region"),
    (
        "data",
        "aws_ecr_repository",
        "image_tag_mutability_exclusion_filter",
    ),
    ("data", "aws_ecr_repository", "region"),
    ("data", "aws_ecr_image", "region"),
    ("data", "aws_region", "region"),
    ("data", "aws_emr_release_labels", "region"),
    ("data", "aws_s3_bucket", "bucket_region"),
    ("data", "aws_security_group", "region"),
    ("data", "aws_kms_key", "region"),
];

/// v6 additions newer than the 6.47 dump (provider 6.62 and later): checked for presence only.
const NEWER_THAN_6_47: &[(&str, &str, &str)] = &[
    (
        "managed",
        "aws_emrserverless_application",
        "image_configuration.application_level_digest_resolution",
    ),
    (
        "managed",
        "aws_emrserverless_application",
        "job_level_cost_allocation_configuration",
    ),
];

/// Attributes whose flags differ from 5.100, with v6's flags. (kind, type, path, 5.100, ours)
const FLAG_CHANGES: &[(&str, &str, &str, &str, &str)] = &[
    ("managed", "aws_s3_bucket", "region", "C", "OC"),
    ("data", "aws_s3_bucket", "region", "C", "OC"),
    ("data", "aws_region", "name", "OC", "OCD"),
    ("data", "aws_region", "id", "OC", "OCD"),
    ("data", "aws_partition", "id", "OC", "OCD"),
];

/// Types that do not come from the AWS provider (built-in, null, time, random).
const NON_AWS: &[&str] = &[
    "terraform_data",
    "null_resource",
    "time_sleep",
    "random_id",
    "random_string",
    "random_uuid",
];

fn kind_key(k: SchemaKind) -> &'static str {
    match k {
        SchemaKind::Managed => "managed",
        SchemaKind::Data => "data",
    }
}

/// Terraform's type expression, as the summary script writes it.
fn type_expr(t: &AttrType) -> String {
    match t {
        AttrType::String => "string".into(),
        AttrType::Number => "number".into(),
        AttrType::Bool => "bool".into(),
        AttrType::Dynamic => "dynamic".into(),
        AttrType::List(e) => format!("list({})", type_expr(e)),
        AttrType::Set(e) => format!("set({})", type_expr(e)),
        AttrType::Map(e) => format!("map({})", type_expr(e)),
        AttrType::Object(fields) => {
            let mut f: Vec<_> = fields
                .iter()
                .map(|(k, v)| format!("{k}={}", type_expr(v)))
                .collect();
            f.sort();
            format!("object({{{}}})", f.join(","))
        }
    }
}

fn flags(a: &Attribute) -> String {
    let mut f = String::new();
    for (on, c) in [
        (a.required, 'R'),
        (a.optional, 'O'),
        (a.computed, 'C'),
        (a.sensitive, 'S'),
        (a.deprecated.is_some(), 'D'),
    ] {
        if on {
            f.push(c);
        }
    }
    f
}

fn nesting(n: Nesting) -> &'static str {
    match n {
        Nesting::List => "list",
        Nesting::Set => "set",
        Nesting::Single => "single",
    }
}

fn attr_pair(j: &Json) -> (String, String) {
    let t = j.get(0).and_then(Json::as_str).unwrap_or("?").to_string();
    let f = j.get(1).and_then(Json::as_str).unwrap_or("?").to_string();
    (t, f)
}

fn json_usize(j: &Json, key: &str) -> usize {
    j.get(key).and_then(Json::as_u64).unwrap_or(0) as usize
}

struct Ctx<'a> {
    kind: &'a str,
    type_name: &'a str,
    errors: Vec<String>,
    /// Paths we have that the reference lacks.
    extra: BTreeSet<String>,
}

/// Compares `ours` with a reference body; records mismatches and what we have beyond it.
fn compare(cx: &mut Ctx<'_>, ours: &Body, reference: &Json, prefix: &str) {
    let empty = serde_json::Map::new();
    let ref_attrs = reference
        .get("attributes")
        .and_then(Json::as_object)
        .unwrap_or(&empty);
    let ref_blocks = reference
        .get("blocks")
        .and_then(Json::as_object)
        .unwrap_or(&empty);
    for (name, j) in ref_attrs {
        let path = format!("{prefix}{name}");
        let Some(a) = ours.attribute(name) else {
            cx.errors.push(format!(
                "{} {}: missing attribute {path}",
                cx.kind, cx.type_name
            ));
            continue;
        };
        let (ty, want_flags) = attr_pair(j);
        if type_expr(&a.ty) != ty {
            cx.errors.push(format!(
                "{} {}: {path} has type {}, reference {ty}",
                cx.kind,
                cx.type_name,
                type_expr(&a.ty)
            ));
        }
        let changed = FLAG_CHANGES
            .iter()
            .find(|c| c.0 == cx.kind && c.1 == cx.type_name && c.2 == path);
        let want = match changed {
            Some(c) if c.3 == want_flags => c.4.to_string(),
            _ => want_flags,
        };
        if flags(a) != want {
            cx.errors.push(format!(
                "{} {}: {path} has flags {}, expected {want}",
                cx.kind,
                cx.type_name,
                flags(a)
            ));
        }
    }
    for (name, j) in ref_blocks {
        let path = format!("{prefix}{name}");
        let Some(b) = ours.block_type(name) else {
            cx.errors.push(format!(
                "{} {}: missing block {path}",
                cx.kind, cx.type_name
            ));
            continue;
        };
        let want = (
            j.get("nesting").and_then(Json::as_str).unwrap_or("?"),
            json_usize(j, "min_items"),
            json_usize(j, "max_items"),
        );
        let have = (nesting(b.nesting), b.min_items, b.max_items);
        if have != want {
            cx.errors.push(format!(
                "{} {}: block {path} is {have:?}, reference {want:?}",
                cx.kind, cx.type_name
            ));
        }
        compare(
            cx,
            &b.body,
            j.get("body").unwrap_or(&Json::Null),
            &format!("{path}."),
        );
    }
    for a in &ours.attributes {
        if !ref_attrs.contains_key(a.name) {
            cx.extra.insert(format!("{prefix}{}", a.name));
        }
    }
    for b in &ours.blocks {
        if !ref_blocks.contains_key(b.name) {
            cx.extra.insert(format!("{prefix}{}", b.name));
        }
    }
}

/// Looks up a dotted path in a body: an attribute or a block.
enum Found<'a> {
    Attr(&'a Attribute),
    Block(&'a Body),
}

fn find<'a>(body: &'a Body, path: &str) -> Option<Found<'a>> {
    match path.split_once('.') {
        None => body
            .attribute(path)
            .map(Found::Attr)
            .or_else(|| body.block_type(path).map(|b| Found::Block(&b.body))),
        Some((head, rest)) => find(&body.block_type(head)?.body, rest),
    }
}

fn find_json<'a>(body: &'a Json, path: &str) -> Option<&'a Json> {
    match path.split_once('.') {
        None => body
            .get("attributes")
            .and_then(|a| a.get(path))
            .or_else(|| body.get("blocks").and_then(|b| b.get(path))),
        Some((head, rest)) => find_json(body.get("blocks")?.get(head)?.get("body")?, rest),
    }
}

fn aws_schemas() -> Vec<ResourceSchema> {
    all_schemas()
        .into_iter()
        .filter(|s| !NON_AWS.contains(&s.type_name))
        .collect()
}

fn parse(text: &str) -> Json {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("reference dump is not JSON: {e}"))
}

#[test]
fn our_aws_types_are_exactly_the_reference_dump_types() {
    let v5 = parse(V5);
    for kind in ["managed", "data"] {
        let mut want: Vec<String> = v5[kind]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        want.sort();
        let mut have: Vec<String> = aws_schemas()
            .iter()
            .filter(|s| kind_key(s.kind) == kind)
            .map(|s| s.type_name.to_string())
            .collect();
        have.sort();
        assert_eq!(have, want, "{kind} types differ from the 5.100 dump");
    }
}

#[test]
fn schemas_agree_with_provider_5_100_apart_from_listed_differences() {
    let v5 = parse(V5);
    let mut errors = Vec::new();
    let mut extra = BTreeSet::new();
    for s in aws_schemas() {
        let kind = kind_key(s.kind);
        let reference = &v5[kind][s.type_name];
        assert!(
            reference.is_object(),
            "{kind} {} not in the dump",
            s.type_name
        );
        assert_eq!(
            s.version,
            reference["version"].as_u64().unwrap_or(u64::MAX),
            "{kind} {} schema version",
            s.type_name
        );
        let mut cx = Ctx {
            kind,
            type_name: s.type_name,
            errors: Vec::new(),
            extra: BTreeSet::new(),
        };
        compare(&mut cx, &s.body, reference, "");
        errors.extend(cx.errors);
        extra.extend(cx.extra.into_iter().map(|p| (kind, s.type_name, p)));
    }
    assert!(errors.is_empty(), "disagreements:\n{}", errors.join("\n"));
    let listed: BTreeSet<_> = V6_ADDITIONS
        .iter()
        .chain(NEWER_THAN_6_47)
        .map(|(k, t, p)| (*k, *t, p.to_string()))
        .collect();
    let unlisted: Vec<_> = extra.difference(&listed).collect();
    let missing: Vec<_> = listed.difference(&extra).collect();
    assert!(
        unlisted.is_empty(),
        "beyond 5.100 but not listed as a v6 addition: {unlisted:?}"
    );
    assert!(missing.is_empty(), "listed additions we lack: {missing:?}");
}

#[test]
fn v6_additions_agree_with_provider_6_47() {
    let v6 = parse(V6);
    let schemas = all_schemas();
    let mut errors = Vec::new();
    for (kind, type_name, path) in V6_ADDITIONS {
        let Some(s) = schemas
            .iter()
            .find(|s| s.type_name == *type_name && kind_key(s.kind) == *kind)
        else {
            errors.push(format!("{kind} {type_name}: no schema"));
            continue;
        };
        let Some(reference) = find_json(&v6[*kind][*type_name], path) else {
            errors.push(format!("{kind} {type_name}: {path} not in the 6.47 dump"));
            continue;
        };
        match find(&s.body, path) {
            None => errors.push(format!("{kind} {type_name}: we lack {path}")),
            Some(Found::Attr(a)) => {
                let (ty, f) = attr_pair(reference);
                if (type_expr(&a.ty), flags(a)) != (ty.clone(), f.clone()) {
                    errors.push(format!(
                        "{kind} {type_name}: {path} is {} {}, 6.47 has {ty} {f}",
                        type_expr(&a.ty),
                        flags(a)
                    ));
                }
            }
            Some(Found::Block(body)) => {
                let mut cx = Ctx {
                    kind,
                    type_name,
                    errors: Vec::new(),
                    extra: BTreeSet::new(),
                };
                compare(&mut cx, body, &reference["body"], &format!("{path}."));
                errors.extend(cx.errors);
                for p in cx.extra {
                    if !NEWER_THAN_6_47.contains(&(*kind, *type_name, p.as_str())) {
                        errors.push(format!("{kind} {type_name}: {p} beyond 6.47"));
                    }
                }
            }
        }
    }
    assert!(errors.is_empty(), "disagreements:\n{}", errors.join("\n"));
}

#[test]
fn flag_changes_are_what_v6_reports() {
    let v6 = parse(V6);
    for (kind, type_name, path, _, ours) in FLAG_CHANGES {
        let reference = find_json(&v6[*kind][*type_name], path)
            .unwrap_or_else(|| panic!("{kind} {type_name}: {path} not in the 6.47 dump"));
        assert_eq!(attr_pair(reference).1, *ours, "{kind} {type_name} {path}");
    }
}

#[test]
fn region_argument_where_v6_has_it() {
    // Global services (IAM) and the account-wide data sources have no `region` in v6.
    let v6 = parse(V6);
    for s in aws_schemas() {
        let kind = kind_key(s.kind);
        let v6_has = v6[kind][s.type_name]["attributes"]["region"].is_array();
        let ours = s.body.attribute("region");
        assert_eq!(ours.is_some(), v6_has, "{kind} {} region", s.type_name);
        if let Some(r) = ours {
            assert!(
                r.optional && r.computed && !r.force_new,
                "{kind} {}",
                s.type_name
            );
        }
    }
}
