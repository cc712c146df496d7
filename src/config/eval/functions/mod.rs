//! Terraform's built-in function library over [`Value`]. One function (or one small family) per
//! file; [`lookup`] maps a name to its definition and [`call`] applies the arity and unknown
//! rules before running it.
//!
//! Functions are pure apart from the filesystem functions, which read relative to
//! [`FuncCtx::cwd`] as Terraform does (so `file("${path.module}/x")` works when `path.module`
//! is relative to the working directory), and the impure `timestamp`, `uuid` and `bcrypt`,
//! which [`call_for_plan`] turns into unknowns as Terraform does while planning. `try`, `can`,
//! `templatefile` and `templatestring` are not here: they take unevaluated expressions or
//! templates and live in the evaluator. This module never evaluates expressions and never
//! tracks sensitivity (`sensitive`/`nonsensitive` return their argument).
//!
//! Error texts are Terraform's. Where Terraform blames a parameter ("Invalid value for "str"
//! parameter: …"), the message already carries that sentence; otherwise it is the bare text
//! Terraform puts after "Call to function "x" failed: ". Either way [`FuncError::arg`] names
//! the argument at fault when there is one.

use crate::config::value::{format_number, Value};
use std::path::Path;

mod cidr;
mod collections;
mod conversion;
mod crypto;
mod datetime;
mod encoding;
mod filesystem;
mod format;
mod json;
mod numeric;
#[cfg(test)]
mod oracle;
mod regexfns;
mod sets;
mod strings;
mod yaml;

pub use json::encode as json_encode;
pub(crate) use json::write_string as write_json_string;

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
    /// True for functions whose result changes between calls (`timestamp`, `uuid`, `bcrypt`):
    /// Terraform treats their result as unknown while planning; see [`call_for_plan`].
    pub impure: bool,
    /// The implementation. Invoke it through [`call`] (or [`call_for_plan`]), which checks
    /// the arity first: implementations index their arguments.
    pub call: FuncImpl,
}

/// Builds a table entry for a pure function.
const fn def(
    name: &'static str,
    min_args: usize,
    max_args: Option<usize>,
    handles_unknown: bool,
    call: FuncImpl,
) -> FuncDef {
    FuncDef {
        name,
        min_args,
        max_args,
        handles_unknown,
        impure: false,
        call,
    }
}

/// Builds a table entry for an impure function.
const fn impure(
    name: &'static str,
    min_args: usize,
    max_args: Option<usize>,
    call: FuncImpl,
) -> FuncDef {
    FuncDef {
        name,
        min_args,
        max_args,
        handles_unknown: false,
        impure: true,
        call,
    }
}

/// Finds a built-in function by name (`provider::` namespaced functions are not supported).
pub fn lookup(name: &str) -> Option<&'static FuncDef> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// Names of every built-in function, for "did you mean".
pub fn names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().map(|f| f.name)
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
    (def.call)(ctx, args).map(nfc)
}

/// Normalizes every string in a result to Unicode NFC, as Terraform's values always are
/// (so `file` of a decomposed "é" yields the composed one).
fn nfc(v: Value) -> Value {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    fn norm(s: String) -> String {
        if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
            s
        } else {
            s.nfc().collect()
        }
    }
    match v {
        Value::String(s) => Value::String(norm(s)),
        Value::List(items) => Value::List(items.into_iter().map(nfc).collect()),
        Value::Set(items) => Value::set(items.into_iter().map(nfc).collect()),
        Value::Map(m) => Value::Map(m.into_iter().map(|(k, v)| (norm(k), nfc(v))).collect()),
        other => other,
    }
}

/// Like [`call`], but as Terraform does while planning: an impure function (`timestamp`, `uuid`,
/// `bcrypt`) yields [`Value::Unknown`] after its arguments are checked, since its result is
/// only fixed at apply.
///
/// # Errors
/// A [`FuncError`] when the arguments are wrong or the function fails.
pub fn call_for_plan(
    def: &FuncDef,
    ctx: &FuncCtx<'_>,
    args: Vec<Value>,
) -> Result<Value, FuncError> {
    let v = call(def, ctx, args)?;
    Ok(if def.impure { Value::Unknown } else { v })
}

