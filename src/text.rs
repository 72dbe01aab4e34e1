//! Text analysis as small steps behind one trait each, in the manner of tantivy's tokenizer:
//! normalize (NFKC), lowercase, split into words, filter. Each step is testable alone and the
//! [`Analyzer`] strings them together.
use std::borrow::Cow;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};
use unicode_segmentation::UnicodeSegmentation;

/// Rewrites whole text before it is split.
pub trait Normalizer: Send + Sync {
    fn normalize<'a>(&self, text: Cow<'a, str>) -> Cow<'a, str>;
}

/// Splits normalized text into word tokens.
pub trait Splitter: Send + Sync {
    fn split<'t>(&self, text: &'t str, out: &mut Vec<&'t str>);
}

/// Decides whether a token is kept.
pub trait TokenFilter: Send + Sync {
    fn keep(&self, token: &str) -> bool;

    /// Keeps `tokens[from..]` that pass, in order. One call per document rather than a
    /// dynamic call per token: per-token calls cost 6 of 49 ms tokenizing dev.csv.
    fn retain_from(&self, tokens: &mut Vec<&str>, from: usize) {
        let mut i = from;
        for j in from..tokens.len() {
            if self.keep(tokens[j]) {
                tokens[i] = tokens[j];
                i += 1;
            }
        }
        tokens.truncate(i);
    }
}

/// Unicode compatibility normalization, so full-width letters, ligatures and the like match
/// their plain forms. ASCII and already-normalized text pass through without a copy.
pub struct Nfkc;

impl Normalizer for Nfkc {
    fn normalize<'a>(&self, text: Cow<'a, str>) -> Cow<'a, str> {
        if non_ascii_runs(&text).all(|run| is_nfkc_quick(run.chars()) == IsNormalized::Yes) {
            text
        } else {
            Cow::Owned(text.nfkc().collect())
        }
    }
}

/// The maximal runs of non-ASCII characters. News text is mostly ASCII with a few curly quotes
/// and dashes; checks that only concern non-ASCII characters skip the rest. ASCII characters are
/// starters that are already normalized, so a quick check run by run answers as for the whole.
fn non_ascii_runs(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        i = first_non_ascii(b, i)?;
        let start = i;
        while i < b.len() && b[i] >= 0x80 {
            i += 1;
        }
        // runs end at ASCII bytes or the end, which are always character boundaries
        Some(&text[start..i])
    })
}

/// Lowercase; copies only when there is something to lower.
pub struct Lowercase;

impl Normalizer for Lowercase {
    fn normalize<'a>(&self, text: Cow<'a, str>) -> Cow<'a, str> {
        if text.is_ascii() {
            if !text.bytes().any(|b| b.is_ascii_uppercase()) {
                return text;
            }
            let mut s = text.into_owned();
            s.make_ascii_lowercase();
            Cow::Owned(s)
        } else if text.bytes().any(|b| b.is_ascii_uppercase())
            || non_ascii_runs(&text).any(|run| run.chars().any(char::is_uppercase))
        {
            Cow::Owned(to_lowercase(&text))
        } else {
            text
        }
    }
}

