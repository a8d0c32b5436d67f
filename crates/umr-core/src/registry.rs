//! The registry: records indexed by name and version, the resolved upstream graph, and the
//! effective (inherited) records with provenance.
//!
//! A registry is built once from one or more root folders (layered: the first root that
//! has a name wins that name) or from records in memory. Upstream requirements are
//! resolved once into a graph of record → parent edges; effective records are computed
//! in topological order and memoised per record, so a shared ancestor is merged once.

use crate::diagnostic::{Diagnostic, Result, UmrError};
use crate::limits::Limits;
use crate::lock::Lock;
use crate::merge::Layer;
use crate::model::{Kind, RelationKind};
use crate::names;
use crate::record::{Record, Relation};
use indexmap::IndexMap;
use semver::{Version, VersionReq};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// A resolved upstream edge. It holds no text: the parent's `name@version` is
/// [`Registry::parent_id`] and the requirement as written [`Registry::requirement_of`]
/// (a million-record registry keeps two million edges; two strings each were a third of
/// the memory it took to build it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// Index of the parent record.
    #[serde(skip)]
    pub target: usize,
    /// Relation kind (as written, or inferred from the kinds).
    pub relation: RelationKind,
    /// Whether the relation kind was inferred.
    pub inferred: bool,
    /// Whether fields inherit along this edge.
    pub inherit: bool,
    /// Position of the relation in the record's `upstream` list.
    pub index: usize,
}

/// The effective record of a registry entry: the record over its inheriting ancestors.
#[derive(Debug, Clone)]
pub struct Effective {
    /// The effective record (merged from validated records; valid by construction).
    pub record: Record,
    /// `field path → name@version` that supplied it, in record order.
    pub provenance: IndexMap<String, String>,
}

impl Effective {
    /// Which record supplied the value at `path` (or the nearest enclosing path).
    pub fn provenance_of(&self, p: &str) -> Option<&str> {
        if let Some(v) = self.provenance.get(p) {
            return Some(v);
        }
        // a path inside a leaf (e.g. `card.factors[2]`) or a parent path whose leaves all
        // come from one record
        let mut cur = p.to_string();
        while let Some(i) = cur.rfind(['.', '[']) {
            cur.truncate(i);
            if let Some(v) = self.provenance.get(&cur) {
                return Some(v);
            }
        }
        let prefix_hits: Vec<&String> = self
            .provenance
            .iter()
            .filter(|(k, _)| k.starts_with(p) && k[p.len()..].starts_with(['.', '[']))
            .map(|(_, v)| v)
            .collect();
        match prefix_hits.first() {
            Some(first) if prefix_hits.iter().all(|x| x == first) => Some(first.as_str()),
            _ => None,
        }
    }
}

/// Load report: the diagnostics of every file that was skipped or had warnings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LoadReport {
    /// Number of files read.
    pub files: usize,
    /// Number of records indexed.
    pub records: usize,
    /// Every diagnostic found while loading.
    pub diagnostics: Vec<Diagnostic>,
}

/// A borrowed effective record handed out by [`Registry::for_each_effective`].
#[derive(Debug, Clone, Copy)]
pub struct EffectiveRef<'a> {
    layer: &'a Layer,
}

impl EffectiveRef<'_> {
    /// The effective record's fields (canonical order).
    pub fn fields(&self) -> &serde_json::Map<String, Value> {
        &self.layer.value
    }
    /// `field path → name@version`.
    pub fn provenance(&self) -> IndexMap<String, String> {
        self.layer.provenance()
    }
}

/// How many name comparisons [`Registry`] construction may spend on "did you mean"
/// suggestions for missing parents (each costs one comparison per name in the registry).
/// Past it, a missing parent is reported without a suggestion, so that building a registry
/// with many missing parents stays linear: the suggestions of a registry of 1,000 names
/// stop after its 1,000th missing parent.
pub const SUGGESTION_BUDGET: usize = 1_000_000;

/// A memoised effective record (or the error computing it).
type Memo = std::result::Result<Arc<Layer>, UmrError>;

