//! `/api/evaluate`: a labeled CSV in, the confusion matrix, per-class scores and the misclassified
//! rows out, computed by the same code as `newsprov evaluate`.
use super::api::ApiError;
use crate::corpus::{CsvOptions, read_labeled_from};
use crate::metrics::ConfusionMatrix;
use crate::{Label, Model};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Misclassified rows returned in full (with text); the count says how many there were.
pub const MAX_MISCLASSIFIED: usize = 500;
/// Skipped rows listed one by one.
const MAX_SKIPPED: usize = 50;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluateQuery {
    pub name: Option<String>,
    pub text_column: Option<String>,
    pub label_column: Option<String>,
}

#[derive(Serialize)]
pub struct Misclassified {
    pub id: String,
    pub line: u64,
    pub label: Label,
    pub predicted: Label,
    pub probabilities: crate::output::Probabilities,
    pub text: String,
}

#[derive(Serialize)]
pub struct Skipped {
    pub line: u64,
    pub reason: String,
}

#[derive(Serialize)]
pub struct Evaluation {
    pub name: String,
    pub n: u64,
    pub labels: Vec<&'static str>,
    /// Rows are true labels, columns predicted, in `labels` order.
    pub confusion: [[u64; Label::COUNT]; Label::COUNT],
    /// The table part of `evaluate --report` (the same fields, in the same order).
    pub report: crate::evaluation::TableReport,
    pub misclassified_count: usize,
    pub misclassified: Vec<Misclassified>,
    pub skipped_count: usize,
    pub skipped: Vec<Skipped>,
}

pub fn evaluate(model: &Model, csv: &[u8], q: &EvaluateQuery) -> Result<Evaluation, ApiError> {
    let name = q.name.clone().unwrap_or_else(|| "upload.csv".into());
    let opts = CsvOptions {
        text_column: q.text_column.clone().unwrap_or_else(|| "text".into()),
        label_column: q.label_column.clone().unwrap_or_else(|| "label".into()),
        skip_invalid: true,
    };
    let set = read_labeled_from(csv, &name, &opts).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    if set.articles.is_empty() {
        return Err(ApiError::unprocessable(format!("{name}: no labeled rows to evaluate")));
    }
    let texts: Vec<&str> = set.articles.iter().map(|a| a.text.as_str()).collect();
    let preds = texts.par_iter().map(|t| model.predict(t)).collect::<Vec<_>>();
    let cm = ConfusionMatrix::from_pairs(set.articles.iter().zip(&preds).map(|(a, p)| (a.label, p.label)));
    let wrong: Vec<_> = set.articles.iter().zip(&preds).filter(|(a, p)| a.label != p.label).collect();
    Ok(Evaluation {
        n: cm.total(),
        labels: Label::ALL.iter().map(|l| l.as_str()).collect(),
        confusion: cm.counts,
        report: crate::evaluation::TableReport::new(&name, &cm),
        misclassified_count: wrong.len(),
        misclassified: wrong
            .into_iter()
            .take(MAX_MISCLASSIFIED)
            .map(|(a, p)| Misclassified {
                id: if a.id.is_empty() { format!("{name}:{}", a.line) } else { a.id.clone() },
                line: a.line,
                label: a.label,
                predicted: p.label,
                probabilities: p.probabilities.into(),
                text: a.text.clone(),
            })
            .collect(),
        skipped_count: set.skipped.len(),
        skipped: set
            .skipped
            .iter()
            .take(MAX_SKIPPED)
            .map(|s| Skipped { line: s.line, reason: s.reason.clone() })
            .collect(),
        name,
    })
}
