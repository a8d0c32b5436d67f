//! The front-matter fields a record models, grouped by the record data they map to.
//!
//! Each [`Group`] is a set of card keys that together map to some record fields. Import
//! reads a group into a [`Mapped`] value; export writes a [`Mapped`] value back as the
//! group's canonical keys. A card value whose canonical form differs from what was written
//! (e.g. `language: en` rather than a list) is kept in `extensions.hf_card.original` and
//! written back as long as the record's data for that group is unchanged.

use super::body::CardKind;
use crate::diagnostic::Diagnostic;
use crate::interop::license;
use crate::interop::util;
use crate::model::RelationKind;
use crate::path;
use serde_json::{json, Map, Value};

/// A group of card keys mapped together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    PrettyName,
    Language,
    License,
    Library,
    PipelineTag,
    Tags,
    BaseModel,
    Datasets,
    SourceDatasets,
    Co2,
    ModelIndex,
}

impl Group {
    /// Every group, in the order export writes them (model-index last, after the
    /// extension keys).
    pub(crate) const ALL: [Group; 11] = [
        Group::PrettyName,
        Group::Language,
        Group::License,
        Group::Library,
        Group::PipelineTag,
        Group::Tags,
        Group::BaseModel,
        Group::Datasets,
        Group::SourceDatasets,
        Group::Co2,
        Group::ModelIndex,
    ];

    /// The card keys of the group.
    pub(crate) fn keys(self) -> &'static [&'static str] {
        match self {
            Group::PrettyName => &["pretty_name"],
            Group::Language => &["language"],
            Group::License => &["license", "license_name", "license_link"],
            Group::Library => &["library_name"],
            Group::PipelineTag => &["pipeline_tag"],
            Group::Tags => &["tags"],
            Group::BaseModel => &["base_model", "base_model_relation"],
            Group::Datasets => &["datasets"],
            Group::SourceDatasets => &["source_datasets"],
            Group::Co2 => &["co2_eq_emissions"],
            Group::ModelIndex => &["model-index"],
        }
    }

    /// Whether the group is mapped for a kind of card.
    pub(crate) fn applies(self, kind: CardKind) -> bool {
        match self {
            Group::PrettyName | Group::SourceDatasets => kind == CardKind::Dataset,
            Group::Library
            | Group::PipelineTag
            | Group::BaseModel
            | Group::Datasets
            | Group::Co2
            | Group::ModelIndex => kind == CardKind::Model,
            Group::Language | Group::License | Group::Tags => true,
        }
    }

    /// The groups mapped for a kind of card.
    pub(crate) fn for_kind(kind: CardKind) -> impl Iterator<Item = Group> {
        Group::ALL.into_iter().filter(move |g| g.applies(kind))
    }

    /// The group a key belongs to, for a kind of card.
    pub(crate) fn of_key(key: &str, kind: CardKind) -> Option<Group> {
        Group::for_kind(kind).find(|g| g.keys().contains(&key))
    }
}

/// The record data a card's mapped keys stand for.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Mapped {
    /// `title` (from `model-index[0].name` or `pretty_name`).
    pub title: Option<String>,
    /// `license`.
    pub license: Option<Value>,
    /// Base models (`upstream` with finetune / adapter / merge / quantized).
    pub bases: Vec<(String, RelationKind)>,
    /// Training datasets (`upstream` with trained_on).
    pub datasets: Vec<String>,
    /// Source datasets of a dataset (`upstream` with derived_from).
    pub sources: Vec<String>,
    /// `details.languages`.
    pub languages: Option<Vec<String>>,
    /// `details.library`.
    pub library: Option<String>,
    /// `details.pipeline_tag`.
    pub pipeline_tag: Option<String>,
    /// `tags`.
    pub tags: Option<Vec<String>>,
    /// `evaluations`.
    pub evaluations: Option<Vec<Value>>,
    /// `details.co2_eq_emissions`.
    pub co2: Option<Value>,
}

