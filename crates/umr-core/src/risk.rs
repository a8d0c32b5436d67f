//! Risk propagation.
//!
//! Every risk of a record reaches every downstream record along every relation kind
//! (trained-on included), whatever the inheritance policy, carrying the chain it
//! travelled (origin first). A downstream record marks an inherited risk mitigated by
//! listing a risk with the same `id`, `status: mitigated` and a `justification` (and
//! optionally `upstream: <name>` to target one origin); the risk stays visible with that
//! status. When a risk reaches a record by several paths, it counts as mitigated only if
//! it is mitigated on every path; the chain shown is the shortest unmitigated one.
//!
//! Internally a record keeps, for each risk that reaches it, a link to the same risk at the
//! parent it came through (not the whole chain), so the exposures of a whole registry take
//! space linear in its size however deep it is; chains are rebuilt when asked for. Answers
//! covering many records ([`Registry::affected`]) shorten chains longer than [`MAX_CHAIN`].

use crate::diagnostic::Result;
use crate::model::{Risk, RiskStatus, Severity};
use crate::registry::Registry;
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

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
    /// The path from the upstream record to this one (shortened past [`MAX_CHAIN`]
    /// records, see [`Registry::affected`]).
    pub chain: Vec<String>,
    /// The upstream record's risks as they stand at this record.
    pub risks: Vec<Exposure>,
}

/// The longest chain [`Registry::affected`] reports in full (for its records and their
/// risks). A longer chain keeps its first [`CHAIN_HEAD`] and last [`CHAIN_TAIL`] records,
/// with one entry `… N more …` between them standing for the `N` records left out, so that
/// an answer about every record downstream of a deep chain stays linear in size.
pub const MAX_CHAIN: usize = 64;
/// Records kept at the start of a shortened chain.
pub const CHAIN_HEAD: usize = 31;
/// Records kept at the end of a shortened chain.
pub const CHAIN_TAIL: usize = MAX_CHAIN - CHAIN_HEAD - 1;

fn text(t: &Option<crate::model::Text>) -> Option<String> {
    t.as_ref().map(|t| t.paragraphs().join("\n"))
}

/// A risk as declared on its origin: what every record it reaches shares.
#[derive(Debug)]
struct Declared {
    id: String,
    origin: String,
    origin_index: usize,
    severity: Severity,
    title: Option<String>,
    description: Option<String>,
}

/// A risk as it stands at one record, linked to the same risk at the parent it came
/// through.
#[derive(Debug, Clone)]
pub(crate) struct Reach {
    declared: Arc<Declared>,
    status: RiskStatus,
    mitigation: Option<Arc<Mitigation>>,
    /// (record, position in its list) of this risk at the previous record of the chain;
    /// `None` at the origin.
    via: Option<(usize, usize)>,
    /// Length of the chain, origin and this record included.
    len: usize,
    /// (record, position) of this risk at chain position `CHAIN_HEAD` (1-based), when the
    /// chain is longer than that: where the head of a shortened chain ends.
    anchor: Option<(usize, usize)>,
}

/// The `count` last records of the chain ending at node `from` (origin side first).
fn walk<N: Copy>(
    reg: &Registry,
    from: N,
    count: usize,
    step: &dyn Fn(N) -> (usize, Option<N>),
) -> Vec<String> {
    let mut v = Vec::new();
    let mut cur = Some(from);
    while let Some(n) = cur {
        if v.len() == count {
            break;
        }
        let (rec, prev) = step(n);
        v.push(reg.record(rec).id());
        cur = prev;
    }
    v.reverse();
    v
}

/// The chain ending at node `last`, of length `len`, origin first; `step` gives a node's
/// record and the node before it. With `bounded`, a chain longer than [`MAX_CHAIN`] is
/// shortened (its head read from `anchor`, the node at position [`CHAIN_HEAD`]).
fn chain_of<N: Copy>(
    reg: &Registry,
    last: N,
    len: usize,
    anchor: Option<N>,
    step: &dyn Fn(N) -> (usize, Option<N>),
    bounded: bool,
) -> Vec<String> {
    match anchor {
        Some(a) if bounded && len > MAX_CHAIN => {
            let mut v = walk(reg, a, CHAIN_HEAD, step);
            v.push(format!("… {} more …", len - CHAIN_HEAD - CHAIN_TAIL));
            v.extend(walk(reg, last, CHAIN_TAIL, step));
            v
        }
        _ => walk(reg, last, usize::MAX, step),
    }
}

