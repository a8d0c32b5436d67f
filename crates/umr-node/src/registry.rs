//! `Registry`, `Effective`, and the async tasks that run registry-wide work on the libuv
//! thread pool instead of the event loop.

use crate::convert::{self, options, Affected, ErrorData, Exposure, LoadReport, Lock, ScoreReport};
use crate::error::{guard, umr};
use crate::record::{overrides_of, Record};
use crate::render::{self, Rendered};
use napi::bindgen_prelude::{AsyncTask, ClassInstance, Either};
use napi::{Env, Task};
use napi_derive::napi;
use serde_json::{Map, Value};
use std::path::PathBuf;
use std::sync::Arc;
use umr_core::interop::{cyclonedx, hf, spdx};
use umr_core::lineage::Format as LineageFormat;
use umr_core::{score, Limits};

/// One folder or a list of folders (layered: the first folder that has a name wins it).
pub type Roots = Either<String, Vec<String>>;

fn roots(paths: Roots) -> Vec<PathBuf> {
    match paths {
        Either::A(one) => vec![PathBuf::from(one)],
        Either::B(many) => many.into_iter().map(PathBuf::from).collect(),
    }
}

/// The effective record of a registry entry (the record over its inheriting ancestors)
/// with the provenance of every field.
#[napi]
pub struct Effective {
    inner: umr_core::Effective,
}

#[napi]
impl Effective {
    /// The effective record.
    #[napi(getter)]
    pub fn record(&self) -> napi::Result<Record> {
        guard(|| Ok(Record::from(self.inner.record.clone())))
    }

    /// `field path → name@version` that supplied it, for every leaf, in record order.
    #[napi(getter, ts_return_type = "{ [path: string]: string }")]
    pub fn provenance(&self) -> napi::Result<Value> {
        guard(|| {
            Ok(Value::Object(
                self.inner
                    .provenance
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect::<Map<String, Value>>(),
            ))
        })
    }

    /// Which record (`name@version`) supplied the value at `path` (or the nearest
    /// enclosing path), or `null`.
    #[napi]
    pub fn provenance_of(&self, path: String) -> napi::Result<Option<String>> {
        guard(|| Ok(self.inner.provenance_of(&path).map(str::to_string)))
    }

    /// Derive a new record from this effective record: it names the record as upstream
    /// with `relation` (the core's default, `finetune`, when absent) and keeps only the
    /// values of `overrides` that differ from it (as `Record.derive`).
    #[napi(
        ts_args_type = "name: string, version: string, relation?: string | null, overrides?: { [field: string]: any }"
    )]
    pub fn derive(
        &self,
        name: String,
        version: String,
        relation: Option<String>,
        overrides: Option<Map<String, Value>>,
    ) -> napi::Result<Record> {
        guard(|| {
            let overrides = overrides_of(overrides)?;
            umr(self
                .inner
                .record
                .derive(&name, &version, relation.as_deref(), &overrides))
            .map(Record::from)
        })
    }
}

/// The outcome of resolving one record of a registry.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Resolved {
    /// `name@version`.
    pub id: String,
    /// The effective record, or `null` when resolution failed.
    pub effective: Option<Effective>,
    /// Why resolution failed (the data an `UmrError` carries; `UmrError.fromData(error)`
    /// makes the error), or `null`.
    pub error: Option<ErrorData>,
}

fn resolved(all: Vec<(String, umr_core::Result<umr_core::Effective>)>) -> Vec<Resolved> {
    all.into_iter()
        .map(|(id, r)| match r {
            Ok(inner) => Resolved {
                id,
                effective: Some(Effective { inner }),
                error: None,
            },
            Err(e) => Resolved {
                id,
                effective: None,
                error: Some(e.to_data().into()),
            },
        })
        .collect()
}

/// A set of records with their resolved upstream graph.
#[napi]
pub struct Registry {
    inner: Arc<umr_core::Registry>,
    report: Option<umr_core::registry::LoadReport>,
}

#[napi]
impl Registry {
    /// Load every record under one folder or a list of folders. Files with errors are
    /// skipped and listed in `loadReport`.
    #[napi(constructor, ts_args_type = "paths: string | Array<string>")]
    pub fn new(paths: Roots) -> napi::Result<Self> {
        guard(|| {
            let (reg, report) = umr(umr_core::Registry::open(&roots(paths), &Limits::default()))?;
            Ok(Registry {
                inner: Arc::new(reg),
                report: Some(report),
            })
        })
    }

