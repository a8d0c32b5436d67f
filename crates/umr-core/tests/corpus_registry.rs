//! Registries of records in the prototype's dialect: every record resolves, inheritance
//! gives provenance, relation kinds are inferred, and risk flags propagate (the paper's case
//! study).
//!
//! Fixture tier (always runs): `tests/fixtures/legacy-registry`, the project's own registry
//! in the dialect (see its README.md). Corpus tier: the prototype's 88 records
//! (`$UMR_CORPUS/modelrecords-poc`, default `../shared/corpus/…`), when present; else each
//! corpus test prints `skipped: …` and passes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use umr_core::lock::{drift, Lock};
use umr_core::model::CARD_SECTIONS;
use umr_core::{Limits, Registry, RelationKind};

fn corpus() -> Option<PathBuf> {
    common::corpus("modelrecords-poc")
}

#[test]
fn every_corpus_record_resolves() {
    let Some(root) = corpus() else { return };
    let (reg, report) = Registry::open(&[root], &Limits::default()).unwrap();
    assert_eq!(report.records, 88);
    assert!(
        report.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        report.diagnostics
    );
    let all = reg.effective_all();
    assert_eq!(all.len(), 88);
    for (id, res) in &all {
        assert!(res.is_ok(), "{id}: {:?}", res.as_ref().err());
    }
    assert_eq!(reg.topo_order().unwrap().len(), 88);
}

#[test]
fn llama2_7b_inherits_the_family_card_with_provenance() {
    let Some(root) = corpus() else { return };
    let (reg, _) = Registry::open(&[root], &Limits::default()).unwrap();
    let e = reg.effective("llama2-7b").unwrap();
    let card = e.record.data().card.clone().unwrap();
    assert!(card.intended_use.is_some() && card.ethical_considerations.is_some());
    for s in [
        "intended_use",
        "factors",
        "training_data",
        "evaluation_data",
        "recommendations",
        "ethical_considerations",
        "additional_information",
    ] {
        assert_eq!(
            e.provenance_of(&format!("card.{s}")),
            Some("llama2@1.0.0"),
            "card.{s}"
        );
    }
    // own fields stay own
    assert_eq!(e.provenance_of("description"), Some("llama2-7b@1.0.0"));
    assert_eq!(e.record.value()["description"], "This is the 7B variant.");
}

#[test]
fn laion_5b_affects_plip_and_rrt_mil() {
    let Some(root) = corpus() else { return };
    let (reg, _) = Registry::open(&[root], &Limits::default()).unwrap();
    let aff = reg.affected("laion-5b", None).unwrap();
    let plip = aff
        .iter()
        .find(|a| a.name == "plip")
        .expect("plip is affected");
    assert_eq!(plip.chain, vec!["laion-5b@1.0.0", "plip@1.0.0"]);
    let rrt = aff
        .iter()
        .find(|a| a.name == "rrt-mil")
        .expect("rrt-mil is affected");
    assert_eq!(
        rrt.chain,
        vec!["laion-5b@1.0.0", "plip@1.0.0", "rrt-mil@1.0.0"]
    );
    let ids: Vec<&str> = rrt.risks.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, vec!["nsfw", "csam", "violence"]);
    let csam = reg.affected("laion-5b", Some("csam")).unwrap();
    assert_eq!(csam.len(), aff.len());
    // the dataset's fields do not leak into the model (trained-on does not inherit)
    let e = reg.effective("plip").unwrap();
    assert!(e.provenance.values().all(|v| !v.starts_with("laion-5b@")));
}

// ---------------------------------------------------------------------------------------
// fixture tier: tests/fixtures/legacy-registry
// ---------------------------------------------------------------------------------------

fn fixture() -> Registry {
    let (reg, report) = Registry::open(&[common::legacy_fixture()], &Limits::default()).unwrap();
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    reg
}

/// The raw prototype document of `name@version` in the fixture.
fn raw(name: &str, version: &str) -> Value {
    common::raw_document(
        &common::legacy_fixture()
            .join(name)
            .join(format!("{name}-{version}.yaml")),
    )
}

