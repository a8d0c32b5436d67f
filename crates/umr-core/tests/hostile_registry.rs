#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Hostile registries: symbolic links escaping the root (files, folders, dangling), dot
//! and temporary files, cycles (short and long), 10,000-parent fan-in, 10,000-child
//! fan-out, a lattice with exponentially many paths, a 100,000-deep chain of records, and
//! concurrent publishers of the same version. Nothing overflows the stack, nothing is
//! loaded from outside the root, and errors carry their documented codes.
//!
//! The deep-graph tests run in a child process with a memory cap and a watchdog (see
//! [`bounded`]), so that a regression to quadratic time or memory fails the test instead of
//! taking the machine down (docs/security.md, known weaknesses).

mod common;

use common::{bounded, TempDir};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;
use umr_core::{Limits, Record, Registry};

fn record_text(name: &str, version: &str, extra: &str) -> String {
    format!("format_version: '1.0'\nkind: model\nname: {name}\nversion: {version}\n{extra}")
}

/// Write a record at its registry path under `root`.
fn put(root: &Path, name: &str, version: &str, extra: &str) -> PathBuf {
    let last = name.rsplit('/').next().unwrap();
    let f = root.join(name).join(format!("{last}-{version}.yaml"));
    std::fs::create_dir_all(f.parent().unwrap()).unwrap();
    std::fs::write(&f, record_text(name, version, extra)).unwrap();
    f
}

fn rec(v: Value) -> Record {
    Record::from_value(v).unwrap()
}

fn model(name: &str) -> Value {
    json!({"format_version": "1.0", "kind": "model", "name": name, "version": "1.0.0"})
}

fn open(root: &Path) -> (Registry, umr_core::registry::LoadReport) {
    Registry::open(&[root.to_path_buf()], &Limits::default()).unwrap()
}

// ---------------------------------------------------------------------------------------
// Symbolic links, dot files, temporary files
// ---------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn symlinks_escaping_the_root_are_refused() {
    use std::os::unix::fs::symlink;
    let outside = TempDir::new("outside");
    let secret = put(
        outside.path(),
        "secret",
        "1.0.0",
        "title: outside the root\n",
    );
    let reg = TempDir::new("root");
    put(reg.path(), "ok", "1.0.0", "");
    // a record file that is a link to a file outside the root
    std::fs::create_dir_all(reg.path().join("evil")).unwrap();
    symlink(&secret, reg.path().join("evil").join("evil-1.0.0.yaml")).unwrap();
    // a folder that is a link to a folder outside the root
    symlink(outside.path().join("secret"), reg.path().join("secret")).unwrap();
    // a relative link climbing out
    std::fs::create_dir_all(reg.path().join("rel")).unwrap();
    symlink(
        Path::new("../..").join(outside.path().file_name().unwrap()),
        reg.path().join("rel").join("up"),
    )
    .unwrap();
    // a link to the file system root and a dangling link
    symlink("/", reg.path().join("slash")).unwrap();
    symlink(
        reg.path().join("nowhere.yaml"),
        reg.path().join("dangling.yaml"),
    )
    .unwrap();

    let (r, report) = open(reg.path());
    let names = r.names();
    assert_eq!(names, vec!["ok"], "only the record inside the root loads");
    let escapes: Vec<&umr_core::Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "E_SYMLINK_ESCAPE")
        .collect();
    assert_eq!(escapes.len(), 5, "{:?}", report.diagnostics);
    for d in escapes {
        assert!(d.is_error());
        assert!(d.file.is_some(), "the link is named: {d:?}");
    }
    // the CLI-facing loader gives the same answer
    let (records, _) =
        umr_core::registry::load_roots(&[reg.path().to_path_buf()], &Limits::default()).unwrap();
    assert_eq!(records.len(), 1);
}

