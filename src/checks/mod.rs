//! EMR Serverless plan-time checks: what would fail at apply time or at the first job run,
//! decided from the planned values together with live facts (subnet free IPs, route tables,
//! other applications in the account). One check per file in [`rules`], each with a stable ID,
//! a severity, and a message that names the fix. Findings become part of the plan.
//!
//! Checks never call AWS themselves: the facts arrive in [`Facts`], gathered by the caller.
//! A check is silenced on one resource with a `# emrform:ignore EMR101 reason` comment above or
//! inside its block.

pub mod capacity;
pub mod facts;
pub mod gather;
pub mod rules;
pub mod standalone;
pub mod subjects;

pub use facts::{Facts, LiveApplication, SubnetFact};

use crate::diag::{SourceMap, Span};
use crate::plan::{Finding, FindingSeverity};

/// The resource types checks read; other planned instances are not made into subjects. A new
/// check that reads another type adds it here.
pub const SUBJECT_TYPES: &[&str] = &[
    "aws_emrserverless_application",
    "aws_subnet",
    "aws_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_route_table",
    "aws_route_table_association",
    "aws_route",
    "aws_vpc_endpoint",
    "aws_vpc_endpoint_route_table_association",
    "aws_ecr_repository",
    "aws_ecr_repository_policy",
    "aws_iam_role",
    "aws_vpc",
    "aws_s3_bucket",
    "aws_kms_key",
];

/// One planned resource instance, as checks see it.
#[derive(Debug, Clone)]
pub struct Subject {
    /// Address (`module.x.aws_subnet.a[0]`).
    pub address: String,
    /// Resource type.
    pub type_name: String,
    /// Planned value; ids not known until apply are replaced by `placeholder(address)` so that
    /// references between planned objects can be followed.
    pub value: crate::config::value::Value,
    /// Where the block is declared.
    pub span: Option<Span>,
    /// Spans of top-level attributes and blocks by name.
    pub attr_spans: Vec<(String, Span)>,
    /// IDs silenced on this resource.
    pub ignored: Vec<String>,
    /// The object exists already (update or no-op) rather than being created.
    pub exists: bool,
}

impl Subject {
    /// The span of a top-level attribute or block, or of the resource.
    pub fn span_of(&self, attr: &str) -> Option<Span> {
        self.attr_spans
            .iter()
            .find(|(n, _)| n == attr)
            .map(|(_, s)| *s)
            .or(self.span)
    }
}

/// The placeholder id of an object not created yet.
pub fn placeholder(address: &str) -> String {
    format!("(known after apply: {address})")
}

/// Everything checks read.
pub struct Context<'a> {
    /// Planned resources.
    pub subjects: &'a [Subject],
    /// Live facts.
    pub facts: &'a Facts,
    /// Region of the default provider.
    pub region: Option<String>,
}

impl Context<'_> {
    /// Subjects of one type.
    pub fn of_type<'s>(&'s self, t: &'s str) -> impl Iterator<Item = &'s Subject> + 's {
        self.subjects.iter().filter(move |s| s.type_name == t)
    }

    /// The planned subject whose `id` (or placeholder) is `id`.
    pub fn by_id(&self, id: &str) -> Option<&Subject> {
        self.subjects.iter().find(|s| {
            s.value.get("id").and_then(|v| v.as_str()) == Some(id) || placeholder(&s.address) == id
        })
    }
}

/// Metadata of a check.
#[derive(Debug, Clone, Copy)]
pub struct CheckMeta {
    /// Stable ID, `EMR101`.
    pub code: &'static str,
    /// Name readable as "allow <name>": `subnet-too-small`.
    pub name: &'static str,
    /// Default severity.
    pub severity: FindingSeverity,
    /// One line: what it catches.
    pub summary: &'static str,
    /// One line: how to fix it.
    pub fix: &'static str,
}

/// A check.
pub trait Check: Sync {
    /// Its metadata.
    fn meta(&self) -> CheckMeta;
    /// Appends findings.
    fn run(&self, ctx: &Context<'_>, out: &mut Vec<RawFinding>);
}

/// A finding before locations are rendered.
#[derive(Debug, Clone)]
pub struct RawFinding {
    /// Check code.
    pub code: &'static str,
    /// Severity.
    pub severity: FindingSeverity,
    /// Message naming the fix.
    pub message: String,
    /// The resource.
    pub address: String,
    /// Where.
    pub span: Option<Span>,
}

/// Runs every check and returns its raw findings, minus those silenced on their resource.
pub fn run_raw(ctx: &Context<'_>) -> Vec<RawFinding> {
    let mut raw = Vec::new();
    for c in rules::ALL {
        c.run(ctx, &mut raw);
    }
    raw.retain(|f| {
        !ctx.subjects
            .iter()
            .any(|s| s.address == f.address && s.ignored.iter().any(|i| i == f.code))
    });
    raw
}

/// The metadata of the check with this code.
pub fn meta(code: &str) -> Option<CheckMeta> {
    rules::ALL.iter().map(|c| c.meta()).find(|m| m.code == code)
}

/// Runs every check and returns plan findings, minus those silenced on their resource.
pub fn run_all(ctx: &Context<'_>, sources: &SourceMap) -> Vec<Finding> {
    run_raw(ctx)
        .into_iter()
        .map(|f| Finding {
            rule: f.code.to_string(),
            severity: f.severity,
            message: f.message,
            address: Some(f.address),
            location: f.span.map(|s| sources.location(s)),
            aws_code: None,
        })
        .collect()
}
