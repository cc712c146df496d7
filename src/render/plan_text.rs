//! The plan as text, in the shape of Terraform's: symbols `+ ~ - -/+ +/- <=`, one block per
//! resource with its attributes (aligned `=`, unchanged ones hidden with a count),
//! `# forces replacement`, `(known after apply)`, policy JSON as line diffs, then the summary
//! line. Reads a [`Plan`]; never re-diffs against state or calls a provider.

use crate::config::schema::{self, Body as SchemaBody};
use crate::config::value::{format_number, Value};
use crate::plan::{Action, ApiOp, FindingSeverity, PathStep, Plan, PlanMode, ResourceChange};

/// Options for the text plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours.
    pub color: bool,
}

struct W {
    out: String,
    color: bool,
}

impl W {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn sym(&self, s: &str) -> String {
        let code = match s {
            "+" => "32",
            "-" => "31",
            "~" => "33",
            "-/+" | "+/-" => "33",
            "<=" => "36",
            _ => "0",
        };
        if s.trim().is_empty() {
            s.to_string()
        } else {
            self.paint(code, s)
        }
    }

    /// A line with a symbol right-aligned to the depth's column.
    fn line(&mut self, depth: usize, sym: &str, text: &str) {
        let col = 3 + 4 * depth;
        let pad = col.saturating_sub(sym.chars().count());
        let s = self.sym(sym);
        self.out.push_str(&" ".repeat(pad));
        self.out.push_str(&s);
        self.out.push(' ');
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }
}

