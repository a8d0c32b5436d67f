//! Transparency scoring rules: editions as data, answer forms, unknown handling, coverage,
//! per-subdomain sums, unknown keys, aliases, own vs effective scores along inheritance.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use indexmap::IndexMap;
use serde_json::{json, Value};
use umr_core::model::Answer;
use umr_core::score::{self, Score, Tally};
use umr_core::{Record, Registry};

fn rec(kind: &str, name: &str, extra: Value) -> Record {
    let mut m = serde_json::Map::new();
    m.insert("format_version".into(), json!("1.0"));
    m.insert("kind".into(), json!(kind));
    m.insert("name".into(), json!(name));
    m.insert("version".into(), json!("1.0.0"));
    if let Value::Object(e) = extra {
        m.extend(e);
    }
    Record::from_value(Value::Object(m)).expect("valid test record")
}

fn answers(v: Value) -> IndexMap<String, Answer> {
    serde_json::from_value(v).expect("answers")
}

fn codes(s: &Score) -> Vec<&str> {
    s.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

fn sum(ts: impl Iterator<Item = Tally>) -> Tally {
    ts.fold(Tally::default(), |a, t| Tally {
        score: a.score + t.score,
        answered: a.answered + t.answered,
        unknown: a.unknown + t.unknown,
        indicators: a.indicators + t.indicators,
    })
}

#[test]
fn editions_are_data_with_100_indicators_each() {
    let eds = score::editions();
    let names: Vec<&str> = eds.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["fmti2023", "fmti2025"]);
    assert_eq!(score::edition_names(), ["fmti2023", "fmti2025"]);
    for e in &eds {
        assert_eq!(e.indicators.len(), 100, "{}", e.name);
        let domains: Vec<&str> = e.domains.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(domains, ["upstream", "model", "downstream"]);
        assert_eq!(e.license, "CC-BY-4.0");
        assert!(e.attribution.contains("CC BY 4.0"));
        for i in &e.indicators {
            assert_eq!(score::key_of(&i.name), i.key, "key is the snake_case name");
            assert!(!i.definition.is_empty());
            assert_eq!(e.indicator(&i.key).map(|x| &x.key), Some(&i.key));
        }
    }
    let e23 = score::edition("fmti2023").unwrap();
    let per_domain: Vec<usize> = ["upstream", "model", "downstream"]
        .iter()
        .map(|d| e23.indicators.iter().filter(|i| i.domain == *d).count())
        .collect();
    assert_eq!(per_domain, [32, 33, 35]);
    assert_eq!(e23.subdomains.len(), 23);
    // the May 2024 index used the 2023 indicators; bare years and spellings resolve
    for n in ["fmti2024", "2024", "2023", "FMTI 2023", "fmti-2023"] {
        assert_eq!(score::edition(n).unwrap().name, "fmti2023", "{n}");
    }
    assert_eq!(score::edition("2025").unwrap().name, "fmti2025");
    let err = score::edition("fmti2030").unwrap_err();
    assert_eq!(err.code(), "E_EDITION");
    assert!(err.to_string().contains("fmti2023, fmti2025"), "{err}");
}

#[test]
fn published_name_spellings_find_their_indicator() {
    let e = score::edition("fmti2023").unwrap();
    for (name, key) in [
        (
            "Third-party risks evaluation",
            "third_party_risks_evaluation",
        ),
        ("Data license status", "data_license"),
        ("Model Asset License", "model_license"),
        ("License", "model_license"),
        (
            "Release decision-making protocol",
            "release_decision_making",
        ),
        (
            "Machine-generated content",
            "detection_of_machine_generated_content",
        ),
        ("Data copyright status", "copyrighted_data"),
        ("Data creators ", "data_creators"),
    ] {
        assert_eq!(e.find(name).map(|i| i.key.as_str()), Some(key), "{name}");
    }
    assert!(e.find("Not an indicator").is_none());
}