/// A record's resolved upstream edges and the errors of its unresolved requirements.
type EdgesOf = (Vec<Edge>, Vec<UmrError>);

/// The versions of one name, ascending, with the index of each record. Most names have
/// one version, so a sorted vector (48 bytes an entry) rather than a B-tree (a node of
/// about 560 bytes even for one entry): a million-record registry saves about 0.5 GB.
#[derive(Debug, Clone, Default)]
struct Versions(Vec<(Version, usize)>);

impl Versions {
    fn get(&self, v: &Version) -> Option<&usize> {
        self.0
            .binary_search_by(|(x, _)| x.cmp(v))
            .ok()
            .map(|k| &self.0[k].1)
    }
    fn insert(&mut self, v: Version, i: usize) {
        match self.0.binary_search_by(|(x, _)| x.cmp(&v)) {
            Ok(k) => self.0[k].1 = i,
            Err(k) => self.0.insert(k, (v, i)),
        }
    }
    fn iter(&self) -> impl DoubleEndedIterator<Item = (&Version, &usize)> {
        self.0.iter().map(|(v, i)| (v, i))
    }
    fn keys(&self) -> impl Iterator<Item = &Version> {
        self.0.iter().map(|(v, _)| v)
    }
    fn values(&self) -> impl Iterator<Item = &usize> {
        self.0.iter().map(|(_, i)| i)
    }
}

/// A set of records with their resolved upstream graph.
#[derive(Debug)]
pub struct Registry {
    /// The records, in load order; a record's index is its position here.
    records: Vec<Record>,
    /// Each record's resolved upstream edges.
    edges: Vec<Vec<Edge>>,
    /// Each record's unresolved upstream requirements.
    errors: Vec<Vec<UmrError>>,
    by_name: HashMap<String, Versions>,
    children: Vec<Vec<usize>>,
    /// The deterministic topological order (by name and version), computed on first use.
    topo: OnceLock<Vec<usize>>,
    in_order: Vec<bool>,
    /// The effective layers computed so far, one slot per record (allocated on first use:
    /// streaming resolution does not need it).
    effective: OnceLock<Box<[OnceLock<Memo>]>>,
    lock: Option<Lock>,
    exposures: OnceLock<Vec<Vec<crate::risk::Exposure>>>,
    reaches: OnceLock<Vec<Vec<crate::risk::Reach>>>,
}

impl Registry {
    /// Whether a record is outside every cycle and not downstream of one (so it is in
    /// [`Registry::acyclic_order`]).
    pub(crate) fn is_acyclic(&self, i: usize) -> bool {
        self.in_order.get(i).copied().unwrap_or(false)
    }

    pub(crate) fn exposure_cache(&self) -> &OnceLock<Vec<Vec<crate::risk::Exposure>>> {
        &self.exposures
    }

    pub(crate) fn reach_cache(&self) -> &OnceLock<Vec<Vec<crate::risk::Reach>>> {
        &self.reaches
    }

    /// Build a registry from records in memory. Two records with the same name and version
    /// are an error.
    pub fn from_records(records: Vec<Record>) -> Result<Registry> {
        Self::build(records, None)
    }

    /// Build a registry from records, resolving upstream requirements through a lock.
    pub fn from_records_locked(records: Vec<Record>, lock: Lock) -> Result<Registry> {
        Self::build(records, Some(lock))
    }

    /// Load every record under the given roots (layered: for each name, only the first root
    /// that has it counts). Files with errors are skipped and reported; two files with the
    /// same name and version in one root are an error naming both.
    pub fn open(roots: &[PathBuf], limits: &Limits) -> Result<(Registry, LoadReport)> {
        let (records, report) = load_roots(roots, limits)?;
        Ok((Self::build(records, None)?, report))
    }

