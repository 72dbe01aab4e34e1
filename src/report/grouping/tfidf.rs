//! Articles as sparse tf-idf vectors: kind-weighted content words, or the plain all-words baseline.

use std::collections::HashMap;

use rayon::prelude::*;

use super::GroupParams;
use crate::text::{Analyzer, Nfkc, UnicodeWords};
use crate::trace::tokens::is_stop;

/// A sparse vector: (feature, weight), sorted by feature, L2-normalised.
pub type SparseVec = Vec<(u32, f32)>;

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
