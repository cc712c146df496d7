//! The plan as a pull-request comment: verdict and summary line first, then the risk flags a
//! reviewer must see (destroys, replacements with the attribute that forces them, a stop/start
//! of a running EMR Serverless application, IAM changes, error and warning findings), then one
//! collapsed `<details>` per resource with its diff, then drift. Split at resource boundaries
//! into comments that each fit GitHub's 65,536-character limit, each carrying a hidden marker
//! so a CI step can update its earlier comment instead of adding one.

use super::plan_text::{api_op_text, render as render_text, TextOptions};
use crate::plan::{Action, FindingSeverity, PathStep, Plan, PlanMode, ResourceChange};

/// GitHub's limit on a comment body.
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// Risk flags listed in full before "and N more"; keeps part 1 within the limit.
const MAX_FLAGS: usize = 50;

/// Options for the comment.
#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    /// The project directory the plan is for (named in the marker and the heading).
    pub dir: String,
    /// The workspace.
    pub workspace: String,
    /// Maximum characters per comment.
    pub limit: usize,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            dir: ".".into(),
            workspace: "default".into(),
            limit: GITHUB_COMMENT_LIMIT,
        }
    }
}

/// The hidden marker a CI step searches for to update its comment.
pub fn marker(dir: &str, workspace: &str) -> String {
    format!("<!-- emrform:plan dir={dir} workspace={workspace} -->")
}

/// One plan outcome for a multi-directory comment.
pub enum Section<'a> {
    /// A plan was made.
    Planned(&'a Plan),
    /// Planning failed; the rendered error text.
    Failed(&'a str),
}

fn escape_summary(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn path_text(p: &[PathStep]) -> String {
    let mut s = String::new();
    for (i, step) in p.iter().enumerate() {
        match step {
            PathStep::Key(k) if i == 0 => s.push_str(k),
            PathStep::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            PathStep::Index(n) => s.push_str(&format!("[{n}]")),
        }
    }
    s
}

/// The risk flags of a plan, one Markdown bullet each.
pub fn risk_flags(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for c in &plan.resource_changes {
        match c.action {
            Action::Delete => out.push(format!(":boom: **destroy** `{}`", c.addr)),
            Action::DeleteThenCreate | Action::CreateThenDelete => {
                let why: Vec<String> = c
                    .replace_paths
                    .iter()
                    .map(|p| format!("`{}`", path_text(p)))
                    .collect();
                let why = if why.is_empty() {
                    "as requested".to_string()
                } else {
                    format!("because {} changed", why.join(", "))
                };
                out.push(format!(":recycle: **replace** `{}` {why}", c.addr));
                if c.addr.resource.type_name == "aws_emrserverless_application" {
                    out.push(format!(":warning: replacing `{}` gives it a new application id and ARN: policies that name it in `aws:SourceArn` conditions must follow", c.addr));
                }
            }
            _ => {}
        }
        if c.api_ops.iter().any(|o| o.operation == "StopApplication") {
            out.push(format!(":stop_sign: **stop/start** `{}`: the application is running and will be stopped to update it ({})", c.addr, c.api_ops.iter().map(api_op_text).collect::<Vec<_>>().join(" → ")));
        }
        // Policy changes on existing identities can widen access; new ones are judged by lint.
        if is_iam(c) && (c.action == Action::Update || c.action.is_replace()) {
            out.push(format!(
                ":key: **IAM change** `{}` ({})",
                c.addr,
                action_word(c.action)
            ));
        }
    }
    // Commands that apply would run on the applying machine.
    for (addr, kinds) in &plan.provisioners {
        for k in kinds.iter().filter(|k| *k == "local-exec") {
            out.push(if plan.allow_local_exec {
                format!(":gear: **{k}** `{addr}` runs a command on the applying machine after the create")
            } else {
                format!(":gear: **{k}** `{addr}` will not run (apply without `--allow-local-exec` skips it)")
            });
        }
    }
    for f in &plan.findings {
        let icon = match f.severity {
            FindingSeverity::Error => ":x:",
            FindingSeverity::Warning => ":warning:",
            FindingSeverity::Info => continue,
        };
        let addr = f
            .address
            .as_deref()
            .map(|a| format!(" `{a}`"))
            .unwrap_or_default();
        let loc = f
            .location
            .as_deref()
            .map(|l| format!(" ({l})"))
            .unwrap_or_default();
        out.push(format!(
            "{icon} **{}**{addr}: {}{loc}",
            f.rule,
            escape_summary(&f.message)
        ));
    }
    out
}

fn is_iam(c: &ResourceChange) -> bool {
    let t = c.addr.resource.type_name.as_str();
    t.starts_with("aws_iam_") || t == "aws_ecr_repository_policy" || t == "aws_s3_bucket_policy"
}

fn action_word(a: Action) -> &'static str {
    match a {
        Action::Create => "create",
        Action::Update => "update in-place",
        Action::Delete => "destroy",
        Action::DeleteThenCreate | Action::CreateThenDelete => "replace",
        Action::Read => "read",
        Action::NoOp => "no change",
    }
}

fn summary_line(plan: &Plan) -> String {
    let (a, c, d) = plan.counts();
    format!("Plan: {a} to add, {c} to change, {d} to destroy.")
}

/// The `<details>` block of one resource: its text diff in a `diff` fence.
fn resource_block(c: &ResourceChange) -> String {
    let single = Plan {
        resource_changes: vec![c.clone()],
        ..Plan::default()
    };
    let text = render_text(&single, &TextOptions { color: false });
    // Keep only the resource's own block from the text plan.
    let body: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("# "))
        .take_while(|l| !l.starts_with("Plan:"))
        .collect();
    let mut diff = String::new();
    for l in body {
        // A diff fence colours by the first column: move the symbol there.
        let t = l.trim_start();
        let (sym, rest) = if let Some(r) = t.strip_prefix("-/+ ") {
            ("!", r)
        } else if let Some(r) = t.strip_prefix("+/- ") {
            ("!", r)
        } else if let Some(r) = t.strip_prefix("+ ") {
            ("+", r)
        } else if let Some(r) = t.strip_prefix("- ") {
            ("-", r)
        } else if let Some(r) = t.strip_prefix("~ ") {
            ("!", r)
        } else {
            (" ", t)
        };
        let indent = l.len() - t.len();
        diff.push_str(sym);
        diff.push_str(&" ".repeat(indent.saturating_sub(1).max(1)));
        diff.push_str(rest);
        diff.push('\n');
    }
    let fence = if diff.contains("```") { "~~~~" } else { "```" };
    format!(
        "<details><summary><code>{}</code> {}{}</summary>\n\n{fence}diff\n{}{fence}\n\n</details>\n",
        escape_summary(&c.addr.to_string()),
        action_word(c.action),
        c.action_reason.map(|_| "").unwrap_or(""),
        diff.trim_end_matches('\n').to_string() + "\n",
    )
}

