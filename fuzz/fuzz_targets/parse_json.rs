//! Any bytes, read as a JSON record file (the strict fast reader, then the located one).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    umr_fuzz::check_bytes(data, umr_core::Syntax::Json, None);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = umr_core::yaml::parse_json_fast(text, &umr_fuzz::tight_limits());
        let _ = umr_core::Syntax::detect(text, None);
    }
});
