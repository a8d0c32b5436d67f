//! Standalone HTML: one file, inline CSS (light and dark by `prefers-color-scheme`, a print
//! style), no scripts and no external requests — a Content-Security-Policy in the page
//! forbids both. Every value from the record is escaped with [`escape::html`]; links only
//! for http/https/mailto URLs. The site builder reuses [`page`] with site navigation and
//! links between records.

use super::escape::{self, html as h};
use super::view::{Item, View};
use super::{relation_text, score_lines, sections, severity_text, Section as S};
use std::fmt::Write;

/// The stylesheet shared by standalone cards and the site.
pub const CSS: &str = r#"
:root{--bg:#f7f8fa;--fg:#1a202c;--muted:#5a6577;--card:#ffffff;--line:#dde2ea;--accent:#1d4ed8;--accent-bg:#e6effc;--warn:#b91c1c;--warn-bg:#fdecec;--ok:#166534;--ok-bg:#e7f6ec;--code:#eef1f5;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0f141a;--fg:#e6e9ee;--muted:#a3adbb;--card:#161d26;--line:#2b3542;--accent:#8ab4f8;--accent-bg:#1e3a5f;--warn:#fca5a5;--warn-bg:#3b1719;--ok:#86efac;--ok-bg:#123222;--code:#1f2833}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
a{color:var(--accent)}
main{max-width:980px;margin:0 auto;padding:24px 20px 48px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:28px 32px;margin-bottom:20px}
header.rec h1{margin:.1em 0 .15em;font-size:1.9em;line-height:1.2}
.eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:.75em;color:var(--muted);margin:0}
.rid{font-family:ui-monospace,"DejaVu Sans Mono",monospace;color:var(--muted);margin:0 0 .8em;word-break:break-all}
.badge{display:inline-block;border-radius:999px;padding:.05em .65em;font-size:.78em;border:1px solid var(--line);background:var(--code);color:var(--fg);white-space:nowrap}
.badge.warn{background:var(--warn-bg);color:var(--warn);border-color:transparent}
.badge.ok{background:var(--ok-bg);color:var(--ok);border-color:transparent}
.badge.acc{background:var(--accent-bg);color:var(--accent);border-color:transparent}
.alert{border-left:4px solid var(--warn);background:var(--warn-bg);padding:.6em 1em;border-radius:6px;margin:1em 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25em 1.2em;margin:1em 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0}
h2{font-size:1.3em;margin:1.8em 0 .6em;padding-bottom:.25em;border-bottom:1px solid var(--line)}
h3{font-size:1.05em;margin:1.3em 0 .4em}
table{border-collapse:collapse;width:100%;margin:.6em 0 1em;font-size:.93em}
th,td{text-align:left;vertical-align:top;padding:.4em .6em;border-bottom:1px solid var(--line);overflow-wrap:break-word}
td a,td.chain{overflow-wrap:anywhere}
th{color:var(--muted);font-weight:600;background:var(--code)}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.src{font-size:.8em;color:var(--muted);white-space:nowrap}
.src::before{content:"↳ inherited from "}
.chain{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.88em}
.graph{overflow-x:auto;border:1px solid var(--line);border-radius:8px;padding:8px;background:var(--card)}
.graph svg{display:block;max-width:none}
.graph svg.fit{max-width:100%;height:auto}
ul.plain{padding-left:1.2em}
nav.toc{font-size:.9em;margin:.4em 0 0}
nav.toc a{margin-right:.9em;white-space:nowrap}
pre{background:var(--code);padding:.6em .8em;border-radius:6px;overflow-x:auto;font-size:.85em;white-space:pre-wrap}
footer.gen{color:var(--muted);font-size:.85em;text-align:center;margin-top:1.5em}
.site-nav{display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:center;margin-bottom:16px;font-size:.95em}
.site-nav .brand{font-weight:700;text-decoration:none;color:var(--fg)}
.downloads a{margin-right:.8em}
.muted{color:var(--muted)}
@media (max-width:640px){.card{padding:18px 16px}dl.facts{grid-template-columns:1fr}}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#444;--card:#fff;--line:#bbb;--code:#f2f2f2;--accent:#000;--warn:#900;--warn-bg:#fff}
body{font-size:10.5pt;background:#fff}
main{max-width:none;padding:0}
.card{border:0;padding:0}
.site-nav,nav.toc,.downloads{display:none}
h2{break-after:avoid}
tr,.graph{break-inside:avoid}
a{text-decoration:none}
.refs a::after{content:" (" attr(href) ")";font-size:.85em;color:#444}
}
"#;

/// Content-Security-Policy of pages without scripts.
pub const CSP_NO_SCRIPT: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// Options of an HTML page.
#[derive(Default)]
pub struct HtmlOptions<'a> {
    /// Link target per record id (`name@version`), for the site; none in a standalone card.
    pub record_link: Option<super::LinkFn<'a>>,
    /// Trusted HTML inserted before the card (site navigation). Built by the caller from
    /// escaped parts.
    pub before: Option<String>,
    /// Trusted HTML inserted at the end of the header (downloads, exposure link).
    pub header_extra: Option<String>,
    /// Trusted HTML inserted after the card.
    pub after: Option<String>,
    /// Content-Security-Policy (default: [`CSP_NO_SCRIPT`]).
    pub csp: Option<String>,
}

