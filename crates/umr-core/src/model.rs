//! The typed record model and the field table.
//!
//! The field table ([`RECORD_FIELDS`] and the nested tables) is the one place where each
//! field declares its type for validation, whether it is required, and its inheritance
//! policy. The serde/schemars structs below mirror it for the typed API and the JSON
//! Schema; a test fails if the two drift apart.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The format version this library writes.
pub const FORMAT_VERSION: &str = "1.0";

/// How a field of a parent record reaches an inheriting child's effective record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Never inherited (identity fields, relations, evaluations, risks).
    NotInherited,
    /// The nearest value wins as a whole.
    Replace,
    /// Mappings merge key by key (recursively); the nearest value wins at each leaf.
    DeepMerge,
    /// Lists are united: the record's own items first, then the parents' items not yet present.
    SetUnion,
}

impl Policy {
    /// The snake_case name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Policy::NotInherited => "not_inherited",
            Policy::Replace => "replace",
            Policy::DeepMerge => "deep_merge",
            Policy::SetUnion => "set_union",
        }
    }
}

/// The value type of a field, as the validator checks it.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// Any string.
    Str,
    /// Free text: a string, or a list of strings (paragraphs / bullet points).
    Text,
    /// A non-negative integer.
    UInt,
    /// Any number.
    Number,
    /// A number or a string (a metric value as published).
    Scalar,
    /// `true` / `false`.
    Bool,
    /// A calendar date `YYYY-MM-DD`.
    Date,
    /// A semantic version `MAJOR.MINOR.PATCH[-pre][+build]`.
    Semver,
    /// A record name: `name` or `org/name`.
    Name,
    /// A version requirement.
    Req,
    /// An absolute http(s) or mailto URL.
    Url,
    /// An SPDX licence expression, or `{id, name, url}`.
    License,
    /// One of a fixed set of strings.
    Enum(&'static [&'static str]),
    /// A list of values of a type.
    List(&'static Ty),
    /// A mapping with known fields.
    Obj(&'static [Field]),
    /// A mapping from free keys to values of a type.
    MapOf(&'static Ty),
    /// An upstream relation: the short string form or the full mapping.
    Relation,
    /// A transparency answer: `true`/`false`/`1`/`0`/`null`/`"unknown"` or `{value, evidence, note}`.
    Answer,
    /// Anything.
    Any,
}

/// One field of a mapping in the record format.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Key in the document.
    pub key: &'static str,
    /// Value type.
    pub ty: Ty,
    /// Must be present.
    pub required: bool,
    /// Inheritance policy (meaningful for top-level fields and nested deep-merged maps).
    pub policy: Policy,
    /// One-line description (also used in the JSON Schema).
    pub doc: &'static str,
}

const fn f(key: &'static str, ty: Ty, policy: Policy, doc: &'static str) -> Field {
    Field {
        key,
        ty,
        required: false,
        policy,
        doc,
    }
}
const fn req(key: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        key,
        ty,
        required: true,
        policy: Policy::NotInherited,
        doc,
    }
}

use Policy::*;

/// The JSON Schema pattern of a record name (the validator's `check_name` is the same rule).
pub const NAME_PATTERN: &str =
    r"^(?!.*\.\.)(?:[A-Za-z0-9][A-Za-z0-9._-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9._-]{0,95}$";

/// Record kinds.
pub const KINDS: &[&str] = &["model", "family", "dataset"];
/// Relation kinds.
pub const RELATION_KINDS: &[&str] = &[
    "finetune",
    "adapter",
    "merge",
    "quantized",
    "distillation",
    "member_of",
    "trained_on",
    "evaluated_on",
    "derived_from",
];
/// Risk severities.
pub const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];
/// Risk statuses.
pub const RISK_STATUSES: &[&str] = &["confirmed", "suspected", "mitigated"];

