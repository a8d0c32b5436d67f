//! Rendering through `umr_core::render` (cargo feature `render`): HTML and Markdown cards
//! and the SVG lineage drawing. LaTeX and PDF (fonts embedded) are left to the command
//! line and the native packages, so their code never reaches the module.

use crate::error::{argument, umr, JsResult};
use umr_core::render::{self, html, markdown, Format, View};

/// The formats this build renders.
const FORMATS: &str = "html, md (markdown) or svg";

/// Render a view: `html` (a standalone page), `md` / `markdown`, or `svg` (the lineage
/// graph).
pub fn render_view(v: &View, format: &str) -> JsResult<String> {
    match Format::parse(format) {
        Some(Format::Html) => Ok(html::to_html(v)),
        Some(Format::Markdown) => Ok(markdown::to_markdown(v)),
        Some(Format::Svg) => Ok(render::to_svg(v)),
        Some(other) => Err(argument(
            "E_FORMAT",
            format!(
                "`{}` output is not part of the WebAssembly build (use the command line or the \
                 native packages); this build renders {FORMATS}",
                other.extension()
            ),
        )),
        // the core's message for a name it does not know
        None => Err(umr(format.parse::<Format>()).err().unwrap_or_else(|| {
            argument(
                "E_FORMAT",
                format!("unknown output format `{format}`; use {FORMATS}"),
            )
        })),
    }
}
