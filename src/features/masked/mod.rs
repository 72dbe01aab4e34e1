//! The content-masked block ("text distortion", Stamatatos 2017): every word that is not one of
//! a fixed list of function words becomes a shape token (Capitalised, lower, ALLCAPS, number),
//! punctuation and line structure are kept, and token pairs (and, with `--masked-max-n 3`,
//! triples) over that stream are hashed into a fixed number of columns. What is left is how an
//! outlet writes, not what it writes about, so it travels to outlets and topics the model has
//! not seen. `tokens` says what each word and mark becomes (the style block's scanner finds them,
//! in the pass it makes anyway), `ngrams` hashes the stream; this file holds the fitted block.
mod ngrams;
mod tokens;

pub use ngrams::{MAX_N_LIMIT, MIN_N, ngram_buckets, ngrams_in_bucket};
use serde::{Deserialize, Serialize};
pub(crate) use tokens::kept_words;
pub use tokens::{Mark, Shape, TokenSink, masked_tokens, token_name};

/// Hyperparameters of the masked block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaskedParams {
    /// Number of hashed columns (a power of two).
    pub buckets: u32,
    /// Columns found in fewer training documents are dropped.
    pub min_df: u32,
    /// Multiplies the L2-normalised block, setting its weight beside the bag of words.
    pub scale: f32,
    /// Longest n-gram: 2 = pairs (the default), 3 = pairs and triples. Triples cost a tenth of
    /// scoring time and a third of training time for no gain on dev and a small one on
    /// held-out outlets (README "Ablation").
    pub max_n: u8,
}

impl MaskedParams {
    pub fn validate(&self) -> crate::error::Result<()> {
        if !self.buckets.is_power_of_two() || self.buckets < 2 {
            return Err(crate::error::Error::Usage(format!(
                "--masked-buckets must be a power of two >= 2, got {}",
                self.buckets
            )));
        }
        if !(MIN_N as u8..=MAX_N_LIMIT).contains(&self.max_n) {
            return Err(crate::error::Error::Usage(format!(
                "--masked-max-n must be {MIN_N} to {MAX_N_LIMIT}, got {}",
                self.max_n
            )));
        }
        if !(self.scale.is_finite() && self.scale > 0.0) {
            return Err(crate::error::Error::Usage(format!(
                "--masked-scale must be > 0, got {}",
                self.scale
            )));
        }
        Ok(())
    }
}

impl Default for MaskedParams {
    fn default() -> Self {
        MaskedParams { buckets: 1 << 15, min_df: 3, scale: 1.0, max_n: 2 }
    }
}

/// The fitted block: IDF per column (0 for dropped columns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaskedVectorizer {
    pub buckets: u32,
    pub scale: f32,
    /// Longest n-gram ([`MaskedParams::max_n`]).
    pub max_n: u8,
    pub idf: Vec<f32>,
}

/// Sorted unique columns of one document with their counts.
pub fn doc_counts(text: &str, buckets: u32, max_n: u8) -> Vec<(u32, u32)> {
    let mut ids = Vec::new();
    masked_tokens(text, &mut ids);
    token_counts(&ids, buckets, max_n)
}

/// [`doc_counts`] of a document's token stream (as the style scan gives it).
pub fn token_counts(ids: &[u32], buckets: u32, max_n: u8) -> Vec<(u32, u32)> {
    thread_local! {
        static BUF: std::cell::RefCell<[Vec<u32>; 2]> = const { std::cell::RefCell::new([Vec::new(), Vec::new()]) };
    }
    BUF.with(|buf| {
        let [b, scratch] = &mut *buf.borrow_mut();
        ngram_buckets(ids, buckets, max_n, b);
        crate::features::radix::sort_ids(b, buckets - 1, scratch);
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(b.len());
        for &x in b.iter() {
            match out.last_mut() {
                Some((c, n)) if *c == x => *n += 1,
                _ => out.push((x, 1)),
            }
        }
        out
    })
}

impl MaskedVectorizer {
    /// IDF from the documents' column counts (as [`doc_counts`] gives them).
    pub fn fit(docs: &[Vec<(u32, u32)>], params: &MaskedParams) -> MaskedVectorizer {
        let mut df = vec![0u32; params.buckets as usize];
        for d in docs {
            for &(c, _) in d {
                df[c as usize] += 1;
            }
        }
        let n = docs.len() as f32;
        let idf = df
            .iter()
            .map(|&d| if d >= params.min_df.max(1) { ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0 } else { 0.0 })
            .collect();
        MaskedVectorizer { buckets: params.buckets, scale: params.scale, max_n: params.max_n, idf }
    }

    pub fn len(&self) -> usize {
        self.idf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.idf.is_empty()
    }

    /// Appends the block's entries for one document's counts: sublinear tf times IDF, L2
    /// normalised, times the scale.
    pub fn transform_counts_into(&self, counts: &[(u32, u32)], offset: u32, out: &mut Vec<(u32, f32)>) {
        let start = out.len();
        let mut norm = 0f32;
        for &(c, n) in counts {
            let idf = self.idf[c as usize];
            if idf > 0.0 {
                let v = crate::features::bow::sublinear_tf(n as usize) * idf;
                norm += v * v;
                out.push((offset + c, v));
            }
        }
        if norm > 0.0 {
            let k = self.scale / norm.sqrt();
            out[start..].iter_mut().for_each(|e| e.1 *= k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_shape_same_columns_whatever_the_topic() {
        let a = doc_counts("The minister said the talks would resume in Geneva.", 1 << 12, 3);
        let b = doc_counts("The striker said the match would resume in Madrid.", 1 << 12, 3);
        assert_eq!(a, b);
        let c = doc_counts("As is well known, the respected Comrade gave guidance.", 1 << 12, 3);
        assert_ne!(a, c);
    }

    #[test]
    fn rows_are_unit_length_and_sorted() {
        let docs: Vec<Vec<(u32, u32)>> = ["He said it.", "She said it, too.", "They said: it rained."]
            .iter()
            .map(|t| doc_counts(t, 1 << 10, 2))
            .collect();
        let v =
            MaskedVectorizer::fit(&docs, &MaskedParams { buckets: 1 << 10, min_df: 1, scale: 1.0, max_n: 2 });
        let mut out = Vec::new();
        v.transform_counts_into(&docs[0], 5, &mut out);
        assert!(out.windows(2).all(|w| w[0].0 < w[1].0));
        let norm: f32 = out.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5);
        assert!(!ngrams_in_bucket("He said it.", 1 << 10, 2, out[0].0 - 5).is_empty());
    }

    #[test]
    fn max_n_is_validated() {
        for n in [0, 1, 5] {
            assert!(MaskedParams { max_n: n, ..MaskedParams::default() }.validate().is_err());
        }
        assert!(MaskedParams::default().validate().is_ok());
    }
}
