//! Terraform's state file, format version 4, as plain serde data.
//!
//! Field order, omission rules and string escaping follow Terraform's own writer, so a file
//! Terraform wrote reads and writes back byte for byte (see `state/README.md`). Resource
//! attributes stay JSON ([`serde_json::Value`]) inside the model; [`Instance::attributes_value`]
//! and [`Instance::set_attributes`] convert to and from [`crate::config::value::Value`].

use std::collections::BTreeMap;
use std::fmt;
use std::io;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value as Json;

use crate::addrs::{
    AbsResource, InstanceKey, ModuleInstance, ResourceAddr, ResourceInstanceAddr, ResourceMode,
};
use crate::config::value::Value;

/// The only state format version emrform reads and writes.
pub const STATE_VERSION: u64 = 4;

/// The Terraform version emrform records in states it creates: the Terraform release whose
/// format it writes, so that Terraform reads the file without complaint.
pub const TERRAFORM_VERSION: &str = "1.11.4";

/// A whole state file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// Format version; always [`STATE_VERSION`] once read.
    pub version: u64,
    /// The Terraform version that last wrote the file. Informational only: never used to decide
    /// how to read the file.
    pub terraform_version: String,
    /// Increases by one with every write that changes the content; a backend refuses a write
    /// whose serial does not move forward from what it holds.
    pub serial: u64,
    /// Identity of this state's history, fixed at creation (UUID). Two states with different
    /// lineages are unrelated even when their serials compare.
    pub lineage: String,
    /// Root module outputs by name.
    #[serde(default)]
    pub outputs: BTreeMap<String, OutputValue>,
    /// Resources, sorted as Terraform sorts them (see [`State::normalize`]).
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// Results of checks (`check` blocks, conditions) from the last run; `null` when none ran.
    /// Informational: never an input to planning.
    #[serde(default)]
    pub check_results: Option<Vec<CheckResult>>,
}

/// A root module output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputValue {
    /// The value as JSON.
    pub value: Json,
    /// The cty type as JSON (`"string"`, `["list","string"]`, ...).
    #[serde(rename = "type")]
    pub type_: Json,
    /// Marked sensitive in configuration: never print the value.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
}

/// All instances of one resource in one module instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// The module instance, root when empty.
    #[serde(
        default,
        skip_serializing_if = "ModuleInstance::is_root",
        serialize_with = "ser_module",
        deserialize_with = "de_module"
    )]
    pub module: ModuleInstance,
    /// `managed` or `data`.
    pub mode: ResourceMode,
    /// Resource type, e.g. `aws_iam_role`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// Local name.
    pub name: String,
    /// Legacy `each` mode (`list`/`map`) written by old Terraform versions; kept as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub each: Option<String>,
    /// The provider configuration address, e.g.
    /// `provider["registry.terraform.io/hashicorp/aws"]`.
    pub provider: String,
    /// Instance objects: current ones and deposed ones.
    pub instances: Vec<Instance>,
}

/// The status of an instance object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectStatus {
    /// Created but a later step failed: the next plan replaces it.
    Tainted,
}

/// One object of a resource instance (the current one, or a deposed one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    /// `count` index or `for_each` key; absent for a single instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_key: Option<InstanceKey>,
    /// `tainted` or absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ObjectStatus>,
    /// Deposed key: set on an object kept while its replacement was created
    /// (create_before_destroy); absent for the current object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposed: Option<String>,
    /// Version of the provider's schema the attributes were written with.
    pub schema_version: u64,
    /// Attribute values as JSON (an object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Json>,
    /// Flatmap attributes from states upgraded from format 3; kept as read, never written new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes_flat: Option<BTreeMap<String, String>>,
    /// Paths of sensitive attributes (Terraform's path JSON); kept as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_attributes: Option<Json>,
    /// Version of the provider's identity schema (Terraform 1.12+), kept as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_schema_version: Option<u64>,
    /// Resource identity object (Terraform 1.12+), kept as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Json>,
    /// Provider-private data, base64, opaque: passed back to the provider, never interpreted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private: Option<String>,
    /// Addresses of resources this object depended on when written (destroy ordering).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<String>,
    /// Whether this object is replaced create-before-destroy.
    #[serde(default, skip_serializing_if = "is_false")]
    pub create_before_destroy: bool,
}

