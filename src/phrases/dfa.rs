//! An Aho-Corasick DFA that reports every occurrence of every pattern, ASCII letters matched
//! without regard to case: what `aho_corasick` gives with `MatchKind::Standard`, overlapping
//! search and a DFA, built in a fraction of the time and scanned several streams at a time.
//!
//! Why not the crate: its DFA took 12 ms to build for newsprov's 932 phrases, as long as
//! loading the model, on every `score` start; this builder fills the table row by row from the
//! failure state's row (about 1 ms). And a DFA scan is bound by the latency of one dependent
//! load per byte; walking three parts of the text in one loop gives the CPU three independent
//! chains to overlap.

/// Sentinel for "no child" while the trie is built.
const NONE: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub struct Dfa {
    /// Byte -> class; ASCII upper case maps to its lower-case letter's class.
    classes: [u8; 256],
    /// Number of classes: the row length of `trans`.
    stride: usize,
    /// Next state, premultiplied by `stride`. The start state is 0.
    trans: Vec<u32>,
    /// States at or above this (premultiplied) id have outputs.
    match_from: u32,
    /// Outputs of match state `k` (`(id - match_from) / stride`) are
    /// `outputs[out_start[k]..out_start[k + 1]]`.
    out_start: Vec<u32>,
    outputs: Vec<u32>,
    pattern_len: Vec<u32>,
    max_len: usize,
}

/// Independent scans interleaved in one loop: 3 scanned dev.csv in 10.4 ms, 2 in 12.5 ms, 4
/// and 6 no faster than 3, 1 (the crate's scan) in 28 ms.
const STREAMS: usize = 3;
/// Texts shorter than this are scanned as one stream.
const STREAMS_FROM: usize = 256;

impl Dfa {
    /// Patterns must be non-empty.
    pub fn new<P: AsRef<[u8]>>(patterns: &[P]) -> Dfa {
        let fold = |b: u8| b.to_ascii_lowercase();
        // Classes: one per distinct (folded) pattern byte, class 0 for every other byte.
        let mut classes = [0u8; 256];
        let mut seen = [false; 256];
        for p in patterns {
            for &b in p.as_ref() {
                seen[fold(b) as usize] = true;
            }
        }
        let mut stride = 1usize;
        for b in 0..256 {
            if seen[b] {
                classes[b] = stride as u8;
                stride += 1;
            }
        }
        assert!(stride <= 256, "at most 255 distinct pattern bytes");
        for b in b'A'..=b'Z' {
            classes[b as usize] = classes[fold(b) as usize];
        }

        // Trie, one dense row per state.
        let mut trans: Vec<u32> = vec![NONE; stride];
        let mut own: Vec<Vec<u32>> = vec![Vec::new()];
        for (id, p) in patterns.iter().enumerate() {
            assert!(!p.as_ref().is_empty(), "pattern {id} is empty");
            let mut s = 0usize;
            for &b in p.as_ref() {
                let c = classes[b as usize] as usize;
                let next = trans[s * stride + c];
                s = if next == NONE {
                    let t = own.len();
                    own.push(Vec::new());
                    trans.extend(std::iter::repeat_n(NONE, stride));
                    trans[s * stride + c] = t as u32;
                    t
                } else {
                    next as usize
                };
            }
            own[s].push(id as u32);
        }
        let n = own.len();

        // Failure links in breadth-first order; a missing edge takes the failure state's edge,
        // whose row is already complete because that state is shallower.
        let mut fail = vec![0u32; n];
        let mut out: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut queue = Vec::with_capacity(n);
        for t in &mut trans[..stride] {
            if *t == NONE {
                *t = 0;
            } else {
                queue.push(*t);
            }
        }
        let mut head = 0;
        while head < queue.len() {
            let s = queue[head] as usize;
            head += 1;
            let f = fail[s] as usize;
            let mut o = std::mem::take(&mut own[s]);
            o.extend_from_slice(&out[f]);
            out[s] = o;
            for c in 0..stride {
                let t = trans[s * stride + c];
                let via_fail = trans[f * stride + c];
                if t == NONE {
                    trans[s * stride + c] = via_fail;
                } else {
                    fail[t as usize] = via_fail;
                    queue.push(t);
                }
            }
        }

        // Renumber: states without outputs first (the start state stays 0), then premultiply.
        let mut order: Vec<u32> = (0..n as u32).filter(|&s| out[s as usize].is_empty()).collect();
        let n_plain = order.len();
        order.extend((0..n as u32).filter(|&s| !out[s as usize].is_empty()));
        let mut new_id = vec![0u32; n];
        for (k, &s) in order.iter().enumerate() {
            new_id[s as usize] = (k * stride) as u32;
        }
        let mut table = Vec::with_capacity(n * stride);
        for &s in &order {
            let row = &trans[s as usize * stride..(s as usize + 1) * stride];
            table.extend(row.iter().map(|&t| new_id[t as usize]));
        }
        let mut out_start = Vec::with_capacity(n - n_plain + 1);
        let mut outputs = Vec::new();
        for &s in &order[n_plain..] {
            out_start.push(outputs.len() as u32);
            outputs.extend_from_slice(&out[s as usize]);
        }
        out_start.push(outputs.len() as u32);
        let pattern_len: Vec<u32> = patterns.iter().map(|p| p.as_ref().len() as u32).collect();
        Dfa {
            classes,
            stride,
            trans: table,
            match_from: (n_plain * stride) as u32,
            out_start,
            outputs,
            max_len: pattern_len.iter().copied().max().unwrap_or(0) as usize,
            pattern_len,
        }
    }

