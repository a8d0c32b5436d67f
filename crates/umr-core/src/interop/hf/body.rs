//! The Markdown body of a card: split at ATX headings (outside fenced code), sections whose
//! heading matches a record field are lifted into the record, and the rest is kept as a
//! list of segments so that export writes the body back byte for byte.
//!
//! Segments (stored in `extensions.hf_card.body`):
//! - `{text: "..."}` — Markdown kept verbatim (headings included);
//! - `{section: <target>, heading: "### Direct Use", lead: "\n", trail: "\n\n"}` — a
//!   heading whose content lives in the record at `<target>` (`description` or
//!   `card.<section>`); `lead` / `trail` are the blank lines around the content (omitted when
//!   they are the defaults `"\n"` and `"\n\n"`).

use serde_json::{json, Map, Value};

/// Which card a body belongs to (the heading tables differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CardKind {
    Model,
    Dataset,
}

/// Heading (normalised) → target and priority (lower wins when several headings match
/// the same target).
const MODEL_HEADINGS: &[(&str, &str, u8)] = &[
    ("model description", "description", 0),
    ("description", "description", 2),
    ("direct use", "card.intended_use", 0),
    ("intended use", "card.intended_use", 0),
    ("intended uses", "card.intended_use", 0),
    ("uses", "card.intended_use", 2),
    ("out of scope use", "card.out_of_scope_use", 0),
    ("out of scope uses", "card.out_of_scope_use", 0),
    ("misuse and out of scope use", "card.out_of_scope_use", 1),
    ("bias risks and limitations", "card.limitations", 0),
    ("limitations", "card.limitations", 0),
    ("limitations and bias", "card.limitations", 0),
    ("risks and limitations", "card.limitations", 0),
    ("known limitations", "card.limitations", 1),
    ("recommendations", "card.recommendations", 0),
    ("training data", "card.training_data", 0),
    ("testing data", "card.evaluation_data", 0),
    ("evaluation data", "card.evaluation_data", 0),
    ("evaluation", "card.evaluation_data", 2),
    ("factors", "card.factors", 0),
    ("ethical considerations", "card.ethical_considerations", 0),
    ("ethics", "card.ethical_considerations", 1),
    ("more information", "card.additional_information", 0),
    ("additional information", "card.additional_information", 1),
];

const DATASET_HEADINGS: &[(&str, &str, u8)] = &[
    ("dataset summary", "description", 0),
    ("dataset description", "description", 1),
    ("dataset details", "description", 2),
    ("direct use", "card.intended_use", 0),
    ("uses", "card.intended_use", 2),
    ("out of scope use", "card.out_of_scope_use", 0),
    ("discussion of biases", "card.limitations", 0),
    ("bias risks and limitations", "card.limitations", 0),
    ("other known limitations", "card.limitations", 1),
    ("social impact of dataset", "card.ethical_considerations", 0),
    (
        "personal and sensitive information",
        "card.ethical_considerations",
        1,
    ),
    ("recommendations", "card.recommendations", 0),
    ("more information", "card.additional_information", 0),
];

/// Normalise a heading title: lower case, `[optional]` and trailing `#`s dropped,
/// punctuation to spaces, spaces collapsed.
pub(crate) fn normalise(title: &str) -> String {
    let t = title.trim().trim_end_matches('#').trim();
    let t = t.replace("[optional]", "").replace("[Optional]", "");
    let mut out = String::new();
    for c in t.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_string()
}

/// The ATX heading level and title of a line, if it is a heading.
fn heading(line: &str) -> Option<(usize, &str)> {
    let l = line.trim_end_matches(['\n', '\r']);
    let lead = l.len() - l.trim_start_matches(' ').len();
    if lead > 3 {
        return None;
    }
    let rest = &l[lead..];
    let level = rest.len() - rest.trim_start_matches('#').len();
    if !(1..=6).contains(&level) {
        return None;
    }
    let after = &rest[level..];
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    Some((level, after.trim()))
}

/// One chunk: an optional heading line (without its newline) and the text up to the next
/// heading.
#[derive(Debug, Clone)]
struct Chunk {
    heading: Option<String>,
    heading_nl: bool,
    content: String,
}

