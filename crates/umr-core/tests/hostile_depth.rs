#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The deepest values the reader accepts, through every walk over a value: merge
//! (resolution), diff, the emitters (YAML, JSON), every render format, scoring, lineage, and
//! the CycloneDX, SPDX and Hugging Face exports. Each runs on a thread with a small stack, so
//! a walk whose recursion is not bounded by the depth limit would show here. Deeper values
//! (also through aliases) are refused by the reader (tests/hostile.rs).

use serde_json::{json, Value};
use umr_core::interop::{cyclonedx, hf, spdx};
use umr_core::render::Format;
use umr_core::{check_text, evolution, score, Limits, LoadOptions, Record, Registry, Syntax};

/// A value whose deepest container sits `levels` levels below the record's root mapping
/// (level 1) when placed under a top-level key: `{"k": {"k": … leaf}}`.
fn deep(levels: usize, leaf: Value) -> Value {
    let mut v = leaf;
    for _ in 0..levels - 1 {
        v = json!({ "k": v, "l": [1, "two"] });
    }
    v
}

fn record(name: &str, version: &str, extra: Value) -> Value {
    let mut r = json!({
        "format_version": "1.0", "kind": "model", "name": name, "version": version,
        "title": format!("{name} title"), "license": "Apache-2.0",
    });
    if let (Value::Object(m), Value::Object(x)) = (&mut r, extra) {
        m.extend(x);
    }
    r
}

/// Read a record as YAML text through the reader (so the value is one it accepts).
fn read(v: &Value) -> Record {
    let text = Record::from_value(v.clone()).unwrap().to_yaml();
    let c = check_text(&text, Syntax::Yaml, &LoadOptions::default());
    c.record
        .unwrap_or_else(|| panic!("the reader refuses it: {:?}", c.diagnostics))
}

fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn the_deepest_accepted_value_goes_through_every_walk() {
    on_small_stack(|| {
        let max = Limits::default().max_depth;
        // under `extensions` (level 2) the value may take max - 1 levels
        let base = read(&record(
            "deep",
            "1.0.0",
            json!({"extensions": deep(max - 1, json!("leaf-a")), "x-deep": deep(max - 1, json!(1))}),
        ));
        let newer = read(&record(
            "deep",
            "1.1.0",
            json!({"extensions": deep(max - 1, json!("leaf-b")), "x-deep": deep(max - 1, json!(2))}),
        ));
        let kid = read(&record(
            "kid",
            "1.0.0",
            json!({
                "upstream": [{"name": "deep", "version": "^1", "relation": "finetune"}],
                "extensions": deep(max - 1, json!("leaf-kid")),
            }),
        ));
        // one level more is refused
        let text = Record::from_value(record(
            "x",
            "1.0.0",
            json!({"extensions": deep(max, json!(0))}),
        ))
        .map(|r| r.to_yaml());
        if let Ok(t) = text {
            let c = check_text(&t, Syntax::Yaml, &LoadOptions::default());
            assert!(c.record.is_none(), "one level over the limit is refused");
        }

        // emitters round trip
        for r in [&base, &newer, &kid] {
            let y = check_text(&r.to_yaml(), Syntax::Yaml, &LoadOptions::default());
            assert_eq!(y.record.unwrap().value(), r.value());
            let j = check_text(&r.to_json(), Syntax::Json, &LoadOptions::default());
            assert_eq!(j.record.unwrap().value(), r.value());
        }
        // diff sees the innermost change
        let changes = evolution::diff(base.value(), newer.value());
        assert!(
            changes
                .iter()
                .any(|c| c.path.matches(".k").count() >= max - 3),
            "the deepest leaf changed: {:?}",
            changes.iter().map(|c| &c.path).collect::<Vec<_>>()
        );
        // merge: the effective record of kid inherits and overrides at depth
        let reg = Registry::from_records(vec![base.clone(), newer.clone(), kid.clone()]).unwrap();
        let eff = reg.effective("kid").unwrap();
        let mut x = &eff.record.value()["extensions"];
        while x.get("k").is_some() {
            x = &x["k"];
        }
        assert_eq!(x, &json!("leaf-kid"));
        assert_eq!(eff.record.value()["license"], "Apache-2.0", "inherited");
        // the effective record is itself a record the reader accepts
        let back = check_text(&eff.record.to_yaml(), Syntax::Yaml, &LoadOptions::default());
        assert!(back.record.is_some(), "{:?}", back.diagnostics);
        // every render format, lineage, scores, exports
        for f in [
            Format::Markdown,
            Format::Html,
            Format::Latex,
            Format::Pdf,
            Format::Svg,
        ] {
            assert!(!reg.render("kid", f).unwrap().is_empty(), "{f:?}");
        }
        assert_eq!(reg.lineage("kid").unwrap().nodes().len(), 2);
        score::score_record(&kid, None).unwrap();
        cyclonedx::export(&reg, "kid", &cyclonedx::CdxOptions::default()).unwrap();
        spdx::export(&reg, "kid", &spdx::SpdxOptions::default()).unwrap();
        let card = hf::export_from_registry(&reg, "kid", true).unwrap();
        assert!(card.contains("kid"));
    });
}
