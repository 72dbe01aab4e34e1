//! Near-copy groups: references that are near-copies of each other come back as one match.

use super::candidates::Candidate;
use super::features::Query;
use super::rerank::NUM_FEATURES;
use super::shingles::{intersect, shingles};
use super::{TraceIndex, TraceMatch};

impl TraceIndex {
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

    /// Whether two references are near-copies; `bv` caches b's tf-idf vector.
    pub(super) fn same_story(
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

    /// Top `k` groups of near-identical references, as matches.
    pub(super) fn group(&self, q: &Query, cands: Vec<Candidate>, k: usize) -> Vec<TraceMatch> {
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
}
