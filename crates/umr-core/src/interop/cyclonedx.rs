//! CycloneDX ML-BOM (JSON, spec 1.6 or 1.7): export of a record or a whole lineage, import
//! of `machine-learning-model` and `data` components.
//!
//! Export layout:
//! - `metadata.component` is the exported record; models and families are components of
//!   type `machine-learning-model` with a `modelCard`, datasets are `data` components;
//! - the model ancestry (fine-tune, adapter, merge, quantized, distillation, derived-from,
//!   family membership) nests in `pedigree.ancestors` (each record once with its `bom-ref`;
//!   a second occurrence in a diamond is a reference stub with the property `umr:ref`);
//! - datasets and every record not placed in a pedigree are top-level `components`;
//! - `dependencies` holds every resolved edge (`ref` depends on its upstream records);
//! - `modelCard.modelParameters.datasets` refers to the training and evaluation datasets.

use crate::diagnostic::{Diagnostic, Result, UmrError};
use crate::interop::graph::{ExportSet, Member};
use crate::interop::license;
use crate::interop::util::{self, scalar_string, text_items};
use crate::limits::Limits;
use crate::model::{Kind, RelationKind, FORMAT_VERSION};
use crate::record::Record;
use crate::registry::Registry;
use serde_json::{json, Map, Value};

/// CycloneDX specification versions this crate writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum CdxVersion {
    /// CycloneDX 1.6.
    #[default]
    #[serde(rename = "1.6")]
    V1_6,
    /// CycloneDX 1.7.
    #[serde(rename = "1.7")]
    V1_7,
}

impl CdxVersion {
    /// `1.6` / `1.7`.
    pub fn as_str(&self) -> &'static str {
        match self {
            CdxVersion::V1_6 => "1.6",
            CdxVersion::V1_7 => "1.7",
        }
    }

    /// Parse `1.6` / `1.7`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "1.6" => Some(CdxVersion::V1_6),
            "1.7" => Some(CdxVersion::V1_7),
            _ => None,
        }
    }
}

/// Options for a CycloneDX export (deserialisable; missing fields take the defaults).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CdxOptions {
    /// Specification version (default 1.6).
    pub spec_version: CdxVersion,
    /// Export the whole lineage (ancestors and descendants), not just direct upstreams.
    pub lineage: bool,
    /// Export effective records (inheritance applied; default true).
    pub effective: bool,
    /// `metadata.timestamp` (ISO 8601); omitted when None so exports are reproducible.
    pub timestamp: Option<String>,
}

impl Default for CdxOptions {
    fn default() -> Self {
        CdxOptions {
            spec_version: CdxVersion::V1_6,
            lineage: false,
            effective: true,
            timestamp: None,
        }
    }
}

fn bom_ref(m: &Member) -> String {
    m.id.clone()
}

fn split_name(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((g, n)) => (Some(g), n),
        None => (None, name),
    }
}

fn text_of(v: Option<&Value>) -> Option<String> {
    let items = text_items(v?);
    if items.is_empty() {
        None
    } else {
        Some(items.join("\n\n"))
    }
}

fn prop(name: &str, value: impl Into<String>) -> Value {
    json!({"name": name, "value": value.into()})
}

fn external_type(url: &str) -> &'static str {
    let u = url.to_ascii_lowercase();
    if u.contains("github.com") || u.contains("gitlab.com") || u.ends_with(".git") {
        "vcs"
    } else if u.contains("huggingface.co") {
        "model-card"
    } else if u.contains("arxiv.org") || u.ends_with(".pdf") || u.contains("doi.org") {
        "documentation"
    } else {
        "website"
    }
}

fn licenses(v: &Value) -> Option<Value> {
    let lic = v.get("license").filter(|x| !x.is_null())?;
    let (expr, name, url) = license::spdx_expression(lic)?;
    if license::is_spdx_expression(&expr) && !expr.starts_with("LicenseRef-") && !expr.contains(' ')
    {
        if let Some(id) = spdx::license_id(&expr) {
            if !id.is_deprecated() {
                let mut l = Map::new();
                l.insert("id".into(), json!(expr));
                if let Some(u) = url {
                    l.insert("url".into(), json!(u));
                }
                return Some(json!([{ "license": l }]));
            }
        }
    }
    if expr.starts_with("LicenseRef-") && !expr.contains(' ') {
        let mut l = Map::new();
        l.insert("name".into(), json!(name.unwrap_or_else(|| expr.clone())));
        if let Some(u) = url {
            l.insert("url".into(), json!(u));
        }
        return Some(json!([{ "license": l }]));
    }
    Some(json!([{ "expression": expr }]))
}

