//! The loaded, not yet evaluated configuration: one [`Module`] per static module path, holding
//! the declarations of its files with their source spans and unevaluated expressions.
//!
//! Plain data. Loading fills it (`config::load`); evaluation reads it (`config::eval`).

use crate::addrs::{ModulePath, ResourceAddr};
use crate::diag::{FileId, SourceMap, Span};
use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;
use indexmap::IndexMap;
use std::path::PathBuf;

/// The whole configuration: every module reachable from the root, and the files read.
#[derive(Debug, Default)]
pub struct Config {
    /// Modules by static path; the root module is at `ModulePath::root()` and comes first.
    pub modules: IndexMap<ModulePath, Module>,
    /// Every file read (configuration and variable files), for diagnostics.
    pub sources: SourceMap,
    /// The dependency graph, built on first use (modules do not change after loading).
    pub graph: std::sync::OnceLock<std::sync::Arc<crate::graph::ConfigGraph>>,
}

impl Config {
    /// The root module.
    ///
    /// # Panics
    /// Never after a successful load, which always inserts the root first.
    pub fn root(&self) -> &Module {
        &self.modules[0]
    }

    /// A module by path.
    pub fn module(&self, path: &ModulePath) -> Option<&Module> {
        self.modules.get(path)
    }

    /// Number of resource and data blocks over all modules.
    pub fn resource_count(&self) -> usize {
        self.modules.values().map(|m| m.resources.len()).sum()
    }
}

/// An expression with the file it came from.
#[derive(Debug, Clone)]
pub struct Expr {
    /// The expression as parsed (spans are byte offsets into `file`).
    pub expr: Expression,
    /// The file.
    pub file: FileId,
}

impl Expr {
    /// The expression's span, when hcl-edit recorded one.
    pub fn span(&self) -> Option<Span> {
        use hcl_edit::Span as _;
        self.expr.span().map(|r| Span::new(self.file, r))
    }
}

/// One module: the `.tf` files of one directory.
#[derive(Debug, Default)]
pub struct Module {
    /// Static path (`module.a.module.b`).
    pub path: ModulePath,
    /// Directory the files were read from.
    pub dir: PathBuf,
    /// `variable` blocks.
    pub variables: IndexMap<String, Variable>,
    /// `locals` entries.
    pub locals: IndexMap<String, Local>,
    /// `output` blocks.
    pub outputs: IndexMap<String, Output>,
    /// `resource` and `data` blocks.
    pub resources: IndexMap<ResourceAddr, Resource>,
    /// `module` blocks.
    pub module_calls: IndexMap<String, ModuleCall>,
    /// `provider` blocks (by `name` or `name.alias`).
    pub providers: IndexMap<String, ProviderBlock>,
    /// The `terraform {}` settings (merged over files).
    pub terraform: TerraformBlock,
    /// `import {}` blocks (root module only).
    pub imports: Vec<ImportBlock>,
    /// `moved {}` blocks.
    pub moved: Vec<MovedBlock>,
    /// `check {}` blocks are parsed and kept but not evaluated.
    pub checks: Vec<Span>,
}

/// A `variable` block.
#[derive(Debug, Clone)]
pub struct Variable {
    /// Name.
    pub name: String,
    /// `type`, unparsed (parsed during evaluation, where defaults can be evaluated).
    pub type_expr: Option<Expr>,
    /// `default`.
    pub default: Option<Expr>,
    /// `description`.
    pub description: Option<String>,
    /// `sensitive = true`.
    pub sensitive: bool,
    /// `nullable` (default true).
    pub nullable: bool,
    /// `ephemeral = true` (accepted, treated like sensitive).
    pub ephemeral: bool,
    /// `validation` blocks.
    pub validations: Vec<CheckRule>,
    /// Span of the block header (`variable "x"`), where Terraform points.
    pub span: Span,
}

/// A condition with its error message (`validation`, `precondition`, `postcondition`).
#[derive(Debug, Clone)]
pub struct CheckRule {
    /// `condition`.
    pub condition: Expr,
    /// `error_message`.
    pub error_message: Option<Expr>,
    /// The block.
    pub span: Span,
}

/// A `locals` entry.
#[derive(Debug, Clone)]
pub struct Local {
    /// Name.
    pub name: String,
    /// Value expression.
    pub value: Expr,
    /// Span of the attribute.
    pub span: Span,
}

/// An `output` block.
#[derive(Debug, Clone)]
pub struct Output {
    /// Name.
    pub name: String,
    /// `value`.
    pub value: Option<Expr>,
    /// `description`.
    pub description: Option<String>,
    /// `sensitive = true`.
    pub sensitive: bool,
    /// `depends_on`.
    pub depends_on: Vec<Reference>,
    /// `precondition` blocks.
    pub preconditions: Vec<CheckRule>,
    /// Span of the block header.
    pub span: Span,
}

/// A reference written in `depends_on` or `ignore_changes`/`replace_triggered_by`.
#[derive(Debug, Clone)]
pub struct Reference {
    /// The traversal expression.
    pub expr: Expr,
    /// Its span.
    pub span: Span,
}

