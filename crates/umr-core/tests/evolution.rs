//! Record evolution: one test per bump rule row, version rules, publish refusals, impact.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};
use umr_core::evolution::{self, Bump, Op, RULES};
use umr_core::{Record, Registry, UmrError};

fn base() -> Value {
    json!({
        "format_version": "1.0", "kind": "model", "name": "m", "version": "1.0.0",
        "title": "M", "license": "MIT", "tags": ["a"], "references": ["https://x.example/"],
        "upstream": [{"name": "p", "relation": "finetune"}, {"name": "q", "relation": "merge"}],
        "details": {"parameters": 7, "context_length": 2048, "modalities": {"input": ["text"]}, "architecture": "t"},
        "card": {"intended_use": "research"},
        "evaluations": [{"task": "qa", "dataset": "d", "metric": "acc", "value": 0.5}],
        "risks": [{"id": "pii", "status": "suspected"}],
        "transparency": {"edition": "fmti2023", "answers": {"data_size": true}},
        "extensions": {"x": 1}
    })
}

/// Apply `edit` to the base and return the (rule, bump) of the deciding change.
fn decide(edit: impl FnOnce(&mut Value)) -> (String, Bump, Vec<evolution::Change>) {
    let old = base();
    let mut new = base();
    edit(&mut new);
    let changes = evolution::diff(&old, &new);
    let d = evolution::deciding_change(&changes)
        .cloned()
        .expect("a change");
    (d.rule.clone(), evolution::required_bump(&changes), changes)
}

fn assert_rule(rule: &str, bump: Bump, edit: impl FnOnce(&mut Value)) {
    let (r, b, changes) = decide(edit);
    assert_eq!((r.as_str(), b), (rule, bump), "{changes:#?}");
    let row = RULES
        .iter()
        .find(|x| x.id == rule)
        .expect("rule row exists");
    assert_eq!(row.bump, bump, "table row {rule}");
}

#[test]
fn every_rule_row_has_a_test_below() {
    let tested = [
        "kind",
        "identity",
        "upstream",
        "license-change",
        "license-add",
        "risk-confirmed",
        "risk-removed",
        "risk-suspected",
        "risk-text",
        "capability",
        "evaluation-removed",
        "evaluation",
        "list-items",
        "transparency",
        "format",
        "removed",
        "added",
        "text",
    ];
    for r in RULES {
        assert!(tested.contains(&r.id), "rule `{}` has no test", r.id);
    }
}

