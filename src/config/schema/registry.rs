//! The table of every schema emrform knows: type name → schema.

use super::{ResourceSchema, SchemaKind};
use std::collections::HashMap;
use std::sync::OnceLock;

/// All schemas, built once.
pub struct Registry {
    managed: HashMap<&'static str, ResourceSchema>,
    data: HashMap<&'static str, ResourceSchema>,
}

impl Registry {
    /// The process-wide registry.
    pub fn global() -> &'static Registry {
        static REGISTRY: OnceLock<Registry> = OnceLock::new();
        REGISTRY.get_or_init(Registry::build)
    }

    fn build() -> Registry {
        let mut managed = HashMap::new();
        let mut data = HashMap::new();
        for s in all_schemas() {
            match s.kind {
                SchemaKind::Managed => managed.insert(s.type_name, s),
                SchemaKind::Data => data.insert(s.type_name, s),
            };
        }
        Registry { managed, data }
    }

    /// Schema of a managed resource type.
    pub fn managed(&self, type_name: &str) -> Option<&ResourceSchema> {
        self.managed.get(type_name)
    }

    /// Schema of a data source.
    pub fn data(&self, type_name: &str) -> Option<&ResourceSchema> {
        self.data.get(type_name)
    }

    /// Names of managed types, sorted.
    pub fn managed_names(&self) -> Vec<&'static str> {
        let mut v: Vec<_> = self.managed.keys().copied().collect();
        v.sort_unstable();
        v
    }

    /// Names of data sources, sorted.
    pub fn data_names(&self) -> Vec<&'static str> {
        let mut v: Vec<_> = self.data.keys().copied().collect();
        v.sort_unstable();
        v
    }
}

/// Schema of a managed resource type.
pub fn managed_resource(type_name: &str) -> Option<&'static ResourceSchema> {
    Registry::global().managed(type_name)
}

/// Schema of a data source.
pub fn data_source(type_name: &str) -> Option<&'static ResourceSchema> {
    Registry::global().data(type_name)
}