/// Escape and link a URL: an `<a>` for http/https/mailto, else escaped text.
pub fn link(text: &str, url: &str) -> String {
    match escape::link(url) {
        Some(u) => format!(
            "<a href=\"{}\" rel=\"noopener noreferrer nofollow\">{}</a>",
            h(&u),
            h(text)
        ),
        None => h(text),
    }
}

fn rec_link(o: &HtmlOptions<'_>, id: &str) -> String {
    match o.record_link.and_then(|f| f(id)) {
        Some(href) => format!("<a href=\"{}\">{}</a>", h(&href), h(id)),
        None => h(id),
    }
}

fn src(o: &HtmlOptions<'_>, s: &Option<String>) -> String {
    match s {
        Some(id) => format!(
            " <span class=\"src\" title=\"inherited from {}\">{}</span>",
            h(id),
            rec_link(o, id)
        ),
        None => String::new(),
    }
}

fn paras(text: &[String]) -> String {
    match text.len() {
        0 => String::new(),
        1 => h(&text[0]).replace('\n', "<br>"),
        _ => format!(
            "<ul class=\"plain\">{}</ul>",
            text.iter()
                .map(|p| format!("<li>{}</li>", h(p)))
                .collect::<String>()
        ),
    }
}

fn block(o: &HtmlOptions<'_>, item: &Item) -> String {
    let body = match item.text.len() {
        1 => format!("<p>{}</p>", h(&item.text[0]).replace('\n', "<br>")),
        _ => paras(&item.text),
    };
    format!("{body}{}", src(o, &item.inherited_from))
}

fn severity_badge(s: crate::model::Severity) -> String {
    let cls = match s {
        crate::model::Severity::High | crate::model::Severity::Critical => "warn",
        _ => "",
    };
    format!("<span class=\"badge {cls}\">{}</span>", severity_text(s))
}

