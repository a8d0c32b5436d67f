//! Value conversion between Python objects and the core's JSON value trees.
//!
//! Python → value accepts what a record can hold: `None`, `bool`, `int`, `float`, `str`,
//! `dict`/mappings with `str` keys, `list`/`tuple`, plus `datetime.date` (written as its ISO
//! form, as YAML loaders produce dates). Nesting deeper than the core's default depth limit
//! is refused, so a self-referencing dict cannot exhaust the stack.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use umr_core::{Limits, UmrError};

use crate::error::to_py_err;

/// A core value as a Python object (dicts keep key order).
pub fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(m) => {
            let dict = PyDict::new(py);
            for (k, item) in m {
                dict.set_item(k, to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// Any serialisable core result as a Python object (through its JSON form, the shape every
/// surface shares).
pub fn ser_to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    t: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let v = serde_json::to_value(t).map_err(|e| PyValueError::new_err(e.to_string()))?;
    to_py(py, &v)
}

/// A Python object as a core value.
pub fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_value_at(obj, "", 0, Limits::default().max_depth)
}

/// A mapping of keyword arguments as a core map.
pub fn to_map(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Map<String, Value>> {
    match kwargs {
        None => Ok(Map::new()),
        Some(d) => match to_value(d.as_any())? {
            Value::Object(m) => Ok(m),
            _ => Ok(Map::new()),
        },
    }
}

fn too_deep(at: &str, max: usize) -> PyErr {
    to_py_err(&UmrError::Refused {
        code: "E_LIMIT_DEPTH".into(),
        message: format!(
            "value nested deeper than {max} levels at `{}`; refused",
            if at.is_empty() { "(root)" } else { at }
        ),
    })
}

fn to_value_at(obj: &Bound<'_, PyAny>, at: &str, depth: usize, max: usize) -> PyResult<Value> {
    if depth > max {
        return Err(too_deep(at, max));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(to_py_err(&UmrError::argument(
            "E_NUMBER",
            format!("integer at `{at}` does not fit in 64 bits"),
        )));
    }
    if obj.is_instance_of::<PyFloat>() {
        let f: f64 = obj.extract()?;
        return Number::from_f64(f).map(Value::Number).ok_or_else(|| {
            to_py_err(&UmrError::argument(
                "E_NUMBER",
                format!("float at `{at}` is {f}; records hold finite numbers only"),
            ))
        });
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(Value::String(obj.extract()?));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        return map_items(d.items().as_any(), at, depth, max);
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return seq_items(l.as_any(), at, depth, max);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return seq_items(t.as_any(), at, depth, max);
    }
    if let Ok(m) = obj.cast::<PyMapping>() {
        return map_items(m.items()?.as_any(), at, depth, max);
    }
    let py = obj.py();
    let date = py.import("datetime")?.getattr("date")?;
    if obj.is_instance(&date)? {
        return Ok(Value::String(obj.call_method0("isoformat")?.extract()?));
    }
    Err(PyTypeError::new_err(format!(
        "cannot store a `{}` at `{}` in a record (use None, bool, int, float, str, list or dict)",
        obj.get_type().name()?,
        if at.is_empty() { "(root)" } else { at }
    )))
}

fn map_items(items: &Bound<'_, PyAny>, at: &str, depth: usize, max: usize) -> PyResult<Value> {
    let mut m = Map::new();
    for pair in items.try_iter()? {
        let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair?.extract()?;
        let key: String = k.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "mapping keys must be str; found a `{}` key at `{}`",
                k.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                if at.is_empty() { "(root)" } else { at }
            ))
        })?;
        let child = umr_core::path::key(at, &key);
        let value = to_value_at(&v, &child, depth + 1, max)?;
        m.insert(key, value);
    }
    Ok(Value::Object(m))
}

fn seq_items(seq: &Bound<'_, PyAny>, at: &str, depth: usize, max: usize) -> PyResult<Value> {
    let mut out = Vec::new();
    for (i, item) in seq.try_iter()?.enumerate() {
        let child = umr_core::path::index(at, i);
        out.push(to_value_at(&item?, &child, depth + 1, max)?);
    }
    Ok(Value::Array(out))
}
