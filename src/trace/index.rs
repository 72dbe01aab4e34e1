//! Building the index (tokens, feature postings, document norms, MinHash signatures), storing
//! it and loading it back.

use std::collections::HashMap;

use rayon::prelude::*;

use super::features::{idf_of, raw_features, sublinear};
use super::rerank::Reranker;
use super::shingles::{band_key, minhash, shingles};
use super::tokens::{is_stop, tokenize};
use super::{BUILD_CHUNK, FORMAT_VERSION, MAGIC, TraceIndex, TraceParams, UNI};
use crate::progress::{Progress, Silent};

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

    pub(super) fn build_lsh(&mut self) {
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
    pub(super) fn finish_load(&mut self, maps: bool) {
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

    pub(super) fn check(&self) -> Result<(), String> {
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

    pub(super) fn doc_toks(&self, d: usize) -> &[u32] {
        &self.toks[self.tok_off[d] as usize..self.tok_off[d + 1] as usize]
    }
}