/// A link whose target is inside the root is harmless: it is either followed (each record
/// loads once) or skipped with the warning `W_SYMLINK_SKIPPED`; never an error.
#[cfg(unix)]
#[test]
fn symlinks_inside_the_root_are_harmless() {
    use std::os::unix::fs::symlink;
    let reg = TempDir::new("inside");
    // the real file lives in a dot folder (never walked); the record path links to it
    let store = reg.path().join(".store");
    std::fs::create_dir_all(&store).unwrap();
    std::fs::write(store.join("x.yaml"), record_text("x", "1.0.0", "")).unwrap();
    std::fs::create_dir_all(reg.path().join("x")).unwrap();
    symlink(
        store.join("x.yaml"),
        reg.path().join("x").join("x-1.0.0.yaml"),
    )
    .unwrap();
    // a folder link to a folder of the root
    put(reg.path(), "y", "1.0.0", "");
    symlink(reg.path().join("y"), reg.path().join("y-alias")).unwrap();
    let (r, report) = open(reg.path());
    assert!(
        report.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        report.diagnostics
    );
    assert!(r.len() <= 2, "nothing loads twice: {:?}", r.names());
    assert!(r.names().contains(&"y"));
    for d in &report.diagnostics {
        assert!(
            ["W_SYMLINK_SKIPPED", "W_LAYOUT"].contains(&d.code.as_str()),
            "{d:?}"
        );
    }
}

#[test]
fn dot_files_and_temporary_files_are_not_records() {
    let reg = TempDir::new("dots");
    put(reg.path(), "a", "1.0.0", "");
    let dir = reg.path().join("a");
    // what fsutil::write_atomic / write_new_atomic leave behind if killed mid-write
    std::fs::write(
        dir.join(".a-2.0.0.yaml.4242.0.tmp"),
        "format_version: '1.0'\nkin",
    )
    .unwrap();
    std::fs::write(
        dir.join(".a-3.0.0.yaml.4242.1.tmp"),
        record_text("a", "3.0.0", ""),
    )
    .unwrap();
    std::fs::create_dir_all(reg.path().join(".git")).unwrap();
    std::fs::write(
        reg.path().join(".git").join("b-1.0.0.yaml"),
        record_text("b", "1.0.0", ""),
    )
    .unwrap();
    std::fs::write(
        reg.path().join(".hidden.yaml"),
        record_text("c", "1.0.0", ""),
    )
    .unwrap();
    let (r, report) = open(reg.path());
    assert_eq!(r.len(), 1, "{:?}", report.diagnostics);
    assert_eq!(r.record(0).id(), "a@1.0.0");
    assert_eq!(report.files, 1, "dot files are not even read");
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
}

#[test]
fn duplicate_records_in_one_root_are_refused() {
    let reg = TempDir::new("dup");
    put(reg.path(), "a", "1.0.0", "");
    std::fs::write(
        reg.path().join("a").join("copy.yaml"),
        record_text("a", "1.0.0", ""),
    )
    .unwrap();
    let e = Registry::open(&[reg.path().to_path_buf()], &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "E_DUPLICATE_RECORD");
    assert!(e.to_string().contains("copy.yaml"), "{e}");
}

/// A symbolic link inside the root that points back at the root (or at a parent folder)
/// must not make the loader walk the same files again: with one such link the registry
/// loads each record once, and with three it does not walk 3^40 paths (the watchdog of
/// [`bounded`] turns a hang into a failure).
#[cfg(unix)]
#[test]
fn symlink_loops_inside_the_root() {
    bounded("symlink_loops_inside_the_root", 120, 2048, || {
        use std::os::unix::fs::symlink;
        let reg = TempDir::new("loop");
        put(reg.path(), "a", "1.0.0", "");
        symlink(reg.path(), reg.path().join("loop1")).unwrap();
        let (r, _) = open(reg.path());
        assert_eq!(r.len(), 1, "one link back to the root: a@1.0.0 loads once");
        symlink(reg.path(), reg.path().join("loop2")).unwrap();
        symlink("..", reg.path().join("a").join("up")).unwrap();
        let (r, _) = open(reg.path());
        assert_eq!(
            r.len(),
            1,
            "three links back: still once, and no exponential walk"
        );
    });
}

// ---------------------------------------------------------------------------------------
// Cycles
// ---------------------------------------------------------------------------------------

fn chained(name: &str, parent: &str) -> Value {
    let mut v = model(name);
    v["upstream"] = json!([parent]);
    v
}

