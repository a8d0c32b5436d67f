//! The prototype dialect: the input as a whole document (seeded with the prototype's
//! records), and the input as the body of an `mr:` root, with a registry-style file name
//! (name and version come from `<name>/<name>-<version>.yaml`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = Some("fz/fz-1.0.0.yaml");
    umr_fuzz::check_bytes(data, umr_core::Syntax::Yaml, file);
    if let Ok(text) = std::str::from_utf8(data) {
        let mut doc = String::from("mr:\n");
        for line in text.lines() {
            doc.push_str("  ");
            doc.push_str(line);
            doc.push('\n');
        }
        umr_fuzz::check_bytes(doc.as_bytes(), umr_core::Syntax::Yaml, file);
    }
});