const N: Option<usize> = None;

/// The table of functions, alphabetical by family.
static FUNCTIONS: &[FuncDef] = &[
    // numeric
    def("abs", 1, Some(1), false, numeric::abs),
    def("ceil", 1, Some(1), false, numeric::ceil),
    def("floor", 1, Some(1), false, numeric::floor),
    def("log", 2, Some(2), false, numeric::log),
    def("max", 0, N, false, numeric::max),
    def("min", 0, N, false, numeric::min),
    def("parseint", 2, Some(2), false, numeric::parseint),
    def("pow", 2, Some(2), false, numeric::pow),
    def("signum", 1, Some(1), false, numeric::signum),
    // string
    def("chomp", 1, Some(1), false, strings::chomp),
    def("endswith", 2, Some(2), false, strings::endswith),
    def("format", 1, N, false, format::format),
    def("formatlist", 1, N, false, format::formatlist),
    def("indent", 2, Some(2), false, strings::indent),
    def("join", 1, N, false, strings::join),
    def("lower", 1, Some(1), false, strings::lower),
    def("regex", 2, Some(2), false, regexfns::regex),
    def("regexall", 2, Some(2), false, regexfns::regexall),
    def("replace", 3, Some(3), false, strings::replace),
    def("split", 2, Some(2), false, strings::split),
    def("startswith", 2, Some(2), false, strings::startswith),
    def("strcontains", 2, Some(2), false, strings::strcontains),
    def("strrev", 1, Some(1), false, strings::strrev),
    def("substr", 3, Some(3), false, strings::substr),
    def("title", 1, Some(1), false, strings::title),
    def("trim", 2, Some(2), false, strings::trim),
    def("trimprefix", 2, Some(2), false, strings::trimprefix),
    def("trimspace", 1, Some(1), false, strings::trimspace),
    def("trimsuffix", 2, Some(2), false, strings::trimsuffix),
    def("upper", 1, Some(1), false, strings::upper),
    // collection
    def("alltrue", 1, Some(1), true, collections::alltrue),
    def("anytrue", 1, Some(1), true, collections::anytrue),
    def("chunklist", 2, Some(2), true, collections::chunklist),
    def("coalesce", 0, N, true, collections::coalesce),
    def("coalescelist", 0, N, true, collections::coalescelist),
    def("compact", 1, Some(1), false, collections::compact),
    def("concat", 0, N, true, collections::concat),
    def("contains", 2, Some(2), true, collections::contains),
    def("distinct", 1, Some(1), false, collections::distinct),
    def("element", 2, Some(2), true, collections::element),
    def("flatten", 1, Some(1), false, collections::flatten),
    def("index", 2, Some(2), false, collections::index),
    def("keys", 1, Some(1), true, collections::keys),
    def("length", 1, Some(1), true, collections::length),
    def("lookup", 2, Some(3), false, collections::lookup),
    def("matchkeys", 3, Some(3), false, collections::matchkeys),
    def("merge", 0, N, true, collections::merge),
    def("one", 1, Some(1), true, collections::one),
    def("range", 1, Some(3), false, collections::range),
    def("reverse", 1, Some(1), true, collections::reverse),
    def("setintersection", 1, N, false, sets::setintersection),
    def("setproduct", 1, N, false, sets::setproduct),
    def("setsubtract", 2, Some(2), false, sets::setsubtract),
    def("setunion", 1, N, false, sets::setunion),
    def("slice", 3, Some(3), true, collections::slice),
    def("sort", 1, Some(1), false, collections::sort),
    def("sum", 1, Some(1), false, collections::sum),
    def("transpose", 1, Some(1), false, collections::transpose),
    def("values", 1, Some(1), true, collections::values),
    def("zipmap", 2, Some(2), true, collections::zipmap),
    // encoding
    def("base64decode", 1, Some(1), false, encoding::base64decode),
    def("base64encode", 1, Some(1), false, encoding::base64encode),
    def("base64gzip", 1, Some(1), false, encoding::base64gzip),
    def("csvdecode", 1, Some(1), false, encoding::csvdecode),
    def("jsondecode", 1, Some(1), false, json::jsondecode),
    def("jsonencode", 1, Some(1), false, json::jsonencode),
    def(
        "textdecodebase64",
        2,
        Some(2),
        false,
        encoding::textdecodebase64,
    ),
    def(
        "textencodebase64",
        2,
        Some(2),
        false,
        encoding::textencodebase64,
    ),
    def("urlencode", 1, Some(1), false, encoding::urlencode),
    def("yamldecode", 1, Some(1), false, yaml::yamldecode),
    def("yamlencode", 1, Some(1), false, yaml::yamlencode),
    // filesystem
    def("abspath", 1, Some(1), false, filesystem::abspath),
    def("basename", 1, Some(1), false, filesystem::basename),
    def("dirname", 1, Some(1), false, filesystem::dirname),
    def("file", 1, Some(1), false, filesystem::file),
    def("filebase64", 1, Some(1), false, filesystem::filebase64),
    def("fileexists", 1, Some(1), false, filesystem::fileexists),
    def("fileset", 2, Some(2), false, filesystem::fileset),
    def("pathexpand", 1, Some(1), false, filesystem::pathexpand),
    // hash and crypto
    def("base64sha256", 1, Some(1), false, crypto::base64sha256),
    def("base64sha512", 1, Some(1), false, crypto::base64sha512),
    impure("bcrypt", 1, Some(2), crypto::bcrypt),
    def(
        "filebase64sha256",
        1,
        Some(1),
        false,
        crypto::filebase64sha256,
    ),
    def(
        "filebase64sha512",
        1,
        Some(1),
        false,
        crypto::filebase64sha512,
    ),
    def("filemd5", 1, Some(1), false, crypto::filemd5),
    def("filesha1", 1, Some(1), false, crypto::filesha1),
    def("filesha256", 1, Some(1), false, crypto::filesha256),
    def("filesha512", 1, Some(1), false, crypto::filesha512),
    def("md5", 1, Some(1), false, crypto::md5),
    def("sha1", 1, Some(1), false, crypto::sha1),
    def("sha256", 1, Some(1), false, crypto::sha256),
    def("sha512", 1, Some(1), false, crypto::sha512),
    impure("uuid", 0, Some(0), crypto::uuid),
    def("uuidv5", 2, Some(2), false, crypto::uuidv5),
    // date and time
    def("formatdate", 2, Some(2), false, datetime::formatdate),
    def("plantimestamp", 0, Some(0), false, datetime::plantimestamp),
    def("timeadd", 2, Some(2), false, datetime::timeadd),
    def("timecmp", 2, Some(2), false, datetime::timecmp),
    impure("timestamp", 0, Some(0), datetime::timestamp),
    // IP network
    def("cidrhost", 2, Some(2), false, cidr::cidrhost),
    def("cidrnetmask", 1, Some(1), false, cidr::cidrnetmask),
    def("cidrsubnet", 3, Some(3), false, cidr::cidrsubnet),
    def("cidrsubnets", 1, N, false, cidr::cidrsubnets),
    // type conversion
    def("ephemeralasnull", 1, Some(1), true, conversion::passthrough),
    def("issensitive", 1, Some(1), true, conversion::issensitive),
    def("nonsensitive", 1, Some(1), true, conversion::passthrough),
    def("sensitive", 1, Some(1), true, conversion::passthrough),
    def("tobool", 1, Some(1), false, conversion::tobool),
    def("tolist", 1, Some(1), true, conversion::tolist),
    def("tomap", 1, Some(1), true, conversion::tomap),
    def("tonumber", 1, Some(1), false, conversion::tonumber),
    def("toset", 1, Some(1), true, conversion::toset),
    def("tostring", 1, Some(1), false, conversion::tostring),
];