/// Every schema: the managed resource types, then the data sources. Each type's file
/// contributes its `schema()` through its folder's `all()`.
pub fn all_schemas() -> Vec<ResourceSchema> {
    let mut v = super::resources::all();
    v.extend(super::data_sources::all());
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::schema::{AttrType, Attribute, Body, Nesting, Validation};
    use crate::config::value::Value;

    const MANAGED: &[&str] = &[
        "aws_emrserverless_application",
        "aws_iam_role",
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_role_policy_attachment",
        "aws_iam_policy_attachment",
        "aws_iam_instance_profile",
        "aws_vpc",
        "aws_subnet",
        "aws_route_table",
        "aws_route_table_association",
        "aws_route",
        "aws_vpc_endpoint",
        "aws_security_group",
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
        "aws_internet_gateway",
        "aws_nat_gateway",
        "aws_eip",
        "aws_ecr_repository",
        "aws_ecr_repository_policy",
        "aws_ecr_lifecycle_policy",
        "aws_s3_bucket",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_policy",
        "aws_s3_object",
        "aws_cloudwatch_log_group",
        "aws_kms_key",
        "aws_kms_alias",
        "terraform_data",
        "null_resource",
        "time_sleep",
        "random_id",
        "random_string",
        "random_uuid",
    ];

    const DATA: &[&str] = &[
        "aws_iam_policy_document",
        "aws_iam_role",
        "aws_iam_policy",
        "aws_vpc",
        "aws_subnet",
        "aws_subnets",
        "aws_availability_zones",
        "aws_route_table",
        "aws_ecr_repository",
        "aws_ecr_image",
        "aws_caller_identity",
        "aws_region",
        "aws_partition",
        "aws_emr_release_labels",
        "aws_s3_bucket",
        "aws_security_group",
        "aws_kms_key",
    ];

    fn managed(t: &str) -> &'static ResourceSchema {
        managed_resource(t).unwrap_or_else(|| panic!("no managed schema {t}"))
    }

    fn data(t: &str) -> &'static ResourceSchema {
        data_source(t).unwrap_or_else(|| panic!("no data schema {t}"))
    }

    /// The attribute at a dotted path (`auto_stop_configuration.idle_timeout_minutes`).
    fn attr<'a>(s: &'a ResourceSchema, path: &str) -> &'a Attribute {
        let mut body = &s.body;
        let mut parts: Vec<&str> = path.split('.').collect();
        let last = parts.pop().unwrap_or_default();
        for p in parts {
            body = &body
                .block_type(p)
                .unwrap_or_else(|| panic!("{}: no block {p}", s.type_name))
                .body;
        }
        body.attribute(last)
            .unwrap_or_else(|| panic!("{}: no attribute {path}", s.type_name))
    }

    /// Visits every attribute with its dotted path and the body that holds it.
    fn each_attr<'a>(
        body: &'a Body,
        prefix: &str,
        f: &mut dyn FnMut(&str, &'a Attribute, &'a Body),
    ) {
        for a in &body.attributes {
            f(&format!("{prefix}{}", a.name), a, body);
        }
        for b in &body.blocks {
            each_attr(&b.body, &format!("{prefix}{}.", b.name), f);
        }
    }

    fn all() -> Vec<&'static ResourceSchema> {
        let r = Registry::global();
        r.managed_names()
            .into_iter()
            .filter_map(|n| r.managed(n))
            .chain(r.data_names().into_iter().filter_map(|n| r.data(n)))
            .collect()
    }

    #[test]
    fn every_type_is_registered_and_nothing_else() {
        let r = Registry::global();
        let mut want: Vec<&str> = MANAGED.to_vec();
        want.sort_unstable();
        assert_eq!(r.managed_names(), want);
        let mut want: Vec<&str> = DATA.to_vec();
        want.sort_unstable();
        assert_eq!(r.data_names(), want);
        for s in all() {
            assert!(
                !s.body.attributes.is_empty(),
                "{} has no attributes",
                s.type_name
            );
        }
    }

    #[test]
    fn type_names_are_unique_per_kind() {
        let schemas = all_schemas();
        let mut seen = std::collections::HashSet::new();
        for s in &schemas {
            assert!(
                seen.insert((s.type_name, s.kind == SchemaKind::Managed)),
                "{} twice",
                s.type_name
            );
        }
    }

    #[test]
    fn required_attributes_have_no_default_and_are_not_computed() {
        for s in all() {
            each_attr(&s.body, "", &mut |path, a, _| {
                if a.required {
                    assert!(
                        a.default.is_none(),
                        "{} {path}: required with a default",
                        s.type_name
                    );
                    assert!(
                        !a.optional && !a.computed,
                        "{} {path}: required and optional/computed",
                        s.type_name
                    );
                }
                assert!(
                    a.required || a.optional || a.computed,
                    "{} {path}: neither required, optional nor computed",
                    s.type_name
                );
            });
        }
    }

    fn value_fits(v: &Value, t: &AttrType) -> bool {
        matches!(
            (v, t),
            (_, AttrType::Dynamic)
                | (Value::String(_), AttrType::String)
                | (Value::Number(_), AttrType::Number)
                | (Value::Bool(_), AttrType::Bool)
        )
    }

    #[test]
    fn defaults_fit_their_type_and_pass_their_own_validations() {
        for s in all() {
            each_attr(&s.body, "", &mut |path, a, _| {
                let Some(d) = &a.default else { return };
                assert!(
                    a.optional,
                    "{} {path}: default on a non-argument",
                    s.type_name
                );
                assert!(
                    value_fits(d, &a.ty),
                    "{} {path}: default {d:?} is not {:?}",
                    s.type_name,
                    a.ty
                );
                for v in &a.validations {
                    let ok = match (v, d) {
                        (
                            Validation::OneOf {
                                values,
                                ignore_case,
                            },
                            Value::String(x),
                        ) => values.iter().any(|c| {
                            if *ignore_case {
                                c.eq_ignore_ascii_case(x)
                            } else {
                                c == x
                            }
                        }),
                        (Validation::Range { min, max }, Value::Number(x)) => min <= x && x <= max,
                        (Validation::Length { min, max }, Value::String(x)) => {
                            (*min..=*max).contains(&x.chars().count())
                        }
                        _ => true,
                    };
                    assert!(ok, "{} {path}: default {d:?} fails {v:?}", s.type_name);
                }
            });
        }
    }

    #[test]
    fn validations_are_well_formed() {
        for s in all() {
            each_attr(&s.body, "", &mut |path, a, _| {
                for v in &a.validations {
                    match v {
                        Validation::Regex { pattern, .. } => {
                            assert!(
                                regex::Regex::new(pattern).is_ok(),
                                "{} {path}: bad regex",
                                s.type_name
                            );
                            assert_eq!(a.ty, AttrType::String, "{} {path}", s.type_name);
                        }
                        Validation::Range { min, max } => {
                            assert!(min <= max, "{} {path}", s.type_name);
                            assert_eq!(a.ty, AttrType::Number, "{} {path}", s.type_name);
                        }
                        Validation::Length { min, max } => {
                            assert!(min <= max, "{} {path}", s.type_name);
                            assert_eq!(a.ty, AttrType::String, "{} {path}", s.type_name);
                        }
                        Validation::OneOf { values, .. } => {
                            assert!(!values.is_empty(), "{} {path}", s.type_name);
                            assert_eq!(a.ty, AttrType::String, "{} {path}", s.type_name);
                        }
                        Validation::Json | Validation::Ipv4Cidr | Validation::Arn => {
                            assert_eq!(a.ty, AttrType::String, "{} {path}", s.type_name);
                        }
                    }
                }
            });
        }
    }

    #[test]
    fn conflicts_name_sibling_arguments() {
        for s in all() {
            each_attr(&s.body, "", &mut |path, a, body| {
                for c in a.conflicts_with {
                    let other = body.attribute(c);
                    assert!(
                        other.is_some_and(|o| o.optional),
                        "{} {path}: conflicts with unknown argument {c}",
                        s.type_name
                    );
                }
            });
        }
    }

    #[test]
    fn emr_serverless_application_force_new_defaults_and_validations() {
        let s = managed("aws_emrserverless_application");
        assert!(attr(s, "name").force_new);
        assert!(attr(s, "type").force_new);
        assert!(
            !attr(s, "release_label").force_new,
            "release_label updates in place"
        );
        assert!(!attr(s, "architecture").force_new);
        assert!(attr(s, "network_configuration.subnet_ids").force_new);
        assert!(attr(s, "network_configuration.security_group_ids").force_new);
        assert_eq!(
            attr(s, "architecture").default,
            Some(Value::string("X86_64"))
        );
        assert_eq!(
            attr(s, "auto_start_configuration.enabled").default,
            Some(Value::Bool(true))
        );
        assert_eq!(
            attr(s, "auto_stop_configuration.enabled").default,
            Some(Value::Bool(true))
        );
        assert_eq!(
            attr(s, "auto_stop_configuration.idle_timeout_minutes").default,
            Some(Value::Number(15.0))
        );
        assert_eq!(
            attr(s, "name").validations,
            vec![Validation::Length { min: 1, max: 64 }]
        );
        assert_eq!(
            attr(s, "auto_stop_configuration.idle_timeout_minutes").validations,
            vec![Validation::Range {
                min: 1.0,
                max: 10080.0
            }]
        );
        assert_eq!(
            attr(s, "initial_capacity.initial_capacity_config.worker_count").validations,
            vec![Validation::Range {
                min: 1.0,
                max: 1_000_000.0
            }]
        );
        match &attr(s, "type").validations[..] {
            [Validation::OneOf {
                values,
                ignore_case: true,
            }] => {
                for t in ["SPARK", "spark", "HIVE", "hive"] {
                    assert!(values.iter().any(|v| v.eq_ignore_ascii_case(t)));
                }
            }
            other => panic!("type validation {other:?}"),
        }
        match &attr(s, "architecture").validations[..] {
            [Validation::OneOf {
                values,
                ignore_case: false,
            }] => {
                assert_eq!(*values, &["ARM64", "X86_64"]);
            }
            other => panic!("architecture validation {other:?}"),
        }
        let blocks = |n: &str| {
            s.body
                .block_type(n)
                .unwrap_or_else(|| panic!("no block {n}"))
        };
        assert_eq!(blocks("initial_capacity").nesting, Nesting::Set);
        assert_eq!(blocks("runtime_configuration").max_items, 0);
        for single in [
            "auto_start_configuration",
            "network_configuration",
            "scheduler_configuration",
            "monitoring_configuration",
        ] {
            assert_eq!(blocks(single).max_items, 1, "{single}");
        }
        assert!(blocks("auto_stop_configuration").computed);
        assert!(!blocks("network_configuration").computed);
        let log_types = &blocks("monitoring_configuration")
            .body
            .block_type("cloudwatch_logging_configuration")
            .map(|b| &b.body)
            .and_then(|b| b.block_type("log_types"));
        assert_eq!(log_types.map(|b| b.nesting), Some(Nesting::Set));
        assert_eq!(
            attr(s, "runtime_configuration.properties").ty,
            AttrType::Map(Box::new(AttrType::String))
        );
        assert!(attr(s, "runtime_configuration.classification").required);
        assert!(attr(s, "image_configuration.application_level_digest_resolution").computed);
        assert!(attr(s, "job_level_cost_allocation_configuration.enabled").optional);
        let r = attr(s, "region");
        assert!(r.optional && r.computed && !r.force_new);
        // The corpus' unknown-app-attribute case: the argument exists only inside a block.
        assert!(s.body.attribute("idle_timeout_minutes").is_none());
        assert_eq!(
            s.body.find_nested("idle_timeout_minutes"),
            vec!["auto_stop_configuration.idle_timeout_minutes".to_string()]
        );
    }

    #[test]
    fn iam_force_new_and_defaults() {
        let role = managed("aws_iam_role");
        assert!(attr(role, "name").force_new && attr(role, "name_prefix").force_new);
        assert!(attr(role, "path").force_new);
        assert_eq!(attr(role, "path").default, Some(Value::string("/")));
        assert_eq!(
            attr(role, "max_session_duration").default,
            Some(Value::Number(3600.0))
        );
        assert_eq!(
            attr(role, "max_session_duration").validations,
            vec![Validation::Range {
                min: 3600.0,
                max: 43200.0
            }]
        );
        assert!(!attr(role, "assume_role_policy").force_new);
        assert!(attr(role, "assume_role_policy")
            .validations
            .contains(&Validation::Json));
        assert_eq!(attr(role, "name").conflicts_with, &["name_prefix"]);
        assert!(attr(role, "managed_policy_arns").deprecated.is_some());
        assert!(role.body.attribute("region").is_none(), "IAM is global");
        let policy = managed("aws_iam_policy");
        assert!(attr(policy, "description").force_new);
        assert!(!attr(policy, "policy").force_new);
        assert!(attr(managed("aws_iam_role_policy"), "role").force_new);
        let att = managed("aws_iam_role_policy_attachment");
        assert!(attr(att, "role").force_new && attr(att, "policy_arn").force_new);
        let doc = data("aws_iam_policy_document");
        assert_eq!(
            attr(doc, "statement.effect").default,
            Some(Value::string("Allow"))
        );
        assert_eq!(
            doc.body.block_type("statement").map(|b| b.nesting),
            Some(Nesting::List)
        );
    }

    #[test]
    fn network_force_new_and_defaults() {
        let subnet = managed("aws_subnet");
        for fname in [
            "vpc_id",
            "cidr_block",
            "availability_zone",
            "availability_zone_id",
        ] {
            assert!(attr(subnet, fname).force_new, "aws_subnet.{fname}");
        }
        assert!(!attr(subnet, "map_public_ip_on_launch").force_new);
        assert_eq!(
            attr(subnet, "map_public_ip_on_launch").default,
            Some(Value::Bool(false))
        );
        let sg = managed("aws_security_group");
        assert!(attr(sg, "description").force_new && attr(sg, "vpc_id").force_new);
        assert_eq!(
            attr(sg, "description").default,
            Some(Value::string("Managed by Terraform"))
        );
        assert!(!attr(sg, "ingress").force_new);
        let vpc = managed("aws_vpc");
        assert!(attr(vpc, "cidr_block").force_new);
        assert_eq!(
            attr(vpc, "enable_dns_support").default,
            Some(Value::Bool(true))
        );
        assert_eq!(
            attr(vpc, "instance_tenancy").default,
            Some(Value::string("default"))
        );
        let ep = managed("aws_vpc_endpoint");
        assert!(attr(ep, "service_name").force_new && attr(ep, "vpc_endpoint_type").force_new);
        assert_eq!(
            attr(ep, "vpc_endpoint_type").default,
            Some(Value::string("Gateway"))
        );
        assert!(!attr(ep, "route_table_ids").force_new);
        let rule = managed("aws_vpc_security_group_ingress_rule");
        assert!(attr(rule, "security_group_id").force_new);
        assert!(!attr(rule, "cidr_ipv4").force_new);
        let old_rule = managed("aws_security_group_rule");
        assert!(attr(old_rule, "from_port").force_new && attr(old_rule, "cidr_blocks").force_new);
        assert!(!attr(old_rule, "description").force_new);
        let assoc = managed("aws_route_table_association");
        assert!(attr(assoc, "subnet_id").force_new && !attr(assoc, "route_table_id").force_new);
        let route = managed("aws_route");
        assert!(
            attr(route, "destination_cidr_block").force_new
                && !attr(route, "nat_gateway_id").force_new
        );
        assert!(attr(managed("aws_nat_gateway"), "subnet_id").force_new);
        for ds in [
            "aws_vpc",
            "aws_subnet",
            "aws_subnets",
            "aws_availability_zones",
            "aws_route_table",
            "aws_security_group",
        ] {
            let f = data(ds)
                .body
                .block_type("filter")
                .unwrap_or_else(|| panic!("data {ds} has no filter block"));
            assert_eq!(f.nesting, Nesting::Set, "{ds}");
            assert!(f.body.attribute("name").is_some_and(|a| a.required), "{ds}");
            assert!(
                f.body.attribute("values").is_some_and(|a| a.required),
                "{ds}"
            );
        }
    }

    #[test]
    fn images_storage_and_keys_force_new_and_defaults() {
        let repo = managed("aws_ecr_repository");
        assert!(attr(repo, "name").force_new);
        assert_eq!(
            attr(repo, "image_tag_mutability").default,
            Some(Value::string("MUTABLE"))
        );
        assert!(!attr(repo, "image_tag_mutability").force_new);
        assert!(repo
            .body
            .block_type("encryption_configuration")
            .is_some_and(|b| b.force_new));
        assert_eq!(
            attr(repo, "encryption_configuration.encryption_type").default,
            Some(Value::string("AES256"))
        );
        assert!(attr(managed("aws_ecr_repository_policy"), "repository").force_new);
        let bucket = managed("aws_s3_bucket");
        assert!(attr(bucket, "bucket").force_new && !attr(bucket, "force_destroy").force_new);
        assert_eq!(
            attr(bucket, "force_destroy").default,
            Some(Value::Bool(false))
        );
        let obj = managed("aws_s3_object");
        assert!(
            attr(obj, "bucket").force_new
                && attr(obj, "key").force_new
                && !attr(obj, "content").force_new
        );
        let key = managed("aws_kms_key");
        assert!(attr(key, "key_usage").force_new && !attr(key, "description").force_new);
        assert_eq!(attr(key, "is_enabled").default, Some(Value::Bool(true)));
        assert!(attr(managed("aws_kms_alias"), "name").force_new);
        let lg = managed("aws_cloudwatch_log_group");
        assert!(attr(lg, "name").force_new && !attr(lg, "retention_in_days").force_new);
        let region = data("aws_region");
        assert!(attr(region, "region").optional && attr(region, "name").computed);
    }

    #[test]
    fn object_collection_attributes_accept_block_syntax() {
        let sg = managed("aws_security_group");
        let fields = attr(sg, "ingress")
            .block_syntax_fields()
            .unwrap_or_else(|| panic!("ingress takes block syntax"));
        for f in [
            "from_port",
            "to_port",
            "protocol",
            "cidr_blocks",
            "security_groups",
            "self",
        ] {
            assert!(fields.iter().any(|(n, _)| *n == f), "ingress.{f}");
        }
        assert!(
            sg.body.block_type("ingress").is_none(),
            "ingress is an attribute, not a block"
        );
        assert!(attr(managed("aws_route_table"), "route")
            .block_syntax_fields()
            .is_some());
        assert!(attr(sg, "name").block_syntax_fields().is_none());
        assert!(attr(data("aws_route_table"), "routes")
            .block_syntax_fields()
            .is_some());
    }

    #[test]
    fn built_in_and_utility_types() {
        let td = managed("terraform_data");
        assert!(attr(td, "triggers_replace").force_new);
        assert_eq!(attr(td, "input").ty, AttrType::Dynamic);
        assert!(attr(td, "output").computed && !attr(td, "output").optional);
        assert!(attr(managed("null_resource"), "triggers").force_new);
        let sleep = managed("time_sleep");
        assert!(attr(sleep, "triggers").force_new && !attr(sleep, "create_duration").force_new);
        let id = managed("random_id");
        assert!(attr(id, "byte_length").required && attr(id, "byte_length").force_new);
        let rs = managed("random_string");
        assert_eq!(attr(rs, "special").default, Some(Value::Bool(true)));
        assert!(attr(rs, "length").force_new && attr(rs, "result").computed);
        assert!(attr(managed("random_uuid"), "keepers").force_new);
    }

    #[test]
    fn duration_regex_accepts_go_durations() {
        let a = attr(managed("time_sleep"), "create_duration");
        let Some(Validation::Regex { pattern, .. }) = a.validations.first() else {
            panic!("no regex on create_duration");
        };
        let re = regex::Regex::new(pattern).unwrap_or_else(|e| panic!("{e}"));
        for ok in ["30s", "1m30s", "2h", "1.5s"] {
            assert!(re.is_match(ok), "{ok}");
        }
        for bad in ["30", "s", "1 m", ""] {
            assert!(!re.is_match(bad), "{bad}");
        }
    }

    #[test]
    fn security_group_name_must_not_start_with_sg_dash() {
        let a = attr(managed("aws_security_group"), "name");
        let re = a
            .validations
            .iter()
            .find_map(|v| match v {
                Validation::Regex { pattern, .. } => regex::Regex::new(pattern).ok(),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no regex on aws_security_group.name"));
        for ok in ["emr-workers", "s", "sg", "sgx", "s-g", "my-sg-1"] {
            assert!(re.is_match(ok), "{ok}");
        }
        assert!(!re.is_match("sg-123"));
    }
}
