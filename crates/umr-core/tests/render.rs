//! Rendering: snapshots per format, escaping of injection payloads in every text field for
//! every format (each output is tokenised to prove the payload is inert), every field
//! shown, determinism, the standalone (registry-free) view, and the static site (safe
//! paths, atomic replacement, refusal to overwrite a foreign folder). Registries in the
//! prototype's dialect publish in every format with every file inert: the project's own
//! `tests/fixtures/legacy-registry` always, the prototype's 88 records
//! (`$UMR_CORPUS/modelrecords-poc`) when present (else that test prints `skipped: …`).
//!
//! Snapshots live in `tests/render/` at the repository root; run
//! `UPDATE_SNAPSHOTS=1 cargo test -p umr-core --test render` to rewrite them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use umr_core::render::view::View;
use umr_core::render::{self, escape, site, Format};
use umr_core::{Limits, Record, Registry};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn open(dir: &str) -> Registry {
    let (reg, report) = Registry::open(&[root().join(dir)], &Limits::default()).expect("registry");
    assert!(
        report.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        report.diagnostics
    );
    reg
}

fn text(v: &View, f: Format) -> String {
    render::render_text(v, f).expect("render")
}

// ---------------------------------------------------------------------------------------
// snapshots
// ---------------------------------------------------------------------------------------

fn normalise(s: &str) -> String {
    s.replace(&format!("umr {}", umr_core::VERSION), "umr <version>")
}

fn snapshot(name: &str, actual: &str) {
    let path = root().join("tests/render").join(name);
    let actual = normalise(actual);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "snapshot {} is missing; create it with: UPDATE_SNAPSHOTS=1 cargo test -p umr-core --test render",
            path.display()
        )
    });
    if expected != actual {
        let (n, (e, a)) = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .find(|(_, (e, a))| e != a)
            .map(|(n, (e, a))| (n + 1, (e.to_string(), a.to_string())))
            .unwrap_or((
                expected.lines().count().min(actual.lines().count()) + 1,
                ("(end)".into(), "(end)".into()),
            ));
        panic!(
            "snapshot {} differs at line {n}:\n  expected: {e}\n  actual:   {a}\nIf the change is intended, update the snapshots with:\n  UPDATE_SNAPSHOTS=1 cargo test -p umr-core --test render",
            path.display()
        );
    }
}

#[test]
fn snapshots_per_format() {
    let reg = open("examples/registry");
    let med = View::from_registry(&reg, "acme/llama2-7b-med@1.1.0").unwrap();
    snapshot("llama2-7b-med.md", &text(&med, Format::Markdown));
    snapshot("llama2-7b-med.html", &text(&med, Format::Html));
    snapshot("llama2-7b-med.tex", &text(&med, Format::Latex));
    snapshot("llama2-7b-med.svg", &text(&med, Format::Svg));
    let clip = View::from_registry(&reg, "acme/path-clip@1.0.0").unwrap();
    snapshot("path-clip.md", &text(&clip, Format::Markdown));
    let laion = View::from_registry(&reg, "laion-5b").unwrap();
    snapshot("laion-5b.svg", &text(&laion, Format::Svg));
    snapshot("laion-5b.tex", &text(&laion, Format::Latex));
    // a record alone (no registry): what the WebAssembly build renders
    let rec = Record::load(
        root().join("examples/registry/acme/llama2-7b-med/llama2-7b-med-1.1.0.yaml"),
        &Limits::default(),
    )
    .unwrap();
    let alone = View::from_record(&rec);
    snapshot("standalone.md", &text(&alone, Format::Markdown));
    snapshot("standalone.svg", &text(&alone, Format::Svg));
}

#[test]
fn rendering_is_deterministic() {
    let reg = open("examples/registry");
    for spec in ["acme/llama2-7b-med", "laion-5b", "acme/path-clip@1.0.0"] {
        let v = View::from_registry(&reg, spec).unwrap();
        for f in Format::ALL {
            assert_eq!(
                render::render(&v, f).unwrap(),
                render::render(&v, f).unwrap(),
                "{spec} {f:?}"
            );
        }
    }
}

#[test]
fn formats_parse() {
    assert_eq!(Format::parse("MD"), Some(Format::Markdown));
    assert_eq!(Format::parse("latex"), Some(Format::Latex));
    assert_eq!(Format::parse("docx"), None);
    assert!("docx".parse::<Format>().is_err());
    let reg = open("examples/registry");
    let v = View::from_registry(&reg, "llama2").unwrap();
    assert!(render::render_text(&v, Format::Pdf).is_err());
    assert!(reg
        .render("llama2", Format::Pdf)
        .unwrap()
        .starts_with(b"%PDF-"));
}

