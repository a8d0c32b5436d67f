//! Transparency scoring: indicator answers scored per domain, subdomain and in total, for a
//! record's own answers and for its effective (inherited) answers.
//!
//! The rules (specified in `docs/transparency.md`):
//!
//! - An edition ([`Edition`]) is an indicator set loaded from data (`fmti2023`, `fmti2025`).
//! - A record answers indicators in `transparency.answers`, keyed by indicator key (or an
//!   alias key). An answer is true, false or unknown; see [`answer_value`].
//! - An indicator scores one point when its answer is true. Unknown and absent answers score
//!   nothing and count as not covered; a key the edition does not have is a warning and
//!   is not counted.
//! - Own answers are the record's `transparency.answers` as written. Effective answers are
//!   those of the effective record: inheriting relations only, the nearest answer wins per
//!   indicator (the record's own, then its first inheriting parent's effective answers,
//!   then the second's, …), an explicit `null` clears an inherited answer.
//! - Answers supplied by a record that declares a different edition are not counted.

mod edition;

pub use edition::{
    edition, edition_names, editions, key_of, normalize_edition, Domain, Edition, Indicator,
    Subdomain, DEFAULT_EDITION,
};

use crate::diagnostic::{Diagnostic, Result};
use crate::limits::Limits;
use crate::model::Answer;
use crate::path;
use crate::record::Record;
use crate::registry::Registry;
use crate::yaml::{self, SourceMap};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

/// Counts for a set of indicators.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Indicators answered true: the score.
    pub score: u32,
    /// Indicators answered true or false.
    pub answered: u32,
    /// Indicators with no answer or an explicit unknown (`indicators - answered`).
    pub unknown: u32,
    /// Number of indicators.
    pub indicators: u32,
}

impl Tally {
    fn add(&mut self, answer: Option<bool>) {
        self.indicators += 1;
        match answer {
            Some(true) => {
                self.score += 1;
                self.answered += 1;
            }
            Some(false) => self.answered += 1,
            None => self.unknown += 1,
        }
    }

    /// Indicators answered false.
    pub fn unsatisfied(&self) -> u32 {
        self.answered - self.score
    }

    /// Share of indicators answered (0.0 to 1.0; 0.0 for an empty set).
    pub fn coverage(&self) -> f64 {
        if self.indicators == 0 {
            0.0
        } else {
            f64::from(self.answered) / f64::from(self.indicators)
        }
    }
}

/// Score of one subdomain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubdomainScore {
    /// Subdomain key.
    pub key: String,
    /// Published name.
    pub name: String,
    /// Counts.
    #[serde(flatten)]
    pub tally: Tally,
}

/// Score of one domain, with its subdomains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainScore {
    /// Domain key.
    pub key: String,
    /// Published name.
    pub name: String,
    /// Counts.
    #[serde(flatten)]
    pub tally: Tally,
    /// Subdomains, in published order.
    pub subdomains: Vec<SubdomainScore>,
}

/// The answer counted for one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorAnswer {
    /// Indicator key.
    pub key: String,
    /// Domain key.
    pub domain: String,
    /// Subdomain key.
    pub subdomain: String,
    /// `true`, `false`, or `null` for unknown / not answered.
    pub answer: Option<bool>,
    /// Evidence URL given with the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Note given with the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// `name@version` of the record that supplied the answer (absent when not answered or
    /// when scoring a bare answer map).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The alias key the answer was written under, when it was not the indicator key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_as: Option<String>,
}

/// A score in one edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Edition name (canonical, e.g. `fmti2023`).
    pub edition: String,
    /// Totals over every indicator.
    pub total: Tally,
    /// Per domain, with per-subdomain counts, in published order.
    pub domains: Vec<DomainScore>,
    /// Every indicator of the edition, in published order, with the answer counted.
    pub indicators: Vec<IndicatorAnswer>,
    /// Warnings: answer keys that are not indicators of the edition, answers of another
    /// edition, unrecognised answer values, an indicator answered under two keys.
    pub diagnostics: Vec<Diagnostic>,
}

impl Score {
    /// A domain's score by key.
    pub fn domain(&self, key: &str) -> Option<&DomainScore> {
        self.domains.iter().find(|d| d.key == key)
    }

