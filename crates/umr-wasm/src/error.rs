//! The error boundary.
//!
//! Every core error leaves Rust through [`to_js_error`]: a JS `Error` whose `name` is the
//! error kind and which carries the fields of the core's [`umr_core::ErrorData`] (`kind`,
//! `code`, `message`, `path`, `line`, `column`, `diagnostics`, `chain`) as own properties.
//! The package entry (`js/api.js`) turns it into the matching `UmrError` subclass, the same
//! classes and fields as the Node package.
//!
//! The module is built with `panic = "abort"`, so a Rust panic cannot be caught here: it
//! ends in a trap (`WebAssembly.RuntimeError`) that the package entry catches. The panic
//! hook installed at start records the panic message first, so that the entry can report
//! it in the `E_PANIC` error it throws (after re-instantiating the module).

use std::cell::RefCell;
use umr_core::{ErrorData, UmrError};
use wasm_bindgen::{JsCast, JsValue};

/// The result of an export: the error is thrown in JS.
pub type JsResult<T> = Result<T, JsValue>;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A core error as a thrown JS error (the one conversion on the Rust side).
pub fn to_js_error(err: &UmrError) -> JsValue {
    from_data(&err.to_data())
}

/// An `Error` carrying the fields of `data`.
fn from_data(data: &ErrorData) -> JsValue {
    let e = js_sys::Error::new(&data.message);
    e.set_name(&data.kind);
    // ErrorData is strings, numbers and lists: serialising it cannot fail
    if let Some(fields) = serde_json::to_string(data)
        .ok()
        .and_then(|s| js_sys::JSON::parse(&s).ok())
    {
        js_sys::Object::<JsValue>::assign(e.unchecked_ref(), fields.unchecked_ref());
    }
    e.into()
}

/// Map a core result to an export result.
pub fn umr<T>(r: umr_core::Result<T>) -> JsResult<T> {
    r.map_err(|e| to_js_error(&e))
}

/// An argument error (`ArgumentError` in JS).
pub fn argument(code: &str, message: impl Into<String>) -> JsValue {
    to_js_error(&UmrError::argument(code, message))
}

/// Record the message of every panic (the module aborts right after the hook returns).
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("unknown panic payload");
        let at = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        let message = format!("{what}{at}");
        LAST_PANIC.with(|slot| {
            if let Ok(mut slot) = slot.try_borrow_mut() {
                *slot = Some(message);
            }
        });
    }));
}

/// The message of the last panic, once.
pub fn take_panic() -> Option<String> {
    LAST_PANIC.with(|slot| slot.try_borrow_mut().ok().and_then(|mut s| s.take()))
}
