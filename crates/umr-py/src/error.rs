//! The one conversion from the core's error to a Python exception.
//!
//! The exception classes live in `umr/_errors.py` (`UmrError(ValueError)` and its
//! subclasses); [`to_py_err`] picks the class named by [`umr_core::ErrorData::kind`] and
//! fills in `code`, `path`, `line`, `column`, `diagnostics` and `chain` from
//! [`umr_core::UmrError::to_data`].

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use umr_core::UmrError;

use crate::diagnostic::PyDiagnostic;

/// Convert a core error into the matching `umr` exception.
pub fn to_py_err(e: &UmrError) -> PyErr {
    Python::attach(|py| build(py, e).unwrap_or_else(|failed| failed))
}

fn build(py: Python<'_>, e: &UmrError) -> PyResult<PyErr> {
    let data = e.to_data();
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
