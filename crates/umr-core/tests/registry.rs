//! Registry semantics: resolution, inheritance policies, provenance, lineage, risks, locks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use serde_json::{json, Value};
use umr_core::lock::{drift, Lock};
use umr_core::{Record, Registry, UmrError};

fn rec(v: Value) -> Record {
    Record::from_value(v).expect("valid test record")
}

fn base(kind: &str, name: &str, version: &str) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("format_version".into(), json!("1.0"));
    m.insert("kind".into(), json!(kind));
    m.insert("name".into(), json!(name));
    m.insert("version".into(), json!(version));
    m
}

fn r(kind: &str, name: &str, version: &str, extra: Value) -> Record {
    let mut m = base(kind, name, version);
    if let Value::Object(e) = extra {
        m.extend(e);
    }
    rec(Value::Object(m))
}

fn reg(records: Vec<Record>) -> Registry {
    Registry::from_records(records).expect("registry")
}

/// a ← b ← c ← d (four levels, every policy exercised along the chain)
fn chain() -> Vec<Record> {
    vec![
        r(
            "family",
            "a",
            "1.0.0",
            json!({
                "title": "A", "description": "family A", "publisher": "P-a", "license": "Apache-2.0",
                "references": ["https://a.example/1"], "tags": ["t-a", "shared"],
                "details": {"architecture": "transformer", "context_length": 2048, "modalities": {"input": ["text"], "output": ["text"]}},
                "card": {"intended_use": "research", "limitations": "lim-a", "factors": ["f1"]},
                "evaluations": [{"metric": "acc", "value": 1}],
                "transparency": {"edition": "fmti2023", "answers": {"x": true, "y": false}},
                "extensions": {"org": {"team": "a", "cost": 1}},
                "x-own-a": 1
            }),
        ),
        r(
            "model",
            "b",
            "1.0.0",
            json!({
                "upstream": [{"name": "a", "relation": "member_of"}],
                "tags": ["t-b", "shared"], "details": {"parameters": 7}, "card": {"limitations": "lim-b"},
                "extensions": {"org": {"team": "b"}}
            }),
        ),
        r(
            "model",
            "c",
            "1.0.0",
            json!({
                "upstream": ["b>=1.0.0"], "card": {"factors": null}, "publisher": "P-c",
                "transparency": {"answers": {"y": true}}
            }),
        ),
        r(
            "model",
            "d",
            "1.0.0",
            json!({
                "upstream": [{"name": "c", "version": "^1", "relation": "quantized"}],
                "license": null, "details": {"modalities": {"output": ["embedding"]}}
            }),
        ),
    ]
}

#[test]
fn four_level_chain_merges_by_policy_with_provenance() {
    let reg = reg(chain());
    let e = reg.effective("d").unwrap();
    let v = e.record.value();
    // identity never inherits
    assert_eq!(v["name"], "d");
    assert!(v.get("title").is_none() && v.get("description").is_none());
    // replace: nearest wins (c overrides a)
    assert_eq!(v["publisher"], "P-c");
    assert_eq!(e.provenance_of("publisher"), Some("c@1.0.0"));
    // explicit null clears an inherited value
    assert!(v.get("license").is_none());
    // set union: own items first (nearest), then parents' new items
    assert_eq!(v["tags"], json!(["t-b", "shared", "t-a"]));
    assert_eq!(e.provenance["tags[0]"], "b@1.0.0");
    assert_eq!(e.provenance["tags[2]"], "a@1.0.0");
    // deep merge, per key, recursively for nested deep-merged maps
    assert_eq!(v["details"]["parameters"], 7);
    assert_eq!(v["details"]["architecture"], "transformer");
    assert_eq!(
        v["details"]["modalities"],
        json!({"output": ["embedding"], "input": ["text"]})
    );
    assert_eq!(e.provenance["details.modalities.output"], "d@1.0.0");
    assert_eq!(e.provenance["details.modalities.input"], "a@1.0.0");
    assert_eq!(v["card"]["limitations"], "lim-b");
    assert_eq!(v["card"]["intended_use"], "research");
    assert!(
        v["card"].get("factors").is_none(),
        "null in c clears a's factors for c and d"
    );
    assert_eq!(e.provenance["card.intended_use"], "a@1.0.0");
    assert_eq!(e.provenance["card.limitations"], "b@1.0.0");
    // transparency answers: per indicator
    assert_eq!(v["transparency"]["answers"], json!({"y": true, "x": true}));
    assert_eq!(e.provenance["transparency.answers.y"], "c@1.0.0");
    // extensions deep-merge all the way down
    assert_eq!(v["extensions"]["org"], json!({"team": "b", "cost": 1}));
    // not inherited: evaluations, upstream, unknown top-level keys
    assert!(v.get("evaluations").is_none());
    assert!(v.get("x-own-a").is_none());
    assert_eq!(
        v["upstream"],
        json!([{"name": "c", "version": "^1", "relation": "quantized"}])
    );
}

