//! Checks without planning (`emrform check`): the plan-time checks and the policy lint over a
//! Terraform configuration that emrform need not be able to plan, or over a plan JSON made by
//! `terraform show -json` (or `emrform plan --json`). Teams that keep Terraform add emrform's
//! judgement to CI this way.
//!
//! Both inputs become [`Subject`]s and policies, and the findings of both become one
//! [`LintReport`] (rendered like the lint's output). Blocks of types emrform does not know
//! contribute unknown values and are listed in [`CheckReport::not_checked`]. No AWS call is
//! made: facts that only live AWS has (free addresses of existing subnets, other applications)
//! are absent, and the checks that need them stay silent.

use super::{placeholder, Context, Facts, RawFinding, Subject, SUBJECT_TYPES};
use crate::config::eval::{EvalMode, EvalOptions};
use crate::config::value::Value;
use crate::diag::{Diagnostic, SourceMap, Span};
use crate::lint::hcl::POLICY_ARGS;
use crate::lint::policy::{json, Policy, PolicyOrigin};
use crate::lint::{self, LintOptions, LintReport, Severity};
use crate::plan::FindingSeverity;
use serde_json::Value as Json;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// A resource or data source the checks could not see into.
#[derive(Debug, Clone, PartialEq)]
pub struct NotChecked {
    /// Its address.
    pub address: String,
    /// Its type.
    pub type_name: String,
    /// `file:line:col` of its block, when from a configuration.
    pub location: Option<String>,
}

/// The outcome of `emrform check`.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Findings of the checks, the lint and the configuration itself, with their sources.
    pub report: LintReport,
    /// Blocks of types emrform does not know.
    pub not_checked: Vec<NotChecked>,
    /// Resource instances judged by the checks.
    pub resources: usize,
    /// What was read: `configuration` or `plan`.
    pub input: &'static str,
}

/// What `check` reads.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Lint selection and severities.
    pub lint: LintOptions,
    /// `--var`/`--var-file` for a configuration.
    pub cli_vars: Vec<crate::config::eval::CliVar>,
}

fn lint_severity(s: FindingSeverity) -> Severity {
    match s {
        FindingSeverity::Error => Severity::Error,
        FindingSeverity::Warning => Severity::Warning,
        FindingSeverity::Info => Severity::Info,
    }
}

/// Adds findings of the checks to `report`, at their spans in `sources` (copied into the
/// report's own source map when the lint did not read the file).
fn add_check_findings(
    report: &mut LintReport,
    sources: &SourceMap,
    raw: Vec<RawFinding>,
    fallback: Option<Span>,
    min: Severity,
) {
    let mut mapped: HashMap<crate::diag::FileId, crate::diag::FileId> = HashMap::new();
    for f in raw {
        let severity = lint_severity(f.severity);
        if severity < min {
            continue;
        }
        let Some(span) = f.span.or(fallback) else {
            continue;
        };
        let Some(file) = sources.try_get(span.file) else {
            continue;
        };
        let target = *mapped.entry(span.file).or_insert_with(|| {
            report
                .sources
                .find(&file.path)
                .unwrap_or_else(|| report.sources.add(file.path.clone(), file.text.clone()))
        });
        let span = Span::new(target, span.range());
        let (line, column) = file.line_col(span.start as usize);
        let (end_line, end_column) = file.line_col(span.end as usize);
        let name = super::meta(f.code).map(|m| m.name).unwrap_or(f.code);
        report.findings.push(lint::Finding {
            rule: f.code,
            name,
            severity,
            message: f.message,
            file: file.path.clone(),
            line,
            column,
            end_line,
            end_column,
            aws_code: None,
            address: Some(f.address),
            span,
        });
    }
}

/// Adds configuration errors (and warnings) as findings named by their diagnostic code.
fn add_diagnostics(report: &mut LintReport, sources: &SourceMap, diags: &[Diagnostic]) {
    for d in diags {
        let Some(span) = d.primary_span() else {
            continue;
        };
        let Some(file) = sources.try_get(span.file) else {
            continue;
        };
        let target = report
            .sources
            .find(&file.path)
            .unwrap_or_else(|| report.sources.add(file.path.clone(), file.text.clone()));
        let (line, column) = file.line_col(span.start as usize);
        let (end_line, end_column) = file.line_col(span.end as usize);
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str(". ");
            message.push_str(h);
        }
        report.findings.push(lint::Finding {
            rule: d.code,
            name: d.code,
            severity: if d.is_error() {
                Severity::Error
            } else {
                Severity::Warning
            },
            message,
            file: file.path.clone(),
            line,
            column,
            end_line,
            end_column,
            aws_code: None,
            address: None,
            span: Span::new(target, span.range()),
        });
    }
}

