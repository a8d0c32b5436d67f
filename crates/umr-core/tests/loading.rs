//! Loading a registry folder (`scan.rs`): the order records are read in, folder shapes
//! that change how the work is split over the cores, deep folders, limits, and the
//! parallel resolution of upstream requirements.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TempDir;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use umr_core::{Limits, Record, Registry};

/// Write a record at its registry path under `root`; returns the file.
fn put(root: &Path, name: &str, upstream: &[&str]) -> PathBuf {
    let last = name.rsplit('/').next().unwrap();
    let f = root.join(name).join(format!("{last}-1.0.0.yaml"));
    std::fs::create_dir_all(f.parent().unwrap()).unwrap();
    let mut text = format!("format_version: '1.0'\nkind: model\nname: {name}\nversion: 1.0.0\n");
    if !upstream.is_empty() {
        text.push_str("upstream:\n");
        for u in upstream {
            text.push_str(&format!("  - {u}\n"));
        }
    }
    std::fs::write(&f, text).unwrap();
    f
}

fn load(root: &Path, limits: &Limits) -> (Vec<Record>, umr_core::registry::LoadReport) {
    umr_core::registry::load_roots(&[root.to_path_buf()], limits).unwrap()
}

/// Records come in the order of their paths compared folder by folder (`a/…` before
/// `a-b/…`, although `-` sorts before `/` byte by byte), however the root's entries are
/// split between the workers.
#[test]
fn records_load_in_path_order() {
    // names whose folder order differs from the byte order of their whole paths
    let tricky = ["a", "a-b", "a.b", "a0", "ab", "b", "b/a", "b-a", "b/a-b"];
    // few entries at the top (one namespace: its folders become the units of work) and
    // many entries at the top (each is a unit)
    for spread in [false, true] {
        let dir = TempDir::new("order");
        let mut files = Vec::new();
        for n in tricky {
            files.push(put(dir.path(), n, &[]));
        }
        for i in 0..150 {
            let name = if spread {
                format!("ns{}/m{i}", i % 40)
            } else {
                format!("one/m{i}")
            };
            files.push(put(dir.path(), &name, &[]));
        }
        files.sort(); // `Path` ordering: component by component
        let (records, report) = load(dir.path(), &Limits::default());
        assert_eq!(report.files, files.len());
        assert_eq!(records.len(), files.len(), "{:?}", report.diagnostics);
        let got: Vec<PathBuf> = records
            .iter()
            .map(|r| PathBuf::from(r.file().unwrap()))
            .collect();
        assert_eq!(got, files, "spread: {spread}");
        // `a/a-1.0.0.yaml` before `a-b/a-b-1.0.0.yaml`
        let pos = |n: &str| records.iter().position(|r| r.name() == n).unwrap();
        assert!(pos("a") < pos("a-b") && pos("a-b") < pos("a.b"));
        // the folder `b` holds `b/a/`, `b/a-b/` and `b-1.0.0.yaml`, in that order
        assert!(pos("b/a") < pos("b/a-b") && pos("b/a-b") < pos("b") && pos("b") < pos("b-a"));
    }
}

/// A record far below the root (deeper than the levels kept open per worker) is found and
/// named by its whole path.
#[test]
fn records_in_deep_folders_load() {
    let dir = TempDir::new("deep");
    let mut d = dir.path().to_path_buf();
    for i in 0..48 {
        d = d.join(format!("l{i}"));
    }
    std::fs::create_dir_all(&d).unwrap();
    let f = d.join("deep-1.0.0.yaml");
    std::fs::write(
        &f,
        "format_version: '1.0'\nkind: model\nname: deep\nversion: 1.0.0\n",
    )
    .unwrap();
    put(dir.path(), "top", &["deep"]);
    let (reg, report) = Registry::open(&[dir.path().to_path_buf()], &Limits::default()).unwrap();
    assert_eq!(reg.len(), 2);
    assert_eq!(
        reg.find("deep").unwrap().file(),
        Some(&*f.to_string_lossy())
    );
    // not at its layout path: a warning, not an error
    assert!(report.diagnostics.iter().any(|d| d.code == "W_LAYOUT"));
    assert!(reg.effective("top").is_ok());
}

