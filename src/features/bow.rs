//! Bag of words: unigrams and bigrams, a vocabulary chosen by document frequency, sublinear tf
//! times IDF from the training data only, rows L2-normalised. Written here rather than taken from
//! linfa-preprocessing because its vocabulary order changes from run to run and its IDF is
//! computed on whatever batch it transforms.
use crate::error::{Error, Result};
use crate::text::Analyzer;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::hash::Hasher;
use std::sync::OnceLock;

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
    // A plain byte loop: terms are short, and `split_once` costs a searcher per term, 4 ms of
    // start-up over a 100,000-term vocabulary.
    match term.bytes().position(|b| b == b' ') {
        Some(i) => bigram_key(unigram_key(&term[..i]), unigram_key(&term[i + 1..])),
        None => unigram_key(term),
    }
}

/// `1 + ln(count)`, from a table for the common small counts: one `ln` per distinct term was 4%
/// of the transform. The table holds the same `f32` values, so rows do not change.
#[inline]
pub(crate) fn sublinear_tf(count: usize) -> f32 {
    const N: usize = 64;
    static TABLE: OnceLock<[f32; N]> = OnceLock::new();
    match TABLE.get_or_init(|| std::array::from_fn(|k| 1.0 + (k as f32).ln())).get(count) {
        Some(&v) => v,
        None => 1.0 + (count as f32).ln(),
    }
}

/// A term key stored as two `u32`s: aligned to 4 bytes, a key and its column take 12 bytes in
/// the hash table instead of 16, so more of the table stays in cache (scoring dev.csv: 2-3%
/// less CPU).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key([u32; 2]);

impl Key {
    #[inline]
    fn of(k: u64) -> Key {
        Key([k as u32, (k >> 32) as u32])
    }
}

impl std::hash::Hash for Key {
    #[inline]
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_u64(self.0[0] as u64 | (self.0[1] as u64) << 32);
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

/// Calls `f` with the key of every unigram and bigram, given the unigram keys in order.
#[inline]
fn for_each_term_key(unigrams: &[u64], mut f: impl FnMut(u64)) {
    let mut prev: Option<u64> = None;
    for &k in unigrams {
        f(k);
        if let Some(p) = prev {
            f(bigram_key(p, k));
        }
        prev = Some(k);
    }
}

/// Appends the unigram keys of `tokens`, in order: what [`BowVectorizer::transform_keys_into`]
/// takes, so a document is tokenized once for both counting and its feature row.
pub fn unigram_keys(tokens: &[&str], out: &mut Vec<u64>) {
    out.extend(tokens.iter().map(|t| unigram_key(t)));
}

/// Shards of the document-frequency table, chosen by the key's top bits after a multiply.
const SHARD_BITS: u32 = 6;
const N_SHARDS: usize = 1 << SHARD_BITS;

#[inline]
fn shard_of(key: u64) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - SHARD_BITS)) as usize
}

/// A term seen in a chunk: its document frequency there, the last document that counted it and
/// where its text starts and ends in the chunk's name buffer.
#[derive(Clone, Copy)]
struct ChunkTerm {
    df: u32,
    last_doc: u32,
    off: u32,
    len: u32,
}

/// Document frequencies of the terms of one chunk of documents, in document order. Each term's
/// text is written once, on first sight, into one buffer: nothing is allocated per token.
#[derive(Default)]
pub struct ChunkDf {
    map: FxHashMap<u64, ChunkTerm>,
    names: String,
    docs: u32,
}

impl ChunkDf {
    #[inline]
    fn see(&mut self, key: u64, name: impl FnOnce(&mut String)) {
        let doc = self.docs;
        match self.map.entry(key) {
            std::collections::hash_map::Entry::Occupied(mut e) => {
                let t = e.get_mut();
                if t.last_doc != doc {
                    t.last_doc = doc;
                    t.df += 1;
                }
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                let off = self.names.len();
                name(&mut self.names);
                let len = self.names.len() - off;
                e.insert(ChunkTerm { df: 1, last_doc: doc, off: off as u32, len: len as u32 });
            }
        }
    }