/// `././../x.tf` → `../x.tf`.
fn clean(p: &Path) -> PathBuf {
    let c: PathBuf = p
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if c.as_os_str().is_empty() {
        p.to_path_buf()
    } else {
        c
    }
}

fn sort(report: &mut LintReport) {
    for f in &mut report.findings {
        f.file = clean(&f.file);
    }
    report.findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule).cmp(&(&b.file, b.line, b.column, b.rule))
    });
    report.findings.dedup_by(|a, b| {
        a.rule == b.rule && a.file == b.file && a.line == b.line && a.message == b.message
    });
}

/// Checks a configuration directory: evaluates it without AWS (unknown variables stay
/// unknown), runs the checks on what it plans and the lint on its policies.
///
/// # Errors
/// When the lint cannot read the directory.
pub fn check_dir(dir: &Path, opts: &CheckOptions) -> anyhow::Result<CheckReport> {
    let (mut config, load_diags) = crate::config::load::load(dir);
    let mut eval = EvalOptions::from_env(EvalMode::Validate);
    eval.cwd = dir.to_path_buf();
    eval.cli_vars = opts.cli_vars.clone();
    eval.allow_unknown_types = true;
    // The configuration is judged as `validate` judges it; the subjects come from a second
    // evaluation where placeholders stand for ids (placeholders are not valid ARNs, so that
    // evaluation's diagnostics are not the user's).
    let (subjects, ev, eval_diags) = if load_diags.has_errors() {
        (Vec::new(), Default::default(), Default::default())
    } else {
        let (_, diags) = crate::config::eval::evaluate(
            &mut config,
            &eval,
            &mut crate::config::eval::UnknownResolver,
        );
        let (subjects, ev, _) = super::subjects::from_config(&mut config, &eval);
        (subjects, ev, diags)
    };
    let region = ev
        .providers
        .get("aws")
        .and_then(|p| p.get("region"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut report = lint::lint_paths(&[dir.to_path_buf()], &opts.lint)?;
    let facts = Facts {
        region: region.clone(),
        ..Facts::default()
    };
    let ctx = Context {
        subjects: &subjects,
        facts: &facts,
        region,
    };
    let raw = super::run_raw(&ctx);
    add_check_findings(
        &mut report,
        &config.sources,
        raw,
        None,
        opts.lint.min_severity,
    );
    let diags: Vec<Diagnostic> = load_diags
        .iter()
        .chain(eval_diags.iter())
        .cloned()
        .collect();
    add_diagnostics(&mut report, &config.sources, &diags);
    sort(&mut report);
    let not_checked = ev
        .unchecked
        .iter()
        .map(|u| NotChecked {
            address: u.address.clone(),
            type_name: u.type_name.clone(),
            location: Some(config.sources.location(u.span)),
        })
        .collect();
    Ok(CheckReport {
        report,
        not_checked,
        resources: subjects.len(),
        input: "configuration",
    })
}

/// True when `path` looks like a plan JSON file rather than a configuration directory.
pub fn is_plan_json(path: &Path) -> bool {
    path.is_file()
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Marks the parts of `v` that `mask` (Terraform's `after_unknown`) says are unknown.
fn with_unknowns(v: Value, mask: &Json) -> Value {
    match (v, mask) {
        (_, Json::Bool(true)) => Value::Unknown,
        (Value::Map(mut m), Json::Object(mo)) => {
            for (k, sub) in mo {
                let cur = m.remove(k).unwrap_or(Value::Null);
                m.insert(k.clone(), with_unknowns(cur, sub));
            }
            Value::Map(m)
        }
        (Value::List(items), Json::Array(ma)) => Value::List(
            items
                .into_iter()
                .enumerate()
                .map(|(i, x)| match ma.get(i) {
                    Some(sub) => with_unknowns(x, sub),
                    None => x,
                })
                .collect(),
        ),
        (Value::Null, Json::Object(mo)) if mo.values().any(|x| x != &Json::Bool(false)) => {
            with_unknowns(Value::Map(Default::default()), mask)
        }
        (v, _) => v,
    }
}

/// One resource change of a plan JSON.
struct Change<'a> {
    address: String,
    module: String,
    type_name: String,
    mode: String,
    actions: Vec<String>,
    after: Value,
    json: &'a Json,
}

/// `module.a["x"].module.b.aws_s3_bucket.c` → (`module.a["x"].module.b`, `aws_s3_bucket.c`).
fn split_module(address: &str) -> (String, &str) {
    let mut rest = address;
    let mut module = String::new();
    while let Some(after) = rest.strip_prefix("module.") {
        // The call name, with an optional instance key in brackets.
        let mut end = after.find('.').unwrap_or(after.len());
        if let Some(open) = after[..end].find('[') {
            end = after[open..]
                .find(']')
                .map_or(after.len(), |c| open + c + 1);
        }
        let call = &after[..end];
        if !module.is_empty() {
            module.push('.');
        }
        module.push_str("module.");
        module.push_str(call);
        rest = after.get(end + 1..).unwrap_or("");
    }
    (module, rest)
}

fn changes(plan: &Json) -> Vec<Change<'_>> {
    let Some(rcs) = plan.get("resource_changes").and_then(Json::as_array) else {
        return Vec::new();
    };
    rcs.iter()
        .filter_map(|rc| {
            let change = rc.get("change")?;
            let after = change
                .get("after")
                .map(Value::from_json)
                .unwrap_or_default();
            let after = match change.get("after_unknown") {
                Some(mask) => with_unknowns(after, mask),
                None => after,
            };
            let address = rc.get("address")?.as_str()?.to_string();
            // Minimal plans (hand-written, or trimmed by other tools) may leave out `type`,
            // `mode` and `module_address`: the address says them all.
            let (module, local) = split_module(&address);
            let is_data = local.starts_with("data.");
            let type_name = match rc.get("type").and_then(Json::as_str) {
                Some(t) => t.to_string(),
                None => local
                    .trim_start_matches("data.")
                    .split('.')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            };
            Some(Change {
                module: rc
                    .get("module_address")
                    .and_then(Json::as_str)
                    .map_or(module, str::to_string),
                type_name,
                mode: rc
                    .get("mode")
                    .and_then(Json::as_str)
                    .unwrap_or(if is_data { "data" } else { "managed" })
                    .to_string(),
                address,
                actions: change
                    .get("actions")
                    .and_then(Json::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
                after,
                json: rc,
            })
        })
        .collect()
}

/// The configuration block of a resource (`module.a.module.b` + `aws_x.y`) in the plan's
/// `configuration`, when present.
fn config_block<'a>(plan: &'a Json, module: &str, resource: &str) -> Option<&'a Json> {
    let mut m = plan.get("configuration")?.get("root_module")?;
    if !module.is_empty() {
        for part in module.split('.').collect::<Vec<_>>().chunks(2) {
            let name = part.get(1)?;
            let name = name.split('[').next()?;
            m = m.get("module_calls")?.get(name)?.get("module")?;
        }
    }
    m.get("resources")?
        .as_array()?
        .iter()
        .find(|r| r.get("address").and_then(Json::as_str) == Some(resource))
}

/// `aws_subnet.a[0]` → `aws_subnet.a`.
fn base_address(addr: &str) -> &str {
    addr.find('[').map_or(addr, |i| &addr[..i])
}

/// Values a reference list points at: for `aws_subnet.a.id` the `id` of every instance of
/// `aws_subnet.a` (its known value, or its placeholder).
fn referenced_values(
    refs: &[String],
    module: &str,
    by_base: &HashMap<String, Vec<(String, Value)>>,
) -> Vec<Value> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for r in refs {
        let parts: Vec<&str> = r.split('.').collect();
        if parts.len() < 2 || parts[0] == "var" || parts[0] == "local" || parts[0] == "data" {
            continue;
        }
        let resource = format!("{}.{}", parts[0], base_address(parts[1]));
        let attr = parts.get(2).copied().unwrap_or("id");
        let full = if module.is_empty() {
            resource
        } else {
            format!("{module}.{resource}")
        };
        if !seen.insert((full.clone(), attr.to_string())) {
            continue;
        }
        // A bare resource reference duplicates its attribute reference.
        if parts.len() == 2
            && refs
                .iter()
                .any(|o| o.starts_with(&format!("{r}.")) || o.starts_with(&format!("{r}[")))
        {
            continue;
        }
        for (addr, v) in by_base.get(&full).map(Vec::as_slice).unwrap_or(&[]) {
            out.push(match v.get(attr) {
                Some(x) if x.is_wholly_known() && !x.is_null() => x.clone(),
                _ if attr == "arn" => Value::from(format!("arn:(known after apply):{addr}")),
                _ => Value::from(placeholder(addr)),
            });
        }
    }
    out
}

