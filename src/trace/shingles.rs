//! Word shingles, their hashes and MinHash signatures (verbatim reuse and LSH buckets).

use super::UNKNOWN;

#[inline]
pub(super) fn mix64(mut x: u64) -> u64 {
    // splitmix64 finaliser
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Hash of the shingle starting at `toks[i]`; None if it contains an unknown term.
#[inline]
pub(super) fn shingle_hash(toks: &[u32], i: usize, n: usize) -> Option<u64> {
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
pub(super) fn shingles(toks: &[u32], n: usize) -> Vec<u64> {
    if toks.len() < n {
        return Vec::new();
    }
    let mut v: Vec<u64> = (0..=toks.len() - n).filter_map(|i| shingle_hash(toks, i, n)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Size of the intersection of two sorted lists.
pub(super) fn intersect<T: Ord>(a: &[T], b: &[T]) -> usize {
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

pub(super) fn minhash(sh: &[u64], num: usize) -> Vec<u32> {
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

pub(super) fn band_key(sig: &[u32], band: usize, rows: usize) -> u64 {
    let mut h: u64 = band as u64;
    for &x in &sig[band * rows..(band + 1) * rows] {
        h = mix64(h ^ x as u64);
    }
    h
}
