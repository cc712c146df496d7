#!/usr/bin/env python3
"""Generates src/config/schema/{resources,data_sources}/<type>.rs.

Inputs:
- src/config/schema/testdata/aws-provider-5.100.json: names, types, flags and nesting (base).
- src/config/schema/testdata/aws-provider-6.47.json: attributes and blocks added in provider v6
  (every one of them is taken, with its v6 flags; nothing the base has is removed or re-flagged
  except `region`, which v6 makes an argument).
- LATER below: additions newer than the 6.47 reference (provider 6.62 and the like).
- BUILTINS below: terraform_data and the null/time/random providers' types.
- OVERLAY below: what the schema dump cannot say: ForceNew, defaults, validations, conflicts,
  Optional+Computed blocks and deprecation messages, taken from the providers' source and docs.

Run from the repository root: python3 scripts/gen-schemas.py && cargo fmt
"""
import copy
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA_DIR = os.path.join(ROOT, "src", "config", "schema")

# ---------------------------------------------------------------------------------------------
# Validation helpers: each returns the Rust expression (see src/config/schema/dsl.rs).


def one_of(*vals, ci=False):
    items = ", ".join('"%s"' % v for v in vals)
    return "%s(&[%s])" % ("one_of_ci" if ci else "one_of", items)


def length(lo, hi):
    return "len(%d, %d)" % (lo, hi)


def flt(x):
    return "%d.0" % x


def min_len(lo):
    return "min_len(%d)" % lo


def at_least(lo):
    return "at_least(%s)" % flt(lo)


def rng(lo, hi):
    return "range(%s, %s)" % (flt(lo), flt(hi))


def regex(pat, msg):
    return "regex(r\"%s\", \"%s\")" % (pat, msg)


JSON = "Validation::Json"
CIDR = "Validation::Ipv4Cidr"
ARN = "Validation::Arn"


def A(fn=False, default=None, v=(), conflicts=(), deprecated=None, desc=None, sensitive=False):
    return dict(fn=fn, default=default, v=list(v), conflicts=list(conflicts),
                deprecated=deprecated, desc=desc, sensitive=sensitive)


def B(fn=False, computed=False):
    return dict(fn=fn, computed=computed, block=True)


FN = A(fn=True)
ANY_POLICY = A(v=[JSON])

# ---------------------------------------------------------------------------------------------
# Overlay per type. Keys are dotted paths; blocks use B(), attributes A().

EMR_TYPES = ("spark", "hive")