#[test]
fn diamond_resolves_once_and_deterministically() {
    let recs = vec![
        r(
            "family",
            "root",
            "1.0.0",
            json!({"card": {"limitations": "root"}, "tags": ["r"], "publisher": "R"}),
        ),
        r(
            "model",
            "left",
            "1.0.0",
            json!({"upstream": ["root"], "publisher": "L", "tags": ["l"]}),
        ),
        r(
            "model",
            "right",
            "1.0.0",
            json!({"upstream": ["root"], "publisher": "RR", "card": {"limitations": "right"}, "tags": ["rr"]}),
        ),
        r(
            "model",
            "merge",
            "1.0.0",
            json!({"upstream": [{"name": "left", "relation": "merge"}, {"name": "right", "relation": "merge"}]}),
        ),
    ];
    let reg1 = reg(recs.clone());
    let e = reg1.effective("merge").unwrap();
    // earlier-listed parent wins
    assert_eq!(e.record.value()["publisher"], "L");
    assert_eq!(e.provenance["publisher"], "left@1.0.0");
    // left has no own limitations, so it carries root's; that beats right's own
    assert_eq!(e.record.value()["card"]["limitations"], "root");
    assert_eq!(e.record.value()["tags"], json!(["l", "r", "rr"]));
    // any load order gives the same result
    let mut rev = recs;
    rev.reverse();
    let e2 = reg(rev).effective("merge").unwrap();
    assert_eq!(e.record.value(), e2.record.value());
    assert_eq!(e.provenance, e2.provenance);
}

#[test]
fn trained_on_does_not_leak_fields_but_override_can() {
    let recs = vec![
        r(
            "dataset",
            "ds",
            "1.0.0",
            json!({"license": "CC-BY-4.0", "card": {"limitations": "dataset"}}),
        ),
        r(
            "model",
            "m",
            "1.0.0",
            json!({"upstream": [{"name": "ds", "relation": "trained_on"}]}),
        ),
        r(
            "model",
            "m2",
            "1.0.0",
            json!({"upstream": [{"name": "ds", "relation": "trained_on", "inherit": true}]}),
        ),
        r("model", "m3", "1.0.0", json!({"upstream": ["ds"]})),
    ];
    let reg = reg(recs);
    assert!(reg
        .effective("m")
        .unwrap()
        .record
        .value()
        .get("license")
        .is_none());
    assert_eq!(
        reg.effective("m2").unwrap().record.value()["license"],
        "CC-BY-4.0"
    );
    // kind inferred from the kinds: model over dataset = trained_on, no inheritance
    assert!(reg
        .effective("m3")
        .unwrap()
        .record
        .value()
        .get("license")
        .is_none());
    let i = reg.find_index("m3").unwrap();
    assert_eq!(reg.edges(i)[0].relation, umr_core::RelationKind::TrainedOn);
    assert!(reg.edges(i)[0].inferred);
}

