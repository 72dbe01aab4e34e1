//! The neighbour graph: each article's most similar others, damped by date distance, as edges.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{GroupParams, SparseVec};

/// Each article's `k` most similar others (cosine, damped by date distance), as edges (i < j).
pub(super) fn neighbour_edges(
    vecs: &[SparseVec],
    days: &[Option<i32>],
    p: &GroupParams,
) -> Vec<(u32, u32, f32)> {
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

/// Each article's `neighbours` most similar others by the cosine of their LSA rows (all pairs
/// compared; `rows` are normalised), damped by date distance, as edges (i < j).
pub(super) fn dense_neighbour_edges(
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
pub(super) fn dense_dot(a: &[f32], b: &[f32]) -> f32 {
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
pub(super) fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
