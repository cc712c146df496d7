//! [`Policy`]: an IAM policy document read from a spanned [`Node`] tree.

use super::node::{Node, NodeKind};
use crate::diag::Span;

/// Which kind of policy a document is, which decides the rules that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// An identity-based policy (attached to a role, user, group; a managed policy).
    Identity,
    /// A role trust policy (`assume_role_policy`).
    Trust,
    /// A resource-based policy (S3 bucket, ECR repository, KMS key): statements name a
    /// `Principal`, and `Resource: "*"` means the resource the policy is attached to.
    Resource,
    /// A VPC endpoint policy: `Principal: "*"` is the norm; it narrows what passes the endpoint.
    Endpoint,
}

/// Where a policy came from, for messages and quotas.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyOrigin {
    /// The Terraform address of the block that holds it (`aws_iam_role.runtime`), if from HCL.
    pub address: Option<String>,
    /// The resource type (`aws_iam_role_policy`) or `json` for a raw document.
    pub resource_type: Option<String>,
    /// The role's name or block label, used to recognise EMR Serverless runtime roles.
    pub role_name: Option<String>,
}

/// A string leaf: its value when known (`None` = unknown before apply) and its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The string; `None` when it could not be known (a reference or interpolation).
    pub value: Option<String>,
    /// Where it is written.
    pub span: Span,
}

impl Text {
    /// The value when known.
    pub fn known(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// True when the value is exactly `*`.
    pub fn is_star(&self) -> bool {
        self.value.as_deref() == Some("*")
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Grants.
    Allow,
    /// Refuses.
    Deny,
}

/// Whether an element is the positive or the `Not` form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElemKind {
    /// `Action` / `Resource` / `Principal`.
    Positive,
    /// `NotAction` / `NotResource` / `NotPrincipal`.
    Not,
}

/// An `Action`/`NotAction` or `Resource`/`NotResource` element.
#[derive(Debug, Clone, PartialEq)]
pub struct Elem {
    /// Positive or `Not` form.
    pub kind: ElemKind,
    /// The span of the key (`"Action"`).
    pub key_span: Span,
    /// The span of the value.
    pub span: Span,
    /// The strings listed, in order.
    pub items: Vec<Text>,
    /// True when the whole value (not one item) is unknown: the list may hold anything.
    pub opaque: bool,
}

impl Elem {
    /// True when this is the `Not` form.
    pub fn is_not(&self) -> bool {
        self.kind == ElemKind::Not
    }

    /// The first item that is exactly `*`.
    pub fn star(&self) -> Option<&Text> {
        self.items.iter().find(|t| t.is_star())
    }

    /// Known item values.
    pub fn known(&self) -> impl Iterator<Item = (&str, Span)> {
        self.items
            .iter()
            .filter_map(|t| t.known().map(|v| (v, t.span)))
    }
}

/// A `Principal`/`NotPrincipal` element.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    /// Positive or `Not` form.
    pub kind: ElemKind,
    /// Span of the key.
    pub key_span: Span,
    /// Span of the value.
    pub span: Span,
    /// `(type, values)` pairs: `AWS`, `Service`, `Federated`, `CanonicalUser`; the bare string
    /// `"*"` is recorded as type `*` with one value.
    pub entries: Vec<(String, Vec<Text>)>,
}

impl Principal {
    /// All values of one principal type.
    pub fn values<'a>(&'a self, ty: &'a str) -> impl Iterator<Item = &'a Text> + 'a {
        self.entries
            .iter()
            .filter(move |(t, _)| t == ty)
            .flat_map(|(_, v)| v.iter())
    }

    /// The span of a value that means "anyone": `"*"` or `{"AWS": "*"}`.
    pub fn anyone(&self) -> Option<Span> {
        self.entries
            .iter()
            .filter(|(t, _)| t == "*" || t == "AWS")
            .flat_map(|(_, v)| v.iter())
            .find(|t| t.is_star())
            .map(|t| t.span)
    }
}

/// One `operator: { key: values }` entry of a `Condition` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The operator as written (`StringEquals`, `ForAllValues:StringLike`, `...IfExists`).
    pub operator: String,
    /// Span of the operator key.
    pub operator_span: Span,
    /// The condition key as written (`aws:SourceAccount`).
    pub key: String,
    /// Span of the condition key.
    pub key_span: Span,
    /// The values (booleans and numbers are kept as their text).
    pub values: Vec<Text>,
    /// Span of the values.
    pub values_span: Span,
    /// True when the values are one unknown: they may hold anything.
    pub opaque: bool,
}

impl Condition {
    /// The operator without `ForAllValues:`/`ForAnyValue:` and `IfExists`.
    pub fn base_operator(&self) -> &str {
        let op = self
            .operator
            .strip_prefix("ForAllValues:")
            .or_else(|| self.operator.strip_prefix("ForAnyValue:"))
            .unwrap_or(&self.operator);
        op.strip_suffix("IfExists").unwrap_or(op)
    }