    fn build(records: Vec<Record>, lock: Option<Lock>) -> Result<Registry> {
        let mut by_name: HashMap<String, Versions> = HashMap::with_capacity(records.len());
        for (i, r) in records.iter().enumerate() {
            let slot = by_name.entry(r.name().to_string()).or_default();
            if let Some(&j) = slot.get(r.version()) {
                let a = records[j].file().unwrap_or("(in memory)");
                let b = r.file().unwrap_or("(in memory)");
                return Err(UmrError::Refused {
                    code: "E_DUPLICATE_RECORD".into(),
                    message: format!("{} is defined twice: {a} and {b}", r.id()),
                });
            }
            slot.insert(r.version().clone(), i);
        }
        let mut reg = Registry {
            records,
            edges: Vec::new(),
            errors: Vec::new(),
            by_name,
            children: Vec::new(),
            topo: OnceLock::new(),
            in_order: Vec::new(),
            effective: OnceLock::new(),
            lock,
            exposures: OnceLock::new(),
            reaches: OnceLock::new(),
        };
        // resolve every upstream requirement once, on every available core; a record with
        // an unresolved requirement is resolved again afterwards, in order, so that the
        // budget of "did you mean" suggestions is spent as a sequential pass would
        let n = reg.records.len();
        let reg_ref = &reg;
        let indices: Vec<usize> = (0..n).collect();
        let mut all_edges: Vec<EdgesOf> =
            crate::par::map(&indices, 4096, |i| reg_ref.edges_of(i, &mut 0));
        let mut budget = SUGGESTION_BUDGET;
        for (i, slot) in all_edges.iter_mut().enumerate() {
            if !slot.1.is_empty() {
                *slot = reg.edges_of(i, &mut budget);
            }
        }
        let mut children = vec![Vec::new(); n];
        let mut edges_all = Vec::with_capacity(n);
        let mut errors_all = Vec::with_capacity(n);
        for (i, (edges, errors)) in all_edges.into_iter().enumerate() {
            for e in &edges {
                // `i` only grows, so a second edge from `i` to one parent finds `i` last
                // (a scan of the whole list would be quadratic in a popular parent's fan-out)
                if children[e.target].last() != Some(&i) {
                    children[e.target].push(i);
                }
            }
            edges_all.push(edges);
            errors_all.push(errors);
        }
        reg.edges = edges_all;
        reg.errors = errors_all;
        reg.children = children;
        // which records are outside every cycle: Kahn's algorithm without the tie-break
        // (the ordered version is computed only when an order is asked for)
        let mut in_order = vec![false; reg.records.len()];
        for i in reg.kahn(0..reg.records.len()) {
            in_order[i] = true;
        }
        reg.in_order = in_order;
        Ok(reg)
    }

    /// The resolved upstream edges of record `i`, and the errors of the requirements that
    /// did not resolve. `budget` is the number of name comparisons left for suggestions.
    fn edges_of(&self, i: usize, budget: &mut usize) -> EdgesOf {
        let rec = &self.records[i];
        let rels = rec.relations();
        let mut edges = Vec::with_capacity(rels.len());
        let mut errors = Vec::new();
        for rel in rels {
            match self.resolve_relation(rec, &rel, budget) {
                Ok(t) => {
                    let target = &self.records[t];
                    let (relation, inferred) = match rel.kind {
                        Some(k) => (k, false),
                        None => (RelationKind::infer(rec.kind(), target.kind()), true),
                    };
                    edges.push(Edge {
                        target: t,
                        relation,
                        inferred,
                        inherit: rel
                            .inherit
                            .unwrap_or_else(|| relation.inherits_by_default()),
                        index: rel.index,
                    });
                }
                Err(e) => errors.push(e),
            }
        }
        (edges, errors)
    }

