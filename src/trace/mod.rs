//! Rewrite tracing: which reference articles an input most likely derives from.
//!
//! Two kinds of reuse are scored:
//! * verbatim copying: word-shingle containment (share of the input's `shingle`-word shingles
//!   found in the candidate), MinHash + LSH buckets to bring near-copies into the candidate set,
//!   and the longest shared word runs ("passages");
//! * paraphrase: vocabulary-level similarity, the cosine of sublinear tf-idf vectors and BM25,
//!   both over content words (stop words removed) and adjacent content-word bigrams, plus the
//!   share of the input's names and numbers that the candidate also has.
//!
//! Candidates come from an inverted index (feature -> postings of (document, term count)), so a
//! query touches only the postings of its own features; very common features (document
//! frequency above `max_df` of the collection) are skipped. The top `candidates` by cosine, the
//! top `candidates` by BM25 and any LSH hits are re-ranked by a small linear model over
//! [`NUM_FEATURES`] candidate features ([`Reranker`], [`FEATURE_NAMES`]), fitted on the training
//! split's rewrites (see `examples/eval_trace.rs`); its output, 0..1, is the match score. Besides
//! the similarities above, the features measure how much of the input the candidate explains and
//! in what order: idf- and idf²-weighted term coverage both ways, shared content bigrams both
//! ways, the longest run of shared terms in the same order in both texts, how much of the
//! candidate's opening (its first `LEAD` content words: title and lead) the input uses and vice
//! versa, the share of the input's sentences mostly found in the candidate, and the best
//! `WINDOW`-word window of the candidate; several also relative to the best candidate, since
//! the question is which candidate explains the input best. The weights maximise the
//! likelihood of ranking the true original first among its query's candidates (listwise), then
//! a one-feature logistic fit calibrates the score.
//!
//! References that are near-copies of one another (3-gram overlap or tf-idf cosine at or above
//! the grouping thresholds) are reported as one match that lists the others in `also`.
//!
//! Words come from the project's analyzer (`src/text.rs`: NFKC, UAX #29 words), lowered word by
//! word ([`tokens`]). The reranker keeps its own Newton solver ([`rerank`]): its objective is a
//! listwise softmax over each query's candidates, which the three-class solver in `src/solver`
//! does not express, and with 32 weights Newton's method converges in a few exact steps.
//!
//! One concept per file: [`tokens`] (words, stop words), [`shingles`] (word shingles, MinHash),
//! [`index`] (building, storing and loading the index), [`features`] (query analysis and the
//! term weights), [`candidates`] (the candidate set and its reranker features), [`rerank`] (the
//! linear reranker and its fitting), [`groups`] (near-copy groups) and [`passages`] (the longest
//! shared passages).

mod candidates;
mod features;
mod groups;
mod index;
mod passages;
mod rerank;
mod shingles;
pub(crate) mod tokens;

pub use rerank::{DEFAULT_THRESHOLD, FEATURE_NAMES, NUM_FEATURES, Reranker};

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub(crate) const MAGIC: &[u8; 8] = b"NPTRACE\0";
const FORMAT_VERSION: u32 = 3;
const UNKNOWN: u32 = u32::MAX;
/// Unigram feature keys have the top bit set; bigram keys are `a << 32 | b` with a, b < 2^31.
const UNI: u64 = 1 << 63;
/// References tokenized together while building (bounds memory).
const BUILD_CHUNK: usize = 2048;

/// Content words in the reference window of the window-coverage feature.
const WINDOW: usize = 100;

/// Content words of a reference's (or the input's) opening used by the lead-coverage features.
const LEAD: usize = 40;

