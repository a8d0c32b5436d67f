//! Markdown (CommonMark with GitHub tables). Every value from the record goes through
//! [`escape::markdown`]; no raw HTML is written; links only for http/https/mailto URLs.

use super::escape::{self, markdown as md};
use super::view::{Item, View};
use super::{relation_text, score_lines, sections, severity_text, Section as S};
use std::fmt::Write;

fn link(text: &str, url: &str) -> String {
    match escape::link(url) {
        Some(u) => format!("[{}]({})", md(text), escape::markdown_url(&u)),
        None => md(text),
    }
}

fn from(src: &Option<String>) -> String {
    match src {
        Some(s) => format!(" *(inherited from {})*", md(s)),
        None => String::new(),
    }
}

fn cell(paragraphs: &[String]) -> String {
    paragraphs
        .iter()
        .map(|p| md(p))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn table(out: &mut String, head: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(
        out,
        "|{}|",
        head.iter().map(|_| " --- ").collect::<Vec<_>>().join("|")
    );
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|c| {
                if c.is_empty() {
                    " ".to_string()
                } else {
                    c.clone()
                }
            })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

fn paragraphs(out: &mut String, item: &Item) {
    if item.text.len() > 1 {
        for p in &item.text {
            let _ = writeln!(out, "- {}", md(p));
        }
    } else {
        for p in &item.text {
            let _ = writeln!(out, "{}", md(p));
        }
    }
    if let Some(s) = &item.inherited_from {
        let _ = writeln!(out, "\n*Inherited from {}.*", md(s));
    }
    out.push('\n');
}

/// Mermaid node label: only characters that cannot break out of a quoted label.
fn mermaid(s: &str) -> String {
    let mut out = String::new();
    for c in escape::one_line(s).chars() {
        if c.is_alphanumeric() || " ._@/-+=^~*,:".contains(c) {
            out.push(c);
        } else {
            let _ = write!(out, "#{};", c as u32);
        }
    }
    out
}

/// Render a view as Markdown.
pub fn to_markdown(v: &View) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", md(&v.title));
    let _ = writeln!(
        o,
        "**{}** {} · version {} · UMR format {}{}\n",
        md(&v.name),
        md(v.kind.as_str()),
        md(&v.version),
        md(&v.format_version),
        if v.effective {
            " · effective record (inheritance applied)"
        } else {
            ""
        }
    );
    for p in &v.description {
        let _ = writeln!(o, "{}\n", md(p));
    }
    let open = v.open_risks();
    if open > 0 {
        let _ = writeln!(
            o,
            "> **Warning:** exposed to {open} unmitigated risk{} (see [Risks](#risks)).\n",
            if open == 1 { "" } else { "s" }
        );
    }
    for s in sections(v) {
        match s {
            S::Identity => {
                o.push_str("## Identity\n\n");
                let mut rows = vec![
                    vec!["Name".into(), md(&v.name)],
                    vec!["Version".into(), md(&v.version)],
                    vec!["Kind".into(), md(v.kind.as_str())],
                    vec!["Title".into(), md(&v.title)],
                ];
                if let Some(p) = &v.publisher {
                    rows.push(vec![
                        "Publisher".into(),
                        format!("{}{}", cell(&p.text), from(&p.inherited_from)),
                    ]);
                }
                if let Some(d) = &v.release_date {
                    rows.push(vec!["Release date".into(), md(d)]);
                }
                if let Some(l) = &v.license {
                    let t = match &l.url {
                        Some(u) => link(&l.text, u),
                        None => md(&l.text),
                    };
                    rows.push(vec![
                        "Licence".into(),
                        format!("{t}{}", from(&l.inherited_from)),
                    ]);
                }
                if !v.tags.is_empty() {
                    let t: Vec<String> = v
                        .tags
                        .iter()
                        .map(|t| format!("{}{}", md(&t.value), from(&t.inherited_from)))
                        .collect();
                    rows.push(vec!["Tags".into(), t.join(", ")]);
                }
                rows.push(vec!["Format version".into(), md(&v.format_version)]);
                table(&mut o, &["Field", "Value"], &rows);
            }
            S::Lineage => {
                o.push_str("## Lineage\n\n");
                if v.relations.is_empty() {
                    o.push_str("No upstream records.\n\n");
                } else {
                    let rows: Vec<Vec<String>> = v
                        .relations
                        .iter()
                        .map(|r| {
                            vec![
                                md(&r.name),
                                md(&r.requirement),
                                md(&relation_text(r)),
                                md(match r.inherit {
                                    Some(true) => "yes",
                                    Some(false) => "no",
                                    None => "unknown",
                                }),
                                match (&r.resolved, &r.error) {
                                    (Some(x), _) => md(x),
                                    (None, Some(e)) => format!("unresolved: {}", md(e)),
                                    (None, None) => String::new(),
                                },
                                r.note.as_deref().map(md).unwrap_or_default(),
                            ]
                        })
                        .collect();
                    table(
                        &mut o,
                        &[
                            "Upstream",
                            "Requirement",
                            "Relation",
                            "Inherits",
                            "Resolved to",
                            "Note",
                        ],
                        &rows,
                    );
                }
                if !v.graph.edges.is_empty() {
                    o.push_str("### Lineage graph\n\n");
                    let rows: Vec<Vec<String>> = v
                        .graph
                        .edges
                        .iter()
                        .map(|e| {
                            vec![
                                md(&e.parent),
                                md(&e.relation),
                                md(&e.child),
                                md(if e.inherit { "yes" } else { "no" }),
                            ]
                        })
                        .collect();
                    table(
                        &mut o,
                        &["Upstream", "Relation", "Downstream", "Inherits"],
                        &rows,
                    );
                    o.push_str("```mermaid\nflowchart LR\n");
                    for (i, n) in v.graph.nodes.iter().enumerate() {
                        let label = mermaid(&n.id);
                        let shape = match n.kind {
                            Some(crate::model::Kind::Family) => format!("n{i}[[\"{label}\"]]"),
                            Some(crate::model::Kind::Dataset) => format!("n{i}[(\"{label}\")]"),
                            _ => format!("n{i}[\"{label}\"]"),
                        };
                        let _ = writeln!(o, "  {shape}");
                    }
                    let idx = |id: &str| v.graph.nodes.iter().position(|n| n.id == id);
                    for e in &v.graph.edges {
                        if let (Some(a), Some(b)) = (idx(&e.parent), idx(&e.child)) {
                            let _ = writeln!(
                                o,
                                "  n{a} {}|{}| n{b}",
                                if e.inherit { "-->" } else { "-.->" },
                                mermaid(&e.relation)
                            );
                        }
                    }
                    let risky: Vec<String> = v
                        .graph
                        .nodes
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| n.risky)
                        .map(|(i, _)| format!("n{i}"))
                        .collect();
                    if !risky.is_empty() {
                        o.push_str("  classDef risk stroke:#c81e1e,stroke-width:3px\n");
                        let _ = writeln!(o, "  class {} risk", risky.join(","));
                    }
                    o.push_str("```\n\n");
                }
                if !v.downstream.is_empty() {
                    o.push_str("### Downstream\n\n");
                    for d in &v.downstream {
                        let _ = writeln!(
                            o,
                            "- {} ({}, {}, depth {})",
                            md(&d.id),
                            md(d.kind.as_str()),
                            md(d.relation.as_str()),
                            d.depth
                        );
                    }
                    o.push('\n');
                }
            }
            S::Details => {
                o.push_str("## Details\n\n");
                let rows: Vec<Vec<String>> = v
                    .details
                    .iter()
                    .map(|d| {
                        vec![
                            md(&d.label),
                            cell(&d.text),
                            d.inherited_from.as_deref().map(md).unwrap_or_default(),
                        ]
                    })
                    .collect();
                table(&mut o, &["Field", "Value", "Inherited from"], &rows);
            }
            S::Card => {
                o.push_str("## Card\n\n");
                for c in &v.card {
                    let _ = writeln!(o, "### {}\n", md(&c.label));
                    paragraphs(&mut o, c);
                }
            }
            S::Evaluations => {
                o.push_str("## Evaluation results\n\n");
                let rows: Vec<Vec<String>> = v
                    .evaluations
                    .iter()
                    .map(|e| {
                        vec![
                            md(&e.task),
                            md(&e.dataset),
                            md(&e.metric),
                            md(&e.value),
                            md(match e.verified {
                                Some(true) => "yes",
                                Some(false) => "no",
                                None => "",
                            }),
                            match (&e.source, &e.source_name) {
                                (Some(u), n) => link(n.as_deref().unwrap_or(u), u),
                                (None, Some(n)) => md(n),
                                (None, None) => String::new(),
                            },
                        ]
                    })
                    .collect();
                table(
                    &mut o,
                    &["Task", "Dataset", "Metric", "Value", "Verified", "Source"],
                    &rows,
                );
            }
            S::Risks => {
                o.push_str("## Risks\n\n");
                let rows: Vec<Vec<String>> = v
                    .risks
                    .iter()
                    .map(|r| {
                        let mut notes: Vec<String> = r.description.iter().map(|d| md(d)).collect();
                        if let Some(by) = &r.mitigated_by {
                            notes.push(format!(
                                "mitigated by {}: {}",
                                md(by),
                                md(r.justification.as_deref().unwrap_or(""))
                            ));
                        }
                        if let Some(s) = &r.source {
                            notes.push(format!("source: {}", link(s, s)));
                        }
                        vec![
                            match &r.title {
                                Some(t) => format!("{} — {}", md(&r.id), md(t)),
                                None => md(&r.id),
                            },
                            md(severity_text(r.severity)),
                            md(r.status.as_str()),
                            md(&r.origin),
                            r.chain
                                .iter()
                                .map(|c| md(c))
                                .collect::<Vec<_>>()
                                .join(" → "),
                            notes.join(" · "),
                        ]
                    })
                    .collect();
                table(
                    &mut o,
                    &["Risk", "Severity", "Status", "Origin", "Chain", "Notes"],
                    &rows,
                );
            }
            S::Transparency => {
                if let Some(t) = &v.transparency {
                    o.push_str("## Transparency\n\n");
                    let _ = writeln!(
                        o,
                        "Indicator set: {} · {} answer{}: {} yes, {} no, {} unknown.\n",
                        md(t.edition.as_deref().unwrap_or("unspecified")),
                        t.answers.len(),
                        if t.answers.len() == 1 { "" } else { "s" },
                        t.yes,
                        t.no,
                        t.unknown
                    );
                    if let Some(sc) = &t.score {
                        for l in score_lines(sc) {
                            let _ = writeln!(o, "{}\n", md(&l));
                        }
                        let rows: Vec<Vec<String>> = sc
                            .domains
                            .iter()
                            .map(|d| {
                                vec![
                                    md(&d.name),
                                    d.tally.score.to_string(),
                                    d.tally.answered.to_string(),
                                    d.tally.indicators.to_string(),
                                ]
                            })
                            .collect();
                        table(
                            &mut o,
                            &["Domain", "Satisfied", "Answered", "Indicators"],
                            &rows,
                        );
                    } else {
                        o.push_str(
                            "No score: the indicator set is not one this version of umr knows.\n\n",
                        );
                    }
                    let rows: Vec<Vec<String>> = t
                        .answers
                        .iter()
                        .map(|a| {
                            let mut notes = Vec::new();
                            if let Some(e) = &a.evidence {
                                notes.push(link(e, e));
                            }
                            if let Some(n) = &a.note {
                                notes.push(md(n));
                            }
                            vec![
                                match &a.group {
                                    Some(g) => format!("{} ({})", md(&a.label), md(g)),
                                    None => md(&a.label),
                                },
                                md(&a.value),
                                notes.join(" · "),
                                a.inherited_from.as_deref().map(md).unwrap_or_default(),
                            ]
                        })
                        .collect();
                    table(
                        &mut o,
                        &["Indicator", "Answer", "Evidence / note", "Inherited from"],
                        &rows,
                    );
                }
            }
            S::References => {
                o.push_str("## References\n\n");
                for r in &v.references {
                    let _ = writeln!(
                        o,
                        "- {}{}",
                        link(&r.value, &r.value),
                        from(&r.inherited_from)
                    );
                }
                o.push('\n');
            }
            S::Extensions => {
                o.push_str("## Extensions and other fields\n\n");
                let rows: Vec<Vec<String>> = v
                    .extensions
                    .iter()
                    .map(|e| {
                        vec![
                            md(&e.label),
                            cell(&e.text),
                            e.inherited_from.as_deref().map(md).unwrap_or_default(),
                        ]
                    })
                    .collect();
                table(&mut o, &["Key", "Value", "Inherited from"], &rows);
            }
            S::Provenance => {
                o.push_str("## Provenance\n\n");
                let rows: Vec<Vec<String>> = v
                    .provenance
                    .iter()
                    .filter(|p| p.inherited)
                    .map(|p| {
                        vec![
                            md(&p.field),
                            p.sources
                                .iter()
                                .map(|s| md(s))
                                .collect::<Vec<_>>()
                                .join(", "),
                            p.values.to_string(),
                        ]
                    })
                    .collect();
                if rows.is_empty() {
                    o.push_str("Every field is the record's own.\n\n");
                } else {
                    o.push_str(
                        "Fields supplied by ancestors (every other field is the record's own):\n\n",
                    );
                    table(&mut o, &["Field", "Supplied by", "Values"], &rows);
                }
            }
            S::Versions => {
                o.push_str("## Versions\n\n");
                for r in &v.versions {
                    let mut marks = Vec::new();
                    if r.current {
                        marks.push("this version");
                    }
                    if r.latest {
                        marks.push("latest");
                    }
                    let _ = writeln!(
                        o,
                        "- {}{}",
                        md(&r.version),
                        if marks.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", marks.join(", "))
                        }
                    );
                }
                o.push('\n');
            }
        }
    }
    let _ = writeln!(o, "---\n\n*Rendered by {}.*", md(&v.generator));
    o
}
