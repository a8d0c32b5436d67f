#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Records in the prototype's dialect and lossless round trips.
//!
//! Fixture tier (always runs): the project's own registry in the prototype's dialect,
//! `tests/fixtures/legacy-registry` (see its README.md):
//! - every record loads unchanged, as the prototype dialect, with no diagnostic; each field
//!   the converter maps is compared with the raw document it came from, and the odd inputs
//!   of the prototype's files (empty values, `type` last, integer versions, extra keys, no
//!   final newline, …) are checked one by one;
//! - every record converts to native YAML and JSON, and the converted text re-loads to an
//!   identical value (same keys in the same order) without any diagnostic.
//!
//! Corpus tier (when `$UMR_CORPUS/modelrecords-poc`, default `../shared/corpus/…`, is
//! present; else it prints `skipped: …`): the same on the prototype's 88 records.
//!
//! And every valid conformance vector (`tests/vectors`) survives load → `to_yaml` → load and
//! load → `to_json` → load with an identical value and key order, unknown keys included.

mod common;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use umr_core::model::CARD_SECTIONS;
use umr_core::{check_file, check_text, Limits, LoadOptions, Record, Syntax};

const CORPUS_RECORDS: usize = 88;

/// The corpus record files, sorted; `None` (with a printed message) when absent.
fn corpus_files() -> Option<(PathBuf, Vec<PathBuf>)> {
    let dir = common::corpus("modelrecords-poc")?;
    let files = common::record_files(&dir);
    Some((dir, files))
}

