//! Lineage: ancestors and descendants with relation kinds and depth, and the graph as
//! DOT, Mermaid and an indented tree.

use crate::diagnostic::Result;
use crate::model::{Kind, RelationKind};
use crate::registry::Registry;
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};

/// The deepest level [`Lineage::to_tree`] indents; deeper lines show `[depth N]` instead.
pub const TREE_MAX_INDENT: usize = 24;

/// One record reached from the root of a lineage query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineageEntry {
    /// Record name.
    pub name: String,
    /// Record version.
    pub version: String,
    /// Record kind.
    pub kind: Kind,
    /// Relation of the edge by which it was first reached.
    pub relation: RelationKind,
    /// Distance from the root (1 = direct).
    pub depth: usize,
    /// `name@version` of the record on the other side of that edge.
    pub via: String,
    /// Whether the record carries risks of its own.
    pub has_risks: bool,
}

/// A graph edge: `child` relates to `parent` by `relation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphEdge {
    /// Downstream record, `name@version`.
    pub child: String,
    /// Upstream record, `name@version`.
    pub parent: String,
    /// Relation kind.
    pub relation: RelationKind,
    /// Whether fields inherit along the edge.
    pub inherit: bool,
}

/// The lineage of one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lineage {
    /// The record asked about, `name@version`.
    pub root: String,
    /// Kind of the root.
    pub root_kind: Kind,
    /// Whether the root carries risks of its own.
    pub root_has_risks: bool,
    /// Upstream records, breadth-first (by depth, then as listed).
    pub ancestors: Vec<LineageEntry>,
    /// Downstream records, breadth-first.
    pub descendants: Vec<LineageEntry>,
    /// Every edge among the root, its ancestors and its descendants.
    pub edges: Vec<GraphEdge>,
}

fn has_risks(reg: &Registry, i: usize) -> bool {
    reg.record(i)
        .data()
        .risks
        .as_ref()
        .is_some_and(|r| !r.is_empty())
}

/// The lineage of the record at index `root`.
pub fn lineage(reg: &Registry, root: usize) -> Lineage {
    let mut ancestors = Vec::new();
    let mut seen = vec![false; reg.len()];
    seen[root] = true;
    let mut q = VecDeque::from([(root, 0usize)]);
    let mut members = vec![root];
    while let Some((x, d)) = q.pop_front() {
        for e in reg.edges(x) {
            if !seen[e.target] {
                seen[e.target] = true;
                members.push(e.target);
                let r = reg.record(e.target);
                ancestors.push(LineageEntry {
                    name: r.name().to_string(),
                    version: r.version().to_string(),
                    kind: r.kind(),
                    relation: e.relation,
                    depth: d + 1,
                    via: reg.record(x).id(),
                    has_risks: has_risks(reg, e.target),
                });
                q.push_back((e.target, d + 1));
            }
        }
    }
    let mut descendants = Vec::new();
    let mut seen_down = vec![false; reg.len()];
    seen_down[root] = true;
    let mut q = VecDeque::from([(root, 0usize)]);
    while let Some((x, d)) = q.pop_front() {
        for &c in reg.children(x) {
            if !seen_down[c] {
                seen_down[c] = true;
                if !seen[c] {
                    members.push(c);
                }
                let relation = reg
                    .edges(c)
                    .iter()
                    .find(|e| e.target == x)
                    .map(|e| e.relation)
                    .unwrap_or(RelationKind::DerivedFrom);
                let r = reg.record(c);
                descendants.push(LineageEntry {
                    name: r.name().to_string(),
                    version: r.version().to_string(),
                    kind: r.kind(),
                    relation,
                    depth: d + 1,
                    via: reg.record(x).id(),
                    has_risks: has_risks(reg, c),
                });
                q.push_back((c, d + 1));
            }
        }
    }
    let mut in_graph = vec![false; reg.len()];
    for m in &members {
        in_graph[*m] = true;
    }
    let mut edges = Vec::new();
    for &m in &members {
        for e in reg.edges(m) {
            if in_graph[e.target] {
                edges.push(GraphEdge {
                    child: reg.record(m).id(),
                    parent: reg.parent_id(e),
                    relation: e.relation,
                    inherit: e.inherit,
                });
            }
        }
    }
    let rr = reg.record(root);
    Lineage {
        root: rr.id(),
        root_kind: rr.kind(),
        root_has_risks: has_risks(reg, root),
        ancestors,
        descendants,
        edges,
    }
}

/// The text forms of a lineage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON (the [`Lineage`] structure).
    Json,
    /// Graphviz DOT.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
    /// Indented text tree.
    Tree,
}

impl Format {
    /// Parse `json`, `dot`, `mermaid` or `tree`.
    pub fn from_name(s: &str) -> crate::diagnostic::Result<Format> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "dot" => Ok(Format::Dot),
            "mermaid" => Ok(Format::Mermaid),
            "tree" => Ok(Format::Tree),
            _ => Err(crate::diagnostic::UmrError::argument(
                "E_ENUM",
                format!("unknown lineage format `{s}` (one of: json, dot, mermaid, tree)"),
            )),
        }
    }
}

