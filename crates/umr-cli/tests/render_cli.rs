//! `umr render` and `umr site`: every format to standard output and to a file (written
//! atomically), JSON summaries and errors, and the static site (built, rebuilt in place,
//! a foreign folder refused).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TempDir;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn umr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_umr"))
        .args(args)
        .output()
        .expect("run umr")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn registry() -> String {
    repo_root().join("examples/registry").display().to_string()
}

#[test]
fn render_every_format_to_stdout() {
    let reg = registry();
    for (to, head) in [
        ("md", "# Llama 2 7B Med"),
        ("html", "<!DOCTYPE html>"),
        ("tex", "% acme/llama2-7b-med@1.1.0"),
        ("svg", "<?xml"),
        ("pdf", "%PDF-"),
    ] {
        let o = umr(&[
            "render",
            "acme/llama2-7b-med",
            "--registry",
            &reg,
            "--to",
            to,
        ]);
        assert!(
            o.status.success(),
            "{to}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.stdout.starts_with(head.as_bytes()), "{to}");
    }
}

#[test]
fn render_to_a_file_with_a_json_summary() {
    let tmp = TempDir::new("file");
    let out = tmp.0.join("sub/card.pdf");
    let o = umr(&[
        "render",
        "laion-5b@1.0.0",
        "--registry",
        &registry(),
        "--to",
        "pdf",
        "-o",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["record"], "laion-5b@1.0.0");
    assert_eq!(v["format"], "pdf");
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(v["bytes"], bytes.len());
    assert!(bytes.starts_with(b"%PDF-"));
    // no temporary file left beside it
    let names: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["card.pdf".to_string()]);
}

#[test]
fn render_errors_are_reported() {
    let o = umr(&[
        "render",
        "no-such-record",
        "--registry",
        &registry(),
        "--to",
        "md",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["code"].as_str().unwrap_or("").starts_with('E'), "{v}");
    let o = umr(&[
        "render",
        "llama2",
        "--registry",
        &registry(),
        "--to",
        "docx",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn site_builds_rebuilds_and_refuses_foreign_folders() {
    let tmp = TempDir::new("site");
    let out = tmp.0.join("www");
    let args = |fmt: &str| {
        vec![
            "site".to_string(),
            "--registry".into(),
            registry(),
            "--out".into(),
            out.display().to_string(),
            "--title".into(),
            "Example <registry>".into(),
            "--format".into(),
            fmt.into(),
        ]
    };
    let run = |a: Vec<String>| {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        umr(&refs)
    };
    let o = run(args("json"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["records"], 11);
    // not a terminal: no progress bar on stderr
    assert!(!String::from_utf8_lossy(&o.stderr).contains("publishing"));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("Example &lt;registry&gt;"));
    assert!(out.join("r/acme~2Fllama2-7b-med/1.1.0/card.pdf").is_file());
    // rebuild in place
    let o = run(args("human"));
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("published 11 record versions"));
    // a folder umr did not make is refused and left alone
    let foreign = tmp.0.join("home");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let o = umr(&[
        "site",
        "--registry",
        &registry(),
        "--out",
        foreign.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("E_SITE_OUT"));
    assert!(foreign.join("notes.txt").is_file());
}
