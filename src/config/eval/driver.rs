//! Evaluating a whole configuration: walks the dependency graph in order and, for every
//! module instance, evaluates variables, locals, module calls (with `count`/`for_each`),
//! resources and data sources (expanded into instances), outputs and provider configurations.

use super::body::eval_resource_body;
use super::expr::{iter_collection, Env, ModuleValues};
use super::imports;
use super::vars::{self, CliVar, RawValue, RawVariable};
use crate::addrs::{
    AbsResource, InstanceKey, ModuleInstance, ModulePath, ResourceAddr, ResourceInstanceAddr,
    ResourceMode,
};
use crate::config::model::{Config, Expr, Module};
use crate::config::schema::{self, ResourceSchema};
use crate::config::types::{convert, parse_type, Type};
use crate::config::value::{Map, Value};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::graph::{self, ConfigGraph, NodeKind};
use hcl_edit::structure::{Body, Structure};
use indexmap::IndexMap;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// What evaluation is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalMode {
    /// `validate`: root variables without a value are unknown; unknown `count`/`for_each` is
    /// fine.
    Validate,
    /// `plan`: every root variable needs a value; instance keys must be known.
    Plan,
}

/// Inputs of an evaluation.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// Validate or plan.
    pub mode: EvalMode,
    /// `--var` and `--var-file`, in command-line order.
    pub cli_vars: Vec<CliVar>,
    /// Environment variables (only `TF_VAR_*` are read).
    pub env: Vec<(String, String)>,
    /// `path.cwd`.
    pub cwd: PathBuf,
    /// `terraform.workspace`.
    pub workspace: String,
    /// Evaluate only the root module's provider configurations and what they refer to (for
    /// setting up clients before planning).
    pub providers_only: bool,
    /// Resources and data sources of types emrform has no schema for evaluate to unknown
    /// values and are listed in [`Evaluated::unchecked`] instead of being refused
    /// (`emrform check` over any Terraform configuration).
    pub allow_unknown_types: bool,
    /// Evaluate the creation-time `local-exec` provisioners of this instance, with `self`
    /// bound to its value, into [`Evaluated::provisioners`].
    pub provision: Option<ResourceInstanceAddr>,
}

impl EvalOptions {
    /// Options for `mode` with the process environment and working directory.
    pub fn from_env(mode: EvalMode) -> Self {
        EvalOptions {
            mode,
            cli_vars: Vec::new(),
            env: std::env::vars()
                .filter(|(k, _)| k.starts_with("TF_VAR_"))
                .collect(),
            cwd: std::env::current_dir().unwrap_or_default(),
            workspace: "default".into(),
            providers_only: false,
            allow_unknown_types: false,
            provision: None,
        }
    }
}

/// Supplies the value of a resource instance from its configuration: unknowns for
/// `validate`, planned values for `plan`, data read from AWS for data sources.
pub trait ResourceResolver {
    /// The value references to this instance will see.
    fn resolve(&mut self, inst: &ResolveRequest<'_>) -> Value;
}

/// What a resolver is asked about.
pub struct ResolveRequest<'a> {
    /// The instance.
    pub addr: &'a ResourceInstanceAddr,
    /// Its evaluated configuration (every schema attribute present, null when unset).
    pub config: &'a Value,
    /// Its schema.
    pub schema: &'static ResourceSchema,
    /// The evaluated configuration of its provider, if one is declared.
    pub provider: Option<&'a Value>,
    /// The id an `import {}` block gives this instance.
    pub import_id: Option<&'a str>,
}

/// A resolver that knows nothing remote: computed attributes are unknown, defaults are
/// filled in, and data sources that need no AWS call (`aws_iam_policy_document`,
/// `aws_partition`, `aws_region` from the provider's region) are computed.
pub struct UnknownResolver;

impl ResourceResolver for UnknownResolver {
    fn resolve(&mut self, req: &ResolveRequest<'_>) -> Value {
        let planned = planned_from_config(req.config, &req.schema.body);
        if req.addr.resource.mode == ResourceMode::Data {
            if let Some(v) = local_data_source(
                req.addr.resource.type_name.as_str(),
                req.config,
                req.provider,
            ) {
                return merge_known(planned, v);
            }
        }
        planned
    }
}

/// Data sources computed without AWS.
pub fn local_data_source(
    type_name: &str,
    config: &Value,
    provider: Option<&Value>,
) -> Option<Value> {
    let region = provider
        .and_then(|p| p.get("region"))
        .and_then(Value::as_str)
        .map(str::to_string);
    match type_name {
        "aws_partition" => {
            let (p, suffix) = match region.as_deref() {
                Some(r) if r.starts_with("cn-") => ("aws-cn", "amazonaws.com.cn"),
                Some(r) if r.starts_with("us-gov-") => ("aws-us-gov", "amazonaws.com"),
                Some(_) => ("aws", "amazonaws.com"),
                None => return None,
            };
            Some(Value::map([
                ("id", Value::string(p)),
                ("partition", Value::string(p)),
                ("dns_suffix", Value::string(suffix)),
                (
                    "reverse_dns_prefix",
                    Value::string(suffix.split('.').rev().collect::<Vec<_>>().join(".")),
                ),
            ]))
        }
        "aws_region" => {
            let r = config
                .get("name")
                .and_then(Value::as_str)
                .or_else(|| config.get("region").and_then(Value::as_str))
                .map(str::to_string)
                .or(region)?;
            Some(Value::map([
                ("id", Value::string(r.clone())),
                ("name", Value::string(r.clone())),
                ("region", Value::string(r.clone())),
                ("endpoint", Value::string(format!("ec2.{r}.amazonaws.com"))),
            ]))
        }
        "aws_iam_policy_document" => {
            if !config.is_wholly_known() {
                return None;
            }
            super::policy_document::computed_attributes(config).ok()
        }
        _ => None,
    }
}

fn merge_known(base: Value, over: Value) -> Value {
    match (base, over) {
        (Value::Map(mut b), Value::Map(o)) => {
            for (k, v) in o {
                b.insert(k, v);
            }
            Value::Map(b)
        }
        (_, o) => o,
    }
}

/// The value a resource will have after apply as far as configuration tells: unset optional
/// attributes take their default, unset computed attributes are unknown.
pub fn planned_from_config(config: &Value, schema: &schema::Body) -> Value {
    let Value::Map(m) = config else {
        return config.clone();
    };
    let mut out = m.clone();
    for a in &schema.attributes {
        let cur = out.get(a.name).cloned().unwrap_or(Value::Null);
        if cur.is_null() {
            if let Some(d) = &a.default {
                out.insert(a.name.to_string(), d.clone());
            } else if a.computed {
                out.insert(a.name.to_string(), Value::Unknown);
            }
        }
    }
    for b in &schema.blocks {
        if let Some(Value::List(items)) | Some(Value::Set(items)) = out.get(b.name).cloned() {
            let items: Vec<Value> = items
                .iter()
                .map(|i| planned_from_config(i, &b.body))
                .collect();
            let v = if matches!(out.get(b.name), Some(Value::Set(_))) {
                Value::set(items)
            } else {
                Value::List(items)
            };
            out.insert(b.name.to_string(), v);
        }
        if b.computed
            && matches!(out.get(b.name), Some(Value::List(v)) | Some(Value::Set(v)) if v.is_empty())
        {
            out.insert(b.name.to_string(), Value::Unknown);
        }
    }
    Value::Map(out)
}

