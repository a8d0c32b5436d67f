//! SPDX 3.0.1 JSON-LD with the AI and Dataset profiles.
//!
//! Models and families are `ai_AIPackage` elements, datasets `dataset_DatasetPackage`
//! elements; licences are `simplelicensing_LicenseExpression` elements linked by
//! `hasDeclaredLicense`; relations become `Relationship` elements:
//!
//! | UMR relation | SPDX relationship |
//! | --- | --- |
//! | trained_on | model `trainedOn` dataset |
//! | evaluated_on | model `testedOn` dataset |
//! | finetune, adapter, merge, distillation | child `descendantOf` parent |
//! | quantized | parent `hasVariant` child |
//! | member_of | family `hasVariant` member |
//! | derived_from | parent `ancestorOf` child |
//!
//! Risks a record is exposed to become `Annotation` elements (type `review`).

use crate::diagnostic::Result;
use crate::interop::graph::ExportSet;
use crate::interop::license;
use crate::interop::util::{self, scalar_string, text_items};
use crate::model::{Kind, RelationKind, Severity};
use crate::registry::Registry;
use serde_json::{json, Map, Value};

/// Options for an SPDX export (deserialisable; missing fields take the defaults).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SpdxOptions {
    /// Export the whole lineage (ancestors and descendants), not just direct upstreams.
    pub lineage: bool,
    /// Export effective records (inheritance applied; default true).
    pub effective: bool,
    /// Prefix of every `spdxId` (default `urn:umr:`).
    pub namespace: String,
    /// `creationInfo.created` (`YYYY-MM-DDThh:mm:ssZ`); default: now.
    pub created: Option<String>,
}

impl Default for SpdxOptions {
    fn default() -> Self {
        SpdxOptions {
            lineage: false,
            effective: true,
            namespace: "urn:umr:".to_string(),
            created: None,
        }
    }
}

/// The JSON-LD context of SPDX 3.0.1.
pub const CONTEXT: &str = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";

fn iri_part(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':') {
            out.push(c);
        } else {
            for b in c.to_string().bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn text_of(v: Option<&Value>) -> Option<String> {
    let items = text_items(v?);
    (!items.is_empty()).then(|| items.join("\n\n"))
}

fn dataset_types(v: &Value) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mods = v
        .get("details")
        .and_then(|d| d.get("modalities"))
        .and_then(|m| m.get("input"))
        .and_then(Value::as_array);
    for m in mods.into_iter().flatten().filter_map(Value::as_str) {
        let t = match m.to_ascii_lowercase().as_str() {
            "text" => "text",
            "image" | "images" => "image",
            "audio" | "speech" => "audio",
            "video" => "video",
            "graph" => "graph",
            "tabular" | "structured" => "structured",
            "timeseries" | "time-series" => "timeseries",
            _ => "other",
        };
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.is_empty() {
        out.push("noAssertion");
    }
    out
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "serious",
    }
}

