//! A deterministic synthetic registry generator (hub-like shape) for benchmarks.
//!
//! The shape: model families; base models that are members of a family; datasets (10 %
//! of them carry risks); and derived models whose parents are chosen by preferential
//! attachment (a model that already has many derivatives is more likely to get another —
//! the power-law fan-out seen on model hubs): fine-tunes, quantizations, adapters and
//! merges (two parents), each trained on zero to two datasets. Chains are capped at a
//! depth of 20. The same seed always gives the same registry.

use serde_json::{json, Map, Value};

/// A small deterministic PRNG (xorshift64*).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// True with probability `p` percent.
    pub fn percent(&mut self, p: u64) -> bool {
        self.next_u64() % 100 < p
    }
}

/// One generated record: its registry-relative path and its value.
#[derive(Debug, Clone)]
pub struct Generated {
    /// `<name>/<last>-<version>.json`.
    pub path: String,
    /// The record.
    pub value: Value,
}

const WORDS: &[&str] = &[
    "robust",
    "multilingual",
    "instruction",
    "chat",
    "code",
    "vision",
    "medical",
    "legal",
    "small",
    "distilled",
    "safety",
    "reasoning",
    "summarisation",
    "retrieval",
    "speech",
    "math",
];

fn text(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| WORDS[rng.below(WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

fn base(kind: &str, name: &str, version: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("format_version".into(), json!("1.0"));
    m.insert("kind".into(), json!(kind));
    m.insert("name".into(), json!(name));
    m.insert("version".into(), json!(version));
    m
}

fn path_of(name: &str, version: &str) -> String {
    let last = name.rsplit('/').next().unwrap_or(name);
    format!("{name}/{last}-{version}.json")
}

/// Generate `n` records from `seed`.
pub fn generate(n: usize, seed: u64) -> Vec<Generated> {
    let mut rng = Rng::new(seed);
    let n_fam = (n / 50).max(1);
    let n_ds = (n / 20).max(1);
    let n_base = (n / 12).max(1);
    let mut out = Vec::with_capacity(n);
    let mut datasets = Vec::new();
    for i in 0..n_fam.min(n) {
        let name = format!("fam-{i}");
        let mut m = base("family", &name, "1.0.0");
        m.insert("title".into(), json!(format!("Family {i}")));
        m.insert("publisher".into(), json!(format!("org{}", i % 97)));
        m.insert(
            "license".into(),
            json!(if i % 3 == 0 { "Apache-2.0" } else { "MIT" }),
        );
        m.insert("tags".into(), json!(["llm", WORDS[i % WORDS.len()]]));
        m.insert("details".into(), json!({"architecture": text(&mut rng, 8), "modalities": {"input": ["text"], "output": ["text"]}, "context_length": 4096}));
        m.insert(
            "card".into(),
            json!({
                "intended_use": text(&mut rng, 20), "limitations": text(&mut rng, 20),
                "ethical_considerations": text(&mut rng, 16), "training_data": text(&mut rng, 16)
            }),
        );
        out.push(Generated {
            path: path_of(&name, "1.0.0"),
            value: Value::Object(m),
        });
    }
    for i in 0..n_ds {
        if out.len() >= n {
            break;
        }
        let name = format!("data/ds-{i}");
        let mut m = base("dataset", &name, "1.0.0");
        m.insert("title".into(), json!(format!("Dataset {i}")));
        m.insert("license".into(), json!("CC-BY-4.0"));
        m.insert("description".into(), json!(text(&mut rng, 12)));
        if rng.percent(10) {
            let id = ["pii", "csam", "nsfw", "copyright"][rng.below(4)];
            m.insert("risks".into(), json!([{"id": id, "severity": "high"}]));
        }
        out.push(Generated {
            path: path_of(&name, "1.0.0"),
            value: Value::Object(m),
        });
        datasets.push(name);
    }
    // models: (name, version, depth)
    let mut models: Vec<(String, String, usize)> = Vec::new();
    let mut tickets: Vec<usize> = Vec::new();
    for i in 0..n_base {
        if out.len() >= n {
            break;
        }
        let name = format!("org{}/base-{i}", i % 211);
        let mut m = base("model", &name, "1.0.0");
        m.insert("title".into(), json!(format!("Base {i}")));
        m.insert(
            "upstream".into(),
            json!([{"name": format!("fam-{}", i % n_fam), "relation": "member_of"}]),
        );
        m.insert(
            "details".into(),
            json!({"parameters": 1_000_000_000u64 * (1 + (i as u64 % 70))}),
        );
        let k = 1 + rng.below(2);
        let ds: Vec<Value> = (0..k)
            .map(|_| json!({"name": datasets[rng.below(datasets.len())], "relation": "trained_on"}))
            .collect();
        if let Some(Value::Array(u)) = m.get_mut("upstream") {
            u.extend(ds);
        }
        out.push(Generated {
            path: path_of(&name, "1.0.0"),
            value: Value::Object(m),
        });
        tickets.push(models.len());
        models.push((name, "1.0.0".into(), 1));
    }
    let mut i = 0usize;
    while out.len() < n && !models.is_empty() {
        let pick = |rng: &mut Rng, tickets: &Vec<usize>| tickets[rng.below(tickets.len())];
        let mut p = pick(&mut rng, &tickets);
        if models[p].2 >= 20 {
            p = rng.below(n_base.min(models.len()));
        }
        let roll = rng.below(100);
        let (rel, suffix) = match roll {
            0..=59 => ("finetune", "ft"),
            60..=79 => ("quantized", "q4"),
            80..=93 => ("adapter", "lora"),
            _ => ("merge", "merge"),
        };
        let org = rng.below(5000);
        let name = derived_name(&models[p].0, org, suffix, i);
        let mut m = base("model", &name, "1.0.0");
        let mut ups = vec![
            json!({"name": models[p].0, "version": format!("^{}", models[p].1), "relation": rel}),
        ];
        let mut depth = models[p].2 + 1;
        if rel == "merge" {
            let q = pick(&mut rng, &tickets);
            if q != p && models[q].2 < 20 {
                ups.push(json!({"name": models[q].0, "relation": "merge"}));
                depth = depth.max(models[q].2 + 1);
                tickets.push(q);
            }
        }
        if rel == "finetune" && rng.percent(60) {
            ups.push(
                json!({"name": datasets[rng.below(datasets.len())], "relation": "trained_on"}),
            );
        }
        m.insert("upstream".into(), Value::Array(ups));
        if rel == "finetune" {
            m.insert("description".into(), json!(text(&mut rng, 10)));
            m.insert("card".into(), json!({"intended_use": text(&mut rng, 12)}));
            m.insert("tags".into(), json!([WORDS[rng.below(WORDS.len())]]));
            if rng.percent(30) {
                m.insert("evaluations".into(), json!([{"task": "text-generation", "dataset": "mmlu", "metric": "accuracy", "value": (rng.below(1000) as f64) / 1000.0}]));
            }
        } else if rel == "quantized" {
            m.insert("details".into(), json!({"quantization": "GGUF Q4_K_M"}));
        }
        out.push(Generated {
            path: path_of(&name, "1.0.0"),
            value: Value::Object(m),
        });
        tickets.push(p);
        tickets.push(models.len());
        models.push((name, "1.0.0".into(), depth));
        i += 1;
    }
    out
}

/// Write a generated registry below `root` as JSON files.
pub fn write(root: &std::path::Path, records: &[Generated]) -> std::io::Result<u64> {
    let mut bytes = 0u64;
    let mut made = std::collections::HashSet::new();
    for g in records {
        let p = root.join(&g.path);
        if let Some(dir) = p.parent() {
            if made.insert(dir.to_path_buf()) {
                std::fs::create_dir_all(dir)?;
            }
        }
        let text = serde_json::to_string(&g.value).map_err(std::io::Error::other)?;
        bytes += text.len() as u64;
        std::fs::write(p, text)?;
    }
    Ok(bytes)
}

/// Every record file below `root` (sorted), for the baselines.
pub fn files(root: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let e = e?;
            if e.file_name().to_string_lossy().starts_with('.') {
                continue; // stamps and hidden files, as the registry loader skips them
            }
            let t = e.file_type()?;
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_file() {
                out.push(e.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Peak resident set size of this process in bytes (Linux), if known.
pub fn peak_rss() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

use umr_core::names::MAX_NAME_SEGMENT as MAX_SEGMENT;

/// The name of a record derived from `parent`: `user<org>/<parent's last segment>-<suffix>-<i>`,
/// so a name tells its ancestry; when that would pass the format's 96-character segment
/// limit (deep chains), the parent's part is cut to its first two `-` tokens
/// (`base-6806-…` becomes `base-6806`).
pub fn derived_name(parent: &str, org: usize, suffix: &str, i: usize) -> String {
    let stem = parent.rsplit('/').next().unwrap_or("m");
    let tail = format!("-{suffix}-{i}");
    if stem.len() + tail.len() <= MAX_SEGMENT {
        return format!("user{org}/{stem}{tail}");
    }
    let short: String = stem.splitn(3, '-').take(2).collect::<Vec<_>>().join("-");
    let short = &short[..short.len().min(MAX_SEGMENT - tail.len())];
    format!("user{org}/{short}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_stay_within_the_segment_limit() {
        let long = format!("user1/base-6806{}", "-merge-12345".repeat(12));
        let n = derived_name(&long, 7, "lora", 999_999);
        let seg = n.rsplit('/').next().unwrap_or("");
        assert!(seg.len() <= MAX_SEGMENT, "{n}");
        assert_eq!(n, "user7/base-6806-lora-999999");
        assert_eq!(
            derived_name("org1/base-5", 3, "ft", 12),
            "user3/base-5-ft-12"
        );
        assert!(umr_core::names::check_name(&n).is_ok());
    }

    #[test]
    fn deterministic_and_valid() {
        let a = generate(500, 7);
        let b = generate(500, 7);
        assert_eq!(a.len(), 500);
        assert!(a
            .iter()
            .zip(&b)
            .all(|(x, y)| x.value == y.value && x.path == y.path));
        let recs: Vec<umr_core::Record> = a
            .iter()
            .filter_map(|g| umr_core::Record::from_value(g.value.clone()).ok())
            .collect();
        assert_eq!(recs.len(), 500);
        let reg = umr_core::Registry::from_records(recs);
        assert!(reg.is_ok());
        if let Ok(reg) = reg {
            let all = reg.effective_all();
            assert!(all.iter().all(|(_, r)| r.is_ok()));
        }
    }
}
