//! Record evolution: structured diff, the semver bump rules, and derivation of a new record
//! from a base.
//!
//! [`diff`] compares two record values field by field. Lists whose items have an identity
//! are compared by it: `upstream` by upstream name, `risks` by id, `evaluations` by
//! (task, dataset, metric, split, config), `tags` and `references` as sets. Each change is
//! classified by the first matching row of [`RULES`]; the required bump is the largest.

use crate::diagnostic::{Result, UmrError};
use crate::names;
use crate::path;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A semver bump level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// No release needed (no change).
    None,
    /// Patch release.
    Patch,
    /// Minor release.
    Minor,
    /// Major release.
    Major,
}

impl Bump {
    /// The snake_case name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// What happened at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Present only in the new record.
    Added,
    /// Present only in the old record.
    Removed,
    /// Present in both with different values.
    Changed,
}

/// One change between two records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Field path (list items with an identity are named by it, e.g. `risks[csam]`).
    pub path: String,
    /// Added, removed or changed.
    pub op: Op,
    /// The old value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The new value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    /// The bump this change requires.
    pub bump: Bump,
    /// The id of the rule that classified it.
    pub rule: String,
}

/// One row of the bump rule table.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// Which changes it covers.
    pub when: &'static str,
    /// The bump it requires.
    pub bump: Bump,
    /// Why.
    pub why: &'static str,
}

/// The bump rule table, first match wins. Reproduced in `docs/spec.md`.
pub const RULES: &[Rule] = &[
    Rule { id: "kind", when: "`kind` changed", bump: Bump::Major, why: "a different kind of artefact: every consumer's assumptions break" },
    Rule { id: "identity", when: "`name` changed", bump: Bump::Major, why: "a different record" },
    Rule { id: "upstream", when: "an upstream relation added, removed, reordered or changed (name, requirement, kind, inherit)", bump: Bump::Major, why: "lineage is the provenance claim; inherited content and risks change with it" },
    Rule { id: "license-change", when: "`license` changed or removed (including any change inside a named licence)", bump: Bump::Major, why: "the terms of use changed" },
    Rule { id: "license-add", when: "`license` added where none was stated", bump: Bump::Minor, why: "terms now stated; nothing stated before is contradicted" },
    Rule { id: "risk-confirmed", when: "a risk added with status confirmed (or none), or a risk's status changed to confirmed", bump: Bump::Major, why: "consumers must re-assess their exposure" },
    Rule { id: "risk-removed", when: "a risk removed", bump: Bump::Major, why: "risks never disappear silently: removing one is a claim that needs attention" },
    Rule { id: "risk-suspected", when: "a risk added with status suspected or mitigated, or a status changed to suspected or mitigated", bump: Bump::Minor, why: "new information that does not yet change the exposure" },
    Rule { id: "risk-text", when: "any other change inside a risk (severity, description, source)", bump: Bump::Minor, why: "refines what is known about a risk" },
    Rule { id: "capability", when: "`details.parameters`, `details.modalities` or `details.context_length` changed or removed", bump: Bump::Major, why: "a different model: inputs, outputs or size differ" },
    Rule { id: "evaluation-removed", when: "an evaluation result removed", bump: Bump::Major, why: "a published claim withdrawn" },
    Rule { id: "evaluation", when: "an evaluation result added or its value changed", bump: Bump::Minor, why: "new or corrected published claims" },
    Rule { id: "list-items", when: "`tags` or `references` items (or the whole list) added or removed", bump: Bump::Minor, why: "discovery metadata, not content" },
    Rule { id: "transparency", when: "anything under `transparency` added, changed or removed (answers, edition)", bump: Bump::Minor, why: "changes the transparency score" },
    Rule { id: "format", when: "`format_version` changed", bump: Bump::Patch, why: "same content, newer notation" },
    Rule { id: "removed", when: "any other field removed", bump: Bump::Major, why: "consumers may rely on it" },
    Rule { id: "added", when: "any other field added", bump: Bump::Minor, why: "new information, nothing existing changes" },
    Rule { id: "text", when: "any other value changed (titles, descriptions, card sections, details text, extensions)", bump: Bump::Patch, why: "an edit of existing information" },
];

fn rule(id: &str) -> (Bump, String) {
    let b = RULES
        .iter()
        .find(|r| r.id == id)
        .map_or(Bump::Major, |r| r.bump);
    (b, id.to_string())
}

