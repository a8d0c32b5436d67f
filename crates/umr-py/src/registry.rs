//! `umr.Registry` and `umr.Effective`.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::path::PathBuf;
use umr_core::interop::{cyclonedx, hf, spdx};
use umr_core::lineage::Format as LineageFormat;
use umr_core::registry::Effective;
use umr_core::{score, Diagnostic, Limits, Lock, Registry};

use crate::convert::{options_of, ser_to_py};
use crate::diagnostic::{diagnostics, PyDiagnostic};
use crate::error::{guard, to_py_err, OrRaise};
use crate::record::{derive_from, PyRecord};
use crate::render;
use umr_core::render::Format;

/// The effective record of a registry entry (the record over its inheriting ancestors)
/// with the provenance of every field.
#[pyclass(frozen, module = "umr", name = "Effective")]
pub struct PyEffective {
    inner: Effective,
    /// The registry it was resolved in (for the HTML card with lineage and provenance).
    registry: Py<PyRegistry>,
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
        guard(|| ser_to_py(py, &self.inner.provenance))
    }

    /// Which record (`name@version`) supplied the value at `path` (or the nearest
    /// enclosing path), or None.
    fn provenance_of(&self, path: &str) -> Option<String> {
        self.inner.provenance_of(path).map(str::to_string)
    }

    /// A new record derived from this effective record: it names the record as upstream
    /// with `relation` (the core's default, `finetune`, when None) and holds only the
    /// keyword values that differ from it.
    #[pyo3(signature = (name, version, relation = None, **overrides))]
    fn derive(
        &self,
        py: Python<'_>,
        name: &str,
        version: &str,
        relation: Option<&str>,
        overrides: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyRecord> {
        guard(|| derive_from(py, &self.inner.record, name, version, relation, overrides))
    }

    /// Jupyter display: the HTML card of the record in its registry (effective record,
    /// provenance, lineage, risks), the core's standalone page in a sandboxed frame.
    fn _repr_html_(&self, py: Python<'_>) -> PyResult<String> {
        guard(|| {
            let id = self.inner.record.id();
            let registry = &self.registry.get().inner;
            let page = py
                .detach(|| registry.render(&id, Format::Html))
                .or_raise()?;
            render::notebook(page, &id)
        })
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
        guard(|| match source {
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
        })
    }

    /// The effective record of a reference (`name`, `name>=1.0`, `name@1.2.0`,
    /// `name==1.2.0`, `name-1.2.0`), with provenance.
    fn resolve(slf: &Bound<'_, Self>, spec: &str) -> PyResult<PyEffective> {
        guard(|| {
            let py = slf.py();
            let this = slf.get();
            py.detach(|| this.inner.effective(spec))
                .map(|inner| PyEffective {
                    inner,
                    registry: slf.clone().unbind(),
                })
                .or_raise()
        })
    }

    /// `field path → "name@version"` for the effective record of a reference.
    fn provenance<'py>(&self, py: Python<'py>, spec: &str) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let eff = py.detach(|| self.inner.effective(spec)).or_raise()?;
            ser_to_py(py, &eff.provenance)
        })
    }

    /// The record a reference names (the highest matching version), as written.
    fn find(&self, spec: &str) -> PyResult<PyRecord> {
        guard(|| {
            self.inner
                .find(spec)
                .map(|r| PyRecord::new(r.clone()))
                .or_raise()
        })
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
        guard(|| {
            let format = LineageFormat::from_name(format).or_raise()?;
            let lin = py.detach(|| self.inner.lineage(spec)).or_raise()?;
            match format {
                LineageFormat::Json => ser_to_py(py, &lin),
                text => ser_to_py(py, &lin.render(text)),
            }
        })
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
        guard(|| {
            let list = py.detach(|| self.inner.affected(spec, risk)).or_raise()?;
            ser_to_py(py, &list)
        })
    }

    /// The risks a record is exposed to, its own and inherited, with chains and status.
    fn risks<'py>(&self, py: Python<'py>, spec: &str) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let list = py.detach(|| self.inner.risks(spec)).or_raise()?;
            ser_to_py(py, &list)
        })
    }

    /// Resolve every record: `{id: Effective or UmrError}` in topological order (ancestors
    /// first). Errors are returned, not raised.
    fn resolve_all<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        guard(|| {
            let py = slf.py();
            let this = slf.get();
            let all = py.detach(|| this.inner.effective_all());
            let out = PyDict::new(py);
            for (id, res) in all {
                match res {
                    Ok(inner) => {
                        let registry = slf.clone().unbind();
                        out.set_item(id, Bound::new(py, PyEffective { inner, registry })?)?
                    }
                    Err(e) => out.set_item(id, to_py_err(&e).into_value(py))?,
                }
            }
            Ok(out)
        })
    }

    /// A lock of the registry as resolved now (`{"lock_version": 1, "records": {...}}`).
    fn lock<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let lock = py.detach(|| Lock::of(&self.inner));
            ser_to_py(py, &lock)
        })
    }

    /// Own and effective transparency scores of a record (`umr_core::score`): the
    /// ScoreReport as a dict. `edition` defaults to the one the effective record declares,
    /// else the core's default edition.
    #[pyo3(signature = (spec, edition = None))]
    fn score<'py>(
        &self,
        py: Python<'py>,
        spec: &str,
        edition: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let report = py
                .detach(|| score::score_in_registry(&self.inner, spec, edition))
                .or_raise()?;
            ser_to_py(py, &report)
        })
    }

    /// The record as a Hugging Face card (`README.md` text): its effective record, or
    /// with `effective=False` its own, with upstream relation kinds as resolved.
    #[pyo3(signature = (spec, effective = None))]
    fn export_hf(&self, py: Python<'_>, spec: &str, effective: Option<bool>) -> PyResult<String> {
        guard(|| {
            let opts = hf::HfExportOptions::with_effective(effective);
            py.detach(|| hf::export_with(&self.inner, spec, &opts))
                .or_raise()
        })
    }

    /// The record (and its direct upstream records, or its whole lineage with
    /// `lineage=True`) as a CycloneDX ML-BOM dict. Options (`spec_version`, `lineage`,
    /// `effective`, `timestamp`) and their defaults are the core's `CdxOptions`.
    #[pyo3(signature = (spec, **options))]
    fn export_cyclonedx<'py>(
        &self,
        py: Python<'py>,
        spec: &str,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let opts: cyclonedx::CdxOptions = options_of(options)?;
            let bom = py
                .detach(|| cyclonedx::export(&self.inner, spec, &opts))
                .or_raise()?;
            ser_to_py(py, &bom)
        })
    }

    /// The record (and its direct upstream records, or its whole lineage with
    /// `lineage=True`) as an SPDX 3.0.1 JSON-LD dict. Options (`lineage`, `effective`,
    /// `namespace`, `created`) and their defaults are the core's `SpdxOptions`.
    #[pyo3(signature = (spec, **options))]
    fn export_spdx<'py>(
        &self,
        py: Python<'py>,
        spec: &str,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let opts: spdx::SpdxOptions = options_of(options)?;
            let doc = py
                .detach(|| spdx::export(&self.inner, spec, &opts))
                .or_raise()?;
            ser_to_py(py, &doc)
        })
    }

    /// Render the effective record of a reference with its provenance, lineage, risk
    /// exposures and versions: `"html"`, `"md"`/`"markdown"`, `"tex"`/`"latex"` and
    /// `"svg"` (the lineage graph) as `str`, `"pdf"` as `bytes`.
    fn render<'py>(
        &self,
        py: Python<'py>,
        spec: &str,
        format: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let format = render::format(format)?;
            let out = py.detach(|| self.inner.render(spec, format)).or_raise()?;
            render::output(py, format, out)
        })
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
