//! Publishing: a record rendered to Markdown, standalone HTML, LaTeX source, PDF (produced
//! in-process, fonts embedded) and its lineage graph as SVG (laid out in-process), and a
//! registry published as a static web site ([`site`]).
//!
//! Every renderer works from a [`View`], built from a registry
//! ([`View::from_registry`]: effective record, provenance, lineage, risk exposures,
//! versions) or from a single record ([`View::from_record`]: no registry needed — the
//! WebAssembly build's entry point). Everything taken from a record is escaped for its
//! output context ([`escape`]).
//!
//! ```
//! use umr_core::{Record, LoadOptions};
//! use umr_core::render::{render_record, Format};
//! let rec = Record::from_yaml_str(
//!     "format_version: '1.0'\nkind: model\nname: demo\nversion: 1.0.0\ntitle: <b>Demo</b>\n",
//!     &LoadOptions::default(),
//! )?;
//! let html = String::from_utf8(render_record(&rec, Format::Html)?).unwrap_or_default();
//! assert!(html.contains("&lt;b&gt;Demo&lt;/b&gt;"));
//! # Ok::<(), umr_core::UmrError>(())
//! ```

pub mod escape;
pub mod graph;
pub mod html;
pub mod latex;
pub mod markdown;
pub mod pdf;
pub mod site;
pub mod svg;
pub mod view;

use crate::diagnostic::{Result, UmrError};
use crate::model::Severity;
use crate::record::Record;
use crate::registry::Registry;
use serde::{Deserialize, Serialize};

pub use view::View;

/// Maps a record id (`name@version`) to a link target (relative URL), or `None` for no
/// link. Used by the site; standalone documents have no links between records.
pub type LinkFn<'a> = &'a dyn Fn(&str) -> Option<String>;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Markdown (CommonMark + GitHub tables, a Mermaid block for the graph).
    Markdown,
    /// Standalone HTML.
    Html,
    /// LaTeX source.
    Latex,
    /// PDF.
    Pdf,
    /// The lineage graph as SVG.
    Svg,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 5] = [
        Format::Markdown,
        Format::Html,
        Format::Latex,
        Format::Pdf,
        Format::Svg,
    ];

    /// Parse `md`/`markdown`, `html`, `tex`/`latex`, `pdf`, `svg` (any case).
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "tex" | "latex" => Some(Format::Latex),
            "pdf" => Some(Format::Pdf),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }

    /// The usual file extension.
    pub fn extension(&self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Latex => "tex",
            Format::Pdf => "pdf",
            Format::Svg => "svg",
        }
    }

    /// The media type.
    pub fn media_type(&self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Latex => "application/x-tex; charset=utf-8",
            Format::Pdf => "application/pdf",
            Format::Svg => "image/svg+xml",
        }
    }

    /// True for binary output (PDF).
    pub fn is_binary(&self) -> bool {
        matches!(self, Format::Pdf)
    }
}

impl std::str::FromStr for Format {
    type Err = UmrError;
    fn from_str(s: &str) -> Result<Format> {
        Format::parse(s).ok_or_else(|| {
            UmrError::argument(
                "E_FORMAT",
                format!("unknown output format `{s}`; use md, html, tex, pdf or svg"),
            )
        })
    }
}

/// Render a view.
pub fn render(v: &View, format: Format) -> Result<Vec<u8>> {
    Ok(match format {
        Format::Markdown => markdown::to_markdown(v).into_bytes(),
        Format::Html => html::to_html(v).into_bytes(),
        Format::Latex => latex::to_latex(v).into_bytes(),
        Format::Svg => to_svg(v).into_bytes(),
        Format::Pdf => pdf::to_pdf(v)?,
    })
}

/// Render a view to a text format (every format but PDF).
pub fn render_text(v: &View, format: Format) -> Result<String> {
    match format {
        Format::Pdf => Err(UmrError::argument(
            "E_FORMAT",
            "PDF is binary; use `render` for bytes",
        )),
        f => String::from_utf8(render(v, f)?)
            .map_err(|e| UmrError::argument("E_INTERNAL", e.to_string())),
    }
}

/// The lineage graph of a view as a standalone SVG document.
pub fn to_svg(v: &View) -> String {
    svg::to_svg(&v.graph, &svg::SvgOptions::default())
}