fn modality_formats(v: Option<&Value>) -> Option<Value> {
    let a = v?.as_array()?;
    let out: Vec<Value> = a
        .iter()
        .filter_map(Value::as_str)
        .map(|s| json!({"format": s}))
        .collect();
    (!out.is_empty()).then_some(Value::Array(out))
}

fn exposure_text(e: &crate::risk::Exposure) -> String {
    let mut s = e.id.clone();
    if let Some(t) = &e.title {
        s.push_str(&format!(": {t}"));
    }
    s.push_str(&format!(
        " ({}, {})",
        e.status.as_str(),
        match e.severity {
            crate::model::Severity::Low => "low",
            crate::model::Severity::Medium => "medium",
            crate::model::Severity::High => "high",
            crate::model::Severity::Critical => "critical",
        }
    ));
    if e.chain.len() > 1 {
        s.push_str(&format!(" via {}", e.chain.join(" → ")));
    }
    s
}

fn model_card(set: &ExportSet, p: usize) -> Value {
    let m = &set.members[p];
    let v = &m.value;
    let details = v.get("details");
    let d = |k: &str| details.and_then(|x| x.get(k)).filter(|x| !x.is_null());
    let mut params = Map::new();
    let task = d("pipeline_tag")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            v.get("evaluations")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|e| e.get("task"))
                .and_then(Value::as_str)
                .map(str::to_string)
        });
    if let Some(t) = task {
        params.insert("task".into(), json!(t));
    }
    if let Some(t) = d("model_type").and_then(Value::as_str) {
        params.insert("architectureFamily".into(), json!(t));
    }
    if let Some(t) = text_of(d("architecture")) {
        params.insert("modelArchitecture".into(), json!(t));
    }
    // datasets: resolved dataset parents in the BOM, else named trained-on relations
    let mut datasets: Vec<Value> = Vec::new();
    let parents = set.parents(p);
    for (q, rel) in &parents {
        if matches!(rel, RelationKind::TrainedOn | RelationKind::EvaluatedOn)
            || set.members[*q].kind == Kind::Dataset
        {
            datasets.push(json!({"ref": bom_ref(&set.members[*q])}));
        }
    }
    if parents.is_empty() {
        if let Some(Value::Array(ups)) = v.get("upstream") {
            for u in ups {
                if u.get("relation").and_then(Value::as_str) == Some("trained_on") {
                    if let Some(n) = u.get("name").and_then(Value::as_str) {
                        datasets.push(json!({"type": "dataset", "name": n}));
                    }
                }
            }
        }
    }
    if !datasets.is_empty() {
        params.insert("datasets".into(), Value::Array(datasets));
    }
    let modalities = d("modalities");
    if let Some(i) = modality_formats(modalities.and_then(|x| x.get("input"))) {
        params.insert("inputs".into(), i);
    }
    if let Some(o) = modality_formats(modalities.and_then(|x| x.get("output"))) {
        params.insert("outputs".into(), o);
    }
    let mut card = Map::new();
    if !params.is_empty() {
        card.insert("modelParameters".into(), Value::Object(params));
    }
    // quantitative analysis
    if let Some(Value::Array(evals)) = v.get("evaluations") {
        let metrics: Vec<Value> = evals
            .iter()
            .map(|e| {
                let s = |k: &str| e.get(k).and_then(scalar_string);
                let mut pm = Map::new();
                let mtype = match (s("metric"), s("metric_name")) {
                    (Some(t), Some(n)) if n != t => format!("{t} ({n})"),
                    (Some(t), _) => t,
                    (None, n) => n.unwrap_or_default(),
                };
                pm.insert("type".into(), json!(mtype));
                pm.insert("value".into(), json!(s("value").unwrap_or_default()));
                let mut slice = s("dataset_name")
                    .or_else(|| s("dataset"))
                    .unwrap_or_default();
                let extra: Vec<String> = ["dataset_config", "dataset_split"]
                    .iter()
                    .filter_map(|k| s(k))
                    .collect();
                if !extra.is_empty() {
                    slice.push_str(&format!(" ({})", extra.join(", ")));
                }
                if !slice.is_empty() {
                    pm.insert("slice".into(), json!(slice));
                }
                Value::Object(pm)
            })
            .collect();
        if !metrics.is_empty() {
            card.insert(
                "quantitativeAnalysis".into(),
                json!({ "performanceMetrics": metrics }),
            );
        }
    }
    // considerations
    let c = v.get("card");
    let sec = |k: &str| c.and_then(|x| x.get(k)).map(text_items).unwrap_or_default();
    let mut cons = Map::new();
    let uses = sec("intended_use");
    if !uses.is_empty() {
        cons.insert("useCases".into(), json!(uses));
    }
    let lim = sec("limitations");
    if !lim.is_empty() {
        cons.insert("technicalLimitations".into(), json!(lim));
    }
    let mut ethical: Vec<Value> = sec("ethical_considerations")
        .into_iter()
        .map(|t| json!({"name": t}))
        .collect();
    for e in &m.exposures {
        let mut r = Map::new();
        r.insert("name".into(), json!(exposure_text(e)));
        if let Some(mit) = &e.mitigation {
            r.insert(
                "mitigationStrategy".into(),
                json!(format!("{} (by {})", mit.justification, mit.by)),
            );
        }
        ethical.push(Value::Object(r));
    }
    if !ethical.is_empty() {
        cons.insert("ethicalConsiderations".into(), Value::Array(ethical));
    }
    if let Some(co2) = d("co2_eq_emissions") {
        cons.insert(
            "environmentalConsiderations".into(),
            json!({"properties": [prop("co2_eq_emissions", co2_text(co2))]}),
        );
    }
    if !cons.is_empty() {
        card.insert("considerations".into(), Value::Object(cons));
    }
    // the rest as properties
    let mut props = Vec::new();
    for k in [
        "out_of_scope_use",
        "factors",
        "training_data",
        "evaluation_data",
        "recommendations",
        "additional_information",
    ] {
        for t in sec(k) {
            props.push(prop(&format!("umr:card.{k}"), t));
        }
    }
    for k in [
        "parameters",
        "context_length",
        "library",
        "quantization",
        "precision",
        "size",
        "compute",
    ] {
        if let Some(x) = d(k).and_then(scalar_string) {
            props.push(prop(&format!("umr:details.{k}"), x));
        }
    }
    if let Some(Value::Array(l)) = d("languages") {
        let langs: Vec<&str> = l.iter().filter_map(Value::as_str).collect();
        if !langs.is_empty() {
            props.push(prop("umr:details.languages", langs.join(", ")));
        }
    }
    if !props.is_empty() {
        card.insert("properties".into(), Value::Array(props));
    }
    Value::Object(card)
}

