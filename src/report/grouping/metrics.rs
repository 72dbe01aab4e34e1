//! Agreement of a grouping with gold groups: B-cubed precision, recall and F1, adjusted Rand.

use std::collections::HashMap;

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
}
