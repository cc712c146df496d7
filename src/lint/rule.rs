//! The rule trait, metadata, findings, and helpers over statements.

use super::policy::Node;
use crate::diag::Span;
use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// What kind of document a policy is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// Attached to an identity (`aws_iam_policy`, `aws_iam_role_policy`, raw files).
    Identity,
    /// A role's trust policy (`assume_role_policy`).
    Trust,
    /// A resource policy (ECR repository, S3 bucket).
    Resource,
}

/// One policy to lint.
#[derive(Debug, Clone)]
pub struct PolicyDoc {
    /// The document.
    pub node: Node,
    /// Identity, trust or resource.
    pub kind: PolicyKind,
    /// The resource that carries it (empty for raw JSON files).
    pub address: String,
    /// The whole document's span.
    pub span: Span,
    /// Rule IDs silenced here (`# emrform:ignore IAM001 reason`).
    pub ignored: Vec<String>,
    /// Size quota in characters, when it has one (6,144 managed; 10,240 inline).
    pub size_quota: Option<usize>,
}

/// A finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LintFinding {
    /// Rule ID.
    pub rule: &'static str,
    /// Rule name.
    pub name: &'static str,
    /// Severity.
    pub severity: Severity,
    /// Message naming the fix.
    pub message: String,
    /// IAM Access Analyzer's code for the same check.
    pub aws_code: Option<&'static str>,
    /// The resource address, when from HCL.
    pub address: String,
    /// Where.
    #[serde(skip)]
    pub span: Span,
}

/// Rule metadata.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// Stable ID.
    pub code: &'static str,
    /// Readable as "allow <name>".
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line.
    pub title: &'static str,
    /// Access Analyzer's code.
    pub aws_code: Option<&'static str>,
    /// The release it appeared in.
    pub since: &'static str,
}

/// A lint rule.
pub trait Rule: Sync {
    /// Metadata.
    fn meta(&self) -> RuleMeta;
    /// Longer documentation (what, why, example, fix).
    fn doc(&self) -> &'static str;
    /// Appends findings for one document.
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>);
}

/// Pushes a finding of `rule`.
pub fn push(
    rule: &dyn Rule,
    doc: &PolicyDoc,
    span: Span,
    message: String,
    out: &mut Vec<LintFinding>,
) {
    let m = rule.meta();
    out.push(LintFinding {
        rule: m.code,
        name: m.name,
        severity: m.severity,
        message,
        aws_code: m.aws_code,
        address: doc.address.clone(),
        span,
    });
}

/// A statement of a document.
pub struct Stmt<'a> {
    /// The statement node.
    pub node: &'a Node,
    /// Allow (true) or Deny.
    pub allow: bool,
}

impl<'a> Stmt<'a> {
    /// The values of a key (`Action`, `Resource`, ...) as (string, span); unknown items skipped.
    pub fn values(&self, key: &str) -> Vec<(&'a str, Span)> {
        match self.node.get(key) {
            Some((_, v)) => v
                .items()
                .into_iter()
                .filter_map(|n| n.as_str().map(|s| (s, n.span())))
                .collect(),
            None => Vec::new(),
        }
    }
    /// True when the key is present.
    pub fn has(&self, key: &str) -> bool {
        self.node.get(key).is_some()
    }
    /// True when a value of the key is unknown.
    pub fn unknown(&self, key: &str) -> bool {
        self.node.get(key).is_some_and(|(_, v)| v.has_unknown())
    }
    /// True when the statement has any condition.
    pub fn has_condition(&self) -> bool {
        matches!(self.node.get("Condition"), Some((_, Node::Obj(m, _))) if !m.is_empty())
            || self.unknown("Condition")
    }
    /// Condition keys used, lower case, with their operator.
    pub fn condition_keys(&self) -> Vec<(String, String, Span)> {
        let mut out = Vec::new();
        if let Some((_, Node::Obj(ops, _))) = self.node.get("Condition") {
            for (op, _, body) in ops {
                if let Node::Obj(keys, _) = body {
                    for (k, ks, _) in keys {
                        out.push((op.clone(), k.to_ascii_lowercase(), *ks));
                    }
                }
            }
        }
        out
    }
    /// The span of a key's value, or of the statement.
    pub fn span_of(&self, key: &str) -> Span {
        self.node
            .get(key)
            .map(|(_, v)| v.span())
            .unwrap_or(self.node.span())
    }
}

/// The statements of a document (a single object or an array).
pub fn statements(doc: &Node) -> Vec<Stmt<'_>> {
    let Some((_, s)) = doc.get("Statement") else {
        return Vec::new();
    };
    s.items()
        .into_iter()
        .filter(|n| matches!(n, Node::Obj(..)))
        .map(|n| Stmt {
            node: n,
            allow: !n
                .get("Effect")
                .and_then(|(_, e)| e.as_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("deny")),
        })
        .collect()
}

/// Does an IAM action pattern (with `*` and `?`) match an action name, case-insensitively?
pub fn action_matches(pattern: &str, action: &str) -> bool {
    fn m(p: &[u8], a: &[u8]) -> bool {
        match (p.first(), a.first()) {
            (None, None) => true,
            (Some(b'*'), _) => m(&p[1..], a) || (!a.is_empty() && m(p, &a[1..])),
            (Some(b'?'), Some(_)) => m(&p[1..], &a[1..]),
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => m(&p[1..], &a[1..]),
            _ => false,
        }
    }
    m(pattern.as_bytes(), action.as_bytes())
}

/// Does the statement grant `action` (explicitly or through a wildcard) on `*`?
pub fn grants_on_star(s: &Stmt<'_>, action: &str) -> Option<Span> {
    if !s.allow || s.has_condition() {
        return None;
    }
    let on_star = s.values("Resource").iter().any(|(r, _)| *r == "*");
    if !on_star {
        return None;
    }
    s.values("Action")
        .into_iter()
        .find(|(a, _)| action_matches(a, action))
        .map(|(_, sp)| sp)
}

/// Is this statement full administrator access (every action on every resource)?
pub fn is_full_admin(s: &Stmt<'_>) -> bool {
    s.allow
        && !s.has_condition()
        && s.values("Action")
            .iter()
            .any(|(a, _)| *a == "*" || *a == "*:*")
        && s.values("Resource").iter().any(|(r, _)| *r == "*")
}
