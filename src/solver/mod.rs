//! Multinomial logistic regression: hyperparameters checked once (linfa's `ParamGuard`), two
//! solvers behind linfa's `Fit`, and the fitted [`LinearModel`] that scores rows.
//!
//! The objective, shared by both solvers and equal to linfa-logistic's:
//! `sum_i w_{y_i} * -log softmax(x_i W + b)_{y_i} + l2/2 * |W|^2` (loss summed over rows, bias
//! not penalised, `w` the class weights, all 1 unless asked).
mod dense;
mod lbfgs;
mod sparse;

use crate::corpus::Label;
use crate::error::{Error, Result};
use crate::features::CsrMatrix;
use linfa::ParamGuard;
use linfa::dataset::DatasetBase;
use linfa::traits::Fit;
use ndarray::Array1;
use serde::{Deserialize, Serialize};

/// Which optimiser fits the weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SolverKind {
    /// L-BFGS (argmin) over the sparse matrix: the default.
    #[default]
    Sparse,
    /// linfa-logistic's `MultiLogisticRegression` on a dense copy: the reference.
    Linfa,
}

impl std::str::FromStr for SolverKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "sparse" => Ok(SolverKind::Sparse),
            "linfa" => Ok(SolverKind::Linfa),
            _ => Err(format!("unknown solver {s:?} (expected sparse or linfa)")),
        }
    }
}

/// Unchecked hyperparameters, built up with the setters and checked once on `fit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticParams(ValidLogisticParams);

/// Hyperparameters that passed [`ParamGuard::check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidLogisticParams {
    pub solver: SolverKind,
    pub l2: f64,
    pub max_iter: u64,
    pub tol: f64,
    pub seed: u64,
    /// Per-class weight on the loss, in [`Label`] order.
    pub class_weight: [f64; Label::COUNT],
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams(ValidLogisticParams {
            solver: SolverKind::Sparse,
            l2: 0.1,
            max_iter: 300,
            tol: 1e-6,
            seed: 42,
            class_weight: [1.0; Label::COUNT],
        })
    }
}

impl LogisticParams {
    pub fn solver(mut self, s: SolverKind) -> Self {
        self.0.solver = s;
        self
    }
    pub fn l2(mut self, l2: f64) -> Self {
        self.0.l2 = l2;
        self
    }
    pub fn max_iter(mut self, n: u64) -> Self {
        self.0.max_iter = n;
        self
    }
    pub fn tol(mut self, tol: f64) -> Self {
        self.0.tol = tol;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.0.seed = seed;
        self
    }
    pub fn class_weight(mut self, w: [f64; Label::COUNT]) -> Self {
        self.0.class_weight = w;
        self
    }
}

/// A hyperparameter out of range.
#[derive(Debug, thiserror::Error)]
#[error("invalid hyperparameter: {0}")]
pub struct ParamError(pub String);

impl From<ParamError> for Error {
    fn from(e: ParamError) -> Self {
        Error::Usage(e.to_string())
    }
}

impl ParamGuard for LogisticParams {
    type Checked = ValidLogisticParams;
    type Error = ParamError;

    fn check_ref(&self) -> std::result::Result<&ValidLogisticParams, ParamError> {
        let p = &self.0;
        if !(p.l2.is_finite() && p.l2 >= 0.0) {
            return Err(ParamError(format!("--l2 must be a finite number >= 0, got {}", p.l2)));
        }
        if p.max_iter == 0 {
            return Err(ParamError("--max-iter must be at least 1".into()));
        }
        if !(p.tol.is_finite() && p.tol > 0.0) {
            return Err(ParamError(format!("--tol must be > 0, got {}", p.tol)));
        }
        if p.class_weight.iter().any(|w| !(w.is_finite() && *w > 0.0)) {
            return Err(ParamError("class weights must be finite and > 0".into()));
        }
        if p.solver == SolverKind::Linfa && p.class_weight != [1.0; Label::COUNT] {
            return Err(ParamError(
                "the linfa solver does not take class weights; use --solver sparse".into(),
            ));
        }
        Ok(p)
    }

    fn check(self) -> std::result::Result<ValidLogisticParams, ParamError> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// Class weights inversely proportional to class frequency (scikit-learn's "balanced").
pub fn balanced_class_weight(counts: &[usize; Label::COUNT]) -> [f64; Label::COUNT] {
    let n: usize = counts.iter().sum();
    let k = counts.iter().filter(|&&c| c > 0).count().max(1);
    let mut w = [1.0; Label::COUNT];
    for (wi, &c) in w.iter_mut().zip(counts) {
        if c > 0 {
            *wi = n as f64 / (k as f64 * c as f64);
        }
    }
    w
}

/// Features plus label indices: what the solvers fit on.
pub type TrainSet = DatasetBase<CsrMatrix, Array1<usize>>;

/// Fitted weights. `weights[f * n_classes + k]` is feature `f`'s weight for class `k`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearModel {
    pub n_features: usize,
    pub n_classes: usize,
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
    /// Iterations the optimiser ran, and the final objective value.
    pub iterations: u64,
    pub objective: f64,
}

impl LinearModel {
    /// Raw class scores (logits) of one sparse row.
    pub fn logits(&self, row: &[(u32, f32)]) -> [f32; Label::COUNT] {
        let mut z = [0.0f32; Label::COUNT];
        z.copy_from_slice(&self.bias[..Label::COUNT]);
        for &(c, v) in row {
            let w = &self.weights[c as usize * Label::COUNT..][..Label::COUNT];
            for k in 0..Label::COUNT {
                z[k] += v * w[k];
            }
        }
        z
    }