#[test]
fn short_and_long_cycles_are_errors_naming_the_path() {
    for n in [2usize, 3, 1000] {
        let mut recs = Vec::new();
        for i in 0..n {
            let mut v = chained(&format!("c{i}"), &format!("c{}", (i + 1) % n));
            v["risks"] = json!([{"id": format!("r{i}")}]);
            recs.push(rec(v));
        }
        // a record hanging off the cycle, and one outside it
        recs.push(rec(chained("tail", "c0")));
        recs.push(rec(model("free")));
        let reg = Registry::from_records(recs).unwrap();
        let e = reg.effective("c0").unwrap_err();
        assert_eq!(e.code(), "E_CYCLE");
        assert_eq!(e.kind(), "CycleError");
        let path = e.to_data().chain;
        assert_eq!(
            path.len(),
            n + 1,
            "the cycle, first element repeated: {path:?}"
        );
        assert_eq!(path.first(), path.last());
        assert_eq!(reg.effective("tail").unwrap_err().code(), "E_CYCLE");
        assert!(reg.topo_order().is_err());
        // every other operation answers, with the cycle error or a result
        let cyc = |r: Result<(), umr_core::UmrError>| {
            if let Err(e) = r {
                assert_eq!(e.code(), "E_CYCLE", "{e}");
            }
        };
        for spec in ["c0", "tail"] {
            cyc(reg.lineage(spec).map(|lin| {
                let _ = (lin.to_dot(), lin.to_mermaid(), lin.to_tree());
            }));
            cyc(reg.risks(spec).map(drop));
            cyc(reg.affected(spec, None).map(drop));
        }
        let free = reg.lineage("free").unwrap();
        assert!(free.ancestors.is_empty() && free.descendants.is_empty());
        assert!(reg.effective("free").is_ok());
        let all = reg.effective_all();
        assert_eq!(all.len(), n + 2);
        let mut seen = 0;
        reg.for_each_effective(|rec, r| {
            if rec.name() == "free" {
                assert!(r.is_ok());
            } else {
                assert_eq!(r.err().map(|e| e.code()), Some("E_CYCLE".to_string()));
            }
            seen += 1;
        });
        assert_eq!(seen, n + 2);
        let lock = umr_core::Lock::of(&reg);
        assert!(umr_core::lock::drift(&lock, &reg).is_empty());
    }
}

#[test]
fn self_reference_is_refused_at_validation() {
    for up in [json!(["me"]), json!(["me>=1.0.0"]), json!([{"name": "me"}])] {
        let mut v = model("me");
        v["upstream"] = up;
        let e = Record::from_value(v).unwrap_err();
        assert_eq!(e.code(), "E_SELF_UPSTREAM");
    }
}

// ---------------------------------------------------------------------------------------
// Fan-in, fan-out, many paths
// ---------------------------------------------------------------------------------------

const FAN: usize = 10_000;

#[test]
fn ten_thousand_parents() {
    let mut recs = Vec::with_capacity(FAN + 1);
    let mut ups = Vec::with_capacity(FAN);
    for i in 0..FAN {
        let mut v = model(&format!("p{i}"));
        v["tags"] = json!([format!("t{i}")]);
        v["card"] = json!({"limitations": format!("from p{i}")});
        v["risks"] = json!([{"id": format!("risk{i}")}]);
        recs.push(rec(v));
        ups.push(json!(format!("p{i}")));
    }
    let mut child = model("child");
    child["upstream"] = Value::Array(ups);
    recs.push(rec(child));
    let reg = Registry::from_records(recs).unwrap();
    let eff = reg.effective("child").unwrap();
    assert_eq!(
        eff.record.value()["tags"].as_array().map(Vec::len),
        Some(FAN),
        "set-union over every parent"
    );
    // replace policy: the first parent wins
    assert_eq!(eff.record.value()["card"]["limitations"], "from p0");
    assert_eq!(eff.provenance_of("card.limitations"), Some("p0@1.0.0"));
    assert_eq!(reg.risks("child").unwrap().len(), FAN);
    let lin = reg.lineage("child").unwrap();
    assert_eq!(lin.ancestors.len(), FAN);
    assert_eq!(lin.edges.len(), FAN);
    assert!(lin.to_dot().lines().count() > FAN);
    assert!(lin.to_mermaid().lines().count() > FAN);
    assert!(lin.to_tree().lines().count() > FAN);
    let aff = reg.affected("p9999", None).unwrap();
    assert_eq!(aff.len(), 1);
    assert_eq!(aff[0].chain, vec!["p9999@1.0.0", "child@1.0.0"]);
    assert_eq!(reg.effective_all().len(), FAN + 1);
    let lock = umr_core::Lock::of(&reg);
    assert_eq!(lock.records["child@1.0.0"].upstream.len(), FAN);
}

