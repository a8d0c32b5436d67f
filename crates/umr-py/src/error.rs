//! The one conversion from the core's error to a Python exception, and the panic guard.
//!
//! The exception classes live in `umr/_errors.py` (`UmrError(ValueError)` and its
//! subclasses); [`to_py_err`] picks the class named by [`umr_core::ErrorData::kind`] and
//! fills in `code`, `path`, `line`, `column`, `diagnostics` and `chain` from
//! [`umr_core::UmrError::to_data`].
//!
//! Every function and method of the module runs inside [`guard`]: a Rust panic (a bug)
//! becomes an `InternalError` with code `E_PANIC`, as in the Node package, instead of
//! PyO3's `PanicException`.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::panic::{catch_unwind, AssertUnwindSafe};
use umr_core::{ErrorData, UmrError};

use crate::diagnostic::PyDiagnostic;

/// The code of the error that a caught Rust panic becomes (the Node package uses the same).
const PANIC_CODE: &str = "E_PANIC";

/// Convert a core error into the matching `umr` exception.
pub fn to_py_err(e: &UmrError) -> PyErr {
    from_data(e.to_data())
}

fn from_data(data: ErrorData) -> PyErr {
    Python::attach(|py| build(py, data).unwrap_or_else(|failed| failed))
}

fn build(py: Python<'_>, data: ErrorData) -> PyResult<PyErr> {
    let module = py.import("umr._errors")?;
    let cls = match module.getattr(data.kind.as_str()) {
        Ok(c) => c,
        Err(_) => module.getattr("UmrError")?,
    };
    let diagnostics = PyList::empty(py);
    for d in data.diagnostics {
        diagnostics.append(Bound::new(py, PyDiagnostic { inner: d })?)?;
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", data.code)?;
    kwargs.set_item("path", data.path)?;
    kwargs.set_item("line", data.line)?;
    kwargs.set_item("column", data.column)?;
    kwargs.set_item("diagnostics", diagnostics)?;
    kwargs.set_item("chain", data.chain)?;
    let instance = cls.call((data.message,), Some(&kwargs))?;
    Ok(PyErr::from_value(instance))
}

/// `.or_raise()` on a core result: the error becomes the matching Python exception.
pub trait OrRaise<T> {
    /// Map the error with [`to_py_err`].
    fn or_raise(self) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, UmrError> {
    fn or_raise(self) -> PyResult<T> {
        self.map_err(|e| to_py_err(&e))
    }
}

/// Run `f`, turning a Rust panic into an `umr.InternalError` (code `E_PANIC`) instead of
/// PyO3's `PanicException`.
pub fn guard<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_string());
            Err(from_data(ErrorData {
                kind: "InternalError".to_string(),
                code: PANIC_CODE.to_string(),
                message: format!("internal error in umr (please report it): {what}"),
                path: None,
                line: None,
                column: None,
                diagnostics: Vec::new(),
                chain: Vec::new(),
            }))
        }
    }
}
