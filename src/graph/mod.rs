//! The dependency graph of a configuration: one node per variable, local, output, resource,
//! data source, module call and provider configuration of each static module path; an edge
//! from every dependency to what depends on it, carrying the span of the reference that made
//! it. Built with `petgraph`; a cycle is an error that prints every edge of the cycle.
//!
//! This module orders; it does not evaluate.

mod build;

pub use build::build;

use crate::addrs::{ModulePath, ResourceAddr};
use crate::diag::{Diagnostic, SourceMap, Span};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;
use std::fmt;

/// What a node stands for within its module.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    /// `variable "x"`
    Variable(String),
    /// `locals { x = ... }`
    Local(String),
    /// `output "x"`
    Output(String),
    /// `resource`/`data` blocks.
    Resource(ResourceAddr),
    /// `module "x"`: expands the call's instances.
    ModuleCall(String),
    /// `provider "aws"` (key `aws` or `aws.alias`).
    Provider(String),
}

/// A node: a kind within a static module path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    /// The module.
    pub module: ModulePath,
    /// The item.
    pub kind: NodeKind,
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.module.is_root() {
            write!(f, "{}.", self.module)?;
        }
        match &self.kind {
            NodeKind::Variable(n) => write!(f, "var.{n}"),
            NodeKind::Local(n) => write!(f, "local.{n}"),
            NodeKind::Output(n) => write!(f, "output.{n}"),
            NodeKind::Resource(a) => write!(f, "{a}"),
            NodeKind::ModuleCall(n) => write!(f, "module.{n}"),
            NodeKind::Provider(n) => write!(f, "provider[\"registry.terraform.io/hashicorp/{n}\"]"),
        }
    }
}

/// Why an edge exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// An expression refers to the dependency.
    Reference,
    /// `depends_on` names it.
    DependsOn,
    /// A module's contents depend on the call that expands it.
    ModuleExpansion,
    /// A resource uses its provider configuration.
    Provider,
}

/// An edge: `from` must be evaluated (and applied) before `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// Why.
    pub kind: EdgeKind,
    /// Where the reference is written, if it is written somewhere.
    pub span: Option<Span>,
}

/// The graph of one configuration.
#[derive(Debug, Default)]
pub struct ConfigGraph {
    /// Edges point from a dependency to its dependent.
    pub graph: DiGraph<NodeId, Edge>,
    /// Node lookup.
    pub index: HashMap<NodeId, NodeIndex>,
    /// Where each node is declared.
    pub decl_spans: HashMap<NodeIndex, Span>,
    /// Edges present, for constant-time duplicate checks on hub nodes.
    edges: std::collections::HashSet<(NodeIndex, NodeIndex)>,
}

impl ConfigGraph {
    /// The node for an id, adding it if new.
    pub fn node(&mut self, id: NodeId) -> NodeIndex {
        if let Some(&i) = self.index.get(&id) {
            return i;
        }
        let i = self.graph.add_node(id.clone());
        self.index.insert(id, i);
        i
    }

    /// Adds `dependency → dependent`.
    pub fn depend(&mut self, dependent: NodeIndex, dependency: NodeIndex, edge: Edge) {
        if self.edges.insert((dependency, dependent)) {
            self.graph.add_edge(dependency, dependent, edge);
        }
    }

    /// Nodes in an order where every dependency comes before its dependents.
    ///
    /// # Errors
    /// One diagnostic per cycle, naming every node and edge of it.
    pub fn order(&self, sources: &SourceMap) -> Result<Vec<NodeIndex>, Vec<Diagnostic>> {
        match petgraph::algo::toposort(&self.graph, None) {
            Ok(order) => Ok(order),
            Err(_) => Err(self.cycles(sources)),
        }
    }