fn chunks(body: &str) -> Vec<Chunk> {
    let mut out = vec![Chunk {
        heading: None,
        heading_nl: false,
        content: String::new(),
    }];
    let mut fence: Option<(char, usize)> = None;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start_matches(' ');
        let indent = line.len() - t.len();
        let fence_char = t.chars().next().filter(|c| *c == '`' || *c == '~');
        if indent <= 3 {
            if let Some(c) = fence_char {
                let n = t.chars().take_while(|x| *x == c).count();
                if n >= 3 {
                    match fence {
                        None => fence = Some((c, n)),
                        Some((fc, fnum)) if fc == c && n >= fnum && t[n..].trim().is_empty() => {
                            fence = None
                        }
                        _ => {}
                    }
                    if let Some(last) = out.last_mut() {
                        last.content.push_str(line);
                    }
                    continue;
                }
            }
        }
        if fence.is_none() && heading(line).is_some() {
            out.push(Chunk {
                heading: Some(line.trim_end_matches('\n').to_string()),
                heading_nl: line.ends_with('\n'),
                content: String::new(),
            });
        } else if let Some(last) = out.last_mut() {
            last.content.push_str(line);
        }
    }
    out
}

/// Whether section content says something (HTML comments and the template's
/// `[More Information Needed]` do not count).
fn meaningful(content: &str) -> bool {
    const PLACEHOLDER: &str = "[More Information Needed]";
    if !content.contains("<!--") && !content.contains(PLACEHOLDER) {
        return !content.trim().is_empty(); // nothing to remove: no copy
    }
    let mut s = content.to_string();
    while let Some(a) = s.find("<!--") {
        match s[a..].find("-->") {
            Some(b) => s.replace_range(a..a + b + 3, ""),
            None => break,
        }
    }
    let s = s.replace(PLACEHOLDER, "");
    !s.trim().is_empty()
}

/// Split content into (lead: blank lines and whole-line HTML comments such as the
/// template's guidance, text, trailing whitespace).
fn trim_parts(content: &str) -> (&str, &str, &str) {
    let mut lead_end = 0;
    for line in content.split_inclusive('\n') {
        let t = line.trim();
        let comment =
            t.len() >= 7 && t.starts_with("<!--") && t[4..].find("-->") == Some(t.len() - 7);
        if (t.is_empty() || comment) && line.ends_with('\n') {
            lead_end += line.len();
        } else {
            break;
        }
    }
    let rest = &content[lead_end..];
    let text = rest.trim_end();
    (&content[..lead_end], text, &rest[text.len()..])
}

/// The result of reading a body.
#[derive(Debug, Clone, Default)]
pub(crate) struct BodyRead {
    /// Target (`description`, `card.<section>`) → Markdown text.
    pub fields: Vec<(String, String)>,
    /// The segments to store.
    pub segments: Vec<Value>,
}

/// Read a body: lift matching sections, keep the rest.
pub(crate) fn read(body: &str, kind: CardKind) -> BodyRead {
    let table = match kind {
        CardKind::Model => MODEL_HEADINGS,
        CardKind::Dataset => DATASET_HEADINGS,
    };
    let cs = chunks(body);
    // choose, per target, the best heading
    let mut best: Vec<(&str, u8, usize)> = Vec::new(); // (target, priority, chunk index)
    for (i, c) in cs.iter().enumerate() {
        let Some(h) = &c.heading else { continue };
        if !c.heading_nl || !meaningful(&c.content) {
            continue;
        }
        let Some((_, title)) = heading(h) else {
            continue;
        };
        let norm = normalise(title);
        let Some((_, target, prio)) = table.iter().find(|(t, _, _)| *t == norm) else {
            continue;
        };
        match best.iter_mut().find(|(t, _, _)| t == target) {
            Some(slot) => {
                if *prio < slot.1 {
                    *slot = (target, *prio, i);
                }
            }
            None => best.push((target, *prio, i)),
        }
    }
    let mut out = BodyRead::default();
    let mut text = String::new();
    for (i, c) in cs.iter().enumerate() {
        let target = best.iter().find(|(_, _, j)| *j == i).map(|(t, _, _)| *t);
        match (target, &c.heading) {
            (Some(t), Some(h)) => {
                if !text.is_empty() {
                    out.segments
                        .push(json!({ "text": std::mem::take(&mut text) }));
                }
                let (lead, content, trail) = trim_parts(&c.content);
                let mut seg = Map::new();
                seg.insert("section".into(), json!(t));
                seg.insert("heading".into(), json!(h));
                if lead != "\n" {
                    seg.insert("lead".into(), json!(lead));
                }
                if trail != "\n\n" {
                    seg.insert("trail".into(), json!(trail));
                }
                out.segments.push(Value::Object(seg));
                out.fields.push((t.to_string(), content.to_string()));
            }
            _ => {
                if let Some(h) = &c.heading {
                    text.push_str(h);
                    if c.heading_nl {
                        text.push('\n');
                    }
                }
                text.push_str(&c.content);
            }
        }
    }
    if !text.is_empty() {
        out.segments.push(json!({ "text": text }));
    }
    out
}