    /// Counts one document's unigrams and bigrams once each; appends its unigram keys to `keys`.
    pub fn add_doc(&mut self, tokens: &[&str], keys: &mut Vec<u64>) {
        let first = keys.len();
        unigram_keys(tokens, keys);
        let ks = &keys[first..];
        for (i, (&k, t)) in ks.iter().zip(tokens).enumerate() {
            self.see(k, |s| s.push_str(t));
            if i > 0 {
                let a = tokens[i - 1];
                self.see(bigram_key(ks[i - 1], k), |s| {
                    s.push_str(a);
                    s.push(' ');
                    s.push_str(t);
                });
            }
        }
        self.docs += 1;
    }

    /// Counts one document, tokenizing it with `analyzer`.
    pub fn add_text(&mut self, text: &str, analyzer: &Analyzer, keys: &mut Vec<u64>) {
        let norm = analyzer.normalize(text);
        let mut toks = Vec::new();
        analyzer.tokens(&norm, &mut toks);
        self.add_doc(&toks, keys);
    }

    /// Splits the counts by shard for [`DfTable::merge`].
    pub fn finish(self) -> ChunkCounts {
        let mut shards: Vec<Vec<(u64, ChunkTerm)>> = vec![Vec::new(); N_SHARDS];
        for (k, t) in self.map {
            shards[shard_of(k)].push((k, t));
        }
        // Map iteration order is fixed for a given insertion sequence, but sort anyway so the
        // merge below never depends on it.
        for s in &mut shards {
            s.sort_unstable_by_key(|e| e.1.off);
        }
        ChunkCounts { shards, names: self.names, docs: self.docs }
    }
}

/// One chunk's counts, split by shard.
pub struct ChunkCounts {
    shards: Vec<Vec<(u64, ChunkTerm)>>,
    names: String,
    docs: u32,
}

#[derive(Clone, Copy)]
struct TableTerm {
    df: u32,
    off: u32,
    len: u32,
}

#[derive(Default)]
struct Shard {
    map: FxHashMap<u64, TableTerm>,
    names: String,
}

/// Document frequency of every term of a corpus, merged from chunks in chunk order (so the
/// text kept for a key is its first occurrence, whatever the number of threads).
pub struct DfTable {
    shards: Vec<Shard>,
    n_docs: usize,
}

impl Default for DfTable {
    fn default() -> Self {
        DfTable { shards: (0..N_SHARDS).map(|_| Shard::default()).collect(), n_docs: 0 }
    }
}

impl DfTable {
    /// Adds chunks given in document order; the shards are merged in parallel.
    pub fn merge(&mut self, chunks: Vec<ChunkCounts>) {
        self.n_docs += chunks.iter().map(|c| c.docs as usize).sum::<usize>();
        self.shards.par_iter_mut().enumerate().for_each(|(s, shard)| {
            for c in &chunks {
                for &(k, t) in &c.shards[s] {
                    match shard.map.entry(k) {
                        std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().df += t.df,
                        std::collections::hash_map::Entry::Vacant(e) => {
                            let off = shard.names.len();
                            shard.names.push_str(&c.names[t.off as usize..][..t.len as usize]);
                            e.insert(TableTerm { df: t.df, off: off as u32, len: t.len });
                        }
                    }
                }
            }
        });
    }

    pub fn n_docs(&self) -> usize {
        self.n_docs
    }
}

/// The vocabulary's strings in one buffer. Loading a model then makes two allocations instead of
/// one per term (100,000 of them, a third of the model's loading time). Serialized as a sequence
/// of strings, exactly as a `Vec<String>` is, so model files do not change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Terms {
    text: String,
    /// End of term `i` in `text`; it starts where term `i - 1` ends.
    ends: Vec<u32>,
}

impl Terms {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.text[start..end])
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| &self[i])
    }

    pub fn position(&self, term: &str) -> Option<usize> {
        self.iter().position(|t| t == term)
    }

    fn push(&mut self, term: &str) {
        self.text.push_str(term);
        self.ends.push(u32::try_from(self.text.len()).expect("vocabulary text under 4 GB"));
    }
}

impl std::ops::Index<usize> for Terms {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        self.get(i).expect("term index in range")
    }
}

