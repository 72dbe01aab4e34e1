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

/// Hashed n-gram columns of a token stream, unsorted, with repeats.
pub fn ngram_buckets(ids: &[u32], buckets: u32, max_n: u8, out: &mut Vec<u32>) {
    out.clear();
    for_each_ngram(ids, buckets, max_n, |_, _, c| out.push(c));
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
    fn pairs_then_triples_at_each_position() {
        let mut ids = Vec::new();
        masked_tokens(
            "As is well known, the U.S. imperialists -- \"vassal forces\" -- said 3 things.",
            &mut ids,
        );
        let (mut pairs, mut both) = (Vec::new(), Vec::new());
        ngram_buckets(&ids, 1 << 12, 2, &mut pairs);
        ngram_buckets(&ids, 1 << 12, 3, &mut both);
        assert_eq!(pairs.len(), ids.len() - 1);
        assert_eq!(both.len(), 2 * ids.len() - 3);
        // Adding triples keeps every pair's column: a text's pairs hash the same either way.
        let pairs_in_both: Vec<u32> = (0..ids.len() - 1).map(|i| both[2 * i]).collect();
        assert_eq!(pairs_in_both, pairs);
        // The same pair of tokens lands in the same column wherever it stands.
        let mut again = Vec::new();
        ngram_buckets(&ids[3..5], 1 << 12, 2, &mut again);
        assert_eq!(again, [pairs[3]]);
    }
}
