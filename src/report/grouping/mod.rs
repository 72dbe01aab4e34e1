//! Grouping articles into events: which articles report the same story.
//!
//! Each article becomes a sparse tf-idf vector over its content words (the project's analyzer,
//! stop words removed; names and numbers can weigh more, off by default). Idf is taken over the
//! inputs, so words rare in this collection count most. With more articles than `dims`, the
//! vectors are projected onto their `dims` leading singular directions (LSA, a seeded randomized
//! SVD), so that reports of one story that word it differently still come out similar; fewer
//! articles keep the plain cosine. Each article's `neighbours` most similar others form a graph
//! (with dates on both sides a similarity is damped by their distance in days), and events are
//! the groups that maximise the total similarity inside them minus `threshold` for every pair
//! they hold (the constant Potts model, optimised by Louvain moves): an article joins a group
//! when its average similarity to the members, non-neighbours counting 0, is above `threshold`.
//! Average-linkage agglomeration over the same graph is kept as [`Clustering::Average`]. Articles
//! are visited in input order and ties go to the lower index, so the grouping is deterministic.

use std::collections::{BinaryHeap, HashMap};

use rayon::prelude::*;

use crate::text::{Analyzer, Nfkc, UnicodeWords};
use crate::trace::tokens::is_stop;

/// How groups are formed over the neighbour graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clustering {
    /// Constant Potts model (Louvain moves): an article is in the group where its summed
    /// similarity to the members minus `threshold` per member is highest.
    Potts,
    /// Average-linkage agglomeration, stopping when the average similarity falls under
    /// `threshold` (what newsprov used before; kept for comparison).
    Average,
}

/// How articles are grouped into events.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupParams {
    /// Average similarity at or above which articles are one event.
    pub threshold: f32,
    /// Neighbours per article in the similarity graph.
    pub neighbours: usize,
    /// LSA dimensions; 0, or no more articles than this, compares the tf-idf vectors directly.
    pub dims: usize,
    pub clustering: Clustering,
    /// Weight of a name relative to another content word.
    pub name_weight: f32,
    /// Weight of a number.
    pub number_weight: f32,
    /// Similarity is multiplied by `exp(-days / date_scale)` beyond `date_slack` days apart
    /// when both dates are known; 0 turns dates off.
    pub date_scale: f32,
    pub date_slack: f32,
    /// Features in more than this share of the articles are ignored.
    pub max_df: f32,
}

impl Default for GroupParams {
    fn default() -> Self {
        GroupParams {
            // 0.15 keeps the hand-written same-event sets of data/examples/events/ apart (any
            // threshold from 0.14 to 0.205 does). On corpus2/events.csv (examples/eval_events.rs,
            // docs/report.md) it gives B-cubed F1 0.924 (best 0.938 at 0.08); 20 neighbours and
            // 200 dimensions were chosen there among 10/20/30 and 100/200/300, 200 over 100
            // because larger inputs hold more stories. Extra weight on names and numbers,
            // dropping common words, or dates lowered the figures there, so they are off.
            threshold: 0.15,
            neighbours: 20,
            dims: 200,
            clustering: Clustering::Potts,
            name_weight: 1.0,
            number_weight: 1.0,
            date_scale: 0.0,
            date_slack: 3.0,
            max_df: 1.0,
        }
    }
}

/// A sparse vector: (feature, weight), sorted by feature, L2-normalised.
pub type SparseVec = Vec<(u32, f32)>;