#[test]
fn ten_thousand_children() {
    let mut recs = Vec::with_capacity(FAN + 1);
    let mut base = model("base");
    base["risks"] = json!([{"id": "pii", "severity": "high"}]);
    base["publisher"] = json!("Base Org");
    recs.push(rec(base));
    for i in 0..FAN {
        recs.push(rec(chained(&format!("k{i}"), "base")));
    }
    let reg = Registry::from_records(recs).unwrap();
    let aff = reg.affected("base", Some("pii")).unwrap();
    assert_eq!(aff.len(), FAN);
    assert!(aff.iter().all(|a| a.chain.len() == 2 && a.risks.len() == 1));
    assert_eq!(reg.lineage("base").unwrap().descendants.len(), FAN);
    let mut n = 0;
    reg.for_each_effective(|r, e| {
        let e = e.unwrap();
        if r.name() != "base" {
            assert_eq!(e.fields()["publisher"], "Base Org");
        }
        n += 1;
    });
    assert_eq!(n, FAN + 1);
}

/// A lattice of 500 levels, two records a level, each naming both records of the level
/// above: 2^500 paths from the bottom to the top. Resolution, risks and lineage visit
/// each record once.
#[test]
fn exponentially_many_paths() {
    let levels = 500;
    let mut recs = Vec::new();
    for l in 0..levels {
        for side in ["a", "b"] {
            let mut v = model(&format!("{side}{l}"));
            if l == 0 {
                v["risks"] = json!([{"id": "root-risk"}]);
                v["tags"] = json!(["top"]);
            } else {
                v["upstream"] = json!([format!("a{}", l - 1), format!("b{}", l - 1)]);
            }
            recs.push(rec(v));
        }
    }
    let reg = Registry::from_records(recs).unwrap();
    let bottom = format!("a{}", levels - 1);
    let eff = reg.effective(&bottom).unwrap();
    assert_eq!(eff.record.value()["tags"], json!(["top"]));
    let risks = reg.risks(&bottom).unwrap();
    assert_eq!(risks.len(), 2, "one exposure per origin: {risks:?}");
    assert!(risks.iter().all(|r| r.chain.len() == levels));
    let lin = reg.lineage(&bottom).unwrap();
    assert_eq!(lin.ancestors.len(), 2 * (levels - 1));
    assert_eq!(reg.affected("a0", None).unwrap().len(), 2 * levels - 2);
    let _ = (lin.to_dot(), lin.to_mermaid(), lin.to_tree());
}

// ---------------------------------------------------------------------------------------
// A 100,000-deep chain
// ---------------------------------------------------------------------------------------

const DEPTH: usize = 100_000;

/// r0 ← r1 ← … ← r{n-1}; r0 has a publisher and a card section (inherited all the way
/// down), and a risk when `risk`.
fn chain(n: usize, risk: bool) -> Registry {
    Registry::from_records(chain_records(n, risk)).unwrap()
}

fn chain_records(n: usize, risk: bool) -> Vec<Record> {
    let mut recs = Vec::with_capacity(n);
    for i in 0..n {
        let mut v = model(&format!("r{i}"));
        if i == 0 {
            v["publisher"] = json!("Root Org");
            v["card"] = json!({"limitations": "inherited from the root"});
            if risk {
                v["risks"] = json!([{"id": "pii"}]);
            }
        } else {
            v["upstream"] = json!([format!("r{}", i - 1)]);
        }
        recs.push(rec(v));
    }
    recs
}

/// Depth of the chains of the tests of the formerly quadratic operations below: deep
/// enough that an O(depth²) memory use exceeds the memory cap of [`bounded`] and an
/// O(depth²) output its size bound, small enough for a debug build.
const DEEP: usize = 20_000;

