//! Term weights and the analysis of a query: content-word and content-bigram features, tf-idf
//! and BM25 weights, names, numbers, opening and sentences.

use super::shingles::shingles;
use super::tokens::tokenize_spans;
use super::{LEAD, TraceIndex, UNI, UNKNOWN};

/// Content-word unigram and adjacent content-bigram keys of a token stream with their counts,
/// sorted by key.
pub(super) fn raw_features(toks: &[u32], stop: &[bool]) -> Vec<(u64, u32)> {
    let mut keys: Vec<u64> = Vec::with_capacity(toks.len() * 2);
    let mut prev: Option<u32> = None;
    for &t in toks {
        if t == UNKNOWN {
            prev = None;
            continue;
        }
        if stop[t as usize] {
            continue;
        }
        keys.push(UNI | t as u64);
        if let Some(p) = prev {
            keys.push(((p as u64) << 32) | t as u64);
        }
        prev = Some(t);
    }
    keys.sort_unstable();
    let mut out: Vec<(u64, u32)> = Vec::with_capacity(keys.len());
    for k in keys {
        match out.last_mut() {
            Some((lk, c)) if *lk == k => *c += 1,
            _ => out.push((k, 1)),
        }
    }
    out
}

pub(super) fn idf_of(n: usize, df: u32) -> f32 {
    (((1 + n) as f32) / ((1 + df) as f32)).ln() + 1.0
}

pub(super) fn bm25_idf(n: usize, df: u32) -> f32 {
    (1.0 + (n as f32 - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
}

pub(super) const K1: f32 = 1.2;
pub(super) const B: f32 = 0.75;

/// `1 + ln(tf)` for tf 0..=255.
pub(super) fn sublinear(tf: u8) -> f32 {
    static T: std::sync::OnceLock<[f32; 256]> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut t = [0f32; 256];
        for (i, x) in t.iter_mut().enumerate().skip(1) {
            *x = 1.0 + (i as f32).ln();
        }
        t
    })[tf as usize]
}

/// Distinct known content terms of a token stream, in order of first occurrence.
pub(super) fn first_occurrences(toks: &[u32], stop: &[bool]) -> Vec<u32> {
    let mut v: Vec<(u32, u32)> = toks
        .iter()
        .enumerate()
        .filter(|&(_, &t)| t != UNKNOWN && !stop[t as usize])
        .map(|(i, &t)| (t, i as u32))
        .collect();
    v.sort_unstable();
    v.dedup_by_key(|x| x.0);
    v.sort_unstable_by_key(|x| x.1);
    v.into_iter().map(|x| x.0).collect()
}

/// Length of the longest strictly increasing subsequence.
pub(super) fn longest_increasing(seq: &[u32]) -> usize {
    let mut tails: Vec<u32> = Vec::new();
    for &x in seq {
        let i = tails.partition_point(|&t| t < x);
        if i == tails.len() {
            tails.push(x);
        } else {
            tails[i] = x;
        }
    }
    tails.len()
}

/// A query, analysed once.
pub(super) struct Query {
    pub(super) norm: String,
    pub(super) spans: Vec<(String, usize, usize)>,
    pub(super) toks: Vec<u32>,
    /// (feature id, tf-idf weight normalised, BM25 idf), sorted by feature id.
    pub(super) vec: Vec<(u32, f32, f32)>,
    pub(super) shingles: Vec<u64>,
    /// Distinct known content terms with their idf.
    pub(super) terms: Vec<(u32, f32)>,
    pub(super) names: Vec<u32>,
    /// Names with their idf, sorted by term.
    pub(super) names_w: Vec<(u32, f32)>,
    pub(super) numbers: Vec<u32>,
    pub(super) content_len: usize,
    /// Sorted distinct content-bigram keys (unknown words break bigrams).
    pub(super) bigrams: Vec<u64>,
    /// Distinct known content terms in order of first occurrence.
    pub(super) order: Vec<u32>,
    /// The first [`LEAD`] distinct content terms with their idf, sorted by term.
    pub(super) lead: Vec<(u32, f32)>,
    /// Per sentence (at least 3 distinct known content terms): its distinct terms with idf.
    pub(super) sentences: Vec<Vec<(u32, f32)>>,
}

impl TraceIndex {
    pub(super) fn feature(&self, key: u64) -> Option<usize> {
        self.feat_keys.binary_search(&key).ok()
    }

