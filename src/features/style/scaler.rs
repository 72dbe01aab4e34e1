//! Standardization of the style block: column z-scores fitted on the training rows and stored in
//! the model, so scoring scales exactly as training did.

use serde::{Deserialize, Serialize};

/// Z-score scaler for style features (std floor 1e-6, output clipped to [-5, 5]).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StyleScaler {
    pub mean: Vec<f32>,
    pub std: Vec<f32>,
}

impl StyleScaler {
    /// Fit column means and standard deviations. Rows must have equal length; empty input gives
    /// an empty scaler (transform is then the identity-and-clip on zero columns).
    pub fn fit(rows: &[Vec<f32>]) -> Self {
        Self::fit_rows(rows)
    }

    /// [`fit`](Self::fit) on rows held any way (`Vec<f32>`, `&[f32]`).
    pub fn fit_rows<R: AsRef<[f32]>>(rows: &[R]) -> Self {
        let d = rows.first().map_or(0, |r| r.as_ref().len());
        let mut mean = vec![0f64; d];
        let mut m2 = vec![0f64; d];
        let mut n = 0f64;
        for r in rows {
            n += 1.0;
            for (j, &x) in r.as_ref().iter().take(d).enumerate() {
                let x = if x.is_finite() { x as f64 } else { 0.0 };
                let delta = x - mean[j];
                mean[j] += delta / n;
                m2[j] += delta * (x - mean[j]);
            }
        }
        let std = m2.iter().map(|&s| if n > 0.0 { ((s / n).sqrt() as f32).max(1e-6) } else { 1.0 }).collect();
        StyleScaler { mean: mean.into_iter().map(|m| m as f32).collect(), std }
    }

    /// In-place z-score then clip to [-5, 5]. Extra trailing values beyond the fitted width are
    /// left untouched; non-finite inputs become 0.
    pub fn transform(&self, x: &mut [f32]) {
        for (j, v) in x.iter_mut().enumerate().take(self.mean.len()) {
            let z = (*v - self.mean[j]) / self.std[j].max(1e-6);
            *v = if z.is_finite() { z.clamp(-5.0, 5.0) } else { 0.0 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaler_fit_transform() {
        let rows = vec![vec![1.0, 5.0, 0.0], vec![3.0, 5.0, 0.0], vec![5.0, 5.0, 1000.0]];
        let sc = StyleScaler::fit(&rows);
        assert_eq!(sc.mean[0], 3.0);
        assert!(sc.std[1] >= 1e-6);
        let mut x = vec![3.0, 5.0, 1e9];
        sc.transform(&mut x);
        assert_eq!(x[0], 0.0);
        assert_eq!(x[1], 0.0);
        assert_eq!(x[2], 5.0);
        let mut y = vec![f32::NAN, -1e30, 2.0];
        sc.transform(&mut y);
        assert!(y.iter().all(|v| v.is_finite() && (-5.0..=5.0).contains(v)));
        assert_eq!(StyleScaler::fit(&[]).mean.len(), 0);
    }
}
