//! Shared helpers of the UMR fuzz targets: the checks run on every parsed document, a small
//! structured generator that turns fuzz bytes into a registry of records, and the
//! operations run over such a registry.
//!
//! Every target checks that the library never panics, never hangs and never allocates
//! without bound on the input; a few cheap invariants are asserted as well (a record that
//! loads re-loads to the same value from its canonical YAML and JSON; a lock of a registry
//! shows no drift against that registry; rendered output never contains a live injection
//! marker).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use libfuzzer_sys::arbitrary::{Result as AResult, Unstructured};
use serde_json::{json, Map, Value};
use umr_core::{check_text, Checked, Limits, LoadOptions, Record, Registry, Severity, Syntax};

// ---------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------

/// Small limits, so that fuzz inputs of a few kilobytes reach every limit check.
pub fn tight_limits() -> Limits {
    Limits {
        max_file_bytes: 2048,
        max_depth: 6,
        max_nodes: 96,
        max_string_bytes: 48,
        max_expanded_bytes: 160,
        max_records: 8,
    }
}

/// The alias dimensions: a document accepted under `limits` expands (its canonical YAML,
/// aliases written out) within the same depth and node limits, and within the expanded-bytes
/// limit up to what canonical forms add (`~` written `null`, `1e3` written `1000.0`).
pub fn check_expansion(rec: &Record, limits: &Limits) {
    let wide = Limits {
        max_file_bytes: usize::MAX / 2,
        max_string_bytes: usize::MAX / 2,
        max_expanded_bytes: limits.max_expanded_bytes.saturating_mul(4).saturating_add(64),
        ..*limits
    };
    let y = rec.to_yaml();
    let c = check_text(&y, Syntax::Yaml, &LoadOptions { file: None, limits: wide });
    for d in &c.diagnostics {
        assert!(
            !matches!(
                d.code.as_str(),
                "E_LIMIT_DEPTH" | "E_LIMIT_NODES" | "E_LIMIT_BYTES"
            ),
            "accepted under {limits:?}, but its expansion breaks a limit: {d:?}\n{y}"
        );
    }
}

/// Check the invariants of a [`Checked`] result: a record iff no error; located
/// diagnostics have 1-based positions; codes are `E_…`/`W_…`.
pub fn check_checked(text: &str, c: &Checked) {
    let errors = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert_eq!(
        c.record.is_some(),
        errors == 0,
        "a record is returned exactly when there is no error: {:?}",
        c.diagnostics
    );
    // YAML counts `\n`, `\r\n` and a lone `\r` as line breaks: bound by all of them
    let lines = text.matches('\n').count() + text.matches('\r').count() + 2;
    for d in &c.diagnostics {
        assert!(
            d.code.starts_with("E_") || d.code.starts_with("W_"),
            "diagnostic code {:?}",
            d.code
        );
        if let Some(l) = d.line {
            assert!(l >= 1 && l <= lines, "line {l} outside the document: {d:?}");
            assert!(d.column.is_some_and(|c| c >= 1), "column of {d:?}");
        }
        let _ = d.to_string();
    }
    if c.record.is_none() {
        let e = umr_core::UmrError::Invalid(c.diagnostics.clone());
        let _ = e.to_data();
        let _ = e.to_string();
    }
}

/// Everything a caller may do with a loaded record, plus the round-trip invariant: the
/// canonical YAML and JSON of a record load back to the same value.
pub fn exercise_record(rec: &Record) {
    let _ = rec.data();
    let _ = rec.relations();
    let _ = rec.registry_path();
    let y = rec.to_yaml();
    let j = rec.to_json();
    let opts = LoadOptions::default();
    let back = check_text(&y, Syntax::Yaml, &opts);
    match &back.record {
        Some(r) => assert!(
            same_value(r.value(), rec.value()),
            "YAML round trip changed the value:\n{y}"
        ),
        None => panic!("canonical YAML does not load: {:?}\n{y}", back.diagnostics),
    }
    let back = check_text(&j, Syntax::Json, &opts);
    match &back.record {
        Some(r) => assert!(
            same_value(r.value(), rec.value()),
            "JSON round trip changed the value:\n{j}"
        ),
        None => panic!("canonical JSON does not load: {:?}\n{j}", back.diagnostics),
    }
    let again = Record::from_value(rec.value().clone());
    assert!(
        again.is_ok(),
        "from_value refuses a loaded record: {again:?}"
    );
}