    /// A registry of records in memory.
    #[napi(factory)]
    pub fn from_records(records: Vec<ClassInstance<Record>>) -> napi::Result<Registry> {
        guard(|| {
            let records = records.iter().map(|r| r.inner.clone()).collect();
            let reg = umr(umr_core::Registry::from_records(records))?;
            Ok(Registry {
                inner: Arc::new(reg),
                report: None,
            })
        })
    }

    /// Like `new Registry(paths)`, reading and indexing the files off the event loop.
    #[napi(
        ts_args_type = "paths: string | Array<string>",
        ts_return_type = "Promise<Registry>"
    )]
    pub fn open_async(paths: Roots) -> AsyncTask<OpenTask> {
        AsyncTask::new(OpenTask {
            roots: roots(paths),
        })
    }

    /// The effective record of a reference (`name`, `name>=1.0`, `name@1.2.0`, …).
    #[napi]
    pub fn resolve(&self, spec: String) -> napi::Result<Effective> {
        guard(|| umr(self.inner.effective(&spec)).map(|inner| Effective { inner }))
    }

    /// The record (as written) of a reference.
    #[napi]
    pub fn find(&self, spec: String) -> napi::Result<Record> {
        guard(|| umr(self.inner.find(&spec)).map(|r| Record::from(r.clone())))
    }

    /// The lineage of a reference: an object for `json` (the default), text for `dot`,
    /// `mermaid` or `tree`.
    #[napi(ts_args_type = "spec: string, format?: 'json' | 'dot' | 'mermaid' | 'tree'")]
    pub fn lineage(
        &self,
        spec: String,
        format: Option<String>,
    ) -> napi::Result<Either<convert::Lineage, String>> {
        guard(|| {
            let format = match format {
                None => LineageFormat::Json,
                Some(f) => umr(LineageFormat::from_name(&f))?,
            };
            let lin = umr(self.inner.lineage(&spec))?;
            match format {
                LineageFormat::Json => Ok(Either::A(lin.into())),
                text => Ok(Either::B(lin.render(text))),
            }
        })
    }

    /// Every record downstream of `spec`, with the chain from it and `spec`'s risks as
    /// they stand there; with `risk`, only the records exposed to that risk.
    #[napi]
    pub fn affected(&self, spec: String, risk: Option<String>) -> napi::Result<Vec<Affected>> {
        guard(|| {
            umr(self.inner.affected(&spec, risk.as_deref()))
                .map(|v| v.into_iter().map(Affected::from).collect())
        })
    }

    /// The risks a record is exposed to: its own and every upstream record's.
    #[napi]
    pub fn risks(&self, spec: String) -> napi::Result<Vec<Exposure>> {
        guard(|| umr(self.inner.risks(&spec)).map(convert::exposures))
    }

    /// Resolve every record: one entry per record, in topological order (ancestors first).
    #[napi]
    pub fn resolve_all(&self) -> napi::Result<Vec<Resolved>> {
        guard(|| Ok(resolved(self.inner.effective_all())))
    }

    /// Like `resolveAll()`, off the event loop.
    #[napi(ts_return_type = "Promise<Array<Resolved>>")]
    pub fn resolve_all_async(&self) -> AsyncTask<ResolveAllTask> {
        AsyncTask::new(ResolveAllTask {
            registry: Arc::clone(&self.inner),
        })
    }

    /// A lock of every record as resolved now (the `umr.lock` content).
    #[napi]
    pub fn lock(&self) -> napi::Result<Lock> {
        guard(|| Ok(umr_core::Lock::of(&self.inner).into()))
    }

    /// Own and effective transparency scores of a record. `edition` defaults to the one
    /// the effective record declares, else the core's default edition.
    #[napi(ts_args_type = "spec: string, edition?: string | null")]
    pub fn score(&self, spec: String, edition: Option<String>) -> napi::Result<ScoreReport> {
        guard(|| {
            umr(score::score_in_registry(
                &self.inner,
                &spec,
                edition.as_deref(),
            ))
            .map(ScoreReport::from)
        })
    }

    /// The record as a Hugging Face card (`README.md` text): its effective record, or with
    /// `effective` false its own, with upstream relation kinds as resolved.
    #[napi(ts_args_type = "spec: string, effective?: boolean | null")]
    pub fn export_hf(&self, spec: String, effective: Option<bool>) -> napi::Result<String> {
        guard(|| {
            umr(hf::export_with(
                &self.inner,
                &spec,
                &hf::HfExportOptions::with_effective(effective),
            ))
        })
    }

    /// The record (and its direct upstream records, or its whole lineage with `lineage`)
    /// as a CycloneDX ML-BOM. Options (`specVersion`, `lineage`, `effective`, `timestamp`)
    /// and their defaults are the core's `CdxOptions`.
    #[napi(
        ts_args_type = "spec: string, options?: { specVersion?: '1.6' | '1.7' | null, lineage?: boolean | null, effective?: boolean | null, timestamp?: string | null }",
        ts_return_type = "{ [key: string]: any }"
    )]
    pub fn export_cyclonedx(
        &self,
        spec: String,
        options: Option<Map<String, Value>>,
    ) -> napi::Result<Value> {
        guard(|| {
            let opts: cyclonedx::CdxOptions = self::options(options)?;
            umr(cyclonedx::export(&self.inner, &spec, &opts))
        })
    }

    /// The record (and its direct upstream records, or its whole lineage with `lineage`)
    /// as SPDX 3.0.1 JSON-LD. Options (`lineage`, `effective`, `namespace`, `created`) and
    /// their defaults are the core's `SpdxOptions`.
    #[napi(
        ts_args_type = "spec: string, options?: { lineage?: boolean | null, effective?: boolean | null, namespace?: string | null, created?: string | null }",
        ts_return_type = "{ [key: string]: any }"
    )]
    pub fn export_spdx(
        &self,
        spec: String,
        options: Option<Map<String, Value>>,
    ) -> napi::Result<Value> {
        guard(|| {
            let opts: spdx::SpdxOptions = self::options(options)?;
            umr(spdx::export(&self.inner, &spec, &opts))
        })
    }

    /// Render the effective record of a reference with its provenance, lineage, risk
    /// exposures and versions: `html`, `md`/`markdown`, `tex`/`latex` and `svg` (the
    /// lineage graph) as a string, `pdf` as a `Buffer`. An unknown format throws an
    /// `ArgumentError` (`E_FORMAT`).
    #[napi(
        ts_args_type = "spec: string, format: 'html' | 'md' | 'markdown' | 'tex' | 'latex' | 'svg' | 'pdf' | string",
        ts_return_type = "string | Uint8Array"
    )]
    pub fn render(&self, spec: String, format: String) -> napi::Result<Rendered> {
        guard(|| {
            let format = render::format(&format)?;
            render::output(format, umr(self.inner.render(&spec, format))?)
        })
    }

    /// Record names, sorted.
    #[napi]
    pub fn names(&self) -> napi::Result<Vec<String>> {
        guard(|| Ok(self.inner.names().into_iter().map(str::to_string).collect()))
    }

    /// Number of records.
    #[napi(getter)]
    pub fn size(&self) -> napi::Result<u32> {
        guard(|| Ok(u32::try_from(self.inner.len()).unwrap_or(u32::MAX)))
    }

    /// Number of records (same as `size`).
    #[napi(getter)]
    pub fn length(&self) -> napi::Result<u32> {
        self.size()
    }

    /// What loading the folders found (files read, records indexed, every diagnostic), or
    /// `null` for a registry built with `fromRecords`.
    #[napi(getter)]
    pub fn load_report(&self) -> napi::Result<Option<LoadReport>> {
        guard(|| Ok(self.report.clone().map(LoadReport::from)))
    }
}

/// `Registry.openAsync`: load the folders on the thread pool.
pub struct OpenTask {
    roots: Vec<PathBuf>,
}

impl Task for OpenTask {
    type Output = (umr_core::Registry, umr_core::registry::LoadReport);
    type JsValue = Registry;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        guard(|| umr(umr_core::Registry::open(&self.roots, &Limits::default())))
    }

    fn resolve(&mut self, _env: Env, (reg, report): Self::Output) -> napi::Result<Registry> {
        Ok(Registry {
            inner: Arc::new(reg),
            report: Some(report),
        })
    }
}

/// `Registry.resolveAllAsync`: resolve every record on the thread pool.
pub struct ResolveAllTask {
    registry: Arc<umr_core::Registry>,
}

impl Task for ResolveAllTask {
    type Output = Vec<(String, umr_core::Result<umr_core::Effective>)>;
    type JsValue = Vec<Resolved>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        guard(|| Ok(self.registry.effective_all()))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Vec<Resolved>> {
        guard(|| Ok(resolved(output)))
    }
}
