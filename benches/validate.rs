//! Validate generated configurations of 100, 1,000 and 10,000 resources with references
//! between them: load (parse), build the graph, evaluate every resource against its schema.
//! Run with `cargo bench --bench validate`; `scripts/bench-validate` also times the whole
//! `emrform validate` process.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use emrform::config::eval::{evaluate, EvalMode, EvalOptions, UnknownResolver};
use emrform::config::load::load;
use std::path::Path;

/// Writes a configuration of `n` resources: IAM roles and policies chained by references,
/// security groups referring to a VPC, and locals/variables used throughout.
pub fn generate(dir: &Path, n: usize) -> std::io::Result<()> {
    let mut s = String::from(
        "variable \"prefix\" {\n  type    = string\n  default = \"bench\"\n}\n\nlocals {\n  tags = { Team = \"data\", Env = var.prefix }\n}\n\nresource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n  tags       = local.tags\n}\n\n",
    );
    for i in 1..n {
        match i % 3 {
            0 => s.push_str(&format!(
                "resource \"aws_security_group\" \"sg{i}\" {{\n  name   = \"${{var.prefix}}-sg-{i}\"\n  vpc_id = aws_vpc.main.id\n  tags   = merge(local.tags, {{ Index = \"{i}\" }})\n}}\n\n"
            )),
            1 => s.push_str(&format!(
                "resource \"aws_iam_role\" \"r{i}\" {{\n  name = \"${{var.prefix}}-role-{i}\"\n  assume_role_policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {{ Service = \"emr-serverless.amazonaws.com\" }} }}]\n  }})\n  tags = local.tags\n}}\n\n"
            )),
            _ => s.push_str(&format!(
                "resource \"aws_iam_role_policy\" \"p{i}\" {{\n  name = \"p{i}\"\n  role = aws_iam_role.r{prev}.id\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{ Effect = \"Allow\", Action = [\"s3:GetObject\"], Resource = \"arn:aws:s3:::bucket-{i}/*\" }}]\n  }})\n}}\n\n",
                prev = i - 1
            )),
        }
    }
    std::fs::write(dir.join("main.tf"), s)
}

fn validate(dir: &Path) {
    let (mut config, diags) = load(dir);
    assert!(!diags.has_errors());
    let opts = EvalOptions::from_env(EvalMode::Validate);
    let (_, diags) = evaluate(&mut config, &opts, &mut UnknownResolver);
    assert!(!diags.has_errors(), "{:?}", diags.iter().next());
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    group.sample_size(10);
    for n in [100usize, 1_000, 10_000] {
        let dir = tempfile::tempdir().expect("temp dir");
        generate(dir.path(), n).expect("write config");
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| validate(dir.path()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
