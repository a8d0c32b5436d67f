#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The command line on a hostile registry: injection payloads (HTML/JS, SVG, LaTeX,
//! Markdown, bidi controls, quotes of every kind) in every text field of a three-record
//! lineage, and the fixtures of tests/hostile. Every data command keeps the payloads as
//! exact data in its JSON and YAML output (`resolve`, `blame`, `risks`, `affected`), the
//! graph formats of `lineage` stay well-formed (`dot`, `mermaid`, `tree`, `json`), and the
//! rendered outputs (`render`: HTML, Markdown, LaTeX, SVG, PDF; `site`; `export hf`) carry
//! no live markup or command — a cross-check from outside of the renderers' own tests.
//! References that try to leave the registry are refused.

mod common;

use common::TempDir;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use umr_core::{check_text, LoadOptions, Syntax};

fn umr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_umr"))
        .args(args)
        .output()
        .expect("run umr")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn describe(o: &Output) -> String {
    format!(
        "status: {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[track_caller]
fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", describe(o));
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

#[track_caller]
fn ok_json(o: &Output) -> Value {
    let s = ok(o);
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("not JSON ({e}):\n{s}"))
}

/// One payload that tries every output language at once. Markers (`umr-x`, `onumrx`,
/// `\umrx`) make live output easy to spot.
const P: &str = "<umr-x onumrx=1>\"><umr-x onumrx=2>' onumrx='3 </title></style></textarea><script>alert(1)</script> \\umrx{1} \\write18{id} \\input{/etc/passwd} $x^2$ & # % _ ~ { } [l](javascript:umrx()) ![i](http://example.invalid/t.png) <!-- c --> ]]> `c` *e* | a | -- \u{202e}rtl\u{202c} &amp; &#60;umr-x";

fn text_fields(name: &str, parent: Option<&str>, risk: bool) -> Value {
    let mut v = json!({
        "format_version": "1.0",
        "kind": "model",
        "name": name,
        "version": "1.0.0",
        "title": P,
        "description": [P, P],
        "publisher": P,
        "license": {"name": P, "url": "https://example.invalid/licence"},
        "references": ["https://example.invalid/a?q=%3Cumr-x%3E&r=\"x\""],
        "tags": [P, "plain"],
        "details": {
            "architecture": P, "model_type": P, "library": P, "pipeline_tag": P,
            "quantization": P, "precision": P, "size": P, "compute": P,
            "languages": [P], "modalities": {"input": [P], "output": [P]}
        },
        "card": {
            "intended_use": P, "out_of_scope_use": [P, P], "factors": P,
            "training_data": P, "evaluation_data": P, "limitations": P,
            "ethical_considerations": P, "recommendations": P, "additional_information": P
        },
        "evaluations": [{
            "task": P, "task_name": P, "dataset": P, "dataset_name": P, "metric": P,
            "metric_name": P, "value": P, "source_name": P
        }],
        "transparency": {"edition": "fmti2023", "answers": {"data_size": {"value": true, "note": P}}},
        "extensions": {"x-note": P}
    });
    if risk {
        v["risks"] = json!([{"id": "inj-risk", "title": P, "description": P, "severity": "high"}]);
    }
    if let Some(p) = parent {
        v["upstream"] = json!([{"name": p, "relation": "finetune", "note": P}]);
    }
    v
}

/// A registry: `org.x/base_1` (a risk) ← `inj` ← `inj-child.v2`, every text field
/// carrying the payload, plus the committed fixtures of tests/hostile.
fn hostile_registry() -> TempDir {
    let dir = TempDir::new("reg");
    let put = |v: &Value| {
        let rec = umr_core::Record::from_value(v.clone()).unwrap();
        rec.save(&dir.0).unwrap();
    };
    put(&text_fields("org.x/base_1", None, true));
    put(&text_fields("inj", Some("org.x/base_1"), false));
    put(&text_fields("inj-child.v2", Some("inj"), false));
    for f in [
        "injection/injection-1.0.0.yaml",
        "crlf/crlf-1.0.0.yaml",
        "bom/bom-1.0.0.yaml",
    ] {
        let to = dir.0.join(f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(repo_root().join("tests/hostile").join(f), to).unwrap();
    }
    dir
}

/// True when `needle` occurs not preceded by an odd number of backslashes.
fn has_unescaped(s: &str, needle: &str) -> bool {
    s.match_indices(needle).any(|(i, _)| {
        let slashes = s[..i].bytes().rev().take_while(|b| *b == b'\\').count();
        slashes % 2 == 0
    })
}

fn assert_inert_markup(what: &str, s: &str) {
    let lower = s.to_ascii_lowercase();
    for bad in [
        "<umr-x",
        "<script",
        "<iframe",
        "<img",
        "\" onumrx",
        "' onumrx",
        "href=\"javascript:",
        "src=\"javascript:",
        "href='javascript:",
    ] {
        assert!(!lower.contains(bad), "{what}: live `{bad}` in output");
    }
    assert!(
        !s.contains('\u{202e}'),
        "{what}: bidi override reached the output"
    );
}

// ---------------------------------------------------------------------------------------

#[test]
fn hostile_registry_validates_and_keeps_payloads_as_data() {
    let reg = hostile_registry();
    let o = umr(&["validate", "--format", "json", &reg.s()]);
    let diags = ok_json(&o);
    assert!(
        diags
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["severity"] != "error"),
        "{diags}"
    );
    // resolve: JSON and YAML agree and keep the payload exactly
    let j = ok_json(&umr(&[
        "resolve",
        "inj-child.v2",
        "--registry",
        &reg.s(),
        "--format",
        "json",
    ]));
    assert_eq!(j["title"], P);
    assert_eq!(j["card"]["limitations"], P);
    let y = ok(&umr(&["resolve", "inj-child.v2", "--registry", &reg.s()]));
    let back = check_text(&y, Syntax::Yaml, &LoadOptions::default());
    let back = back.record.unwrap_or_else(|| {
        panic!(
            "resolve YAML does not read back: {:?}\n{y}",
            back.diagnostics
        )
    });
    assert_eq!(back.value(), &j, "YAML and JSON output agree");
    // resolve --all, both formats
    let all = ok_json(&umr(&[
        "resolve",
        "--all",
        "--registry",
        &reg.s(),
        "--format",
        "json",
    ]));
    assert_eq!(all.as_array().unwrap().len(), 6);
    let all_y = ok(&umr(&["resolve", "--all", "--registry", &reg.s()]));
    assert_eq!(
        all_y.matches("\n---\n").count() + usize::from(all_y.starts_with("---")),
        6
    );
    // blame: JSON map of path → record, human lines
    let b = ok_json(&umr(&[
        "blame",
        "inj-child.v2",
        "--registry",
        &reg.s(),
        "--format",
        "json",
    ]));
    let b = b.as_object().unwrap();
    assert!(b
        .values()
        .all(|v| v.as_str().is_some_and(|s| s.contains('@'))));
    assert_eq!(
        b.get("title").and_then(Value::as_str),
        Some("inj-child.v2@1.0.0")
    );
    let bh = ok(&umr(&["blame", "inj-child.v2", "--registry", &reg.s()]));
    assert_eq!(bh.lines().count(), b.len());
    // risks and affected carry the payload title exactly
    let r = ok_json(&umr(&[
        "risks",
        "inj-child.v2",
        "--registry",
        &reg.s(),
        "--format",
        "json",
    ]));
    assert_eq!(r[0]["title"], P);
    assert_eq!(r[0]["chain"].as_array().unwrap().len(), 3);
    let a = ok_json(&umr(&[
        "affected",
        "org.x/base_1",
        "--registry",
        &reg.s(),
        "--format",
        "json",
    ]));
    assert_eq!(a.as_array().unwrap().len(), 2);
    // human forms do not break either
    ok(&umr(&["risks", "inj-child.v2", "--registry", &reg.s()]));
    ok(&umr(&["affected", "org.x/base_1", "--registry", &reg.s()]));
}

#[test]
fn lineage_graph_formats_stay_well_formed() {
    let reg = hostile_registry();
    let dot = ok(&umr(&[
        "lineage",
        "inj",
        "--registry",
        &reg.s(),
        "--format",
        "dot",
    ]));
    assert!(
        dot.starts_with("digraph lineage {\n") && dot.ends_with("}\n"),
        "{dot}"
    );
    for line in dot.lines().skip(1) {
        // every quote is balanced (escaped quotes do not count)
        let unescaped = line
            .char_indices()
            .filter(|(i, c)| *c == '"' && !has_unescaped_before(line, *i))
            .count();
        assert_eq!(unescaped % 2, 0, "unbalanced quotes: {line}");
    }
    for id in ["org.x/base_1@1.0.0", "inj@1.0.0", "inj-child.v2@1.0.0"] {
        assert!(dot.contains(&format!("\"{id}\"")), "{id} in\n{dot}");
    }
    let mer = ok(&umr(&[
        "lineage",
        "inj",
        "--registry",
        &reg.s(),
        "--format",
        "mermaid",
    ]));
    assert!(mer.starts_with("flowchart LR\n"), "{mer}");
    for line in mer.lines().skip(1) {
        assert_eq!(
            line.matches('"').count() % 2,
            0,
            "unbalanced quotes: {line}"
        );
        assert!(!line.contains('<'), "raw `<` in a Mermaid label: {line}");
    }
    let tree = ok(&umr(&["lineage", "inj", "--registry", &reg.s()]));
    assert!(tree.lines().count() >= 3, "{tree}");
    let j = ok_json(&umr(&[
        "lineage",
        "inj",
        "--registry",
        &reg.s(),
        "--format",
        "json",
    ]));
    assert_eq!(j["ancestors"].as_array().unwrap().len(), 1);
    assert_eq!(j["descendants"].as_array().unwrap().len(), 1);
}

/// The index just past the PDF literal string that opens at `open` (a `(`): nested
/// balanced parentheses and backslash escapes as in ISO 32000-1 §7.3.4.2.
fn pdf_string_end(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn has_unescaped_before(line: &str, i: usize) -> bool {
    // true when the character at `i` is escaped by an odd number of backslashes
    let slashes = line[..i].bytes().rev().take_while(|b| *b == b'\\').count();
    slashes % 2 == 1
}

#[test]
fn rendered_outputs_are_inert() {
    let reg = hostile_registry();
    for spec in ["inj-child.v2", "org.x/base_1", "injection"] {
        let html = ok(&umr(&[
            "render",
            spec,
            "--registry",
            &reg.s(),
            "--to",
            "html",
        ]));
        assert_inert_markup(&format!("{spec} html"), &html);
        let svg = ok(&umr(&[
            "render",
            spec,
            "--registry",
            &reg.s(),
            "--to",
            "svg",
        ]));
        assert_inert_markup(&format!("{spec} svg"), &svg);
        let md = ok(&umr(&[
            "render",
            spec,
            "--registry",
            &reg.s(),
            "--to",
            "md",
        ]));
        assert!(!has_unescaped(&md, "<umr-x"), "{spec} md: live tag");
        assert!(!has_unescaped(&md, "<script"), "{spec} md: live script");
        assert!(!has_unescaped(&md, "](javascript:"), "{spec} md: live link");
        assert!(!md.contains('\u{202e}'), "{spec} md: bidi override");
        let tex = ok(&umr(&[
            "render",
            spec,
            "--registry",
            &reg.s(),
            "--to",
            "tex",
        ]));
        for cmd in ["\\umrx", "\\write18", "\\input{/etc"] {
            assert!(!has_unescaped(&tex, cmd), "{spec} tex: live {cmd}");
        }
        let pdf = umr(&["render", spec, "--registry", &reg.s(), "--to", "pdf"]);
        assert!(pdf.status.success(), "{}", describe(&pdf));
        assert!(pdf.stdout.starts_with(b"%PDF-"));
        let lossy = String::from_utf8_lossy(&pdf.stdout);
        // no action that runs code; text stays inside escaped PDF strings; links are
        // http, https or mailto only
        for bad in [
            "/S /JavaScript",
            "/S/JavaScript",
            "/JS ",
            "/Launch",
            "/SubmitForm",
        ] {
            assert!(!lossy.contains(bad), "{spec} pdf: {bad}");
        }
        // each document-information string is one PDF string: what follows it is the next
        // key or the end of the dictionary, never tokens from the payload
        for key in ["/Title (", "/Subject (", "/Author (", "/Keywords ("] {
            for (i, _) in lossy.match_indices(key) {
                let end = pdf_string_end(lossy.as_bytes(), i + key.len() - 1)
                    .unwrap_or_else(|| panic!("{spec} pdf: unterminated {key}"));
                let next = lossy[end..].trim_start();
                assert!(
                    next.starts_with('/') || next.starts_with(">>"),
                    "{spec} pdf: {key} is followed by {:?}",
                    &next[..next.len().min(40)]
                );
            }
        }
        for (i, _) in lossy.match_indices("/URI (") {
            let target = &lossy[i + 6..];
            assert!(
                ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|p| target.starts_with(p)),
                "{spec} pdf: link to {}",
                &target[..target.len().min(40)]
            );
        }
    }
}

#[test]
fn site_is_inert() {
    let reg = hostile_registry();
    let out = TempDir::new("site");
    let site = out.0.join("site");
    let o = umr(&[
        "site",
        "--registry",
        &reg.s(),
        "--out",
        site.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", describe(&o));
    let mut pages = 0;
    let mut stack = vec![site.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            // every file stays inside the output folder
            assert!(p.starts_with(&site), "{}", p.display());
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                let s = std::fs::read_to_string(&p).unwrap();
                // the index has the one script of the site (with a CSP hash); no page has
                // any other
                let scripts = s.to_ascii_lowercase().matches("<script").count();
                let allowed = usize::from(s.contains(umr_core::render::site::INDEX_JS));
                assert_eq!(scripts, allowed, "{}", p.display());
                let without_own: String = s.replace(umr_core::render::site::INDEX_JS, "");
                let mut check = without_own.to_ascii_lowercase();
                check = check.replace("<script></script>", "");
                assert_inert_markup(&p.display().to_string(), &check);
                pages += 1;
            }
        }
    }
    assert!(pages >= 6, "{pages} pages");
}

#[test]
fn exported_cards_round_trip_the_payloads() {
    let reg = hostile_registry();
    let card = ok(&umr(&[
        "export",
        "hf",
        "inj",
        "--registry",
        &reg.s(),
        "--own",
    ]));
    let dir = TempDir::new("card");
    let f = dir.0.join("README.md");
    std::fs::write(&f, &card).unwrap();
    let o = umr(&[
        "import",
        "hf",
        f.to_str().unwrap(),
        "--name",
        "inj",
        "--format",
        "json",
    ]);
    if o.status.success() {
        // the front matter is YAML: the payload strings survive it exactly
        let s = String::from_utf8_lossy(&o.stdout);
        assert!(s.contains("onumrx") || s.contains("umr-x"), "{s}");
    } else {
        panic!("the exported card does not import: {}", describe(&o));
    }
    for to in ["cyclonedx", "spdx"] {
        let v = ok_json(&umr(&[
            "export",
            to,
            "inj-child.v2",
            "--registry",
            &reg.s(),
            "--lineage",
        ]));
        assert!(
            v.to_string().contains("umr-x"),
            "{to}: payload kept as data"
        );
    }
}

#[test]
fn references_that_leave_the_registry_are_refused() {
    let reg = hostile_registry();
    for spec in [
        "../../etc/passwd",
        "/etc/passwd",
        "..",
        "inj/../../x",
        "C:\\Windows",
        "org.x/base_1/../../x",
    ] {
        let o = umr(&["resolve", spec, "--registry", &reg.s(), "--format", "json"]);
        assert_eq!(o.status.code(), Some(1), "{spec}: {}", describe(&o));
        let e: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
        assert!(
            ["E_REFERENCE", "E_NOT_FOUND"].contains(&e["code"].as_str().unwrap_or("")),
            "{spec}: {}",
            describe(&o)
        );
    }
}
