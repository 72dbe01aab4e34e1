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
}

/// Unicode compatibility normalization, so full-width letters, ligatures and the like match
/// their plain forms. ASCII and already-normalized text pass through without a copy.
pub struct Nfkc;

impl Normalizer for Nfkc {
    fn normalize<'a>(&self, text: Cow<'a, str>) -> Cow<'a, str> {
        if text.is_ascii() || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
            text
        } else {
            Cow::Owned(text.nfkc().collect())
        }
    }
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
        } else if text.chars().any(char::is_uppercase) {
            Cow::Owned(text.to_lowercase())
        } else {
            text
        }
    }
}

/// Unicode word boundaries (UAX #29): keeps "can't", "32.3" and "U.S" as one word and drops
/// punctuation.
pub struct UnicodeWords;

impl Splitter for UnicodeWords {
    fn split<'t>(&self, text: &'t str, out: &mut Vec<&'t str>) {
        out.extend(text.unicode_words());
    }
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
        if !self.filters.is_empty() {
            let mut i = start;
            for j in start..out.len() {
                if self.filters.iter().all(|f| f.keep(out[j])) {
                    out[i] = out[j];
                    i += 1;
                }
            }
            out.truncate(i);
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
