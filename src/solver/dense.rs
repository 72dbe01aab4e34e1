//! The reference solver: linfa-logistic's `MultiLogisticRegression` on a dense copy of the
//! features. Exact but slow and memory-hungry on wide data; kept to check the sparse solver.
use super::{LinearModel, ValidLogisticParams};
use crate::corpus::Label;
use crate::error::{Error, Result};
use crate::features::CsrMatrix;
use linfa::dataset::DatasetBase;
use linfa::traits::Fit;
use linfa_logistic::MultiLogisticRegression;
use ndarray::Array1;

/// Dense copies beyond this many cells are refused rather than exhausting memory.
const MAX_DENSE_CELLS: usize = 400_000_000;

pub fn fit(p: &ValidLogisticParams, x: &CsrMatrix, y: &[usize]) -> Result<LinearModel> {
    let cells = x.nrows().saturating_mul(x.ncols());
    if cells > MAX_DENSE_CELLS {
        return Err(Error::Usage(format!(
            "the linfa solver needs a dense {} x {} matrix ({} cells, limit {MAX_DENSE_CELLS}); \
             use --solver sparse or lower --max-features",
            x.nrows(),
            x.ncols(),
            cells
        )));
    }
    let data = DatasetBase::new(x.to_dense(), Array1::from(y.to_vec()));
    let fitted = MultiLogisticRegression::default()
        .alpha(p.l2)
        .max_iterations(p.max_iter)
        .gradient_tolerance(p.tol)
        .fit(&data)
        .map_err(|e| Error::Internal(format!("linfa-logistic: {e}")))?;
    // Classes come back sorted; all three are present (checked by the caller), so column k is
    // label k.
    if fitted.classes() != [0, 1, 2] {
        return Err(Error::Internal("linfa-logistic returned unexpected classes".into()));
    }
    let w = fitted.params();
    let mut weights = vec![0f32; x.ncols() * Label::COUNT];
    for f in 0..x.ncols() {
        for k in 0..Label::COUNT {
            weights[f * Label::COUNT + k] = w[[f, k]] as f32;
        }
    }
    let bias = fitted.intercept().iter().map(|&b| b as f32).collect();
    Ok(LinearModel {
        n_features: x.ncols(),
        n_classes: Label::COUNT,
        weights,
        bias,
        iterations: p.max_iter,
        objective: f64::NAN,
    })
}