static STR: Ty = Ty::Str;
static URL: Ty = Ty::Url;
static REL: Ty = Ty::Relation;
static ANY: Ty = Ty::Any;
static ANSWER: Ty = Ty::Answer;
static EVAL: Ty = Ty::Obj(EVALUATION_FIELDS);
static RISK: Ty = Ty::Obj(RISK_FIELDS);

/// Top-level fields of a record, in canonical order.
pub const RECORD_FIELDS: &[Field] = &[
    req(
        "format_version",
        Ty::Str,
        "Version of the UMR format, `1.0`.",
    ),
    req(
        "kind",
        Ty::Enum(KINDS),
        "What the record describes: model, family or dataset.",
    ),
    req(
        "name",
        Ty::Name,
        "Identifier: letters, digits, `.`, `_`, `-`, optionally namespaced `org/name`.",
    ),
    req("version", Ty::Semver, "Semantic version of this record."),
    f("title", Ty::Str, NotInherited, "Display title."),
    f(
        "description",
        Ty::Text,
        NotInherited,
        "What this record describes, in prose.",
    ),
    f(
        "publisher",
        Ty::Str,
        Replace,
        "Who publishes the model or dataset.",
    ),
    f(
        "release_date",
        Ty::Date,
        NotInherited,
        "Release date, `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`).",
    ),
    f(
        "license",
        Ty::License,
        Replace,
        "SPDX licence expression, or `{id, name, url}` for a named licence.",
    ),
    f(
        "references",
        Ty::List(&URL),
        SetUnion,
        "URLs of papers, cards, repositories.",
    ),
    f("tags", Ty::List(&STR), SetUnion, "Free keywords."),
    f(
        "upstream",
        Ty::List(&REL),
        NotInherited,
        "Records this one is built from.",
    ),
    f(
        "details",
        Ty::Obj(DETAILS_FIELDS),
        DeepMerge,
        "Technical details.",
    ),
    f(
        "card",
        Ty::Obj(CARD_FIELDS),
        DeepMerge,
        "Model card sections.",
    ),
    f(
        "evaluations",
        Ty::List(&EVAL),
        NotInherited,
        "Evaluation results.",
    ),
    f(
        "risks",
        Ty::List(&RISK),
        NotInherited,
        "Known risks (they propagate downstream by their own rule).",
    ),
    f(
        "transparency",
        Ty::Obj(TRANSPARENCY_FIELDS),
        DeepMerge,
        "Transparency indicator answers.",
    ),
    f(
        "extensions",
        Ty::MapOf(&ANY),
        DeepMerge,
        "Open extension map, kept untouched.",
    ),
];

static MODALITY_FIELDS: &[Field] = &[
    f(
        "input",
        Ty::List(&STR),
        Replace,
        "Input modalities (text, image, audio, video, …).",
    ),
    f("output", Ty::List(&STR), Replace, "Output modalities."),
];

/// Fields of `details`.
pub const DETAILS_FIELDS: &[Field] = &[
    f(
        "architecture",
        Ty::Text,
        Replace,
        "Architecture description.",
    ),
    f(
        "model_type",
        Ty::Str,
        Replace,
        "Type of model (e.g. Large Language Model).",
    ),
    f("parameters", Ty::UInt, Replace, "Parameter count."),
    f(
        "modalities",
        Ty::Obj(MODALITY_FIELDS),
        DeepMerge,
        "Input and output modalities.",
    ),
    f(
        "context_length",
        Ty::UInt,
        Replace,
        "Context length in tokens.",
    ),
    f(
        "languages",
        Ty::List(&STR),
        Replace,
        "Natural languages (ISO 639 codes or names).",
    ),
    f(
        "library",
        Ty::Str,
        Replace,
        "Library the weights are for (e.g. transformers).",
    ),
    f(
        "pipeline_tag",
        Ty::Str,
        Replace,
        "Task tag as used on model hubs.",
    ),
    f(
        "quantization",
        Ty::Str,
        Replace,
        "Quantization scheme (e.g. GGUF Q4_K_M).",
    ),
    f(
        "precision",
        Ty::Str,
        Replace,
        "Numeric precision of the weights (e.g. bf16).",
    ),
    f(
        "size",
        Ty::Str,
        Replace,
        "Size in words (e.g. `5.85B image-text pairs`).",
    ),
    f(
        "instances",
        Ty::UInt,
        Replace,
        "Number of instances (datasets).",
    ),
    f("compute", Ty::Str, Replace, "Training compute."),
    f(
        "co2_eq_emissions",
        Ty::Any,
        Replace,
        "CO2-equivalent emissions, as published.",
    ),
];

