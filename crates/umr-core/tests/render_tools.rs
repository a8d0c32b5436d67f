//! Render checks that need external tools: the PDF's text extracted with `pdftotext`
//! (compared with a snapshot), its fonts listed with `pdffonts`, a page rasterised with
//! `pdftoppm` and checked not to be blank; the LaTeX output compiled with `pdflatex`
//! (payloads included: `\write18` must not run, `\input` must not read).
//!
//! Without the tools each test prints why it is skipped; `scripts/test.d/50-render.sh`
//! installs them and sets `UMR_REQUIRE_TOOLS=1`, which turns a missing tool into a failure.
//! Snapshots: `UPDATE_SNAPSHOTS=1 cargo test -p umr-core --test render_tools`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use umr_core::render::view::View;
use umr_core::render::{self, Format};
use umr_core::{Limits, Registry};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn open(dir: &str) -> Registry {
    Registry::open(&[root().join(dir)], &Limits::default())
        .expect("registry")
        .0
}

/// True when every tool runs; otherwise skip (or fail under UMR_REQUIRE_TOOLS=1).
fn have(tools: &[&str]) -> bool {
    for t in tools {
        let ok = Command::new(t)
            .arg("-v")
            .output()
            .map(|_| true)
            .unwrap_or(false);
        if !ok {
            if std::env::var("UMR_REQUIRE_TOOLS").as_deref() == Ok("1") {
                panic!("`{t}` is required (UMR_REQUIRE_TOOLS=1) but is not installed");
            }
            eprintln!(
                "skipped: `{t}` is not installed (Debian: poppler-utils, texlive-latex-base)"
            );
            return false;
        }
    }
    true
}

struct Tmp(PathBuf);
impl Tmp {
    fn new(label: &str) -> Tmp {
        let p = std::env::temp_dir().join(format!(
            "umr-tools-{label}-{}-{}",
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

fn run(cmd: &str, args: &[&str], dir: &Path) -> (bool, String) {
    let o = Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    (
        o.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

fn pdf_text(pdf: &Path) -> String {
    let (ok, out) = run(
        "pdftotext",
        &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"],
        pdf.parent().unwrap(),
    );
    assert!(ok, "pdftotext: {out}");
    out
}

/// Share of pixels darker than near-white in a binary PGM (P5) image.
fn ink(pgm: &[u8]) -> (f64, usize, usize) {
    // header: P5 <w> <h> <max>\n
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while pgm[i].is_ascii_whitespace() {
            i += 1;
        }
        let s = i;
        while !pgm[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[s..i]).to_string());
    }
    assert_eq!(fields[0], "P5");
    let w: usize = fields[1].parse().unwrap();
    let h: usize = fields[2].parse().unwrap();
    let px = &pgm[i + 1..];
    assert_eq!(px.len(), w * h);
    let dark = px.iter().filter(|&&p| p < 200).count();
    (dark as f64 / px.len() as f64, w, h)
}

fn normalise(s: &str) -> String {
    let s = s.replace(&format!("umr {}", umr_core::VERSION), "umr <version>");
    let mut out = String::new();
    let mut blank = false;
    for l in s.lines() {
        let l = l.trim_end();
        if l.is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
        } else {
            out.push_str(l);
            out.push('\n');
            blank = false;
        }
    }
    out
}

fn snapshot(name: &str, actual: &str) {
    let path = root().join("tests/render").join(name);
    let actual = normalise(actual);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map_or(expected.lines().count().min(actual.lines().count()), |n| n)
            + 1;
        panic!(
            "snapshot {} differs at line {line}: expected {:?}, got {:?}\nIf the change is intended: UPDATE_SNAPSHOTS=1 cargo test -p umr-core --test render_tools",
            path.display(),
            expected.lines().nth(line - 1).unwrap_or("(end)"),
            actual.lines().nth(line - 1).unwrap_or("(end)")
        );
    }
}

#[test]
fn pdf_text_fonts_and_pixels() {
    if !have(&["pdftotext", "pdftoppm", "pdffonts"]) {
        return;
    }
    let tmp = Tmp::new("pdf");
    let reg = open("examples/registry");
    let v = View::from_registry(&reg, "acme/llama2-7b-med@1.1.0").unwrap();
    let pdf = tmp.0.join("card.pdf");
    std::fs::write(&pdf, render::render(&v, Format::Pdf).unwrap()).unwrap();
    // the text is selectable and complete
    let text = pdf_text(&pdf);
    for want in [
        "Llama 2 7B Med",
        "acme/llama2-7b-med@1.1.0",
        "Lineage",
        "finetune",
        "trained_on",
        "inherited from llama2@1.0.0",
        "Evaluation results",
        "0.437",
        "Provenance",
        "page 1 of",
    ] {
        assert!(text.contains(want), "PDF text lacks {want:?}");
    }
    snapshot("llama2-7b-med.pdf.txt", &text);
    // fonts embedded (subset) with a Unicode map
    let (ok, fonts) = run("pdffonts", &[pdf.to_str().unwrap()], &tmp.0);
    assert!(ok);
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty());
    for r in rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "font not embedded/subset/unicode: {r}"
        );
    }
    // the first page rasterised shows the card: ink, not a blank page
    let (ok, out) = run(
        "pdftoppm",
        &[
            "-r",
            "40",
            "-gray",
            "-f",
            "1",
            "-l",
            "1",
            pdf.to_str().unwrap(),
            "page",
        ],
        &tmp.0,
    );
    assert!(ok, "{out}");
    let pgm = std::fs::read_dir(&tmp.0)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pgm"))
        .expect("rasterised page");
    let (share, w, h) = ink(&std::fs::read(pgm).unwrap());
    assert!(w > 300 && h > 400, "{w}x{h}");
    assert!(share > 0.01 && share < 0.5, "ink share {share}");
}