fn refs_of(expr: Option<&Json>) -> Vec<String> {
    expr.and_then(|e| e.get("references"))
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// True when a reference names a whole resource with no attribute beside it
/// (`aws_subnet.private[*].id` is recorded as `aws_subnet.private`): a list of instances.
fn is_splat(refs: &[String]) -> bool {
    refs.iter().any(|r| {
        r.split('.').count() == 2
            && !refs
                .iter()
                .any(|o| o.starts_with(&format!("{r}.")) || o.starts_with(&format!("{r}[")))
    })
}

/// Replaces unknown parts of `v` whose configuration expression references other planned
/// resources by those resources' values or placeholders, so checks can follow them.
fn resolve_unknowns(
    v: Value,
    expr: Option<&Json>,
    module: &str,
    by_base: &HashMap<String, Vec<(String, Value)>>,
) -> Value {
    match v {
        Value::Unknown => {
            let refs = refs_of(expr);
            let vals = referenced_values(&refs, module, by_base);
            match vals.len() {
                0 => Value::Unknown,
                1 if !is_splat(&refs) => vals.into_iter().next().unwrap_or(Value::Unknown),
                _ => Value::List(vals),
            }
        }
        Value::Map(m) => Value::Map(
            m.into_iter()
                .map(|(k, x)| {
                    let sub = expr.and_then(|e| e.get(&k));
                    let x = resolve_unknowns(x, sub, module, by_base);
                    (k, x)
                })
                .collect(),
        ),
        // Nested blocks: one expression object per block.
        Value::List(items) if matches!(expr, Some(Json::Array(_))) => Value::List(
            items
                .into_iter()
                .enumerate()
                .map(|(i, x)| {
                    let sub = expr.and_then(|e| e.get(i).or_else(|| e.get(0)));
                    resolve_unknowns(x, sub, module, by_base)
                })
                .collect(),
        ),
        // A list attribute with unknown elements: the i-th referenced value.
        Value::List(items) if items.iter().any(Value::is_unknown) => {
            let vals = referenced_values(&refs_of(expr), module, by_base);
            Value::List(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, x)| match (x, vals.get(i)) {
                        (Value::Unknown, Some(r)) => r.clone(),
                        (x, _) => x,
                    })
                    .collect(),
            )
        }
        other => other,
    }
}