/// Value equality, except that two floating-point numbers within two units in the last
/// place are equal: serde_json (without its `float_roundtrip` feature) may read a decimal
/// one unit off the closest double. That is reported separately (see docs/security.md) and
/// must not stop the search for other bugs.
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            match (x.as_f64(), y.as_f64()) {
                (Some(p), Some(q)) => {
                    p == q || (p - q).abs() <= 4.0 * f64::EPSILON * p.abs().max(q.abs())
                }
                _ => x == y,
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k, p), (l, q))| k == l && same_value(p, q))
        }
        _ => a == b,
    }
}

/// Decode bytes as the file loader does, then check the text as `syntax` with the default
/// and with tight limits.
pub fn check_bytes(data: &[u8], syntax: Syntax, file: Option<&str>) {
    let text = match umr_core::yaml::decode(data) {
        Ok(t) => t,
        Err(d) => {
            assert_eq!(d.code, "E_UTF8");
            return;
        }
    };
    for limits in [Limits::default(), tight_limits()] {
        let opts = LoadOptions {
            file: file.map(str::to_string),
            limits,
        };
        let c = check_text(text, syntax, &opts);
        check_checked(text, &c);
        if let Some(rec) = &c.record {
            if limits == Limits::default() {
                exercise_record(rec);
            } else {
                check_expansion(rec, &limits);
            }
        }
    }
    // the located parser on its own (used for diagnostics and by the bindings)
    let _ = umr_core::yaml::parse(text, &tight_limits());
}

// ---------------------------------------------------------------------------------------
// Structured generator: fuzz bytes → records
// ---------------------------------------------------------------------------------------

/// The marker the render target injects; rendered output must never contain it live.
pub const HTML_MARKER: &str = "<umr-inj";
/// The LaTeX command the render target injects; LaTeX output must never contain it live.
pub const TEX_MARKER: &str = "\\umrinj";

/// True when `needle` occurs in `s` not preceded by an odd number of backslashes (that is,
/// not backslash-escaped in Markdown or LaTeX).
pub fn has_unescaped(s: &str, needle: &str) -> bool {
    s.match_indices(needle).any(|(i, _)| {
        let slashes = s[..i].bytes().rev().take_while(|b| *b == b'\\').count();
        slashes % 2 == 0
    })
}

/// Hostile text: markup and command injection in every output language.
pub const PAYLOADS: &[&str] = &[
    "<umr-inj>alert(1)</umr-inj>",
    "\"><umr-inj onerror=alert(1)>",
    "'><umr-inj x='",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><umr-inj/></svg>",
    "]]><umr-inj>",
    "<!-- <umr-inj> -->",
    "\\umrinj{x}",
    "\\input{/etc/passwd}",
    "\\immediate\\write18{id}",
    "\\catcode`\\@=11 \\umrinj",
    "$\\umrinj$ & # % _ ^ ~ { }",
    "[x](javascript:alert(1))",
    "![x](http://example.invalid/x.png)",
    "<http://example.invalid>",
    "`code` *em* __strong__",
    "| a | b |\n|---|---|",
    "# heading\n\n---\n",
    "```\nfenced\n```",
    "&amp; &lt; &#60;umr-inj",
    "\u{202e}gnp.exe\u{202c}",
    "\u{0}nul\u{7}bell\u{1b}[31m",
    "line\r\nbreak\rcr",
    "{{7*7}} ${jndi:ldap://x}",
    "%s%n%x",
    "\u{feff}bom",
    "é ü ß 漢字 🙂",
    "'single' \"double\" `back`",
    "--> \" ' < > &",
];

