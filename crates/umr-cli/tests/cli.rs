#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Integration tests of the `umr` binary: registries in the prototype's dialect validate and
//! go through every registry command (the project's `tests/fixtures/legacy-registry`
//! always; the prototype's 88 records of `$UMR_CORPUS/modelrecords-poc`, default
//! `../shared/corpus/…`, when present, else `skipped: …` is printed), every kind of bad input
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

/// `umr validate` over a registry folder of prototype-dialect records: exit 0, the summary
/// line counts every record, `--format json` reports no error.
fn assert_validates(dir: &Path, records: usize) {
    let dir_s = dir.to_str().unwrap();
    let o = umr(&["validate", dir_s]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let out = stdout(&o);
    let summary = format!("{records} records checked: {records} valid, 0 invalid; 0 errors");
    assert!(out.contains(&summary), "unexpected summary: {out}");
    let o = umr(&["validate", "--format", "json", dir_s]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(diagnostics(&o).iter().all(|d| d["severity"] != "error"));
}

#[test]
fn corpus_validates() {
    let Some(corpus) = common::corpus("modelrecords-poc") else {
        return;
    };
    assert_validates(&corpus, 88);
}

/// Record files under `dir`, at any depth.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(yaml_files(&p));
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Run `umr ARGS --format json`, expect exit 0, return the JSON.
fn json_of(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let o = umr(&all);
    assert_eq!(o.status.code(), Some(0), "umr {args:?}\n{}", describe(&o));
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("umr {args:?}: not JSON ({e})\n{}", describe(&o)))
}

#[test]
fn fixture_legacy_registry_through_every_registry_command() {
    let reg = common::legacy_fixture();
    let files = yaml_files(&reg);
    assert!(files.len() >= 20);
    assert_validates(&reg, files.len());
    let reg_s = reg.to_str().unwrap();
    // ARGS followed by `--registry <the fixture>`
    let with = |args: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        v.extend(["--registry".to_string(), reg_s.to_string()]);
        v
    };
    // --strict too: prototype records are exempt from the layout warning
    let o = umr(&["validate", "--strict", reg_s]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));

    // every record resolves
    let all = json_of(&strs(&with(&["resolve", "--all"])));
    assert_eq!(all.as_array().unwrap().len(), files.len());
    // a member's effective record holds the family's card; blame says where it came from
    let eff = json_of(&strs(&with(&["resolve", "corvid-3b"])));
    assert_eq!(eff["name"], "corvid-3b");
    assert!(eff["card"]["intended_use"].is_array());
    let blame = json_of(&strs(&with(&["blame", "corvid-3b"])));
    assert_eq!(blame["card.intended_use"], "corvid@1.0.0");
    assert_eq!(blame["description"], "corvid-3b@1.0.0");

    // the risk chain: affected, risks, lineage
    let aff = json_of(&strs(&with(&["affected", "scrapeweb-2b"])));
    let mut names: Vec<String> = aff
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            format!(
                "{}@{}",
                a["name"].as_str().unwrap(),
                a["version"].as_str().unwrap()
            )
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "histo-lens@1.0.0",
            "histo-mil-tiny@1.0.0",
            "histo-mil@1.0.0",
            "histo-mil@1.1.0",
            "scrapeweb-400m@1.0.0"
        ]
    );
    let risks = json_of(&strs(&with(&["risks", "histo-mil-tiny"])));
    let sexual = risks
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "sexual_content")
        .expect("the dataset's risk reaches the last model");
    assert_eq!(
        sexual["chain"],
        serde_json::json!([
            "scrapeweb-2b@1.0.0",
            "histo-lens@1.0.0",
            "histo-mil@1.0.0",
            "histo-mil-tiny@1.0.0"
        ])
    );
    let o = umr(&strs(&with(&["lineage", "histo-lens", "--format", "json"])));
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let lin: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(lin["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["child"] == "histo-lens@1.0.0"
            && e["parent"] == "scrapeweb-2b@1.0.0"
            && e["relation"] == "trained_on"));
    let o = umr(&strs(&with(&[
        "lineage",
        "histo-lens",
        "--format",
        "mermaid",
    ])));
    assert!(stdout(&o).starts_with("flowchart"), "{}", describe(&o));

    // scores: a member inherits the family's 100 answers
    let score = json_of(&strs(&with(&["score", "corvid-3b"])));
    assert_eq!(score["own"]["total"]["answered"], 0);
    assert_eq!(score["effective"]["total"]["answered"], 100);
    assert_eq!(score["inherited"], serde_json::json!({"corvid@1.0.0": 100}));

    // a lock in a copy of the registry, then --check finds no drift
    let tmp = TempDir::new("legacy-lock");
    let lock = tmp.path().join("umr.lock");
    let lock_s = lock.to_str().unwrap();
    let o = umr(&strs(&with(&["lock", "--file", lock_s])));
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let locked: Value = serde_json::from_str(&std::fs::read_to_string(&lock).unwrap()).unwrap();
    assert_eq!(locked["records"].as_object().unwrap().len(), files.len());
    assert_eq!(
        locked["records"]["histo-mil-tiny@1.0.0"]["upstream"][0]["resolved"],
        "histo-mil@1.0.0"
    );
    let o = umr(&strs(&with(&["lock", "--check", "--file", lock_s])));
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));

    // rendering and the site
    let pdf = tmp.path().join("card.pdf");
    let o = umr(&strs(&with(&[
        "render",
        "corvid-9b-chat",
        "--to",
        "pdf",
        "-o",
        pdf.to_str().unwrap(),
    ])));
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let o = umr(&strs(&with(&["render", "histo-mil-tiny", "--to", "md"])));
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(stdout(&o).contains("HistoMIL Tiny"));
    let site = tmp.path().join("site");
    let rep = json_of(&strs(&with(&["site", "--out", site.to_str().unwrap()])));
    assert_eq!(rep["records"], files.len());
    assert_eq!(rep["problems"], serde_json::json!([]));
    assert!(site.join("index.html").is_file());

    // every file converts to native YAML that validates strictly, with the same identity
    for f in &files {
        let o = umr(&["convert", f.to_str().unwrap()]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}\n{}",
            f.display(),
            describe(&o)
        );
        let native = stdout(&o);
        assert!(
            !native.contains("\nmr:") && !native.starts_with("mr:"),
            "{native}"
        );
        let out = tmp.write(
            &format!("native/{}", f.file_name().unwrap().to_str().unwrap()),
            native.as_bytes(),
        );
        let o = umr(&[
            "validate",
            "--strict",
            "--format",
            "json",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}\n{native}", describe(&o));
    }
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
