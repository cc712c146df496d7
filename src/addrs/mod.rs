//! Addresses of modules, resources and resource instances, printed exactly as Terraform prints
//! them (`module.app["a"].aws_iam_role.this[0]`), with [`std::str::FromStr`] parsing what
//! [`std::fmt::Display`] prints. Plain data: no evaluation, no I/O.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The key of one instance of a resource or module with `count` or `for_each`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum InstanceKey {
    /// `count.index`
    Int(i64),
    /// `each.key`
    Str(String),
}

impl fmt::Display for InstanceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceKey::Int(i) => write!(f, "[{i}]"),
            InstanceKey::Str(s) => {
                f.write_str("[")?;
                write_quoted(f, s)?;
                f.write_str("]")
            }
        }
    }
}

fn write_quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

/// One step of a module instance path: `module.NAME[KEY]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ModuleStep {
    /// The module call's name.
    pub name: String,
    /// The instance key when the call has `count`/`for_each`.
    pub key: Option<InstanceKey>,
}

/// A module instance: empty for the root module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct ModuleInstance(pub Vec<ModuleStep>);

impl ModuleInstance {
    /// The root module.
    pub fn root() -> Self {
        ModuleInstance(Vec::new())
    }

    /// True for the root module.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// A child instance.
    pub fn child(&self, name: &str, key: Option<InstanceKey>) -> Self {
        let mut v = self.0.clone();
        v.push(ModuleStep {
            name: name.to_string(),
            key,
        });
        ModuleInstance(v)
    }

    /// The static module path (names only), e.g. `["app", "network"]`.
    pub fn module_path(&self) -> ModulePath {
        ModulePath(self.0.iter().map(|s| s.name.clone()).collect())
    }

    /// The parent instance (root's parent is root).
    pub fn parent(&self) -> Self {
        let mut v = self.0.clone();
        v.pop();
        ModuleInstance(v)
    }
}

impl fmt::Display for ModuleInstance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "module.{}", s.name)?;
            if let Some(k) = &s.key {
                write!(f, "{k}")?;
            }
        }
        Ok(())
    }
}

/// A static module path (no instance keys): how configuration is organised.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct ModulePath(pub Vec<String>);

impl ModulePath {
    /// The root module.
    pub fn root() -> Self {
        ModulePath(Vec::new())
    }

    /// True for the root module.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// A child path.
    pub fn child(&self, name: &str) -> Self {
        let mut v = self.0.clone();
        v.push(name.to_string());
        ModulePath(v)
    }

    /// The parent path.
    pub fn parent(&self) -> Self {
        let mut v = self.0.clone();
        v.pop();
        ModulePath(v)
    }
}

impl fmt::Display for ModulePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "module.{s}")?;
        }
        Ok(())
    }
}

/// Managed resource or data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceMode {
    Managed,
    Data,
}

/// A resource in a module, without instance key: `aws_iam_role.this`, `data.aws_region.current`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ResourceAddr {
    /// Managed or data.
    pub mode: ResourceMode,
    /// Resource type, e.g. `aws_iam_role`.
    pub type_name: String,
    /// Local name.
    pub name: String,
}

impl ResourceAddr {
    /// A managed resource address.
    pub fn managed(type_name: &str, name: &str) -> Self {
        ResourceAddr {
            mode: ResourceMode::Managed,
            type_name: type_name.to_string(),
            name: name.to_string(),
        }
    }

    /// A data source address.
    pub fn data(type_name: &str, name: &str) -> Self {
        ResourceAddr {
            mode: ResourceMode::Data,
            type_name: type_name.to_string(),
            name: name.to_string(),
        }
    }
}

impl fmt::Display for ResourceAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mode == ResourceMode::Data {
            f.write_str("data.")?;
        }
        write!(f, "{}.{}", self.type_name, self.name)
    }
}

/// A resource in a module instance (no instance key): `module.a[0].aws_iam_role.this`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AbsResource {
    /// The module instance.
    pub module: ModuleInstance,
    /// The resource within it.
    pub resource: ResourceAddr,
}

impl AbsResource {
    /// An instance of this resource.
    pub fn instance(&self, key: Option<InstanceKey>) -> ResourceInstanceAddr {
        ResourceInstanceAddr {
            module: self.module.clone(),
            resource: self.resource.clone(),
            key,
        }
    }
}

impl fmt::Display for AbsResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.module.is_root() {
            write!(f, "{}.", self.module)?;
        }
        write!(f, "{}", self.resource)
    }
}

/// One instance of a resource: the unit that is created, updated and deleted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ResourceInstanceAddr {
    /// The module instance.
    pub module: ModuleInstance,
    /// The resource within it.
    pub resource: ResourceAddr,
    /// The instance key, if the resource has `count` or `for_each`.
    pub key: Option<InstanceKey>,
}

