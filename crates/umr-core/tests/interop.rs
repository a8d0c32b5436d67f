//! Interop tests, in two tiers.
//!
//! * Fixture tier (always runs): the project's own documents in `tests/fixtures` (Hugging
//!   Face model and dataset cards listed in `tests/fixtures/hf/FEATURES.tsv` with the
//!   diagnostics each must give; CycloneDX ML-BOMs in `tests/fixtures/cyclonedx`) and the
//!   example registry `examples/registry`: every card imports with exactly its listed
//!   diagnostics, every importable card round-trips (front matter, key order, body, record),
//!   the fields map as documented, the BOMs import, and the example chain LAION-5B →
//!   OpenCLIP → PathCLIP exports with pedigree (CycloneDX) and trainedOn (SPDX).
//! * Corpus tier: the same on third-party documents (`$UMR_CORPUS`, else `../shared/corpus`
//!   beside the checkout), when present; without it each corpus test prints why
//!   (`skipped: corpus tier not run: …`) and returns: its fixture-tier twin does the checking.
//!
//! Schema validation of the exports with the official validators (cyclonedx-python-lib,
//! spdx-python-model) is in `tests/interop/` (Python).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use umr_core::interop::{cyclonedx, hf, spdx};
use umr_core::{Diagnostic, Limits, Registry, UmrError};

// ------------------------------------------------------------------ paths

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

fn corpus() -> Option<PathBuf> {
    let p = match std::env::var_os("UMR_CORPUS") {
        Some(v) if !v.is_empty() => {
            let p = PathBuf::from(v);
            if p.is_absolute() {
                p
            } else {
                repo().join(p)
            }
        }
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    };
    if p.is_dir() {
        Some(p)
    } else {
        println!(
            "skipped: corpus tier not run: {} is absent (set UMR_CORPUS=DIR to run it)",
            p.display()
        );
        None
    }
}

fn cards(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn opts(p: &Path) -> hf::HfImportOptions {
    hf::HfImportOptions {
        file: Some(p.display().to_string()),
        ..Default::default()
    }
}

// ------------------------------------------------------------------ FEATURES.tsv

/// One row of `tests/fixtures/hf/FEATURES.tsv`.
#[derive(Debug, Clone)]
struct Case {
    path: PathBuf,
    /// The record kind the import gives; None when the card must not import.
    kind: Option<umr_core::Kind>,
    /// `--kind dataset` in the options column.
    force_dataset: bool,
    /// (code, line): an `E_` code is the error, `W_` codes are exactly the warnings.
    diagnostics: Vec<(String, usize)>,
}

impl Case {
    fn name(&self) -> String {
        self.path
            .strip_prefix(fixtures().join("hf"))
            .unwrap_or(&self.path)
            .display()
            .to_string()
    }
    fn error(&self) -> Option<&(String, usize)> {
        self.diagnostics.iter().find(|(c, _)| c.starts_with("E_"))
    }
    fn opts(&self) -> hf::HfImportOptions {
        let mut o = opts(&self.path);
        if self.force_dataset {
            o.kind = Some(umr_core::Kind::Dataset);
        }
        o
    }
}

fn cases() -> Vec<Case> {
    let dir = fixtures().join("hf");
    let text = read(&dir.join("FEATURES.tsv"));
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    assert_eq!(
        header,
        ["file", "kind", "options", "diagnostics", "covers"],
        "FEATURES.tsv header"
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 5, "FEATURES.tsv row: {l}");
            let kind = match cols[1] {
                "model" => Some(umr_core::Kind::Model),
                "dataset" => Some(umr_core::Kind::Dataset),
                "-" => None,
                other => panic!("FEATURES.tsv: kind {other}"),
            };
            let diagnostics = cols[3]
                .split(',')
                .map(str::trim)
                .filter(|d| !d.is_empty() && *d != "-")
                .map(|d| {
                    let (code, line) = d.split_once('@').expect("CODE@line");
                    (code.to_string(), line.parse().expect("a line number"))
                })
                .collect();
            Case {
                path: dir.join(cols[0]),
                kind,
                force_dataset: cols[2].contains("--kind dataset"),
                diagnostics,
            }
        })
        .collect()
}

fn importable() -> Vec<Case> {
    cases()
        .into_iter()
        .filter(|c| c.error().is_none())
        .collect()
}

fn fixture_record(file: &str) -> umr_core::Record {
    let case = cases()
        .into_iter()
        .find(|c| c.name() == file)
        .unwrap_or_else(|| panic!("{file} is not in FEATURES.tsv"));
    match hf::import_card(&read(&case.path), &case.opts()) {
        Ok((r, _)) => r,
        Err(e) => panic!("{file}: {e}"),
    }
}

// ------------------------------------------------------------------ fixture tier: cards

#[test]
fn features_table_lists_every_fixture_card() {
    let dir = fixtures().join("hf");
    let mut on_disk: Vec<PathBuf> = cards(&dir.join("model-cards"));
    on_disk.extend(cards(&dir.join("dataset-cards")));
    on_disk.sort();
    let mut listed: Vec<PathBuf> = cases().into_iter().map(|c| c.path).collect();
    listed.sort();
    assert_eq!(listed, on_disk);
    assert!(importable().len() >= 30);
    assert!(cases().len() - importable().len() >= 8);
}

/// Every diagnostic code the card importer can report (read from its source) and every YAML
/// error a card can hit has a fixture card, except those that need options or huge inputs
/// (tested in `card_limits_and_names` below).
#[test]
fn fixtures_cover_every_card_diagnostic() {
    let sources = [
        include_str!("../src/interop/hf/mod.rs"),
        include_str!("../src/interop/hf/fields.rs"),
        include_str!("../src/interop/hf/front.rs"),
        include_str!("../src/interop/hf/body.rs"),
        include_str!("../src/interop/hf/emit.rs"),
    ];
    let mut codes: Vec<String> = Vec::new();
    for s in sources {
        for part in s.split('"').skip(1).step_by(2) {
            if (part.starts_with("W_HF_") || part.starts_with("E_HF_"))
                && part.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                && !codes.iter().any(|c| c == part)
            {
                codes.push(part.to_string());
            }
        }
    }
    assert!(codes.len() >= 14, "{codes:?}");
    for yaml in [
        "E_YAML_SYNTAX",
        "E_DUPLICATE_KEY",
        "E_YAML_COMPLEX_KEY",
        "E_YAML_MULTI_DOC",
        "E_LIMIT_DEPTH",
    ] {
        codes.push(yaml.to_string());
    }
    let covered: Vec<String> = cases()
        .into_iter()
        .flat_map(|c| c.diagnostics.into_iter().map(|(code, _)| code))
        .collect();
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| *c != "E_HF_NAME" && !covered.contains(c))
        .collect();
    assert!(missing.is_empty(), "no fixture card reports {missing:?}");
}