/// Card section keys.
pub const CARD_SECTIONS: &[&str] = &[
    "intended_use",
    "out_of_scope_use",
    "factors",
    "training_data",
    "evaluation_data",
    "limitations",
    "ethical_considerations",
    "recommendations",
    "additional_information",
];

/// Fields of `card`.
pub const CARD_FIELDS: &[Field] = &[
    f("intended_use", Ty::Text, Replace, "Intended uses."),
    f("out_of_scope_use", Ty::Text, Replace, "Uses out of scope."),
    f("factors", Ty::Text, Replace, "Relevant factors."),
    f("training_data", Ty::Text, Replace, "Training data."),
    f("evaluation_data", Ty::Text, Replace, "Evaluation data."),
    f("limitations", Ty::Text, Replace, "Limitations."),
    f(
        "ethical_considerations",
        Ty::Text,
        Replace,
        "Ethical considerations.",
    ),
    f("recommendations", Ty::Text, Replace, "Recommendations."),
    f(
        "additional_information",
        Ty::Text,
        Replace,
        "Additional information.",
    ),
];

/// Fields of one evaluation result.
pub const EVALUATION_FIELDS: &[Field] = &[
    f(
        "task",
        Ty::Str,
        NotInherited,
        "Task type (e.g. text-generation).",
    ),
    f("task_name", Ty::Str, NotInherited, "Task display name."),
    f(
        "dataset",
        Ty::Str,
        NotInherited,
        "Dataset identifier (a record name or hub id).",
    ),
    f(
        "dataset_name",
        Ty::Str,
        NotInherited,
        "Dataset display name.",
    ),
    f(
        "dataset_config",
        Ty::Str,
        NotInherited,
        "Dataset configuration.",
    ),
    f("dataset_split", Ty::Str, NotInherited, "Dataset split."),
    f(
        "dataset_revision",
        Ty::Str,
        NotInherited,
        "Dataset revision.",
    ),
    f("dataset_args", Ty::Any, NotInherited, "Dataset arguments."),
    req("metric", Ty::Str, "Metric type (e.g. accuracy)."),
    f("metric_name", Ty::Str, NotInherited, "Metric display name."),
    f(
        "metric_config",
        Ty::Str,
        NotInherited,
        "Metric configuration.",
    ),
    f("metric_args", Ty::Any, NotInherited, "Metric arguments."),
    req(
        "value",
        Ty::Scalar,
        "The value as published: a number, or a string when not numeric.",
    ),
    f(
        "verified",
        Ty::Bool,
        NotInherited,
        "Verified by a third party.",
    ),
    f(
        "source",
        Ty::Url,
        NotInherited,
        "Where the result was published.",
    ),
    f("source_name", Ty::Str, NotInherited, "Name of the source."),
];

/// Fields of one risk.
pub const RISK_FIELDS: &[Field] = &[
    req(
        "id",
        Ty::Str,
        "Risk identifier (e.g. csam, nsfw, pii, license-conflict).",
    ),
    f("title", Ty::Str, NotInherited, "Short title."),
    f("description", Ty::Text, NotInherited, "What the risk is."),
    f(
        "severity",
        Ty::Enum(SEVERITIES),
        NotInherited,
        "low, medium, high or critical (default medium).",
    ),
    f(
        "status",
        Ty::Enum(RISK_STATUSES),
        NotInherited,
        "confirmed (default), suspected or mitigated.",
    ),
    f(
        "justification",
        Ty::Text,
        NotInherited,
        "Why the risk is mitigated (required when status is mitigated).",
    ),
    f(
        "upstream",
        Ty::Name,
        NotInherited,
        "For a mitigation: the upstream record whose risk this mitigates (default: any).",
    ),
    f(
        "source",
        Ty::Url,
        NotInherited,
        "Where the risk was reported.",
    ),
];