/// Renders the whole plan.
pub fn render(plan: &Plan, opts: &TextOptions) -> String {
    let mut w = W {
        out: String::new(),
        color: opts.color,
    };
    if !plan.resource_drift.is_empty() {
        w.raw("");
        w.raw(&w.paint("1", "Note: Objects have changed outside of emrform"));
        w.raw("");
        w.raw("emrform detected the following changes made outside of emrform since the last");
        w.raw("\"emrform apply\" which may have affected this plan:");
        w.raw("");
        for c in &plan.resource_drift {
            if c.action_reason == Some(crate::plan::ActionReason::CreateInterrupted)
                && c.after.is_none()
            {
                // Nothing was made: there is no object to show.
                w.raw(&format!("  {}", w.paint("1", &header(c, true))));
                w.raw("");
                continue;
            }
            render_change(&mut w, c, true);
        }
        if plan.mode != PlanMode::RefreshOnly {
            w.raw("Unless you have made equivalent changes to your configuration, or ignored the");
            w.raw("relevant attributes using ignore_changes, the following plan may include");
            w.raw("actions to undo or respond to these changes.");
            w.raw("");
            w.raw(&"─".repeat(77));
        }
    }
    let changes: Vec<&ResourceChange> = plan
        .resource_changes
        .iter()
        .filter(|c| c.action != Action::NoOp || c.importing.is_some())
        .collect();
    let outputs_changed = plan
        .output_changes
        .values()
        .any(|o| o.action != Action::NoOp);
    if changes.is_empty() && !outputs_changed {
        w.raw("");
        if plan.mode == PlanMode::RefreshOnly && !plan.resource_drift.is_empty() {
            w.raw("This is a refresh-only plan, so emrform will not take any actions to undo");
            w.raw("these. If you were expecting these changes then you can apply this plan to");
            w.raw("record the updated values in the emrform state without changing any remote");
            w.raw("objects.");
        } else {
            let nc = w.paint("1", "No changes.");
            w.raw(&format!(
                "{nc} Your infrastructure matches the configuration."
            ));
            w.raw("");
            w.raw("emrform has compared your real infrastructure against your configuration and");
            w.raw("found no differences, so no changes are needed.");
        }
    } else {
        let mut used: Vec<Action> = changes.iter().map(|c| c.action).collect();
        used.sort_by_key(|a| legend_order(*a));
        used.dedup();
        used.retain(|a| *a != Action::NoOp);
        w.raw("");
        if used.is_empty() {
            w.raw("emrform used the selected providers to generate the following execution");
            w.raw("plan.");
        } else {
            w.raw("emrform used the selected providers to generate the following execution");
            w.raw("plan. Resource actions are indicated with the following symbols:");
        }
        for a in &used {
            let label = match a {
                Action::Create => "create",
                Action::Update => "update in-place",
                Action::Delete => "destroy",
                Action::DeleteThenCreate => "destroy and then create replacement",
                Action::CreateThenDelete => "create replacement and then destroy",
                Action::Read => "read (data resources)",
                Action::NoOp => continue,
            };
            let sym = w.sym(a.symbol());
            let pad = 3usize.saturating_sub(a.symbol().len());
            w.raw(&format!("{}{} {}", " ".repeat(pad), sym, label));
        }
        w.raw("");
        w.raw("emrform will perform the following actions:");
        w.raw("");
        for c in &changes {
            render_change(&mut w, c, false);
            if let Some(kinds) = plan.provisioners.get(&c.addr.to_string()) {
                for k in kinds {
                    let note = if k != "local-exec" {
                        format!("  # provisioner \"{k}\" will not run: emrform runs local-exec provisioners only")
                    } else if plan.allow_local_exec {
                        format!("  # provisioner \"{k}\" will run on this machine after the create (--allow-local-exec)")
                    } else {
                        format!("  # provisioner \"{k}\" will NOT run: pass --allow-local-exec to run it after the create")
                    };
                    w.raw(&w.paint("2", &note));
                    w.raw("");
                }
            }
        }
        let (add, change, destroy) = plan.counts();
        let imports = plan
            .resource_changes
            .iter()
            .filter(|c| c.importing.is_some())
            .count();
        let summary = if imports > 0 {
            format!("Plan: {imports} to import, {add} to add, {change} to change, {destroy} to destroy.")
        } else {
            format!("Plan: {add} to add, {change} to change, {destroy} to destroy.")
        };
        w.raw(&w.paint("1", &summary));
        if outputs_changed {
            w.raw("");
            w.raw("Changes to Outputs:");
            for (name, o) in &plan.output_changes {
                if o.action == Action::NoOp {
                    continue;
                }
                let sym = o.action.symbol();
                let text = if o.sensitive {
                    "(sensitive value)".to_string()
                } else {
                    match (&o.before, &o.after) {
                        (Some(b), Some(a)) if o.action == Action::Update => {
                            format!("{} -> {}", inline(b), inline(a))
                        }
                        (_, Some(a)) => inline(a),
                        (Some(b), None) => format!("{} -> null", inline(b)),
                        _ => "null".into(),
                    }
                };
                w.line(0, sym, &format!("{name} = {text}"));
            }
        }
    }
    if !plan.findings.is_empty() {
        w.raw("");
        w.raw(&w.paint("1", "Findings:"));
        for f in &plan.findings {
            let sev = match f.severity {
                FindingSeverity::Error => w.paint("1;31", "error"),
                FindingSeverity::Warning => w.paint("1;33", "warning"),
                FindingSeverity::Info => w.paint("1;36", "info"),
            };
            let loc = f
                .location
                .as_deref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            let addr = f
                .address
                .as_deref()
                .map(|a| format!(" {a}:"))
                .unwrap_or_default();
            w.raw(&format!("  {sev}[{}]{addr} {}{loc}", f.rule, f.message));
        }
    }
    w.out
}

fn legend_order(a: Action) -> u8 {
    match a {
        Action::Create => 0,
        Action::Update => 1,
        Action::Delete => 2,
        Action::DeleteThenCreate => 3,
        Action::CreateThenDelete => 4,
        Action::Read => 5,
        Action::NoOp => 6,
    }
}

