//! Value conversion between Python objects and the core's JSON value trees.
//!
//! Python → value accepts what a record can hold: `None`, `bool`, `int`, `float`, `str`,
//! `dict`/mappings with `str` keys, `list`/`tuple`, plus `datetime.date` (written as its ISO
//! form, as YAML loaders produce dates). The core's limits for values built in memory
//! (`umr_core::limits::check_value_limits`: depth, node count, string size) apply to every
//! converted value, and decide the error (`ValidationError`, `E_LIMIT_*`). The conversion
//! itself stops descending as soon as the value is past the core's depth or node limit, so a
//! self-referencing dict or a huge shared structure cannot exhaust the stack or the CPU;
//! whatever it cut, the core's check then refuses.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value};
use umr_core::limits::check_value_limits;
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
    let v = serde_json::to_value(t).map_err(|e| {
        to_py_err(&UmrError::Internal {
            message: format!("result not serialisable: {e}"),
        })
    })?;
    to_py(py, &v)
}

/// A Python object as a core value, within the core's limits for in-memory values.
pub fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let limits = Limits::default();
    let mut conv = Converter {
        limits,
        nodes: 0,
        cut: false,
    };
    let v = conv.value(obj, "", 0)?;
    match check_value_limits(&v, &limits) {
        Some(d) => Err(to_py_err(&UmrError::Invalid(vec![d]))),
        None if conv.cut => Err(to_py_err(&UmrError::Internal {
            message: "a value cut short while converting it passed the core's limits".into(),
        })),
        None => Ok(v),
    }
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

/// Keyword options as one of the core's option structs (which derive `Deserialize` with
/// defaults: an option not given, or given as `None`, takes the core's default). An
/// option the struct does not have, or a value of the wrong type, is an `ArgumentError`
/// (`E_OPTIONS`).
pub fn options<T: DeserializeOwned>(mut given: Map<String, Value>) -> PyResult<T> {
    given.retain(|_, v| !v.is_null());
    serde_json::from_value(Value::Object(given)).map_err(|e| {
        to_py_err(&UmrError::argument(
            "E_OPTIONS",
            format!("invalid option: {e}"),
        ))
    })
}

/// `**options` keyword arguments as one of the core's option structs (see [`options`]).
pub fn options_of<T: DeserializeOwned>(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<T> {
    options(to_map(kwargs)?)
}

fn shown(at: &str) -> &str {
    if at.is_empty() {
        "(root)"
    } else {
        at
    }
}

/// The conversion walk. `nodes` counts converted values; past the core's node or depth
/// limit the walk stops (`cut`) and leaves `null` in place of the rest, which the core's
/// check refuses.
struct Converter {
    limits: Limits,
    nodes: usize,
    cut: bool,
}

impl Converter {
    fn value(&mut self, obj: &Bound<'_, PyAny>, at: &str, depth: usize) -> PyResult<Value> {
        self.nodes += 1;
        if self.cut || self.nodes > self.limits.max_nodes || depth > self.limits.max_depth {
            self.cut = true;
            return Ok(Value::Null);
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
                format!("integer at `{}` does not fit in 64 bits", shown(at)),
            )));
        }
        if obj.is_instance_of::<PyFloat>() {
            let f: f64 = obj.extract()?;
            return Number::from_f64(f).map(Value::Number).ok_or_else(|| {
                to_py_err(&UmrError::argument(
                    "E_NUMBER",
                    format!(
                        "float at `{}` is {f}; records hold finite numbers only",
                        shown(at)
                    ),
                ))
            });
        }
        if obj.is_instance_of::<PyString>() {
            return Ok(Value::String(obj.extract()?));
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            return self.map_items(d.items().as_any(), at, depth);
        }
        if let Ok(l) = obj.cast::<PyList>() {
            return self.seq_items(l.as_any(), at, depth);
        }
        if let Ok(t) = obj.cast::<PyTuple>() {
            return self.seq_items(t.as_any(), at, depth);
        }
        if let Ok(m) = obj.cast::<PyMapping>() {
            return self.map_items(m.items()?.as_any(), at, depth);
        }
        let py = obj.py();
        let date = py.import("datetime")?.getattr("date")?;
        if obj.is_instance(&date)? {
            return Ok(Value::String(obj.call_method0("isoformat")?.extract()?));
        }
        Err(PyTypeError::new_err(format!(
            "cannot store a `{}` at `{}` in a record (use None, bool, int, float, str, list or dict)",
            obj.get_type().name()?,
            shown(at)
        )))
    }

    fn map_items(&mut self, items: &Bound<'_, PyAny>, at: &str, depth: usize) -> PyResult<Value> {
        let mut m = Map::new();
        for pair in items.try_iter()? {
            if self.cut {
                break;
            }
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair?.extract()?;
            let key: String = k.extract().map_err(|_| {
                PyTypeError::new_err(format!(
                    "mapping keys must be str; found a `{}` key at `{}`",
                    k.get_type()
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default(),
                    shown(at)
                ))
            })?;
            let child = umr_core::path::key(at, &key);
            let value = self.value(&v, &child, depth + 1)?;
            m.insert(key, value);
        }
        Ok(Value::Object(m))
    }

    fn seq_items(&mut self, seq: &Bound<'_, PyAny>, at: &str, depth: usize) -> PyResult<Value> {
        let mut out = Vec::new();
        for (i, item) in seq.try_iter()?.enumerate() {
            if self.cut {
                break;
            }
            let child = umr_core::path::index(at, i);
            out.push(self.value(&item?, &child, depth + 1)?);
        }
        Ok(Value::Array(out))
    }
}
