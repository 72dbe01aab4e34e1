//! `TraceIndex`: which reference articles a text was most likely rewritten from (as
//! `newsprov trace`), built from texts in memory or loaded from a `newsprov trace index` file.
use crate::convert::record_to_py;
use crate::model::docs_from_py;
use newsprov::trace::{TraceMatch, TraceParams};
use pyo3::exceptions::{PyUserWarning, PyValueError};
use pyo3::prelude::*;
use std::ffi::CString;
use std::path::PathBuf;

/// A reference index (Rust object; use `newsprov.TraceIndex`).
#[pyclass(module = "newsprov._newsprov", frozen)]
pub struct TraceIndex {
    inner: newsprov::trace::TraceIndex,
}

const NO_SOURCE: &str = "no source found";

/// The CLI's trace record without the id (fields in the same order, omitted when it omits them).
#[derive(serde::Serialize)]
struct Record {
    #[serde(rename = "match")]
    matched: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'static str>,
    matches: Vec<TraceMatch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closest: Option<TraceMatch>,
}

#[pymethods]
impl TraceIndex {
    /// An index over `texts` (with `ids`, default their positions). A reference that cannot be
    /// read (empty, not a string) is left out with a warning, as `newsprov trace index` does.
    #[staticmethod]
    #[pyo3(signature = (texts, ids = None, min_bigram_df = 2))]
    fn build(
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        ids: Option<&Bound<'_, PyAny>>,
        min_bigram_df: u32,
    ) -> PyResult<Self> {
        let docs = docs_from_py(texts, ids, 10 << 20, &|i| i.to_string())?;
        let mut refs = Vec::with_capacity(docs.len());
        let mut left_out = 0;
        for d in docs {
            match d {
                Ok(d) => refs.push((d.id, d.text)),
                Err(e) => {
                    left_out += 1;
                    let msg = CString::new(format!("reference {}: {} (left out)", e.id, e.reason))
                        .unwrap_or_default();
                    PyErr::warn(py, &py.get_type::<PyUserWarning>(), &msg, 1)?;
                }
            }
        }
        if refs.is_empty() {
            return Err(PyValueError::new_err(format!("no readable references ({left_out} left out)")));
        }
        let params = TraceParams { min_bigram_df, ..Default::default() };
        params.validate().map_err(PyValueError::new_err)?;
        let inner = py.detach(|| newsprov::trace::TraceIndex::build(refs, &params));
        Ok(TraceIndex { inner })
    }

    /// An index file written by `save` or `newsprov trace index`.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let bytes = std::fs::read(&path).map_err(|e| crate::errors::to_py(newsprov::Error::io(&path, e)))?;
        let inner = py
            .detach(|| newsprov::trace::TraceIndex::from_bytes(&bytes))
            .map_err(|e| PyValueError::new_err(format!("{}: {e}", path.display())))?;
        Ok(TraceIndex { inner })
    }

    /// Writes the index file atomically.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let bytes = self.inner.to_bytes();
        py.detach(|| newsprov::atomic::write_atomically(&path, &bytes)).map_err(crate::errors::to_py)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Reference ids, in index order.
    #[getter]
    fn ids(&self) -> Vec<String> {
        self.inner.ids().to_vec()
    }

    /// The match-score threshold a reference must reach to count as the source.
    #[getter]
    fn threshold(&self) -> f32 {
        self.inner.params().threshold
    }

    /// The record `newsprov trace --format jsonl` gives for `text` (without the id): `match`,
    /// `matches` at or above the threshold (best first, at most `k`), and when none passes,
    /// `message` and the `closest` reference.
    #[pyo3(signature = (text, k = 5))]
    fn query<'py>(&self, py: Python<'py>, text: String, k: usize) -> PyResult<Bound<'py, PyAny>> {
        if k == 0 {
            return Err(PyValueError::new_err("k must be at least 1"));
        }
        if text.trim().is_empty() {
            return Err(PyValueError::new_err("text: empty text"));
        }
        let all = py.detach(|| self.inner.query(&text, k));
        let closest = all.first().cloned();
        let matches: Vec<TraceMatch> = all.into_iter().filter(|m| self.inner.is_match(m)).collect();
        let found = !matches.is_empty();
        let record = Record {
            matched: found,
            message: (!found).then_some(NO_SOURCE),
            closest: if found { None } else { closest },
            matches,
        };
        record_to_py(py, &record)
    }
}