/// How the time of `op` grows when the chain gets 4 times deeper: the best of two runs on
/// a fresh registry of `n` and of `4n` records (only `op` is timed; it may check its
/// answer). About 4 for a linear operation, 16 for a quadratic one; ratios, not absolute
/// times, are compared.
fn growth(n: usize, risk: bool, op: impl Fn(&Registry)) -> f64 {
    let time = |recs: &Vec<Record>| {
        (0..2)
            .map(|_| {
                let reg = Registry::from_records(recs.clone()).unwrap();
                let t = Instant::now();
                op(&reg);
                t.elapsed()
            })
            .min()
            .unwrap()
    };
    let small = time(&chain_records(n, risk));
    let big = time(&chain_records(4 * n, risk));
    big.as_secs_f64() / small.as_secs_f64().max(1e-9)
}

/// Below this ratio of [`growth`], an operation is taken as (near) linear.
const LINEAR: f64 = 9.0;

/// Resolution, streaming resolution, lineage, risks, lock and topological order of a
/// 100,000-deep chain: no recursion on the depth anywhere (tests run on 2 MiB threads).
#[test]
fn hundred_thousand_deep_chain() {
    let reg = chain(DEPTH, false);
    let tip = format!("r{}", DEPTH - 1);
    let eff = reg.effective(&tip).unwrap();
    assert_eq!(eff.record.value()["publisher"], "Root Org");
    assert_eq!(eff.provenance_of("publisher"), Some("r0@1.0.0"));
    assert_eq!(eff.provenance_of("card.limitations"), Some("r0@1.0.0"));
    let mut n = 0;
    reg.for_each_effective(|_, e| {
        assert!(e.is_ok());
        n += 1;
    });
    assert_eq!(n, DEPTH);
    let lin = reg.lineage(&tip).unwrap();
    assert_eq!(lin.ancestors.len(), DEPTH - 1);
    assert_eq!(lin.ancestors.last().map(|a| a.depth), Some(DEPTH - 1));
    assert!(reg.risks(&tip).unwrap().is_empty());
    assert!(reg.affected(&tip, None).unwrap().is_empty());
    assert_eq!(reg.topo_order().unwrap().len(), DEPTH);
    let lock = umr_core::Lock::of(&reg);
    assert!(umr_core::lock::drift(&lock, &reg).is_empty());
}

/// `effective_all` on a deep chain, in one topological pass over the memoised effective
/// records. (It used to run `ancestors_topo` per record, walking all ancestors and
/// filtering the whole topological order: O(n²), about 6 minutes for 100,000 records in a
/// release build.)
#[test]
fn deep_chain_effective_all() {
    bounded("deep_chain_effective_all", 300, 4096, || {
        let g = growth(DEEP / 4, false, |reg| {
            let n = reg.len();
            let all = reg.effective_all();
            assert_eq!(all.len(), n);
            assert!(all.iter().all(|(_, r)| r.is_ok()));
            let (id, tip) = &all[n - 1];
            assert_eq!(id, &format!("r{}@1.0.0", n - 1));
            let tip = tip.as_ref().unwrap();
            assert_eq!(tip.record.value()["publisher"], "Root Org");
            assert_eq!(tip.provenance_of("card.limitations"), Some("r0@1.0.0"));
        });
        assert!(g < LINEAR, "4 times deeper, {g:.1} times slower");
    });
}

/// The graph formats of a deep lineage are linear in its size: hashed de-duplication and
/// look-ups, and `to_tree` indents at most `TREE_MAX_INDENT` levels (deeper lines show
/// `[depth N]`), so its output is no longer O(depth²) bytes (15 GB for 100,000 levels).
#[test]
fn deep_chain_lineage_formats() {
    bounded("deep_chain_lineage_formats", 300, 4096, || {
        let g = growth(DEEP / 4, false, |reg| {
            let n = reg.len();
            let lin = reg.lineage(&format!("r{}", n - 1)).unwrap();
            assert_eq!(lin.nodes().len(), n);
            assert!(lin.to_dot().len() < 200 * n);
            assert!(lin.to_mermaid().len() < 200 * n);
            let tree = lin.to_tree();
            assert!(tree.len() < 200 * n);
            assert_eq!(
                tree.lines().count(),
                n + 1,
                "root, `upstream:`, one line each"
            );
            let cap = umr_core::lineage::TREE_MAX_INDENT;
            let indent = "   ".repeat(cap - 1);
            let last = tree.lines().last().unwrap();
            assert_eq!(
                last,
                format!(
                    "{indent}└─ [depth {}] r0@1.0.0 (model, derived_from)",
                    n - 1
                )
            );
            let at_cap = tree.lines().nth(1 + cap).unwrap();
            assert!(at_cap.starts_with(&format!("{indent}└─ r")), "{at_cap}");
        });
        assert!(g < LINEAR, "4 times deeper, {g:.1} times slower");
    });
}

