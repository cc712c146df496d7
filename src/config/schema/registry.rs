//! The table of every schema emrform knows: type name → schema.

use super::{ResourceSchema, SchemaKind};
use std::collections::HashMap;
use std::sync::OnceLock;

/// All schemas, built once.
pub struct Registry {
    managed: HashMap<&'static str, ResourceSchema>,
    data: HashMap<&'static str, ResourceSchema>,
}

impl Registry {
    /// The process-wide registry.
    pub fn global() -> &'static Registry {
        static REGISTRY: OnceLock<Registry> = OnceLock::new();
        REGISTRY.get_or_init(Registry::build)
    }

    fn build() -> Registry {
        let mut managed = HashMap::new();
        let mut data = HashMap::new();
        for s in all_schemas() {
            match s.kind {
                SchemaKind::Managed => managed.insert(s.type_name, s),
                SchemaKind::Data => data.insert(s.type_name, s),
            };
        }
        Registry { managed, data }
    }

    /// Schema of a managed resource type.
    pub fn managed(&self, type_name: &str) -> Option<&ResourceSchema> {
        self.managed.get(type_name)
    }

    /// Schema of a data source.
    pub fn data(&self, type_name: &str) -> Option<&ResourceSchema> {
        self.data.get(type_name)
    }

    /// Names of managed types, sorted.
    pub fn managed_names(&self) -> Vec<&'static str> {
        let mut v: Vec<_> = self.managed.keys().copied().collect();
        v.sort_unstable();
        v
    }

    /// Names of data sources, sorted.
    pub fn data_names(&self) -> Vec<&'static str> {
        let mut v: Vec<_> = self.data.keys().copied().collect();
        v.sort_unstable();
        v
    }
}

/// Schema of a managed resource type.
pub fn managed_resource(type_name: &str) -> Option<&'static ResourceSchema> {
    Registry::global().managed(type_name)
}

/// Schema of a data source.
pub fn data_source(type_name: &str) -> Option<&'static ResourceSchema> {
    Registry::global().data(type_name)
}

/// Every schema: the managed resource types, then the data sources. Each type's file
/// contributes its `schema()` through its folder's `all()`.
pub fn all_schemas() -> Vec<ResourceSchema> {
    let mut v = super::resources::all();
    v.extend(super::data_sources::all());
    v
}