/// Result of one checkable configuration object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckResult {
    /// `resource`, `output`, `check` or `var`.
    pub object_kind: String,
    /// The configuration address, e.g. `check.repo_immutable`.
    pub config_addr: String,
    /// `pass`, `fail`, `error` or `unknown`.
    pub status: String,
    /// Per-object results; `null` when there were none.
    #[serde(default)]
    pub objects: Option<Vec<CheckObject>>,
}

/// Result for one dynamic object of a checkable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckObject {
    /// The object's absolute address.
    pub object_addr: String,
    /// `pass`, `fail`, `error` or `unknown`.
    pub status: String,
    /// Messages of failed conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failure_messages: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn ser_module<S: Serializer>(m: &ModuleInstance, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(m)
}

fn de_module<'de, D: Deserializer<'de>>(d: D) -> Result<ModuleInstance, D::Error> {
    let s = String::deserialize(d)?;
    parse_module_instance(&s).map_err(serde::de::Error::custom)
}

/// Parses a module instance address (`module.a["x"].module.b`); the empty string is root.
///
/// # Errors
///
/// When the text is not a module instance address.
pub fn parse_module_instance(s: &str) -> Result<ModuleInstance, crate::addrs::ParseAddrError> {
    if s.is_empty() {
        return Ok(ModuleInstance::root());
    }
    let probe: ResourceInstanceAddr =
        format!("{s}.t.n")
            .parse()
            .map_err(|_| crate::addrs::ParseAddrError {
                input: s.to_string(),
                reason: "not a module instance address".to_string(),
            })?;
    if probe.module.is_root() {
        return Err(crate::addrs::ParseAddrError {
            input: s.to_string(),
            reason: "not a module instance address".to_string(),
        });
    }
    Ok(probe.module)
}

/// Why a state file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum StateFormatError {
    /// Not JSON, or JSON that does not match the format.
    #[error("{source_name}:{line}:{column}: invalid state file: {message}")]
    Syntax {
        /// Where the bytes came from (a path or `s3://...`).
        source_name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde_json reported.
        message: String,
    },
    /// A format version emrform does not read.
    #[error("{source_name}: state format version {found} is not supported: {hint}")]
    UnsupportedVersion {
        /// Where the bytes came from.
        source_name: String,
        /// The `version` found.
        found: u64,
        /// What to do about it.
        hint: &'static str,
    },
}

#[derive(Deserialize)]
struct VersionProbe {
    version: Option<u64>,
}

fn syntax_error(source_name: &str, e: &serde_json::Error) -> StateFormatError {
    // serde_json appends " at line L column C" to its message; keep only the cause.
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    StateFormatError::Syntax {
        source_name: source_name.to_string(),
        line: e.line(),
        column: e.column(),
        message,
    }
}

impl State {
    /// An empty state with a fresh lineage (UUID v4) and serial 0.
    pub fn new() -> State {
        State {
            version: STATE_VERSION,
            terraform_version: TERRAFORM_VERSION.to_string(),
            serial: 0,
            lineage: uuid::Uuid::new_v4().to_string(),
            outputs: BTreeMap::new(),
            resources: Vec::new(),
            check_results: None,
        }
    }

