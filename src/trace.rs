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
//! Self-contained: own tokenizer (NFKC, lowercase, Unicode word segmentation).

use std::collections::HashMap;

use crate::progress::{Progress, Silent};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

const MAGIC: &[u8; 8] = b"NPTRACE\0";
const FORMAT_VERSION: u32 = 3;
const UNKNOWN: u32 = u32::MAX;
/// Unigram feature keys have the top bit set; bigram keys are `a << 32 | b` with a, b < 2^31.
const UNI: u64 = 1 << 63;
/// References tokenized together while building (bounds memory).
const BUILD_CHUNK: usize = 2048;

/// Number of candidate features the reranker sees.
pub const NUM_FEATURES: usize = 32;
/// Names of the reranker features, in order.
pub const FEATURE_NAMES: [&str; NUM_FEATURES] = [
    "cosine",
    "cosine/best",
    "bm25/self",
    "bm25/best",
    "containment3",
    "reverse_containment3",
    "idf_term_coverage",
    "names_shared",
    "numbers_shared",
    "log_length_ratio",
    "abs_log_length_ratio",
    "1/(1+cosine_rank)",
    "reverse_idf_coverage",
    "idf2_term_coverage",
    "names_idf_shared",
    "bigram_containment",
    "reverse_bigram_containment",
    "order_lis",
    "order_lis/shared",
    "doc_lead_coverage",
    "query_lead_coverage",
    "log_doc_length",
    "idf_term_coverage/best",
    "idf2_term_coverage/best",
    "bigram_containment/best",
    "order_lis/best",
    "reverse_idf_coverage/best",
    "1/(1+bm25_rank)",
    "sentences_covered50",
    "sentences_covered70",
    "window_coverage",
    "window_coverage/best",
];

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
        if self.bands == 0 || self.num_hashes % self.bands != 0 {
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

/// Logistic model over the candidate features: `sigmoid(bias + sum w_i (x_i - mean_i) / scale_i)`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Reranker {
    pub mean: Vec<f32>,
    pub scale: Vec<f32>,
    pub weights: Vec<f32>,
    pub bias: f32,
}

/// Fitted by `cargo run --release --example eval_trace -- --fit` on the training split's
/// rewrites (pairs.csv rows whose rewrite is in train.csv; L2 10), references = originals.csv
/// plus train/dev wire and state-media articles.
const DEFAULT_MEAN: [f32; NUM_FEATURES] = [
    0.05407049,
    0.19443716,
    0.04777706,
    0.28133857,
    0.011319568,
    0.0049658874,
    0.1481332,
    0.24253127,
    0.12847944,
    1.2132816,
    1.4272084,
    0.06952828,
    0.054333765,
    0.119241014,
    0.2018767,
    0.022142945,
    0.010032327,
    0.082415275,
    0.4992512,
    0.07831931,
    0.16098177,
    5.7481265,
    0.32833552,
    0.29003513,
    0.15321031,
    0.3359024,
    0.20375855,
    0.069505334,
    0.045924757,
    0.01312157,
    0.094797164,
    0.3284043,
];
const DEFAULT_SCALE: [f32; NUM_FEATURES] = [
    0.05159856,
    0.17633024,
    0.040467005,
    0.22144629,
    0.033524457,
    0.03390643,
    0.10119084,
    0.22793862,
    0.29611897,
    1.1809036,
    0.91085756,
    0.13417019,
    0.06178428,
    0.09259319,
    0.2137175,
    0.043085273,
    0.04048356,
    0.06231259,
    0.20816818,
    0.08048966,
    0.10970067,
    1.0866259,
    0.21031153,
    0.20890771,
    0.2127564,
    0.22850077,
    0.18340479,
    0.13415258,
    0.12439296,
    0.06813437,
    0.069207236,
    0.22002421,
];
const DEFAULT_WEIGHTS: [f32; NUM_FEATURES] = [
    0.10624883,
    0.6085013,
    0.09154841,
    -0.18652037,
    0.4198101,
    0.46894538,
    -0.40971336,
    -0.18236104,
    -0.16045499,
    -0.560484,
    -0.17986563,
    -0.009796104,
    -0.24634318,
    0.029673308,
    0.38583624,
    -0.027794758,
    -0.21744415,
    0.04426665,
    0.13021252,
    0.85023195,
    0.59172887,
    -0.60911244,
    -0.20846057,
    0.38870454,
    -0.03570378,
    0.13846564,
    -0.27595726,
    0.016985834,
    0.0157341,
    0.043379437,
    0.21665007,
    0.38730282,
];
const DEFAULT_BIAS: f32 = -8.238745;
/// Chosen on train: the lowest score at which at most 5% of train rewrites whose original (and
/// its near-copies) is absent still get a match.
pub const DEFAULT_THRESHOLD: f32 = 0.581;

impl Default for Reranker {
    fn default() -> Self {
        Reranker {
            mean: DEFAULT_MEAN.to_vec(),
            scale: DEFAULT_SCALE.to_vec(),
            weights: DEFAULT_WEIGHTS.to_vec(),
            bias: DEFAULT_BIAS,
        }
    }
}

impl Reranker {
    pub fn score(&self, x: &[f32; NUM_FEATURES]) -> f32 {
        let mut z = self.bias;
        for i in 0..NUM_FEATURES {
            z += self.weights[i] * (x[i] - self.mean[i]) / self.scale[i];
        }
        1.0 / (1.0 + (-z).exp())
    }

    fn valid(&self) -> bool {
        self.mean.len() == NUM_FEATURES
            && self.scale.len() == NUM_FEATURES
            && self.weights.len() == NUM_FEATURES
            && self.scale.iter().all(|s| *s > 0.0 && s.is_finite())
            && self.weights.iter().chain(&self.mean).all(|w| w.is_finite())
            && self.bias.is_finite()
    }