/// Render a single record (no registry: own fields only, declared upstream as the graph).
pub fn render_record(rec: &Record, format: Format) -> Result<Vec<u8>> {
    render(&View::from_record(rec), format)
}

impl Registry {
    /// Render the effective record of a reference.
    pub fn render(&self, spec: &str, format: Format) -> Result<Vec<u8>> {
        render(&View::from_registry(self, spec)?, format)
    }
}

/// The sections of a rendered card, in order; a section appears when it has content
/// (Identity, Lineage and Versions always).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Name, version, kind, publisher, licence, tags…
    Identity,
    /// Upstream relations, the graph, downstream records.
    Lineage,
    /// Technical details.
    Details,
    /// Card sections.
    Card,
    /// Evaluation results.
    Evaluations,
    /// Risks.
    Risks,
    /// Transparency answers.
    Transparency,
    /// References.
    References,
    /// Extensions and unknown fields.
    Extensions,
    /// Which ancestor supplied which field.
    Provenance,
    /// Versions of the same name.
    Versions,
}

impl Section {
    /// Heading.
    pub fn title(&self) -> &'static str {
        match self {
            Section::Identity => "Identity",
            Section::Lineage => "Lineage",
            Section::Details => "Details",
            Section::Card => "Card",
            Section::Evaluations => "Evaluation results",
            Section::Risks => "Risks",
            Section::Transparency => "Transparency",
            Section::References => "References",
            Section::Extensions => "Extensions and other fields",
            Section::Provenance => "Provenance",
            Section::Versions => "Versions",
        }
    }

    /// HTML anchor.
    pub fn anchor(&self) -> &'static str {
        match self {
            Section::Identity => "identity",
            Section::Lineage => "lineage",
            Section::Details => "details",
            Section::Card => "card",
            Section::Evaluations => "evaluations",
            Section::Risks => "risks",
            Section::Transparency => "transparency",
            Section::References => "references",
            Section::Extensions => "extensions",
            Section::Provenance => "provenance",
            Section::Versions => "versions",
        }
    }
}

/// The sections a view shows.
pub fn sections(v: &View) -> Vec<Section> {
    let mut s = vec![Section::Identity, Section::Lineage];
    if !v.details.is_empty() {
        s.push(Section::Details);
    }
    if !v.card.is_empty() {
        s.push(Section::Card);
    }
    if !v.evaluations.is_empty() {
        s.push(Section::Evaluations);
    }
    if !v.risks.is_empty() {
        s.push(Section::Risks);
    }
    if v.transparency.is_some() {
        s.push(Section::Transparency);
    }
    if !v.references.is_empty() {
        s.push(Section::References);
    }
    if !v.extensions.is_empty() {
        s.push(Section::Extensions);
    }
    if v.effective {
        s.push(Section::Provenance);
    }
    s.push(Section::Versions);
    s
}

/// `finetune`, `trained_on (inferred)`, or `unspecified`.
pub(crate) fn relation_text(r: &view::RelationView) -> String {
    match r.relation {
        Some(k) if r.inferred => format!("{} (inferred)", k.as_str()),
        Some(k) => k.as_str().to_string(),
        None => "unspecified".to_string(),
    }
}

pub(crate) fn severity_text(s: Severity) -> &'static str {
    match s {
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "critical",
    }
}

/// First 12 hex digits of the SHA-256 of a text.
pub(crate) fn short_hash(s: &str) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(s.as_bytes());
    d.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// The transparency score as plain sentences (each renderer escapes them).
pub(crate) fn score_lines(s: &view::ScoreView) -> Vec<String> {
    let t = &s.effective;
    let mut out = vec![format!(
        "Score ({}{}): {} of {} indicators satisfied; {} answered, {} unknown.",
        s.edition,
        if s.own.is_some() {
            ", own and inherited answers"
        } else {
            ", own answers"
        },
        t.score,
        t.indicators,
        t.answered,
        t.unknown
    )];
    if let Some(o) = &s.own {
        out.push(format!(
            "Own answers only: {} of {} satisfied, {} answered.",
            o.score, o.indicators, o.answered
        ));
    }
    if !s.inherited.is_empty() {
        let parts: Vec<String> = s
            .inherited
            .iter()
            .map(|(id, n)| format!("{n} from {id}"))
            .collect();
        out.push(format!("Inherited answers: {}.", parts.join(", ")));
    }
    out
}
