//! [`View`]: everything a renderer shows about one record, gathered once — from a registry
//! (effective record, provenance, lineage, risk exposures with chains, versions) or from a
//! single record alone (no registry: no lineage beyond the declared upstream, no
//! provenance; this is what the WebAssembly build uses).
//!
//! Values stay raw here (unescaped); each renderer escapes for its own context.

use crate::diagnostic::Result;
use crate::lineage::Lineage;
use crate::model::{Kind, License, RelationKind, RiskStatus, Severity, Text, Upstream};
use crate::path;
use crate::record::Record;
use crate::registry::{Effective, Registry};
use crate::risk::Exposure;
use serde::Serialize;
use serde_json::Value;

/// One displayed value, with the record that supplied it when it was inherited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// Field key (e.g. `context_length`).
    pub key: String,
    /// Display label (e.g. `Context length`).
    pub label: String,
    /// The value as paragraphs (one for a scalar).
    pub text: Vec<String>,
    /// `name@version` of the ancestor that supplied the value; `None` when the record
    /// itself wrote it (or when there is no registry to ask).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inherited_from: Option<String>,
}

/// A list entry (reference URL, tag) with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The value.
    pub value: String,
    /// `name@version` of the ancestor that supplied it, when inherited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inherited_from: Option<String>,
}

/// The licence as displayed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LicenseView {
    /// SPDX expression or licence name (both when both are given).
    pub text: String,
    /// Licence text URL, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Ancestor that supplied it, when inherited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inherited_from: Option<String>,
}

/// One upstream relation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelationView {
    /// Upstream record name.
    pub name: String,
    /// Requirement as written (`*` for any release).
    pub requirement: String,
    /// Relation kind (`None` when not written and no registry can infer it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<RelationKind>,
    /// True when the kind was inferred from the record kinds.
    pub inferred: bool,
    /// Whether fields inherit along the relation (`None` when unknown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inherit: Option<bool>,
    /// The record it resolved to, `name@version` (registry only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
    /// Resolution error, when the requirement could not be resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Free note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One evaluation result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluationView {
    /// Task (display name and type).
    pub task: String,
    /// Dataset (name, configuration, split, revision, arguments).
    pub dataset: String,
    /// Metric (name, type, configuration, arguments).
    pub metric: String,
    /// Value as published.
    pub value: String,
    /// `verified`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// Source URL, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Source name, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
}

/// One risk the record is exposed to (its own or inherited).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskView {
    /// Risk identifier.
    pub id: String,
    /// Title, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description paragraphs.
    pub description: Vec<String>,
    /// Severity.
    pub severity: Severity,
    /// Status at this record.
    pub status: RiskStatus,
    /// Record the risk was declared on (`name@version`, or for a record alone the upstream
    /// name a mitigation targets).
    pub origin: String,
    /// Path the risk travelled, origin first, this record last.
    pub chain: Vec<String>,
    /// Who mitigated it and why, when mitigated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mitigated_by: Option<String>,
    /// Justification of the mitigation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// Where the risk was reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl RiskView {
    /// True when the risk is not mitigated.
    pub fn open(&self) -> bool {
        self.status != RiskStatus::Mitigated
    }
}

/// One transparency answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerView {
    /// Indicator key.
    pub key: String,
    /// Display label.
    pub label: String,
    /// `yes`, `no`, `unknown`, or the value as written.
    pub value: String,
    /// Evidence URL, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Note, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Ancestor that supplied it, when inherited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inherited_from: Option<String>,
    /// `domain / subdomain` of the indicator in the scored edition, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// Score of one domain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainScoreView {
    /// Published domain name.
    pub name: String,
    /// Counts (effective answers, or own answers for a record alone).
    pub tally: crate::score::Tally,
}

/// The transparency score ([`crate::score`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreView {
    /// Edition scored.
    pub edition: String,
    /// Effective score (own and inherited answers); for a record alone, its own answers.
    pub effective: crate::score::Tally,
    /// Own answers only (registry views).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub own: Option<crate::score::Tally>,
    /// Per domain (effective).
    pub domains: Vec<DomainScoreView>,
    /// Indicators answered (true or false) by ancestors: `name@version` → count.
    pub inherited: Vec<(String, u32)>,
}