fn header(c: &ResourceChange, drift: bool) -> String {
    let a = &c.addr;
    if drift && c.action_reason == Some(crate::plan::ActionReason::CreateInterrupted) {
        return match c.after {
            None => format!("# {a} was not created: an earlier apply stopped before creating it"),
            Some(_) => {
                format!("# {a} was created by an earlier apply that stopped before recording it")
            }
        };
    }
    if drift {
        return match c.after {
            None => format!("# {a} has been deleted"),
            Some(_) => format!("# {a} has changed"),
        };
    }
    let what = match c.action {
        Action::Create if c.importing.is_some() => "will be imported".to_string(),
        Action::Create => "will be created".to_string(),
        Action::Update => "will be updated in-place".to_string(),
        Action::Delete => "will be destroyed".to_string(),
        Action::DeleteThenCreate | Action::CreateThenDelete => "must be replaced".to_string(),
        Action::Read => "will be read during apply".to_string(),
        Action::NoOp if c.importing.is_some() => "will be imported".to_string(),
        Action::NoOp => "is unchanged".to_string(),
    };
    format!("# {a} {what}")
}

fn render_change(w: &mut W, c: &ResourceChange, drift: bool) {
    let h = header(c, drift);
    w.raw(&format!("  {}", w.paint("1", &h)));
    if let Some(reason) = c.action_reason {
        use crate::plan::ActionReason::*;
        let note = match reason {
            DeleteBecauseNoResourceConfig => Some(format!(
                "  # (because {} is not in configuration)",
                c.addr.abs_resource()
            )),
            DeleteBecauseCountIndex => Some(format!(
                "  # (because index {} is out of range for count)",
                c.addr
                    .key
                    .as_ref()
                    .map(|k| k.to_string())
                    .unwrap_or_default()
            )),
            DeleteBecauseEachKey => Some(format!(
                "  # (because key {} is not in for_each map)",
                c.addr
                    .key
                    .as_ref()
                    .map(|k| k.to_string())
                    .unwrap_or_default()
            )),
            DeleteBecauseNoModule => Some(format!(
                "  # (because {} is not in configuration)",
                c.addr.module
            )),
            ReplaceByRequest => Some("  # (will be replaced, as requested)".into()),
            ReplaceByTriggers => {
                Some("  # (will be replaced due to changes in replace_triggered_by)".into())
            }
            ReadBecauseConfigUnknown => Some("  # (config refers to values not yet known)".into()),
            ReadBecauseDependencyPending => {
                Some("  # (depends on a resource or a module with changes pending)".into())
            }
            _ => None,
        };
        if let Some(n) = note {
            w.raw(&n);
        }
    }
    if let Some(id) = &c.importing {
        w.raw(&format!("    # (imported from \"{id}\")"));
    }
    for op in &c.api_ops {
        w.raw(&format!("    # {}", api_op_text(op)));
    }
    let sym = if drift {
        if c.after.is_none() {
            "-"
        } else {
            "~"
        }
    } else {
        c.action.symbol()
    };
    let kw = if c.addr.resource.mode == crate::addrs::ResourceMode::Data {
        "data"
    } else {
        "resource"
    };
    w.line(
        0,
        sym,
        &format!(
            "{kw} \"{}\" \"{}\" {{",
            c.addr.resource.type_name, c.addr.resource.name
        ),
    );
    let schema = match c.addr.resource.mode {
        crate::addrs::ResourceMode::Managed => schema::managed_resource(&c.addr.resource.type_name),
        crate::addrs::ResourceMode::Data => schema::data_source(&c.addr.resource.type_name),
    };
    let empty = SchemaBody::default();
    let body = schema.map(|s| &s.body).unwrap_or(&empty);
    let ctx = Ctx {
        replace_paths: &c.replace_paths,
        sensitive: &c.sensitive_attrs,
        action: if drift {
            if c.after.is_none() {
                Action::Delete
            } else {
                Action::Update
            }
        } else {
            c.action
        },
    };
    render_body(w, &ctx, body, c.before.as_ref(), c.after.as_ref(), 1, &[]);
    w.line(0, "", "}");
    w.raw("");
}

/// A one-line description of an API call for the plan.
pub fn api_op_text(op: &ApiOp) -> String {
    let mut s = format!("{}:{}", op.service, op.operation);
    if !op.fields.is_empty() {
        s.push_str(&format!(" ({})", op.fields.join(", ")));
    }
    if let Some(n) = &op.note {
        s.push_str(&format!(" — {n}"));
    }
    s
}

struct Ctx<'a> {
    replace_paths: &'a [Vec<PathStep>],
    sensitive: &'a [String],
    action: Action,
}

