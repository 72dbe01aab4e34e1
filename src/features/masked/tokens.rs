//! The masked token stream: each word becomes itself when it is one of the kept function
//! words and its shape otherwise; punctuation, dashes, quotes and line breaks become tokens of
//! their own. One pass over the bytes, ASCII eight bytes at a time.

/// Words kept as themselves: function words, pronouns, auxiliaries, common reporting verbs and
/// the connectives whose use differs between house styles.
const KEPT: &[&str] = &[
    "a",
    "about",
    "above",
    "according",
    "across",
    "added",
    "after",
    "again",
    "against",
    "ago",
    "all",
    "almost",
    "along",
    "already",
    "also",
    "although",
    "always",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "around",
    "as",
    "asked",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "down",
    "during",
    "each",
    "either",
    "even",
    "ever",
    "every",
    "few",
    "first",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "last",
    "least",
    "less",
    "like",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "neither",
    "never",
    "new",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "per",
    "rather",
    "reported",
    "said",
    "same",
    "says",
    "she",
    "should",
    "since",
    "so",
    "some",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "told",
    "too",
    "two",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "mr",
    "mrs",
    "ms",
    "dr",
    "percent",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tomorrow",
    "week",
    "year",
    "years",
    "people",
    "country",
    "government",
    "official",
    "officials",
    "statement",
    "spokesman",
    "spokeswoman",
    "reporters",
    "news",
    "agency",
    "according",
    "stated",
    "noted",
    "stressed",
    "pointed",
    "emphasized",
    "expressed",
    "urged",
    "called",
    "claimed",
    "insisted",
    "described",
    "report",
    "reports",
    "important",
    "significant",
    "crucial",
    "key",
    "also",
    "furthermore",
    "moreover",
    "additionally",
    "overall",
    "ultimately",
    "notably",
    "indeed",
    "clearly",
    "really",
    "great",
    "highly",
    "well",
    "known",
    "common",
    "firmly",
    "resolutely",
    "vigorously",
    "comrade",
    "respected",
    "party",
    "people's",
    "here's",
    "it's",
    "don't",
    "isn't",
    "won't",
    "can't",
    "what's",
    "let's",
    "you're",
];

/// Token ids past the kept words: shapes, then structure, then punctuation by byte.
const SHAPE_CAP: u32 = 1000;
const SHAPE_LOWER: u32 = 1001;
const SHAPE_UPPER: u32 = 1002;
const SHAPE_NUM: u32 = 1003;
const NEWLINE: u32 = 1004;
const PARAGRAPH: u32 = 1005;
const QUOTE: u32 = 1006;
const DASH: u32 = 1007;
const ELLIPSIS: u32 = 1008;
/// Dashes kept apart: each house (and era) writes its own ("--", " - ", "_", "—").
const DOUBLE_DASH: u32 = 1009;
const UNDERSCORE: u32 = 1010;
const EM_DASH: u32 = 1011;
const PUNCT: u32 = 1100;

/// A lower-cased ASCII word of at most 16 bytes packed into one integer: a cheap map key.
fn pack_lower(word: &[u8]) -> Option<u128> {
    pack_lower_at(word, 0, word.len())
}

/// A byte repeated across a `u64`, and the high bit of each of its eight bytes.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` that lies in `lo..=hi`; every byte of `x` must be below
/// 0x80 (then no add carries into the next byte).
#[inline]
fn bytes_within(x: u64, lo: u8, hi: u8) -> u64 {
    x.wrapping_add(ONES * (0x80 - lo as u64)) & !x.wrapping_add(ONES * (0x80 - hi as u64 - 1)) & HIGH
}

/// [`pack_lower`] of `b[start..start + len]`. Eight bytes at a time: one check for non-ASCII,
/// and A-Z lowered without a branch per byte. Where 16 bytes follow `start` they are read in
/// place and masked; copying the word out first cost a sixth of the masked tokenizer (the
/// copy's byte stores stall the wide loads after them).
#[inline]
fn pack_lower_at(b: &[u8], start: usize, len: usize) -> Option<u128> {
    if len > 16 {
        return None;
    }
    let (lo, hi) = match b.get(start..start + 16) {
        Some(w) => {
            let keep = |x: u64, n: usize| if n >= 8 { x } else { x & ((1u64 << (8 * n)) - 1) };
            let lo = u64::from_le_bytes(w[..8].try_into().expect("8 bytes"));
            let hi = u64::from_le_bytes(w[8..].try_into().expect("8 bytes"));
            (keep(lo, len), if len > 8 { keep(hi, len - 8) } else { 0 })
        }
        None => {
            let k = crate::features::word_table::pack(&b[start..start + len])?;
            (k as u64, (k >> 64) as u64)
        }
    };
    if (lo | hi) & HIGH != 0 {
        return None;
    }
    let lower = |x: u64| x | (bytes_within(x, b'A', b'Z') >> 2);
    Some(lower(lo) as u128 | (lower(hi) as u128) << 64)
}