fn co2_text(v: &Value) -> String {
    scalar_string(v).unwrap_or_else(|| serde_json::to_string(v).unwrap_or_default())
}

fn relation_word(r: RelationKind) -> &'static str {
    r.as_str()
}

/// Whether a relation places the parent in the child's pedigree.
fn in_pedigree(child: Kind, parent: Kind, r: RelationKind) -> bool {
    match r {
        RelationKind::TrainedOn | RelationKind::EvaluatedOn => false,
        _ => child == Kind::Dataset || parent != Kind::Dataset,
    }
}

struct Builder<'a> {
    set: &'a ExportSet,
    placed: Vec<bool>,
}

const MAX_NESTING: usize = 32;

impl Builder<'_> {
    fn stub(&self, q: usize) -> Value {
        let m = &self.set.members[q];
        let (group, name) = split_name(&m.name);
        let mut c = Map::new();
        c.insert("type".into(), json!(component_type(m.kind)));
        if let Some(g) = group {
            c.insert("group".into(), json!(g));
        }
        c.insert("name".into(), json!(name));
        c.insert("version".into(), json!(m.version));
        c.insert("properties".into(), json!([prop("umr:ref", bom_ref(m))]));
        Value::Object(c)
    }

    fn component(&mut self, p: usize, depth: usize) -> Value {
        self.placed[p] = true;
        let set = self.set;
        let m = &set.members[p];
        let v = &m.value;
        let (group, name) = split_name(&m.name);
        let mut c = Map::new();
        c.insert("type".into(), json!(component_type(m.kind)));
        c.insert("bom-ref".into(), json!(bom_ref(m)));
        if let Some(pbl) = v.get("publisher").and_then(Value::as_str) {
            c.insert("publisher".into(), json!(pbl));
        }
        if let Some(g) = group {
            c.insert("group".into(), json!(g));
        }
        c.insert("name".into(), json!(name));
        c.insert("version".into(), json!(m.version));
        let desc = text_of(v.get("description"))
            .or_else(|| v.get("title").and_then(Value::as_str).map(str::to_string));
        if let Some(dsc) = &desc {
            c.insert("description".into(), json!(dsc));
        }
        if let Some(l) = licenses(v) {
            c.insert("licenses".into(), l);
        }
        // pedigree
        let mut ancestors = Vec::new();
        for (q, rel) in set.parents(p) {
            if !in_pedigree(m.kind, set.members[q].kind, rel) {
                continue;
            }
            if self.placed[q] || depth >= MAX_NESTING {
                ancestors.push(self.stub(q));
            } else {
                ancestors.push(self.component(q, depth + 1));
            }
        }
        if !ancestors.is_empty() {
            c.insert("pedigree".into(), json!({ "ancestors": ancestors }));
        }
        let mut ext_refs = Vec::new();
        if let Some(Value::Array(refs)) = v.get("references") {
            for r in refs.iter().filter_map(Value::as_str) {
                ext_refs.push(json!({"type": external_type(r), "url": r}));
            }
        }
        if let Some(u) = v
            .get("license")
            .and_then(|l| l.get("url"))
            .and_then(Value::as_str)
        {
            ext_refs.push(json!({"type": "license", "url": u}));
        }
        if !ext_refs.is_empty() {
            c.insert("externalReferences".into(), Value::Array(ext_refs));
        }
        if let Some(Value::Array(tags)) = v.get("tags") {
            let t: Vec<&str> = tags.iter().filter_map(Value::as_str).collect();
            if !t.is_empty() {
                c.insert("tags".into(), json!(t));
            }
        }
        match m.kind {
            Kind::Model | Kind::Family => {
                c.insert("modelCard".into(), model_card(set, p));
            }
            Kind::Dataset => {
                let mut d = Map::new();
                d.insert("type".into(), json!("dataset"));
                d.insert("name".into(), json!(m.name));
                let mut parts: Vec<String> = Vec::new();
                if let Some(dsc) = &desc {
                    parts.push(dsc.clone());
                }
                if let Some(s) = v
                    .get("details")
                    .and_then(|x| x.get("size"))
                    .and_then(Value::as_str)
                {
                    parts.push(format!("Size: {s}"));
                }
                if !parts.is_empty() {
                    d.insert("description".into(), json!(parts.join("\n\n")));
                }
                let sensitive: Vec<String> = v
                    .get("risks")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter(|r| {
                                r.get("status").and_then(Value::as_str) != Some("mitigated")
                            })
                            .filter_map(|r| r.get("id").and_then(Value::as_str))
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                if !sensitive.is_empty() {
                    d.insert("sensitiveData".into(), json!(sensitive));
                }
                c.insert("data".into(), json!([d]));
            }
        }
        let mut props = vec![prop("umr:kind", m.kind.as_str())];
        if let Some(t) = v.get("title").and_then(Value::as_str) {
            props.push(prop("umr:title", t));
        }
        if let Some(d) = v.get("release_date").and_then(Value::as_str) {
            props.push(prop("umr:release_date", d));
        }
        for (q, rel) in set.parents(p) {
            props.push(prop(
                &format!("umr:upstream.{}", relation_word(rel)),
                bom_ref(&set.members[q]),
            ));
        }
        for e in &m.exposures {
            props.push(prop("umr:risk", exposure_text(e)));
        }
        c.insert("properties".into(), Value::Array(props));
        Value::Object(c)
    }
}