    /// A subdomain's score by key.
    pub fn subdomain(&self, key: &str) -> Option<&SubdomainScore> {
        self.domains
            .iter()
            .flat_map(|d| d.subdomains.iter())
            .find(|s| s.key == key)
    }

    /// The answer counted for an indicator key.
    pub fn indicator(&self, key: &str) -> Option<&IndicatorAnswer> {
        self.indicators.iter().find(|i| i.key == key)
    }
}

/// Own and effective scores of a registry record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreReport {
    /// `name@version` of the record.
    pub record: String,
    /// Edition scored.
    pub edition: String,
    /// The record's own answers.
    pub own: Score,
    /// The effective record's answers (own and inherited).
    pub effective: Score,
    /// Answers (true or false) of the effective score supplied by ancestors: `name@version`
    /// → number of indicators, nearest ancestor first.
    pub inherited: IndexMap<String, u32>,
}

/// The truth value of an answer: `Ok(Some(true))` satisfied, `Ok(Some(false))` not
/// satisfied, `Ok(None)` unknown. Accepted forms: `true`/`false`, `1`/`0`, `null`,
/// `"unknown"`, and `{value, evidence, note}` with `value` in one of those forms (absent:
/// unknown). Anything else is `Err` with a description (scored as unknown, with a warning).
pub fn answer_value(a: &Answer) -> std::result::Result<Option<bool>, String> {
    match a {
        Answer::Bool(b) => Ok(Some(*b)),
        Answer::Int(1) => Ok(Some(true)),
        Answer::Int(0) => Ok(Some(false)),
        Answer::Int(n) => Err(format!("the number {n}")),
        Answer::Word(w) => word(w),
        Answer::Unknown(()) => Ok(None),
        Answer::Full { value, .. } => match value {
            None => Ok(None),
            Some(v) => value_of(v, 0),
        },
    }
}

fn word(w: &str) -> std::result::Result<Option<bool>, String> {
    if w.trim().eq_ignore_ascii_case("unknown") {
        Ok(None)
    } else {
        Err(format!("the string {w:?}"))
    }
}

fn value_of(v: &Value, depth: usize) -> std::result::Result<Option<bool>, String> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Null => Ok(None),
        Value::Number(n) => match n.as_u64() {
            Some(1) => Ok(Some(true)),
            Some(0) => Ok(Some(false)),
            _ => Err(format!("the number {n}")),
        },
        Value::String(s) => word(s),
        Value::Object(m) if depth < 4 => match m.get("value") {
            None => Ok(None),
            Some(inner) => value_of(inner, depth + 1),
        },
        Value::Object(_) => Err("a deeply nested mapping".into()),
        Value::Array(_) => Err("a list".into()),
    }
}

/// The evidence URL and note of an answer, when it has them.
pub fn answer_evidence(a: &Answer) -> (Option<&str>, Option<&str>) {
    match a {
        Answer::Full { evidence, note, .. } => (evidence.as_deref(), note.as_deref()),
        _ => (None, None),
    }
}

/// One answer offered for scoring.
struct Entry<'a> {
    key: &'a str,
    answer: &'a Answer,
    /// `name@version` of the record that wrote it.
    source: Option<String>,
    /// Precedence: lower wins (0 = the record itself; ancestors in merge order).
    rank: usize,
    /// The edition the supplying record declares (None: undeclared, taken as the scored one).
    edition: Option<String>,
    /// The supplying record, to locate diagnostics.
    record: Option<&'a Record>,
}

fn answer_path(key: &str) -> String {
    path::key("transparency.answers", key)
}

/// A diagnostic waiting for its location: the record that supplied the answer, and the
/// answer key (None: the record's edition).
type Pending<'a> = (Diagnostic, Option<&'a Record>, Option<String>);

