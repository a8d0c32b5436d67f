//! # umr-wasm
//!
//! The WebAssembly package of Unified Model Records, built with wasm-bindgen for browsers
//! (`pkg/web`) and Node (`pkg/node`). It is a thin layer over `umr-core`: each export
//! converts its arguments, calls the core, converts the result and maps errors. The
//! package entry `umr_wasm.js` (from `js/api.js`) wraps these exports with the
//! `UmrError` classes of the Node package, turns a trap (a Rust panic under
//! `panic = "abort"`) into an `E_PANIC` error and re-instantiates the module.
//!
//! The API has the names and shapes of the Node package (`crates/umr-node`), in
//! camelCase; see `docs/wasm.md`.

mod convert;
mod error;
#[cfg(feature = "hf")]
mod hf;
mod record;
mod registry;
#[cfg(feature = "render")]
mod render;
#[cfg(feature = "score")]
mod score;

use convert::{to_js, value_from_text};
use error::{argument, umr, JsResult};
use umr_core::{Limits, LoadOptions, Syntax};
use wasm_bindgen::prelude::*;

pub use record::Record;
pub use registry::{Effective, Registry, RegistryBuilder};

/// Install the panic hook (runs when the module is instantiated, and again after a reset).
#[wasm_bindgen(start)]
pub fn start() {
    error::install_panic_hook();
    umr_core::validate::set_idna_fallback(domain_to_ascii);
}

#[wasm_bindgen]
extern "C" {
    /// The platform's WHATWG `URL` (browsers, Node).
    #[wasm_bindgen(js_name = URL)]
    type JsUrl;
    #[wasm_bindgen(constructor, js_class = "URL", catch)]
    fn new(url: &str) -> Result<JsUrl, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn hostname(this: &JsUrl) -> String;
}

/// Domain to ASCII (UTS 46, as the URL Standard does it) for host names with non-ASCII
/// characters or `xn--` labels: the core is built without the `url` crate and its Unicode
/// tables (docs/wasm.md, Size), so it asks the JavaScript `URL` parser. The core has
/// already refused the ASCII characters a domain may not hold; the last label `x` keeps
/// the parser from reading the result as an IPv4 address (the core does that step).
fn domain_to_ascii(domain: &str) -> Option<String> {
    let url = JsUrl::new(&format!("http://{domain}.x/")).ok()?;
    url.hostname().strip_suffix(".x").map(str::to_string)
}

/// The version of the library.
#[wasm_bindgen(js_name = __version, skip_typescript)]
pub fn version() -> String {
    umr_core::VERSION.to_string()
}

/// Check a document and return every diagnostic, errors and warnings, located. Never
/// throws for a bad document (only for a bad `syntax` option).
#[wasm_bindgen]
pub fn validate(text: &str, syntax: Option<String>, file: Option<String>) -> JsResult<JsValue> {
    let syntax = match syntax {
        Some(s) => Syntax::parse(&s).ok_or_else(|| {
            argument(
                "E_ENUM",
                format!("unknown syntax `{s}` (one of: yaml, json)"),
            )
        })?,
        None => Syntax::detect(text, file.as_deref()),
    };
    let opts = LoadOptions {
        file,
        limits: Limits::default(),
    };
    to_js(&umr_core::check_text(text, syntax, &opts).diagnostics)
}

/// The structured diff between two records given as JSON text; `version` is not
/// compared. Each change names the bump it requires and the rule that decided it.
#[wasm_bindgen]
pub fn diff(old_json: &str, new_json: &str) -> JsResult<JsValue> {
    let old = umr(value_from_text(old_json))?;
    let new = umr(value_from_text(new_json))?;
    to_js(&umr_core::evolution::diff(&old, &new))
}

/// The smallest semver bump that going from `old` to `new` (JSON text) requires.
#[wasm_bindgen(js_name = requiredBump)]
pub fn required_bump(old_json: &str, new_json: &str) -> JsResult<String> {
    let old = umr(value_from_text(old_json))?;
    let new = umr(value_from_text(new_json))?;
    let changes = umr_core::evolution::diff(&old, &new);
    Ok(umr_core::evolution::required_bump(&changes)
        .as_str()
        .to_string())
}

/// The optional parts this build has (`render`, `hf`, `score`), for feature detection.
#[wasm_bindgen(js_name = __features, skip_typescript)]
pub fn features() -> Vec<String> {
    let mut out = Vec::new();
    if cfg!(feature = "render") {
        out.push("render".to_string());
    }
    if cfg!(feature = "hf") {
        out.push("hf".to_string());
    }
    if cfg!(feature = "score") {
        out.push("score".to_string());
    }
    out
}

/// Test hook: panics, to prove a panic becomes a thrown `E_PANIC` error and the module
/// keeps working.
#[wasm_bindgen(js_name = __debugPanic, skip_typescript)]
#[allow(clippy::panic)]
pub fn debug_panic() {
    panic!("deliberate panic from __debugPanic")
}

/// The message of the last panic (read by the package entry after a trap), once.
#[wasm_bindgen(js_name = __takePanic, skip_typescript)]
pub fn take_panic() -> Option<String> {
    error::take_panic()
}