/// Collects located warnings while reading a card (or discards them).
pub(crate) struct Ctx<'a> {
    spans: Option<&'a super::CardParts>,
    /// The warnings so far.
    pub diags: Vec<Diagnostic>,
    /// The record's own name (a base model with this name is skipped).
    pub self_name: Option<String>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(spans: Option<&'a super::CardParts>, self_name: Option<String>) -> Self {
        Ctx {
            spans,
            diags: Vec::new(),
            self_name,
        }
    }

    pub(crate) fn warn(&mut self, d: Diagnostic, at_key: bool) {
        if let Some(sp) = self.spans {
            let d = sp.spans().place(d, at_key);
            self.diags.push(d);
        }
    }
}

fn str_or_list(v: &Value) -> Vec<(usize, &Value)> {
    match v {
        Value::Array(a) => a.iter().enumerate().collect(),
        other => vec![(usize::MAX, other)],
    }
}

fn item_path(key: &str, i: usize) -> String {
    if i == usize::MAX {
        key.to_string()
    } else {
        path::index(key, i)
    }
}

/// Scalars as strings (numbers and booleans stringified), for tag-like lists.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn names_of(fm: &Map<String, Value>, key: &str, ctx: &mut Ctx, what: &str) -> Vec<String> {
    let Some(v) = fm.get(key) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in str_or_list(v) {
        let p = item_path(key, i);
        let Some(s) = item.as_str() else {
            if !item.is_null() {
                ctx.warn(
                    Diagnostic::warning(
                        "W_HF_VALUE",
                        p,
                        format!("{what} should be a Hub id string; ignored (kept in the card)"),
                    ),
                    false,
                );
            }
            continue;
        };
        match util::hub_name(s) {
            Some((name, exact)) => {
                if ctx.self_name.as_deref() == Some(name.as_str()) {
                    ctx.warn(
                        Diagnostic::warning(
                            "W_HF_SELF_REFERENCE",
                            p,
                            format!("{what} `{s}` is the card's own model; ignored"),
                        ),
                        false,
                    );
                    continue;
                }
                if !exact {
                    ctx.warn(
                        Diagnostic::warning(
                            "W_HF_NAME",
                            p.clone(),
                            format!("`{s}` is not a valid record name; read as `{name}`"),
                        ),
                        false,
                    );
                }
                if !out.contains(&name) {
                    out.push(name);
                }
            }
            None => ctx.warn(
                Diagnostic::warning(
                    "W_HF_NAME",
                    p,
                    format!("`{s}` is not a Hub repository id; ignored (kept in the card)"),
                ),
                false,
            ),
        }
    }
    out
}

fn relation_of(s: &str) -> Option<RelationKind> {
    match s.trim().to_ascii_lowercase().as_str() {
        "adapter" => Some(RelationKind::Adapter),
        "merge" => Some(RelationKind::Merge),
        "quantized" => Some(RelationKind::Quantized),
        "finetune" => Some(RelationKind::Finetune),
        _ => None,
    }
}