/// One evaluated resource instance.
#[derive(Debug, Clone)]
pub struct InstanceValue {
    /// Its address.
    pub addr: ResourceInstanceAddr,
    /// Evaluated configuration.
    pub config: Value,
    /// The value the resolver gave it.
    pub value: Value,
    /// Its schema.
    pub schema: &'static ResourceSchema,
    /// The provider configuration key (`aws` or `aws.alias`).
    pub provider_key: String,
}

/// How a resource of a module instance expanded.
#[derive(Debug, Clone, PartialEq)]
pub enum Expansion {
    /// No count/for_each.
    Single,
    /// `count = N`.
    Count(usize),
    /// `for_each` keys.
    ForEach(Vec<String>),
    /// Not known until apply.
    Unknown,
}

/// A root output.
#[derive(Debug, Clone)]
pub struct OutputValue {
    /// The value.
    pub value: Value,
    /// `sensitive = true`.
    pub sensitive: bool,
}

/// An instance an `import {}` block targets.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportInstance {
    /// The evaluated `id`.
    pub id: String,
    /// The import block.
    pub span: Span,
}

/// The result of evaluating a configuration.
#[derive(Debug, Default)]
pub struct Evaluated {
    /// Instances targeted by `import {}` blocks, with their ids.
    pub imports: IndexMap<ResourceInstanceAddr, ImportInstance>,
    /// Every resource instance, in evaluation order.
    pub instances: IndexMap<ResourceInstanceAddr, InstanceValue>,
    /// How each resource of each module instance expanded.
    pub expansions: IndexMap<AbsResource, Expansion>,
    /// Root outputs.
    pub outputs: IndexMap<String, OutputValue>,
    /// Provider configurations of the root module by key (`aws`, `aws.east`).
    pub providers: IndexMap<String, Value>,
    /// The backend configuration, evaluated.
    pub backend: Option<(String, Value)>,
    /// Values of every module instance.
    pub module_values: HashMap<ModuleInstance, ModuleValues>,
    /// The dependency graph.
    pub graph: std::sync::Arc<ConfigGraph>,
    /// Resources and data sources of types emrform does not know, when
    /// [`EvalOptions::allow_unknown_types`] let them through (their values are unknown).
    pub unchecked: Vec<UnplannableType>,
    /// The `local-exec` provisioners of [`EvalOptions::provision`], evaluated.
    pub provisioners: Vec<LocalExec>,
}

/// A `local-exec` provisioner, evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalExec {
    /// The command.
    pub command: String,
    /// Working directory, if set.
    pub working_dir: Option<String>,
    /// The interpreter and its arguments (`["/bin/sh", "-c"]` when empty).
    pub interpreter: Vec<String>,
    /// Extra environment variables.
    pub environment: Vec<(String, String)>,
    /// Do not echo the command.
    pub quiet: bool,
    /// `on_failure = continue`.
    pub on_failure_continue: bool,
}

/// A resource or data source block whose type emrform cannot plan.
#[derive(Debug, Clone, PartialEq)]
pub struct UnplannableType {
    /// `resource` or `data source`.
    pub what: &'static str,
    /// The address of the block (`module.etl.aws_lambda_function.f`).
    pub address: String,
    /// The type name.
    pub type_name: String,
    /// Where the type label is.
    pub span: Span,
    /// A known type with a close name, when the name looks like a typo.
    pub did_you_mean: Option<String>,
}

/// The one refusal of a configuration that uses types emrform cannot plan: every such block
/// is a label (file:line:col), and the help points at `emrform check`.
pub fn unplannable_types_diagnostic(items: &[UnplannableType]) -> Option<Diagnostic> {
    let first = items.first()?;
    let mut types: Vec<&str> = items.iter().map(|i| i.type_name.as_str()).collect();
    types.sort_unstable();
    types.dedup();
    let message = if types.len() == 1 {
        format!(
            "this configuration uses a {} type emrform cannot plan: {}",
            if first.what == "data source" {
                "data source"
            } else {
                "resource"
            },
            types[0]
        )
    } else {
        format!(
            "this configuration uses {} types emrform cannot plan: {}",
            types.len(),
            types.join(", ")
        )
    };
    let mut d = Diagnostic::error("unplannable-types", message);
    for i in items {
        let text = match &i.did_you_mean {
            Some(s) => format!(
                "{} is not planned by emrform (did you mean \"{s}\"?)",
                i.address
            ),
            None => format!("{} is not planned by emrform", i.address),
        };
        d = d.with_label(i.span, text);
    }
    Some(d.with_help(
        "emrform plans and applies EMR Serverless stacks (EMR Serverless, IAM, VPC networking, ECR, S3, KMS, CloudWatch Logs and the built-in helpers; see \"Supported types\" in the README). To keep planning this configuration with Terraform and still get emrform's checks and policy lint, run `emrform check` (over the directory, or over `terraform show -json` output).",
    ))
}