fn text_of(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

/// Re-load `text` (no file name) and return the record, or a description of what went wrong.
fn reload(text: &str, syntax: Syntax) -> Result<Record, String> {
    let c = check_text(text, syntax, &LoadOptions::default());
    match c.record {
        Some(r) => Ok(r),
        None => Err(c
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")),
    }
}

/// Check that `rec` survives a YAML and a JSON round trip; return the problems found.
/// With `quiet`, a diagnostic on re-load (a warning) is a problem too.
fn round_trip_problems(rec: &Record, quiet: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let want = text_of(rec.value());
    for (label, text, syntax) in [
        ("yaml", rec.to_yaml(), Syntax::Yaml),
        ("json", rec.to_json(), Syntax::Json),
    ] {
        match reload(&text, syntax) {
            Err(e) => problems.push(format!(
                "{label}: re-load failed: {e}\n--- text ---\n{text}"
            )),
            Ok(again) => {
                let got = text_of(again.value());
                if got != want {
                    problems.push(format!(
                        "{label}: value changed\n  before: {want}\n  after:  {got}\n--- text ---\n{text}"
                    ));
                }
                if quiet && !again.warnings().is_empty() {
                    problems.push(format!(
                        "{label}: re-load reported {:?}",
                        again
                            .warnings()
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                    ));
                }
                if again.is_legacy() {
                    problems.push(format!(
                        "{label}: the saved form is still the prototype dialect"
                    ));
                }
                // saving again gives the same text (the emitters are stable)
                let text2 = match syntax {
                    Syntax::Yaml => again.to_yaml(),
                    Syntax::Json => again.to_json(),
                };
                if text2 != text {
                    problems.push(format!(
                        "{label}: saving a re-loaded record changed the text"
                    ));
                }
            }
        }
    }
    problems
}

/// Load every file as the prototype dialect; return the records and the problems found
/// (a load error, a record not read as the dialect, or — with `quiet` — any diagnostic).
fn load_legacy(files: &[PathBuf], quiet: bool) -> (Vec<(PathBuf, Record)>, Vec<String>) {
    let mut records = Vec::new();
    let mut failures = Vec::new();
    for f in files {
        let c = check_file(f, &Limits::default());
        let errors: Vec<String> = c
            .diagnostics
            .iter()
            .filter(|d| d.is_error() || quiet)
            .map(ToString::to_string)
            .collect();
        match c.record {
            Some(r) if errors.is_empty() => {
                if r.is_legacy() {
                    records.push((f.clone(), r));
                } else {
                    failures.push(format!(
                        "{}: not read as the prototype dialect",
                        f.display()
                    ));
                }
            }
            _ => failures.push(format!("{}: {}", f.display(), errors.join("; "))),
        }
    }
    (records, failures)
}

fn round_trip_all(records: &[(PathBuf, Record)]) -> Vec<String> {
    let mut failures = Vec::new();
    for (f, rec) in records {
        for p in round_trip_problems(rec, true) {
            failures.push(format!("{}: {p}", f.display()));
        }
    }
    failures
}

#[test]
fn corpus_records_load_without_errors() {
    let Some((dir, files)) = corpus_files() else {
        return;
    };
    assert_eq!(
        files.len(),
        CORPUS_RECORDS,
        "expected {CORPUS_RECORDS} records in {}",
        dir.display()
    );
    let (records, failures) = load_legacy(&files, false);
    assert!(
        failures.is_empty(),
        "{} corpus record(s) failed to load:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(records.len(), CORPUS_RECORDS);
    let mut problems = Vec::new();
    for (f, rec) in &records {
        for p in conversion_problems(f, &common::raw_document(f), rec) {
            problems.push(format!("{}: {p}", f.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn corpus_records_convert_and_reload_identically() {
    let Some((_, files)) = corpus_files() else {
        return;
    };
    let (records, mut failures) = load_legacy(&files, false);
    failures.extend(round_trip_all(&records));
    assert!(
        failures.is_empty(),
        "{} round-trip problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// fixture tier: tests/fixtures/legacy-registry
// ---------------------------------------------------------------------------------------

fn fixture_files() -> Vec<PathBuf> {
    let files = common::record_files(&common::legacy_fixture());
    assert!(
        files.len() >= 20,
        "the fixture registry has {} files",
        files.len()
    );
    files
}

/// A value of the raw prototype document, `Null` when absent.
fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, k| v.get(k).unwrap_or(&Value::Null))
}

/// What the converter keeps of a metadata value: nothing for null or a blank string.
fn kept(v: &Value) -> Option<&Value> {
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        v => Some(v),
    }
}

/// Compare a converted record with the raw document it came from, field by field (the
/// mapping of docs/spec.md, section 16). Returns the differences.
fn conversion_problems(file: &Path, raw: &Value, rec: &Record) -> Vec<String> {
    let mut p = Vec::new();
    let v = rec.value();
    let mut check = |what: &str, got: Option<&Value>, want: Option<&Value>| {
        if got != want {
            p.push(format!("{what}: converted {got:?}, expected {want:?}"));
        }
    };
    let mr = &raw["mr"];
    // identity from the file name `<name>/<name>-<version>.yaml`
    let stem = file.file_stem().unwrap().to_str().unwrap();
    let folder = file
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    let id_from_file = stem.strip_prefix(folder).and_then(|r| r.strip_prefix('-'));
    check("name", v.get("name"), Some(&json!(folder)));
    check(
        "version",
        v.get("version"),
        id_from_file.map(|s| json!(s)).as_ref(),
    );
    check(
        "format_version",
        v.get("format_version"),
        Some(&json!("1.0")),
    );
    check("kind", v.get("kind"), Some(&mr["type"]));
    for (native, proto) in [
        ("title", "name"),
        ("description", "description"),
        ("publisher", "publisher"),
        ("release_date", "release_date"),
        ("references", "refs"),
    ] {
        check(native, v.get(native), kept(at(mr, &["metadata", proto])));
    }
    check("tags", v.get("tags"), kept(&mr["tags"]));
    check(
        "upstream",
        v.get("upstream"),
        kept(at(mr, &["relations", "upstream"])),
    );
    for d in ["architecture", "model_type"] {
        check(
            &format!("details.{d}"),
            v.get("details").and_then(|x| x.get(d)),
            kept(at(mr, &["metadata", d])),
        );
    }
    // risks: the flags that are true, in the order written
    let flags: Vec<Value> = mr["risk"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, f)| **f == Value::Bool(true))
                .map(|(k, _)| json!({"id": k, "status": "confirmed"}))
                .collect()
        })
        .unwrap_or_default();
    let flags = (!flags.is_empty()).then(|| Value::Array(flags));
    check("risks", v.get("risks"), flags.as_ref());
    // card sections (under upstream/model/downstream or directly under mr) and 0/1 answers
    let mut sections = serde_json::Map::new();
    let mut answers = serde_json::Map::new();
    for sec in ["upstream", "model", "downstream"] {
        for (k, x) in mr[sec].as_object().into_iter().flatten() {
            if CARD_SECTIONS.contains(&k.as_str()) {
                sections.insert(k.clone(), x.clone());
            } else if matches!(x.as_u64(), Some(0 | 1)) {
                answers.insert(k.clone(), json!(x.as_u64() == Some(1)));
            }
        }
    }
    for s in CARD_SECTIONS {
        if let Some(x) = mr.get(*s) {
            sections.insert((*s).to_string(), x.clone());
        }
    }
    let card: serde_json::Map<String, Value> = CARD_SECTIONS
        .iter()
        .filter_map(|s| sections.get(*s).map(|x| ((*s).to_string(), x.clone())))
        .collect();
    let card = (!card.is_empty()).then(|| Value::Object(card));
    check("card", v.get("card"), card.as_ref());
    let transparency = (!answers.is_empty()).then(|| {
        let edition = mr["question_sets"][0].as_str().unwrap_or("fmti2023");
        json!({"edition": edition, "answers": Value::Object(answers)})
    });
    check("transparency", v.get("transparency"), transparency.as_ref());
    p
}

#[test]
fn fixture_records_load_unchanged_as_the_prototype_dialect() {
    let files = fixture_files();
    // no diagnostic at all: the fixture is clean (the corpus tier only refuses errors)
    let (records, failures) = load_legacy(&files, true);
    assert!(
        failures.is_empty(),
        "{} fixture record(s) failed to load:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(records.len(), files.len());
    let mut problems = Vec::new();
    for (f, rec) in &records {
        let raw = common::raw_document(f);
        for p in conversion_problems(f, &raw, rec) {
            problems.push(format!("{}: {p}", f.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // the fixture has what the corpus has: every kind, names with several versions, files
    // without a final newline
    let kinds: std::collections::BTreeSet<String> = records
        .iter()
        .map(|(_, r)| r.value()["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["dataset", "family", "model"]
    );
    let by_name = |n: &str| -> Vec<&Record> {
        records
            .iter()
            .filter(|(_, r)| r.name() == n)
            .map(|(_, r)| r)
            .collect()
    };
    let versions =
        |n: &str| -> Vec<String> { by_name(n).iter().map(|r| r.version().to_string()).collect() };
    assert_eq!(versions("histo-mil"), ["1.0.0", "1.1.0"]);
    assert_eq!(versions("sandbox"), ["1.0.0", "1.2.0"]);
    let unterminated = files
        .iter()
        .filter(|f| !std::fs::read(f).unwrap().ends_with(b"\n"))
        .count();
    assert!(
        unterminated >= 5,
        "{unterminated} files without a final newline"
    );

    // the odd inputs, one by one
    let one = |n: &str| -> Value { by_name(n)[0].value().clone() };
    let legacy = |n: &str, k: &str| -> Value { one(n)["extensions"]["legacy"][k].clone() };
    // `type` written last, `relations: null`, `metadata.version` a string
    let textpile = one("textpile");
    assert_eq!(textpile["kind"], "dataset");
    assert!(textpile.get("upstream").is_none());
    assert_eq!(legacy("textpile", "metadata.version"), json!("1.0"));
    // an integer `metadata.version`, an unquoted year-month date; the one question set
    // becomes the edition and is not kept
    assert_eq!(legacy("kestrel", "metadata.version"), json!(2));
    assert_eq!(one("kestrel")["release_date"], "2024-02");
    assert_eq!(one("kestrel")["transparency"]["edition"], "fmti2023");
    assert!(one("kestrel")["extensions"]["legacy"]
        .get("question_sets")
        .is_none());
    // an unknown metadata key; a description with leading blanks and a blank line after it
    assert_eq!(legacy("photo-captions", "metadata.published"), json!(2021));
    assert!(one("photo-captions")["description"]
        .as_str()
        .unwrap()
        .starts_with("Nine million photographs"));
    // a non-card mapping under `upstream`, kept untouched
    assert_eq!(
        legacy("corvid", "upstream.environmental"),
        json!({"refs": ["https://corvid.example.org/emissions"]})
    );
    assert_eq!(
        one("corvid")["details"]["model_type"],
        "Large Language Model"
    );
    // all 100 answers of the family, three under the prototype's alias keys, as written
    let answers = one("corvid")["transparency"]["answers"].clone();
    assert_eq!(answers.as_object().unwrap().len(), 100);
    for alias in [
        "asset_license",
        "data_license_status",
        "release_decision_making_protocol",
    ] {
        assert!(answers.get(alias).is_some(), "{alias}");
    }
    // a false risk flag is dropped (not kept as an extension either)
    let ids: Vec<Value> = one("scrapeweb-2b")["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(
        ids,
        [
            json!("sexual_content"),
            json!("abuse_material"),
            json!("graphic_violence")
        ]
    );
    assert!(one("scrapeweb-2b").get("extensions").is_none());
    // a card section directly under `mr`
    assert_eq!(
        one("kestrel-pro")["card"]["ethical_considerations"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // a description of one space and empty `upstream:` are dropped
    for r in by_name("sandbox") {
        assert!(r.value().get("description").is_none());
        assert!(r.value().get("upstream").is_none());
    }
    // capitals and a version-like part in the name: split at the last version
    let magpie = one("Magpie-1.5-Vision-7B");
    assert_eq!(
        (&magpie["name"], &magpie["version"]),
        (&json!("Magpie-1.5-Vision-7B"), &json!("1.0.0"))
    );
    assert_eq!(magpie["upstream"].as_array().unwrap().len(), 6);
    // the pinned short form stays as written
    assert_eq!(
        one("histo-mil-tiny")["upstream"],
        json!(["histo-mil==1.0.0"])
    );
}

#[test]
fn fixture_records_convert_and_reload_identically() {
    let (records, mut failures) = load_legacy(&fixture_files(), true);
    assert!(!records.is_empty());
    failures.extend(round_trip_all(&records));
    assert!(
        failures.is_empty(),
        "{} round-trip problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

/// The valid vectors without a `known_bug` marker: (file stem, vector).
fn valid_vectors() -> Vec<(String, Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vectors_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p.file_stem().unwrap().to_string_lossy().into_owned(), v)
        })
        .filter(|(_, v)| v["expect"]["valid"] == Value::Bool(true) && v.get("known_bug").is_none())
        .collect()
}

#[test]
fn valid_vectors_round_trip_losslessly() {
    let vectors = valid_vectors();
    assert!(
        vectors.len() >= 20,
        "too few valid vectors: {}",
        vectors.len()
    );
    let mut failures = Vec::new();
    for (name, v) in &vectors {
        let syntax = if v["syntax"] == "json" {
            Syntax::Json
        } else {
            Syntax::Yaml
        };
        let opts = LoadOptions {
            file: v.get("file").and_then(Value::as_str).map(str::to_string),
            ..Default::default()
        };
        let Some(rec) = check_text(v["input"].as_str().unwrap(), syntax, &opts).record else {
            failures.push(format!("{name}: does not load"));
            continue;
        };
        for p in round_trip_problems(&rec, false) {
            failures.push(format!("{name}: {p}"));
        }
        // the warnings (unknown keys, licence case) are the same after a round trip
        if let Ok(again) = reload(&rec.to_yaml(), Syntax::Yaml) {
            // (a prototype record's file-name warning does not apply to its native form)
            let view = |r: &Record| -> Vec<(String, String)> {
                r.warnings()
                    .iter()
                    .filter(|d| d.code != "W_LEGACY_FILENAME")
                    .map(|d| (d.code.clone(), d.path.clone()))
                    .collect()
            };
            let (w1, w2) = (view(&rec), view(&again));
            if w1 != w2 {
                failures.push(format!("{name}: warnings changed: {w1:?} -> {w2:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} round-trip problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A record with unknown keys before, between and after the known ones, in an order
/// that is not the canonical one, at every level.
#[test]
fn unknown_keys_and_key_order_survive_round_trips() {
    let src = "\
zz-first: 1
version: 1.0.0
x-middle: {b: 2, a: 1}
name: demo
kind: model
details:
  zeta: 1
  parameters: 7
  alpha: [3, 2, 1]
format_version: '1.0'
upstream:
  - {version: '>=1', unknown: u, name: base}
extensions:
  z: {y: {x: 1}}
  a: null
aa-last: {k: v}
";
    let rec = Record::from_yaml_str(src, &LoadOptions::default()).unwrap();
    let keys: Vec<&str> = rec.map().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "zz-first",
            "version",
            "x-middle",
            "name",
            "kind",
            "details",
            "format_version",
            "upstream",
            "extensions",
            "aa-last"
        ]
    );
    let problems = round_trip_problems(&rec, false);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let json_again = Record::from_json_str(&rec.to_json(), &LoadOptions::default()).unwrap();
    let yaml_again = Record::from_yaml_str(&json_again.to_yaml(), &LoadOptions::default()).unwrap();
    assert_eq!(text_of(yaml_again.value()), text_of(rec.value()));
}

/// Strings and keys that are easy to get wrong in the canonical YAML emitter: leading
/// blank lines of literal blocks, keys that look like document markers.
#[test]
fn emitter_round_trip_tricky_strings() {
    let cases: &[(&str, &str)] = &[
        ("value", "\n"),
        ("value", "\n  indented after a blank line"),
        ("value", "\n\n  two blank lines, then indented"),
        ("key", "--- x"),
        ("key", "... y"),
    ];
    let mut failures = Vec::new();
    for (what, s) in cases {
        let mut m = serde_json::Map::new();
        for (k, v) in [
            ("format_version", "1.0"),
            ("kind", "model"),
            ("name", "demo"),
            ("version", "1.0.0"),
        ] {
            m.insert(k.into(), Value::String(v.into()));
        }
        if *what == "key" {
            m.insert((*s).to_string(), Value::from(1));
        } else {
            m.insert(
                "extensions".into(),
                serde_json::json!({"text": s, "list": [s]}),
            );
        }
        let rec = Record::from_value(Value::Object(m)).unwrap();
        for p in round_trip_problems(&rec, false) {
            failures.push(format!("{what} {s:?}: {p}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
