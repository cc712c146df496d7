//! The plan as plain serde data. A [`Plan`] is produced once by planning, then only read:
//! rendered as text, JSON or Markdown, saved with `--out`, shown by `show` and applied.

use crate::addrs::ResourceInstanceAddr;
use crate::config::value::Value;
use serde::{Deserialize, Serialize};

/// What happens to one resource instance. Names follow Terraform's `plans.Action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Nothing changes.
    NoOp,
    /// A new object is created.
    Create,
    /// A data source is read during apply.
    Read,
    /// The object is updated in place.
    Update,
    /// The object is destroyed, then a replacement created.
    DeleteThenCreate,
    /// A replacement is created, then the old object destroyed (`create_before_destroy`).
    CreateThenDelete,
    /// The object is destroyed.
    Delete,
}

impl Action {
    /// The symbol Terraform prints for the action.
    pub fn symbol(self) -> &'static str {
        match self {
            Action::NoOp => " ",
            Action::Create => "+",
            Action::Read => "<=",
            Action::Update => "~",
            Action::DeleteThenCreate => "-/+",
            Action::CreateThenDelete => "+/-",
            Action::Delete => "-",
        }
    }

    /// True for both kinds of replacement.
    pub fn is_replace(self) -> bool {
        matches!(self, Action::DeleteThenCreate | Action::CreateThenDelete)
    }

    /// The `actions` list of Terraform's plan JSON.
    pub fn json_actions(self) -> Vec<&'static str> {
        match self {
            Action::NoOp => vec!["no-op"],
            Action::Create => vec!["create"],
            Action::Read => vec!["read"],
            Action::Update => vec!["update"],
            Action::DeleteThenCreate => vec!["delete", "create"],
            Action::CreateThenDelete => vec!["create", "delete"],
            Action::Delete => vec!["delete"],
        }
    }

    /// Counts toward (add, change, destroy) of the summary line.
    pub fn counts(self) -> (usize, usize, usize) {
        match self {
            Action::Create => (1, 0, 0),
            Action::Update => (0, 1, 0),
            Action::Delete => (0, 0, 1),
            Action::DeleteThenCreate | Action::CreateThenDelete => (1, 0, 1),
            Action::NoOp | Action::Read => (0, 0, 0),
        }
    }
}

/// Why an action was chosen, as in Terraform's `action_reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionReason {
    /// An attribute that forces replacement changed.
    ReplaceBecauseCannotUpdate,
    /// The object is tainted.
    ReplaceBecauseTainted,
    /// `--replace` named it.
    ReplaceByRequest,
    /// `replace_triggered_by` fired.
    ReplaceByTriggers,
    /// Its block was removed from the configuration.
    DeleteBecauseNoResourceConfig,
    /// `count`/`for_each` was added or removed.
    DeleteBecauseWrongRepetition,
    /// Its count index is beyond the new count.
    DeleteBecauseCountIndex,
    /// Its for_each key is gone.
    DeleteBecauseEachKey,
    /// Its module call was removed.
    DeleteBecauseNoModule,
    /// A data source whose configuration is only known during apply.
    ReadBecauseConfigUnknown,
    /// A data source that depends on a pending change.
    ReadBecauseDependencyPending,
    /// emrform's own: a drift entry for a create an earlier apply started but never
    /// recorded (the process died); `after` is what was found, `None` when nothing was made.
    /// Not a Terraform reason, so the plan JSON leaves it out.
    CreateInterrupted,
}

/// One step of an attribute path, as in Terraform's `replace_paths`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PathStep {
    /// An attribute or map key.
    Key(String),
    /// A list index.
    Index(usize),
}

/// A typed AWS call apply will make, shown in plans (e.g. the stop → update → start of a
/// STARTED EMR Serverless application). Produced by providers; the engine only orders and
/// prints them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiOp {
    /// Service as the SDK names it (`emr-serverless`, `iam`, `ec2`, `ecr`).
    pub service: String,
    /// API operation (`StopApplication`, `UpdateApplication`, `TagResource`).
    pub operation: String,
    /// The fields the call carries, for update calls that send only what changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// Why the call is needed, when not obvious (e.g. "application is STARTED").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The change to one resource instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceChange {
    /// Its address.
    pub addr: ResourceInstanceAddr,
    /// Provider configuration key (`aws`, `aws.east`).
    pub provider_key: String,
    /// What happens.
    pub action: Action,
    /// Why, when Terraform would say.
    pub action_reason: Option<ActionReason>,
    /// The object before (refreshed prior state); `None` when it does not exist yet.
    pub before: Option<Value>,
    /// The object after; `None` when it is deleted. Unknown parts are [`Value::Unknown`].
    pub after: Option<Value>,
    /// Attribute paths whose change forces replacement.
    pub replace_paths: Vec<Vec<PathStep>>,
    /// AWS calls apply will make, in order.
    pub api_ops: Vec<ApiOp>,
    /// The import id when this change imports an existing object.
    pub importing: Option<String>,
    /// Attribute names whose values must not be shown.
    pub sensitive_attrs: Vec<String>,
    /// Instances of other resources this one depends on (recorded in state).
    pub dependencies: Vec<String>,
    /// `create_before_destroy` was set.
    pub create_before_destroy: bool,
}