/// Tuning knobs for building and querying a [`TraceIndex`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TraceParams {
    /// Words per shingle for containment (default 3).
    pub shingle: usize,
    /// Number of MinHash functions (default 64).
    pub num_hashes: usize,
    /// LSH bands; `num_hashes` must be a multiple of it (default 16, i.e. 4 rows a band).
    pub bands: usize,
    /// Matches returned by default (default 5).
    pub top_k: usize,
    /// Match-score threshold for [`TraceIndex::is_match`].
    pub threshold: f32,
    /// Candidates taken from the inverted index by cosine and by BM25 (default 50 each).
    pub candidates: usize,
    /// Skip features present in more than this share of references when querying.
    pub max_df: f32,
    /// Minimum words in a reported shared passage (default 8).
    pub min_passage: usize,
    /// Keep content bigrams found in at least this many references (default 2).
    pub min_bigram_df: u32,
    /// Two references are one group when the smaller one's shingles are at least this share
    /// shared with the other (default 0.8).
    pub group_overlap: f32,
    /// ... or when their tf-idf cosine is at least this (default 0.9).
    pub group_cosine: f32,
}

impl Default for TraceParams {
    fn default() -> Self {
        TraceParams {
            shingle: 3,
            num_hashes: 64,
            bands: 16,
            top_k: 5,
            threshold: DEFAULT_THRESHOLD,
            candidates: 50,
            max_df: 0.5,
            min_passage: 8,
            min_bigram_df: 2,
            group_overlap: 0.8,
            group_cosine: 0.9,
        }
    }
}

impl TraceParams {
    pub fn validate(&self) -> Result<(), String> {
        if self.shingle == 0 || self.shingle > 16 {
            return Err(format!("shingle size must be 1..=16, got {}", self.shingle));
        }
        if self.num_hashes == 0 || self.num_hashes > 1024 {
            return Err(format!("num_hashes must be 1..=1024, got {}", self.num_hashes));
        }
        if self.bands == 0 || !self.num_hashes.is_multiple_of(self.bands) {
            return Err(format!("bands ({}) must divide num_hashes ({})", self.bands, self.num_hashes));
        }
        if self.top_k == 0 {
            return Err("top_k must be at least 1".into());
        }
        for (name, v) in [
            ("threshold", self.threshold),
            ("group_overlap", self.group_overlap),
            ("group_cosine", self.group_cosine),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("{name} must be in 0..=1, got {v}"));
            }
        }
        if self.candidates == 0 {
            return Err("candidates must be at least 1".into());
        }
        if !(self.max_df > 0.0 && self.max_df <= 1.0) {
            return Err(format!("max_df must be in (0, 1], got {}", self.max_df));
        }
        if self.min_passage == 0 {
            return Err("min_passage must be at least 1".into());
        }
        Ok(())
    }
}

/// One reference article (or group of near-identical references) an input may derive from.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TraceMatch {
    pub id: String,
    /// Match score, 0..1, from the reranker.
    pub score: f32,
    /// Share of the input's word shingles found in the reference.
    pub containment: f32,
    /// tf-idf cosine over content words and content bigrams.
    pub similarity: f32,
    /// BM25 over the same features, divided by the input's own BM25 ceiling.
    pub bm25: f32,
    /// Longest shared word runs (up to 3, at least `min_passage` words), from the input.
    pub passages: Vec<String>,
    /// Other references that are near-copies of this one (same story, indistinguishable).
    pub also: Vec<String>,
}