/// The public form of the risk at position `pos` of record `i`; `get` reads the stored
/// risks of any record.
fn materialise<'a>(
    reg: &Registry,
    get: &dyn Fn(usize, usize) -> Option<&'a Reach>,
    i: usize,
    pos: usize,
    r: &Reach,
    bounded: bool,
) -> Exposure {
    let step = |(rec, p): (usize, usize)| (rec, get(rec, p).and_then(|x| x.via));
    let d = &r.declared;
    Exposure {
        id: d.id.clone(),
        origin: d.origin.clone(),
        chain: chain_of(reg, (i, pos), r.len, r.anchor, &step, bounded),
        status: r.status,
        severity: d.severity,
        title: d.title.clone(),
        description: d.description.clone(),
        mitigation: r.mitigation.as_deref().cloned(),
    }
}

/// Whether a risk entry of record `i` is a mitigation of an inherited exposure.
fn mitigation_for<'a>(own: &'a [Risk], id: &str, origin_name: &str) -> Option<&'a Risk> {
    own.iter().find(|r| {
        r.status == Some(RiskStatus::Mitigated)
            && r.id == id
            && r.upstream.as_deref().is_none_or(|u| u == origin_name)
    })
}

/// Compute the exposures of every record, with their full chains. This materialises one
/// chain per record and risk: O(records × depth) for a deep registry. Prefer
/// [`Registry::exposures_of`] for one record.
pub fn all_exposures(reg: &Registry) -> Vec<Vec<Exposure>> {
    let all = reg.reaches();
    let get = |rec: usize, p: usize| all.get(rec).and_then(|v| v.get(p));
    all.iter()
        .enumerate()
        .map(|(i, v)| {
            v.iter()
                .enumerate()
                .map(|(pos, r)| materialise(reg, &get, i, pos, r, false))
                .collect()
        })
        .collect()
}

/// The risks reaching every record (in topological order), as links. Records in or
/// downstream of a cycle are not ordered: they get their own risks and those of their
/// parents already computed.
pub(crate) fn all_reaches(reg: &Registry) -> Vec<Vec<Reach>> {
    let n = reg.len();
    let mut out: Vec<Option<Vec<Reach>>> = vec![None; n];
    for i in processing_order(reg) {
        let v = reaches_at(reg, i, &|t| out[t].as_deref(), None);
        out[i] = Some(v);
    }
    out.into_iter().map(Option::unwrap_or_default).collect()
}

/// Ancestors-first order of every record (or of the marked ones): the acyclic order, then
/// the records in or downstream of a cycle.
/// The records `root` + `found` (all downstream of `root`) in processing order: a
/// topological order of the acyclic ones (Kahn's algorithm over the edges inside the set),
/// then the others by index. Costs the size of the subgraph, not of the registry.
fn subgraph_order(reg: &Registry, root: usize, found: &[usize]) -> Vec<usize> {
    let members: Vec<usize> = std::iter::once(root).chain(found.iter().copied()).collect();
    let acyclic: std::collections::HashSet<usize> = members
        .iter()
        .copied()
        .filter(|&i| reg.is_acyclic(i))
        .collect();
    // parents inside the acyclic part, counted once each
    let mut waiting: HashMap<usize, usize> = HashMap::with_capacity(acyclic.len());
    for &i in &members {
        if acyclic.contains(&i) {
            let mut parents: Vec<usize> = reg
                .edges(i)
                .iter()
                .map(|e| e.target)
                .filter(|t| acyclic.contains(t))
                .collect();
            parents.sort_unstable();
            parents.dedup();
            waiting.insert(i, parents.len());
        }
    }
    let mut ready: VecDeque<usize> = members
        .iter()
        .copied()
        .filter(|i| waiting.get(i) == Some(&0))
        .collect();
    let mut order = Vec::with_capacity(members.len());
    while let Some(x) = ready.pop_front() {
        order.push(x);
        let mut kids: Vec<usize> = reg.children(x).to_vec();
        kids.sort_unstable();
        kids.dedup();
        for c in kids {
            if let Some(w) = waiting.get_mut(&c) {
                *w = w.saturating_sub(1);
                if *w == 0 {
                    ready.push_back(c);
                }
            }
        }
    }
    let mut rest: Vec<usize> = members
        .into_iter()
        .filter(|i| !acyclic.contains(i))
        .collect();
    rest.sort_unstable();
    order.extend(rest);
    order
}

