//! The schema data model.

use crate::config::value::Value;

/// The type of an attribute, as in the provider schema.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrType {
    String,
    Number,
    Bool,
    /// list(T)
    List(Box<AttrType>),
    /// set(T)
    Set(Box<AttrType>),
    /// map(T)
    Map(Box<AttrType>),
    /// An object with fixed attribute types (rare in the AWS provider).
    Object(Vec<(&'static str, AttrType)>),
    /// Any type (`dynamic` in the provider schema).
    Dynamic,
}

/// A check on an attribute's value beyond its type (mirrors the provider's validators).
#[derive(Debug, Clone, PartialEq)]
pub enum Validation {
    /// One of these strings (case-sensitive unless `ignore_case`).
    OneOf {
        values: &'static [&'static str],
        ignore_case: bool,
    },
    /// String length in characters, inclusive.
    Length { min: usize, max: usize },
    /// Number range, inclusive.
    Range { min: f64, max: f64 },
    /// String must match this regular expression (anchored by the author).
    Regex {
        pattern: &'static str,
        message: &'static str,
    },
    /// String must be valid JSON.
    Json,
    /// String must be an IPv4 CIDR block.
    Ipv4Cidr,
    /// String must be an ARN.
    Arn,
}

/// One attribute (argument or computed value) of a resource or block.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// Name as written in configuration.
    pub name: &'static str,
    /// Value type.
    pub ty: AttrType,
    /// Must be set in configuration.
    pub required: bool,
    /// May be set in configuration.
    pub optional: bool,
    /// Set by the provider when not configured (or always, when not optional).
    pub computed: bool,
    /// Changing it replaces the object.
    pub force_new: bool,
    /// Sensitive values never appear in plan output.
    pub sensitive: bool,
    /// Deprecated: a warning names it.
    pub deprecated: Option<&'static str>,
    /// Value used when not configured (the provider's `Default`).
    pub default: Option<Value>,
    /// Value checks.
    pub validations: Vec<Validation>,
    /// Names of attributes it cannot be set together with.
    pub conflicts_with: &'static [&'static str],
    /// One-line description for "did you mean" and docs.
    pub description: &'static str,
}

impl Attribute {
    fn base(name: &'static str, ty: AttrType) -> Self {
        Attribute {
            name,
            ty,
            required: false,
            optional: false,
            computed: false,
            force_new: false,
            sensitive: false,
            deprecated: None,
            default: None,
            validations: Vec::new(),
            conflicts_with: &[],
            description: "",
        }
    }

    /// A required argument.
    pub fn required(name: &'static str, ty: AttrType) -> Self {
        Attribute {
            required: true,
            ..Attribute::base(name, ty)
        }
    }

    /// An optional argument.
    pub fn optional(name: &'static str, ty: AttrType) -> Self {
        Attribute {
            optional: true,
            ..Attribute::base(name, ty)
        }
    }

    /// An optional argument the provider fills in when absent.
    pub fn optional_computed(name: &'static str, ty: AttrType) -> Self {
        Attribute {
            optional: true,
            computed: true,
            ..Attribute::base(name, ty)
        }
    }

    /// A read-only attribute.
    pub fn computed(name: &'static str, ty: AttrType) -> Self {
        Attribute {
            computed: true,
            ..Attribute::base(name, ty)
        }
    }

    /// Marks it ForceNew.
    pub fn force_new(mut self) -> Self {
        self.force_new = true;
        self
    }

    /// Marks it sensitive.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// Sets the default.
    pub fn default(mut self, v: impl Into<Value>) -> Self {
        self.default = Some(v.into());
        self
    }

    /// Adds a validation.
    pub fn validate(mut self, v: Validation) -> Self {
        self.validations.push(v);
        self
    }

