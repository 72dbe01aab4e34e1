//! House-style attribution: beside the three-way label, which known outlet an article reads most
//! like. Each outlet with enough training rows has a centroid of its articles' style vectors (every
//! feature block but the bag of words, with the masked n-grams folded into fewer columns), so the
//! answer rests on how an outlet writes rather than on what it covered. A softmax over cosine
//! similarities, with one more option, "none of them", gives the probabilities; its temperature
//! and the similarity that "none" stands for are fitted on held-out rows, among them each
//! outlet's rows with its own centroid removed: exactly the case of an outlet never seen.
use crate::features::{DocFeatures, FeatureSpace};
use serde::{Deserialize, Serialize};

/// Outlets need this many training rows to have a centroid.
pub const MIN_ROWS: usize = 40;
/// The masked block is folded into this many columns for the centroids.
const FOLD: usize = 4096;
/// At most this many outlets are reported, each with at least [`MIN_P`].
pub const TOP: usize = 3;
/// Smallest probability an outlet needs to be reported.
pub const MIN_P: f32 = 0.1;

/// One outlet an article reads like, with its probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadsLike {
    /// The outlet's name as the training data gives it.
    pub outlet: String,
    /// The probability that the article is in this outlet's house style.
    pub p: f32,
}

/// The fitted centroids and their calibration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseStyle {
    /// Outlet names, sorted.
    pub outlets: Vec<String>,
    /// Training rows per outlet.
    pub rows: Vec<usize>,
    /// Column-major: `centroids[c * outlets.len() + k]` for style column `c`.
    pub centroids: Vec<f32>,
    /// Width of the style vectors.
    pub dim: usize,
    /// Divides the similarities before the softmax.
    pub temperature: f32,
    /// The similarity that "none of these outlets" stands for.
    pub none_similarity: f32,
}

/// Where a feature column lands in the style vector: the bag of words is left out, the masked
/// block folded into [`FOLD`] columns, the other blocks follow.
struct Folding {
    bow: usize,
    masked_start: usize,
    masked_width: usize,
}

impl Folding {
    fn of(fs: &FeatureSpace) -> Folding {
        Folding {
            bow: fs.bow.as_ref().map_or(0, |b| b.len()),
            masked_start: fs.masked_offset(),
            masked_width: fs.masked.as_ref().map_or(0, |m| m.len()),
        }
    }

    fn column(&self, c: u32) -> Option<usize> {
        let (c, m0, mw) = (c as usize, self.masked_start, self.masked_width);
        Some(if c < self.bow {
            return None;
        } else if c >= m0 && c < m0 + mw {
            (c - m0) % FOLD
        } else if c >= m0 + mw {
            FOLD + (c - self.bow - mw)
        } else {
            FOLD + (c - self.bow)
        })
    }
}

/// A document's style vector: its feature row without the bag of words, the masked block folded.
fn style_vector(fs: &FeatureSpace, row: &[(u32, f32)], out: &mut Vec<(u32, f32)>) {
    out.clear();
    let fold = Folding::of(fs);
    out.extend(row.iter().filter_map(|&(c, v)| fold.column(c).map(|j| (j as u32, v))));
    out.sort_unstable_by_key(|e| e.0);
    // Merge folded duplicates.
    let mut w = 0;
    for r in 0..out.len() {
        if w > 0 && out[w - 1].0 == out[r].0 {
            out[w - 1].1 += out[r].1;
        } else {
            out[w] = out[r];
            w += 1;
        }
    }
    out.truncate(w);
    let norm = out.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        out.iter_mut().for_each(|e| e.1 /= norm);
    }
}

/// Width of the style vectors for a feature space (what a model's centroids must have).
pub fn dim_of(fs: &FeatureSpace) -> usize {
    let bow = fs.bow.as_ref().map_or(0, |b| b.len());
    let mw = fs.masked.as_ref().map_or(0, |m| m.len());
    FOLD + fs.n_features() - bow - mw
}

impl HouseStyle {
    /// Centroids of the outlets with at least [`MIN_ROWS`] rows; `None` when fewer than two.
    /// `x`'s first `outlets.len()` rows are the articles of those outlets.
    pub fn fit(fs: &FeatureSpace, x: &crate::features::CsrMatrix, outlets: &[&str]) -> Option<HouseStyle> {
        let mut count: std::collections::BTreeMap<&str, usize> = Default::default();
        outlets.iter().filter(|o| !o.is_empty()).for_each(|o| *count.entry(o).or_default() += 1);
        let names: Vec<String> =
            count.iter().filter(|(_, n)| **n >= MIN_ROWS).map(|(o, _)| o.to_string()).collect();
        if names.len() < 2 {
            return None;
        }
        let k = names.len();
        let dim = dim_of(fs);
        let mut sums = vec![0f64; dim * k];
        let mut v = Vec::new();
        let mut row = Vec::new();
        for (i, o) in outlets.iter().enumerate() {
            if let Ok(j) = names.binary_search_by(|n| n.as_str().cmp(o)) {
                let (idx, val) = x.row(i);
                row.clear();
                row.extend(idx.iter().copied().zip(val.iter().copied()));
                style_vector(fs, &row, &mut v);
                for &(c, x) in &v {
                    sums[c as usize * k + j] += x as f64;
                }
            }
        }
        let mut norms = vec![0f64; k];
        for c in 0..dim {
            for j in 0..k {
                norms[j] += sums[c * k + j] * sums[c * k + j];
            }
        }
        let centroids =
            sums.iter().enumerate().map(|(i, s)| (s / norms[i % k].sqrt().max(1e-12)) as f32).collect();
        let rows_per = names.iter().map(|n| count[n.as_str()]).collect();
        Some(HouseStyle {
            outlets: names,
            rows: rows_per,
            centroids,
            dim,
            temperature: 0.05,
            none_similarity: 0.5,
        })
    }