#[test]
fn view_carries_lineage_provenance_risks_and_versions() {
    let reg = open("examples/registry");
    let v = View::from_registry(&reg, "acme/llama2-7b-med@1.0.0").unwrap();
    assert!(v.effective);
    // inherited fields name their source
    let arch = v.details.iter().find(|d| d.key == "architecture").unwrap();
    assert_eq!(arch.inherited_from.as_deref(), Some("llama2@1.0.0"));
    assert!(v
        .provenance
        .iter()
        .any(|p| p.inherited && p.sources.contains(&"llama2@1.0.0".to_string())));
    // relations resolved, with kinds
    assert_eq!(v.relations[0].resolved.as_deref(), Some("llama2-7b@1.0.0"));
    assert!(v.graph.edges.iter().any(|e| e.relation == "member_of"));
    // versions, newest first
    let vs: Vec<(&str, bool, bool)> = v
        .versions
        .iter()
        .map(|x| (x.version.as_str(), x.current, x.latest))
        .collect();
    assert_eq!(vs, vec![("1.1.0", false, true), ("1.0.0", true, false)]);
    // risks with chains; a mitigation is shown as mitigated, never dropped
    let clip = View::from_registry(&reg, "acme/path-clip@1.0.0").unwrap();
    let nsfw = clip.risks.iter().find(|r| r.id == "nsfw").unwrap();
    assert!(!nsfw.open());
    assert_eq!(
        nsfw.chain.first().map(String::as_str),
        Some("laion-5b@1.0.0")
    );
    assert!(nsfw
        .justification
        .as_deref()
        .unwrap_or("")
        .contains("safety classifier"));
    let csam = clip.risks.iter().find(|r| r.id == "csam").unwrap();
    assert!(csam.open());
    assert_eq!(clip.risks[0].id, "csam", "open risks come first");
    // transparency score (umr_core::score)
    let fam = View::from_registry(&reg, "llama2").unwrap();
    let sc = fam
        .transparency
        .as_ref()
        .and_then(|t| t.score.as_ref())
        .unwrap();
    assert_eq!(sc.edition, "fmti2023");
    assert!(sc.effective.score >= 1);
}

#[test]
fn standalone_view_needs_no_registry() {
    let rec = Record::load(
        root().join("examples/registry/acme/path-clip/path-clip-1.0.0.yaml"),
        &Limits::default(),
    )
    .unwrap();
    let v = View::from_record(&rec);
    assert!(!v.effective);
    assert!(v.provenance.is_empty());
    assert_eq!(v.graph.nodes.len(), 2);
    assert_eq!(v.graph.edges[0].relation, "finetune");
    // the mitigation targets an upstream record the view cannot see; still shown
    assert_eq!(v.risks[0].origin, "laion-5b");
    for f in Format::ALL {
        assert!(!render::render(&v, f).unwrap().is_empty());
    }
}

// ---------------------------------------------------------------------------------------
// injection payloads in every text field
// ---------------------------------------------------------------------------------------

/// The injection registry: payloads (each prefixed by a marker T01…T60) in every text
/// field of three records (a family, a model inheriting from it, a model mitigating its
/// risk).
fn evil_views() -> Vec<View> {
    let reg = open("tests/render/injection");
    let mut out: Vec<View> = ["evil-base", "evil", "evil-child"]
        .iter()
        .map(|s| View::from_registry(&reg, s).unwrap())
        .collect();
    // beyond what validation lets through: hostile URLs, ids and names in a hand-made view
    let mut v = out[1].clone();
    let p = "<script>alert(9)</script>\\write18{x}`*[x](javascript:alert(9))";
    v.id = format!("{p}@1.0.0");
    v.name = p.to_string();
    v.version = p.to_string();
    v.references.push(umr_core::render::view::Entry {
        value: "javascript:alert(1)".into(),
        inherited_from: Some(p.into()),
    });
    v.references.push(umr_core::render::view::Entry {
        value: "data:text/html,<script>alert(1)</script>".into(),
        inherited_from: None,
    });
    v.references.push(umr_core::render::view::Entry {
        value: " JaVaScRiPt:alert(1)".into(),
        inherited_from: None,
    });
    if let Some(l) = v.license.as_mut() {
        l.url = Some("javascript:alert(1)".into());
    }
    for r in &mut v.risks {
        r.source = Some("vbscript:msgbox(1)".into());
        r.chain.push(p.into());
    }
    for e in &mut v.evaluations {
        e.source = Some("javascript://%0aalert(1)".into());
    }
    for n in &mut v.graph.nodes {
        n.id = format!("{}{p}", n.id);
    }
    for e in &mut v.graph.edges {
        e.parent = format!("{}{p}", e.parent);
        e.child = format!("{}{p}", e.child);
        e.relation = format!("{}{p}", e.relation);
    }
    out.push(v);
    out
}