/// Transparency answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransparencyView {
    /// Indicator set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Answers in record order.
    pub answers: Vec<AnswerView>,
    /// Number of `yes` answers.
    pub yes: usize,
    /// Number of `no` answers.
    pub no: usize,
    /// Number of answers neither yes nor no.
    pub unknown: usize,
    /// The score, when the answers' edition is known to [`crate::score`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<ScoreView>,
}

/// A card section.
pub type Section = Item;

/// A node of the lineage graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphNode {
    /// `name@version` (or `name requirement` for an unresolved upstream).
    pub id: String,
    /// Kind, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// The record carries risks of its own.
    pub risky: bool,
    /// The record the view is about.
    pub root: bool,
}

/// An edge of the lineage graph: `parent` (upstream) → `child` (downstream).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphEdge {
    /// Upstream node id.
    pub parent: String,
    /// Downstream node id.
    pub child: String,
    /// Relation kind label (`relation?` when unknown).
    pub relation: String,
    /// Whether fields inherit along the edge.
    pub inherit: bool,
}

/// The lineage graph to draw.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Graph {
    /// Nodes, root first.
    pub nodes: Vec<GraphNode>,
    /// Edges.
    pub edges: Vec<GraphEdge>,
}

impl Graph {
    /// The graph of a registry lineage.
    pub fn from_lineage(l: &Lineage) -> Graph {
        Graph {
            nodes: l
                .nodes()
                .into_iter()
                .map(|(id, kind, risky)| GraphNode {
                    root: id == l.root,
                    id,
                    kind: Some(kind),
                    risky,
                })
                .collect(),
            edges: l
                .edges
                .iter()
                .map(|e| GraphEdge {
                    parent: e.parent.clone(),
                    child: e.child.clone(),
                    relation: e.relation.as_str().to_string(),
                    inherit: e.inherit,
                })
                .collect(),
        }
    }
}

/// A version of the same name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionRef {
    /// Version.
    pub version: String,
    /// `name@version`.
    pub id: String,
    /// The version the view is about.
    pub current: bool,
    /// The highest release (or the highest pre-release when there is no release).
    pub latest: bool,
}

/// A record downstream of the viewed one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DownstreamRef {
    /// `name@version`.
    pub id: String,
    /// Kind.
    pub kind: Kind,
    /// Relation of the edge by which it was reached.
    pub relation: RelationKind,
    /// Distance (1 = direct).
    pub depth: usize,
}

/// Which records supplied a field (grouped two levels deep, e.g. `card.factors`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvenanceRow {
    /// Field path.
    pub field: String,
    /// Records that supplied it (`name@version`), nearest first.
    pub sources: Vec<String>,
    /// Number of leaf values under the field.
    pub values: usize,
    /// True when some value came from another record.
    pub inherited: bool,
}

/// Everything a renderer shows about one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct View {
    /// `name@version`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Kind.
    pub kind: Kind,
    /// Format version.
    pub format_version: String,
    /// Title (the name when none).
    pub title: String,
    /// Description paragraphs.
    pub description: Vec<String>,
    /// Publisher.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Item>,
    /// Release date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_date: Option<String>,
    /// Licence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<LicenseView>,
    /// References (URLs as written).
    pub references: Vec<Entry>,
    /// Tags.
    pub tags: Vec<Entry>,
    /// Upstream relations.
    pub relations: Vec<RelationView>,
    /// Technical details.
    pub details: Vec<Item>,
    /// Card sections.
    pub card: Vec<Section>,
    /// Evaluation results.
    pub evaluations: Vec<EvaluationView>,
    /// Risks (own and, with a registry, inherited).
    pub risks: Vec<RiskView>,
    /// Transparency answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transparency: Option<TransparencyView>,
    /// Extensions and unknown top-level fields (value as JSON text).
    pub extensions: Vec<Item>,
    /// Provenance by field (registry only).
    pub provenance: Vec<ProvenanceRow>,
    /// Lineage graph.
    pub graph: Graph,
    /// Versions of the same name (registry only; else just this one).
    pub versions: Vec<VersionRef>,
    /// Records downstream (registry only).
    pub downstream: Vec<DownstreamRef>,
    /// True when the view was built from a registry (inheritance and propagation applied).
    pub effective: bool,
    /// The generator, `umr <version>`.
    pub generator: String,
}