/// Days since 1970-01-01 of a date written `YYYY-MM-DD...` or `MM/DD/YYYY`, if it is one.
pub fn parse_day(s: &str) -> Option<i32> {
    let s = s.trim();
    let (y, m, d) = if s.len() >= 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' {
        (s[..4].parse().ok()?, s[5..7].parse().ok()?, s[8..10].parse().ok()?)
    } else {
        let mut p = s.split('/');
        let (m, d, y) = (p.next()?.parse().ok()?, p.next()?.parse().ok()?, p.next()?.get(..4)?.parse().ok()?);
        (y, m, d)
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // days from civil (Howard Hinnant's algorithm)
    let (y, m, d): (i32, i32, i32) = (y, m, d);
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn analyzer() -> Analyzer {
    Analyzer::new(UnicodeWords).normalizer(Nfkc)
}

/// Content words of a text, each with its kind weight: names and numbers weigh more.
fn weighted_words(a: &Analyzer, text: &str, p: &GroupParams) -> Vec<(String, f32)> {
    let norm = a.normalize(text);
    let mut words = Vec::new();
    a.tokens(&norm, &mut words);
    let base = norm.as_ptr() as usize;
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let lower = w.to_lowercase();
        let lower = lower.trim_end_matches("'s").trim_end_matches("\u{2019}s").to_string();
        if is_stop(&lower) {
            continue;
        }
        let at = w.as_ptr() as usize - base;
        let before = norm[..at].trim_end_matches([' ', '"', '\'', '(', '\u{201c}', '\u{2018}']);
        let sentence_start = before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':']);
        let weight = if w.chars().any(|c| c.is_ascii_digit()) {
            p.number_weight
        } else if !sentence_start && w.chars().next().is_some_and(char::is_uppercase) {
            p.name_weight
        } else {
            1.0
        };
        out.push((lower, weight));
    }
    out
}

/// Weighted tf-idf vectors of the texts (idf over the texts themselves).
pub fn event_vectors(texts: &[&str], p: &GroupParams) -> Vec<SparseVec> {
    let a = analyzer();
    let words: Vec<Vec<(String, f32)>> = texts.par_iter().map(|t| weighted_words(&a, t, p)).collect();
    tfidf(words, p.max_df)
}

/// The baseline: plain tf-idf over all lowercased words, no weights, no stop words removed.
pub fn plain_vectors(texts: &[&str]) -> Vec<SparseVec> {
    let a = Analyzer::standard();
    let words: Vec<Vec<(String, f32)>> =
        texts.par_iter().map(|t| a.analyze(t).into_iter().map(|w| (w, 1.0)).collect()).collect();
    tfidf(words, 1.0)
}

fn tfidf(words: Vec<Vec<(String, f32)>>, max_df: f32) -> Vec<SparseVec> {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut docs: Vec<Vec<(u32, f32)>> = Vec::with_capacity(words.len());
    for doc in words {
        let mut v: Vec<(u32, f32)> = Vec::with_capacity(doc.len());
        for (w, wt) in doc {
            let n = ids.len() as u32;
            let id = *ids.entry(w).or_insert(n);
            v.push((id, wt));
        }
        // term count, and the largest kind weight the term was seen with
        v.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        let mut merged: Vec<(u32, f32)> = Vec::new();
        let mut counts: Vec<f32> = Vec::new();
        for (id, wt) in v {
            match merged.last() {
                Some(&(last, _)) if last == id => *counts.last_mut().unwrap() += 1.0,
                _ => {
                    merged.push((id, wt));
                    counts.push(1.0);
                }
            }
        }
        docs.push(merged.into_iter().zip(counts).map(|((id, wt), c)| (id, wt * (1.0 + c.ln()))).collect());
    }
    let n = docs.len();
    let mut df = vec![0u32; ids.len()];
    for d in &docs {
        for &(id, _) in d {
            df[id as usize] += 1;
        }
    }
    let cap = ((max_df * n as f32).ceil() as u32).max(2);
    docs.into_par_iter()
        .map(|d| {
            let mut v: Vec<(u32, f32)> = d
                .into_iter()
                .filter(|&(id, _)| df[id as usize] <= cap || max_df >= 1.0)
                .map(|(id, w)| (id, w * (((1 + n) as f32 / (1 + df[id as usize]) as f32).ln() + 1.0)))
                .collect();
            let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|x| x.1 /= norm);
            }
            v
        })
        .collect()
}

