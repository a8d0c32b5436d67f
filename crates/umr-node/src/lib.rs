//! # umr-node
//!
//! The Node.js package of Unified Model Records (`@umr/node`), built with napi-rs. It is a
//! thin layer over `umr-core`: each function converts its arguments, calls the core,
//! converts the result and maps errors. Import the package entry `umr.js`, which re-exports
//! this addon (loaded by the napi-generated `index.js`) and turns native errors into the
//! `UmrError` classes.
//!
//! Every entry point runs inside [`error::guard`], so a Rust panic becomes a thrown error
//! and never takes the node process down.

/// mimalloc: much faster than the system allocator on the many small allocations of value
/// trees (records, cards), and the same on every platform (docs/dependencies.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod convert;
mod error;
mod record;
mod registry;
mod render;

use convert::{options, Change, Diagnostic, Edition, Score};
use error::{guard, umr};
use napi::bindgen_prelude::{AsyncTask, ClassInstance};
use napi::{Env, Task};
use napi_derive::napi;
use record::{value_of, Record, RecordLike};
use serde_json::{Map, Value};
use std::path::Path;
use umr_core::interop::{cyclonedx, hf};
use umr_core::{score, Limits, LoadOptions, Syntax};

/// The version of the library (and of the record format tooling).
#[napi]
pub const VERSION: &str = umr_core::VERSION;

/// Options of `validate`.
#[napi(object)]
pub struct ValidateOptions {
    /// `yaml` or `json`; detected from `file` or the text when absent.
    pub syntax: Option<String>,
    /// The file name used in diagnostics (and to detect the syntax).
    pub file: Option<String>,
}

/// Load a record file (YAML or JSON by extension). Throws a `ValidationError` for a bad
/// document and an `IoError` (code `E_IO`) when the file cannot be read.
#[napi]
pub fn load(path: String) -> napi::Result<Record> {
    guard(|| umr(umr_core::Record::load(Path::new(&path), &Limits::default())).map(Record::from))
}

/// Check a document and return every diagnostic, errors and warnings, located. Never
/// throws for a bad document (only for a bad `syntax` option).
#[napi]
pub fn validate(text: String, options: Option<ValidateOptions>) -> napi::Result<Vec<Diagnostic>> {
    guard(|| {
        let (syntax, file) = options.map_or((None, None), |o| (o.syntax, o.file));
        let syntax = match syntax {
            Some(s) => umr(Syntax::from_name(&s))?,
            None => Syntax::detect(&text, file.as_deref()),
        };
        let opts = LoadOptions {
            file,
            limits: Limits::default(),
        };
        Ok(convert::diagnostics(
            umr_core::check_text(&text, syntax, &opts).diagnostics,
        ))
    })
}

/// Check a file and return every diagnostic. Never throws for a bad document; a file
/// that cannot be read is an `E_IO` diagnostic.
#[napi]
pub fn validate_file(path: String) -> napi::Result<Vec<Diagnostic>> {
    guard(|| {
        Ok(convert::diagnostics(
            umr_core::check_file(Path::new(&path), &Limits::default()).diagnostics,
        ))
    })
}

/// The structured diff between two records (`Record`s or plain objects); `version` is
/// not compared. Each change names the bump it requires and the rule that decided it.
#[napi(
    ts_args_type = "oldRecord: Record | { [field: string]: any }, newRecord: Record | { [field: string]: any }"
)]
pub fn diff(old: RecordLike<'_>, new: RecordLike<'_>) -> napi::Result<Vec<Change>> {
    guard(|| {
        let (old, new) = (value_of(old)?, value_of(new)?);
        Ok(umr_core::evolution::diff(&old, &new)
            .into_iter()
            .map(Change::from)
            .collect())
    })
}

/// The smallest semver bump that going from `old` to `new` requires.
#[napi(
    ts_args_type = "oldRecord: Record | { [field: string]: any }, newRecord: Record | { [field: string]: any }",
    ts_return_type = "'none' | 'patch' | 'minor' | 'major'"
)]
pub fn required_bump(old: RecordLike<'_>, new: RecordLike<'_>) -> napi::Result<String> {
    guard(|| {
        let (old, new) = (value_of(old)?, value_of(new)?);
        Ok(umr_core::evolution::required_bump_between(&old, &new)
            .as_str()
            .to_string())
    })
}

