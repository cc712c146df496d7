//! Command-line arguments: the "low" layer, parsed by clap and turned into settings by each
//! command.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// emrform: plan and apply EMR Serverless stacks written in the Terraform language.
#[derive(Debug, Parser)]
#[command(name = "emrform", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Switch to DIR before doing anything else (Terraform's -chdir).
    #[arg(long, global = true, value_name = "DIR")]
    pub chdir: Option<PathBuf>,
    /// Never colour the output (NO_COLOR is honoured too).
    #[arg(long, global = true)]
    pub no_color: bool,
}

/// Variable inputs, shared by validate and plan.
#[derive(Debug, Args, Clone, Default)]
pub struct VarArgs {
    /// Set a root variable: NAME=VALUE (repeatable; later settings win).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read root variables from a file (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Record the backend; with --migrate-state, copy state to a new backend.
    Init(crate::cli::commands::init::InitCmd),
    /// Several states for one configuration: list, show, new, select, delete.
    Workspace(crate::cli::commands::workspace::WorkspaceCmd),
    /// Check that the configuration is valid: syntax, references, types, schemas, cycles.
    Validate(crate::cli::commands::validate::ValidateArgs),
    /// Print the dependency graph in Graphviz DOT.
    Graph(crate::cli::commands::graph::GraphArgs),
    /// Rewrite .tf files in the canonical format.
    Fmt(crate::cli::commands::fmt::FmtArgs),
    /// Show what apply would do: refresh, diff, EMR Serverless checks.
    Plan(crate::cli::commands::plan::PlanCmd),
    /// Make the changes (asks first unless --auto-approve or given a saved plan).
    Apply(crate::cli::commands::apply::ApplyCmd),
    /// Destroy everything the state records.
    Destroy(crate::cli::commands::apply::ApplyCmd),
    /// Show a saved plan, or the state.
    Show(crate::cli::commands::show::ShowCmd),
    /// Print root outputs from the state.
    Output(crate::cli::commands::show::OutputCmd),
    /// Record an existing AWS object in state under a resource block: import ADDR ID.
    Import(crate::cli::commands::import::ImportCmd),
    /// Inspect and edit the state: list, show, rm, mv, pull.
    State(crate::cli::commands::state::StateCmd),
    /// Remove a state lock left by a crashed command.
    ForceUnlock(crate::cli::commands::show::ForceUnlockCmd),
    /// Plan several directories into one pull-request comment (Markdown).
    Comment(crate::cli::commands::comment::CommentCmd),
    /// Lint IAM policies in configurations and JSON files (for CI).
    Lint(crate::cli::commands::lint::LintArgs),
    /// Run the EMR Serverless checks and the policy lint over any Terraform configuration or
    /// plan JSON, without planning (for teams that keep Terraform).
    Check(crate::cli::commands::check::CheckCmd),
    /// Show a lint rule's documentation.
    Rule(crate::cli::commands::lint::RuleArgs),
    /// Print the version.
    Version,
}
