//! Interop tests over the shared corpus (`../shared/corpus` beside the checkout): every
//! well-formed Hugging Face card imports and round-trips, the malformed ones get located
//! diagnostics, the CycloneDX examples import, and the paper's chain LAION-5B → PLIP →
//! RRT-MIL exports with pedigree (CycloneDX) and trainedOn (SPDX). Schema validation of the
//! exports is in `tests/interop/test_interop.py` (Python `jsonschema`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use umr_core::interop::{cyclonedx, hf, spdx};
use umr_core::{Diagnostic, Limits, Registry, UmrError};

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!(
            "SKIPPED: corpus not found at {} (clone the shared corpus beside the checkout)",
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
    std::fs::read_to_string(p).unwrap_or_default()
}

fn opts(p: &Path) -> hf::HfImportOptions {
    hf::HfImportOptions {
        file: Some(p.display().to_string()),
        ..Default::default()
    }
}

/// Malformed cards and what they must produce: (file, error code or warning code, line).
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
fn malformed_cards_get_located_diagnostics() {
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

/// Import → export → compare front matter (every key and value, key order) and body.
fn round_trip(p: &Path, kind_dataset: bool) -> Result<(), String> {
    let text = read(p);
    let mut o = opts(p);
    if kind_dataset {
        o.kind = Some(umr_core::Kind::Dataset);
    }
    let (rec, _) = hf::import_card(&text, &o).map_err(|e| format!("import: {e}"))?;
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
    // record → card → record is stable too
    let (rec2, _) = hf::import_card(&out, &o).map_err(|e| format!("re-import: {e}"))?;
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
fn every_well_formed_model_card_imports_and_round_trips() {
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
fn every_dataset_card_imports_and_round_trips() {
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
fn card_fields_map_to_record_fields() {
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
fn edited_records_export_canonical_forms() {
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

#[test]
fn paper_chain_exports_to_cyclonedx_with_pedigree() {
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
fn paper_chain_exports_to_spdx_with_trained_on() {
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
fn every_prototype_record_exports() {
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
fn cyclonedx_examples_import() {
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