#[test]
fn every_fixture_record_resolves_in_dependency_order() {
    let root = common::legacy_fixture();
    let files = common::record_files(&root).len();
    let (reg, report) = Registry::open(&[root], &Limits::default()).unwrap();
    assert_eq!((report.files, report.records), (files, files));
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert_eq!(reg.len(), files);
    let all = reg.effective_all();
    assert_eq!(all.len(), files);
    for (id, res) in &all {
        let e = res.as_ref().unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(&e.record.id(), id);
    }
    // every upstream string resolved to an edge, none failed
    for i in 0..reg.len() {
        let r = reg.record(i);
        let written = r
            .value()
            .get("upstream")
            .map_or(0, |u| u.as_array().unwrap().len());
        assert_eq!(reg.edges(i).len(), written, "{}", r.id());
        assert!(
            reg.edge_errors(i).is_empty(),
            "{}: {:?}",
            r.id(),
            reg.edge_errors(i)
        );
    }
    // the topological order puts every upstream record before the records built on it
    let order: Vec<String> = reg.topo_order().unwrap().iter().map(|r| r.id()).collect();
    assert_eq!(order.len(), files);
    let pos = |id: &str| order.iter().position(|x| x == id).unwrap();
    for i in 0..reg.len() {
        for e in reg.edges(i) {
            assert!(
                pos(&reg.parent_id(e)) < pos(&reg.record(i).id()),
                "{} before {}",
                reg.parent_id(e),
                reg.record(i).id()
            );
        }
    }
    // several versions: the highest by default, an exact pin when written `==`
    assert_eq!(reg.find("histo-mil").unwrap().id(), "histo-mil@1.1.0");
    assert_eq!(reg.find("sandbox").unwrap().id(), "sandbox@1.2.0");
    assert_eq!(reg.versions("sandbox").len(), 2);
    let tiny = reg.find_index("histo-mil-tiny").unwrap();
    let pinned: Vec<String> = reg.edges(tiny).iter().map(|e| reg.parent_id(e)).collect();
    assert_eq!(pinned, ["histo-mil@1.0.0"]);
    assert_eq!(
        reg.requirement_of(tiny, &reg.edges(tiny)[0]),
        "histo-mil==1.0.0"
    );
}

#[test]
fn fixture_relation_kinds_are_inferred_from_the_kinds_of_both_records() {
    let reg = fixture();
    let mut seen: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for i in 0..reg.len() {
        let child = reg.record(i);
        for e in reg.edges(i) {
            let parent = reg.record(e.target);
            // the dialect has no relation kinds: each is inferred (docs/spec.md, 3.8 and 8)
            assert!(e.inferred, "{} → {}", child.id(), parent.id());
            assert_eq!(e.relation, RelationKind::infer(child.kind(), parent.kind()));
            assert_eq!(e.inherit, e.relation.inherits_by_default());
            seen.entry((
                child.kind().as_str().to_string(),
                parent.kind().as_str().to_string(),
            ))
            .or_default()
            .insert(e.relation.as_str().to_string());
        }
    }
    let pairs: Vec<(&str, &str, &str)> = seen
        .iter()
        .flat_map(|((c, p), rels)| {
            rels.iter()
                .map(move |r| (c.as_str(), p.as_str(), r.as_str()))
        })
        .collect();
    // every relation kind the dialect can express, between every pair of kinds it has
    assert_eq!(
        pairs,
        [
            ("dataset", "dataset", "derived_from"),
            ("dataset", "family", "member_of"),
            ("family", "dataset", "derived_from"),
            ("model", "dataset", "trained_on"),
            ("model", "family", "member_of"),
            ("model", "model", "derived_from"),
        ]
    );
}

