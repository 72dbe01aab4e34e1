//! `Model`: the built-in or a saved model, scoring one text or many (in parallel, without the
//! GIL), probabilities as a flat buffer for numpy, explanations and HTML pages; and `sources`.
use crate::convert::record_to_py;
use crate::errors::IntoPy;
use newsprov::input::{DocError, DocResult, InputOptions, doc_from_text};
use newsprov::output::ScoreRecord;
use newsprov::scoring::{ScoreOptions, score_record};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

/// A newsprov model (Rust object; use `newsprov.Model`, the Python class around it).
#[pyclass(module = "newsprov._newsprov", frozen)]
pub struct Model {
    pub inner: Arc<newsprov::Model>,
}

/// Texts (and ids) from Python as the library's inputs: a `str` is an article held to the CLI's
/// rules (cut at `max_bytes`, refused when empty); anything else is an error record.
pub fn docs_from_py(
    texts: &Bound<'_, PyAny>,
    ids: Option<&Bound<'_, PyAny>>,
    max_bytes: usize,
    default_id: &dyn Fn(usize) -> String,
) -> PyResult<Vec<DocResult>> {
    let mut reader = DocReader::new(texts, ids, max_bytes, default_id)?;
    let mut docs = Vec::new();
    loop {
        let chunk = reader.next_chunk(usize::MAX)?;
        if chunk.is_empty() {
            return Ok(docs);
        }
        docs.extend(chunk);
    }
}

/// [`docs_from_py`] a chunk at a time, so that `score_many` reads the next texts while the
/// previous ones are scored.
pub struct DocReader<'a, 'py> {
    texts: Bound<'py, pyo3::types::PyIterator>,
    ids: Option<Bound<'py, pyo3::types::PyIterator>>,
    opts: InputOptions,
    default_id: &'a dyn Fn(usize) -> String,
    read: usize,
}

impl<'a, 'py> DocReader<'a, 'py> {
    pub fn new(
        texts: &Bound<'py, PyAny>,
        ids: Option<&Bound<'py, PyAny>>,
        max_bytes: usize,
        default_id: &'a dyn Fn(usize) -> String,
    ) -> PyResult<Self> {
        Ok(DocReader {
            texts: texts.try_iter()?,
            ids: ids.map(|i| i.try_iter()).transpose()?,
            opts: InputOptions { max_bytes, ..Default::default() },
            default_id,
            read: 0,
        })
    }

    /// Up to `n` more documents; none at the end, where ids left over are an error.
    pub fn next_chunk(&mut self, n: usize) -> PyResult<Vec<DocResult>> {
        let mut docs = Vec::new();
        while docs.len() < n {
            let Some(item) = self.texts.next() else {
                if let Some(it) = self.ids.as_mut()
                    && it.next().is_some()
                {
                    return Err(PyValueError::new_err(format!("more ids than texts ({} texts)", self.read)));
                }
                break;
            };
            let item = item?;
            let i = self.read;
            self.read += 1;
            let id = match self.ids.as_mut() {
                Some(it) => match it.next() {
                    Some(id) => id?.str()?.to_string(),
                    None => return Err(PyValueError::new_err(format!("fewer ids than texts ({i} ids)"))),
                },
                None => (self.default_id)(i),
            };
            docs.push(match item.extract::<String>() {
                Ok(text) => doc_from_text(&id, text, &self.opts),
                Err(_) => Err(DocError { reason: not_text(&item)?, id }),
            });
        }
        Ok(docs)
    }
}

/// Why a Python object is not an article's text. pandas writes a missing cell as None, NaN or
/// pd.NA.
fn not_text(item: &Bound<'_, PyAny>) -> PyResult<String> {
    let kind = item.get_type().name()?.to_string();
    let nan = item.extract::<f64>().is_ok_and(f64::is_nan);
    Ok(if item.is_none() {
        "missing text (None)".to_string()
    } else if nan || kind == "NAType" {
        "missing text (NaN)".to_string()
    } else {
        format!("not a string (got {kind})")
    })
}

/// One text that must be scorable: its problem is a `ValueError` naming `id`.
fn one_doc(text: String, id: &str, max_bytes: usize) -> PyResult<newsprov::input::Doc> {
    let opts = InputOptions { max_bytes, ..Default::default() };
    doc_from_text(id, text, &opts).map_err(|e| PyValueError::new_err(format!("{}: {}", e.id, e.reason)))
}

const DEFAULT_MAX_BYTES: usize = 10 << 20;
/// Texts `score_many` reads, scores and converts at a time.
const CHUNK: usize = 256;