const NAMES: &[&str] = &["a", "b", "c", "org/d", "e", "e-1.0.0", "f.x_y", "org/e"];
const VERSIONS: &[&str] = &[
    "0.1.0",
    "1.0.0",
    "1.0.1",
    "1.1.0",
    "2.0.0",
    "1.0.0-rc.1",
    "10.0.0",
];
const REQS: &[&str] = &[
    "*",
    ">=1.0.0",
    "==1.0.0",
    "^1",
    "~1.1",
    "<2",
    ">=0.1, <1.1",
    "=2.0.0",
    "1.*",
    ">=1.0.0-rc.0",
    "==9.9.9",
    "0.1",
];
const KINDS: &[&str] = &["model", "family", "dataset"];
const RELATIONS: &[&str] = &[
    "finetune",
    "adapter",
    "merge",
    "quantized",
    "distillation",
    "member_of",
    "trained_on",
    "evaluated_on",
    "derived_from",
];
const SECTIONS: &[&str] = &[
    "intended_use",
    "out_of_scope_use",
    "factors",
    "training_data",
    "evaluation_data",
    "limitations",
    "ethical_considerations",
    "recommendations",
    "additional_information",
];
const RISK_IDS: &[&str] = &["csam", "pii", "nsfw", "license-conflict"];
const INDICATORS: &[&str] = &[
    "data_size",
    "data_sources",
    "model_architecture",
    "model_size",
    "compute_usage",
    "carbon_emissions",
    "no_such_indicator",
];
const URLS: &[&str] = &[
    "https://example.invalid/paper",
    "http://example.invalid/a?b=<umr-inj>&c=\"",
    "mailto:someone@example.invalid",
    "https://example.invalid/x\"onmouseover=\"alert(1)",
];
const LICENSES: &[&str] = &[
    "Apache-2.0",
    "MIT OR Apache-2.0",
    "LicenseRef-llama2",
    "apache-2.0",
    "CC-BY-4.0 AND MIT",
];
const DATES: &[&str] = &["2023-07-18", "2024-02", "2024", "2000-02-29"];