    /// Parses a state file. `source_name` names the origin in error messages.
    ///
    /// # Errors
    ///
    /// [`StateFormatError::Syntax`] with line and column for bad JSON or an unexpected shape
    /// (including fields this version does not know), [`StateFormatError::UnsupportedVersion`]
    /// for format versions other than 4.
    pub fn from_slice(bytes: &[u8], source_name: &str) -> Result<State, StateFormatError> {
        let probe: VersionProbe =
            serde_json::from_slice(bytes).map_err(|e| syntax_error(source_name, &e))?;
        match probe.version {
            Some(STATE_VERSION) => {}
            Some(v) if v > STATE_VERSION => {
                return Err(StateFormatError::UnsupportedVersion {
                    source_name: source_name.to_string(),
                    found: v,
                    hint: "it was written by a newer tool than this emrform understands; \
                           upgrade emrform (it will not overwrite the file)",
                })
            }
            Some(v) => {
                return Err(StateFormatError::UnsupportedVersion {
                    source_name: source_name.to_string(),
                    found: v,
                    hint: "it predates Terraform 0.12; upgrade it by running a Terraform \
                           1.x `terraform apply -refresh-only` on it first",
                })
            }
            None => {
                return Err(StateFormatError::Syntax {
                    source_name: source_name.to_string(),
                    line: 1,
                    column: 1,
                    message: "missing field `version`: not a Terraform state file".to_string(),
                })
            }
        }
        serde_json::from_slice(bytes).map_err(|e| syntax_error(source_name, &e))
    }

    /// Serialises exactly as Terraform does: two-space indent, HTML-safe string escapes,
    /// trailing newline.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4096);
        let mut ser = serde_json::Serializer::with_formatter(&mut out, GoFormatter::new());
        // Serialising plain data into a Vec cannot fail: no I/O, no non-string map keys.
        if self.serialize(&mut ser).is_err() {
            out.clear();
        }
        out.push(b'\n');
        out
    }

    /// Adds one to the serial.
    pub fn bump_serial(&mut self) {
        self.serial += 1;
    }

    /// Sorts resources and instances the way Terraform's writer does (module, mode, type,
    /// name; then index key, current before deposed). Idempotent.
    pub fn normalize(&mut self) {
        self.resources.sort_by(|a, b| {
            let ma = a.module.to_string();
            let mb = b.module.to_string();
            ma.cmp(&mb)
                .then_with(|| mode_str(a.mode).cmp(mode_str(b.mode)))
                .then_with(|| a.type_name.cmp(&b.type_name))
                .then_with(|| a.name.cmp(&b.name))
        });
        for r in &mut self.resources {
            r.instances.sort_by(|a, b| {
                a.index_key
                    .cmp(&b.index_key)
                    .then_with(|| a.deposed.cmp(&b.deposed))
            });
        }
    }

    /// The resource entry for an address, if any.
    pub fn resource(&self, addr: &AbsResource) -> Option<&Resource> {
        self.resources.iter().find(|r| r.matches(addr))
    }

    /// The mutable resource entry for an address, if any.
    pub fn resource_mut(&mut self, addr: &AbsResource) -> Option<&mut Resource> {
        self.resources.iter_mut().find(|r| r.matches(addr))
    }

    /// The current (not deposed) object of an instance.
    pub fn instance(&self, addr: &ResourceInstanceAddr) -> Option<&Instance> {
        self.resource(&addr.abs_resource())?
            .instances
            .iter()
            .find(|i| i.index_key == addr.key && i.deposed.is_none())
    }

    /// The mutable current object of an instance.
    pub fn instance_mut(&mut self, addr: &ResourceInstanceAddr) -> Option<&mut Instance> {
        self.resource_mut(&addr.abs_resource())?
            .instances
            .iter_mut()
            .find(|i| i.index_key == addr.key && i.deposed.is_none())
    }

    /// Inserts or replaces the current object of an instance, creating the resource entry with
    /// `provider` when missing, and keeps Terraform's order. The instance's `index_key` is set
    /// from the address.
    pub fn insert_instance(
        &mut self,
        addr: &ResourceInstanceAddr,
        provider: &str,
        mut instance: Instance,
    ) {
        instance.index_key = addr.key.clone();
        let abs = addr.abs_resource();
        match self.resource_mut(&abs) {
            Some(r) => {
                match r
                    .instances
                    .iter_mut()
                    .find(|i| i.index_key == addr.key && i.deposed == instance.deposed)
                {
                    Some(slot) => *slot = instance,
                    None => r.instances.push(instance),
                }
            }
            None => self.resources.push(Resource {
                module: abs.module,
                mode: abs.resource.mode,
                type_name: abs.resource.type_name,
                name: abs.resource.name,
                each: None,
                provider: provider.to_string(),
                instances: vec![instance],
            }),
        }
        self.normalize();
    }

    /// Removes every object (current and deposed) of an instance and returns them; drops the
    /// resource entry when it becomes empty.
    pub fn remove_instance(&mut self, addr: &ResourceInstanceAddr) -> Vec<Instance> {
        let abs = addr.abs_resource();
        let Some(pos) = self.resources.iter().position(|r| r.matches(&abs)) else {
            return Vec::new();
        };
        let r = &mut self.resources[pos];
        let (gone, kept): (Vec<Instance>, Vec<Instance>) = std::mem::take(&mut r.instances)
            .into_iter()
            .partition(|i| i.index_key == addr.key);
        r.instances = kept;
        if r.instances.is_empty() {
            self.resources.remove(pos);
        }
        gone
    }

    /// Removes a whole resource entry.
    pub fn remove_resource(&mut self, addr: &AbsResource) -> Option<Resource> {
        let pos = self.resources.iter().position(|r| r.matches(addr))?;
        Some(self.resources.remove(pos))
    }

    /// Addresses of all instances that have a current object, in state order (deposed-only
    /// instances are listed too, once).
    pub fn instance_addrs(&self) -> Vec<ResourceInstanceAddr> {
        let mut out = Vec::new();
        for r in &self.resources {
            let abs = r.addr();
            for i in &r.instances {
                let a = abs.instance(i.index_key.clone());
                if out.last() != Some(&a) && !out.contains(&a) {
                    out.push(a);
                }
            }
        }
        out
    }
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