fn classify(
    top: &str,
    sub: &str,
    op: Op,
    old: Option<&Value>,
    new: Option<&Value>,
) -> (Bump, String) {
    match top {
        "kind" => rule("kind"),
        "name" => rule("identity"),
        "upstream" => rule("upstream"),
        "license" => match (op, sub) {
            (Op::Added, "") => rule("license-add"),
            _ => rule("license-change"),
        },
        "risks" => {
            let status = |v: Option<&Value>| {
                v.and_then(|x| x.get("status"))
                    .and_then(Value::as_str)
                    .unwrap_or("confirmed")
                    .to_string()
            };
            match (op, sub) {
                (Op::Removed, "") => rule("risk-removed"),
                (Op::Added, "") => {
                    if status(new) == "confirmed" {
                        rule("risk-confirmed")
                    } else {
                        rule("risk-suspected")
                    }
                }
                (_, "status") => match new.and_then(Value::as_str) {
                    Some("confirmed") | None => rule("risk-confirmed"),
                    _ => rule("risk-suspected"),
                },
                _ => rule("risk-text"),
            }
        }
        "details"
            if ["parameters", "modalities", "context_length"]
                .iter()
                .any(|k| sub == *k || sub.starts_with(&format!("{k}."))) =>
        {
            if op == Op::Added && old.is_none() {
                rule("added")
            } else {
                rule("capability")
            }
        }
        "evaluations" => match (op, sub) {
            (Op::Removed, "") => rule("evaluation-removed"),
            _ => rule("evaluation"),
        },
        "tags" | "references" => rule("list-items"),
        "transparency" => rule("transparency"),
        "format_version" => rule("format"),
        _ => match op {
            Op::Removed => rule("removed"),
            Op::Added => rule("added"),
            Op::Changed => rule("text"),
        },
    }
}

fn identity(top: &str, v: &Value) -> Option<String> {
    match top {
        "upstream" => match v {
            Value::String(s) => names::parse_short(s).ok().map(|r| r.name),
            Value::Object(m) => m.get("name").and_then(Value::as_str).map(str::to_string),
            _ => None,
        },
        "risks" => v.get("id").and_then(Value::as_str).map(|id| {
            match v.get("upstream").and_then(Value::as_str) {
                Some(u) => format!("{id}:{u}"),
                None => id.to_string(),
            }
        }),
        "evaluations" => {
            let g = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            Some(format!(
                "{}/{}/{}/{}/{}",
                g("task"),
                g("dataset"),
                g("metric"),
                g("dataset_split"),
                g("dataset_config")
            ))
        }
        "tags" | "references" => Some(match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        _ => None,
    }
}

/// Structured diff of two record values (own or effective). `version` is not compared.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let empty = Map::new();
    let om = old.as_object().unwrap_or(&empty);
    let nm = new.as_object().unwrap_or(&empty);
    let mut out = Vec::new();
    let mut keys: Vec<&String> = om.keys().collect();
    for k in nm.keys() {
        if !om.contains_key(k) {
            keys.push(k);
        }
    }
    for k in keys {
        if k == "version" {
            continue;
        }
        let (o, n) = (
            om.get(k).filter(|v| !v.is_null()),
            nm.get(k).filter(|v| !v.is_null()),
        );
        diff_at(k, &path::key("", k), "", o, n, &mut out);
    }
    out
}

fn push(
    out: &mut Vec<Change>,
    top: &str,
    p: &str,
    sub: &str,
    op: Op,
    o: Option<&Value>,
    n: Option<&Value>,
) {
    let (bump, rule) = classify(top, sub, op, o, n);
    out.push(Change {
        path: p.to_string(),
        op,
        old: o.cloned(),
        new: n.cloned(),
        bump,
        rule,
    });
}

