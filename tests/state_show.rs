//! `state show` output compared with what Terraform 1.11 printed for the same state files
//! (tests/fixtures/state/show/*.txt were captured with `terraform state show -no-color`).

use std::path::Path;

use emrform::config::schema::{AttrType, Attribute, BlockType, Body};
use emrform::state::{ops, State};

fn fixture_state(name: &str) -> State {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/state/roundtrip")
        .join(format!("{name}.tfstate"));
    State::from_slice(&std::fs::read(&p).unwrap(), &p.display().to_string()).unwrap()
}

fn golden(file: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/state/show")
        .join(file);
    std::fs::read_to_string(p).unwrap()
}

fn strings() -> AttrType {
    AttrType::List(Box::new(AttrType::String))
}

/// Only the parts of the provider schemas that change how a value prints: nested blocks and
/// object-typed attributes.
fn schema_for(type_name: &str) -> Option<Body> {
    match type_name {
        "aws_ecr_repository" => Some(
            Body::new()
                .block(BlockType::list(
                    "encryption_configuration",
                    Body::new()
                        .attr(Attribute::optional("encryption_type", AttrType::String))
                        .attr(Attribute::optional("kms_key", AttrType::String)),
                ))
                .block(BlockType::single(
                    "image_scanning_configuration",
                    Body::new().attr(Attribute::optional("scan_on_push", AttrType::Bool)),
                )),
        ),
        "aws_iam_role" => Some(
            Body::new().block(BlockType::set(
                "inline_policy",
                Body::new()
                    .attr(Attribute::optional("name", AttrType::String))
                    .attr(Attribute::optional("policy", AttrType::String)),
            )),
        ),
        "aws_security_group" => {
            let rule = AttrType::Object(vec![
                ("cidr_blocks", strings()),
                ("description", AttrType::String),
                ("from_port", AttrType::Number),
                ("ipv6_cidr_blocks", strings()),
                ("prefix_list_ids", strings()),
                ("protocol", AttrType::String),
                ("security_groups", strings()),
                ("self", AttrType::Bool),
                ("to_port", AttrType::Number),
            ]);
            Some(
                Body::new()
                    .attr(Attribute::optional_computed(
                        "egress",
                        AttrType::Set(Box::new(rule.clone())),
                    ))
                    .attr(Attribute::optional_computed(
                        "ingress",
                        AttrType::Set(Box::new(rule)),
                    )),
            )
        }
        _ => None,
    }
}

#[test]
fn state_show_matches_terraform() {
    let cases = [
        (
            "iam",
            "aws_iam_role_policy.s3",
            "iam-aws_iam_role_policy.s3.txt",
        ),
        (
            "iam",
            "aws_iam_role.runtime",
            "iam-aws_iam_role.runtime.txt",
        ),
        (
            "network",
            "aws_vpc_security_group_ingress_rule.self[\"443\"]",
            "network-aws_vpc_security_group_ingress_rule.self__443__.txt",
        ),
        (
            "network",
            "aws_security_group.emr",
            "network-aws_security_group.emr.txt",
        ),
        (
            "network",
            "aws_subnet.private[0]",
            "network-aws_subnet.private_0_.txt",
        ),
        (
            "ecr",
            "aws_ecr_repository.spark",
            "ecr-aws_ecr_repository.spark.txt",
        ),
        (
            "ecr",
            "data.aws_caller_identity.current",
            "ecr-data.aws_caller_identity.current.txt",
        ),
    ];
    for (state, addr, file) in cases {
        let s = fixture_state(state);
        let type_name = addr.trim_start_matches("data.").split('.').next().unwrap();
        let schema = schema_for(type_name);
        let got = ops::show(&s, addr, schema.as_ref()).unwrap();
        let want = golden(file);
        assert_eq!(got.trim_end(), want.trim_end(), "{addr}:\n{got}");
    }
}

#[test]
fn sensitive_outputs_and_attributes_never_show() {
    let s = fixture_state("iam");
    let out = &s.outputs["password"];
    assert!(out.sensitive);
    for a in ops::list(&s, &[]).unwrap() {
        let text = ops::show(&s, &a.to_string(), None).unwrap();
        assert!(!text.contains("hunter2"), "{text}");
    }
}