/// Reference collection index. Build once, save with [`TraceIndex::to_bytes`].
#[derive(Serialize, Deserialize)]
pub struct TraceIndex {
    params: TraceParams,
    reranker: Reranker,
    ids: Vec<String>,
    /// Term strings; a term's id is its position.
    vocab: Vec<String>,
    /// Sorted feature keys (unigrams `UNI | term`, bigrams `a << 32 | b`); feature id = position.
    feat_keys: Vec<u64>,
    /// CSR postings: feature f's postings are `post_docs[post_off[f]..post_off[f+1]]`.
    post_off: Vec<u32>,
    post_docs: Vec<u32>,
    /// Term count of the feature in the document, capped at 255.
    post_tf: Vec<u8>,
    /// Euclidean norm of each document's tf-idf vector.
    doc_norm: Vec<f32>,
    /// Content words per document (BM25 length).
    doc_len: Vec<u32>,
    /// Token streams (term ids), CSR by document.
    tok_off: Vec<u64>,
    toks: Vec<u32>,
    /// MinHash signatures, `num_hashes` per document.
    sigs: Vec<u32>,
    #[serde(skip)]
    term_map: HashMap<String, u32>,
    #[serde(skip)]
    stop: Vec<bool>,
    #[serde(skip)]
    lsh: Vec<HashMap<u64, Vec<u32>>>,
    #[serde(skip)]
    avg_len: f32,
}

impl TraceIndex {
    /// Top `k` references for `text`, best first (includes matches under the threshold;
    /// use [`TraceIndex::is_match`] to filter). Near-copies of a match are folded into its `also`.
    pub fn query(&self, text: &str, k: usize) -> Vec<TraceMatch> {
        self.query_with(text, k, |_| false)
    }

    /// Like [`TraceIndex::query`], skipping references for which `exclude(id)` is true.
    pub fn query_with<F: Fn(&str) -> bool>(&self, text: &str, k: usize, exclude: F) -> Vec<TraceMatch> {
        let q = self.analyse(text);
        let cands = self.candidates(&q, &exclude);
        self.group(&q, cands, k)
    }

    /// Reranker features of every candidate for `text` (for fitting), best first by current score.
    pub fn candidate_features<F: Fn(&str) -> bool>(
        &self,
        text: &str,
        exclude: F,
    ) -> Vec<(String, [f32; NUM_FEATURES])> {
        let q = self.analyse(text);
        self.candidates(&q, &exclude).into_iter().map(|c| (self.ids[c.doc].clone(), c.x)).collect()
    }

    /// Whether a match passes the index's threshold.
    pub fn is_match(&self, m: &TraceMatch) -> bool {
        m.score >= self.params.threshold
    }
}