impl<S: AsRef<str>> FromIterator<S> for Terms {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut t = Terms::default();
        for s in iter {
            t.push(s.as_ref());
        }
        t
    }
}

impl Serialize for Terms {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Terms {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        /// Appends one string to the buffer, borrowed from the input when the format allows.
        struct Append<'a>(&'a mut String);
        impl<'de> DeserializeSeed<'de> for Append<'_> {
            type Value = ();
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
                d.deserialize_str(self)
            }
        }
        impl Visitor<'_> for Append<'_> {
            type Value = ();
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a term")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<(), E> {
                self.0.push_str(v);
                Ok(())
            }
        }
        struct Seq;
        impl<'de> Visitor<'de> for Seq {
            type Value = Terms;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a sequence of terms")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Terms, A::Error> {
                let n = seq.size_hint().unwrap_or(0).min(1 << 20);
                let mut t = Terms { text: String::with_capacity(n * 12), ends: Vec::with_capacity(n) };
                while seq.next_element_seed(Append(&mut t.text))?.is_some() {
                    let end = u32::try_from(t.text.len())
                        .map_err(|_| serde::de::Error::custom("vocabulary text over 4 GB"))?;
                    t.ends.push(end);
                }
                Ok(t)
            }
        }
        d.deserialize_seq(Seq)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BowVectorizer {
    pub params: BowParams,
    /// Vocabulary in column order: by document frequency, ties by term.
    pub terms: Terms,
    pub idf: Vec<f32>,
    #[serde(skip)]
    index: FxHashMap<Key, u32>,
}

impl PartialEq for BowVectorizer {
    fn eq(&self, o: &Self) -> bool {
        self.params == o.params && self.terms == o.terms && self.idf == o.idf
    }
}

/// Documents per counting task; fixed, so the merge order never depends on the thread count.
pub const CHUNK: usize = 512;
/// Chunks counted before they are merged into the table, bounding memory on large corpora.
pub const WAVE: usize = 16;

impl BowVectorizer {
    /// Chooses the vocabulary and IDF from training texts: one tokenizing pass.
    pub fn fit(texts: &[&str], analyzer: &Analyzer, params: &BowParams) -> Result<Self> {
        params.validate()?;
        let mut table = DfTable::default();
        for wave in texts.chunks(CHUNK * WAVE) {
            let chunks: Vec<ChunkCounts> = wave
                .par_chunks(CHUNK)
                .map(|chunk| {
                    let mut c = ChunkDf::default();
                    let mut keys = Vec::new();
                    for text in chunk {
                        keys.clear();
                        c.add_text(text, analyzer, &mut keys);
                    }
                    c.finish()
                })
                .collect();
            table.merge(chunks);
        }
        Self::from_table(&table, params)
    }