/// Each article's `k` most similar others (cosine, damped by date distance), as edges (i < j).
fn neighbour_edges(vecs: &[SparseVec], days: &[Option<i32>], p: &GroupParams) -> Vec<(u32, u32, f32)> {
    let n = vecs.len();
    let nf = vecs.iter().flat_map(|v| v.iter().map(|x| x.0 + 1)).max().unwrap_or(0) as usize;
    let mut post: Vec<Vec<(u32, f32)>> = vec![Vec::new(); nf];
    for (d, v) in vecs.iter().enumerate() {
        for &(f, w) in v {
            post[f as usize].push((d as u32, w));
        }
    }
    // Candidates come from the postings of the rarer features only (a word in a twentieth of
    // the articles or more adds a little to every pair and would make this quadratic); the
    // best candidates are then scored exactly.
    let cap = (n / 20).max(50);
    let mut edges: Vec<(u32, u32, f32)> = (0..n)
        .into_par_iter()
        .flat_map_iter(|i| {
            let mut acc: HashMap<u32, f32> = HashMap::new();
            for &(f, w) in &vecs[i] {
                let postings = &post[f as usize];
                if postings.len() > cap {
                    continue;
                }
                for &(d, w2) in postings {
                    if d as usize != i {
                        *acc.entry(d).or_insert(0.0) += w * w2;
                    }
                }
            }
            let mut cands: Vec<(u32, f32)> = acc.into_iter().collect();
            cands.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            cands.truncate(4 * p.neighbours);
            let mut best: Vec<(u32, f32)> = cands
                .into_iter()
                .map(|(d, _)| {
                    (d, dot(&vecs[i], &vecs[d as usize]) * date_factor(days[i], days[d as usize], p))
                })
                .collect();
            best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            best.truncate(p.neighbours);
            best.into_iter().map(move |(d, s)| (i.min(d as usize) as u32, i.max(d as usize) as u32, s))
        })
        .collect();
    edges.sort_by_key(|e| (e.0, e.1));
    edges.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
    edges
}

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

/// Each article's `neighbours` most similar others by the cosine of their LSA rows (all pairs
/// compared; `rows` are normalised), damped by date distance, as edges (i < j).
fn dense_neighbour_edges(
    rows: &[f32],
    dims: usize,
    days: &[Option<i32>],
    p: &GroupParams,
) -> Vec<(u32, u32, f32)> {
    let n = rows.len() / dims;
    let k = p.neighbours.min(n.saturating_sub(1));
    if k == 0 {
        return Vec::new();
    }
    let mut edges: Vec<(u32, u32, f32)> = (0..n)
        .into_par_iter()
        .flat_map_iter(|i| {
            let a = &rows[i * dims..(i + 1) * dims];
            let mut sims: Vec<(u32, f32)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| {
                    (
                        j as u32,
                        dense_dot(a, &rows[j * dims..(j + 1) * dims]) * date_factor(days[i], days[j], p),
                    )
                })
                .collect();
            let by_sim = |x: &(u32, f32), y: &(u32, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
            sims.select_nth_unstable_by(k - 1, by_sim);
            sims.truncate(k);
            sims.sort_by(by_sim);
            sims.into_iter().map(move |(d, s)| (i.min(d as usize) as u32, i.max(d as usize) as u32, s))
        })
        .collect();
    edges.sort_by_key(|e| (e.0, e.1));
    edges.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
    edges
}

/// Dot product of two dense vectors, in eight lanes (vectorises; same result on every run, and
/// symmetric, so both ends of an edge see the same similarity).
fn dense_dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Dot product of two sparse vectors sorted by feature.
fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

fn date_factor(a: Option<i32>, b: Option<i32>, p: &GroupParams) -> f32 {
    match (a, b) {
        (Some(a), Some(b)) if p.date_scale > 0.0 => {
            let gap = ((a - b).abs() as f32 - p.date_slack).max(0.0);
            (-gap / p.date_scale).exp()
        }
        _ => 1.0,
    }
}

/// Event index of each article, numbered by first article in input order.
pub fn group(vecs: &[SparseVec], days: &[Option<i32>], p: &GroupParams) -> Vec<usize> {
    let n = vecs.len();
    let edges = match lsa(vecs, p.dims) {
        Some(rows) => dense_neighbour_edges(&rows, p.dims, days, p),
        None => neighbour_edges(vecs, days, p),
    };
    match p.clustering {
        Clustering::Potts => potts(n, &edges, p.threshold as f64),
        Clustering::Average => average_linkage(n, &edges, p.threshold),
    }
}

