//! A fixed word list as a lookup table for the per-word loops of the style and masked blocks.
//!
//! Words of at most 16 bytes are packed into a `u128` (byte `i` at bits `8i..8i+8`, zero
//! padded), so a lookup is a multiply and one or two probes in a small open-addressing table
//! that stays in L1, where a general hash map cost a third of the masked tokenizer.

/// A packed word (at most 16 bytes) as the tables' key; `None` for longer words. Words are not
/// empty, so the zero key is free to mark an empty slot.
pub fn pack(word: &[u8]) -> Option<u128> {
    if word.len() > 16 {
        return None;
    }
    let mut buf = [0u8; 16];
    buf[..word.len()].copy_from_slice(word);
    Some(u128::from_le_bytes(buf))
}

/// Packed words to values in `2^BITS` slots (a constant, so the hot loops shift by a constant);
/// absent words read as the table's default value.
pub struct WordTable<V: Copy, const BITS: u32> {
    keys: Vec<u128>,
    vals: Vec<V>,
    absent: V,
}

impl<V: Copy, const BITS: u32> WordTable<V, BITS> {
    /// An empty table; keep it under half full.
    pub fn new(absent: V) -> Self {
        WordTable { keys: vec![0; 1 << BITS], vals: vec![absent; 1 << BITS], absent }
    }

    #[inline]
    fn home(&self, k: u128) -> usize {
        let (lo, hi) = (k as u64, (k >> 64) as u64);
        let x = (lo ^ hi.wrapping_mul(0xC2B2_AE3D_27D4_EB4F)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (x >> (64 - BITS)) as usize
    }

    /// The value of key `k`, inserted with the default value if absent (for building).
    pub fn entry(&mut self, k: u128) -> &mut V {
        assert!(k != 0, "the empty word has no slot");
        let mask = self.keys.len() - 1;
        let mut h = self.home(k);
        while self.keys[h] != k {
            if self.keys[h] == 0 {
                self.keys[h] = k;
                break;
            }
            h = (h + 1) & mask;
        }
        &mut self.vals[h]
    }

    /// The value of key `k`, or the default value.
    #[inline]
    pub fn get(&self, k: u128) -> V {
        let mask = self.keys.len() - 1;
        let mut h = self.home(k);
        loop {
            match self.keys[h] {
                x if x == k => return self.vals[h],
                0 => return self.absent,
                _ => h = (h + 1) & mask,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_entered_and_nothing_else() {
        let mut t = WordTable::<_, 6>::new(None);
        let words: Vec<String> = (0..30).map(|i| format!("w{i}")).collect();
        for (i, w) in words.iter().enumerate() {
            *t.entry(pack(w.as_bytes()).unwrap()) = Some(i);
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.get(pack(w.as_bytes()).unwrap()), Some(i), "{w}");
        }
        for w in ["w30", "x", "w1 ", "abcdefghijklmnop"] {
            assert_eq!(t.get(pack(w.as_bytes()).unwrap()), None, "{w}");
        }
        assert_eq!(pack(b"abcdefghijklmnopq"), None);
        assert_eq!(pack(b"ab"), Some(0x6261));
    }
}