const MARKERS: usize = 60;

#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: Vec<(String, String)>,
}

/// Tokenise HTML/SVG: every `<` must open a well-formed tag with double-quoted attribute
/// values (raw text of `<style>`/`<script>` is skipped). Returns the tags and the text.
fn tokenize(s: &str) -> (Vec<Tag>, String) {
    let b = s.as_bytes();
    let mut i = 0;
    let mut tags = Vec::new();
    let mut textc = String::new();
    while i < b.len() {
        if b[i] != b'<' {
            let next = s[i..].find('<').map_or(s.len(), |k| i + k);
            textc.push_str(&s[i..next]);
            i = next;
            continue;
        }
        if s[i..].starts_with("<!DOCTYPE html>") {
            i += "<!DOCTYPE html>".len();
            continue;
        }
        if s[i..].starts_with("<?xml ") {
            i += s[i..].find("?>").expect("xml decl") + 2;
            continue;
        }
        i += 1;
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
            i += 1;
        }
        let name = s[start..i].to_ascii_lowercase();
        assert!(
            !name.is_empty(),
            "bare `<` at byte {start}: {:?}",
            &s[start.saturating_sub(40)..(start + 40).min(s.len())]
        );
        let mut attrs = Vec::new();
        let mut self_closing = false;
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(b'/') if b.get(i + 1) == Some(&b'>') => {
                    i += 2;
                    self_closing = true;
                    break;
                }
                Some(_) => {
                    let a0 = i;
                    while i < b.len()
                        && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':')
                    {
                        i += 1;
                    }
                    let an = s[a0..i].to_ascii_lowercase();
                    assert!(
                        !an.is_empty(),
                        "bad attribute in <{name}> at {a0}: {:?}",
                        &s[a0..(a0 + 40).min(s.len())]
                    );
                    let mut val = String::new();
                    if b.get(i) == Some(&b'=') {
                        assert_eq!(
                            b.get(i + 1),
                            Some(&b'"'),
                            "unquoted attribute {an} in <{name}>"
                        );
                        let v0 = i + 2;
                        let end = s[v0..].find('"').expect("closing quote") + v0;
                        val = s[v0..end].to_string();
                        assert!(!val.contains('<'), "`<` inside attribute {an}={val:?}");
                        i = end + 1;
                    }
                    attrs.push((an, val));
                }
                None => panic!("unterminated tag <{name}>"),
            }
        }
        if !closing && (name == "style" || name == "script") {
            let end = s[i..].find(&format!("</{name}>")).expect("raw text end") + i;
            i = end;
        }
        tags.push(Tag {
            name,
            closing,
            self_closing,
            attrs,
        });
    }
    (tags, textc)
}

const HTML_TAGS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "main", "article", "header", "p", "h1", "h2",
    "h3", "nav", "a", "section", "dl", "dt", "dd", "span", "table", "thead", "tbody", "tr", "th",
    "td", "ul", "li", "strong", "br", "figure", "svg", "defs", "marker", "path", "text", "g",
    "footer", "pre", "form", "label", "input", "select", "option", "script",
];
const ATTRS: &[&str] = &[
    "lang",
    "charset",
    "name",
    "content",
    "http-equiv",
    "class",
    "id",
    "href",
    "rel",
    "title",
    "role",
    "aria-label",
    "aria-labelledby",
    "aria-live",
    "xmlns",
    "viewbox",
    "width",
    "height",
    "d",
    "x",
    "y",
    "text-anchor",
    "marker-end",
    "refx",
    "refy",
    "markerwidth",
    "markerheight",
    "orient",
    "scope",
    "download",
    "hidden",
    "type",
    "placeholder",
    "autocomplete",
    "value",
    "data-kind",
    "data-publisher",
    "data-license",
    "data-risk",
    "data-latest",
    "data-text",
];

fn safe_href(h: &str) -> bool {
    let h = h.replace("&amp;", "&");
    if h.starts_with("https://") || h.starts_with("http://") || h.starts_with("mailto:") {
        return !h.contains(' ') && !h.contains('"') && !h.contains('<');
    }
    if let Some(frag) = h.strip_prefix('#') {
        return frag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    }
    // relative, inside the site
    !h.contains(':')
        && !h.starts_with('/')
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._~-/".contains(c))
}