/// Average-linkage agglomeration over a similarity graph (missing pairs count as 0), merging
/// while the best average similarity is at least `threshold`.
fn average_linkage(n: usize, edges: &[(u32, u32, f32)], threshold: f32) -> Vec<usize> {
    // per cluster: size and the summed similarity to each neighbouring cluster
    let mut size = vec![1usize; n];
    let mut links: Vec<HashMap<u32, f32>> = vec![HashMap::new(); n];
    for &(a, b, s) in edges {
        links[a as usize].insert(b, s);
        links[b as usize].insert(a, s);
    }
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut version = vec![0u32; n];
    // max-heap on (average, then lower ids first for determinism)
    #[derive(PartialEq)]
    struct Cand(f32, u32, u32, u32, u32);
    impl Eq for Cand {}
    impl PartialOrd for Cand {
        fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(o))
        }
    }
    impl Ord for Cand {
        fn cmp(&self, o: &Self) -> std::cmp::Ordering {
            self.0.total_cmp(&o.0).then(o.1.cmp(&self.1)).then(o.2.cmp(&self.2))
        }
    }
    let mut heap = BinaryHeap::new();
    for &(a, b, s) in edges {
        if s >= threshold {
            heap.push(Cand(s, a, b, 0, 0));
        }
    }
    while let Some(Cand(_, a, b, va, vb)) = heap.pop() {
        let (a, b) = (a as usize, b as usize);
        if parent[a] != a as u32 || parent[b] != b as u32 || version[a] != va || version[b] != vb {
            continue;
        }
        // merge b into a
        parent[b] = a as u32;
        let lb = std::mem::take(&mut links[b]);
        links[a].remove(&(b as u32));
        for (c, s) in lb {
            if c as usize == a {
                continue;
            }
            *links[a].entry(c).or_insert(0.0) += s;
            let lc = &mut links[c as usize];
            let sb = lc.remove(&(b as u32)).unwrap_or(0.0);
            *lc.entry(a as u32).or_insert(0.0) += sb;
        }
        size[a] += size[b];
        version[a] += 1;
        let mut neigh: Vec<(u32, f32)> = links[a].iter().map(|(&c, &s)| (c, s)).collect();
        neigh.sort_by_key(|x| x.0);
        for (c, s) in neigh {
            let avg = s / (size[a] * size[c as usize]) as f32;
            if avg >= threshold {
                let (x, y) = if (a as u32) < c { (a as u32, c) } else { (c, a as u32) };
                heap.push(Cand(avg, x, y, version[x as usize], version[y as usize]));
            }
        }
    }
    let root = |mut i: usize| {
        while parent[i] as usize != i {
            i = parent[i] as usize;
        }
        i
    };
    renumber((0..n).map(root))
}

/// Labels renumbered 0, 1, ... in order of first appearance.
fn renumber(labels: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut number: HashMap<usize, usize> = HashMap::new();
    labels
        .map(|r| {
            let next = number.len();
            *number.entry(r).or_insert(next)
        })
        .collect()
}

/// Groups of a similarity graph under the constant Potts model: the partition maximising, over
/// groups, the similarity inside minus `gamma` times the number of pairs. Unlike modularity,
/// `gamma` means the same on 20 articles as on 10,000 (no resolution limit), and unlike
/// agglomeration a wrongly placed article can move again. Louvain: move each node to the
/// neighbouring group with the best gain until none improves, then repeat on the graph of groups.
fn potts(n: usize, edges: &[(u32, u32, f32)], gamma: f64) -> Vec<usize> {
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for &(a, b, w) in edges {
        if a != b && w > 0.0 {
            adj[a as usize].push((b as usize, w as f64));
            adj[b as usize].push((a as usize, w as f64));
        }
    }
    let mut size: Vec<f64> = vec![1.0; n];
    let mut member: Vec<usize> = (0..n).collect();
    loop {
        let m = adj.len();
        let mut comm: Vec<usize> = (0..m).collect();
        let mut comm_size = size.clone();
        // summed weight from the node being moved to each group, and which groups were touched
        let mut to = vec![0f64; m];
        let mut touched: Vec<usize> = Vec::new();
        let mut empty: Vec<usize> = Vec::new();
        let mut moved_any = false;
        loop {
            let mut moved = false;
            for i in 0..m {
                let own = comm[i];
                for &(j, w) in &adj[i] {
                    let c = comm[j];
                    if to[c] == 0.0 {
                        touched.push(c);
                    }
                    to[c] += w;
                }
                comm_size[own] -= size[i];
                let gain = |c: usize| to[c] - gamma * size[i] * comm_size[c];
                let mut best = (own, gain(own));
                touched.sort_unstable();
                for &c in &touched {
                    let g = gain(c);
                    if g > best.1 + 1e-12 {
                        best = (c, g);
                    }
                }
                // alone, when every group costs more than it brings (a group with others in it
                // means some group is empty, and every emptied group is on the stack)
                if best.1 < 0.0
                    && let Some(c) = empty.pop()
                {
                    best = (c, 0.0);
                }
                comm_size[best.0] += size[i];
                if best.0 != own {
                    if comm_size[own] == 0.0 {
                        empty.push(own);
                    }
                    comm[i] = best.0;
                    moved = true;
                }
                for &c in &touched {
                    to[c] = 0.0;
                }
                touched.clear();
            }
            if !moved {
                break;
            }
            moved_any = true;
        }
        if !moved_any {
            break;
        }
        let c = renumber(comm.iter().copied());
        let groups = c.iter().max().map_or(0, |x| x + 1);
        for x in member.iter_mut() {
            *x = c[*x];
        }
        let mut new_size = vec![0f64; groups];
        let mut new_adj: Vec<HashMap<usize, f64>> = vec![HashMap::new(); groups];
        for i in 0..m {
            new_size[c[i]] += size[i];
            for &(j, w) in &adj[i] {
                if c[i] != c[j] {
                    *new_adj[c[i]].entry(c[j]).or_insert(0.0) += w;
                }
            }
        }
        size = new_size;
        adj = new_adj
            .into_iter()
            .map(|h| {
                let mut v: Vec<(usize, f64)> = h.into_iter().collect();
                v.sort_unstable_by_key(|x| x.0);
                v
            })
            .collect();
        if groups == m {
            break;
        }
    }
    renumber(member.into_iter())
}