/// Read one group of a front matter into `m`.
pub(crate) fn import_group(g: Group, fm: &Map<String, Value>, ctx: &mut Ctx, m: &mut Mapped) {
    match g {
        Group::PrettyName => {
            if let Some(s) = fm.get("pretty_name").and_then(scalar_text) {
                m.title = Some(s);
            }
        }
        Group::Language => {
            if let Some(v) = fm.get("language") {
                let mut langs = Vec::new();
                for (i, item) in str_or_list(v) {
                    match scalar_text(item) {
                        Some(s) => langs.push(s),
                        None if item.is_null() => {}
                        None => ctx.warn(
                            Diagnostic::warning(
                                "W_HF_VALUE",
                                item_path("language", i),
                                "a language should be a string (an ISO 639 code); ignored",
                            ),
                            false,
                        ),
                    }
                }
                if !langs.is_empty() {
                    m.languages = Some(langs);
                }
            }
        }
        Group::License => {
            let lic = fm.get("license").filter(|v| !v.is_null());
            if let Some(v) = lic {
                if !(v.is_string() || v.is_array()) {
                    ctx.warn(
                        Diagnostic::warning(
                            "W_HF_LICENSE",
                            "license",
                            "`license` should be a licence id or a list of ids; ignored",
                        ),
                        false,
                    );
                }
            }
            let name = fm.get("license_name").and_then(scalar_text);
            let link = fm.get("license_link").and_then(Value::as_str);
            let read = license::read_hf(lic, name.as_deref(), link);
            for u in &read.unknown {
                ctx.warn(
                    Diagnostic::warning(
                        "W_HF_LICENSE",
                        "license",
                        format!("`{u}` is not a Hugging Face licence identifier; read as `{}`", license::license_ref(u)),
                    )
                    .with_help("use an id from https://huggingface.co/docs/hub/repositories-licenses, or `other` with `license_name`"),
                    false,
                );
            }
            m.license = read.license;
        }
        Group::Library => {
            m.library = fm
                .get("library_name")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        Group::PipelineTag => {
            m.pipeline_tag = fm
                .get("pipeline_tag")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        Group::Tags => {
            if let Some(v) = fm.get("tags") {
                let tags: Vec<String> = str_or_list(v)
                    .into_iter()
                    .filter_map(|(_, t)| scalar_text(t))
                    .collect();
                if !tags.is_empty() {
                    m.tags = Some(tags);
                }
            }
        }
        Group::BaseModel => {
            let names = names_of(fm, "base_model", ctx, "base model");
            let rel = match fm.get("base_model_relation") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => {
                    let r = relation_of(s);
                    if r.is_none() {
                        ctx.warn(
                            Diagnostic::warning(
                                "W_HF_RELATION",
                                "base_model_relation",
                                format!("`{s}` is not one of adapter, merge, quantized, finetune; the default reading is used"),
                            ),
                            false,
                        );
                    }
                    r
                }
                Some(_) => None,
            };
            let kind = rel.unwrap_or(if names.len() > 1 {
                RelationKind::Merge
            } else {
                RelationKind::Finetune
            });
            m.bases = names.into_iter().map(|n| (n, kind)).collect();
        }
        Group::Datasets => {
            m.datasets = names_of(fm, "datasets", ctx, "dataset");
        }
        Group::SourceDatasets => {
            if let Some(v) = fm.get("source_datasets") {
                for (_, item) in str_or_list(v) {
                    let Some(s) = item.as_str() else { continue };
                    let id = s.rsplit('|').next().unwrap_or(s).trim();
                    if id.is_empty() || id == "original" {
                        continue;
                    }
                    if let Some((n, _)) = util::hub_name(id) {
                        if !m.sources.contains(&n) {
                            m.sources.push(n);
                        }
                    }
                }
            }
        }
        Group::Co2 => {
            m.co2 = fm.get("co2_eq_emissions").filter(|v| !v.is_null()).cloned();
        }
        Group::ModelIndex => {
            if let Some(v) = fm.get("model-index") {
                read_model_index(v, ctx, m);
            }
        }
    }
}

fn text_field(v: Option<&Value>) -> Option<Value> {
    match v {
        Some(Value::String(s)) => Some(json!(s)),
        Some(Value::Number(n)) => Some(json!(n.to_string())),
        Some(Value::Bool(b)) => Some(json!(b.to_string())),
        _ => None,
    }
}

fn read_model_index(v: &Value, ctx: &mut Ctx, m: &mut Mapped) {
    let Value::Array(entries) = v else {
        ctx.warn(
            Diagnostic::warning(
                "W_HF_MODEL_INDEX",
                "model-index",
                "`model-index` should be a list of {name, results}; ignored (kept in the card)",
            ),
            false,
        );
        return;
    };
    if entries.len() == 1 {
        if let Some(n) = entries[0].get("name").and_then(scalar_text) {
            m.title = Some(n);
        }
    }
    let mut evals = Vec::new();
    for (ei, entry) in entries.iter().enumerate() {
        let ep = path::index("model-index", ei);
        let Some(Value::Array(results)) = entry.get("results") else {
            continue;
        };
        for (ri, res) in results.iter().enumerate() {
            let rp = path::index(&path::key(&ep, "results"), ri);
            let task = res.get("task");
            let ds = res.get("dataset");
            let src = res.get("source");
            if task.and_then(|t| t.get("type")).is_none() {
                ctx.warn(
                    Diagnostic::warning(
                        "W_HF_MODEL_INDEX",
                        rp.clone(),
                        "a model-index result needs `task.type`; the Hub rejects this card",
                    ),
                    false,
                );
            }
            if ds.is_none() {
                ctx.warn(
                    Diagnostic::warning(
                        "W_HF_MODEL_INDEX",
                        rp.clone(),
                        "a model-index result needs `dataset` (type and name); the Hub rejects this card",
                    ),
                    false,
                );
            }
            let Some(Value::Array(metrics)) = res.get("metrics") else {
                continue;
            };
            for (mi, met) in metrics.iter().enumerate() {
                let mp = path::index(&path::key(&rp, "metrics"), mi);
                let Some(mtype) = text_field(met.get("type")) else {
                    ctx.warn(
                        Diagnostic::warning(
                            "W_HF_MODEL_INDEX",
                            mp,
                            "a metric needs `type`; this metric is not read (kept in the card)",
                        ),
                        false,
                    );
                    continue;
                };
                let value = match met.get("value") {
                    Some(Value::Number(n)) => Value::Number(n.clone()),
                    Some(Value::String(s)) => {
                        if s.trim().parse::<f64>().is_err() {
                            ctx.warn(
                                Diagnostic::warning(
                                    "W_HF_METRIC_VALUE",
                                    path::key(&mp, "value"),
                                    format!("metric value `{s}` is not a number; kept as text"),
                                )
                                .with_help(
                                    match s.trim().strip_suffix('%') {
                                        Some(num) if num.trim().parse::<f64>().is_ok() => {
                                            format!(
                                                "the Hub expects a number: write `{}`",
                                                num.trim()
                                            )
                                        }
                                        _ => "the Hub expects a number".to_string(),
                                    },
                                ),
                                false,
                            );
                        }
                        Value::String(s.clone())
                    }
                    _ => {
                        ctx.warn(
                            Diagnostic::warning(
                                "W_HF_MODEL_INDEX",
                                mp,
                                "a metric needs a numeric `value`; this metric is not read (kept in the card)",
                            ),
                            false,
                        );
                        continue;
                    }
                };
                let mut e = Map::new();
                let mut put = |k: &str, v: Option<Value>| {
                    if let Some(v) = v {
                        e.insert(k.to_string(), v);
                    }
                };
                put("task", text_field(task.and_then(|t| t.get("type"))));
                put("task_name", text_field(task.and_then(|t| t.get("name"))));
                put("dataset", text_field(ds.and_then(|d| d.get("type"))));
                put("dataset_name", text_field(ds.and_then(|d| d.get("name"))));
                put(
                    "dataset_config",
                    text_field(ds.and_then(|d| d.get("config"))),
                );
                put("dataset_split", text_field(ds.and_then(|d| d.get("split"))));
                put(
                    "dataset_revision",
                    text_field(ds.and_then(|d| d.get("revision"))),
                );
                put(
                    "dataset_args",
                    ds.and_then(|d| d.get("args"))
                        .filter(|v| !v.is_null())
                        .cloned(),
                );
                put("metric", Some(mtype));
                put("metric_name", text_field(met.get("name")));
                put("metric_config", text_field(met.get("config")));
                put(
                    "metric_args",
                    met.get("args").filter(|v| !v.is_null()).cloned(),
                );
                put("value", Some(value));
                put(
                    "verified",
                    met.get("verified").filter(|v| v.is_boolean()).cloned(),
                );
                put(
                    "source",
                    src.and_then(|s| s.get("url"))
                        .and_then(Value::as_str)
                        .filter(|u| crate::validate::check_url(u).is_ok())
                        .map(|u| json!(u)),
                );
                put("source_name", text_field(src.and_then(|s| s.get("name"))));
                evals.push(Value::Object(e));
            }
        }
    }
    m.evaluations = Some(evals).filter(|e| !e.is_empty());
}

fn model_index(m: &Mapped, rec_name: &str) -> Option<Value> {
    let evals = m.evaluations.as_ref().filter(|e| !e.is_empty())?;
    let s = |e: &Value, k: &str| e.get(k).and_then(Value::as_str).map(str::to_string);
    // (task, dataset, source) of a result, and its metrics
    type Head = (Value, Value, Option<Value>);
    let mut results: Vec<(Head, Vec<Value>)> = Vec::new();
    for e in evals {
        let mut task = Map::new();
        task.insert(
            "type".into(),
            json!(s(e, "task").unwrap_or_else(|| "other".into())),
        );
        if let Some(n) = s(e, "task_name") {
            task.insert("name".into(), json!(n));
        }
        let mut ds = Map::new();
        let dname = s(e, "dataset_name")
            .or_else(|| s(e, "dataset"))
            .unwrap_or_else(|| "unknown".into());
        let dtype = s(e, "dataset").unwrap_or_else(|| util::slug(&dname));
        ds.insert("type".into(), json!(dtype));
        ds.insert("name".into(), json!(dname));
        for (k, hk) in [
            ("dataset_config", "config"),
            ("dataset_split", "split"),
            ("dataset_revision", "revision"),
        ] {
            if let Some(v) = s(e, k) {
                ds.insert(hk.into(), json!(v));
            }
        }
        if let Some(a) = e.get("dataset_args") {
            ds.insert("args".into(), a.clone());
        }
        let mut met = Map::new();
        met.insert(
            "type".into(),
            e.get("metric").cloned().unwrap_or(Value::Null),
        );
        met.insert(
            "value".into(),
            e.get("value").cloned().unwrap_or(Value::Null),
        );
        for (k, hk) in [
            ("metric_name", "name"),
            ("metric_config", "config"),
            ("metric_args", "args"),
            ("verified", "verified"),
        ] {
            if let Some(v) = e.get(k) {
                met.insert(hk.into(), v.clone());
            }
        }
        let source = s(e, "source").map(|url| {
            let mut src = Map::new();
            src.insert("url".into(), json!(url));
            if let Some(n) = s(e, "source_name") {
                src.insert("name".into(), json!(n));
            }
            Value::Object(src)
        });
        let head: Head = (Value::Object(task), Value::Object(ds), source);
        match results.last_mut() {
            Some((h, ms)) if *h == head => ms.push(Value::Object(met)),
            _ => results.push((head, vec![Value::Object(met)])),
        }
    }
    let results: Vec<Value> = results
        .into_iter()
        .map(|((task, ds, source), ms)| {
            let mut r = Map::new();
            r.insert("task".into(), task);
            r.insert("dataset".into(), ds);
            r.insert("metrics".into(), Value::Array(ms));
            if let Some(src) = source {
                r.insert("source".into(), src);
            }
            Value::Object(r)
        })
        .collect();
    let name = m
        .title
        .clone()
        .unwrap_or_else(|| rec_name.rsplit('/').next().unwrap_or(rec_name).to_string());
    // built in place: `json!` would serialize the results into a second copy
    let mut index = Map::new();
    index.insert("name".into(), Value::String(name));
    index.insert("results".into(), Value::Array(results));
    Some(Value::Array(vec![Value::Object(index)]))
}

fn str_list(v: &[String]) -> Value {
    Value::Array(v.iter().map(|s| json!(s)).collect())
}

/// The canonical card keys of a group for some record data.
pub(crate) fn canonical_group(g: Group, m: &Mapped, rec_name: &str) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::new();
    match g {
        Group::PrettyName => {
            if let Some(t) = &m.title {
                out.push(("pretty_name".into(), json!(t)));
            }
        }
        Group::Language => {
            if let Some(l) = &m.languages {
                out.push(("language".into(), str_list(l)));
            }
        }
        Group::License => {
            if let Some(l) = &m.license {
                out = license::write_hf(l);
            }
        }
        Group::Library => {
            if let Some(l) = &m.library {
                out.push(("library_name".into(), json!(l)));
            }
        }
        Group::PipelineTag => {
            if let Some(l) = &m.pipeline_tag {
                out.push(("pipeline_tag".into(), json!(l)));
            }
        }
        Group::Tags => {
            if let Some(t) = &m.tags {
                out.push(("tags".into(), str_list(t)));
            }
        }
        Group::BaseModel => {
            if !m.bases.is_empty() {
                let names: Vec<String> = m.bases.iter().map(|(n, _)| n.clone()).collect();
                let rel = m.bases[0].1;
                if names.len() == 1 {
                    out.push(("base_model".into(), json!(names[0])));
                    if rel != RelationKind::Finetune {
                        out.push(("base_model_relation".into(), json!(rel.as_str())));
                    }
                } else {
                    out.push(("base_model".into(), str_list(&names)));
                    if rel != RelationKind::Merge {
                        out.push(("base_model_relation".into(), json!(rel.as_str())));
                    }
                }
            }
        }
        Group::Datasets => {
            if !m.datasets.is_empty() {
                out.push(("datasets".into(), str_list(&m.datasets)));
            }
        }
        Group::SourceDatasets => {
            if !m.sources.is_empty() {
                out.push(("source_datasets".into(), str_list(&m.sources)));
            }
        }
        Group::Co2 => {
            if let Some(c) = &m.co2 {
                out.push(("co2_eq_emissions".into(), c.clone()));
            }
        }
        Group::ModelIndex => {
            if let Some(mi) = model_index(m, rec_name) {
                out.push(("model-index".into(), mi));
            }
        }
    }
    out
}