impl View {
    /// The view of a registry entry: its effective record, provenance, lineage, risk
    /// exposures, versions and downstream records.
    pub fn from_registry(reg: &Registry, spec: &str) -> Result<View> {
        let i = reg.find_index(spec)?;
        Self::from_registry_index(reg, i)
    }

    /// The view of the registry entry at index `i`.
    pub fn from_registry_index(reg: &Registry, i: usize) -> Result<View> {
        let eff = reg.effective_of(i)?;
        let own = reg.record(i);
        let lin = crate::lineage::lineage(reg, i);
        let exposures = reg.exposures_of(i);
        let mut v = build(&eff.record, Some(&eff), own);
        // relations, as resolved
        let edges = reg.edges(i);
        let errors = reg.edge_errors(i);
        for (k, rel) in own.relations().iter().enumerate() {
            if let Some(rv) = v.relations.get_mut(k) {
                if let Some(e) = edges.iter().find(|e| e.index == rel.index) {
                    rv.relation = Some(e.relation);
                    rv.inferred = e.inferred;
                    rv.inherit = Some(e.inherit);
                    rv.resolved = Some(reg.parent_id(e));
                } else {
                    let msg = errors
                        .iter()
                        .map(|e| e.to_string())
                        .find(|m| m.contains(&format!("upstream[{}]", rel.index)))
                        .or_else(|| errors.first().map(|e| e.to_string()));
                    rv.error = msg;
                }
            }
        }
        v.risks = exposures
            .iter()
            .map(|e| exposure_view(reg, e))
            .collect::<Vec<_>>();
        sort_risks(&mut v.risks);
        v.graph = Graph::from_lineage(&lin);
        v.downstream = lin
            .descendants
            .iter()
            .map(|d| DownstreamRef {
                id: format!("{}@{}", d.name, d.version),
                kind: d.kind,
                relation: d.relation,
                depth: d.depth,
            })
            .collect();
        v.versions = versions_of(reg, own);
        v.effective = true;
        if v.transparency.is_some() {
            if let Ok(rep) = crate::score::score_index(reg, i, None) {
                let sv = ScoreView {
                    edition: rep.edition.clone(),
                    effective: rep.effective.total,
                    own: Some(rep.own.total),
                    domains: domains(&rep.effective),
                    inherited: rep.inherited.into_iter().collect(),
                };
                attach_score(&mut v, sv, &rep.edition);
            }
        }
        Ok(v)
    }

    /// The view of a single record, without a registry: its own fields and risks, its
    /// declared upstream relations as the graph, no provenance.
    pub fn from_record(rec: &Record) -> View {
        let mut v = build(rec, None, rec);
        // own risks only
        v.risks = rec
            .data()
            .risks
            .iter()
            .flatten()
            .map(|r| {
                let status = r.status.unwrap_or(RiskStatus::Confirmed);
                let origin = match (&r.upstream, status) {
                    (Some(u), RiskStatus::Mitigated) => u.clone(),
                    _ => rec.id(),
                };
                let mut chain = Vec::new();
                if origin != rec.id() {
                    chain.push(origin.clone());
                }
                chain.push(rec.id());
                RiskView {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    description: paragraphs(r.description.as_ref()),
                    severity: r.severity.unwrap_or(Severity::Medium),
                    status,
                    origin,
                    chain,
                    mitigated_by: (status == RiskStatus::Mitigated).then(|| rec.id()),
                    justification: r.justification.as_ref().map(|t| t.paragraphs().join("\n")),
                    source: r.source.clone(),
                }
            })
            .collect();
        sort_risks(&mut v.risks);
        let risky = v.risks.iter().any(|r| r.origin == rec.id());
        let mut graph = Graph {
            nodes: vec![GraphNode {
                id: rec.id(),
                kind: Some(rec.kind()),
                risky,
                root: true,
            }],
            edges: Vec::new(),
        };
        for rel in &v.relations {
            let id = if rel.requirement == "*" {
                rel.name.clone()
            } else {
                format!("{} {}", rel.name, rel.requirement)
            };
            let kind = match rel.relation {
                Some(RelationKind::TrainedOn | RelationKind::EvaluatedOn) => Some(Kind::Dataset),
                Some(RelationKind::MemberOf) => Some(Kind::Family),
                Some(_) => Some(Kind::Model),
                None => None,
            };
            if !graph.nodes.iter().any(|n| n.id == id) {
                graph.nodes.push(GraphNode {
                    id: id.clone(),
                    kind,
                    risky: false,
                    root: false,
                });
            }
            graph.edges.push(GraphEdge {
                parent: id,
                child: rec.id(),
                relation: rel
                    .relation
                    .map(|r| r.as_str().to_string())
                    .unwrap_or_else(|| "relation?".to_string()),
                inherit: rel.inherit.unwrap_or(true),
            });
        }
        v.graph = graph;
        v.versions = vec![VersionRef {
            version: rec.version().to_string(),
            id: rec.id(),
            current: true,
            latest: true,
        }];
        if v.transparency.is_some() {
            if let Ok(sc) = crate::score::score_record(rec, None) {
                let sv = ScoreView {
                    edition: sc.edition.clone(),
                    effective: sc.total,
                    own: None,
                    domains: domains(&sc),
                    inherited: Vec::new(),
                };
                attach_score(&mut v, sv, &sc.edition);
            }
        }
        v
    }

