//! The prototype corpus as a registry: every record resolves, inheritance and risk
//! propagation give the paper's results.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use umr_core::{Limits, Registry};

fn corpus() -> Option<PathBuf> {
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/modelrecords-poc");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/corpus/modelrecords-poc is not present beside the checkout");
        None
    }
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