fn diff_at(
    top: &str,
    p: &str,
    sub: &str,
    o: Option<&Value>,
    n: Option<&Value>,
    out: &mut Vec<Change>,
) {
    match (o, n) {
        (None, None) => {}
        (None, Some(nv)) => push(out, top, p, sub, Op::Added, None, Some(nv)),
        (Some(ov), None) => push(out, top, p, sub, Op::Removed, Some(ov), None),
        (Some(ov), Some(nv)) if ov == nv => {}
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            for (k, av) in a {
                let s = if sub.is_empty() {
                    k.clone()
                } else {
                    format!("{sub}.{k}")
                };
                diff_at(
                    top,
                    &path::key(p, k),
                    &s,
                    Some(av).filter(|v| !v.is_null()),
                    b.get(k).filter(|v| !v.is_null()),
                    out,
                );
            }
            for (k, bv) in b {
                if !a.contains_key(k) {
                    let s = if sub.is_empty() {
                        k.clone()
                    } else {
                        format!("{sub}.{k}")
                    };
                    diff_at(
                        top,
                        &path::key(p, k),
                        &s,
                        None,
                        Some(bv).filter(|v| !v.is_null()),
                        out,
                    );
                }
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b)))
            if sub.is_empty() && a.iter().chain(b).all(|v| identity(top, v).is_some()) =>
        {
            let ida: Vec<String> = a.iter().filter_map(|v| identity(top, v)).collect();
            let idb: Vec<String> = b.iter().filter_map(|v| identity(top, v)).collect();
            let item_path =
                |id: &str| format!("{p}[{}]", serde_json::to_string(id).unwrap_or_default());
            for (i, av) in a.iter().enumerate() {
                match idb.iter().position(|x| *x == ida[i]) {
                    None => push_item(out, top, &item_path(&ida[i]), Op::Removed, Some(av), None),
                    Some(j) => {
                        let bv = &b[j];
                        if av != bv {
                            if top == "upstream" {
                                push_item(
                                    out,
                                    top,
                                    &item_path(&ida[i]),
                                    Op::Changed,
                                    Some(av),
                                    Some(bv),
                                );
                            } else {
                                diff_item(top, &item_path(&ida[i]), av, bv, out);
                            }
                        }
                    }
                }
            }
            for (j, bv) in b.iter().enumerate() {
                if !ida.contains(&idb[j]) {
                    push_item(out, top, &item_path(&idb[j]), Op::Added, None, Some(bv));
                }
            }
            // the order of upstream relations decides which parent wins a merge
            if top == "upstream" {
                let kept_a: Vec<&String> = ida.iter().filter(|x| idb.contains(x)).collect();
                let kept_b: Vec<&String> = idb.iter().filter(|x| ida.contains(x)).collect();
                if kept_a != kept_b {
                    let names = |v: &[&String]| {
                        Value::Array(v.iter().map(|x| Value::String((*x).clone())).collect())
                    };
                    push(
                        out,
                        top,
                        p,
                        "",
                        Op::Changed,
                        Some(&names(&kept_a)),
                        Some(&names(&kept_b)),
                    );
                }
            }
        }
        (Some(ov), Some(nv)) => push(out, top, p, sub, Op::Changed, Some(ov), Some(nv)),
    }
}

fn push_item(
    out: &mut Vec<Change>,
    top: &str,
    p: &str,
    op: Op,
    o: Option<&Value>,
    n: Option<&Value>,
) {
    // item-level: `sub` is empty for whole items of identity lists, but tags/references
    // items are classified as list items
    let sub = if matches!(top, "tags" | "references") {
        "item"
    } else {
        ""
    };
    push(out, top, p, sub, op, o, n);
}

fn diff_item(top: &str, p: &str, a: &Value, b: &Value, out: &mut Vec<Change>) {
    match (a, b) {
        (Value::Object(am), Value::Object(bm)) => {
            for (k, av) in am {
                diff_at(
                    top,
                    &path::key(p, k),
                    k,
                    Some(av).filter(|v| !v.is_null()),
                    bm.get(k).filter(|v| !v.is_null()),
                    out,
                );
            }
            for (k, bv) in bm {
                if !am.contains_key(k) {
                    diff_at(
                        top,
                        &path::key(p, k),
                        k,
                        None,
                        Some(bv).filter(|v| !v.is_null()),
                        out,
                    );
                }
            }
        }
        _ => push(out, top, p, "item", Op::Changed, Some(a), Some(b)),
    }
}

/// The smallest bump that covers every change.
pub fn required_bump(changes: &[Change]) -> Bump {
    changes.iter().map(|c| c.bump).max().unwrap_or(Bump::None)
}

/// The change that requires the largest bump (the first such).
pub fn deciding_change(changes: &[Change]) -> Option<&Change> {
    let b = required_bump(changes);
    changes.iter().find(|c| c.bump == b)
}