/// Fields of `transparency`.
pub const TRANSPARENCY_FIELDS: &[Field] = &[
    f(
        "edition",
        Ty::Str,
        Replace,
        "Indicator set the answers refer to (e.g. fmti2023).",
    ),
    f(
        "answers",
        Ty::MapOf(&ANSWER),
        DeepMerge,
        "Answer per indicator key.",
    ),
];

/// Fields of an upstream relation in its mapping form.
pub const RELATION_FIELDS: &[Field] = &[
    req("name", Ty::Name, "Name of the upstream record."),
    f(
        "version",
        Ty::Req,
        NotInherited,
        "Version requirement (default `*`, the highest release).",
    ),
    f(
        "relation",
        Ty::Enum(RELATION_KINDS),
        NotInherited,
        "Relation kind (default: inferred from the kinds of both records).",
    ),
    f(
        "inherit",
        Ty::Bool,
        NotInherited,
        "Override whether fields are inherited along this relation.",
    ),
    f("note", Ty::Str, NotInherited, "Free note."),
];

/// Fields of a transparency answer in its mapping form.
pub const ANSWER_FIELDS: &[Field] = &[
    f(
        "value",
        Ty::Any,
        NotInherited,
        "true, false, 1, 0, null or \"unknown\".",
    ),
    f(
        "evidence",
        Ty::Url,
        NotInherited,
        "URL supporting the answer.",
    ),
    f("note", Ty::Str, NotInherited, "Free note."),
];

/// The policy of a top-level field.
pub fn policy_of(key: &str) -> Option<Policy> {
    RECORD_FIELDS
        .iter()
        .find(|f| f.key == key)
        .map(|f| f.policy)
}

/// The nested field table of a top-level object field.
pub fn nested_fields(key: &str) -> Option<&'static [Field]> {
    RECORD_FIELDS
        .iter()
        .find(|f| f.key == key)
        .and_then(|f| match f.ty {
            Ty::Obj(fs) => Some(fs),
            _ => None,
        })
}

// ---------------------------------------------------------------------------------------
// Typed view (serde + schemars). Mirrors the tables above.
// ---------------------------------------------------------------------------------------

/// What a record describes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A trained model.
    Model,
    /// A family of models (e.g. Llama 2).
    Family,
    /// A dataset.
    Dataset,
}

impl Kind {
    /// The snake_case name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Model => "model",
            Kind::Family => "family",
            Kind::Dataset => "dataset",
        }
    }
}

/// How a record relates to an upstream record.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// Fine-tuned from the upstream model.
    Finetune,
    /// An adapter (LoRA, …) on the upstream model.
    Adapter,
    /// A merge of upstream models.
    Merge,
    /// A quantized version of the upstream model.
    Quantized,
    /// Distilled from the upstream model.
    Distillation,
    /// Member of the upstream family.
    MemberOf,
    /// Trained on the upstream dataset.
    TrainedOn,
    /// Evaluated on the upstream dataset.
    EvaluatedOn,
    /// Derived from the upstream record in some other way.
    DerivedFrom,
}

impl RelationKind {
    /// All kinds, in documentation order.
    pub const ALL: [RelationKind; 9] = [
        RelationKind::Finetune,
        RelationKind::Adapter,
        RelationKind::Merge,
        RelationKind::Quantized,
        RelationKind::Distillation,
        RelationKind::MemberOf,
        RelationKind::TrainedOn,
        RelationKind::EvaluatedOn,
        RelationKind::DerivedFrom,
    ];