#[test]
fn fixture_family_card_is_inherited_with_provenance() {
    let reg = fixture();
    let family = raw("corvid", "1.0.0");
    let sections: Vec<&str> = CARD_SECTIONS
        .iter()
        .copied()
        .filter(|s| family["mr"]["upstream"].get(*s).is_some())
        .collect();
    assert_eq!(sections.len(), 7, "the family card has seven sections");
    for (member, own) in [
        ("corvid-3b", &[][..]),
        ("corvid-9b", &[][..]),
        // a fine-tune of a member: its own section wins, the rest comes from the family
        ("corvid-9b-chat", &["intended_use"][..]),
    ] {
        let e = reg.effective(member).unwrap();
        let card = &e.record.value()["card"];
        for s in &sections {
            let field = format!("card.{s}");
            if own.contains(s) {
                assert_eq!(
                    e.provenance_of(&field),
                    Some(format!("{member}@1.0.0").as_str())
                );
                assert_ne!(card[*s], family["mr"]["upstream"][*s]);
            } else {
                assert_eq!(
                    e.provenance_of(&field),
                    Some("corvid@1.0.0"),
                    "{member}: {field}"
                );
                assert_eq!(card[*s], family["mr"]["upstream"][*s], "{member}: {field}");
            }
        }
        // own fields stay own
        let written = &raw(member, "1.0.0")["mr"]["metadata"]["description"];
        assert_eq!(&e.record.value()["description"], written);
        assert_eq!(
            e.provenance_of("description"),
            Some(format!("{member}@1.0.0").as_str())
        );
        // the record as written has no card sections of the family
        let as_written = reg.find(member).unwrap().value().clone();
        assert!(as_written["card"].get("factors").is_none());
    }
    // a dataset inherits from its family what it leaves empty and the policy lets through
    // (member_of inherits; `description` never is, docs/spec.md section 3)
    let e = reg.effective("scrapeweb-2b").unwrap();
    assert_eq!(e.provenance_of("publisher"), Some("scrapeweb@1.0.0"));
    assert_eq!(e.record.value()["publisher"], "ScrapeWeb e.V.");
    assert_eq!(e.provenance_of("references"), Some("scrapeweb@1.0.0"));
    assert!(e.record.value().get("description").is_none());
    assert_eq!(e.provenance_of("risks"), Some("scrapeweb-2b@1.0.0"));
    // trained-on does not inherit: nothing of the datasets reaches the models
    for (model, datasets) in [
        ("lensnet", &["photo-captions@"][..]),
        (
            "histo-lens",
            &["scrapeweb-2b@", "slide-chatter@", "photo-captions@"][..],
        ),
        (
            "Magpie-1.5-Vision-7B",
            &["CaptionBank@", "chart-qa@", "photo-captions@"][..],
        ),
    ] {
        let e = reg.effective(model).unwrap();
        for (field, from) in &e.provenance {
            assert!(
                !datasets.iter().any(|d| from.starts_with(d)),
                "{model}: {field} comes from {from}"
            );
        }
    }
}

