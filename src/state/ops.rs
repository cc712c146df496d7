//! The library side of `state list|show|rm|mv|pull`: pure functions over a [`State`].
//!
//! They never read or write a backend: the command reads a snapshot, calls one of these, and
//! (for `rm`/`mv`) bumps the serial and writes the state back against the snapshot's version.

use crate::addrs::{AbsResource, ModuleInstance, ParseAddrError, ResourceInstanceAddr};
use crate::config::schema::Body;

use super::model::{parse_module_instance, State};
use super::show::render_instance;

/// Why a state operation was refused. Nothing is changed when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    /// The address does not parse.
    #[error(transparent)]
    BadAddress(#[from] ParseAddrError),
    /// Nothing in the state matches.
    #[error("no object in the state matches {0}")]
    NoMatch(String),
    /// `state show` needs one instance; this address names several.
    #[error("{addr} has several instances; name one of: {}", .instances.join(", "))]
    NotOneInstance {
        /// The address given.
        addr: String,
        /// The instances it has.
        instances: Vec<String>,
    },
    /// The destination of a move already holds something.
    #[error("cannot move to {0}: it already exists in the state")]
    DestinationExists(String),
    /// A move between different kinds of address or different resource types.
    #[error("cannot move {from} to {to}: {reason}")]
    IncompatibleMove {
        /// Source address.
        from: String,
        /// Destination address.
        to: String,
        /// Why not.
        reason: &'static str,
    },
}

/// What an address given to `state list|rm|mv` selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Everything in a module instance and its children. A step without a key matches that
    /// module call's instances with any key.
    Module(ModuleInstance),
    /// All instances of a resource.
    Resource(AbsResource),
    /// One instance.
    Instance(ResourceInstanceAddr),
}

impl Target {
    /// Parses a target address.
    ///
    /// # Errors
    ///
    /// [`OpsError::BadAddress`] when it is neither a resource (instance) nor a module address.
    pub fn parse(s: &str) -> Result<Target, OpsError> {
        match s.parse::<ResourceInstanceAddr>() {
            Ok(a) if a.key.is_some() => Ok(Target::Instance(a)),
            Ok(a) => Ok(Target::Resource(a.abs_resource())),
            Err(e) => match parse_module_instance(s) {
                Ok(m) if !m.is_root() => Ok(Target::Module(m)),
                _ => Err(OpsError::BadAddress(e)),
            },
        }
    }

    /// True when this target selects the instance.
    pub fn matches(&self, a: &ResourceInstanceAddr) -> bool {
        match self {
            Target::Instance(t) => t == a,
            Target::Resource(r) => r.module == a.module && r.resource == a.resource,
            Target::Module(m) => module_contains(m, &a.module),
        }
    }
}

fn module_contains(prefix: &ModuleInstance, m: &ModuleInstance) -> bool {
    prefix.0.len() <= m.0.len()
        && prefix
            .0
            .iter()
            .zip(&m.0)
            .all(|(p, s)| p.name == s.name && (p.key.is_none() || p.key == s.key))
}

/// `state list [ADDR...]`: instance addresses, in state order, selected by any of `filters`
/// (all when empty).
///
/// # Errors
///
/// [`OpsError::BadAddress`] for a filter that does not parse.
pub fn list(state: &State, filters: &[&str]) -> Result<Vec<ResourceInstanceAddr>, OpsError> {
    let targets = filters
        .iter()
        .map(|f| Target::parse(f))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(state
        .instance_addrs()
        .into_iter()
        .filter(|a| targets.is_empty() || targets.iter().any(|t| t.matches(a)))
        .collect())
}

/// `state show ADDR`: the instance rendered as Terraform prints it, sensitive values hidden.
/// `schema` is the resource type's schema body when emrform knows the type.
///
/// # Errors
///
/// [`OpsError::BadAddress`], [`OpsError::NoMatch`], or [`OpsError::NotOneInstance`] when a
/// resource address with several instances is given.
pub fn show(state: &State, addr: &str, schema: Option<&Body>) -> Result<String, OpsError> {
    let target = Target::parse(addr)?;
    let matches: Vec<ResourceInstanceAddr> = match &target {
        Target::Module(_) => {
            return Err(OpsError::NotOneInstance {
                addr: addr.to_string(),
                instances: list(state, &[addr])?
                    .iter()
                    .map(|a| a.to_string())
                    .collect(),
            })
        }
        _ => state
            .instance_addrs()
            .into_iter()
            .filter(|a| target.matches(a))
            .collect(),
    };
    let one = match matches.as_slice() {
        [] => return Err(OpsError::NoMatch(addr.to_string())),
        [one] => one,
        many => {
            return Err(OpsError::NotOneInstance {
                addr: addr.to_string(),
                instances: many.iter().map(|a| a.to_string()).collect(),
            })
        }
    };
    let inst = state
        .instance(one)
        .ok_or_else(|| OpsError::NoMatch(format!("{addr} (only deposed objects remain)")))?;
    Ok(render_instance(one, inst, schema))
}