    /// True when the key is named case-insensitively `name`.
    pub fn key_is(&self, name: &str) -> bool {
        self.key.eq_ignore_ascii_case(name)
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The whole statement.
    pub span: Span,
    /// `Sid`, if any.
    pub sid: Option<Text>,
    /// `Effect` and its span; `None` when missing or not `Allow`/`Deny`.
    pub effect: Option<(Effect, Span)>,
    /// `Action` or `NotAction`.
    pub action: Option<Elem>,
    /// `Resource` or `NotResource`.
    pub resource: Option<Elem>,
    /// `Principal` or `NotPrincipal`.
    pub principal: Option<Principal>,
    /// Flattened `Condition` entries.
    pub conditions: Vec<Condition>,
    /// Span of the `Condition` key, if present.
    pub condition_span: Option<Span>,
    /// True when the `Condition` block is present but could not be read (unknown): the
    /// statement may be constrained in ways the linter cannot see.
    pub condition_opaque: bool,
    /// Catalog actions the statement grants, computed once by
    /// [`crate::lint::rule::granted_actions`]; not part of the document.
    pub granted: GrantCache,
}

/// A lazily filled cache of expanded actions; compares equal to any other cache so that
/// statements compare by content.
#[derive(Debug, Clone, Default)]
pub struct GrantCache(
    pub std::sync::OnceLock<Vec<(crate::lint::catalog::ActionRef<'static>, Span)>>,
);

impl PartialEq for GrantCache {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl Statement {
    /// True for `Effect: Allow`.
    pub fn is_allow(&self) -> bool {
        matches!(self.effect, Some((Effect::Allow, _)))
    }

    /// True when the statement has any condition (known or not).
    pub fn has_condition(&self) -> bool {
        !self.conditions.is_empty() || self.condition_opaque
    }

    /// The positive `Action` element.
    pub fn actions(&self) -> Option<&Elem> {
        self.action.as_ref().filter(|e| !e.is_not())
    }

    /// The positive `Resource` element.
    pub fn resources(&self) -> Option<&Elem> {
        self.resource.as_ref().filter(|e| !e.is_not())
    }

    /// True when `Resource` is present, positive and contains `*`.
    pub fn resource_is_star(&self) -> bool {
        self.resources().is_some_and(|r| r.star().is_some())
    }

    /// The best span to point at for the statement as a whole: the `Effect` if known.
    pub fn anchor(&self) -> Span {
        self.span
    }

    /// True when the statement allows every action on every resource with no condition.
    pub fn is_full_admin(&self) -> bool {
        self.is_allow()
            && self.actions().is_some_and(|a| a.star().is_some())
            && self.resource_is_star()
            && !self.has_condition()
    }
}

/// A structural problem found while reading the document.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureIssue {
    /// Where.
    pub span: Span,
    /// What is wrong and what to write instead.
    pub message: String,
}

/// One IAM policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Identity, trust or resource policy.
    pub kind: PolicyKind,
    /// Where it came from.
    pub origin: PolicyOrigin,
    /// The whole document.
    pub span: Span,
    /// `Version`, if present.
    pub version: Option<Text>,
    /// The statements, in order.
    pub statements: Vec<Statement>,
    /// Span of the `Statement` key, or of the document when missing.
    pub statement_span: Span,
    /// Structural problems (wrong types, unknown keys, missing elements).
    pub issues: Vec<StructureIssue>,
    /// Length of the document as compact JSON (what IAM counts against quotas; whitespace is
    /// not counted). `None` when part of it is unknown.
    pub size: Option<usize>,
}

const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

impl Policy {
    /// Reads a policy from a spanned document. Never fails: problems become
    /// [`Policy::issues`], and what can be read is read.
    pub fn from_node(root: &Node, kind: PolicyKind, origin: PolicyOrigin) -> Policy {
        let mut p = Policy {
            kind,
            origin,
            span: root.span,
            version: None,
            statements: Vec::new(),
            statement_span: root.span,
            issues: Vec::new(),
            size: None,
        };
        let size_json = root.to_compact_json();
        if !size_json.contains("\"<unknown>\"") {
            p.size = Some(size_json.chars().count());
        }
        let Some(members) = root.members() else {
            if !matches!(root.kind, NodeKind::Unknown) {
                p.issue(
                    root.span,
                    format!(
                        "a policy document must be a JSON object, found {}",
                        root.kind_name()
                    ),
                );
            }
            return p;
        };
        let mut saw_statement = false;
        for m in members {
            match m.key.as_str() {
                "Version" => p.version = p.text(&m.value, "Version"),
                "Id" => {}
                "Statement" => {
                    saw_statement = true;
                    p.statement_span = m.key_span;
                    match &m.value.kind {
                        NodeKind::Array(items) => {
                            for item in items {
                                p.statement(item);
                            }
                        }
                        NodeKind::Object(_) => p.statement(&m.value),
                        NodeKind::Unknown => {}
                        _ => p.issue(
                            m.value.span,
                            "`Statement` must be an object or an array of objects".to_string(),
                        ),
                    }
                }
                other => p.issue(
                    m.key_span,
                    format!(
                        "unknown top-level element `{other}`; a policy has only `Version`, `Id` and `Statement`"
                    ),
                ),
            }
        }
        if !saw_statement {
            p.issue(
                root.span,
                "the policy has no `Statement` element; add at least one statement".to_string(),
            );
        }
        p
    }