#[test]
fn unknown_answers_score_nothing_and_lower_coverage() {
    let e = score::edition("fmti2023").unwrap();
    let s = score::score_answers(
        e,
        &answers(json!({
            "data_size": true,
            "data_sources": false,
            "data_creators": "unknown",
            "data_source_selection": null,
            "data_curation": {"value": 1, "evidence": "https://example.org/card", "note": "section 2"},
            "data_augmentation": {"note": "no value given"},
            "model_architecture": 1,
            "model_size": 0
        })),
    );
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    assert_eq!(
        s.total,
        Tally {
            score: 3,
            answered: 5,
            unknown: 95,
            indicators: 100
        }
    );
    assert_eq!(s.total.unsatisfied(), 2);
    assert!((s.total.coverage() - 0.05).abs() < 1e-9);
    let data = s.subdomain("data").unwrap();
    assert_eq!(
        data.tally,
        Tally {
            score: 2,
            answered: 3,
            unknown: 7,
            indicators: 10
        }
    );
    let basics = s.subdomain("model_basics").unwrap();
    assert_eq!((basics.tally.score, basics.tally.answered), (1, 2));
    let curation = s.indicator("data_curation").unwrap();
    assert_eq!(curation.answer, Some(true));
    assert_eq!(
        curation.evidence.as_deref(),
        Some("https://example.org/card")
    );
    assert_eq!(curation.note.as_deref(), Some("section 2"));
    assert_eq!(s.indicator("data_creators").unwrap().answer, None);
    assert_eq!(s.indicator("data_augmentation").unwrap().answer, None);
    assert_eq!(s.indicator("wages").unwrap().answer, None);
    assert_eq!(s.indicators.len(), 100);

    // nothing answered: score 0, coverage 0
    let empty = score::score_answers(e, &IndexMap::new());
    assert_eq!(empty.total.answered, 0);
    assert_eq!(empty.total.unknown, 100);
    assert_eq!(empty.total.coverage(), 0.0);
}

#[test]
fn domain_and_subdomain_sums_are_consistent() {
    for e in score::editions() {
        // answer every third indicator true, every fifth false, the rest unknown
        let mut m = IndexMap::new();
        for (i, ind) in e.indicators.iter().enumerate() {
            if i % 3 == 0 {
                m.insert(ind.key.clone(), Answer::Bool(true));
            } else if i % 5 == 0 {
                m.insert(ind.key.clone(), Answer::Bool(false));
            }
        }
        let s = score::score_answers(e, &m);
        assert!(s.diagnostics.is_empty());
        for d in &s.domains {
            assert_eq!(
                d.tally,
                sum(d.subdomains.iter().map(|x| x.tally)),
                "{}",
                d.key
            );
            for sd in &d.subdomains {
                let inds: Vec<_> = s
                    .indicators
                    .iter()
                    .filter(|i| i.subdomain == sd.key)
                    .collect();
                assert_eq!(sd.tally.indicators as usize, inds.len());
                assert_eq!(
                    sd.tally.score as usize,
                    inds.iter().filter(|i| i.answer == Some(true)).count()
                );
                assert_eq!(
                    sd.tally.unknown as usize,
                    inds.iter().filter(|i| i.answer.is_none()).count()
                );
                assert!(inds.iter().all(|i| i.domain == d.key));
            }
        }
        assert_eq!(s.total, sum(s.domains.iter().map(|d| d.tally)));
        assert_eq!(s.total.score as usize, e.indicators.len().div_ceil(3));
        assert_eq!(s.total.indicators, 100);
    }
}

