//! `Record`: one record document.

use crate::convert::{self, checked, Diagnostic};
use crate::error::{guard, umr};
use crate::render::{self, Rendered};
use napi::bindgen_prelude::{ClassInstance, Either, FromNapiValue, Object};
use napi::JsValue;
use napi_derive::napi;
use serde_json::{Map, Value};
use std::path::Path;
use umr_core::{Limits, LoadOptions};

/// A `Record`, or a plain object holding a record's fields.
pub type RecordLike<'a> = Either<ClassInstance<'a, Record>, Object<'a>>;

/// The value tree of a `RecordLike` (a plain object within the core's limits for values
/// built in memory).
pub fn value_of(r: RecordLike<'_>) -> napi::Result<Value> {
    match r {
        Either::A(rec) => Ok(rec.inner.value().clone()),
        Either::B(obj) => checked(Value::from_unknown(obj.to_unknown())?),
    }
}

/// Overrides of `derive` as a core map (within the core's limits).
pub fn overrides_of(overrides: Option<Map<String, Value>>) -> napi::Result<Map<String, Value>> {
    match checked(Value::Object(overrides.unwrap_or_default()))? {
        Value::Object(m) => Ok(m),
        _ => Ok(Map::new()),
    }
}

fn opts(file: Option<String>) -> LoadOptions {
    LoadOptions {
        file,
        limits: Limits::default(),
    }
}

/// One record: a model, a family or a dataset. Always valid (construction validates);
/// immutable.
#[napi]
pub struct Record {
    pub(crate) inner: umr_core::Record,
}

impl From<umr_core::Record> for Record {
    fn from(inner: umr_core::Record) -> Self {
        Record { inner }
    }
}

#[napi]
impl Record {
    /// Parse YAML text (the native format or the prototype's `mr:` dialect). `file` names
    /// the source in diagnostics. Throws a `ValidationError` for a bad document.
    #[napi(factory)]
    pub fn from_yaml(text: String, file: Option<String>) -> napi::Result<Record> {
        guard(|| umr(umr_core::Record::from_yaml_str(&text, &opts(file))).map(Record::from))
    }

    /// Parse JSON text. Throws a `ValidationError` for a bad document.
    #[napi(factory)]
    pub fn from_json(text: String, file: Option<String>) -> napi::Result<Record> {
        guard(|| umr(umr_core::Record::from_json_str(&text, &opts(file))).map(Record::from))
    }

    /// Build from a plain object (as returned by `toObject()`). Throws a
    /// `ValidationError` (without line numbers) for a bad record.
    #[napi(factory, ts_args_type = "obj: { [field: string]: any }")]
    pub fn from_object(obj: Value) -> napi::Result<Record> {
        guard(|| umr(umr_core::Record::from_value(obj)).map(Record::from))
    }

    /// The record as a plain object, keys in the order written, unknown fields kept.
    #[napi(ts_return_type = "{ [field: string]: any }")]
    pub fn to_object(&self) -> napi::Result<Value> {
        guard(|| Ok(self.inner.value().clone()))
    }

    /// Canonical YAML text.
    #[napi]
    pub fn to_yaml(&self) -> napi::Result<String> {
        guard(|| Ok(self.inner.to_yaml()))
    }

    /// Canonical JSON text.
    #[napi]
    pub fn to_json(&self) -> napi::Result<String> {
        guard(|| Ok(self.inner.to_json()))
    }

    /// Save atomically. If `path` is an existing folder, the record goes to its registry
    /// path inside it (`<dir>/<name>/<name>-<version>.yaml`); otherwise to `path` (JSON when
    /// it ends in `.json`). Returns the file written.
    #[napi]
    pub fn save(&self, path: String) -> napi::Result<String> {
        guard(|| umr(self.inner.save(Path::new(&path))).map(|p| p.display().to_string()))
    }

    /// The record name.
    #[napi(getter)]
    pub fn name(&self) -> napi::Result<String> {
        guard(|| Ok(self.inner.name().to_string()))
    }

    /// The record version (semver text).
    #[napi(getter)]
    pub fn version(&self) -> napi::Result<String> {
        guard(|| Ok(self.inner.version().to_string()))
    }

    /// `model`, `family` or `dataset`.
    #[napi(getter, ts_return_type = "'model' | 'family' | 'dataset'")]
    pub fn kind(&self) -> napi::Result<String> {
        guard(|| Ok(self.inner.kind().as_str().to_string()))
    }

    /// `name@version`.
    #[napi(getter)]
    pub fn id(&self) -> napi::Result<String> {
        guard(|| Ok(self.inner.id()))
    }

    /// The file the record was read from, or `null`.
    #[napi(getter)]
    pub fn file(&self) -> napi::Result<Option<String>> {
        guard(|| Ok(self.inner.file().map(str::to_string)))
    }

    /// Warnings found while loading (located).
    #[napi(getter)]
    pub fn warnings(&self) -> napi::Result<Vec<Diagnostic>> {
        guard(|| Ok(convert::diagnostics(self.inner.warnings().to_vec())))
    }

    /// Every diagnostic of this record. A `Record` exists only when its document had no
    /// errors, so these are its warnings (an empty list means clean).
    #[napi]
    pub fn validate(&self) -> napi::Result<Vec<Diagnostic>> {
        guard(|| Ok(convert::diagnostics(self.inner.warnings().to_vec())))
    }

    /// Render the record alone (its own fields; its declared upstream relations as the
    /// graph; no registry needed): `html`, `md`/`markdown`, `tex`/`latex` and `svg` as a
    /// string, `pdf` as a `Buffer`. An unknown format throws an `ArgumentError`
    /// (`E_FORMAT`).
    #[napi(
        ts_args_type = "format: 'html' | 'md' | 'markdown' | 'tex' | 'latex' | 'svg' | 'pdf' | string",
        ts_return_type = "string | Uint8Array"
    )]
    pub fn render(&self, format: String) -> napi::Result<Rendered> {
        guard(|| {
            let format = render::format(&format)?;
            render::output(
                format,
                umr(umr_core::render::render_record(&self.inner, format))?,
            )
        })
    }

    /// Derive a new record from this one: it names this record as upstream with
    /// `relation` (the core's default, `finetune`, when absent) and keeps only the values
    /// of `overrides` that differ from this record. Throws a `ValidationError` when the
    /// result is invalid.
    #[napi(
        ts_args_type = "name: string, version: string, relation?: string | null, overrides?: { [field: string]: any }"
    )]
    pub fn derive(
        &self,
        name: String,
        version: String,
        relation: Option<String>,
        overrides: Option<Map<String, Value>>,
    ) -> napi::Result<Record> {
        guard(|| {
            let overrides = overrides_of(overrides)?;
            umr(self
                .inner
                .derive(&name, &version, relation.as_deref(), &overrides))
            .map(Record::from)
        })
    }
}