/// `state rm ADDR...`: removes every instance the addresses select and returns them. All
/// addresses are checked first: if any selects nothing, nothing is removed.
///
/// # Errors
///
/// [`OpsError::BadAddress`], [`OpsError::NoMatch`].
pub fn rm(state: &mut State, addrs: &[&str]) -> Result<Vec<ResourceInstanceAddr>, OpsError> {
    let all = state.instance_addrs();
    let mut selected: Vec<ResourceInstanceAddr> = Vec::new();
    for a in addrs {
        let t = Target::parse(a)?;
        let hits: Vec<_> = all.iter().filter(|x| t.matches(x)).cloned().collect();
        if hits.is_empty() {
            return Err(OpsError::NoMatch((*a).to_string()));
        }
        for h in hits {
            if !selected.contains(&h) {
                selected.push(h);
            }
        }
    }
    for a in &selected {
        state.remove_instance(a);
    }
    Ok(selected)
}

/// `state mv FROM TO`: moves an instance, a whole resource, or a whole module instance
/// (with its children), also into and out of modules. Returns each instance moved as
/// `(from, to)`.
///
/// # Errors
///
/// [`OpsError::BadAddress`], [`OpsError::NoMatch`] when FROM selects nothing,
/// [`OpsError::DestinationExists`], [`OpsError::IncompatibleMove`] for different resource
/// types or modes, or a module moved onto a resource.
pub fn mv(
    state: &mut State,
    from: &str,
    to: &str,
) -> Result<Vec<(ResourceInstanceAddr, ResourceInstanceAddr)>, OpsError> {
    let src = Target::parse(from)?;
    let dst = Target::parse(to)?;
    let incompatible = |reason| OpsError::IncompatibleMove {
        from: from.to_string(),
        to: to.to_string(),
        reason,
    };
    let all = state.instance_addrs();
    let selected: Vec<ResourceInstanceAddr> =
        all.iter().filter(|a| src.matches(a)).cloned().collect();
    if selected.is_empty() {
        return Err(OpsError::NoMatch(from.to_string()));
    }
    let check_types = |a: &AbsResource, b: &AbsResource| {
        if a.resource.mode != b.resource.mode {
            Err(incompatible(
                "one is a data source and the other a managed resource",
            ))
        } else if a.resource.type_name != b.resource.type_name {
            Err(incompatible("the resource types differ"))
        } else {
            Ok(())
        }
    };
    // Pairs (old, new) of instance addresses.
    let pairs: Vec<(ResourceInstanceAddr, ResourceInstanceAddr)> = match (&src, &dst) {
        (Target::Instance(a), Target::Instance(b)) => {
            check_types(&a.abs_resource(), &b.abs_resource())?;
            vec![(a.clone(), b.clone())]
        }
        // A single unkeyed instance moved to a key, or a keyed one to no key.
        (Target::Resource(r), Target::Instance(b))
            if selected.len() == 1 && selected[0].key.is_none() =>
        {
            check_types(r, &b.abs_resource())?;
            vec![(selected[0].clone(), b.clone())]
        }
        (Target::Instance(a), Target::Resource(r)) => {
            check_types(&a.abs_resource(), r)?;
            if state.resource(r).is_some() {
                return Err(OpsError::DestinationExists(to.to_string()));
            }
            vec![(a.clone(), r.instance(None))]
        }
        (Target::Resource(a), Target::Resource(b)) => {
            check_types(a, b)?;
            if state.resource(b).is_some() {
                return Err(OpsError::DestinationExists(to.to_string()));
            }
            selected
                .iter()
                .map(|s| (s.clone(), b.instance(s.key.clone())))
                .collect()
        }
        (Target::Resource(_), Target::Instance(_)) => {
            return Err(incompatible(
                "the source has several instances; move them one by one",
            ))
        }
        (Target::Module(m), Target::Module(n)) => {
            if m.0.iter().any(|s| s.key.is_none())
                && selected.iter().any(|a| has_keyed_prefix(m, &a.module))
            {
                return Err(incompatible(
                    "the source module has instance keys; name one, e.g. module.NAME[0]",
                ));
            }
            if all.iter().any(|a| module_contains(n, &a.module)) {
                return Err(OpsError::DestinationExists(to.to_string()));
            }
            selected
                .iter()
                .map(|s| {
                    let mut steps = n.0.clone();
                    steps.extend_from_slice(&s.module.0[m.0.len()..]);
                    let mut new = s.clone();
                    new.module = ModuleInstance(steps);
                    (s.clone(), new)
                })
                .collect()
        }
        (Target::Module(_), _) | (_, Target::Module(_)) => {
            return Err(incompatible("a module can only be moved to a module"))
        }
    };
    for (_, new) in &pairs {
        if all.contains(new) {
            return Err(OpsError::DestinationExists(new.to_string()));
        }
    }
    for (old, new) in &pairs {
        let provider = state
            .resource(&old.abs_resource())
            .map(|r| r.provider.clone())
            .unwrap_or_default();
        let each = state
            .resource(&old.abs_resource())
            .and_then(|r| r.each.clone());
        let objects = state.remove_instance(old);
        let created = state.resource(&new.abs_resource()).is_none();
        for mut obj in objects {
            obj.index_key = new.key.clone();
            // Deposed objects keep their deposed key, so they land beside the current one.
            state.insert_instance(new, &provider, obj);
        }
        if created {
            if let Some(r) = state.resource_mut(&new.abs_resource()) {
                r.each = each.filter(|_| new.key.is_some());
            }
        }
    }
    Ok(pairs)
}