/// Prove an HTML page (or SVG) inert: known tags and attributes only, no event handlers,
/// links only to http/https/mailto or relative paths, scripts only where allowed.
fn check_markup(s: &str, allowed_script: Option<&str>, what: &str) {
    let (tags, _) = tokenize(s);
    for t in &tags {
        assert!(
            HTML_TAGS.contains(&t.name.as_str()),
            "{what}: tag <{}>",
            t.name
        );
        if t.closing {
            continue;
        }
        for (a, v) in &t.attrs {
            assert!(
                ATTRS.contains(&a.as_str()),
                "{what}: attribute {a} on <{}>",
                t.name
            );
            assert!(!a.starts_with("on"), "{what}: event handler {a}");
            if a == "href" {
                assert!(safe_href(v), "{what}: unsafe href {v:?}");
            }
            if a == "style" {
                panic!("{what}: style attribute");
            }
        }
        if t.name == "meta" {
            if let Some((_, v)) = t.attrs.iter().find(|(a, _)| a == "content") {
                assert!(!v.to_lowercase().contains("url="), "{what}: meta refresh");
            }
        }
    }
    let scripts = tags
        .iter()
        .filter(|t| t.name == "script" && !t.closing)
        .count();
    match allowed_script {
        None => assert_eq!(scripts, 0, "{what}: has a <script>"),
        Some(js) => {
            assert!(scripts <= 1, "{what}: more than one script");
            if scripts == 1 {
                assert!(
                    s.contains(&format!("<script>{js}</script>")),
                    "{what}: unexpected script"
                );
            }
        }
    }
}

fn check_svg(s: &str, what: &str) {
    check_markup(s, None, what);
    // well-formed: tags balance
    let (tags, _) = tokenize(s);
    let mut stack: Vec<&str> = Vec::new();
    for (k, t) in tags.iter().enumerate() {
        if t.closing {
            assert_eq!(
                stack.pop(),
                Some(t.name.as_str()),
                "{what}: unbalanced at tag {k}"
            );
        } else if !t.self_closing {
            stack.push(&t.name);
        }
    }
    assert!(stack.is_empty(), "{what}: unclosed {stack:?}");
}

/// Control words allowed in LaTeX output: the template's and the escape tables'.
const TEX_WORDS: &[&str] = &[
    "documentclass",
    "newif",
    "ifdefined",
    "XeTeXrevision",
    "umrunicodetrue",
    "fi",
    "directlua",
    "ifumrunicode",
    "usepackage",
    "newcommand",
    "umrchar",
    "symbol",
    "else",
    "textsf",
    "footnotesize",
    "setlength",
    "parindent",
    "parskip",
    "definecolor",
    "umrsrc",
    "textcolor",
    "renewcommand",
    "arraystretch",
    "sloppy",
    "hypersetup",
    "begin",
    "end",
    "MakeUppercase",
    "LARGE",
    "bfseries",
    "ttfamily",
    "fcolorbox",
    "parbox",
    "linewidth",
    "textbf",
    "section",
    "subsection",
    "toprule",
    "midrule",
    "endfirsthead",
    "endhead",
    "bottomrule",
    "item",
    "newline",
    "href",
    "textbackslash",
    "textasciicircum",
    "textasciitilde",
    "textless",
    "textgreater",
    "textbar",
    "textquotedbl",
    "textasciigrave",
    "textquotesingle",
    "ensuremath",
    "textrightarrow",
    "textleftarrow",
    "textuparrow",
    "textdownarrow",
    "leq",
    "geq",
    "neq",
    "approx",
    "infty",
    "textminus",
    "checkmark",
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "lambda",
    "mu",
    "pi",
    "sigma",
    "tau",
    "theta",
    "phi",
    "omega",
    "textcopyright",
    "textregistered",
    "textdegree",
    "textpm",
    "textmu",
    "textperiodcentered",
    "texttimes",
    "textdiv",
    "S",
    "P",
    "guillemotleft",
    "guillemotright",
    "textquestiondown",
    "textexclamdown",
    "pounds",
    "textendash",
    "textemdash",
    "textquoteleft",
    "textquoteright",
    "textquotedblleft",
    "textquotedblright",
    "textbullet",
    "ldots",
    "dag",
    "ddag",
    "textperthousand",
    "texteuro",
    "texttrademark",
    "vfill",
    "small",
    "raggedright",
    "arraybackslash",
    "textheight",
];

