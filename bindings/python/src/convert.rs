//! Library records to Python objects: the dicts (or lists) that `json.loads` would give for the
//! record's JSON line as the CLI writes it (`score --format jsonl`): the same fields in the same
//! order, the same omissions, and the same numbers (an f32 as printed shortest, an f64 exactly).
//! Built directly by [`crate::pyser`], without writing and parsing the text.
use pyo3::prelude::*;
use serde::Serialize;

/// A serializable record as the dict (or list) its JSON line parses to.
pub fn record_to_py<'py, R: Serialize + ?Sized>(py: Python<'py>, r: &R) -> PyResult<Bound<'py, PyAny>> {
    crate::pyser::to_py(py, r)
}