fn scorer_gone() -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err("newsprov: the scoring thread stopped")
}

#[pymethods]
impl Model {
    /// The model built into newsprov.
    #[new]
    fn new() -> PyResult<Self> {
        Ok(Model { inner: Arc::new(newsprov::Model::builtin().py_err()?) })
    }

    /// A model file written by `save` or `newsprov train`.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let m = py.detach(|| newsprov::Model::load(&path)).py_err()?;
        Ok(Model { inner: Arc::new(m) })
    }

    /// A model from the bytes of a model file; `name` is what errors call it.
    #[staticmethod]
    #[pyo3(signature = (data, name = "(bytes)"))]
    fn from_bytes(py: Python<'_>, data: &[u8], name: &str) -> PyResult<Self> {
        let m = py.detach(|| newsprov::Model::from_bytes(data, name)).py_err()?;
        Ok(Model { inner: Arc::new(m) })
    }

    /// The bytes of the model file (what `save` writes).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.inner.to_bytes().py_err()?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Writes the model file atomically (a temporary file beside `path`, then a rename).
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        py.detach(|| self.inner.save(&path)).py_err()
    }

    #[getter]
    fn labels(&self) -> Vec<String> {
        self.inner.labels().to_vec()
    }

    #[getter]
    fn temperature(&self) -> f32 {
        self.inner.temperature()
    }

    #[getter]
    fn n_features(&self) -> usize {
        self.inner.features().n_features()
    }

    /// What the training run saw (rows per class, dev metrics, calibration), as a dict.
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        record_to_py(py, self.inner.summary())
    }

    /// One article's score record (a dict like a `score --format jsonl` line).
    #[pyo3(signature = (text, id = "text", min_confidence = 0.0, sources = true, max_bytes = DEFAULT_MAX_BYTES))]
    fn score<'py>(
        &self,
        py: Python<'py>,
        text: String,
        id: &str,
        min_confidence: f32,
        sources: bool,
        max_bytes: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        check_options(min_confidence, max_bytes)?;
        let doc = Ok(one_doc(text, id, max_bytes)?);
        let r = py.detach(|| score_record(&self.inner, &doc, &ScoreOptions { min_confidence, sources }));
        record_to_py(py, &r)
    }

    /// Score records for many articles, in input order, scored in parallel on all cores with the
    /// GIL released. A bad item (empty, not a string) gives an error record in its place.
    #[pyo3(signature = (texts, ids = None, min_confidence = 0.0, sources = true, max_bytes = DEFAULT_MAX_BYTES))]
    fn score_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        ids: Option<&Bound<'py, PyAny>>,
        min_confidence: f32,
        sources: bool,
        max_bytes: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        check_options(min_confidence, max_bytes)?;
        let opts = ScoreOptions { min_confidence, sources };
        let model = &*self.inner;
        let mut reader = DocReader::new(texts, ids, max_bytes, &|i| i.to_string())?;
        let out = PyList::empty(py);
        // Three stages at once: this thread reads texts and builds dicts (it needs the GIL), a
        // scoped thread scores each chunk on all cores (without it). Reading and converting
        // serially beside the scoring cost a tenth of the call.
        std::thread::scope(|s| -> PyResult<()> {
            let (todo_tx, todo_rx) = std::sync::mpsc::channel::<Vec<DocResult>>();
            let (done_tx, done_rx) = std::sync::mpsc::channel::<Vec<ScoreRecord>>();
            s.spawn(move || {
                for docs in todo_rx {
                    let records = docs.par_iter().map(|d| score_record(model, d, &opts)).collect();
                    if done_tx.send(records).is_err() {
                        break;
                    }
                }
            });
            let append = |records: Vec<ScoreRecord>| -> PyResult<()> {
                records.iter().try_for_each(|r| out.append(record_to_py(py, r)?))
            };
            let mut pending = 0usize;
            loop {
                let chunk = reader.next_chunk(CHUNK)?;
                if chunk.is_empty() {
                    break;
                }
                todo_tx.send(chunk).map_err(|_| scorer_gone())?;
                pending += 1;
                while let Ok(records) = done_rx.try_recv() {
                    append(records)?;
                    pending -= 1;
                }
            }
            drop(todo_tx);
            // Wait for each remaining chunk without the GIL (the receiver moves in and out, as
            // a detached closure may only hold what can be sent).
            let mut rx = done_rx;
            for _ in 0..pending {
                let (records, back) = py.detach(move || (rx.recv(), rx));
                rx = back;
                append(records.map_err(|_| scorer_gone())?)?;
            }
            Ok(())
        })?;
        Ok(out.into_any())
    }

    /// Probabilities for many articles as little-endian f64 bytes, `len(texts) * 3` of them in
    /// `labels` order (the Python class makes the numpy array). A bad item is a `ValueError`.
    #[pyo3(signature = (texts, max_bytes = DEFAULT_MAX_BYTES))]
    fn predict_proba_bytes<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        max_bytes: usize,
    ) -> PyResult<(Bound<'py, PyBytes>, usize)> {
        let texts = good_texts(texts, max_bytes)?;
        let model = &self.inner;
        let probs: Vec<[f32; 3]> =
            py.detach(|| texts.par_iter().map(|t| model.predict(t).probabilities).collect());
        let mut bytes = Vec::with_capacity(probs.len() * 3 * 8);
        for p in &probs {
            for x in p {
                bytes.extend_from_slice(&f64::from(*x).to_le_bytes());
            }
        }
        Ok((PyBytes::new(py, &bytes), probs.len()))
    }

    /// The label of each article, in input order. A bad item is a `ValueError`.
    #[pyo3(signature = (texts, max_bytes = DEFAULT_MAX_BYTES))]
    fn predict(&self, py: Python<'_>, texts: &Bound<'_, PyAny>, max_bytes: usize) -> PyResult<Vec<String>> {
        let texts = good_texts(texts, max_bytes)?;
        let model = &self.inner;
        Ok(py.detach(|| texts.par_iter().map(|t| model.predict(t).label.to_string()).collect()))
    }

    /// Why the article got its label (as `newsprov explain --json`).
    #[pyo3(signature = (text, top = 15, id = "text"))]
    fn explain<'py>(
        &self,
        py: Python<'py>,
        text: String,
        top: usize,
        id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let doc = one_doc(text, id, usize::MAX)?;
        let e = py.detach(|| newsprov::explain::explain(&self.inner, &doc.text, top));
        record_to_py(py, &e)
    }

    /// The self-contained HTML page of `newsprov explain --html`.
    #[pyo3(signature = (text, top = 15, title = "article"))]
    fn explain_html(&self, py: Python<'_>, text: String, top: usize, title: &str) -> PyResult<String> {
        let doc = one_doc(text, title, usize::MAX)?;
        Ok(py.detach(|| {
            let e = newsprov::explain::explain(&self.inner, &doc.text, top);
            newsprov::explain::to_html(&e, &doc.text, title)
        }))
    }
}