/// The card body (header and sections) as an HTML fragment.
pub fn card(v: &View, o: &HtmlOptions<'_>) -> String {
    let mut s = String::new();
    s.push_str("<article class=\"card\">\n<header class=\"rec\">\n");
    let _ = writeln!(
        s,
        "<p class=\"eyebrow\">{} record{}</p>",
        h(v.kind.as_str()),
        if v.effective { " · effective" } else { "" }
    );
    let _ = writeln!(s, "<h1>{}</h1>", h(&v.title));
    let _ = writeln!(s, "<p class=\"rid\">{}</p>", h(&v.id));
    for p in &v.description {
        let _ = writeln!(s, "<p>{}</p>", h(p));
    }
    let open = v.open_risks();
    if open > 0 {
        let _ = writeln!(
            s,
            "<p class=\"alert\" role=\"alert\"><strong>Exposed to {open} unmitigated risk{}</strong> — see <a href=\"#risks\">Risks</a>.</p>",
            if open == 1 { "" } else { "s" }
        );
    }
    if let Some(x) = &o.header_extra {
        s.push_str(x);
    }
    let secs = sections(v);
    s.push_str("<nav class=\"toc\" aria-label=\"Sections\">");
    for sec in &secs {
        let _ = write!(s, "<a href=\"#{}\">{}</a> ", sec.anchor(), sec.title());
    }
    s.push_str("</nav>\n</header>\n");
    for sec in secs {
        let _ = writeln!(
            s,
            "<section id=\"{}\">\n<h2>{}</h2>",
            sec.anchor(),
            sec.title()
        );
        match sec {
            S::Identity => {
                s.push_str("<dl class=\"facts\">");
                let mut row = |k: &str, val: String| {
                    let _ = write!(s, "<dt>{k}</dt><dd>{val}</dd>");
                };
                row("Name", h(&v.name));
                row("Version", h(&v.version));
                row("Kind", h(v.kind.as_str()));
                row("Title", h(&v.title));
                if let Some(p) = &v.publisher {
                    row(
                        "Publisher",
                        format!("{}{}", paras(&p.text), src(o, &p.inherited_from)),
                    );
                }
                if let Some(d) = &v.release_date {
                    row("Release date", h(d));
                }
                if let Some(l) = &v.license {
                    let t = match &l.url {
                        Some(u) => link(&l.text, u),
                        None => h(&l.text),
                    };
                    row("Licence", format!("{t}{}", src(o, &l.inherited_from)));
                }
                if !v.tags.is_empty() {
                    row(
                        "Tags",
                        v.tags
                            .iter()
                            .map(|t| {
                                format!(
                                    "<span class=\"badge\">{}</span>{}",
                                    h(&t.value),
                                    src(o, &t.inherited_from)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
                row("Format version", h(&v.format_version));
                s.push_str("</dl>\n");
            }
            S::Lineage => {
                if !v.graph.edges.is_empty() || v.graph.nodes.len() > 1 {
                    let svg = super::svg::to_svg(
                        &v.graph,
                        &super::svg::SvgOptions {
                            link: o.record_link,
                            inline: true,
                        },
                    );
                    let _ = writeln!(s, "<figure class=\"graph\">{svg}</figure>");
                }
                if v.relations.is_empty() {
                    s.push_str("<p class=\"muted\">No upstream records.</p>\n");
                } else {
                    s.push_str("<h3>Upstream</h3><table><thead><tr><th>Upstream</th><th>Requirement</th><th>Relation</th><th>Inherits</th><th>Resolved to</th></tr></thead><tbody>\n");
                    for r in &v.relations {
                        let resolved = match (&r.resolved, &r.error) {
                            (Some(x), _) => rec_link(o, x),
                            (None, Some(e)) => {
                                format!("<span class=\"badge warn\">unresolved</span> {}", h(e))
                            }
                            (None, None) => String::new(),
                        };
                        let note = r
                            .note
                            .as_deref()
                            .map(|n| format!("<br><span class=\"muted\">{}</span>", h(n)))
                            .unwrap_or_default();
                        let _ = writeln!(
                            s,
                            "<tr><td>{}{note}</td><td>{}</td><td>{}</td><td>{}</td><td>{resolved}</td></tr>",
                            h(&r.name),
                            h(&r.requirement),
                            h(&relation_text(r)),
                            match r.inherit {
                                Some(true) => "yes",
                                Some(false) => "no",
                                None => "unknown",
                            }
                        );
                    }
                    s.push_str("</tbody></table>\n");
                }
                if !v.graph.edges.is_empty() {
                    s.push_str("<h3>Lineage graph edges</h3><table><thead><tr><th>Upstream</th><th>Relation</th><th>Downstream</th><th>Inherits</th></tr></thead><tbody>\n");
                    for e in &v.graph.edges {
                        let _ = writeln!(
                            s,
                            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                            rec_link(o, &e.parent),
                            h(&e.relation),
                            rec_link(o, &e.child),
                            if e.inherit { "yes" } else { "no" }
                        );
                    }
                    s.push_str("</tbody></table>\n");
                }
                if !v.downstream.is_empty() {
                    s.push_str("<h3>Downstream</h3><ul class=\"plain\">");
                    for d in &v.downstream {
                        let _ = write!(
                            s,
                            "<li>{} <span class=\"muted\">({}, {}, depth {})</span></li>",
                            rec_link(o, &d.id),
                            d.kind.as_str(),
                            d.relation.as_str(),
                            d.depth
                        );
                    }
                    s.push_str("</ul>\n");
                }
            }
            S::Details => {
                s.push_str("<table><tbody>\n");
                for d in &v.details {
                    let _ = writeln!(
                        s,
                        "<tr><th scope=\"row\">{}</th><td>{}{}</td></tr>",
                        h(&d.label),
                        paras(&d.text),
                        src(o, &d.inherited_from)
                    );
                }
                s.push_str("</tbody></table>\n");
            }
            S::Card => {
                for c in &v.card {
                    let _ = writeln!(s, "<h3>{}</h3>{}", h(&c.label), block(o, c));
                }
            }
            S::Evaluations => {
                s.push_str("<table><thead><tr><th>Task</th><th>Dataset</th><th>Metric</th><th>Value</th><th>Verified</th><th>Source</th></tr></thead><tbody>\n");
                for e in &v.evaluations {
                    let source = match (&e.source, &e.source_name) {
                        (Some(u), n) => link(n.as_deref().unwrap_or(u), u),
                        (None, Some(n)) => h(n),
                        (None, None) => String::new(),
                    };
                    let _ = writeln!(
                        s,
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{source}</td></tr>",
                        h(&e.task),
                        h(&e.dataset),
                        h(&e.metric),
                        h(&e.value),
                        match e.verified {
                            Some(true) => "yes",
                            Some(false) => "no",
                            None => "",
                        }
                    );
                }
                s.push_str("</tbody></table>\n");
            }
            S::Risks => {
                s.push_str("<table><thead><tr><th>Risk</th><th>Severity</th><th>Status</th><th>Chain</th><th>Details</th></tr></thead><tbody>\n");
                for r in &v.risks {
                    let title = match &r.title {
                        Some(t) => format!("<strong>{}</strong><br>{}", h(&r.id), h(t)),
                        None => format!("<strong>{}</strong>", h(&r.id)),
                    };
                    let status = if r.open() {
                        format!("<span class=\"badge warn\">{}</span>", r.status.as_str())
                    } else {
                        format!("<span class=\"badge ok\">{}</span>", r.status.as_str())
                    };
                    let chain = r
                        .chain
                        .iter()
                        .map(|c| rec_link(o, c))
                        .collect::<Vec<_>>()
                        .join(" → ");
                    let mut details = paras(&r.description);
                    if let Some(by) = &r.mitigated_by {
                        let _ = write!(
                            details,
                            "<p>Mitigated by {}: {}</p>",
                            rec_link(o, by),
                            h(r.justification.as_deref().unwrap_or(""))
                        );
                    }
                    if let Some(u) = &r.source {
                        let _ = write!(details, "<p>Source: {}</p>", link(u, u));
                    }
                    let _ = writeln!(
                        s,
                        "<tr><td>{title}</td><td>{}</td><td>{status}</td><td class=\"chain\">{chain}</td><td>{details}</td></tr>",
                        severity_badge(r.severity)
                    );
                }
                s.push_str("</tbody></table>\n");
            }
            S::Transparency => {
                if let Some(t) = &v.transparency {
                    let _ = writeln!(
                        s,
                        "<p>Indicator set: <strong>{}</strong> · {} answers: <span class=\"badge ok\">{} yes</span> <span class=\"badge warn\">{} no</span> <span class=\"badge\">{} unknown</span></p>",
                        h(t.edition.as_deref().unwrap_or("unspecified")),
                        t.answers.len(),
                        t.yes,
                        t.no,
                        t.unknown
                    );
                    if let Some(sc) = &t.score {
                        for l in score_lines(sc) {
                            let _ = writeln!(s, "<p>{}</p>", h(&l));
                        }
                        s.push_str("<table><thead><tr><th>Domain</th><th>Satisfied</th><th>Answered</th><th>Indicators</th></tr></thead><tbody>\n");
                        for d in &sc.domains {
                            let _ = writeln!(
                                s,
                                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                                h(&d.name),
                                d.tally.score,
                                d.tally.answered,
                                d.tally.indicators
                            );
                        }
                        s.push_str("</tbody></table>\n");
                    } else {
                        s.push_str("<p class=\"muted\">No score: the indicator set is not one this version of umr knows.</p>\n");
                    }
                    s.push_str("<table><thead><tr><th>Indicator</th><th>Answer</th><th>Evidence / note</th></tr></thead><tbody>\n");
                    for a in &t.answers {
                        let mut notes = Vec::new();
                        if let Some(e) = &a.evidence {
                            notes.push(link(e, e));
                        }
                        if let Some(n) = &a.note {
                            notes.push(h(n));
                        }
                        let cls = match a.value.as_str() {
                            "yes" => "ok",
                            "no" => "warn",
                            _ => "",
                        };
                        let _ = writeln!(
                            s,
                            "<tr><td>{}{}</td><td><span class=\"badge {cls}\">{}</span>{}</td><td>{}</td></tr>",
                            h(&a.label),
                            a.group
                                .as_deref()
                                .map(|g| format!("<br><span class=\"muted\">{}</span>", h(g)))
                                .unwrap_or_default(),
                            h(&a.value),
                            src(o, &a.inherited_from),
                            notes.join("<br>")
                        );
                    }
                    s.push_str("</tbody></table>\n");
                }
            }
            S::References => {
                s.push_str("<ul class=\"plain refs\">");
                for r in &v.references {
                    let _ = write!(
                        s,
                        "<li>{}{}</li>",
                        link(&r.value, &r.value),
                        src(o, &r.inherited_from)
                    );
                }
                s.push_str("</ul>\n");
            }
            S::Extensions => {
                s.push_str("<table><tbody>\n");
                for e in &v.extensions {
                    let _ = writeln!(
                        s,
                        "<tr><th scope=\"row\">{}</th><td><pre>{}</pre>{}</td></tr>",
                        h(&e.label),
                        h(&e.text.join("\n")),
                        src(o, &e.inherited_from)
                    );
                }
                s.push_str("</tbody></table>\n");
            }
            S::Provenance => {
                let rows: Vec<_> = v.provenance.iter().filter(|p| p.inherited).collect();
                if rows.is_empty() {
                    s.push_str("<p>Every field is the record's own.</p>\n");
                } else {
                    s.push_str("<p>Fields supplied by ancestors (every other field is the record's own):</p><table><thead><tr><th>Field</th><th>Supplied by</th><th>Values</th></tr></thead><tbody>\n");
                    for p in rows {
                        let _ = writeln!(
                            s,
                            "<tr><td class=\"chain\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                            h(&p.field),
                            p.sources
                                .iter()
                                .map(|x| rec_link(o, x))
                                .collect::<Vec<_>>()
                                .join(", "),
                            p.values
                        );
                    }
                    s.push_str("</tbody></table>\n");
                }
            }
            S::Versions => {
                s.push_str("<ul class=\"plain\">");
                for r in &v.versions {
                    let mut marks = String::new();
                    if r.current {
                        marks.push_str(" <span class=\"badge acc\">this version</span>");
                    }
                    if r.latest {
                        marks.push_str(" <span class=\"badge\">latest</span>");
                    }
                    let label = if r.current {
                        h(&r.version)
                    } else {
                        match o.record_link.and_then(|f| f(&r.id)) {
                            Some(href) => format!("<a href=\"{}\">{}</a>", h(&href), h(&r.version)),
                            None => h(&r.version),
                        }
                    };
                    let _ = write!(s, "<li>{label}{marks}</li>");
                }
                s.push_str("</ul>\n");
            }
        }
        s.push_str("</section>\n");
    }
    s.push_str("</article>\n");
    s
}

/// The HTML document shell.
pub fn document(title: &str, csp: &str, body: &str, head_extra: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"generator\" content=\"umr {}\">\n<title>{}</title>\n<style>{CSS}</style>\n{head_extra}</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        h(csp),
        crate::VERSION,
        h(title)
    )
}

/// A full page for a view.
pub fn page(v: &View, o: &HtmlOptions<'_>) -> String {
    let mut body = String::new();
    if let Some(b) = &o.before {
        body.push_str(b);
    }
    body.push_str(&card(v, o));
    if let Some(a) = &o.after {
        body.push_str(a);
    }
    let _ = writeln!(
        body,
        "<footer class=\"gen\">Rendered by {} from the Unified Model Record {}.</footer>",
        h(&v.generator),
        h(&v.id)
    );
    document(
        &format!("{} — {}", v.title, v.id),
        o.csp.as_deref().unwrap_or(CSP_NO_SCRIPT),
        &body,
        "",
    )
}

/// Render a view as a standalone HTML document.
pub fn to_html(v: &View) -> String {
    page(v, &HtmlOptions::default())
}