fn component_type(k: Kind) -> &'static str {
    match k {
        Kind::Model | Kind::Family => "machine-learning-model",
        Kind::Dataset => "data",
    }
}

/// Build the BOM of an export set.
pub fn bom(set: &ExportSet, opts: &CdxOptions) -> Value {
    let mut b = Builder {
        set,
        placed: vec![false; set.members.len()],
    };
    let root = b.component(0, 0);
    let mut components = Vec::new();
    for p in 1..set.members.len() {
        if !b.placed[p] {
            components.push(b.component(p, 0));
        }
    }
    let mut deps = Vec::new();
    for (p, m) in set.members.iter().enumerate() {
        let mut on: Vec<String> = Vec::new();
        for (q, _) in set.parents(p) {
            let r = bom_ref(&set.members[q]);
            if !on.contains(&r) {
                on.push(r);
            }
        }
        let mut dep = Map::new();
        dep.insert("ref".into(), json!(bom_ref(m)));
        if !on.is_empty() {
            dep.insert("dependsOn".into(), json!(on));
        }
        deps.push(Value::Object(dep));
    }
    let v = opts.spec_version.as_str();
    let mut meta = Map::new();
    if let Some(t) = &opts.timestamp {
        meta.insert("timestamp".into(), json!(t));
    }
    meta.insert(
        "tools".into(),
        json!({"components": [{"type": "application", "name": "umr", "version": crate::VERSION}]}),
    );
    meta.insert("component".into(), root);
    let mut bom = Map::new();
    bom.insert(
        "$schema".into(),
        json!(format!("http://cyclonedx.org/schema/bom-{v}.schema.json")),
    );
    bom.insert("bomFormat".into(), json!("CycloneDX"));
    bom.insert("specVersion".into(), json!(v));
    bom.insert("version".into(), json!(1));
    bom.insert("metadata".into(), Value::Object(meta));
    if !components.is_empty() {
        bom.insert("components".into(), Value::Array(components));
    }
    bom.insert("dependencies".into(), Value::Array(deps));
    let body = serde_json::to_vec(&bom).unwrap_or_default();
    let serial = format!("urn:uuid:{}", util::uuid_from(&body));
    let mut out = Map::new();
    for (k, x) in bom {
        out.insert(k.clone(), x);
        if k == "specVersion" {
            out.insert("serialNumber".into(), json!(serial));
        }
    }
    Value::Object(out)
}

