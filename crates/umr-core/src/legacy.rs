//! The prototype's dialect: a document whose root key is `mr:`.
//!
//! Mapping (documented in `docs/spec.md`, "The prototype dialect"):
//! - name and version come from the file name `<name>-<version>.yaml` (the prototype's
//!   `metadata.name` is a display title and `metadata.version` is often `'1.0'`);
//! - `type` → `kind`; `metadata.name` → `title`; `metadata.description` → `description`
//!   (empty strings dropped); `metadata.publisher`, `metadata.release_date` → same;
//!   `metadata.refs` → `references`; `metadata.model_type` / `architecture` → `details`;
//! - `relations.upstream` strings → `upstream` (kept verbatim, short form);
//! - card sections found under `mr.upstream`, `mr.model`, `mr.downstream` or at the root
//!   of `mr` → `card` (if a section appears in several places, the last one read wins, in
//!   the order upstream, model, downstream, root);
//! - `risk: {flag: true}` → `risks: [{id: flag, status: confirmed}]`;
//! - 0/1 values under `model` / `upstream` / `downstream` → `transparency.answers`, the
//!   first of `question_sets` → `transparency.edition`;
//! - everything else → `extensions.legacy`, untouched.

use crate::diagnostic::Diagnostic;
use crate::model::{CARD_SECTIONS, FORMAT_VERSION};
use crate::names;
use serde_json::{json, Map, Value};

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn name_version_from_file(file: Option<&str>) -> Option<(String, String)> {
    let f = file?;
    let base = f.rsplit(['/', '\\']).next()?;
    let stem = base
        .strip_suffix(".yaml")
        .or_else(|| base.strip_suffix(".yml"))
        .or_else(|| base.strip_suffix(".json"))?;
    let (n, v) = names::parse_short(stem).ok()?.exact?;
    Some((n, v.to_string()))
}

fn norm_version(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    if names::parse_version(&s).is_ok() {
        return Some(s);
    }
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() < 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        let mut p: Vec<String> = parts.iter().map(|x| x.to_string()).collect();
        while p.len() < 3 {
            p.push("0".into());
        }
        return Some(p.join("."));
    }
    None
}

fn non_empty(v: Option<&Value>) -> Option<Value> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(v) => Some(v.clone()),
    }
}

/// Convert a prototype document to the native form. Diagnostics have paths in the native
/// form and no locations.
/// The native path prefixes and the prototype paths they were taken from, so that
/// diagnostics on a converted record point into the original file.
pub const ORIGINS: &[(&str, &str)] = &[
    ("kind", "mr.type"),
    ("title", "mr.metadata.name"),
    ("description", "mr.metadata.description"),
    ("publisher", "mr.metadata.publisher"),
    ("release_date", "mr.metadata.release_date"),
    ("references", "mr.metadata.refs"),
    ("tags", "mr.tags"),
    ("upstream", "mr.relations.upstream"),
    ("details.architecture", "mr.metadata.architecture"),
    ("details.model_type", "mr.metadata.model_type"),
    ("risks", "mr.risk"),
    ("name", "mr.metadata"),
    ("version", "mr.metadata"),
];

/// Translate a native path of a converted record to the prototype path it came from.
pub fn origin_path(native: &str) -> String {
    origin_paths(native)
        .into_iter()
        .next()
        .unwrap_or_else(|| "mr".to_string())
}

/// Every prototype path a native path may have come from, most likely first (card sections
/// may sit under `mr.upstream`, `mr.model`, `mr.downstream` or at the root of `mr`).
pub fn origin_paths(native: &str) -> Vec<String> {
    for (n, l) in ORIGINS {
        if let Some(rest) = native.strip_prefix(n) {
            if rest.is_empty() || rest.starts_with(['.', '[']) {
                return vec![format!("{l}{rest}")];
            }
        }
    }
    if let Some(rest) = native.strip_prefix("card.") {
        return ["mr.upstream.", "mr.model.", "mr.downstream.", "mr."]
            .iter()
            .map(|p| format!("{p}{rest}"))
            .collect();
    }
    vec!["mr".to_string()]
}

