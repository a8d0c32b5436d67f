//! Rendering (`umr_core::render`) as Python values: text formats as `str`, PDF as `bytes`,
//! and the HTML card as Jupyter's `_repr_html_`.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use umr_core::render::{escape, Format};
use umr_core::UmrError;

use crate::error::{to_py_err, OrRaise};

/// An output format by name (`md`/`markdown`, `html`, `tex`/`latex`, `pdf`, `svg`, any
/// case): the core's parser and its `E_FORMAT` error.
pub fn format(name: &str) -> PyResult<Format> {
    name.parse::<Format>().or_raise()
}

/// Rendered output: `bytes` for a binary format (PDF), else `str`.
pub fn output<'py>(py: Python<'py>, format: Format, out: Vec<u8>) -> PyResult<Bound<'py, PyAny>> {
    if format.is_binary() {
        return Ok(PyBytes::new(py, &out).into_any());
    }
    let text = String::from_utf8(out).map_err(|e| {
        to_py_err(&UmrError::Internal {
            message: format!("rendered {} is not UTF-8: {e}", format.extension()),
        })
    })?;
    Ok(PyString::new(py, &text).into_any())
}

/// The core's standalone HTML card for a notebook cell: inside a sandboxed `<iframe>`
/// (`srcdoc`), so the page's stylesheet cannot restyle the notebook and nothing in it can
/// run. The page itself is the core's, byte for byte.
pub fn notebook(page: Vec<u8>, id: &str) -> PyResult<String> {
    let page = String::from_utf8(page).map_err(|e| {
        to_py_err(&UmrError::Internal {
            message: format!("rendered html is not UTF-8: {e}"),
        })
    })?;
    Ok(format!(
        "<iframe class=\"umr-card\" title=\"{}\" sandbox srcdoc=\"{}\" \
         style=\"width:100%;height:640px;border:1px solid #dde2ea;border-radius:8px;resize:vertical\">\
         </iframe>",
        escape::html(id),
        escape::html(&page)
    ))
}
