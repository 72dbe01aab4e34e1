//! The candidate set of a query (top references by cosine and by BM25, plus MinHash-LSH hits)
//! and each candidate's reranker features.

use rayon::prelude::*;

use super::features::{B, K1, Query, first_occurrences, longest_increasing, raw_features, sublinear};
use super::rerank::NUM_FEATURES;
use super::shingles::{band_key, intersect, minhash, shingles};
use super::{LEAD, TraceIndex, UNI, WINDOW};

pub(super) struct Candidate {
    pub(super) doc: usize,
    pub(super) x: [f32; NUM_FEATURES],
    pub(super) score: f32,
    pub(super) shingles: Vec<u64>,
}

impl TraceIndex {
    /// Candidates with their features and scores, best first.
    pub(super) fn candidates(&self, q: &Query, exclude: &dyn Fn(&str) -> bool) -> Vec<Candidate> {
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
}