    /// The snake_case name.
    pub fn as_str(&self) -> &'static str {
        match self {
            RelationKind::Finetune => "finetune",
            RelationKind::Adapter => "adapter",
            RelationKind::Merge => "merge",
            RelationKind::Quantized => "quantized",
            RelationKind::Distillation => "distillation",
            RelationKind::MemberOf => "member_of",
            RelationKind::TrainedOn => "trained_on",
            RelationKind::EvaluatedOn => "evaluated_on",
            RelationKind::DerivedFrom => "derived_from",
        }
    }

    /// Parse the snake_case name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether fields inherit along this kind of relation unless the relation says otherwise.
    pub fn inherits_by_default(&self) -> bool {
        !matches!(self, RelationKind::TrainedOn | RelationKind::EvaluatedOn)
    }

    /// The kind assumed when a relation does not name one, from the kinds of the two records:
    /// upstream family → `member_of`; a model over a dataset → `trained_on`; anything else
    /// → `derived_from`.
    pub fn infer(downstream: Kind, upstream: Kind) -> Self {
        match (downstream, upstream) {
            (_, Kind::Family) => RelationKind::MemberOf,
            (Kind::Model, Kind::Dataset) => RelationKind::TrainedOn,
            _ => RelationKind::DerivedFrom,
        }
    }
}

/// A licence: an SPDX expression, or a named licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum License {
    /// An SPDX licence expression, e.g. `Apache-2.0 OR MIT`, `LicenseRef-llama2`.
    Spdx(String),
    /// A licence that has no SPDX identifier.
    Named {
        /// SPDX expression, when one exists (e.g. `LicenseRef-llama2`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// Licence name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Licence text URL.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        url: Option<String>,
    },
}

/// Free text: one string, or a list of paragraphs / bullet points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Text {
    /// A single string (Markdown allowed).
    One(String),
    /// Bullet points.
    Many(Vec<String>),
}

impl Text {
    /// The text as a list of paragraphs.
    pub fn paragraphs(&self) -> Vec<&str> {
        match self {
            Text::One(s) => vec![s.as_str()],
            Text::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// An upstream relation: `"llama2>=1.0.0"` or the full mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Upstream {
    /// Short form: `name`, `name<requirement>`, `name@requirement`, `name==1.2.0` or `name-1.2.0`.
    Short(String),
    /// Full form.
    Full(RelationSpec),
}

/// The mapping form of an upstream relation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RelationSpec {
    /// Name of the upstream record.
    #[schemars(regex(pattern = NAME_PATTERN))]
    pub name: String,
    /// Version requirement (default `*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Relation kind (default: inferred from the kinds of both records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<RelationKind>,
    /// Override whether fields are inherited along this relation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inherit: Option<bool>,
    /// Free note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Input and output modalities.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Modalities {
    /// Input modalities (text, image, audio, video, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Vec<String>>,
    /// Output modalities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Vec<String>>,
}

/// Technical details.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Details {
    /// Architecture description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<Text>,
    /// Type of model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_type: Option<String>,
    /// Parameter count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<u64>,
    /// Input and output modalities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modalities: Option<Modalities>,
    /// Context length in tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_length: Option<u64>,
    /// Natural languages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<String>>,
    /// Library the weights are for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<String>,
    /// Task tag as used on model hubs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline_tag: Option<String>,
    /// Quantization scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantization: Option<String>,
    /// Numeric precision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<String>,
    /// Size in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// Number of instances (datasets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instances: Option<u64>,
    /// Training compute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compute: Option<String>,
    /// CO2-equivalent emissions, as published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co2_eq_emissions: Option<Value>,
}

/// Model card sections.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Card {
    /// Intended uses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intended_use: Option<Text>,
    /// Uses out of scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_scope_use: Option<Text>,
    /// Relevant factors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factors: Option<Text>,
    /// Training data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_data: Option<Text>,
    /// Evaluation data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_data: Option<Text>,
    /// Limitations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limitations: Option<Text>,
    /// Ethical considerations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethical_considerations: Option<Text>,
    /// Recommendations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendations: Option<Text>,
    /// Additional information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_information: Option<Text>,
}