    /// Risks that are not mitigated.
    pub fn open_risks(&self) -> usize {
        self.risks.iter().filter(|r| r.open()).count()
    }

    /// True when anything shown was inherited.
    pub fn has_inherited(&self) -> bool {
        self.provenance.iter().any(|p| p.inherited)
    }
}

fn domains(s: &crate::score::Score) -> Vec<DomainScoreView> {
    s.domains
        .iter()
        .map(|d| DomainScoreView {
            name: d.name.clone(),
            tally: d.tally,
        })
        .collect()
}

/// Attach a score and label the answers with the edition's indicator names and groups.
fn attach_score(v: &mut View, sv: ScoreView, edition: &str) {
    let Some(t) = v.transparency.as_mut() else {
        return;
    };
    if let Ok(ed) = crate::score::edition(edition) {
        for a in &mut t.answers {
            if let Some(ind) = ed.find(&a.key) {
                a.label = ind.name.clone();
                let dom = ed
                    .domain(&ind.domain)
                    .map(|d| d.name.clone())
                    .unwrap_or_else(|| ind.domain.clone());
                let sub = ed
                    .subdomains_of(&ind.domain)
                    .find(|s| s.key == ind.subdomain)
                    .map(|s| s.name.clone())
                    .unwrap_or_else(|| ind.subdomain.clone());
                a.group = Some(format!("{dom} / {sub}"));
            }
        }
    }
    t.score = Some(sv);
}

fn sort_risks(r: &mut [RiskView]) {
    // open first, then by severity (highest first); stable otherwise
    r.sort_by(|a, b| {
        b.open()
            .cmp(&a.open())
            .then_with(|| b.severity.cmp(&a.severity))
    });
}

fn exposure_view(reg: &Registry, e: &Exposure) -> RiskView {
    let source = reg
        .find(&e.origin)
        .ok()
        .and_then(|r| r.data().risks.as_ref())
        .and_then(|rs| rs.iter().find(|r| r.id == e.id))
        .and_then(|r| r.source.clone());
    RiskView {
        id: e.id.clone(),
        title: e.title.clone(),
        description: e
            .description
            .as_deref()
            .map(|d| d.split('\n').map(str::to_string).collect())
            .unwrap_or_default(),
        severity: e.severity,
        status: e.status,
        origin: e.origin.clone(),
        chain: e.chain.clone(),
        mitigated_by: e.mitigation.as_ref().map(|m| m.by.clone()),
        justification: e.mitigation.as_ref().map(|m| m.justification.clone()),
        source,
    }
}

fn versions_of(reg: &Registry, own: &Record) -> Vec<VersionRef> {
    let all = reg.versions(own.name());
    let latest = all
        .iter()
        .rev()
        .find(|r| r.version().pre.is_empty())
        .or_else(|| all.last())
        .map(|r| r.version().clone());
    all.iter()
        .rev()
        .map(|r| VersionRef {
            version: r.version().to_string(),
            id: r.id(),
            current: r.version() == own.version(),
            latest: Some(r.version()) == latest.as_ref(),
        })
        .collect()
}

