//! The error boundary: every core error and every panic becomes a thrown JS `Error` whose
//! message carries the core's [`umr_core::ErrorData`] as JSON after [`ERROR_MARK`].
//! `umr.js` turns it into the matching `UmrError` subclass (`UmrError.fromData`), so
//! the mapping from error kind to class lives in one place.

use std::panic::{catch_unwind, AssertUnwindSafe};
use umr_core::{ErrorData, UmrError};

/// Prefix of the message of a native error that carries serialised `ErrorData`.
/// Keep in sync with `ERROR_MARK` in `umr.js`.
pub const ERROR_MARK: &str = "umr-error-data:";

/// The code of the error that a caught Rust panic becomes.
const PANIC_CODE: &str = "E_PANIC";

/// A core error as a native error (the one conversion on the Rust side).
pub fn to_napi(err: UmrError) -> napi::Error {
    from_data(&err.to_data())
}

fn from_data(data: &ErrorData) -> napi::Error {
    let json = serde_json::to_string(data).unwrap_or_else(|_| {
        // ErrorData is strings, numbers and lists: serialising cannot fail
        format!(
            "{{\"kind\":\"UmrError\",\"code\":{:?},\"message\":{:?}}}",
            data.code, data.message
        )
    });
    napi::Error::new(napi::Status::GenericFailure, format!("{ERROR_MARK}{json}"))
}

/// Map a core result to a napi result.
pub fn umr<T>(r: umr_core::Result<T>) -> napi::Result<T> {
    r.map_err(to_napi)
}

/// Run `f`, turning a Rust panic into a thrown `InternalError` (code `E_PANIC`) instead of
/// letting it unwind into node (which would abort the process). Every exported function,
/// method, getter and async task body runs inside this.
pub fn guard<T>(f: impl FnOnce() -> napi::Result<T>) -> napi::Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_string());
            Err(from_data(&ErrorData {
                kind: "InternalError".to_string(),
                code: PANIC_CODE.to_string(),
                message: format!("internal error in umr (please report it): {what}"),
                path: None,
                line: None,
                column: None,
                diagnostics: Vec::new(),
                chain: Vec::new(),
            }))
        }
    }
}