/// Prove LaTeX output inert: only known control words, balanced braces, no live `%`.
fn check_latex(s: &str, what: &str) {
    let b = s.as_bytes();
    let mut i = 0;
    let mut depth: i64 = 0;
    let mut words = BTreeSet::new();
    let mut line_start = true;
    let mut first_line = true;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            first_line = false;
            line_start = true;
            i += 1;
            continue;
        }
        if c == b'%' {
            assert!(
                first_line && line_start,
                "{what}: live comment at byte {i}: {:?}",
                &s[i.saturating_sub(30)..(i + 30).min(s.len())]
            );
            // the header comment: skip the line
            let end = s[i..].find('\n').map_or(s.len(), |k| i + k);
            i = end;
            continue;
        }
        line_start = false;
        if c == b'\\' {
            let j = i + 1;
            let mut k = j;
            while k < b.len() && b[k].is_ascii_alphabetic() {
                k += 1;
            }
            if k > j {
                words.insert(s[j..k].to_string());
                i = k;
            } else {
                // control symbol
                let sym = b.get(j).copied().unwrap_or(b' ');
                assert!(
                    b"{}$&#_%\\~[".contains(&sym),
                    "{what}: control symbol \\{} at {i}",
                    sym as char
                );
                i = j + 1;
            }
            continue;
        }
        if c == b'{' {
            depth += 1;
        }
        if c == b'}' {
            depth -= 1;
            assert!(depth >= 0, "{what}: unbalanced `}}` at byte {i}");
        }
        if c == b'$' || c == b'^' || c == b'_' || c == b'&' || c == b'#' {
            // only in the template (tables use & as the column separator)
            if c != b'&' && c != b'#' {
                panic!(
                    "{what}: live `{}` at byte {i}: {:?}",
                    c as char,
                    &s[i.saturating_sub(30)..(i + 30).min(s.len())]
                );
            }
        }
        i += 1;
    }
    assert_eq!(depth, 0, "{what}: unbalanced braces");
    for w in &words {
        assert!(
            TEX_WORDS.contains(&w.as_str()),
            "{what}: control word \\{w}"
        );
    }
    for bad in [
        "write",
        "input",
        "immediate",
        "catcode",
        "def",
        "openout",
        "include",
        "read",
    ] {
        assert!(!words.contains(bad), "{what}: \\{bad}");
    }
}

/// Prove Markdown output inert: no raw HTML (every `<` escaped), link destinations only
/// http/https/mailto, no block started by payload text, backticks only in the Mermaid fence.
fn check_markdown(s: &str, what: &str) {
    let mut in_fence = false;
    for (n, line) in s.lines().enumerate() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            for bad in ['<', '>', '`', '"', '[', ']'] {
                if bad == '>' && (line.contains("-->") || line.contains("-.->")) {
                    continue;
                }
                if bad == '[' || bad == ']' || bad == '"' {
                    continue;
                }
                assert!(
                    !line.contains(bad),
                    "{what}: line {}: `{bad}` in the Mermaid block",
                    n + 1
                );
            }
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        for (k, c) in chars.iter().enumerate() {
            if matches!(c, '<' | '`') {
                assert!(
                    k > 0 && chars[k - 1] == '\\',
                    "{what}: line {}: raw `{c}`: {line}",
                    n + 1
                );
            }
        }
        let mut rest = line;
        while let Some(p) = rest.find("](") {
            if p > 0 && rest.as_bytes()[p - 1] == b'\\' {
                rest = &rest[p + 2..];
                continue;
            }
            let dest = &rest[p + 2..];
            assert!(
                dest.starts_with("https://")
                    || dest.starts_with("http://")
                    || dest.starts_with("mailto:")
                    || dest.starts_with("#risks)"),
                "{what}: line {}: link to {dest}",
                n + 1
            );
            rest = dest;
        }
        for block in ["# heading", "- item", "1. item", "> quote"] {
            assert!(
                !line.starts_with(block),
                "{what}: line {}: payload opened a block: {line}",
                n + 1
            );
        }
    }
    assert!(!in_fence, "{what}: unclosed fence");
}

/// Prove a PDF inert: no scripts or launch actions; link actions only http/https/mailto.
fn check_pdf(b: &[u8], what: &str) {
    assert!(b.starts_with(b"%PDF-"), "{what}: not a PDF");
    assert!(
        b.ends_with(b"%%EOF\n") || b.ends_with(b"%%EOF"),
        "{what}: no EOF"
    );
    let s = String::from_utf8_lossy(b);
    for bad in [
        "/JavaScript",
        "/JS ",
        "/JS(",
        "/Launch",
        "/OpenAction",
        "/AA ",
        "/SubmitForm",
        "/ImportData",
    ] {
        assert!(!s.contains(bad), "{what}: {bad}");
    }
    let mut rest: &str = &s;
    while let Some(p) = rest.find("/URI (") {
        let u = &rest[p + 6..];
        assert!(
            u.starts_with("https://") || u.starts_with("http://") || u.starts_with("mailto:"),
            "{what}: URI action {}",
            &u[..u.len().min(40)]
        );
        rest = u;
    }
}

