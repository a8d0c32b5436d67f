//! Any bytes, read as a YAML record file (native or prototype dialect).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    umr_fuzz::check_bytes(data, umr_core::Syntax::Yaml, None);
});