#[test]
fn fixture_risk_flags_reach_every_downstream_record_with_chains() {
    let reg = fixture();
    let flags: Vec<String> = raw("scrapeweb-2b", "1.0.0")["mr"]["risk"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| **v == Value::Bool(true))
        .map(|(k, _)| k.clone())
        .collect();
    assert_eq!(flags.len(), 3);
    let origin = "scrapeweb-2b@1.0.0";
    let aff = reg.affected("scrapeweb-2b", None).unwrap();
    let chains: BTreeMap<String, Vec<String>> = aff
        .iter()
        .map(|a| (format!("{}@{}", a.name, a.version), a.chain.clone()))
        .collect();
    let chain = |ids: &[&str]| -> Vec<String> { ids.iter().map(|s| s.to_string()).collect() };
    let want: BTreeMap<String, Vec<String>> = [
        ("histo-lens@1.0.0", chain(&[origin, "histo-lens@1.0.0"])),
        (
            "histo-mil@1.0.0",
            chain(&[origin, "histo-lens@1.0.0", "histo-mil@1.0.0"]),
        ),
        (
            "histo-mil@1.1.0",
            chain(&[origin, "histo-lens@1.0.0", "histo-mil@1.1.0"]),
        ),
        (
            "histo-mil-tiny@1.0.0",
            chain(&[
                origin,
                "histo-lens@1.0.0",
                "histo-mil@1.0.0",
                "histo-mil-tiny@1.0.0",
            ]),
        ),
        (
            "scrapeweb-400m@1.0.0",
            chain(&[origin, "scrapeweb-400m@1.0.0"]),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(chains, want);
    for a in &aff {
        let ids: Vec<&str> = a.risks.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, flags, "{}", a.name);
        for r in &a.risks {
            assert_eq!(r.origin, origin);
            assert_eq!(r.chain, a.chain);
        }
    }
    // filtered by one risk: the same records; by an unknown one: none
    for f in &flags {
        let only = reg.affected("scrapeweb-2b", Some(f)).unwrap();
        assert_eq!(only.len(), aff.len(), "{f}");
        assert!(only.iter().all(|a| a.risks.iter().all(|r| &r.id == f)));
    }
    assert!(reg
        .affected("scrapeweb-2b", Some("no-such-risk"))
        .unwrap()
        .is_empty());
    // seen from downstream: both origins, each with its chain
    let risks = reg.risks("histo-mil-tiny").unwrap();
    let mut got: Vec<(String, String, usize)> = risks
        .iter()
        .map(|r| (r.id.clone(), r.origin.clone(), r.chain.len()))
        .collect();
    got.sort();
    let mut expected: Vec<(String, String, usize)> = flags
        .iter()
        .map(|f| (f.clone(), origin.to_string(), 4))
        .collect();
    expected.push(("legal".into(), "slide-chatter@1.0.0".into(), 4));
    expected.sort();
    assert_eq!(got, expected);
    // records off the chain are not exposed
    for clean in [
        "lensnet",
        "corvid",
        "Magpie-1.5-Vision-7B",
        "photo-captions",
    ] {
        assert!(reg.risks(clean).unwrap().is_empty(), "{clean}");
    }
    // the lineage of the model trained on the dataset
    let lin = reg.lineage("histo-lens").unwrap();
    assert_eq!(lin.root, "histo-lens@1.0.0");
    let anc = lin
        .ancestors
        .iter()
        .find(|a| a.name == "scrapeweb-2b")
        .unwrap();
    assert_eq!(
        (anc.relation, anc.depth, anc.has_risks),
        (RelationKind::TrainedOn, 1, true)
    );
    let family = lin
        .ancestors
        .iter()
        .find(|a| a.name == "scrapeweb")
        .unwrap();
    assert_eq!((family.relation, family.depth), (RelationKind::MemberOf, 2));
    let below: BTreeSet<String> = lin
        .descendants
        .iter()
        .map(|d| format!("{}@{}", d.name, d.version))
        .collect();
    assert_eq!(
        below,
        ["histo-mil-tiny@1.0.0", "histo-mil@1.0.0", "histo-mil@1.1.0"]
            .into_iter()
            .map(String::from)
            .collect()
    );
}

#[test]
fn fixture_lock_pins_every_upstream_and_reports_no_drift() {
    let reg = fixture();
    let lock = Lock::of(&reg);
    assert_eq!(lock.lock_version, 1);
    assert_eq!(lock.records.len(), reg.len());
    for (id, entry) in &lock.records {
        assert!(
            entry.digest.starts_with("sha256:") && entry.digest.len() == 71,
            "{id}"
        );
        let i = reg.find_index(id).unwrap();
        let resolved: Vec<String> = reg.edges(i).iter().map(|e| reg.parent_id(e)).collect();
        let locked: Vec<String> = entry.upstream.iter().map(|u| u.resolved.clone()).collect();
        assert_eq!(locked, resolved, "{id}");
    }
    assert_eq!(
        lock.records["histo-mil-tiny@1.0.0"].upstream[0].resolved,
        "histo-mil@1.0.0"
    );
    assert_eq!(
        lock.records["histo-mil@1.1.0"].upstream[0].requirement,
        "histo-lens>=1.0.0"
    );
    assert!(drift(&lock, &reg).is_empty());
    // the lock survives its own JSON form
    assert_eq!(Lock::from_json(&lock.to_json()).unwrap(), lock);
}
