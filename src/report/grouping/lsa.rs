//! LSA: the tf-idf vectors projected onto their leading singular directions (randomized SVD).

use rayon::prelude::*;

use super::SparseVec;

/// Power iterations of the randomized SVD: enough for the leading directions of news tf-idf
/// (with 1 or 2 the grouping on events.csv was clearly worse), each one pass over the postings.
const POWER_ITERATIONS: usize = 3;
/// Extra directions carried through the iterations, dropped at the end (Halko et al. suggest 5-10).
const OVERSAMPLE: usize = 10;

/// Rows of the rank-`dims` LSA of the tf-idf vectors (U·S of a truncated SVD), each L2-normalised,
/// as one flat `n × dims` buffer; `None` when `dims` is 0 or there are no more articles than
/// `dims` (then the projection would keep nearly everything and the plain cosine is exact).
/// Randomized range finder with a fixed seed and fixed summation order, so the result does not
/// depend on the number of threads.
pub fn lsa(vecs: &[SparseVec], dims: usize) -> Option<Vec<f32>> {
    use rand::{Rng, SeedableRng};
    let n = vecs.len();
    if dims == 0 || n <= dims {
        return None;
    }
    let p = (dims + OVERSAMPLE).min(n);
    let nf = vecs.iter().flat_map(|v| v.iter().map(|x| x.0 as usize + 1)).max().unwrap_or(0);
    let mut post: Vec<Vec<(u32, f32)>> = vec![Vec::new(); nf];
    for (d, v) in vecs.iter().enumerate() {
        for &(f, w) in v {
            post[f as usize].push((d as u32, w));
        }
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(14);
    let mut y: Vec<f32> = (0..n * p).map(|_| rng.random::<f32>() * 2.0 - 1.0).collect();
    for _ in 0..POWER_ITERATIONS {
        y = gram_times(&post, &y, n, p);
        orthonormalise(&mut y, n, p);
        orthonormalise(&mut y, n, p);
    }
    // Rayleigh-Ritz: eigenvectors of Q^T X X^T Q give the singular directions inside span(Q)
    let w = gram_times(&post, &y, n, p);
    let mut g = vec![0f64; p * p];
    for i in 0..n {
        let (yi, wi) = (&y[i * p..(i + 1) * p], &w[i * p..(i + 1) * p]);
        for a in 0..p {
            for b in 0..p {
                g[a * p + b] += yi[a] as f64 * wi[b] as f64;
            }
        }
    }
    for a in 0..p {
        for b in a + 1..p {
            let m = (g[a * p + b] + g[b * p + a]) / 2.0;
            g[a * p + b] = m;
            g[b * p + a] = m;
        }
    }
    let (vals, vecs_g) = jacobi_eigen(g, p);
    let mut order: Vec<usize> = (0..p).collect();
    order.sort_by(|&a, &b| vals[b].total_cmp(&vals[a]).then(a.cmp(&b)));
    // row i of U·S = Q_i · V_o · sqrt(lambda_o)
    let proj: Vec<f64> = (0..p)
        .flat_map(|c| order[..dims].iter().map(move |&o| (c, o)))
        .map(|(c, o)| vecs_g[c * p + o] * vals[o].max(0.0).sqrt())
        .collect();
    let mut out = vec![0f32; n * dims];
    out.par_chunks_mut(dims).enumerate().for_each(|(i, row)| {
        let yi = &y[i * p..(i + 1) * p];
        for (k, r) in row.iter_mut().enumerate() {
            *r = (0..p).map(|c| yi[c] as f64 * proj[c * dims + k]).sum::<f64>() as f32;
        }
        let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            row.iter_mut().for_each(|x| *x /= norm);
        }
    });
    Some(out)
}

