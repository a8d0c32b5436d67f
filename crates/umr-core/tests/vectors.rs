#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Runs every language-neutral conformance vector in `tests/vectors/*.json` through
//! [`umr_core::check_text`] and compares validity, the normalised value (as serialised
//! JSON text, so key order counts), every error (code, path, line, column) and every
//! warning (code, path). The format is described in `tests/vectors/README.md`.
//!
//! Vectors carrying a `known_bug` field describe the correct behaviour of a bug the core
//! still has: they are left out of `conformance_vectors` and run by the ignored
//! `known_bug_vectors` test (`cargo test -p umr-core --test vectors -- --ignored`).

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use umr_core::{check_text, Diagnostic, LoadOptions, Syntax};

/// Fewest vectors the suite must hold.
const MIN_VECTORS: usize = 40;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

/// Every vector file, sorted by file name: (file stem, parsed vector).
fn load_vectors() -> Vec<(String, Value)> {
    let dir = vectors_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            let v: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", p.display()));
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, v)
        })
        .collect()
}

fn known_bug(v: &Value) -> Option<&str> {
    v.get("known_bug").and_then(Value::as_str)
}

/// Problems with the shape of a vector file itself.
fn shape_problems(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["description", "syntax", "input"] {
        if !v.get(key).is_some_and(Value::is_string) {
            out.push(format!("`{key}` must be a string"));
        }
    }
    if !matches!(
        v.get("syntax").and_then(Value::as_str),
        Some("yaml" | "json")
    ) {
        out.push("`syntax` must be \"yaml\" or \"json\"".into());
    }
    if v.get("file").is_some_and(|f| !f.is_string()) {
        out.push("`file` must be a string when present".into());
    }
    let Some(expect) = v.get("expect").and_then(Value::as_object) else {
        out.push("`expect` must be an object".into());
        return out;
    };
    match expect.get("valid").and_then(Value::as_bool) {
        Some(true) => {
            if !expect.contains_key("normalized") {
                out.push("a valid vector needs `expect.normalized`".into());
            }
            if expect
                .get("errors")
                .is_some_and(|e| e.as_array().is_none_or(|a| !a.is_empty()))
            {
                out.push("a valid vector has no `expect.errors`".into());
            }
        }
        Some(false) => {
            if expect.contains_key("normalized") {
                out.push("an invalid vector has no `expect.normalized`".into());
            }
            if expect
                .get("errors")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
            {
                out.push("an invalid vector needs a non-empty `expect.errors`".into());
            }
        }
        None => out.push("`expect.valid` must be true or false".into()),
    }
    for (list, prefix) in [("errors", "E_"), ("warnings", "W_")] {
        for d in expect
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let code = d.get("code").and_then(Value::as_str).unwrap_or("");
            if !code.starts_with(prefix) || !d.get("path").is_some_and(Value::is_string) {
                out.push(format!(
                    "every entry of `expect.{list}` needs a `{prefix}…` code and a path: {d}"
                ));
            }
        }
    }
    out
}

/// An error diagnostic in the vector shape (code, path, line, column [, help]).
fn error_view(d: &Diagnostic, with_help: bool) -> Value {
    let mut v = json!({"code": d.code, "path": d.path, "line": d.line, "column": d.column});
    if with_help {
        v["help"] = json!(d.help);
    }
    v
}

/// A warning diagnostic in the vector shape (code, path [, help]).
fn warning_view(d: &Diagnostic, with_help: bool) -> Value {
    let mut v = json!({"code": d.code, "path": d.path});
    if with_help {
        v["help"] = json!(d.help);
    }
    v
}

/// Compare expected and actual diagnostic lists; `view` renders an actual diagnostic,
/// including its help text only when the expected entry has a `help` key.
fn compare_diags(
    what: &str,
    expected: &[Value],
    actual: &[&Diagnostic],
    view: fn(&Diagnostic, bool) -> Value,
    out: &mut Vec<String>,
) {
    let n = expected.len().max(actual.len());
    let mut bad = false;
    for i in 0..n {
        match (expected.get(i), actual.get(i)) {
            (Some(e), Some(a)) => {
                if view(a, e.get("help").is_some()) != *e {
                    bad = true;
                }
            }
            _ => bad = true,
        }
    }
    if bad {
        let actual_view: Vec<Value> = actual
            .iter()
            .enumerate()
            .map(|(i, a)| {
                view(
                    a,
                    expected
                        .get(i)
                        .is_some_and(|e: &Value| e.get("help").is_some()),
                )
            })
            .collect();
        out.push(format!(
            "{what} differ\n      expected: {}\n      actual:   {}",
            Value::Array(expected.to_vec()),
            Value::Array(actual_view)
        ));
    }
}

