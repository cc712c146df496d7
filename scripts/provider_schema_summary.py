#!/usr/bin/env python3
"""Summarise `terraform providers schema -json` for the AWS types emrform knows.

Reads the full dump (13 MB) and writes a compact JSON with, per type, every attribute's
type and flags and every block's nesting and item limits. Descriptions are dropped: the
summary holds facts only. The unit test in src/config/schema/registry.rs compares our
schemas against this file.

Usage: provider_schema_summary.py DUMP.json OUT.json [VERSION]
       provider_schema_summary.py --per-type-mirror GIT_DIR OUT.json VERSION
  The second form reads a git mirror of a repository that stores one provider-schema JSON
  document per type, embedded in a Go string (`generated/resource/awsIamRole.go`,
  `generated/data/awsVpc.go`), as a source for newer provider versions than the local plugin.
"""
import json
import re
import sys

MANAGED = [
    "aws_emrserverless_application", "aws_iam_role", "aws_iam_policy", "aws_iam_role_policy",
    "aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_instance_profile",
    "aws_vpc", "aws_subnet", "aws_route_table", "aws_route_table_association", "aws_route",
    "aws_vpc_endpoint", "aws_security_group", "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
    "aws_internet_gateway", "aws_nat_gateway", "aws_eip", "aws_ecr_repository",
    "aws_ecr_repository_policy", "aws_ecr_lifecycle_policy", "aws_s3_bucket",
    "aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_public_access_block", "aws_s3_bucket_policy", "aws_s3_object",
    "aws_cloudwatch_log_group", "aws_kms_key", "aws_kms_alias",
]
DATA = [
    "aws_iam_policy_document", "aws_iam_role", "aws_iam_policy", "aws_vpc", "aws_subnet",
    "aws_subnets", "aws_availability_zones", "aws_route_table", "aws_ecr_repository",
    "aws_ecr_image", "aws_caller_identity", "aws_region", "aws_partition",
    "aws_emr_release_labels", "aws_s3_bucket", "aws_security_group", "aws_kms_key",
]


def type_expr(t):
    """Terraform's type expression for a cty JSON type: "string", ["list","string"], ..."""
    if isinstance(t, str):
        return t
    kind = t[0]
    if kind in ("list", "set", "map"):
        return "%s(%s)" % (kind, type_expr(t[1]))
    if kind == "object":
        inner = ",".join("%s=%s" % (k, type_expr(v)) for k, v in sorted(t[1].items()))
        return "object({%s})" % inner
    raise SystemExit("unsupported type %r" % (t,))


def flags(a):
    f = ""
    if a.get("required"):
        f += "R"
    if a.get("optional"):
        f += "O"
    if a.get("computed"):
        f += "C"
    if a.get("sensitive"):
        f += "S"
    if a.get("deprecated"):
        f += "D"
    return f


def body(block):
    out = {}
    attrs = block.get("attributes", {})
    if attrs:
        out["attributes"] = {}
        for name in sorted(attrs):
            a = attrs[name]
            if "nested_type" in a:
                raise SystemExit("nested attribute types are not supported: %s" % name)
            out["attributes"][name] = [type_expr(a["type"]), flags(a)]
    blocks = block.get("block_types", {})
    if blocks:
        out["blocks"] = {}
        for name in sorted(blocks):
            b = blocks[name]
            out["blocks"][name] = {
                "nesting": b["nesting_mode"],
                "min_items": b.get("min_items", 0),
                "max_items": b.get("max_items", 0),
                "body": body(b["block"]),
            }
    return out


def camel(type_name):
    return "aws" + "".join(p.capitalize() for p in type_name.split("_")[1:])


def from_mirror(git_dir):
    """Reads per-type schemas from the newest commit of a git mirror into dump shape."""
    import subprocess

    tables = {"resource_schemas": {}, "data_source_schemas": {}}
    for folder, names, key in (
        ("resource", MANAGED, "resource_schemas"),
        ("data", DATA, "data_source_schemas"),
    ):
        for n in names:
            path = "HEAD:generated/%s/%s.go" % (folder, camel(n))
            text = subprocess.run(
                ["git", "-C", git_dir, "show", path], capture_output=True, text=True, check=True
            ).stdout
            m = re.search(r"= `(\{.*\})`", text, re.S)
            if not m:
                raise SystemExit("no schema JSON in %s" % path)
            tables[key][n] = json.loads(m.group(1))
    return tables


def main():
    if sys.argv[1] == "--per-type-mirror":
        aws = from_mirror(sys.argv[2])
        out_path = sys.argv[3]
        del sys.argv[1]
    else:
        dump_path, out_path = sys.argv[1], sys.argv[2]
        with open(dump_path) as f:
            dump = json.load(f)
        aws = dump["provider_schemas"]["registry.terraform.io/hashicorp/aws"]
    summary = {
        "provider": "registry.terraform.io/hashicorp/aws",
        "version": sys.argv[3] if len(sys.argv) > 3 else "unknown",
        "legend": "attribute = [type, flags]; flags: R required, O optional, C computed, "
        "S sensitive, D deprecated",
        "managed": {},
        "data": {},
    }
    for kind, names, table in (
        ("managed", MANAGED, aws["resource_schemas"]),
        ("data", DATA, aws["data_source_schemas"]),
    ):
        for n in names:
            s = table[n]
            summary[kind][n] = {"version": s.get("version", 0), **body(s["block"])}
    with open(out_path, "w") as f:
        text = json.dumps(summary, indent=1)
        # One line per attribute: [type, flags].
        text = re.sub(r'\[\n\s*("[^"]*"),\n\s*("[^"]*")\n\s*\]', r"[\1, \2]", text)
        f.write(text + "\n")


if __name__ == "__main__":
    main()