/// `X X^T Y` for the documents × features matrix `X` given by its postings and `Y` (`n × p`,
/// row-major). Features are split into a fixed number of parts summed in order, for determinism.
fn gram_times(post: &[Vec<(u32, f32)>], y: &[f32], n: usize, p: usize) -> Vec<f32> {
    const PARTS: usize = 4;
    let per = post.len().div_ceil(PARTS).max(1);
    let parts: Vec<Vec<f32>> = post
        .par_chunks(per)
        .map(|chunk| {
            let mut out = vec![0f32; n * p];
            let mut t = vec![0f32; p];
            for pf in chunk {
                t.iter_mut().for_each(|x| *x = 0.0);
                for &(d, w) in pf {
                    let row = &y[d as usize * p..(d as usize + 1) * p];
                    t.iter_mut().zip(row).for_each(|(a, b)| *a += w * b);
                }
                for &(d, w) in pf {
                    let row = &mut out[d as usize * p..(d as usize + 1) * p];
                    row.iter_mut().zip(&t).for_each(|(a, b)| *a += w * b);
                }
            }
            out
        })
        .collect();
    let mut parts = parts.into_iter();
    let mut out = parts.next().unwrap_or_else(|| vec![0f32; n * p]);
    for part in parts {
        out.iter_mut().zip(part).for_each(|(a, b)| *a += b);
    }
    out
}

/// Makes the columns of `y` (`n × p`, row-major) orthonormal by a shifted Cholesky QR
/// (`Y ← Y R⁻¹` with `R^T R = Y^T Y + εI`); the shift keeps it defined when columns are
/// dependent, and a second call restores what the shift costs in orthogonality.
fn orthonormalise(y: &mut [f32], n: usize, p: usize) {
    const ROWS: usize = 256;
    let partial: Vec<Vec<f64>> = y
        .par_chunks(ROWS * p)
        .map(|block| {
            let mut g = vec![0f64; p * p];
            for r in block.chunks(p) {
                for a in 0..p {
                    let ra = r[a] as f64;
                    for b in a..p {
                        g[a * p + b] += ra * r[b] as f64;
                    }
                }
            }
            g
        })
        .collect();
    let mut g = vec![0f64; p * p];
    for part in &partial {
        g.iter_mut().zip(part).for_each(|(a, b)| *a += b);
    }
    let trace: f64 = (0..p).map(|a| g[a * p + a]).sum();
    let shift = 1e-10 * trace.max(f64::MIN_POSITIVE);
    // upper-triangular R, row-major
    let mut r = vec![0f64; p * p];
    for a in 0..p {
        let d = g[a * p + a] + shift - (0..a).map(|k| r[k * p + a] * r[k * p + a]).sum::<f64>();
        let d = d.max(shift).sqrt();
        r[a * p + a] = d;
        for b in a + 1..p {
            r[a * p + b] = (g[a * p + b] - (0..a).map(|k| r[k * p + a] * r[k * p + b]).sum::<f64>()) / d;
        }
    }
    debug_assert_eq!(y.len(), n * p);
    y.par_chunks_mut(p).for_each(|row| {
        // solve x R = row
        let mut x = vec![0f64; p];
        for b in 0..p {
            let s: f64 = (0..b).map(|k| x[k] * r[k * p + b]).sum();
            x[b] = (row[b] as f64 - s) / r[b * p + b];
        }
        row.iter_mut().zip(&x).for_each(|(a, b)| *a = *b as f32);
    });
}