/// Evaluates `config`. Files read for variables are added to `config.sources`.
pub fn evaluate(
    config: &mut Config,
    opts: &EvalOptions,
    resolver: &mut dyn ResourceResolver,
) -> (Evaluated, Diagnostics) {
    let root_dir = config.root().dir.clone();
    let (raw_vars, mut diags) =
        vars::gather(&root_dir, &opts.cli_vars, &opts.env, &mut config.sources);
    let config = &*config;
    let graph = config
        .graph
        .get_or_init(|| std::sync::Arc::new(graph::build(config)))
        .clone();
    let order = match graph.order(&config.sources) {
        Ok(o) => o,
        Err(cycles) => {
            diags.extend(Diagnostics(cycles));
            return (
                Evaluated {
                    graph,
                    ..Evaluated::default()
                },
                diags,
            );
        }
    };
    // Values given for undeclared root variables.
    for (name, raw) in &raw_vars {
        if !config.root().variables.contains_key(name) {
            match raw.source {
                vars::VarSource::Cli => diags.push(
                    Diagnostic::error(
                        "undeclared-variable",
                        format!("a value was given for undeclared variable \"{name}\""),
                    )
                    .with_help("Declare it with a variable block, or remove the --var."),
                ),
                vars::VarSource::File(_) => diags.push(
                    Diagnostic::warning(
                        "undeclared-variable",
                        format!("value for undeclared variable \"{name}\""),
                    )
                    .with_opt_label(raw.span, "no variable block declares this")
                    .with_help(
                        "Terraform ignores it too; declare the variable or remove the value.",
                    ),
                ),
                vars::VarSource::Env => {}
            }
        }
    }
    let mut d = Driver {
        config,
        opts,
        resolver,
        diags,
        values: HashMap::new(),
        instances_of: HashMap::new(),
        phantom: HashSet::new(),
        raw_vars,
        out: Evaluated::default(),
        type_cache: HashMap::new(),
        unsupported: HashSet::new(),
        unplannable: Vec::new(),
        imports_seen: HashSet::new(),
        import_targets: IndexMap::new(),
        root_dir,
    };
    d.instances_of
        .insert(ModulePath::root(), vec![ModuleInstance::root()]);
    d.values
        .insert(ModuleInstance::root(), ModuleValues::default());
    d.eval_backend();
    let needed: Option<HashSet<petgraph::graph::NodeIndex>> = opts.providers_only.then(|| {
        let mut seen = HashSet::new();
        let mut stack: Vec<_> = graph
            .graph
            .node_indices()
            .filter(|&i| {
                graph.graph[i].module.is_root()
                    && matches!(graph.graph[i].kind, NodeKind::Provider(_))
            })
            .collect();
        while let Some(n) = stack.pop() {
            if seen.insert(n) {
                stack.extend(
                    graph
                        .graph
                        .neighbors_directed(n, petgraph::Direction::Incoming),
                );
            }
        }
        seen
    });
    for ix in order {
        if needed.as_ref().is_some_and(|n| !n.contains(&ix)) {
            continue;
        }
        let node = graph.graph[ix].clone();
        let insts = d
            .instances_of
            .get(&node.module)
            .cloned()
            .unwrap_or_default();
        for mi in insts {
            d.eval_node(&node.kind, &mi);
        }
    }
    if !opts.providers_only {
        d.check_imports();
    }
    let mut diags = d.diags;
    let mut unplannable = std::mem::take(&mut d.unplannable);
    unplannable.sort_by_key(|u| (u.span.file, u.span.start));
    if opts.allow_unknown_types {
        d.out.unchecked = unplannable;
    } else if let Some(diag) = unplannable_types_diagnostic(&unplannable) {
        diags.push(diag);
    }
    dedupe(&mut diags);
    let mut out = d.out;
    out.module_values = d.values;
    out.graph = graph;
    (out, diags)
}

/// An instance key written in an import target.
fn import_key(env: &mut Env<'_>, k: imports::KeyExpr<'_>) -> Result<InstanceKey, Diagnostic> {
    match k {
        imports::KeyExpr::Int(n) => Ok(InstanceKey::Int(n as i64)),
        imports::KeyExpr::Expr(e) => match env.eval(e)? {
            Value::String(s) => Ok(InstanceKey::Str(s)),
            Value::Number(n) if n >= 0.0 && n.fract() == 0.0 => Ok(InstanceKey::Int(n as i64)),
            Value::Unknown => Err(Diagnostic::error(
                "invalid-import",
                "the instance key of an import target must be known at plan time",
            )),
            other => Err(Diagnostic::error(
                "invalid-import",
                format!(
                    "an instance key must be a string or a whole number, got {}",
                    other.type_name()
                ),
            )),
        },
    }
}

fn dedupe(diags: &mut Diagnostics) {
    let mut seen = HashSet::new();
    diags
        .0
        .retain(|d| seen.insert((d.code, d.message.clone(), d.primary_span())));
}

struct Driver<'a> {
    config: &'a Config,
    opts: &'a EvalOptions,
    resolver: &'a mut dyn ResourceResolver,
    diags: Diagnostics,
    values: HashMap<ModuleInstance, ModuleValues>,
    instances_of: HashMap<ModulePath, Vec<ModuleInstance>>,
    /// Module instances evaluated only to check their contents (their call's expansion was
    /// unknown): their resources are not real instances.
    phantom: HashSet<ModuleInstance>,
    raw_vars: HashMap<String, RawVariable>,
    out: Evaluated,
    type_cache: HashMap<(ModulePath, String), Option<Type>>,
    unsupported: HashSet<(ModulePath, ResourceAddr)>,
    /// Blocks of types without a schema, in evaluation order.
    unplannable: Vec<UnplannableType>,
    /// Import blocks whose target resource was evaluated.
    imports_seen: HashSet<usize>,
    /// Every instance an import block names, with the block.
    import_targets: IndexMap<ResourceInstanceAddr, Span>,
    root_dir: PathBuf,
}