    fn issue(&mut self, span: Span, message: String) {
        self.issues.push(StructureIssue { span, message });
    }

    fn text(&mut self, n: &Node, what: &str) -> Option<Text> {
        match &n.kind {
            NodeKind::String(s) => Some(Text {
                value: Some(s.clone()),
                span: n.span,
            }),
            NodeKind::Unknown => Some(Text {
                value: None,
                span: n.span,
            }),
            NodeKind::Number(s) => Some(Text {
                value: Some(s.clone()),
                span: n.span,
            }),
            NodeKind::Bool(b) => Some(Text {
                value: Some(b.to_string()),
                span: n.span,
            }),
            _ => {
                self.issue(
                    n.span,
                    format!("`{what}` must be a string, found {}", n.kind_name()),
                );
                None
            }
        }
    }

    /// Reads a string or an array of strings.
    fn texts(&mut self, n: &Node, what: &str) -> (Vec<Text>, bool) {
        match &n.kind {
            NodeKind::Array(items) => {
                let mut out = Vec::new();
                for i in items {
                    if let NodeKind::Array(_) = i.kind {
                        self.issue(
                            i.span,
                            format!("`{what}` must be a string or a list of strings"),
                        );
                    } else if let Some(t) = self.text(i, what) {
                        out.push(t);
                    }
                }
                (out, false)
            }
            NodeKind::Unknown => (Vec::new(), true),
            _ => (self.text(n, what).into_iter().collect(), false),
        }
    }

    fn statement(&mut self, n: &Node) {
        let Some(members) = n.members() else {
            if !matches!(n.kind, NodeKind::Unknown) {
                self.issue(
                    n.span,
                    format!("a statement must be an object, found {}", n.kind_name()),
                );
            }
            return;
        };
        let mut st = Statement {
            span: n.span,
            sid: None,
            effect: None,
            action: None,
            resource: None,
            principal: None,
            conditions: Vec::new(),
            condition_span: None,
            condition_opaque: false,
            granted: GrantCache::default(),
        };
        let mut saw_effect = false;
        for m in members {
            let key = m.key.as_str();
            if !STATEMENT_KEYS.contains(&key) {
                self.issue(
                    m.key_span,
                    format!("unknown statement element `{key}`; check its spelling and case"),
                );
                continue;
            }
            match key {
                "Sid" => st.sid = self.text(&m.value, "Sid"),
                "Effect" => {
                    saw_effect = true;
                    if let Some(t) = self.text(&m.value, "Effect") {
                        match t.known() {
                            Some("Allow") => st.effect = Some((Effect::Allow, t.span)),
                            Some("Deny") => st.effect = Some((Effect::Deny, t.span)),
                            None => {}
                            Some(other) => self.issue(
                                t.span,
                                format!("`Effect` must be `Allow` or `Deny`, found `{other}`"),
                            ),
                        }
                    }
                }
                "Action" | "NotAction" | "Resource" | "NotResource" => {
                    let is_action = key.ends_with("Action");
                    let slot = if is_action { &st.action } else { &st.resource };
                    if slot.is_some() {
                        self.issue(
                            m.key_span,
                            format!(
                                "a statement may have only one of `{0}` and `Not{0}`",
                                if is_action { "Action" } else { "Resource" }
                            ),
                        );
                        continue;
                    }
                    let (items, opaque) = self.texts(&m.value, key);
                    let elem = Elem {
                        kind: if key.starts_with("Not") {
                            ElemKind::Not
                        } else {
                            ElemKind::Positive
                        },
                        key_span: m.key_span,
                        span: m.value.span,
                        items,
                        opaque,
                    };
                    if is_action {
                        st.action = Some(elem);
                    } else {
                        st.resource = Some(elem);
                    }
                }
                "Principal" | "NotPrincipal" => {
                    st.principal = Some(self.principal(m.key_span, &m.value, key));
                }
                "Condition" => {
                    st.condition_span = Some(m.key_span);
                    self.conditions(&m.value, &mut st);
                }
                _ => {}
            }
        }
        if !saw_effect {
            self.issue(
                n.span,
                "the statement has no `Effect`; add `\"Effect\": \"Allow\"` or `\"Deny\"`"
                    .to_string(),
            );
        }
        if st.action.is_none() {
            self.issue(
                n.span,
                "the statement has no `Action` or `NotAction`".to_string(),
            );
        }
        match self.kind {
            PolicyKind::Identity => {
                if st.resource.is_none() {
                    self.issue(
                        n.span,
                        "the statement has no `Resource` or `NotResource`; identity policies need one"
                            .to_string(),
                    );
                }
                if let Some(p) = &st.principal {
                    self.issues.push(StructureIssue {
                        span: p.key_span,
                        message: "identity policies must not have a `Principal`; remove it"
                            .to_string(),
                    });
                }
            }
            PolicyKind::Trust | PolicyKind::Resource | PolicyKind::Endpoint => {
                if st.principal.is_none() {
                    self.issue(
                        n.span,
                        "the statement has no `Principal`; trust and resource policies must name who they apply to"
                            .to_string(),
                    );
                }
            }
        }
        self.statements.push(st);
    }