#[test]
fn rule_kind() {
    assert_rule("kind", Bump::Major, |v| v["kind"] = json!("family"));
}
#[test]
fn rule_identity() {
    assert_rule("identity", Bump::Major, |v| v["name"] = json!("m2"));
}
#[test]
fn rule_upstream_added_removed_changed_reordered() {
    assert_rule("upstream", Bump::Major, |v| {
        v["upstream"].as_array_mut().unwrap().push(json!("r"))
    });
    assert_rule("upstream", Bump::Major, |v| {
        v["upstream"].as_array_mut().unwrap().pop();
    });
    assert_rule("upstream", Bump::Major, |v| {
        v["upstream"][0]["relation"] = json!("adapter")
    });
    assert_rule("upstream", Bump::Major, |v| {
        v["upstream"].as_array_mut().unwrap().reverse()
    });
}
#[test]
fn rule_license_change_and_add() {
    assert_rule("license-change", Bump::Major, |v| {
        v["license"] = json!("Apache-2.0")
    });
    assert_rule("license-change", Bump::Major, |v| {
        v.as_object_mut().unwrap().shift_remove("license");
    });
    let old = json!({"format_version": "1.0", "kind": "model", "name": "m", "version": "1.0.0"});
    let mut new = old.clone();
    new["license"] = json!("MIT");
    let c = evolution::diff(&old, &new);
    assert_eq!(
        (c[0].rule.as_str(), c[0].bump),
        ("license-add", Bump::Minor)
    );
    // a key added inside a named licence is a change of the licence
    let old = json!({"format_version": "1.0", "kind": "model", "name": "m", "version": "1.0.0", "license": {"name": "L"}});
    let mut new = old.clone();
    new["license"]["url"] = json!("https://l.example/");
    assert_eq!(evolution::diff(&old, &new)[0].rule, "license-change");
}
#[test]
fn rule_risks() {
    assert_rule("risk-confirmed", Bump::Major, |v| {
        v["risks"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "csam"}))
    });
    assert_rule("risk-confirmed", Bump::Major, |v| {
        v["risks"][0]["status"] = json!("confirmed")
    });
    assert_rule("risk-removed", Bump::Major, |v| v["risks"] = json!([]));
    assert_rule("risk-suspected", Bump::Minor, |v| {
        v["risks"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "bias", "status": "suspected"}))
    });
    assert_rule("risk-suspected", Bump::Minor, |v| {
        v["risks"][0]["status"] = json!("mitigated");
        v["risks"][0]["justification"] = json!("scrubbed");
    });
    assert_rule("risk-text", Bump::Minor, |v| {
        v["risks"][0]["severity"] = json!("high")
    });
}
#[test]
fn rule_capability() {
    assert_rule("capability", Bump::Major, |v| {
        v["details"]["parameters"] = json!(13)
    });
    assert_rule("capability", Bump::Major, |v| {
        v["details"]["modalities"]["input"] = json!(["text", "image"])
    });
    assert_rule("capability", Bump::Major, |v| {
        v["details"]
            .as_object_mut()
            .unwrap()
            .shift_remove("context_length");
    });
}
#[test]
fn rule_evaluations() {
    assert_rule("evaluation-removed", Bump::Major, |v| {
        v["evaluations"] = json!([])
    });
    assert_rule("evaluation", Bump::Minor, |v| {
        v["evaluations"][0]["value"] = json!(0.6)
    });
    assert_rule("evaluation", Bump::Minor, |v| {
        v["evaluations"]
            .as_array_mut()
            .unwrap()
            .push(json!({"task": "qa", "dataset": "e", "metric": "acc", "value": 1}))
    });
}
#[test]
fn rule_list_items() {
    assert_rule("list-items", Bump::Minor, |v| {
        v["tags"].as_array_mut().unwrap().push(json!("b"))
    });
    assert_rule("list-items", Bump::Minor, |v| v["references"] = json!([]));
    assert_rule("list-items", Bump::Minor, |v| {
        v.as_object_mut().unwrap().shift_remove("tags");
    });
}
#[test]
fn rule_transparency() {
    assert_rule("transparency", Bump::Minor, |v| {
        v["transparency"]["answers"]["data_size"] = json!(false)
    });
    assert_rule("transparency", Bump::Minor, |v| {
        v["transparency"]["edition"] = json!("fmti2025")
    });
}
#[test]
fn rule_format() {
    assert_rule("format", Bump::Patch, |v| {
        v["format_version"] = json!("1.1")
    });
}
#[test]
fn rule_removed_added_text() {
    assert_rule("removed", Bump::Major, |v| {
        v.as_object_mut().unwrap().shift_remove("card");
    });
    assert_rule("added", Bump::Minor, |v| v["publisher"] = json!("P"));
    assert_rule("text", Bump::Patch, |v| {
        v["card"]["intended_use"] = json!("research and teaching")
    });
    assert_rule("text", Bump::Patch, |v| v["extensions"]["x"] = json!(2));
}
#[test]
fn version_changes_and_no_changes() {
    let mut bumped = base();
    bumped["version"] = json!("9.9.9");
    let c = evolution::diff(&base(), &bumped);
    assert!(c.is_empty(), "the version itself is not a change: {c:?}");
    assert!(evolution::diff(&base(), &base()).is_empty());
    let c = evolution::diff(&base(), &{
        let mut v = base();
        v["title"] = json!("N");
        v
    });
    assert_eq!((c[0].path.as_str(), c[0].op), ("title", Op::Changed));
}