// ---- argument helpers shared by the function files ----

/// The error for argument `i` named `param`, worded as Terraform words it.
pub(crate) fn arg_err(i: usize, param: &str, msg: impl std::fmt::Display) -> FuncError {
    FuncError::arg(
        i,
        format!("Invalid value for \"{param}\" parameter: {msg}."),
    )
}

/// The value as a string, converting numbers and bools as Terraform does; `None` otherwise.
pub(crate) fn conv_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(format_number(*n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parses a string as a decimal number the way Terraform converts strings to numbers.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let ok = s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    if !ok {
        return None;
    }
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Argument `i` as a string (numbers and bools converted).
pub(crate) fn str_arg(args: &[Value], i: usize, param: &str) -> Result<String, FuncError> {
    match args.get(i) {
        Some(Value::Null) | None => Err(arg_err(i, param, "argument must not be null")),
        Some(v) => conv_string(v).ok_or_else(|| arg_err(i, param, "string required")),
    }
}

/// Argument `i` as a number (numeric strings converted).
pub(crate) fn num_arg(args: &[Value], i: usize, param: &str) -> Result<f64, FuncError> {
    match args.get(i) {
        Some(Value::Null) | None => Err(arg_err(i, param, "argument must not be null")),
        Some(Value::Number(n)) => Ok(*n),
        Some(Value::String(s)) => {
            parse_number(s).ok_or_else(|| arg_err(i, param, "a number is required"))
        }
        Some(_) => Err(arg_err(i, param, "number required")),
    }
}

/// Argument `i` as a whole number.
pub(crate) fn int_arg(args: &[Value], i: usize, param: &str) -> Result<i64, FuncError> {
    let n = num_arg(args, i, param)?;
    if n.fract() != 0.0 || !(-9.2e18..=9.2e18).contains(&n) {
        return Err(arg_err(
            i,
            param,
            "value must be a whole number, between -9223372036854775808 and 9223372036854775807",
        ));
    }
    Ok(n as i64)
}

/// Argument `i` as a bool (the strings "true" and "false" converted).
pub(crate) fn bool_arg(args: &[Value], i: usize, param: &str) -> Result<bool, FuncError> {
    match args.get(i) {
        Some(Value::Null) | None => Err(arg_err(i, param, "argument must not be null")),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s == "true" => Ok(true),
        Some(Value::String(s)) if s == "false" => Ok(false),
        Some(_) => Err(arg_err(i, param, "bool required")),
    }
}

/// Argument `i` as the elements of a list, tuple or set.
pub(crate) fn list_arg<'a>(
    args: &'a [Value],
    i: usize,
    param: &str,
) -> Result<&'a [Value], FuncError> {
    match args.get(i) {
        Some(Value::Null) | None => Err(arg_err(i, param, "argument must not be null")),
        Some(v) => v
            .as_list()
            .ok_or_else(|| arg_err(i, param, "list of any single type required")),
    }
}