/// The size limit holds for files read by the loader; the file is named.
#[test]
fn the_loader_refuses_files_over_the_size_limit() {
    let dir = TempDir::new("size");
    let small = put(dir.path(), "small", &[]);
    let big = dir.path().join("big/big-1.0.0.yaml");
    std::fs::create_dir_all(big.parent().unwrap()).unwrap();
    let mut text = "format_version: '1.0'\nkind: model\nname: big\nversion: 1.0.0\n".to_string();
    text.push_str(&format!("description: {}\n", "x".repeat(4000)));
    std::fs::write(&big, &text).unwrap();
    let limits = Limits {
        max_file_bytes: 1000,
        ..Limits::default()
    };
    let (records, report) = load(dir.path(), &limits);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].file(), Some(&*small.to_string_lossy()));
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code == "E_LIMIT_SIZE")
        .expect("a size diagnostic");
    assert_eq!(d.file.as_deref(), Some(&*big.to_string_lossy()));
    assert!(
        d.message.contains(&format!("{} bytes", text.len())),
        "{}",
        d.message
    );
}

/// A named pipe with a record's name is not a record, and loading does not wait on it.
#[cfg(unix)]
#[test]
fn named_pipes_are_skipped() {
    let dir = TempDir::new("fifo");
    put(dir.path(), "real", &[]);
    std::fs::create_dir_all(dir.path().join("pipe")).unwrap();
    let fifo = dir.path().join("pipe/pipe-1.0.0.yaml");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let (records, report) = load(dir.path(), &Limits::default());
    assert_eq!(records.len(), 1);
    assert_eq!(report.files, 1);
}

/// A folder that is not there is an error naming it.
#[test]
fn a_missing_root_is_an_error() {
    let dir = TempDir::new("missing");
    let gone = dir.path().join("nope");
    let e = umr_core::registry::load_roots(std::slice::from_ref(&gone), &Limits::default())
        .unwrap_err();
    assert!(e.to_string().contains("nope"), "{e}");
}

fn model(name: &str, upstream: &[&str]) -> Record {
    let mut v = json!({"format_version": "1.0", "kind": "model", "name": name, "version": "1.0.0",
        "description": format!("{name} description")});
    if !upstream.is_empty() {
        v["upstream"] = Value::from(upstream.to_vec());
    }
    Record::from_value(v).unwrap()
}

/// Large registries resolve their requirements, and `effective_all` its records, on several
/// threads; what a requirement resolves to, the errors with their suggestions and the
/// effective records are those of one thread.
#[test]
fn parallel_resolution_of_requirements_is_exact() {
    let n = 6000; // above the size at which the work is split
    let mut recs = vec![model("llama-base", &[])];
    for i in 1..n {
        // a fan-out, chains, merges of two parents, and one misspelt parent
        let parent = |k: usize| {
            if k == 0 {
                "llama-base".to_string()
            } else {
                format!("m{k}")
            }
        };
        let (p1, p2) = (parent(i / 3), parent(i / 7));
        let name = format!("m{i}");
        let ups: Vec<&str> = match i % 5 {
            0 => vec!["llama-base"],
            1 | 2 => vec![p1.as_str()],
            _ => vec![p1.as_str(), p2.as_str()],
        };
        let ups: Vec<&str> = ups.into_iter().filter(|u| *u != name).collect();
        recs.push(model(&name, &ups));
    }
    recs.push(model("typo", &["llama-bsae"]));
    let reg = Registry::from_records(recs.clone()).unwrap();
    let index: HashMap<String, usize> = (0..reg.len())
        .map(|i| (reg.record(i).name().to_string(), i))
        .collect();
    for i in 0..reg.len() {
        let rec = reg.record(i);
        let want: Vec<usize> = rec
            .relations()
            .iter()
            .filter_map(|r| index.get(&r.name).copied())
            .collect();
        let got: Vec<usize> = reg.edges(i).iter().map(|e| e.target).collect();
        assert_eq!(got, want, "{}", rec.id());
    }
    let typo = index["typo"];
    let e = reg.edge_errors(typo)[0].to_string();
    assert!(e.contains("did you mean `llama-base`"), "{e}");
    // every record resolves, each after all of its parents, once
    let mut seen = vec![false; reg.len()];
    let mut count = 0;
    reg.for_each_effective(|rec, r| {
        let i = index[rec.name()];
        for e in reg.edges(i) {
            assert!(seen[e.target], "{} before its parent", rec.id());
        }
        assert!(!seen[i]);
        seen[i] = true;
        count += 1;
        if rec.name() != "typo" {
            let r = r.unwrap();
            let memo = reg.effective(&rec.id()).unwrap();
            assert_eq!(&Value::Object(r.fields().clone()), memo.record.value());
        }
    });
    assert_eq!(count, reg.len());
    // the same registry built twice gives the same errors and orders
    let again = Registry::from_records(recs).unwrap();
    // effective_all merges a level's records (here over a thousand) on several threads:
    // the same results as one record at a time, in the topological order
    let all = again.effective_all();
    assert_eq!(all.len(), reg.len());
    let order: Vec<String> = reg.topo_order().unwrap().iter().map(|x| x.id()).collect();
    for ((id, r), want_id) in all.iter().zip(&order) {
        assert_eq!(id, want_id);
        match (r, reg.effective(id)) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.record.value(), b.record.value(), "{id}");
                assert_eq!(a.provenance, b.provenance, "{id}");
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            _ => panic!("{id}: one of effective_all and effective failed"),
        }
    }
    assert_eq!(
        again.edge_errors(typo)[0].to_string(),
        reg.edge_errors(typo)[0].to_string()
    );
    let ids =
        |r: &Registry| -> Vec<String> { r.topo_order().unwrap().iter().map(|x| x.id()).collect() };
    assert_eq!(ids(&again), ids(&reg));
    // the ordered topological order is by name among ready records
    assert_eq!(ids(&reg)[0], "llama-base@1.0.0");
}

