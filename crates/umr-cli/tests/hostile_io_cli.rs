#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The command line against hostile inputs that are not records: terminal escape sequences
//! in record text (shown escaped in human output, exact in JSON and YAML), lock files that
//! are links or devices, and streams without end given to `import`. Every case ends quickly
//! with a coded error, within the documented limits.

mod common;

use common::TempDir;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn umr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_umr"))
        .args(args)
        .output()
        .expect("run umr")
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).expect("UTF-8 output")
}

/// Characters a terminal acts on: none may reach it raw.
const ACTIVE: &[char] = &[
    '\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{8}', '\r', '\u{7f}',
];

#[track_caller]
fn inert(what: &str, s: &str) {
    for c in ACTIVE {
        assert!(
            !s.contains(*c),
            "{what}: raw U+{:04X} in the output:\n{s:?}",
            *c as u32
        );
    }
}

const TITLE: &str = "T\u{1b}]0;pwned\u{7}\u{9b}31m\u{202e}X\u{8}\r\u{7f}";
const RISK: &str = "csam\u{1b}[2J";
const WHY: &str = "fine\u{1b}]52;c;aGk=\u{7}";

fn registry() -> TempDir {
    let t = TempDir::new("term");
    let d = serde_json::json!({
        "format_version": "1.0", "kind": "dataset", "name": "d", "version": "1.0.0",
        "title": TITLE,
        "x-\u{1b}[8mhidden": 1,
        "risks": [{"id": RISK, "title": TITLE, "severity": "high", "status": "confirmed"}]
    });
    let m = serde_json::json!({
        "format_version": "1.0", "kind": "model", "name": "m", "version": "1.0.0",
        "title": TITLE,
        "unknown\u{1b}[8m": 2,
        "upstream": [{"name": "d", "relation": "trained_on"}],
        "risks": [{"id": RISK, "status": "mitigated", "justification": WHY}]
    });
    t.write(
        "d/d-1.0.0.json",
        serde_json::to_string(&d).unwrap().as_bytes(),
    );
    t.write(
        "m/m-1.0.0.json",
        serde_json::to_string(&m).unwrap().as_bytes(),
    );
    t
}

#[test]
fn terminal_controls_are_shown_escaped_in_human_output() {
    let t = registry();
    let r = t.s();
    for args in [
        vec!["validate", &r],
        vec!["risks", "m", "--registry", &r],
        vec!["risks", "d", "--registry", &r],
        vec!["affected", "d", "--registry", &r],
        vec!["resolve", "m", "--registry", &r],
        vec!["blame", "m", "--registry", &r],
        vec!["lineage", "m", "--registry", &r],
        vec!["show", "m", "--registry", &r],
    ] {
        let o = umr(&args);
        let (out, err) = (text(&o.stdout), text(&o.stderr));
        inert(&format!("{args:?} stdout"), &out);
        inert(&format!("{args:?} stderr"), &err);
    }
    // shown, not dropped: the escape is visible
    let o = umr(&["risks", "m", "--registry", &r]);
    let out = text(&o.stdout);
    assert!(out.contains("csam\\e[2J"), "{out}");
}