/// The bump that going from `old` to `new` actually is, or an error if `new` is not newer.
pub fn actual_bump(old: &semver::Version, new: &semver::Version) -> Result<Bump> {
    if new <= old {
        return Err(UmrError::Refused {
            code: "E_VERSION_NOT_NEWER".into(),
            message: format!("version {new} is not newer than {old}"),
        });
    }
    Ok(if new.major != old.major {
        Bump::Major
    } else if new.minor != old.minor {
        Bump::Minor
    } else if new.patch != old.patch {
        Bump::Patch
    } else {
        // only the pre-release differs (e.g. 1.0.0-rc.1 → 1.0.0)
        Bump::Patch
    })
}

/// The bump a change level requires of a version line: under 0.x, a breaking change needs
/// a minor bump and anything else a patch bump (Cargo's convention); pre-releases promise
/// nothing, so any newer version will do.
pub fn effective_requirement(old: &semver::Version, new: &semver::Version, required: Bump) -> Bump {
    let same_release = new.major == old.major && new.minor == old.minor && new.patch == old.patch;
    if !new.pre.is_empty() || (!old.pre.is_empty() && same_release) {
        return Bump::None;
    }
    if old.major == 0 {
        return match required {
            Bump::Major => Bump::Minor,
            Bump::Minor | Bump::Patch => Bump::Patch,
            Bump::None => Bump::None,
        };
    }
    required
}

/// Check that `new_version` is a large enough step from `old_version` for `changes`.
pub fn check_bump(
    old_version: &semver::Version,
    new_version: &semver::Version,
    changes: &[Change],
) -> Result<()> {
    let actual = actual_bump(old_version, new_version)?;
    let required = effective_requirement(old_version, new_version, required_bump(changes));
    if actual < required {
        let why = deciding_change(changes)
            .map(|c| {
                format!(
                    "; `{}` ({}) is a {} change by rule `{}`{}",
                    c.path,
                    op_word(c.op),
                    c.bump.as_str(),
                    c.rule,
                    if old_version.major == 0 && c.bump == Bump::Major {
                        " (under 0.x a major change needs a minor bump)"
                    } else {
                        ""
                    }
                )
            })
            .unwrap_or_default();
        return Err(UmrError::Refused {
            code: "E_BUMP_TOO_SMALL".into(),
            message: format!(
                "{old_version} → {new_version} is a {} bump, but the changes require a {} bump{why}",
                actual.as_str(),
                required.as_str()
            ),
        });
    }
    Ok(())
}

fn op_word(op: Op) -> &'static str {
    match op {
        Op::Added => "added",
        Op::Removed => "removed",
        Op::Changed => "changed",
    }
}

/// The next version after `old` for a required bump (0.x and pre-release rules applied).
pub fn next_version(old: &semver::Version, required: Bump) -> semver::Version {
    let mut v = old.clone();
    let level = if old.major == 0 {
        match required {
            Bump::Major => Bump::Minor,
            Bump::None => Bump::None,
            _ => Bump::Patch,
        }
    } else {
        required
    };
    if !old.pre.is_empty() {
        // 1.0.0-rc.1 → 1.0.0 covers anything up to the bump that made the pre-release
        v.pre = semver::Prerelease::EMPTY;
        v.build = semver::BuildMetadata::EMPTY;
        return v;
    }
    v.build = semver::BuildMetadata::EMPTY;
    match level {
        Bump::Major => {
            v.major += 1;
            v.minor = 0;
            v.patch = 0;
        }
        Bump::Minor => {
            v.minor += 1;
            v.patch = 0;
        }
        Bump::Patch => v.patch += 1,
        Bump::None => {}
    }
    v
}

/// The relation a derived record names when the caller gives none.
pub const DEFAULT_DERIVE_RELATION: &str = "finetune";

/// The diff of two record values and the bump it requires, in one call.
pub fn required_bump_between(old: &Value, new: &Value) -> Bump {
    required_bump(&diff(old, new))
}

