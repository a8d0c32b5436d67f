#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `umr import` / `umr export` end to end, on the project's own documents (no third-party
//! corpus needed): every Hugging Face card fixture of `tests/fixtures/hf` (listed in its
//! `FEATURES.tsv` with the diagnostics it must give) imports with exactly those diagnostics
//! or exits 1 with its located error; every importable card goes into a registry folder,
//! validates and exports back with the same front matter; the CycloneDX fixtures import into
//! a registry and export again; the README's tour command works; CycloneDX and SPDX exports
//! have the expected shape.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn umr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_umr"))
        .args(args)
        .output()
        .expect("run umr")
}

fn temp(label: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let d = std::env::temp_dir().join(format!(
        "umr-interop-cli-{}-{label}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

const CARD: &str = "---
language: en
license: llama2
base_model: acme/base-7b
base_model_relation: adapter
datasets:
- acme/chat-data
tags:
- chat
extra_gated_prompt: Agree to the licence.
model-index:
- name: chat-7b
  results:
  - task:
      type: text-generation
    dataset:
      type: acme/bench
      name: Bench
    metrics:
    - type: accuracy
      value: 61.5
---

# chat-7b

## Model Description

A chat adapter.

## Bias, Risks, and Limitations

It makes things up.
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn card_imports_and_exports_back() {
    let dir = temp("card");
    let card = write(&dir, "README.md", CARD);
    let reg = dir.join("reg");
    std::fs::create_dir_all(&reg).unwrap();
    let out = umr(&[
        "import",
        "hf",
        card.to_str().unwrap(),
        "--name",
        "acme/chat-7b",
        "-o",
        reg.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rec = std::fs::read_to_string(reg.join("acme/chat-7b/chat-7b-1.0.0.yaml")).unwrap();
    assert!(rec.contains("relation: adapter"), "{rec}");
    assert!(rec.contains("id: LicenseRef-llama2"), "{rec}");
    let out = umr(&[
        "export",
        "hf",
        "acme/chat-7b",
        "--registry",
        reg.to_str().unwrap(),
        "--own",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), CARD);
    // JSON output of the import
    let out = umr(&["import", "hf", card.to_str().unwrap(), "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["record"]["name"], "chat-7b");
    assert_eq!(v["record"]["evaluations"][0]["value"], 61.5);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cyclonedx_and_spdx_exports() {
    let dir = temp("bom");
    let reg = dir.join("reg");
    std::fs::create_dir_all(reg.join("data")).unwrap();
    std::fs::create_dir_all(reg.join("base")).unwrap();
    std::fs::create_dir_all(reg.join("tuned")).unwrap();
    write(
        &reg.join("data"),
        "data-1.0.0.yaml",
        "format_version: '1.0'\nkind: dataset\nname: data\nversion: 1.0.0\nrisks:\n  - id: pii\n",
    );
    write(
        &reg.join("base"),
        "base-1.0.0.yaml",
        "format_version: '1.0'\nkind: model\nname: base\nversion: 1.0.0\nlicense: MIT\nupstream:\n  - data\n",
    );
    write(
        &reg.join("tuned"),
        "tuned-1.0.0.yaml",
        "format_version: '1.0'\nkind: model\nname: tuned\nversion: 1.0.0\nupstream:\n  - name: base\n    relation: finetune\n",
    );
    let r = reg.to_str().unwrap();
    let out = umr(&["export", "cyclonedx", "tuned", "--registry", r, "--lineage"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bom: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(bom["specVersion"], "1.6");
    let root = &bom["metadata"]["component"];
    assert_eq!(root["pedigree"]["ancestors"][0]["name"], "base");
    assert_eq!(root["licenses"][0]["license"]["id"], "MIT");
    let out = umr(&[
        "export",
        "cyclonedx",
        "tuned",
        "--registry",
        r,
        "--spec-version",
        "1.7",
    ]);
    let bom: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(bom["specVersion"], "1.7");
    let out = umr(&[
        "export",
        "spdx",
        "base",
        "--registry",
        r,
        "--created",
        "2024-01-01T00:00:00Z",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let graph = doc["@graph"].as_array().unwrap();
    assert!(graph.iter().any(|e| e["relationshipType"] == "trainedOn"));
    let out = umr(&[
        "export",
        "spdx",
        "base",
        "--registry",
        r,
        "--created",
        "yesterday",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["code"], "E_TIMESTAMP");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_cards_exit_1_with_located_errors() {
    let dir = temp("bad");
    let card = write(&dir, "README.md", "---\n[]\n---\n# x\n");
    let out = umr(&["import", "hf", card.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["code"], "E_HF_FRONT_MATTER_TYPE");
    assert_eq!(err["line"], 2);
    let card = write(&dir, "open.md", "---\nlicense: mit\n# never closed\n");
    let out = umr(&["import", "hf", card.to_str().unwrap(), "--format", "json"]);
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["code"], "E_HF_UNCLOSED_FRONT_MATTER");
    assert_eq!(err["line"], 1);
    let bom = write(
        &dir,
        "bom.json",
        "{\"bomFormat\": \"CycloneDX\", \"components\": []}",
    );
    let out = umr(&[
        "import",
        "cyclonedx",
        bom.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).ok();
}

// ------------------------------------------------------------------ the project's fixtures

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// A row of tests/fixtures/hf/FEATURES.tsv: file, kind (`-`: must not import), options,
/// diagnostics (`CODE@line`).
struct Case {
    path: PathBuf,
    kind: String,
    options: Vec<String>,
    diagnostics: Vec<(String, u64)>,
}

fn cases() -> Vec<Case> {
    let dir = fixtures().join("hf");
    let text = std::fs::read_to_string(dir.join("FEATURES.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 5, "{l}");
            Case {
                path: dir.join(cols[0]),
                kind: cols[1].to_string(),
                options: if cols[2] == "-" {
                    Vec::new()
                } else {
                    cols[2].split_whitespace().map(str::to_string).collect()
                },
                diagnostics: cols[3]
                    .split(',')
                    .filter(|d| !d.is_empty() && *d != "-")
                    .map(|d| {
                        let (c, n) = d.split_once('@').unwrap();
                        (c.to_string(), n.parse().unwrap())
                    })
                    .collect(),
            }
        })
        .collect()
}

fn args<'a>(base: &[&'a str], case: &'a Case) -> Vec<&'a str> {
    let mut v = base.to_vec();
    v.extend(case.options.iter().map(String::as_str));
    v
}

#[test]
fn fixture_cards_through_the_command_line() {
    let all = cases();
    assert!(all.len() >= 40);
    let mut failures = Vec::new();
    for case in &all {
        let file = case.path.to_str().unwrap();
        let out = umr(&args(&["import", "hf", file, "--format", "json"], case));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let name = case
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if case.kind == "-" {
            let (code, line) = &case.diagnostics[0];
            if out.status.code() != Some(1) || v["code"] != *code || v["line"] != *line {
                failures.push(format!("{name}: expected exit 1, {code}@{line}; got {v}"));
            }
            if v["diagnostics"][0]["file"] != file || !v["column"].is_u64() {
                failures.push(format!("{name}: error not located in {file}: {v}"));
            }
            // the human form names the file, line and column, and the code
            let human = umr(&args(&["import", "hf", file], case));
            let err = String::from_utf8_lossy(&human.stderr);
            if !err.contains(&format!("{file}:{line}:")) || !err.contains(code.as_str()) {
                failures.push(format!("{name}: human error lacks the location: {err}"));
            }
            continue;
        }
        if !out.status.success() {
            failures.push(format!("{name}: exit {:?}: {v}", out.status.code()));
            continue;
        }
        let mut got: Vec<(String, u64)> = v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| {
                (
                    w["code"].as_str().unwrap().to_string(),
                    w["line"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        got.sort();
        let mut want = case.diagnostics.clone();
        want.sort();
        if got != want {
            failures.push(format!("{name}: warnings {got:?}, expected {want:?}"));
        }
        if v["record"]["kind"] != case.kind.as_str() {
            failures.push(format!("{name}: kind {}", v["record"]["kind"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn fixture_cards_round_trip_through_a_registry() {
    use umr_core::interop::hf;
    let dir = temp("fixtures");
    let reg = dir.join("reg");
    std::fs::create_dir_all(&reg).unwrap();
    let r = reg.to_str().unwrap();
    let mut imported = Vec::new();
    for case in cases().iter().filter(|c| c.kind != "-") {
        let file = case.path.to_str().unwrap();
        let out = umr(&args(
            &["import", "hf", file, "-o", r, "--format", "json"],
            case,
        ));
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let written = v["written"][0].as_str().unwrap().to_string();
        imported.push((case.path.clone(), written));
    }
    let out = umr(&["validate", r]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains(&format!("{} records checked", imported.len())));
    let limits = umr_core::Limits::default();
    for (card, written) in &imported {
        let rec = umr_core::Record::from_yaml_str(
            &std::fs::read_to_string(written).unwrap(),
            &Default::default(),
        )
        .unwrap_or_else(|e| panic!("{written}: {e}"));
        let name = rec.value()["name"].as_str().unwrap().to_string();
        let out = umr(&["export", "hf", &name, "--registry", r, "--own"]);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let exported = String::from_utf8(out.stdout).unwrap();
        let want = hf::front_matter(&std::fs::read_to_string(card).unwrap(), &limits).unwrap();
        let got = hf::front_matter(&exported, &limits).unwrap();
        assert_eq!(got, want, "{}", card.display());
        assert!(
            got.keys().eq(want.keys()),
            "{}: key order {:?}",
            card.display(),
            got.keys().collect::<Vec<_>>()
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn readme_tour_command() {
    // umr import hf tests/fixtures/hf/model-cards/heron-med-13b.md --name fernhollow/heron-med-13b
    let out = Command::new(env!("CARGO_BIN_EXE_umr"))
        .current_dir(repo())
        .args([
            "import",
            "hf",
            "tests/fixtures/hf/model-cards/heron-med-13b.md",
            "--name",
            "fernhollow/heron-med-13b",
        ])
        .output()
        .expect("run umr");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = String::from_utf8(out.stdout).unwrap();
    assert!(
        yaml.starts_with(
            "format_version: '1.0'\nkind: model\nname: fernhollow/heron-med-13b\nversion: 1.0.0\n"
        ),
        "{yaml}"
    );
    assert!(
        yaml.contains("id: LicenseRef-heron-community-licence"),
        "{yaml}"
    );
    assert!(yaml.contains("relation: finetune"), "{yaml}");
}

#[test]
fn fixture_boms_import_into_a_registry_and_export() {
    let dir = temp("boms");
    let mut boms: Vec<PathBuf> = std::fs::read_dir(fixtures().join("cyclonedx"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    boms.sort();
    assert!(boms.len() >= 5);
    for bom in &boms {
        let reg = dir.join(bom.file_stem().unwrap());
        std::fs::create_dir_all(&reg).unwrap();
        let r = reg.to_str().unwrap();
        let out = umr(&[
            "import",
            "cyclonedx",
            bom.to_str().unwrap(),
            "-o",
            r,
            "--format",
            "json",
        ]);
        assert!(
            out.status.success(),
            "{}: {}",
            bom.display(),
            String::from_utf8_lossy(&out.stdout)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let written = v["written"].as_array().unwrap();
        assert!(!written.is_empty());
        let out = umr(&["validate", r]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        for w in written {
            let rec = umr_core::Record::from_yaml_str(
                &std::fs::read_to_string(w.as_str().unwrap()).unwrap(),
                &Default::default(),
            )
            .unwrap();
            let id = rec.id();
            let out = umr(&[
                "export",
                "cyclonedx",
                &id,
                "--registry",
                r,
                "--own",
                "--spec-version",
                "1.7",
            ]);
            assert!(
                out.status.success(),
                "{id}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let bom: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(bom["specVersion"], "1.7");
            assert_eq!(bom["metadata"]["component"]["bom-ref"], id.as_str());
        }
    }
    // the warnings of a BOM are located in it
    let f = fixtures().join("cyclonedx/warnings-1.6.json");
    let out = umr(&[
        "import",
        "cyclonedx",
        f.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<(&str, u64)> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["code"].as_str().unwrap(), w["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("W_CDX_NAME", 6),
            ("W_CDX_VERSION", 15),
            ("W_CDX_METRIC", 20)
        ]
    );
    std::fs::remove_dir_all(&dir).ok();
}