impl Ctx<'_> {
    fn forces(&self, path: &[PathStep]) -> bool {
        self.replace_paths.iter().any(|p| p.as_slice() == path)
    }
}

fn get<'v>(v: Option<&'v Value>, k: &str) -> Option<&'v Value> {
    v.and_then(|v| v.get(k)).filter(|v| !v.is_null())
}

fn render_body(
    w: &mut W,
    ctx: &Ctx<'_>,
    schema: &SchemaBody,
    before: Option<&Value>,
    after: Option<&Value>,
    depth: usize,
    path: &[PathStep],
) {
    // Attribute names: the schema's, then anything else present in the values.
    let mut names: Vec<String> = schema
        .attributes
        .iter()
        .map(|a| a.name.to_string())
        .collect();
    for v in [before, after].into_iter().flatten() {
        if let Value::Map(m) = v {
            for k in m.keys() {
                if !names.contains(k) && schema.block_type(k).is_none() {
                    names.push(k.clone());
                }
            }
        }
    }
    names.sort();
    let mut shown: Vec<(String, String, String)> = Vec::new(); // (sym, name, rest)
    let mut hidden = 0;
    let is_create = ctx.action == Action::Create || ctx.action == Action::Read;
    let is_delete = ctx.action == Action::Delete;
    for n in &names {
        if schema.block_type(n).is_some() {
            continue;
        }
        let b = if is_create { None } else { get(before, n) };
        let a = if is_delete { None } else { get(after, n) };
        let mut p = path.to_vec();
        p.push(PathStep::Key(n.clone()));
        let sensitive = depth == 1 && ctx.sensitive.iter().any(|s| s == n)
            || schema.attribute(n).is_some_and(|x| x.sensitive);
        let forces = if ctx.forces(&p) && ctx.action.is_replace() {
            " # forces replacement"
        } else {
            ""
        };
        match (b, a) {
            (None, None) => {}
            (Some(x), Some(y)) if x == y => {
                if depth == 1 && matches!(n.as_str(), "id" | "name" | "tags") {
                    let v = if sensitive {
                        "(sensitive value)".into()
                    } else {
                        value_text(x, depth, "")
                    };
                    shown.push((String::new(), n.clone(), v));
                } else {
                    hidden += 1;
                }
            }
            (None, Some(y)) => {
                let v = if sensitive {
                    "(sensitive value)".into()
                } else {
                    value_text(y, depth, "+")
                };
                shown.push(("+".into(), n.clone(), format!("{v}{forces}")));
            }
            (Some(x), None) => {
                let v = if sensitive {
                    "(sensitive value)".into()
                } else {
                    value_text(x, depth, "-")
                };
                shown.push(("-".into(), n.clone(), format!("{v} -> null{forces}")));
            }
            (Some(x), Some(y)) => {
                let v = if sensitive {
                    "(sensitive value)".into()
                } else {
                    change_text(x, y, depth)
                };
                shown.push(("~".into(), n.clone(), format!("{v}{forces}")));
            }
        }
    }
    let width = shown
        .iter()
        .filter(|(_, _, r)| !r.starts_with('\n'))
        .map(|(_, n, _)| n.chars().count())
        .max()
        .unwrap_or(0);
    for (sym, n, rest) in &shown {
        let pad = width.saturating_sub(n.chars().count());
        w.line(depth, sym, &format!("{n}{} = {rest}", " ".repeat(pad)));
    }
    let mut hidden_blocks = 0;
    for bt in &schema.blocks {
        let bi = if is_create {
            Vec::new()
        } else {
            items(get(before, bt.name))
        };
        let ai = if is_delete {
            Vec::new()
        } else {
            items(get(after, bt.name))
        };
        let after_unknown =
            !is_delete && matches!(after.and_then(|v| v.get(bt.name)), Some(Value::Unknown));
        let mut p = path.to_vec();
        p.push(PathStep::Key(bt.name.to_string()));
        if after_unknown {
            // Terraform does not list blocks AWS will fill in.
            continue;
        }
        let n = bi.len().max(ai.len());
        for i in 0..n {
            let (b, a) = (bi.get(i).copied(), ai.get(i).copied());
            let sym = match (b, a) {
                (None, Some(_)) => "+",
                (Some(_), None) => "-",
                (Some(x), Some(y)) if x == y => {
                    hidden_blocks += 1;
                    continue;
                }
                _ => "~",
            };
            let mut ip = p.clone();
            ip.push(PathStep::Index(i));
            let forces = if ctx.action.is_replace() && (ctx.forces(&p) || ctx.forces(&ip)) {
                " # forces replacement"
            } else {
                ""
            };
            w.line(depth, sym, &format!("{} {{{forces}", bt.name));
            let sub = Ctx {
                replace_paths: ctx.replace_paths,
                sensitive: &[],
                action: match sym {
                    "+" => Action::Create,
                    "-" => Action::Delete,
                    _ => Action::Update,
                },
            };
            render_body(w, &sub, &bt.body, b, a, depth + 1, &ip);
            w.line(depth, "", "}");
        }
    }
    if hidden > 0 {
        w.line(
            depth,
            "",
            &format!(
                "# ({hidden} unchanged attribute{} hidden)",
                if hidden == 1 { "" } else { "s" }
            ),
        );
    }
    if hidden_blocks > 0 {
        w.line(
            depth,
            "",
            &format!(
                "# ({hidden_blocks} unchanged block{} hidden)",
                if hidden_blocks == 1 { "" } else { "s" }
            ),
        );
    }
}

