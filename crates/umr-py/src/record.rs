//! `umr.Record`: one record document, immutable.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::path::PathBuf;
use umr_core::{LoadOptions, Record};

use crate::convert::{to_map, to_py, to_value};
use crate::diagnostic::{diagnostics, PyDiagnostic};
use crate::error::{guard, OrRaise};
use crate::render;
use umr_core::render::Format;

/// One record document (model, family or dataset), validated. Immutable: `derive()` and
/// `from_dict()` make new records.
#[pyclass(frozen, eq, module = "umr", name = "Record")]
#[derive(Clone, PartialEq)]
pub struct PyRecord {
    pub inner: Record,
}

impl PyRecord {
    pub fn new(inner: Record) -> Self {
        PyRecord { inner }
    }
}

/// `Record::derive` (the relation defaults in the core) with the keyword overrides.
pub fn derive_from(
    py: Python<'_>,
    base: &Record,
    name: &str,
    version: &str,
    relation: Option<&str>,
    overrides: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyRecord> {
    let overrides = to_map(overrides)?;
    py.detach(|| base.derive(name, version, relation, &overrides))
        .map(PyRecord::new)
        .or_raise()
}

fn opts(file: Option<String>) -> LoadOptions {
    LoadOptions {
        file,
        ..LoadOptions::default()
    }
}

#[pymethods]
impl PyRecord {
    /// Parse YAML text (native format or the prototype's `mr:` dialect). `file` names the
    /// source in diagnostics.
    #[staticmethod]
    #[pyo3(signature = (text, file = None))]
    fn from_yaml(py: Python<'_>, text: String, file: Option<String>) -> PyResult<Self> {
        guard(|| {
            py.detach(|| Record::from_yaml_str(&text, &opts(file)))
                .map(PyRecord::new)
                .or_raise()
        })
    }

    /// Parse JSON text. `file` names the source in diagnostics.
    #[staticmethod]
    #[pyo3(signature = (text, file = None))]
    fn from_json(py: Python<'_>, text: String, file: Option<String>) -> PyResult<Self> {
        guard(|| {
            py.detach(|| Record::from_json_str(&text, &opts(file)))
                .map(PyRecord::new)
                .or_raise()
        })
    }

    /// Build a record from a dict (validated like a document).
    #[staticmethod]
    fn from_dict(d: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(|| {
            let v = to_value(d)?;
            Record::from_value(v).map(PyRecord::new).or_raise()
        })
    }

    /// The record as a dict, keys in the order written (unknown fields kept).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| to_py(py, self.inner.value()))
    }

    /// Canonical YAML text.
    fn to_yaml(&self) -> PyResult<String> {
        guard(|| Ok(self.inner.to_yaml()))
    }

    /// Canonical JSON text.
    fn to_json(&self) -> PyResult<String> {
        guard(|| Ok(self.inner.to_json()))
    }

    /// Write the record atomically and return the path written. If `path` is an existing
    /// folder, the record goes to its registry path inside it
    /// (`<dir>/<name>/<name>-<version>.yaml`); otherwise to `path` (JSON when it ends in
    /// `.json`).
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<PathBuf> {
        guard(|| py.detach(|| self.inner.save(&path)).or_raise())
    }

    /// The record name.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The record version (semver text).
    #[getter]
    fn version(&self) -> String {
        self.inner.version().to_string()
    }

    /// `"model"`, `"family"` or `"dataset"`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.kind().as_str()
    }

    /// `name@version`.
    #[getter]
    fn id(&self) -> String {
        self.inner.id()
    }

    /// The file the record was read from, if any.
    #[getter]
    fn file(&self) -> Option<&str> {
        self.inner.file()
    }

    /// Warnings found while loading.
    #[getter]
    fn warnings(&self) -> Vec<PyDiagnostic> {
        diagnostics(self.inner.warnings())
    }

    /// The record's diagnostics (a record exists only without errors, so these are its
    /// warnings).
    fn validate(&self) -> Vec<PyDiagnostic> {
        diagnostics(self.inner.warnings())
    }

    /// A new record derived from this one: it names this record as upstream with
    /// `relation` (the core's default, `finetune`, when None) and holds only the keyword
    /// values that differ from this record.
    #[pyo3(signature = (name, version, relation = None, **overrides))]
    fn derive(
        &self,
        py: Python<'_>,
        name: &str,
        version: &str,
        relation: Option<&str>,
        overrides: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyRecord> {
        guard(|| derive_from(py, &self.inner, name, version, relation, overrides))
    }

    fn __repr__(&self) -> String {
        format!(
            "<umr.Record {} ({})>",
            self.inner.id(),
            self.inner.kind().as_str()
        )
    }

    /// Render the record alone (its own fields; its declared upstream relations as the
    /// graph; no registry needed): `"html"`, `"md"`/`"markdown"`, `"tex"`/`"latex"` and
    /// `"svg"` as `str`, `"pdf"` as `bytes`.
    fn render<'py>(&self, py: Python<'py>, format: &str) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let format = render::format(format)?;
            let out = py
                .detach(|| umr_core::render::render_record(&self.inner, format))
                .or_raise()?;
            render::output(py, format, out)
        })
    }

    /// Jupyter display: the record's HTML card (the core's standalone page, in a sandboxed
    /// frame).
    fn _repr_html_(&self, py: Python<'_>) -> PyResult<String> {
        guard(|| {
            let page = py
                .detach(|| umr_core::render::render_record(&self.inner, Format::Html))
                .or_raise()?;
            render::notebook(page, &self.inner.id())
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        guard(|| {
            let py = slf.py();
            let ctor = slf.get_type().getattr("from_dict")?;
            let state = slf.get().to_dict(py)?;
            PyTuple::new(py, [ctor, PyTuple::new(py, [state])?.into_any()])
        })
    }
}