fn paragraphs(t: Option<&Text>) -> Vec<String> {
    t.map(|t| t.paragraphs().into_iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// A JSON value as display paragraphs: text lists stay lists, scalars become one string.
pub(crate) fn value_text(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        other => vec![scalar_text(other)],
    }
}

pub(crate) fn scalar_text(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|x| !x.is_object() && !x.is_array()) => {
            items.iter().map(scalar_text).collect::<Vec<_>>().join(", ")
        }
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// `7000000000` → `7,000,000,000 (7.0 B)`.
fn big_number(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let (div, unit) = if n >= 1_000_000_000_000 {
        (1e12, "T")
    } else if n >= 1_000_000_000 {
        (1e9, "B")
    } else if n >= 1_000_000 {
        (1e6, "M")
    } else if n >= 10_000 {
        (1e3, "K")
    } else {
        return grouped;
    };
    format!("{grouped} ({:.1} {unit})", n as f64 / div)
}

/// A label for a field key: the known label, else the key with `_` as spaces, capitalised.
pub fn label(key: &str) -> String {
    let known = match key {
        "architecture" => "Architecture",
        "model_type" => "Model type",
        "parameters" => "Parameters",
        "context_length" => "Context length (tokens)",
        "languages" => "Languages",
        "library" => "Library",
        "pipeline_tag" => "Pipeline tag",
        "quantization" => "Quantization",
        "precision" => "Precision",
        "size" => "Size",
        "instances" => "Instances",
        "compute" => "Training compute",
        "co2_eq_emissions" => "CO₂-eq emissions",
        "intended_use" => "Intended use",
        "out_of_scope_use" => "Out-of-scope use",
        "factors" => "Factors",
        "training_data" => "Training data",
        "evaluation_data" => "Evaluation data",
        "limitations" => "Limitations",
        "ethical_considerations" => "Ethical considerations",
        "recommendations" => "Recommendations",
        "additional_information" => "Additional information",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    let spaced = key.replace(['_', '-'], " ");
    let mut c = spaced.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

struct Prov<'a> {
    eff: Option<&'a Effective>,
    me: String,
}

impl Prov<'_> {
    fn of(&self, p: &str) -> Option<String> {
        let eff = self.eff?;
        match eff.provenance_of(p) {
            Some(s) if s != self.me => Some(s.to_string()),
            _ => None,
        }
    }
}

fn build(rec: &Record, eff: Option<&Effective>, own: &Record) -> View {
    let d = rec.data();
    let map = rec.map();
    let prov = Prov { eff, me: rec.id() };
    let mut v = View {
        id: rec.id(),
        name: rec.name().to_string(),
        version: rec.version().to_string(),
        kind: rec.kind(),
        format_version: d.format_version.clone(),
        title: d.title.clone().unwrap_or_else(|| rec.name().to_string()),
        description: paragraphs(d.description.as_ref()),
        publisher: d.publisher.as_ref().map(|p| Item {
            key: "publisher".into(),
            label: "Publisher".into(),
            text: vec![p.clone()],
            inherited_from: prov.of("publisher"),
        }),
        release_date: d.release_date.clone(),
        license: d.license.as_ref().map(|l| {
            let (text, url) = match l {
                License::Spdx(s) => (s.clone(), None),
                License::Named { id, name, url } => {
                    let text = match (id, name) {
                        (Some(i), Some(n)) => format!("{n} ({i})"),
                        (Some(i), None) => i.clone(),
                        (None, Some(n)) => n.clone(),
                        (None, None) => url.clone().unwrap_or_default(),
                    };
                    (text, url.clone())
                }
            };
            LicenseView {
                text,
                url,
                inherited_from: prov.of("license"),
            }
        }),
        references: d
            .references
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, r)| Entry {
                value: r.clone(),
                inherited_from: prov.of(&path::index("references", i)),
            })
            .collect(),
        tags: d
            .tags
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, t)| Entry {
                value: t.clone(),
                inherited_from: prov.of(&path::index("tags", i)),
            })
            .collect(),
        relations: Vec::new(),
        details: Vec::new(),
        card: Vec::new(),
        evaluations: Vec::new(),
        risks: Vec::new(),
        transparency: None,
        extensions: Vec::new(),
        provenance: Vec::new(),
        graph: Graph::default(),
        versions: Vec::new(),
        downstream: Vec::new(),
        effective: false,
        generator: format!("umr {}", crate::VERSION),
    };
    // relations come from the record's own upstream list
    for rel in own.relations() {
        let note = own
            .data()
            .upstream
            .as_ref()
            .and_then(|u| u.get(rel.index))
            .and_then(|u| match u {
                Upstream::Full(s) => s.note.clone(),
                Upstream::Short(_) => None,
            });
        v.relations.push(RelationView {
            name: rel.name.clone(),
            requirement: rel.req.clone(),
            relation: rel.kind,
            inferred: false,
            inherit: rel
                .inherit
                .or_else(|| rel.kind.map(|k| k.inherits_by_default())),
            resolved: None,
            error: None,
            note,
        });
    }
    // details, generically (every key shows; known keys get their label)
    if let Some(Value::Object(details)) = map.get("details") {
        for (k, val) in details {
            let p = path::key("details", k);
            match (k.as_str(), val) {
                ("modalities", Value::Object(m)) => {
                    for (mk, mv) in m {
                        let mp = path::key(&p, mk);
                        let lbl = match mk.as_str() {
                            "input" => "Input modalities".to_string(),
                            "output" => "Output modalities".to_string(),
                            other => format!("Modalities: {}", label(other)),
                        };
                        v.details.push(Item {
                            key: format!("modalities.{mk}"),
                            label: lbl,
                            text: vec![scalar_text(mv)],
                            inherited_from: prov.of(&mp),
                        });
                    }
                }
                ("parameters" | "instances", Value::Number(n)) if n.as_u64().is_some() => {
                    v.details.push(Item {
                        key: k.clone(),
                        label: label(k),
                        text: vec![big_number(n.as_u64().unwrap_or(0))],
                        inherited_from: prov.of(&p),
                    });
                }
                (_, val) => v.details.push(Item {
                    key: k.clone(),
                    label: label(k),
                    text: if matches!(k.as_str(), "languages") {
                        vec![scalar_text(val)]
                    } else {
                        value_text(val)
                    },
                    inherited_from: prov.of(&p),
                }),
            }
        }
    }
    if let Some(Value::Object(card)) = map.get("card") {
        for (k, val) in card {
            v.card.push(Item {
                key: k.clone(),
                label: label(k),
                text: value_text(val),
                inherited_from: prov.of(&path::key("card", k)),
            });
        }
    }
    for e in d.evaluations.iter().flatten() {
        let task = match (&e.task_name, &e.task) {
            (Some(n), Some(t)) if n != t => format!("{n} ({t})"),
            (Some(n), _) => n.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => String::new(),
        };
        let mut dataset = match (&e.dataset_name, &e.dataset) {
            (Some(n), Some(t)) if n != t => format!("{n} ({t})"),
            (Some(n), _) => n.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => String::new(),
        };
        let mut extra = Vec::new();
        if let Some(c) = &e.dataset_config {
            extra.push(format!("config {c}"));
        }
        if let Some(s) = &e.dataset_split {
            extra.push(format!("split {s}"));
        }
        if let Some(r) = &e.dataset_revision {
            extra.push(format!("revision {r}"));
        }
        if let Some(a) = &e.dataset_args {
            extra.push(format!("args {}", scalar_text(a)));
        }
        if !extra.is_empty() {
            dataset = format!("{dataset}; {}", extra.join(", "));
        }
        let mut metric = match &e.metric_name {
            Some(n) if *n != e.metric => format!("{n} ({})", e.metric),
            _ => e.metric.clone(),
        };
        let mut mextra = Vec::new();
        if let Some(c) = &e.metric_config {
            mextra.push(format!("config {c}"));
        }
        if let Some(a) = &e.metric_args {
            mextra.push(format!("args {}", scalar_text(a)));
        }
        if !mextra.is_empty() {
            metric = format!("{metric}; {}", mextra.join(", "));
        }
        v.evaluations.push(EvaluationView {
            task,
            dataset,
            metric,
            value: match &e.value {
                crate::model::MetricValue::Number(n) => {
                    let s = format!("{n}");
                    s.trim_end_matches(".0").to_string()
                }
                crate::model::MetricValue::Text(t) => t.clone(),
            },
            verified: e.verified,
            source: e.source.clone(),
            source_name: e.source_name.clone(),
        });
    }
    if let Some(t) = &d.transparency {
        let mut tv = TransparencyView {
            edition: t.edition.clone(),
            answers: Vec::new(),
            yes: 0,
            no: 0,
            unknown: 0,
            score: None,
        };
        let raw = map
            .get("transparency")
            .and_then(|t| t.get("answers"))
            .and_then(Value::as_object);
        for (k, a) in raw.into_iter().flatten() {
            let (value, evidence, note) = answer_text(a);
            match value.as_str() {
                "yes" => tv.yes += 1,
                "no" => tv.no += 1,
                _ => tv.unknown += 1,
            }
            tv.answers.push(AnswerView {
                key: k.clone(),
                label: label(k),
                value,
                evidence,
                note,
                inherited_from: prov.of(&path::key("transparency.answers", k)),
                group: None,
            });
        }
        v.transparency = Some(tv);
    }
    if let Some(Value::Object(ext)) = map.get("extensions") {
        for (k, val) in ext {
            v.extensions.push(Item {
                key: format!("extensions.{k}"),
                label: k.clone(),
                text: vec![json_text(val)],
                inherited_from: prov.of(&path::key("extensions", k)),
            });
        }
    }
    let known: Vec<&str> = crate::model::RECORD_FIELDS.iter().map(|f| f.key).collect();
    for (k, val) in map {
        if !known.contains(&k.as_str()) {
            v.extensions.push(Item {
                key: k.clone(),
                label: k.clone(),
                text: vec![json_text(val)],
                inherited_from: prov.of(&path::key("", k)),
            });
        }
    }
    if let Some(eff) = eff {
        v.provenance = provenance_rows(eff, &rec.id());
    }
    v
}

fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

fn answer_text(a: &Value) -> (String, Option<String>, Option<String>) {
    let word = |v: &Value| match v {
        Value::Bool(true) => "yes".to_string(),
        Value::Bool(false) => "no".to_string(),
        Value::Number(n) if n.as_u64() == Some(1) => "yes".to_string(),
        Value::Number(n) if n.as_u64() == Some(0) => "no".to_string(),
        Value::Null => "unknown".to_string(),
        Value::String(s) => s.clone(),
        other => scalar_text(other),
    };
    match a {
        Value::Object(m) => (
            m.get("value").map(word).unwrap_or_else(|| "unknown".into()),
            m.get("evidence")
                .and_then(Value::as_str)
                .map(str::to_string),
            m.get("note").and_then(Value::as_str).map(str::to_string),
        ),
        other => (word(other), None, None),
    }
}

fn provenance_rows(eff: &Effective, me: &str) -> Vec<ProvenanceRow> {
    let mut rows: Vec<ProvenanceRow> = Vec::new();
    for (p, src) in &eff.provenance {
        let segs = path::parse(p).unwrap_or_default();
        let depth = match segs.first() {
            Some(path::Seg::Key(k))
                if matches!(
                    k.as_str(),
                    "details" | "card" | "transparency" | "extensions"
                ) =>
            {
                2
            }
            _ => 1,
        };
        let head: Vec<path::Seg> = segs
            .into_iter()
            .take(depth)
            .filter(|s| matches!(s, path::Seg::Key(_)))
            .collect();
        let field = path::render(&head);
        let field = if field.is_empty() { p.clone() } else { field };
        match rows.iter_mut().find(|r| r.field == field) {
            Some(r) => {
                r.values += 1;
                if !r.sources.contains(src) {
                    r.sources.push(src.clone());
                }
                r.inherited |= src != me;
            }
            None => rows.push(ProvenanceRow {
                field,
                sources: vec![src.clone()],
                values: 1,
                inherited: src != me,
            }),
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(big_number(7_000_000_000), "7,000,000,000 (7.0 B)");
        assert_eq!(big_number(4096), "4,096");
        assert_eq!(big_number(151_000_000), "151,000,000 (151.0 M)");
    }

    #[test]
    fn labels() {
        assert_eq!(label("out_of_scope_use"), "Out-of-scope use");
        assert_eq!(label("model_size"), "Model size");
    }
}