/// The kept words' token ids by their packed lower-cased form (the first of a repeated word).
type KeptTable = crate::features::word_table::WordTable<Option<u32>, 10>;

fn kept_index() -> &'static KeptTable {
    static M: std::sync::OnceLock<KeptTable> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        let mut t = KeptTable::new(None);
        for (i, w) in KEPT.iter().enumerate() {
            if let Some(k) = pack_lower(w.as_bytes()) {
                t.entry(k).get_or_insert(i as u32);
            }
        }
        t
    })
}

/// Index of the first byte at or after `i` that is not an ASCII letter or digit: eight bytes
/// at a time, so a word costs one unpredictable branch rather than one per letter.
#[inline]
fn skip_alnum(b: &[u8], mut i: usize) -> usize {
    while let Some(w) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        let x7 = x & !HIGH;
        let alnum = (bytes_within(x7, b'0', b'9') | bytes_within(x7 | (ONES * 0x20), b'a', b'z')) & !x;
        if alnum != HIGH {
            return i + ((!alnum & HIGH).trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    i
}

/// A readable name for a token id (for explanations).
pub fn token_name(id: u32) -> String {
    match id {
        i if (i as usize) < KEPT.len() => KEPT[i as usize].to_string(),
        SHAPE_CAP => "Xx".into(),
        SHAPE_LOWER => "x".into(),
        SHAPE_UPPER => "XX".into(),
        SHAPE_NUM => "9".into(),
        NEWLINE => "⏎".into(),
        PARAGRAPH => "¶".into(),
        QUOTE => "\"".into(),
        DASH => "-".into(),
        DOUBLE_DASH => "--".into(),
        UNDERSCORE => "_".into(),
        EM_DASH => "—".into(),
        ELLIPSIS => "…".into(),
        i if i >= PUNCT => ((i - PUNCT) as u8 as char).to_string(),
        _ => "?".into(),
    }
}

/// The masked token stream of `text`. One pass over the bytes; non-ASCII is decoded only where
/// it occurs.
pub fn masked_tokens(text: &str, out: &mut Vec<u32>) {
    out.clear();
    let kept = kept_index();
    let b = text.as_bytes();
    let n = b.len();
    let mut newlines = 0usize;
    let mut i = 0;
    let is_word_char = |i: usize| -> Option<usize> {
        // Length of the word character at i, if it is one.
        let c = b[i];
        if c.is_ascii_alphanumeric() {
            Some(1)
        } else if c >= 0x80 {
            let ch = text[i..].chars().next()?;
            ch.is_alphanumeric().then(|| ch.len_utf8())
        } else {
            None
        }
    };
    while i < n {
        let c = b[i];
        if c == b'\n' {
            newlines += 1;
            i += 1;
            continue;
        }
        if c == b' ' || c == b'\t' || c == b'\r' {
            i += 1;
            continue;
        }
        if newlines > 0 {
            out.push(if newlines >= 2 { PARAGRAPH } else { NEWLINE });
            newlines = 0;
        }
        if let Some(len) = is_word_char(i) {
            let start = i;
            i += len;
            // Words with inner dots, hyphens or apostrophes (U.S, so-called, it's) stay one.
            loop {
                i = skip_alnum(b, i);
                if i >= n {
                    break;
                }
                if b[i] >= 0x80
                    && let Some(l) = is_word_char(i)
                {
                    i += l;
                    continue;
                }
                let joiner = match b[i] {
                    b'.' | b'-' | b'\'' => 1,
                    0xE2 if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x99) => 3,
                    _ => 0,
                };
                if joiner > 0 && i + joiner < n && is_word_char(i + joiner).is_some() {
                    i += joiner;
                    continue;
                }
                break;
            }
            out.push(word_id(text, start, i, kept));
            continue;
        }
        if c < 0x80 {
            let id = match c {
                b'"' | b'`' => {
                    if c == b'`' && b.get(i + 1) == Some(&b'`') {
                        i += 1;
                    }
                    QUOTE
                }
                b'\'' => {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    }
                    QUOTE
                }
                b'-' => {
                    if b.get(i + 1) == Some(&b'-') {
                        i += 1;
                        DOUBLE_DASH
                    } else {
                        DASH
                    }
                }
                b'_' => UNDERSCORE,
                c if c.is_ascii_graphic() => PUNCT + c as u32,
                _ => {
                    i += 1;
                    continue;
                }
            };
            out.push(id);
            i += 1;
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        i += ch.len_utf8();
        let id = match ch {
            '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}' | '\u{ab}' | '\u{bb}' => QUOTE,
            '\u{2013}' | '\u{2014}' | '\u{2212}' => EM_DASH,
            '\u{2026}' => ELLIPSIS,
            '\u{a0}' => continue,
            c if c.is_whitespace() => continue,
            _ => continue,
        };
        out.push(id);
    }
    if newlines > 0 {
        out.push(if newlines >= 2 { PARAGRAPH } else { NEWLINE });
    }
}

/// The token id of the word `text[start..end]`.
fn word_id(text: &str, start: usize, end: usize, kept: &KeptTable) -> u32 {
    if let Some(i) = pack_lower_at(text.as_bytes(), start, end - start).and_then(|k| kept.get(k)) {
        return i;
    }
    let word = &text[start..end];
    let b = word.as_bytes();
    if word.is_ascii() {
        let first = b[0];
        return if first.is_ascii_digit() {
            SHAPE_NUM
        } else if first.is_ascii_uppercase() {
            let letters = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
            if letters > 1 && !b.iter().any(|c| c.is_ascii_lowercase()) { SHAPE_UPPER } else { SHAPE_CAP }
        } else {
            SHAPE_LOWER
        };
    }
    let mut cs = word.chars();
    let first = cs.next().unwrap_or('x');
    if first.is_numeric() {
        SHAPE_NUM
    } else if first.is_uppercase() {
        if word.chars().filter(|c| c.is_alphabetic()).count() > 1 && word.chars().all(|c| !c.is_lowercase()) {
            SHAPE_UPPER
        } else {
            SHAPE_CAP
        }
    } else {
        SHAPE_LOWER
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        let mut ids = Vec::new();
        masked_tokens(text, &mut ids);
        ids.iter().map(|&i| token_name(i)).collect()
    }

    #[test]
    fn pack_lower_is_ascii_lowercase_packed() {
        let plain = |w: &[u8]| -> Option<u128> {
            if w.len() > 16 || !w.is_ascii() {
                return None;
            }
            Some(
                w.iter().enumerate().fold(0u128, |k, (i, c)| k | (c.to_ascii_lowercase() as u128) << (8 * i)),
            )
        };
        let all: Vec<u8> = (0u8..=255).collect();
        for w in all.chunks(7).chain(all.chunks(16)).chain(all.chunks(17)) {
            assert_eq!(pack_lower(w), plain(w), "{w:?}");
        }
        for w in ["The", "U.S.", "PEOPLE'S", "x", "", "abcdefghijklmnop", "@[`{"] {
            assert_eq!(pack_lower(w.as_bytes()), plain(w.as_bytes()), "{w}");
        }
        // read in place with bytes after the word, or copied near the end of the text
        let text = b"say The Word \xc3\xa9t\xc3\xa9 and MORE words here, then 1999. U.S.-led plans";
        for start in 0..text.len() {
            for len in 0..=17.min(text.len() - start) {
                let w = &text[start..start + len];
                assert_eq!(pack_lower_at(text, start, len), plain(w), "{start} {len}");
            }
        }
    }

    #[test]
    fn skip_alnum_stops_at_the_first_other_byte() {
        let text = "abcXYZ019 ab.cd-ef'gh [@`{/:] ééé tail7".as_bytes();
        for i in 0..=text.len() {
            let want = (i..text.len()).find(|&j| !text[j].is_ascii_alphanumeric()).unwrap_or(text.len());
            assert_eq!(skip_alnum(text, i), want, "from {i}");
        }
        let all: Vec<u8> = (0u8..=255).chain(b"Aa0".iter().copied()).collect();
        for i in 0..all.len() {
            let want = (i..all.len()).find(|&j| !all[j].is_ascii_alphanumeric()).unwrap_or(all.len());
            assert_eq!(skip_alnum(&all, i), want, "from {i}");
        }
    }

    #[test]
    fn kept_table_finds_every_kept_word_and_nothing_else() {
        let t = kept_index();
        for (i, w) in KEPT.iter().enumerate() {
            let first = KEPT.iter().position(|x| x == w).unwrap();
            assert_eq!(t.get(pack_lower(w.as_bytes()).unwrap()), Some(first as u32), "{w} ({i})");
        }
        for w in ["minister", "missile", "imperialists", "thee", "x", "saidd"] {
            assert_eq!(t.get(pack_lower(w.as_bytes()).unwrap()), None, "{w}");
        }
    }

    #[test]
    fn content_words_become_shapes() {
        assert_eq!(
            names("The U.S. imperialists said 42 tanks -- \"NATO\" moved.\n\nThen"),
            ["the", "XX", ".", "x", "said", "9", "x", "--", "\"", "XX", "\"", "x", ".", "¶", "then"]
        );
    }
}