fn has_keyed_prefix(prefix: &ModuleInstance, m: &ModuleInstance) -> bool {
    prefix
        .0
        .iter()
        .zip(&m.0)
        .any(|(p, s)| p.key.is_none() && s.key.is_some())
}

/// `state pull`: the state as Terraform would write it.
pub fn pull(state: &State) -> Vec<u8> {
    state.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::model::Instance;
    use serde_json::json;

    const P: &str = "provider[\"registry.terraform.io/hashicorp/aws\"]";

    fn state(addrs: &[&str]) -> State {
        let mut s = State::new();
        for a in addrs {
            let addr: ResourceInstanceAddr = a.parse().unwrap();
            s.insert_instance(&addr, P, Instance::new(0, json!({ "id": a })));
        }
        s
    }

    fn names(v: &[ResourceInstanceAddr]) -> Vec<String> {
        v.iter().map(|a| a.to_string()).collect()
    }

    const SAMPLE: &[&str] = &[
        "aws_vpc.main",
        "aws_subnet.private[0]",
        "aws_subnet.private[1]",
        "data.aws_region.current",
        "module.app[\"etl\"].aws_iam_role.this",
        "module.app[\"ml\"].aws_iam_role.this",
        "module.app[\"ml\"].module.net.aws_vpc.v",
    ];

    #[test]
    fn list_filters_by_resource_instance_and_module() {
        let s = state(SAMPLE);
        assert_eq!(list(&s, &[]).unwrap().len(), SAMPLE.len());
        assert_eq!(
            names(&list(&s, &["aws_subnet.private"]).unwrap()),
            ["aws_subnet.private[0]", "aws_subnet.private[1]"]
        );
        assert_eq!(
            names(&list(&s, &["aws_subnet.private[1]"]).unwrap()),
            ["aws_subnet.private[1]"]
        );
        assert_eq!(
            names(&list(&s, &["module.app[\"ml\"]"]).unwrap()),
            [
                "module.app[\"ml\"].aws_iam_role.this",
                "module.app[\"ml\"].module.net.aws_vpc.v"
            ]
        );
        assert_eq!(list(&s, &["module.app"]).unwrap().len(), 3);
        assert!(list(&s, &["module.none"]).unwrap().is_empty());
        assert!(matches!(
            list(&s, &["not an address"]),
            Err(OpsError::BadAddress(_))
        ));
        // Root resources come first, data before managed, as Terraform orders them.
        assert_eq!(
            list(&s, &[]).unwrap()[0].to_string(),
            "data.aws_region.current"
        );
    }

    #[test]
    fn show_needs_exactly_one_instance() {
        let s = state(SAMPLE);
        let out = show(&s, "aws_vpc.main", None).unwrap();
        assert!(
            out.starts_with("# aws_vpc.main:\nresource \"aws_vpc\" \"main\" {\n"),
            "{out}"
        );
        assert!(out.contains("id = \"aws_vpc.main\""), "{out}");
        let out = show(&s, "data.aws_region.current", None).unwrap();
        assert!(out.contains("data \"aws_region\" \"current\" {"), "{out}");
        match show(&s, "aws_subnet.private", None) {
            Err(OpsError::NotOneInstance { instances, .. }) => assert_eq!(instances.len(), 2),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            show(&s, "aws_vpc.nope", None),
            Err(OpsError::NoMatch(_))
        ));
    }

    #[test]
    fn rm_is_all_or_nothing() {
        let mut s = state(SAMPLE);
        let before = s.clone();
        assert!(matches!(
            rm(&mut s, &["aws_vpc.main", "aws_vpc.missing"]),
            Err(OpsError::NoMatch(a)) if a == "aws_vpc.missing"
        ));
        assert_eq!(s, before);
        let gone = rm(&mut s, &["aws_subnet.private", "module.app[\"ml\"]"]).unwrap();
        assert_eq!(gone.len(), 4);
        assert_eq!(
            names(&list(&s, &[]).unwrap()),
            [
                "data.aws_region.current",
                "aws_vpc.main",
                "module.app[\"etl\"].aws_iam_role.this"
            ]
        );
    }

    #[test]
    fn mv_instances_resources_and_modules() {
        let mut s = state(SAMPLE);
        // Rename a resource: all instances follow.
        let moved = mv(&mut s, "aws_subnet.private", "aws_subnet.workers").unwrap();
        assert_eq!(moved.len(), 2);
        assert!(s
            .instance(&"aws_subnet.workers[1]".parse().unwrap())
            .is_some());
        assert!(list(&s, &["aws_subnet.private"]).unwrap().is_empty());
        // Into a module instance and back out.
        mv(&mut s, "aws_vpc.main", "module.net[0].aws_vpc.main").unwrap();
        let inst = s
            .instance(&"module.net[0].aws_vpc.main".parse().unwrap())
            .unwrap();
        assert_eq!(inst.attributes.as_ref().unwrap()["id"], "aws_vpc.main");
        mv(&mut s, "module.net[0].aws_vpc.main", "aws_vpc.main").unwrap();
        // Unkeyed instance to a key (adding count) and one instance to another key.
        mv(&mut s, "aws_vpc.main", "aws_vpc.main[0]").unwrap();
        mv(&mut s, "aws_subnet.workers[1]", "aws_subnet.workers[\"b\"]").unwrap();
        assert_eq!(
            names(&list(&s, &["aws_subnet.workers"]).unwrap()),
            ["aws_subnet.workers[0]", "aws_subnet.workers[\"b\"]"]
        );
        // A whole module instance with its children.
        let moved = mv(&mut s, "module.app[\"ml\"]", "module.ml").unwrap();
        assert_eq!(
            names(&moved.iter().map(|(_, b)| b.clone()).collect::<Vec<_>>()),
            [
                "module.ml.aws_iam_role.this",
                "module.ml.module.net.aws_vpc.v"
            ]
        );
        assert_eq!(
            s.resources
                .iter()
                .filter(|r| r.instances.is_empty())
                .count(),
            0
        );
    }

    #[test]
    fn mv_refusals_change_nothing() {
        let mut s = state(SAMPLE);
        let before = s.clone();
        for (from, to) in [
            ("aws_vpc.main", "aws_subnet.private[0]"),
            ("aws_subnet.private[0]", "aws_subnet.private[1]"),
            ("aws_vpc.missing", "aws_vpc.other"),
            ("aws_subnet.private", "aws_subnet.x[0]"),
            ("module.app[\"etl\"]", "module.app[\"ml\"]"),
            ("module.app", "module.x"),
            ("module.app[\"etl\"]", "aws_vpc.x"),
            ("data.aws_region.current", "aws_region.current"),
        ] {
            assert!(mv(&mut s, from, to).is_err(), "{from} -> {to}");
            assert_eq!(s, before, "{from} -> {to}");
        }
    }

    #[test]
    fn pull_is_the_terraform_serialisation() {
        let s = state(SAMPLE);
        let bytes = pull(&s);
        assert_eq!(State::from_slice(&bytes, "pull").unwrap(), s);
        assert!(bytes.ends_with(b"}\n"));
    }
}