fn mode_str(m: ResourceMode) -> &'static str {
    match m {
        ResourceMode::Managed => "managed",
        ResourceMode::Data => "data",
    }
}

impl Resource {
    /// This resource's absolute address.
    pub fn addr(&self) -> AbsResource {
        AbsResource {
            module: self.module.clone(),
            resource: ResourceAddr {
                mode: self.mode,
                type_name: self.type_name.clone(),
                name: self.name.clone(),
            },
        }
    }

    fn matches(&self, a: &AbsResource) -> bool {
        self.mode == a.resource.mode
            && self.type_name == a.resource.type_name
            && self.name == a.resource.name
            && self.module == a.module
    }
}

/// A value that cannot be stored in state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttributesError {
    /// Unknown values exist only during planning.
    #[error("attributes contain unknown values; only known values can be stored in state")]
    Unknown,
    /// State attributes are an object.
    #[error("attributes must be an object, got {0}")]
    NotAnObject(&'static str),
}

impl Instance {
    /// A current, untainted object with these attributes (JSON object).
    pub fn new(schema_version: u64, attributes: Json) -> Instance {
        Instance {
            index_key: None,
            status: None,
            deposed: None,
            schema_version,
            attributes: Some(attributes),
            attributes_flat: None,
            sensitive_attributes: Some(Json::Array(Vec::new())),
            identity_schema_version: None,
            identity: None,
            private: None,
            dependencies: Vec::new(),
            create_before_destroy: false,
        }
    }

    /// The attributes as a [`Value`] (a map; `Null` when the instance has none).
    pub fn attributes_value(&self) -> Value {
        match &self.attributes {
            Some(j) => Value::from_json(j),
            None => match &self.attributes_flat {
                Some(flat) => Value::map(
                    flat.iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone()))),
                ),
                None => Value::Null,
            },
        }
    }

    /// Replaces the attributes from a [`Value`].
    ///
    /// # Errors
    ///
    /// [`AttributesError::Unknown`] if any part is unknown, [`AttributesError::NotAnObject`] if
    /// the value is not a map.
    pub fn set_attributes(&mut self, v: &Value) -> Result<(), AttributesError> {
        if !v.is_wholly_known() {
            return Err(AttributesError::Unknown);
        }
        if !matches!(v, Value::Map(_)) {
            return Err(AttributesError::NotAnObject(v.type_name()));
        }
        self.attributes = Some(v.to_json());
        self.attributes_flat = None;
        Ok(())
    }

    /// Paths marked sensitive, as lists of steps: attribute names (strings) and element
    /// keys/indexes. Understands Terraform 1.x's `[{"type":"get_attr","value":"x"}]` form.
    pub fn sensitive_paths(&self) -> Vec<Vec<Json>> {
        let Some(Json::Array(paths)) = &self.sensitive_attributes else {
            return Vec::new();
        };
        paths
            .iter()
            .filter_map(|p| match p {
                Json::Array(steps) => Some(
                    steps
                        .iter()
                        .map(|s| match s.get("value") {
                            // Index steps carry a typed value: {"value": "k", "type": "string"}.
                            Some(Json::Object(v)) => v.get("value").cloned().unwrap_or(Json::Null),
                            Some(v) => v.clone(),
                            None => Json::Null,
                        })
                        .collect(),
                ),
                _ => None,
            })
            .collect()
    }
}

