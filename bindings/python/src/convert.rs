//! Library records to Python objects. Records go through their JSON form, exactly as the CLI
//! writes them (`score --format jsonl`), so the dicts Python sees have the same fields, the same
//! omissions and the same float values (an f32 printed shortest, then read as a Python float).
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde::Serialize;
use serde_json::Value;

/// A serializable record as the dict (or list) its JSON line would parse to.
pub fn record_to_py<'py, R: Serialize>(py: Python<'py>, r: &R) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_string(r)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(format!("encoding a record: {e}")))?;
    let value: Value = serde_json::from_str(&json)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(format!("decoding a record: {e}")))?;
    value_to_py(py, &value)
}

pub fn value_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_bound_py_any(py)?,
            (None, Some(u)) => u.into_bound_py_any(py)?,
            _ => n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)?,
        },
        Value::String(s) => s.into_bound_py_any(py)?,
        Value::Array(items) => {
            let list = PyList::empty(py);
            for x in items {
                list.append(value_to_py(py, x)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, x) in map {
                dict.set_item(k, value_to_py(py, x)?)?;
            }
            dict.into_any()
        }
    })
}