/// What `importHfCard` read: the record and the warnings (located in the card).
#[napi(object, object_from_js = false)]
pub struct CardImport {
    /// The imported record.
    pub record: Record,
    /// Warnings, located in the card.
    pub warnings: Vec<Diagnostic>,
}

/// What `importCyclonedx` read: one record per machine-learning-model or data component,
/// and the warnings.
#[napi(object, object_from_js = false)]
pub struct BomImport {
    /// The imported records.
    pub records: Vec<Record>,
    /// Warnings, located in the BOM.
    pub warnings: Vec<Diagnostic>,
}

/// Import a Hugging Face model or dataset card (`README.md`: YAML front matter and
/// Markdown body) as a record. The options and their defaults are the core's
/// (`HfImportOptions`): `name` (else from the card or `file`), `version` (`1.0.0`), `kind`
/// (detected), `file` (names the card in diagnostics). Throws a `ValidationError` with
/// located diagnostics for a card that cannot be read.
#[napi(
    ts_args_type = "text: string, options?: { name?: string | null, version?: string | null, kind?: 'model' | 'family' | 'dataset' | null, file?: string | null }"
)]
pub fn import_hf_card(
    text: String,
    options: Option<Map<String, Value>>,
) -> napi::Result<CardImport> {
    guard(|| {
        let opts: hf::HfImportOptions = self::options(options)?;
        let (record, warnings) = umr(hf::import_card(&text, &opts))?;
        Ok(CardImport {
            record: record.into(),
            warnings: convert::diagnostics(warnings),
        })
    })
}

/// A record (a `Record` or a plain object, validated) as a Hugging Face card (`README.md`
/// text): a model card for models and families, a dataset card for datasets.
#[napi(ts_args_type = "record: Record | { [field: string]: any }")]
pub fn export_hf_card(record: RecordLike<'_>) -> napi::Result<String> {
    guard(|| umr(hf::export_card(&value_of(record)?)))
}

/// Import the machine-learning-model and data components of a CycloneDX BOM (JSON text)
/// as records. The options and their defaults are the core's (`CdxImportOptions`): `name`
/// and `version` (when the BOM holds one record), `file` (names the BOM in diagnostics).
#[napi(
    ts_args_type = "text: string, options?: { name?: string | null, version?: string | null, file?: string | null }"
)]
pub fn import_cyclonedx(
    text: String,
    options: Option<Map<String, Value>>,
) -> napi::Result<BomImport> {
    guard(|| {
        let opts: cyclonedx::CdxImportOptions = self::options(options)?;
        let (records, warnings) = umr(cyclonedx::import(&text, &opts))?;
        Ok(BomImport {
            records: records.into_iter().map(Record::from).collect(),
            warnings: convert::diagnostics(warnings),
        })
    })
}

/// The transparency editions (indicator sets) the library scores in.
#[napi]
pub fn editions() -> napi::Result<Vec<Edition>> {
    guard(|| Ok(score::editions().into_iter().map(Edition::from).collect()))
}

/// The transparency score of a record's own answers. `edition` defaults to the one the
/// record declares, else the core's default edition; an unknown one throws an
/// `ArgumentError` (`E_EDITION`).
#[napi(ts_args_type = "record: Record, edition?: string | null")]
pub fn score_record(
    record: ClassInstance<'_, Record>,
    edition: Option<String>,
) -> napi::Result<Score> {
    guard(|| umr(score::score_record(&record.inner, edition.as_deref())).map(Score::from))
}

/// Test hook: panics inside the guard, to prove a panic becomes a thrown error.
#[napi(js_name = "__debugPanic", skip_typescript)]
#[allow(clippy::panic)]
pub fn debug_panic() -> napi::Result<()> {
    guard(|| panic!("deliberate panic from __debugPanic"))
}

/// Test hook: panics inside an async task, to prove the promise rejects.
#[napi(js_name = "__debugPanicAsync", skip_typescript)]
pub fn debug_panic_async() -> AsyncTask<PanicTask> {
    AsyncTask::new(PanicTask)
}

/// The task behind `__debugPanicAsync`.
pub struct PanicTask;

impl Task for PanicTask {
    type Output = ();
    type JsValue = ();

    #[allow(clippy::panic)]
    fn compute(&mut self) -> napi::Result<()> {
        guard(|| panic!("deliberate panic from __debugPanicAsync"))
    }

    fn resolve(&mut self, _env: Env, _output: ()) -> napi::Result<()> {
        Ok(())
    }
}
