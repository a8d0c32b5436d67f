//! `umr.Registry` and `umr.Effective`.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::path::PathBuf;
use umr_core::registry::Effective;
use umr_core::{Diagnostic, Limits, Lock, Registry, UmrError};

use crate::convert::ser_to_py;
use crate::diagnostic::{diagnostics, PyDiagnostic};
use crate::error::{to_py_err, OrRaise};
use crate::record::{derive_from, PyRecord};

/// The effective record of a registry entry (the record over its inheriting ancestors)
/// with the provenance of every field.
#[pyclass(frozen, module = "umr", name = "Effective")]
pub struct PyEffective {
    inner: Effective,
}

#[pymethods]
impl PyEffective {
    /// The effective record.
    #[getter]
    fn record(&self) -> PyRecord {
        PyRecord::new(self.inner.record.clone())
    }

    /// `field path → "name@version"` of the record that supplied it, in record order.
    #[getter]
    fn provenance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        ser_to_py(py, &self.inner.provenance)
    }

    /// Which record (`name@version`) supplied the value at `path` (or the nearest
    /// enclosing path), or None.
    fn provenance_of(&self, path: &str) -> Option<String> {
        self.inner.provenance_of(path).map(str::to_string)
    }

    /// A new record derived from this effective record: it names the record as upstream
    /// with `relation` and holds only the keyword values that differ from it.
    #[pyo3(signature = (name, version, relation = "finetune", **overrides))]
    fn derive(
        &self,
        py: Python<'_>,
        name: &str,
        version: &str,
        relation: &str,
        overrides: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyRecord> {
        derive_from(
            py,
            self.inner.record.value(),
            name,
            version,
            relation,
            overrides,
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "<umr.Effective {} ({} fields)>",
            self.inner.record.id(),
            self.inner.provenance.len()
        )
    }
}

/// What a registry is built from.
#[derive(FromPyObject)]
pub enum Source<'py> {
    /// One root folder.
    Root(PathBuf),
    /// Records in memory.
    Records(Vec<Bound<'py, PyRecord>>),
    /// Layered root folders (the first root that has a name wins it).
    Roots(Vec<PathBuf>),
}

/// A set of records with their resolved upstream graph. Immutable and safe to share
/// between threads.
#[pyclass(frozen, module = "umr", name = "Registry")]
pub struct PyRegistry {
    inner: Registry,
    report: Vec<Diagnostic>,
}

#[pymethods]
impl PyRegistry {
    /// `Registry(source)`: a root folder (str or path), a list of root folders (layered:
    /// the first root that has a name wins it), or a list of Records.
    #[new]
    fn new(py: Python<'_>, source: Source<'_>) -> PyResult<Self> {
        match source {
            Source::Root(root) => Self::open(py, vec![root]),
            Source::Roots(roots) => Self::open(py, roots),
            Source::Records(list) => {
                let records: Vec<_> = list.iter().map(|r| r.get().inner.clone()).collect();
                let inner = py.detach(|| Registry::from_records(records)).or_raise()?;
                Ok(PyRegistry {
                    inner,
                    report: Vec::new(),
                })
            }
        }
    }

    /// The effective record of a reference (`name`, `name>=1.0`, `name@1.2.0`,
    /// `name==1.2.0`, `name-1.2.0`), with provenance.
    fn resolve(&self, py: Python<'_>, spec: &str) -> PyResult<PyEffective> {
        py.detach(|| self.inner.effective(spec))
            .map(|inner| PyEffective { inner })
            .or_raise()
    }

    /// `field path → "name@version"` for the effective record of a reference.
    fn provenance<'py>(&self, py: Python<'py>, spec: &str) -> PyResult<Bound<'py, PyAny>> {
        let eff = py.detach(|| self.inner.effective(spec)).or_raise()?;
        ser_to_py(py, &eff.provenance)
    }

    /// The record a reference names (the highest matching version), as written.
    fn find(&self, spec: &str) -> PyResult<PyRecord> {
        self.inner
            .find(spec)
            .map(|r| PyRecord::new(r.clone()))
            .or_raise()
    }

    /// Ancestors, descendants and edges of a record: a dict for `format="json"`, text for
    /// `"dot"`, `"mermaid"` and `"tree"`.
    #[pyo3(signature = (spec, format = "json"))]
    fn lineage<'py>(
        &self,
        py: Python<'py>,
        spec: &str,
        format: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let lin = py.detach(|| self.inner.lineage(spec)).or_raise()?;
        let text = match format {
            "json" => return ser_to_py(py, &lin),
            "dot" => lin.to_dot(),
            "mermaid" => lin.to_mermaid(),
            "tree" => lin.to_tree(),
            other => {
                return Err(to_py_err(&UmrError::argument(
                    "E_ENUM",
                    format!("unknown lineage format `{other}` (one of: json, dot, mermaid, tree)"),
                )))
            }
        };
        ser_to_py(py, &text)
    }

    /// Every record downstream of `spec`, with the chain from it and its risks as they
    /// stand there. With `risk`, only the records exposed to that risk id.
    #[pyo3(signature = (spec, risk = None))]
    fn affected<'py>(
        &self,
        py: Python<'py>,
        spec: &str,
        risk: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let list = py.detach(|| self.inner.affected(spec, risk)).or_raise()?;
        ser_to_py(py, &list)
    }

    /// The risks a record is exposed to, its own and inherited, with chains and status.
    fn risks<'py>(&self, py: Python<'py>, spec: &str) -> PyResult<Bound<'py, PyAny>> {
        let list = py.detach(|| self.inner.risks(spec)).or_raise()?;
        ser_to_py(py, &list)
    }

    /// Resolve every record: `{id: Effective or UmrError}` in topological order (ancestors
    /// first). Errors are returned, not raised.
    fn resolve_all<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let all = py.detach(|| self.inner.effective_all());
        let out = PyDict::new(py);
        for (id, res) in all {
            match res {
                Ok(inner) => out.set_item(id, Bound::new(py, PyEffective { inner })?)?,
                Err(e) => out.set_item(id, to_py_err(&e).into_value(py))?,
            }
        }
        Ok(out)
    }

    /// A lock of the registry as resolved now (`{"lock_version": 1, "records": {...}}`).
    fn lock<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let lock = py.detach(|| Lock::of(&self.inner));
        ser_to_py(py, &lock)
    }

    /// Record names, sorted.
    fn names(&self) -> Vec<&str> {
        self.inner.names()
    }

    /// Every record, as written, in load order.
    fn records(&self) -> Vec<PyRecord> {
        self.inner
            .records()
            .map(|r| PyRecord::new(r.clone()))
            .collect()
    }

    /// Diagnostics of the files read when the registry was opened (files with errors
    /// were skipped).
    #[getter]
    fn load_report(&self) -> Vec<PyDiagnostic> {
        diagnostics(&self.report)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!("<umr.Registry {} records>", self.inner.len())
    }
}

impl PyRegistry {
    fn open(py: Python<'_>, roots: Vec<PathBuf>) -> PyResult<Self> {
        let (inner, report) = py
            .detach(|| Registry::open(&roots, &Limits::default()))
            .or_raise()?;
        Ok(PyRegistry {
            inner,
            report: report.diagnostics,
        })
    }
}