/// Argument `i` as the entries of a map or object.
pub(crate) fn map_arg<'a>(
    args: &'a [Value],
    i: usize,
    param: &str,
) -> Result<&'a crate::config::value::Map, FuncError> {
    match args.get(i) {
        Some(Value::Null) | None => Err(arg_err(i, param, "argument must not be null")),
        Some(v) => v
            .as_map()
            .ok_or_else(|| arg_err(i, param, "map of any single type required")),
    }
}

/// Converts the elements of a list to one type as Terraform's type unification does for
/// primitives: when strings mix with numbers or bools, everything becomes a string.
///
/// # Errors
/// A message when the elements have no common type (e.g. a number and a bool).
pub(crate) fn unify(items: &[Value]) -> Result<Vec<Value>, String> {
    let mut has = [false; 3]; // bool, number, string
    let mut other = false;
    for v in items {
        match v {
            Value::Bool(_) => has[0] = true,
            Value::Number(_) => has[1] = true,
            Value::String(_) => has[2] = true,
            Value::Null | Value::Unknown => {}
            _ => other = true,
        }
    }
    let kinds = has.iter().filter(|b| **b).count();
    if other && kinds > 0 {
        return Err("all elements must have the same type".into());
    }
    if kinds <= 1 {
        return Ok(items.to_vec());
    }
    if !has[2] {
        return Err("all elements must have the same type".into());
    }
    Ok(items
        .iter()
        .map(|v| match v {
            Value::Null | Value::Unknown => v.clone(),
            v => conv_string(v).map(Value::String).unwrap_or(Value::Null),
        })
        .collect())
}