fn processing_order(reg: &Registry) -> Vec<usize> {
    let n = reg.len();
    let mut ordered = vec![false; n];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    for &i in reg.acyclic_order() {
        ordered[i] = true;
        order.push(i);
    }
    order.extend((0..n).filter(|i| !ordered[*i]));
    order
}

/// The risks reaching record `i` given its parents'. With `only_origin`, only the risks
/// declared on that record are followed (what `affected` needs).
fn reaches_at<'a>(
    reg: &Registry,
    i: usize,
    parent: &dyn Fn(usize) -> Option<&'a [Reach]>,
    only_origin: Option<usize>,
) -> Vec<Reach> {
    let rec = reg.record(i);
    let own: &[Risk] = rec.data().risks.as_deref().unwrap_or(&[]);
    let mut inherited: Vec<Reach> = Vec::new();
    let mut slot: HashMap<(&'a str, &'a str), usize> = HashMap::new();
    for e in reg.edges(i) {
        let Some(from_parent) = parent(e.target) else {
            continue;
        };
        for (pos, pe) in from_parent.iter().enumerate() {
            let cand = Reach {
                via: Some((e.target, pos)),
                len: pe.len + 1,
                anchor: if pe.len == CHAIN_HEAD {
                    Some((e.target, pos))
                } else {
                    pe.anchor
                },
                ..pe.clone()
            };
            let key = (pe.declared.id.as_str(), pe.declared.origin.as_str());
            match slot.get(&key) {
                None => {
                    slot.insert(key, inherited.len());
                    inherited.push(cand);
                }
                Some(&k) => {
                    if let Some(x) = inherited.get_mut(k) {
                        let x_m = x.status == RiskStatus::Mitigated;
                        let c_m = cand.status == RiskStatus::Mitigated;
                        if (x_m && !c_m) || (x_m == c_m && cand.len < x.len) {
                            *x = cand;
                        }
                    }
                }
            }
        }
    }
    let id = if own.is_empty() {
        String::new()
    } else {
        rec.id()
    };
    let mut used_as_mitigation = vec![false; own.len()];
    if !own.is_empty() {
        for x in &mut inherited {
            let origin_name = reg.record(x.declared.origin_index).name();
            if let Some(m) = mitigation_for(own, &x.declared.id, origin_name) {
                if let Some(pos) = own.iter().position(|r| std::ptr::eq(r, m)) {
                    used_as_mitigation[pos] = true;
                }
                x.status = RiskStatus::Mitigated;
                x.mitigation = Some(Arc::new(Mitigation {
                    by: id.clone(),
                    justification: text(&m.justification).unwrap_or_default(),
                }));
            }
        }
    }
    let mut mine: Vec<Reach> = Vec::new();
    if only_origin.is_none_or(|o| o == i) {
        for (k, r) in own.iter().enumerate() {
            if used_as_mitigation[k] {
                continue;
            }
            let status = r.status.unwrap_or(RiskStatus::Confirmed);
            mine.push(Reach {
                declared: Arc::new(Declared {
                    id: r.id.clone(),
                    origin: id.clone(),
                    origin_index: i,
                    severity: r.severity.unwrap_or(Severity::Medium),
                    title: r.title.clone(),
                    description: text(&r.description),
                }),
                status,
                mitigation: (status == RiskStatus::Mitigated).then(|| {
                    Arc::new(Mitigation {
                        by: id.clone(),
                        justification: text(&r.justification).unwrap_or_default(),
                    })
                }),
                via: None,
                len: 1,
                anchor: None,
            });
        }
    }
    mine.extend(inherited);
    mine
}

