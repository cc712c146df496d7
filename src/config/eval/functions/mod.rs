//! Terraform's built-in function library over [`Value`]. One function (or one small family) per
//! file; [`lookup`] maps a name to its definition.
//!
//! Functions are pure apart from the filesystem functions, which read relative to
//! [`FuncCtx::module_dir`], and `timestamp`, which reads the clock. `try` and `can` are not here:
//! they take unevaluated expressions and live in the evaluator.

mod collection;
mod conversion;
mod encoding;
mod filesystem;
mod network;
mod numeric;
mod string;
mod util;

pub use encoding::json_encode;
pub use string::format_values;

use crate::config::value::Value;
use std::path::Path;
use std::sync::OnceLock;

/// What a function may know about where it is called.
pub struct FuncCtx<'a> {
    /// Directory of the module whose expression calls the function (`path.module`).
    pub module_dir: &'a Path,
    /// Directory of the root module (`path.root`).
    pub root_dir: &'a Path,
    /// Working directory (`path.cwd`).
    pub cwd: &'a Path,
}

/// A function failed: the message says why; `arg` is the index of the argument at fault.
#[derive(Debug, Clone, PartialEq)]
pub struct FuncError {
    /// What went wrong, as a sentence.
    pub message: String,
    /// Index of the argument at fault, if one is.
    pub arg: Option<usize>,
}

impl FuncError {
    /// An error not tied to one argument.
    pub fn new(message: impl Into<String>) -> Self {
        FuncError {
            message: message.into(),
            arg: None,
        }
    }

    /// An error about argument `i` (0-based).
    pub fn arg(i: usize, message: impl Into<String>) -> Self {
        FuncError {
            message: message.into(),
            arg: Some(i),
        }
    }
}

/// Signature of a function implementation.
pub type FuncImpl = fn(&FuncCtx<'_>, Vec<Value>) -> Result<Value, FuncError>;

/// A built-in function.
#[derive(Clone, Copy)]
pub struct FuncDef {
    /// Name as called in configuration.
    pub name: &'static str,
    /// Minimum number of arguments.
    pub min_args: usize,
    /// Maximum number of arguments; `None` = variadic.
    pub max_args: Option<usize>,
    /// When false, the caller returns [`Value::Unknown`] without calling the function if any
    /// argument is not wholly known. When true the function handles unknowns itself (e.g.
    /// `length` of a list whose elements are unknown is known).
    pub handles_unknown: bool,
    /// The implementation.
    pub call: FuncImpl,
}

/// Finds a built-in function by name (`provider::` namespaced functions are not supported).
pub fn lookup(name: &str) -> Option<&'static FuncDef> {
    table().get(name).copied()
}

fn all() -> impl Iterator<Item = &'static FuncDef> {
    [
        numeric::DEFS,
        string::DEFS,
        collection::DEFS,
        encoding::DEFS,
        filesystem::DEFS,
        network::DEFS,
        conversion::DEFS,
    ]
    .into_iter()
    .flatten()
}

fn table() -> &'static std::collections::HashMap<&'static str, &'static FuncDef> {
    static TABLE: OnceLock<std::collections::HashMap<&'static str, &'static FuncDef>> =
        OnceLock::new();
    TABLE.get_or_init(|| all().map(|f| (f.name, f)).collect())
}

/// Names of every built-in function, for "did you mean".
pub fn names() -> impl Iterator<Item = &'static str> {
    all().map(|f| f.name)
}

/// Calls a function by definition, applying the unknown rule and the arity check.
///
/// # Errors
/// A [`FuncError`] when the arguments are wrong or the function fails.
pub fn call(def: &FuncDef, ctx: &FuncCtx<'_>, args: Vec<Value>) -> Result<Value, FuncError> {
    if args.len() < def.min_args || def.max_args.is_some_and(|m| args.len() > m) {
        let expected = match def.max_args {
            Some(m) if m == def.min_args => format!("{m}"),
            Some(m) => format!("{} to {}", def.min_args, m),
            None => format!("at least {}", def.min_args),
        };
        return Err(FuncError::new(format!(
            "function \"{}\" expects {} argument(s), got {}",
            def.name,
            expected,
            args.len()
        )));
    }
    if !def.handles_unknown && !args.iter().all(Value::is_wholly_known) {
        return Ok(Value::Unknown);
    }
    (def.call)(ctx, args)
}

#[cfg(test)]
mod tests;