    /// The vocabulary from counted document frequencies: terms with `min_df <= df <= max_df`,
    /// the `max_features` most frequent, ties by term.
    pub fn from_table(table: &DfTable, params: &BowParams) -> Result<Self> {
        params.validate()?;
        let n_docs = table.n_docs();
        let max_df = ((params.max_df * n_docs as f64).floor() as u32).max(1);
        let min_df = params.min_df;
        let mut vocab: Vec<(u32, &str)> = table
            .shards
            .par_iter()
            .flat_map_iter(|sh| {
                sh.map
                    .values()
                    .filter(move |t| t.df as usize >= min_df && t.df <= max_df)
                    .map(move |t| (t.df, &sh.names[t.off as usize..][..t.len as usize]))
            })
            .collect();
        let order = |a: &(u32, &str), b: &(u32, &str)| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1));
        if vocab.len() > params.max_features {
            // Only terms at least as frequent as the last one kept can make the cut.
            let (_, nth, _) = vocab.select_nth_unstable_by(params.max_features - 1, |a, b| b.0.cmp(&a.0));
            let cut = nth.0;
            vocab.retain(|e| e.0 >= cut);
        }
        vocab.par_sort_unstable_by(order);
        vocab.truncate(params.max_features);
        let n = n_docs as f32;
        let idf = vocab.iter().map(|(d, _)| ((1.0 + n) / (1.0 + *d as f32)).ln() + 1.0).collect();
        let terms = vocab.iter().map(|(_, s)| s).collect();
        let mut v = BowVectorizer { params: params.clone(), terms, idf, index: Default::default() };
        v.rebuild_index();
        Ok(v)
    }

    /// Rebuilds the term lookup after deserialising.
    pub fn rebuild_index(&mut self) {
        self.index = self.terms.iter().enumerate().map(|(i, t)| (Key::of(term_key(t)), i as u32)).collect();
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Appends the document's L2-normalised tf-idf entries, sorted by column, offset by `offset`.
    pub fn transform_into(&self, tokens: &[&str], offset: u32, out: &mut Vec<(u32, f32)>) {
        thread_local! {
            static COLS: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        COLS.with(|cols| {
            let cols = &mut *cols.borrow_mut();
            cols.clear();
            cols.reserve(tokens.len() * 2);
            for_each_term(tokens, |k| {
                if let Some(&c) = self.index.get(&Key::of(k)) {
                    cols.push(c);
                }
            });
            out.reserve(cols.len());
            self.finish_row(cols, offset, out);
        });
    }

    /// [`transform_into`](Self::transform_into) from the tokens' [`unigram_keys`].
    pub fn transform_keys_into(&self, unigrams: &[u64], offset: u32, out: &mut Vec<(u32, f32)>) {
        let mut cols: Vec<u32> = Vec::with_capacity(unigrams.len() * 2);
        for_each_term_key(unigrams, |k| {
            if let Some(&c) = self.index.get(&Key::of(k)) {
                cols.push(c);
            }
        });
        self.finish_row(&mut cols, offset, out);
    }

    fn finish_row(&self, cols: &mut [u32], offset: u32, out: &mut Vec<(u32, f32)>) {
        thread_local! {
            static SCRATCH: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let max = self.idf.len().saturating_sub(1) as u32;
        SCRATCH.with(|s| super::radix::sort_ids(cols, max, &mut s.borrow_mut()));
        let start = out.len();
        let mut norm = 0.0f32;
        let mut i = 0;
        while i < cols.len() {
            let c = cols[i];
            let mut j = i + 1;
            while j < cols.len() && cols[j] == c {
                j += 1;
            }
            let v = sublinear_tf(j - i) * self.idf[c as usize];
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
        assert_eq!(v.terms.iter().take(3).collect::<Vec<_>>(), ["talks", "the", "the talks"]);
        assert!(v.terms.position("went well").is_some());
        assert!(v.terms.position("imperialists").is_none(), "df 1 is below min_df");
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
        assert!(v.terms.position("the").is_none());
        let v = fit(&DOCS, BowParams { min_df: 1, max_df: 1.0, max_features: 2 });
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn idf_and_l2_norm() {
        let v = fit(&DOCS, BowParams { min_df: 1, max_df: 1.0, max_features: 1000 });
        let a = Analyzer::standard();
        let i = v.terms.position("imperialists").unwrap();
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

    /// Terms in one buffer are written exactly as a `Vec<String>`, in postcard and JSON, and
    /// read back from both.
    #[test]
    fn terms_serialize_as_a_vec_of_strings() {
        let words = ["the talks", "", "héllo", "x"];
        let plain: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        let terms: Terms = words.iter().collect();
        assert_eq!(terms.len(), 4);
        assert_eq!((&terms[0], &terms[1], &terms[2]), ("the talks", "", "héllo"));
        assert_eq!(terms.get(4), None);
        let bytes = postcard::to_allocvec(&terms).unwrap();
        assert_eq!(bytes, postcard::to_allocvec(&plain).unwrap());
        assert_eq!(postcard::from_bytes::<Terms>(&bytes).unwrap(), terms);
        let json = serde_json::to_string(&terms).unwrap();
        assert_eq!(json, serde_json::to_string(&plain).unwrap());
        assert_eq!(serde_json::from_str::<Terms>(&json).unwrap(), terms);
        assert!(serde_json::from_str::<Terms>("[1]").is_err());
    }

    #[test]
    fn sublinear_tf_table_is_exact() {
        for c in 1..200usize {
            assert_eq!(sublinear_tf(c).to_bits(), (1.0 + (c as f32).ln()).to_bits(), "{c}");
        }
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
