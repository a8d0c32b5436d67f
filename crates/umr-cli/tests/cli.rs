#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Integration tests of the `umr` binary: the corpus validates, every kind of bad input
//! exits 1 with its located error in `--format json`, hostile inputs (alias bombs, deep
//! nesting, invalid UTF-8, huge files) are refused without a crash, `convert` turns a
//! prototype record into native YAML that validates, and `schema` prints the committed
//! schema.

mod common;

use common::TempDir;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const HEAD: &str = "format_version: '1.0'\nkind: model\nname: demo\nversion: 1.0.0\n";

fn umr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_umr"))
        .args(args)
        .output()
        .expect("run umr")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn describe(o: &Output) -> String {
    format!(
        "status: {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        stdout(o),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The diagnostics printed by `umr validate --format json`.
fn diagnostics(o: &Output) -> Vec<Value> {
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("--format json printed no JSON ({e})\n{}", describe(o)));
    v.as_array()
        .unwrap_or_else(|| panic!("expected a JSON list of diagnostics\n{}", describe(o)))
        .clone()
}

/// Validate `bytes` written to `name` and check that the run exits 1 and that its first
/// error is `code` at `path`, `line`:`column`, with the file named and every field present.
fn assert_rejected(
    name: &str,
    bytes: &[u8],
    code: &str,
    path: &str,
    line: Option<u64>,
    column: Option<u64>,
) {
    let dir = TempDir::new("bad");
    let file = dir.write(name, bytes);
    let file_s = file.to_str().unwrap();
    let o = umr(&["validate", "--format", "json", file_s]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{name}: expected exit 1\n{}",
        describe(&o)
    );
    let diags = diagnostics(&o);
    let first = diags
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap_or_else(|| panic!("{name}: no error reported\n{}", describe(&o)));
    for key in [
        "file", "path", "line", "column", "code", "severity", "message",
    ] {
        assert!(
            first.get(key).is_some(),
            "{name}: diagnostic has no `{key}`: {first}"
        );
    }
    assert_eq!(first["code"], code, "{name}: {first}");
    assert_eq!(first["file"], file_s, "{name}: {first}");
    assert_eq!(first["path"], path, "{name}: {first}");
    assert_eq!(first["line"].as_u64(), line, "{name}: line of {first}");
    assert_eq!(
        first["column"].as_u64(),
        column,
        "{name}: column of {first}"
    );
    assert!(
        first["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{name}: empty message: {first}"
    );
}

#[test]
fn corpus_validates() {
    let corpus = repo_root().join("../shared/corpus/modelrecords-poc");
    if !corpus.is_dir() {
        println!("SKIPPED: corpus folder {} not found", corpus.display());
        return;
    }
    let corpus_s = corpus.to_str().unwrap();
    let o = umr(&["validate", corpus_s]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let out = stdout(&o);
    assert!(
        out.contains("88 records checked: 88 valid, 0 invalid; 0 errors"),
        "unexpected summary: {out}"
    );
    let o = umr(&["validate", "--format", "json", corpus_s]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(diagnostics(&o).iter().all(|d| d["severity"] != "error"));
}

#[test]
fn malformed_yaml() {
    assert_rejected(
        "malformed.yaml",
        b"format_version: '1.0'\nkind: model\nname: [unclosed\nversion: 1.0.0\n",
        "E_YAML_SYNTAX",
        "",
        Some(4),
        Some(8),
    );
}

#[test]
fn malformed_json() {
    assert_rejected(
        "malformed.json",
        b"{\n  \"format_version\": \"1.0\",\n  \"kind\": \"model\",\n}\n",
        "E_JSON_SYNTAX",
        "",
        Some(4),
        Some(1),
    );
}

#[test]
fn wrong_types() {
    let text = format!("{HEAD}title: 42\ntags: chat\n");
    assert_rejected(
        "types.yaml",
        text.as_bytes(),
        "E_TYPE",
        "title",
        Some(5),
        Some(8),
    );
}

#[test]
fn invalid_semver() {
    assert_rejected(
        "semver.yaml",
        b"format_version: '1.0'\nkind: model\nname: demo\nversion: 1.0\n",
        "E_SEMVER",
        "version",
        Some(4),
        Some(10),
    );
    assert_rejected(
        "semver-quoted.yaml",
        b"format_version: '1.0'\nkind: model\nname: demo\nversion: '1.0'\n",
        "E_SEMVER",
        "version",
        Some(4),
        Some(10),
    );
}

#[test]
fn invalid_requirement() {
    let text = format!("{HEAD}upstream:\n  - name: base\n    version: '>=banana'\n");
    assert_rejected(
        "req.yaml",
        text.as_bytes(),
        "E_REQUIREMENT",
        "upstream[0].version",
        Some(7),
        Some(14),
    );
    let text = format!("{HEAD}upstream:\n  - llama2>=banana\n");
    assert_rejected(
        "short.yaml",
        text.as_bytes(),
        "E_UPSTREAM",
        "upstream[0]",
        Some(6),
        Some(5),
    );
}

#[test]
fn unknown_relation_kind() {
    let text = format!("{HEAD}upstream:\n  - {{name: base, relation: parent}}\n");
    assert_rejected(
        "relation.yaml",
        text.as_bytes(),
        "E_ENUM",
        "upstream[0].relation",
        Some(6),
        Some(28),
    );
}

#[test]
fn invalid_licence() {
    let text = format!("{HEAD}license: MIT AND\n");
    assert_rejected(
        "license.yaml",
        text.as_bytes(),
        "E_LICENSE",
        "license",
        Some(5),
        Some(10),
    );
}

#[test]
fn duplicate_keys() {
    let text = format!("{HEAD}kind: dataset\n");
    assert_rejected(
        "dup.yaml",
        text.as_bytes(),
        "E_DUPLICATE_KEY",
        "kind",
        Some(5),
        Some(1),
    );
}

#[test]
fn path_traversal_names() {
    assert_rejected(
        "traversal.yaml",
        b"format_version: '1.0'\nkind: model\nname: ../../etc/passwd\nversion: 1.0.0\n",
        "E_NAME",
        "name",
        Some(3),
        Some(7),
    );
    assert_rejected(
        "absolute.yaml",
        b"format_version: '1.0'\nkind: model\nname: /etc/passwd\nversion: 1.0.0\n",
        "E_NAME",
        "name",
        Some(3),
        Some(7),
    );
}

#[test]
fn empty_file() {
    assert_rejected("empty.yaml", b"", "E_EMPTY", "", Some(1), Some(1));
}

#[test]
fn alias_bomb_is_refused() {
    // 10^9 nodes once expanded; refused by counting, before any expansion
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for c in 'b'..='i' {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("{c}: &{c} [{refs}]\n"));
        prev = c;
    }
    assert_rejected(
        "bomb.yaml",
        text.as_bytes(),
        "E_LIMIT_NODES",
        "f[0]",
        Some(6),
        Some(8),
    );
}

/// Validate a deeply nested document: exit 1 (not a crash), E_LIMIT_DEPTH on line 1, at
/// an opening bracket no deeper than `max_level` (levels are `width` characters wide).
fn assert_too_deep(name: &str, text: &str, width: usize, max_level: usize) {
    let dir = TempDir::new("deep");
    let file = dir.write(name, text.as_bytes());
    let o = umr(&["validate", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{name}: {}", describe(&o));
    let diags = diagnostics(&o);
    let d = diags
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap_or_else(|| panic!("{name}: no error\n{}", describe(&o)));
    assert_eq!(d["code"], "E_LIMIT_DEPTH", "{name}: {d}");
    assert_eq!(d["file"], file.to_str().unwrap(), "{name}: {d}");
    assert_eq!(d["line"], 1, "{name}: {d}");
    let column = d["column"]
        .as_u64()
        .unwrap_or_else(|| panic!("{name}: no column: {d}")) as usize;
    let at = text.chars().nth(column - 1);
    assert!(
        matches!(at, Some('[' | '{')),
        "{name}: column {column} is not at an opening bracket: {d}"
    );
    let level = (column - 1) / width + 1;
    assert!(
        (65..=max_level).contains(&level),
        "{name}: refused at nesting level {level}: {d}"
    );
    assert!(
        d["path"].is_string() && d["message"].is_string(),
        "{name}: {d}"
    );
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    let depth = 10_000;
    let seqs = "[".repeat(depth) + &"]".repeat(depth);
    assert_too_deep("deep.yaml", &seqs, 1, 256);
    assert_too_deep("deep.json", &seqs, 1, 256);
    let maps = "{a: ".repeat(depth) + "1" + &"}".repeat(depth);
    assert_too_deep("deep-maps.yaml", &maps, 4, 256);
    let json_maps = "{\"a\": ".repeat(depth) + "1" + &"}".repeat(depth);
    assert_too_deep("deep-maps.json", &json_maps, 6, 256);
    // below the parser's own guard, the refusal is at the documented limit (64 levels)
    let shallow = "[".repeat(200) + &"]".repeat(200);
    assert_rejected(
        "deep-200.yaml",
        shallow.as_bytes(),
        "E_LIMIT_DEPTH",
        &"[0]".repeat(64),
        Some(1),
        Some(65),
    );
}

#[test]
fn invalid_utf8() {
    assert_rejected(
        "latin1.yaml",
        b"format_version: '1.0'\nkind: model\nname: d\xe9mo\nversion: 1.0.0\n",
        "E_UTF8",
        "",
        Some(3),
        Some(8),
    );
}

#[test]
fn huge_file_is_refused() {
    let dir = TempDir::new("huge");
    let path = dir.0.join("huge.yaml");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        f.write_all(HEAD.as_bytes()).unwrap();
        let line = format!("# {}\n", "x".repeat(1021));
        for _ in 0..(50 * 1024) {
            f.write_all(line.as_bytes()).unwrap();
        }
        f.flush().unwrap();
    }
    assert!(std::fs::metadata(&path).unwrap().len() >= 50 * 1024 * 1024);
    let path_s = path.to_str().unwrap();
    let o = umr(&["validate", "--format", "json", path_s]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let diags = diagnostics(&o);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d["code"], "E_LIMIT_SIZE", "{d}");
    assert_eq!(d["severity"], "error", "{d}");
    assert_eq!(d["file"], path_s, "{d}");
    assert_eq!(d["path"], "", "{d}");
    // a whole-file limit has no position inside the file (or the start of it)
    assert!(
        (d["line"].is_null() && d["column"].is_null()) || (d["line"] == 1 && d["column"] == 1),
        "{d}"
    );
    assert!(
        d["message"].as_str().is_some_and(|m| m.contains("limit")),
        "{d}"
    );
}

#[test]
fn convert_prototype_record_to_native_yaml_that_validates() {
    let dir = TempDir::new("convert");
    let proto = dir.write(
        "llama2-7b/llama2-7b-1.0.0.yaml",
        b"mr:\n  type: model\n  metadata:\n    name: Llama 2 7B\n    version: 1.0.0\n    publisher: Meta\n    release_date: '2023-07-19'\n  question_sets:\n  - fmti2023\n  relations:\n    upstream:\n    - llama2>=1.0.0\n  upstream:\n    data_size: 1\n    intended_use:\n    - Research.\n  risk:\n    nsfw: true\n",
    );
    let o = umr(&["convert", proto.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let native = stdout(&o);
    assert!(!native.contains("mr:"), "{native}");
    for line in [
        "format_version: '1.0'",
        "kind: model",
        "name: llama2-7b",
        "version: 1.0.0",
        "title: Llama 2 7B",
        "  - llama2>=1.0.0",
    ] {
        assert!(
            native.lines().any(|l| l == line),
            "missing line {line:?} in:\n{native}"
        );
    }
    let out = dir.write("native/llama2-7b-1.0.0.yaml", native.as_bytes());
    let o = umr(&[
        "validate",
        "--strict",
        "--format",
        "json",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}\n{native}", describe(&o));
    assert!(diagnostics(&o).is_empty(), "{}", describe(&o));

    // and to JSON, which validates too
    let o = umr(&["convert", "--to", "json", proto.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["name"], "llama2-7b");
    assert_eq!(v["risks"][0]["id"], "nsfw");
    let out = dir.write("native/llama2-7b-1.0.0.json", &o.stdout);
    let o = umr(&["validate", "--strict", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
}

#[test]
fn convert_refuses_a_bad_record() {
    let dir = TempDir::new("convert-bad");
    let bad = dir.write(
        "bad.yaml",
        b"format_version: '1.0'\nkind: model\nname: demo\nversion: 1.0\n",
    );
    let o = umr(&["convert", "--format", "json", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let diags = diagnostics(&o);
    assert_eq!(diags[0]["code"], "E_SEMVER");
    assert_eq!(diags[0]["line"], 4);
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let o = umr(&["schema"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let committed = std::fs::read_to_string(repo_root().join("schema/umr.schema.json")).expect(
        "schema/umr.schema.json (regenerate: cargo run -q -p umr-cli -- schema > schema/umr.schema.json)",
    );
    assert!(
        stdout(&o) == committed,
        "`umr schema` differs from schema/umr.schema.json; regenerate it with:\n    \
         cargo run -q -p umr-cli -- schema > schema/umr.schema.json"
    );
    let v: Value = serde_json::from_str(&committed).unwrap();
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
}
