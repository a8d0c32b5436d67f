//! `Registry` (records in memory, with their resolved upstream graph) and `Effective`.

use crate::convert::{nullable, to_js};
use crate::error::{argument, umr, JsResult};
use crate::record::Record;
#[cfg(feature = "render")]
use umr_core::render::svg::{self, SvgOptions};
#[cfg(feature = "render")]
use umr_core::render::view::Graph;
#[cfg(feature = "render")]
use umr_core::render::View;
use wasm_bindgen::prelude::*;

/// The effective record of a registry entry (the record over its inheriting ancestors)
/// with the provenance of every field.
#[wasm_bindgen]
pub struct Effective {
    inner: umr_core::Effective,
}

#[wasm_bindgen]
impl Effective {
    /// The effective record.
    #[wasm_bindgen(getter)]
    pub fn record(&self) -> Record {
        Record::from(self.inner.record.clone())
    }

    /// `field path → name@version` that supplied it, for every leaf, in record order.
    #[wasm_bindgen(getter)]
    pub fn provenance(&self) -> JsResult<JsValue> {
        to_js(&self.inner.provenance)
    }

    /// Which record (`name@version`) supplied the value at `path` (or the nearest
    /// enclosing path), or `null`.
    #[wasm_bindgen(js_name = provenanceOf)]
    pub fn provenance_of(&self, path: &str) -> JsValue {
        nullable(self.inner.provenance_of(path))
    }
}

/// Collects records for `Registry.fromRecords` (records are borrowed, so the caller's
/// `Record` objects stay usable).
#[wasm_bindgen(js_name = __RegistryBuilder, skip_typescript)]
#[derive(Default)]
pub struct RegistryBuilder {
    records: Vec<umr_core::Record>,
}

#[wasm_bindgen(js_class = __RegistryBuilder)]
impl RegistryBuilder {
    /// An empty builder.
    #[wasm_bindgen(constructor)]
    pub fn new() -> RegistryBuilder {
        RegistryBuilder::default()
    }

    /// Add a record.
    pub fn add(&mut self, record: &Record) {
        self.records.push(record.inner.clone());
    }

    /// The registry of the records added.
    pub fn build(self) -> JsResult<Registry> {
        umr(umr_core::Registry::from_records(self.records)).map(|inner| Registry { inner })
    }
}

/// A set of records with their resolved upstream graph.
#[wasm_bindgen]
pub struct Registry {
    inner: umr_core::Registry,
}

#[wasm_bindgen]
impl Registry {
    /// The effective record of a reference (`name`, `name>=1.0`, `name@1.2.0`, …).
    pub fn resolve(&self, spec: &str) -> JsResult<Effective> {
        umr(self.inner.effective(spec)).map(|inner| Effective { inner })
    }

    /// The record (as written) of a reference.
    pub fn find(&self, spec: &str) -> JsResult<Record> {
        umr(self.inner.find(spec)).map(|r| Record::from(r.clone()))
    }

    /// The lineage of a reference: an object for `json` (the default), text for `dot`,
    /// `mermaid`, `tree` or `svg` (a standalone SVG drawing).
    pub fn lineage(&self, spec: &str, format: Option<String>) -> JsResult<JsValue> {
        let lin = umr(self.inner.lineage(spec))?;
        match format.as_deref() {
            None | Some("json") => to_js(&lin),
            Some("dot") => Ok(JsValue::from_str(&lin.to_dot())),
            Some("mermaid") => Ok(JsValue::from_str(&lin.to_mermaid())),
            Some("tree") => Ok(JsValue::from_str(&lin.to_tree())),
            #[cfg(feature = "render")]
            Some("svg") => Ok(JsValue::from_str(&svg::to_svg(
                &Graph::from_lineage(&lin),
                &SvgOptions::default(),
            ))),
            #[cfg(not(feature = "render"))]
            Some("svg") => Err(argument(
                "E_UNSUPPORTED",
                "SVG drawing is not in this build of the package (built without the `render` \
                 feature); use `mermaid` or `dot`",
            )),
            Some(other) => Err(argument(
                "E_ENUM",
                format!("unknown lineage format `{other}` (one of: json, dot, mermaid, tree, svg)"),
            )),
        }
    }

    #[cfg(feature = "render")]
    /// Render the effective record of a reference with its provenance, lineage, risk
    /// exposures, versions and downstream records: `html`, `md` / `markdown`, or `svg`.
    pub fn render(&self, spec: &str, format: &str) -> JsResult<String> {
        let view = umr(View::from_registry(&self.inner, spec))?;
        crate::render::render_view(&view, format)
    }

    #[cfg(feature = "hf")]
    /// A reference's record as a Hugging Face card `README.md`: its effective record
    /// (`effective`, the default) or its own, with upstream relation kinds as resolved.
    #[wasm_bindgen(js_name = exportHf)]
    pub fn export_hf(&self, spec: &str, effective: Option<bool>) -> JsResult<String> {
        umr(umr_core::interop::hf::export_with(
            &self.inner,
            spec,
            &umr_core::interop::hf::HfExportOptions::with_effective(effective),
        ))
    }

    /// Every record downstream of `spec`, with the chain from it and `spec`'s risks as
    /// they stand there; with `risk`, only the records exposed to that risk.
    pub fn affected(&self, spec: &str, risk: Option<String>) -> JsResult<JsValue> {
        to_js(&umr(self.inner.affected(spec, risk.as_deref()))?)
    }

    /// The risks a record is exposed to: its own and every upstream record's.
    pub fn risks(&self, spec: &str) -> JsResult<JsValue> {
        to_js(&umr(self.inner.risks(spec))?)
    }

    /// Own and effective transparency scores of a record. `edition` defaults to the one
    /// the effective record declares, else the core's default edition.
    #[cfg(feature = "score")]
    pub fn score(&self, spec: &str, edition: Option<String>) -> JsResult<JsValue> {
        to_js(&umr(umr_core::score::score_in_registry(
            &self.inner,
            spec,
            edition.as_deref(),
        ))?)
    }

    /// Resolve every record: `{id, effective, error}` per record, in topological order
    /// (ancestors first); `effective` or `error` (the data of an `UmrError`) is `null`.
    #[wasm_bindgen(js_name = resolveAll)]
    pub fn resolve_all(&self) -> JsResult<js_sys::Array> {
        let out = js_sys::Array::new();
        for (id, r) in self.inner.effective_all() {
            let item = js_sys::Object::new();
            let (effective, error) = match r {
                Ok(inner) => (JsValue::from(Effective { inner }), JsValue::NULL),
                Err(e) => (JsValue::NULL, to_js(&e.to_data())?),
            };
            js_sys::Reflect::set(&item, &"id".into(), &JsValue::from_str(&id))?;
            js_sys::Reflect::set(&item, &"effective".into(), &effective)?;
            js_sys::Reflect::set(&item, &"error".into(), &error)?;
            out.push(&item);
        }
        Ok(out)
    }

    /// A lock of every record as resolved now (the `umr.lock` content).
    pub fn lock(&self) -> JsResult<JsValue> {
        to_js(&umr_core::Lock::of(&self.inner))
    }

    /// Record names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.inner.names().into_iter().map(str::to_string).collect()
    }

    /// Number of records.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }

    /// Number of records (same as `size`).
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        self.size()
    }

    /// Always `null`: a registry in the browser is built from records, not read from
    /// folders (kept for the shape of the Node package's `Registry`).
    #[wasm_bindgen(getter, js_name = loadReport)]
    pub fn load_report(&self) -> JsValue {
        JsValue::NULL
    }
}