#[test]
fn fixture_cards_give_exactly_the_listed_diagnostics() {
    let mut failures = Vec::new();
    for case in cases() {
        let name = case.name();
        let file = case.path.display().to_string();
        match (
            hf::import_card(&read(&case.path), &case.opts()),
            case.error(),
        ) {
            (Err(e), Some((code, line))) => {
                let d = e.diagnostics();
                let first = d.first();
                if first.map(|d| (&d.code, d.line)) != Some((code, Some(*line))) {
                    failures.push(format!("{name}: expected {code}@{line}, got {d:?}"));
                }
                if !d
                    .iter()
                    .all(|d| d.file.as_deref() == Some(&*file) && d.column.is_some())
                {
                    failures.push(format!(
                        "{name}: diagnostics not located in the file: {d:?}"
                    ));
                }
            }
            (Err(e), None) => failures.push(format!("{name}: should import: {e}")),
            (Ok(_), Some((code, line))) => {
                failures.push(format!("{name}: should fail with {code}@{line}"))
            }
            (Ok((rec, warnings)), None) => {
                let mut got: Vec<(String, usize)> = warnings
                    .iter()
                    .map(|w| (w.code.clone(), w.line.unwrap_or(0)))
                    .collect();
                got.sort();
                let mut want = case.diagnostics.clone();
                want.sort();
                if got != want {
                    failures.push(format!("{name}: warnings {got:?}, expected {want:?}"));
                }
                if !warnings
                    .iter()
                    .all(|w| w.file.as_deref() == Some(&*file) && w.column.is_some())
                {
                    failures.push(format!("{name}: warnings not located: {warnings:?}"));
                }
                if Some(rec.kind()) != case.kind {
                    failures.push(format!("{name}: kind {:?}", rec.kind()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn card_limits_and_names() {
    let small = |f: &dyn Fn(&mut Limits)| {
        let mut o = hf::HfImportOptions {
            name: Some("x".into()),
            ..Default::default()
        };
        f(&mut o.limits);
        o
    };
    let card = read(&fixtures().join("hf/model-cards/heron-med-13b.md"));
    let code =
        |o: &hf::HfImportOptions, text: &str| hf::import_card(text, o).err().map(|e| e.code());
    assert_eq!(
        code(&small(&|l| l.max_file_bytes = 1000), &card),
        Some("E_LIMIT_SIZE".into())
    );
    assert_eq!(
        code(&small(&|l| l.max_string_bytes = 100), &card),
        Some("E_LIMIT_STRING".into())
    );
    assert_eq!(
        code(&small(&|l| l.max_nodes = 50), &card),
        Some("E_LIMIT_NODES".into())
    );
    assert_eq!(code(&small(&|_| {}), &card), None);
    // no name anywhere: E_HF_NAME; a bad name or version given: E_NAME / E_SEMVER
    let bare = "---\nlicense: mit\n---\n# x\n";
    assert_eq!(
        code(&hf::HfImportOptions::default(), bare),
        Some("E_HF_NAME".into())
    );
    let o = hf::HfImportOptions {
        name: Some("not a name!".into()),
        ..Default::default()
    };
    assert_eq!(code(&o, bare), Some("E_NAME".into()));
    let o = hf::HfImportOptions {
        name: Some("x".into()),
        version: Some("one".into()),
        ..Default::default()
    };
    assert_eq!(code(&o, bare), Some("E_SEMVER".into()));
}

/// Import → export → compare front matter (every key and value, key order) and body; the
/// exported card imports back to the same record.
fn round_trip_with(p: &Path, o: &hf::HfImportOptions) -> Result<(), String> {
    let text = read(p);
    let (rec, _) = hf::import_card(&text, o).map_err(|e| format!("import: {e}"))?;
    let out = hf::export_card(rec.value()).map_err(|e| format!("export: {e}"))?;
    let limits = Limits::default();
    let a = hf::read_card(&text, &limits, None).map_err(|e| e.to_string())?;
    let b = hf::read_card(&out, &limits, None).map_err(|e| format!("re-read: {e}\n{out}"))?;
    if a.front_matter != b.front_matter {
        for (k, v) in &a.front_matter {
            if b.front_matter.get(k) != Some(v) {
                return Err(format!(
                    "key `{k}` differs:\n  was {v}\n  now {:?}",
                    b.front_matter.get(k)
                ));
            }
        }
        return Err(format!(
            "extra keys: {:?}",
            b.front_matter.keys().collect::<Vec<_>>()
        ));
    }
    let ka: Vec<&String> = a.front_matter.keys().collect();
    let kb: Vec<&String> = b.front_matter.keys().collect();
    if ka != kb {
        return Err(format!("key order differs: {ka:?} vs {kb:?}"));
    }
    if a.body != b.body {
        return Err(format!(
            "body differs\n--- was\n{}\n--- now\n{}",
            a.body, b.body
        ));
    }
    if out.contains('\r') {
        return Err("the exported card has CR line ends".into());
    }
    // record → card → record is stable too
    let (rec2, _) = hf::import_card(&out, o).map_err(|e| format!("re-import: {e}"))?;
    if rec2.value() != rec.value() {
        return Err(format!(
            "re-imported record differs:\n{}\n---\n{}",
            rec.to_yaml(),
            rec2.to_yaml()
        ));
    }
    Ok(())
}

#[test]
fn every_importable_fixture_card_round_trips() {
    let mut failures = Vec::new();
    for case in importable() {
        if let Err(e) = round_trip_with(&case.path, &case.opts()) {
            failures.push(format!("{}: {e}", case.name()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_card_unchanged_exports_byte_for_byte() {
    for file in [
        "model-cards/wren-7b-lora.md",
        "model-cards/starling-slerp-3way.md",
        "model-cards/kestrel-empty-base.md",
        "model-cards/lenient-dash-license.md",
        "model-cards/lenient-metric-percent.md",
        "dataset-cards/tidepool-qa.md",
    ] {
        let text = read(&fixtures().join("hf").join(file));
        let card = hf::export_card(fixture_record(file).value()).unwrap();
        if file.ends_with("lenient-metric-percent.md") {
            // a quoted "73.8%" stays a string; only the quoting style may differ
            assert!(
                card.contains("value: 73.8%") || card.contains("value: '73.8%'"),
                "{card}"
            );
        } else {
            assert_eq!(card, text, "{file}");
        }
    }
}

fn ups(r: &umr_core::Record) -> Vec<(String, String)> {
    r.value()["upstream"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|u| {
                    (
                        u["name"].as_str().unwrap_or_default().to_string(),
                        u["relation"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
        .collect()
}

#[test]
fn fixture_card_fields_map_to_record_fields() {
    // the tour card: base model string (finetune), datasets, other + name + link, gated keys
    let r = fixture_record("model-cards/heron-med-13b.md");
    let v = r.value();
    assert_eq!(v["name"], json!("Heron-Med-13B"));
    assert_eq!(v["title"], json!("Heron Med 13B"));
    assert_eq!(
        ups(&r),
        pairs(&[
            ("fernhollow/heron-13b", "finetune"),
            ("fernhollow/ward-dialogues", "trained_on"),
            ("fernhollow/boardexam-qa", "trained_on"),
        ])
    );
    assert_eq!(
        v["license"],
        json!({"id": "LicenseRef-heron-community-licence", "name": "heron-community-licence",
               "url": "https://example.org/fernhollow/heron/LICENSE"})
    );
    assert_eq!(v["details"]["languages"], json!(["en", "de"]));
    assert_eq!(v["details"]["library"], json!("transformers"));
    assert_eq!(v["details"]["pipeline_tag"], json!("text-generation"));
    assert_eq!(v["extensions"]["hf"]["inference"], json!(false));
    let keys: Vec<&String> = v["extensions"]["hf"]
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys[0], "extra_gated_heading");
    let evals = v["evaluations"].as_array().cloned().unwrap_or_default();
    assert_eq!(evals.len(), 5);
    assert_eq!(evals[0]["dataset_config"], json!("multiple-choice"));
    assert_eq!(evals[0]["dataset_args"], json!({"num_few_shot": 5}));
    assert_eq!(evals[0]["value"], json!(61.25));
    assert_eq!(evals[1]["verified"], json!(false));
    assert_eq!(evals[3]["task"], json!("question-answering"));
    assert_eq!(evals[4]["metric_args"], json!({"threshold": 0.5}));
    assert_eq!(
        v["card"]["intended_use"]
            .as_str()
            .map(|s| s.starts_with("Drafting answers")),
        Some(true)
    );
    assert!(v["card"]["training_data"]
        .as_str()
        .is_some_and(|s| s.contains("# this line is inside a fence")));
    // relations: adapter, quantized (one-item list), merge (two bases, none said), explicit
    let r = fixture_record("model-cards/wren-7b-lora.md");
    assert_eq!(
        ups(&r),
        pairs(&[
            ("fernhollow/wren-7b", "adapter"),
            ("fernhollow/recipe-steps", "trained_on")
        ])
    );
    assert_eq!(r.value()["license"], json!("Apache-2.0"));
    let r = fixture_record("model-cards/wren-7b-q4.md");
    assert_eq!(ups(&r), pairs(&[("fernhollow/wren-7b", "quantized")]));
    assert_eq!(r.value()["name"], json!("Wren-7B-Q4"));
    assert_eq!(r.value()["license"]["id"], json!("LicenseRef-llama3.1"));
    let r = fixture_record("model-cards/starling-merge-9b.md");
    assert_eq!(
        ups(&r),
        pairs(&[
            ("fernhollow/starling-4b-chat", "merge"),
            ("fernhollow/starling-4b-code", "merge")
        ])
    );
    assert_eq!(r.value()["evaluations"].as_array().map(Vec::len), Some(4));
    let r = fixture_record("model-cards/starling-slerp-3way.md");
    assert_eq!(ups(&r).len(), 3);
    assert!(ups(&r).iter().all(|(_, k)| k == "merge"));
    assert!(r.value().get("title").is_none());
    let r = fixture_record("model-cards/kestrel-asr-small.md");
    assert_eq!(
        ups(&r)[0],
        ("fernhollow/kestrel-asr-base".into(), "finetune".into())
    );
    assert_eq!(
        r.value()["details"]["co2_eq_emissions"]["emissions"],
        json!(42.5)
    );
    assert_eq!(r.value()["license"], json!("CC-BY-NC-SA-4.0"));
    let r = fixture_record("model-cards/kestrel-empty-base.md");
    assert!(r.value().get("upstream").is_none());
    assert_eq!(r.value()["license"], json!("MIT"));
    assert_eq!(
        r.value()["extensions"]["hf_card"]["original"]["base_model"],
        json!([])
    );
    // licence forms
    for (file, want) in [
        (
            "model-cards/licence-other-alone.md",
            json!({"id": "LicenseRef-other", "name": "Other"}),
        ),
        (
            "model-cards/licence-unknown.md",
            json!({"id": "LicenseRef-unknown", "name": "Unknown"}),
        ),
        (
            "model-cards/licence-family-bsd.md",
            json!({"id": "LicenseRef-bsd", "name": "BSD license family"}),
        ),
        ("model-cards/licence-gpl-3.md", json!("GPL-3.0")),
        (
            "model-cards/licence-relative-link.md",
            json!({"id": "LicenseRef-tern-research-licence", "name": "tern-research-licence"}),
        ),
        (
            "model-cards/licence-name-only.md",
            json!({"id": "LicenseRef-plover-data-terms", "name": "plover-data-terms",
                   "url": "https://example.org/plover/terms"}),
        ),
        (
            "model-cards/lenient-licence-not-listed.md",
            json!("LicenseRef-fernhollow-special-1.0"),
        ),
        (
            "dataset-cards/tidepool-qa.md",
            json!("CC-BY-SA-3.0 AND LicenseRef-gfdl"),
        ),
        ("dataset-cards/marsh-speech.md", json!("CC0-1.0")),
        (
            "dataset-cards/reed-captions.md",
            json!({"id": "LicenseRef-unknown", "name": "Unknown"}),
        ),
    ] {
        assert_eq!(fixture_record(file).value()["license"], want, "{file}");
    }
    assert_eq!(
        fixture_record("model-cards/licence-hub-id-llama2.md").value()["license"]["name"],
        json!("Llama 2 Community License Agreement")
    );
    assert_eq!(
        fixture_record("model-cards/ibis-keys-kept.md").value()["license"]["id"],
        json!("LicenseRef-openrail-plus-plus")
    );
    // unknown keys are kept, in order
    let r = fixture_record("model-cards/ibis-keys-kept.md");
    let keys: Vec<&String> = r.value()["extensions"]["hf"]
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        [
            "new_version",
            "thumbnail",
            "widget",
            "deployment",
            "release_stage",
            "reviewers",
            "internal_score"
        ]
    );
    // dataset cards: source_datasets → derived_from (original skipped), title, sections
    let r = fixture_record("dataset-cards/tidepool-qa.md");
    assert_eq!(
        ups(&r),
        pairs(&[("fernhollow/shore-articles", "derived_from")])
    );
    let r = fixture_record("dataset-cards/marsh-speech.md");
    assert_eq!(r.kind(), umr_core::Kind::Dataset);
    assert_eq!(r.value()["title"], json!("Marsh Speech"));
    assert!(r.value().get("upstream").is_none());
    assert!(r.value()["card"]["limitations"].is_string());
    // lenient readings
    let r = fixture_record("model-cards/lenient-metric-percent.md");
    let values: Vec<Value> = r.value()["evaluations"]
        .as_array()
        .map(|a| a.iter().map(|e| e["value"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(values, [json!("73.8%"), json!("B+"), json!(0.5)]);
    let r = fixture_record("model-cards/lenient-base-model-names.md");
    assert_eq!(r.value()["name"], json!("fernhollow/plover-3b"));
    assert_eq!(
        ups(&r),
        pairs(&[
            ("fernhollow/plover-3b-draft", "merge"),
            ("fernhollow/plover-1b", "merge")
        ])
    );
    let r = fixture_record("model-cards/lenient-dash-license.md");
    assert!(r.value().get("license").is_none());
    assert!(r.value()["extensions"]["hf"]["-license"].is_string());
}

#[test]
fn malformed_card_help_texts() {
    let warnings = |file: &str| -> Vec<Diagnostic> {
        let p = fixtures().join("hf").join(file);
        hf::import_card(&read(&p), &opts(&p)).unwrap().1
    };
    let w = warnings("model-cards/lenient-metric-percent.md");
    assert!(
        w[0].help
            .as_deref()
            .is_some_and(|h| h.contains("write `73.8`")),
        "{w:?}"
    );
    let w = warnings("model-cards/lenient-base-model-space.md");
    assert_eq!(w[0].help.as_deref(), Some("did you mean `base_model`?"));
    assert_eq!(w[1].help.as_deref(), Some("did you mean `pipeline_tag`?"));
    let w = warnings("model-cards/lenient-dash-license.md");
    assert_eq!(w[0].help.as_deref(), Some("did you mean `license`?"));
}

#[test]
fn edited_fixture_records_export_canonical_forms() {
    // `language: en` (a string) comes back as a string while unchanged …
    let r = fixture_record("model-cards/wren-7b-lora.md");
    let card = hf::export_card(r.value()).unwrap();
    assert!(card.contains("language: en\n"), "{card}");
    // … and as a list once the languages change; a changed relation is written
    let mut v = r.value().clone();
    v["details"]["languages"] = json!(["en", "de"]);
    v["upstream"][0]["relation"] = json!("finetune");
    let card = hf::export_card(&v).unwrap();
    assert!(card.contains("language:\n- en\n- de\n"), "{card}");
    assert!(card.contains("base_model: fernhollow/wren-7b\n"), "{card}");
    assert!(!card.contains("base_model_relation"), "{card}");
    // a licence list [mit] stays a list while unchanged, canonical once changed
    let r = fixture_record("model-cards/kestrel-empty-base.md");
    let card = hf::export_card(r.value()).unwrap();
    assert!(card.contains("license:\n- mit\n"), "{card}");
    let mut v = r.value().clone();
    v["license"] = json!("Apache-2.0");
    let card = hf::export_card(&v).unwrap();
    assert!(card.contains("license: apache-2.0\n"), "{card}");
}

// ------------------------------------------------------------------ fixture tier: CycloneDX

fn bom_records(file: &str) -> (Vec<umr_core::Record>, Vec<Diagnostic>) {
    let p = fixtures().join("cyclonedx").join(file);
    let o = cyclonedx::CdxImportOptions {
        file: Some(p.display().to_string()),
        ..Default::default()
    };
    cyclonedx::import(&read(&p), &o).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn fixture_boms_import() {
    let (recs, w) = bom_records("ml-bom-1.6.json");
    assert!(w.is_empty(), "{w:?}");
    let names: Vec<String> = recs.iter().map(|r| r.value()["name"].to_string()).collect();
    assert_eq!(
        names,
        [
            "\"fernhollow/heron-med-13b\"",
            "\"fernhollow/ward-dialogues\""
        ]
    );
    let v = recs[0].value();
    assert_eq!(v["version"], json!("2.1.0"));
    assert_eq!(v["kind"], json!("model"));
    assert_eq!(
        v["upstream"],
        json!([
            {"name": "fernhollow/ward-dialogues", "relation": "trained_on"},
            {"name": "fernhollow/boardexam-qa", "relation": "trained_on"},
            {"name": "fernhollow/heron-13b", "relation": "derived_from"}
        ])
    );
    assert_eq!(v["details"]["pipeline_tag"], json!("text-generation"));
    assert_eq!(v["details"]["model_type"], json!("transformer"));
    assert_eq!(v["card"]["limitations"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["evaluations"][0]["value"], json!(0.6125));
    assert_eq!(
        v["evaluations"][0]["metric_args"]["confidence_interval"]["lowerBound"],
        json!("0.59")
    );
    assert_eq!(v["evaluations"][2]["value"], json!("low"));
    assert!(
        v["extensions"]["cyclonedx"]["modelCard"]["considerations"]["fairnessAssessments"]
            .is_array()
    );
    assert_eq!(recs[1].kind(), umr_core::Kind::Dataset);
    assert_eq!(
        recs[1].value()["license"]["id"],
        json!("LicenseRef-Ward-Dialogues-Research-Terms")
    );

    let (recs, _) = bom_records("ml-bom-1.7.json");
    assert_eq!(recs.len(), 2);
    let v = recs[0].value();
    assert_eq!(v["name"], json!("fernhollow/kestrel-asr-small"));
    assert_eq!(v["version"], json!("3.0.0"));
    assert_eq!(
        v["license"],
        json!("CC-BY-NC-SA-4.0 OR LicenseRef-fernhollow-commercial")
    );
    assert_eq!(
        v["upstream"],
        json!([{"name": "marsh-speech", "relation": "trained_on"}])
    );

    let (recs, _) = bom_records("ml-bom-1.5.json");
    assert_eq!(
        recs[0].value()["license"],
        json!("MIT AND LicenseRef-Wren-Acceptable-Use-Policy")
    );
    assert_eq!(
        recs[0].value()["references"],
        json!(["https://example.org/git/wren"])
    );

    let (recs, _) = bom_records("data-component-1.6.json");
    assert_eq!(recs[0].kind(), umr_core::Kind::Dataset);
    assert_eq!(recs[0].value()["version"], json!("2024.1.0"));

    let (recs, w) = bom_records("warnings-1.6.json");
    assert_eq!(recs.len(), 1);
    let got: Vec<(String, Option<usize>)> = w.iter().map(|d| (d.code.clone(), d.line)).collect();
    assert_eq!(
        got,
        [
            ("W_CDX_NAME".to_string(), Some(6)),
            ("W_CDX_VERSION".to_string(), Some(15)),
            ("W_CDX_METRIC".to_string(), Some(20))
        ]
    );
}

/// Card → record → CycloneDX → record keeps what both formats hold.
#[test]
fn card_to_cyclonedx_and_back() {
    let rec = fixture_record("model-cards/heron-med-13b.md");
    for v in [cyclonedx::CdxVersion::V1_6, cyclonedx::CdxVersion::V1_7] {
        let o = cyclonedx::CdxOptions {
            spec_version: v,
            ..Default::default()
        };
        let bom = cyclonedx::export_record(rec.value(), &o).unwrap();
        let (back, w) = cyclonedx::import(&bom.to_string(), &Default::default()).unwrap();
        assert!(w.is_empty(), "{w:?}");
        let b = back[0].value();
        let a = rec.value();
        for k in ["name", "version", "kind", "description", "tags"] {
            assert_eq!(b[k], a[k], "{k}");
        }
        assert_eq!(b["license"]["id"], a["license"]["id"]);
        assert_eq!(b["details"]["pipeline_tag"], a["details"]["pipeline_tag"]);
        assert_eq!(
            b["evaluations"].as_array().map(Vec::len),
            a["evaluations"].as_array().map(Vec::len)
        );
        let trained: Vec<&Value> = b["upstream"]
            .as_array()
            .map(|u| {
                u.iter()
                    .filter(|x| x["relation"] == json!("trained_on"))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(trained.len(), 2);
    }
}

// ------------------------------------------------------------------ fixture tier: the example registry

fn examples() -> Registry {
    match Registry::open(&[repo().join("examples/registry")], &Limits::default()) {
        Ok((r, _)) => r,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn example_chain_exports_to_cyclonedx_with_pedigree() {
    let reg = examples();
    let o = cyclonedx::CdxOptions {
        lineage: true,
        ..Default::default()
    };
    let bom = cyclonedx::export(&reg, "acme/path-clip", &o).unwrap_or_else(|e| panic!("{e}"));
    let root = &bom["metadata"]["component"];
    assert_eq!(root["bom-ref"], json!("acme/path-clip@1.0.0"));
    assert_eq!(root["type"], json!("machine-learning-model"));
    assert_eq!(
        root["pedigree"]["ancestors"][0]["bom-ref"],
        json!("openclip-vit-b32@1.0.0")
    );
    let laion = find(&bom, &|x| x["bom-ref"] == json!("laion-5b@1.0.0"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(laion["type"], json!("data"));
    assert!(laion["data"][0]["sensitiveData"]
        .as_array()
        .is_some_and(|a| a.contains(&json!("csam"))));
    let deps = bom["dependencies"].as_array().cloned().unwrap_or_default();
    let on = |r: &str| -> Vec<Value> {
        deps.iter()
            .find(|d| d["ref"] == json!(r))
            .and_then(|d| d["dependsOn"].as_array().cloned())
            .unwrap_or_default()
    };
    assert_eq!(on("openclip-vit-b32@1.0.0"), [json!("laion-5b@1.0.0")]);
    assert_eq!(
        on("acme/path-clip@1.0.0"),
        [json!("openclip-vit-b32@1.0.0")]
    );
    let ethical = root["modelCard"]["considerations"]["ethicalConsiderations"].to_string();
    assert!(
        ethical.contains("csam") && ethical.contains("laion-5b@1.0.0"),
        "{ethical}"
    );
    let mut refs = Vec::new();
    collect_refs(&bom, &mut refs);
    let n = refs.len();
    refs.sort();
    refs.dedup();
    assert_eq!(n, refs.len());
}

#[test]
fn example_chain_exports_to_spdx_with_trained_on() {
    let reg = examples();
    let o = spdx::SpdxOptions {
        lineage: true,
        created: Some("2024-01-01T00:00:00Z".into()),
        ..Default::default()
    };
    let doc = spdx::export(&reg, "acme/path-clip", &o).unwrap_or_else(|e| panic!("{e}"));
    let graph = doc["@graph"].as_array().cloned().unwrap_or_default();
    let rel = |ty: &str, from: &str, to: &str| {
        graph.iter().any(|e| {
            e["type"] == json!("Relationship")
                && e["relationshipType"] == json!(ty)
                && e["from"] == json!(from)
                && e["to"].as_array().is_some_and(|t| t.contains(&json!(to)))
        })
    };
    assert!(rel(
        "trainedOn",
        "urn:umr:record:openclip-vit-b32:1.0.0",
        "urn:umr:record:laion-5b:1.0.0"
    ));
    assert!(rel(
        "descendantOf",
        "urn:umr:record:acme/path-clip:1.0.0",
        "urn:umr:record:openclip-vit-b32:1.0.0"
    ));
    let kinds: Vec<&str> = graph.iter().filter_map(|e| e["type"].as_str()).collect();
    assert!(kinds.contains(&"ai_AIPackage") && kinds.contains(&"dataset_DatasetPackage"));
    assert!(graph.iter().any(|e| e["type"] == json!("Annotation")
        && e["statement"].as_str().is_some_and(|s| s.contains("csam"))));
    let ids: Vec<&str> = graph.iter().filter_map(|e| e["spdxId"].as_str()).collect();
    for e in &graph {
        if e["type"] == json!("Relationship") {
            for t in e["to"].as_array().into_iter().flatten() {
                assert!(ids.contains(&t.as_str().unwrap_or_default()), "{t}");
            }
        }
    }
}

#[test]
fn every_example_record_exports() {
    let reg = examples();
    let mut failures = Vec::new();
    let mut n = 0;
    for r in reg.records() {
        n += 1;
        let id = r.id();
        for lineage in [false, true] {
            let co = cyclonedx::CdxOptions {
                lineage,
                ..Default::default()
            };
            if let Err(e) = cyclonedx::export(&reg, &id, &co) {
                failures.push(format!("{id} cyclonedx: {e}"));
            }
            let so = spdx::SpdxOptions {
                lineage,
                ..Default::default()
            };
            if let Err(e) = spdx::export(&reg, &id, &so) {
                failures.push(format!("{id} spdx: {e}"));
            }
        }
        // the effective card reads back without warnings
        match hf::export_from_registry(&reg, &id, true) {
            Ok(card) => {
                let o = hf::HfImportOptions {
                    name: Some(r.value()["name"].as_str().unwrap_or("x").to_string()),
                    ..Default::default()
                };
                match hf::import_card(&card, &o) {
                    Ok((_, w)) if w.is_empty() => {}
                    Ok((_, w)) => failures.push(format!("{id} hf: warnings {w:?}")),
                    Err(e) => failures.push(format!("{id} hf re-import: {e}")),
                }
            }
            Err(e) => failures.push(format!("{id} hf: {e}")),
        }
    }
    assert!(n >= 10, "{n} records");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn find<'a>(v: &'a Value, pred: &dyn Fn(&Value) -> bool) -> Option<&'a Value> {
    if pred(v) {
        return Some(v);
    }
    match v {
        Value::Object(m) => m.values().find_map(|x| find(x, pred)),
        Value::Array(a) => a.iter().find_map(|x| find(x, pred)),
        _ => None,
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("bom-ref") {
                out.push(r.clone());
            }
            for x in m.values() {
                collect_refs(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

#[test]
fn record_to_card_and_back_keeps_mapped_fields() {
    let v = json!({
        "format_version": "1.0", "kind": "model", "name": "acme/tiny", "version": "1.2.0",
        "title": "Tiny", "description": "A tiny model.",
        "license": "Apache-2.0", "tags": ["tiny"],
        "upstream": [
            {"name": "acme/base", "relation": "adapter"},
            {"name": "acme/data", "relation": "trained_on"}
        ],
        "details": {"languages": ["en", "fr"], "library": "peft", "pipeline_tag": "text-generation"},
        "card": {"intended_use": "Demos.", "limitations": ["Small.", "Slow."]},
        "evaluations": [
            {"task": "text-generation", "dataset": "acme/bench", "dataset_name": "Bench",
             "metric": "accuracy", "value": 0.5}
        ]
    });
    let card = hf::export_card(&v).unwrap_or_default();
    assert!(
        card.starts_with("---\nlanguage:\n- en\n- fr\nlicense: apache-2.0\n"),
        "{card}"
    );
    assert!(
        card.contains("base_model: acme/base\nbase_model_relation: adapter\n"),
        "{card}"
    );
    assert!(card.contains("## Direct Use\n\nDemos.\n"), "{card}");
    let (back, _) = hf::import_card(
        &card,
        &hf::HfImportOptions {
            name: Some("acme/tiny".into()),
            version: Some("1.2.0".into()),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let b = back.value();
    for k in [
        "license",
        "tags",
        "upstream",
        "evaluations",
        "title",
        "description",
    ] {
        assert_eq!(b[k], v[k], "{k}");
    }
    assert_eq!(b["details"]["languages"], v["details"]["languages"]);
    assert_eq!(b["card"]["intended_use"], v["card"]["intended_use"]);
    assert_eq!(b["card"]["limitations"], json!("- Small.\n- Slow."));
}

#[test]
fn import_errors_are_clear() {
    let e = hf::import_card("---\na: [1\n---\n", &hf::HfImportOptions::default()).err();
    let d = e.as_ref().map(UmrError::diagnostics).unwrap_or(&[]);
    assert!(
        d.first().is_some_and(|d| d.line.is_some_and(|l| l >= 2)),
        "{d:?}"
    );
    let e = hf::import_card("---\nlicense: mit\n---\n", &hf::HfImportOptions::default()).err();
    assert_eq!(e.map(|e| e.code()), Some("E_HF_NAME".to_string()));
    let e = cyclonedx::import("{\"bomFormat\": \"SPDX\"}", &Default::default()).err();
    assert_eq!(e.map(|e| e.code()), Some("E_CDX_FORMAT".to_string()));
    let e = cyclonedx::import("{", &Default::default()).err();
    assert_eq!(e.map(|e| e.code()), Some("E_JSON_SYNTAX".to_string()));
}

#[test]
fn options_deserialise_with_core_defaults() {
    let o: cyclonedx::CdxOptions =
        serde_json::from_value(json!({"spec_version": "1.7", "lineage": true})).unwrap();
    assert_eq!(o.spec_version, cyclonedx::CdxVersion::V1_7);
    assert!(o.lineage && o.effective && o.timestamp.is_none());
    let o: spdx::SpdxOptions = serde_json::from_value(json!({})).unwrap();
    assert_eq!(o.namespace, "urn:umr:");
    let o: hf::HfImportOptions =
        serde_json::from_value(json!({"name": "org/x", "kind": "dataset"})).unwrap();
    assert_eq!(o.kind, Some(umr_core::Kind::Dataset));
    assert!(serde_json::from_value::<hf::HfImportOptions>(json!({"nmae": "x"})).is_err());
}

// ------------------------------------------------------------------ corpus tier

/// Malformed cards of the corpus and what they must produce: (file, error code or warning code, line).
const MALFORMED: &[(&str, &str, usize)] = &[
    (
        "hf_hub-fixture__sample_invalid_card_data.md",
        "E_HF_FRONT_MATTER_TYPE",
        2,
    ),
    (
        "leliuga__llama2-7b-chat-codeCherryPop-qLoRA.md",
        "E_HF_UNCLOSED_FRONT_MATTER",
        1,
    ),
    (
        "hf_hub-fixture__sample_no_metadata.md",
        "W_HF_NO_FRONT_MATTER",
        1,
    ),
    (
        "leliuga__CAMEL-13B-Role-Playing-Data.md",
        "W_HF_NO_FRONT_MATTER",
        1,
    ),
    (
        "hf_hub-fixture__sample_windows_line_breaks.md",
        "W_HF_CRLF",
        1,
    ),
    (
        "leliuga__Phind-CodeLlama-34B-v2.md",
        "W_HF_METRIC_VALUE",
        14,
    ),
    ("leliuga__LMCocktail-phi-2-v1.md", "W_HF_KEY", 2),
    ("leliuga__Sensualize-Mixtral.md", "W_HF_KEY", 5),
    ("leliuga__KAI-7B-Instruct.md", "W_HF_YAML_INDENT", 13),
    (
        "cs236-diffusers-fork__logo-output-gpt_gen_desc_logos.md",
        "W_HF_LEADING_BLANK",
        1,
    ),
    (
        "hf_hub-fixture__sample_invalid_model_index.md",
        "W_HF_MODEL_INDEX",
        15,
    ),
];

fn has(d: &[Diagnostic], code: &str, line: usize) -> bool {
    d.iter()
        .any(|x| x.code == code && x.line == Some(line) && x.column.is_some())
}

#[test]
fn corpus_malformed_cards_get_located_diagnostics() {
    let Some(c) = corpus() else { return };
    let dir = c.join("hf-model-cards");
    for (file, code, line) in MALFORMED {
        let p = dir.join(file);
        let r = hf::import_card(&read(&p), &opts(&p));
        let diags: Vec<Diagnostic> = match &r {
            Ok((_, w)) => w.clone(),
            Err(e) => e.diagnostics().to_vec(),
        };
        assert!(
            has(&diags, code, *line),
            "{file}: expected {code} at line {line}, got {diags:#?}"
        );
        if code.starts_with("E_") {
            assert!(r.is_err(), "{file} should not import");
            assert!(diags
                .iter()
                .all(|d| d.file.as_deref() == Some(&*p.display().to_string())));
        } else {
            assert!(r.is_ok(), "{file} should import leniently: {:?}", r.err());
        }
    }
}

fn round_trip(p: &Path, kind_dataset: bool) -> Result<(), String> {
    let mut o = opts(p);
    if kind_dataset {
        o.kind = Some(umr_core::Kind::Dataset);
    }
    round_trip_with(p, &o)
}

#[test]
fn corpus_every_well_formed_model_card_imports_and_round_trips() {
    let Some(c) = corpus() else { return };
    let mut n = 0;
    let mut failures = Vec::new();
    for p in cards(&c.join("hf-model-cards")) {
        let name = p
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if MALFORMED
            .iter()
            .any(|(f, code, _)| *f == name && code.starts_with("E_"))
        {
            continue;
        }
        n += 1;
        if let Err(e) = round_trip(&p, false) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(n >= 40, "only {n} cards");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn corpus_every_dataset_card_imports_and_round_trips() {
    let Some(c) = corpus() else { return };
    let mut failures = Vec::new();
    let all = cards(&c.join("hf-dataset-cards"));
    assert!(all.len() >= 10);
    for p in all {
        let (rec, _) = match hf::import_card(&read(&p), &opts(&p)) {
            Ok(x) => x,
            Err(e) => {
                failures.push(format!("{}: {e}", p.display()));
                continue;
            }
        };
        assert_eq!(rec.kind(), umr_core::Kind::Dataset, "{}", p.display());
        if let Err(e) = round_trip(&p, true) {
            failures.push(format!("{}: {e}", p.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn import(c: &Path, file: &str) -> umr_core::Record {
    let p = c.join("hf-model-cards").join(file);
    match hf::import_card(&read(&p), &opts(&p)) {
        Ok((r, _)) => r,
        Err(e) => panic!("{file}: {e}"),
    }
}

#[test]
fn corpus_card_fields_map_to_record_fields() {
    let Some(c) = corpus() else { return };
    // base_model string + relation quantized, datasets, licence, language
    let r = import(&c, "bh-sentinel__hf_card_template.md");
    let v = r.value();
    assert_eq!(v["license"], json!("MIT"));
    assert_eq!(
        v["upstream"][0],
        json!({"name": "FacebookAI/roberta-large-mnli", "relation": "quantized"})
    );
    assert_eq!(
        v["upstream"][1],
        json!({"name": "multi_nli", "relation": "trained_on"})
    );
    assert_eq!(v["details"]["languages"], json!(["en"]));
    assert_eq!(v["details"]["library"], json!("transformers"));
    assert_eq!(
        v["details"]["pipeline_tag"],
        json!("zero-shot-classification")
    );
    assert_eq!(v["extensions"]["hf"]["inference"], json!(false));
    // a list of two bases without relation is a merge; llama2 licence
    let r = import(&c, "leliuga__Dr_Samantha-7B.md");
    let v = r.value();
    assert_eq!(v["upstream"][0]["relation"], json!("merge"));
    assert_eq!(v["upstream"][1]["relation"], json!("merge"));
    assert_eq!(v["license"]["id"], json!("LicenseRef-llama2"));
    assert_eq!(v["title"], json!("Dr_Samantha-7b"));
    // model-index → evaluations
    let evals = v["evaluations"].as_array().map(Vec::len).unwrap_or(0);
    assert!(evals >= 6, "{evals}");
    assert_eq!(v["evaluations"][0]["task"], json!("text-generation"));
    assert_eq!(v["evaluations"][0]["dataset"], json!("ai2_arc"));
    assert_eq!(
        v["evaluations"][0]["dataset_config"],
        json!("ARC-Challenge")
    );
    assert_eq!(
        v["evaluations"][0]["dataset_args"],
        json!({"num_few_shot": 25})
    );
    assert_eq!(v["evaluations"][0]["metric"], json!("acc_norm"));
    assert_eq!(v["evaluations"][0]["value"], json!(53.84));
    // other + license_name + license_link
    let r = import(&c, "leliuga__Yi-34B-200K-DARE-megamerge-v8.md");
    assert_eq!(
        r.value()["license"],
        json!({"id": "LicenseRef-yi-license", "name": "yi-license", "url": "https://huggingface.co/01-ai/Yi-34B/blob/main/LICENSE"})
    );
    // gating keys stay in extensions.hf, in order
    let r = import(&c, "leliuga__med42-70B.md");
    let keys: Vec<&String> = r.value()["extensions"]["hf"]
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys[0], "extra_gated_heading");
    // body sections → card sections
    let r = import(&c, "bh-sentinel__hf_card_template.md");
    assert!(r.value()["card"].as_object().is_some_and(|m| !m.is_empty()));
}

#[test]
fn corpus_edited_records_export_canonical_forms() {
    let Some(c) = corpus() else { return };
    // `language: en` (string) comes back as a string while unchanged …
    let r = import(&c, "hf_hub-fixture__sample_simple_model_index.md");
    let card = hf::export_card(r.value()).unwrap_or_default();
    assert!(card.contains("language: en\n"), "{card}");
    // … and as a list once the languages change
    let mut v = r.value().clone();
    v["details"]["languages"] = json!(["en", "de"]);
    let card = hf::export_card(&v).unwrap_or_default();
    assert!(card.contains("language:\n- en\n- de\n"), "{card}");
}

fn poc_registry(c: &Path) -> Registry {
    match Registry::open(&[c.join("modelrecords-poc")], &Limits::default()) {
        Ok((r, _)) => r,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn corpus_paper_chain_exports_to_cyclonedx_with_pedigree() {
    let Some(c) = corpus() else { return };
    let reg = poc_registry(&c);
    let o = cyclonedx::CdxOptions {
        lineage: true,
        ..Default::default()
    };
    let bom = cyclonedx::export(&reg, "rrt-mil", &o).unwrap_or_else(|e| panic!("{e}"));
    let root = &bom["metadata"]["component"];
    assert_eq!(root["name"], json!("rrt-mil"));
    assert_eq!(root["type"], json!("machine-learning-model"));
    let plip = &root["pedigree"]["ancestors"][0];
    assert_eq!(
        plip["name"],
        json!("plip"),
        "{}",
        serde_json::to_string_pretty(root).unwrap_or_default()
    );
    // PLIP's ancestry nests CLIP; its training data is referenced from its model card
    assert!(plip["pedigree"]["ancestors"]
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x["name"] == json!("clip"))));
    let ds = plip["modelCard"]["modelParameters"]["datasets"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        ds.iter().any(|d| d["ref"] == json!("laion-5b@1.0.0")),
        "{ds:?}"
    );
    // LAION-5B is a data component with its risks
    let laion = find(&bom, &|x| x["bom-ref"] == json!("laion-5b@1.0.0"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(laion["type"], json!("data"));
    assert!(laion["data"][0]["sensitiveData"]
        .as_array()
        .is_some_and(|a| a.contains(&json!("csam"))));
    // dependencies: plip depends on laion-5b; rrt-mil on plip
    let deps = bom["dependencies"].as_array().cloned().unwrap_or_default();
    let on = |r: &str| -> Vec<Value> {
        deps.iter()
            .find(|d| d["ref"] == json!(r))
            .and_then(|d| d["dependsOn"].as_array().cloned())
            .unwrap_or_default()
    };
    assert!(on("plip@1.0.0").contains(&json!("laion-5b@1.0.0")));
    assert!(on("rrt-mil@1.0.0").contains(&json!("plip@1.0.0")));
    // the alert reaches RRT-MIL
    let ethical = root["modelCard"]["considerations"]["ethicalConsiderations"].to_string();
    assert!(
        ethical.contains("csam") && ethical.contains("laion-5b@1.0.0"),
        "{ethical}"
    );
    // every bom-ref is unique
    let mut refs = Vec::new();
    collect_refs(&bom, &mut refs);
    let n = refs.len();
    refs.sort();
    refs.dedup();
    assert_eq!(n, refs.len());
}

#[test]
fn corpus_paper_chain_exports_to_spdx_with_trained_on() {
    let Some(c) = corpus() else { return };
    let reg = poc_registry(&c);
    let o = spdx::SpdxOptions {
        lineage: true,
        created: Some("2024-01-01T00:00:00Z".into()),
        ..Default::default()
    };
    let doc = spdx::export(&reg, "rrt-mil", &o).unwrap_or_else(|e| panic!("{e}"));
    let graph = doc["@graph"].as_array().cloned().unwrap_or_default();
    let rel = |ty: &str, from: &str, to: &str| {
        graph.iter().any(|e| {
            e["type"] == json!("Relationship")
                && e["relationshipType"] == json!(ty)
                && e["from"] == json!(from)
                && e["to"].as_array().is_some_and(|t| t.contains(&json!(to)))
        })
    };
    assert!(rel(
        "trainedOn",
        "urn:umr:record:plip:1.0.0",
        "urn:umr:record:laion-5b:1.0.0"
    ));
    assert!(rel(
        "ancestorOf",
        "urn:umr:record:plip:1.0.0",
        "urn:umr:record:rrt-mil:1.0.0"
    ));
    let kinds: Vec<&str> = graph.iter().filter_map(|e| e["type"].as_str()).collect();
    assert!(kinds.contains(&"ai_AIPackage") && kinds.contains(&"dataset_DatasetPackage"));
    assert!(graph.iter().any(|e| e["type"] == json!("Annotation")
        && e["statement"].as_str().is_some_and(|s| s.contains("csam"))));
}

#[test]
fn corpus_every_prototype_record_exports() {
    let Some(c) = corpus() else { return };
    let reg = poc_registry(&c);
    let mut failures = Vec::new();
    for r in reg.records() {
        let id = r.id();
        let lin = cyclonedx::CdxOptions {
            lineage: true,
            ..Default::default()
        };
        if let Err(e) = cyclonedx::export(&reg, &id, &lin) {
            failures.push(format!("{id} cyclonedx: {e}"));
        }
        let so = spdx::SpdxOptions {
            lineage: true,
            ..Default::default()
        };
        if let Err(e) = spdx::export(&reg, &id, &so) {
            failures.push(format!("{id} spdx: {e}"));
        }
        match hf::export_from_registry(&reg, &id, true) {
            Ok(card) => {
                if let Err(e) = hf::read_card(&card, &Limits::default(), None) {
                    failures.push(format!("{id} hf: {e}"));
                }
            }
            Err(e) => failures.push(format!("{id} hf: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_cyclonedx_examples_import() {
    let Some(c) = corpus() else { return };
    let dir = c.join("cyclonedx/examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    assert!(files.len() >= 6);
    for p in files {
        let o = cyclonedx::CdxImportOptions {
            file: Some(p.display().to_string()),
            ..Default::default()
        };
        let (recs, _) =
            cyclonedx::import(&read(&p), &o).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(!recs.is_empty(), "{}", p.display());
        let name = p
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with("valid-machine-learning-1.6") {
            let v = recs[0].value();
            assert_eq!(v["name"], json!("CompVis/stable-diffusion"));
            assert_eq!(v["version"], json!("1.4.0"));
            assert_eq!(v["kind"], json!("model"));
            assert_eq!(
                v["evaluations"][0]["metric"],
                json!("The type of performance metric")
            );
            assert!(v["card"]["limitations"].is_array());
            assert_eq!(v["upstream"][0]["relation"], json!("trained_on"));
        }
        if name.starts_with("valid-component-data") {
            assert_eq!(recs[0].kind(), umr_core::Kind::Dataset);
        }
    }
}