    fn resolve_relation(&self, rec: &Record, rel: &Relation, budget: &mut usize) -> Result<usize> {
        let chain = || vec![rec.id()];
        if let Some(lock) = &self.lock {
            if let Some(pinned) = lock.pinned(&rec.id(), rel.index, &rel.requirement_text()) {
                return self.index_of_id(pinned).ok_or_else(|| {
                    UmrError::resolve(
                        "E_LOCK_MISSING",
                        format!(
                            "{}: locked upstream {pinned} is not in the registry",
                            rec.id()
                        ),
                        chain(),
                    )
                });
            }
        }
        // the common case in one lookup: the name exists and a version matches (errors
        // are worked out below, with their messages)
        if let Some(versions) = self.by_name.get(&rel.name) {
            if let Ok(vr) = names::parse_req(&rel.req) {
                if let Some((_, i)) = versions.iter().rev().find(|(v, _)| vr.matches(v)) {
                    return Ok(*i);
                }
            }
        } else if let Some((n, v)) = &rel.exact {
            // `name-1.2.0` written without a version: the record `name` at 1.2.0
            if let Some(i) = self.by_name.get(n).and_then(|m| m.get(v)) {
                return Ok(*i);
            }
        }
        // a "did you mean" suggestion compares the name with every name of the registry:
        // while building, it is computed only as long as the budget of comparisons lasts
        let suggest = *budget >= self.by_name.len();
        if suggest && !self.by_name.contains_key(&rel.name) {
            *budget -= self.by_name.len();
        }
        self.find_req_with(&rel.name, &rel.req, suggest)
            .map_err(|e| match e {
                UmrError::Resolve { code, message, .. } => UmrError::resolve(
                    if code == "E_NOT_FOUND" {
                        "E_MISSING_PARENT"
                    } else {
                        &code
                    },
                    format!("{}: upstream[{}]: {message}", rec.id(), rel.index),
                    chain(),
                ),
                other => other,
            })
    }

    fn index_of_id(&self, id: &str) -> Option<usize> {
        let (n, v) = id.rsplit_once('@')?;
        let v = Version::parse(v).ok()?;
        self.by_name.get(n)?.get(&v).copied()
    }

    /// The highest version of `name` matching `req` (semver rules: pre-releases only when
    /// the requirement names one).
    pub fn find_req(&self, name: &str, req: &str) -> Result<usize> {
        self.find_req_with(name, req, true)
    }

    /// [`Registry::find_req`], with or without the "did you mean" suggestion of a missing
    /// name (O(number of names) to compute).
    fn find_req_with(&self, name: &str, req: &str, suggest: bool) -> Result<usize> {
        let versions = self.by_name.get(name).ok_or_else(|| {
            let near = if suggest {
                crate::diagnostic::did_you_mean(name, self.by_name.keys().map(String::as_str))
            } else {
                None
            };
            UmrError::resolve(
                "E_NOT_FOUND",
                match near {
                    Some(n) => format!("no record named `{name}` (did you mean `{n}`?)"),
                    None => format!("no record named `{name}`"),
                },
                vec![],
            )
        })?;
        let vr: VersionReq =
            names::parse_req(req).map_err(|e| UmrError::argument("E_REQUIREMENT", e))?;
        versions
            .iter()
            .rev()
            .find(|(v, _)| vr.matches(v))
            .map(|(_, i)| *i)
            .ok_or_else(|| {
                let avail: Vec<String> = versions.keys().map(Version::to_string).collect();
                UmrError::resolve(
                    "E_UNSATISFIED",
                    format!(
                        "no version of `{name}` matches `{req}` (available: {})",
                        avail.join(", ")
                    ),
                    vec![],
                )
            })
    }

    /// Find a record by a reference: `name`, `name>=1.0`, `name@1.2.0`, `name==1.2.0`, or
    /// `name-1.2.0`.
    pub fn find(&self, spec: &str) -> Result<&Record> {
        self.find_index(spec).map(|i| &self.records[i])
    }

    /// Index of a record by reference.
    pub fn find_index(&self, spec: &str) -> Result<usize> {
        let s = names::parse_short(spec).map_err(|e| UmrError::argument("E_REFERENCE", e))?;
        if !self.by_name.contains_key(&s.name) {
            if let Some((n, v)) = &s.exact {
                if let Some(i) = self.by_name.get(n).and_then(|m| m.get(v)) {
                    return Ok(*i);
                }
            }
        }
        self.find_req(&s.name, &s.req)
    }