    /// Fits the reranker in two steps, both by Newton's method. `groups` holds, per training
    /// query, its candidates' features and whether each is the true original.
    ///
    /// 1. Ranking: the weights maximise the L2-penalised (`l2`) log-likelihood that the true
    ///    original gets the highest score among its query's candidates (a listwise softmax
    ///    objective; queries whose original is not among the candidates are skipped).
    /// 2. Calibration: a one-feature logistic regression of "is the true original" on that
    ///    ranking score, over all candidates, scales the weights and sets the bias, so the
    ///    score reads as a match probability. The order of the candidates is unchanged.
    pub fn fit(groups: &[Vec<([f32; NUM_FEATURES], bool)>], l2: f64) -> Reranker {
        let rows: Vec<&([f32; NUM_FEATURES], bool)> = groups.iter().flatten().collect();
        let n = rows.len().max(1) as f64;
        let mut mean = [0f64; NUM_FEATURES];
        let mut var = [0f64; NUM_FEATURES];
        for (x, _) in &rows {
            for i in 0..NUM_FEATURES {
                mean[i] += x[i] as f64 / n;
            }
        }
        for (x, _) in &rows {
            for i in 0..NUM_FEATURES {
                var[i] += (x[i] as f64 - mean[i]).powi(2) / n;
            }
        }
        let scale: Vec<f64> = var.iter().map(|v| v.sqrt().max(1e-6)).collect();
        let std = |x: &[f32; NUM_FEATURES]| -> Vec<f64> {
            (0..NUM_FEATURES).map(|i| (x[i] as f64 - mean[i]) / scale[i]).collect()
        };
        // queries whose original is among the candidates, with at least one competitor
        let lists: Vec<(Vec<Vec<f64>>, usize)> = groups
            .iter()
            .filter(|g| g.len() > 1 && g.iter().filter(|c| c.1).count() == 1)
            .map(|g| (g.iter().map(|c| std(&c.0)).collect(), g.iter().position(|c| c.1).unwrap_or(0)))
            .collect();
        let d = NUM_FEATURES;
        let list_loss = |w: &[f64]| -> f64 {
            let mut l = 0.5 * l2 * w.iter().map(|x| x * x).sum::<f64>();
            for (xs, truth) in &lists {
                let s: Vec<f64> = xs.iter().map(|x| x.iter().zip(w).map(|(a, b)| a * b).sum()).collect();
                let mx = s.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                l += mx + s.iter().map(|v| (v - mx).exp()).sum::<f64>().ln() - s[*truth];
            }
            l
        };
        let mut w = vec![0f64; d];
        for _ in 0..50 {
            let mut g = vec![0f64; d];
            let mut h = vec![vec![0f64; d]; d];
            for (xs, truth) in &lists {
                let s: Vec<f64> = xs.iter().map(|x| x.iter().zip(&w).map(|(a, b)| a * b).sum()).collect();
                let mx = s.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let e: Vec<f64> = s.iter().map(|v| (v - mx).exp()).collect();
                let z: f64 = e.iter().sum();
                let mut mu = vec![0f64; d];
                for (x, ei) in xs.iter().zip(&e) {
                    let p = ei / z;
                    for i in 0..d {
                        mu[i] += p * x[i];
                    }
                    for i in 0..d {
                        let pxi = p * x[i];
                        for j in 0..d {
                            h[i][j] += pxi * x[j];
                        }
                    }
                }
                for i in 0..d {
                    g[i] += mu[i] - xs[*truth][i];
                    for j in 0..d {
                        h[i][j] -= mu[i] * mu[j];
                    }
                }
            }
            for i in 0..d {
                g[i] += l2 * w[i];
                h[i][i] += l2;
            }
            let step = solve(h, g);
            let before = list_loss(&w);
            let mut t = 1.0;
            let moved = |t: f64| -> Vec<f64> { w.iter().zip(&step).map(|(a, b)| a - t * b).collect() };
            while t > 1e-6 && list_loss(&moved(t)) > before {
                t *= 0.5;
            }
            w = moved(t);
            if t * step.iter().fold(0f64, |m, x| m.max(x.abs())) < 1e-7 {
                break;
            }
        }
        // calibration: p = sigmoid(a * score + b), Newton steps halved until the loss drops
        let sc: Vec<(f64, f64)> = rows
            .iter()
            .map(|(x, y)| (std(x).iter().zip(&w).map(|(a, b)| a * b).sum(), if *y { 1.0 } else { 0.0 }))
            .collect();
        let loss = |a: f64, b: f64| -> f64 {
            sc.iter()
                .map(|&(s, y)| {
                    let z = a * s + b;
                    z.max(0.0) + (-z.abs()).exp().ln_1p() - y * z
                })
                .sum()
        };
        let pos = sc.iter().filter(|x| x.1 > 0.5).count().max(1) as f64;
        let (mut ca, mut cb) = (1f64, (pos / (sc.len() as f64 - pos).max(1.0)).ln());
        for _ in 0..100 {
            let mut g = vec![0f64; 2];
            let mut h = vec![vec![0f64; 2]; 2];
            for &(s, y) in &sc {
                let p = 1.0 / (1.0 + (-(ca * s + cb)).exp());
                let v = (p * (1.0 - p)).max(1e-12);
                g[0] += (p - y) * s;
                g[1] += p - y;
                h[0][0] += v * s * s;
                h[0][1] += v * s;
                h[1][1] += v;
            }
            h[1][0] = h[0][1];
            h[0][0] += 1e-9;
            h[1][1] += 1e-9;
            let step = solve(h, g);
            let before = loss(ca, cb);
            let mut t = 1.0;
            while t > 1e-6 && loss(ca - t * step[0], cb - t * step[1]) > before {
                t *= 0.5;
            }
            ca -= t * step[0];
            cb -= t * step[1];
            if t * step[0].abs().max(step[1].abs()) < 1e-9 {
                break;
            }
        }
        let ab = [ca, cb];
        Reranker {
            mean: mean.iter().map(|&m| m as f32).collect(),
            scale: scale.iter().map(|&s| s as f32).collect(),
            weights: w.iter().map(|&x| (x * ab[0]) as f32).collect(),
            bias: ab[1] as f32,
        }
    }
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs())).unwrap_or(c);
        a.swap(c, p);
        b.swap(c, p);
        if a[c][c].abs() < 1e-12 {
            continue;
        }
        for r in c + 1..n {
            let f = a[r][c] / a[c][c];
            for k in c..n {
                a[r][k] -= f * a[c][k];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0f64; n];
    for c in (0..n).rev() {
        let s: f64 = (c + 1..n).map(|k| a[c][k] * x[k]).sum();
        x[c] = if a[c][c].abs() < 1e-12 { 0.0 } else { (b[c] - s) / a[c][c] };
    }
    x
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

// ---------------------------------------------------------------- tokenizer

/// NFKC + lowercase + Unicode words. Returns the NFKC text and (word, start, end) byte spans.
fn tokenize_spans(text: &str) -> (String, Vec<(String, usize, usize)>) {
    let norm: String = text.nfkc().collect();
    let out = norm.unicode_word_indices().map(|(i, w)| (norm_word(w), i, i + w.len())).collect();
    (norm, out)
}

fn tokenize(text: &str) -> Vec<String> {
    let norm: String = text.nfkc().collect();
    norm.unicode_words().map(norm_word).collect()
}

/// Lowercase; drop a possessive "'s" so "Kim's" and "Kim" are one term.
fn norm_word(w: &str) -> String {
    let mut s = w.to_lowercase();
    for suf in ["'s", "\u{2019}s"] {
        if s.len() > suf.len() && s.ends_with(suf) {
            s.truncate(s.len() - suf.len());
            break;
        }
    }
    s
}

const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "according",
    "across",
    "after",
    "afterwards",
    "again",
    "against",
    "all",
    "almost",
    "alone",
    "along",
    "already",
    "also",
    "although",
    "always",
    "am",
    "among",
    "amongst",
    "amoungst",
    "amount",
    "an",
    "and",
    "another",
    "any",
    "anyhow",
    "anyone",
    "anything",
    "anyway",
    "anywhere",
    "are",
    "around",
    "as",
    "at",
    "back",
    "be",
    "became",
    "because",
    "become",
    "becomes",
    "becoming",
    "been",
    "before",
    "beforehand",
    "behind",
    "being",
    "below",
    "beside",
    "besides",
    "between",
    "beyond",
    "bill",
    "both",
    "bottom",
    "but",
    "by",
    "call",
    "can",
    "cannot",
    "cant",
    "co",
    "con",
    "could",
    "couldnt",
    "cry",
    "de",
    "describe",
    "detail",
    "do",
    "done",
    "down",
    "due",
    "during",
    "each",
    "eg",
    "eight",
    "either",
    "eleven",
    "else",
    "elsewhere",
    "empty",
    "enough",
    "etc",
    "even",
    "ever",
    "every",
    "everyone",
    "everything",
    "everywhere",
    "except",
    "few",
    "fifteen",
    "fifty",
    "fill",
    "find",
    "fire",
    "first",
    "five",
    "for",
    "former",
    "formerly",
    "forty",
    "found",
    "four",
    "from",
    "front",
    "full",
    "further",
    "get",
    "give",
    "go",
    "had",
    "has",
    "hasnt",
    "have",
    "he",
    "hence",
    "her",
    "here",
    "hereafter",
    "hereby",
    "herein",
    "hereupon",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "hundred",
    "i",
    "ie",
    "if",
    "in",
    "inc",
    "indeed",
    "interest",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "keep",
    "last",
    "latter",
    "latterly",
    "least",
    "less",
    "like",
    "ltd",
    "made",
    "many",
    "may",
    "me",
    "meanwhile",
    "might",
    "mill",
    "mine",
    "more",
    "moreover",
    "most",
    "mostly",
    "move",
    "mr",
    "mrs",
    "ms",
    "much",
    "must",
    "my",
    "myself",
    "name",
    "namely",
    "neither",
    "never",
    "nevertheless",
    "new",
    "next",
    "nine",
    "no",
    "nobody",
    "none",
    "noone",
    "nor",
    "not",
    "nothing",
    "now",
    "nowhere",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "only",
    "onto",
    "or",
    "other",
    "others",
    "otherwise",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "part",
    "per",
    "perhaps",
    "please",
    "put",
    "rather",
    "re",
    "said",
    "same",
    "say",
    "says",
    "see",
    "seem",
    "seemed",
    "seeming",
    "seems",
    "serious",
    "several",
    "she",
    "should",
    "show",
    "side",
    "since",
    "sincere",
    "six",
    "sixty",
    "so",
    "some",
    "somehow",
    "someone",
    "something",
    "sometime",
    "sometimes",
    "somewhere",
    "still",
    "such",
    "system",
    "take",
    "ten",
    "than",
    "that",
    "the",
    "their",
    "them",
    "themselves",
    "then",
    "thence",
    "there",
    "thereafter",
    "thereby",
    "therefore",
    "therein",
    "thereupon",
    "these",
    "they",
    "thick",
    "thin",
    "third",
    "this",
    "those",
    "though",
    "three",
    "through",
    "throughout",
    "thru",
    "thus",
    "to",
    "together",
    "told",
    "too",
    "top",
    "toward",
    "towards",
    "twelve",
    "twenty",
    "two",
    "un",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "we",
    "well",
    "were",
    "what",
    "whatever",
    "when",
    "whence",
    "whenever",
    "where",
    "whereafter",
    "whereas",
    "whereby",
    "wherein",
    "whereupon",
    "wherever",
    "whether",
    "which",
    "while",
    "whither",
    "who",
    "whoever",
    "whole",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

fn is_stop(w: &str) -> bool {
    w.chars().count() < 2 || STOPWORDS.binary_search(&w).is_ok()
}

// ---------------------------------------------------------------- hashing

#[inline]
fn mix64(mut x: u64) -> u64 {
    // splitmix64 finaliser
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Hash of the shingle starting at `toks[i]`; None if it contains an unknown term.
#[inline]
fn shingle_hash(toks: &[u32], i: usize, n: usize) -> Option<u64> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &t in &toks[i..i + n] {
        if t == UNKNOWN {
            return None;
        }
        h = mix64(h ^ t as u64);
    }
    Some(h)
}

/// Sorted distinct shingle hashes.
fn shingles(toks: &[u32], n: usize) -> Vec<u64> {
    if toks.len() < n {
        return Vec::new();
    }
    let mut v: Vec<u64> = (0..=toks.len() - n).filter_map(|i| shingle_hash(toks, i, n)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Size of the intersection of two sorted lists.
fn intersect<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn minhash(sh: &[u64], num: usize) -> Vec<u32> {
    let mut sig = vec![u32::MAX; num];
    for &s in sh {
        for (k, slot) in sig.iter_mut().enumerate() {
            let h = (mix64(s ^ (k as u64).wrapping_mul(0x2545_F491_4F6C_DD1D)) >> 32) as u32;
            if h < *slot {
                *slot = h;
            }
        }
    }
    sig
}

fn band_key(sig: &[u32], band: usize, rows: usize) -> u64 {
    let mut h: u64 = band as u64;
    for &x in &sig[band * rows..(band + 1) * rows] {
        h = mix64(h ^ x as u64);
    }
    h
}

// ---------------------------------------------------------------- features

/// Content-word unigram and adjacent content-bigram keys of a token stream with their counts,
/// sorted by key.
fn raw_features(toks: &[u32], stop: &[bool]) -> Vec<(u64, u32)> {
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

fn idf_of(n: usize, df: u32) -> f32 {
    (((1 + n) as f32) / ((1 + df) as f32)).ln() + 1.0
}

fn bm25_idf(n: usize, df: u32) -> f32 {
    (1.0 + (n as f32 - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
}

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// `1 + ln(tf)` for tf 0..=255.
fn sublinear(tf: u8) -> f32 {
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
fn first_occurrences(toks: &[u32], stop: &[bool]) -> Vec<u32> {
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
fn longest_increasing(seq: &[u32]) -> usize {
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
struct Query {
    norm: String,
    spans: Vec<(String, usize, usize)>,
    toks: Vec<u32>,
    /// (feature id, tf-idf weight normalised, BM25 idf), sorted by feature id.
    vec: Vec<(u32, f32, f32)>,
    shingles: Vec<u64>,
    /// Distinct known content terms with their idf.
    terms: Vec<(u32, f32)>,
    names: Vec<u32>,
    /// Names with their idf, sorted by term.
    names_w: Vec<(u32, f32)>,
    numbers: Vec<u32>,
    content_len: usize,
    /// Sorted distinct content-bigram keys (unknown words break bigrams).
    bigrams: Vec<u64>,
    /// Distinct known content terms in order of first occurrence.
    order: Vec<u32>,
    /// The first [`LEAD`] distinct content terms with their idf, sorted by term.
    lead: Vec<(u32, f32)>,
    /// Per sentence (at least 3 distinct known content terms): its distinct terms with idf.
    sentences: Vec<Vec<(u32, f32)>>,
}

struct Candidate {
    doc: usize,
    x: [f32; NUM_FEATURES],
    score: f32,
    shingles: Vec<u64>,
}

impl TraceIndex {
    /// Build an index over `(id, text)` references. Deterministic for a given input order.
    pub fn build<I: IntoIterator<Item = (String, String)>>(refs: I, params: &TraceParams) -> TraceIndex {
        Self::build_with_progress(refs, params, &Silent)
    }

    /// Like [`TraceIndex::build`], reporting progress (one step per reference read).
    pub fn build_with_progress<I: IntoIterator<Item = (String, String)>>(
        refs: I,
        params: &TraceParams,
        progress: &dyn Progress,
    ) -> TraceIndex {
        // 1. tokenize in parallel chunks, intern sequentially (deterministic ids).
        let mut ids: Vec<String> = Vec::new();
        let mut term_map: HashMap<String, u32> = HashMap::new();
        let mut vocab: Vec<String> = Vec::new();
        let mut tok_off: Vec<u64> = vec![0];
        let mut toks: Vec<u32> = Vec::new();
        let mut it = refs.into_iter();
        loop {
            let chunk: Vec<(String, String)> = it.by_ref().take(BUILD_CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let tokenized: Vec<Vec<String>> = chunk.par_iter().map(|(_, t)| tokenize(t)).collect();
            let n = chunk.len();
            ids.extend(chunk.into_iter().map(|(id, _)| id));
            for doc in tokenized {
                for w in doc {
                    let id = match term_map.get(&w) {
                        Some(&id) => id,
                        None => {
                            let id = vocab.len() as u32;
                            vocab.push(w.clone());
                            term_map.insert(w, id);
                            id
                        }
                    };
                    toks.push(id);
                }
                tok_off.push(toks.len() as u64);
            }
            progress.advance(n as u64);
        }
        assert!(vocab.len() < (1 << 31), "vocabulary too large");
        let n_docs = ids.len();
        let stop: Vec<bool> = vocab.iter().map(|w| is_stop(w)).collect();
        let doc_toks = |d: usize| &toks[tok_off[d] as usize..tok_off[d + 1] as usize];

        // 2. feature keys and document frequencies: all (doc, key) pairs, sorted.
        let mut all: Vec<u64> = (0..n_docs)
            .into_par_iter()
            .flat_map_iter(|d| raw_features(doc_toks(d), &stop).into_iter().map(|(k, _)| k))
            .collect();
        all.par_sort_unstable();
        let mut feat_keys: Vec<u64> = Vec::new();
        let mut df: Vec<u32> = Vec::new();
        let mut i = 0;
        while i < all.len() {
            let k = all[i];
            let mut j = i + 1;
            while j < all.len() && all[j] == k {
                j += 1;
            }
            let c = (j - i) as u32;
            if k & UNI != 0 || c >= params.min_bigram_df {
                feat_keys.push(k);
                df.push(c);
            }
            i = j;
        }
        drop(all);
        let n_feat = feat_keys.len();
        let mut post_off: Vec<u32> = Vec::with_capacity(n_feat + 1);
        post_off.push(0);
        let mut total: u64 = 0;
        for &c in &df {
            total += c as u64;
            assert!(total < u32::MAX as u64, "too many postings for one index");
            post_off.push(total as u32);
        }
        let idf: Vec<f32> = df.iter().map(|&c| idf_of(n_docs, c)).collect();
        drop(df);

        // 3. postings, document norms and lengths, in chunks.
        let mut post_docs = vec![0u32; total as usize];
        let mut post_tf = vec![0u8; total as usize];
        let mut fill: Vec<u32> = post_off[..n_feat].to_vec();
        let mut doc_norm: Vec<f32> = Vec::with_capacity(n_docs);
        let mut doc_len: Vec<u32> = Vec::with_capacity(n_docs);
        for start in (0..n_docs).step_by(BUILD_CHUNK) {
            let end = (start + BUILD_CHUNK).min(n_docs);
            let feats: Vec<(Vec<(u32, u8)>, f32, u32)> = (start..end)
                .into_par_iter()
                .map(|d| {
                    let mut v = Vec::new();
                    let (mut norm, mut len) = (0f32, 0u32);
                    for (k, c) in raw_features(doc_toks(d), &stop) {
                        if k & UNI != 0 {
                            len += c;
                        }
                        if let Ok(f) = feat_keys.binary_search(&k) {
                            let tf = c.min(255) as u8;
                            let w = sublinear(tf) * idf[f];
                            norm += w * w;
                            v.push((f as u32, tf));
                        }
                    }
                    (v, norm.sqrt(), len)
                })
                .collect();
            for (d, (v, norm, len)) in (start..end).zip(feats) {
                for (f, tf) in v {
                    let p = fill[f as usize] as usize;
                    post_docs[p] = d as u32;
                    post_tf[p] = tf;
                    fill[f as usize] += 1;
                }
                doc_norm.push(norm);
                doc_len.push(len);
            }
        }
        drop(fill);

        // 4. MinHash signatures.
        let nh = params.num_hashes;
        let sigs: Vec<u32> = (0..n_docs)
            .into_par_iter()
            .flat_map_iter(|d| minhash(&shingles(doc_toks(d), params.shingle), nh))
            .collect();

        let mut idx = TraceIndex {
            params: params.clone(),
            reranker: Reranker::default(),
            ids,
            vocab,
            feat_keys,
            post_off,
            post_docs,
            post_tf,
            doc_norm,
            doc_len,
            tok_off,
            toks,
            sigs,
            term_map,
            stop,
            lsh: Vec::new(),
            avg_len: 0.0,
        };
        idx.finish_load(false);
        idx
    }

    fn build_lsh(&mut self) {
        let bands = self.params.bands;
        let rows = self.params.num_hashes / bands;
        let nh = self.params.num_hashes;
        let n = self.ids.len();
        let sigs = &self.sigs;
        self.lsh = (0..bands)
            .into_par_iter()
            .map(|b| {
                let mut m: HashMap<u64, Vec<u32>> = HashMap::new();
                for d in 0..n {
                    let sig = &sigs[d * nh..(d + 1) * nh];
                    if sig[0] == u32::MAX {
                        continue; // no shingles
                    }
                    m.entry(band_key(sig, b, rows)).or_default().push(d as u32);
                }
                m
            })
            .collect();
    }

    /// Derived tables that are not stored.
    fn finish_load(&mut self, maps: bool) {
        if maps {
            self.term_map = self.vocab.iter().enumerate().map(|(i, w)| (w.clone(), i as u32)).collect();
            self.stop = self.vocab.iter().map(|w| is_stop(w)).collect();
        }
        let n = self.doc_len.len().max(1);
        self.avg_len = (self.doc_len.iter().map(|&l| l as f64).sum::<f64>() / n as f64).max(1.0) as f32;
        self.build_lsh();
    }

    /// Number of references.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn params(&self) -> &TraceParams {
        &self.params
    }

    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    pub fn reranker(&self) -> &Reranker {
        &self.reranker
    }

    pub fn set_reranker(&mut self, r: Reranker) -> Result<(), String> {
        if !r.valid() {
            return Err("invalid reranker weights".into());
        }
        self.reranker = r;
        Ok(())
    }

    /// Change query-time settings (threshold, top_k, candidates, max_df, min_passage, grouping).
    /// Build-time settings (shingle, num_hashes, bands, min_bigram_df) are kept.
    pub fn set_query_params(&mut self, p: &TraceParams) -> Result<(), String> {
        p.validate()?;
        let keep = self.params.clone();
        self.params = TraceParams {
            shingle: keep.shingle,
            num_hashes: keep.num_hashes,
            bands: keep.bands,
            min_bigram_df: keep.min_bigram_df,
            ..p.clone()
        };
        Ok(())
    }

    /// Magic header + format version + postcard payload.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.toks.len() * 3 + self.post_docs.len() * 4);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        let payload = postcard::to_allocvec(self).expect("serialising trace index");
        out.extend_from_slice(&payload);
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err("not a newsprov trace index (bad magic header)".into());
        }
        let ver = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        if ver != FORMAT_VERSION {
            return Err(format!(
                "trace index format version {ver} is not supported (expected {FORMAT_VERSION}); rebuild the index"
            ));
        }
        let mut idx: TraceIndex =
            postcard::from_bytes(&bytes[12..]).map_err(|e| format!("damaged trace index: {e}"))?;
        idx.check()?;
        idx.finish_load(true);
        Ok(idx)
    }

    fn check(&self) -> Result<(), String> {
        let n = self.ids.len();
        let nf = self.feat_keys.len();
        let bad = |what: &str| Err(format!("damaged trace index: inconsistent {what}"));
        if self.params.validate().is_err() {
            return bad("parameters");
        }
        if !self.reranker.valid() {
            return bad("reranker");
        }
        if self.post_off.len() != nf + 1 || self.feat_keys.windows(2).any(|w| w[0] >= w[1]) {
            return bad("feature tables");
        }
        if self.post_docs.len() != self.post_tf.len()
            || *self.post_off.last().unwrap_or(&0) as usize != self.post_docs.len()
            || self.post_off.first() != Some(&0)
        {
            return bad("postings");
        }
        if self.post_off.windows(2).any(|w| w[0] > w[1]) || self.post_docs.iter().any(|&d| d as usize >= n) {
            return bad("postings");
        }
        if self.doc_norm.len() != n || self.doc_len.len() != n {
            return bad("document tables");
        }
        if self.tok_off.len() != n + 1
            || *self.tok_off.last().unwrap_or(&0) as usize != self.toks.len()
            || self.tok_off.first() != Some(&0)
        {
            return bad("token streams");
        }
        if self.tok_off.windows(2).any(|w| w[0] > w[1])
            || self.toks.iter().any(|&t| t as usize >= self.vocab.len())
        {
            return bad("token streams");
        }
        if self.sigs.len() != n * self.params.num_hashes {
            return bad("signatures");
        }
        Ok(())
    }

    fn doc_toks(&self, d: usize) -> &[u32] {
        &self.toks[self.tok_off[d] as usize..self.tok_off[d + 1] as usize]
    }

    fn feature(&self, key: u64) -> Option<usize> {
        self.feat_keys.binary_search(&key).ok()
    }

    fn df(&self, f: usize) -> u32 {
        self.post_off[f + 1] - self.post_off[f]
    }

    fn idf(&self, f: usize) -> f32 {
        idf_of(self.ids.len(), self.df(f))
    }

    fn analyse(&self, text: &str) -> Query {
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

    /// References that are near-copies of reference `id` (not including it).
    pub fn near_copies(&self, id: &str) -> Vec<String> {
        let Some(d) = self.ids.iter().position(|x| x == id) else { return Vec::new() };
        let toks = self.doc_toks(d).to_vec();
        let text: Vec<&str> = toks.iter().map(|&t| self.vocab[t as usize].as_str()).collect();
        let q = self.analyse(&text.join(" "));
        let cands = self.candidates(&q, &|_| false);
        let me = cands.iter().position(|c| c.doc == d);
        let sh = shingles(&toks, self.params.shingle);
        let mine = Candidate { doc: d, x: [0.0; NUM_FEATURES], score: 1.0, shingles: sh };
        let mut v = self.doc_vector(d);
        v.sort_unstable_by_key(|x| x.0);
        let mut out = Vec::new();
        for (i, c) in cands.iter().enumerate() {
            if Some(i) != me && self.same_story(&mine, &v, c, &mut None) {
                out.push(self.ids[c.doc].clone());
            }
        }
        out
    }

    /// Normalised tf-idf vector of reference `d`, sorted by feature id.
    fn doc_vector(&self, d: usize) -> Vec<(u32, f32)> {
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

    /// Whether two references are near-copies; `bv` caches b's tf-idf vector.
    fn same_story(
        &self,
        a: &Candidate,
        av: &[(u32, f32)],
        b: &Candidate,
        bv: &mut Option<Vec<(u32, f32)>>,
    ) -> bool {
        let small = a.shingles.len().min(b.shingles.len());
        if small > 0 && intersect(&a.shingles, &b.shingles) as f32 >= self.params.group_overlap * small as f32
        {
            return true;
        }
        let bv = bv.get_or_insert_with(|| self.doc_vector(b.doc));
        let (mut i, mut j, mut dot) = (0, 0, 0f32);
        while i < av.len() && j < bv.len() {
            match av[i].0.cmp(&bv[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += av[i].1 * bv[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        dot >= self.params.group_cosine
    }

    /// Candidates with their features and scores, best first.
    fn candidates(&self, q: &Query, exclude: &dyn Fn(&str) -> bool) -> Vec<Candidate> {
        let n = self.ids.len();
        if n == 0 {
            return Vec::new();
        }
        let max_df = (self.params.max_df * n as f32).max(1.0) as u32;
        let mut cos = vec![0f32; n];
        let mut bm = vec![0f32; n];
        let mut bm_self = 0f32;
        for &(f, w, bidf) in &q.vec {
            let f = f as usize;
            if self.df(f) > max_df {
                continue;
            }
            bm_self += bidf * (K1 + 1.0);
            let idf = self.idf(f);
            let (a, b) = (self.post_off[f] as usize, self.post_off[f + 1] as usize);
            for (&d, &tf) in self.post_docs[a..b].iter().zip(&self.post_tf[a..b]) {
                let d = d as usize;
                cos[d] += w * sublinear(tf) * idf / self.doc_norm[d];
                let tf = tf as f32;
                bm[d] += bidf * tf * (K1 + 1.0)
                    / (tf + K1 * (1.0 - B + B * self.doc_len[d] as f32 / self.avg_len));
            }
        }
        let c = self.params.candidates.min(n);
        let top = |s: &Vec<f32>| -> Vec<u32> {
            let mut v: Vec<u32> = (0..n as u32).filter(|&d| s[d as usize] > 0.0).collect();
            if v.len() > c {
                v.select_nth_unstable_by(c - 1, |&a, &b| {
                    s[b as usize].total_cmp(&s[a as usize]).then(a.cmp(&b))
                });
                v.truncate(c);
            }
            v
        };
        let mut cand = top(&cos);
        cand.extend(top(&bm));
        if !q.shingles.is_empty() {
            let sig = minhash(&q.shingles, self.params.num_hashes);
            let rows = self.params.num_hashes / self.params.bands;
            for (b, table) in self.lsh.iter().enumerate() {
                if let Some(ds) = table.get(&band_key(&sig, b, rows)) {
                    cand.extend(ds.iter().take(64));
                }
            }
        }
        cand.sort_unstable();
        cand.dedup();
        cand.retain(|&d| !exclude(&self.ids[d as usize]));
        if cand.is_empty() {
            return Vec::new();
        }
        let best_cos = cand.iter().map(|&d| cos[d as usize]).fold(0f32, f32::max).max(1e-9);
        let best_bm = cand.iter().map(|&d| bm[d as usize]).fold(0f32, f32::max).max(1e-9);
        // Each candidate's rank by a score (0 = best; ties by document), in `cand` order.
        let ranks = |score: &[f32]| {
            let mut by = cand.clone();
            by.sort_by(|&a, &b| score[b as usize].total_cmp(&score[a as usize]).then(a.cmp(&b)));
            let mut rank = vec![0usize; cand.len()];
            for (r, d) in by.iter().enumerate() {
                if let Ok(i) = cand.binary_search(d) {
                    rank[i] = r;
                }
            }
            rank
        };
        let (rank, bm_rank) = (ranks(&cos), ranks(&bm));
        let term_idf_total: f32 = q.terms.iter().map(|t| t.1).sum::<f32>().max(1e-9);
        let term_idf2_total: f32 = q.terms.iter().map(|t| t.1 * t.1).sum::<f32>().max(1e-9);
        let names_total: f32 = q.names_w.iter().map(|t| t.1).sum::<f32>();
        let lead_total: f32 = q.lead.iter().map(|t| t.1).sum::<f32>();
        let mut out: Vec<Candidate> = cand
            .par_iter()
            .zip(rank.par_iter().zip(bm_rank.par_iter()))
            .map(|(&d, (&r, &rb))| {
                let d = d as usize;
                let dt = self.doc_toks(d);
                let dsh = shingles(dt, self.params.shingle);
                let hit = intersect(&q.shingles, &dsh) as f32;
                let cont = if q.shingles.is_empty() { 0.0 } else { hit / q.shingles.len() as f32 };
                let rev = if dsh.is_empty() { 0.0 } else { hit / dsh.len() as f32 };
                let raw = raw_features(dt, &self.stop);
                let split = raw.partition_point(|x| x.0 & UNI == 0);
                let dbigrams: Vec<u64> = raw[..split].iter().map(|x| x.0).collect();
                let terms: Vec<u32> = raw[split..].iter().map(|x| (x.0 & 0xFFFF_FFFF) as u32).collect();
                let has = |t: &u32| terms.binary_search(t).is_ok();
                let (mut cover, mut cover2) = (0f32, 0f32);
                for &(t, idf) in &q.terms {
                    if has(&t) {
                        cover += idf;
                        cover2 += idf * idf;
                    }
                }
                let share = |v: &Vec<u32>| {
                    if v.is_empty() {
                        0.0
                    } else {
                        v.iter().filter(|t| has(t)).count() as f32 / v.len() as f32
                    }
                };
                let names_idf = if names_total > 0.0 {
                    q.names_w.iter().filter(|t| has(&t.0)).map(|t| t.1).sum::<f32>() / names_total
                } else {
                    0.0
                };
                let qlead = if lead_total > 0.0 {
                    q.lead.iter().filter(|t| has(&t.0)).map(|t| t.1).sum::<f32>() / lead_total
                } else {
                    0.0
                };
                // share of the reference's own vocabulary (idf-weighted) that the input uses
                let in_q = |t: &u32| q.terms.binary_search_by_key(t, |x| x.0).is_ok();
                let (mut seen, mut all) = (0f32, 0f32);
                for t in &terms {
                    if let Some(f) = self.feature(UNI | *t as u64) {
                        let idf = self.idf(f);
                        all += idf;
                        if in_q(t) {
                            seen += idf;
                        }
                    }
                }
                let rcover = if all > 0.0 { seen / all } else { 0.0 };
                // the reference's opening (title and lead), idf-weighted, found in the input
                let dorder = first_occurrences(dt, &self.stop);
                let (mut lseen, mut lall) = (0f32, 0f32);
                for t in dorder.iter().take(LEAD) {
                    let idf = self.feature(UNI | *t as u64).map_or(1.0, |f| self.idf(f));
                    lall += idf;
                    if in_q(t) {
                        lseen += idf;
                    }
                }
                let dlead = if lall > 0.0 { lseen / lall } else { 0.0 };
                // shared content bigrams
                let bhit = intersect(&q.bigrams, &dbigrams) as f32;
                let bcont = if q.bigrams.is_empty() { 0.0 } else { bhit / q.bigrams.len() as f32 };
                let brev = if dbigrams.is_empty() { 0.0 } else { bhit / dbigrams.len() as f32 };
                // order: longest run of shared terms that appear in the same order in both texts
                let mut dpos: Vec<(u32, u32)> =
                    dorder.iter().enumerate().map(|(i, &t)| (t, i as u32)).collect();
                dpos.sort_unstable();
                let seq: Vec<u32> = q
                    .order
                    .iter()
                    .filter_map(|t| dpos.binary_search_by_key(t, |x| x.0).ok().map(|i| dpos[i].1))
                    .collect();
                let lis = longest_increasing(&seq) as f32;
                let lis_q = if q.order.is_empty() { 0.0 } else { lis / q.order.len() as f32 };
                let lis_s = if seq.is_empty() { 0.0 } else { lis / seq.len() as f32 };
                let lr = ((self.doc_len[d] as f32 + 1.0) / (q.content_len as f32 + 1.0)).ln();
                // share of the input's sentences whose terms (idf-weighted) the reference mostly has
                let (mut s50, mut s70) = (0f32, 0f32);
                for sent in &q.sentences {
                    let tot: f32 = sent.iter().map(|x| x.1).sum();
                    let got: f32 = sent.iter().filter(|x| has(&x.0)).map(|x| x.1).sum();
                    s50 += (got >= 0.5 * tot) as u8 as f32;
                    s70 += (got >= 0.7 * tot) as u8 as f32;
                }
                let ns = q.sentences.len().max(1) as f32;
                // best window of the reference: idf-weighted share of the input's terms in it
                let mut count = vec![0u16; q.terms.len()];
                let slot: Vec<Option<usize>> = dt
                    .iter()
                    .filter(|&&t| !self.stop[t as usize])
                    .map(|t| q.terms.binary_search_by_key(t, |x| x.0).ok())
                    .collect();
                let (mut inwin, mut bestwin) = (0f32, 0f32);
                for i in 0..slot.len() {
                    if let Some(j) = slot[i] {
                        if count[j] == 0 {
                            inwin += q.terms[j].1;
                        }
                        count[j] += 1;
                    }
                    if let Some(j) = i.checked_sub(WINDOW).and_then(|o| slot[o]) {
                        count[j] -= 1;
                        if count[j] == 0 {
                            inwin -= q.terms[j].1;
                        }
                    }
                    bestwin = bestwin.max(inwin);
                }
                let x = [
                    cos[d].clamp(0.0, 1.0),
                    cos[d] / best_cos,
                    if bm_self > 0.0 { bm[d] / bm_self } else { 0.0 },
                    bm[d] / best_bm,
                    cont,
                    rev,
                    cover / term_idf_total,
                    share(&q.names),
                    share(&q.numbers),
                    lr,
                    lr.abs(),
                    1.0 / (1.0 + r as f32),
                    rcover,
                    cover2 / term_idf2_total,
                    names_idf,
                    bcont,
                    brev,
                    lis_q,
                    lis_s,
                    dlead,
                    qlead,
                    (self.doc_len[d] as f32 + 1.0).ln(),
                    0.0,
                    0.0,
                    0.0,
                    0.0,
                    0.0,
                    1.0 / (1.0 + rb as f32),
                    s50 / ns,
                    s70 / ns,
                    bestwin / term_idf_total,
                    0.0,
                ];
                Candidate { doc: d, score: 0.0, x, shingles: dsh }
            })
            .collect();
        // features relative to the best candidate
        for (to, from) in [(22, 6), (23, 13), (24, 15), (25, 17), (26, 12), (31, 30)] {
            let best = out.iter().map(|c| c.x[from]).fold(0f32, f32::max);
            for c in out.iter_mut() {
                c.x[to] = if best > 0.0 { c.x[from] / best } else { 0.0 };
            }
        }
        for c in out.iter_mut() {
            c.score = self.reranker.score(&c.x);
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        out
    }

    /// Top `k` groups of near-identical references, as matches.
    fn group(&self, q: &Query, cands: Vec<Candidate>, k: usize) -> Vec<TraceMatch> {
        let mut taken = vec![false; cands.len()];
        let mut vectors: Vec<Option<Vec<(u32, f32)>>> = vec![None; cands.len()];
        let mut out = Vec::new();
        for i in 0..cands.len() {
            if out.len() >= k {
                break;
            }
            if taken[i] {
                continue;
            }
            taken[i] = true;
            let head = &cands[i];
            let hv = self.doc_vector(head.doc);
            let mut also = Vec::new();
            for j in i + 1..cands.len() {
                // a near-copy has about the same similarity to the input; skip the costly check
                // for candidates far below the head
                let close = cands[j].x[0] >= 0.6 * head.x[0] || cands[j].x[4] >= 0.6 * head.x[4];
                if !taken[j] && close && self.same_story(head, &hv, &cands[j], &mut vectors[j]) {
                    taken[j] = true;
                    also.push(self.ids[cands[j].doc].clone());
                }
            }
            out.push(TraceMatch {
                id: self.ids[head.doc].clone(),
                score: head.score,
                containment: head.x[4],
                similarity: head.x[0],
                bm25: head.x[2],
                passages: self.passages(&q.toks, head.doc, &q.norm, &q.spans),
                also,
            });
        }
        out
    }

    /// Longest shared word runs between the query and reference `d`, as text of the query.
    fn passages(&self, qtoks: &[u32], d: usize, norm: &str, spans: &[(String, usize, usize)]) -> Vec<String> {
        let m = self.params.min_passage;
        let dt = self.doc_toks(d);
        if qtoks.len() < m || dt.len() < m {
            return Vec::new();
        }
        let mut pos: HashMap<u64, Vec<usize>> = HashMap::new();
        for j in 0..=dt.len() - m {
            if let Some(h) = shingle_hash(dt, j, m) {
                pos.entry(h).or_default().push(j);
            }
        }
        let mut runs: Vec<(usize, usize)> = Vec::new(); // (len, start in query)
        let mut i = 0;
        while i + m <= qtoks.len() {
            let mut best = 0;
            if let Some(js) = shingle_hash(qtoks, i, m).and_then(|h| pos.get(&h)) {
                for &j in js.iter().take(32) {
                    let mut l = 0;
                    while i + l < qtoks.len()
                        && j + l < dt.len()
                        && qtoks[i + l] == dt[j + l]
                        && qtoks[i + l] != UNKNOWN
                    {
                        l += 1;
                    }
                    best = best.max(l);
                }
            }
            if best >= m {
                runs.push((best, i));
                i += best;
            } else {
                i += 1;
            }
        }
        runs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        runs.truncate(3);
        runs.into_iter().map(|(l, s)| norm[spans[s].1..spans[s + l - 1].2].to_string()).collect()
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
