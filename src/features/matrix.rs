//! A compressed sparse row matrix: what the feature extractors write and the solvers read.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CsrMatrix {
    n_cols: usize,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
}

impl CsrMatrix {
    pub fn new(n_cols: usize) -> Self {
        CsrMatrix { n_cols, indptr: vec![0], indices: Vec::new(), values: Vec::new() }
    }

    /// Builds from rows of `(column, value)` sorted by column.
    pub fn from_rows(n_cols: usize, rows: impl IntoIterator<Item = Vec<(u32, f32)>>) -> Self {
        let mut m = CsrMatrix::new(n_cols);
        for r in rows {
            m.push_row(&r);
        }
        m
    }

    /// The rows of `parts`, one after another.
    pub fn vstack(n_cols: usize, parts: &[CsrMatrix]) -> Self {
        let nnz: usize = parts.iter().map(|p| p.nnz()).sum();
        let rows: usize = parts.iter().map(|p| p.nrows()).sum();
        let mut m = CsrMatrix::new(n_cols);
        m.indices.reserve_exact(nnz);
        m.values.reserve_exact(nnz);
        m.indptr.reserve_exact(rows);
        for p in parts {
            debug_assert_eq!(p.n_cols, n_cols);
            let base = m.indices.len();
            m.indptr.extend(p.indptr[1..].iter().map(|&e| base + e));
            m.indices.extend_from_slice(&p.indices);
            m.values.extend_from_slice(&p.values);
        }
        m
    }

    pub fn push_row(&mut self, entries: &[(u32, f32)]) {
        debug_assert!(entries.windows(2).all(|w| w[0].0 < w[1].0), "row entries must be sorted");
        debug_assert!(entries.iter().all(|&(c, _)| (c as usize) < self.n_cols));
        for &(c, v) in entries {
            self.indices.push(c);
            self.values.push(v);
        }
        self.indptr.push(self.indices.len());
    }

    pub fn nrows(&self) -> usize {
        self.indptr.len() - 1
    }

    pub fn ncols(&self) -> usize {
        self.n_cols
    }

    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.indices[a..b], &self.values[a..b])
    }

    /// Rows picked by index, in the order given (for folds and slices).
    pub fn select(&self, rows: &[usize]) -> CsrMatrix {
        let mut m = CsrMatrix::new(self.n_cols);
        for &i in rows {
            let (a, b) = (self.indptr[i], self.indptr[i + 1]);
            m.indices.extend_from_slice(&self.indices[a..b]);
            m.values.extend_from_slice(&self.values[a..b]);
            m.indptr.push(m.indices.len());
        }
        m
    }

    /// Dense copy, for the linfa reference solver (small data only).
    pub fn to_dense(&self) -> ndarray::Array2<f64> {
        let mut d = ndarray::Array2::zeros((self.nrows(), self.n_cols));
        for i in 0..self.nrows() {
            let (idx, val) = self.row(i);
            for (&c, &v) in idx.iter().zip(val) {
                d[[i, c as usize]] = v as f64;
            }
        }
        d
    }
}

impl linfa::dataset::Records for CsrMatrix {
    type Elem = f32;
    fn nsamples(&self) -> usize {
        self.nrows()
    }
    fn nfeatures(&self) -> usize {
        self.n_cols
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_select_and_dense() {
        let m = CsrMatrix::from_rows(3, vec![vec![(0, 1.0), (2, 2.0)], vec![], vec![(1, 3.0)]]);
        assert_eq!((m.nrows(), m.ncols(), m.nnz()), (3, 3, 3));
        assert_eq!(m.row(1), (&[][..], &[][..]));
        let s = m.select(&[2, 0]);
        assert_eq!(s.row(0), (&[1u32][..], &[3.0f32][..]));
        let d = m.to_dense();
        assert_eq!(d[[0, 2]], 2.0);
        assert_eq!(d.row(1).sum(), 0.0);
        let v = CsrMatrix::vstack(3, &[m.select(&[0]), CsrMatrix::new(3), m.select(&[1, 2])]);
        assert_eq!(v, m);
    }
}