impl Lineage {
    /// Render in a text form (JSON pretty-printed).
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => serde_json::to_string_pretty(self).unwrap_or_default(),
            Format::Dot => self.to_dot(),
            Format::Mermaid => self.to_mermaid(),
            Format::Tree => self.to_tree(),
        }
    }

    /// All nodes of the graph: (id, kind, has_risks), root first.
    pub fn nodes(&self) -> Vec<(String, Kind, bool)> {
        let mut v = vec![(self.root.clone(), self.root_kind, self.root_has_risks)];
        let mut seen: HashSet<String> = HashSet::from([self.root.clone()]);
        for e in self.ancestors.iter().chain(self.descendants.iter()) {
            let id = format!("{}@{}", e.name, e.version);
            if seen.insert(id.clone()) {
                v.push((id, e.kind, e.has_risks));
            }
        }
        v
    }

    /// Graphviz DOT text (left to right; shapes by kind; risk-flagged nodes in red).
    pub fn to_dot(&self) -> String {
        let mut s =
            String::from("digraph lineage {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
        for (id, kind, risky) in self.nodes() {
            let shape = match kind {
                Kind::Model => "box",
                Kind::Family => "folder",
                Kind::Dataset => "cylinder",
            };
            let extra = if risky { ", color=red, penwidth=2" } else { "" };
            let bold = if id == self.root { ", style=bold" } else { "" };
            s.push_str(&format!(
                "  \"{}\" [shape={shape}{extra}{bold}];\n",
                dot_escape(&id)
            ));
        }
        for e in &self.edges {
            let style = if e.inherit { "" } else { ", style=dashed" };
            s.push_str(&format!(
                "  \"{}\" -> \"{}\" [label=\"{}\"{style}];\n",
                dot_escape(&e.parent),
                dot_escape(&e.child),
                e.relation.as_str()
            ));
        }
        s.push_str("}\n");
        s
    }

    /// Mermaid flowchart text.
    pub fn to_mermaid(&self) -> String {
        let nodes = self.nodes();
        let positions: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, (x, _, _))| (x.as_str(), i))
            .collect();
        let idx = |id: &str| positions.get(id).copied().unwrap_or(0);
        let mut s = String::from("flowchart LR\n");
        for (i, (id, kind, _)) in nodes.iter().enumerate() {
            let label = mermaid_escape(id);
            let shape = match kind {
                Kind::Model => format!("n{i}[\"{label}\"]"),
                Kind::Family => format!("n{i}[[\"{label}\"]]"),
                Kind::Dataset => format!("n{i}[(\"{label}\")]"),
            };
            s.push_str(&format!("  {shape}\n"));
        }
        for e in &self.edges {
            let arrow = if e.inherit { "-->" } else { "-.->" };
            s.push_str(&format!(
                "  n{} {arrow}|{}| n{}\n",
                idx(&e.parent),
                e.relation.as_str(),
                idx(&e.child)
            ));
        }
        let risky: Vec<String> = nodes
            .iter()
            .enumerate()
            .filter(|(_, (_, _, r))| *r)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if !risky.is_empty() {
            s.push_str("  classDef risk stroke:#c00,stroke-width:3px\n");
            s.push_str(&format!("  class {} risk\n", risky.join(",")));
        }
        s
    }

    /// An indented text tree: the upstream tree (depth first, each record expanded once)
    /// and the downstream tree. Lines are indented by their depth up to
    /// [`TREE_MAX_INDENT`] levels; deeper lines keep that indentation and show their depth
    /// as `[depth N]` after the branch, so the text stays linear in the size of the graph.
    pub fn to_tree(&self) -> String {
        let mut s = format!("{} ({})\n", self.root, self.root_kind.as_str());
        let kinds: HashMap<String, (Kind, bool)> = self
            .nodes()
            .into_iter()
            .map(|(id, k, r)| (id, (k, r)))
            .collect();
        // adjacency in both directions, in edge order
        let mut ups: HashMap<&str, Vec<(&str, RelationKind)>> = HashMap::new();
        let mut downs: HashMap<&str, Vec<(&str, RelationKind)>> = HashMap::new();
        for e in &self.edges {
            ups.entry(e.child.as_str())
                .or_default()
                .push((e.parent.as_str(), e.relation));
            downs
                .entry(e.parent.as_str())
                .or_default()
                .push((e.child.as_str(), e.relation));
        }
        for (title, adjacency) in [("upstream", &ups), ("downstream", &downs)] {
            let next = |id: &str| adjacency.get(id).map_or(&[][..], Vec::as_slice);
            let first = next(&self.root);
            if first.is_empty() {
                continue;
            }
            s.push_str(title);
            s.push_str(":\n");
            let mut expanded: HashSet<&str> = HashSet::new();
            // explicit stack: (id, relation, depth)
            let mut stack: Vec<(&str, RelationKind, usize)> =
                first.iter().rev().map(|&(i, r)| (i, r, 1)).collect();
            while let Some((id, rel, depth)) = stack.pop() {
                let (kind, risky) = kinds.get(id).copied().unwrap_or((Kind::Model, false));
                let again = !expanded.insert(id);
                let marker = if depth > TREE_MAX_INDENT {
                    format!("[depth {depth}] ")
                } else {
                    String::new()
                };
                s.push_str(&format!(
                    "{}└─ {marker}{id} ({}, {}){}{}\n",
                    "   ".repeat(depth.min(TREE_MAX_INDENT) - 1),
                    kind.as_str(),
                    rel.as_str(),
                    if risky { " ⚠ risks" } else { "" },
                    if again { " …" } else { "" }
                ));
                if !again {
                    for &(n, r) in next(id).iter().rev() {
                        stack.push((n, r, depth + 1));
                    }
                }
            }
        }
        s
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn mermaid_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "#quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl Registry {
    /// The lineage of a reference. A cycle or an unresolvable upstream relation among the
    /// record's ancestors is an error naming the path.
    pub fn lineage(&self, spec: &str) -> Result<Lineage> {
        let i = self.find_index(spec)?;
        self.effective_of(i)?;
        Ok(lineage(self, i))
    }
}
