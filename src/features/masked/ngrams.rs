//! Hashed n-grams over the masked token stream: which column each pair (or triple) lands in.
use super::tokens::{masked_tokens, token_name};

/// Shortest n-gram over the masked stream; the longest is [`super::MaskedParams::max_n`].
pub const MIN_N: usize = 2;
/// Longest n-gram `--masked-max-n` accepts.
pub const MAX_N_LIMIT: u8 = 4;

fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// Where the n-gram hash starts.
const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

/// The column of an n-gram of length `n` whose running hash is `h`.
#[inline]
fn column(h: u64, n: usize, mask: u64) -> u32 {
    let f = mix(h, n as u64);
    ((f ^ (f >> 29)) & mask) as u32
}

/// Calls `f(start, n, column)` for every n-gram of length [`MIN_N`]..=`max_n` of a token stream.
fn for_each_ngram(ids: &[u32], buckets: u32, max_n: u8, mut f: impl FnMut(usize, usize, u32)) {
    let mask = (buckets - 1) as u64;
    for i in 0..ids.len() {
        let mut h = SEED;
        for n in 1..=(max_n as usize).min(ids.len() - i) {
            h = mix(h, ids[i + n - 1] as u64 + 1);
            if n >= MIN_N {
                f(i, n, column(h, n, mask));
            }
        }
    }
}

/// Hashed n-gram columns of a token stream, unsorted, with repeats: [`for_each_ngram`]'s
/// columns, with the two usual lengths written out as straight loops (this is the hot path).
pub fn ngram_buckets(ids: &[u32], buckets: u32, max_n: u8, out: &mut Vec<u32>) {
    out.clear();
    let mask = (buckets - 1) as u64;
    let pair = |a: u32, b: u32| mix(mix(SEED, a as u64 + 1), b as u64 + 1);
    match max_n {
        2 => out.extend(ids.windows(2).map(|w| column(pair(w[0], w[1]), 2, mask))),
        3 => {
            for (i, w) in ids.windows(2).enumerate() {
                let h = pair(w[0], w[1]);
                out.push(column(h, 2, mask));
                if let Some(&c) = ids.get(i + 2) {
                    out.push(column(mix(h, c as u64 + 1), 3, mask));
                }
            }
        }
        _ => for_each_ngram(ids, buckets, max_n, |_, _, c| out.push(c)),
    }
}

/// The n-grams of `text` that fall in `bucket`, as readable strings (for explanations).
pub fn ngrams_in_bucket(text: &str, buckets: u32, max_n: u8, bucket: u32) -> Vec<String> {
    let mut ids = Vec::new();
    masked_tokens(text, &mut ids);
    let mut found = Vec::new();
    for_each_ngram(&ids, buckets, max_n, |i, n, c| {
        if c == bucket {
            let s: Vec<String> = ids[i..i + n].iter().map(|&t| token_name(t)).collect();
            found.push(s.join(" "));
        }
    });
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_out_lengths_give_the_general_loop_columns() {
        let mut ids = Vec::new();
        masked_tokens(
            "As is well known, the U.S. imperialists -- \"vassal forces\" -- said 3 things.",
            &mut ids,
        );
        for max_n in [2, 3] {
            let mut fast = Vec::new();
            ngram_buckets(&ids, 1 << 12, max_n, &mut fast);
            let mut general = Vec::new();
            for_each_ngram(&ids, 1 << 12, max_n, |_, _, c| general.push(c));
            fast.sort_unstable();
            general.sort_unstable();
            assert_eq!(fast, general, "max_n {max_n}");
        }
        let mut all = Vec::new();
        ngram_buckets(&ids, 1 << 12, 3, &mut all);
        assert_eq!(all.len(), 2 * ids.len() - 3);
    }
}