/// A registry read from a folder keeps its records packed: building it and streaming every
/// effective record leave them packed, and each record, its relations, edges, effective
/// record and provenance are those of the same records kept as trees.
#[test]
fn packed_records_resolve_as_trees_do() {
    let dir = TempDir::new("packed");
    put(dir.path(), "org/base", &[]);
    put(dir.path(), "org/base-ft", &["org/base"]);
    put(dir.path(), "users/merge", &["org/base-ft", "org/base"]);
    put(dir.path(), "users/alone", &[]);
    // a record with every kind of value, keys that need escaping and a nested `upstream`
    let rich = dir.path().join("rich/rich-1.0.0.json");
    std::fs::create_dir_all(rich.parent().unwrap()).unwrap();
    std::fs::write(
        &rich,
        r#"{"format_version":"1.0","kind":"model","name":"rich","version":"1.0.0",
            "extensions":{"x-\"q\"\u00e9":{"upstream":[1,-2,3.5e-7,1e300,null,true]},"b":"\ud83d\ude00"},
            "upstream":[{"name":"users/merge","relation":"finetune"},"org/base@1.0.0"],
            "tags":["z","a"],"description":"line\nbreak \\ \"quoted\""}"#,
    )
    .unwrap();
    let (records, report) = load(dir.path(), &Limits::default());
    assert_eq!(records.len(), 5, "{:?}", report.diagnostics);
    assert!(records.iter().all(Record::is_packed));
    // the same records as trees (read back from their values)
    let trees: Vec<Record> = records
        .iter()
        .map(|r| {
            let t = r.clone();
            let v = t.value().clone();
            assert!(!t.is_packed());
            assert_eq!(t, Record::from_value(v).unwrap());
            t
        })
        .collect();
    assert!(
        records.iter().all(Record::is_packed),
        "a clone unpacked the original"
    );
    for (p, t) in records.iter().zip(&trees) {
        assert_eq!(p.relations(), t.relations(), "{}", p.id());
    }
    let packed = Registry::from_records(records).unwrap();
    let plain = Registry::from_records(trees).unwrap();
    let mut streamed = Vec::new();
    packed.for_each_effective(|rec, r| {
        streamed.push((rec.id(), Value::Object(r.unwrap().fields().clone())));
    });
    // neither building nor streaming unpacked a record for good
    assert!(packed.records().all(Record::is_packed));
    let mut plain_streamed = Vec::new();
    plain.for_each_effective(|rec, r| {
        plain_streamed.push((rec.id(), Value::Object(r.unwrap().fields().clone())));
    });
    assert_eq!(streamed, plain_streamed);
    for i in 0..packed.len() {
        assert_eq!(packed.edges(i), plain.edges(i));
        let id = packed.record(i).id();
        let (a, b) = (
            packed.effective(&id).unwrap(),
            plain.effective(&id).unwrap(),
        );
        assert_eq!(a.record.value(), b.record.value(), "{id}");
        assert_eq!(a.provenance, b.provenance, "{id}");
        assert_eq!(packed.record(i).value(), plain.record(i).value());
        assert!(!packed.record(i).is_packed(), "value() keeps the tree");
    }
    let rich = packed.find("rich").unwrap();
    assert_eq!(rich.value()["extensions"]["b"], json!("\u{1F600}"));
    assert_eq!(
        rich.value()["extensions"]["x-\"q\"é"]["upstream"],
        json!([1, -2, 3.5e-7, 1e300, null, true])
    );
    assert_eq!(rich.relations().len(), 2);
}
