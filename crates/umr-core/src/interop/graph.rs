//! The set of records an export covers: a root record and either its direct upstream
//! records or its whole lineage (ancestors and descendants), with the resolved edges among
//! them and the risks each is exposed to.

use crate::diagnostic::Result;
use crate::model::{Kind, RelationKind};
use crate::registry::Registry;
use crate::risk::Exposure;
use serde_json::Value;
use std::collections::HashMap;

/// One record of an export.
#[derive(Debug, Clone)]
pub struct Member {
    /// Index in the registry.
    pub index: usize,
    /// `name@version`.
    pub id: String,
    /// Record name.
    pub name: String,
    /// Record version.
    pub version: String,
    /// Record kind.
    pub kind: Kind,
    /// The value exported (effective or own; relations resolved).
    pub value: Value,
    /// Risks the record is exposed to (own and inherited), with their chains.
    pub exposures: Vec<Exposure>,
}

/// The records of an export and the edges among them.
#[derive(Debug, Clone)]
pub struct ExportSet {
    /// Root first, then ancestors (breadth first), then descendants.
    pub members: Vec<Member>,
    /// `(child, parent, relation)` as positions in `members`.
    pub edges: Vec<(usize, usize, RelationKind)>,
}

impl ExportSet {
    /// The export set of `spec`: with `lineage`, every ancestor and descendant; otherwise
    /// the record and its direct upstream records. `effective` exports effective records.
    pub fn build(reg: &Registry, spec: &str, lineage: bool, effective: bool) -> Result<Self> {
        let root = reg.find_index(spec)?;
        let mut order = vec![root];
        let mut included = vec![false; reg.len()];
        included[root] = true;
        if lineage {
            // ancestors, then descendants, breadth first
            let mut q = std::collections::VecDeque::from([root]);
            while let Some(x) = q.pop_front() {
                for e in reg.edges(x) {
                    if !included[e.target] {
                        included[e.target] = true;
                        order.push(e.target);
                        q.push_back(e.target);
                    }
                }
            }
            let mut q = std::collections::VecDeque::from([root]);
            let mut seen_down = vec![false; reg.len()];
            seen_down[root] = true;
            while let Some(x) = q.pop_front() {
                for &c in reg.children(x) {
                    if !seen_down[c] {
                        seen_down[c] = true;
                        if !included[c] {
                            included[c] = true;
                            order.push(c);
                        }
                        q.push_back(c);
                    }
                }
            }
        } else {
            for e in reg.edges(root) {
                if !included[e.target] {
                    included[e.target] = true;
                    order.push(e.target);
                }
            }
        }
        let pos: HashMap<usize, usize> = order.iter().enumerate().map(|(p, i)| (*i, p)).collect();
        let mut members = Vec::with_capacity(order.len());
        for (p, &i) in order.iter().enumerate() {
            let value = match crate::interop::registry_value(reg, i, effective) {
                Ok(v) => v,
                Err(e) if p == 0 => return Err(e),
                Err(_) => crate::interop::registry_value(reg, i, false)?,
            };
            let r = reg.record(i);
            members.push(Member {
                index: i,
                id: r.id(),
                name: r.name().to_string(),
                version: r.version().to_string(),
                kind: r.kind(),
                value,
                exposures: reg.exposures_of(i),
            });
        }
        let mut edges = Vec::new();
        let mut seen_edges = std::collections::HashSet::new();
        for (p, &i) in order.iter().enumerate() {
            if !lineage && p > 0 {
                continue;
            }
            for e in reg.edges(i) {
                if let Some(&q) = pos.get(&e.target) {
                    if seen_edges.insert((p, q)) {
                        edges.push((p, q, e.relation));
                    }
                }
            }
        }
        Ok(ExportSet { members, edges })
    }

    /// A set of one record without a registry (relations are not resolved).
    pub fn single(value: &Value) -> Result<Self> {
        crate::interop::util::check_depth(value, 2 * crate::Limits::default().max_depth)?;
        let rec = crate::record::Record::from_value(value.clone())?;
        Ok(ExportSet {
            members: vec![Member {
                index: 0,
                id: rec.id(),
                name: rec.name().to_string(),
                version: rec.version().to_string(),
                kind: rec.kind(),
                value: rec.value().clone(),
                exposures: Vec::new(),
            }],
            edges: Vec::new(),
        })
    }

    /// The parents of member `p`: `(parent position, relation)`.
    pub fn parents(&self, p: usize) -> Vec<(usize, RelationKind)> {
        self.edges
            .iter()
            .filter(|(c, _, _)| *c == p)
            .map(|(_, q, r)| (*q, *r))
            .collect()
    }
}
