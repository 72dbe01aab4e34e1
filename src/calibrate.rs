//! Honest probabilities: one temperature, fitted on held-out data, divides the logits before the
//! softmax. Expected calibration error (ECE) says how far confidence is from accuracy.
use crate::corpus::Label;
use crate::solver::{argmax, softmax};
use serde::{Deserialize, Serialize};

/// Equal-width confidence bins for ECE, as in Guo et al. (2017).
pub const ECE_BINS: usize = 15;

/// The temperature fitted on a dev set and what it did to the calibration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationSummary {
    /// Divides the logits before the softmax.
    pub temperature: f32,
    /// Dev rows it was fitted on.
    pub n: usize,
    /// ECE and mean negative log-likelihood with temperature 1.
    pub ece_before: f64,
    /// Mean negative log-likelihood on dev before.
    pub nll_before: f64,
    /// The same after scaling, cross-fitted: each half of the held-out rows is scored with the
    /// temperature fitted on the other half, so the figure is not measured on its own fit.
    pub ece_after: f64,
    /// Mean negative log-likelihood on dev after.
    pub nll_after: f64,
}

/// Mean negative log-likelihood of the true labels at temperature `t`.
pub fn nll(logits: &[[f32; Label::COUNT]], y: &[usize], t: f32) -> f64 {
    if logits.is_empty() {
        return 0.0;
    }
    let sum: f64 = logits.iter().zip(y).map(|(z, &k)| -(softmax(*z, t)[k].max(1e-12) as f64).ln()).sum();
    sum / logits.len() as f64
}

/// Expected calibration error of the top-label confidence at temperature `t`.
pub fn ece(logits: &[[f32; Label::COUNT]], y: &[usize], t: f32) -> f64 {
    let mut conf = [0f64; ECE_BINS];
    let mut hits = [0f64; ECE_BINS];
    let mut count = [0usize; ECE_BINS];
    for (z, &k) in logits.iter().zip(y) {
        let p = softmax(*z, t);
        let top = argmax(&p);
        let c = p[top] as f64;
        let b = ((c * ECE_BINS as f64) as usize).min(ECE_BINS - 1);
        conf[b] += c;
        hits[b] += (top == k) as u8 as f64;
        count[b] += 1;
    }
    let n = logits.len().max(1) as f64;
    (0..ECE_BINS).filter(|&b| count[b] > 0).map(|b| (hits[b] - conf[b]).abs() / n).sum()
}

/// The temperature minimising NLL, by golden-section search on log T in [1/20, 20].
pub fn fit_temperature(logits: &[[f32; Label::COUNT]], y: &[usize]) -> f32 {
    if logits.is_empty() {
        return 1.0;
    }
    let f = |lt: f64| nll(logits, y, lt.exp() as f32);
    let (mut a, mut b) = ((0.05f64).ln(), (20f64).ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut c, mut d) = (b - g * (b - a), a + g * (b - a));
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..60 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = f(d);
        }
    }
    ((a + b) / 2.0).exp() as f32
}

/// Fits the temperature on all held-out rows and measures ECE before and (cross-fitted) after.
pub fn calibrate(logits: &[[f32; Label::COUNT]], y: &[usize]) -> CalibrationSummary {
    let temperature = fit_temperature(logits, y);
    let half = |parity: usize| -> (Vec<[f32; Label::COUNT]>, Vec<usize>) {
        logits.iter().zip(y).enumerate().filter(|(i, _)| i % 2 == parity).map(|(_, (z, &k))| (*z, k)).unzip()
    };
    let (even, odd) = (half(0), half(1));
    let (t_even, t_odd) = (fit_temperature(&even.0, &even.1), fit_temperature(&odd.0, &odd.1));
    let n = logits.len().max(1) as f64;
    let weighted = |m: fn(&[[f32; Label::COUNT]], &[usize], f32) -> f64| {
        (m(&odd.0, &odd.1, t_even) * odd.0.len() as f64 + m(&even.0, &even.1, t_odd) * even.0.len() as f64)
            / n
    };
    CalibrationSummary {
        temperature,
        n: logits.len(),
        ece_before: ece(logits, y, 1.0),
        nll_before: nll(logits, y, 1.0),
        ece_after: weighted(ece),
        nll_after: weighted(nll),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Over-confident logits (right 70% of the time, ~99% sure) get a temperature above 1 and a
    /// lower ECE.
    #[test]
    fn overconfidence_is_cooled() {
        let mut logits = Vec::new();
        let mut y = Vec::new();
        for i in 0..1000 {
            let pred = i % 3;
            logits.push({
                let mut z = [0f32; 3];
                z[pred] = 6.0;
                z
            });
            y.push(if (i / 2) % 10 < 7 { pred } else { (pred + 1) % 3 });
        }
        let s = calibrate(&logits, &y);
        assert!(s.temperature > 1.5, "{}", s.temperature);
        assert!(s.ece_before > 0.25, "{}", s.ece_before);
        assert!(s.ece_after < 0.05, "{}", s.ece_after);
        assert!(s.nll_after < s.nll_before);
    }

    #[test]
    fn ece_by_hand() {
        // Two rows with the same confident logits: one right, one wrong.
        let logits = [[2.0f32, 0.0, 0.0], [2.0, 0.0, 0.0]];
        let p = softmax(logits[0], 1.0)[0] as f64;
        let e = ece(&logits, &[0, 1], 1.0);
        // one bin: accuracy 0.5, confidence p
        assert!((e - (p - 0.5).abs()).abs() < 1e-9);
    }
}