/// Locate diagnostics in the records that supplied the answers. Records keep no source
/// positions, so each record file with a diagnostic is parsed again (once) for them; a
/// record without a file, or a file that cannot be read, gives diagnostics with a file
/// and path but no line and column. For a prototype-dialect record the position is that of
/// the `mr.upstream|model|downstream.KEY` entry.
fn place_all(pending: Vec<Pending<'_>>) -> Vec<Diagnostic> {
    let mut spans: HashMap<String, Option<SourceMap>> = HashMap::new();
    pending
        .into_iter()
        .map(|(d, rec, key)| {
            let Some(rec) = rec else { return d };
            let Some(file) = rec.file() else { return d };
            let map = spans.entry(file.to_string()).or_insert_with(|| {
                let bytes = std::fs::read(file).ok()?;
                let text = yaml::decode(&bytes).ok()?;
                yaml::parse(text, &Limits::default()).ok().map(|p| p.spans)
            });
            let d = match map {
                None => d,
                Some(spans) if rec.is_legacy() => {
                    let loc = match &key {
                        Some(k) => ["upstream", "model", "downstream"]
                            .iter()
                            .find_map(|s| spans.key(&path::key(&format!("mr.{s}"), k))),
                        None => spans.key("mr.question_sets"),
                    }
                    .or_else(|| spans.locate("mr"));
                    match (d.line, loc) {
                        (None, Some(l)) => d.at(l.line, l.column),
                        _ => d,
                    }
                }
                Some(spans) => spans.place(d, true),
            };
            d.in_file(Some(file))
        })
        .collect()
}

fn score_entries(ed: &Edition, entries: &[Entry<'_>]) -> Score {
    let mut diags: Vec<Pending<'_>> = Vec::new();
    // (source, declared edition) → count of answers not counted, and the source record
    type Skipped<'r> = IndexMap<(Option<String>, String), (u32, Option<&'r Record>)>;
    let mut other_edition: Skipped<'_> = IndexMap::new();
    // indicator position → (rank, alias?, entry index)
    let mut chosen: HashMap<usize, (usize, bool, usize)> = HashMap::new();
    for (n, e) in entries.iter().enumerate() {
        if let Some(decl) = &e.edition {
            if !ed.is_named(decl) {
                let slot = other_edition
                    .entry((e.source.clone(), decl.clone()))
                    .or_insert((0, e.record));
                slot.0 += 1;
                continue;
            }
        }
        let Some(pos) = ed.position(e.key) else {
            let mut d = Diagnostic::warning(
                "W_SCORE_UNKNOWN_INDICATOR",
                answer_path(e.key),
                format!(
                    "`{}` is not an indicator of {}; the answer is not counted",
                    e.key, ed.name
                ),
            );
            if let Some(s) = ed.suggest(e.key) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            diags.push((d, e.record, Some(e.key.to_string())));
            continue;
        };
        let alias = ed.indicators[pos].key != e.key;
        match chosen.get(&pos).copied() {
            None => {
                chosen.insert(pos, (e.rank, alias, n));
            }
            Some((rank, prev_alias, prev)) => {
                let wins = (e.rank, alias) < (rank, prev_alias);
                if e.rank == rank {
                    let (used, ignored) = if wins {
                        (e.key, entries[prev].key)
                    } else {
                        (entries[prev].key, e.key)
                    };
                    diags.push((
                        Diagnostic::warning(
                            "W_SCORE_DUPLICATE",
                            answer_path(ignored),
                            format!(
                                "`{ignored}` and `{used}` both answer indicator `{}`; `{used}` is counted",
                                ed.indicators[pos].key
                            ),
                        )
                        .with_help(format!("keep only `{}`", ed.indicators[pos].key)),
                        e.record,
                        Some(ignored.to_string()),
                    ));
                }
                if wins {
                    chosen.insert(pos, (e.rank, alias, n));
                }
            }
        }
    }
    for ((source, decl), (count, rec)) in other_edition {
        let who = source.as_deref().unwrap_or("the record");
        diags.push((
            Diagnostic::warning(
                "W_SCORE_EDITION",
                "transparency.edition",
                format!(
                    "{count} answer(s) of {who} are for edition `{decl}`, not {}; they are not counted",
                    ed.name
                ),
            )
            .with_help(format!("score with `--edition {decl}`, or answer the {} indicators", ed.name)),
            rec,
            None,
        ));
    }

    let mut indicators = Vec::with_capacity(ed.indicators.len());
    let mut total = Tally::default();
    let mut by_sub: HashMap<&str, Tally> = HashMap::new();
    for (pos, ind) in ed.indicators.iter().enumerate() {
        let mut out = IndicatorAnswer {
            key: ind.key.clone(),
            domain: ind.domain.clone(),
            subdomain: ind.subdomain.clone(),
            answer: None,
            evidence: None,
            note: None,
            source: None,
            written_as: None,
        };
        if let Some(&(_, alias, n)) = chosen.get(&pos) {
            let e = &entries[n];
            match answer_value(e.answer) {
                Ok(v) => out.answer = v,
                Err(what) => diags.push((
                    Diagnostic::warning(
                        "W_SCORE_ANSWER",
                        answer_path(e.key),
                        format!(
                            "{what} is not a transparency answer (true, false, 1, 0, null or \"unknown\"); counted as unknown"
                        ),
                    ),
                    e.record,
                    Some(e.key.to_string()),
                )),
            }
            let (evidence, note) = answer_evidence(e.answer);
            out.evidence = evidence.map(str::to_string);
            out.note = note.map(str::to_string);
            out.source = e.source.clone();
            if alias {
                out.written_as = Some(e.key.to_string());
            }
        }
        total.add(out.answer);
        by_sub
            .entry(ind.subdomain.as_str())
            .or_default()
            .add(out.answer);
        indicators.push(out);
    }
    let domains = ed
        .domains
        .iter()
        .map(|d| {
            let subdomains: Vec<SubdomainScore> = ed
                .subdomains_of(&d.key)
                .map(|s| SubdomainScore {
                    key: s.key.clone(),
                    name: s.name.clone(),
                    tally: by_sub.get(s.key.as_str()).copied().unwrap_or_default(),
                })
                .collect();
            let mut tally = Tally::default();
            for s in &subdomains {
                tally.score += s.tally.score;
                tally.answered += s.tally.answered;
                tally.unknown += s.tally.unknown;
                tally.indicators += s.tally.indicators;
            }
            DomainScore {
                key: d.key.clone(),
                name: d.name.clone(),
                tally,
                subdomains,
            }
        })
        .collect();
    Score {
        edition: ed.name.clone(),
        total,
        domains,
        indicators,
        diagnostics: place_all(diags),
    }
}

