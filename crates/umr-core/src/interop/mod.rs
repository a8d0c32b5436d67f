//! Interoperability with the formats people already publish and audit with:
//!
//! - [`hf`]: Hugging Face model and dataset cards (`README.md` with YAML front matter),
//!   import and export, round-trip safe;
//! - [`cyclonedx`]: CycloneDX 1.6 / 1.7 ML-BOM (JSON) export of a record or a whole
//!   lineage, and import of ML-BOM components;
//! - [`spdx`]: SPDX 3.0.1 JSON-LD with the AI and Dataset profiles;
//! - [`license`]: licence identifiers across the three.
//!
//! Mappings, lenient readings and limits: `docs/interop.md`.

pub mod cyclonedx;
mod graph;
pub mod hf;
pub mod license;
pub mod spdx;
pub mod util;

pub use graph::{ExportSet, Member};

use crate::diagnostic::Result;
use crate::registry::Registry;
use serde_json::{json, Value};

/// The value of registry record `i` for export: its effective record (`effective`) or its
/// own, with every upstream relation written in mapping form with the kind the registry
/// resolved (so a short form such as `laion-5b` becomes `{name: laion-5b, relation:
/// trained_on}`), and the card layout extensions (`extensions.hf`, `extensions.hf_card`)
/// taken from the record's own value only.
pub fn registry_value(reg: &Registry, i: usize, effective: bool) -> Result<Value> {
    let own = reg.record(i);
    let mut v = if effective {
        reg.effective_of(i)?.record.value().clone()
    } else {
        own.value().clone()
    };
    if let Some(m) = v.as_object_mut() {
        if let Some(ext) = m.get_mut("extensions").and_then(Value::as_object_mut) {
            for k in ["hf", "hf_card"] {
                ext.remove(k);
                if let Some(x) = own.value().get("extensions").and_then(|e| e.get(k)) {
                    ext.insert(k.to_string(), x.clone());
                }
            }
            if ext.is_empty() {
                m.remove("extensions");
            }
        }
        if let Some(Value::Array(ups)) = m.get_mut("upstream") {
            for e in reg.edges(i) {
                let Some(slot) = ups.get_mut(e.index) else {
                    continue;
                };
                let target = reg.record(e.target);
                let mut spec = match slot {
                    Value::Object(o) => o.clone(),
                    _ => serde_json::Map::new(),
                };
                spec.insert("name".into(), json!(target.name()));
                spec.insert("relation".into(), json!(e.relation.as_str()));
                if !spec.contains_key("version") {
                    spec.insert("version".into(), json!(format!("={}", target.version())));
                }
                *slot = Value::Object(spec);
            }
        }
    }
    Ok(v)
}
