//! `umr-bench`: generate synthetic registries and time one operation per process run, so
//! that peak memory is measured per operation. Prints one JSON object per run.
//!
//! ```text
//! umr-bench gen N SEED DIR            write a registry of N records
//! umr-bench floor DIR                 read + serde_json-parse every file (the floor)
//! umr-bench values DIR                parse every file and keep the value trees (their memory)
//! umr-bench load DIR                  load the registry only (its memory without resolving)
//! umr-bench resolve-all DIR           load the registry and resolve every record
//! umr-bench affected DIR NAME         load, then list everything downstream of NAME
//!                                     (`@widest-dataset`: the most used dataset)
//! ```

/// mimalloc: much faster than the system allocator on the many small allocations of value
/// trees (records, cards), and the same on every platform (docs/dependencies.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("umr-bench: {e}");
            ExitCode::from(2)
        }
    }
}

fn arg(args: &[String], i: usize) -> Result<&str, String> {
    args.get(i)
        .map(String::as_str)
        .ok_or_else(|| "missing argument; see the module docs".to_string())
}

fn run(args: &[String]) -> Result<(), String> {
    let cmd = arg(args, 0)?;
    let t0 = Instant::now();
    let out = match cmd {
        "gen" => {
            let n: usize = arg(args, 1)?.parse().map_err(|e| format!("N: {e}"))?;
            let seed: u64 = arg(args, 2)?.parse().map_err(|e| format!("SEED: {e}"))?;
            let dir = PathBuf::from(arg(args, 3)?);
            let recs = umr_bench::generate(n, seed);
            // every generated record must be valid, or the benchmarks would measure fewer
            // records than they say
            if let Some((g, e)) = recs.iter().find_map(|g| {
                umr_core::Record::from_value(g.value.clone())
                    .err()
                    .map(|e| (g, e))
            }) {
                return Err(format!("generated an invalid record at {}: {e}", g.path));
            }
            let bytes = umr_bench::write(&dir, &recs).map_err(|e| e.to_string())?;
            serde_json::json!({"op": "gen", "records": recs.len(), "bytes": bytes})
        }
        "floor" => {
            let dir = PathBuf::from(arg(args, 1)?);
            let files = umr_bench::files(&dir).map_err(|e| e.to_string())?;
            let mut n = 0usize;
            let mut bytes = 0u64;
            for f in &files {
                let text = std::fs::read_to_string(f).map_err(|e| e.to_string())?;
                bytes += text.len() as u64;
                let v: serde_json::Value =
                    serde_json::from_str(&text).map_err(|e| e.to_string())?;
                if v.is_object() {
                    n += 1;
                }
            }
            serde_json::json!({"op": "floor", "records": n, "bytes": bytes})
        }
        "values" => {
            let dir = PathBuf::from(arg(args, 1)?);
            let files = umr_bench::files(&dir).map_err(|e| e.to_string())?;
            let limits = umr_core::Limits::default();
            let mut kept = Vec::with_capacity(files.len());
            for f in &files {
                let text = std::fs::read_to_string(f).map_err(|e| e.to_string())?;
                if let Some(v) = umr_core::yaml::parse_json_fast(&text, &limits) {
                    kept.push(v);
                }
            }
            serde_json::json!({"op": "values", "records": kept.len()})
        }
        "load" => {
            let dir = PathBuf::from(arg(args, 1)?);
            let (reg, report) = umr_core::Registry::open(&[dir], &umr_core::Limits::default())
                .map_err(|e| e.to_string())?;
            serde_json::json!({"op": "load", "records": report.records, "indexed": reg.len()})
        }
        "resolve-all" => {
            let dir = PathBuf::from(arg(args, 1)?);
            let (reg, report) = umr_core::Registry::open(&[dir], &umr_core::Limits::default())
                .map_err(|e| e.to_string())?;
            let load = t0.elapsed().as_secs_f64();
            let mut ok = 0usize;
            let mut failed = 0usize;
            reg.for_each_effective(|_, r| match r {
                Ok(_) => ok += 1,
                Err(_) => failed += 1,
            });
            serde_json::json!({"op": "resolve-all", "records": report.records, "resolved": ok, "failed": failed, "load_seconds": load})
        }
        "affected" => {
            let dir = PathBuf::from(arg(args, 1)?);
            let name = arg(args, 2)?;
            let (reg, _) = umr_core::Registry::open(&[dir], &umr_core::Limits::default())
                .map_err(|e| e.to_string())?;
            let load = t0.elapsed().as_secs_f64();
            // `@widest-dataset`: the dataset with the most direct dependants, whose
            // downstream set grows with the registry (a fair linearity probe)
            let name = if name == "@widest-dataset" {
                (0..reg.len())
                    .filter(|&i| reg.record(i).kind() == umr_core::Kind::Dataset)
                    .max_by_key(|&i| (reg.children(i).len(), std::cmp::Reverse(i)))
                    .map(|i| reg.record(i).id())
                    .ok_or("no dataset in the registry")?
            } else {
                name.to_string()
            };
            let t1 = Instant::now();
            let aff = reg.affected(&name, None).map_err(|e| e.to_string())?;
            serde_json::json!({"op": "affected", "name": name, "records": reg.len(), "affected": aff.len(), "load_seconds": load, "query_seconds": t1.elapsed().as_secs_f64()})
        }
        other => return Err(format!("unknown command `{other}`")),
    };
    let mut out = out;
    if let Some(m) = out.as_object_mut() {
        m.insert(
            "seconds".into(),
            serde_json::json!(t0.elapsed().as_secs_f64()),
        );
        m.insert(
            "peak_rss_bytes".into(),
            serde_json::json!(umr_bench::peak_rss()),
        );
    }
    println!("{out}");
    Ok(())
}