/// `str::to_lowercase`, with ASCII runs lowered a run at a time rather than a character at a time.
fn to_lowercase(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i] < 0x80 {
            i += 1;
        }
        let from = out.len();
        out.push_str(&text[start..i]);
        out[from..].make_ascii_lowercase();
        let start = i;
        while i < b.len() && b[i] >= 0x80 {
            i += 1;
        }
        let run = &text[start..i];
        if run.contains('Σ') {
            // the final-sigma rule looks at the neighbouring characters: leave it to std
            return text.to_lowercase();
        }
        out.extend(run.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Unicode word boundaries (UAX #29): keeps "can't", "32.3" and "U.S" as one word and drops
/// punctuation.
///
/// Fast path, same tokens as `str::unicode_words`: the text is cut at ASCII whitespace that is
/// followed by an ASCII byte other than a second space (UAX #29 then breaks on both sides of the
/// whitespace, and it is never part of a word). Pieces with a non-ASCII byte go through
/// `unicode_words`; the pure-ASCII text between them is split by [`ascii_words`], a direct
/// implementation of the word rules restricted to ASCII, in one call (a cut is whitespace, which
/// `ascii_words` skips). Only the neighbourhood of non-ASCII bytes is searched for cuts, so
/// an all-ASCII text is one check and one call. Nothing is allocated.
///
/// A word never has whitespace inside: NFKC can turn one character into a space and a mark
/// (U+FE72 becomes " \u{64c}") and UAX #29 keeps the two together, so `unicode_words` can
/// return such a token; it is dropped, as a space inside a unigram would read as a word pair
/// when the vocabulary is reloaded (found by fuzzing). Words from [`ascii_words`] never have
/// whitespace, so only the `unicode_words` pieces are checked: checking every token cost a
/// quarter of tokenizing time.
pub struct UnicodeWords;

impl Splitter for UnicodeWords {
    fn split<'t>(&self, text: &'t str, out: &mut Vec<&'t str>) {
        let b = text.as_bytes();
        let is_cut = |i: usize| {
            let c = b[i];
            is_break_space(c) && b.get(i + 1).is_none_or(|&n| n < 0x80 && !(c == b' ' && n == b' '))
        };
        // `pos` is always just after a cut (or the start); `b[pos..k]` is ASCII.
        let mut pos = 0;
        while let Some(k) = first_non_ascii(b, pos) {
            // The piece holding `k` runs from just after the last cut before it to the next cut.
            let start = (pos..k).rev().find(|&i| is_cut(i)).map_or(pos, |i| i + 1);
            let end = (k + 1..b.len()).find(|&i| is_cut(i)).unwrap_or(b.len());
            ascii_words(&text[pos..start], out);
            out.extend(text[start..end].unicode_words().filter(|w| !w.chars().any(char::is_whitespace)));
            pos = (end + 1).min(b.len());
        }
        ascii_words(&text[pos..], out);
    }
}

/// A byte repeated across a `u64`, for working on eight bytes at once.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each of eight bytes.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Index of the first byte at or after `from` with the high bit set, eight bytes at a time.
#[inline]
fn first_non_ascii(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 8 <= b.len() {
        let word = u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        let high = word & HIGH;
        if high != 0 {
            return Some(i + (high.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    (i..b.len()).find(|&j| b[j] >= 0x80)
}

/// ASCII whitespace: space (WSegSpace), tab (Other), LF, VT, FF, CR (newlines).
#[inline]
fn is_break_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

// UAX #29 word-break classes of ASCII bytes. The apostrophe (Single_Quote) behaves as
// MidNumLet when there are no Hebrew letters, so it is folded into it.
const WB_OTHER: u8 = 0;
const WB_LETTER: u8 = 1; // ALetter: A-Z a-z
const WB_NUMERIC: u8 = 2; // 0-9
const WB_EXTEND_NUM_LET: u8 = 3; // _
const WB_MID_LETTER: u8 = 4; // :
const WB_MID_NUM_LET: u8 = 5; // . '
const WB_MID_NUM: u8 = 6; // , ;

const WB_ASCII: [u8; 128] = {
    let mut t = [WB_OTHER; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if b.is_ascii_alphabetic() {
            WB_LETTER
        } else if b.is_ascii_digit() {
            WB_NUMERIC
        } else {
            match b {
                b'_' => WB_EXTEND_NUM_LET,
                b':' => WB_MID_LETTER,
                b'.' | b'\'' => WB_MID_NUM_LET,
                b',' | b';' => WB_MID_NUM,
                _ => WB_OTHER,
            }
        };
        c += 1;
    }
    t
};

/// The words of pure-ASCII text, exactly as `unicode_words` finds them: runs of letters, digits
/// and `_` (WB5, WB8-WB10, WB13a/b), joined across one `:` `.` `'` between letters (WB6/7) or
/// one `,` `;` `.` `'` between digits (WB11/12); runs without a letter or digit are dropped.
pub fn ascii_words<'t>(text: &'t str, out: &mut Vec<&'t str>) {
    debug_assert!(text.is_ascii());
    let b = text.as_bytes();
    let n = b.len();
    let class = |i: usize| WB_ASCII[(b[i] & 0x7f) as usize];
    let in_word = |c: u8| (WB_LETTER..=WB_EXTEND_NUM_LET).contains(&c);
    let mut i = 0;
    while i < n {
        if !in_word(class(i)) {
            i = next_word_byte(b, i + 1, true);
            continue;
        }
        let start = i;
        i += 1;
        loop {
            i = next_word_byte(b, i, false);
            // One `:` `.` `'` between letters or `,` `;` `.` `'` between digits joins; the byte
            // before `i` is always a word byte here.
            if i + 1 < n {
                let (prev, c, next) = (class(i - 1), class(i), class(i + 1));
                let joins = (prev == WB_LETTER
                    && next == WB_LETTER
                    && (c == WB_MID_LETTER || c == WB_MID_NUM_LET))
                    || (prev == WB_NUMERIC && next == WB_NUMERIC && (c == WB_MID_NUM || c == WB_MID_NUM_LET));
                if joins {
                    i += 2;
                    continue;
                }
            }
            break;
        }
        // a run of `_` alone is not a word
        if b[start..i].iter().any(|&c| c != b'_') {
            out.push(&text[start..i]);
        }
    }
}

/// From `i`, the first ASCII byte that is (`want`) or is not (`!want`) a word byte (a letter, a
/// digit or `_`), or `b.len()`. Eight bytes at a time: a branch per byte on where a word ends
/// mispredicts once a word, a quarter of splitting time.
#[inline]
fn next_word_byte(b: &[u8], mut i: usize, want: bool) -> usize {
    // Per byte (all below 0x80, so no carry crosses bytes): high bit set when `lo <= x <= hi`.
    let in_range = |x: u64, lo: u8, hi: u8| {
        ((x + ONES * (0x80 - lo as u64)) & !(x + ONES * (0x80 - hi as u64 - 1))) & HIGH
    };
    while i + 8 <= b.len() {
        let x = u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        let letters = in_range(x | (ONES * 0x20), b'a', b'z');
        let digits = in_range(x, b'0', b'9');
        let v = x ^ (ONES * b'_' as u64);
        let underscores = !(((v & !HIGH) + !HIGH) | v) & HIGH;
        let word = letters | digits | underscores;
        let hits = if want { word } else { !word & HIGH };
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && (WB_LETTER..=WB_EXTEND_NUM_LET).contains(&WB_ASCII[(b[i] & 0x7f) as usize]) != want {
        i += 1;
    }
    i
}

/// Drops tokens longer than this many bytes (URLs glued together, base64 blobs).
pub struct MaxBytes(pub usize);

impl TokenFilter for MaxBytes {
    fn keep(&self, token: &str) -> bool {
        token.len() <= self.0
    }
}

/// The pipeline: normalizers in order, one splitter, filters in order.
pub struct Analyzer {
    normalizers: Vec<Box<dyn Normalizer>>,
    splitter: Box<dyn Splitter>,
    filters: Vec<Box<dyn TokenFilter>>,
}

impl Analyzer {
    pub fn new(splitter: impl Splitter + 'static) -> Self {
        Analyzer { normalizers: Vec::new(), splitter: Box::new(splitter), filters: Vec::new() }
    }

    pub fn normalizer(mut self, n: impl Normalizer + 'static) -> Self {
        self.normalizers.push(Box::new(n));
        self
    }

    pub fn filter(mut self, f: impl TokenFilter + 'static) -> Self {
        self.filters.push(Box::new(f));
        self
    }

    /// NFKC, lowercase, Unicode words, tokens of at most 40 bytes: what the bag of words uses.
    pub fn standard() -> Self {
        Analyzer::new(UnicodeWords).normalizer(Nfkc).normalizer(Lowercase).filter(MaxBytes(40))
    }

    pub fn normalize<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.normalizers.iter().fold(Cow::Borrowed(text), |t, n| n.normalize(t))
    }

    /// Tokens of already-normalized text, appended to `out` (reuse it to avoid allocation).
    pub fn tokens<'t>(&self, normalized: &'t str, out: &mut Vec<&'t str>) {
        let start = out.len();
        self.splitter.split(normalized, out);
        for f in &self.filters {
            f.retain_from(out, start);
        }
    }

    /// Convenience for tests and small jobs: owned tokens of raw text.
    pub fn analyze(&self, text: &str) -> Vec<String> {
        let norm = self.normalize(text);
        let mut out = Vec::new();
        self.tokens(&norm, &mut out);
        out.into_iter().map(str::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_folds_compatibility_forms() {
        assert_eq!(Nfkc.normalize("ﬁnance Ｋｉｍ".into()), "finance Kim");
        assert!(matches!(Nfkc.normalize("plain ascii".into()), Cow::Borrowed(_)));
    }

    #[test]
    fn lowercase_only_copies_when_needed() {
        assert!(matches!(Lowercase.normalize("already lower".into()), Cow::Borrowed(_)));
        assert_eq!(Lowercase.normalize("KCNA Ünited".into()), "kcna ünited");
    }

    #[test]
    fn words_keep_contractions_and_numbers() {
        let mut v = Vec::new();
        UnicodeWords.split("Officials can't say; 32.3% rose (U.S.) — \"Yes!\"", &mut v);
        assert_eq!(v, ["Officials", "can't", "say", "32.3", "rose", "U.S", "Yes"]);
    }

    /// `unicode_words` without the words that have whitespace inside.
    fn reference(text: &str) -> Vec<&str> {
        text.unicode_words().filter(|w| !w.chars().any(char::is_whitespace)).collect()
    }

    #[test]
    fn words_never_have_whitespace_inside() {
        // what NFKC makes of U+FE72: a space, then a mark that UAX #29 attaches to it
        let text = "a \u{64c} b";
        assert!(text.unicode_words().any(|w| w.contains(' ')), "the case this guards against");
        assert_eq!(fast(text), ["a", "b"]);
        assert_eq!(Analyzer::standard().analyze("a\u{FE72}b"), Analyzer::standard().analyze("a b"));
    }

    fn fast(text: &str) -> Vec<&str> {
        let mut v = Vec::new();
        UnicodeWords.split(text, &mut v);
        v
    }

    /// Every string of up to 4 characters over an alphabet with each ASCII word-break class.
    #[test]
    fn ascii_fast_path_matches_unicode_words_exhaustively() {
        let alphabet: Vec<char> = "aZ09_:.',;\"-? \t\n\r\x0b\x0c#$!/@".chars().collect();
        let mut s = String::new();
        fn rec(s: &mut String, alphabet: &[char], depth: usize) {
            assert_eq!(fast(s), reference(s), "{s:?}");
            if depth == 0 {
                return;
            }
            for &c in alphabet {
                s.push(c);
                rec(s, alphabet, depth - 1);
                s.pop();
            }
        }
        rec(&mut s, &alphabet, 4);
        for c in 0u8..128 {
            for t in [format!("a{}b", c as char), format!("1{}2", c as char), format!("{}x", c as char)] {
                assert_eq!(fast(&t), reference(&t), "{t:?}");
            }
        }
    }

    /// Random text mixing ASCII with the non-ASCII classes that interact with word breaks.
    #[test]
    fn mixed_text_matches_unicode_words() {
        let pool: Vec<&str> = vec![
            "a",
            "Z",
            "q",
            "7",
            "0",
            "_",
            ":",
            ".",
            "'",
            ",",
            ";",
            "\"",
            "-",
            " ",
            " ",
            " ",
            "\n",
            "\t",
            "\r",
            "\x0b",
            "\x0c",
            "\u{a0}",
            "\u{2019}",
            "\u{2018}",
            "\u{201c}",
            "\u{2014}",
            "é",
            "\u{301}",
            "\u{345}",
            "\u{200d}",
            "\u{200b}",
            "\u{feff}",
            "\u{2060}",
            "ß",
            "İ",
            "Ω",
            "\u{5d0}",
            "\u{30a2}",
            "\u{4e2d}",
            "\u{1f1fa}",
            "\u{1f600}",
            "\u{ff0c}",
            "\u{ff11}",
            "\u{2024}",
            "\u{3000}",
            "\u{85}",
            "\u{2028}",
            "\u{660}",
            "\u{e01}",
            "\u{fe0f}",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..60_000 {
            let len = (next() % 12) as usize;
            let s: String = (0..len).map(|_| pool[(next() % pool.len() as u64) as usize]).collect();
            assert_eq!(fast(&s), reference(&s), "{s:?}");
        }
    }

    /// The shared corpus, when present: identical tokens to the plain `unicode_words` pipeline.
    #[test]
    fn corpus_tokens_match_unicode_words() {
        let a = Analyzer::standard();
        for name in ["dev.csv", "train.csv"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus").join(name);
            let Ok(data) = std::fs::read_to_string(&path) else { continue };
            let mut rdr = csv::Reader::from_reader(data.as_bytes());
            let col = rdr.headers().unwrap().iter().position(|h| h == "text").unwrap();
            for (n, rec) in rdr.records().enumerate().take(6000) {
                let rec = rec.unwrap();
                let norm = a.normalize(&rec[col]);
                let mut got = Vec::new();
                a.tokens(&norm, &mut got);
                let want: Vec<&str> = reference(&norm).into_iter().filter(|t| t.len() <= 40).collect();
                assert_eq!(got, want, "{name} row {n}");
            }
        }
    }

    #[test]
    fn filter_drops_long_tokens() {
        let a = Analyzer::new(UnicodeWords).filter(MaxBytes(5));
        assert_eq!(a.analyze("short muchlongerword ok"), ["short", "ok"]);
    }

    #[test]
    fn standard_pipeline() {
        let a = Analyzer::standard();
        assert_eq!(
            a.analyze("The RESPECTED Comrade, ｔｈｅ Imperialists!"),
            ["the", "respected", "comrade", "the", "imperialists"]
        );
        assert!(a.analyze("  \n\t ").is_empty());
    }
}

/// Property tests from the robustness work: any string at all goes through the analyzer.
#[cfg(test)]
mod robustness_props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn lowercase_and_nfkc_checks_match_std(s in any::<String>(), t in "[A-Za-zΣσςÀÉ’“”̧́ﬁ .,]{0,40}") {
            for s in [s.as_str(), t.as_str()] {
                prop_assert_eq!(to_lowercase(s), s.to_lowercase());
                let whole = is_nfkc_quick(s.chars()) == IsNormalized::Yes;
                let runs = non_ascii_runs(s).all(|r| is_nfkc_quick(r.chars()) == IsNormalized::Yes);
                prop_assert_eq!(whole, runs);
                let fast = Lowercase.normalize(Cow::Borrowed(s));
                prop_assert_eq!(fast.as_ref(), if s.chars().any(char::is_uppercase) { s.to_lowercase() } else { s.to_string() });
            }
        }

        /// The eight-at-a-time search agrees with a byte-at-a-time one, from every start.
        #[test]
        fn next_word_byte_same_as_byte_by_byte(s in "[\\x00-\\x7f]{0,40}") {
            let b = s.as_bytes();
            let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
            for i in 0..=b.len() {
                for want in [true, false] {
                    let slow = (i..b.len()).find(|&j| is_word(b[j]) == want).unwrap_or(b.len());
                    prop_assert_eq!(next_word_byte(b, i, want), slow, "from {} want {}", i, want);
                }
            }
        }

        #[test]
        fn analyzer_takes_any_string(s in any::<String>()) {
            let a = Analyzer::standard();
            let norm = a.normalize(&s);
            let mut toks = Vec::new();
            a.tokens(&norm, &mut toks);
            for t in &toks {
                prop_assert!(!t.is_empty() && t.len() <= 40, "{t:?}");
                prop_assert!(!t.chars().any(char::is_whitespace), "{t:?}");
                // Every token is a slice of the normalized text.
                let (base, end) = (norm.as_ptr() as usize, norm.as_ptr() as usize + norm.len());
                prop_assert!(t.as_ptr() as usize >= base && t.as_ptr() as usize + t.len() <= end);
            }
            prop_assert_eq!(a.analyze(&s), toks.iter().map(|t| t.to_string()).collect::<Vec<_>>());
        }

        #[test]
        fn analyzer_takes_news_like_text(s in "([A-Za-z'’.,;:!?()\"0-9-]{1,12}[ \n\t\r]{1,3}){0,60}") {
            let toks = Analyzer::standard().analyze(&s);
            prop_assert!(toks.iter().all(|t| !t.is_empty() && t.len() <= 40));
            prop_assert!(toks.iter().all(|t| !t.chars().any(|c| c.is_ascii_uppercase())));
        }
    }
}
