//! Where the time of `umr-bench resolve-all` goes: reading and checking the files, building
//! the registry (index, upstream edges), streaming resolution, and freeing it.
//!
//! ```text
//! cargo run --release -p umr-bench --example phases -- ~/.cache/umr-bench/reg-100000
//! cargo run --release -p umr-bench --example phases -- ~/.cache/umr-bench/reg-100000 all
//! ```
//!
//! With `all`, the resolve phase is `effective_all` (every effective record kept, with its
//! provenance, as the command line and the packages ask for it) instead of the streaming
//! `for_each_effective`.

/// The same allocator as `umr-bench`, so the phases add up to its measurement.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;
use std::time::Instant;

/// The resident memory of this process now, in MB (0 where `/proc` is not there).
fn rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kb| kb * 1024 / 1_000_000)
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: phases REGISTRY_DIR");
        return ExitCode::from(2);
    };
    let dir = std::path::PathBuf::from(dir);
    let limits = umr_core::Limits::default();
    let t = Instant::now();
    let (records, _) = match umr_core::registry::load_roots(std::slice::from_ref(&dir), &limits) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("phases: {e}");
            return ExitCode::from(2);
        }
    };
    let read = t.elapsed().as_secs_f64();
    let rss_read = rss_mb();
    let reg = match umr_core::Registry::from_records(records) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("phases: {e}");
            return ExitCode::from(2);
        }
    };
    let build = t.elapsed().as_secs_f64();
    let rss_build = rss_mb();
    let mut ok = 0usize;
    if std::env::args().nth(2).as_deref() == Some("all") {
        ok = reg
            .effective_all()
            .iter()
            .filter(|(_, r)| r.is_ok())
            .count();
    } else {
        reg.for_each_effective(|_, r| ok += usize::from(r.is_ok()));
    }
    let resolve = t.elapsed().as_secs_f64();
    drop(reg);
    let total = t.elapsed().as_secs_f64();
    println!(
        "read+check {read:.2}s  build {:.2}s  resolve {:.2}s  free {:.2}s  total {total:.2}s  ({ok} resolved; resident after reading {rss_read} MB, after building {rss_build} MB, peak {} MB)",
        build - read,
        resolve - build,
        total - resolve,
        umr_bench::peak_rss().unwrap_or(0) / 1_000_000
    );
    ExitCode::SUCCESS
}