/// Score a map of answers (indicator key or alias → answer) in an edition. Keys the
/// edition does not have are reported in [`Score::diagnostics`] and not counted.
pub fn score_answers(edition: &Edition, answers: &IndexMap<String, Answer>) -> Score {
    let entries: Vec<Entry<'_>> = answers
        .iter()
        .map(|(k, a)| Entry {
            key: k,
            answer: a,
            source: None,
            rank: 0,
            edition: None,
            record: None,
        })
        .collect();
    score_entries(edition, &entries)
}

fn declared_edition(r: &Record) -> Option<&str> {
    r.data()
        .transparency
        .as_ref()
        .and_then(|t| t.edition.as_deref())
}

fn own_entries<'a>(r: &'a Record, edition: Option<&str>) -> Vec<Entry<'a>> {
    let id = r.id();
    r.data()
        .transparency
        .as_ref()
        .and_then(|t| t.answers.as_ref())
        .map(|answers| {
            answers
                .iter()
                .map(|(k, a)| Entry {
                    key: k,
                    answer: a,
                    source: Some(id.clone()),
                    rank: 0,
                    edition: edition.map(str::to_string),
                    record: Some(r),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Score a record's own answers. The edition is `edition` when given, else the one the
/// record declares (`transparency.edition`), else [`DEFAULT_EDITION`]. An unknown edition
/// name is an `E_EDITION` error. Diagnostics are located in the record's file.
pub fn score_record(record: &Record, edition: Option<&str>) -> Result<Score> {
    let decl = declared_edition(record);
    let ed = self::edition(edition.or(decl).unwrap_or(DEFAULT_EDITION))?;
    Ok(score_entries(ed, &own_entries(record, decl)))
}

/// Own and effective scores of a registry record given by reference (`name`,
/// `name>=1.0`, `name@1.2.0`, …). See [`score_index`].
pub fn score_in_registry(
    registry: &Registry,
    spec: &str,
    edition: Option<&str>,
) -> Result<ScoreReport> {
    let i = registry.find_index(spec)?;
    score_index(registry, i, edition)
}

/// Own and effective scores of the registry record at index `i`. The edition is `edition`
/// when given, else the one the effective record declares, else [`DEFAULT_EDITION`].
///
/// Effective answers are the effective record's `transparency.answers` (inheriting
/// relations only, nearest wins per key, as in [`crate::merge`]); each counts only when the
/// record that supplied it declares the scored edition or none. When an indicator is
/// answered under two keys (its key and an alias) by different records, the nearer record
/// wins (the record, then its first inheriting parent's lineage, then the second's, …).
pub fn score_index(registry: &Registry, i: usize, edition: Option<&str>) -> Result<ScoreReport> {
    let own = registry.record(i);
    let eff = registry.effective_of(i)?;
    let eff_decl = declared_edition(&eff.record).map(str::to_string);
    let ed = self::edition(edition.or(eff_decl.as_deref()).unwrap_or(DEFAULT_EDITION))?;

    // merge precedence: preorder over inheriting edges, first visit wins
    let mut rank: HashMap<String, (usize, usize)> = HashMap::new();
    let mut stack = vec![i];
    let mut next = 0usize;
    while let Some(x) = stack.pop() {
        let id = registry.record(x).id();
        if rank.contains_key(&id) {
            continue;
        }
        rank.insert(id, (next, x));
        next += 1;
        for e in registry.edges(x).iter().rev() {
            if e.inherit {
                stack.push(e.target);
            }
        }
    }

    let own_score = score_entries(ed, &own_entries(own, eff_decl.as_deref()));

    let mut supplier_edition: HashMap<usize, Option<String>> = HashMap::new();
    supplier_edition.insert(i, eff_decl.clone());
    let mut entries = Vec::new();
    if let Some(answers) = eff
        .record
        .data()
        .transparency
        .as_ref()
        .and_then(|t| t.answers.as_ref())
    {
        for (k, a) in answers {
            let source = eff.provenance_of(&answer_path(k)).map(str::to_string);
            let (r, x) = source
                .as_ref()
                .and_then(|s| rank.get(s).copied())
                .map_or((usize::MAX, None), |(r, x)| (r, Some(x)));
            let edition = match x {
                Some(x) => supplier_edition
                    .entry(x)
                    .or_insert_with(|| {
                        registry
                            .effective_of(x)
                            .ok()
                            .and_then(|e| declared_edition(&e.record).map(str::to_string))
                    })
                    .clone(),
                None => eff_decl.clone(),
            };
            entries.push(Entry {
                key: k,
                answer: a,
                source,
                rank: r,
                edition,
                record: x.map(|x| registry.record(x)),
            });
        }
    }
    let effective = score_entries(ed, &entries);

    let own_id = own.id();
    let mut inherited: Vec<(usize, String, u32)> = Vec::new();
    for ia in &effective.indicators {
        if ia.answer.is_none() {
            continue;
        }
        if let Some(s) = &ia.source {
            if *s != own_id {
                match inherited.iter_mut().find(|(_, id, _)| id == s) {
                    Some(slot) => slot.2 += 1,
                    None => inherited.push((rank.get(s).map_or(usize::MAX, |r| r.0), s.clone(), 1)),
                }
            }
        }
    }
    inherited.sort();
    Ok(ScoreReport {
        record: own_id,
        edition: ed.name.clone(),
        own: own_score,
        effective,
        inherited: inherited.into_iter().map(|(_, id, n)| (id, n)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_forms() {
        let v = |s: &str| -> std::result::Result<Option<bool>, String> {
            let a: Answer = serde_json::from_str(s).map_err(|e| e.to_string())?;
            answer_value(&a)
        };
        assert_eq!(v("true"), Ok(Some(true)));
        assert_eq!(v("false"), Ok(Some(false)));
        assert_eq!(v("1"), Ok(Some(true)));
        assert_eq!(v("0"), Ok(Some(false)));
        assert_eq!(v("null"), Ok(None));
        assert_eq!(v("\"unknown\""), Ok(None));
        assert_eq!(
            v(r#"{"value": true, "evidence": "https://x.org"}"#),
            Ok(Some(true))
        );
        assert_eq!(v(r#"{"value": 0}"#), Ok(Some(false)));
        assert_eq!(v(r#"{"value": "unknown", "note": "n"}"#), Ok(None));
        assert_eq!(v(r#"{"note": "no value"}"#), Ok(None));
        assert!(v("2").is_err());
        assert!(v("\"yes\"").is_err());
    }
}