    /// Cosine similarity of a document to each outlet's centroid. The dot product needs no
    /// merging of folded columns (it is linear); only the folded vector's norm does, summed in a
    /// scratch array so no sort is needed.
    pub fn similarities(&self, fs: &FeatureSpace, row: &[(u32, f32)]) -> Vec<f32> {
        thread_local! {
            static SCRATCH: std::cell::RefCell<(Vec<f32>, Vec<u32>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
        }
        let k = self.outlets.len();
        let mut sim = vec![0f32; k];
        let fold = Folding::of(fs);
        let norm = SCRATCH.with(|s| {
            let (acc, touched) = &mut *s.borrow_mut();
            if acc.len() < self.dim {
                acc.resize(self.dim, 0.0);
            }
            for &(c, x) in row {
                let Some(j) = fold.column(c).filter(|&j| j < self.dim) else { continue };
                if acc[j] == 0.0 {
                    touched.push(j as u32);
                }
                acc[j] += x;
                let col = &self.centroids[j * k..][..k];
                sim.iter_mut().zip(col).for_each(|(s, w)| *s += x * w);
            }
            let mut n2 = 0f32;
            for &j in touched.iter() {
                n2 += acc[j as usize] * acc[j as usize];
                acc[j as usize] = 0.0;
            }
            touched.clear();
            n2.sqrt()
        });
        if norm > 0.0 {
            sim.iter_mut().for_each(|s| *s /= norm);
        }
        sim
    }

    /// Probabilities over the outlets and, last, "none of them".
    fn probabilities(&self, sim: &[f32], t: f32, none: f32) -> Vec<f32> {
        let mut z: Vec<f32> = sim.iter().map(|s| s / t).collect();
        z.push(none / t);
        let m = z.iter().cloned().fold(f32::MIN, f32::max);
        let e: Vec<f32> = z.iter().map(|x| (x - m).exp()).collect();
        let s: f32 = e.iter().sum();
        e.iter().map(|x| x / s).collect()
    }

    /// The top outlets (at most [`TOP`], each with p >= [`MIN_P`]), most likely first.
    pub fn reads_like(&self, fs: &FeatureSpace, doc: &DocFeatures) -> Vec<ReadsLike> {
        let sim = self.similarities(fs, &doc.row);
        let p = self.probabilities(&sim, self.temperature, self.none_similarity);
        let mut idx: Vec<usize> = (0..self.outlets.len()).filter(|&j| p[j] >= MIN_P).collect();
        idx.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
        idx.truncate(TOP);
        idx.into_iter().map(|j| ReadsLike { outlet: self.outlets[j].clone(), p: p[j] }).collect()
    }

    /// Fits the temperature and the "none" similarity by log-likelihood on held-out rows given
    /// as (similarities, outlet index or None). Each known row is used twice: as itself, and
    /// with its own outlet's centroid removed and "none" as the answer.
    pub fn calibrate(&mut self, held: &[(Vec<f32>, Option<usize>)]) {
        if held.is_empty() {
            return;
        }
        let nll = |t: f32, none: f32| -> f64 {
            let mut sum = 0f64;
            for (sim, truth) in held {
                let p = self.probabilities(sim, t, none);
                match truth {
                    Some(j) => {
                        sum -= (p[*j].max(1e-9) as f64).ln();
                        let mut without = sim.clone();
                        without[*j] = f32::MIN / 4.0;
                        let q = self.probabilities(&without, t, none);
                        sum -= (q[q.len() - 1].max(1e-9) as f64).ln();
                    }
                    None => sum -= (p[p.len() - 1].max(1e-9) as f64).ln(),
                }
            }
            sum
        };
        let mut best = (f64::INFINITY, self.temperature, self.none_similarity);
        for ti in 0..24 {
            let t = 0.005 * 1.25f32.powi(ti);
            for ni in 0..=40 {
                let none = ni as f32 / 40.0;
                let v = nll(t, none);
                if v < best.0 {
                    best = (v, t, none);
                }
            }
        }
        self.temperature = best.1;
        self.none_similarity = best.2;
    }

    /// Top-1 accuracy per outlet on held-out rows (rows of unknown outlets left out).
    pub fn top1_by_outlet(
        &self,
        held: &[(Vec<f32>, Option<usize>)],
    ) -> std::collections::BTreeMap<String, (usize, f64)> {
        let mut acc: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
        for (sim, truth) in held {
            if let Some(j) = truth {
                let p = self.probabilities(sim, self.temperature, self.none_similarity);
                let best = (0..self.outlets.len())
                    .max_by(|&a, &b| p[a].total_cmp(&p[b]).then(b.cmp(&a)))
                    .unwrap_or(0);
                let e = acc.entry(self.outlets[*j].clone()).or_default();
                e.0 += 1;
                e.1 += (best == *j) as usize;
            }
        }
        acc.into_iter().map(|(o, (n, r))| (o, (n, r as f64 / n.max(1) as f64))).collect()
    }

    /// Internal consistency of a loaded model's centroids.
    pub fn check(&self) -> std::result::Result<(), String> {
        let k = self.outlets.len();
        if self.centroids.len() != self.dim * k || self.rows.len() != k {
            return Err("inconsistent: house-style centroids".into());
        }
        if !(self.temperature.is_finite() && self.temperature > 0.0) || !self.none_similarity.is_finite() {
            return Err("damaged: house-style calibration".into());
        }
        if self.centroids.iter().any(|c| !c.is_finite()) {
            return Err("damaged: house-style centroids".into());
        }
        Ok(())
    }
}
