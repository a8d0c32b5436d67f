//! `umr._umr`: the Python binding of `umr-core` (the `umr` package re-exports it).
//!
//! Every function converts its arguments, calls one core function, converts the result and
//! maps errors with `error::to_py_err`; behaviour and defaults live in the core. Long
//! operations (file I/O, registry loading, resolution, import, export, scoring) run with
//! the GIL released. Every entry point runs inside `error::guard`, so a Rust panic becomes
//! an `umr.InternalError` (code `E_PANIC`).

/// mimalloc: much faster than the system allocator on the many small allocations of value
/// trees (records, cards), and the same on every platform (docs/dependencies.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use pyo3::prelude::*;
use pyo3::types::PyList;
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use umr_core::evolution;
use umr_core::interop::{cyclonedx, hf};
use umr_core::{check_file, check_text, score, Limits, LoadOptions, Record, Syntax};

mod convert;
mod diagnostic;
mod error;
mod record;
mod registry;
mod render;

use convert::{options, ser_to_py, to_value};
use diagnostic::{diagnostics, PyDiagnostic};
use error::{guard, OrRaise};
use record::PyRecord;
use registry::{PyEffective, PyRegistry};

/// Load a record file (YAML or JSON by extension; native format or the prototype's `mr:`
/// dialect). A bad document raises `ValidationError`; a file that cannot be read,
/// `IoError`.
#[pyfunction]
fn load(py: Python<'_>, path: PathBuf) -> PyResult<PyRecord> {
    guard(|| {
        py.detach(|| Record::load(&path, &Limits::default()))
            .map(PyRecord::new)
            .or_raise()
    })
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
    guard(|| {
        let syntax = match syntax {
            None => Syntax::detect(&text, file.as_deref()),
            Some(s) => Syntax::from_name(&s).or_raise()?,
        };
        let opts = LoadOptions {
            file,
            ..LoadOptions::default()
        };
        let checked = py.detach(|| check_text(&text, syntax, &opts));
        Ok(diagnostics(&checked.diagnostics))
    })
}

/// Check a record file and return every diagnostic. Never raises for a bad document
/// (an unreadable file is an `E_IO` diagnostic).
#[pyfunction]
fn validate_file(py: Python<'_>, path: PathBuf) -> PyResult<Vec<PyDiagnostic>> {
    guard(|| {
        let checked = py.detach(|| check_file(&path, &Limits::default()));
        Ok(diagnostics(&checked.diagnostics))
    })
}

/// A record or a dict as a value tree.
fn record_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
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
    guard(|| {
        let (o, n) = (record_value(old)?, record_value(new)?);
        let changes = py.detach(|| evolution::diff(&o, &n));
        ser_to_py(py, &changes)
    })
}

/// The smallest version bump that covers every change from `old` to `new`:
/// `"none"`, `"patch"`, `"minor"` or `"major"`.
#[pyfunction]
fn required_bump(
    py: Python<'_>,
    old: &Bound<'_, PyAny>,
    new: &Bound<'_, PyAny>,
) -> PyResult<&'static str> {
    guard(|| {
        let (o, n) = (record_value(old)?, record_value(new)?);
        Ok(py.detach(|| evolution::required_bump_between(&o, &n).as_str()))
    })
}

/// A `CardImport` / `BomImport` named tuple (`umr._results`).
fn result_tuple<'py>(
    py: Python<'py>,
    class: &str,
    fields: (Bound<'py, PyAny>, Vec<PyDiagnostic>),
) -> PyResult<Bound<'py, PyAny>> {
    py.import("umr._results")?.getattr(class)?.call1(fields)
}

/// Import a Hugging Face model or dataset card (`README.md`: YAML front matter and
/// Markdown body) as a record: `CardImport(record, warnings)`. The options and their
/// defaults are the core's (`HfImportOptions`): `name` (else from the card or `file`),
/// `version` (`1.0.0`), `kind` (detected), `file` (names the card in diagnostics).
#[pyfunction]
#[pyo3(signature = (text, *, name = None, version = None, kind = None, file = None))]
fn import_hf_card<'py>(
    py: Python<'py>,
    text: String,
    name: Option<String>,
    version: Option<String>,
    kind: Option<String>,
    file: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(|| {
        let opts: hf::HfImportOptions = options(option_map(json!({
            "name": name, "version": version, "kind": kind, "file": file,
        })))?;
        let (record, warnings) = py.detach(|| hf::import_card(&text, &opts)).or_raise()?;
        let record = Bound::new(py, PyRecord::new(record))?.into_any();
        result_tuple(py, "CardImport", (record, diagnostics(&warnings)))
    })
}

/// A record (a `Record` or a dict, validated) as a Hugging Face card (`README.md` text): a
/// model card for models and families, a dataset card for datasets.
#[pyfunction]
fn export_hf_card(py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<String> {
    guard(|| {
        let value = record_value(record)?;
        py.detach(|| hf::export_card(&value)).or_raise()
    })
}

/// Import the machine-learning-model and data components of a CycloneDX BOM (JSON text)
/// as records: `BomImport(records, warnings)`. The options and their defaults are the
/// core's (`CdxImportOptions`): `name` and `version` (when the BOM holds one record),
/// `file` (names the BOM in diagnostics).
#[pyfunction]
#[pyo3(signature = (text, *, name = None, version = None, file = None))]
fn import_cyclonedx<'py>(
    py: Python<'py>,
    text: String,
    name: Option<String>,
    version: Option<String>,
    file: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(|| {
        let opts: cyclonedx::CdxImportOptions = options(option_map(json!({
            "name": name, "version": version, "file": file,
        })))?;
        let (records, warnings) = py.detach(|| cyclonedx::import(&text, &opts)).or_raise()?;
        let list = PyList::empty(py);
        for r in records {
            list.append(Bound::new(py, PyRecord::new(r))?)?;
        }
        result_tuple(py, "BomImport", (list.into_any(), diagnostics(&warnings)))
    })
}

fn option_map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The transparency editions (indicator sets) the library scores in, as dicts: name,
/// aliases, title, published, note, source, license, attribution, domains, subdomains and
/// indicators.
#[pyfunction]
fn editions(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    guard(|| ser_to_py(py, &score::editions()))
}

/// The transparency score of a record's own answers (a dict: edition, total, domains,
/// indicators, diagnostics). `edition` defaults to the one the record declares, else the
/// core's default edition.
#[pyfunction]
#[pyo3(signature = (record, edition = None))]
fn score_record<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyRecord>,
    edition: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(|| {
        let record = &record.get().inner;
        let s = py
            .detach(|| score::score_record(record, edition))
            .or_raise()?;
        ser_to_py(py, &s)
    })
}

/// Panics on purpose: the test suite uses it to prove that a Rust panic surfaces as an
/// `umr.InternalError` (code `E_PANIC`) instead of aborting the interpreter.
#[pyfunction]
#[pyo3(name = "_debug_panic")]
#[allow(clippy::panic)]
fn debug_panic() -> PyResult<()> {
    guard(|| panic!("umr._debug_panic: deliberate panic for the test suite"))
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
    m.add_function(wrap_pyfunction!(import_hf_card, m)?)?;
    m.add_function(wrap_pyfunction!(export_hf_card, m)?)?;
    m.add_function(wrap_pyfunction!(import_cyclonedx, m)?)?;
    m.add_function(wrap_pyfunction!(editions, m)?)?;
    m.add_function(wrap_pyfunction!(score_record, m)?)?;
    m.add_function(wrap_pyfunction!(debug_panic, m)?)?;
    Ok(())
}