/// Renders the comment, split into parts that each fit `opts.limit`.
pub fn render(plan: &Plan, opts: &MarkdownOptions) -> Vec<String> {
    render_sections(&[(opts.dir.clone(), Section::Planned(plan))], opts)
}

/// Renders one comment for several directories, a section each and a footer summary.
pub fn render_sections(sections: &[(String, Section<'_>)], opts: &MarkdownOptions) -> Vec<String> {
    let multi = sections.len() > 1;
    let mut head = String::new(); // always in part 1
    let mut blocks: Vec<String> = Vec::new(); // resource blocks, split between parts
    let mut changed = 0;
    let mut unchanged = 0;
    let mut failed = 0;
    for (i, (dir, s)) in sections.iter().enumerate() {
        let title = if multi {
            format!("### {}. `{dir}`\n\n", i + 1)
        } else {
            String::new()
        };
        match s {
            Section::Failed(err) => {
                failed += 1;
                head.push_str(&title);
                let mut e: String = err.trim_end().replace("```", "``\u{200b}`");
                if e.len() > 20_000 {
                    let cut = (0..=20_000)
                        .rev()
                        .find(|i| e.is_char_boundary(*i))
                        .unwrap_or(0);
                    e.truncate(cut);
                    e.push_str("\n… (cut; the full error is in the CI log)");
                }
                head.push_str(&format!(
                    "## :x: Plan failed for `{dir}`\n\n```text\n{e}\n```\n\n"
                ));
            }
            Section::Planned(plan) => {
                let changes: Vec<&ResourceChange> = plan
                    .resource_changes
                    .iter()
                    .filter(|c| c.action != Action::NoOp)
                    .collect();
                let blocking = plan.has_blocking_findings();
                if !plan.has_changes() && plan.resource_drift.is_empty() && plan.findings.is_empty()
                {
                    unchanged += 1;
                    head.push_str(&title);
                    head.push_str(&format!(":white_check_mark: **No changes** in `{dir}`. Your infrastructure matches the configuration.\n\n"));
                    continue;
                }
                changed += 1;
                let verdict = if blocking {
                    ":x: **Blocked**: error findings must be fixed before apply"
                } else if plan.mode == PlanMode::Destroy {
                    ":boom: **Destroy plan**"
                } else if plan.has_changes() {
                    ":memo: **Changes planned**"
                } else {
                    ":white_check_mark: **No changes**"
                };
                head.push_str(&title);
                head.push_str(&format!(
                    "## emrform plan for `{dir}`\n\n{verdict} — `{}`\n\n",
                    summary_line(plan)
                ));
                let flags = risk_flags(plan);
                if !flags.is_empty() {
                    head.push_str("**Needs attention**\n\n");
                    for f in flags.iter().take(MAX_FLAGS) {
                        head.push_str(&format!("- {f}\n"));
                    }
                    if flags.len() > MAX_FLAGS {
                        head.push_str(&format!(
                            "- … and {} more (see the resources below)\n",
                            flags.len() - MAX_FLAGS
                        ));
                    }
                    head.push('\n');
                }
                if multi && !changes.is_empty() {
                    blocks.push(format!("#### Changes in `{dir}`\n\n"));
                }
                for c in changes {
                    blocks.push(resource_block(c));
                }
                if !plan.resource_drift.is_empty() {
                    let mut d = String::from("**Changed outside emrform** (drift)\n\n");
                    for c in &plan.resource_drift {
                        d.push_str(&format!(
                            "- `{}` {}\n",
                            c.addr,
                            if c.after.is_none() {
                                "was deleted"
                            } else {
                                "has changed"
                            }
                        ));
                    }
                    blocks.push(d + "\n");
                }
            }
        }
    }
    let footer = if multi {
        format!("---\n**Plan summary**: {} directories, {changed} with changes, {unchanged} with no changes, {failed} failed.\n", sections.len())
    } else {
        String::new()
    };
    let mark = marker(&opts.dir, &opts.workspace);
    split(&head, &blocks, &footer, &mark, opts.limit)
}

/// Packs the head, the blocks and the footer into numbered parts of at most `limit`
/// characters, never splitting a block; a block too big for any part is truncated with a note.
fn split(head: &str, blocks: &[String], footer: &str, mark: &str, limit: usize) -> Vec<String> {
    // Reserve room for the marker and the "part N of M" line.
    let overhead = mark.len() + 64;
    let room = limit.saturating_sub(overhead);
    let mut parts: Vec<String> = vec![head.to_string()];
    for b in blocks {
        // A block must fit in a part of its own.
        let b = if b.len() > room {
            truncate_block(b, room)
        } else {
            b.clone()
        };
        match parts.last_mut() {
            Some(last) if last.len() + b.len() <= room => last.push_str(&b),
            _ => parts.push(b),
        }
    }
    if !footer.is_empty() {
        match parts.last_mut() {
            Some(last) if last.len() + footer.len() <= room => last.push_str(footer),
            _ => parts.push(footer.to_string()),
        }
    }
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let numbered = if n > 1 {
                format!("_part {} of {n}_\n\n", i + 1)
            } else {
                String::new()
            };
            format!("{mark}\n{numbered}{p}")
        })
        .collect()
}

/// Cuts a resource block to `max` characters at a line end, closing its fence and details.
fn truncate_block(b: &str, max: usize) -> String {
    let fence = if b.contains("\n~~~~diff\n") {
        "~~~~"
    } else {
        "```"
    };
    let mut out = String::new();
    for line in b.lines() {
        if out.len() + line.len() + 200 > max {
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!("{fence}\n\n_(this resource's diff is too long for a comment and was cut; run `emrform show` on the saved plan for all of it)_\n\n</details>\n"));
    out
}

#[cfg(test)]
mod provisioner_tests {
    use super::*;

    #[test]
    fn local_exec_provisioners_are_flagged_with_whether_they_run() {
        let mut plan = Plan::default();
        plan.provisioners
            .insert("null_resource.push".into(), vec!["local-exec".into()]);
        let flags = risk_flags(&plan);
        assert_eq!(flags.len(), 1);
        assert!(flags[0].contains("will not run"), "{}", flags[0]);
        plan.allow_local_exec = true;
        assert!(risk_flags(&plan)[0].contains("runs a command on the applying machine"));
    }
}
