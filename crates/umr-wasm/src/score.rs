//! Transparency scoring through `umr_core::score` (cargo feature `score`).

use crate::convert::to_js;
use crate::error::{umr, JsResult};
use crate::record::Record;
use umr_core::score;
use wasm_bindgen::prelude::*;

/// The transparency editions (indicator sets) the library scores in.
#[wasm_bindgen]
pub fn editions() -> JsResult<JsValue> {
    to_js(&score::editions())
}

/// The transparency score of a record's own answers. `edition` defaults to the one the
/// record declares, else the core's default edition.
#[wasm_bindgen(js_name = scoreRecord)]
pub fn score_record(record: &Record, edition: Option<String>) -> JsResult<JsValue> {
    to_js(&umr(score::score_record(
        &record.inner,
        edition.as_deref(),
    ))?)
}