#[test]
fn an_unknown_key_is_a_warning_not_a_point() {
    let e = score::edition("fmti2023").unwrap();
    let s = score::score_answers(
        e,
        &answers(json!({"data_sizes": true, "made_up_indicator": true, "data_size": false})),
    );
    assert_eq!(s.total.score, 0);
    assert_eq!(s.total.answered, 1);
    assert_eq!(
        codes(&s),
        ["W_SCORE_UNKNOWN_INDICATOR", "W_SCORE_UNKNOWN_INDICATOR"]
    );
    let d = &s.diagnostics[0];
    assert_eq!(d.path, "transparency.answers.data_sizes");
    assert!(!d.is_error());
    assert!(
        d.message.contains("not an indicator of fmti2023"),
        "{}",
        d.message
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `data_size`?"));
    // a key of another edition is unknown in this one
    let s25 = score::score_answers(
        score::edition("fmti2025").unwrap(),
        &answers(json!({"wages": true, "crawling": true})),
    );
    assert_eq!(s25.total.score, 1);
    assert_eq!(codes(&s25), ["W_SCORE_UNKNOWN_INDICATOR"]);
}

#[test]
fn a_bad_answer_value_counts_as_unknown_with_a_warning() {
    let e = score::edition("fmti2023").unwrap();
    let mut m = IndexMap::new();
    m.insert("data_size".to_string(), Answer::Int(2));
    m.insert("data_sources".to_string(), Answer::Word("yes".into()));
    let s = score::score_answers(e, &m);
    assert_eq!(s.total.answered, 0);
    assert_eq!(codes(&s), ["W_SCORE_ANSWER", "W_SCORE_ANSWER"]);
}

#[test]
fn alias_keys_count_for_their_indicator() {
    let e = score::edition("fmti2023").unwrap();
    let s = score::score_answers(
        e,
        &answers(json!({"asset_license": true, "data_license_status": false})),
    );
    assert!(s.diagnostics.is_empty());
    let lic = s.indicator("model_license").unwrap();
    assert_eq!(lic.answer, Some(true));
    assert_eq!(lic.written_as.as_deref(), Some("asset_license"));
    assert_eq!(s.indicator("data_license").unwrap().answer, Some(false));
    // both the key and an alias: the key is counted, with a warning
    let s = score::score_answers(
        e,
        &answers(json!({"asset_license": true, "model_license": false})),
    );
    assert_eq!(s.indicator("model_license").unwrap().answer, Some(false));
    assert_eq!(s.indicator("model_license").unwrap().written_as, None);
    assert_eq!(codes(&s), ["W_SCORE_DUPLICATE"]);
    assert_eq!(s.diagnostics[0].path, "transparency.answers.asset_license");
}

#[test]
fn score_record_uses_the_declared_edition() {
    let r = rec(
        "model",
        "m",
        json!({"transparency": {"edition": "fmti2025", "answers": {"crawling": true, "public_datasets": false}}}),
    );
    let s = score::score_record(&r, None).unwrap();
    assert_eq!(s.edition, "fmti2025");
    assert_eq!((s.total.score, s.total.answered), (1, 2));
    assert_eq!(
        s.indicator("crawling").unwrap().source.as_deref(),
        Some("m@1.0.0")
    );
    // asked for another edition: the answers belong to fmti2025 and are not counted
    let s = score::score_record(&r, Some("fmti2023")).unwrap();
    assert_eq!(s.edition, "fmti2023");
    assert_eq!(s.total.answered, 0);
    assert_eq!(codes(&s), ["W_SCORE_EDITION"]);
    // no edition declared: the default
    let r = rec(
        "model",
        "n",
        json!({"transparency": {"answers": {"data_size": true}}}),
    );
    let s = score::score_record(&r, None).unwrap();
    assert_eq!((s.edition.as_str(), s.total.score), ("fmti2023", 1));
    // undeclared answers are taken as answers of the edition asked for
    let s = score::score_record(&r, Some("2025")).unwrap();
    assert_eq!((s.edition.as_str(), s.total.score), ("fmti2025", 1));
    // a record without transparency scores zero with full unknown
    let s = score::score_record(&rec("model", "o", json!({})), None).unwrap();
    assert_eq!(s.total.unknown, 100);
    // an edition the library does not know is an error
    let r = rec(
        "model",
        "p",
        json!({"transparency": {"edition": "fmti1999", "answers": {"data_size": true}}}),
    );
    assert_eq!(
        score::score_record(&r, None).unwrap_err().code(),
        "E_EDITION"
    );
}

fn family() -> Registry {
    Registry::from_records(vec![
        rec(
            "family",
            "base",
            json!({"transparency": {"edition": "fmti2023", "answers": {
                "data_size": true, "data_sources": false, "data_creators": true,
                "model_size": true, "asset_license": true
            }}}),
        ),
        rec(
            "model",
            "tuned",
            json!({
                "upstream": [{"name": "base", "relation": "finetune"}],
                "transparency": {"answers": {
                    "data_sources": true,
                    "data_creators": null,
                    "wages": false,
                    "model_license": false
                }}
            }),
        ),
        rec(
            "model",
            "quiet",
            json!({"upstream": ["base"]}),
        ),
        rec(
            "model",
            "hedged",
            json!({
                "upstream": ["base"],
                "transparency": {"answers": {"data_size": "unknown", "model_size": {"value": null, "note": "not disclosed"}}}
            }),
        ),
        rec(
            "dataset",
            "corpus",
            json!({"transparency": {"answers": {"data_size": true, "wages": true, "labor_protections": true}}}),
        ),
        rec(
            "model",
            "trained",
            json!({"upstream": ["corpus"], "transparency": {"answers": {"model_size": false}}}),
        ),
        rec(
            "model",
            "newer",
            json!({
                "upstream": [{"name": "base", "relation": "finetune"}],
                "transparency": {"edition": "fmti2025", "answers": {"crawling": true}}
            }),
        ),
    ])
    .unwrap()
}

#[test]
fn own_and_effective_scores_follow_inheritance() {
    let reg = family();
    let r = score::score_in_registry(&reg, "tuned", None).unwrap();
    assert_eq!(r.record, "tuned@1.0.0");
    assert_eq!(r.edition, "fmti2023");
    // own: data_sources true, data_creators explicit unknown, wages false, model_license false
    assert_eq!((r.own.total.score, r.own.total.answered), (1, 3));
    // effective: own answers win; the explicit null clears base's data_creators;
    // data_size and model_size come from base; model_license (own) beats base's alias
    let eff = &r.effective;
    assert!(eff.diagnostics.is_empty(), "{:?}", eff.diagnostics);
    assert_eq!(eff.indicator("data_sources").unwrap().answer, Some(true));
    assert_eq!(
        eff.indicator("data_sources").unwrap().source.as_deref(),
        Some("tuned@1.0.0")
    );
    assert_eq!(eff.indicator("data_creators").unwrap().answer, None);
    assert_eq!(eff.indicator("data_size").unwrap().answer, Some(true));
    assert_eq!(
        eff.indicator("data_size").unwrap().source.as_deref(),
        Some("base@1.0.0")
    );
    assert_eq!(eff.indicator("model_license").unwrap().answer, Some(false));
    assert_eq!(
        eff.indicator("model_license").unwrap().source.as_deref(),
        Some("tuned@1.0.0")
    );
    assert_eq!((eff.total.score, eff.total.answered), (3, 5));
    assert_eq!(r.inherited.get("base@1.0.0"), Some(&2));
    assert_eq!(r.inherited.len(), 1);

    // no own answers: effective equals the parent's own score
    let q = score::score_in_registry(&reg, "quiet", None).unwrap();
    let base = score::score_in_registry(&reg, "base", None).unwrap();
    assert_eq!(q.own.total.answered, 0);
    assert_eq!(q.effective.total, base.own.total);
    assert_eq!(q.effective.domains, base.own.domains);
    assert_eq!(
        q.effective
            .indicator("model_license")
            .unwrap()
            .written_as
            .as_deref(),
        Some("asset_license")
    );
    assert_eq!(base.own, base.effective);
    assert!(base.inherited.is_empty());

    // an explicit "unknown" (or a mapping without a value) is the nearest answer: the
    // ancestor's answer is hidden, and the note is carried
    let h = score::score_in_registry(&reg, "hedged", None).unwrap();
    assert_eq!(h.effective.indicator("data_size").unwrap().answer, None);
    assert_eq!(
        h.effective
            .indicator("data_size")
            .unwrap()
            .source
            .as_deref(),
        Some("hedged@1.0.0")
    );
    let ms = h.effective.indicator("model_size").unwrap();
    assert_eq!(
        (ms.answer, ms.note.as_deref()),
        (None, Some("not disclosed"))
    );
    assert_eq!(h.effective.total.score, 2);
    assert_eq!(h.inherited.get("base@1.0.0"), Some(&3));

    // trained_on does not inherit: the dataset's answers stay with the dataset
    let t = score::score_in_registry(&reg, "trained", None).unwrap();
    assert_eq!(t.effective.total, t.own.total);
    assert_eq!(t.effective.total.answered, 1);
    assert!(t.inherited.is_empty());
}

#[test]
fn answers_of_another_edition_are_not_counted() {
    let reg = family();
    // `newer` declares fmti2025: by default it is scored in fmti2025, and base's fmti2023
    // answers (inherited) are not counted
    let r = score::score_in_registry(&reg, "newer", None).unwrap();
    assert_eq!(r.edition, "fmti2025");
    assert_eq!((r.own.total.score, r.effective.total.score), (1, 1));
    assert!(r
        .effective
        .diagnostics
        .iter()
        .any(|d| d.code == "W_SCORE_EDITION"
            && d.message.contains("base@1.0.0")
            && d.message.contains("fmti2023")));
    // asked for fmti2023: base's answers count, newer's own do not
    let r = score::score_in_registry(&reg, "newer", Some("fmti2023")).unwrap();
    assert_eq!(r.own.total.answered, 0);
    assert_eq!(r.effective.total.score, 4);
    assert_eq!(codes(&r.own), ["W_SCORE_EDITION"]);
}

#[test]
fn the_first_listed_parent_wins_between_alias_and_key() {
    let reg = Registry::from_records(vec![
        rec(
            "model",
            "p1",
            json!({"transparency": {"answers": {"asset_license": true}}}),
        ),
        rec(
            "model",
            "p2",
            json!({"transparency": {"answers": {"model_license": false, "model_size": true}}}),
        ),
        rec(
            "model",
            "child",
            json!({"upstream": [
                {"name": "p1", "relation": "merge"},
                {"name": "p2", "relation": "merge"}
            ]}),
        ),
        rec(
            "model",
            "child2",
            json!({"upstream": [
                {"name": "p2", "relation": "merge"},
                {"name": "p1", "relation": "merge"}
            ]}),
        ),
    ])
    .unwrap();
    let r = score::score_in_registry(&reg, "child", None).unwrap();
    let lic = r.effective.indicator("model_license").unwrap();
    assert_eq!(
        (lic.answer, lic.source.as_deref()),
        (Some(true), Some("p1@1.0.0"))
    );
    assert!(r.effective.diagnostics.is_empty());
    assert_eq!(
        r.inherited.keys().collect::<Vec<_>>(),
        ["p1@1.0.0", "p2@1.0.0"]
    );
    let r = score::score_in_registry(&reg, "child2", None).unwrap();
    let lic = r.effective.indicator("model_license").unwrap();
    assert_eq!(
        (lic.answer, lic.source.as_deref()),
        (Some(false), Some("p2@1.0.0"))
    );
}

#[test]
fn diagnostics_point_into_the_record_file() {
    let dir = std::env::temp_dir().join(format!("umr-score-test-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("m")).unwrap();
    let file = dir.join("m/m-1.0.0.yaml");
    std::fs::write(
        &file,
        "format_version: '1.0'\nkind: model\nname: m\nversion: 1.0.0\ntransparency:\n  edition: fmti2023\n  answers:\n    data_size: true\n    datasize: false\n",
    )
    .unwrap();
    let r = Record::load(&file, &umr_core::Limits::default()).unwrap();
    let s = score::score_record(&r, None).unwrap();
    assert_eq!(codes(&s), ["W_SCORE_UNKNOWN_INDICATOR"]);
    let d = &s.diagnostics[0];
    assert_eq!(d.file.as_deref(), Some(file.display().to_string().as_str()));
    assert_eq!((d.line, d.column), (Some(9), Some(5)));
    assert_eq!(d.help.as_deref(), Some("did you mean `data_size`?"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn results_serialise_to_json() {
    let reg = family();
    let r = score::score_in_registry(&reg, "tuned", None).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["record"], "tuned@1.0.0");
    assert_eq!(v["own"]["total"]["score"], 1);
    assert_eq!(v["effective"]["domains"][0]["key"], "upstream");
    assert_eq!(v["effective"]["domains"][0]["subdomains"][0]["key"], "data");
    assert!(v["effective"]["domains"][0]["subdomains"][0]["indicators"].is_number());
    assert_eq!(v["inherited"]["base@1.0.0"], 2);
    let back: score::ScoreReport = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
    let e = serde_json::to_value(score::edition("fmti2023").unwrap()).unwrap();
    assert_eq!(e["indicators"].as_array().unwrap().len(), 100);
}