MANAGED_OVERLAY = {
    "aws_emrserverless_application": {
        "name": A(fn=True, v=[length(1, 64)], desc="Application name, 1-64 characters; changing it replaces the application."),
        "type": A(fn=True, v=[one_of(*EMR_TYPES, ci=True)],
                  desc="Engine: spark or hive (any case; stored lower-case); changing it replaces the application."),
        "release_label": A(desc="EMR release, e.g. emr-7.2.0; updatable in place."),
        "architecture": A(default="X86_64", v=[one_of("ARM64", "X86_64")], desc="CPU architecture of the workers."),
        "auto_start_configuration": B(computed=True),
        "auto_start_configuration.enabled": A(default=True),
        "auto_stop_configuration": B(computed=True),
        "auto_stop_configuration.enabled": A(default=True),
        "auto_stop_configuration.idle_timeout_minutes": A(default=15, v=[rng(1, 10080)],
                                                          desc="Minutes idle before the application stops."),
        "image_configuration": B(computed=True),
        "initial_capacity.initial_capacity_config.worker_count": A(v=[rng(1, 1000000)]),
        "interactive_configuration": B(computed=True),
        "maximum_capacity": B(computed=True),
        "network_configuration.security_group_ids": A(fn=True),
        "network_configuration.subnet_ids": A(fn=True),
        "scheduler_configuration.max_concurrent_runs": A(v=[rng(1, 1000)], desc="Defaults to 15 on the service side."),
        "scheduler_configuration.queue_timeout_minutes": A(v=[rng(15, 720)], desc="Defaults to 360 on the service side."),
    },
    "aws_iam_role": {
        "name": A(fn=True, conflicts=["name_prefix"], v=[length(1, 64), regex(r"^[\w+=,.@-]*$", "must contain only alphanumerics and +=,.@-_")]),
        "name_prefix": A(fn=True, conflicts=["name"], v=[length(1, 38), regex(r"^[\w+=,.@-]*$", "must contain only alphanumerics and +=,.@-_")]),
        "path": A(fn=True, default="/", v=[length(0, 512)]),
        "description": A(v=[length(0, 1000)]),
        "assume_role_policy": A(v=[JSON], desc="Trust policy (JSON); compared after normalisation."),
        "max_session_duration": A(default=3600, v=[rng(3600, 43200)]),
        "force_detach_policies": A(default=False),
        "permissions_boundary": A(v=[length(0, 2048), ARN]),
        "managed_policy_arns": A(deprecated="use the aws_iam_role_policy_attachments_exclusive resource instead"),
        "inline_policy.name": A(v=[length(1, 128)]),
        "inline_policy.policy": A(v=[JSON]),
    },
    "aws_iam_policy": {
        "name": A(fn=True, conflicts=["name_prefix"], v=[length(1, 128)]),
        "name_prefix": A(fn=True, conflicts=["name"], v=[length(1, 102)]),
        "path": A(fn=True, default="/"),
        "description": A(fn=True, v=[length(0, 1000)]),
        "policy": A(v=[JSON], desc="Policy document (JSON); compared after normalisation."),
    },
    "aws_iam_role_policy": {
        "name": A(fn=True, conflicts=["name_prefix"], v=[length(1, 128)]),
        "name_prefix": A(fn=True, conflicts=["name"]),
        "role": A(fn=True),
        "policy": A(v=[JSON]),
    },
    "aws_iam_role_policy_attachment": {
        "role": A(fn=True),
        "policy_arn": A(fn=True, v=[ARN]),
    },
    "aws_iam_policy_attachment": {
        "name": A(fn=True, v=[min_len(1)]),
        "policy_arn": A(fn=True, v=[ARN]),
    },
    "aws_iam_instance_profile": {
        "name": A(fn=True, conflicts=["name_prefix"], v=[length(1, 128)]),
        "name_prefix": A(fn=True, conflicts=["name"], v=[length(1, 102)]),
        "path": A(fn=True, default="/"),
    },
    "aws_vpc": {
        "cidr_block": A(fn=True, v=[CIDR], conflicts=["ipv4_netmask_length"]),
        "instance_tenancy": A(fn=True, default="default", v=[one_of("default", "dedicated")]),
        "ipv4_ipam_pool_id": FN,
        "ipv4_netmask_length": A(fn=True, v=[rng(16, 28)], conflicts=["cidr_block"]),
        "enable_dns_support": A(default=True),
        "assign_generated_ipv6_cidr_block": A(default=False, conflicts=["ipv6_ipam_pool_id"]),
        "ipv6_netmask_length": A(v=[rng(44, 60)]),
    },
    "aws_subnet": {
        "vpc_id": FN,
        "cidr_block": A(fn=True, v=[CIDR]),
        "availability_zone": A(fn=True, conflicts=["availability_zone_id"]),
        "availability_zone_id": A(fn=True, conflicts=["availability_zone"]),
        "outpost_arn": A(fn=True, v=[ARN]),
        "ipv6_native": A(fn=True, default=False),
        "ipv4_ipam_pool_id": FN,
        "ipv4_netmask_length": A(fn=True, v=[rng(0, 32)]),
        "assign_ipv6_address_on_creation": A(default=False),
        "enable_dns64": A(default=False),
        "enable_resource_name_dns_a_record_on_launch": A(default=False),
        "enable_resource_name_dns_aaaa_record_on_launch": A(default=False),
        "map_public_ip_on_launch": A(default=False),
        "private_dns_hostname_type_on_launch": A(v=[one_of("ip-name", "resource-name")]),
    },
    "aws_route_table": {
        "vpc_id": FN,
    },
    "aws_route_table_association": {
        "subnet_id": A(fn=True, conflicts=["gateway_id"]),
        "gateway_id": A(fn=True, conflicts=["subnet_id"]),
    },
    "aws_route": {
        "route_table_id": FN,
        "destination_cidr_block": A(fn=True, v=[CIDR]),
        "destination_ipv6_cidr_block": FN,
        "destination_prefix_list_id": FN,
    },
    "aws_vpc_endpoint": {
        "vpc_id": FN,
        "service_name": FN,
        "vpc_endpoint_type": A(fn=True, default="Gateway",
                               v=[one_of("Gateway", "GatewayLoadBalancer", "Interface", "Resource", "ServiceNetwork")]),
        "auto_accept": A(),
        "policy": A(v=[JSON]),
        "ip_address_type": A(v=[one_of("ipv4", "dualstack", "ipv6")]),
        "service_region": FN,
        "resource_configuration_arn": A(fn=True, v=[ARN]),
        "service_network_arn": A(fn=True, v=[ARN]),
        "dns_options": B(computed=True),
        "dns_options.dns_record_ip_type": A(v=[one_of("ipv4", "dualstack", "ipv6", "service-defined")]),
        "dns_options.private_dns_only_for_inbound_resolver_endpoint": A(),
    },
    "aws_security_group": {
        "name": A(fn=True, conflicts=["name_prefix"], v=[length(0, 255), regex(r"^([^s]|s[^g]|sg[^-]).*$|^.{0,2}$", "cannot begin with sg-")]),
        "name_prefix": A(fn=True, conflicts=["name"], v=[length(0, 229)]),
        "description": A(fn=True, default="Managed by Terraform", v=[length(0, 255)]),
        "vpc_id": FN,
        "revoke_rules_on_delete": A(default=False),
    },
    "aws_security_group_rule": {
        "type": A(fn=True, v=[one_of("ingress", "egress")]),
        "from_port": FN,
        "to_port": FN,
        "protocol": FN,
        "cidr_blocks": FN,
        "ipv6_cidr_blocks": FN,
        "prefix_list_ids": FN,
        "security_group_id": FN,
        "self": A(fn=True, default=False, conflicts=["cidr_blocks", "ipv6_cidr_blocks", "source_security_group_id"]),
        "source_security_group_id": A(fn=True, conflicts=["cidr_blocks", "ipv6_cidr_blocks", "self"]),
        "description": A(v=[length(0, 255)]),
    },
    "aws_vpc_security_group_ingress_rule": {
        "security_group_id": FN,
        "cidr_ipv4": A(v=[CIDR], conflicts=["cidr_ipv6", "prefix_list_id", "referenced_security_group_id"]),
        "cidr_ipv6": A(conflicts=["cidr_ipv4", "prefix_list_id", "referenced_security_group_id"]),
        "prefix_list_id": A(conflicts=["cidr_ipv4", "cidr_ipv6", "referenced_security_group_id"]),
        "referenced_security_group_id": A(conflicts=["cidr_ipv4", "cidr_ipv6", "prefix_list_id"]),
        "from_port": A(v=[rng(-1, 65535)]),
        "to_port": A(v=[rng(-1, 65535)]),
    },
    "aws_vpc_security_group_egress_rule": {
        "security_group_id": FN,
        "cidr_ipv4": A(v=[CIDR], conflicts=["cidr_ipv6", "prefix_list_id", "referenced_security_group_id"]),
        "cidr_ipv6": A(conflicts=["cidr_ipv4", "prefix_list_id", "referenced_security_group_id"]),
        "prefix_list_id": A(conflicts=["cidr_ipv4", "cidr_ipv6", "referenced_security_group_id"]),
        "referenced_security_group_id": A(conflicts=["cidr_ipv4", "cidr_ipv6", "prefix_list_id"]),
        "from_port": A(v=[rng(-1, 65535)]),
        "to_port": A(v=[rng(-1, 65535)]),
    },
    "aws_internet_gateway": {},
    "aws_nat_gateway": {
        "allocation_id": FN,
        "connectivity_type": A(fn=True, default="public", v=[one_of("private", "public")]),
        "subnet_id": FN,
        "private_ip": FN,
        "availability_mode": A(fn=True, v=[one_of("zonal", "regional")]),
        "vpc_id": FN,
    },
    "aws_eip": {
        "address": FN,
        "customer_owned_ipv4_pool": FN,
        "domain": A(fn=True, v=[one_of("vpc", "standard")]),
        "network_border_group": FN,
        "public_ipv4_pool": FN,
        "ipam_pool_id": FN,
        "vpc": A(fn=True, deprecated="use domain = \\\"vpc\\\" instead"),
    },
    "aws_ecr_repository": {
        "name": A(fn=True, v=[length(2, 256)]),
        "image_tag_mutability": A(default="MUTABLE", v=[one_of("MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION")]),
        "force_delete": A(),
        "encryption_configuration": B(fn=True),
        "encryption_configuration.encryption_type": A(fn=True, default="AES256", v=[one_of("AES256", "KMS", "KMS_DSSE")]),
        "encryption_configuration.kms_key": A(fn=True, v=[ARN]),
        "image_tag_mutability_exclusion_filter.filter_type": A(v=[one_of("WILDCARD")]),
        "image_tag_mutability_exclusion_filter.filter": A(v=[length(1, 128)]),
    },
    "aws_ecr_repository_policy": {
        "repository": FN,
        "policy": A(v=[JSON]),
    },
    "aws_ecr_lifecycle_policy": {
        "repository": FN,
        "policy": A(v=[JSON]),
    },
    "aws_s3_bucket": {
        "bucket": A(fn=True, conflicts=["bucket_prefix"], v=[length(0, 63)]),
        "bucket_prefix": A(fn=True, conflicts=["bucket"], v=[length(0, 37)]),
        "bucket_namespace": A(fn=True, v=[one_of("account-regional", "global")]),
        "force_destroy": A(default=False),
        "object_lock_enabled": A(fn=True),
        "acceleration_status": A(deprecated="use the aws_s3_bucket_accelerate_configuration resource instead"),
        "acl": A(deprecated="use the aws_s3_bucket_acl resource instead"),
        "policy": A(v=[JSON], deprecated="use the aws_s3_bucket_policy resource instead"),
        "request_payer": A(deprecated="use the aws_s3_bucket_request_payment_configuration resource instead"),
        "website_domain": A(deprecated="use the aws_s3_bucket_website_configuration resource instead"),
        "website_endpoint": A(deprecated="use the aws_s3_bucket_website_configuration resource instead"),
        "cors_rule": B(computed=True),
        "grant": B(computed=True),
        "lifecycle_rule": B(computed=True),
        "logging": B(computed=True),
        "object_lock_configuration": B(computed=True),
        "object_lock_configuration.object_lock_enabled": A(fn=True, deprecated="use the top-level object_lock_enabled instead"),
        "replication_configuration": B(computed=True),
        "server_side_encryption_configuration": B(computed=True),
        "versioning": B(computed=True),
        "website": B(computed=True),
    },
    "aws_s3_bucket_versioning": {
        "bucket": A(fn=True, v=[length(1, 63)]),
        "expected_bucket_owner": FN,
        "versioning_configuration.status": A(v=[one_of("Enabled", "Suspended", "Disabled")]),
        "versioning_configuration.mfa_delete": A(v=[one_of("Enabled", "Disabled")]),
    },
    "aws_s3_bucket_server_side_encryption_configuration": {
        "bucket": A(fn=True, v=[length(1, 63)]),
        "expected_bucket_owner": FN,
        "rule.apply_server_side_encryption_by_default.sse_algorithm": A(v=[one_of("AES256", "aws:kms", "aws:kms:dsse")]),
    },
    "aws_s3_bucket_public_access_block": {
        "bucket": FN,
        "block_public_acls": A(default=False),
        "block_public_policy": A(default=False),
        "ignore_public_acls": A(default=False),
        "restrict_public_buckets": A(default=False),
    },
    "aws_s3_bucket_policy": {
        "bucket": FN,
        "policy": A(v=[JSON]),
    },
    "aws_s3_object": {
        "bucket": A(fn=True, v=[min_len(1)]),
        "key": A(fn=True, v=[min_len(1)]),
        "force_destroy": A(default=False),
        "content": A(conflicts=["source", "content_base64"]),
        "content_base64": A(conflicts=["source", "content"]),
        "source": A(conflicts=["content", "content_base64"]),
        "acl": A(v=[one_of("private", "public-read", "public-read-write", "aws-exec-read", "authenticated-read", "bucket-owner-read", "bucket-owner-full-control")]),
        "server_side_encryption": A(v=[one_of("AES256", "aws:kms", "aws:kms:dsse")]),
        "storage_class": A(v=[one_of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "OUTPOSTS", "SNOW", "EXPRESS_ONEZONE")]),
        "checksum_algorithm": A(v=[one_of("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256")]),
        "object_lock_legal_hold_status": A(v=[one_of("ON", "OFF")]),
        "object_lock_mode": A(v=[one_of("GOVERNANCE", "COMPLIANCE")]),
        "kms_key_id": A(v=[ARN]),
    },
    "aws_cloudwatch_log_group": {
        "name": A(fn=True, conflicts=["name_prefix"], v=[length(1, 512)]),
        "name_prefix": A(fn=True, conflicts=["name"], v=[length(1, 483)]),
        "retention_in_days": A(default=0, v=[rng(0, 3653)]),
        "log_group_class": A(fn=True, v=[one_of("STANDARD", "INFREQUENT_ACCESS", "DELIVERY")]),
        "kms_key_id": A(v=[ARN]),
        "skip_destroy": A(default=False),
    },
    "aws_kms_key": {
        "customer_master_key_spec": A(fn=True, default="SYMMETRIC_DEFAULT", v=[one_of(
            "SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512",
            "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "SM2")]),
        "key_usage": A(fn=True, default="ENCRYPT_DECRYPT", v=[one_of("ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT")]),
        "custom_key_store_id": A(fn=True, v=[length(1, 22)]),
        "xks_key_id": A(fn=True, v=[length(1, 128)]),
        "multi_region": FN,
        "deletion_window_in_days": A(v=[rng(7, 30)]),
        "description": A(v=[length(0, 8192)]),
        "enable_key_rotation": A(default=False),
        "is_enabled": A(default=True),
        "bypass_policy_lockout_safety_check": A(default=False),
        "policy": A(v=[JSON]),
        "rotation_period_in_days": A(v=[rng(90, 2560)]),
    },
    "aws_kms_alias": {
        "name": A(fn=True, conflicts=["name_prefix"], v=[regex(r"^alias/[a-zA-Z0-9/_-]+$", "must begin with alias/ and contain only alphanumerics, /, _ and -")]),
        "name_prefix": A(fn=True, conflicts=["name"], v=[regex(r"^alias/", "must begin with alias/")]),
    },
}

DATA_OVERLAY = {
    "aws_iam_policy_document": {
        "version": A(v=[one_of("2008-10-17", "2012-10-17")]),
        "statement.effect": A(default="Allow", v=[one_of("Allow", "Deny")]),
        "override_json": A(v=[JSON], deprecated="use override_policy_documents instead"),
        "source_json": A(v=[JSON], deprecated="use source_policy_documents instead"),
    },
    "aws_iam_policy": {
        "arn": A(conflicts=["name", "path_prefix"], v=[ARN]),
        "name": A(conflicts=["arn"]),
        "path_prefix": A(conflicts=["arn"]),
    },
    "aws_region": {
        "name": A(deprecated="use region instead"),
        "id": A(deprecated="use region instead"),
    },
    "aws_partition": {
        "id": A(deprecated="use partition instead"),
    },
    "aws_ecr_image": {
        "image_digest": A(conflicts=["image_tag", "most_recent"]),
        "image_tag": A(conflicts=["image_digest", "most_recent"]),
        "most_recent": A(conflicts=["image_digest", "image_tag"]),
    },
    "aws_availability_zones": {
        "state": A(v=[one_of("available", "information", "impaired", "unavailable")]),
    },
}

# Additions newer than the 6.47 reference dump (same summary format), per managed type.
LATER = {
    "aws_emrserverless_application": {
        "blocks": {
            "job_level_cost_allocation_configuration": {
                "nesting": "list", "min_items": 0, "max_items": 1,
                "body": {"attributes": {"enabled": ["bool", "OC"]}},
            },
        },
        "image_configuration": {"attributes": {"application_level_digest_resolution": ["bool", "OC"]}},
    },
}

TIMEOUTS_NOTE = "Operation timeouts (Go duration strings)."

# The built-in and small utility providers (not in the local plugin mirror); from their docs.
BUILTINS = {
    "terraform_data": {
        "provider": "terraform.io/builtin/terraform",
        "import_id": "(not importable)",
        "attributes": {
            "id": ["string", "C"], "input": ["dynamic", "O"], "output": ["dynamic", "C"],
            "triggers_replace": ["dynamic", "O"],
        },
    },
    "null_resource": {
        "provider": "hashicorp/null",
        "import_id": "(not importable)",
        "attributes": {"id": ["string", "C"], "triggers": ["map(string)", "O"]},
    },
    "time_sleep": {
        "provider": "hashicorp/time",
        "import_id": "create_duration,destroy_duration",
        "attributes": {
            "create_duration": ["string", "O"], "destroy_duration": ["string", "O"],
            "id": ["string", "C"], "triggers": ["map(string)", "O"],
        },
    },
    "random_id": {
        "provider": "hashicorp/random",
        "import_id": "base64url id, optionally prefix,id",
        "attributes": {
            "b64_std": ["string", "C"], "b64_url": ["string", "C"], "byte_length": ["number", "R"],
            "dec": ["string", "C"], "hex": ["string", "C"], "id": ["string", "C"],
            "keepers": ["map(string)", "O"], "prefix": ["string", "O"],
        },
    },
    "random_string": {
        "provider": "hashicorp/random",
        "import_id": "the string itself",
        "attributes": {
            "id": ["string", "C"], "keepers": ["map(string)", "O"], "length": ["number", "R"],
            "lower": ["bool", "OC"], "min_lower": ["number", "OC"], "min_numeric": ["number", "OC"],
            "min_special": ["number", "OC"], "min_upper": ["number", "OC"], "number": ["bool", "OCD"],
            "numeric": ["bool", "OC"], "override_special": ["string", "O"], "result": ["string", "C"],
            "special": ["bool", "OC"], "upper": ["bool", "OC"],
        },
    },
    "random_uuid": {
        "provider": "hashicorp/random",
        "import_id": "the UUID",
        "attributes": {"id": ["string", "C"], "keepers": ["map(string)", "O"], "result": ["string", "C"]},
    },
}

BUILTIN_OVERLAY = {
    "terraform_data": {"triggers_replace": FN},
    "null_resource": {"triggers": FN},
    "time_sleep": {
        "triggers": FN,
        "create_duration": A(v=[regex(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", "must be a duration such as 30s or 1m30s")]),
        "destroy_duration": A(v=[regex(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", "must be a duration such as 30s or 1m30s")]),
    },
    "random_id": {"byte_length": A(fn=True, v=[at_least(1)]), "prefix": FN, "keepers": FN},
    "random_string": {
        "keepers": FN,
        "length": A(fn=True, v=[at_least(1)]),
        "lower": A(fn=True, default=True), "upper": A(fn=True, default=True),
        "numeric": A(fn=True, default=True), "special": A(fn=True, default=True),
        "number": A(fn=True, default=True, deprecated="use numeric instead"),
        "min_lower": A(fn=True, default=0), "min_upper": A(fn=True, default=0),
        "min_numeric": A(fn=True, default=0), "min_special": A(fn=True, default=0),
        "override_special": FN,
    },
    "random_uuid": {"keepers": FN},
}

IMPORT_IDS = {
    "aws_emrserverless_application": "application id",
    "aws_iam_role": "role name",
    "aws_iam_policy": "policy ARN",
    "aws_iam_role_policy": "role_name:policy_name",
    "aws_iam_role_policy_attachment": "role_name/policy_arn",
    "aws_iam_policy_attachment": "(not importable)",
    "aws_iam_instance_profile": "instance profile name",
    "aws_vpc": "VPC id",
    "aws_subnet": "subnet id",
    "aws_route_table": "route table id",
    "aws_route_table_association": "subnet_id/route_table_id or gateway_id/route_table_id",
    "aws_route": "route_table_id_destination",
    "aws_vpc_endpoint": "VPC endpoint id",
    "aws_security_group": "security group id",
    "aws_security_group_rule": "sg_id_type_protocol_from_to_source",
    "aws_vpc_security_group_ingress_rule": "security group rule id",
    "aws_vpc_security_group_egress_rule": "security group rule id",
    "aws_internet_gateway": "internet gateway id",
    "aws_nat_gateway": "NAT gateway id",
    "aws_eip": "allocation id",
    "aws_ecr_repository": "repository name",
    "aws_ecr_repository_policy": "repository name",
    "aws_ecr_lifecycle_policy": "repository name",
    "aws_s3_bucket": "bucket name",
    "aws_s3_bucket_versioning": "bucket name, or bucket,expected_bucket_owner",
    "aws_s3_bucket_server_side_encryption_configuration": "bucket name, or bucket,expected_bucket_owner",
    "aws_s3_bucket_public_access_block": "bucket name",
    "aws_s3_bucket_policy": "bucket name",
    "aws_s3_object": "bucket/key or s3://bucket/key",
    "aws_cloudwatch_log_group": "log group name",
    "aws_kms_key": "key id",
    "aws_kms_alias": "alias name",
}

# ---------------------------------------------------------------------------------------------


def load(name):
    with open(os.path.join(SCHEMA_DIR, "testdata", name)) as f:
        return json.load(f)


def merge_additions(base, newer):
    """Adds what `newer` has and `base` lacks; `region` takes newer's flags."""
    for n, a in newer.get("attributes", {}).items():
        attrs = base.setdefault("attributes", {})
        if n not in attrs or n == "region":
            attrs[n] = a
    for n, b in newer.get("blocks", {}).items():
        blocks = base.setdefault("blocks", {})
        if n not in blocks:
            blocks[n] = copy.deepcopy(b)
        else:
            merge_additions(blocks[n]["body"], b["body"])


def apply_later(schema, later):
    for n, b in later.get("blocks", {}).items():
        schema.setdefault("blocks", {})[n] = b
    for k, v in later.items():
        if k in ("blocks", "attributes"):
            continue
        merge_additions(schema["blocks"][k]["body"], v)
    for n, a in later.get("attributes", {}).items():
        schema.setdefault("attributes", {})[n] = a


def parse_type(t):
    """Terraform type expression → Rust AttrType expression."""
    t = t.strip()
    if t == "string":
        return "s()"
    if t == "number":
        return "n()"
    if t == "bool":
        return "b()"
    if t == "dynamic":
        return "dynamic()"
    for kind in ("list", "set", "map"):
        if t.startswith(kind + "(") and t.endswith(")"):
            return "%s(%s)" % (kind, parse_type(t[len(kind) + 1:-1]))
    if t.startswith("object({") and t.endswith("})"):
        inner = t[len("object({"):-2]
        fields = split_top(inner)
        parts = []
        for f in fields:
            k, v = f.split("=", 1)
            parts.append('("%s", %s)' % (k, parse_type(v)))
        return "obj(vec![%s])" % ", ".join(parts)
    raise SystemExit("type %r" % t)


def split_top(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def rust_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return "%di64" % v
    return '"%s"' % v


def emit_attr(name, spec, ov, path, used):
    ty, flags = spec
    ctor = {"R": "required", "O": "optional", "OC": "optional_computed", "C": "computed"}[
        "".join(c for c in flags if c in "ROC")]
    e = 'Attribute::%s("%s", %s)' % (ctor, name, parse_type(ty))
    o = ov.get(path)
    if o is not None:
        used.add(path)
        if o.get("block"):
            raise SystemExit("overlay %s is a block overlay on an attribute" % path)
    o = o or A()
    if o["fn"]:
        e += ".force_new()"
    if "S" in flags or o["sensitive"]:
        e += ".sensitive()"
    if "D" in flags or o["deprecated"]:
        msg = o["deprecated"] or "deprecated by the provider"
        e += '.deprecated("%s")' % msg
    if o["default"] is not None:
        if "R" in flags:
            raise SystemExit("default on required %s" % path)
        e += ".default(%s)" % rust_value(o["default"])
    for v in o["v"]:
        e += ".validate(%s)" % v
    if o["conflicts"]:
        e += ".conflicts(&[%s])" % ", ".join('"%s"' % c for c in o["conflicts"])
    if o["desc"]:
        e += '.describe("%s")' % o["desc"]
    return e


def emit_body(body, ov, prefix, used, ind):
    pad = " " * ind
    out = "Body::new()"
    for n in sorted(body.get("attributes", {})):
        out += "\n%s.attr(%s)" % (pad, emit_attr(n, body["attributes"][n], ov, prefix + n, used))
    for n in sorted(body.get("blocks", {})):
        blk = body["blocks"][n]
        inner = emit_body(blk["body"], ov, prefix + n + ".", used, ind + 4)
        nest, lo, hi = blk["nesting"], blk["min_items"], blk["max_items"]
        if nest == "list" and hi == 1:
            e = 'BlockType::single("%s", %s)' % (n, inner)
            if lo:
                e += ".items(%d, 1)" % lo
        elif nest == "list":
            e = 'BlockType::list("%s", %s)' % (n, inner)
            if lo or hi:
                e += ".items(%d, %d)" % (lo, hi)
        elif nest == "set":
            e = 'BlockType::set("%s", %s)' % (n, inner)
            if lo or hi:
                e += ".items(%d, %d)" % (lo, hi)
        elif nest == "single":
            e = 'nested_single("%s", %s)' % (n, inner)
        else:
            raise SystemExit("nesting %s" % nest)
        o = ov.get(prefix + n)
        if o is not None:
            used.add(prefix + n)
            if not o.get("block"):
                raise SystemExit("overlay %s is an attribute overlay on a block" % (prefix + n))
            if o["fn"]:
                e += ".force_new()"
            if o["computed"]:
                e += ".computed()"
        out += "\n%s.block(%s)" % (pad, e)
    return out


HEADER = """//! `{name}` ({what}{provider}).
//!
//! Generated by `scripts/gen-schemas.py` from the provider schema dumps in `../testdata/` plus
//! the script's overlay (ForceNew, defaults, validations). Change the script and regenerate
//! rather than editing this file by hand.

use crate::config::schema::dsl::*;
use crate::config::schema::{{Attribute, BlockType, Body, ResourceSchema, SchemaKind, Validation}};

/// The schema of `{name}`.
pub(crate) fn schema() -> ResourceSchema {{
    ResourceSchema {{
        type_name: "{name}",
        kind: SchemaKind::{kind},
        version: {version},
        import_id: "{import_id}",
        body: {body},
    }}
}}
"""


def write_type(folder, name, kind, schema, ov, import_id, provider=""):
    used = set()
    body = emit_body(schema, ov, "", used, 12)
    unused = set(ov) - used
    if unused:
        raise SystemExit("%s: overlay paths not in schema: %s" % (name, sorted(unused)))
    text = HEADER.format(
        name=name,
        what="managed resource" if kind == "Managed" else "data source",
        provider=(", provider " + provider) if provider else "",
        kind=kind,
        version=schema.get("version", 0),
        import_id=import_id,
        body=body,
    )
    if "Validation::" not in body:
        text = text.replace(", Validation}", "}")
    if "Attribute::" not in body:
        text = text.replace("Attribute, ", "")
    if "BlockType::" not in body:
        text = text.replace("BlockType, ", "")
    uses_dsl = any(h + "(" in body for h in (
        "s", "n", "b", "dynamic", "list", "set", "map", "obj", "one_of", "one_of_ci", "len",
        "range", "regex", "nested_single", "min_len", "at_least"))
    if not uses_dsl:
        text = text.replace("use crate::config::schema::dsl::*;\n", "")
    with open(os.path.join(SCHEMA_DIR, folder, name + ".rs"), "w") as f:
        f.write(text)


MOD_HEADER = {
    "resources": """//! Schemas of the managed resource types, one file per type, each exposing `schema()`.
//!
//! The files are generated by `scripts/gen-schemas.py`; this module only lists them. It must
//! not hold logic: validation, diffing and provider calls live elsewhere.
""",
    "data_sources": """//! Schemas of the data sources, one file per type, each exposing `schema()`.
//!
//! The files are generated by `scripts/gen-schemas.py`; this module only lists them. It must
//! not hold logic: reading data sources is the providers' job.
""",
}


def write_mod(folder, names):
    lines = [MOD_HEADER[folder]]
    for n in names:
        lines.append("mod %s;" % n)
    lines.append("")
    lines.append("use super::ResourceSchema;")
    lines.append("")
    lines.append("/// Every schema of this kind, in name order.")
    lines.append("pub(super) fn all() -> Vec<ResourceSchema> {")
    lines.append("    vec![")
    for n in names:
        lines.append("        %s::schema()," % n)
    lines.append("    ]")
    lines.append("}")
    with open(os.path.join(SCHEMA_DIR, folder, "mod.rs"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    v5 = load("aws-provider-5.100.json")
    v6 = load("aws-provider-6.47.json")
    for folder in ("resources", "data_sources"):
        os.makedirs(os.path.join(SCHEMA_DIR, folder), exist_ok=True)

    managed_names = []
    for name, schema in v5["managed"].items():
        s = copy.deepcopy(schema)
        merge_additions(s, v6["managed"].get(name, {}))
        if name in LATER:
            apply_later(s, LATER[name])
        write_type("resources", name, "Managed", s, MANAGED_OVERLAY.get(name, {}), IMPORT_IDS[name])
        managed_names.append(name)
    for name, schema in BUILTINS.items():
        s = {"version": 0, "attributes": schema["attributes"]}
        write_type("resources", name, "Managed", s, BUILTIN_OVERLAY.get(name, {}),
                   schema["import_id"], schema["provider"])
        managed_names.append(name)
    write_mod("resources", sorted(managed_names))

    data_names = []
    for name, schema in v5["data"].items():
        s = copy.deepcopy(schema)
        merge_additions(s, v6["data"].get(name, {}))
        write_type("data_sources", name, "Data", s, DATA_OVERLAY.get(name, {}), "(data source)")
        data_names.append(name)
    write_mod("data_sources", sorted(data_names))


if __name__ == "__main__":
    main()