impl<'a> Driver<'a> {
    fn module(&self, mi: &ModuleInstance) -> &'a Module {
        let path = mi.module_path();
        match self.config.module(&path) {
            Some(m) => m,
            None => self.config.root(),
        }
    }

    fn base_bindings(&self, m: &Module) -> Vec<(String, Value)> {
        vec![
            (
                "path".into(),
                Value::map([
                    ("module", Value::string(rel(&self.opts.cwd, &m.dir))),
                    ("root", Value::string(rel(&self.opts.cwd, &self.root_dir))),
                    (
                        "cwd",
                        Value::string(self.opts.cwd.to_string_lossy().to_string()),
                    ),
                ]),
            ),
            (
                "terraform".into(),
                Value::map([("workspace", Value::string(self.opts.workspace.clone()))]),
            ),
        ]
    }

    /// Runs `f` with an [`Env`] over the values of `mi`.
    fn with_env<T>(
        &mut self,
        mi: &ModuleInstance,
        file: crate::diag::FileId,
        fallback: Span,
        extra: Vec<(String, Value)>,
        f: impl FnOnce(&mut Env<'_>, &mut Diagnostics) -> T,
    ) -> T {
        let m = self.module(mi);
        let values = self.values.remove(mi).unwrap_or_default();
        let mut bindings = self.base_bindings(m);
        bindings.extend(extra);
        let cwd = self.opts.cwd.clone();
        let root_dir = self.root_dir.clone();
        let mut env = Env {
            values: &values,
            module: m,
            bindings,
            file,
            fallback,
            root_dir: &root_dir,
            cwd: &cwd,
        };
        let r = f(&mut env, &mut self.diags);
        drop(env);
        self.values.insert(mi.clone(), values);
        r
    }

    fn eval_expr(
        &mut self,
        mi: &ModuleInstance,
        e: &Expr,
        extra: Vec<(String, Value)>,
    ) -> Option<Value> {
        let fallback = e.span().unwrap_or(Span::new(e.file, 0..0));
        self.with_env(mi, e.file, fallback, extra, |env, diags| {
            match env.eval(&e.expr) {
                Ok(v) => Some(v),
                Err(d) => {
                    diags.push(d);
                    None
                }
            }
        })
    }

    fn eval_node(&mut self, kind: &NodeKind, mi: &ModuleInstance) {
        match kind {
            NodeKind::Variable(n) => self.eval_variable(mi, n),
            NodeKind::Local(n) => {
                let Some(l) = self.module(mi).locals.get(n) else {
                    return;
                };
                let v = self
                    .eval_expr(mi, &l.value, Vec::new())
                    .unwrap_or(Value::Unknown);
                self.values
                    .entry(mi.clone())
                    .or_default()
                    .locals
                    .insert(n.clone(), v);
            }
            NodeKind::Output(n) => self.eval_output(mi, n),
            NodeKind::Resource(a) => self.eval_resource(mi, a),
            NodeKind::ModuleCall(n) => self.eval_module_call(mi, n),
            NodeKind::Provider(k) => self.eval_provider(mi, k),
        }
    }

    fn var_type(&mut self, mi: &ModuleInstance, name: &str) -> Option<Type> {
        let key = (mi.module_path(), name.to_string());
        if let Some(t) = self.type_cache.get(&key) {
            return t.clone();
        }
        let m = self.module(mi);
        let v = m.variables.get(name)?;
        let t = match &v.type_expr {
            None => None,
            Some(te) => {
                let eval_default = |e: &hcl_edit::expr::Expression| -> Result<Value, String> {
                    constant(e).map_err(|d| d.message)
                };
                match parse_type(&te.expr, &eval_default) {
                    Ok(t) => Some(t),
                    Err(msg) => {
                        self.diags.push(
                            Diagnostic::error(
                                "invalid-type",
                                format!("invalid type constraint for variable \"{name}\": {msg}"),
                            )
                            .with_opt_label(te.span(), ""),
                        );
                        None
                    }
                }
            }
        };
        self.type_cache.insert(key, t.clone());
        t
    }

    fn eval_variable(&mut self, mi: &ModuleInstance, name: &str) {
        let m = self.module(mi);
        let Some(decl) = m.variables.get(name) else {
            return;
        };
        let ty = self.var_type(mi, name);
        let decl_loc = self.config.sources.location(decl.span);
        let mut value: Option<(Value, Option<Span>)> = None;
        if mi.is_root() {
            if let Some(raw) = self.raw_vars.get(name).cloned() {
                let v = match &raw.value {
                    RawValue::Text(t) => {
                        let primitive = matches!(
                            ty,
                            None | Some(Type::String)
                                | Some(Type::Number)
                                | Some(Type::Bool)
                                | Some(Type::Any)
                        );
                        if primitive {
                            Ok(Value::String(t.clone()))
                        } else {
                            hcl_edit::parser::parse_expr(t)
                                .map_err(|e| {
                                    Diagnostic::error(
                                        "invalid-variable-value",
                                        format!(
                                            "invalid value for variable \"{name}\": {}",
                                            e.message()
                                        ),
                                    )
                                })
                                .and_then(|e| constant(&e))
                        }
                    }
                    RawValue::Expr(e) => {
                        let fallback = e.span().unwrap_or(Span::new(e.file, 0..0));
                        constant(&e.expr).map_err(|mut d| {
                            if d.labels.is_empty() {
                                d = d.with_label(fallback, "");
                            }
                            d
                        })
                    }
                };
                match v {
                    Ok(v) => value = Some((v, raw.span)),
                    Err(d) => {
                        self.diags.push(d);
                        value = Some((Value::Unknown, raw.span));
                    }
                }
            }
        } else {
            let parent = mi.parent();
            let call_name = mi.0.last().map(|s| s.name.clone()).unwrap_or_default();
            let pm = self.module(&parent);
            if let Some(call) = pm.module_calls.get(&call_name) {
                if let Some((e, span)) = call.inputs.get(name) {
                    let extra = self.call_bindings(mi);
                    let v = self.eval_expr(&parent, e, extra).unwrap_or(Value::Unknown);
                    value = Some((v, e.span().or(Some(*span))));
                }
            }
        }
        let is_null_value = value.as_ref().is_some_and(|(v, _)| v.is_null());
        if value.is_none() || (is_null_value && !decl.nullable) {
            if let Some(def) = &decl.default {
                match constant(&def.expr) {
                    Ok(v) => value = Some((v, def.span())),
                    Err(d) => {
                        self.diags.push(d.with_opt_label(
                            def.span(),
                            "variable defaults cannot refer to other values",
                        ));
                        value = Some((Value::Unknown, def.span()));
                    }
                }
            }
        }
        let (v, vspan) = match value {
            Some(x) => x,
            None => {
                if mi.is_root() {
                    if self.opts.mode == EvalMode::Plan {
                        self.diags.push(
                            Diagnostic::error("missing-variable", format!("no value for required variable \"{name}\""))
                                .with_label(decl.span, "declared here without a default")
                                .with_help(format!(
                                    "The root module input variable \"{name}\" is not set, and has no default value. Use a --var or --var-file command line argument, a terraform.tfvars file or the TF_VAR_{name} environment variable to provide a value."
                                )),
                        );
                    }
                } else {
                    let parent = mi.parent();
                    let call_name = mi.0.last().map(|s| s.name.clone()).unwrap_or_default();
                    if let Some(call) = self.module(&parent).module_calls.get(&call_name) {
                        self.diags.push(
                            Diagnostic::error("missing-argument", format!("the argument \"{name}\" is required by module \"{call_name}\", but no definition was found"))
                                .with_label(call.span, format!("add {name} = ..."))
                                .with_label(decl.span, "declared here"),
                        );
                    }
                }
                (Value::Unknown, None)
            }
        };
        let v = match &ty {
            Some(t) => match convert(&v, t) {
                Ok(c) => c,
                Err(msg) => {
                    let span = vspan.unwrap_or(decl.span);
                    self.diags.push(
                        Diagnostic::error("invalid-variable-value", format!("invalid value for input variable \"{name}\""))
                            .with_label(span, msg.to_string())
                            .with_label(decl.span, format!("declared as {t}"))
                            .with_help(format!("The given value is not suitable for var.{name} declared at {decl_loc}: {msg}.")),
                    );
                    Value::Unknown
                }
            },
            None => v,
        };
        if v.is_null() && !decl.nullable {
            self.diags.push(
                Diagnostic::error(
                    "null-variable",
                    format!("variable \"{name}\" must not be null"),
                )
                .with_opt_label(vspan, "null given")
                .with_label(decl.span, "declared with nullable = false"),
            );
        }
        self.values
            .entry(mi.clone())
            .or_default()
            .vars
            .insert(name.to_string(), v.clone());
        // validation blocks
        if v.is_wholly_known() {
            for rule in &decl.validations {
                let cond = self.eval_expr(mi, &rule.condition, Vec::new());
                if matches!(cond, Some(Value::Bool(false))) {
                    let msg = rule
                        .error_message
                        .as_ref()
                        .and_then(|e| self.eval_expr(mi, e, Vec::new()))
                        .and_then(|m| m.as_str().map(str::to_string))
                        .unwrap_or_else(|| {
                            "the value does not satisfy the validation condition".into()
                        });
                    self.diags.push(
                        Diagnostic::error(
                            "invalid-variable-value",
                            format!("invalid value for variable \"{name}\""),
                        )
                        .with_opt_label(vspan, "this value")
                        .with_opt_label(rule.condition.span(), "fails this condition")
                        .with_help(msg),
                    );
                }
            }
        }
    }

    /// `count.index`/`each.*` of a module instance, for its call's inputs.
    fn call_bindings(&self, mi: &ModuleInstance) -> Vec<(String, Value)> {
        match mi.0.last().and_then(|s| s.key.clone()) {
            Some(InstanceKey::Int(i)) => vec![(
                "count".into(),
                Value::map([("index", Value::Number(i as f64))]),
            )],
            Some(InstanceKey::Str(k)) => {
                let parent = mi.parent();
                let call = mi.0.last().map(|s| s.name.clone()).unwrap_or_default();
                let each_value = self
                    .values
                    .get(&parent)
                    .and_then(|v| v.modules.get(&format!("\u{0}each:{call}")))
                    .and_then(|m| m.get(&k))
                    .cloned()
                    .unwrap_or(Value::string(k.clone()));
                vec![(
                    "each".into(),
                    Value::map([("key", Value::string(k)), ("value", each_value)]),
                )]
            }
            None => Vec::new(),
        }
    }

    fn eval_output(&mut self, mi: &ModuleInstance, name: &str) {
        let Some(o) = self.module(mi).outputs.get(name) else {
            return;
        };
        let v = match &o.value {
            Some(e) => self.eval_expr(mi, e, Vec::new()).unwrap_or(Value::Unknown),
            None => Value::Null,
        };
        self.values
            .entry(mi.clone())
            .or_default()
            .outputs
            .insert(name.to_string(), v.clone());
        if mi.is_root() {
            self.out.outputs.insert(
                name.to_string(),
                OutputValue {
                    value: v,
                    sensitive: o.sensitive,
                },
            );
        } else {
            self.refresh_parent_module_value(mi);
        }
    }

    /// Rebuilds `module.NAME` in the parent of `child` from the outputs of all its instances.
    fn refresh_parent_module_value(&mut self, child: &ModuleInstance) {
        let parent = child.parent();
        let Some(step) = child.0.last() else { return };
        let call = step.name.clone();
        let insts: Vec<ModuleInstance> = self
            .instances_of
            .get(&child.module_path())
            .map(|v| v.iter().filter(|i| i.parent() == parent).cloned().collect())
            .unwrap_or_default();
        if insts.iter().any(|i| self.phantom.contains(i)) {
            return;
        }
        let outputs_of = |i: &ModuleInstance| -> Value {
            Value::Map(
                self.values
                    .get(i)
                    .map(|v| {
                        v.outputs
                            .iter()
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
            )
        };
        let v = match insts
            .first()
            .and_then(|i| i.0.last())
            .and_then(|s| s.key.clone())
        {
            None if insts.len() == 1 => outputs_of(&insts[0]),
            Some(InstanceKey::Int(_)) => Value::List(insts.iter().map(outputs_of).collect()),
            Some(InstanceKey::Str(_)) => Value::Map(
                insts
                    .iter()
                    .filter_map(|i| match i.0.last().and_then(|s| s.key.clone()) {
                        Some(InstanceKey::Str(k)) => Some((k, outputs_of(i))),
                        _ => None,
                    })
                    .collect(),
            ),
            None => Value::List(Vec::new()),
        };
        self.values
            .entry(parent)
            .or_default()
            .modules
            .insert(call, v);
    }

    fn eval_module_call(&mut self, mi: &ModuleInstance, name: &str) {
        let m = self.module(mi);
        let Some(call) = m.module_calls.get(name) else {
            return;
        };
        let child_path = mi.module_path().child(name);
        if self.config.module(&child_path).is_none() {
            // The child failed to load; its errors were reported by the loader.
            self.values
                .entry(mi.clone())
                .or_default()
                .modules
                .insert(name.to_string(), Value::Unknown);
            return;
        }
        let expansion = self.expand(
            mi,
            call.count.as_ref(),
            call.for_each.as_ref(),
            &format!("module.{name}"),
            call.span,
        );
        let phantom_parent = self.phantom.contains(mi);
        let mut children = Vec::new();
        let mut phantom = phantom_parent;
        match &expansion {
            Expanded::Single => children.push(mi.child(name, None)),
            Expanded::Keys(keys) => {
                if let Some(eachmap) = keys
                    .iter()
                    .map(|(k, v)| match k {
                        InstanceKey::Str(s) => Some((s.clone(), v.clone())),
                        _ => None,
                    })
                    .collect::<Option<Map>>()
                {
                    self.values
                        .entry(mi.clone())
                        .or_default()
                        .modules
                        .insert(format!("\u{0}each:{name}"), Value::Map(eachmap));
                }
                for (k, _) in keys {
                    children.push(mi.child(name, Some(k.clone())));
                }
            }
            Expanded::Unknown => {
                phantom = true;
                children.push(mi.child(name, None));
            }
        }
        let list = self.instances_of.entry(child_path.clone()).or_default();
        for c in &children {
            if !list.contains(c) {
                list.push(c.clone());
            }
        }
        for c in &children {
            self.values.entry(c.clone()).or_default();
            if phantom {
                self.phantom.insert(c.clone());
            }
        }
        let initial = match &expansion {
            Expanded::Unknown => Value::Unknown,
            Expanded::Single => Value::Map(Map::new()),
            Expanded::Keys(k) if matches!(k.first(), Some((InstanceKey::Int(_), _))) => {
                Value::List(vec![Value::Map(Map::new()); k.len()])
            }
            Expanded::Keys(_) => Value::Map(
                children
                    .iter()
                    .filter_map(|c| match c.0.last().and_then(|s| s.key.clone()) {
                        Some(InstanceKey::Str(k)) => Some((k, Value::Map(Map::new()))),
                        _ => None,
                    })
                    .collect(),
            ),
        };
        let initial = if phantom_parent {
            Value::Unknown
        } else {
            initial
        };
        self.values
            .entry(mi.clone())
            .or_default()
            .modules
            .insert(name.to_string(), initial);
        // Check the inputs against the child's variables once per call.
        if mi.0.iter().all(|s| s.key.is_none()) {
            if let Some(cm) = self.config.module(&child_path) {
                for (input, (_, span)) in &call.inputs {
                    if !cm.variables.contains_key(input) {
                        let mut d = Diagnostic::error("unsupported-argument", format!("an argument named \"{input}\" is not expected here: module \"{name}\" declares no such variable"))
                            .with_label(*span, "not declared by the module");
                        if let Some(s) = crate::config::suggest::did_you_mean(
                            input,
                            cm.variables.keys().map(String::as_str),
                        ) {
                            d = d.with_help(format!("Did you mean \"{s}\"?"));
                        }
                        self.diags.push(d);
                    }
                }
            }
        }
    }

    fn eval_provider(&mut self, mi: &ModuleInstance, key: &str) {
        let Some(p) = self.module(mi).providers.get(key) else {
            return;
        };
        let v = self.with_env(mi, p.file, p.span, Vec::new(), |env, diags| {
            eval_untyped_body(env, &p.body, diags)
        });
        if mi.is_root() {
            self.out.providers.insert(key.to_string(), v);
        }
    }

    fn eval_backend(&mut self) {
        let Some(b) = &self.config.root().terraform.backend else {
            return;
        };
        let mut m = Map::new();
        for a in b.body.attributes() {
            match constant(&a.value) {
                Ok(v) => {
                    m.insert(a.key.as_str().to_string(), v);
                }
                Err(d) => self.diags.push(
                    Diagnostic::error(
                        "invalid-backend",
                        format!("backend \"{}\": {}", b.kind, d.message),
                    )
                    .with_label(
                        b.span,
                        "backend settings cannot refer to variables or other values",
                    ),
                ),
            }
        }
        for blk in b.body.blocks() {
            let mut inner = Map::new();
            for a in blk.body.attributes() {
                if let Ok(v) = constant(&a.value) {
                    inner.insert(a.key.as_str().to_string(), v);
                }
            }
            m.insert(blk.ident.as_str().to_string(), Value::Map(inner));
        }
        self.out.backend = Some((b.kind.clone(), Value::Map(m)));
    }

    /// Evaluates count/for_each into instance keys.
    fn expand(
        &mut self,
        mi: &ModuleInstance,
        count: Option<&Expr>,
        for_each: Option<&Expr>,
        what: &str,
        header: Span,
    ) -> Expanded {
        if let Some(c) = count {
            let v = self.eval_expr(mi, c, Vec::new());
            let sp = c.span().unwrap_or(header);
            return match v {
                None => Expanded::Unknown,
                Some(Value::Unknown) => self.unknown_expansion(what, "count", sp),
                Some(v) => match super::expr::to_number(&v) {
                    Some(n) if n >= 0.0 && n.fract() == 0.0 => Expanded::Keys(
                        (0..n as i64)
                            .map(|i| (InstanceKey::Int(i), Value::Null))
                            .collect(),
                    ),
                    _ => {
                        self.diags.push(Diagnostic::error("invalid-count", format!("invalid count for {what}: a whole number of zero or more is required, got {v}")).with_label(sp, ""));
                        Expanded::Unknown
                    }
                },
            };
        }
        if let Some(f) = for_each {
            let v = self.eval_expr(mi, f, Vec::new());
            let sp = f.span().unwrap_or(header);
            return match v {
                None => Expanded::Unknown,
                Some(Value::Unknown) => self.unknown_expansion(what, "for_each", sp),
                Some(Value::Map(m)) => Expanded::Keys(
                    m.into_iter()
                        .map(|(k, v)| (InstanceKey::Str(k), v))
                        .collect(),
                ),
                Some(Value::Set(items)) => {
                    let mut keys = Vec::new();
                    for it in items {
                        match it {
                            Value::String(s) => {
                                keys.push((InstanceKey::Str(s.clone()), Value::String(s)))
                            }
                            Value::Unknown => return self.unknown_expansion(what, "for_each", sp),
                            other => {
                                self.diags.push(Diagnostic::error("invalid-for-each", format!("invalid for_each for {what}: a set of strings is required, but it contains a {}", other.type_name())).with_label(sp, ""));
                                return Expanded::Unknown;
                            }
                        }
                    }
                    Expanded::Keys(keys)
                }
                Some(Value::Null) => {
                    self.diags.push(
                        Diagnostic::error(
                            "invalid-for-each",
                            format!("invalid for_each for {what}: the given value is null"),
                        )
                        .with_label(sp, "")
                        .with_help("Use an empty map or set, {} or toset([]), for no instances."),
                    );
                    Expanded::Unknown
                }
                Some(other) => {
                    self.diags.push(
                        Diagnostic::error("invalid-for-each", format!("invalid for_each for {what}: it must be a map, or set of strings, and you have provided a value of type {}", other.type_name()))
                            .with_label(sp, "")
                            .with_help("Convert a list to a set with toset(...), or build a map with a for expression."),
                    );
                    Expanded::Unknown
                }
            };
        }
        Expanded::Single
    }

    fn unknown_expansion(&mut self, what: &str, arg: &str, span: Span) -> Expanded {
        if self.opts.mode == EvalMode::Plan {
            self.diags.push(
                Diagnostic::error("unknown-expansion", format!("invalid {arg} for {what}: the value depends on resource attributes that cannot be determined until apply"))
                    .with_label(span, "known only after apply")
                    .with_help(format!("Make the {arg} depend only on values known at plan time (variables, locals, data sources), or apply the resources it depends on first with --target.")),
            );
        }
        Expanded::Unknown
    }

    fn eval_resource(&mut self, mi: &ModuleInstance, addr: &ResourceAddr) {
        let m = self.module(mi);
        let Some(r) = m.resources.get(addr) else {
            return;
        };
        let schema = match addr.mode {
            ResourceMode::Managed => schema::managed_resource(&addr.type_name),
            ResourceMode::Data => schema::data_source(&addr.type_name),
        };
        let Some(schema) = schema else {
            if self.unsupported.insert((mi.module_path(), addr.clone())) {
                let registry = schema::Registry::global();
                let names = match addr.mode {
                    ResourceMode::Managed => registry.managed_names(),
                    ResourceMode::Data => registry.data_names(),
                };
                let what = if addr.mode == ResourceMode::Data {
                    "data source"
                } else {
                    "resource"
                };
                let prefix = mi.module_path().to_string();
                let address = if prefix.is_empty() {
                    addr.to_string()
                } else {
                    format!("{prefix}.{addr}")
                };
                self.unplannable.push(UnplannableType {
                    what,
                    address,
                    type_name: addr.type_name.clone(),
                    span: r.type_span,
                    // Only a near-miss is a typo worth naming; other types are simply
                    // outside what emrform plans.
                    did_you_mean: crate::config::suggest::did_you_mean(
                        &addr.type_name,
                        names.iter().copied(),
                    )
                    .filter(|s| strsim::levenshtein(s, &addr.type_name) <= 2)
                    .map(str::to_string),
                });
            }
            self.values
                .entry(mi.clone())
                .or_default()
                .resources
                .insert(addr.clone(), Value::Unknown);
            return;
        };
        let abs = AbsResource {
            module: mi.clone(),
            resource: addr.clone(),
        };
        let what = abs.to_string();
        let expansion = self.expand(mi, r.count.as_ref(), r.for_each.as_ref(), &what, r.span);
        let prefix = addr.type_name.split('_').next().unwrap_or("").to_string();
        let provider_key = r.provider.clone().unwrap_or(prefix);
        let provider = if mi.is_root() {
            self.out.providers.get(&provider_key).cloned()
        } else {
            self.root_provider_for(&provider_key)
        };
        let phantom = self.phantom.contains(mi);
        type Keyed = (Option<InstanceKey>, Vec<(String, Value)>);
        let keys: Vec<Keyed> = match &expansion {
            Expanded::Single => vec![(None, Vec::new())],
            Expanded::Keys(keys) => keys
                .iter()
                .map(|(k, v)| {
                    let b = match k {
                        InstanceKey::Int(i) => vec![(
                            "count".to_string(),
                            Value::map([("index", Value::Number(*i as f64))]),
                        )],
                        InstanceKey::Str(s) => vec![(
                            "each".to_string(),
                            Value::map([("key", Value::string(s.clone())), ("value", v.clone())]),
                        )],
                    };
                    (Some(k.clone()), b)
                })
                .collect(),
            Expanded::Unknown => {
                let b = if r.count.is_some() {
                    vec![("count".to_string(), Value::map([("index", Value::Unknown)]))]
                } else {
                    vec![(
                        "each".to_string(),
                        Value::map([("key", Value::Unknown), ("value", Value::Unknown)]),
                    )]
                };
                vec![(None, b)]
            }
        };
        if !phantom && expansion != Expanded::Unknown {
            self.eval_imports(mi, addr);
        }
        let mut results: Vec<(Option<InstanceKey>, Value)> = Vec::with_capacity(keys.len());
        for (key, bindings) in keys {
            let kept = if self.opts.provision.is_some() {
                bindings.clone()
            } else {
                Vec::new()
            };
            let body: &Body = &r.body;
            let cfg = self.with_env(mi, r.file, r.span, bindings, |env, diags| {
                eval_resource_body(env, body, &schema.body, r.span, diags)
            });
            let inst_addr = ResourceInstanceAddr {
                module: mi.clone(),
                resource: addr.clone(),
                key: key.clone(),
            };
            let import_id = self.out.imports.get(&inst_addr).map(|i| i.id.clone());
            let provision = self.opts.provision.as_ref() == Some(&inst_addr);
            let value = self.resolver.resolve(&ResolveRequest {
                addr: &inst_addr,
                config: &cfg,
                schema,
                provider: provider.as_ref(),
                import_id: import_id.as_deref(),
            });
            if provision {
                self.eval_provisioners(mi, r, kept, &value);
            }
            if !phantom && expansion != Expanded::Unknown {
                self.out.instances.insert(
                    inst_addr.clone(),
                    InstanceValue {
                        addr: inst_addr,
                        config: cfg,
                        value: value.clone(),
                        schema,
                        provider_key: provider_key.clone(),
                    },
                );
            }
            results.push((key, value));
        }
        let whole = match &expansion {
            Expanded::Unknown => Value::Unknown,
            Expanded::Single => results.pop().map(|(_, v)| v).unwrap_or(Value::Null),
            Expanded::Keys(_) if r.count.is_some() => {
                Value::List(results.into_iter().map(|(_, v)| v).collect())
            }
            Expanded::Keys(_) => Value::Map(
                results
                    .into_iter()
                    .filter_map(|(k, v)| match k {
                        Some(InstanceKey::Str(s)) => Some((s, v)),
                        _ => None,
                    })
                    .collect(),
            ),
        };
        if !phantom {
            let exp = match &expansion {
                Expanded::Single => Expansion::Single,
                Expanded::Unknown => Expansion::Unknown,
                Expanded::Keys(k) if r.count.is_some() => Expansion::Count(k.len()),
                Expanded::Keys(k) => Expansion::ForEach(
                    k.iter()
                        .map(|(k, _)| match k {
                            InstanceKey::Str(s) => s.clone(),
                            InstanceKey::Int(i) => i.to_string(),
                        })
                        .collect(),
                ),
            };
            self.out.expansions.insert(abs, exp);
        }
        self.values
            .entry(mi.clone())
            .or_default()
            .resources
            .insert(addr.clone(), whole);
    }

    /// Evaluates the creation-time `local-exec` provisioners of one instance with `self`.
    fn eval_provisioners(
        &mut self,
        mi: &ModuleInstance,
        r: &crate::config::model::Resource,
        mut bindings: Vec<(String, Value)>,
        value: &Value,
    ) {
        bindings.push(("self".to_string(), value.clone()));
        for p in &r.provisioners {
            if p.kind != "local-exec" || p.when_destroy {
                continue;
            }
            let cfg = self.with_env(mi, r.file, p.span, bindings.clone(), |env, diags| {
                eval_resource_body(env, &p.body, schema::local_exec(), p.span, diags)
            });
            let strings = |v: Option<&Value>| -> Vec<String> {
                match v {
                    Some(Value::List(items)) => items
                        .iter()
                        .filter_map(|i| i.as_str().map(str::to_string))
                        .collect(),
                    _ => Vec::new(),
                }
            };
            let environment = match cfg.get("environment") {
                Some(Value::Map(m)) => m
                    .iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect(),
                _ => Vec::new(),
            };
            self.out.provisioners.push(LocalExec {
                command: cfg
                    .get("command")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                working_dir: cfg
                    .get("working_dir")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                interpreter: strings(cfg.get("interpreter")),
                environment,
                quiet: matches!(cfg.get("quiet"), Some(Value::Bool(true))),
                on_failure_continue: p.on_failure_continue,
            });
        }
    }

    /// Evaluates the root module's `import {}` blocks that target `addr` in module instance
    /// `mi`, recording each targeted instance and its id in `out.imports`.
    fn eval_imports(&mut self, mi: &ModuleInstance, addr: &ResourceAddr) {
        let config = self.config;
        let path = mi.module_path();
        for (ix, ib) in config.root().imports.iter().enumerate() {
            let Ok(t) = imports::target_of(&ib.to.expr) else {
                continue;
            };
            if t.resource != *addr || t.module_names() != path.0 {
                continue;
            }
            self.imports_seen.insert(ix);
            let root = ModuleInstance::root();
            let iterations: Vec<Vec<(String, Value)>> = match &ib.for_each {
                None => vec![Vec::new()],
                Some(fe) => {
                    let Some(v) = self.eval_expr(&root, fe, Vec::new()) else {
                        continue;
                    };
                    match iter_collection(&v) {
                        Some(pairs) if v.is_wholly_known() => pairs
                            .into_iter()
                            .map(|(k, v)| {
                                vec![("each".to_string(), Value::map([("key", k), ("value", v)]))]
                            })
                            .collect(),
                        _ => {
                            self.diags.push(
                                Diagnostic::error("invalid-import", "invalid for_each in an import block: a map, set or list known at plan time is required")
                                    .with_label(fe.span().unwrap_or(ib.span), format!("this is {}", if v.is_wholly_known() { v.type_name() } else { "known only after apply" })),
                            );
                            continue;
                        }
                    }
                }
            };
            for bindings in iterations {
                let r = self.with_env(&root, ib.to.file, ib.span, bindings, |env, _| {
                    let mut inst = ModuleInstance::root();
                    for (name, k) in &t.modules {
                        let key = match k {
                            Some(k) => Some(import_key(env, *k)?),
                            None => None,
                        };
                        inst = inst.child(name, key);
                    }
                    let key = match &t.key {
                        Some(k) => Some(import_key(env, *k)?),
                        None => None,
                    };
                    let id = match env.eval(&ib.id.expr)? {
                        Value::String(s) if !s.is_empty() => s,
                        Value::Number(n) => crate::config::value::format_number(n),
                        Value::Unknown => return Err(Diagnostic::error("invalid-import", "the import id depends on values that cannot be determined until apply; it must be known at plan time")),
                        other => return Err(Diagnostic::error("invalid-import", format!("the import id must be a non-empty string, got {}", if other == Value::String(String::new()) { "an empty string".to_string() } else { other.type_name().to_string() }))),
                    };
                    Ok((inst, key, id))
                });
                let (inst, key, id) = match r {
                    Ok(x) => x,
                    Err(d) => {
                        let sp = ib.id.span().unwrap_or(ib.span);
                        self.diags.push(if d.labels.is_empty() {
                            d.with_label(sp, "in this import block")
                        } else {
                            d
                        });
                        continue;
                    }
                };
                let target = ResourceInstanceAddr {
                    module: inst,
                    resource: addr.clone(),
                    key,
                };
                self.import_targets.insert(target.clone(), ib.span);
                if target.module != *mi {
                    continue;
                }
                if let Some(prev) = self.out.imports.get(&target) {
                    if prev.span != ib.span || prev.id != id {
                        self.diags.push(
                            Diagnostic::error("duplicate-import", format!("duplicate import configuration for {target}: only one import block may target an instance"))
                                .with_label(ib.span, "this import block")
                                .with_label(prev.span, "also imports it"),
                        );
                    }
                    continue;
                }
                self.out
                    .imports
                    .insert(target, ImportInstance { id, span: ib.span });
            }
        }
    }

    /// Import blocks that target nothing in the configuration, that are written in a child
    /// module, or whose `to` is not an address.
    fn check_imports(&mut self) {
        for (path, m) in &self.config.modules {
            if path.is_root() {
                continue;
            }
            for ib in &m.imports {
                self.diags.push(
                    Diagnostic::error("invalid-import", format!("import blocks are only allowed in the root module; this one is in module.{}", path.0.join(".module.")))
                        .with_label(ib.span, "move this block to the root module and write `to` as module.NAME.TYPE.NAME"),
                );
            }
        }
        for (ix, ib) in self.config.root().imports.iter().enumerate() {
            let sp = ib.to.span().unwrap_or(ib.span);
            match imports::target_of(&ib.to.expr) {
                Err(m) => self.diags.push(
                    Diagnostic::error("invalid-import", format!("invalid import target: {m}"))
                        .with_label(sp, "not a resource instance address"),
                ),
                Ok(t) if !self.imports_seen.contains(&ix) => {
                    let mut name = String::new();
                    for m in t.module_names() {
                        name.push_str(&format!("module.{m}."));
                    }
                    name.push_str(&t.resource.to_string());
                    self.diags.push(
                        Diagnostic::error("import-target-missing", format!("configuration for import target does not exist: there is no resource block for {name}"))
                            .with_label(sp, "no such resource in the configuration")
                            .with_help("emrform imports into a resource block you write; add the block (its arguments describing the existing object) and plan again."),
                    );
                }
                Ok(_) => {}
            }
        }
        for (target, span) in &self.import_targets {
            if !self.out.instances.contains_key(target) {
                self.diags.push(
                    Diagnostic::error("import-target-missing", format!("configuration for import target does not exist: {target} is not an instance of its resource"))
                        .with_label(*span, "this import block")
                        .with_help("Check the instance key against the resource's count or for_each."),
                );
            }
        }
    }

    fn root_provider_for(&self, key: &str) -> Option<Value> {
        self.out.providers.get(key).cloned()
    }
}

enum Expanded {
    Single,
    Keys(Vec<(InstanceKey, Value)>),
    Unknown,
}

impl PartialEq for Expanded {
    fn eq(&self, other: &Self) -> bool {
        matches!(
            (self, other),
            (Expanded::Single, Expanded::Single)
                | (Expanded::Unknown, Expanded::Unknown)
                | (Expanded::Keys(_), Expanded::Keys(_))
        )
    }
}

/// Evaluates a body with no schema (provider blocks): attributes become values, nested
/// blocks lists of objects, dynamic blocks are expanded.
fn eval_untyped_body(env: &mut Env<'_>, body: &Body, diags: &mut Diagnostics) -> Value {
    let mut out = Map::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let v = match env.eval(&a.value) {
                    Ok(v) => v,
                    Err(d) => {
                        diags.push(d);
                        Value::Unknown
                    }
                };
                out.insert(a.key.as_str().to_string(), v);
            }
            Structure::Block(b) if b.ident.as_str() == "dynamic" => {
                let label = b
                    .labels
                    .first()
                    .map(|l| l.as_str().to_string())
                    .unwrap_or_default();
                let iter = match b.body.get_attribute("iterator").map(|a| &a.value) {
                    Some(hcl_edit::expr::Expression::Variable(v)) => v.as_str().to_string(),
                    _ => label.clone(),
                };
                let coll = match b.body.get_attribute("for_each").map(|a| env.eval(&a.value)) {
                    Some(Ok(v)) => v,
                    Some(Err(d)) => {
                        diags.push(d);
                        Value::Unknown
                    }
                    None => Value::List(Vec::new()),
                };
                let Some(content) = b.body.blocks().find(|c| c.ident.as_str() == "content") else {
                    continue;
                };
                let entry = out.entry(label).or_insert_with(|| Value::List(Vec::new()));
                let mut items = Vec::new();
                match iter_collection(&coll) {
                    Some(pairs) => {
                        for (k, v) in pairs {
                            env.bindings
                                .push((iter.clone(), Value::map([("key", k), ("value", v)])));
                            items.push(eval_untyped_body(env, &content.body, diags));
                            env.bindings.pop();
                        }
                        if let Value::List(l) = entry {
                            l.extend(items);
                        }
                    }
                    None => *entry = Value::Unknown,
                }
            }
            Structure::Block(b) => {
                let v = eval_untyped_body(env, &b.body, diags);
                let entry = out
                    .entry(b.ident.as_str().to_string())
                    .or_insert_with(|| Value::List(Vec::new()));
                if let Value::List(l) = entry {
                    l.push(v);
                }
            }
        }
    }
    Value::Map(out)
}