#[test]
fn highest_matching_version_and_prereleases() {
    let recs = vec![
        r("model", "x", "1.0.0", json!({})),
        r("model", "x", "1.4.2", json!({})),
        r("model", "x", "2.0.0-rc.1", json!({})),
        r("model", "x", "0.9.0", json!({})),
    ];
    let reg = reg(recs);
    assert_eq!(reg.find("x").unwrap().version().to_string(), "1.4.2");
    assert_eq!(reg.find("x>=1.0.0").unwrap().version().to_string(), "1.4.2");
    assert_eq!(reg.find("x==1.0.0").unwrap().version().to_string(), "1.0.0");
    assert_eq!(reg.find("x@0.9.0").unwrap().version().to_string(), "0.9.0");
    assert_eq!(reg.find("x-1.0.0").unwrap().version().to_string(), "1.0.0");
    assert_eq!(reg.find("x<1.0.0").unwrap().version().to_string(), "0.9.0");
    // pre-releases only when the requirement names one
    assert_eq!(
        reg.find(">=2.0.0-rc.1".replace('>', "x>").as_str())
            .unwrap()
            .version()
            .to_string(),
        "2.0.0-rc.1"
    );
    assert!(
        matches!(reg.find("x>=2.0.0"), Err(UmrError::Resolve { ref code, .. }) if code == "E_UNSATISFIED")
    );
}

#[test]
fn cycles_name_their_path() {
    let recs = vec![
        r("model", "a", "1.0.0", json!({"upstream": ["b"]})),
        r("model", "b", "2.1.0", json!({"upstream": ["c"]})),
        r("model", "c", "1.0.0", json!({"upstream": ["a"]})),
        r("model", "ok", "1.0.0", json!({})),
        r("dataset", "d", "1.0.0", json!({"risks": [{"id": "pii"}]})),
        r("model", "m", "1.0.0", json!({"upstream": ["d", "a"]})),
    ];
    let reg = reg(recs);
    // a record downstream of a cycle still sees the risks of its other parents
    assert!(reg.risks("m").unwrap().iter().any(|x| x.id == "pii"));
    assert!(matches!(reg.effective("m"), Err(UmrError::Cycle { .. })));
    match reg.effective("a") {
        Err(UmrError::Cycle { path }) => {
            assert_eq!(path, vec!["a@1.0.0", "b@2.1.0", "c@1.0.0", "a@1.0.0"]);
        }
        other => panic!("expected a cycle, got {other:?}"),
    }
    assert!(reg.topo_order().is_err());
    let msg = reg
        .effective("b")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        msg.contains("b@2.1.0 → c@1.0.0 → a@1.0.0 → b@2.1.0"),
        "{msg}"
    );
    // a cycle does not take unrelated records down with it
    assert!(reg.effective("ok").is_ok());
    assert!(matches!(reg.lineage("a"), Err(UmrError::Cycle { .. })));
    let cyclic: Vec<String> = reg.cyclic().iter().map(|r| r.id()).collect();
    assert_eq!(cyclic.len(), 4, "{cyclic:?}");
}