impl Registry {
    /// The risks a record is exposed to: its own and every upstream record's, with their
    /// full chains.
    pub fn risks(&self, spec: &str) -> Result<Vec<Exposure>> {
        let i = self.find_index(spec)?;
        Ok(self.exposures_of(i))
    }

    /// The risks the record at index `i` is exposed to, with their full chains.
    pub fn exposures_of(&self, i: usize) -> Vec<Exposure> {
        let all = self.reaches();
        let get = |rec: usize, p: usize| all.get(rec).and_then(|v| v.get(p));
        all.get(i)
            .map(|v| {
                v.iter()
                    .enumerate()
                    .map(|(pos, r)| materialise(self, &get, i, pos, r, false))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The risks reaching every record, as links (computed once).
    pub(crate) fn reaches(&self) -> &[Vec<Reach>] {
        self.reach_cache().get_or_init(|| all_reaches(self))
    }

    /// Exposures of every record, by index, with full chains (computed once). This holds
    /// one chain per record and risk: O(records × depth) for a deep registry; prefer
    /// [`Registry::exposures_of`] or [`Registry::risks`].
    pub fn exposures(&self) -> &[Vec<Exposure>] {
        self.exposure_cache().get_or_init(|| all_exposures(self))
    }

    /// Every record downstream of `spec`, with the chain from it, and the record's risks as
    /// they stand there. With `risk`, only records exposed to that risk of it. Chains longer
    /// than [`MAX_CHAIN`] records are shortened (see there), so that the answer stays
    /// linear in the number of downstream records however deep they are.
    pub fn affected(&self, spec: &str, risk: Option<&str>) -> Result<Vec<Affected>> {
        let root = self.find_index(spec)?;
        // the downstream records, breadth-first (the chain shown for records the risks do
        // not reach is the breadth-first path), each with the record it was reached from,
        // its chain length and the anchor of a shortened chain. Maps, not arrays of the
        // registry's size: the cost is that of the affected subgraph (a site asks once per
        // record)
        let mut at: HashMap<usize, (Option<usize>, usize, Option<usize>)> = HashMap::new();
        at.insert(root, (None, 1, None));
        let mut q = VecDeque::from([root]);
        let mut found = Vec::new();
        while let Some(x) = q.pop_front() {
            let (_, len_x, anchor_x) = at.get(&x).copied().unwrap_or((None, 1, None));
            for &c in self.children(x) {
                if let std::collections::hash_map::Entry::Vacant(slot) = at.entry(c) {
                    let anchor = if len_x == CHAIN_HEAD {
                        Some(x)
                    } else {
                        anchor_x
                    };
                    slot.insert((Some(x), len_x + 1, anchor));
                    q.push_back(c);
                    found.push(c);
                }
            }
        }
        // propagate only the root's risks, only through the downstream records, parents
        // first: the registry's processing order restricted to the subgraph, computed on the
        // subgraph alone (any topological order of its acyclic records gives the same
        // result; records in or downstream of a cycle come last, by index, as in
        // `processing_order`)
        let sub = subgraph_order(self, root, &found);
        let mut exp: HashMap<usize, Vec<Reach>> = HashMap::with_capacity(sub.len());
        for i in sub {
            let v = reaches_at(self, i, &|t| exp.get(&t).map(Vec::as_slice), Some(root));
            exp.insert(i, v);
        }
        let get = |rec: usize, p: usize| exp.get(&rec).and_then(|v| v.get(p));
        let step = |x: usize| (x, at.get(&x).and_then(|a| a.0));
        let mut out = Vec::new();
        for c in found {
            let risks: Vec<Exposure> = exp
                .get(&c)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.declared.origin_index == root && risk.is_none_or(|r| r == e.declared.id)
                })
                .map(|(pos, e)| materialise(self, &get, c, pos, e, true))
                .collect();
            if risk.is_some() && risks.is_empty() {
                continue;
            }
            let rec = self.record(c);
            out.push(Affected {
                name: rec.name().to_string(),
                version: rec.version().to_string(),
                chain: {
                    let (_, len_c, anchor_c) = at.get(&c).copied().unwrap_or((None, 1, None));
                    chain_of(self, c, len_c, anchor_c, &step, true)
                },
                risks,
            });
        }
        Ok(out)
    }
}