/// One evaluation result (maps to one metric of a Hugging Face `model-index` result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Evaluation {
    /// Task type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// Task display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_name: Option<String>,
    /// Dataset identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
    /// Dataset display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_name: Option<String>,
    /// Dataset configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_config: Option<String>,
    /// Dataset split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_split: Option<String>,
    /// Dataset revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_revision: Option<String>,
    /// Dataset arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_args: Option<Value>,
    /// Metric type.
    pub metric: String,
    /// Metric display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_name: Option<String>,
    /// Metric configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_config: Option<String>,
    /// Metric arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_args: Option<Value>,
    /// The value as published.
    pub value: MetricValue,
    /// Verified by a third party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// Where the result was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Name of the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
}

/// A metric value: a number, or a string when the publication gives no number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum MetricValue {
    /// A number.
    Number(f64),
    /// A string, kept as published.
    Text(String),
}

/// Risk severity.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

/// Risk status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskStatus {
    /// The risk is known to be real.
    Confirmed,
    /// The risk is suspected.
    Suspected,
    /// The risk has been mitigated (a justification is required).
    Mitigated,
}

impl RiskStatus {
    /// The snake_case name.
    pub fn as_str(&self) -> &'static str {
        match self {
            RiskStatus::Confirmed => "confirmed",
            RiskStatus::Suspected => "suspected",
            RiskStatus::Mitigated => "mitigated",
        }
    }
}

/// A known risk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Risk {
    /// Risk identifier.
    pub id: String,
    /// Short title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What the risk is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Severity (default medium).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Status (default confirmed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<RiskStatus>,
    /// Why the risk is mitigated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<Text>,
    /// For a mitigation: the upstream record whose risk this mitigates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = NAME_PATTERN))]
    pub upstream: Option<String>,
    /// Where the risk was reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A transparency answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Answer {
    /// `true` / `false`.
    Bool(bool),
    /// `1` / `0` (the prototype's form).
    Int(#[schemars(range(min = 0, max = 1))] u8),
    /// `"unknown"`.
    Word(#[schemars(regex(pattern = "^unknown$"))] String),
    /// With evidence.
    Full {
        /// The answer.
        #[serde(default)]
        value: Option<Value>,
        /// URL supporting the answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        evidence: Option<String>,
        /// Free note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// `null`: unknown.
    Unknown(()),
}

/// Transparency indicator answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Transparency {
    /// Indicator set (e.g. fmti2023).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Answer per indicator key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<IndexMap<String, Answer>>,
}

/// A UMR record (the typed view). `schema/umr.schema.json` is generated from this type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(
    title = "UMR record",
    description = "A Unified Model Record, format 1.0."
)]
pub struct RecordData {
    /// Version of the UMR format, `1.0`.
    #[schemars(regex(pattern = r"^1(\.\d+)?$"))]
    pub format_version: String,
    /// What the record describes.
    pub kind: Kind,
    /// Identifier: letters, digits, `.`, `_`, `-`, optionally namespaced `org/name`.
    #[schemars(
        regex(pattern = NAME_PATTERN),
        length(min = 1, max = 193)
    )]
    pub name: String,
    /// Semantic version of this record.
    #[schemars(regex(
        pattern = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
    ))]
    pub version: String,
    /// Display title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What this record describes, in prose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Who publishes the model or dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Release date, `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"))]
    pub release_date: Option<String>,
    /// SPDX licence expression, or a named licence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<License>,
    /// URLs of papers, cards, repositories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<Vec<String>>,
    /// Free keywords.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Records this one is built from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<Vec<Upstream>>,
    /// Technical details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
    /// Model card sections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    /// Evaluation results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluations: Option<Vec<Evaluation>>,
    /// Known risks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risks: Option<Vec<Risk>>,
    /// Transparency indicator answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transparency: Option<Transparency>,
    /// Open extension map, kept untouched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<IndexMap<String, Value>>,
}
