//! The JS shapes of the core's result types.
//!
//! Each struct mirrors one core type field for field, with the core's serialised field
//! names (snake_case, as in the CLI's `--format json` and the Python dicts), so the data
//! is the same on every surface and `index.d.ts` types it. Every `From` impl destructures
//! the core type completely: a field added in the core is a compile error here, never a
//! silently missing property.

use napi::bindgen_prelude::{Either, Null};
use napi_derive::napi;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use umr_core::limits::check_value_limits;
use umr_core::{Limits, UmrError};

use crate::error::to_napi;

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
    /// `ArgumentError` or `InternalError` (a bug; code `E_INTERNAL`, or `E_PANIC` for a
    /// caught panic).
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

// ---- values and options ------------------------------------------------------------------

/// A value converted from JS (a plain object for a record, overrides) within the core's
/// limits for values built in memory (`check_value_limits`): beyond them, the core's
/// `ValidationError` (`E_LIMIT_DEPTH`, `E_LIMIT_NODES`, `E_LIMIT_STRING`), as in Python.
pub fn checked(v: Value) -> napi::Result<Value> {
    match check_value_limits(&v, &Limits::default()) {
        Some(d) => Err(to_napi(UmrError::Invalid(vec![d]))),
        None => Ok(v),
    }
}

/// `camelCase` → `snake_case` (option names: `specVersion` → `spec_version`).
fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// An options object as one of the core's option structs (which derive `Deserialize`
/// with defaults). Names are camelCase in JS and snake_case in the core; an option left
/// out, `undefined` or `null` takes the core's default. An option the struct does not have,
/// or a value of the wrong type, is an `ArgumentError` (`E_OPTIONS`), as in Python.
pub fn options<T: DeserializeOwned>(given: Option<Map<String, Value>>) -> napi::Result<T> {
    let map: Map<String, Value> = given
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (snake_case(&k), v))
        .collect();
    serde_json::from_value(Value::Object(map)).map_err(|e| {
        to_napi(UmrError::argument(
            "E_OPTIONS",
            format!("invalid option: {e}"),
        ))
    })
}

// ---- transparency scores -----------------------------------------------------------------

/// Counts for a set of indicators.
#[napi(object, object_from_js = false)]
pub struct Tally {
    /// Indicators answered true: the score.
    pub score: u32,
    /// Indicators answered true or false.
    pub answered: u32,
    /// Indicators with no answer or an explicit unknown.
    pub unknown: u32,
    /// Number of indicators.
    pub indicators: u32,
}

impl From<umr_core::score::Tally> for Tally {
    fn from(t: umr_core::score::Tally) -> Self {
        let umr_core::score::Tally {
            score,
            answered,
            unknown,
            indicators,
        } = t;
        Tally {
            score,
            answered,
            unknown,
            indicators,
        }
    }
}

/// Score of one subdomain (its counts inline, as in the core's JSON).
#[napi(object, object_from_js = false)]
pub struct SubdomainScore {
    /// Subdomain key.
    pub key: String,
    /// Published name.
    pub name: String,
    /// Indicators answered true.
    pub score: u32,
    /// Indicators answered true or false.
    pub answered: u32,
    /// Indicators not answered.
    pub unknown: u32,
    /// Number of indicators.
    pub indicators: u32,
}

impl From<umr_core::score::SubdomainScore> for SubdomainScore {
    fn from(s: umr_core::score::SubdomainScore) -> Self {
        let umr_core::score::SubdomainScore { key, name, tally } = s;
        let Tally {
            score,
            answered,
            unknown,
            indicators,
        } = tally.into();
        SubdomainScore {
            key,
            name,
            score,
            answered,
            unknown,
            indicators,
        }
    }
}

/// Score of one domain, with its subdomains (counts inline, as in the core's JSON).
#[napi(object, object_from_js = false)]
pub struct DomainScore {
    /// Domain key.
    pub key: String,
    /// Published name.
    pub name: String,
    /// Indicators answered true.
    pub score: u32,
    /// Indicators answered true or false.
    pub answered: u32,
    /// Indicators not answered.
    pub unknown: u32,
    /// Number of indicators.
    pub indicators: u32,
    /// Subdomains, in published order.
    pub subdomains: Vec<SubdomainScore>,
}

impl From<umr_core::score::DomainScore> for DomainScore {
    fn from(d: umr_core::score::DomainScore) -> Self {
        let umr_core::score::DomainScore {
            key,
            name,
            tally,
            subdomains,
        } = d;
        let Tally {
            score,
            answered,
            unknown,
            indicators,
        } = tally.into();
        DomainScore {
            key,
            name,
            score,
            answered,
            unknown,
            indicators,
            subdomains: subdomains.into_iter().map(Into::into).collect(),
        }
    }
}

/// The answer counted for one indicator. Optional fields are absent when not set.
#[napi(object, object_from_js = false)]
pub struct IndicatorAnswer {
    /// Indicator key.
    pub key: String,
    /// Domain key.
    pub domain: String,
    /// Subdomain key.
    pub subdomain: String,
    /// `true`, `false`, or `null` for unknown / not answered.
    #[napi(ts_type = "boolean | null")]
    pub answer: Either<bool, Null>,
    /// Evidence URL given with the answer.
    pub evidence: Option<String>,
    /// Note given with the answer.
    pub note: Option<String>,
    /// `name@version` of the record that supplied the answer.
    pub source: Option<String>,
    /// The alias key the answer was written under, when not the indicator key.
    #[napi(js_name = "written_as")]
    pub written_as: Option<String>,
}