#[test]
fn missing_and_unsatisfiable_parents_are_errors_with_chains() {
    let recs = vec![
        r("model", "base", "1.0.0", json!({})),
        r("model", "mid", "1.0.0", json!({"upstream": ["ghost"]})),
        r("model", "leaf", "1.0.0", json!({"upstream": ["mid"]})),
        r(
            "model",
            "pinned",
            "1.0.0",
            json!({"upstream": ["base>=2.0.0"]}),
        ),
    ];
    let reg = reg(recs);
    match reg.effective("leaf") {
        Err(UmrError::Resolve {
            code,
            chain,
            message,
        }) => {
            assert_eq!(code, "E_MISSING_PARENT");
            assert_eq!(chain, vec!["leaf@1.0.0", "mid@1.0.0"]);
            assert!(message.contains("ghost"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    match reg.effective("pinned") {
        Err(UmrError::Resolve { code, message, .. }) => {
            assert_eq!(code, "E_UNSATISFIED");
            assert!(message.contains("available: 1.0.0"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn duplicate_records_are_refused() {
    let e = Registry::from_records(vec![
        r("model", "a", "1.0.0", json!({})),
        r("model", "a", "1.0.0", json!({})),
    ]);
    assert!(matches!(e, Err(UmrError::Refused { ref code, .. }) if code == "E_DUPLICATE_RECORD"));
}

#[test]
fn risks_propagate_along_every_relation_and_mitigation_never_hides() {
    let recs = vec![
        r(
            "dataset",
            "laion",
            "1.0.0",
            json!({"risks": [{"id": "csam", "severity": "critical"}, {"id": "nsfw", "status": "suspected"}]}),
        ),
        r(
            "model",
            "clip",
            "1.0.0",
            json!({"upstream": [{"name": "laion", "relation": "trained_on"}]}),
        ),
        r(
            "model",
            "plip",
            "1.0.0",
            json!({"upstream": ["clip"], "risks": [
            {"id": "nsfw", "status": "mitigated", "justification": "filtered", "upstream": "laion"},
            {"id": "own", "status": "confirmed"}]}),
        ),
        r(
            "model",
            "rrt",
            "1.0.0",
            json!({"upstream": [{"name": "plip", "relation": "distillation", "inherit": false}]}),
        ),
        r("model", "other", "1.0.0", json!({})),
    ];
    let reg = reg(recs);
    let risks = reg.risks("rrt").unwrap();
    let csam = risks.iter().find(|x| x.id == "csam").unwrap();
    assert_eq!(
        csam.chain,
        vec!["laion@1.0.0", "clip@1.0.0", "plip@1.0.0", "rrt@1.0.0"]
    );
    assert_eq!(csam.status, umr_core::model::RiskStatus::Confirmed);
    let nsfw = risks.iter().find(|x| x.id == "nsfw").unwrap();
    assert_eq!(nsfw.status, umr_core::model::RiskStatus::Mitigated);
    assert_eq!(nsfw.mitigation.as_ref().unwrap().by, "plip@1.0.0");
    assert!(risks
        .iter()
        .any(|x| x.id == "own" && x.origin == "plip@1.0.0"));
    // affected: every downstream record, with chains origin-first
    let aff = reg.affected("laion", None).unwrap();
    let names: Vec<&str> = aff.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, vec!["clip", "plip", "rrt"]);
    assert_eq!(
        aff[2].chain,
        vec!["laion@1.0.0", "clip@1.0.0", "plip@1.0.0", "rrt@1.0.0"]
    );
    let only = reg.affected("laion", Some("csam")).unwrap();
    assert_eq!(only.len(), 3);
    assert!(reg.affected("other", None).unwrap().is_empty());
}

#[test]
fn mitigated_only_if_mitigated_on_every_path() {
    let recs = vec![
        r("dataset", "d", "1.0.0", json!({"risks": [{"id": "pii"}]})),
        r(
            "model",
            "safe",
            "1.0.0",
            json!({"upstream": ["d"], "risks": [{"id": "pii", "status": "mitigated", "justification": "scrubbed"}]}),
        ),
        r("model", "raw", "1.0.0", json!({"upstream": ["d"]})),
        r(
            "model",
            "m",
            "1.0.0",
            json!({"upstream": [{"name": "safe", "relation": "merge"}, {"name": "raw", "relation": "merge"}]}),
        ),
    ];
    let reg = reg(recs);
    let pii = reg
        .risks("m")
        .unwrap()
        .into_iter()
        .find(|x| x.id == "pii")
        .unwrap();
    assert_eq!(pii.status, umr_core::model::RiskStatus::Confirmed);
    assert_eq!(pii.chain, vec!["d@1.0.0", "raw@1.0.0", "m@1.0.0"]);
}

#[test]
fn lineage_and_graph_text() {
    let reg = reg(chain());
    let l = reg.lineage("b").unwrap();
    assert_eq!(l.ancestors.len(), 1);
    assert_eq!(l.ancestors[0].name, "a");
    assert_eq!(
        l.descendants
            .iter()
            .map(|e| (e.name.as_str(), e.depth))
            .collect::<Vec<_>>(),
        vec![("c", 1), ("d", 2)]
    );
    let dot = l.to_dot();
    assert!(
        dot.contains("\"a@1.0.0\" -> \"b@1.0.0\" [label=\"member_of\"]"),
        "{dot}"
    );
    let mm = l.to_mermaid();
    assert!(mm.starts_with("flowchart LR"), "{mm}");
    assert!(mm.contains("|quantized|"), "{mm}");
    let order: Vec<String> = reg.topo_order().unwrap().iter().map(|x| x.id()).collect();
    assert_eq!(order, vec!["a@1.0.0", "b@1.0.0", "c@1.0.0", "d@1.0.0"]);
}

#[test]
fn lock_reproduces_and_reports_drift() {
    let v1 = vec![
        r("model", "base", "1.0.0", json!({"publisher": "old"})),
        r("model", "ft", "1.0.0", json!({"upstream": ["base"]})),
    ];
    let reg1 = reg(v1.clone());
    let lock = Lock::of(&reg1);
    assert_eq!(lock.records["ft@1.0.0"].upstream[0].resolved, "base@1.0.0");
    let text = lock.to_json();
    let lock2 = Lock::from_json(&text).unwrap();
    assert_eq!(lock, lock2);
    // a new base version appears
    let mut v2 = v1.clone();
    v2.push(r("model", "base", "1.1.0", json!({"publisher": "new"})));
    let unlocked = reg(v2.clone());
    assert_eq!(
        unlocked.effective("ft").unwrap().record.value()["publisher"],
        "new"
    );
    let locked = Registry::from_records_locked(v2, lock2.clone()).unwrap();
    assert_eq!(
        locked.effective("ft").unwrap().record.value()["publisher"],
        "old"
    );
    let d = drift(&lock2, &unlocked);
    assert!(
        d.iter()
            .any(|x| x.kind == "upstream" && x.message.contains("base@1.1.0")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|x| x.kind == "added" && x.record == "base@1.1.0"),
        "{d:?}"
    );
    assert!(drift(&lock, &reg1).is_empty());
}

#[test]
fn prototype_exact_short_form_and_bare_names() {
    let recs = vec![
        r("model", "bloom-1b1", "1.0.0", json!({})),
        r("model", "bloom-1b1", "1.1.0", json!({})),
        r(
            "model",
            "user",
            "1.0.0",
            json!({"upstream": ["bloom-1b1-1.0.0"]}),
        ),
    ];
    let reg = reg(recs);
    let i = reg.find_index("user").unwrap();
    assert_eq!(reg.parent_id(&reg.edges(i)[0]), "bloom-1b1@1.0.0");
}

fn arb_registry() -> impl Strategy<Value = (Vec<Record>, u64)> {
    // a random DAG: record k may name any lower-numbered records as parents
    (3usize..12, any::<u64>()).prop_map(|(n, seed)| {
        let mut s = seed | 1;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let kinds = ["finetune", "merge", "trained_on", "member_of", "quantized"];
        let mut recs = Vec::new();
        for k in 0..n {
            let mut ups = Vec::new();
            for p in 0..k {
                if next() % 3 == 0 {
                    ups.push(
                        json!({"name": format!("n{p}"), "relation": kinds[(next() % 5) as usize]}),
                    );
                }
            }
            let mut extra = json!({
                "tags": [format!("t{}", next() % 4)],
                "card": {"limitations": format!("l{k}")},
                "details": {"parameters": next() % 1000}
            });
            if next() % 4 == 0 {
                extra["risks"] = json!([{"id": format!("r{}", next() % 3)}]);
            }
            if next() % 5 == 0 {
                extra["publisher"] = Value::Null;
            } else if next() % 2 == 0 {
                extra["publisher"] = json!(format!("p{k}"));
            }
            if !ups.is_empty() {
                extra["upstream"] = Value::Array(ups);
            }
            recs.push(r("model", &format!("n{k}"), "1.0.0", extra));
        }
        (recs, seed)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn resolution_is_independent_of_load_order((recs, seed) in arb_registry()) {
        let a = reg(recs.clone());
        let mut shuffled = recs;
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let b = reg(shuffled);
        for name in a.names() {
            let ea = a.effective(name).unwrap();
            let eb = b.effective(name).unwrap();
            prop_assert_eq!(ea.record.value(), eb.record.value());
            prop_assert_eq!(&ea.provenance, &eb.provenance);
            // deterministic across calls (memoised)
            let again = a.effective(name).unwrap();
            prop_assert_eq!(again.record.value(), ea.record.value());
            prop_assert_eq!(a.risks(name).unwrap(), b.risks(name).unwrap());
            // affected (restricted propagation) agrees with the full propagation
            let root_id = a.find(name).unwrap().id();
            for aff in a.affected(name, None).unwrap() {
                let full: Vec<_> = a
                    .risks(&format!("{}@{}", aff.name, aff.version))
                    .unwrap()
                    .into_iter()
                    .filter(|e| e.origin == root_id)
                    .collect();
                prop_assert_eq!(&aff.risks, &full);
            }
        }
        let ta: Vec<String> = a.topo_order().unwrap().iter().map(|x| x.id()).collect();
        let tb: Vec<String> = b.topo_order().unwrap().iter().map(|x| x.id()).collect();
        prop_assert_eq!(ta, tb);
    }
}

#[test]
fn streaming_resolution_matches_memoised_resolution() {
    let reg = reg(chain());
    let mut seen = Vec::new();
    reg.for_each_effective(|rec, r| {
        let r = r.unwrap();
        let memo = reg.effective(&rec.id()).unwrap();
        assert_eq!(
            &serde_json::Value::Object(r.fields().clone()),
            memo.record.value()
        );
        assert_eq!(r.provenance(), memo.provenance);
        seen.push(rec.id());
    });
    assert_eq!(seen, vec!["a@1.0.0", "b@1.0.0", "c@1.0.0", "d@1.0.0"]);
}

proptest! {
    /// `Record::id` writes `name@version` without the formatting machinery: it must agree
    /// with semver's own rendering for every version, pre-releases and build metadata too.
    #[test]
    fn record_id_is_name_at_version(
        major in any::<u64>(), minor in 0u64..1000, patch in any::<u64>(),
        pre in prop::option::of("[a-z][a-z0-9]{0,6}(\\.(0|[1-9][0-9]{0,2}))?"),
        build in prop::option::of("[a-z0-9]{1,8}"),
    ) {
        let mut v = format!("{major}.{minor}.{patch}");
        if let Some(p) = &pre { v.push('-'); v.push_str(p); }
        if let Some(b) = &build { v.push('+'); v.push_str(b); }
        let version = semver::Version::parse(&v).unwrap();
        let rec = r("model", "org/m", &v, json!({}));
        prop_assert_eq!(rec.id(), format!("org/m@{version}"));
    }
}

/// The relations of a record, read in one pass over each mapping: every key is taken
/// wherever it stands, and a requirement's text is the name followed by the requirement.
#[test]
fn relations_read_every_key_in_any_order() {
    let rec = r(
        "model",
        "m",
        "1.0.0",
        json!({"upstream": [
            {"relation": "finetune", "inherit": false, "version": "^2.0.0", "name": "a"},
            {"name": "d"},
            "b@1.2.3",
            "c"
        ]}),
    );
    let rels = rec.relations();
    assert_eq!(rels.len(), 4);
    assert_eq!(rels[0].name, "a");
    assert_eq!(rels[0].req, "^2.0.0");
    assert_eq!(rels[0].kind, Some(umr_core::model::RelationKind::Finetune));
    assert_eq!(rels[0].inherit, Some(false));
    assert_eq!(rels[0].requirement_text(), "a^2.0.0");
    assert_eq!(
        (rels[1].req.as_str(), rels[1].kind, rels[1].inherit),
        ("*", None, None)
    );
    assert_eq!(rels[1].requirement_text(), "d");
    assert_eq!(rels[2].requirement_text(), "b=1.2.3");
    assert_eq!(rels[3].index, 3);
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((".{0,8}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Packing keeps everything a record holds: any extension value (keys needing escapes,
    /// every number, nested `upstream` keys) reads back equal, and the relations read from
    /// the packed text are those of the tree.
    #[test]
    fn packing_keeps_every_value(ext in any_json(), before in any::<bool>()) {
        let mut m = base("model", "m", "1.0.0");
        let up = json!(["a", {"name": "b", "version": "^1.0.0", "relation": "finetune"}]);
        if before {
            m.insert("upstream".into(), up.clone());
        }
        m.insert("extensions".into(), json!({"x": ext, "upstream": "not this one"}));
        if !before {
            m.insert("upstream".into(), up);
        }
        let tree = rec(Value::Object(m));
        let mut packed = tree.clone();
        packed.pack();
        prop_assert!(packed.is_packed());
        prop_assert_eq!(packed.relations(), tree.relations());
        prop_assert!(packed.is_packed());
        prop_assert_eq!(packed.value(), tree.value());
        prop_assert!(!packed.is_packed());
    }
}
