//! Resolution over a random registry: records built from the fuzz bytes by a small
//! structured generator (names, versions, requirements, relation kinds, inheritance
//! overrides, nulls, risks and mitigations), then every registry operation: effective
//! records and provenance, lineage and its graph formats, risks and `affected`, lock and
//! drift, diff and bump rules, publish planning.
#![no_main]
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let recs = umr_fuzz::records(&mut u);
    let Ok(reg) = umr_core::Registry::from_records(recs) else {
        return;
    };
    umr_fuzz::exercise_registry(&reg, &mut u);
    if let Some(draft) = umr_fuzz::records(&mut u).into_iter().next() {
        umr_fuzz::exercise_publish(&reg, &draft);
    }
});