/// Derive a new record from a base (usually an effective record): the result names the
/// base as upstream with the given relation and holds only the values of `overrides` that
/// differ from the base (mappings compared key by key).
pub fn derive(
    base: &Value,
    name: &str,
    version: &str,
    relation: &str,
    overrides: &Map<String, Value>,
) -> Result<Value> {
    let empty = Map::new();
    let bm = base.as_object().unwrap_or(&empty);
    let base_name = bm.get("name").and_then(Value::as_str).unwrap_or_default();
    let base_version = bm
        .get("version")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if crate::model::RelationKind::parse(relation).is_none() {
        return Err(UmrError::argument(
            "E_ENUM",
            format!(
                "unknown relation kind `{relation}` (one of: {})",
                crate::model::RELATION_KINDS.join(", ")
            ),
        ));
    }
    let mut out = Map::new();
    out.insert(
        "format_version".into(),
        Value::String(crate::model::FORMAT_VERSION.into()),
    );
    let kind = overrides
        .get("kind")
        .or_else(|| bm.get("kind"))
        .cloned()
        .unwrap_or(Value::String("model".into()));
    out.insert("kind".into(), kind);
    out.insert("name".into(), Value::String(name.into()));
    out.insert("version".into(), Value::String(version.into()));
    let mut rel = Map::new();
    rel.insert("name".into(), Value::String(base_name.into()));
    rel.insert("version".into(), Value::String(format!("={base_version}")));
    rel.insert("relation".into(), Value::String(relation.into()));
    let mut ups = vec![Value::Object(rel)];
    if let Some(Value::Array(extra)) = overrides.get("upstream") {
        ups.extend(extra.iter().cloned());
    }
    for (k, v) in overrides {
        if matches!(
            k.as_str(),
            "format_version" | "kind" | "name" | "version" | "upstream"
        ) {
            continue;
        }
        if let Some(d) = minimal(bm.get(k), v) {
            out.insert(k.clone(), d);
        }
    }
    out.insert("upstream".into(), Value::Array(ups));
    // canonical order
    let mut ordered = Map::new();
    for f in crate::model::RECORD_FIELDS {
        if let Some(v) = out.shift_remove(f.key) {
            ordered.insert(f.key.to_string(), v);
        }
    }
    ordered.extend(out);
    Ok(Value::Object(ordered))
}

fn minimal(base: Option<&Value>, new: &Value) -> Option<Value> {
    match (base, new) {
        (Some(b), n) if b == n => None,
        (Some(Value::Object(b)), Value::Object(n)) => {
            let mut m = Map::new();
            for (k, v) in n {
                if let Some(d) = minimal(b.get(k), v) {
                    m.insert(k.clone(), d);
                }
            }
            (!m.is_empty()).then_some(Value::Object(m))
        }
        (_, n) => Some(n.clone()),
    }
}

// ---------------------------------------------------------------------------------------
// Registry-level operations: publish and upgrade impact
// ---------------------------------------------------------------------------------------

use crate::record::Record;
use crate::registry::Registry;

/// The version a new version's bump is checked against: the latest older version of
/// `name` — for a release, the latest older *release*, because pre-releases promise
/// nothing (so `1.0.0 → 1.0.1-rc.1 → 1.0.1` is checked as `1.0.0 → 1.0.1`).
pub fn previous_version<'a>(
    reg: &'a Registry,
    name: &str,
    version: &semver::Version,
) -> Option<&'a Record> {
    reg.versions(name)
        .into_iter()
        .rev()
        .find(|r| r.version() < version && (!version.pre.is_empty() || r.version().pre.is_empty()))
}

/// What publishing a record would do, or why it is refused.
#[derive(Debug, Clone, Serialize)]
pub struct PublishPlan {
    /// `name@version` being published.
    pub id: String,
    /// The registry path it would be written to, relative to the root.
    pub path: String,
    /// The version it is compared with.
    pub previous: Option<String>,
    /// Changes against the previous version (own record).
    pub changes: Vec<Change>,
    /// The bump those changes require (after 0.x and pre-release rules).
    pub required: Bump,
}