    /// Every record, in load order.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.records.iter()
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when the registry has no records.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The record at an index.
    pub fn record(&self, i: usize) -> &Record {
        &self.records[i]
    }

    /// The resolved upstream edges of the record at an index.
    pub fn edges(&self, i: usize) -> &[Edge] {
        &self.edges[i]
    }

    /// `name@version` of the parent an edge resolved to.
    pub fn parent_id(&self, e: &Edge) -> String {
        self.records[e.target].id()
    }

    /// The requirement of an edge of the record at index `i`, as written: the upstream
    /// name, followed by its version requirement unless it accepts any version (`base`,
    /// `base^1.0.0`; the text a lock pins).
    pub fn requirement_of(&self, i: usize, e: &Edge) -> String {
        self.records[i]
            .relations()
            .into_iter()
            .find(|r| r.index == e.index)
            .map(|r| r.requirement_text())
            .unwrap_or_default()
    }

    /// Indices of the records that name the record at `i` as a resolved upstream.
    pub fn children(&self, i: usize) -> &[usize] {
        &self.children[i]
    }

    /// Resolution errors of the record at `i` (missing parents, unsatisfiable requirements).
    pub fn edge_errors(&self, i: usize) -> &[UmrError] {
        &self.errors[i]
    }

    /// Versions of a name, ascending.
    pub fn versions(&self, name: &str) -> Vec<&Record> {
        self.by_name
            .get(name)
            .map(|m| m.values().map(|i| &self.records[*i]).collect())
            .unwrap_or_default()
    }