/// Standard headings for sections that have no place in the stored body (or for records
/// that never came from a card), in the order they are written.
pub(crate) fn standard_heading(target: &str, kind: CardKind) -> Option<&'static str> {
    Some(match (kind, target) {
        (CardKind::Model, "description") => "## Model Description",
        (CardKind::Dataset, "description") => "## Dataset Description",
        (_, "card.intended_use") => "## Direct Use",
        (_, "card.out_of_scope_use") => "## Out-of-Scope Use",
        (_, "card.factors") => "## Factors",
        (_, "card.training_data") => "## Training Data",
        (_, "card.evaluation_data") => "## Testing Data",
        (CardKind::Model, "card.limitations") => "## Bias, Risks, and Limitations",
        (CardKind::Dataset, "card.limitations") => "## Discussion of Biases",
        (CardKind::Model, "card.ethical_considerations") => "## Ethical Considerations",
        (CardKind::Dataset, "card.ethical_considerations") => "## Social Impact of Dataset",
        (_, "card.recommendations") => "## Recommendations",
        (_, "card.additional_information") => "## More Information",
        _ => return None,
    })
}

/// Targets in the order a generated body lists them.
pub(crate) const TARGETS: &[&str] = &[
    "description",
    "card.intended_use",
    "card.out_of_scope_use",
    "card.factors",
    "card.training_data",
    "card.evaluation_data",
    "card.limitations",
    "card.ethical_considerations",
    "card.recommendations",
    "card.additional_information",
];

/// Write a body from stored segments and field texts. `field(target)` gives the current
/// Markdown of a target (None when the record has no value); targets not placed by a
/// segment are appended under their standard headings. `title` starts a generated body.
pub(crate) fn write(
    segments: Option<&[Value]>,
    field: &dyn Fn(&str) -> Option<String>,
    kind: CardKind,
    title: &str,
    extra: &str,
) -> String {
    let mut out = String::new();
    let mut placed: Vec<String> = Vec::new();
    let mut appended = false;
    match segments {
        Some(segs) => {
            for s in segs {
                if let Some(t) = s.get("text").and_then(Value::as_str) {
                    out.push_str(t);
                } else if let (Some(target), Some(h)) = (
                    s.get("section").and_then(Value::as_str),
                    s.get("heading").and_then(Value::as_str),
                ) {
                    placed.push(target.to_string());
                    let Some(text) = field(target) else { continue };
                    out.push_str(h);
                    out.push('\n');
                    out.push_str(s.get("lead").and_then(Value::as_str).unwrap_or("\n"));
                    out.push_str(&text);
                    out.push_str(s.get("trail").and_then(Value::as_str).unwrap_or("\n\n"));
                }
            }
        }
        None => {
            out.push_str(&format!("# {title}\n\n"));
            appended = true;
        }
    }
    for t in TARGETS {
        if placed.iter().any(|p| p == t) {
            continue;
        }
        let (Some(text), Some(h)) = (field(t), standard_heading(t, kind)) else {
            continue;
        };
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
        out.push_str(h);
        out.push_str("\n\n");
        out.push_str(text.trim_end());
        out.push_str("\n\n");
        appended = true;
    }
    if !extra.is_empty() {
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
        out.push_str(extra);
        appended = true;
    }
    if appended {
        while out.ends_with("\n\n") {
            out.pop();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meaningful_ignores_comments_and_placeholders_only() {
        assert!(meaningful("Text."));
        assert!(meaningful("  <!-- guidance -->\nText."));
        assert!(meaningful("<!-- unterminated"));
        assert!(!meaningful(" \n\t "));
        assert!(!meaningful(
            "<!-- a -->\n[More Information Needed]\n<!-- b -->"
        ));
        // a placeholder made whole by removing a comment inside it still does not count
        assert!(!meaningful("[More <!-- x -->Information Needed]"));
        assert!(meaningful("[More Information Needed] and more"));
    }

    #[test]
    fn round_trip() {
        let body = "\n# Title\n\nIntro.\n\n## Uses\n\n<!-- c -->\n\n### Direct Use\n\nUse it.\n\n```\n# not a heading\n```\n\n### Out-of-Scope Use\n\n[More Information Needed]\n\n## Bias, Risks, and Limitations\n\nBiased.\n";
        let r = read(body, CardKind::Model);
        assert_eq!(
            r.fields,
            vec![
                (
                    "card.intended_use".to_string(),
                    "Use it.\n\n```\n# not a heading\n```".to_string()
                ),
                ("card.limitations".to_string(), "Biased.".to_string())
            ]
        );
        let f = |t: &str| {
            r.fields
                .iter()
                .find(|(k, _)| k == t)
                .map(|(_, v)| v.clone())
        };
        let back = write(Some(&r.segments), &f, CardKind::Model, "x", "");
        assert_eq!(back, body);
    }
}
