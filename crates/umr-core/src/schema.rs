//! JSON Schema generated from the types, with each top-level field's inheritance policy
//! added as `x-umr-inherit`.

use crate::model::{RecordData, RECORD_FIELDS};
use serde_json::Value;

/// The JSON Schema (draft 2020-12) of a native record.
pub fn record_schema() -> Value {
    let schema = schemars::schema_for!(RecordData);
    let mut v = serde_json::to_value(&schema).unwrap_or(Value::Null);
    if let Some(obj) = v.as_object_mut() {
        obj.insert(
            "$id".into(),
            Value::String("https://umr.invalid/schema/umr-1.0.schema.json".into()),
        );
        if let Some(Value::Object(props)) = obj.get_mut("properties") {
            for f in RECORD_FIELDS {
                if let Some(Value::Object(p)) = props.get_mut(f.key) {
                    p.insert(
                        "x-umr-inherit".into(),
                        Value::String(f.policy.as_str().into()),
                    );
                }
            }
        }
    }
    v
}

/// The schema as pretty JSON text with a trailing newline (the committed file).
pub fn record_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&record_schema()).unwrap_or_default();
    s.push('\n');
    s
}
