//! Training (from a CSV file, as `newsprov train`, or from rows in memory), evaluation and the
//! confusion-matrix files of `newsprov evaluate --confusion`.
use crate::convert::record_to_py;
use crate::errors::IntoPy;
use crate::model::Model;
use newsprov::corpus::{Article, CsvOptions, Label, LabeledSet, read_labeled};
use newsprov::features::{BowParams, FeatureParams, Lexicon, MaskedParams};
use newsprov::metrics::ConfusionMatrix;
use newsprov::progress::Silent;
use newsprov::solver::LogisticParams;
use newsprov::train::{TrainOptions, file_sha256, train};
use pyo3::exceptions::{PyUserWarning, PyValueError};
use pyo3::prelude::*;
use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The training options of `newsprov train`, with its defaults.
#[derive(FromPyObject)]
pub struct Fit {
    features: String,
    style_scale: f32,
    lexicon: Option<PathBuf>,
    min_df: usize,
    max_df: f64,
    max_features: usize,
    solver: String,
    l2: f64,
    max_iter: u64,
    tol: f64,
    seed: u64,
    class_weight: String,
    augment_chrome: f64,
    augment_pages: f64,
    augment_paragraphs: f64,
    outlet_weight: f64,
    masked_buckets: u32,
    masked_scale: f32,
    masked_max_n: u8,
    framing_voice: bool,
    temperature: Option<f32>,
}

impl Fit {
    /// The library's options, as the CLI's `fit_options` builds them.
    fn options(&self) -> PyResult<TrainOptions> {
        let lexicon = match &self.lexicon {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| crate::errors::to_py(newsprov::Error::io(p, e)))?;
                Lexicon::from_csv(&text, &p.display().to_string()).py_err()?
            }
            None => Lexicon::builtin().py_err()?,
        };
        let mut lexicon = lexicon;
        lexicon.voice = self.framing_voice;
        let blocks =
            self.features.parse().map_err(|e: String| PyValueError::new_err(format!("features: {e}")))?;
        let solver =
            self.solver.parse().map_err(|e: String| PyValueError::new_err(format!("solver: {e}")))?;
        let balanced = match self.class_weight.as_str() {
            "none" => false,
            "balanced" => true,
            other => {
                return Err(PyValueError::new_err(format!(
                    "class_weight must be \"none\" or \"balanced\", got {other:?}"
                )));
            }
        };
        let mut opts = TrainOptions::new(lexicon);
        opts.features = FeatureParams {
            blocks,
            bow: BowParams { min_df: self.min_df, max_df: self.max_df, max_features: self.max_features },
            style_scale: self.style_scale,
            masked: MaskedParams {
                buckets: self.masked_buckets,
                scale: self.masked_scale,
                max_n: self.masked_max_n,
                ..MaskedParams::default()
            },
        };
        opts.logistic = LogisticParams::default()
            .solver(solver)
            .l2(self.l2)
            .max_iter(self.max_iter)
            .tol(self.tol)
            .seed(self.seed);
        opts.augment_chrome = self.augment_chrome;
        opts.augment_pages = self.augment_pages;
        opts.augment_paragraphs = self.augment_paragraphs;
        opts.outlet_weight = self.outlet_weight;
        opts.reads_like = true;
        opts.temperature = self.temperature;
        opts.balanced = balanced;
        Ok(opts)
    }
}

/// Reads a labeled CSV as `newsprov train` does; rows left out by `skip_invalid` are a warning.
fn read_csv(py: Python<'_>, path: &Path, csv: &CsvOptions) -> PyResult<LabeledSet> {
    let set = py.detach(|| read_labeled(path, csv)).py_err()?;
    if !set.skipped.is_empty() {
        let name = path.display();
        let why: Vec<String> = set.skip_summary().iter().map(|(r, n)| format!("{n} {r}")).collect();
        let mut msg = format!("{name}: skipped {} invalid rows ({})", set.skipped.len(), why.join(", "));
        for s in set.skipped.iter().take(5) {
            msg.push_str(&format!("\n  {name}:{}: {}", s.line, s.reason));
        }
        warn(py, &msg)?;
    }
    Ok(set)
}

fn warn(py: Python<'_>, msg: &str) -> PyResult<()> {
    let msg = CString::new(msg.replace('\0', " ")).unwrap_or_default();
    PyErr::warn(py, &py.get_type::<PyUserWarning>(), &msg, 2)
}

fn fit(
    py: Python<'_>,
    train_set: &[Article],
    dev: Option<&[Article]>,
    opts: &TrainOptions,
) -> PyResult<Model> {
    let model = py.detach(|| train(train_set, dev, opts, &Silent)).py_err()?;
    Ok(Model { inner: Arc::new(model) })
}