#[test]
fn injection_payloads_are_inert_in_every_format() {
    for v in evil_views() {
        let what = |f: &str| format!("{} ({f})", v.id.chars().take(40).collect::<String>());
        check_markup(&text(&v, Format::Html), None, &what("html"));
        check_svg(&text(&v, Format::Svg), &what("svg"));
        check_latex(&text(&v, Format::Latex), &what("tex"));
        check_markdown(&text(&v, Format::Markdown), &what("md"));
        check_pdf(&render::render(&v, Format::Pdf).unwrap(), &what("pdf"));
    }
}

#[test]
fn every_field_appears_in_every_text_format() {
    let views = evil_views();
    for f in [Format::Markdown, Format::Html, Format::Latex] {
        let all: String = views[..3].iter().map(|v| text(v, f)).collect();
        for m in 1..=MARKERS {
            let marker = format!("T{m:02}");
            assert!(
                all.contains(&marker),
                "{f:?}: field marked {marker} is missing"
            );
        }
    }
    // inherited fields are marked with their source
    let evil = &views[1];
    assert!(evil
        .details
        .iter()
        .all(|d| d.inherited_from.as_deref() == Some("evil-base@1.0.0")));
    let html = text(evil, Format::Html);
    assert!(html.contains("inherited from evil-base@1.0.0"));
    let md = text(evil, Format::Markdown);
    assert!(
        md.contains("*(inherited from evil\\-base@1.0.0)*")
            || md.contains("inherited from evil-base@1.0.0")
    );
    // the risk from the base reaches the child, mitigated there, with its chain
    let child = &views[2];
    let r = child.risks.iter().find(|r| r.id == "inj-risk").unwrap();
    assert!(!r.open());
    assert_eq!(
        r.chain,
        vec!["evil-base@1.0.0", "evil@1.0.0", "evil-child@1.0.0"]
    );
}

#[test]
fn escape_rules() {
    assert_eq!(escape::link("javascript:alert(1)"), None);
    assert_eq!(escape::link("https://a.example/x y"), None);
    assert!(escape::link("https://a.example/\"><script>")
        .unwrap()
        .contains("%22%3E%3Cscript%3E"));
    assert_eq!(escape::html("\u{202e}<x>"), "&lt;x&gt;");
    assert!(!escape::latex("\\input{x}").contains("\\input"));
    assert_eq!(escape::path_segment(".."), "~2E.");
}

// ---------------------------------------------------------------------------------------
// the site
// ---------------------------------------------------------------------------------------