/// Risks of a deep chain whose root has a risk: each record links to the record the risk
/// came through instead of storing the chain (which was O(n²) strings, about 11 GB for
/// 20,000 records; 100,000 could not fit under the memory cap of [`bounded`]). The full
/// chain is rebuilt for the record asked about.
#[test]
fn deep_chain_risks_from_the_root() {
    bounded("deep_chain_risks_from_the_root", 300, 4096, || {
        let reg = chain(DEEP, true);
        let r = reg.risks(&format!("r{}", DEEP - 1)).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].chain.len(), DEEP);
        assert!(r[0]
            .chain
            .iter()
            .enumerate()
            .all(|(i, id)| *id == format!("r{i}@1.0.0")));
        let mid = reg.exposures_of(DEEP / 2);
        assert_eq!(mid[0].chain.len(), DEEP / 2 + 1);
    });
}

/// `affected` of the root of a deep chain: breadth-first with links to the previous record,
/// chains rebuilt per answer and shortened past `MAX_CHAIN` records. (It kept one full
/// chain per descendant, twice: 11 GB and 68 s for 10,000 records.)
#[test]
fn deep_chain_affected() {
    bounded("deep_chain_affected", 300, 4096, || {
        use umr_core::risk::{CHAIN_HEAD, CHAIN_TAIL, MAX_CHAIN};
        let reg = chain(DEEP, true);
        let a = reg.affected("r0", None).unwrap();
        assert_eq!(a.len(), DEEP - 1);
        let id = |i: usize| format!("r{i}@1.0.0");
        // short chains in full
        for (k, x) in a.iter().take(MAX_CHAIN - 1).enumerate() {
            let full: Vec<String> = (0..k + 2).map(id).collect();
            assert_eq!(x.chain, full);
            assert_eq!(x.risks.len(), 1);
            assert_eq!(x.risks[0].chain, full);
        }
        // long ones shortened: head, `… N more …`, tail
        let last = a.last().unwrap();
        assert_eq!(last.name, format!("r{}", DEEP - 1));
        let mut expected: Vec<String> = (0..CHAIN_HEAD).map(id).collect();
        expected.push(format!("… {} more …", DEEP - CHAIN_HEAD - CHAIN_TAIL));
        expected.extend((DEEP - CHAIN_TAIL..DEEP).map(id));
        assert_eq!(last.chain, expected);
        assert_eq!(last.risks[0].chain, expected);
        assert!(a.iter().all(|x| x.chain.len() <= MAX_CHAIN));
        assert_eq!(
            a.iter().filter(|x| x.chain.len() == MAX_CHAIN).count(),
            DEEP - MAX_CHAIN + 1
        );
    });
}

/// Many records whose parents are missing (as when cards are imported without their base
/// models). The "did you mean" suggestion of a missing parent compares its name with every
/// name of the registry; while a registry is built, those comparisons are limited by
/// `registry::SUGGESTION_BUDGET`, so building stays linear (it was O(n²): 21 s for 10,000
/// records in a release build, more than 5 minutes in a debug build). Small registries
/// keep their suggestions.
#[test]
fn many_missing_parents() {
    bounded("many_missing_parents", 120, 4096, || {
        let n = 20_000;
        let recs: Vec<Record> = (0..n)
            .map(|i| rec(chained(&format!("m{i}"), &format!("ghost{i}"))))
            .collect();
        let reg = Registry::from_records(recs).unwrap();
        assert_eq!(reg.edge_errors(0)[0].code(), "E_MISSING_PARENT");
        assert_eq!(reg.edge_errors(n - 1)[0].code(), "E_MISSING_PARENT");
        let suggested = (0..n)
            .filter(|&i| reg.edge_errors(i)[0].to_string().contains("did you mean"))
            .count();
        assert!(suggested <= umr_core::registry::SUGGESTION_BUDGET / n);
        // a small registry keeps its suggestion
        let small = Registry::from_records(vec![
            rec(model("llama-base")),
            rec(chained("tuned", "llama-bsae")),
        ])
        .unwrap();
        let e = small.edge_errors(1)[0].to_string();
        assert!(e.contains("(did you mean `llama-base`?)"), "{e}");
    });
}