/// Build the SPDX 3 document of an export set.
pub fn document(set: &ExportSet, opts: &SpdxOptions) -> Value {
    let ns = &opts.namespace;
    let ci = "_:creationinfo";
    let pkg_id = |p: usize| {
        let m = &set.members[p];
        format!("{ns}record:{}:{}", iri_part(&m.name), iri_part(&m.version))
    };
    let tool_id = format!("{ns}agent:umr");
    let created = opts.created.clone().unwrap_or_else(util::now_utc);
    let mut graph: Vec<Value> = Vec::new();
    let mut elements: Vec<String> = Vec::new();
    graph.push(json!({
        "type": "CreationInfo",
        "@id": ci,
        "specVersion": "3.0.1",
        "created": created,
        "createdBy": [tool_id],
    }));
    graph.push(json!({
        "type": "SoftwareAgent",
        "spdxId": tool_id,
        "creationInfo": ci,
        "name": format!("umr {}", crate::VERSION),
    }));
    elements.push(tool_id.clone());
    let mut orgs: Vec<(String, String)> = Vec::new();
    let mut rel_n = 0usize;
    let root_id = pkg_id(0);
    let mut push_rel = |graph: &mut Vec<Value>,
                        elements: &mut Vec<String>,
                        from: &str,
                        ty: &str,
                        to: Vec<String>| {
        rel_n += 1;
        let id = format!("{ns}relationship:{}:{rel_n}", iri_part(&set.members[0].id));
        graph.push(json!({
            "type": "Relationship",
            "spdxId": id,
            "creationInfo": ci,
            "from": from,
            "relationshipType": ty,
            "to": to,
        }));
        elements.push(id);
    };
    for (p, m) in set.members.iter().enumerate() {
        let v = &m.value;
        let id = pkg_id(p);
        let mut e = Map::new();
        e.insert(
            "type".into(),
            json!(match m.kind {
                Kind::Dataset => "dataset_DatasetPackage",
                _ => "ai_AIPackage",
            }),
        );
        e.insert("spdxId".into(), json!(id));
        e.insert("creationInfo".into(), json!(ci));
        e.insert("name".into(), json!(m.name));
        if let Some(t) = v.get("title").and_then(Value::as_str) {
            e.insert("summary".into(), json!(t));
        }
        if let Some(d) = text_of(v.get("description")) {
            e.insert("description".into(), json!(d));
        }
        if let Some(t) = v
            .get("release_date")
            .and_then(Value::as_str)
            .and_then(util::date_time)
        {
            e.insert("releaseTime".into(), json!(t));
        }
        if let Some(pbl) = v.get("publisher").and_then(Value::as_str) {
            let oid = format!("{ns}agent:{}", iri_part(&util::slug(pbl)));
            if !orgs.iter().any(|(x, _)| *x == oid) {
                orgs.push((oid.clone(), pbl.to_string()));
            }
            e.insert("suppliedBy".into(), json!(oid));
        }
        e.insert("software_packageVersion".into(), json!(m.version));
        let refs: Vec<&str> = v
            .get("references")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(first) = refs.first() {
            e.insert("software_homePage".into(), json!(first));
        }
        if !refs.is_empty() {
            let er: Vec<Value> = refs
                .iter()
                .map(|r| {
                    let t = if r.contains("github.com") || r.contains("gitlab.com") {
                        "vcs"
                    } else {
                        "documentation"
                    };
                    json!({"type": "ExternalRef", "externalRefType": t, "locator": [r]})
                })
                .collect();
            e.insert("externalRef".into(), Value::Array(er));
        }
        let card = v.get("card");
        let sec = |k: &str| text_of(card.and_then(|c| c.get(k)));
        let details = v.get("details");
        let d = |k: &str| details.and_then(|x| x.get(k)).filter(|x| !x.is_null());
        match m.kind {
            Kind::Dataset => {
                e.insert("software_primaryPurpose".into(), json!("data"));
                e.insert("dataset_datasetType".into(), json!(dataset_types(v)));
                if let Some(t) = sec("intended_use") {
                    e.insert("dataset_intendedUse".into(), json!(t));
                }
                let bias: Vec<String> = ["limitations", "ethical_considerations"]
                    .iter()
                    .filter_map(|k| sec(k))
                    .collect();
                if !bias.is_empty() {
                    e.insert("dataset_knownBias".into(), json!(bias));
                }
                if let Some(t) = sec("training_data") {
                    e.insert("dataset_dataCollectionProcess".into(), json!(t));
                }
                let pii = m.exposures.iter().any(|x| x.id == "pii")
                    || v.get("risks")
                        .and_then(Value::as_array)
                        .is_some_and(|a| a.iter().any(|r| r.get("id") == Some(&json!("pii"))));
                if pii {
                    e.insert(
                        "dataset_hasSensitivePersonalInformation".into(),
                        json!("yes"),
                    );
                }
            }
            Kind::Model | Kind::Family => {
                e.insert("software_primaryPurpose".into(), json!("model"));
                if let Some(t) = d("model_type").and_then(Value::as_str) {
                    e.insert("ai_typeOfModel".into(), json!([t]));
                }
                if let Some(t) = d("pipeline_tag").and_then(Value::as_str) {
                    e.insert("ai_domain".into(), json!([t]));
                }
                if let Some(t) = sec("intended_use") {
                    e.insert("ai_informationAboutApplication".into(), json!(t));
                }
                if let Some(t) = sec("limitations") {
                    e.insert("ai_limitation".into(), json!(t));
                }
                if let Some(t) = sec("training_data") {
                    e.insert("ai_informationAboutTraining".into(), json!(t));
                }
                let mut hyper = Vec::new();
                for k in ["parameters", "context_length", "quantization", "precision"] {
                    if let Some(x) = d(k).and_then(scalar_string) {
                        hyper.push(json!({"type": "DictionaryEntry", "key": k, "value": x}));
                    }
                }
                if !hyper.is_empty() {
                    e.insert("ai_hyperparameter".into(), Value::Array(hyper));
                }
                if let Some(Value::Array(evals)) = v.get("evaluations") {
                    let metrics: Vec<Value> = evals
                        .iter()
                        .filter_map(|ev| {
                            let s = |k: &str| ev.get(k).and_then(scalar_string);
                            let mut key = s("metric")?;
                            if let Some(ds) = s("dataset_name").or_else(|| s("dataset")) {
                                key.push_str(&format!(" on {ds}"));
                            }
                            let extra: Vec<String> = ["dataset_config", "dataset_split"]
                                .iter()
                                .filter_map(|k| s(k))
                                .collect();
                            if !extra.is_empty() {
                                key.push_str(&format!(" ({})", extra.join(", ")));
                            }
                            Some(json!({"type": "DictionaryEntry", "key": key, "value": s("value")?}))
                        })
                        .collect();
                    if !metrics.is_empty() {
                        e.insert("ai_metric".into(), Value::Array(metrics));
                    }
                }
                let worst = m
                    .exposures
                    .iter()
                    .filter(|x| x.status != crate::model::RiskStatus::Mitigated)
                    .map(|x| x.severity)
                    .max();
                if let Some(w) = worst {
                    e.insert("ai_safetyRiskAssessment".into(), json!(severity_word(w)));
                }
            }
        }
        graph.push(Value::Object(e));
        elements.push(id.clone());
        // licence
        if let Some((expr, _name, url)) = v
            .get("license")
            .filter(|x| !x.is_null())
            .and_then(license::spdx_expression)
        {
            let lid = format!("{ns}license:{}:{}", iri_part(&m.name), iri_part(&m.version));
            let mut l = Map::new();
            l.insert("type".into(), json!("simplelicensing_LicenseExpression"));
            l.insert("spdxId".into(), json!(lid));
            l.insert("creationInfo".into(), json!(ci));
            l.insert("simplelicensing_licenseExpression".into(), json!(expr));
            if let Some(u) = url {
                let entries: Vec<Value> = license::license_refs(&expr)
                    .into_iter()
                    .map(|r| json!({"type": "DictionaryEntry", "key": r, "value": u}))
                    .collect();
                if !entries.is_empty() {
                    l.insert(
                        "simplelicensing_customIdToUri".into(),
                        Value::Array(entries),
                    );
                }
            }
            graph.push(Value::Object(l));
            elements.push(lid.clone());
            push_rel(
                &mut graph,
                &mut elements,
                &id,
                "hasDeclaredLicense",
                vec![lid],
            );
        }
        // risks
        for (k, x) in m.exposures.iter().enumerate() {
            let aid = format!(
                "{ns}annotation:{}:{}:{k}",
                iri_part(&m.name),
                iri_part(&m.version)
            );
            let mut statement = format!(
                "risk {} ({}, {}) from {}",
                x.id,
                x.status.as_str(),
                severity_word(x.severity),
                x.origin
            );
            if x.chain.len() > 1 {
                statement.push_str(&format!(" via {}", x.chain.join(" -> ")));
            }
            if let Some(mit) = &x.mitigation {
                statement.push_str(&format!("; mitigated by {}: {}", mit.by, mit.justification));
            }
            graph.push(json!({
                "type": "Annotation",
                "spdxId": aid,
                "creationInfo": ci,
                "annotationType": "review",
                "subject": id,
                "statement": statement,
            }));
            elements.push(aid);
        }
    }
    for (oid, name) in &orgs {
        graph.push(json!({
            "type": "Organization",
            "spdxId": oid,
            "creationInfo": ci,
            "name": name,
        }));
        elements.push(oid.clone());
    }
    for (c, p, rel) in &set.edges {
        let (cid, pid) = (pkg_id(*c), pkg_id(*p));
        let (from, ty, to) = match rel {
            RelationKind::TrainedOn => (cid, "trainedOn", pid),
            RelationKind::EvaluatedOn => (cid, "testedOn", pid),
            RelationKind::Quantized | RelationKind::MemberOf => (pid, "hasVariant", cid),
            RelationKind::DerivedFrom => (pid, "ancestorOf", cid),
            RelationKind::Finetune
            | RelationKind::Adapter
            | RelationKind::Merge
            | RelationKind::Distillation => (cid, "descendantOf", pid),
        };
        push_rel(&mut graph, &mut elements, &from, ty, vec![to]);
    }
    let doc_id = format!("{ns}document:{}", iri_part(&set.members[0].id));
    let mut profiles = vec!["core", "software", "simpleLicensing"];
    if set.members.iter().any(|m| m.kind != Kind::Dataset) {
        profiles.push("ai");
    }
    if set.members.iter().any(|m| m.kind == Kind::Dataset) {
        profiles.push("dataset");
    }
    let doc = json!({
        "type": "SpdxDocument",
        "spdxId": doc_id,
        "creationInfo": ci,
        "name": format!("UMR export of {}", set.members[0].id),
        "rootElement": [root_id],
        "element": elements,
        "profileConformance": profiles,
    });
    graph.insert(2, doc);
    json!({ "@context": CONTEXT, "@graph": graph })
}

fn check_options(opts: &SpdxOptions) -> Result<()> {
    if let Some(c) = &opts.created {
        util::check_timestamp(c)?;
    }
    let ns = &opts.namespace;
    let scheme_ok = ns.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if !scheme_ok || ns.starts_with("_:") || ns.chars().any(|c| c.is_whitespace() || c == '"') {
        return Err(crate::diagnostic::UmrError::argument(
            "E_NAMESPACE",
            format!("namespace `{ns}` is not an IRI prefix such as `https://example.org/spdx/` or `urn:umr:`"),
        ));
    }
    Ok(())
}

/// Export record `spec` of a registry (and its direct upstream records, or its whole
/// lineage with `opts.lineage`) as an SPDX 3.0.1 JSON-LD document.
pub fn export(reg: &Registry, spec: &str, opts: &SpdxOptions) -> Result<Value> {
    check_options(opts)?;
    let set = ExportSet::build(reg, spec, opts.lineage, opts.effective)?;
    Ok(document(&set, opts))
}

/// Export one record (a value tree, validated) without a registry (no relationships).
pub fn export_record(record: &Value, opts: &SpdxOptions) -> Result<Value> {
    check_options(opts)?;
    let set = ExportSet::single(record)?;
    Ok(document(&set, opts))
}
