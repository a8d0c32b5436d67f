//! Risk propagation.
//!
//! Every risk of a record reaches every downstream record along every relation kind
//! (trained-on included), whatever the inheritance policy, carrying the chain it
//! travelled (origin first). A downstream record marks an inherited risk mitigated by
//! listing a risk with the same `id`, `status: mitigated` and a `justification` (and
//! optionally `upstream: <name>` to target one origin); the risk stays visible with that
//! status. When a risk reaches a record by several paths, it counts as mitigated only if
//! it is mitigated on every path; the chain shown is the shortest unmitigated one.

use crate::diagnostic::Result;
use crate::model::{Risk, RiskStatus, Severity};
use crate::registry::Registry;
use serde::Serialize;
use std::collections::VecDeque;

/// A mitigation of an inherited risk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mitigation {
    /// The record that declared it, `name@version`.
    pub by: String,
    /// Why the risk is mitigated.
    pub justification: String,
}

/// A risk a record is exposed to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exposure {
    /// Risk identifier.
    pub id: String,
    /// The record the risk was declared on, `name@version`.
    pub origin: String,
    /// The path it travelled: origin first, this record last.
    pub chain: Vec<String>,
    /// Status at this record.
    pub status: RiskStatus,
    /// Severity (default medium).
    pub severity: Severity,
    /// Title, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The mitigation in force, when mitigated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mitigation: Option<Mitigation>,
}

/// One record affected by an upstream record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Affected {
    /// Record name.
    pub name: String,
    /// Record version.
    pub version: String,
    /// The path from the upstream record to this one.
    pub chain: Vec<String>,
    /// The upstream record's risks as they stand at this record.
    pub risks: Vec<Exposure>,
}

fn text(t: &Option<crate::model::Text>) -> Option<String> {
    t.as_ref().map(|t| t.paragraphs().join("\n"))
}

/// Whether a risk entry of record `i` is a mitigation of an inherited exposure.
fn mitigation_for<'a>(own: &'a [Risk], e: &Exposure) -> Option<&'a Risk> {
    let origin_name = e
        .origin
        .rsplit_once('@')
        .map_or(e.origin.as_str(), |(n, _)| n);
    own.iter().find(|r| {
        r.status == Some(RiskStatus::Mitigated)
            && r.id == e.id
            && r.upstream.as_deref().is_none_or(|u| u == origin_name)
    })
}

/// Compute the exposures of every record (in topological order). Records in or downstream
/// of a cycle are not ordered: they get their own risks and those of their ordered parents.
pub fn all_exposures(reg: &Registry) -> Vec<Vec<Exposure>> {
    let n = reg.len();
    let mut out: Vec<Option<Vec<Exposure>>> = vec![None; n];
    for i in processing_order(reg, None) {
        let v = exposures_at(reg, i, &|t| out[t].as_deref(), None);
        out[i] = Some(v);
    }
    out.into_iter().map(Option::unwrap_or_default).collect()
}

/// Ancestors-first order of every record (or of the marked ones): the acyclic order, then
/// the records in or downstream of a cycle.
fn processing_order(reg: &Registry, only: Option<&[bool]>) -> Vec<usize> {
    let n = reg.len();
    let keep = |i: usize| only.is_none_or(|m| m[i]);
    let mut ordered = vec![false; n];
    let mut order: Vec<usize> = Vec::new();
    for &i in reg.acyclic_order() {
        ordered[i] = true;
        if keep(i) {
            order.push(i);
        }
    }
    order.extend((0..n).filter(|i| !ordered[*i] && keep(*i)));
    order
}

