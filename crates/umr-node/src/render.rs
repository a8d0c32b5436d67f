//! Rendering (`umr_core::render`) as JS values: text formats as strings, PDF as a `Buffer`.

use crate::error::{to_napi, umr};
use napi::bindgen_prelude::{Buffer, Either};
use umr_core::render::Format;
use umr_core::UmrError;

/// A rendered document: a string, or a `Buffer` for a binary format (PDF).
pub type Rendered = Either<String, Buffer>;

/// An output format by name (`md`/`markdown`, `html`, `tex`/`latex`, `pdf`, `svg`, any
/// case): the core's parser and its `E_FORMAT` error.
pub fn format(name: &str) -> napi::Result<Format> {
    umr(name.parse::<Format>())
}

/// Rendered output: a `Buffer` for a binary format (PDF), else a string.
pub fn output(format: Format, out: Vec<u8>) -> napi::Result<Rendered> {
    if format.is_binary() {
        return Ok(Either::B(out.into()));
    }
    String::from_utf8(out).map(Either::A).map_err(|e| {
        to_napi(UmrError::Internal {
            message: format!("rendered {} is not UTF-8: {e}", format.extension()),
        })
    })
}