#[test]
fn long_cards_paginate_and_payloads_stay_text() {
    if !have(&["pdftotext"]) {
        return;
    }
    let tmp = Tmp::new("long");
    let reg = open("tests/render/injection");
    let v = View::from_registry(&reg, "evil").unwrap();
    let pdf = tmp.0.join("evil.pdf");
    std::fs::write(&pdf, render::render(&v, Format::Pdf).unwrap()).unwrap();
    let text = pdf_text(&pdf);
    let pages = text.matches("page ").filter(|_| true).count();
    assert!(
        text.contains("page 2 of"),
        "expected several pages ({pages} footers)"
    );
    // payloads are printed as text
    assert!(text.contains("<script>window.__pwned=1</script>"));
    assert!(text.contains("\\write18{touch /tmp/umr-pwned}"));
    for m in ["T31", "T40", "T56", "T58"] {
        assert!(text.contains(m), "{m}");
    }
}

#[test]
fn latex_compiles_and_payloads_stay_inert() {
    if !have(&["pdflatex", "pdftotext"]) {
        return;
    }
    let tmp = Tmp::new("tex");
    let mut docs: Vec<(String, String)> = Vec::new();
    let reg = open("examples/registry");
    for spec in [
        "acme/llama2-7b-med@1.1.0",
        "laion-5b",
        "llama2",
        "acme/path-clip@1.0.0",
    ] {
        let v = View::from_registry(&reg, spec).unwrap();
        docs.push((
            spec.replace(['/', '@'], "_"),
            render::render_text(&v, Format::Latex).unwrap(),
        ));
    }
    let evil = open("tests/render/injection");
    for spec in ["evil-base", "evil", "evil-child"] {
        let v = View::from_registry(&evil, spec).unwrap();
        docs.push((
            spec.to_string(),
            render::render_text(&v, Format::Latex).unwrap(),
        ));
    }
    let pwned = Path::new("/tmp/umr-pwned");
    let _ = std::fs::remove_file(pwned);
    for (name, tex) in &docs {
        std::fs::write(tmp.0.join(format!("{name}.tex")), tex).unwrap();
        let (ok, log) = run(
            "pdflatex",
            &[
                "-no-shell-escape",
                "-interaction=nonstopmode",
                "-halt-on-error",
                &format!("{name}.tex"),
            ],
            &tmp.0,
        );
        assert!(
            ok,
            "{name}.tex does not compile:\n{}",
            &log[log.len().saturating_sub(3000)..]
        );
        let text = pdf_text(&tmp.0.join(format!("{name}.pdf")));
        assert!(!text.contains("root:x:0:0"), "{name}: \\input read a file");
        if name.starts_with("evil") {
            assert!(text.contains("write18"), "{name}: payload text missing");
        }
    }
    assert!(!pwned.exists(), "\\write18 ran");
}
