//! Bag of words: unigrams and bigrams, a vocabulary chosen by document frequency, sublinear tf
//! times IDF from the training data only, rows L2-normalised. Written here rather than taken from
//! linfa-preprocessing because its vocabulary order changes from run to run and its IDF is
//! computed on whatever batch it transforms.
use crate::error::{Error, Result};
use crate::text::Analyzer;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::{Deserialize, Serialize};
use std::hash::Hasher;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BowParams {
    /// Keep terms in at least this many training documents.
    pub min_df: usize,
    /// Drop terms in more than this share of training documents.
    pub max_df: f64,
    /// Keep at most this many terms, most frequent first.
    pub max_features: usize,
}

impl Default for BowParams {
    fn default() -> Self {
        BowParams { min_df: 2, max_df: 1.0, max_features: 100_000 }
    }
}

impl BowParams {
    pub fn validate(&self) -> Result<()> {
        if self.min_df == 0 {
            return Err(Error::Usage("--min-df must be at least 1".into()));
        }
        if !(self.max_df > 0.0 && self.max_df <= 1.0) {
            return Err(Error::Usage(format!("--max-df must be in (0, 1], got {}", self.max_df)));
        }
        if self.max_features == 0 {
            return Err(Error::Usage("--max-features must be at least 1".into()));
        }
        Ok(())
    }
}

/// Terms are keyed by a 64-bit hash so documents never build bigram strings; the strings are kept
/// for explanations and to rebuild the index on load.
fn unigram_key(tok: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(tok.as_bytes());
    h.write_u8(0xff);
    h.finish()
}

