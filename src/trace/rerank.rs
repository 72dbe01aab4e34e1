//! The reranker: a linear model over the candidate features, fitted listwise on training
//! rewrites and calibrated to a 0..1 match score.

use serde::{Deserialize, Serialize};

/// Number of candidate features the reranker sees.
pub const NUM_FEATURES: usize = 32;
/// Names of the reranker features, in order.
pub const FEATURE_NAMES: [&str; NUM_FEATURES] = [
    "cosine",
    "cosine/best",
    "bm25/self",
    "bm25/best",
    "containment3",
    "reverse_containment3",
    "idf_term_coverage",
    "names_shared",
    "numbers_shared",
    "log_length_ratio",
    "abs_log_length_ratio",
    "1/(1+cosine_rank)",
    "reverse_idf_coverage",
    "idf2_term_coverage",
    "names_idf_shared",
    "bigram_containment",
    "reverse_bigram_containment",
    "order_lis",
    "order_lis/shared",
    "doc_lead_coverage",
    "query_lead_coverage",
    "log_doc_length",
    "idf_term_coverage/best",
    "idf2_term_coverage/best",
    "bigram_containment/best",
    "order_lis/best",
    "reverse_idf_coverage/best",
    "1/(1+bm25_rank)",
    "sentences_covered50",
    "sentences_covered70",
    "window_coverage",
    "window_coverage/best",
];

/// Logistic model over the candidate features: `sigmoid(bias + sum w_i (x_i - mean_i) / scale_i)`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Reranker {
    pub mean: Vec<f32>,
    pub scale: Vec<f32>,
    pub weights: Vec<f32>,
    pub bias: f32,
}

/// Fitted by `cargo run --release --example eval_trace -- --fit` on the training split's
/// rewrites (pairs.csv rows whose rewrite is in train.csv; L2 10), references = originals.csv
/// plus train/dev wire and state-media articles.
pub(super) const DEFAULT_MEAN: [f32; NUM_FEATURES] = [
    0.05407049,
    0.19443716,
    0.04777706,
    0.28133857,
    0.011319568,
    0.0049658874,
    0.1481332,
    0.24253127,
    0.12847944,
    1.2132816,
    1.4272084,
    0.06952828,
    0.054333765,
    0.119241014,
    0.2018767,
    0.022142945,
    0.010032327,
    0.082415275,
    0.4992512,
    0.07831931,
    0.16098177,
    5.7481265,
    0.32833552,
    0.29003513,
    0.15321031,
    0.3359024,
    0.20375855,
    0.069505334,
    0.045924757,
    0.01312157,
    0.094797164,
    0.3284043,
];
pub(super) const DEFAULT_SCALE: [f32; NUM_FEATURES] = [
    0.05159856,
    0.17633024,
    0.040467005,
    0.22144629,
    0.033524457,
    0.03390643,
    0.10119084,
    0.22793862,
    0.29611897,
    1.1809036,
    0.91085756,
    0.13417019,
    0.06178428,
    0.09259319,
    0.2137175,
    0.043085273,
    0.04048356,
    0.06231259,
    0.20816818,
    0.08048966,
    0.10970067,
    1.0866259,
    0.21031153,
    0.20890771,
    0.2127564,
    0.22850077,
    0.18340479,
    0.13415258,
    0.12439296,
    0.06813437,
    0.069207236,
    0.22002421,
];
pub(super) const DEFAULT_WEIGHTS: [f32; NUM_FEATURES] = [
    0.10624883,
    0.6085013,
    0.09154841,
    -0.18652037,
    0.4198101,
    0.46894538,
    -0.40971336,
    -0.18236104,
    -0.16045499,
    -0.560484,
    -0.17986563,
    -0.009796104,
    -0.24634318,
    0.029673308,
    0.38583624,
    -0.027794758,
    -0.21744415,
    0.04426665,
    0.13021252,
    0.85023195,
    0.59172887,
    -0.60911244,
    -0.20846057,
    0.38870454,
    -0.03570378,
    0.13846564,
    -0.27595726,
    0.016985834,
    0.0157341,
    0.043379437,
    0.21665007,
    0.38730282,
];
pub(super) const DEFAULT_BIAS: f32 = -8.238745;
/// Chosen on train: the lowest score at which at most 5% of train rewrites whose original (and
/// its near-copies) is absent still get a match.
pub const DEFAULT_THRESHOLD: f32 = 0.581;