fn check_options(min_confidence: f32, max_bytes: usize) -> PyResult<()> {
    if !(0.0..=1.0).contains(&min_confidence) {
        return Err(PyValueError::new_err(format!("min_confidence must be in [0, 1], got {min_confidence}")));
    }
    if max_bytes == 0 {
        return Err(PyValueError::new_err("max_bytes must be at least 1"));
    }
    Ok(())
}

/// Every text, or a `ValueError` naming the first bad one (`texts[i]: problem`).
fn good_texts(texts: &Bound<'_, PyAny>, max_bytes: usize) -> PyResult<Vec<String>> {
    if max_bytes == 0 {
        return Err(PyValueError::new_err("max_bytes must be at least 1"));
    }
    docs_from_py(texts, None, max_bytes, &|i| format!("texts[{i}]"))?
        .into_iter()
        .map(|d| d.map(|d| d.text).map_err(|e| PyValueError::new_err(format!("{}: {}", e.id, e.reason))))
        .collect()
}

/// Whom the article cites (as `newsprov sources --format jsonl`, without the id): every
/// attribution with its byte span, a summary by kind, and the state and wire outlets cited.
#[pyfunction]
pub fn sources<'py>(py: Python<'py>, text: String) -> PyResult<Bound<'py, PyAny>> {
    use newsprov::sources::{Gazetteer, SourceKind, cited_outlets, find_sources, summarize};
    let value = py.detach(|| {
        let atts = find_sources(&text, Gazetteer::builtin());
        let count = |k: SourceKind| atts.iter().filter(|a| a.kind == k).count();
        serde_json::json!({
            "attributions": atts,
            "summary": {
                "total": atts.len(),
                "outlets": count(SourceKind::Outlet),
                "officials": count(SourceKind::Official),
                "state_media_generic": count(SourceKind::StateMediaGeneric),
                "consensus": count(SourceKind::Consensus),
                "cited_outlets": cited_outlets(&atts, &["state", "wire"]),
                "by_source": summarize(&atts),
            }
        })
    });
    record_to_py(py, &value)
}
