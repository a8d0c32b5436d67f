//! `umr._umr`: the Python binding of `umr-core` (the `umr` package re-exports it).
//!
//! Every function converts its arguments, calls one core function, converts the result and
//! maps errors with `error::to_py_err`; behaviour and defaults live in the core. Long
//! operations (file I/O, registry loading, resolution) run with the GIL released.

use pyo3::prelude::*;
use std::path::PathBuf;
use umr_core::evolution;
use umr_core::{check_file, check_text, Limits, LoadOptions, Record, Syntax, UmrError};

mod convert;
mod diagnostic;
mod error;
mod record;
mod registry;

use convert::{ser_to_py, to_value};
use diagnostic::{diagnostics, PyDiagnostic};
use error::OrRaise;
use record::PyRecord;
use registry::{PyEffective, PyRegistry};

/// Load a record file (YAML or JSON by extension; native format or the prototype's `mr:`
/// dialect).
#[pyfunction]
fn load(py: Python<'_>, path: PathBuf) -> PyResult<PyRecord> {
    py.detach(|| Record::load(&path, &Limits::default()))
        .map(PyRecord::new)
        .or_raise()
}

/// Check a document and return every diagnostic (errors and warnings). Never raises for
/// a bad document. `syntax` is `"yaml"` or `"json"` (detected when None); `file` names the
/// source in diagnostics (and decides the syntax when `syntax` is None).
#[pyfunction]
#[pyo3(signature = (text, *, syntax = None, file = None))]
fn validate(
    py: Python<'_>,
    text: String,
    syntax: Option<String>,
    file: Option<String>,
) -> PyResult<Vec<PyDiagnostic>> {
    let syntax = match syntax {
        None => Syntax::detect(&text, file.as_deref()),
        Some(s) => Syntax::parse(&s)
            .ok_or_else(|| {
                UmrError::argument(
                    "E_ENUM",
                    format!("unknown syntax `{s}` (one of: yaml, json)"),
                )
            })
            .or_raise()?,
    };
    let opts = LoadOptions {
        file,
        ..LoadOptions::default()
    };
    let checked = py.detach(|| check_text(&text, syntax, &opts));
    Ok(diagnostics(&checked.diagnostics))
}

/// Check a record file and return every diagnostic. Never raises for a bad document
/// (an unreadable file is an `E_IO` diagnostic).
#[pyfunction]
fn validate_file(py: Python<'_>, path: PathBuf) -> Vec<PyDiagnostic> {
    let checked = py.detach(|| check_file(&path, &Limits::default()));
    diagnostics(&checked.diagnostics)
}

/// A record or a dict as a value tree.
fn record_value(obj: &Bound<'_, PyAny>) -> PyResult<serde_json::Value> {
    match obj.cast::<PyRecord>() {
        Ok(r) => Ok(r.get().inner.value().clone()),
        Err(_) => to_value(obj),
    }
}

/// Structured diff of two records (Records or dicts): a list of
/// `{"path", "op", "old", "new", "bump", "rule"}` dicts.
#[pyfunction]
fn diff<'py>(
    py: Python<'py>,
    old: &Bound<'py, PyAny>,
    new: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let (o, n) = (record_value(old)?, record_value(new)?);
    let changes = py.detach(|| evolution::diff(&o, &n));
    ser_to_py(py, &changes)
}

/// The smallest version bump that covers every change from `old` to `new`:
/// `"none"`, `"patch"`, `"minor"` or `"major"`.
#[pyfunction]
fn required_bump(
    py: Python<'_>,
    old: &Bound<'_, PyAny>,
    new: &Bound<'_, PyAny>,
) -> PyResult<&'static str> {
    let (o, n) = (record_value(old)?, record_value(new)?);
    Ok(py.detach(|| evolution::required_bump(&evolution::diff(&o, &n)).as_str()))
}

/// Panics on purpose: the test suite uses it to prove that a Rust panic surfaces as a
/// Python exception (`pyo3_runtime.PanicException`) instead of aborting the interpreter.
#[pyfunction]
#[pyo3(name = "_debug_panic")]
#[allow(clippy::panic)]
fn debug_panic() {
    panic!("umr._debug_panic: deliberate panic for the test suite");
}

/// Unified Model Records (native part of the `umr` package).
#[pymodule]
fn _umr(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", umr_core::VERSION)?;
    m.add_class::<PyRecord>()?;
    m.add_class::<PyRegistry>()?;
    m.add_class::<PyEffective>()?;
    m.add_class::<PyDiagnostic>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(validate_file, m)?)?;
    m.add_function(wrap_pyfunction!(diff, m)?)?;
    m.add_function(wrap_pyfunction!(required_bump, m)?)?;
    m.add_function(wrap_pyfunction!(debug_panic, m)?)?;
    Ok(())
}