fn items(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::List(l)) | Some(Value::Set(l)) => l.iter().collect(),
        Some(m @ Value::Map(_)) => vec![m],
        _ => Vec::new(),
    }
}

/// A JSON document inside a string, pretty-printed, when the string is one.
fn json_doc(s: &str) -> Option<String> {
    let t = s.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    let j: serde_json::Value = serde_json::from_str(s).ok()?;
    serde_json::to_string_pretty(&j).ok()
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// A single-line rendering of a value.
fn inline(v: &Value) -> String {
    match v {
        Value::Unknown => "(known after apply)".into(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format_number(*n),
        Value::String(s) => quote(s),
        Value::List(l) | Value::Set(l) => {
            format!("[{}]", l.iter().map(inline).collect::<Vec<_>>().join(", "))
        }
        Value::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{} = {}", quote(k), inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A value as it follows `name = `, possibly over several lines, each nested line marked with
/// `sym` (for a created or destroyed attribute).
fn value_text(v: &Value, depth: usize, sym: &str) -> String {
    let col = |d: usize, s: &str| {
        format!(
            "{}{} ",
            " ".repeat((3 + 4 * d).saturating_sub(s.chars().count())),
            s
        )
    };
    match v {
        Value::String(s) => {
            if let Some(pretty) = json_doc(s) {
                let mut out = String::from("jsonencode(");
                for l in pretty.lines() {
                    out.push('\n');
                    out.push_str(&col(depth + 1, sym));
                    out.push_str(l);
                }
                out.push('\n');
                out.push_str(&col(depth, ""));
                out.push_str("  )");
                out
            } else if s.contains('\n') {
                let mut out = String::from("<<-EOT");
                for l in s.trim_end_matches('\n').lines() {
                    out.push('\n');
                    out.push_str(&col(depth + 1, sym));
                    out.push_str(l);
                }
                out.push('\n');
                out.push_str(&col(depth, ""));
                out.push_str("  EOT");
                out
            } else {
                quote(s)
            }
        }
        Value::List(l) | Value::Set(l) if !l.is_empty() => {
            let mut out = String::from("[");
            for e in l {
                out.push('\n');
                out.push_str(&col(depth + 1, sym));
                out.push_str(&value_text(e, depth + 1, sym));
                out.push(',');
            }
            out.push('\n');
            out.push_str(&col(depth, ""));
            out.push(']');
            out
        }
        Value::Map(m) if !m.is_empty() => {
            let width = m
                .keys()
                .map(|k| quote(k).chars().count())
                .max()
                .unwrap_or(0);
            let mut out = String::from("{");
            for (k, e) in m {
                out.push('\n');
                out.push_str(&col(depth + 1, sym));
                let qk = quote(k);
                out.push_str(&format!(
                    "{qk}{} = {}",
                    " ".repeat(width - qk.chars().count()),
                    value_text(e, depth + 1, sym)
                ));
            }
            out.push('\n');
            out.push_str(&col(depth, ""));
            out.push('}');
            out
        }
        other => inline(other),
    }
}

/// `old -> new` for a changed attribute; maps, lists and JSON documents as nested diffs.
fn change_text(b: &Value, a: &Value, depth: usize) -> String {
    let col = |d: usize, s: &str| {
        format!(
            "{}{} ",
            " ".repeat((3 + 4 * d).saturating_sub(s.chars().count())),
            s
        )
    };
    match (b, a) {
        (Value::String(x), Value::String(y)) => {
            if let (Some(px), Some(py)) = (json_doc(x), json_doc(y)) {
                let diff = similar::TextDiff::from_lines(&px, &py);
                let mut out = String::from("jsonencode(");
                for ch in diff.iter_all_changes() {
                    let s = match ch.tag() {
                        similar::ChangeTag::Delete => "-",
                        similar::ChangeTag::Insert => "+",
                        similar::ChangeTag::Equal => "",
                    };
                    out.push('\n');
                    out.push_str(&col(depth + 1, s));
                    out.push_str(ch.value().trim_end_matches('\n'));
                }
                out.push('\n');
                out.push_str(&col(depth, ""));
                out.push_str(" )");
                return out;
            }
            format!("{} -> {}", quote(x), quote(y))
        }
        (Value::Map(x), Value::Map(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            let width = keys
                .iter()
                .map(|k| quote(k).chars().count())
                .max()
                .unwrap_or(0);
            let mut out = String::from("{");
            let mut hidden = 0;
            for k in keys {
                let qk = quote(k);
                let pad = " ".repeat(width - qk.chars().count());
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) if p == q => hidden += 1,
                    (Some(p), Some(q)) => out.push_str(&format!(
                        "\n{}{qk}{pad} = {}",
                        col(depth + 1, "~"),
                        change_text(p, q, depth + 1)
                    )),
                    (None, Some(q)) => out.push_str(&format!(
                        "\n{}{qk}{pad} = {}",
                        col(depth + 1, "+"),
                        value_text(q, depth + 1, "+")
                    )),
                    (Some(p), None) => out.push_str(&format!(
                        "\n{}{qk}{pad} = {} -> null",
                        col(depth + 1, "-"),
                        value_text(p, depth + 1, "-")
                    )),
                    (None, None) => {}
                }
            }
            if hidden > 0 {
                out.push_str(&format!(
                    "\n{}# ({hidden} unchanged element{} hidden)",
                    col(depth + 1, ""),
                    if hidden == 1 { "" } else { "s" }
                ));
            }
            out.push('\n');
            out.push_str(&col(depth, ""));
            out.push('}');
            out
        }
        (Value::List(x) | Value::Set(x), Value::List(y) | Value::Set(y)) => {
            let xs: Vec<String> = x.iter().map(inline).collect();
            let ys: Vec<String> = y.iter().map(inline).collect();
            let xr: Vec<&str> = xs.iter().map(String::as_str).collect();
            let yr: Vec<&str> = ys.iter().map(String::as_str).collect();
            let diff = similar::TextDiff::from_slices(&xr, &yr);
            let mut out = String::from("[");
            for ch in diff.iter_all_changes() {
                let s = match ch.tag() {
                    similar::ChangeTag::Delete => "-",
                    similar::ChangeTag::Insert => "+",
                    similar::ChangeTag::Equal => "",
                };
                out.push('\n');
                out.push_str(&col(depth + 1, s));
                out.push_str(ch.value());
                out.push(',');
            }
            out.push('\n');
            out.push_str(&col(depth, ""));
            out.push(']');
            out
        }
        (x, Value::Unknown) => format!("{} -> (known after apply)", inline(x)),
        (x, y) => format!("{} -> {}", inline(x), inline(y)),
    }
}