impl ResourceInstanceAddr {
    /// The resource this is an instance of.
    pub fn abs_resource(&self) -> AbsResource {
        AbsResource {
            module: self.module.clone(),
            resource: self.resource.clone(),
        }
    }
}

impl fmt::Display for ResourceInstanceAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.abs_resource())?;
        if let Some(k) = &self.key {
            write!(f, "{k}")?;
        }
        Ok(())
    }
}

/// An address that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid address {input:?}: {reason}")]
pub struct ParseAddrError {
    /// What was given.
    pub input: String,
    /// Why it is not an address.
    pub reason: String,
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
    input: &'a str,
}

impl<'a> Cursor<'a> {
    fn err(&self, reason: &str) -> ParseAddrError {
        ParseAddrError {
            input: self.input.to_string(),
            reason: reason.to_string(),
        }
    }

    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn ident(&mut self) -> Result<&'a str, ParseAddrError> {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '-'))
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        if len == 0 {
            return Err(self.err("expected a name"));
        }
        self.pos += len;
        Ok(&rest[..len])
    }

    fn eat(&mut self, c: char) -> bool {
        if self.rest().starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn key(&mut self) -> Result<Option<InstanceKey>, ParseAddrError> {
        if !self.eat('[') {
            return Ok(None);
        }
        let key = if self.eat('"') {
            let mut out = String::new();
            let mut chars = self.rest().char_indices();
            let mut consumed = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => {
                        consumed = Some(i + 1);
                        break;
                    }
                    '\\' => match chars.next() {
                        Some((_, 'n')) => out.push('\n'),
                        Some((_, c)) => out.push(c),
                        None => break,
                    },
                    c => out.push(c),
                }
            }
            let n = consumed.ok_or_else(|| self.err("unterminated string key"))?;
            self.pos += n;
            InstanceKey::Str(out)
        } else {
            let rest = self.rest();
            let len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '-'))
                .unwrap_or(rest.len());
            let n: i64 = rest[..len]
                .parse()
                .map_err(|_| self.err("expected a number or a quoted string as the key"))?;
            self.pos += len;
            InstanceKey::Int(n)
        };
        if !self.eat(']') {
            return Err(self.err("expected ']'"));
        }
        Ok(Some(key))
    }
}

impl FromStr for ResourceInstanceAddr {
    type Err = ParseAddrError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut c = Cursor {
            s,
            pos: 0,
            input: s,
        };
        let mut module = ModuleInstance::root();
        loop {
            if c.rest().starts_with("module.") {
                c.pos += "module.".len();
                let name = c.ident()?.to_string();
                let key = c.key()?;
                module = module.child(&name, key);
                if !c.eat('.') {
                    return Err(c.err("expected a resource after the module"));
                }
            } else {
                break;
            }
        }
        let mut mode = ResourceMode::Managed;
        if c.rest().starts_with("data.") {
            c.pos += "data.".len();
            mode = ResourceMode::Data;
        }
        let type_name = c.ident()?.to_string();
        if !c.eat('.') {
            return Err(c.err("expected TYPE.NAME"));
        }
        let name = c.ident()?.to_string();
        let key = c.key()?;
        if !c.rest().is_empty() {
            return Err(c.err("unexpected text after the address"));
        }
        Ok(ResourceInstanceAddr {
            module,
            resource: ResourceAddr {
                mode,
                type_name,
                name,
            },
            key,
        })
    }
}

impl FromStr for AbsResource {
    type Err = ParseAddrError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let inst: ResourceInstanceAddr = s.parse()?;
        if inst.key.is_some() {
            return Err(ParseAddrError {
                input: s.to_string(),
                reason: "a resource address has no instance key".into(),
            });
        }
        Ok(inst.abs_resource())
    }
}

impl Serialize for ModuleInstanceDisplay<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

/// Serialises a module instance as its display string.
pub struct ModuleInstanceDisplay<'a>(pub &'a ModuleInstance);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_parse_round_trip() {
        for s in [
            "aws_iam_role.this",
            "data.aws_region.current",
            "aws_subnet.private[\"a\"]",
            "aws_subnet.private[3]",
            "module.app.aws_emrserverless_application.this[0]",
            "module.app[\"x\"].module.net[1].aws_vpc.main",
            "aws_s3_object.o[\"we\\\"ird\"]",
        ] {
            let a: ResourceInstanceAddr = s.parse().unwrap();
            assert_eq!(a.to_string(), s);
        }
    }

    #[test]
    fn bad_addresses_are_errors() {
        for s in ["", "aws_iam_role", "aws_iam_role.x[", "module.a", "a.b.c"] {
            assert!(s.parse::<ResourceInstanceAddr>().is_err(), "{s}");
        }
    }
}
