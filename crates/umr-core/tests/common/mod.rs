//! Helpers shared by the integration suites: temporary folders and bounded child runs (the
//! hostile-input suites), and where the test data is — the project's own fixtures (always
//! there) and the second-tier corpus of third-party documents (`$UMR_CORPUS`, default
//! `../shared/corpus` beside the checkout; present on the team's machines only).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A fresh folder under the system temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "umr-hostile-{}-{label}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir.canonicalize().unwrap())
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run `op` in a child process (this test binary, re-run on the current test alone) with
/// its address space capped at `mem_mb` MiB and a watchdog of `secs` seconds. The test
/// fails if the child does not finish in time, runs out of memory, or `op` fails. In the
/// child, `op` runs directly.
pub fn bounded(test: &str, secs: u64, mem_mb: u64, op: impl FnOnce()) {
    if std::env::var("UMR_HOSTILE_CHILD").as_deref() == Ok(test) {
        op();
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", mem_mb * 1024))
        .arg(&exe)
        .args([
            test,
            "--exact",
            "--include-ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("UMR_HOSTILE_CHILD", test)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                use std::io::Read;
                let _ = e.read_to_string(&mut err);
            }
            assert!(
                status.success(),
                "{test}: the operation failed in the child ({status}, {} MiB cap):\n{err}",
                mem_mb
            );
            return;
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{test}: the operation did not finish within {secs} s (hang or super-linear)");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The repository root (absolute).
pub fn repo_root() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    p.canonicalize().unwrap_or(p)
}

/// Where the second-tier corpus is expected: `$UMR_CORPUS` when set (a relative path is
/// taken from the repository root), else `../shared/corpus` beside the checkout.
pub fn corpus_root() -> PathBuf {
    let p = match std::env::var_os("UMR_CORPUS") {
        Some(v) if !v.is_empty() => repo_root().join(PathBuf::from(v)),
        _ => repo_root().join("../shared/corpus"),
    };
    p.canonicalize().unwrap_or(p)
}

/// The corpus folder `sub` (e.g. `modelrecords-poc`), or `None` after printing why the
/// corpus tier of the calling test does not run. Rust tests cannot skip: such a test passes
/// without checking anything, and its fixture-tier twin does the checking.
pub fn corpus(sub: &str) -> Option<PathBuf> {
    let root = corpus_root();
    let p = root.join(sub);
    if p.is_dir() {
        Some(p)
    } else {
        println!(
            "skipped: corpus tier not run: {} is absent (set UMR_CORPUS=DIR to run it)",
            p.display()
        );
        None
    }
}

/// The project's own registry in the prototype's dialect (written for this project; see its
/// README.md): `tests/fixtures/legacy-registry`.
pub fn legacy_fixture() -> PathBuf {
    let p = repo_root().join("tests/fixtures/legacy-registry");
    assert!(p.is_dir(), "{} is missing", p.display());
    p
}

/// Every record file (`.yaml`, `.yml`, `.json`) under `dir`, at any depth, sorted.
pub fn record_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The raw document of a prototype-dialect file (before conversion), as JSON.
pub fn raw_document(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    umr_core::yaml::parse(&text, &umr_core::Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .value
}