struct Tmp(PathBuf);
impl Tmp {
    fn new(label: &str) -> Tmp {
        let p = std::env::temp_dir().join(format!(
            "umr-render-{label}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&p).unwrap();
        Tmp(p)
    }
}
impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn site_is_inert_complete_and_replaced_atomically() {
    let reg = open("tests/render/injection");
    let tmp = Tmp::new("site");
    let out = tmp.0.join("public");
    let mut calls = 0;
    let rep = site::build(&reg, &out, &site::SiteOptions::default(), &mut |d, t, _| {
        calls += 1;
        assert!(d <= t);
    })
    .unwrap();
    assert_eq!(calls, 3);
    assert_eq!(rep.records, 3);
    assert!(rep.problems.is_empty());
    let mut files = Vec::new();
    walk(&out, &mut files);
    let canon = std::fs::canonicalize(&out).unwrap();
    for f in &files {
        assert!(std::fs::canonicalize(f).unwrap().starts_with(&canon));
        let rel = f.strip_prefix(&out).unwrap().to_string_lossy().to_string();
        assert!(
            rel.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._~-/".contains(c)),
            "{rel}"
        );
        if rel.ends_with(".html") {
            let s = std::fs::read_to_string(f).unwrap();
            let script = (rel == "index.html").then_some(site::INDEX_JS);
            check_markup(&s, script, &rel);
            assert!(s.contains("Content-Security-Policy"));
        }
    }
    for want in [
        "index.html",
        "risks.html",
        "r/evil/index.html",
        "r/evil/1.0.0/index.html",
        "r/evil/1.0.0/exposure.html",
        "r/evil/1.0.0/record.yaml",
        "r/evil/1.0.0/record.json",
        "r/evil/1.0.0/effective.yaml",
        "r/evil/1.0.0/card.tex",
        "r/evil/1.0.0/card.pdf",
        "r/evil/1.0.0/card.md",
        "r/evil/1.0.0/lineage.svg",
        site::MARKER,
    ] {
        assert!(out.join(want).is_file(), "missing {want}");
    }
    // the exposure page says who is affected
    let exp = std::fs::read_to_string(out.join("r/evil-base/1.0.0/exposure.html")).unwrap();
    assert!(exp.contains("evil-child@1.0.0"));
    // rebuilding replaces the folder; nothing is left beside it
    std::fs::write(out.join("stale.txt"), "old").unwrap();
    site::build(&reg, &out, &site::SiteOptions::default(), &mut |_, _, _| {}).unwrap();
    assert!(!out.join("stale.txt").exists());
    let siblings: Vec<String> = std::fs::read_dir(&tmp.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(siblings, vec!["public".to_string()]);
    // a folder umr did not make is never replaced
    let foreign = tmp.0.join("mine");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("precious.txt"), "keep").unwrap();
    let err = site::build(
        &reg,
        &foreign,
        &site::SiteOptions::default(),
        &mut |_, _, _| {},
    )
    .unwrap_err();
    assert_eq!(err.code(), "E_SITE_OUT");
    assert!(foreign.join("precious.txt").is_file());
}

#[test]
fn site_paths_are_sanitised_and_collision_free() {
    // names differing only in case get distinct folders (case-insensitive file systems)
    let mk = |name: &str| {
        Record::from_value(serde_json::json!({
            "format_version": "1.0", "kind": "model", "name": name, "version": "1.0.0+build.7"
        }))
        .unwrap()
    };
    let reg = Registry::from_records(vec![mk("Case"), mk("case"), mk("org/x")]).unwrap();
    let tmp = Tmp::new("paths");
    let out = tmp.0.join("s");
    site::build(&reg, &out, &site::SiteOptions::default(), &mut |_, _, _| {}).unwrap();
    let dirs: BTreeSet<String> = std::fs::read_dir(out.join("r"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(dirs.len(), 3, "{dirs:?}");
    let lower: BTreeSet<String> = dirs.iter().map(|d| d.to_lowercase()).collect();
    assert_eq!(lower.len(), 3);
    assert!(dirs.contains("org~2Fx"));
    assert!(out.join("r/org~2Fx/1.0.0~2Bbuild.7/index.html").is_file());
}

/// Publish `reg` as a site and check it: every record version has its folder with every
/// format, and every file passes the inertness checker of its format.
fn publish_and_check(reg: &Registry, label: &str) {
    let tmp = Tmp::new(label);
    let out = tmp.0.join("site");
    let rep = site::build(reg, &out, &site::SiteOptions::default(), &mut |_, _, _| {}).unwrap();
    assert_eq!(rep.records, reg.len());
    assert!(rep.problems.is_empty(), "{:?}", rep.problems);
    for r in reg.records() {
        let dir = out
            .join("r")
            .join(escape::path_segment(r.name()))
            .join(escape::path_segment(&r.version().to_string()));
        for name in [
            "index.html",
            "exposure.html",
            "card.md",
            "card.html",
            "card.tex",
            "card.pdf",
            "lineage.svg",
            "record.yaml",
            "record.json",
            "effective.yaml",
        ] {
            assert!(dir.join(name).is_file(), "{}: no {name}", r.id());
        }
    }
    let mut files = Vec::new();
    walk(&out, &mut files);
    for f in &files {
        let rel = f.strip_prefix(&out).unwrap().to_string_lossy().to_string();
        match f.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                let script = (rel == "index.html").then_some(site::INDEX_JS);
                check_markup(&std::fs::read_to_string(f).unwrap(), script, &rel);
            }
            Some("svg") => check_svg(&std::fs::read_to_string(f).unwrap(), &rel),
            Some("tex") => check_latex(&std::fs::read_to_string(f).unwrap(), &rel),
            Some("md") => check_markdown(&std::fs::read_to_string(f).unwrap(), &rel),
            Some("pdf") => check_pdf(&std::fs::read(f).unwrap(), &rel),
            _ => {}
        }
    }
}

#[test]
fn corpus_renders_in_every_format_and_publishes() {
    let Some(corpus) = common::corpus("modelrecords-poc") else {
        return;
    };
    let (reg, _) = Registry::open(&[corpus], &Limits::default()).unwrap();
    assert_eq!(reg.len(), 88);
    publish_and_check(&reg, "corpus");
}

#[test]
fn fixture_legacy_registry_renders_in_every_format_and_publishes() {
    let (reg, report) = Registry::open(&[common::legacy_fixture()], &Limits::default()).unwrap();
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert!(reg.len() >= 20);
    publish_and_check(&reg, "legacy");
    // every record in every format, through the view: the title is in each text format
    for i in 0..reg.len() {
        let v = View::from_registry_index(&reg, i).unwrap();
        assert!(v.effective);
        let title = reg.record(i).value()["title"].as_str().unwrap();
        assert_eq!(v.title, title);
        let html = text(&v, Format::Html);
        check_markup(&html, None, &v.id);
        assert!(html.contains(&escape::html(title)), "{}: title", v.id);
        let tex = text(&v, Format::Latex);
        check_latex(&tex, &v.id);
        assert!(tex.contains(&escape::latex(title)), "{}: title", v.id);
        let md = text(&v, Format::Markdown);
        check_markdown(&md, &v.id);
        let svg = text(&v, Format::Svg);
        check_svg(&svg, &v.id);
        assert!(svg.contains(&escape::html(&v.id)), "{}: graph", v.id);
        check_pdf(&render::render(&v, Format::Pdf).unwrap(), &v.id);
    }
    // an inherited card: the family's sections, marked with their source
    let member = View::from_registry(&reg, "corvid-3b").unwrap();
    assert_eq!(member.card.len(), 7);
    assert!(member
        .card
        .iter()
        .all(|s| s.inherited_from.as_deref() == Some("corvid@1.0.0")));
    assert!(text(&member, Format::Html).contains("inherited from corvid@1.0.0"));
    // the risks of the case study, with their chains, on the last model of the chain
    let tiny = View::from_registry(&reg, "histo-mil-tiny").unwrap();
    let ids: BTreeSet<&str> = tiny.risks.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        BTreeSet::from([
            "abuse_material",
            "graphic_violence",
            "legal",
            "sexual_content"
        ])
    );
    let r = tiny
        .risks
        .iter()
        .find(|r| r.id == "sexual_content")
        .unwrap();
    assert_eq!(
        r.chain,
        [
            "scrapeweb-2b@1.0.0",
            "histo-lens@1.0.0",
            "histo-mil@1.0.0",
            "histo-mil-tiny@1.0.0"
        ]
    );
    assert!(r.open());
    let md = text(&tiny, Format::Markdown);
    assert!(md.contains("sexual\\_content") || md.contains("sexual_content"));
    // the family's transparency score is on its card
    let family = View::from_registry(&reg, "corvid").unwrap();
    let sc = family
        .transparency
        .as_ref()
        .and_then(|t| t.score.as_ref())
        .unwrap();
    assert_eq!(
        (sc.edition.as_str(), sc.effective.answered),
        ("fmti2023", 100)
    );
    // versions of one name, newest first
    let old = View::from_registry(&reg, "histo-mil@1.0.0").unwrap();
    let vs: Vec<(&str, bool, bool)> = old
        .versions
        .iter()
        .map(|x| (x.version.as_str(), x.current, x.latest))
        .collect();
    assert_eq!(vs, [("1.1.0", false, true), ("1.0.0", true, false)]);
}

#[test]
fn checkers_reject_live_payloads() {
    let rejects = |f: &dyn Fn()| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err();
    assert!(rejects(&|| check_markup(
        "<p><script>alert(1)</script></p>",
        None,
        "t"
    )));
    assert!(rejects(&|| check_markup(
        "<img src=x onerror=alert(1)>",
        None,
        "t"
    )));
    assert!(rejects(&|| check_markup(
        "<a href=\"javascript:alert(1)\">x</a>",
        None,
        "t"
    )));
    assert!(rejects(&|| check_markup(
        "<a onclick=\"x\">x</a>",
        None,
        "t"
    )));
    assert!(rejects(&|| check_markup("<p>a < b</p>", None, "t")));
    assert!(rejects(&|| check_latex("x\n\\write18{id}", "t")));
    assert!(rejects(&|| check_latex("x\n\\input{/etc/passwd}", "t")));
    assert!(rejects(&|| check_latex("x\n50% off", "t")));
    assert!(rejects(&|| check_latex("x\n}{", "t")));
    assert!(rejects(&|| check_markdown("a <script>", "t")));
    assert!(rejects(&|| check_markdown("[x](javascript:alert(1))", "t")));
    assert!(rejects(&|| check_markdown("# heading", "t")));
    assert!(rejects(&|| check_pdf(
        b"%PDF-1.7 /URI (javascript:x) %%EOF",
        "t"
    )));
    assert!(rejects(&|| check_svg("<svg><g></svg>", "t")));
    // and accept what the renderers write
    check_markup(
        "<p>a &lt; b <a href=\"https://x.example/\">x</a></p>",
        None,
        "t",
    );
    check_latex("x\n\\textbackslash{}write18\\{id\\}", "t");
    check_markdown("a \\<script\\> [x](https://x.example/)", "t");
}