    /// Calls `found(start, end, pattern)` for every occurrence, in no particular order.
    // Indexing the streams side by side keeps their loads independent and in one loop.
    #[allow(clippy::needless_range_loop)]
    pub fn for_each_match(&self, text: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        let n = text.len();
        let mut report = |state: u32, end: usize, min_start: usize, max_start: usize| {
            let k = ((state - self.match_from) as usize) / self.stride;
            for &p in &self.outputs[self.out_start[k] as usize..self.out_start[k + 1] as usize] {
                let start = end - self.pattern_len[p as usize] as usize;
                if start >= min_start && start < max_start {
                    found(start, end, p as usize);
                }
            }
        };
        let (cls, trans, from) = (&self.classes, self.trans.as_slice(), self.match_from);
        let step = |s: u32, b: u8| trans[s as usize + cls[b as usize] as usize];
        if n < STREAMS_FROM || self.max_len == 0 {
            let mut s = 0u32;
            for (i, &b) in text.iter().enumerate() {
                s = step(s, b);
                if s >= from {
                    report(s, i + 1, 0, n);
                }
            }
            return;
        }
        // Stream `k` starts afresh at `seg[k]` and keeps the matches that start in its segment,
        // running on past the segment's end for those that end beyond it.
        const K: usize = STREAMS;
        let seg: [usize; K + 1] = std::array::from_fn(|k| k * n / K);
        let part: [&[u8]; K] = std::array::from_fn(|k| {
            let end = if k + 1 == K { n } else { (seg[k + 1] + self.max_len - 1).min(n) };
            &text[seg[k]..end]
        });
        let common = part.iter().map(|p| p.len()).min().unwrap_or(0);
        let mut st = [0u32; K];
        for i in 0..common {
            for k in 0..K {
                st[k] = step(st[k], part[k][i]);
            }
            for k in 0..K {
                if st[k] >= from {
                    report(st[k], seg[k] + i + 1, seg[k], seg[k + 1]);
                }
            }
        }
        for k in 0..K {
            let mut s = st[k];
            for (i, &x) in part[k].iter().enumerate().skip(common) {
                s = step(s, x);
                if s >= from {
                    report(s, seg[k] + i + 1, seg[k], seg[k + 1]);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};
    use proptest::prelude::*;

    fn ours(patterns: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let mut v = Vec::new();
        Dfa::new(patterns).for_each_match(text.as_bytes(), |s, e, p| v.push((s, e, p)));
        v.sort_unstable();
        v
    }

    fn crate_dfa(patterns: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(patterns)
            .unwrap();
        let mut v: Vec<_> =
            ac.find_overlapping_iter(text).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn finds_overlapping_and_repeated_patterns_in_every_stream() {
        let pats: Vec<String> =
            ["he", "she", "his", "hers", "she", "É", "’s"].iter().map(|s| s.to_string()).collect();
        // Long enough for several streams, with matches across the splits.
        let text = "uShers HIS ÉÉ it’s ".repeat(40);
        let got = ours(&pats, &text);
        assert_eq!(got, crate_dfa(&pats, &text));
        // both copies of "she" are reported
        assert!(got.iter().any(|m| m.2 == 1) && got.iter().any(|m| m.2 == 4));
    }

    /// Every placement of the longest pattern around each split, where one stream must run on
    /// past its segment and the next must not report the match again.
    #[test]
    fn matches_across_the_splits_are_found_once() {
        let pats: Vec<String> = ["abcdefgh", "h", "ab"].iter().map(|s| s.to_string()).collect();
        for n in [STREAMS_FROM, 257, 300, 301] {
            for at in (1..STREAMS).flat_map(|k| k * n / STREAMS - 10..k * n / STREAMS + 3) {
                let mut text = vec![b'x'; n];
                text[at..at + 8].copy_from_slice(b"abcdefgh");
                let text = String::from_utf8(text).unwrap();
                let got = ours(&pats, &text);
                assert_eq!(
                    got,
                    vec![(at, at + 2, 2), (at, at + 8, 0), (at + 7, at + 8, 1)],
                    "n {n}, at {at}"
                );
            }
        }
    }

    #[test]
    fn no_patterns_and_empty_text() {
        let none: Vec<String> = Vec::new();
        assert!(ours(&none, "anything at all").is_empty());
        assert!(ours(&["a".to_string()], "").is_empty());
    }

    proptest! {
        #[test]
        fn same_matches_as_the_aho_corasick_crate(
            pats in prop::collection::vec("[abAB’ .]{1,12}", 1..12),
            text in "[abAB’ .]{0,700}",
        ) {
            prop_assert_eq!(ours(&pats, &text), crate_dfa(&pats, &text));
        }
    }
}
