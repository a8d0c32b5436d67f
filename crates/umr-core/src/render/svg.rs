//! The lineage graph as SVG (layout from [`super::graph`]).
//!
//! Node shapes by kind: a model is a rounded box, a family a folder (box with a tab), a
//! dataset a cylinder, an upstream of unknown kind a dashed box. Risk-flagged nodes have a
//! red outline and a ⚠ mark; the record the drawing is about has a heavier outline and a
//! tinted fill. Edges run left to right (upstream → downstream), labelled with the
//! relation kind; edges along which nothing is inherited are dashed. Colours adapt to
//! `prefers-color-scheme`. All text is XML-escaped; there are no scripts, no external
//! references and (unless the site asks for them) no links.

use super::escape::xml;
use super::graph::{layout, Layout, SMALL_SIZE};
use super::view::Graph;
use crate::model::Kind;
use std::fmt::Write;

/// Options of the SVG drawing.
#[derive(Default)]
pub struct SvgOptions<'a> {
    /// Link target per node id (site pages); `None` for no link. Targets must be safe
    /// relative paths; they are XML-escaped here.
    pub link: Option<super::LinkFn<'a>>,
    /// Leave out the XML declaration (for inline use in HTML).
    pub inline: bool,
}

const STYLE: &str = "
.umr-g{font-family:'DejaVu Sans',Verdana,Arial,sans-serif}
.umr-g .n{fill:#ffffff;stroke:#4a5568;stroke-width:1.3}
.umr-g .root .n{fill:#e6effc;stroke:#1d4ed8;stroke-width:2.6}
.umr-g .risk .n{stroke:#c81e1e;stroke-width:2.4}
.umr-g .unknown .n{stroke-dasharray:4 3}
.umr-g .t1{fill:#1a202c;font-size:12px;font-weight:600}
.umr-g .t2{fill:#4a5568;font-size:10px}
.umr-g .warn{fill:#c81e1e;font-size:12px;font-weight:700}
.umr-g .e{fill:none;stroke:#718096;stroke-width:1.4}
.umr-g .e.ni{stroke-dasharray:5 4}
.umr-g .ah{fill:#718096}
.umr-g .lb{fill:#2d3748;font-size:10px;paint-order:stroke;stroke:#ffffff;stroke-width:4px;stroke-linejoin:round}
.umr-g .lg{fill:#4a5568;font-size:10px}
.umr-g a:focus .n,.umr-g a:hover .n{stroke:#1d4ed8;stroke-width:2.6}
@media (prefers-color-scheme:dark){
.umr-g .n{fill:#1f2933;stroke:#a0aec0}
.umr-g .root .n{fill:#1e3a5f;stroke:#90cdf4}
.umr-g .risk .n{stroke:#fc8181}
.umr-g .t1{fill:#f7fafc}
.umr-g .t2,.umr-g .lg{fill:#cbd5e0}
.umr-g .warn{fill:#fc8181}
.umr-g .e{stroke:#a0aec0}
.umr-g .ah{fill:#a0aec0}
.umr-g .lb{fill:#e2e8f0;stroke:#111827}
}
@media print{.umr-g .lb{stroke:#ffffff}}
";

fn f(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// The SVG path of a node's outline.
pub fn shape_path(kind: Option<Kind>, x: f64, y: f64, w: f64, h: f64) -> String {
    match kind {
        Some(Kind::Dataset) => {
            let e = 5.0;
            format!(
                "M{x0},{y1} A{rx},{e} 0 0 1 {x1},{y1} V{y2} A{rx},{e} 0 0 1 {x0},{y2} Z M{x0},{y1} A{rx},{e} 0 0 0 {x1},{y1}",
                x0 = f(x),
                x1 = f(x + w),
                y1 = f(y + e),
                y2 = f(y + h - e),
                rx = f(w / 2.0),
                e = f(e),
            )
        }
        Some(Kind::Family) => {
            let t = 6.0;
            let tw = (w * 0.4).min(60.0);
            format!(
                "M{x0},{y0} V{yt} H{xa} L{xb},{y0} H{x1} V{y2} H{x0} Z",
                x0 = f(x),
                y0 = f(y),
                yt = f(y - t),
                xa = f(x + tw),
                xb = f(x + tw + t),
                x1 = f(x + w),
                y2 = f(y + h),
            )
        }
        _ => {
            let r = 6.0;
            format!(
                "M{a},{y0} H{b} Q{x1},{y0} {x1},{c} V{d} Q{x1},{y1} {b},{y1} H{a} Q{x0},{y1} {x0},{d} V{c} Q{x0},{y0} {a},{y0} Z",
                a = f(x + r),
                b = f(x + w - r),
                c = f(y + r),
                d = f(y + h - r),
                x0 = f(x),
                x1 = f(x + w),
                y0 = f(y),
                y1 = f(y + h),
            )
        }
    }
}

/// The SVG path of an edge through its points (cubic curves, horizontal tangents).
pub fn edge_path(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    if let Some(&(x, y)) = points.first() {
        let _ = write!(d, "M{},{}", f(x), f(y));
    }
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.1 - b.1).abs() < 0.5 {
            let _ = write!(d, " L{},{}", f(b.0), f(b.1));
        } else {
            let dx = (b.0 - a.0) / 2.0;
            let _ = write!(
                d,
                " C{},{} {},{} {},{}",
                f(a.0 + dx),
                f(a.1),
                f(b.0 - dx),
                f(b.1),
                f(b.0),
                f(b.1)
            );
        }
    }
    d
}

/// Draw a graph as SVG.
pub fn to_svg(g: &Graph, opts: &SvgOptions<'_>) -> String {
    let l = layout(g);
    draw(g, &l, opts)
}

fn draw(g: &Graph, l: &Layout, opts: &SvgOptions<'_>) -> String {
    let legend_h = 26.0;
    let width = l.width.max(360.0);
    let height = l.height + legend_h;
    let mut s = String::new();
    if !opts.inline {
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    let root = g
        .nodes
        .iter()
        .find(|n| n.root)
        .map(|n| n.id.as_str())
        .unwrap_or("");
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"umr-g{}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"umr-g-title\">",
        if width <= 1400.0 { " fit" } else { "" },
        w = f(width),
        h = f(height)
    );
    let _ = writeln!(
        s,
        "<title id=\"umr-g-title\">Lineage of {}</title>",
        xml(root)
    );
    let _ = writeln!(s, "<style>{STYLE}</style>");
    s.push_str("<defs><marker id=\"umr-g-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path class=\"ah\" d=\"M0,0 L10,5 L0,10 Z\"/></marker></defs>\n");
    for e in &l.edges {
        let _ = writeln!(
            s,
            "<path class=\"e{}\" d=\"{}\" marker-end=\"url(#umr-g-arrow)\"/>",
            if e.inherit { "" } else { " ni" },
            edge_path(&e.points)
        );
    }
    for e in &l.edges {
        let _ = writeln!(
            s,
            "<text class=\"lb\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            f(e.label_at.0),
            f(e.label_at.1 - 3.0),
            xml(&e.label)
        );
    }
    for p in &l.nodes {
        let Some(n) = g.nodes.get(p.index) else {
            continue;
        };
        let mut class = String::from("node");
        if n.root {
            class.push_str(" root");
        }
        if n.risky {
            class.push_str(" risk");
        }
        if n.kind.is_none() {
            class.push_str(" unknown");
        }
        let href = opts.link.and_then(|lf| lf(&n.id));
        if let Some(h) = &href {
            let _ = write!(s, "<a href=\"{}\">", xml(h));
        }
        let _ = write!(s, "<g class=\"{class}\"><title>{}", xml(&n.id));
        if n.risky {
            s.push_str(" (carries risks)");
        }
        s.push_str("</title>");
        let _ = write!(
            s,
            "<path class=\"n\" d=\"{}\"/>",
            shape_path(n.kind, p.x, p.y, p.w, p.h)
        );
        let cx = p.x + p.w / 2.0;
        // a cylinder's rim takes the top of the box
        let dy = if n.kind == Some(Kind::Dataset) {
            3.0
        } else {
            0.0
        };
        let _ = write!(
            s,
            "<text class=\"t1\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            f(cx),
            f(p.y + 17.0 + dy),
            xml(&p.line1)
        );
        let _ = write!(
            s,
            "<text class=\"t2\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            f(cx),
            f(p.y + 31.0 + dy),
            xml(&p.line2)
        );
        if n.risky {
            let _ = write!(
                s,
                "<text class=\"warn\" x=\"{}\" y=\"{}\" text-anchor=\"end\">⚠</text>",
                f(p.x + p.w - 4.0),
                f(p.y + 14.0)
            );
        }
        s.push_str("</g>");
        if href.is_some() {
            s.push_str("</a>");
        }
        s.push('\n');
    }
    // legend
    let ly = l.height + 4.0;
    let mut x = 12.0;
    let items: [(Option<Kind>, &str, bool); 4] = [
        (Some(Kind::Model), "model", false),
        (Some(Kind::Family), "family", false),
        (Some(Kind::Dataset), "dataset", false),
        (Some(Kind::Model), "carries risks", true),
    ];
    let _ = write!(s, "<g class=\"legend\">");
    for (kind, text, risky) in items {
        let _ = write!(
            s,
            "<g class=\"{}\"><path class=\"n\" d=\"{}\"/></g><text class=\"lg\" x=\"{}\" y=\"{}\">{}</text>",
            if risky { "risk" } else { "k" },
            shape_path(kind, x, ly + 4.0, 22.0, 14.0),
            f(x + 28.0),
            f(ly + 15.0),
            text
        );
        x += 34.0 + super::graph::text_width(text, SMALL_SIZE);
    }
    let _ = write!(
        s,
        "<path class=\"e ni\" d=\"M{},{} H{}\"/><text class=\"lg\" x=\"{}\" y=\"{}\">not inherited</text>",
        f(x),
        f(ly + 11.0),
        f(x + 24.0),
        f(x + 30.0),
        f(ly + 15.0)
    );
    s.push_str("</g>\n</svg>\n");
    s
}