    /// Sets conflicting attributes.
    pub fn conflicts(mut self, with: &'static [&'static str]) -> Self {
        self.conflicts_with = with;
        self
    }

    /// Marks it deprecated with a message.
    pub fn deprecated(mut self, msg: &'static str) -> Self {
        self.deprecated = Some(msg);
        self
    }

    /// Sets the description.
    pub fn describe(mut self, d: &'static str) -> Self {
        self.description = d;
        self
    }

    /// For an attribute of type `list(object)` or `set(object)`, the object's fields: such an
    /// attribute may also be written as repeated nested blocks (Terraform's "attributes as
    /// blocks", e.g. `ingress { ... }` on `aws_security_group` or `route { ... }` on
    /// `aws_route_table`), each block being one element. `None` for every other type.
    pub fn block_syntax_fields(&self) -> Option<&[(&'static str, AttrType)]> {
        match &self.ty {
            AttrType::List(e) | AttrType::Set(e) => match e.as_ref() {
                AttrType::Object(fields) => Some(fields),
                _ => None,
            },
            _ => None,
        }
    }
}

/// How a nested block repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// A list of blocks (order matters).
    List,
    /// A set of blocks (order does not matter).
    Set,
    /// At most one block, stored as an object (`NestingSingle`).
    Single,
}

/// A nested block type.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockType {
    /// Block name as written (`auto_stop_configuration`).
    pub name: &'static str,
    /// How it repeats.
    pub nesting: Nesting,
    /// Minimum number of blocks (1 for a required block).
    pub min_items: usize,
    /// Maximum number of blocks; 0 = unlimited.
    pub max_items: usize,
    /// Changing anything in it replaces the resource.
    pub force_new: bool,
    /// The provider fills it in when absent (`Optional+Computed` block).
    pub computed: bool,
    /// Contents.
    pub body: Body,
}

impl BlockType {
    /// A list block with unlimited items.
    pub fn list(name: &'static str, body: Body) -> Self {
        BlockType {
            name,
            nesting: Nesting::List,
            min_items: 0,
            max_items: 0,
            force_new: false,
            computed: false,
            body,
        }
    }

    /// A set block with unlimited items.
    pub fn set(name: &'static str, body: Body) -> Self {
        BlockType {
            nesting: Nesting::Set,
            ..BlockType::list(name, body)
        }
    }

    /// A list block with at most one item (the provider's `MaxItems: 1`).
    pub fn single(name: &'static str, body: Body) -> Self {
        BlockType {
            max_items: 1,
            ..BlockType::list(name, body)
        }
    }

    /// Sets min/max items.
    pub fn items(mut self, min: usize, max: usize) -> Self {
        self.min_items = min;
        self.max_items = max;
        self
    }

    /// Marks it ForceNew.
    pub fn force_new(mut self) -> Self {
        self.force_new = true;
        self
    }

    /// Marks it Optional+Computed.
    pub fn computed(mut self) -> Self {
        self.computed = true;
        self
    }
}

/// Attributes and nested blocks of a resource or block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    /// Attributes in declaration order.
    pub attributes: Vec<Attribute>,
    /// Nested block types in declaration order.
    pub blocks: Vec<BlockType>,
}

impl Body {
    /// An empty body.
    pub fn new() -> Self {
        Body::default()
    }

    /// Adds an attribute.
    pub fn attr(mut self, a: Attribute) -> Self {
        self.attributes.push(a);
        self
    }

    /// Adds a nested block type.
    pub fn block(mut self, b: BlockType) -> Self {
        self.blocks.push(b);
        self
    }

    /// Finds an attribute by name.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// Finds a nested block type by name.
    pub fn block_type(&self, name: &str) -> Option<&BlockType> {
        self.blocks.iter().find(|b| b.name == name)
    }

    /// Paths (dotted) of every attribute or block with `name` anywhere below this body,
    /// for "did you mean `auto_stop_configuration.idle_timeout_minutes`?".
    pub fn find_nested(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        for b in &self.blocks {
            if b.body.attribute(name).is_some() || b.body.block_type(name).is_some() {
                out.push(format!("{}.{}", b.name, name));
            }
            for p in b.body.find_nested(name) {
                out.push(format!("{}.{}", b.name, p));
            }
        }
        out
    }
}

/// Whether a schema is for a managed resource or a data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    Managed,
    Data,
}

/// The schema of one resource type or data source.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceSchema {
    /// Type name, e.g. `aws_emrserverless_application`.
    pub type_name: &'static str,
    /// Managed resource or data source.
    pub kind: SchemaKind,
    /// Version of the schema, recorded in state as `schema_version`.
    pub version: u64,
    /// Top-level attributes and blocks.
    pub body: Body,
    /// How `import` ids look, for help texts (e.g. "application id").
    pub import_id: &'static str,
}
