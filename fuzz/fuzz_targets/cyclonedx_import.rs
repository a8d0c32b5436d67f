//! CycloneDX BOM import (JSON), and export of what was imported.
#![no_main]
use libfuzzer_sys::fuzz_target;
use umr_core::interop::cyclonedx;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for limits in [umr_core::Limits::default(), umr_fuzz::tight_limits()] {
        let opts = cyclonedx::CdxImportOptions {
            limits,
            ..Default::default()
        };
        if let Ok((recs, _warnings)) = cyclonedx::import(text, &opts) {
            for rec in &recs {
                let _ = cyclonedx::export_record(rec.value(), &cyclonedx::CdxOptions::default());
            }
        }
    }
});
