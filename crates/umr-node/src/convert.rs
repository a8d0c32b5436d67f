//! The JS shapes of the core's result types.
//!
//! Each struct mirrors one core type field for field, with the core's serialised field
//! names (snake_case, as in the CLI's `--format json` and the Python dicts), so the data
//! is the same on every surface and `index.d.ts` types it. Every `From` impl destructures
//! the core type completely: a field added in the core is a compile error here, never a
//! silently missing property.

use napi_derive::napi;
use serde::Serialize;
use std::collections::BTreeMap;

/// The serialised name of a unit enum value (`finetune`, `dataset`, `mitigated`, …).
fn name_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A count or position as a JS number.
fn num(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One located problem in a document. Absent values are `null`.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Diagnostic {
    /// The file, when the input came from a file (or a file name was given).
    pub file: Option<String>,
    /// Field path inside the record, e.g. `upstream[0].version` (empty for the document).
    pub path: String,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column (in characters).
    pub column: Option<u32>,
    /// Stable code, e.g. `E_SEMVER`.
    pub code: String,
    /// `error` or `warning`.
    #[napi(ts_type = "'error' | 'warning'")]
    pub severity: String,
    /// What is wrong.
    pub message: String,
    /// A suggestion, when there is one.
    pub help: Option<String>,
}

impl From<umr_core::Diagnostic> for Diagnostic {
    fn from(d: umr_core::Diagnostic) -> Self {
        let umr_core::Diagnostic {
            file,
            path,
            line,
            column,
            code,
            severity,
            message,
            help,
        } = d;
        Diagnostic {
            file,
            path,
            line: line.map(num),
            column: column.map(num),
            code,
            severity: name_of(&severity),
            message,
            help,
        }
    }
}

/// Convert a list of core diagnostics.
pub fn diagnostics(d: impl IntoIterator<Item = umr_core::Diagnostic>) -> Vec<Diagnostic> {
    d.into_iter().map(Diagnostic::from).collect()
}

/// The data of an error, as every `UmrError` carries it (`kind` names the class).
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct ErrorData {
    /// `ValidationError`, `ResolveError`, `CycleError`, `IoError`, `RefusedError`,
    /// `ArgumentError` (or `UmrError` for an internal error).
    pub kind: String,
    /// Stable code.
    pub code: String,
    /// Human message.
    pub message: String,
    /// Field path of the first error diagnostic.
    pub path: Option<String>,
    /// Line of the first error diagnostic.
    pub line: Option<u32>,
    /// Column of the first error diagnostic.
    pub column: Option<u32>,
    /// Every diagnostic (validation errors).
    pub diagnostics: Vec<Diagnostic>,
    /// The chain of records, or the cycle, for resolution errors.
    pub chain: Vec<String>,
}

impl From<umr_core::ErrorData> for ErrorData {
    fn from(e: umr_core::ErrorData) -> Self {
        let umr_core::ErrorData {
            kind,
            code,
            message,
            path,
            line,
            column,
            diagnostics: diags,
            chain,
        } = e;
        ErrorData {
            kind,
            code,
            message,
            path,
            line: line.map(num),
            column: column.map(num),
            diagnostics: diagnostics(diags),
            chain,
        }
    }
}

/// What loading a registry from folders found.
#[napi(object, object_from_js = false)]
pub struct LoadReport {
    /// Files read.
    pub files: u32,
    /// Records indexed.
    pub records: u32,
    /// Every diagnostic of every file (files with errors were skipped).
    pub diagnostics: Vec<Diagnostic>,
}

impl From<umr_core::registry::LoadReport> for LoadReport {
    fn from(r: umr_core::registry::LoadReport) -> Self {
        let umr_core::registry::LoadReport {
            files,
            records,
            diagnostics: diags,
        } = r;
        LoadReport {
            files: num(files),
            records: num(records),
            diagnostics: diagnostics(diags),
        }
    }
}

/// One record reached from the root of a lineage query.
#[napi(object, object_from_js = false)]
pub struct LineageEntry {
    /// Record name.
    pub name: String,
    /// Record version.
    pub version: String,
    /// Record kind.
    pub kind: String,
    /// Relation of the edge by which it was first reached.
    pub relation: String,
    /// Distance from the root (1 = direct).
    pub depth: u32,
    /// `name@version` on the other side of that edge.
    pub via: String,
    /// Whether the record carries risks of its own.
    #[napi(js_name = "has_risks")]
    pub has_risks: bool,
}

impl From<umr_core::lineage::LineageEntry> for LineageEntry {
    fn from(e: umr_core::lineage::LineageEntry) -> Self {
        let umr_core::lineage::LineageEntry {
            name,
            version,
            kind,
            relation,
            depth,
            via,
            has_risks,
        } = e;
        LineageEntry {
            name,
            version,
            kind: name_of(&kind),
            relation: name_of(&relation),
            depth: num(depth),
            via,
            has_risks,
        }
    }
}

/// An edge of the lineage graph: `child` relates to `parent` by `relation`.
#[napi(object, object_from_js = false)]
pub struct GraphEdge {
    /// Downstream record, `name@version`.
    pub child: String,
    /// Upstream record, `name@version`.
    pub parent: String,
    /// Relation kind.
    pub relation: String,
    /// Whether fields inherit along the edge.
    pub inherit: bool,
}

impl From<umr_core::lineage::GraphEdge> for GraphEdge {
    fn from(e: umr_core::lineage::GraphEdge) -> Self {
        let umr_core::lineage::GraphEdge {
            child,
            parent,
            relation,
            inherit,
        } = e;
        GraphEdge {
            child,
            parent,
            relation: name_of(&relation),
            inherit,
        }
    }
}

/// The lineage of one record.
#[napi(object, object_from_js = false)]
pub struct Lineage {
    /// The record asked about, `name@version`.
    pub root: String,
    /// Kind of the root.
    #[napi(js_name = "root_kind")]
    pub root_kind: String,
    /// Whether the root carries risks of its own.
    #[napi(js_name = "root_has_risks")]
    pub root_has_risks: bool,
    /// Upstream records, breadth-first.
    pub ancestors: Vec<LineageEntry>,
    /// Downstream records, breadth-first.
    pub descendants: Vec<LineageEntry>,
    /// Every edge among them.
    pub edges: Vec<GraphEdge>,
}

impl From<umr_core::Lineage> for Lineage {
    fn from(l: umr_core::Lineage) -> Self {
        let umr_core::Lineage {
            root,
            root_kind,
            root_has_risks,
            ancestors,
            descendants,
            edges,
        } = l;
        Lineage {
            root,
            root_kind: name_of(&root_kind),
            root_has_risks,
            ancestors: ancestors.into_iter().map(Into::into).collect(),
            descendants: descendants.into_iter().map(Into::into).collect(),
            edges: edges.into_iter().map(Into::into).collect(),
        }
    }
}

/// A mitigation of an inherited risk.
#[napi(object, object_from_js = false)]
pub struct Mitigation {
    /// The record that declared it, `name@version`.
    pub by: String,
    /// Why the risk is mitigated.
    pub justification: String,
}

/// A risk a record is exposed to.
#[napi(object, object_from_js = false)]
pub struct Exposure {
    /// Risk identifier.
    pub id: String,
    /// The record the risk was declared on, `name@version`.
    pub origin: String,
    /// The path it travelled: origin first, the exposed record last.
    pub chain: Vec<String>,
    /// Status at this record (`confirmed`, `suspected`, `mitigated`, …).
    pub status: String,
    /// Severity (`low`, `medium`, `high`, `critical`).
    pub severity: String,
    /// Title, when given.
    pub title: Option<String>,
    /// Description, when given.
    pub description: Option<String>,
    /// The mitigation in force, when mitigated.
    pub mitigation: Option<Mitigation>,
}

impl From<umr_core::Exposure> for Exposure {
    fn from(e: umr_core::Exposure) -> Self {
        let umr_core::Exposure {
            id,
            origin,
            chain,
            status,
            severity,
            title,
            description,
            mitigation,
        } = e;
        Exposure {
            id,
            origin,
            chain,
            status: name_of(&status),
            severity: name_of(&severity),
            title,
            description,
            mitigation: mitigation.map(|m| {
                let umr_core::risk::Mitigation { by, justification } = m;
                Mitigation { by, justification }
            }),
        }
    }
}

/// Convert a list of exposures.
pub fn exposures(v: Vec<umr_core::Exposure>) -> Vec<Exposure> {
    v.into_iter().map(Into::into).collect()
}

/// A record downstream of the record asked about.
#[napi(object, object_from_js = false)]
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

impl From<umr_core::Affected> for Affected {
    fn from(a: umr_core::Affected) -> Self {
        let umr_core::Affected {
            name,
            version,
            chain,
            risks,
        } = a;
        Affected {
            name,
            version,
            chain,
            risks: exposures(risks),
        }
    }
}

/// One change between two records.
#[napi(object, object_from_js = false)]
pub struct Change {
    /// Field path (list items with an identity are named by it, e.g. `risks["csam"]`).
    pub path: String,
    /// `added`, `removed` or `changed`.
    #[napi(ts_type = "'added' | 'removed' | 'changed'")]
    pub op: String,
    /// The old value (absent when added).
    pub old: Option<serde_json::Value>,
    /// The new value (absent when removed).
    pub new: Option<serde_json::Value>,
    /// The bump this change requires.
    #[napi(ts_type = "'none' | 'patch' | 'minor' | 'major'")]
    pub bump: String,
    /// The id of the rule that classified it.
    pub rule: String,
}

impl From<umr_core::evolution::Change> for Change {
    fn from(c: umr_core::evolution::Change) -> Self {
        let umr_core::evolution::Change {
            path,
            op,
            old,
            new,
            bump,
            rule,
        } = c;
        Change {
            path,
            op: name_of(&op),
            old,
            new,
            bump: name_of(&bump),
            rule,
        }
    }
}

/// One resolved upstream relation in a lock.
#[napi(object, object_from_js = false)]
pub struct LockedUpstream {
    /// The requirement as written.
    pub requirement: String,
    /// The record it resolved to, `name@version`.
    pub resolved: String,
    /// Position in the record's `upstream` list.
    pub index: u32,
}

/// One locked record.
#[napi(object, object_from_js = false)]
pub struct LockEntry {
    /// `sha256:` digest of the record's canonical JSON.
    pub digest: String,
    /// Resolved upstream relations.
    pub upstream: Vec<LockedUpstream>,
}

/// A lock: every record's digest and resolved upstreams (the `umr.lock` format).
#[napi(object, object_from_js = false)]
pub struct Lock {
    /// Format version of the lock (1).
    #[napi(js_name = "lock_version")]
    pub lock_version: u32,
    /// Entries by `name@version`, sorted.
    #[napi(ts_type = "{ [id: string]: LockEntry }")]
    pub records: BTreeMap<String, LockEntry>,
}

impl From<umr_core::Lock> for Lock {
    fn from(l: umr_core::Lock) -> Self {
        let umr_core::Lock {
            lock_version,
            records,
        } = l;
        Lock {
            lock_version,
            records: records
                .into_iter()
                .map(|(id, e)| {
                    let umr_core::lock::LockEntry { digest, upstream } = e;
                    let upstream = upstream
                        .into_iter()
                        .map(|u| {
                            let umr_core::lock::LockedUpstream {
                                requirement,
                                resolved,
                                index,
                            } = u;
                            LockedUpstream {
                                requirement,
                                resolved,
                                index: num(index),
                            }
                        })
                        .collect();
                    (id, LockEntry { digest, upstream })
                })
                .collect(),
        }
    }
}