/// A change to a root output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputChange {
    /// Create, update, delete or no-op.
    pub action: Action,
    /// Old value.
    pub before: Option<Value>,
    /// New value (may contain unknowns).
    pub after: Option<Value>,
    /// Sensitive outputs are never shown.
    pub sensitive: bool,
}

/// Severity of a plan-time finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingSeverity {
    Info,
    Warning,
    Error,
}

/// A problem found by a plan-time check or the policy linter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule or check ID (`EMR101`, `IAM001`).
    pub rule: String,
    /// Error findings block apply.
    pub severity: FindingSeverity,
    /// One sentence naming the problem and the fix.
    pub message: String,
    /// The resource it concerns.
    pub address: Option<String>,
    /// `file:line:col` of the attribute at fault.
    pub location: Option<String>,
    /// IAM Access Analyzer's code for the same check, where one exists.
    pub aws_code: Option<String>,
}

/// Which kind of plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanMode {
    /// Converge on the configuration.
    #[default]
    Normal,
    /// Destroy everything (`--destroy`).
    Destroy,
    /// Only update state to match AWS (`--refresh-only`).
    RefreshOnly,
}

/// Identity of the state a plan was made against; `apply PLANFILE` refuses the plan when the
/// state moved on since.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StateRef {
    /// State lineage (empty when there was no state).
    pub lineage: String,
    /// State serial.
    pub serial: u64,
}

/// A plan.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Plan {
    /// Normal, destroy or refresh-only.
    pub mode: PlanMode,
    /// Changes to managed resources (and data reads deferred to apply), in apply order.
    pub resource_changes: Vec<ResourceChange>,
    /// Objects that changed outside emrform since the last apply.
    pub resource_drift: Vec<ResourceChange>,
    /// Changes to root outputs.
    pub output_changes: indexmap::IndexMap<String, OutputChange>,
    /// Findings of the plan-time checks and the policy linter.
    pub findings: Vec<Finding>,
    /// The state the plan was made against.
    pub prior_state: StateRef,
    /// Root variable values used (sensitive ones hidden).
    pub variables: indexmap::IndexMap<String, Value>,
    /// When the plan was made (RFC 3339).
    pub timestamp: String,
    /// The configuration directory the plan is for.
    pub config_dir: String,
    /// Data source values read while planning, by address, so apply evaluates with the same.
    #[serde(default)]
    pub data: indexmap::IndexMap<String, Value>,
    /// References written in each resource block's arguments, by static address, as plan
    /// JSON's `configuration` records them (see [`expressions`](super::expressions)).
    #[serde(default, skip_serializing_if = "indexmap::IndexMap::is_empty")]
    pub config_expressions: indexmap::IndexMap<String, serde_json::Value>,
    /// Creation-time provisioner types of the instances this plan creates, by address.
    #[serde(default, skip_serializing_if = "indexmap::IndexMap::is_empty")]
    pub provisioners: indexmap::IndexMap<String, Vec<String>>,
    /// `--allow-local-exec`: apply runs `local-exec` provisioners.
    #[serde(default)]
    pub allow_local_exec: bool,
}

impl Plan {
    /// (add, change, destroy) for the summary line.
    pub fn counts(&self) -> (usize, usize, usize) {
        self.resource_changes.iter().fold((0, 0, 0), |acc, c| {
            let (a, b, d) = c.action.counts();
            (acc.0 + a, acc.1 + b, acc.2 + d)
        })
    }

    /// True when apply would change nothing (drift alone is not a change; outputs are).
    pub fn has_changes(&self) -> bool {
        self.resource_changes.iter().any(|c| {
            (c.action != Action::NoOp && c.action != Action::Read) || c.importing.is_some()
        }) || self
            .output_changes
            .values()
            .any(|o| o.action != Action::NoOp)
            || (self.mode == PlanMode::RefreshOnly && !self.resource_drift.is_empty())
    }

    /// True when an error-severity finding blocks apply.
    pub fn has_blocking_findings(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == FindingSeverity::Error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_and_counts() {
        assert_eq!(Action::DeleteThenCreate.symbol(), "-/+");
        assert!(Action::CreateThenDelete.is_replace());
        assert_eq!(Action::DeleteThenCreate.counts(), (1, 0, 1));
        assert_eq!(
            Action::CreateThenDelete.json_actions(),
            vec!["create", "delete"]
        );
    }
}