fn v(s: &str) -> semver::Version {
    semver::Version::parse(s).unwrap()
}

#[test]
fn bump_checks_follow_semver_conventions() {
    let major = evolution::diff(&base(), &{
        let mut x = base();
        x["kind"] = json!("family");
        x
    });
    let minor = evolution::diff(&base(), &{
        let mut x = base();
        x["publisher"] = json!("P");
        x
    });
    assert!(evolution::check_bump(&v("1.0.0"), &v("2.0.0"), &major).is_ok());
    let e = evolution::check_bump(&v("1.0.0"), &v("1.1.0"), &major).unwrap_err();
    assert_eq!(e.code(), "E_BUMP_TOO_SMALL");
    assert!(e.to_string().contains("`kind`"), "{e}");
    assert!(evolution::check_bump(&v("1.0.0"), &v("1.1.0"), &minor).is_ok());
    assert!(evolution::check_bump(&v("1.0.0"), &v("1.0.1"), &minor).is_err());
    // 0.x: a breaking change needs a minor bump, anything else a patch bump
    assert!(evolution::check_bump(&v("0.3.0"), &v("0.4.0"), &major).is_ok());
    assert!(evolution::check_bump(&v("0.3.0"), &v("0.3.1"), &minor).is_ok());
    assert!(evolution::check_bump(&v("0.3.0"), &v("0.3.1"), &major).is_err());
    // pre-releases promise nothing; not newer is refused
    assert!(evolution::check_bump(&v("1.0.0"), &v("1.0.1-rc.1"), &major).is_ok());
    assert_eq!(
        evolution::check_bump(&v("1.0.0"), &v("1.0.0"), &minor)
            .unwrap_err()
            .code(),
        "E_VERSION_NOT_NEWER"
    );
    assert_eq!(
        evolution::next_version(&v("1.2.3"), Bump::Major),
        v("2.0.0")
    );
    assert_eq!(
        evolution::next_version(&v("1.2.3"), Bump::Minor),
        v("1.3.0")
    );
    assert_eq!(
        evolution::next_version(&v("0.2.3"), Bump::Major),
        v("0.3.0")
    );
    assert_eq!(
        evolution::next_version(&v("2.0.0-rc.1"), Bump::Major),
        v("2.0.0")
    );
}

fn rec(value: Value) -> Record {
    Record::from_value(value).unwrap()
}

fn model(name: &str, version: &str, extra: Value) -> Record {
    let mut m = json!({"format_version": "1.0", "kind": "model", "name": name, "version": version});
    for (k, x) in extra.as_object().unwrap() {
        m[k] = x.clone();
    }
    rec(m)
}