fn placeholders_for_ids(v: Value, addr: &str) -> Value {
    let Value::Map(mut m) = v else { return v };
    for k in ["id", "arn", "repository_url"] {
        if matches!(m.get(k), Some(Value::Unknown)) {
            let p = if k == "arn" {
                format!("arn:(known after apply):{addr}")
            } else {
                placeholder(addr)
            };
            m.insert(k.to_string(), Value::String(p));
        }
    }
    Value::Map(m)
}

/// The span of `"address": "<addr>"` in the plan text (after `resource_changes`).
fn address_span(text: &str, file: crate::diag::FileId, addr: &str) -> Option<Span> {
    let quoted = serde_json::to_string(addr).ok()?;
    let from = text.find("\"resource_changes\"").unwrap_or(0);
    let re = regex::Regex::new(&format!(r#""address"\s*:\s*{}"#, regex::escape(&quoted))).ok()?;
    let m = re.find_at(text, from)?;
    let start = m.end() - quoted.len();
    Some(Span::new(file, start..m.end()))
}

/// The Region of the plan: the default `aws` provider's constant `region`, else the Region
/// of the first ARN in the planned values.
fn plan_region(plan: &Json, changes: &[Change<'_>]) -> Option<String> {
    let constant = plan
        .get("configuration")
        .and_then(|c| c.get("provider_config"))
        .and_then(|p| p.get("aws"))
        .and_then(|a| a.get("expressions"))
        .and_then(|e| e.get("region"))
        .and_then(|r| r.get("constant_value"))
        .and_then(Json::as_str)
        .map(str::to_string);
    constant.or_else(|| {
        changes.iter().find_map(|c| {
            let arn = c.after.get("arn")?.as_str()?;
            let region = arn.split(':').nth(3)?;
            (!region.is_empty()).then(|| region.to_string())
        })
    })
}

/// Checks a plan JSON (`terraform show -json PLANFILE`, or `emrform plan --json`).
///
/// # Errors
/// When the file cannot be read or is not a plan JSON.
pub fn check_plan_json(path: &Path, opts: &CheckOptions) -> anyhow::Result<CheckReport> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let plan: Json = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{} is not JSON: {e}", path.display()))?;
    if plan.get("format_version").is_none()
        || plan.get("resource_changes").is_none() && plan.get("planned_values").is_none()
    {
        anyhow::bail!(
            "{} is not a plan JSON: expected the output of `terraform show -json PLANFILE` (format_version, resource_changes)",
            path.display()
        );
    }
    // A plan JSON is usually one long line: findings point into it as `jq .` would print it.
    let text = if text.lines().count() <= 1 {
        serde_json::to_string_pretty(&plan).unwrap_or(text)
    } else {
        text
    };
    let mut report = LintReport::default();
    let plan_file = report.sources.add(path.to_path_buf(), text.clone());
    report.files.push(path.to_path_buf());
    let all = changes(&plan);
    let live: Vec<&Change<'_>> = all
        .iter()
        .filter(|c| c.actions.iter().any(|a| a != "delete"))
        .collect();
    // Instances by base address (with module), for references.
    let mut by_base: HashMap<String, Vec<(String, Value)>> = HashMap::new();
    for c in &live {
        by_base
            .entry(base_address(&c.address).to_string())
            .or_default()
            .push((c.address.clone(), c.after.clone()));
    }
    let mut subjects = Vec::new();
    let mut not_checked = Vec::new();
    for c in &live {
        let known_type = if c.mode == "data" {
            crate::config::schema::data_source(&c.type_name).is_some()
        } else {
            crate::config::schema::managed_resource(&c.type_name).is_some()
        };
        if !known_type {
            not_checked.push(NotChecked {
                address: c.address.clone(),
                type_name: c.type_name.clone(),
                location: None,
            });
            continue;
        }
        if c.mode != "managed" || !SUBJECT_TYPES.contains(&c.type_name.as_str()) {
            continue;
        }
        let resource_addr = base_address(
            c.json
                .get("address")
                .and_then(Json::as_str)
                .unwrap_or(&c.address),
        );
        let local = match c.module.is_empty() {
            true => resource_addr.to_string(),
            false => resource_addr
                .strip_prefix(&format!("{}.", c.module))
                .unwrap_or(resource_addr)
                .to_string(),
        };
        let exprs = config_block(&plan, &c.module, &local).and_then(|b| b.get("expressions"));
        let module_prefix = {
            // Static module path: drop instance keys.
            c.module
                .split('.')
                .map(base_address)
                .collect::<Vec<_>>()
                .join(".")
        };
        let value = resolve_unknowns(c.after.clone(), exprs, &module_prefix, &by_base);
        let value = placeholders_for_ids(value, &c.address);
        let span = address_span(&text, plan_file, &c.address);
        subjects.push(Subject {
            address: c.address.clone(),
            type_name: c.type_name.clone(),
            value,
            span,
            attr_spans: Vec::new(),
            ignored: Vec::new(),
            exists: c.actions.iter().any(|a| a == "no-op" || a == "update"),
        });
    }
    let region = plan_region(&plan, &all);
    let facts = Facts {
        region: region.clone(),
        ..Facts::default()
    };
    let ctx = Context {
        subjects: &subjects,
        facts: &facts,
        region,
    };
    let raw = super::run_raw(&ctx);
    let sources_copy = {
        let mut s = SourceMap::new();
        s.add(path.to_path_buf(), text.clone());
        s
    };
    let fallback = Some(Span::new(plan_file, 0..0));
    add_check_findings(
        &mut report,
        &sources_copy,
        raw,
        fallback,
        opts.lint.min_severity,
    );
    lint_plan_policies(&mut report, path, &live, &opts.lint);
    sort(&mut report);
    let resources = subjects.len();
    Ok(CheckReport {
        report,
        not_checked,
        resources,
        input: "plan",
    })
}

/// Lints every known policy argument of the planned resources. Each policy becomes its own
/// source (`PLAN.json (ADDRESS ARG)`), pretty-printed so findings point at a line.
fn lint_plan_policies(
    report: &mut LintReport,
    path: &Path,
    live: &[&Change<'_>],
    opts: &LintOptions,
) {
    let rules = opts.enabled_rules();
    let supp = lint::config::Suppressions::default();
    for c in live {
        if c.mode != "managed" {
            continue;
        }
        for (t, arg, kind) in POLICY_ARGS {
            if *t != c.type_name {
                continue;
            }
            let Some(doc) = c.after.get(arg).and_then(Value::as_str) else {
                continue;
            };
            let Ok(parsed) = serde_json::from_str::<Json>(doc) else {
                continue;
            };
            let pretty = serde_json::to_string_pretty(&parsed).unwrap_or_else(|_| doc.to_string());
            let name = PathBuf::from(format!("{} ({} {arg})", path.display(), c.address));
            let file = report.sources.add(name, pretty.clone());
            let Ok(root) = json::parse(&pretty, file, 0) else {
                continue;
            };
            let Ok(node) = crate::lint::input::document_from_json(root, file) else {
                continue;
            };
            let origin = PolicyOrigin {
                address: Some(c.address.clone()),
                resource_type: Some(c.type_name.clone()),
                role_name: c
                    .after
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            };
            let policy = Policy::from_node(&node, *kind, origin);
            report.policies += 1;
            let raw = lint::check_policy(&policy, &rules);
            lint::collect(report, &policy, raw, opts, &supp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_unknown_marks_nested_values() {
        let after = Value::from_json(&serde_json::json!({
            "name": "a",
            "network_configuration": [{"subnet_ids": null, "security_group_ids": ["sg-1"]}],
        }));
        let mask = serde_json::json!({
            "arn": true,
            "network_configuration": [{"subnet_ids": true}],
        });
        let v = with_unknowns(after, &mask);
        assert_eq!(v.get("arn"), Some(&Value::Unknown));
        assert_eq!(v.get("name"), Some(&Value::from("a")));
        let nc = &crate::providers::attrs::items(&v, "network_configuration")[0];
        assert_eq!(nc.get("subnet_ids"), Some(&Value::Unknown));
    }

    #[test]
    fn references_become_placeholders_of_every_instance() {
        let mut by_base = HashMap::new();
        by_base.insert(
            "aws_subnet.private".to_string(),
            vec![
                (
                    "aws_subnet.private[0]".to_string(),
                    Value::map([("id", Value::Unknown)]),
                ),
                (
                    "aws_subnet.private[1]".to_string(),
                    Value::map([("id", Value::from("subnet-1"))]),
                ),
            ],
        );
        let vals = referenced_values(&["aws_subnet.private".to_string()], "", &by_base);
        assert_eq!(
            vals,
            vec![
                Value::from(placeholder("aws_subnet.private[0]")),
                Value::from("subnet-1")
            ]
        );
        // A bare reference next to its attribute reference counts once.
        let vals = referenced_values(
            &[
                "aws_subnet.private[0].id".to_string(),
                "aws_subnet.private[0]".to_string(),
                "aws_subnet.private".to_string(),
            ],
            "",
            &by_base,
        );
        assert_eq!(vals.len(), 2);
        assert!(referenced_values(&["var.x".to_string()], "", &by_base).is_empty());
    }

    #[test]
    fn minimal_plans_are_read_from_their_addresses() {
        assert_eq!(
            split_module(r#"module.a["x"].module.b.aws_s3_bucket.c"#),
            (r#"module.a["x"].module.b"#.to_string(), "aws_s3_bucket.c")
        );
        assert_eq!(
            split_module("data.aws_vpc.v"),
            (String::new(), "data.aws_vpc.v")
        );
        let plan = serde_json::json!({
            "format_version": "1.2",
            "resource_changes": [
                {"address": "module.net.aws_subnet.a", "change": {"actions": ["create"]}},
                {"address": "data.aws_vpc.v", "change": {"actions": ["read"]}},
                {"address": "aws_lambda_function.f", "change": {"actions": ["delete"]}}
            ]
        });
        let cs = changes(&plan);
        assert_eq!(cs.len(), 3);
        assert_eq!(
            (
                cs[0].module.as_str(),
                cs[0].type_name.as_str(),
                cs[0].mode.as_str()
            ),
            ("module.net", "aws_subnet", "managed")
        );
        assert_eq!(
            (cs[1].type_name.as_str(), cs[1].mode.as_str()),
            ("aws_vpc", "data")
        );
        assert_eq!(cs[2].after, Value::Null);
    }

    #[test]
    fn address_spans_point_into_resource_changes() {
        let text = r#"{"planned_values":{"address":"aws_vpc.a"},"resource_changes":[{"address":"aws_vpc.a"}]}"#;
        let mut sm = SourceMap::new();
        let f = sm.add("p.json", text);
        let sp = address_span(text, f, "aws_vpc.a").expect("found");
        assert_eq!(&text[sp.range()], "\"aws_vpc.a\"");
        assert!(sp.start as usize > text.find("resource_changes").unwrap_or(0));
    }
}