/// Evaluates an expression that may not refer to anything (variable defaults, tfvars).
///
/// # Errors
/// A diagnostic when the expression refers to a variable or other value.
pub fn constant(e: &hcl_edit::expr::Expression) -> Result<Value, Diagnostic> {
    let refs = super::refs::references(
        e,
        crate::diag::FileId(u32::MAX),
        Span::new(crate::diag::FileId(u32::MAX), 0..0),
        &[],
    );
    if !refs.is_empty() {
        return Err(Diagnostic::error(
            "variables-not-allowed",
            "variables are not allowed here: the value must be a constant",
        ));
    }
    let module = Module::default();
    let values = ModuleValues::default();
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut env = Env {
        values: &values,
        module: &module,
        bindings: Vec::new(),
        file: crate::diag::FileId(u32::MAX),
        fallback: Span::new(crate::diag::FileId(u32::MAX), 0..0),
        root_dir: &cwd,
        cwd: &cwd,
    };
    env.eval(e).map_err(|mut d| {
        d.labels.retain(|l| l.span.file.0 != u32::MAX);
        d
    })
}

fn rel(cwd: &std::path::Path, p: &std::path::Path) -> String {
    let s = p
        .strip_prefix(cwd)
        .map(|r| r.to_path_buf())
        .unwrap_or_else(|_| p.to_path_buf());
    let s = s.to_string_lossy().to_string();
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}