/// The base-model relation kinds a card can say (others are written as finetune).
fn hub_relation(k: Option<RelationKind>) -> Option<RelationKind> {
    match k {
        Some(RelationKind::Adapter) => Some(RelationKind::Adapter),
        Some(RelationKind::Merge) => Some(RelationKind::Merge),
        Some(RelationKind::Quantized) => Some(RelationKind::Quantized),
        Some(RelationKind::Finetune)
        | Some(RelationKind::Distillation)
        | Some(RelationKind::DerivedFrom)
        | None => Some(RelationKind::Finetune),
        _ => None,
    }
}

/// The card data of a record value.
pub(crate) fn from_record(v: &Value, kind: CardKind) -> Mapped {
    let mut m = Mapped {
        title: v.get("title").and_then(Value::as_str).map(str::to_string),
        license: v.get("license").filter(|x| !x.is_null()).cloned(),
        ..Mapped::default()
    };
    let details = v.get("details");
    let d = |k: &str| details.and_then(|x| x.get(k)).filter(|x| !x.is_null());
    let strs = |x: Option<&Value>| -> Option<Vec<String>> {
        x.and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
    };
    m.languages = strs(d("languages"));
    m.library = d("library").and_then(Value::as_str).map(str::to_string);
    m.pipeline_tag = d("pipeline_tag")
        .and_then(Value::as_str)
        .map(str::to_string);
    m.co2 = d("co2_eq_emissions").cloned();
    m.tags = strs(v.get("tags"));
    m.evaluations = v
        .get("evaluations")
        .and_then(Value::as_array)
        .cloned()
        .filter(|e| !e.is_empty());
    if let Some(Value::Array(ups)) = v.get("upstream") {
        for u in ups {
            let (name, rel) = match u {
                Value::String(s) => match crate::names::parse_short(s) {
                    Ok(r) => (r.name, None),
                    Err(_) => continue,
                },
                Value::Object(o) => {
                    let Some(n) = o.get("name").and_then(Value::as_str) else {
                        continue;
                    };
                    let rel = o
                        .get("relation")
                        .and_then(Value::as_str)
                        .and_then(RelationKind::parse);
                    (n.to_string(), rel)
                }
                _ => continue,
            };
            match kind {
                CardKind::Model => match rel {
                    Some(RelationKind::TrainedOn) => m.datasets.push(name),
                    other => {
                        if let Some(k) = hub_relation(other) {
                            m.bases.push((name, k));
                        }
                    }
                },
                CardKind::Dataset => {
                    if matches!(rel, None | Some(RelationKind::DerivedFrom)) {
                        m.sources.push(name);
                    }
                }
            }
        }
    }
    m
}