impl From<umr_core::score::IndicatorAnswer> for IndicatorAnswer {
    fn from(a: umr_core::score::IndicatorAnswer) -> Self {
        let umr_core::score::IndicatorAnswer {
            key,
            domain,
            subdomain,
            answer,
            evidence,
            note,
            source,
            written_as,
        } = a;
        IndicatorAnswer {
            key,
            domain,
            subdomain,
            answer: answer.map_or(Either::B(Null), Either::A),
            evidence,
            note,
            source,
            written_as,
        }
    }
}

/// A transparency score in one edition.
#[napi(object, object_from_js = false)]
pub struct Score {
    /// Edition name (canonical, e.g. `fmti2023`).
    pub edition: String,
    /// Totals over every indicator.
    pub total: Tally,
    /// Per domain, with per-subdomain counts, in published order.
    pub domains: Vec<DomainScore>,
    /// Every indicator of the edition, in published order, with the answer counted.
    pub indicators: Vec<IndicatorAnswer>,
    /// Warnings (unknown indicator keys, answers of another edition, …).
    pub diagnostics: Vec<Diagnostic>,
}

impl From<umr_core::score::Score> for Score {
    fn from(s: umr_core::score::Score) -> Self {
        let umr_core::score::Score {
            edition,
            total,
            domains,
            indicators,
            diagnostics: diags,
        } = s;
        Score {
            edition,
            total: total.into(),
            domains: domains.into_iter().map(Into::into).collect(),
            indicators: indicators.into_iter().map(Into::into).collect(),
            diagnostics: diagnostics(diags),
        }
    }
}

/// Own and effective transparency scores of a registry record.
#[napi(object, object_from_js = false)]
pub struct ScoreReport {
    /// `name@version` of the record.
    pub record: String,
    /// Edition scored.
    pub edition: String,
    /// The record's own answers.
    pub own: Score,
    /// The effective record's answers (own and inherited).
    pub effective: Score,
    /// Answers of the effective score supplied by ancestors: `name@version` → number of
    /// indicators, nearest ancestor first.
    #[napi(ts_type = "{ [id: string]: number }")]
    pub inherited: Value,
}

impl From<umr_core::score::ScoreReport> for ScoreReport {
    fn from(r: umr_core::score::ScoreReport) -> Self {
        let umr_core::score::ScoreReport {
            record,
            edition,
            own,
            effective,
            inherited,
        } = r;
        ScoreReport {
            record,
            edition,
            own: own.into(),
            effective: effective.into(),
            inherited: Value::Object(
                inherited
                    .into_iter()
                    .map(|(id, n)| (id, Value::from(n)))
                    .collect(),
            ),
        }
    }
}

/// A domain of an edition.
#[napi(object, object_from_js = false)]
pub struct EditionDomain {
    /// Stable snake_case key.
    pub key: String,
    /// Published name.
    pub name: String,
}

/// A subdomain of an edition.
#[napi(object, object_from_js = false)]
pub struct EditionSubdomain {
    /// Stable snake_case key.
    pub key: String,
    /// Published name.
    pub name: String,
    /// Key of its domain.
    pub domain: String,
}

/// One indicator of an edition.
#[napi(object, object_from_js = false)]
pub struct Indicator {
    /// Stable snake_case key: the answer key in records.
    pub key: String,
    /// Domain key.
    pub domain: String,
    /// Subdomain key.
    pub subdomain: String,
    /// Published name.
    pub name: String,
    /// Published definition (the question the indicator asks).
    pub definition: String,
    /// Other keys that mean this indicator (absent when there are none).
    pub aliases: Option<Vec<String>>,
}

/// A transparency edition: an indicator set.
#[napi(object, object_from_js = false)]
pub struct Edition {
    /// Registry name, e.g. `fmti2023`.
    pub name: String,
    /// Other names of the same indicator set.
    pub aliases: Vec<String>,
    /// Display title.
    pub title: String,
    /// Publication month, `YYYY-MM`.
    pub published: String,
    /// A note on the edition.
    pub note: String,
    /// Where the indicator definitions come from.
    pub source: String,
    /// Licence of the indicator definitions.
    pub license: String,
    /// Attribution required by the licence.
    pub attribution: String,
    /// Domains, in published order.
    pub domains: Vec<EditionDomain>,
    /// Subdomains, in published order.
    pub subdomains: Vec<EditionSubdomain>,
    /// Indicators, in published order.
    pub indicators: Vec<Indicator>,
}

impl From<&umr_core::score::Edition> for Edition {
    fn from(e: &umr_core::score::Edition) -> Self {
        // (the edition's lookup index is private and not part of its data)
        let umr_core::score::Edition {
            name,
            aliases,
            title,
            published,
            note,
            source,
            license,
            attribution,
            domains,
            subdomains,
            indicators,
            ..
        } = e.clone();
        Edition {
            name,
            aliases,
            title,
            published,
            note,
            source,
            license,
            attribution,
            domains: domains
                .into_iter()
                .map(|d| {
                    let umr_core::score::Domain { key, name } = d;
                    EditionDomain { key, name }
                })
                .collect(),
            subdomains: subdomains
                .into_iter()
                .map(|s| {
                    let umr_core::score::Subdomain { key, name, domain } = s;
                    EditionSubdomain { key, name, domain }
                })
                .collect(),
            indicators: indicators
                .into_iter()
                .map(|i| {
                    let umr_core::score::Indicator {
                        key,
                        domain,
                        subdomain,
                        name,
                        definition,
                        aliases,
                    } = i;
                    Indicator {
                        key,
                        domain,
                        subdomain,
                        name,
                        definition,
                        aliases: (!aliases.is_empty()).then_some(aliases),
                    }
                })
                .collect(),
        }
    }
}