    /// Names in the registry, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
        v.sort();
        v
    }

    /// The lock in use, if any.
    pub fn lock_in_use(&self) -> Option<&Lock> {
        self.lock.as_ref()
    }

    /// Topological order of the whole registry, ancestors first (ties broken by name and
    /// version, so the order is deterministic). A cycle is an error naming its path.
    pub fn topo_order(&self) -> Result<Vec<&Record>> {
        Ok(self
            .topo_indices()?
            .iter()
            .map(|i| &self.records[*i])
            .collect())
    }

    /// Topological order as indices (ancestors first). A cycle anywhere is an error naming
    /// it (a whole-registry order does not exist then).
    pub fn topo_indices(&self) -> Result<&[usize]> {
        match (0..self.records.len()).find(|i| !self.in_order[*i]) {
            Some(i) => Err(self.cycle_error_for(i)),
            None => Ok(self.topo()),
        }
    }

    /// The order of every record that is not in or downstream of a cycle, ancestors first.
    pub fn acyclic_order(&self) -> &[usize] {
        self.topo()
    }

    fn sort_key(&self, i: usize) -> (&str, &Version) {
        let r = &self.records[i];
        (r.name(), r.version())
    }

    fn topo(&self) -> &[usize] {
        self.topo.get_or_init(|| self.compute_topo())
    }

    /// Kahn's algorithm with a deterministic tie-break (name, version). Returns the order of
    /// every record not in or downstream of a cycle.
    fn compute_topo(&self) -> Vec<usize> {
        let n = self.records.len();
        let mut indeg = self.parent_counts();
        // the tie-break as a rank, sorted once: the queue then orders plain integers
        // instead of cloned (name, version) keys
        let mut by_key: Vec<usize> = (0..n).collect();
        by_key.sort_unstable_by(|&a, &b| self.sort_key(a).cmp(&self.sort_key(b)).then(a.cmp(&b)));
        let mut rank = vec![0usize; n];
        for (r, &i) in by_key.iter().enumerate() {
            rank[i] = r;
        }
        let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<(usize, usize)>> = indeg
            .iter()
            .enumerate()
            .filter(|(_, d)| **d == 0)
            .map(|(i, _)| std::cmp::Reverse((rank[i], i)))
            .collect();
        let mut order = Vec::with_capacity(n);
        while let Some(std::cmp::Reverse((_, i))) = ready.pop() {
            order.push(i);
            for &c in &self.children[i] {
                indeg[c] -= 1;
                if indeg[c] == 0 {
                    ready.push(std::cmp::Reverse((rank[c], c)));
                }
            }
        }
        order
    }

    /// The cycle reached from record `i` (which is in or downstream of a cycle), as an error
    /// naming its path, e.g. `a@1.0.0 → b@2.1.0 → a@1.0.0`.
    fn cycle_error_for(&self, i: usize) -> UmrError {
        let mut seen: HashMap<usize, usize> = HashMap::new();
        let mut walk = Vec::new();
        let mut cur = i;
        loop {
            if let Some(&pos) = seen.get(&cur) {
                let mut cyc: Vec<String> = walk[pos..]
                    .iter()
                    .map(|x: &usize| self.records[*x].id())
                    .collect();
                cyc.push(self.records[cur].id());
                return UmrError::Cycle { path: cyc };
            }
            seen.insert(cur, walk.len());
            walk.push(cur);
            match self.edges[cur].iter().find(|e| !self.in_order[e.target]) {
                Some(e) => cur = e.target,
                None => {
                    return UmrError::Cycle {
                        path: walk.iter().map(|x| self.records[*x].id()).collect(),
                    };
                }
            }
        }
    }

    /// The records in or downstream of a cycle (they have no effective record).
    pub fn cyclic(&self) -> Vec<&Record> {
        (0..self.records.len())
            .filter(|i| !self.in_order[*i])
            .map(|i| &self.records[i])
            .collect()
    }

    /// Ancestors of `i` (all relations), ancestors first, `i` last.
    fn ancestors_topo(&self, i: usize) -> Result<Vec<usize>> {
        if !self.in_order[i] {
            return Err(self.cycle_error_for(i));
        }
        let order = self.topo();
        let mut mark = vec![false; self.records.len()];
        let mut stack = vec![i];
        mark[i] = true;
        while let Some(x) = stack.pop() {
            for e in &self.edges[x] {
                if !mark[e.target] {
                    mark[e.target] = true;
                    stack.push(e.target);
                }
            }
        }
        Ok(order.iter().copied().filter(|x| mark[*x]).collect())
    }

    /// The cache of effective layers, one slot per record.
    fn memos(&self) -> &[OnceLock<Memo>] {
        self.effective
            .get_or_init(|| (0..self.records.len()).map(|_| OnceLock::new()).collect())
    }

    fn effective_at(&self, i: usize) -> Memo {
        let memos = self.memos();
        if let Some(done) = memos[i].get() {
            return done.clone();
        }
        for x in self.ancestors_topo(i)? {
            if memos[x].get().is_some() {
                continue;
            }
            let computed = self.merge_node(x, |t| memos[t].get().cloned());
            let _ = memos[x].set(computed);
        }
        match memos[i].get() {
            Some(r) => r.clone(),
            None => Err(UmrError::Internal {
                message: "effective record not computed".into(),
            }),
        }
    }

    /// Merge record `x` over the effective layers of its inheriting parents.
    fn merge_node(&self, x: usize, parent: impl Fn(usize) -> Option<Memo>) -> Memo {
        let record = &self.records[x];
        if let Some(e) = self.errors[x].first() {
            return Err(e.clone());
        }
        let id: Arc<str> = Arc::from(record.id());
        // a packed record is read into a map of its own and not unpacked for good
        let mut layer = Layer::own(record.map_owned(), &id);
        for e in &self.edges[x] {
            match parent(e.target) {
                Some(Ok(p)) => {
                    if e.inherit {
                        layer.merge_under(&p);
                    }
                }
                Some(Err(err)) => return Err(extend_chain(&err, &id)),
                None => {
                    return Err(UmrError::Internal {
                        message: "parent not computed before child".into(),
                    })
                }
            }
        }
        Ok(Arc::new(layer.finish()))
    }

    /// Build the public view of an effective layer.
    fn to_effective(&self, x: usize, layer: &Layer) -> Result<Effective> {
        let own = &self.records[x];
        let record = Record::from_trusted(
            Value::Object(layer.value.clone()),
            own.file().map(str::to_string),
        )
        .map_err(|e| {
            UmrError::resolve(
                "E_EFFECTIVE_INVALID",
                format!("the effective record of {} is invalid: {e}", own.id()),
                vec![own.id()],
            )
        })?;
        Ok(Effective {
            record,
            provenance: layer.provenance(),
        })
    }

    /// Resolve every record in topological order and hand each effective record to `f`,
    /// keeping in memory only the layers that later records still need (for registries too
    /// large to hold every effective record at once). Records in a cycle get the cycle error.
    pub fn for_each_effective(&self, mut f: impl FnMut(&Record, Result<EffectiveRef<'_>>)) {
        let order = self.streaming_order();
        let mut remaining: Vec<usize> = self.children.iter().map(Vec::len).collect();
        // the layers still needed, by record: only the frontier of the walk, so a small
        // map rather than a slot per record (a slot per record is a cache miss per visit)
        let mut live: HashMap<usize, Memo> = HashMap::new();
        let mut parents: Vec<usize> = Vec::new();
        for x in order {
            let memo = self.merge_node(x, |t| live.get(&t).cloned());
            match &memo {
                Ok(layer) => f(&self.records[x], Ok(EffectiveRef { layer })),
                Err(e) => f(&self.records[x], Err(e.clone())),
            }
            if remaining[x] > 0 {
                live.insert(x, memo);
            }
            // release a parent once its last child is done
            parents.clear();
            parents.extend(self.edges[x].iter().map(|e| e.target));
            parents.sort_unstable();
            parents.dedup();
            for &t in &parents {
                if remaining[t] > 0 {
                    remaining[t] -= 1;
                    if remaining[t] == 0 {
                        live.remove(&t);
                    }
                }
            }
        }
        // records in or downstream of a cycle
        for x in (0..self.records.len()).filter(|i| !self.in_order[*i]) {
            f(&self.records[x], Err(self.cycle_error_for(x)));
        }
    }

    /// A topological order for streaming resolution that takes a record's children as soon
    /// as they are ready (depth first): a parent's layer is merged under its children while
    /// it is still in the processor's cache, and is released sooner, so fewer layers are
    /// live at once. The same records as [`Registry::acyclic_order`], deterministically.
    fn streaming_order(&self) -> Vec<usize> {
        self.kahn((0..self.records.len()).rev())
    }

    /// Kahn's algorithm with a stack: the records outside every cycle, each after its
    /// parents, a record's children taken as soon as they are ready. `roots` gives the
    /// order in which records are considered (the last ready one is taken first).
    fn kahn(&self, roots: impl Iterator<Item = usize>) -> Vec<usize> {
        let mut indeg = self.parent_counts();
        let mut stack: Vec<usize> = roots.filter(|&i| indeg[i] == 0).collect();
        let mut order = Vec::with_capacity(self.records.len());
        while let Some(x) = stack.pop() {
            order.push(x);
            for &c in self.children[x].iter().rev() {
                indeg[c] -= 1;
                if indeg[c] == 0 {
                    stack.push(c);
                }
            }
        }
        order
    }

    /// The number of distinct parents of each record (each child list names a child once).
    fn parent_counts(&self) -> Vec<usize> {
        let mut indeg = vec![0usize; self.records.len()];
        for cs in &self.children {
            for &c in cs {
                indeg[c] += 1;
            }
        }
        indeg
    }

    /// The effective record of a reference, with provenance.
    pub fn effective(&self, spec: &str) -> Result<Effective> {
        let i = self.find_index(spec)?;
        self.effective_of(i)
    }

    /// The effective record of the record at an index.
    pub fn effective_of(&self, i: usize) -> Result<Effective> {
        let layer = self.effective_at(i)?;
        self.to_effective(i, &layer)
    }

    /// Resolve every record; one result per record, in topological order, followed by the
    /// records in or downstream of a cycle (each with the cycle error).
    pub fn effective_all(&self) -> Vec<(String, Result<Effective>)> {
        // one pass in topological order: each record is merged once, over its parents'
        // memoised layers (calling `effective_of` per record would walk every record's
        // ancestors: quadratic on deep chains). The records of one level (longest distance
        // from a record without parents) depend only on earlier levels, so a level is
        // merged on every core; so is the public view of each result.
        let topo = self.topo();
        let mut level = vec![0usize; self.records.len()];
        let mut levels: Vec<Vec<usize>> = Vec::new();
        for &x in topo {
            let l = self.edges[x]
                .iter()
                .map(|e| level[e.target] + 1)
                .max()
                .unwrap_or(0);
            level[x] = l;
            if levels.len() <= l {
                levels.resize_with(l + 1, Vec::new);
            }
            levels[l].push(x);
        }
        let memos = self.memos();
        for members in &levels {
            let todo: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&x| memos[x].get().is_none())
                .collect();
            let computed = crate::par::map(&todo, 1024, |x| {
                self.merge_node(x, |t| memos[t].get().cloned())
            });
            for (x, memo) in todo.into_iter().zip(computed) {
                let _ = memos[x].set(memo);
            }
        }
        let order: Vec<usize> = topo
            .iter()
            .copied()
            .chain((0..self.records.len()).filter(|i| !self.in_order[*i]))
            .collect();
        crate::par::map(&order, 1024, |i| {
            (self.records[i].id(), self.effective_of(i))
        })
    }
}