impl std::fmt::Debug for TraceIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TraceIndex")
            .field("references", &self.ids.len())
            .field("terms", &self.vocab.len())
            .field("features", &self.feat_keys.len())
            .field("postings", &self.post_docs.len())
            .field("params", &self.params)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs() -> Vec<(String, String)> {
        vec![
            ("a".into(), "The harbour authority of Port Velmar closed the northern pier on Tuesday after a cargo crane collapsed during a storm, injuring four dock workers and halting grain shipments for the week.".into()),
            ("b".into(), "Farmers in the Ostrava valley reported a record apple harvest this autumn, with cooperative officials estimating 42,000 tonnes picked before the first frost arrived.".into()),
            ("c".into(), "A new municipal library opened downtown with a rooftop reading garden, a maker space and extended evening hours for students preparing for exams.".into()),
            ("d".into(), "The city council voted to expand bus lanes on three avenues, arguing commuters lose too much time in traffic; shop owners warned about fewer parking spaces.".into()),
            ("a2".into(), "The harbour authority of Port Velmar closed the northern pier on Tuesday after a cargo crane collapsed during a storm, injuring four dock workers and halting grain shipments for the week. Updated.".into()),
        ]
    }

    #[test]
    fn params_validate() {
        assert!(TraceParams::default().validate().is_ok());
        assert!(TraceParams { bands: 7, ..Default::default() }.validate().is_err());
        assert!(TraceParams { shingle: 0, ..Default::default() }.validate().is_err());
        assert!(TraceParams { threshold: 1.5, ..Default::default() }.validate().is_err());
    }

    #[test]
    fn verbatim_copy_found_with_passage_and_near_copy_grouped() {
        let idx = TraceIndex::build(refs(), &TraceParams::default());
        assert_eq!(idx.len(), 5);
        let q = "BREAKING: The harbour authority of Port Velmar closed the northern pier on Tuesday after a cargo crane collapsed. More soon.";
        let m = idx.query(q, 3);
        assert_eq!(m[0].id, "a");
        assert_eq!(m[0].also, vec!["a2".to_string()]);
        assert!(m.iter().skip(1).all(|x| x.id != "a2"));
        assert!(m[0].containment > 0.5, "{:?}", m[0]);
        assert!(idx.is_match(&m[0]));
        assert!(m[0].passages[0].starts_with("The harbour authority of Port Velmar"), "{:?}", m[0].passages);
        assert_eq!(idx.near_copies("a"), vec!["a2".to_string()]);
    }

    #[test]
    fn paraphrase_found() {
        let idx = TraceIndex::build(refs(), &TraceParams::default());
        let q = "Apple growers across Ostrava valley had their best harvest ever, cooperative officials estimate some 42,000 tonnes were picked ahead of frost.";
        let m = idx.query(q, 2);
        assert_eq!(m[0].id, "b");
        assert!(m[0].passages.is_empty());
    }

    #[test]
    fn unrelated_below_threshold() {
        let idx = TraceIndex::build(refs(), &TraceParams::default());
        let q = "Scientists observed an unusual comet passing near Jupiter, astronomers announced.";
        let m = idx.query(q, 1);
        assert!(m.is_empty() || !idx.is_match(&m[0]), "{m:?}");
    }

    #[test]
    fn exclude_filter() {
        let idx = TraceIndex::build(refs(), &TraceParams::default());
        let q = "The city council voted to expand bus lanes on three avenues.";
        let m = idx.query_with(q, 4, |id| id == "d");
        assert!(m.iter().all(|x| x.id != "d"));
    }

    #[test]
    fn reranker_fit_separates() {
        let mut groups = Vec::new();
        for i in 0..50 {
            let mut g = Vec::new();
            let mut x = [0f32; NUM_FEATURES];
            x[0] = 0.6 + (i % 5) as f32 * 0.05;
            g.push((x, true));
            for j in 0..5 {
                let mut y = [0f32; NUM_FEATURES];
                y[0] = 0.1 + j as f32 * 0.1;
                y[1] = (i * j % 7) as f32;
                g.push((y, false));
            }
            groups.push(g);
        }
        let r = Reranker::fit(&groups, 1.0);
        assert!(r.valid());
        let mut hi = [0f32; NUM_FEATURES];
        hi[0] = 0.7;
        let mut lo = [0f32; NUM_FEATURES];
        lo[0] = 0.2;
        assert!(r.score(&hi) > 0.5 && r.score(&lo) < 0.5);
    }

    #[test]
    fn roundtrip_and_errors() {
        let idx = TraceIndex::build(refs(), &TraceParams::default());
        let bytes = idx.to_bytes();
        let back = TraceIndex::from_bytes(&bytes).unwrap();
        let q = "Port Velmar pier closed after crane collapse in storm";
        assert_eq!(idx.query(q, 2), back.query(q, 2));
        assert!(TraceIndex::from_bytes(b"garbage").unwrap_err().contains("magic"));
        let mut other = bytes.clone();
        other[8] = 99;
        assert!(TraceIndex::from_bytes(&other).unwrap_err().contains("version"));
        let cut = &bytes[..bytes.len() / 2];
        assert!(TraceIndex::from_bytes(cut).unwrap_err().contains("damaged"));
        // deterministic
        assert_eq!(TraceIndex::build(refs(), &TraceParams::default()).to_bytes(), bytes);
    }

    #[test]
    fn empty_index_and_query() {
        let idx = TraceIndex::build(Vec::<(String, String)>::new(), &TraceParams::default());
        assert!(idx.query("anything at all", 5).is_empty());
        let idx = TraceIndex::build(refs(), &TraceParams::default());
        assert!(idx.query("", 5).is_empty());
    }
}
