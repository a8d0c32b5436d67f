//! What the Rust core answers for the inputs of the WebAssembly parity test
//! (`tests/wasm/parity.test.cjs`), as one JSON document on stdout. The test computes the
//! same with the built package and requires identical results.
//!
//! ```text
//! cargo run -q -p umr-wasm --example parity -- tests/vectors examples/registry
//! ```
//!
//! For every vector: every diagnostic (all fields), and the record's canonical YAML and
//! JSON, its HTML, Markdown and SVG renderings, or the error data. For the registry folder
//! (files read in sorted path order, named by their path as given): every record's
//! resolution (effective JSON and provenance, or the error), lineage in every format
//! (SVG included), HTML and Markdown renderings, Hugging Face card export, transparency
//! scores, risks, affected records, the lock, and the diff and required bump between
//! consecutive versions of each name; and the transparency editions.

use serde_json::{json, Map, Value};
use std::error::Error;
use std::path::{Path, PathBuf};
use umr_core::render::svg::{self, SvgOptions};
use umr_core::render::view::Graph;
use umr_core::render::{self, html, markdown, View};
use umr_core::{check_text, LoadOptions, Record, Registry, Syntax, UmrError};

type Res<T> = Result<T, Box<dyn Error>>;

fn error_value(e: &UmrError) -> Res<Value> {
    Ok(serde_json::to_value(e.to_data())?)
}

fn vectors(dir: &Path) -> Res<Value> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Map::new();
    for f in files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&f)?)?;
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
        let loaded = match syntax {
            Syntax::Json => Record::from_json_str(input, &opts),
            Syntax::Yaml => Record::from_yaml_str(input, &opts),
        };
        let result = match loaded {
            Ok(r) => {
                let view = View::from_record(&r);
                json!({
                    "yaml": r.to_yaml(),
                    "json": r.to_json(),
                    "warnings": r.warnings(),
                    "html": html::to_html(&view),
                    "markdown": markdown::to_markdown(&view),
                    "svg": render::to_svg(&view),
                })
            }
            Err(e) => json!({"error": error_value(&e)?}),
        };
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.insert(
            name,
            json!({"diagnostics": checked.diagnostics, "result": result}),
        );
    }
    Ok(Value::Object(out))
}

fn walk(dir: &Path, out: &mut Vec<String>) -> Res<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
        {
            out.push(path.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

fn registry(dir: &Path) -> Res<Value> {
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    let mut records = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f)?;
        let opts = LoadOptions {
            file: Some(f.clone()),
            ..Default::default()
        };
        records.push(Record::from_str_detect(&text, &opts)?);
    }
    let ids: Vec<String> = records.iter().map(Record::id).collect();
    let reg = Registry::from_records(records)?;
    let mut resolve = Map::new();
    let mut lineage = Map::new();
    let mut risks = Map::new();
    let mut rendered = Map::new();
    let mut hf = Map::new();
    let mut scores = Map::new();
    let mut affected = Map::new();
    for id in &ids {
        let spec = id.as_str();
        resolve.insert(
            id.clone(),
            match reg.effective(spec) {
                Ok(e) => json!({"json": e.record.to_json(), "provenance": e.provenance}),
                Err(e) => json!({"error": error_value(&e)?}),
            },
        );
        lineage.insert(
            id.clone(),
            match reg.lineage(spec) {
                Ok(l) => json!({
                    "json": l,
                    "dot": l.to_dot(),
                    "mermaid": l.to_mermaid(),
                    "tree": l.to_tree(),
                    "svg": svg::to_svg(&Graph::from_lineage(&l), &SvgOptions::default()),
                }),
                Err(e) => json!({"error": error_value(&e)?}),
            },
        );
        rendered.insert(
            id.clone(),
            match View::from_registry(&reg, spec) {
                Ok(v) => json!({"html": html::to_html(&v), "markdown": markdown::to_markdown(&v)}),
                Err(e) => json!({"error": error_value(&e)?}),
            },
        );
        hf.insert(
            id.clone(),
            match umr_core::interop::hf::export_from_registry(&reg, spec, true) {
                Ok(card) => json!(card),
                Err(e) => json!({"error": error_value(&e)?}),
            },
        );
        scores.insert(
            id.clone(),
            match umr_core::score::score_in_registry(&reg, spec, None) {
                Ok(r) => serde_json::to_value(r)?,
                Err(e) => json!({"error": error_value(&e)?}),
            },
        );
        risks.insert(
            id.clone(),
            match reg.risks(spec) {
                Ok(r) => serde_json::to_value(r)?,
                Err(e) => json!({"error": error_value(&e)?}),
            },
        );
        affected.insert(
            id.clone(),
            match reg.affected(spec, None) {
                Ok(r) => serde_json::to_value(r)?,
                Err(e) => json!({"error": error_value(&e)?}),
            },
        );
    }
    let mut diffs = Map::new();
    for name in reg.names() {
        let versions = reg.versions(name);
        for pair in versions.windows(2) {
            if let [a, b] = pair {
                let changes = umr_core::evolution::diff(a.value(), b.value());
                diffs.insert(
                    format!("{} {}", a.id(), b.id()),
                    json!({
                        "changes": changes,
                        "bump": umr_core::evolution::required_bump(&changes).as_str(),
                    }),
                );
            }
        }
    }
    Ok(json!({
        "files": files,
        "names": reg.names(),
        "resolve": resolve,
        "lineage": lineage,
        "risks": risks,
        "affected": affected,
        "render": rendered,
        "hf": hf,
        "score": scores,
        "lock": umr_core::Lock::of(&reg),
        "diffs": diffs,
    }))
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [vector_dir, registry_dir] = args.as_slice() else {
        return Err("usage: parity <vectors dir> <registry dir>".into());
    };
    let out = json!({
        "version": umr_core::VERSION,
        "editions": umr_core::score::editions(),
        "vectors": vectors(Path::new(vector_dir))?,
        "registry": registry(Path::new(registry_dir))?,
    });
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}
