#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The prototype corpus (`../shared/corpus/modelrecords-poc`, 88 records) and lossless
//! round trips.
//!
//! - every corpus record loads with zero errors;
//! - every corpus record converts to native YAML and JSON, and the converted text re-loads
//!   to an identical value (same keys in the same order) without any diagnostic;
//! - every valid conformance vector (`tests/vectors`) survives load → `to_yaml` → load and
//!   load → `to_json` → load with an identical value and key order, unknown keys included.
//!
//! The corpus tests print a message and pass when the corpus folder is absent.

use serde_json::Value;
use std::path::{Path, PathBuf};
use umr_core::{check_file, check_text, Limits, LoadOptions, Record, Syntax};

const CORPUS_RECORDS: usize = 88;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/modelrecords-poc")
}

/// The corpus record files, sorted; `None` (with a printed message) when absent.
fn corpus_files() -> Option<Vec<PathBuf>> {
    let dir = corpus_dir();
    if !dir.is_dir() {
        println!(
            "SKIPPED: corpus folder {} not found; corpus tests not run",
            dir.display()
        );
        return None;
    }
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    Some(out)
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

#[test]
fn corpus_records_load_without_errors() {
    let Some(files) = corpus_files() else { return };
    assert_eq!(
        files.len(),
        CORPUS_RECORDS,
        "expected {CORPUS_RECORDS} records in {}",
        corpus_dir().display()
    );
    let mut failures = Vec::new();
    for f in &files {
        let c = check_file(f, &Limits::default());
        let errors: Vec<String> = c
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(ToString::to_string)
            .collect();
        if c.record.is_none() || !errors.is_empty() {
            failures.push(format!("{}: {}", f.display(), errors.join("; ")));
        } else if let Some(r) = &c.record {
            if !r.is_legacy() {
                failures.push(format!(
                    "{}: not read as the prototype dialect",
                    f.display()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus record(s) failed to load:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_records_convert_and_reload_identically() {
    let Some(files) = corpus_files() else { return };
    let mut failures = Vec::new();
    for f in &files {
        let Some(rec) = check_file(f, &Limits::default()).record else {
            failures.push(format!("{}: does not load", f.display()));
            continue;
        };
        for p in round_trip_problems(&rec, true) {
            failures.push(format!("{}: {p}", f.display()));
        }
    }
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