/// Run one vector; return every mismatch, described.
fn run_vector(v: &Value) -> Vec<String> {
    let mut out = shape_problems(v);
    if !out.is_empty() {
        return out;
    }
    let input = v["input"].as_str().unwrap_or_default();
    let syntax = match v["syntax"].as_str() {
        Some("json") => Syntax::Json,
        _ => Syntax::Yaml,
    };
    let opts = LoadOptions {
        file: v.get("file").and_then(Value::as_str).map(str::to_string),
        ..Default::default()
    };
    let checked = check_text(input, syntax, &opts);
    let expect = &v["expect"];
    let want_valid = expect["valid"].as_bool().unwrap_or(false);
    let errors: Vec<&Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    let warnings: Vec<&Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .collect();

    let is_valid = checked.record.is_some();
    if is_valid != want_valid {
        out.push(format!(
            "expected valid = {want_valid}, got valid = {is_valid}"
        ));
    }
    if is_valid && !errors.is_empty() {
        out.push("a record was returned together with error diagnostics".into());
    }
    let none = Vec::new();
    let exp_errors = expect
        .get("errors")
        .and_then(Value::as_array)
        .unwrap_or(&none);
    compare_diags("errors", exp_errors, &errors, error_view, &mut out);
    let exp_warnings = expect
        .get("warnings")
        .and_then(Value::as_array)
        .unwrap_or(&none);
    compare_diags("warnings", exp_warnings, &warnings, warning_view, &mut out);

    if want_valid {
        if let Some(rec) = &checked.record {
            let want = serde_json::to_string(&expect["normalized"]).unwrap();
            let got = serde_json::to_string(rec.value()).unwrap();
            if want != got {
                out.push(format!(
                    "normalized value differs\n      expected: {want}\n      actual:   {got}"
                ));
            }
        }
    }
    out
}

fn report(failures: &[(String, Vec<String>)]) -> String {
    let mut s = format!("{} vector(s) failed:\n", failures.len());
    for (name, problems) in failures {
        s.push_str(&format!("  {name}:\n"));
        for p in problems {
            s.push_str(&format!("    - {p}\n"));
        }
    }
    s
}

#[test]
fn conformance_vectors() {
    let vectors = load_vectors();
    assert!(
        vectors.len() >= MIN_VECTORS,
        "expected at least {MIN_VECTORS} vectors in {}, found {}",
        vectors_dir().display(),
        vectors.len()
    );
    let mut failures = Vec::new();
    let mut ran = 0;
    for (name, v) in &vectors {
        if let Some(bug) = known_bug(v) {
            if run_vector(v).is_empty() {
                println!("note: {name} passes now; its known_bug marker can go ({bug})");
            } else {
                println!("skipped {name}: known core bug: {bug}");
            }
            continue;
        }
        ran += 1;
        let problems = run_vector(v);
        if !problems.is_empty() {
            failures.push((name.clone(), problems));
        }
    }
    println!(
        "{ran} vectors passed, {} skipped as known bugs",
        vectors.len() - ran
    );
    assert!(failures.is_empty(), "{}", report(&failures));
}

#[test]
#[ignore = "runs the vectors marked `known_bug` (none at present)"]
fn known_bug_vectors() {
    let vectors = load_vectors();
    let mut failures = Vec::new();
    for (name, v) in &vectors {
        if let Some(bug) = known_bug(v) {
            let mut problems = run_vector(v);
            if !problems.is_empty() {
                problems.insert(0, format!("known bug: {bug}"));
                failures.push((name.clone(), problems));
            }
        }
    }
    assert!(failures.is_empty(), "{}", report(&failures));
}

#[test]
fn vector_names_say_what_they_expect() {
    for (name, v) in load_vectors() {
        let valid = v["expect"]["valid"].as_bool();
        let ok = match valid {
            Some(true) => name.starts_with("valid-"),
            Some(false) => name.starts_with("invalid-"),
            None => false,
        };
        assert!(
            ok,
            "{name}: valid vectors are named valid-*, invalid ones invalid-*"
        );
    }
}
