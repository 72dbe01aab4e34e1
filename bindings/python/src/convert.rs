//! Library records to Python objects. A record goes through its JSON text, exactly as the CLI
//! writes it (`score --format jsonl`), read back by Python's `json.loads`: the dicts have the
//! same fields in the same order, the same omissions, and the same numbers (an f32 printed
//! shortest, an f64 exactly).
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use serde::Serialize;

fn loads<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.getattr("loads")?.call1((json,))
}

pub fn to_json<R: Serialize + ?Sized>(r: &R) -> PyResult<String> {
    serde_json::to_string(r).map_err(|e| PyRuntimeError::new_err(format!("encoding a record: {e}")))
}

/// A serializable record as the dict (or list) its JSON line parses to.
pub fn record_to_py<'py, R: Serialize + ?Sized>(py: Python<'py>, r: &R) -> PyResult<Bound<'py, PyAny>> {
    loads(py, &to_json(r)?)
}

/// Many records' JSON texts (made without the GIL) as one Python list, parsed in one call.
pub fn json_lines_to_list<'py>(py: Python<'py>, lines: &[String]) -> PyResult<Bound<'py, PyAny>> {
    let mut array = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum::<usize>() + 2);
    array.push('[');
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            array.push(',');
        }
        array.push_str(l);
    }
    array.push(']');
    loads(py, &array)
}