/// Check that `rec` can be published into `reg`: the version does not exist, its bump over
/// the latest earlier version is large enough, and its effective record resolves.
pub fn plan_publish(reg: &Registry, rec: &Record) -> Result<PublishPlan> {
    if reg
        .versions(rec.name())
        .iter()
        .any(|r| r.version() == rec.version())
    {
        return Err(UmrError::Refused {
            code: "E_EXISTS".into(),
            message: format!("{} already exists in the registry", rec.id()),
        });
    }
    let prev = previous_version(reg, rec.name(), rec.version());
    let changes = prev
        .map(|p| diff(p.value(), rec.value()))
        .unwrap_or_default();
    let required = match prev {
        Some(p) => {
            check_bump(p.version(), rec.version(), &changes)?;
            effective_requirement(p.version(), rec.version(), required_bump(&changes))
        }
        None => Bump::None,
    };
    // a version slipped in below a newer one must not break that one's bump: the versions
    // published, in any order, always satisfy the rule pairwise
    let next = reg
        .versions(rec.name())
        .into_iter()
        .find(|r| r.version() > rec.version() && previous_is(r, rec));
    if let Some(n) = next {
        let after = diff(rec.value(), n.value());
        check_bump(rec.version(), n.version(), &after).map_err(|e| UmrError::Refused {
            code: "E_BUMP_TOO_SMALL".into(),
            message: format!(
                "{} would come before {}, whose bump would then be too small: {e}",
                rec.id(),
                n.id()
            ),
        })?;
    }
    // the record must resolve against the registry
    let mut records: Vec<Record> = reg.records().cloned().collect();
    records.push(rec.clone());
    let with = Registry::from_records(records)?;
    with.effective(&format!("{}@{}", rec.name(), rec.version()))?;
    Ok(PublishPlan {
        id: rec.id(),
        path: rec.registry_path(),
        previous: prev.map(Record::id),
        changes,
        required,
    })
}

/// Whether `rec` (a version not yet published) would become the version `later` is checked
/// against: the same rule as [`previous_version`], a release being compared with releases.
fn previous_is(later: &Record, rec: &Record) -> bool {
    !later.version().pre.is_empty() || rec.version().pre.is_empty()
}

/// Publish `rec` into the registry folder `root` (whose records are `reg`): checks with
/// [`plan_publish`], then writes `<root>/<name>/<name>-<version>.yaml` atomically and
/// exclusively (a concurrent publisher of the same version gets `E_EXISTS`).
///
/// The check and the write happen under the registry's publish lock (an exclusive advisory
/// lock on `<root>/.umr-publish.lock`, released by the system when the holder exits, so a
/// killed publisher leaves no stale lock), and the versions of `rec`'s name written since
/// `reg` was loaded are read again under it: two publishers racing cannot both pass the
/// bump rule against the same earlier version.
pub fn publish(
    reg: &Registry,
    root: &std::path::Path,
    rec: &Record,
) -> Result<(PublishPlan, std::path::PathBuf)> {
    std::fs::create_dir_all(root).map_err(|e| UmrError::io(root.display(), e))?;
    let _lock = crate::fsutil::PublishLock::acquire(root)?;
    let fresh = with_versions_on_disk(reg, root, rec)?;
    let reg = fresh.as_ref().unwrap_or(reg);
    let plan = plan_publish(reg, rec)?;
    // the folder must stay inside the root: a linked folder leading out is refused
    let target = crate::fsutil::file_inside(root, std::path::Path::new(&plan.path))?;
    crate::fsutil::write_new_atomic(&target, rec.to_yaml().as_bytes())?;
    Ok((plan, target))
}

/// `reg` with the versions of `rec`'s name found in its folder under `root` that `reg` does
/// not hold (written by another publisher since `reg` was loaded); `None` when there are
/// none.
fn with_versions_on_disk(
    reg: &Registry,
    root: &std::path::Path,
    rec: &Record,
) -> Result<Option<Registry>> {
    let dir = root.join(rec.name());
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(None);
    };
    let known: Vec<semver::Version> = reg
        .versions(rec.name())
        .iter()
        .map(|r| r.version().clone())
        .collect();
    let limits = crate::limits::Limits::default();
    let mut found = Vec::new();
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !(name.ends_with(".yaml") || name.ends_with(".json")) {
            continue;
        }
        let Ok(bytes) = crate::fsutil::read_limited(
            &path,
            limits.max_file_bytes,
            crate::fsutil::ReadFrom::Registry(root),
        ) else {
            continue;
        };
        let Ok(text) = crate::yaml::decode(&bytes) else {
            continue;
        };
        let opts = crate::record::LoadOptions {
            file: Some(path.display().to_string()),
            limits,
        };
        if let Ok(r) = Record::from_str_detect(text, &opts) {
            if r.name() == rec.name() && !known.contains(r.version()) {
                found.push(r);
            }
        }
    }
    if found.is_empty() {
        return Ok(None);
    }
    let mut records: Vec<Record> = reg.records().cloned().collect();
    records.extend(found);
    Registry::from_records(records).map(Some)
}