#[test]
fn publish_refuses_existing_versions_and_small_bumps_naming_the_change() {
    let dir = std::env::temp_dir().join(format!("umr-evolution-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let v1 = model("m", "1.0.0", json!({"license": "MIT"}));
    let reg = Registry::from_records(vec![v1.clone()]).unwrap();
    // the same version again
    let e = evolution::publish(&reg, &dir, &v1).unwrap_err();
    assert_eq!(e.code(), "E_EXISTS");
    // a licence change shipped as a minor release
    let bad = model("m", "1.1.0", json!({"license": "Apache-2.0"}));
    let e = evolution::publish(&reg, &dir, &bad).unwrap_err();
    assert_eq!(e.code(), "E_BUMP_TOO_SMALL");
    assert!(
        e.to_string().contains("`license`") && e.to_string().contains("license-change"),
        "{e}"
    );
    assert!(!dir.join("m/m-1.1.0.yaml").exists());
    // the same change as a major release is written, exclusively
    let good = model("m", "2.0.0", json!({"license": "Apache-2.0"}));
    let (plan, path) = evolution::publish(&reg, &dir, &good).unwrap();
    assert_eq!(plan.required, Bump::Major);
    assert_eq!(path, dir.join("m/m-2.0.0.yaml"));
    assert_eq!(
        Record::load(&path, &umr_core::Limits::default()).unwrap(),
        good
    );
    // a release after a pre-release is checked against the last release
    let reg = Registry::from_records(vec![
        v1.clone(),
        model("m", "1.0.1-rc.1", json!({"license": "Apache-2.0"})),
    ])
    .unwrap();
    let sneaky = model("m", "1.0.1", json!({"license": "Apache-2.0"}));
    assert_eq!(
        evolution::plan_publish(&reg, &sneaky).unwrap_err().code(),
        "E_BUMP_TOO_SMALL"
    );
    // a record whose upstream does not resolve is refused
    let orphan = model("n", "1.0.0", json!({"upstream": ["ghost"]}));
    assert!(matches!(
        evolution::plan_publish(&reg, &orphan),
        Err(UmrError::Resolve { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn impact_on_a_three_level_chain() {
    // base ← ft (^1) ← q (quantized, any) ; pinned ← base ==1.0.0
    let records = vec![
        model(
            "base",
            "1.0.0",
            json!({"card": {"limitations": "old"}, "publisher": "B"}),
        ),
        model(
            "ft",
            "1.0.0",
            json!({"upstream": [{"name": "base", "version": "^1", "relation": "finetune"}]}),
        ),
        model(
            "q",
            "1.0.0",
            json!({"upstream": [{"name": "ft", "relation": "quantized"}]}),
        ),
        model("pinned", "1.0.0", json!({"upstream": ["base==1.0.0"]})),
    ];
    let mut with_new = records.clone();
    let new = model(
        "base",
        "1.1.0",
        json!({"card": {"limitations": "new"}, "publisher": "B"}),
    );
    with_new.push(new.clone());
    let reg = Registry::from_records(with_new).unwrap();
    let imp = evolution::impact(&reg, &new).unwrap();
    assert_eq!(imp.new, "base@1.1.0");
    let up: Vec<(&str, Option<&str>, &str)> = imp
        .upgraded
        .iter()
        .map(|u| (u.record.as_str(), u.before.as_deref(), u.after.as_str()))
        .collect();
    assert_eq!(up, vec![("ft@1.0.0", Some("base@1.0.0"), "base@1.1.0")]);
    let pinned: Vec<&str> = imp.pinned.iter().map(|u| u.record.as_str()).collect();
    assert_eq!(pinned, vec!["pinned@1.0.0"]);
    // both the direct and the transitive descendant see the new limitations
    let changed: Vec<&str> = imp.changed.iter().map(|c| c.record.as_str()).collect();
    assert_eq!(changed, vec!["ft@1.0.0", "q@1.0.0"]);
    for c in &imp.changed {
        assert_eq!(c.changes.len(), 1);
        assert_eq!(c.changes[0].path, "card.limitations");
        assert_eq!(c.changes[0].new, Some(json!("new")));
        assert_eq!(c.bump, Bump::Patch);
    }
}

#[test]
fn derive_keeps_only_differences() {
    let base = model(
        "base",
        "1.0.0",
        json!({"publisher": "B", "card": {"intended_use": "x", "limitations": "y"}}),
    );
    let overrides =
        json!({"publisher": "B", "card": {"intended_use": "x", "limitations": "z"}, "title": "T"});
    let d = base
        .derive("child", "0.1.0", None, overrides.as_object().unwrap())
        .unwrap();
    assert_eq!(
        d.value(),
        &json!({
            "format_version": "1.0", "kind": "model", "name": "child", "version": "0.1.0", "title": "T",
            "upstream": [{"name": "base", "version": "=1.0.0", "relation": evolution::DEFAULT_DERIVE_RELATION}],
            "card": {"limitations": "z"}
        })
    );
    assert!(base
        .derive("c", "1.0.0", Some("nonsense"), &serde_json::Map::new())
        .is_err());
}