/// Eigenvalues and eigenvectors (columns of the row-major `p × p` result) of a symmetric matrix,
/// by cyclic Jacobi rotations.
fn jacobi_eigen(mut a: Vec<f64>, p: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0f64; p * p];
    for i in 0..p {
        v[i * p + i] = 1.0;
    }
    let total: f64 = a.iter().map(|x| x * x).sum();
    for _ in 0..60 {
        let off: f64 = (0..p)
            .flat_map(|i| (0..p).map(move |j| (i, j)))
            .filter(|(i, j)| i != j)
            .map(|(i, j)| a[i * p + j].powi(2))
            .sum();
        if off <= 1e-24 * total {
            break;
        }
        for i in 0..p {
            for j in i + 1..p {
                let aij = a[i * p + j];
                if aij == 0.0 {
                    continue;
                }
                let theta = (a[j * p + j] - a[i * p + i]) / (2.0 * aij);
                let t = if theta == 0.0 {
                    1.0
                } else {
                    theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt())
                };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..p {
                    let (aki, akj) = (a[k * p + i], a[k * p + j]);
                    a[k * p + i] = c * aki - s * akj;
                    a[k * p + j] = s * aki + c * akj;
                }
                for k in 0..p {
                    let (aik, ajk) = (a[i * p + k], a[j * p + k]);
                    a[i * p + k] = c * aik - s * ajk;
                    a[j * p + k] = s * aik + c * ajk;
                }
                for k in 0..p {
                    let (vki, vkj) = (v[k * p + i], v[k * p + j]);
                    v[k * p + i] = c * vki - s * vkj;
                    v[k * p + j] = s * vki + c * vkj;
                }
            }
        }
    }
    ((0..p).map(|i| a[i * p + i]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::super::neighbours::{dense_dot, dot};
    use super::*;

    #[test]
    fn jacobi_finds_known_eigenpairs() {
        let (vals, vecs) = jacobi_eigen(vec![2.0, 1.0, 1.0, 2.0], 2);
        let mut v = vals.clone();
        v.sort_by(f64::total_cmp);
        assert!((v[0] - 1.0).abs() < 1e-12 && (v[1] - 3.0).abs() < 1e-12);
        // A v = lambda v for each column
        for c in 0..2 {
            let (x, y) = (vecs[c], vecs[2 + c]);
            assert!((2.0 * x + y - vals[c] * x).abs() < 1e-12 && (x + 2.0 * y - vals[c] * y).abs() < 1e-12);
        }
    }

    #[test]
    fn orthonormalise_gives_orthonormal_columns_even_when_dependent() {
        let (n, p) = (40, 5);
        let mut y: Vec<f32> = (0..n * p).map(|i| ((i * 7919 % 101) as f32 / 50.0) - 1.0).collect();
        // column 4 repeats column 1
        for i in 0..n {
            y[i * p + 4] = y[i * p + 1];
        }
        orthonormalise(&mut y, n, p);
        orthonormalise(&mut y, n, p);
        assert!(y.iter().all(|x| x.is_finite()));
        for a in 0..4 {
            for b in 0..4 {
                let d: f32 = (0..n).map(|i| y[i * p + a] * y[i * p + b]).sum();
                assert!((d - if a == b { 1.0 } else { 0.0 }).abs() < 1e-3, "{a} {b} {d}");
            }
        }
    }

    /// 30 documents over 6 features: rank at most 6, so 8 LSA dimensions keep every cosine.
    fn small_collection() -> Vec<SparseVec> {
        (0..30u32)
            .map(|d| {
                let mut v: SparseVec = (0..6u32)
                    .filter(|f| (d + f) % 3 != 0)
                    .map(|f| (f, 1.0 + ((d * 31 + f * 17) % 7) as f32))
                    .collect();
                let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
                v.iter_mut().for_each(|x| x.1 /= norm);
                v
            })
            .collect()
    }

    #[test]
    fn lsa_keeps_cosines_when_the_rank_fits_and_is_off_for_few_articles() {
        let v = small_collection();
        let rows = lsa(&v, 8).unwrap();
        for i in 0..v.len() {
            for j in 0..v.len() {
                let got = dense_dot(&rows[i * 8..(i + 1) * 8], &rows[j * 8..(j + 1) * 8]);
                assert!((got - dot(&v[i], &v[j])).abs() < 1e-3, "{i} {j}");
            }
        }
        assert_eq!(lsa(&v, 8), lsa(&v, 8), "deterministic");
        assert!(lsa(&v, 30).is_none() && lsa(&v, 0).is_none());
        // fewer dimensions than the rank: rows stay unit length
        let r2 = lsa(&v, 2).unwrap();
        assert!(r2.chunks(2).all(|r| (r[0] * r[0] + r[1] * r[1] - 1.0).abs() < 1e-4));
    }
}