fn check_options(opts: &CdxOptions) -> Result<()> {
    match &opts.timestamp {
        Some(t) => util::check_timestamp(t),
        None => Ok(()),
    }
}

/// Export record `spec` of a registry (and its direct upstream records, or its whole
/// lineage with `opts.lineage`) as a CycloneDX BOM.
pub fn export(reg: &Registry, spec: &str, opts: &CdxOptions) -> Result<Value> {
    check_options(opts)?;
    let set = ExportSet::build(reg, spec, opts.lineage, opts.effective)?;
    Ok(bom(&set, opts))
}

/// Export one record (a value tree, validated) without a registry: no pedigree, training
/// datasets named inline.
pub fn export_record(record: &Value, opts: &CdxOptions) -> Result<Value> {
    check_options(opts)?;
    let set = ExportSet::single(record)?;
    Ok(bom(&set, opts))
}

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

/// Options for importing a BOM (deserialisable; missing fields take the defaults).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CdxImportOptions {
    /// Name of the record when the BOM has exactly one ML or data component.
    pub name: Option<String>,
    /// Version of the record(s) (default: the component version as a semantic version,
    /// else `1.0.0`).
    pub version: Option<String>,
    /// File name for diagnostics.
    pub file: Option<String>,
    /// Resource limits.
    pub limits: Limits,
}

fn collect_components<'a>(v: &'a Value, path: String, out: &mut Vec<(String, &'a Value)>) {
    let mut stack = vec![(v, path)];
    while let Some((c, p)) = stack.pop() {
        if matches!(
            c.get("type").and_then(Value::as_str),
            Some("machine-learning-model") | Some("data")
        ) {
            out.push((p.clone(), c));
        }
        if let Some(Value::Array(kids)) = c.get("components") {
            for (i, k) in kids.iter().enumerate().rev() {
                stack.push((k, format!("{p}.components[{i}]")));
            }
        }
    }
}