/// Convert a prototype document to the native form. Diagnostics have paths in the native
/// form and no locations.
pub fn convert(doc: &Value, file: Option<&str>) -> (Value, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let empty = Map::new();
    let mr = match doc.get("mr") {
        Some(Value::Object(m)) => m,
        _ => {
            diags.push(Diagnostic::error(
                "E_LEGACY",
                "mr",
                "`mr:` must be a mapping",
            ));
            &empty
        }
    };
    let meta = match mr.get("metadata") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let mut out = Map::new();
    let mut legacy = Map::new();

    // identity
    let (name, version) = match name_version_from_file(file) {
        Some(nv) => nv,
        None => {
            let n = meta
                .get("name")
                .and_then(Value::as_str)
                .map(slug)
                .unwrap_or_default();
            let v = meta
                .get("version")
                .and_then(norm_version)
                .unwrap_or_else(|| "1.0.0".into());
            if file.is_some() {
                diags.push(Diagnostic::warning(
                    "W_LEGACY_FILENAME",
                    "name",
                    "prototype records take name and version from `<name>-<version>.yaml`; the file name does not have that form",
                ));
            }
            (n, v)
        }
    };
    out.insert("format_version".into(), json!(FORMAT_VERSION));
    out.insert(
        "kind".into(),
        mr.get("type").cloned().unwrap_or(Value::Null),
    );
    out.insert("name".into(), json!(name));
    out.insert("version".into(), json!(version));
    if let Some(t) = non_empty(meta.get("name")) {
        out.insert("title".into(), t);
    }
    if let Some(d) = non_empty(meta.get("description")) {
        out.insert("description".into(), d);
    }
    if let Some(p) = non_empty(meta.get("publisher")) {
        out.insert("publisher".into(), p);
    }
    if let Some(r) = non_empty(meta.get("release_date")) {
        out.insert("release_date".into(), r);
    }
    if let Some(r) = non_empty(meta.get("refs")) {
        out.insert("references".into(), r);
    }
    if let Some(t) = non_empty(mr.get("tags")) {
        out.insert("tags".into(), t);
    }
    // upstream
    if let Some(Value::Object(rel)) = mr.get("relations") {
        if let Some(u) = non_empty(rel.get("upstream")) {
            out.insert("upstream".into(), u);
        }
        for (k, v) in rel {
            if k != "upstream" {
                legacy.insert(format!("relations.{k}"), v.clone());
            }
        }
    }
    // details
    let mut details = Map::new();
    if let Some(v) = non_empty(meta.get("architecture")) {
        details.insert("architecture".into(), v);
    }
    if let Some(v) = non_empty(meta.get("model_type")) {
        details.insert("model_type".into(), v);
    }
    if !details.is_empty() {
        out.insert("details".into(), Value::Object(details));
    }
    for (k, v) in &meta {
        if !matches!(
            k.as_str(),
            "name"
                | "description"
                | "publisher"
                | "release_date"
                | "refs"
                | "architecture"
                | "model_type"
        ) {
            legacy.insert(format!("metadata.{k}"), v.clone());
        }
    }
    // card sections and transparency answers
    let mut card = Map::new();
    let mut answers = Map::new();
    for section in ["upstream", "model", "downstream"] {
        match mr.get(section) {
            Some(Value::Object(m)) => {
                for (k, v) in m {
                    if CARD_SECTIONS.contains(&k.as_str()) {
                        card.insert(k.clone(), v.clone());
                    } else if matches!(v.as_u64(), Some(0) | Some(1)) {
                        answers.insert(k.clone(), Value::Bool(v.as_u64() == Some(1)));
                    } else {
                        legacy.insert(format!("{section}.{k}"), v.clone());
                    }
                }
            }
            None | Some(Value::Null) => {}
            Some(other) => {
                legacy.insert(section.to_string(), other.clone());
            }
        }
    }
    for s in CARD_SECTIONS {
        if let Some(v) = mr.get(*s) {
            card.insert((*s).to_string(), v.clone());
        }
    }
    if !card.is_empty() {
        // canonical section order
        let mut ordered = Map::new();
        for s in CARD_SECTIONS {
            if let Some(v) = card.remove(*s) {
                ordered.insert((*s).to_string(), v);
            }
        }
        out.insert("card".into(), Value::Object(ordered));
    }
    // risks
    if let Some(Value::Object(risk)) = mr.get("risk") {
        let mut risks = Vec::new();
        for (k, v) in risk {
            match v {
                Value::Bool(true) => risks.push(json!({"id": k, "status": "confirmed"})),
                Value::Bool(false) | Value::Null => {}
                other => {
                    legacy.insert(format!("risk.{k}"), other.clone());
                }
            }
        }
        if !risks.is_empty() {
            out.insert("risks".into(), Value::Array(risks));
        }
    } else if let Some(r) = non_empty(mr.get("risk")) {
        legacy.insert("risk".into(), r);
    }
    if !answers.is_empty() {
        let mut t = Map::new();
        let edition = match mr.get("question_sets") {
            Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_string),
            _ => None,
        };
        t.insert(
            "edition".into(),
            json!(edition.unwrap_or_else(|| "fmti2023".into())),
        );
        t.insert("answers".into(), Value::Object(answers));
        out.insert("transparency".into(), Value::Object(t));
    }
    if let Some(q) = mr.get("question_sets") {
        let single = matches!(q, Value::Array(a) if a.len() <= 1);
        if !single || out.get("transparency").is_none() {
            legacy.insert("question_sets".into(), q.clone());
        }
    }
    // anything else at the root of `mr`
    for (k, v) in mr {
        let known = matches!(
            k.as_str(),
            "type"
                | "metadata"
                | "relations"
                | "tags"
                | "upstream"
                | "model"
                | "downstream"
                | "risk"
                | "question_sets"
        ) || CARD_SECTIONS.contains(&k.as_str());
        if !known {
            legacy.insert(k.clone(), v.clone());
        }
    }
    if let Value::Object(d) = doc {
        for (k, v) in d {
            if k != "mr" {
                legacy.insert(format!("/{k}"), v.clone());
            }
        }
    }
    if !legacy.is_empty() {
        let mut ext = Map::new();
        ext.insert("legacy".into(), Value::Object(legacy));
        out.insert("extensions".into(), Value::Object(ext));
    }
    (Value::Object(out), diags)
}