#[cfg(test)]
pub(crate) mod testutil {
    //! Helpers for the function tests: call by name with a fixed context.
    use super::*;

    /// Calls the named function as the evaluator would, in the current directory.
    pub fn run(name: &str, args: Vec<Value>) -> Result<Value, FuncError> {
        run_in(Path::new("."), name, args)
    }

    /// Calls the named function with `dir` as module, root and working directory.
    pub fn run_in(dir: &Path, name: &str, args: Vec<Value>) -> Result<Value, FuncError> {
        let ctx = FuncCtx {
            module_dir: dir,
            root_dir: dir,
            cwd: dir,
        };
        let Some(def) = lookup(name) else {
            panic!("no function {name}")
        };
        call(def, &ctx, args)
    }

    /// Calls and unwraps, panicking with the error (tests only).
    pub fn ok(name: &str, args: Vec<Value>) -> Value {
        match run(name, args) {
            Ok(v) => v,
            Err(e) => panic!("{name} failed: {}", e.message),
        }
    }

    /// Calls expecting an error; returns its message.
    pub fn err(name: &str, args: Vec<Value>) -> FuncError {
        match run(name, args) {
            Ok(v) => panic!("{name} succeeded with {v}"),
            Err(e) => e,
        }
    }

    /// A string value.
    pub fn s(x: &str) -> Value {
        Value::string(x)
    }

    /// A number value.
    pub fn n(x: f64) -> Value {
        Value::Number(x)
    }

    /// A list of strings.
    pub fn sl(xs: &[&str]) -> Value {
        Value::List(xs.iter().map(|x| s(x)).collect())
    }

