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

mod convert;
mod error;
mod record;
mod registry;

use convert::{Change, Diagnostic};
use error::{guard, to_napi, umr};
use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;
use record::{value_of, Record, RecordLike};
use std::path::Path;
use umr_core::{Limits, LoadOptions, Syntax, UmrError};

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
/// document and an `IoError` when the file cannot be read.
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
            Some(s) => Syntax::parse(&s).ok_or_else(|| {
                to_napi(UmrError::argument(
                    "E_ENUM",
                    format!("unknown syntax `{s}` (one of: yaml, json)"),
                ))
            })?,
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
        let changes = umr_core::evolution::diff(&old, &new);
        Ok(umr_core::evolution::required_bump(&changes)
            .as_str()
            .to_string())
    })
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