fn bigram_key(a: u64, b: u64) -> u64 {
    (a.rotate_left(21) ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_add(0x2545_f491_4f6c_dd1d)
}

fn term_key(term: &str) -> u64 {
    match term.split_once(' ') {
        Some((a, b)) => bigram_key(unigram_key(a), unigram_key(b)),
        None => unigram_key(term),
    }
}

/// Calls `f` with the key of every unigram and bigram of the token stream.
fn for_each_term(tokens: &[&str], mut f: impl FnMut(u64)) {
    let mut prev: Option<u64> = None;
    for t in tokens {
        let k = unigram_key(t);
        f(k);
        if let Some(p) = prev {
            f(bigram_key(p, k));
        }
        prev = Some(k);
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BowVectorizer {
    pub params: BowParams,
    /// Vocabulary in column order: by document frequency, ties by term.
    pub terms: Vec<String>,
    pub idf: Vec<f32>,
    #[serde(skip)]
    index: FxHashMap<u64, u32>,
}

impl PartialEq for BowVectorizer {
    fn eq(&self, o: &Self) -> bool {
        self.params == o.params && self.terms == o.terms && self.idf == o.idf
    }
}

const CHUNK: usize = 256;

impl BowVectorizer {
    /// Chooses the vocabulary and IDF from training texts.
    pub fn fit(texts: &[&str], analyzer: &Analyzer, params: &BowParams) -> Result<Self> {
        params.validate()?;
        let n_docs = texts.len();
        // Pass 1: document frequency per term key, counted per chunk and merged in chunk order.
        let chunk_counts: Vec<FxHashMap<u64, u32>> = texts
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut df: FxHashMap<u64, u32> = FxHashMap::default();
                let mut keys = Vec::new();
                for text in chunk {
                    let norm = analyzer.normalize(text);
                    let mut toks = Vec::new();
                    analyzer.tokens(&norm, &mut toks);
                    keys.clear();
                    for_each_term(&toks, |k| keys.push(k));
                    keys.sort_unstable();
                    keys.dedup();
                    for &k in &keys {
                        *df.entry(k).or_default() += 1;
                    }
                }
                df
            })
            .collect();
        let mut df: FxHashMap<u64, u32> = FxHashMap::default();
        for c in chunk_counts {
            for (k, v) in c {
                *df.entry(k).or_default() += v;
            }
        }
        let max_df = (params.max_df * n_docs as f64).floor() as u32;
        df.retain(|_, v| *v as usize >= params.min_df && *v <= max_df.max(1));
        let wanted: FxHashSet<u64> = df.keys().copied().collect();

        // Pass 2: the strings of the surviving keys, for the tie-break and the model file.
        let chunk_names: Vec<Vec<(u64, String)>> = texts
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut seen: FxHashSet<u64> = FxHashSet::default();
                let mut names = Vec::new();
                for text in chunk {
                    let norm = analyzer.normalize(text);
                    let mut toks = Vec::new();
                    analyzer.tokens(&norm, &mut toks);
                    for (i, t) in toks.iter().enumerate() {
                        let k = unigram_key(t);
                        if wanted.contains(&k) && seen.insert(k) {
                            names.push((k, t.to_string()));
                        }
                        if i > 0 {
                            let b = bigram_key(unigram_key(toks[i - 1]), k);
                            if wanted.contains(&b) && seen.insert(b) {
                                names.push((b, format!("{} {}", toks[i - 1], t)));
                            }
                        }
                    }
                }
                names
            })
            .collect();
        let mut names: FxHashMap<u64, String> = FxHashMap::default();
        for c in chunk_names {
            for (k, s) in c {
                names.entry(k).or_insert(s);
            }
        }
        let mut vocab: Vec<(u32, String)> =
            df.into_iter().filter_map(|(k, d)| names.remove(&k).map(|s| (d, s))).collect();
        vocab.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        vocab.truncate(params.max_features);
        let n = n_docs as f32;
        let idf = vocab.iter().map(|(d, _)| ((1.0 + n) / (1.0 + *d as f32)).ln() + 1.0).collect();
        let terms = vocab.into_iter().map(|(_, s)| s).collect();
        let mut v = BowVectorizer { params: params.clone(), terms, idf, index: Default::default() };
        v.rebuild_index();
        Ok(v)
    }

    /// Rebuilds the term lookup after deserialising.
    pub fn rebuild_index(&mut self) {
        self.index = self.terms.iter().enumerate().map(|(i, t)| (term_key(t), i as u32)).collect();
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Appends the document's L2-normalised tf-idf entries, sorted by column, offset by `offset`.
    pub fn transform_into(&self, tokens: &[&str], offset: u32, out: &mut Vec<(u32, f32)>) {
        let mut cols: Vec<u32> = Vec::with_capacity(tokens.len() * 2);
        for_each_term(tokens, |k| {
            if let Some(&c) = self.index.get(&k) {
                cols.push(c);
            }
        });
        cols.sort_unstable();
        let start = out.len();
        let mut norm = 0.0f32;
        let mut i = 0;
        while i < cols.len() {
            let c = cols[i];
            let mut j = i + 1;
            while j < cols.len() && cols[j] == c {
                j += 1;
            }
            let v = (1.0 + ((j - i) as f32).ln()) * self.idf[c as usize];
            norm += v * v;
            out.push((c + offset, v));
            i = j;
        }
        if norm > 0.0 {
            let inv = 1.0 / norm.sqrt();
            for e in &mut out[start..] {
                e.1 *= inv;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fit(texts: &[&str], p: BowParams) -> BowVectorizer {
        BowVectorizer::fit(texts, &Analyzer::standard(), &p).unwrap()
    }

    const DOCS: [&str; 4] = [
        "The minister said the talks went well.",
        "The talks went on; the minister left.",
        "Imperialists and puppets, the talks!",
        "Key takeaways: the talks went well.",
    ];

    #[test]
    fn vocabulary_order_is_by_df_then_term_and_deterministic() {
        let p = BowParams { min_df: 2, max_df: 1.0, max_features: 100 };
        let v = fit(&DOCS, p.clone());
        // "the" and "talks" are in all four, then "the talks" (4), then df-3 terms.
        assert_eq!(&v.terms[..3], ["talks", "the", "the talks"]);
        assert!(v.terms.contains(&"went well".to_string()));
        assert!(!v.terms.contains(&"imperialists".to_string()), "df 1 is below min_df");
        for _ in 0..3 {
            assert_eq!(fit(&DOCS, p.clone()), v);
        }
        let mut rev = DOCS;
        rev.reverse();
        assert_eq!(fit(&rev, p).terms, v.terms, "row order must not change the vocabulary");
    }

    #[test]
    fn max_df_and_max_features() {
        let v = fit(&DOCS, BowParams { min_df: 1, max_df: 0.5, max_features: 100 });
        assert!(!v.terms.contains(&"the".to_string()));
        let v = fit(&DOCS, BowParams { min_df: 1, max_df: 1.0, max_features: 2 });
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn idf_and_l2_norm() {
        let v = fit(&DOCS, BowParams { min_df: 1, max_df: 1.0, max_features: 1000 });
        let a = Analyzer::standard();
        let i = v.terms.iter().position(|t| t == "imperialists").unwrap();
        assert!((v.idf[i] - ((5.0f32 / 2.0).ln() + 1.0)).abs() < 1e-6);
        let norm = a.normalize("the talks the talks imperialists");
        let mut toks = Vec::new();
        a.tokens(&norm, &mut toks);
        let mut out = Vec::new();
        v.transform_into(&toks, 10, &mut out);
        let n: f32 = out.iter().map(|e| e.1 * e.1).sum();
        assert!((n - 1.0).abs() < 1e-5);
        assert!(out.windows(2).all(|w| w[0].0 < w[1].0) && out[0].0 >= 10);
        out.clear();
        v.transform_into(&["unseen"], 0, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn index_survives_serde() {
        let v = fit(&DOCS, BowParams { min_df: 1, max_df: 1.0, max_features: 1000 });
        let mut back: BowVectorizer = serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
        back.rebuild_index();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        v.transform_into(&["talks", "went", "well"], 0, &mut a);
        back.transform_into(&["talks", "went", "well"], 0, &mut b);
        assert_eq!(a, b);
        assert_eq!(a.len(), 5);
    }
}