    /// Softmax of the logits divided by `temperature`.
    pub fn probabilities(&self, row: &[(u32, f32)], temperature: f32) -> [f32; Label::COUNT] {
        softmax(self.logits(row), temperature)
    }
}

pub fn softmax(z: [f32; Label::COUNT], temperature: f32) -> [f32; Label::COUNT] {
    let t = if temperature > 0.0 { temperature } else { 1.0 };
    let m = z.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let mut p = z.map(|v| ((v - m) / t).exp());
    let s: f32 = p.iter().sum();
    p.iter_mut().for_each(|v| *v /= s);
    p
}

/// Index of the largest value; ties go to the first.
pub fn argmax(p: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in p.iter().enumerate() {
        if v > p[best] {
            best = i;
        }
    }
    best
}

fn check_targets(y: &[usize], n_rows: usize) -> Result<()> {
    if y.len() != n_rows {
        return Err(Error::Internal("targets and records differ in length".into()));
    }
    let mut present = [0usize; Label::COUNT];
    for &t in y {
        if t >= Label::COUNT {
            return Err(Error::Internal(format!("target {t} out of range")));
        }
        present[t] += 1;
    }
    if let Some(k) = present.iter().position(|&c| c == 0) {
        return Err(Error::Usage(format!(
            "the training data has no rows labeled {}: all three labels are needed",
            Label::ALL[k]
        )));
    }
    Ok(())
}

impl Fit<CsrMatrix, Array1<usize>, Error> for ValidLogisticParams {
    type Object = LinearModel;

    fn fit(&self, data: &TrainSet) -> Result<LinearModel> {
        let y = data.targets().to_vec();
        fit_with_progress(self, data.records(), &y, &|_| {})
    }
}

/// Fits with a callback per objective evaluation of the sparse solver (for progress bars).
pub fn fit_with_progress(
    p: &ValidLogisticParams,
    x: &CsrMatrix,
    y: &[usize],
    on_eval: &(dyn Fn(u64) + Sync),
) -> Result<LinearModel> {
    fit_weighted(p, x, y, None, on_eval)
}

/// [`fit_with_progress`] with a weight per row (multiplying its class weight), so that no
/// single outlet dominates its class's loss.
pub fn fit_weighted(
    p: &ValidLogisticParams,
    x: &CsrMatrix,
    y: &[usize],
    sample_weight: Option<&[f64]>,
    on_eval: &(dyn Fn(u64) + Sync),
) -> Result<LinearModel> {
    check_targets(y, x.nrows())?;
    if let Some(w) = sample_weight
        && (w.len() != y.len() || w.iter().any(|v| !(v.is_finite() && *v > 0.0)))
    {
        return Err(Error::Internal("sample weights must be finite, > 0 and one per row".into()));
    }
    match (p.solver, sample_weight) {
        (SolverKind::Sparse, w) => sparse::fit(p, x, y, w, on_eval),
        (SolverKind::Linfa, None) => dense::fit(p, x, y),
        (SolverKind::Linfa, Some(_)) => {
            Err(Error::Usage("the linfa solver does not take sample weights; use --solver sparse".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_are_checked_once() {
        assert!(LogisticParams::default().l2(-1.0).check().is_err());
        assert!(LogisticParams::default().max_iter(0).check().is_err());
        assert!(LogisticParams::default().tol(0.0).check().is_err());
        assert!(
            LogisticParams::default()
                .solver(SolverKind::Linfa)
                .class_weight([2.0, 1.0, 1.0])
                .check()
                .is_err()
        );
        assert!(LogisticParams::default().check().is_ok());
    }

    #[test]
    fn balanced_weights() {
        let w = balanced_class_weight(&[10, 30, 60]);
        assert!((w[0] - 100.0 / 30.0).abs() < 1e-12);
        assert!((w[2] - 100.0 / 180.0).abs() < 1e-12);
    }

    #[test]
    fn softmax_and_temperature() {
        let p = softmax([1.0, 2.0, 3.0], 1.0);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert_eq!(argmax(&p), 2);
        let hot = softmax([1.0, 2.0, 3.0], 2.0);
        assert!(hot[2] < p[2], "higher temperature flattens");
    }

    /// Three separable clusters: both solvers learn them and agree.
    #[test]
    fn both_solvers_fit_a_toy_problem() {
        let rows: Vec<Vec<(u32, f32)>> = (0..60)
            .map(|i| {
                let k = (i % 3) as u32;
                vec![(k, 1.0), (3, (i % 7) as f32 / 7.0)]
            })
            .collect();
        let y: Vec<usize> = (0..60).map(|i| i % 3).collect();
        let x = CsrMatrix::from_rows(4, rows);
        let data = DatasetBase::new(x.clone(), Array1::from(y.clone()));
        for solver in [SolverKind::Sparse, SolverKind::Linfa] {
            let m: LinearModel = LogisticParams::default().solver(solver).l2(0.1).fit(&data).unwrap();
            for i in 0..60 {
                assert_eq!(
                    argmax(&m.logits(
                        &x.row(i).0.iter().cloned().zip(x.row(i).1.iter().cloned()).collect::<Vec<_>>()
                    )),
                    y[i]
                );
            }
        }
    }
}