/// Trains on a labeled CSV (and calibrates on `dev`), as `newsprov train --data PATH [--dev DEV]`.
#[pyfunction]
#[pyo3(signature = (path, dev, fit_options, text_column = "text", label_column = "label", skip_invalid = false))]
pub fn train_csv(
    py: Python<'_>,
    path: PathBuf,
    dev: Option<PathBuf>,
    fit_options: Fit,
    text_column: &str,
    label_column: &str,
    skip_invalid: bool,
) -> PyResult<Model> {
    let csv = CsvOptions { text_column: text_column.into(), label_column: label_column.into(), skip_invalid };
    let mut opts = fit_options.options()?;
    let set = read_csv(py, &path, &csv)?;
    let dev_set = dev.as_ref().map(|p| read_csv(py, p, &csv)).transpose()?;
    opts.train_file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    opts.train_sha256 = py.detach(|| file_sha256(&path)).py_err()?;
    opts.dev_file = dev.as_ref().and_then(|p| p.file_name()).map(|f| f.to_string_lossy().into_owned());
    opts.skipped_rows = set.skipped.len();
    fit(py, &set.articles, dev_set.as_ref().map(|d| d.articles.as_slice()), &opts)
}

/// Labeled rows from Python lists; `name` is what errors call them (`name[i]: problem`).
fn articles(
    name: &str,
    texts: Vec<Option<String>>,
    labels: Vec<Option<String>>,
    ids: Option<Vec<String>>,
) -> PyResult<Vec<Article>> {
    if texts.len() != labels.len() {
        return Err(PyValueError::new_err(format!(
            "{name}: {} texts but {} labels",
            texts.len(),
            labels.len()
        )));
    }
    if texts.is_empty() {
        return Err(PyValueError::new_err(format!("{name}: no rows")));
    }
    let mut out = Vec::with_capacity(texts.len());
    for (i, (text, label)) in texts.into_iter().zip(labels).enumerate() {
        let bad = |m: String| PyValueError::new_err(format!("{name}[{i}]: {m}"));
        let label = label.ok_or_else(|| bad("missing label".into()))?;
        let label: Label = label.parse().map_err(|e| bad(format!("unknown label: {e}")))?;
        let text = text.ok_or_else(|| bad("missing text".into()))?;
        if text.trim().is_empty() {
            return Err(bad("empty text".into()));
        }
        let id = ids.as_ref().and_then(|v| v.get(i).cloned()).unwrap_or_else(|| i.to_string());
        out.push(Article {
            id,
            label,
            text,
            title: String::new(),
            outlet: String::new(),
            date: String::new(),
            line: i as u64 + 1,
        });
    }
    Ok(out)
}

/// Trains on rows in memory (a DataFrame's columns), with optional dev rows for calibration.
#[pyfunction]
#[pyo3(signature = (texts, labels, ids, dev, fit_options, name = "data", outlets = None))]
#[allow(clippy::type_complexity)]
pub fn train_rows(
    py: Python<'_>,
    texts: Vec<Option<String>>,
    labels: Vec<Option<String>>,
    ids: Option<Vec<String>>,
    dev: Option<(Vec<Option<String>>, Vec<Option<String>>)>,
    fit_options: Fit,
    name: &str,
    outlets: Option<Vec<String>>,
) -> PyResult<Model> {
    let mut opts = fit_options.options()?;
    let mut set = articles(name, texts, labels, ids)?;
    // The outlet column, when the frame has one, weighs outlets as `train` does from a CSV.
    if let Some(o) = outlets {
        for (a, o) in set.iter_mut().zip(o) {
            a.outlet = o;
        }
    }
    let dev_set = dev.map(|(t, l)| articles("dev", t, l, None)).transpose()?;
    opts.train_file = format!("({name})");
    opts.dev_file = dev_set.as_ref().map(|_| "(dev)".to_string());
    fit(py, &set, dev_set.as_deref(), &opts)
}

/// The table of `newsprov evaluate --report` for `model` on labeled texts, as a dict; `name`
/// says what was evaluated (the heatmap's title names it).
#[pyfunction]
#[pyo3(signature = (model, texts, labels, name = "texts"))]
pub fn evaluate<'py>(
    py: Python<'py>,
    model: &Model,
    texts: Vec<Option<String>>,
    labels: Vec<Option<String>>,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let set = articles("texts", texts, labels, None)?;
    let cm = py.detach(|| newsprov::train::evaluate(&model.inner, &set));
    record_to_py(py, &newsprov::evaluation::TableReport::new(name, &cm))
}

/// Writes a confusion matrix (rows = true label) in the format the path's extension names:
/// `.csv`, `.json`, `.md`, `.svg` or `.png`, as `newsprov evaluate --confusion PATH`.
#[pyfunction]
#[pyo3(signature = (matrix, path, name = None))]
pub fn write_confusion(
    py: Python<'_>,
    matrix: Vec<Vec<u64>>,
    path: PathBuf,
    name: Option<String>,
) -> PyResult<()> {
    let mut cm = ConfusionMatrix::default();
    if matrix.len() != Label::COUNT || matrix.iter().any(|r| r.len() != Label::COUNT) {
        return Err(PyValueError::new_err("the confusion matrix must be 3 x 3"));
    }
    for (t, row) in matrix.iter().enumerate() {
        for (p, &n) in row.iter().enumerate() {
            cm.counts[t][p] = n;
        }
    }
    py.detach(|| match &name {
        Some(n) => newsprov::export::write_confusion_named(&cm, &path, n),
        None => newsprov::export::write_confusion(&cm, &path),
    })
    .py_err()
}
