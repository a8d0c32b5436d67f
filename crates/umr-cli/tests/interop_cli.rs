#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `umr import` / `umr export` end to end, without the shared corpus: a card imports into a
//! registry folder and exports back with the same front matter; CycloneDX and SPDX exports
//! have the expected shape; bad input exits 1 with a located error.

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
