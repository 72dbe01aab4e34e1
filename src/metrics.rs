//! Confusion matrix and the scores derived from it, computed from our own counts (linfa 0.8.1's
//! `ConfusionMatrix` swaps precision and recall).
use crate::corpus::Label;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Rows are the true label, columns the predicted one, both in [`Label`] order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfusionMatrix {
    /// Counts: `counts[true][predicted]`.
    pub counts: [[u64; Label::COUNT]; Label::COUNT],
}

/// One label's scores (0 where a ratio has no cases; see [`crate::evaluation`] for `n/a`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    /// Of the articles predicted this label, the share that are.
    pub precision: f64,
    /// Of the articles of this label, the share predicted so.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Articles of this label.
    pub support: u64,
}

/// The evaluation report; its JSON form is what `evaluate --report` writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Label order of rows and columns.
    pub labels: Vec<String>,
    /// Counts: rows are the true label, columns the predicted one.
    pub matrix: Vec<Vec<u64>>,
    /// Share labeled right.
    pub accuracy: f64,
    /// Mean F1 over the labels in the data or the predictions.
    pub macro_f1: f64,
    /// Scores per label.
    pub per_class: BTreeMap<String, ClassScores>,
    /// Articles.
    pub n: u64,
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

impl From<&Report> for ConfusionMatrix {
    /// The counts of a report (missing cells count 0).
    fn from(r: &Report) -> Self {
        let mut m = ConfusionMatrix::default();
        for (t, row) in r.matrix.iter().enumerate().take(Label::COUNT) {
            for (p, &c) in row.iter().enumerate().take(Label::COUNT) {
                m.counts[t][p] = c;
            }
        }
        m
    }
}

impl ConfusionMatrix {
    /// A matrix from (true, predicted) pairs.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (Label, Label)>) -> Self {
        let mut m = ConfusionMatrix::default();
        for (truth, pred) in pairs {
            m.add(truth, pred);
        }
        m
    }

    /// Counts one (true, predicted) pair.
    pub fn add(&mut self, truth: Label, pred: Label) {
        self.counts[truth.index()][pred.index()] += 1;
    }

    /// Articles counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    /// Articles whose true label is `l`.
    pub fn support(&self, l: Label) -> u64 {
        self.counts[l.index()].iter().sum()
    }

    /// Articles predicted `l`.
    pub fn predicted(&self, l: Label) -> u64 {
        self.counts.iter().map(|r| r[l.index()]).sum()
    }

    /// Of the articles predicted `l`, the share that are `l`.
    pub fn precision(&self, l: Label) -> f64 {
        ratio(self.counts[l.index()][l.index()], self.predicted(l))
    }

    /// Of the articles that are `l`, the share predicted `l`.
    pub fn recall(&self, l: Label) -> f64 {
        ratio(self.counts[l.index()][l.index()], self.support(l))
    }

    /// Harmonic mean of precision and recall for `l` (0 when both are 0).
    pub fn f1(&self, l: Label) -> f64 {
        let (p, r) = (self.precision(l), self.recall(l));
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }

    /// Share of articles labeled right.
    pub fn accuracy(&self) -> f64 {
        ratio((0..Label::COUNT).map(|k| self.counts[k][k]).sum(), self.total())
    }

    /// Mean F1 over the labels that occur (in truth or prediction), as scikit-learn does with
    /// explicit labels: a label absent from both is left out rather than counted as zero.
    pub fn macro_f1(&self) -> f64 {
        let present: Vec<Label> =
            Label::ALL.into_iter().filter(|&l| self.support(l) + self.predicted(l) > 0).collect();
        if present.is_empty() {
            return 0.0;
        }
        present.iter().map(|&l| self.f1(l)).sum::<f64>() / present.len() as f64
    }

    /// The report `evaluate --report` and the model's summary hold.
    pub fn report(&self) -> Report {
        Report {
            labels: Label::ALL.iter().map(|l| l.to_string()).collect(),
            matrix: self.counts.iter().map(|r| r.to_vec()).collect(),
            accuracy: self.accuracy(),
            macro_f1: self.macro_f1(),
            per_class: Label::ALL
                .iter()
                .map(|&l| {
                    (
                        l.to_string(),
                        ClassScores {
                            precision: self.precision(l),
                            recall: self.recall(l),
                            f1: self.f1(l),
                            support: self.support(l),
                        },
                    )
                })
                .collect(),
            n: self.total(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Label::*;

    /// Worked by hand:
    /// truth\pred   sm  wire agg
    /// sm            8    1   1
    /// wire          2    5   3
    /// agg           0    2   8
    #[test]
    fn hand_computed_scores() {
        let mut m = ConfusionMatrix::default();
        m.counts = [[8, 1, 1], [2, 5, 3], [0, 2, 8]];
        assert_eq!(m.total(), 30);
        assert!((m.accuracy() - 21.0 / 30.0).abs() < 1e-12);
        // precision(sm) = 8/10, recall(sm) = 8/10
        assert!((m.precision(StateMedia) - 0.8).abs() < 1e-12);
        // precision(wire) = 5/8, recall(wire) = 5/10
        assert!((m.precision(Wire) - 0.625).abs() < 1e-12);
        assert!((m.recall(Wire) - 0.5).abs() < 1e-12);
        // precision(agg) = 8/12, recall(agg) = 8/10
        assert!((m.precision(Aggregator) - 8.0 / 12.0).abs() < 1e-12);
        assert!((m.recall(Aggregator) - 0.8).abs() < 1e-12);
        let f1_wire = 2.0 * 0.625 * 0.5 / 1.125;
        let f1_agg = 2.0 * (8.0 / 12.0) * 0.8 / (8.0 / 12.0 + 0.8);
        assert!((m.f1(Wire) - f1_wire).abs() < 1e-12);
        assert!((m.macro_f1() - (0.8 + f1_wire + f1_agg) / 3.0).abs() < 1e-12);
    }

    #[test]
    fn from_pairs_and_report_json() {
        let m = ConfusionMatrix::from_pairs([(Wire, Wire), (Wire, Aggregator), (StateMedia, StateMedia)]);
        let r = m.report();
        assert_eq!(r.matrix, vec![vec![1, 0, 0], vec![0, 1, 1], vec![0, 0, 0]]);
        assert_eq!(r.n, 3);
        assert_eq!(r.per_class["wire"].support, 2);
        assert_eq!(r.per_class["aggregator"].precision, 0.0);
        let j = serde_json::to_value(&r).unwrap();
        for key in ["labels", "matrix", "accuracy", "macro_f1", "per_class", "n"] {
            assert!(j.get(key).is_some(), "{key}");
        }
    }

    #[test]
    fn empty_matrix_is_zero_not_nan() {
        let m = ConfusionMatrix::default();
        assert_eq!(m.accuracy(), 0.0);
        assert_eq!(m.macro_f1(), 0.0);
    }
}