/// A `serde_json` formatter that writes what Go's `json.MarshalIndent(v, "", "  ")` writes:
/// `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u00XX`, floats without exponent.
pub struct GoFormatter {
    inner: serde_json::ser::PrettyFormatter<'static>,
}

impl GoFormatter {
    /// A formatter with two-space indentation.
    pub fn new() -> Self {
        GoFormatter {
            inner: serde_json::ser::PrettyFormatter::with_indent(b"  "),
        }
    }
}

impl Default for GoFormatter {
    fn default() -> Self {
        Self::new()
    }
}

impl serde_json::ser::Formatter for GoFormatter {
    fn write_f64<W: ?Sized + io::Write>(&mut self, w: &mut W, v: f64) -> io::Result<()> {
        if v.is_finite() {
            write!(w, "{v}")
        } else {
            w.write_all(b"null")
        }
    }
    fn write_f32<W: ?Sized + io::Write>(&mut self, w: &mut W, v: f32) -> io::Result<()> {
        self.write_f64(w, f64::from(v))
    }
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            let esc: &[u8] = match c {
                '<' => b"\\u003c",
                '>' => b"\\u003e",
                '&' => b"\\u0026",
                '\u{2028}' => b"\\u2028",
                '\u{2029}' => b"\\u2029",
                _ => continue,
            };
            w.write_all(&fragment.as_bytes()[start..i])?;
            w.write_all(esc)?;
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.inner.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.inner.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_object_value(w)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn addr(s: &str) -> ResourceInstanceAddr {
        s.parse().unwrap()
    }

    #[test]
    fn new_state_has_uuid_lineage_and_writes_terraform_shape() {
        let s = State::new();
        assert!(uuid::Uuid::parse_str(&s.lineage).is_ok());
        let text = String::from_utf8(s.to_vec()).unwrap();
        let expected = format!(
            "{{\n  \"version\": 4,\n  \"terraform_version\": \"{TERRAFORM_VERSION}\",\n  \"serial\": 0,\n  \"lineage\": \"{}\",\n  \"outputs\": {{}},\n  \"resources\": [],\n  \"check_results\": null\n}}\n",
            s.lineage
        );
        assert_eq!(text, expected);
        assert_ne!(State::new().lineage, s.lineage);
    }

