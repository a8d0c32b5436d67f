//! `Record`: one record document.

use crate::convert::{json_of, nullable, to_js, value_from_text};
use crate::error::{umr, JsResult};
use serde_json::{Map, Value};
use umr_core::model::RelationKind;
use umr_core::{Limits, LoadOptions};
use wasm_bindgen::prelude::*;

fn opts(file: Option<String>) -> LoadOptions {
    LoadOptions {
        file,
        limits: Limits::default(),
    }
}

/// One record: a model, a family or a dataset. Always valid (construction validates);
/// immutable.
#[wasm_bindgen]
pub struct Record {
    pub(crate) inner: umr_core::Record,
}

impl From<umr_core::Record> for Record {
    fn from(inner: umr_core::Record) -> Self {
        Record { inner }
    }
}

#[wasm_bindgen]
impl Record {
    /// Parse YAML text (the native format or the prototype's `mr:` dialect). `file` names
    /// the source in diagnostics.
    #[wasm_bindgen(js_name = fromYaml)]
    pub fn from_yaml(text: &str, file: Option<String>) -> JsResult<Record> {
        umr(umr_core::Record::from_yaml_str(text, &opts(file))).map(Record::from)
    }

    /// Parse JSON text.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str, file: Option<String>) -> JsResult<Record> {
        umr(umr_core::Record::from_json_str(text, &opts(file))).map(Record::from)
    }

    /// Build from a plain object (as returned by `toObject()`).
    #[wasm_bindgen(js_name = fromObject)]
    pub fn from_object(obj: JsValue) -> JsResult<Record> {
        let text = json_of(&obj)?;
        umr(value_from_text(&text).and_then(umr_core::Record::from_value)).map(Record::from)
    }

    /// The record as a plain object, keys in the order written, unknown fields kept.
    #[wasm_bindgen(js_name = toObject)]
    pub fn to_object(&self) -> JsResult<JsValue> {
        js_sys::JSON::parse(&self.inner.to_json())
    }

    /// Canonical YAML text.
    #[wasm_bindgen(js_name = toYaml)]
    pub fn to_yaml(&self) -> String {
        self.inner.to_yaml()
    }

    /// Canonical JSON text.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The record name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.inner.name().to_string()
    }

    /// The record version (semver text).
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.inner.version().to_string()
    }

    /// `model`, `family` or `dataset`.
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        self.inner.kind().as_str().to_string()
    }

    /// `name@version`.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id()
    }

    /// The file name given when the record was read, or `null`.
    #[wasm_bindgen(getter)]
    pub fn file(&self) -> JsValue {
        nullable(self.inner.file())
    }

    /// Warnings found while loading (located).
    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> JsResult<JsValue> {
        to_js(self.inner.warnings())
    }

    /// Every diagnostic of this record: its warnings (a `Record` has no errors).
    pub fn validate(&self) -> JsResult<JsValue> {
        to_js(self.inner.warnings())
    }

    #[cfg(feature = "render")]
    /// Render this record alone (its own fields; its declared upstream as the graph):
    /// `html` (a standalone page), `md` / `markdown`, or `svg` (the lineage graph).
    pub fn render(&self, format: &str) -> JsResult<String> {
        crate::render::render_view(&umr_core::render::View::from_record(&self.inner), format)
    }

    /// Derive a new record that names this one as upstream with `relation` (default
    /// `finetune`) and keeps only the values of `overrides` that differ from this record.
    pub fn derive(
        &self,
        name: &str,
        version: &str,
        relation: Option<String>,
        overrides: JsValue,
    ) -> JsResult<Record> {
        let overrides: Map<String, Value> = if overrides.is_undefined() || overrides.is_null() {
            Map::new()
        } else {
            match umr(value_from_text(&json_of(&overrides)?))? {
                Value::Object(m) => m,
                _ => {
                    return Err(crate::error::argument(
                        "E_ARGUMENT",
                        "overrides must be an object",
                    ))
                }
            }
        };
        let relation = relation.unwrap_or_else(|| RelationKind::Finetune.as_str().to_string());
        let derived = umr(umr_core::evolution::derive(
            self.inner.value(),
            name,
            version,
            &relation,
            &overrides,
        ))?;
        umr(umr_core::Record::from_value(derived)).map(Record::from)
    }
}
