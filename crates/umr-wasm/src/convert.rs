//! Values across the boundary. Results go to JS as the core's serialised shapes (the same
//! field names as the CLI's `--format json`, the Python dicts and the Node package),
//! through JSON text and `JSON.parse`, so key order is kept and absent optional fields are
//! `null` exactly where the core serialises them so. Values from JS come in as JSON text
//! (`JSON.stringify`) and are read by the core's strict JSON reader within its limits.

use crate::error::{argument, JsResult};
use serde::Serialize;
use serde_json::Value;
use umr_core::{check_text, Diagnostic, LoadOptions, Syntax, UmrError};
use wasm_bindgen::JsValue;

/// A serialisable core value as a plain JS value.
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> JsResult<JsValue> {
    let text = serde_json::to_string(v)
        .map_err(|e| argument("E_INTERNAL", format!("cannot convert a result: {e}")))?;
    js_sys::JSON::parse(&text)
}

/// `null` for `None`, else the string (the Node package's getters return `null`).
pub fn nullable(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

/// The JSON text of a plain JS value (`JSON.stringify`).
pub fn json_of(v: &JsValue) -> JsResult<String> {
    let s = js_sys::JSON::stringify(v)
        .map_err(|_| argument("E_ARGUMENT", "the value cannot be converted to JSON"))?;
    s.as_string()
        .ok_or_else(|| argument("E_ARGUMENT", "expected an object, got undefined"))
}

/// Read JSON text into a value tree within the core's limits. A problem is a
/// `ValidationError` whose diagnostics have no line and column (they would point into
/// serialised text the caller never saw).
pub fn value_from_text(text: &str) -> umr_core::Result<Value> {
    let limits = umr_core::Limits::default();
    if let Some(v) = umr_core::yaml::parse_json_fast(text, &limits) {
        return Ok(v);
    }
    let checked = check_text(text, Syntax::Json, &LoadOptions::default());
    let mut diags: Vec<Diagnostic> = checked
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .map(|mut d| {
            d.line = None;
            d.column = None;
            d
        })
        .collect();
    if diags.is_empty() {
        diags.push(Diagnostic::error(
            "E_JSON_SYNTAX",
            "",
            "the value cannot be read as JSON",
        ));
    }
    Err(UmrError::Invalid(diags))
}
