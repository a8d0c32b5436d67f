//! `umr.Diagnostic`: one located problem, immutable.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::hash::{Hash, Hasher};
use umr_core::{Diagnostic, UmrError};

use crate::convert::{ser_to_py, to_value};
use crate::error::OrRaise;

/// One located problem in a document: `file`, `path`, `line`, `column` (1-based, or
/// None), `code`, `severity` (`"error"` or `"warning"`), `message`, `help`.
#[pyclass(frozen, eq, hash, module = "umr", name = "Diagnostic")]
#[derive(Clone, PartialEq)]
pub struct PyDiagnostic {
    pub inner: Diagnostic,
}

impl Hash for PyDiagnostic {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let d = &self.inner;
        (
            &d.file, &d.path, d.line, d.column, &d.code, d.severity, &d.message, &d.help,
        )
            .hash(state);
    }
}

/// Convert a list of core diagnostics.
pub fn diagnostics(list: &[Diagnostic]) -> Vec<PyDiagnostic> {
    list.iter()
        .cloned()
        .map(|inner| PyDiagnostic { inner })
        .collect()
}

#[pymethods]
impl PyDiagnostic {
    /// The file the problem is in, when the input came from a file.
    #[getter]
    fn file(&self) -> Option<&str> {
        self.inner.file.as_deref()
    }

    /// Field path inside the record, e.g. `upstream[0].version` (empty for the document).
    #[getter]
    fn path(&self) -> &str {
        &self.inner.path
    }

    /// 1-based line, when known.
    #[getter]
    fn line(&self) -> Option<usize> {
        self.inner.line
    }

    /// 1-based column (in characters), when known.
    #[getter]
    fn column(&self) -> Option<usize> {
        self.inner.column
    }

    /// Stable code, e.g. `E_SEMVER`.
    #[getter]
    fn code(&self) -> &str {
        &self.inner.code
    }

    /// `"error"` or `"warning"`.
    #[getter]
    fn severity(&self) -> String {
        self.inner.severity.to_string()
    }

    /// What is wrong.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    /// A suggestion, when there is one.
    #[getter]
    fn help(&self) -> Option<&str> {
        self.inner.help.as_deref()
    }

    /// The diagnostic as a dict (the JSON shape shared by every surface).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        ser_to_py(py, &self.inner)
    }

    /// A diagnostic from the dict form of `to_dict()`.
    #[staticmethod]
    fn from_dict(d: &Bound<'_, PyDict>) -> PyResult<Self> {
        let v = to_value(d.as_any())?;
        let inner: Diagnostic = serde_json::from_value(v)
            .map_err(|e| UmrError::argument("E_TYPE", format!("not a diagnostic: {e}")))
            .or_raise()?;
        Ok(PyDiagnostic { inner })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let ctor = slf.get_type().getattr("from_dict")?;
        let state = slf.get().to_dict(py)?;
        PyTuple::new(py, [ctor, PyTuple::new(py, [state])?.into_any()])
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        let d = &self.inner;
        let opt = |v: Option<usize>| v.map_or_else(|| "None".to_string(), |x| x.to_string());
        format!(
            "Diagnostic(code={:?}, severity={:?}, path={:?}, line={}, column={}, message={:?})",
            d.code,
            d.severity.to_string(),
            d.path,
            opt(d.line),
            opt(d.column),
            d.message
        )
    }
}