fn extend_chain(err: &UmrError, id: &str) -> UmrError {
    match err {
        UmrError::Resolve {
            code,
            message,
            chain,
        } => {
            let mut c = vec![id.to_string()];
            c.extend(chain.iter().cloned());
            let base = message.split(" (via ").next().unwrap_or(message);
            UmrError::Resolve {
                code: code.clone(),
                message: format!("{base} (via {})", c.join(" → ")),
                chain: c,
            }
        }
        other => other.clone(),
    }
}

/// Load records from layered roots.
pub fn load_roots(roots: &[PathBuf], limits: &Limits) -> Result<(Vec<Record>, LoadReport)> {
    let mut report = LoadReport::default();
    let mut taken: HashMap<String, usize> = HashMap::new(); // name → root index
    let mut records = Vec::new();
    for (ri, root) in roots.iter().enumerate() {
        let canon_root =
            std::fs::canonicalize(root).map_err(|e| UmrError::io(root.display(), e))?;
        let (found, walk_diags) = crate::scan::scan_root(&canon_root, root, limits)?;
        report.diagnostics.extend(walk_diags);
        records.reserve(found.len());
        for crate::scan::Found {
            path: f,
            checked: c,
        } in found
        {
            report.files += 1;
            report.diagnostics.extend(c.diagnostics);
            let Some(rec) = c.record else { continue };
            let expected = rec.registry_path();
            let rel = f
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if !rec.is_legacy()
                && rel != expected
                && !rel.ends_with(".json")
                && rel.replace(".yml", ".yaml") != expected
            {
                report.diagnostics.push(
                    Diagnostic::warning(
                        "W_LAYOUT",
                        "",
                        format!("{} is expected at `{expected}` in the registry", rec.id()),
                    )
                    .in_file(Some(&f.display().to_string())),
                );
            }
            if let Some(&owner) = taken.get(rec.name()) {
                if owner != ri {
                    continue; // an earlier root has this name
                }
            }
            // two files with one name and version in this root: refused by `build`, which
            // names both files
            if roots.len() > 1 {
                taken.entry(rec.name().to_string()).or_insert(ri);
            }
            if records.len() >= limits.max_records {
                return Err(UmrError::Refused {
                    code: "E_LIMIT_RECORDS".into(),
                    message: format!("more than {} records; refused", limits.max_records),
                });
            }
            records.push(rec);
        }
    }
    report.records = records.len();
    Ok((records, report))
}

/// The kind of a record by index (helper for graph code).
pub fn kind_of(reg: &Registry, i: usize) -> Kind {
    reg.record(i).kind()
}