    #[test]
    fn html_characters_and_floats_are_written_as_go_does() {
        let mut s = State::new();
        s.outputs.insert(
            "o".into(),
            OutputValue {
                value: json!({"t": "a<b>&c\u{2028}", "f": 0.25, "big": 1e21, "i": 7}),
                type_: json!("string"),
                sensitive: false,
            },
        );
        let text = String::from_utf8(s.to_vec()).unwrap();
        assert!(
            text.contains(r#""t": "a\u003cb\u003e\u0026c\u2028""#),
            "{text}"
        );
        assert!(text.contains(r#""f": 0.25"#));
        assert!(text.contains(r#""big": 1000000000000000000000"#));
        assert!(text.contains(r#""i": 7"#));
        let back = State::from_slice(text.as_bytes(), "t").unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn insert_find_remove_by_address() {
        let mut s = State::new();
        let p = r#"provider["registry.terraform.io/hashicorp/aws"]"#;
        s.insert_instance(
            &addr("module.app[\"b\"].aws_iam_role.r"),
            p,
            Instance::new(0, json!({"id": "b"})),
        );
        s.insert_instance(
            &addr("aws_subnet.s[1]"),
            p,
            Instance::new(1, json!({"id": "s1"})),
        );
        s.insert_instance(
            &addr("aws_subnet.s[0]"),
            p,
            Instance::new(1, json!({"id": "s0"})),
        );
        s.insert_instance(
            &addr("data.aws_region.r"),
            p,
            Instance::new(0, json!({"id": "r"})),
        );
        let listed: Vec<String> = s.instance_addrs().iter().map(|a| a.to_string()).collect();
        assert_eq!(
            listed,
            [
                "data.aws_region.r",
                "aws_subnet.s[0]",
                "aws_subnet.s[1]",
                "module.app[\"b\"].aws_iam_role.r"
            ]
        );
        let i = s.instance(&addr("aws_subnet.s[1]")).unwrap();
        assert_eq!(i.attributes.as_ref().unwrap()["id"], "s1");
        assert_eq!(i.index_key, Some(InstanceKey::Int(1)));
        // Replacing keeps one object.
        s.insert_instance(
            &addr("aws_subnet.s[1]"),
            p,
            Instance::new(1, json!({"id": "new"})),
        );
        assert_eq!(
            s.resources.iter().map(|r| r.instances.len()).sum::<usize>(),
            4
        );
        assert_eq!(s.remove_instance(&addr("aws_subnet.s[0]")).len(), 1);
        assert_eq!(s.remove_instance(&addr("aws_subnet.s[1]")).len(), 1);
        assert!(s.resource(&"aws_subnet.s".parse().unwrap()).is_none());
        assert!(s.remove_instance(&addr("aws_subnet.s[1]")).is_empty());
        assert!(s
            .instance(&addr("module.app[\"b\"].aws_iam_role.r"))
            .is_some());
    }

    #[test]
    fn values_convert_and_unknowns_are_refused() {
        let mut i = Instance::new(0, json!({"name": "x", "n": 3, "tags": {"a": "b"}}));
        let v = i.attributes_value();
        assert_eq!(v.get("name").and_then(Value::as_str), Some("x"));
        let mut m = v.as_map().unwrap().clone();
        m.insert("arn".into(), Value::Unknown);
        assert_eq!(
            i.set_attributes(&Value::Map(m.clone())),
            Err(AttributesError::Unknown)
        );
        m.insert("arn".into(), Value::string("arn:aws:iam::1:role/x"));
        i.set_attributes(&Value::Map(m)).unwrap();
        assert_eq!(
            i.attributes.as_ref().unwrap()["arn"],
            "arn:aws:iam::1:role/x"
        );
        assert!(i.set_attributes(&Value::string("x")).is_err());
    }

    #[test]
    fn version_and_syntax_errors_are_clear() {
        let e = State::from_slice(br#"{"version": 5, "x": 1}"#, "a.tfstate").unwrap_err();
        assert!(e.to_string().contains("version 5 is not supported"), "{e}");
        assert!(e.to_string().contains("newer"), "{e}");
        let e = State::from_slice(br#"{"version": 3}"#, "a.tfstate").unwrap_err();
        assert!(e.to_string().contains("version 3"), "{e}");
        let e = State::from_slice(b"{\n  \"version\": 4,\n  oops\n}", "a.tfstate").unwrap_err();
        match e {
            StateFormatError::Syntax { line, column, .. } => assert_eq!((line, column), (3, 3)),
            other => panic!("{other}"),
        }
        let e = State::from_slice(
            br#"{"version":4,"terraform_version":"9.0.0","serial":1,"lineage":"l","resources":[],"future_field":1}"#,
            "a.tfstate",
        )
        .unwrap_err();
        assert!(e.to_string().contains("future_field"), "{e}");
        assert!(e.to_string().starts_with("a.tfstate:1:"), "{e}");
    }

    #[test]
    fn module_strings_parse() {
        assert!(parse_module_instance("").unwrap().is_root());
        assert_eq!(
            parse_module_instance("module.a[\"x\"].module.b[2]")
                .unwrap()
                .to_string(),
            "module.a[\"x\"].module.b[2]"
        );
        assert!(parse_module_instance("aws_vpc.x").is_err());
    }
}