/// Propose the next version of a draft record against the latest published version.
#[derive(Debug, Clone, Serialize)]
pub struct BumpProposal {
    /// The version compared with, if any.
    pub previous: Option<String>,
    /// The changes found.
    pub changes: Vec<Change>,
    /// The largest bump the changes call for by the rule table.
    pub changes_require: Bump,
    /// The bump required of the version number (the same, except under 0.x, where a major
    /// change needs a minor bump and anything else a patch bump).
    pub required: Bump,
    /// The proposed version.
    pub proposed: String,
}

/// Propose the version for `draft` from the latest published version of its name in `reg`:
/// the smallest version that the changes allow (0.x and pre-release rules applied).
pub fn propose_bump(reg: &Registry, draft: &Record) -> BumpProposal {
    let latest = reg.versions(draft.name()).into_iter().last();
    match latest {
        None => BumpProposal {
            previous: None,
            changes: Vec::new(),
            changes_require: Bump::None,
            required: Bump::None,
            proposed: draft.version().to_string(),
        },
        Some(p) => {
            let changes = diff(p.value(), draft.value());
            let raw = required_bump(&changes);
            let proposed = if raw == Bump::None {
                p.version().clone()
            } else {
                next_version(p.version(), raw)
            };
            BumpProposal {
                previous: Some(p.id()),
                changes,
                changes_require: raw,
                required: effective_requirement(p.version(), &proposed, raw),
                proposed: proposed.to_string(),
            }
        }
    }
}

/// A downstream record whose requirement on the upgraded name resolves somewhere.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactEdge {
    /// The downstream record.
    pub record: String,
    /// Its requirement as written.
    pub requirement: String,
    /// What it resolved to before.
    pub before: Option<String>,
    /// What it resolves to with the new version.
    pub after: String,
}

/// A record whose effective record changes.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactChange {
    /// The record.
    pub record: String,
    /// The changes of its effective record.
    pub changes: Vec<Change>,
    /// The bump those changes would require.
    pub bump: Bump,
}

/// The impact of adding a new version of a record.
#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    /// The new version, `name@version`.
    pub new: String,
    /// Direct dependants whose requirement now resolves to the new version.
    pub upgraded: Vec<ImpactEdge>,
    /// Direct dependants that stay on an older version.
    pub pinned: Vec<ImpactEdge>,
    /// Every record (direct or transitive) whose effective record changes.
    pub changed: Vec<ImpactChange>,
}

/// The impact of adding `new` (a new version) to the records of `reg`.
pub fn impact(reg: &Registry, new: &Record) -> Result<Impact> {
    let before_records: Vec<Record> = reg
        .records()
        .filter(|r| r.id() != new.id())
        .cloned()
        .collect();
    let before = Registry::from_records(before_records.clone())?;
    let mut with = before_records;
    with.push(new.clone());
    let after = Registry::from_records(with)?;
    let new_id = new.id();
    let mut upgraded = Vec::new();
    let mut pinned = Vec::new();
    for i in 0..after.len() {
        let rec = after.record(i);
        for e in after.edges(i) {
            let target_name = after.record(e.target).name().to_string();
            if target_name != new.name() {
                continue;
            }
            let before_parent = before.find_index(&rec.id()).ok().and_then(|bi| {
                before
                    .edges(bi)
                    .iter()
                    .find(|be| be.index == e.index)
                    .map(|be| before.parent_id(be))
            });
            let entry = ImpactEdge {
                record: rec.id(),
                requirement: after.requirement_of(i, e),
                before: before_parent,
                after: after.parent_id(e),
            };
            if entry.after == new_id {
                upgraded.push(entry);
            } else {
                pinned.push(entry);
            }
        }
    }
    let mut changed = Vec::new();
    let new_index = after.find_index(&new_id)?;
    let lin = crate::lineage::lineage(&after, new_index);
    for d in &lin.descendants {
        let id = format!("{}@{}", d.name, d.version);
        let (Ok(a), Ok(b)) = (before.effective(&id), after.effective(&id)) else {
            continue;
        };
        let changes = diff(a.record.value(), b.record.value());
        if !changes.is_empty() {
            let bump = required_bump(&changes);
            changed.push(ImpactChange {
                record: id,
                changes,
                bump,
            });
        }
    }
    Ok(Impact {
        new: new_id,
        upgraded,
        pinned,
        changed,
    })
}
