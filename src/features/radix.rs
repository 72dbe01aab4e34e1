//! Sorting a document's column ids before counting runs of equal ones.
//!
//! Every row builder (bag of words, masked n-grams) collects one column id per occurrence and
//! sorts them to count repeats; that sort was about a tenth of scoring time. Column ids are
//! small (below the block's width), so a two-pass LSD radix sort does the same in linear time
//! and gives exactly the order `sort_unstable` gives (equal `u32`s are indistinguishable), so
//! rows, and models, do not change.

/// Below this length the comparison sort wins (radix pays for its histograms).
const SMALL: usize = 64;
/// Widest key handled by two passes.
const MAX_BITS: u32 = 24;

/// Sorts `keys` ascending. `max` is an upper bound on the keys (the block's width); keys above
/// it are still sorted right, just with the comparison sort. `scratch` is reused between calls.
pub fn sort_ids(keys: &mut [u32], max: u32, scratch: &mut Vec<u32>) {
    let bits = 32 - max.leading_zeros();
    if keys.len() < SMALL || bits > MAX_BITS {
        keys.sort_unstable();
        return;
    }
    // Two passes over half the bits each: histograms of 2^9 entries for a 2^18-column
    // vocabulary stay in L1 and cost little to clear.
    let lo_bits = bits.div_ceil(2);
    let lo_mask = (1u32 << lo_bits) - 1;
    let (n_lo, n_hi) = (1usize << lo_bits, 1usize << (bits - lo_bits));
    scratch.clear();
    scratch.resize(keys.len() + n_lo + n_hi, 0);
    let (out, hist) = scratch.split_at_mut(keys.len());
    let (lo, hi) = hist.split_at_mut(n_lo);
    for &k in keys.iter() {
        if k > max {
            keys.sort_unstable();
            return;
        }
        lo[(k & lo_mask) as usize] += 1;
        hi[(k >> lo_bits) as usize] += 1;
    }
    prefix_sums(lo);
    prefix_sums(hi);
    for &k in keys.iter() {
        let d = &mut lo[(k & lo_mask) as usize];
        out[*d as usize] = k;
        *d += 1;
    }
    for &k in out.iter() {
        let d = &mut hi[(k >> lo_bits) as usize];
        keys[*d as usize] = k;
        *d += 1;
    }
}

/// Turns counts into starting offsets.
fn prefix_sums(counts: &mut [u32]) {
    let mut sum = 0;
    for c in counts {
        let n = *c;
        *c = sum;
        sum += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_like_sort_unstable(mut v in prop::collection::vec(0u32..300_000, 0..3000), max in 0u32..400_000) {
            let mut want = v.clone();
            want.sort_unstable();
            sort_ids(&mut v, max, &mut Vec::new());
            prop_assert_eq!(v, want);
        }
    }

    #[test]
    fn one_pass_and_two_pass_widths() {
        for max in [0u32, 1, 2047, 2048, 131_071, (1 << 22) - 1, (1 << 24) - 1, 1 << 24] {
            let mut v: Vec<u32> = (0..1000u32).map(|i| (i.wrapping_mul(2_654_435_761)) % (max + 1)).collect();
            let mut want = v.clone();
            want.sort_unstable();
            sort_ids(&mut v, max, &mut Vec::new());
            assert_eq!(v, want, "max {max}");
        }
    }
}