    /// A list of numbers.
    pub fn nl(xs: &[f64]) -> Value {
        Value::List(xs.iter().map(|x| n(*x)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    #[test]
    fn names_are_unique_and_sorted_within_lookup() {
        let mut all: Vec<_> = names().collect();
        let len = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), len);
        assert!(len > 110);
    }

    #[test]
    fn arity_is_checked() {
        let e = err("upper", vec![]);
        assert!(
            e.message.contains("expects 1 argument(s), got 0"),
            "{}",
            e.message
        );
        let e = err("lookup", vec![s("a"); 4]);
        assert!(e.message.contains("2 to 3"), "{}", e.message);
    }

    #[test]
    fn unknown_arguments_give_unknown_unless_handled() {
        assert_eq!(ok("upper", vec![Value::Unknown]), Value::Unknown);
        assert_eq!(
            ok("upper", vec![Value::List(vec![Value::Unknown])]),
            Value::Unknown
        );
    }

    #[test]
    fn impure_functions_are_unknown_while_planning() {
        let ctx = FuncCtx {
            module_dir: Path::new("."),
            root_dir: Path::new("."),
            cwd: Path::new("."),
        };
        let Some(d) = lookup("uuid") else { panic!() };
        assert_eq!(call_for_plan(d, &ctx, vec![]), Ok(Value::Unknown));
        assert!(matches!(call(d, &ctx, vec![]), Ok(Value::String(_))));
        let Some(d) = lookup("upper") else { panic!() };
        assert_eq!(call_for_plan(d, &ctx, vec![s("a")]), Ok(s("A")));
    }

    #[test]
    fn results_are_nfc_normalized() {
        assert_eq!(ok("base64decode", vec![s("ZcyB")]), s("\u{e9}"));
        assert_eq!(
            ok("jsondecode", vec![s("{\"e\\u0301\": \"e\\u0301\"}")]),
            Value::map([("\u{e9}", s("\u{e9}"))])
        );
        assert_eq!(
            ok("format", vec![s("%s%s"), s("e"), s("\u{301}")]),
            s("\u{e9}")
        );
    }

    #[test]
    fn string_params_convert_numbers_and_bools() {
        assert_eq!(ok("upper", vec![n(5.0)]), s("5"));
        assert_eq!(ok("upper", vec![Value::Bool(true)]), s("TRUE"));
        let e = err("upper", vec![Value::Null]);
        assert_eq!(e.arg, Some(0));
        assert!(e.message.contains("must not be null"));
        let e = err("upper", vec![sl(&["a"])]);
        assert!(e.message.contains("string required"));
    }

    #[test]
    fn every_function_passes_a_wholly_unknown_argument_through() {
        for def in FUNCTIONS {
            if def.min_args == 0 || def.name == "issensitive" {
                continue;
            }
            let args = vec![Value::Unknown; def.min_args];
            assert_eq!(run(def.name, args), Ok(Value::Unknown), "{}", def.name);
        }
    }

    #[test]
    fn edge_cases_on_empty_inputs() {
        let empty_map = Value::map::<&str>([]);
        let cases: Vec<(&str, Vec<Value>, Value)> = vec![
            ("ceil", vec![n(-1.5)], n(-1.0)),
            ("min", vec![n(3.0)], n(3.0)),
            ("endswith", vec![s(""), s("")], Value::Bool(true)),
            ("indent", vec![n(2.0), s("")], s("")),
            ("lower", vec![s("")], s("")),
            ("startswith", vec![s("abc"), s("abc")], Value::Bool(true)),
            ("strcontains", vec![s("abc"), s("")], Value::Bool(true)),
            ("strrev", vec![s("")], s("")),
            ("title", vec![s("")], s("")),
            ("trim", vec![s("xx"), s("x")], s("")),
            ("trimspace", vec![s("")], s("")),
            ("trimsuffix", vec![s("a"), s("")], s("a")),
            ("reverse", vec![sl(&[])], sl(&[])),
            ("reverse", vec![Value::set(vec![s("a"), s("b")])], sl(&["b", "a"])),
            ("setintersection", vec![sl(&["a"]), sl(&[])], Value::set(vec![])),
            ("transpose", vec![empty_map.clone()], empty_map.clone()),
            ("values", vec![empty_map.clone()], sl(&[])),
            ("keys", vec![empty_map.clone()], sl(&[])),
            ("merge", vec![], empty_map.clone()),
            ("base64encode", vec![s("")], s("")),
            ("yamlencode", vec![empty_map.clone()], s("{}\n")),
            ("jsonencode", vec![sl(&[])], s("[]")),
            ("abspath", vec![s("/")], s("/")),
            ("md5", vec![s("")], s("d41d8cd98f00b204e9800998ecf8427e")),
            ("sha1", vec![s("")], s("da39a3ee5e6b4b0d3255bfef95601890afd80709")),
            ("sha256", vec![s("")], s("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")),
            ("sha512", vec![s("")], s("cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")),
            ("base64sha256", vec![s("")], s("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")),
            ("base64sha512", vec![s("")], s("z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==")),
            ("toset", vec![sl(&[])], Value::set(vec![])),
            ("tolist", vec![Value::Null], Value::Null),
            ("split", vec![s(","), s("a,")], sl(&["a", ""])),
            ("join", vec![s(","), sl(&[])], s("")),
            ("sort", vec![sl(&[])], sl(&[])),
            ("distinct", vec![sl(&[])], sl(&[])),
            ("flatten", vec![sl(&[])], sl(&[])),
            ("compact", vec![sl(&[])], sl(&[])),
            ("formatlist", vec![s("x")], sl(&["x"])),
            ("urlencode", vec![s("")], s("")),
            ("csvdecode", vec![s("a\n")], Value::List(vec![])),
            ("cidrsubnets", vec![s("fd00::/8")], sl(&[])),
            ("coalesce", vec![s("x")], s("x")),
            ("zipmap", vec![sl(&[]), sl(&[])], empty_map.clone()),
        ];
        for (name, args, want) in cases {
            assert_eq!(run(name, args), Ok(want), "{name}");
        }
    }

    #[test]
    fn unify_strings_win() {
        assert_eq!(
            unify(&[s("a"), n(1.0), Value::Bool(true)]),
            Ok(vec![s("a"), s("1"), s("true")])
        );
        assert!(unify(&[n(1.0), Value::Bool(true)]).is_err());
        assert!(unify(&[s("a"), sl(&["b"])]).is_err());
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod evaluator_tests;