    pub(super) fn df(&self, f: usize) -> u32 {
        self.post_off[f + 1] - self.post_off[f]
    }

    pub(super) fn idf(&self, f: usize) -> f32 {
        idf_of(self.ids.len(), self.df(f))
    }

    pub(super) fn analyse(&self, text: &str) -> Query {
        let (norm, spans) = tokenize_spans(text);
        let toks: Vec<u32> =
            spans.iter().map(|(w, _, _)| self.term_map.get(w).copied().unwrap_or(UNKNOWN)).collect();
        let n = self.ids.len();
        let mut vec: Vec<(u32, f32, f32)> = Vec::new();
        let mut terms = Vec::new();
        let mut content_len = 0;
        for (k, c) in raw_features(&toks, &self.stop) {
            if k & UNI != 0 {
                content_len += c as usize;
            }
            if let Some(f) = self.feature(k) {
                let idf = self.idf(f);
                vec.push((f as u32, sublinear(c.min(255) as u8) * idf, bm25_idf(n, self.df(f))));
                if k & UNI != 0 {
                    terms.push(((k & 0xFFFF_FFFF) as u32, idf));
                }
            }
        }
        let norm2 = vec.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
        if norm2 > 0.0 {
            for x in vec.iter_mut() {
                x.1 /= norm2;
            }
        }
        // content words only count once unknown words are skipped too
        content_len += toks.iter().filter(|&&t| t == UNKNOWN).count();
        let (mut names, mut numbers) = (Vec::new(), Vec::new());
        for ((w, s, _), &t) in spans.iter().zip(&toks) {
            if t == UNKNOWN || self.stop[t as usize] {
                continue;
            }
            if w.chars().any(|c| c.is_ascii_digit()) {
                numbers.push(t);
            } else if norm[*s..].chars().next().is_some_and(char::is_uppercase) {
                names.push(t);
            }
        }
        names.sort_unstable();
        names.dedup();
        numbers.sort_unstable();
        numbers.dedup();
        let shingles = shingles(&toks, self.params.shingle);
        let names_w: Vec<(u32, f32)> =
            names.iter().map(|&t| (t, self.feature(UNI | t as u64).map_or(1.0, |f| self.idf(f)))).collect();
        let bigrams: Vec<u64> =
            raw_features(&toks, &self.stop).into_iter().map(|x| x.0).filter(|k| k & UNI == 0).collect();
        let order = first_occurrences(&toks, &self.stop);
        let mut lead: Vec<(u32, f32)> = order
            .iter()
            .take(LEAD)
            .map(|&t| (t, self.feature(UNI | t as u64).map_or(1.0, |f| self.idf(f))))
            .collect();
        lead.sort_unstable_by_key(|x| x.0);
        let mut sentences: Vec<Vec<(u32, f32)>> = Vec::new();
        let mut cur: Vec<(u32, f32)> = Vec::new();
        for (i, ((_, _, e), &t)) in spans.iter().zip(&toks).enumerate() {
            let known = if t != UNKNOWN && !self.stop[t as usize] {
                terms.binary_search_by_key(&t, |x: &(u32, f32)| x.0).ok()
            } else {
                None
            };
            if let Some(j) = known.filter(|_| !cur.iter().any(|x| x.0 == t)) {
                cur.push(terms[j]);
            }
            let next = spans.get(i + 1).map_or(norm.len(), |x| x.1);
            if norm[*e..next].contains(['.', '!', '?', '\n']) || i + 1 == spans.len() {
                if cur.len() >= 3 {
                    sentences.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
        }
        Query {
            norm,
            spans,
            toks,
            vec,
            shingles,
            terms,
            names,
            names_w,
            numbers,
            content_len,
            bigrams,
            order,
            lead,
            sentences,
        }
    }

    /// Normalised tf-idf vector of reference `d`, sorted by feature id.
    pub(super) fn doc_vector(&self, d: usize) -> Vec<(u32, f32)> {
        let norm = self.doc_norm[d].max(1e-9);
        let mut v: Vec<(u32, f32)> = raw_features(self.doc_toks(d), &self.stop)
            .into_iter()
            .filter_map(|(k, c)| {
                let f = self.feature(k)?;
                Some((f as u32, sublinear(c.min(255) as u8) * self.idf(f) / norm))
            })
            .collect();
        v.sort_unstable_by_key(|x| x.0);
        v
    }
}