    /// Diagnostics for every cycle in the graph.
    pub fn cycles(&self, sources: &SourceMap) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for scc in petgraph::algo::tarjan_scc(&self.graph) {
            let cyclic =
                scc.len() > 1 || scc.first().is_some_and(|&n| self.graph.contains_edge(n, n));
            if !cyclic {
                continue;
            }
            let cycle = self.cycle_path(&scc);
            out.push(self.cycle_diagnostic(&cycle, sources));
        }
        out
    }

    /// One simple cycle through the strongly connected component, as a list of nodes where each
    /// depends on the next (and the last on the first).
    fn cycle_path(&self, scc: &[NodeIndex]) -> Vec<NodeIndex> {
        let in_scc: std::collections::HashSet<NodeIndex> = scc.iter().copied().collect();
        // Start at the node declared first so the report is stable.
        let start = *scc
            .iter()
            .min_by_key(|n| {
                self.decl_spans
                    .get(n)
                    .map(|s| (s.file.0, s.start))
                    .unwrap_or((u32::MAX, 0))
            })
            .unwrap_or(&scc[0]);
        // Walk "depends on" edges (incoming edges: dependency → dependent) with a DFS.
        let mut stack = vec![(start, vec![start])];
        let mut seen = std::collections::HashSet::new();
        while let Some((n, path)) = stack.pop() {
            let mut deps: Vec<NodeIndex> = self
                .graph
                .neighbors_directed(n, petgraph::Direction::Incoming)
                .filter(|d| in_scc.contains(d))
                .collect();
            deps.sort_by_key(|d| self.graph[*d].clone());
            for d in deps {
                if d == start {
                    return path;
                }
                if seen.insert(d) {
                    let mut p = path.clone();
                    p.push(d);
                    stack.push((d, p));
                }
            }
        }
        scc.to_vec()
    }

    fn cycle_diagnostic(&self, cycle: &[NodeIndex], sources: &SourceMap) -> Diagnostic {
        let mut lines = Vec::new();
        let mut d = Diagnostic::error(
            "dependency-cycle",
            format!(
                "dependency cycle: {}",
                cycle
                    .iter()
                    .map(|n| self.graph[*n].to_string())
                    .collect::<Vec<_>>()
                    .join(" -> ")
            ),
        );
        for (i, &n) in cycle.iter().enumerate() {
            let dep = cycle[(i + 1) % cycle.len()];
            let edge = self.graph.find_edge(dep, n).map(|e| self.graph[e]);
            let (why, span) = match edge {
                Some(Edge {
                    kind: EdgeKind::DependsOn,
                    span,
                }) => ("depends_on", span),
                Some(Edge { span, .. }) => ("refers to", span),
                None => ("depends on", None),
            };
            let loc = span.map(|s| sources.location(s)).unwrap_or_default();
            lines.push(format!(
                "  {} {} {}   ({})",
                self.graph[n],
                why,
                self.graph[dep],
                if loc.is_empty() {
                    "declared".into()
                } else {
                    loc
                }
            ));
            if let Some(s) = span {
                d = d.with_label(s, format!("{} {} {}", self.graph[n], why, self.graph[dep]));
            }
        }
        d.with_help(format!(
            "Each item below waits for the next, and the last waits for the first:\n{}\nRemove one of these references (often a depends_on) to break the cycle.",
            lines.join("\n")
        ))
    }

    /// The graph in Graphviz DOT.
    pub fn to_dot(&self) -> String {
        let mut nodes: Vec<(String, NodeIndex)> = self
            .graph
            .node_indices()
            .map(|i| (self.graph[i].to_string(), i))
            .collect();
        nodes.sort();
        let mut out = String::from(
            "digraph {\n  compound = \"true\"\n  newrank = \"true\"\n  subgraph \"root\" {\n",
        );
        for (name, _) in &nodes {
            out.push_str(&format!(
                "    \"{}\" [label = \"{}\"]\n",
                dot_escape(name),
                dot_escape(name)
            ));
        }
        let mut edges: Vec<(String, String)> = self
            .graph
            .edge_indices()
            .filter_map(|e| self.graph.edge_endpoints(e))
            .map(|(a, b)| (self.graph[b].to_string(), self.graph[a].to_string()))
            .collect();
        edges.sort();
        for (from, to) in edges {
            out.push_str(&format!(
                "    \"{}\" -> \"{}\"\n",
                dot_escape(&from),
                dot_escape(&to)
            ));
        }
        out.push_str("  }\n}\n");
        out
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}