#[test]
fn json_and_yaml_outputs_keep_the_exact_text() {
    let t = registry();
    let r = t.s();
    let o = umr(&["resolve", "m", "--registry", &r, "--format", "json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    inert("resolve --format json", &out);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["title"], TITLE);
    let o = umr(&["resolve", "m", "--registry", &r]);
    let out = text(&o.stdout);
    inert("resolve (YAML)", &out);
    let back = umr_core::yaml::parse(&out, &umr_core::Limits::default()).unwrap();
    assert_eq!(back.value["title"], TITLE);
    let o = umr(&["risks", "m", "--registry", &r, "--format", "json"]);
    let out = text(&o.stdout);
    inert("risks --format json", &out);
    assert!(serde_json::from_str::<Value>(&out)
        .unwrap()
        .to_string()
        .contains("csam"));
    assert!(out.contains("\\u001b[2J"), "{out}");
}

#[cfg(unix)]
#[test]
fn lock_files_that_are_devices_or_links_out_are_refused() {
    let t = registry();
    let r = t.s();
    let lock = t.path().join("umr.lock");
    std::os::unix::fs::symlink("/dev/zero", &lock).unwrap();
    for args in [
        vec!["lock", "--check", "--registry", &r],
        vec!["resolve", "m", "--locked", "--registry", &r],
    ] {
        let o = umr(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("E_NOT_A_FILE"),
            "{}",
            text(&o.stderr)
        );
    }
    std::fs::remove_file(&lock).unwrap();
    let outside = TempDir::new("term-outside");
    let secret = outside.write("lock.json", b"{\"lock_version\": 1}");
    std::os::unix::fs::symlink(&secret, &lock).unwrap();
    let o = umr(&["lock", "--check", "--registry", &r]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("E_SYMLINK_ESCAPE"),
        "{}",
        text(&o.stderr)
    );
}

#[cfg(unix)]
#[test]
fn import_of_a_device_is_refused() {
    for from in ["hf", "cyclonedx"] {
        let o = umr(&["import", from, "/dev/zero"]);
        assert_ne!(o.status.code(), Some(0));
        let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
        assert!(all.contains("E_NOT_A_FILE"), "{from}: {all}");
    }
}

/// A stream without end on standard input stops at the size limit while it is read.
#[test]
fn import_of_an_endless_stream_stops_at_the_limit() {
    for (from, path) in [("hf", "-"), ("cyclonedx", "/dev/stdin")] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_umr"))
            .args(["import", from, path, "--name", "a/b"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            let chunk = "x: y\n".repeat(1 << 14);
            // until the reader stops reading (broken pipe)
            while stdin.write_all(chunk.as_bytes()).is_ok() {}
        });
        let o = child.wait_with_output().unwrap();
        writer.join().unwrap();
        let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
        assert_ne!(o.status.code(), Some(0), "{all}");
        assert!(all.contains("E_LIMIT_SIZE"), "{from} {path}: {all}");
    }
}

/// `site --out` inside a registry root would make the registry unloadable (its JSON pages
/// read back as records): refused, and nothing is written there.
#[test]
fn site_output_inside_the_registry_is_refused() {
    let t = registry();
    let r = t.s();
    for out in [t.path().join("_site"), t.path().join("d/_site")] {
        let o = umr(&[
            "site",
            "--registry",
            &r,
            "--out",
            &out.display().to_string(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("E_SITE_OUT"),
            "{}",
            text(&o.stderr)
        );
        assert!(!out.exists());
    }
    // around the registry: refused too
    let o = umr(&["site", "--registry", &format!("{r}/d"), "--out", &r]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let o = umr(&["validate", &r]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

/// A killed `site` leaves its staging folder beside the output; the next build removes the
/// ones whose process is gone, and keeps those of a running process.
#[test]
fn site_removes_stale_staging_folders() {
    let t = registry();
    let work = TempDir::new("site-stale");
    // beyond any pid_max: no such process
    let stale = work.path().join(".out.umr-site-new-999999999-1");
    let stale_old = work.path().join(".out.umr-site-old-999999999-2");
    let live = work
        .path()
        .join(format!(".out.umr-site-new-{}-3", std::process::id()));
    for d in [&stale, &stale_old, &live] {
        std::fs::create_dir_all(d.join("d")).unwrap();
        std::fs::write(d.join("d/index.html"), b"partial").unwrap();
    }
    let out = work.path().join("out");
    let o = umr(&[
        "site",
        "--registry",
        &t.s(),
        "--out",
        &out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(out.join("index.html").is_file());
    assert!(
        !stale.exists() && !stale_old.exists(),
        "stale staging folders removed"
    );
    assert!(live.exists(), "a running process's staging folder is kept");
}

/// A BOM with a key given twice is refused, as records and cards are (last-wins would let
/// a second `licenses` hide the first).
#[test]
fn cyclonedx_import_refuses_duplicate_keys() {
    let t = TempDir::new("cdx-dup");
    let bom = r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "metadata": {"component": {"type": "machine-learning-model", "name": "m", "version": "1.0.0",
    "name": "other"}}}"#;
    let f = t.write("bom.json", bom.as_bytes());
    let o = umr(&["import", "cyclonedx", &f.display().to_string()]);
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(1), "{all}");
    assert!(all.contains("E_DUPLICATE_KEY"), "{all}");
    assert!(all.contains(":3:"), "located at the second key: {all}");
}

/// Exit codes as docs/cli.md states them: a failed write is an I/O failure (exit 2); load
/// warnings are shown by `validate`, not by commands that only read the registry.
#[test]
fn failed_writes_exit_2_and_reading_commands_print_no_load_warnings() {
    let t = registry();
    let r = t.s();
    let rec = t.path().join("d/d-1.0.0.json").display().to_string();
    for args in [
        vec!["convert", &rec, "--output", "/dev/null/x.yaml"],
        vec!["publish", &rec, "--registry", "/dev/null/reg"],
        vec![
            "publish",
            &rec,
            "--registry",
            "/dev/null/reg",
            "--format",
            "json",
        ],
    ] {
        let o = umr(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
    }
    // `x-…` is an extension key; the model's unknown key warns
    let o = umr(&["resolve", "m", "--registry", &r]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        !text(&o.stderr).contains("W_UNKNOWN_KEY"),
        "{}",
        text(&o.stderr)
    );
    let o = umr(&["validate", &r]);
    assert!(
        text(&o.stderr).contains("W_UNKNOWN_KEY"),
        "{}",
        text(&o.stderr)
    );
}
