//! A JSON-shaped tree whose every element keeps the source span it came from.
//!
//! Both raw policy JSON and HCL object literals (`jsonencode({...})`, `aws_iam_policy_document`)
//! are turned into this tree, so the policy model and the rules never care where a policy came
//! from. Leaves that could not be resolved (a `var.x` in HCL) are [`NodeKind::Unknown`].

use crate::diag::Span;

/// One element of a spanned document.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the element is.
    pub kind: NodeKind,
    /// Where the element is written.
    pub span: Span,
}

/// The element kinds of a spanned document.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, kept as written.
    Number(String),
    /// A string (escapes decoded).
    String(String),
    /// An array / tuple.
    Array(Vec<Node>),
    /// An object, in source order; keys keep their own span.
    Object(Vec<Member>),
    /// A value not known before apply (or not resolvable by the linter). Rules must treat it as
    /// "could be anything" and never fire on it.
    Unknown,
}

/// One key/value pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key text.
    pub key: String,
    /// Where the key is written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Node {
    /// A node.
    pub fn new(kind: NodeKind, span: Span) -> Self {
        Node { kind, span }
    }

    /// The string, when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members, when this is an object.
    pub fn members(&self) -> Option<&[Member]> {
        match &self.kind {
            NodeKind::Object(m) => Some(m),
            _ => None,
        }
    }

    /// First member with this key (exact match).
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.members()?.iter().find(|m| m.key == key)
    }

    /// A short name of the kind, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "boolean",
            NodeKind::Number(_) => "number",
            NodeKind::String(_) => "string",
            NodeKind::Array(_) => "array",
            NodeKind::Object(_) => "object",
            NodeKind::Unknown => "unknown value",
        }
    }

    /// Compact JSON text of this node (unknowns print as `"<unknown>"`); used for size quotas.
    pub fn to_compact_json(&self) -> String {
        let mut s = String::new();
        self.write_json(&mut s);
        s
    }

    fn write_json(&self, out: &mut String) {
        match &self.kind {
            NodeKind::Null => out.push_str("null"),
            NodeKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            NodeKind::Number(n) => out.push_str(n),
            NodeKind::String(s) => out.push_str(&serde_json::Value::String(s.clone()).to_string()),
            NodeKind::Unknown => out.push_str("\"<unknown>\""),
            NodeKind::Array(items) => {
                out.push('[');
                for (i, n) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    n.write_json(out);
                }
                out.push(']');
            }
            NodeKind::Object(members) => {
                out.push('{');
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::String(m.key.clone()).to_string());
                    out.push(':');
                    m.value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}