fn import_license(ls: &Value) -> Option<Value> {
    let a = ls.as_array()?;
    let mut ids = Vec::new();
    let mut single_named: Option<Value> = None;
    for l in a {
        if let Some(e) = l.get("expression").and_then(Value::as_str) {
            ids.push(e.to_string());
        } else if let Some(lic) = l.get("license") {
            let url = lic
                .get("url")
                .and_then(Value::as_str)
                .filter(|u| crate::validate::check_url(u).is_ok());
            if let Some(id) = lic.get("id").and_then(Value::as_str) {
                ids.push(id.to_string());
                if a.len() == 1 {
                    if let Some(u) = url {
                        single_named = Some(json!({"id": id, "url": u}));
                    }
                }
            } else if let Some(n) = lic.get("name").and_then(Value::as_str) {
                let r = license::license_ref(n);
                ids.push(r.clone());
                if a.len() == 1 {
                    let mut m = Map::new();
                    m.insert("id".into(), json!(r));
                    m.insert("name".into(), json!(n));
                    if let Some(u) = url {
                        m.insert("url".into(), json!(u));
                    }
                    single_named = Some(Value::Object(m));
                }
            }
        }
    }
    if let Some(n) = single_named {
        return Some(n);
    }
    let expr = match ids.len() {
        0 => return None,
        1 => ids.remove(0),
        _ => ids
            .iter()
            .map(|i| {
                if i.contains(' ') {
                    format!("({i})")
                } else {
                    i.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" AND "),
    };
    if license::is_spdx_expression(&expr) {
        Some(json!(expr))
    } else {
        Some(json!({"id": license::license_ref(&expr), "name": expr}))
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(scalar_string).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn remove_path(v: &mut Value, path: &[&str]) {
    match path {
        [] => {}
        [last] => {
            if let Some(m) = v.as_object_mut() {
                m.remove(*last);
            }
        }
        [first, rest @ ..] => {
            if let Some(inner) = v.get_mut(*first) {
                remove_path(inner, rest);
                if inner.as_object().is_some_and(Map::is_empty) {
                    if let Some(m) = v.as_object_mut() {
                        m.remove(*first);
                    }
                }
            }
        }
    }
}

/// Import the `machine-learning-model` and `data` components of a CycloneDX BOM (JSON, any
/// 1.x version; `metadata.component` first, then `components`, nested ones included) as
/// records. Returns the records and the warnings.
pub fn import(text: &str, opts: &CdxImportOptions) -> Result<(Vec<Record>, Vec<Diagnostic>)> {
    let file = opts.file.as_deref();
    let fail = |d: Diagnostic| UmrError::Invalid(vec![d.in_file(file)]);
    if text.len() > opts.limits.max_file_bytes {
        return Err(fail(Diagnostic::error(
            "E_LIMIT_SIZE",
            "",
            format!(
                "BOM is {} bytes; the limit is {}",
                text.len(),
                opts.limits.max_file_bytes
            ),
        )));
    }
    // the strict reader of records: duplicate keys, depth, nodes and string sizes refused
    let doc: Value = match crate::yaml::parse_json_fast(text, &opts.limits) {
        Some(v) => v,
        None => {
            // say why: a syntax error (serde_json's position), else the located refusal of
            // the record reader (E_DUPLICATE_KEY, E_LIMIT_*)
            if let Some(d) = crate::yaml::json_syntax_error(text) {
                return Err(fail(d));
            }
            match crate::yaml::parse(text, &opts.limits) {
                Err(d) => return Err(fail(d)),
                Ok(p) => p.value,
            }
        }
    };
    // locations for warnings (best effort: JSON is YAML, but not every escape is)
    let spans = crate::yaml::parse(text, &opts.limits)
        .map(|p| p.spans)
        .unwrap_or_default();
    struct Parsed {
        spans: crate::yaml::SourceMap,
    }
    let parsed = Parsed { spans };
    if doc.get("bomFormat").and_then(Value::as_str) != Some("CycloneDX") {
        let d = Diagnostic::error(
            "E_CDX_FORMAT",
            "bomFormat",
            "not a CycloneDX BOM (`bomFormat` must be \"CycloneDX\")",
        );
        return Err(fail(parsed.spans.place(d, true)));
    }
    let mut found: Vec<(String, &Value)> = Vec::new();
    if let Some(c) = doc.get("metadata").and_then(|m| m.get("component")) {
        collect_components(c, "metadata.component".into(), &mut found);
    }
    if let Some(Value::Array(cs)) = doc.get("components") {
        for (i, c) in cs.iter().enumerate() {
            collect_components(c, format!("components[{i}]"), &mut found);
        }
    }
    if found.is_empty() {
        return Err(fail(Diagnostic::error(
            "E_CDX_NO_MODEL",
            "components",
            "the BOM has no component of type `machine-learning-model` or `data`",
        )));
    }
    // bom-ref → record name, for dataset references
    let mut by_ref: Vec<(String, String)> = Vec::new();
    let name_of = |c: &Value| -> Option<String> {
        let n = c.get("name").and_then(scalar_string)?;
        let full = match c.get("group").and_then(Value::as_str) {
            Some(g) if !g.is_empty() => format!("{g}/{n}"),
            _ => n,
        };
        util::hub_name(&full).map(|(x, _)| x)
    };
    for (_, c) in &found {
        if let (Some(r), Some(n)) = (c.get("bom-ref").and_then(Value::as_str), name_of(c)) {
            by_ref.push((r.to_string(), n));
        }
    }
    let mut warnings = Vec::new();
    let mut records = Vec::new();
    let single = found.len() == 1;
    for (path, c) in &found {
        let warn = |code: &str, p: &str, msg: String| {
            parsed
                .spans
                .place(Diagnostic::warning(code, p, msg), false)
                .in_file(file)
        };
        let kind = if c.get("type").and_then(Value::as_str) == Some("data") {
            Kind::Dataset
        } else {
            Kind::Model
        };
        let name = match (&opts.name, single) {
            (Some(n), true) => {
                crate::names::check_name(n)
                    .map_err(|e| fail(Diagnostic::error("E_NAME", "name", e)))?;
                n.clone()
            }
            _ => match name_of(c) {
                Some(n) => n,
                None => {
                    warnings.push(warn(
                        "W_CDX_NAME",
                        path,
                        "component without a usable name; skipped".into(),
                    ));
                    continue;
                }
            },
        };
        let cver = c.get("version").and_then(scalar_string);
        let version = match &opts.version {
            Some(v) => {
                crate::names::parse_version(v)
                    .map_err(|e| fail(Diagnostic::error("E_SEMVER", "version", e)))?;
                v.clone()
            }
            None => match cver.as_deref().and_then(util::semver_of) {
                Some(v) => v,
                None => {
                    if let Some(cv) = &cver {
                        warnings.push(warn(
                            "W_CDX_VERSION",
                            &format!("{path}.version"),
                            format!("version `{cv}` is not a semantic version; the record is 1.0.0 (the original is kept in extensions.cyclonedx)"),
                        ));
                    }
                    "1.0.0".to_string()
                }
            },
        };
        let mut rest = (*c).clone();
        let mut rec = Map::new();
        rec.insert("format_version".into(), json!(FORMAT_VERSION));
        rec.insert("kind".into(), json!(kind.as_str()));
        rec.insert("name".into(), json!(name));
        rec.insert("version".into(), json!(version));
        let mut removed: Vec<Vec<&str>> =
            vec![vec!["type"], vec!["name"], vec!["group"], vec!["bom-ref"]];
        if cver.as_deref().and_then(util::semver_of).as_deref() == Some(version.as_str()) {
            removed.push(vec!["version"]);
        }
        let desc = c
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| {
                c.get("data")
                    .and_then(Value::as_array)
                    .and_then(|a| a.first())
                    .and_then(|d| d.get("description"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
        if let Some(d) = desc {
            rec.insert("description".into(), json!(d));
            removed.push(vec!["description"]);
        }
        if let Some(p) = c.get("publisher").and_then(Value::as_str) {
            rec.insert("publisher".into(), json!(p));
            removed.push(vec!["publisher"]);
        }
        if let Some(l) = c.get("licenses").and_then(import_license) {
            rec.insert("license".into(), l);
            removed.push(vec!["licenses"]);
        }
        let refs: Vec<String> = c
            .get("externalReferences")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|r| r.get("url").and_then(Value::as_str))
                    .filter(|u| crate::validate::check_url(u).is_ok())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        if !refs.is_empty() {
            rec.insert("references".into(), json!(refs));
        }
        let tags = strings(c.get("tags"));
        if !tags.is_empty() {
            rec.insert("tags".into(), json!(tags));
            removed.push(vec!["tags"]);
        }
        let mc = c.get("modelCard");
        let mp = mc.and_then(|m| m.get("modelParameters"));
        let mut ups: Vec<Value> = Vec::new();
        if let Some(Value::Array(ds)) = mp.and_then(|p| p.get("datasets")) {
            for d in ds {
                let n = match d.get("ref").and_then(Value::as_str) {
                    Some(r) => by_ref.iter().find(|(x, _)| x == r).map(|(_, n)| n.clone()),
                    None => d
                        .get("name")
                        .and_then(Value::as_str)
                        .and_then(util::hub_name)
                        .map(|(n, _)| n),
                };
                if let Some(n) = n {
                    if n != name && !ups.iter().any(|u| u.get("name") == Some(&json!(n))) {
                        ups.push(json!({"name": n, "relation": "trained_on"}));
                    }
                }
            }
            removed.push(vec!["modelCard", "modelParameters", "datasets"]);
        }
        if let Some(Value::Array(anc)) = c.get("pedigree").and_then(|p| p.get("ancestors")) {
            for a in anc {
                if let Some(n) = name_of(a) {
                    if n != name && !ups.iter().any(|u| u.get("name") == Some(&json!(n))) {
                        ups.push(json!({"name": n, "relation": "derived_from"}));
                    }
                }
            }
        }
        if !ups.is_empty() {
            rec.insert("upstream".into(), Value::Array(ups));
        }
        let mut details = Map::new();
        if let Some(a) = mp
            .and_then(|p| p.get("modelArchitecture"))
            .and_then(Value::as_str)
        {
            details.insert("architecture".into(), json!(a));
            removed.push(vec!["modelCard", "modelParameters", "modelArchitecture"]);
        }
        if let Some(a) = mp
            .and_then(|p| p.get("architectureFamily"))
            .and_then(Value::as_str)
        {
            details.insert("model_type".into(), json!(a));
            removed.push(vec!["modelCard", "modelParameters", "architectureFamily"]);
        }
        let fmt = |k: &str| -> Vec<String> {
            mp.and_then(|p| p.get(k))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.get("format").and_then(Value::as_str))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let (ins, outs) = (fmt("inputs"), fmt("outputs"));
        if !ins.is_empty() || !outs.is_empty() {
            let mut m = Map::new();
            if !ins.is_empty() {
                m.insert("input".into(), json!(ins));
                removed.push(vec!["modelCard", "modelParameters", "inputs"]);
            }
            if !outs.is_empty() {
                m.insert("output".into(), json!(outs));
                removed.push(vec!["modelCard", "modelParameters", "outputs"]);
            }
            details.insert("modalities".into(), Value::Object(m));
        }
        if let Some(t) = mp.and_then(|p| p.get("task")).and_then(Value::as_str) {
            details.insert("pipeline_tag".into(), json!(t));
            removed.push(vec!["modelCard", "modelParameters", "task"]);
        }
        if !details.is_empty() {
            rec.insert("details".into(), Value::Object(details));
        }
        let cons = mc.and_then(|m| m.get("considerations"));
        let mut card = Map::new();
        let uses = strings(cons.and_then(|x| x.get("useCases")));
        if !uses.is_empty() {
            card.insert("intended_use".into(), json!(uses));
            removed.push(vec!["modelCard", "considerations", "useCases"]);
        }
        let mut lim = strings(cons.and_then(|x| x.get("technicalLimitations")));
        lim.extend(strings(cons.and_then(|x| x.get("performanceTradeoffs"))));
        if !lim.is_empty() {
            card.insert("limitations".into(), json!(lim));
            removed.push(vec!["modelCard", "considerations", "technicalLimitations"]);
            removed.push(vec!["modelCard", "considerations", "performanceTradeoffs"]);
        }
        let eth: Vec<String> = cons
            .and_then(|x| x.get("ethicalConsiderations"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|r| {
                        let n = r.get("name").and_then(Value::as_str)?;
                        Some(match r.get("mitigationStrategy").and_then(Value::as_str) {
                            Some(ms) => format!("{n} (mitigation: {ms})"),
                            None => n.to_string(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        if !eth.is_empty() {
            card.insert("ethical_considerations".into(), json!(eth));
            removed.push(vec!["modelCard", "considerations", "ethicalConsiderations"]);
        }
        if !card.is_empty() {
            rec.insert("card".into(), Value::Object(card));
        }
        let mut evals = Vec::new();
        if let Some(Value::Array(pms)) = mc
            .and_then(|m| m.get("quantitativeAnalysis"))
            .and_then(|q| q.get("performanceMetrics"))
        {
            for (i, pm) in pms.iter().enumerate() {
                let mtype = pm.get("type").and_then(scalar_string);
                let value = pm.get("value").and_then(scalar_string);
                let (Some(mtype), Some(value)) = (mtype, value) else {
                    warnings.push(warn(
                        "W_CDX_METRIC",
                        &format!("{path}.modelCard.quantitativeAnalysis.performanceMetrics[{i}]"),
                        "performance metric without type or value; kept in extensions.cyclonedx"
                            .into(),
                    ));
                    continue;
                };
                let mut e = Map::new();
                if let Some(s) = pm.get("slice").and_then(Value::as_str) {
                    e.insert("dataset_name".into(), json!(s));
                }
                e.insert("metric".into(), json!(mtype));
                if let Some(ci) = pm.get("confidenceInterval") {
                    e.insert("metric_args".into(), json!({"confidence_interval": ci}));
                }
                let num = value
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64);
                e.insert(
                    "value".into(),
                    num.map(Value::Number).unwrap_or_else(|| json!(value)),
                );
                evals.push(Value::Object(e));
            }
            if evals.len() == pms.len() {
                removed.push(vec![
                    "modelCard",
                    "quantitativeAnalysis",
                    "performanceMetrics",
                ]);
            }
        }
        if !evals.is_empty() {
            rec.insert("evaluations".into(), Value::Array(evals));
        }
        for p in &removed {
            remove_path(&mut rest, p);
        }
        if rest.as_object().is_some_and(|m| !m.is_empty()) {
            rec.insert("extensions".into(), json!({ "cyclonedx": rest }));
        }
        let r = Record::from_value(Value::Object(rec)).map_err(|e| match e {
            UmrError::Invalid(d) => UmrError::Invalid(
                d.into_iter()
                    .map(|x| {
                        Diagnostic {
                            message: format!("imported record from {path}: {}", x.message),
                            ..x
                        }
                        .in_file(file)
                    })
                    .collect(),
            ),
            other => other,
        })?;
        records.push(r);
    }
    Ok((records, warnings))
}
