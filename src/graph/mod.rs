//! The dependency graph of a configuration: nodes for variables, locals, outputs, resources,
//! data sources and module calls; edges from references and `depends_on`.