/// `lifecycle` settings of a resource.
#[derive(Debug, Clone, Default)]
pub struct Lifecycle {
    /// `create_before_destroy`.
    pub create_before_destroy: bool,
    /// `prevent_destroy`.
    pub prevent_destroy: bool,
    /// `ignore_changes = all`.
    pub ignore_all_changes: bool,
    /// `ignore_changes = [a, b.c]`: attribute paths (first element the attribute name).
    pub ignore_changes: Vec<Vec<String>>,
    /// `replace_triggered_by`.
    pub replace_triggered_by: Vec<Reference>,
    /// `precondition` blocks.
    pub preconditions: Vec<CheckRule>,
    /// `postcondition` blocks.
    pub postconditions: Vec<CheckRule>,
    /// Check IDs silenced on this resource with `emrform_ignore = ["EMR101"]` is not a
    /// Terraform argument; silencing uses comments (see `ignored_checks`).
    pub span: Option<Span>,
}

/// A `provisioner "TYPE" {}` block of a resource.
#[derive(Debug, Clone)]
pub struct Provisioner {
    /// `local-exec`, `remote-exec`, `file`.
    pub kind: String,
    /// The block.
    pub span: Span,
    /// Its arguments without `when` and `on_failure`.
    pub body: Body,
    /// `when = destroy`.
    pub when_destroy: bool,
    /// `on_failure = continue`.
    pub on_failure_continue: bool,
}

/// A `resource` or `data` block.
#[derive(Debug, Clone)]
pub struct Resource {
    /// `aws_iam_role.this` / `data.aws_region.current`.
    pub addr: ResourceAddr,
    /// `count`.
    pub count: Option<Expr>,
    /// `for_each`.
    pub for_each: Option<Expr>,
    /// `depends_on`.
    pub depends_on: Vec<Reference>,
    /// `provider = aws.alias`.
    pub provider: Option<String>,
    /// `lifecycle`.
    pub lifecycle: Lifecycle,
    /// `provisioner` blocks, in order.
    pub provisioners: Vec<Provisioner>,
    /// The body without meta-arguments (count, for_each, depends_on, provider, lifecycle,
    /// provisioner, connection).
    pub body: Body,
    /// File of the block.
    pub file: FileId,
    /// Span of the block header (`resource "t" "n"`).
    pub span: Span,
    /// Span of the type label.
    pub type_span: Span,
    /// Check or lint rule IDs silenced on this resource by an `# emrform:ignore ID` comment
    /// directly above the block or inside it.
    pub ignored_checks: Vec<String>,
}

/// A `module` block.
#[derive(Debug, Clone)]
pub struct ModuleCall {
    /// Call name.
    pub name: String,
    /// `source` as written.
    pub source: String,
    /// Span of `source`.
    pub source_span: Span,
    /// `version` constraint, when given.
    pub version: Option<String>,
    /// `count`.
    pub count: Option<Expr>,
    /// `for_each`.
    pub for_each: Option<Expr>,
    /// `depends_on`.
    pub depends_on: Vec<Reference>,
    /// Input variables passed: name → (expression, span of the attribute).
    pub inputs: IndexMap<String, (Expr, Span)>,
    /// `providers = { aws = aws.x }`.
    pub providers: Option<Expr>,
    /// Span of the block header.
    pub span: Span,
}

/// A `provider` block.
#[derive(Debug, Clone)]
pub struct ProviderBlock {
    /// Provider name (`aws`).
    pub name: String,
    /// `alias`, when given.
    pub alias: Option<String>,
    /// The body (region, endpoints, default_tags, assume_role, ...), evaluated later.
    pub body: Body,
    /// File of the block.
    pub file: FileId,
    /// Span of the block header.
    pub span: Span,
}

/// `terraform {}` settings.
#[derive(Debug, Clone, Default)]
pub struct TerraformBlock {
    /// `required_version`.
    pub required_version: Option<String>,
    /// `required_providers`: local name → (source, version).
    pub required_providers: IndexMap<String, (Option<String>, Option<String>)>,
    /// `backend "type" { ... }`.
    pub backend: Option<BackendBlock>,
    /// `cloud {}` was given (not supported; kept to say so).
    pub cloud: Option<Span>,
}

/// A `backend` block.
#[derive(Debug, Clone)]
pub struct BackendBlock {
    /// `local`, `s3`, ...
    pub kind: String,
    /// Its body (evaluated without references).
    pub body: Body,
    /// File of the block.
    pub file: FileId,
    /// Span of the block header.
    pub span: Span,
}

/// An `import {}` block.
#[derive(Debug, Clone)]
pub struct ImportBlock {
    /// `to`.
    pub to: Expr,
    /// `id`.
    pub id: Expr,
    /// `for_each`, when given.
    pub for_each: Option<Expr>,
    /// Span of the block.
    pub span: Span,
}

/// A `moved {}` block.
#[derive(Debug, Clone)]
pub struct MovedBlock {
    /// `from`.
    pub from: Expr,
    /// `to`.
    pub to: Expr,
    /// Span of the block.
    pub span: Span,
}