/// The exposures of record `i` given its parents' exposures. With `only_origin`, only the
/// risks declared on that record are followed (what `affected` needs).
fn exposures_at<'a>(
    reg: &Registry,
    i: usize,
    parent: &dyn Fn(usize) -> Option<&'a [Exposure]>,
    only_origin: Option<&str>,
) -> Vec<Exposure> {
    let rec = reg.record(i);
    let id = rec.id();
    let own: &[Risk] = rec.data().risks.as_deref().unwrap_or(&[]);
    let mut inherited: Vec<Exposure> = Vec::new();
    for e in reg.edges(i) {
        let Some(from_parent) = parent(e.target) else {
            continue;
        };
        for pe in from_parent {
            let mut chain = pe.chain.clone();
            chain.push(id.clone());
            let cand = Exposure {
                chain,
                ..pe.clone()
            };
            match inherited
                .iter_mut()
                .find(|x| x.id == cand.id && x.origin == cand.origin)
            {
                None => inherited.push(cand),
                Some(x) => {
                    let x_m = x.status == RiskStatus::Mitigated;
                    let c_m = cand.status == RiskStatus::Mitigated;
                    if (x_m && !c_m) || (x_m == c_m && cand.chain.len() < x.chain.len()) {
                        *x = cand;
                    }
                }
            }
        }
    }
    let mut used_as_mitigation = vec![false; own.len()];
    for x in &mut inherited {
        if let Some(m) = mitigation_for(own, x) {
            if let Some(pos) = own.iter().position(|r| std::ptr::eq(r, m)) {
                used_as_mitigation[pos] = true;
            }
            x.status = RiskStatus::Mitigated;
            x.mitigation = Some(Mitigation {
                by: id.clone(),
                justification: text(&m.justification).unwrap_or_default(),
            });
        }
    }
    let mut mine: Vec<Exposure> = Vec::new();
    if only_origin.is_none_or(|o| o == id) {
        for (k, r) in own.iter().enumerate() {
            if used_as_mitigation[k] {
                continue;
            }
            let status = r.status.unwrap_or(RiskStatus::Confirmed);
            mine.push(Exposure {
                id: r.id.clone(),
                origin: id.clone(),
                chain: vec![id.clone()],
                status,
                severity: r.severity.unwrap_or(Severity::Medium),
                title: r.title.clone(),
                description: text(&r.description),
                mitigation: (status == RiskStatus::Mitigated).then(|| Mitigation {
                    by: id.clone(),
                    justification: text(&r.justification).unwrap_or_default(),
                }),
            });
        }
    }
    mine.extend(inherited);
    mine
}

impl Registry {
    /// The risks a record is exposed to: its own and every upstream record's.
    pub fn risks(&self, spec: &str) -> Result<Vec<Exposure>> {
        let i = self.find_index(spec)?;
        Ok(self.exposures().get(i).cloned().unwrap_or_default())
    }

    /// Exposures of every record, by index (computed once).
    pub fn exposures(&self) -> &[Vec<Exposure>] {
        self.exposure_cache().get_or_init(|| all_exposures(self))
    }

    /// Every record downstream of `spec`, with the chain from it, and the record's risks as
    /// they stand there. With `risk`, only records exposed to that risk of it.
    pub fn affected(&self, spec: &str, risk: Option<&str>) -> Result<Vec<Affected>> {
        let root = self.find_index(spec)?;
        let root_id = self.record(root).id();
        // the downstream records, breadth-first (the chain shown for records the risks do
        // not reach is the breadth-first path)
        let mut seen = vec![false; self.len()];
        seen[root] = true;
        let mut chains: Vec<Option<Vec<String>>> = vec![None; self.len()];
        chains[root] = Some(vec![root_id.clone()]);
        let mut q = VecDeque::from([root]);
        let mut found = Vec::new();
        while let Some(x) = q.pop_front() {
            let base = chains[x].clone().unwrap_or_default();
            for &c in self.children(x) {
                if !seen[c] {
                    seen[c] = true;
                    let mut chain = base.clone();
                    chain.push(self.record(c).id());
                    chains[c] = Some(chain);
                    q.push_back(c);
                    found.push(c);
                }
            }
        }
        // propagate only the root's risks, only through the downstream records: the cost
        // is that of the affected subgraph, not of the registry
        let mut exp: Vec<Option<Vec<Exposure>>> = vec![None; self.len()];
        for i in processing_order(self, Some(&seen)) {
            let v = exposures_at(self, i, &|t| exp[t].as_deref(), Some(&root_id));
            exp[i] = Some(v);
        }
        let mut out = Vec::new();
        for c in found {
            let risks: Vec<Exposure> = exp[c]
                .as_deref()
                .unwrap_or(&[])
                .iter()
                .filter(|e| e.origin == root_id && risk.is_none_or(|r| r == e.id))
                .cloned()
                .collect();
            if risk.is_some() && risks.is_empty() {
                continue;
            }
            let rec = self.record(c);
            out.push(Affected {
                name: rec.name().to_string(),
                version: rec.version().to_string(),
                chain: chains[c].clone().unwrap_or_default(),
                risks,
            });
        }
        Ok(out)
    }
}
