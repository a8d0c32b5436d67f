//! Helpers shared by the command-line test suites: temporary folders, and where the test
//! data is — the project's own fixtures (always there) and the second-tier corpus of
//! third-party documents (`$UMR_CORPUS`, default `../shared/corpus` beside the checkout).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

/// A fresh folder under the system temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "umr-cli-test-{}-{label}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The folder as a command-line argument.
    pub fn s(&self) -> String {
        self.0.display().to_string()
    }

    /// Write `bytes` at `rel` inside the folder (parents created); returns the path.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The repository root (absolute).
pub fn repo_root() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    p.canonicalize().unwrap_or(p)
}

/// The corpus folder `sub` under `$UMR_CORPUS` (a relative path is taken from the
/// repository root; default `../shared/corpus` beside the checkout), or `None` after
/// printing why the corpus tier of the calling test does not run.
pub fn corpus(sub: &str) -> Option<PathBuf> {
    let root = match std::env::var_os("UMR_CORPUS") {
        Some(v) if !v.is_empty() => repo_root().join(PathBuf::from(v)),
        _ => repo_root().join("../shared/corpus"),
    };
    let p = root.join(sub);
    if p.is_dir() {
        Some(p.canonicalize().unwrap_or(p))
    } else {
        println!(
            "skipped: corpus tier not run: {} is absent (set UMR_CORPUS=DIR to run it)",
            p.display()
        );
        None
    }
}

/// The project's own registry in the prototype's dialect: `tests/fixtures/legacy-registry`.
pub fn legacy_fixture() -> PathBuf {
    let p = repo_root().join("tests/fixtures/legacy-registry");
    assert!(p.is_dir(), "{} is missing", p.display());
    p
}