fn pick<'a, T: ?Sized>(u: &mut Unstructured<'_>, pool: &[&'a T]) -> AResult<&'a T> {
    Ok(*u.choose(pool)?)
}

/// A text: a hostile payload, fuzz-chosen characters, or both.
pub fn text(u: &mut Unstructured<'_>) -> AResult<String> {
    Ok(match u.int_in_range(0u8..=3)? {
        0 => pick(u, PAYLOADS)?.to_string(),
        1 => {
            let s: &str = u.arbitrary()?;
            s.chars().take(48).collect()
        }
        2 => format!("{} {}", pick(u, PAYLOADS)?, pick(u, PAYLOADS)?),
        _ => {
            let s: &str = u.arbitrary()?;
            let s: String = s.chars().take(24).collect();
            format!("{s}{}", pick(u, PAYLOADS)?)
        }
    })
}

fn text_or_list(u: &mut Unstructured<'_>) -> AResult<Value> {
    Ok(if u.ratio(1u8, 4)? {
        let n = u.int_in_range(0u8..=3)?;
        let mut v = Vec::new();
        for _ in 0..n {
            v.push(Value::String(text(u)?));
        }
        Value::Array(v)
    } else {
        Value::String(text(u)?)
    })
}

fn upstream_entry(u: &mut Unstructured<'_>) -> AResult<Value> {
    let name = pick(u, NAMES)?;
    Ok(match u.int_in_range(0u8..=4)? {
        0 => Value::String(name.to_string()),
        1 => Value::String(format!("{name}{}", pick(u, REQS)?)),
        2 => Value::String(format!("{name}@{}", pick(u, VERSIONS)?)),
        3 => Value::String(format!("{name}-{}", pick(u, VERSIONS)?)),
        _ => {
            let mut m = Map::new();
            m.insert("name".into(), json!(name));
            if u.arbitrary()? {
                m.insert("version".into(), json!(pick(u, REQS)?));
            }
            if u.arbitrary()? {
                m.insert("relation".into(), json!(pick(u, RELATIONS)?));
            }
            if u.ratio(1u8, 3)? {
                m.insert("inherit".into(), json!(u.arbitrary::<bool>()?));
            }
            if u.ratio(1u8, 4)? {
                m.insert("note".into(), json!(text(u)?));
            }
            Value::Object(m)
        }
    })
}

fn free_value(u: &mut Unstructured<'_>, depth: u8) -> AResult<Value> {
    Ok(match u.int_in_range(0u8..=6)? {
        0 => Value::Null,
        1 => json!(u.arbitrary::<bool>()?),
        2 => json!(u.arbitrary::<i64>()?),
        3 => json!(f64::from(u.arbitrary::<i32>()?) / 7.0),
        4 if depth < 4 => {
            let n = u.int_in_range(0u8..=3)?;
            let mut v = Vec::new();
            for _ in 0..n {
                v.push(free_value(u, depth + 1)?);
            }
            Value::Array(v)
        }
        5 if depth < 4 => {
            let n = u.int_in_range(0u8..=3)?;
            let mut m = Map::new();
            for _ in 0..n {
                m.insert(text(u)?, free_value(u, depth + 1)?);
            }
            Value::Object(m)
        }
        _ => Value::String(text(u)?),
    })
}

/// One record value (valid most of the time; sometimes not, which the caller filters).
pub fn record_value(u: &mut Unstructured<'_>) -> AResult<Value> {
    let mut m = Map::new();
    m.insert("format_version".into(), json!("1.0"));
    m.insert("kind".into(), json!(pick(u, KINDS)?));
    m.insert("name".into(), json!(pick(u, NAMES)?));
    m.insert("version".into(), json!(pick(u, VERSIONS)?));
    let maybe = |u: &mut Unstructured<'_>| u.ratio(1u8, 3);
    if maybe(u)? {
        m.insert("title".into(), json!(text(u)?));
    }
    if maybe(u)? {
        m.insert("description".into(), text_or_list(u)?);
    }
    if maybe(u)? {
        m.insert(
            "publisher".into(),
            if u.ratio(1u8, 5)? {
                Value::Null
            } else {
                json!(text(u)?)
            },
        );
    }
    if maybe(u)? {
        m.insert("release_date".into(), json!(pick(u, DATES)?));
    }
    if maybe(u)? {
        let l = if u.ratio(1u8, 3)? {
            json!({"name": text(u)?, "url": pick(u, URLS)?})
        } else {
            json!(pick(u, LICENSES)?)
        };
        m.insert("license".into(), l);
    }
    if maybe(u)? {
        let n = u.int_in_range(0u8..=2)?;
        let mut v = Vec::new();
        for _ in 0..n {
            v.push(json!(pick(u, URLS)?));
        }
        m.insert("references".into(), Value::Array(v));
    }
    if maybe(u)? {
        let n = u.int_in_range(0u8..=3)?;
        let mut v = Vec::new();
        for _ in 0..n {
            v.push(json!(text(u)?));
        }
        m.insert("tags".into(), Value::Array(v));
    }
    let n = u.int_in_range(0u8..=3)?;
    if n > 0 {
        let mut v = Vec::new();
        for _ in 0..n {
            v.push(upstream_entry(u)?);
        }
        m.insert("upstream".into(), Value::Array(v));
    }
    if maybe(u)? {
        let mut d = Map::new();
        if u.arbitrary()? {
            d.insert("parameters".into(), json!(u.arbitrary::<u32>()?));
        }
        if u.arbitrary()? {
            d.insert("architecture".into(), text_or_list(u)?);
        }
        if u.arbitrary()? {
            d.insert("model_type".into(), json!(text(u)?));
        }
        if u.arbitrary()? {
            d.insert(
                "modalities".into(),
                json!({"input": [text(u)?], "output": [text(u)?]}),
            );
        }
        if u.arbitrary()? {
            d.insert("co2_eq_emissions".into(), free_value(u, 0)?);
        }
        m.insert("details".into(), Value::Object(d));
    }
    if maybe(u)? {
        let mut c = Map::new();
        let n = u.int_in_range(0u8..=4)?;
        for _ in 0..n {
            let v = if u.ratio(1u8, 6)? {
                Value::Null
            } else {
                text_or_list(u)?
            };
            c.insert(pick(u, SECTIONS)?.to_string(), v);
        }
        m.insert("card".into(), Value::Object(c));
    }
    if maybe(u)? {
        let n = u.int_in_range(0u8..=2)?;
        let mut v = Vec::new();
        for _ in 0..n {
            let value = if u.arbitrary()? {
                json!(f64::from(u.arbitrary::<u16>()?) / 100.0)
            } else {
                json!(text(u)?)
            };
            v.push(json!({
                "task": text(u)?,
                "dataset": pick(u, NAMES)?,
                "metric": text(u)?,
                "value": value,
            }));
        }
        m.insert("evaluations".into(), Value::Array(v));
    }
    if u.ratio(1u8, 2)? {
        let n = u.int_in_range(0u8..=2)?;
        let mut v = Vec::new();
        for _ in 0..n {
            let mut r = Map::new();
            r.insert("id".into(), json!(pick(u, RISK_IDS)?));
            if u.arbitrary()? {
                r.insert("title".into(), json!(text(u)?));
            }
            if u.arbitrary()? {
                r.insert("description".into(), text_or_list(u)?);
            }
            if u.arbitrary()? {
                r.insert(
                    "severity".into(),
                    json!(pick(u, &["low", "medium", "high", "critical"])?),
                );
            }
            match u.int_in_range(0u8..=3)? {
                0 => {}
                1 => {
                    r.insert("status".into(), json!("suspected"));
                }
                2 => {
                    r.insert("status".into(), json!("confirmed"));
                }
                _ => {
                    r.insert("status".into(), json!("mitigated"));
                    r.insert("justification".into(), text_or_list(u)?);
                    if u.arbitrary()? {
                        r.insert("upstream".into(), json!(pick(u, NAMES)?));
                    }
                }
            }
            v.push(Value::Object(r));
        }
        m.insert("risks".into(), Value::Array(v));
    }
    if maybe(u)? {
        let mut a = Map::new();
        let n = u.int_in_range(0u8..=4)?;
        for _ in 0..n {
            let v = match u.int_in_range(0u8..=4)? {
                0 => json!(true),
                1 => json!(0),
                2 => json!("unknown"),
                3 => Value::Null,
                _ => json!({"value": 1, "evidence": pick(u, URLS)?, "note": text(u)?}),
            };
            a.insert(pick(u, INDICATORS)?.to_string(), v);
        }
        m.insert(
            "transparency".into(),
            json!({"edition": "fmti2023", "answers": a}),
        );
    }
    if maybe(u)? {
        m.insert(
            "extensions".into(),
            json!({ "x": free_value(u, 0)?, "hf": free_value(u, 2)? }),
        );
    }
    if u.ratio(1u8, 8)? {
        // an unknown key, kept as written
        m.insert(text(u)?, free_value(u, 2)?);
    }
    Ok(Value::Object(m))
}

/// Up to ten records; invalid ones are dropped, and so are duplicates of a name@version.
pub fn records(u: &mut Unstructured<'_>) -> Vec<Record> {
    let mut out: Vec<Record> = Vec::new();
    let n = u.int_in_range(1u8..=10).unwrap_or(1);
    for _ in 0..n {
        let Ok(v) = record_value(u) else { break };
        // half of them through the text parser, as a registry loads them
        let rec = if u.arbitrary().unwrap_or(false) {
            let y = umr_core::yaml::to_yaml(&v);
            Record::from_yaml_str(&y, &LoadOptions::default()).ok()
        } else {
            Record::from_value(v).ok()
        };
        if let Some(r) = rec {
            if !out.iter().any(|o| o.id() == r.id()) {
                out.push(r);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Registry operations
// ---------------------------------------------------------------------------------------

/// Every read operation of a registry, with the lock and diff invariants.
pub fn exercise_registry(reg: &Registry, u: &mut Unstructured<'_>) {
    for (_, res) in reg.effective_all() {
        if let Ok(e) = res {
            let _ = e.record.to_yaml();
            for k in e.provenance.keys().take(4) {
                let _ = e.provenance_of(k);
            }
            let _ = e.provenance_of("card");
            let _ = e.provenance_of("details.modalities.input[0]");
        }
    }
    reg.for_each_effective(|_, r| {
        if let Ok(e) = r {
            let _ = e.provenance();
        }
    });
    let _ = reg.topo_order();
    let _ = reg.exposures();
    for i in 0..reg.len() {
        let id = reg.record(i).id();
        let lin = umr_core::lineage::lineage(reg, i);
        let _ = lin.to_dot();
        let _ = lin.to_mermaid();
        let _ = lin.to_tree();
        let _ = reg.affected(&id, None);
        let _ = reg.affected(&id, Some("csam"));
        let _ = reg.risks(&id);
        let _ = reg.edge_errors(i);
        let _ = umr_core::score::score_index(reg, i, None);
    }
    // references as a user would type them
    for _ in 0..2 {
        let spec = match u.int_in_range(0u8..=2) {
            Ok(0) => format!(
                "{}{}",
                pick(u, NAMES).unwrap_or("a"),
                pick(u, REQS).unwrap_or("*")
            ),
            Ok(1) => text(u).unwrap_or_default(),
            _ => format!(
                "{}@{}",
                pick(u, NAMES).unwrap_or("a"),
                pick(u, VERSIONS).unwrap_or("1.0.0")
            ),
        };
        let _ = reg.find(&spec);
        let _ = reg.effective(&spec);
        let _ = reg.lineage(&spec);
    }
    // lock: round trip, no drift against itself, then resolution through it
    let lock = umr_core::Lock::of(reg);
    let text = lock.to_json();
    let back = umr_core::Lock::from_json(&text).expect("a lock reads back");
    assert_eq!(back, lock, "lock JSON round trip");
    let drift = umr_core::lock::drift(&lock, reg);
    assert!(drift.is_empty(), "a fresh lock drifts: {drift:?}");
    let mut recs: Vec<Record> = reg.records().cloned().collect();
    if !recs.is_empty() && u.arbitrary().unwrap_or(false) {
        let k = u.choose_index(recs.len()).unwrap_or(0);
        recs.remove(k);
    }
    if let Ok(locked) = Registry::from_records_locked(recs.clone(), lock.clone()) {
        let _ = locked.effective_all();
        let _ = umr_core::lock::drift(&lock, &locked);
    }
    if let Ok(smaller) = Registry::from_records(recs) {
        let _ = umr_core::lock::drift(&lock, &smaller);
    }
    // diff and bump rules between any two records of a name
    let all: Vec<&Record> = reg.records().collect();
    for a in &all {
        let own = umr_core::evolution::diff(a.value(), a.value());
        assert!(own.is_empty(), "a record differs from itself: {own:?}");
        for b in &all {
            if a.name() == b.name() && a.version() < b.version() {
                let ch = umr_core::evolution::diff(a.value(), b.value());
                let req = umr_core::evolution::required_bump(&ch);
                let _ = umr_core::evolution::deciding_change(&ch);
                let _ = umr_core::evolution::check_bump(a.version(), b.version(), &ch);
                let _ = umr_core::evolution::next_version(a.version(), req);
                let _ = umr_core::evolution::actual_bump(a.version(), b.version());
                if let (Ok(ea), Ok(eb)) = (reg.effective(&a.id()), reg.effective(&b.id())) {
                    let _ = umr_core::evolution::diff(ea.record.value(), eb.record.value());
                }
            }
        }
    }
}

/// Publishing checks of one more generated record (no file is written).
pub fn exercise_publish(reg: &Registry, draft: &Record) {
    let _ = umr_core::evolution::plan_publish(reg, draft);
    let _ = umr_core::evolution::propose_bump(reg, draft);
    let _ = umr_core::evolution::impact(reg, draft);
}
