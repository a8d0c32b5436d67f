#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The committed JSON Schema (`schema/umr.schema.json`) is the one generated from the
//! types, and the types agree with the field tables the validator uses.

use serde_json::Value;
use std::path::{Path, PathBuf};
use umr_core::model::{
    Field, CARD_FIELDS, DETAILS_FIELDS, EVALUATION_FIELDS, RECORD_FIELDS, RELATION_FIELDS,
    RISK_FIELDS, TRANSPARENCY_FIELDS,
};
use umr_core::schema::{record_schema, record_schema_text};
use umr_core::validate::record_keys;

const REGENERATE: &str = "cargo run -q -p umr-cli -- schema > schema/umr.schema.json";

fn schema_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/umr.schema.json")
}

#[test]
fn committed_schema_is_current() {
    let path = schema_file();
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}\nregenerate it from the repository root with:\n    {REGENERATE}",
            path.display()
        )
    });
    let generated = record_schema_text();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || committed.lines().count().min(generated.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "schema/umr.schema.json is stale (first difference at line {line}).\n\
             Regenerate it from the repository root with:\n    {REGENERATE}"
        );
    }
}

fn keys(fields: &[Field]) -> Vec<&'static str> {
    fields.iter().map(|f| f.key).collect()
}

fn property_keys(obj: &Value) -> Vec<String> {
    obj["properties"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn required_keys(obj: &Value) -> Vec<String> {
    obj["required"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn required_of(fields: &[Field]) -> Vec<String> {
    fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.key.to_string())
        .collect()
}

#[test]
fn top_level_properties_match_the_field_table() {
    let schema = record_schema();
    assert_eq!(
        property_keys(&schema),
        record_keys(),
        "the schema's top-level properties (from RecordData) and validate::record_keys() \
         (from model::RECORD_FIELDS) differ: update both together"
    );
    assert_eq!(
        required_keys(&schema),
        required_of(RECORD_FIELDS),
        "required top-level fields differ"
    );
    for f in RECORD_FIELDS {
        assert_eq!(
            schema["properties"][f.key]["x-umr-inherit"].as_str(),
            Some(f.policy.as_str()),
            "x-umr-inherit of `{}`",
            f.key
        );
    }
}

#[test]
fn nested_definitions_match_the_field_tables() {
    let schema = record_schema();
    let defs = &schema["$defs"];
    let tables: [(&str, &[Field]); 6] = [
        ("Details", DETAILS_FIELDS),
        ("Card", CARD_FIELDS),
        ("Evaluation", EVALUATION_FIELDS),
        ("Risk", RISK_FIELDS),
        ("RelationSpec", RELATION_FIELDS),
        ("Transparency", TRANSPARENCY_FIELDS),
    ];
    let mut problems = Vec::new();
    for (def, fields) in tables {
        let d = &defs[def];
        if !d.is_object() {
            problems.push(format!("$defs/{def} is missing"));
            continue;
        }
        if property_keys(d) != keys(fields) {
            problems.push(format!(
                "$defs/{def} properties {:?} != field table {:?}",
                property_keys(d),
                keys(fields)
            ));
        }
        if required_keys(d) != required_of(fields) {
            problems.push(format!(
                "$defs/{def} required {:?} != field table {:?}",
                required_keys(d),
                required_of(fields)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn schema_is_draft_2020_12() {
    let schema = record_schema();
    assert_eq!(
        schema["$schema"].as_str(),
        Some("https://json-schema.org/draft/2020-12/schema")
    );
    assert_eq!(schema["type"].as_str(), Some("object"));
    assert!(schema["$id"].is_string());
}
