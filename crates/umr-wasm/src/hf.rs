//! Hugging Face card import and export through `umr_core::interop::hf` (cargo feature
//! `hf`).

use crate::convert::{to_js, value_from_text};
use crate::error::{argument, umr, JsResult};
use crate::record::Record;
use serde_json::Value;
use umr_core::interop::hf::{self, HfImportOptions};
use umr_core::model::Kind;
use umr_core::Limits;
use wasm_bindgen::prelude::*;

/// Import a Hugging Face card (`README.md`: YAML front matter + Markdown body) into a
/// record: `{record, warnings}`. The package entry's `importHfCard(text, options)` passes
/// the options one by one.
#[wasm_bindgen(js_name = __importHfCard, skip_typescript)]
pub fn import_hf(
    text: &str,
    name: Option<String>,
    version: Option<String>,
    kind: Option<String>,
    file: Option<String>,
) -> JsResult<JsValue> {
    let kind = match kind {
        None => None,
        Some(k) => Some(
            serde_json::from_value::<Kind>(Value::String(k.clone())).map_err(|_| {
                argument(
                    "E_ENUM",
                    format!("unknown kind `{k}` (one of: model, family, dataset)"),
                )
            })?,
        ),
    };
    let opts = HfImportOptions {
        name,
        version,
        kind,
        file,
        limits: Limits::default(),
    };
    let (record, warnings) = umr(hf::import_card(text, &opts))?;
    let out = js_sys::Object::new();
    js_sys::Reflect::set(&out, &"record".into(), &Record::from(record).into())?;
    js_sys::Reflect::set(&out, &"warnings".into(), &to_js(&warnings)?)?;
    Ok(out.into())
}

/// Export a record (JSON text of a `Record` or a plain object) as a Hugging Face card
/// `README.md`.
#[wasm_bindgen(js_name = __exportHfCard, skip_typescript)]
pub fn export_hf(record_json: &str) -> JsResult<String> {
    let value = umr(value_from_text(record_json))?;
    umr(hf::export_card(&value))
}