// ---------------------------------------------------------------------------------------
// Concurrent publishers (threads; processes are tested in umr-cli/tests/publish_hostile.rs)
// ---------------------------------------------------------------------------------------

#[test]
fn concurrent_publishers_of_one_version_one_wins() {
    let reg_dir = TempDir::new("pub");
    put(reg_dir.path(), "m", "1.0.0", "title: first\n");
    let (reg, _) = open(reg_dir.path());
    let reg = std::sync::Arc::new(reg);
    let threads = 16;
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let reg = reg.clone();
            let root = reg_dir.path().to_path_buf();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                // each writer has its own content, so a mixed file would show
                let r = Record::from_yaml_str(
                    &record_text(
                        "m",
                        "1.1.0",
                        &format!("title: writer {t}\ntags: [{}]\n", "w".repeat(t + 1)),
                    ),
                    &Default::default(),
                )
                .unwrap();
                barrier.wait();
                umr_core::evolution::publish(&reg, &root, &r).map(|_| t)
            })
        })
        .collect();
    let results: Vec<Result<usize, umr_core::UmrError>> =
        handles.into_iter().map(|h| h.join().unwrap()).collect();
    let winners: Vec<usize> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    assert_eq!(winners.len(), 1, "exactly one publisher wins: {results:?}");
    for r in &results {
        if let Err(e) = r {
            assert_eq!(e.code(), "E_EXISTS", "{e}");
        }
    }
    let target = reg_dir.path().join("m").join("m-1.1.0.yaml");
    let back = Record::load(&target, &Limits::default()).unwrap();
    assert_eq!(back.value()["title"], format!("writer {}", winners[0]));
    // no temporary file left behind
    let left: Vec<_> = std::fs::read_dir(reg_dir.path().join("m"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

/// Publishing writes `<root>/<name>/<name>-<version>.yaml`. When `<root>/<name>` is a
/// symbolic link to a folder outside the root (which the loader refuses with
/// E_SYMLINK_ESCAPE), publish must not write through it.
#[cfg(unix)]
#[test]
fn publish_does_not_write_through_an_escaping_link() {
    use std::os::unix::fs::symlink;
    let outside = TempDir::new("pub-out");
    let reg_dir = TempDir::new("pub-link");
    symlink(outside.path(), reg_dir.path().join("evil")).unwrap();
    let (reg, report) = open(reg_dir.path());
    assert!(report
        .diagnostics
        .iter()
        .any(|d| d.code == "E_SYMLINK_ESCAPE"));
    let r = Record::from_yaml_str(&record_text("evil", "1.0.0", ""), &Default::default()).unwrap();
    let res = umr_core::evolution::publish(&reg, reg_dir.path(), &r);
    let written: Vec<_> = std::fs::read_dir(outside.path()).unwrap().collect();
    assert!(
        written.is_empty(),
        "a file was written outside the root: {written:?}"
    );
    assert_eq!(
        res.map(|_| ()).unwrap_err().code(),
        "E_SYMLINK_ESCAPE",
        "publishing through the link is refused"
    );
    // saving the record into the registry folder is refused the same way
    let e = r.save(reg_dir.path()).unwrap_err();
    assert_eq!(e.code(), "E_SYMLINK_ESCAPE", "{e}");
    assert!(std::fs::read_dir(outside.path()).unwrap().next().is_none());
    // a namespaced name whose org folder is the link
    let r =
        Record::from_yaml_str(&record_text("evil/m", "1.0.0", ""), &Default::default()).unwrap();
    assert_eq!(
        r.save(reg_dir.path()).unwrap_err().code(),
        "E_SYMLINK_ESCAPE"
    );
    assert!(std::fs::read_dir(outside.path()).unwrap().next().is_none());
    // an ordinary record still publishes and saves
    let ok = Record::from_yaml_str(&record_text("fine", "1.0.0", ""), &Default::default()).unwrap();
    let (_, written) = umr_core::evolution::publish(&reg, reg_dir.path(), &ok).unwrap();
    assert!(written.ends_with("fine/fine-1.0.0.yaml"));
}