    fn principal(&mut self, key_span: Span, n: &Node, key: &str) -> Principal {
        let mut p = Principal {
            kind: if key == "NotPrincipal" {
                ElemKind::Not
            } else {
                ElemKind::Positive
            },
            key_span,
            span: n.span,
            entries: Vec::new(),
        };
        match &n.kind {
            NodeKind::String(s) => {
                if s != "*" {
                    self.issue(
                        n.span,
                        format!("a string `{key}` must be `\"*\"`; use {{\"AWS\": \"{s}\"}} to name an account or role"),
                    );
                }
                p.entries.push((
                    "*".to_string(),
                    vec![Text {
                        value: Some(s.clone()),
                        span: n.span,
                    }],
                ));
            }
            NodeKind::Object(members) => {
                for m in members {
                    if !["AWS", "Service", "Federated", "CanonicalUser"].contains(&m.key.as_str()) {
                        self.issue(
                            m.key_span,
                            format!("unknown principal type `{}`; use `AWS`, `Service`, `Federated` or `CanonicalUser`", m.key),
                        );
                    }
                    let (values, _) = self.texts(&m.value, key);
                    p.entries.push((m.key.clone(), values));
                }
            }
            NodeKind::Unknown => {}
            _ => self.issue(
                n.span,
                format!(
                    "`{key}` must be \"*\" or an object, found {}",
                    n.kind_name()
                ),
            ),
        }
        p
    }

    fn conditions(&mut self, n: &Node, st: &mut Statement) {
        let Some(ops) = n.members() else {
            if matches!(n.kind, NodeKind::Unknown) {
                st.condition_opaque = true;
            } else {
                self.issue(n.span, "`Condition` must be an object".to_string());
            }
            return;
        };
        for op in ops {
            let Some(keys) = op.value.members() else {
                if matches!(op.value.kind, NodeKind::Unknown) {
                    st.condition_opaque = true;
                } else {
                    self.issue(
                        op.value.span,
                        format!(
                            "the `{}` condition must be an object of condition keys",
                            op.key
                        ),
                    );
                }
                continue;
            };
            for k in keys {
                let (values, opaque) = self.texts(&k.value, "Condition");
                st.conditions.push(Condition {
                    operator: op.key.clone(),
                    operator_span: op.key_span,
                    key: k.key.clone(),
                    key_span: k.key_span,
                    values,
                    values_span: k.value.span,
                    opaque,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;
    use crate::lint::policy::json;

    fn read(text: &str, kind: PolicyKind) -> Policy {
        let n = json::parse(text, FileId(0), 0).unwrap();
        Policy::from_node(&n, kind, PolicyOrigin::default())
    }

    #[test]
    fn reads_statements_with_spans() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","*"],"Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"1"}}}]}"#;
        let p = read(text, PolicyKind::Identity);
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        let st = &p.statements[0];
        assert!(st.is_allow());
        let star = st.actions().unwrap().star().unwrap();
        assert_eq!(&text[star.span.range()], "\"*\"");
        assert_eq!(st.conditions[0].key, "aws:SourceAccount");
        assert_eq!(p.size, Some(text.len()));
    }

    #[test]
    fn reports_structure_problems() {
        let p = read(
            r#"{"Statement":{"Effect":"Maybe","Actions":"s3:*"}}"#,
            PolicyKind::Identity,
        );
        let msgs: Vec<_> = p.issues.iter().map(|i| i.message.as_str()).collect();
        assert!(
            msgs.iter().any(|m| m.contains("`Allow` or `Deny`")),
            "{msgs:?}"
        );
        assert!(msgs
            .iter()
            .any(|m| m.contains("unknown statement element `Actions`")));
        assert!(msgs.iter().any(|m| m.contains("no `Action`")));
    }
}