/// B-cubed precision, recall and F1 of a grouping against gold groups.
pub fn b_cubed(pred: &[usize], gold: &[usize]) -> (f64, f64, f64) {
    let n = pred.len();
    let mut pair: HashMap<(usize, usize), f64> = HashMap::new();
    let (mut ps, mut gs) = (HashMap::new(), HashMap::new());
    for i in 0..n {
        *pair.entry((pred[i], gold[i])).or_insert(0.0) += 1.0;
        *ps.entry(pred[i]).or_insert(0.0) += 1.0;
        *gs.entry(gold[i]).or_insert(0.0) += 1.0;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for i in 0..n {
        let both = pair[&(pred[i], gold[i])];
        p += both / ps[&pred[i]];
        r += both / gs[&gold[i]];
    }
    let (p, r) = (p / n as f64, r / n as f64);
    (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
}

/// Adjusted Rand index of a grouping against gold groups.
pub fn adjusted_rand(pred: &[usize], gold: &[usize]) -> f64 {
    let c2 = |x: f64| x * (x - 1.0) / 2.0;
    let mut pair: HashMap<(usize, usize), f64> = HashMap::new();
    let (mut ps, mut gs) = (HashMap::new(), HashMap::new());
    for i in 0..pred.len() {
        *pair.entry((pred[i], gold[i])).or_insert(0.0) += 1.0;
        *ps.entry(pred[i]).or_insert(0.0) += 1.0;
        *gs.entry(gold[i]).or_insert(0.0) += 1.0;
    }
    let index: f64 = pair.values().map(|&x| c2(x)).sum();
    let a: f64 = ps.values().map(|&x| c2(x)).sum();
    let b: f64 = gs.values().map(|&x| c2(x)).sum();
    let expected = a * b / c2(pred.len() as f64);
    let max = (a + b) / 2.0;
    if max == expected { 1.0 } else { (index - expected) / (max - expected) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_on_known_cases() {
        let gold = [0, 0, 0, 1, 1, 2];
        assert_eq!(b_cubed(&gold, &gold), (1.0, 1.0, 1.0));
        assert!((adjusted_rand(&gold, &gold) - 1.0).abs() < 1e-12);
        let all_one = [0; 6];
        let (p, r, _) = b_cubed(&all_one, &gold);
        assert!((r - 1.0).abs() < 1e-12 && p < 0.5);
        assert!(adjusted_rand(&all_one, &gold).abs() < 1e-12);
    }

    #[test]
    fn dates_parse() {
        assert_eq!(parse_day("1970-01-02"), Some(1));
        assert_eq!(parse_day("01/02/1970"), Some(1));
        assert_eq!(parse_day("2024-03-01T10:00"), parse_day("2024-03-01"));
        assert_eq!(parse_day("soon"), None);
    }

    #[test]
    fn potts_splits_weakly_joined_groups_and_respects_the_threshold() {
        // two 4-cliques (similarity 0.5 inside) joined by one 0.1 edge
        let mut edges = Vec::new();
        for base in [0u32, 4] {
            for a in base..base + 4 {
                for b in a + 1..base + 4 {
                    edges.push((a, b, 0.5));
                }
            }
        }
        edges.push((3, 4, 0.1));
        assert_eq!(potts(8, &edges, 0.2), vec![0, 0, 0, 0, 1, 1, 1, 1]);
        // with no cost per pair any link is worth keeping; above every similarity none is
        assert_eq!(potts(8, &edges, 0.0), vec![0; 8]);
        assert_eq!(potts(8, &edges, 0.6), (0..8).collect::<Vec<_>>());
        assert_eq!(potts(0, &[], 0.1), Vec::<usize>::new());
    }

    #[test]
    fn potts_lets_a_misjoined_article_leave() {
        // 0 first joins 1 (its strongest link), then moves: with 2, 3 and 4 the groups hold more
        // similarity than 0.3 per pair
        let edges =
            [(0, 1, 0.6), (0, 2, 0.45), (0, 3, 0.45), (0, 4, 0.45), (2, 3, 0.5), (2, 4, 0.5), (3, 4, 0.5)];
        let g = potts(5, &edges, 0.3);
        assert_eq!(g, vec![0, 1, 0, 0, 0]);
    }

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

    #[test]
    fn dense_neighbours_are_the_most_similar_rows() {
        // unit vectors at angles 0, 10, 20, 90, 100 degrees
        let rows: Vec<f32> = [0f32, 10.0, 20.0, 90.0, 100.0]
            .iter()
            .flat_map(|d| [d.to_radians().cos(), d.to_radians().sin()])
            .collect();
        let p = GroupParams { neighbours: 1, ..Default::default() };
        let e = dense_neighbour_edges(&rows, 2, &[None; 5], &p);
        let pairs: Vec<(u32, u32)> = e.iter().map(|x| (x.0, x.1)).collect();
        // 0-1, 1-0 (or 1-2 tie broken by index), 2-1, 3-4, 4-3
        assert_eq!(pairs, vec![(0, 1), (1, 2), (3, 4)]);
        assert!((dense_dot(&rows[0..2], &rows[2..4]) - 10f32.to_radians().cos()).abs() < 1e-6);
    }

    #[test]
    fn lsa_grouping_finds_topics_worded_differently() {
        // three topics, each written with two vocabularies that never meet in one article
        // except in the bridging ones: the plain cosine of "a" and "b" articles is 0
        let topics = [
            ["harbour ferry dock", "port boat pier", "harbour ferry port boat"],
            ["wheat harvest barley", "grain crop field", "wheat harvest grain crop"],
            ["violin concert orchestra", "symphony cello choir", "violin concert symphony cello"],
        ];
        let mut texts = Vec::new();
        for t in &topics {
            for k in 0..8 {
                texts.push(format!("{} {}", t[k % 3], ["today", "again", "now", "later"][k % 4]));
            }
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let p = GroupParams { dims: 3, neighbours: 7, ..Default::default() };
        let v = event_vectors(&refs, &p);
        let g = group(&v, &[None; 24], &p);
        for t in 0..3 {
            assert!(g[t * 8..(t + 1) * 8].iter().all(|&x| x == g[t * 8]), "{g:?}");
        }
        assert!(g[0] != g[8] && g[8] != g[16] && g[0] != g[16], "{g:?}");
    }

    #[test]
    fn same_story_articles_group_and_others_do_not() {
        let texts = [
            "Firefighters in Gazipur battled a blaze at the Rahman Textiles factory on Monday; 31 workers died.",
            "A fire at Rahman Textiles in Gazipur killed 31 workers on Monday, officials in Dhaka said.",
            "The central bank of Norland held its key rate at 4.25 percent, governor Ilse Brandt said.",
            "Norland's central bank kept rates at 4.25 percent; Ilse Brandt cited sticky inflation.",
            "A quiet village fair sold apples and honey.",
        ];
        let p = GroupParams::default();
        let v = event_vectors(&texts, &p);
        let g = group(&v, &[None; 5], &p);
        assert_eq!(g[0], g[1]);
        assert_eq!(g[2], g[3]);
        assert_ne!(g[0], g[2]);
        assert_ne!(g[4], g[0]);
        assert_ne!(g[4], g[2]);
        assert_eq!(g, group(&v, &[None; 5], &p), "deterministic");
    }
}
