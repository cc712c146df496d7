//! Property test: no input makes loading, evaluation or formatting panic. Inputs are random
//! HCL-ish text and random mutations of a realistic configuration.

use emrform::config::eval::{evaluate, EvalMode, EvalOptions, UnknownResolver};
use emrform::config::load::load;
use proptest::prelude::*;

const SEED: &str = r#"
variable "n" {
  type    = number
  default = 2
}
locals {
  names = [for i in range(var.n) : "app-${i}"]
  m     = { for k, v in { a = 1, b = 2 } : k => v * 2 if v > 0 }
}
resource "aws_iam_role" "r" {
  count              = var.n
  name               = local.names[count.index]
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}
resource "aws_emrserverless_application" "a" {
  name          = "x"
  release_label = "emr-7.2.0"
  type          = "spark"
  dynamic "initial_capacity" {
    for_each = local.m
    content {
      initial_capacity_type = initial_capacity.key
      initial_capacity_config {
        worker_count = initial_capacity.value
      }
    }
  }
  tags = { Role = aws_iam_role.r[0].arn, T = "${upper("x")}%{ if true }y%{ endif }" }
}
output "o" {
  value = aws_iam_role.r[*].name
}
"#;

fn run(text: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("main.tf"), text).expect("write");
    let (mut config, diags) = load(dir.path());
    if !diags.has_errors() {
        let mut opts = EvalOptions::from_env(EvalMode::Validate);
        opts.env.clear();
        let _ = evaluate(&mut config, &opts, &mut UnknownResolver);
        let mut opts = EvalOptions::from_env(EvalMode::Plan);
        opts.env.clear();
        let _ = evaluate(&mut config, &opts, &mut UnknownResolver);
    }
    let _ = emrform::config::fmt::format_source(text);
    let _ = emrform::diag::render_all(diags.iter(), &config.sources, Default::default());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(s in "[a-z_\"{}\\[\\]()=.,:?*+!<>$%~#/\\n 0-9-]{0,200}") {
        run(&s);
    }

    #[test]
    fn mutated_configuration_never_panics(cuts in proptest::collection::vec((0usize..SEED.len(), 0usize..12, "[a-z{}\\[\\]\"=.$*()\\n ]{0,4}"), 1..4)) {
        let mut text = SEED.to_string();
        for (at, len, insert) in cuts {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) { at -= 1; }
            let mut end = (at + len).min(text.len());
            while !text.is_char_boundary(end) { end -= 1; }
            text.replace_range(at..end, &insert);
        }
        run(&text);
    }
}
