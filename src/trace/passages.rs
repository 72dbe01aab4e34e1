//! The longest passages an input shares word for word with a reference.

use std::collections::HashMap;

use super::shingles::shingle_hash;
use super::{TraceIndex, UNKNOWN};

impl TraceIndex {
    /// Longest shared word runs between the query and reference `d`, as text of the query.
    pub(super) fn passages(
        &self,
        qtoks: &[u32],
        d: usize,
        norm: &str,
        spans: &[(String, usize, usize)],
    ) -> Vec<String> {
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
