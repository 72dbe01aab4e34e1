//! The masked token stream: each word becomes itself when it is one of the kept function
//! words and its shape otherwise; punctuation, dashes, quotes and line breaks become tokens of
//! their own. The style block's scanner finds the words and marks (it walks the same bytes for
//! its own counts, and one walk costs half of two); this file says what each becomes.

/// Words kept as themselves: function words, pronouns, auxiliaries, common reporting verbs and
/// the connectives whose use differs between house styles.
pub(crate) const KEPT: &[&str] = &[
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

/// What a word that is not kept becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Starts with a capital ("Geneva", "McDonald").
    Capitalized,
    Lower,
    /// Two or more letters, all capitals ("NATO").
    AllCaps,
    /// Starts with a digit ("42", "3.5", "1990s").
    Number,
}

/// Everything in the stream that is not a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// An ASCII punctuation byte with no token of its own below.
    Punct(u8),
    /// Any quotation mark: straight, curly, guillemet, backticks, two apostrophes.
    Quote,
    /// A single hyphen-minus.
    Dash,
    /// Two or more hyphen-minuses.
    DoubleDash,
    /// En, em, horizontal bar and minus sign.
    EmDash,
    Ellipsis,
    Underscore,
    /// One line break before the next line with text.
    LineBreak,
    /// Two or more line breaks (a blank line) before the next line with text.
    Paragraph,
}

impl Mark {
    /// The mark for `n` line breaks between two lines with text (or at an end): none for 0.
    pub fn line_breaks(n: u32) -> Option<Mark> {
        match n {
            0 => None,
            1 => Some(Mark::LineBreak),
            _ => Some(Mark::Paragraph),
        }
    }
}

/// Receives the stream as the scanner finds it. `()` ignores it (the style block alone), a
/// `Vec<u32>` collects token ids (the masked block).
pub trait TokenSink {
    /// A word: `kept` is its index in [`KEPT`] when it is a kept word.
    fn word(&mut self, kept: Option<u16>, shape: Shape);
    fn mark(&mut self, mark: Mark);
}

impl TokenSink for () {
    #[inline(always)]
    fn word(&mut self, _: Option<u16>, _: Shape) {}
    #[inline(always)]
    fn mark(&mut self, _: Mark) {}
}

impl TokenSink for Vec<u32> {
    #[inline]
    fn word(&mut self, kept: Option<u16>, shape: Shape) {
        self.push(match (kept, shape) {
            (Some(i), _) => i as u32,
            (None, Shape::Capitalized) => SHAPE_CAP,
            (None, Shape::Lower) => SHAPE_LOWER,
            (None, Shape::AllCaps) => SHAPE_UPPER,
            (None, Shape::Number) => SHAPE_NUM,
        });
    }
    #[inline]
    fn mark(&mut self, mark: Mark) {
        self.push(match mark {
            Mark::Punct(c) => PUNCT + c as u32,
            Mark::Quote => QUOTE,
            Mark::Dash => DASH,
            Mark::DoubleDash => DOUBLE_DASH,
            Mark::EmDash => EM_DASH,
            Mark::Ellipsis => ELLIPSIS,
            Mark::Underscore => UNDERSCORE,
            Mark::LineBreak => NEWLINE,
            Mark::Paragraph => PARAGRAPH,
        });
    }
}

/// Each kept word with its token id (the first index of a word listed twice).
pub(crate) fn kept_words() -> impl Iterator<Item = (u16, &'static str)> {
    KEPT.iter().enumerate().filter(|&(i, w)| KEPT[..i].iter().all(|x| x != w)).map(|(i, w)| (i as u16, *w))
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

/// The masked token stream of `text`, from the style block's scan (whose counts are dropped).
pub fn masked_tokens(text: &str, out: &mut Vec<u32>) {
    out.clear();
    crate::features::style::scan_tokens(text, out);
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
    fn kept_words_have_ids_below_the_shapes_and_no_repeats() {
        let ids: Vec<(u16, &str)> = kept_words().collect();
        assert!(ids.len() < KEPT.len(), "KEPT lists some words twice; each keeps its first id");
        assert!(ids.iter().all(|&(i, w)| KEPT[i as usize] == w && (i as u32) < SHAPE_CAP));
        let mut words: Vec<&str> = ids.iter().map(|e| e.1).collect();
        words.sort();
        words.dedup();
        assert_eq!(words.len(), ids.len());
    }

    #[test]
    fn content_words_become_shapes() {
        assert_eq!(
            names("The U.S. imperialists said 42 tanks -- \"NATO\" moved.\n\nThen so-called 3.5%"),
            [
                "the", "Xx", ".", "Xx", ".", "x", "said", "9", "x", "--", "\"", "XX", "\"", "x", ".", "¶",
                "then", "so", "-", "called", "9", "%"
            ]
        );
    }

    proptest::proptest! {
        /// Any text gives a stream of known tokens, and a word stays one token whatever the
        /// text around it.
        #[test]
        fn any_text_gives_known_tokens(s in "\\PC{0,200}") {
            let mut ids = Vec::new();
            masked_tokens(&s, &mut ids);
            let known = |i: u32| {
                (i as usize) < KEPT.len()
                    || (SHAPE_CAP..=EM_DASH).contains(&i)
                    || (PUNCT..PUNCT + 128).contains(&i) && ((i - PUNCT) as u8).is_ascii_graphic()
            };
            proptest::prop_assert!(ids.iter().all(|&i| known(i)), "{:?}", ids);
            let mut more = Vec::new();
            masked_tokens(&format!("{s} the"), &mut more);
            proptest::prop_assert_eq!(more.last(), Some(&(KEPT.iter().position(|w| *w == "the").unwrap() as u32)));
        }
    }

    #[test]
    fn quotes_dashes_and_line_breaks() {
        assert_eq!(
            names(
                "\u{201c}It\u{2019}s,\u{201d} he wrote \u{2014} ``twice'' \u{2026}\nNext_line\r\n  \n\nEnd\n"
            ),
            [
                "\"", "it's", ",", "\"", "he", "x", "—", "\"", "x", "\"", "…", "⏎", "Xx", "_", "x", "¶",
                "Xx", "⏎"
            ]
        );
        // An acronym is a shape even when its letters spell a kept word.
        assert_eq!(names("US IT us it"), ["XX", "XX", "us", "it"]);
    }
}
