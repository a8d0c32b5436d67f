//! Hugging Face model and dataset cards (YAML front matter + Markdown): import, and
//! export of what was imported.
#![no_main]
use libfuzzer_sys::fuzz_target;
use umr_core::interop::hf;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for limits in [umr_core::Limits::default(), umr_fuzz::tight_limits()] {
        let _ = hf::read_card(text, &limits, Some("README.md"));
        let _ = hf::front_matter(text, &limits);
        let opts = hf::HfImportOptions {
            file: Some("org/model/README.md".into()),
            limits,
            ..Default::default()
        };
        if let Ok((rec, _warnings)) = hf::import_card(text, &opts) {
            if limits == umr_core::Limits::default() {
                umr_fuzz::exercise_record(&rec);
            }
            if let Ok(card) = hf::export_card(rec.value()) {
                let _ = hf::import_card(&card, &opts);
            }
        }
    }
});
