//! Time Hugging Face card import per card (for profiling): `cargo run --release -p umr-bench
//! --example hf_profile -- DIR [ROUNDS]`.
use std::time::Instant;

/// The allocator of the packages (Python, Node) and the command line, so the profile is
/// theirs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .first()
        .cloned()
        .unwrap_or_else(|| "../shared/corpus/hf-model-cards".into());
    let rounds: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100);
    let mut cards: Vec<(String, String)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
                .filter_map(|e| {
                    let t = std::fs::read_to_string(e.path()).ok()?;
                    Some((e.file_name().to_string_lossy().into_owned(), t))
                })
                .collect()
        })
        .unwrap_or_default();
    cards.sort();
    let opts = umr_core::interop::hf::HfImportOptions::default();
    let mut rows = Vec::new();
    let t_all = Instant::now();
    for (name, text) in &cards {
        let t = Instant::now();
        for _ in 0..rounds {
            let _ = umr_core::interop::hf::import_card(text, &opts);
        }
        rows.push((t.elapsed().as_secs_f64() / rounds as f64, name, text.len()));
    }
    let total = t_all.elapsed().as_secs_f64() / rounds as f64;
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (s, n, len) in rows.iter().take(12) {
        println!("{:9.1} us  {:7} bytes  {n}", s * 1e6, len);
    }
    println!(
        "total per round: {:.2} ms over {} cards",
        total * 1e3,
        cards.len()
    );
}