impl Default for Reranker {
    fn default() -> Self {
        Reranker {
            mean: DEFAULT_MEAN.to_vec(),
            scale: DEFAULT_SCALE.to_vec(),
            weights: DEFAULT_WEIGHTS.to_vec(),
            bias: DEFAULT_BIAS,
        }
    }
}

impl Reranker {
    pub fn score(&self, x: &[f32; NUM_FEATURES]) -> f32 {
        let mut z = self.bias;
        for i in 0..NUM_FEATURES {
            z += self.weights[i] * (x[i] - self.mean[i]) / self.scale[i];
        }
        1.0 / (1.0 + (-z).exp())
    }

    pub(super) fn valid(&self) -> bool {
        self.mean.len() == NUM_FEATURES
            && self.scale.len() == NUM_FEATURES
            && self.weights.len() == NUM_FEATURES
            && self.scale.iter().all(|s| *s > 0.0 && s.is_finite())
            && self.weights.iter().chain(&self.mean).all(|w| w.is_finite())
            && self.bias.is_finite()
    }

    /// Fits the reranker in two steps, both by Newton's method. `groups` holds, per training
    /// query, its candidates' features and whether each is the true original.
    ///
    /// 1. Ranking: the weights maximise the L2-penalised (`l2`) log-likelihood that the true
    ///    original gets the highest score among its query's candidates (a listwise softmax
    ///    objective; queries whose original is not among the candidates are skipped).
    /// 2. Calibration: a one-feature logistic regression of "is the true original" on that
    ///    ranking score, over all candidates, scales the weights and sets the bias, so the
    ///    score reads as a match probability. The order of the candidates is unchanged.
    pub fn fit(groups: &[Vec<([f32; NUM_FEATURES], bool)>], l2: f64) -> Reranker {
        let rows: Vec<&([f32; NUM_FEATURES], bool)> = groups.iter().flatten().collect();
        let n = rows.len().max(1) as f64;
        let mut mean = [0f64; NUM_FEATURES];
        let mut var = [0f64; NUM_FEATURES];
        for (x, _) in &rows {
            for i in 0..NUM_FEATURES {
                mean[i] += x[i] as f64 / n;
            }
        }
        for (x, _) in &rows {
            for i in 0..NUM_FEATURES {
                var[i] += (x[i] as f64 - mean[i]).powi(2) / n;
            }
        }
        let scale: Vec<f64> = var.iter().map(|v| v.sqrt().max(1e-6)).collect();
        let std = |x: &[f32; NUM_FEATURES]| -> Vec<f64> {
            (0..NUM_FEATURES).map(|i| (x[i] as f64 - mean[i]) / scale[i]).collect()
        };
        // queries whose original is among the candidates, with at least one competitor
        let lists: Vec<(Vec<Vec<f64>>, usize)> = groups
            .iter()
            .filter(|g| g.len() > 1 && g.iter().filter(|c| c.1).count() == 1)
            .map(|g| (g.iter().map(|c| std(&c.0)).collect(), g.iter().position(|c| c.1).unwrap_or(0)))
            .collect();
        let d = NUM_FEATURES;
        let list_loss = |w: &[f64]| -> f64 {
            let mut l = 0.5 * l2 * w.iter().map(|x| x * x).sum::<f64>();
            for (xs, truth) in &lists {
                let s: Vec<f64> = xs.iter().map(|x| x.iter().zip(w).map(|(a, b)| a * b).sum()).collect();
                let mx = s.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                l += mx + s.iter().map(|v| (v - mx).exp()).sum::<f64>().ln() - s[*truth];
            }
            l
        };
        let mut w = vec![0f64; d];
        for _ in 0..50 {
            let mut g = vec![0f64; d];
            let mut h = vec![vec![0f64; d]; d];
            for (xs, truth) in &lists {
                let s: Vec<f64> = xs.iter().map(|x| x.iter().zip(&w).map(|(a, b)| a * b).sum()).collect();
                let mx = s.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let e: Vec<f64> = s.iter().map(|v| (v - mx).exp()).collect();
                let z: f64 = e.iter().sum();
                let mut mu = vec![0f64; d];
                for (x, ei) in xs.iter().zip(&e) {
                    let p = ei / z;
                    for i in 0..d {
                        mu[i] += p * x[i];
                    }
                    for i in 0..d {
                        let pxi = p * x[i];
                        for j in 0..d {
                            h[i][j] += pxi * x[j];
                        }
                    }
                }
                for i in 0..d {
                    g[i] += mu[i] - xs[*truth][i];
                    for j in 0..d {
                        h[i][j] -= mu[i] * mu[j];
                    }
                }
            }
            for i in 0..d {
                g[i] += l2 * w[i];
                h[i][i] += l2;
            }
            let step = solve(h, g);
            let before = list_loss(&w);
            let mut t = 1.0;
            let moved = |t: f64| -> Vec<f64> { w.iter().zip(&step).map(|(a, b)| a - t * b).collect() };
            while t > 1e-6 && list_loss(&moved(t)) > before {
                t *= 0.5;
            }
            w = moved(t);
            if t * step.iter().fold(0f64, |m, x| m.max(x.abs())) < 1e-7 {
                break;
            }
        }
        // calibration: p = sigmoid(a * score + b), Newton steps halved until the loss drops
        let sc: Vec<(f64, f64)> = rows
            .iter()
            .map(|(x, y)| (std(x).iter().zip(&w).map(|(a, b)| a * b).sum(), if *y { 1.0 } else { 0.0 }))
            .collect();
        let loss = |a: f64, b: f64| -> f64 {
            sc.iter()
                .map(|&(s, y)| {
                    let z = a * s + b;
                    z.max(0.0) + (-z.abs()).exp().ln_1p() - y * z
                })
                .sum()
        };
        let pos = sc.iter().filter(|x| x.1 > 0.5).count().max(1) as f64;
        let (mut ca, mut cb) = (1f64, (pos / (sc.len() as f64 - pos).max(1.0)).ln());
        for _ in 0..100 {
            let mut g = vec![0f64; 2];
            let mut h = vec![vec![0f64; 2]; 2];
            for &(s, y) in &sc {
                let p = 1.0 / (1.0 + (-(ca * s + cb)).exp());
                let v = (p * (1.0 - p)).max(1e-12);
                g[0] += (p - y) * s;
                g[1] += p - y;
                h[0][0] += v * s * s;
                h[0][1] += v * s;
                h[1][1] += v;
            }
            h[1][0] = h[0][1];
            h[0][0] += 1e-9;
            h[1][1] += 1e-9;
            let step = solve(h, g);
            let before = loss(ca, cb);
            let mut t = 1.0;
            while t > 1e-6 && loss(ca - t * step[0], cb - t * step[1]) > before {
                t *= 0.5;
            }
            ca -= t * step[0];
            cb -= t * step[1];
            if t * step[0].abs().max(step[1].abs()) < 1e-9 {
                break;
            }
        }
        let ab = [ca, cb];
        Reranker {
            mean: mean.iter().map(|&m| m as f32).collect(),
            scale: scale.iter().map(|&s| s as f32).collect(),
            weights: w.iter().map(|&x| (x * ab[0]) as f32).collect(),
            bias: ab[1] as f32,
        }
    }
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
pub(super) fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs())).unwrap_or(c);
        a.swap(c, p);
        b.swap(c, p);
        if a[c][c].abs() < 1e-12 {
            continue;
        }
        for r in c + 1..n {
            let f = a[r][c] / a[c][c];
            for k in c..n {
                a[r][k] -= f * a[c][k];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0f64; n];
    for c in (0..n).rev() {
        let s: f64 = (c + 1..n).map(|k| a[c][k] * x[k]).sum();
        x[c] = if a[c][c].abs() < 1e-12 { 0.0 } else { (b[c] - s) / a[c][c] };
    }
    x
}
