//! Style and structure features: how an article is written, not what it is about.
//!
//! Every feature is built from topic-neutral
//! signals: sentence and paragraph shape, punctuation, quotation, attribution, datelines, page
//! structure (headings, lists, page chrome), closed-class lexicons (pronouns, hedges,
//! intensifiers, evaluative adjectives, transitions, consensus formulas) and a function-word
//! profile. No content words tied to a country, person or subject are used.
//!
//! `style_features` makes one pass over the lines/bytes of the text; multi-word phrases come
//! from a phrase scan ([`phrase_set`], matched on its own or beside the other lists, see
//! [`crate::phrases`]); automata and the word table are built once (`OnceLock`); no per-token
//! allocation (words are lower-cased into a 16-byte stack key).

use std::sync::OnceLock;

use crate::phrases::{Hit, PhraseMatcher, PhraseSet};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use serde::{Deserialize, Serialize};

/// Function words profiled as `fw_<word>` (rate per 100 words), in this order.
const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "that", "is", "was", "it", "for", "on", "with", "as", "by", "at",
    "from", "his", "he", "she", "they", "their", "this", "which", "would", "will", "has", "have", "had",
    "been", "not", "but", "or", "an", "be", "are", "were", "also", "its", "said", "her", "who", "there",
    "after", "into", "more", "than", "about", "can", "should",
];

/// Stable feature names; `style_features` returns values in this order.
pub const STYLE_FEATURE_NAMES: &[&str] = &[
    "attribution_per_sentence",
    "trailing_attribution_share",
    "quote_share",
    "quote_spans_per_sentence",
    "dateline_start",
    "mean_sentence_words",
    "sd_sentence_words",
    "first_sentence_words",
    "mean_paragraph_sentences",
    "single_paragraph",
    "paragraph_count_log",
    "words_log",
    "mean_word_len",
    "long_word_share",
    "first_person_plural_rate",
    "first_person_singular_rate",
    "second_person_rate",
    "intensifier_rate",
    "evaluative_adj_rate",
    "hedge_rate",
    "transition_rate",
    "consensus_rate",
    "contraction_rate",
    "weekday_rate",
    "heading_lines",
    "list_lines",
    "chrome_lines",
    "reader_questions",
    "question_rate",
    "exclamation_rate",
    "number_rate",
    "capitalized_rate",
    "all_caps_rate",
    "commas_per_sentence",
    "semicolon_rate",
    "colon_rate",
    "dash_rate",
    "paren_rate",
    "fw_the",
    "fw_of",
    "fw_and",
    "fw_to",
    "fw_a",
    "fw_in",
    "fw_that",
    "fw_is",
    "fw_was",
    "fw_it",
    "fw_for",
    "fw_on",
    "fw_with",
    "fw_as",
    "fw_by",
    "fw_at",
    "fw_from",
    "fw_his",
    "fw_he",
    "fw_she",
    "fw_they",
    "fw_their",
    "fw_this",
    "fw_which",
    "fw_would",
    "fw_will",
    "fw_has",
    "fw_have",
    "fw_had",
    "fw_been",
    "fw_not",
    "fw_but",
    "fw_or",
    "fw_an",
    "fw_be",
    "fw_are",
    "fw_were",
    "fw_also",
    "fw_its",
    "fw_said",
    "fw_her",
    "fw_who",
    "fw_there",
    "fw_after",
    "fw_into",
    "fw_more",
    "fw_than",
    "fw_about",
    "fw_can",
    "fw_should",
];

/// Number of non-function-word features (index of `fw_the`).
const N_CORE: usize = 38;

// ---------------------------------------------------------------------------------------------
// Word table: lower-cased word (<= 16 ASCII bytes, packed in a u128) -> (function-word index, flags)

const F_ATTR: u16 = 1 << 0;
const F_INTENS: u16 = 1 << 1;
const F_EVAL: u16 = 1 << 2;
const F_HEDGE: u16 = 1 << 3;
const F_WE: u16 = 1 << 4;
const F_YOU: u16 = 1 << 5;
const F_I: u16 = 1 << 6;
const F_TRANS: u16 = 1 << 7;
const F_DAY: u16 = 1 << 8;
const F_ABBR: u16 = 1 << 9;

const NO_FW: u8 = u8::MAX;

const ATTR_WORDS: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "according",
    "stated",
    "states",
    "added",
    "adds",
    "reported",
    "reports",
    "announced",
    "noted",
    "quoted",
    "explained",
    "confirmed",
    "declined",
    "testified",
];
const INTENS_WORDS: &[&str] = &[
    "very",
    "extremely",
    "truly",
    "incredibly",
    "absolutely",
    "utterly",
    "totally",
    "completely",
    "entirely",
    "really",
    "deeply",
    "highly",
    "remarkably",
    "exceptionally",
    "immensely",
    "hugely",
    "tremendously",
    "thoroughly",
    "undoubtedly",
    "definitely",
    "particularly",
    "especially",
    "genuinely",
    "profoundly",
    "seriously",
    "terribly",
    "awfully",
    "greatly",
];
const EVAL_WORDS: &[&str] = &[
    "great",
    "shocking",
    "remarkable",
    "brilliant",
    "heinous",
    "vicious",
    "amazing",
    "incredible",
    "stunning",
    "terrible",
    "horrible",
    "awful",
    "wonderful",
    "fantastic",
    "outrageous",
    "disgraceful",
    "despicable",
    "shameless",
    "reckless",
    "glorious",
    "heroic",
    "brutal",
    "ridiculous",
    "crucial",
    "vital",
    "significant",
    "important",
    "devastating",
    "tragic",
    "alarming",
    "disturbing",
    "notorious",
    "infamous",
    "unprecedented",
    "historic",
    "tremendous",
    "excellent",
    "magnificent",
    "splendid",
    "noble",
    "sinister",
    "hideous",
    "wicked",
    "disgusting",
    "appalling",
    "egregious",
    "absurd",
    "blatant",
    "staggering",
    "extraordinary",
    "dramatic",
    "impressive",
    "beautiful",
    "perfect",
    "bizarre",
    "hilarious",
    "scandalous",
    "malicious",
    "treacherous",
    "heartbreaking",
    "heartwarming",
    "iconic",
    "legendary",
    "stellar",
    "sensational",
    "exciting",
    "inspiring",
    "fierce",
    "harsh",
    "shameful",
    "vile",
    "dear",
    "respected",
    "immortal",
    "peerless",
    "invincible",
    "ardent",
    "unyielding",
    "indomitable",
    "earnest",
    "sacred",
    "proud",
    "bright",
    "massive",
    "huge",
    "controversial",
    "startling",
    "gorgeous",
    "powerful",
    "unforgettable",
];
const HEDGE_WORDS: &[&str] = &[
    "may",
    "might",
    "could",
    "reportedly",
    "allegedly",
    "apparently",
    "appears",
    "appear",
    "appeared",
    "seems",
    "seem",
    "seemed",
    "likely",
    "unlikely",
    "possibly",
    "perhaps",
    "probably",
    "suggest",
    "suggests",
    "suggested",
    "potentially",
    "presumably",
    "purportedly",
    "unclear",
    "uncertain",
    "possible",
    "estimated",
    "expected",
    "believed",
];
const WE_WORDS: &[&str] = &["we", "our", "us", "ours", "ourselves", "we're", "we've", "we'll", "let's"];
const YOU_WORDS: &[&str] = &["you", "your", "yours", "yourself", "yourselves", "you're", "you've", "you'll"];
const I_WORDS: &[&str] = &["i", "me", "my", "mine", "myself", "i'm", "i've", "i'll", "i'd"];
const TRANS_WORDS: &[&str] = &[
    "however",
    "moreover",
    "furthermore",
    "additionally",
    "overall",
    "ultimately",
    "notably",
    "consequently",
    "nevertheless",
    "nonetheless",
    "thus",
    "therefore",
    "hence",
    "importantly",
    "interestingly",
    "surprisingly",
    "meanwhile",
    "indeed",
    "conclusion",
];
const DAY_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tonight",
];
/// Tokens that, followed by '.', do not end a sentence.
const ABBR_WORDS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "capt",
    "cmdr", "adm", "prof", "rev", "inc", "corp", "co", "ltd", "vs", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "no", "mt", "ft", "approx", "dept", "univ", "calif", "fla",
    "ariz", "mass", "wash", "conn", "penn", "mich", "minn", "ore", "tenn", "va", "pa", "ky", "ga", "ala",
    "ill", "md", "mo", "nev", "okla", "wis", "ind", "colo", "kan", "neb", "miss", "etc", "al", "govt",
];

/// Function-word index and word-list flags of each listed word.
type WordTable = super::word_table::WordTable<(u8, u16), 11>;

/// Packs a listed word (non-empty, at most 16 bytes).
fn pack(word: &str) -> u128 {
    assert!(!word.is_empty());
    super::word_table::pack(word.as_bytes()).expect("listed words have at most 16 bytes")
}

fn build_word_table() -> WordTable {
    let mut t = WordTable::new((NO_FW, 0));
    for (i, w) in FUNCTION_WORDS.iter().enumerate() {
        t.entry(pack(w)).0 = i as u8;
    }
    let groups: [(&[&str], u16); 10] = [
        (ATTR_WORDS, F_ATTR),
        (INTENS_WORDS, F_INTENS),
        (EVAL_WORDS, F_EVAL),
        (HEDGE_WORDS, F_HEDGE),
        (WE_WORDS, F_WE),
        (YOU_WORDS, F_YOU),
        (I_WORDS, F_I),
        (TRANS_WORDS, F_TRANS),
        (DAY_WORDS, F_DAY),
        (ABBR_WORDS, F_ABBR),
    ];
    for (words, flag) in groups {
        for w in words {
            t.entry(pack(w)).1 |= flag;
        }
    }
    t
}

fn word_table() -> &'static WordTable {
    static T: OnceLock<WordTable> = OnceLock::new();
    T.get_or_init(build_word_table)
}

// ---------------------------------------------------------------------------------------------
// Phrase automata

const CONSENSUS_PHRASES: &[&str] = &[
    "as is well known",
    "as is known",
    "it is well known",
    "as everyone knows",
    "everyone knows",
    "it is a common view",
    "it is a common knowledge",
    "it is common knowledge",
    "it is the common view",
    "no one can deny",
    "nobody can deny",
    "none can deny",
    "it is undeniable",
    "it is an undeniable",
    "there is no denying",
    "it is no exaggeration",
    "it is not accidental",
    "it is not fortuitous",
    "it is by no means accidental",
    "it is clear that",
    "it is obvious",
    "it is self-evident",
    "it is evident",
    "it is crystal clear",
    "there is no doubt",
    "needless to say",
    "it goes without saying",
    "it is quite natural",
    "it is natural that",
    "it is nothing but",
    "this is nothing but",
    "is nothing but",
    "it is an established fact",
    "history proves",
    "history shows",
    "reality shows",
    "facts show",
    "this clearly shows",
    "this proves",
    "it is a matter of course",
    "it is no secret",
    "it is an open secret",
    "the whole world knows",
];
const TRANS_PHRASES: &[&str] = &[
    "in conclusion",
    "in summary",
    "to summarize",
    "to sum up",
    "all in all",
    "in addition",
    "it is important to note",
    "it's important to note",
    "it’s important to note",
    "it is worth noting",
    "it's worth noting",
    "it’s worth noting",
    "it is worth mentioning",
    "on the other hand",
    "as a result",
    "in other words",
    "in light of",
    "as such",
];

/// The consensus and transition phrases as one list (consensus first), word-bounded and
/// ASCII-case-insensitive; [`style_features_with`] reads its hits.
pub fn phrase_set() -> PhraseSet {
    PhraseSet::new(CONSENSUS_PHRASES.iter().chain(TRANS_PHRASES).copied(), false)
}

fn phrase_matcher() -> &'static PhraseMatcher {
    static M: OnceLock<PhraseMatcher> = OnceLock::new();
    M.get_or_init(|| PhraseMatcher::new(&[phrase_set()]).expect("style phrases are never empty"))
}

/// Page chrome line openings (matched at line start, short lines only).
const CHROME_PREFIXES: &[&str] = &[
    "previous article",
    "next article",
    "previous post",
    "next post",
    "prev article",
    "comments",
    "comment",
    "leave a comment",
    "leave a reply",
    "add comment",
    "post a comment",
    "latest stories",
    "latest news",
    "latest posts",
    "latest articles",
    "popular posts",
    "popular stories",
    "most popular",
    "most read",
    "related posts",
    "related articles",
    "related stories",
    "related:",
    "related news",
    "share this",
    "share on",
    "share:",
    "share",
    "read more",
    "read also",
    "also read",
    "read next",
    "continue reading",
    "subscribe",
    "sign up",
    "advertisement",
    "sponsored",
    "click here",
    "follow us",
    "newsletter",
    "no time to read",
    "get a summary",
    "you may also like",
    "you might also like",
    "recommended",
    "trending",
    "tags:",
    "tagged",
    "posted by",
    "posted in",
    "filed under",
    "by admin",
    "©",
    "copyright",
    "all rights reserved",
    "powered by",
    "loading",
    "view comments",
    "see also",
    "more from",
    "more stories",
    "back to top",
    "skip to content",
    "tweet",
    "email this",
    "print this",
];
/// Heading-like line openings (short lines not ending in '.').
const HEADING_PREFIXES: &[&str] = &[
    "key takeaways",
    "key takeaway",
    "takeaways",
    "analysis",
    "did you know",
    "in conclusion",
    "conclusion",
    "summary",
    "background",
    "introduction",
    "overview",
    "what we know",
    "what's next",
    "what’s next",
    "why it matters",
    "the bottom line",
    "bottom line",
    "tl;dr",
    "tldr",
    "highlights",
    "at a glance",
    "key points",
    "the big picture",
    "what happened",
    "what to know",
    "quick facts",
    "fast facts",
    "editor's note",
    "update:",
    "breaking:",
    "headline:",
    "title:",
    "rewritten:",
    "final thoughts",
    "faq",
];

fn line_ac() -> &'static (AhoCorasick, usize) {
    static AC: OnceLock<(AhoCorasick, usize)> = OnceLock::new();
    AC.get_or_init(|| {
        let pats: Vec<&str> = CHROME_PREFIXES.iter().chain(HEADING_PREFIXES).copied().collect();
        let ac = AhoCorasickBuilder::new()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&pats)
            .expect("line automaton");
        (ac, CHROME_PREFIXES.len())
    })
}

// ---------------------------------------------------------------------------------------------
// Extraction

struct FwCounts([u32; 64]);

impl Default for FwCounts {
    fn default() -> Self {
        FwCounts([0; 64])
    }
}

#[derive(Default)]
struct Acc {
    // words
    words: u32,
    letters: u64,
    long_words: u32,
    numbers: u32,
    capitalized: u32,
    all_caps: u32,
    contractions: u32,
    attr: u32,
    intens: u32,
    eval: u32,
    hedge: u32,
    we: u32,
    you: u32,
    i: u32,
    trans: u32,
    day: u32,
    fw: FwCounts,
    // sentences
    sentences: u32,
    sent_sum: f64,
    sent_sumsq: f64,
    first_sentence_words: u32,
    questions: u32,
    exclamations: u32,
    reader_questions: u32,
    trailing_attr: u32,
    // current sentence
    cur_words: u32,
    cur_you: bool,
    cur_last_attr: u32, // 1-based word index of last attribution word in sentence, 0 = none
    // punctuation / quotes
    chars: u64,
    quoted_chars: u64,
    quote_spans: u32,
    commas: u32,
    semicolons: u32,
    colons: u32,
    dashes: u32,
    parens: u32,
    // lines
    paragraphs: u32,
    headings: u32,
    lists: u32,
    chrome: u32,
    dateline: bool,
}

/// Per-word scanning state (stack only).
struct Word {
    active: bool,
    len: usize,
    buf: [u8; 16],
    ascii: bool,
    letters: u32,
    upper: u32,
    digits: u32,
    first_upper: bool,
    apos: bool,
}

impl Word {
    const fn new() -> Self {
        Word {
            active: false,
            len: 0,
            buf: [0; 16],
            ascii: true,
            letters: 0,
            upper: 0,
            digits: 0,
            first_upper: false,
            apos: false,
        }
    }
    #[inline]
    fn push_ascii(&mut self, c: u8) {
        if !self.active {
            self.active = true;
            self.first_upper = c.is_ascii_uppercase();
        }
        if c.is_ascii_digit() {
            self.digits += 1;
        } else if c.is_ascii_alphabetic() {
            self.letters += 1;
            if c.is_ascii_uppercase() {
                self.upper += 1;
            }
        } else if c == b'\'' {
            self.apos = true;
        }
        if self.len < 16 {
            self.buf[self.len] = c.to_ascii_lowercase();
        }
        self.len += 1;
    }
    #[inline]
    fn push_other_letter(&mut self, upper: bool) {
        if !self.active {
            self.active = true;
            self.first_upper = upper;
        }
        self.ascii = false;
        self.letters += 1;
        if upper {
            self.upper += 1;
        }
        self.len += 1;
    }
}

/// Byte classes for the word loop: one lookup instead of several range tests per byte.
const C_ALPHA: u8 = 1;
const C_UPPER: u8 = 2;
const C_DIGIT: u8 = 4;
const BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b.is_ascii_uppercase() {
            C_ALPHA | C_UPPER
        } else if b.is_ascii_lowercase() {
            C_ALPHA
        } else if b.is_ascii_digit() {
            C_DIGIT
        } else {
            0
        };
        c += 1;
    }
    t
};

/// [`Word::push_ascii`] for the whole run of ASCII letters and digits from `*i`, which must be
/// one: most of the text, so the counters stay in registers for the run.
#[inline]
fn push_ascii_run(w: &mut Word, b: &[u8], i: &mut usize) {
    let first = BYTE_CLASS[b[*i] as usize];
    if !w.active {
        w.active = true;
        w.first_upper = first & C_UPPER != 0;
    }
    let (mut letters, mut upper, mut digits, mut len) = (w.letters, w.upper, w.digits, w.len);
    let mut j = *i;
    while j < b.len() {
        let c = b[j];
        let k = BYTE_CLASS[c as usize];
        if k == 0 {
            break;
        }
        letters += (k & C_ALPHA != 0) as u32;
        upper += (k & C_UPPER != 0) as u32;
        digits += (k & C_DIGIT != 0) as u32;
        if len < 16 {
            w.buf[len] = c | ((k & C_UPPER) << 4);
        }
        len += 1;
        j += 1;
    }
    (w.letters, w.upper, w.digits, w.len) = (letters, upper, digits, len);
    *i = j;
}

impl Acc {
    #[inline]
    /// Count the finished word; returns its lexicon flags (0 if not looked up).
    fn end_word(&mut self, w: &mut Word, table: &WordTable) -> u16 {
        if !w.active {
            return 0;
        }
        let mut flags = 0u16;
        self.words += 1;
        self.cur_words += 1;
        if w.digits > 0 {
            self.numbers += 1;
        }
        if w.letters > 0 {
            self.letters += w.letters as u64;
            if w.letters >= 7 {
                self.long_words += 1;
            }
            if w.first_upper {
                if self.cur_words > 1 {
                    self.capitalized += 1;
                }
                if w.upper == w.letters && w.letters >= 2 {
                    self.all_caps += 1;
                }
            }
            // Acronyms ("US", "IT", "AM") are not pronouns / function words.
            let acronym = w.upper == w.letters && w.letters >= 2;
            if w.ascii && w.len <= 16 && w.digits == 0 && !acronym {
                let (fw, fl) = table.get(u128::from_le_bytes(w.buf));
                flags = fl;
                // Capitalized mid-sentence "May" is the month, not a hedge.
                if w.first_upper && self.cur_words > 1 {
                    flags &= !F_HEDGE;
                }
                if fw != NO_FW {
                    self.fw.0[fw as usize] += 1;
                }
                if flags != 0 {
                    if flags & F_ATTR != 0 {
                        self.attr += 1;
                        self.cur_last_attr = self.cur_words;
                    }
                    if flags & F_INTENS != 0 {
                        self.intens += 1;
                    }
                    if flags & F_EVAL != 0 {
                        self.eval += 1;
                    }
                    if flags & F_HEDGE != 0 {
                        self.hedge += 1;
                    }
                    if flags & F_WE != 0 {
                        self.we += 1;
                    }
                    if flags & F_YOU != 0 {
                        self.you += 1;
                        self.cur_you = true;
                    }
                    if flags & F_I != 0 {
                        self.i += 1;
                    }
                    if flags & F_TRANS != 0 {
                        self.trans += 1;
                    }
                    if flags & F_DAY != 0 {
                        self.day += 1;
                    }
                }
            }
            if w.apos && w.ascii && w.len <= 16 {
                let b = &w.buf[..w.len];
                if b.ends_with(b"n't")
                    || b.ends_with(b"'re")
                    || b.ends_with(b"'ve")
                    || b.ends_with(b"'ll")
                    || b.ends_with(b"'m")
                    || b.ends_with(b"'d")
                {
                    self.contractions += 1;
                }
            }
        }
        *w = Word::new();
        flags
    }

    #[inline]
    fn end_sentence(&mut self, question: bool, exclamation: bool) {
        if self.cur_words == 0 {
            return;
        }
        let n = self.cur_words as f64;
        if self.sentences == 0 {
            self.first_sentence_words = self.cur_words;
        }
        self.sentences += 1;
        self.sent_sum += n;
        self.sent_sumsq += n * n;
        if question {
            self.questions += 1;
            if self.cur_you {
                self.reader_questions += 1;
            }
        }
        if exclamation {
            self.exclamations += 1;
        }
        if self.cur_last_attr > 0 && self.cur_last_attr + 4 >= self.cur_words {
            self.trailing_attr += 1;
        }
        self.cur_words = 0;
        self.cur_you = false;
        self.cur_last_attr = 0;
    }
}

/// Result of scanning one line (for line-level classification).
struct LineInfo {
    words: u32,
    lower_long_words: u32,
}

#[inline]
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '”' | '’' | '»')
}

/// Number of chars in a UTF-8 byte slice (non-continuation bytes).
#[inline]
fn char_count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| (c as i8) >= -0x40).count()
}

/// Scan one non-empty, trimmed line: words, sentences, punctuation, quotes.
#[allow(unused_assignments)]
fn scan_line(line: &str, acc: &mut Acc, table: &WordTable) -> LineInfo {
    let b = line.as_bytes();
    let n = b.len();
    let mut w = Word::new();
    let mut info = LineInfo { words: 0, lower_long_words: 0 };
    let mut in_straight = false;
    let mut in_curly = false;
    // byte offset where the current quoted span's content starts
    let mut quote_from = 0usize;
    // bytes, less the continuation bytes of each non-ASCII character (below)
    acc.chars += n as u64;
    macro_rules! set_quote {
        ($straight:expr, $curly:expr, $at:expr, $after:expr) => {{
            let was = in_straight || in_curly;
            in_straight = $straight;
            in_curly = $curly;
            let now = in_straight || in_curly;
            if !was && now {
                quote_from = $after;
            } else if was && !now {
                acc.quoted_chars += char_count(&b[quote_from..$at]) as u64;
            }
        }};
    }
    let mut i = 0usize;
    // Tracks the word that ended right before the current byte (for abbreviation checks).
    let mut last_word_end = usize::MAX;
    let mut last_word_short_cap = false;
    let mut last_word_abbr = false;

    macro_rules! finish_word {
        () => {
            if w.active {
                last_word_end = i;
                last_word_short_cap = w.letters == 1 && w.digits == 0 && w.len == 1;
                info.words += 1;
                if !w.first_upper && w.letters >= 4 {
                    info.lower_long_words += 1;
                }
                last_word_abbr = acc.end_word(&mut w, table) & F_ABBR != 0;
            }
        };
    }

    while i < n {
        let c = b[i];
        if c < 0x80 {
            if c.is_ascii_alphanumeric() {
                push_ascii_run(&mut w, b, &mut i);
                continue;
            }
            // apostrophe inside a word ("don't"), decimal point / thousands separator in numbers
            if w.active && i + 1 < n {
                let next = b[i + 1];
                if (c == b'\'' && next.is_ascii_alphabetic() && w.letters > 0)
                    || ((c == b'.' || c == b',') && w.digits > 0 && w.letters == 0 && next.is_ascii_digit())
                {
                    w.push_ascii(c);
                    i += 1;
                    continue;
                }
            }
            finish_word!();
            match c {
                b'"' => {
                    set_quote!(!in_straight, in_curly, i, i + 1);
                    if in_straight {
                        acc.quote_spans += 1;
                    }
                    i += 1;
                    continue;
                }
                b'.' | b'!' | b'?' => {
                    let start = i;
                    let mut q = false;
                    let mut ex = false;
                    while i < n && matches!(b[i], b'.' | b'!' | b'?') {
                        q |= b[i] == b'?';
                        ex |= b[i] == b'!';
                        i += 1;
                    }
                    let run = i - start;
                    let abbrev = run == 1
                        && b[start] == b'.'
                        && last_word_end == start
                        && (last_word_short_cap || last_word_abbr);
                    if !abbrev {
                        // boundary if followed (after closing quotes/brackets) by space or end
                        let rest = &line[i..];
                        let mut boundary = true;
                        for ch in rest.chars() {
                            if is_closer(ch) {
                                continue;
                            }
                            boundary = ch.is_whitespace();
                            break;
                        }
                        if boundary {
                            acc.end_sentence(q, ex);
                        }
                    }
                    continue;
                }
                b',' => acc.commas += 1,
                b';' => acc.semicolons += 1,
                b':' => acc.colons += 1,
                b'(' => acc.parens += 1,
                b'-' => {
                    if i + 1 < n && b[i + 1] == b'-' {
                        acc.dashes += 1;
                        i += 2;
                        while i < n && b[i] == b'-' {
                            i += 1;
                        }
                        continue;
                    } else if i > 0 && b[i - 1] == b' ' && i + 1 < n && b[i + 1] == b' ' {
                        acc.dashes += 1;
                    }
                }
                _ => {}
            }
            i += 1;
        } else {
            // non-ASCII: decode one char
            let ch = line[i..].chars().next().unwrap_or('\u{FFFD}');
            let len = ch.len_utf8();
            acc.chars -= len as u64 - 1;
            match ch {
                '’' | 'ʼ' if w.active && w.letters > 0 && i + len < n && b[i + len].is_ascii_alphabetic() =>
                {
                    w.push_ascii(b'\'');
                }
                '“' | '„' | '«' => {
                    finish_word!();
                    if !in_curly {
                        acc.quote_spans += 1;
                    }
                    set_quote!(in_straight, true, i, i + len);
                }
                '”' | '»' => {
                    finish_word!();
                    set_quote!(in_straight, false, i, i + len);
                }
                '—' | '–' | '―' => {
                    finish_word!();
                    acc.dashes += 1;
                }
                '…' => {
                    finish_word!();
                }
                c2 if c2.is_alphanumeric() => {
                    w.push_other_letter(c2.is_uppercase());
                }
                _ => {
                    finish_word!();
                }
            }
            i += len;
        }
    }
    finish_word!();
    set_quote!(false, false, n, n);
    // A line break always closes the sentence (headings, list items, unterminated paragraphs).
    let last = line.chars().next_back().unwrap_or(' ');
    acc.end_sentence(last == '?', last == '!');
    info
}

/// Dateline at the start of a line: an ALL-CAPS place, optional ", Month D" / ", State" and
/// "(...)" parts, then a dash: `SEOUL, May 5 -`, `PYONGYANG, March 3 --`, `WASHINGTON (x) —`,
/// `NEW YORK -`, `TEHRAN- `.
fn is_dateline(line: &str) -> bool {
    let b = line.as_bytes();
    let n = b.len();
    let mut i = 0;
    let mut run = 0;
    let mut max_run = 0;
    while i < n && i < 40 {
        let c = b[i];
        if c.is_ascii_uppercase() {
            run += 1;
            max_run = max_run.max(run);
            i += 1;
        } else if ((c == b' ' || c == b'-') && i + 1 < n && b[i + 1].is_ascii_uppercase())
            || c == b'.'
            || c == b'\''
        {
            run = 0;
            i += 1;
        } else {
            break;
        }
    }
    if max_run < 3 || i >= n {
        return false;
    }
    // Qualifier segment: ", Month D", ", Calif.", " (...)", up to 40 bytes, then a dash.
    let rest = &line[i..];
    let first = rest.as_bytes()[0];
    if !matches!(first, b',' | b' ' | b'(' | b'-' | b'/') && !rest.starts_with('—') && !rest.starts_with('–')
    {
        return false;
    }
    let mut words_in_qual = 0;
    let mut prev_space = true;
    for (j, ch) in rest.char_indices() {
        if j > 45 {
            return false;
        }
        match ch {
            '-' | '—' | '–' => {
                // dash must be followed by whitespace (or be '--' / an em dash)
                let after = &rest[j + ch.len_utf8()..];
                let nxt = after.chars().next().unwrap_or(' ');
                return nxt.is_whitespace() || nxt == '-' || ch != '-';
            }
            ',' | '.' | '(' | ')' | '/' => prev_space = true,
            c if c.is_whitespace() => prev_space = true,
            c if c.is_alphanumeric() => {
                if prev_space {
                    words_in_qual += 1;
                    if words_in_qual > 5 {
                        return false;
                    }
                }
                prev_space = false;
            }
            _ => return false,
        }
    }
    false
}

fn is_list_line(line: &str) -> bool {
    let b = line.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'-' | b'*' | b'+') && b[1] == b' ' {
        return true;
    }
    if line.starts_with('•') || line.starts_with('▪') || line.starts_with('●') || line.starts_with('◦')
    {
        return true;
    }
    // "1. ", "12) "
    let mut i = 0;
    while i < b.len() && i < 3 && b[i].is_ascii_digit() {
        i += 1;
    }
    i > 0 && i + 1 < b.len() && matches!(b[i], b'.' | b')') && b[i + 1] == b' '
}

#[inline]
fn rate100(count: u32, words: f64) -> f32 {
    if words <= 0.0 { 0.0 } else { ((count as f64) * 100.0 / words).min(100.0) as f32 }
}

#[inline]
fn ratio(num: f64, den: f64, cap: f64) -> f32 {
    if den <= 0.0 { 0.0 } else { (num / den).clamp(0.0, cap) as f32 }
}

#[inline]
fn log1p_count(c: u32) -> f32 {
    (c as f32).ln_1p()
}

/// Compute the style feature vector (`STYLE_FEATURE_NAMES` order). Finite, bounded, deterministic.
pub fn style_features(text: &str) -> Vec<f32> {
    style_features_with(text, phrase_matcher().scan(text).set(0))
}

/// [`style_features`], given the matches of [`phrase_set`] in `text`.
pub fn style_features_with(text: &str, phrase_hits: &[Hit]) -> Vec<f32> {
    let table = word_table();
    let (line_ac, n_chrome) = line_ac();
    let mut acc = Acc::default();

    for raw in text.split('\n') {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        acc.paragraphs += 1;
        if acc.paragraphs <= 2 && !acc.dateline && is_dateline(line) {
            acc.dateline = true;
        }
        let list = is_list_line(line);
        let info = scan_line(line, &mut acc, table);
        if list {
            acc.lists += 1;
            continue;
        }
        if info.words == 0 || info.words > 12 {
            continue;
        }
        let body = line.trim_start_matches('#').trim_start();
        let prefix = line_ac
            .find(Input::new(body).anchored(Anchored::Yes))
            .map(|m| (m.pattern().as_usize() < *n_chrome, m.end()));
        // word boundary after the matched prefix
        let prefix = prefix.filter(|&(chrome, end)| {
            let rest = &body[end..];
            if chrome {
                end == body.len()
                    || !body.as_bytes()[end].is_ascii_alphanumeric()
                    || body.as_bytes()[end - 1] == b':'
            } else {
                // a heading keyword must stand alone ("Key Takeaways", "Did You Know?") or
                // introduce a colon ("Analysis: ...")
                rest.trim_start().starts_with(':') || rest.chars().all(|c| !c.is_alphanumeric())
            }
        });
        if matches!(prefix, Some((true, _))) && info.words <= 8 {
            acc.chrome += 1;
            continue;
        }
        let last = line.chars().next_back().unwrap_or('.');
        let ends_prose = matches!(last, '.' | ',' | ';' | '"' | '”' | '\'' | '’' | ')');
        if ends_prose {
            continue;
        }
        let heading = line.starts_with('#')
            || (last == ':' && info.words <= 8)
            || matches!(prefix, Some((false, _)))
            || (info.lower_long_words == 0 && acc.paragraphs > 0 && !acc.dateline_line(line));
        if heading {
            acc.headings += 1;
        }
    }

    // Multi-word phrases (word-bounded, ASCII case-insensitive).
    let bytes = text.as_bytes();
    let mut consensus = 0u32;
    let mut trans_phr = 0u32;
    for m in phrase_hits {
        let (s, e) = (m.start, m.end);
        let ok_start = s == 0 || !bytes[s - 1].is_ascii_alphanumeric();
        let ok_end = e == bytes.len() || !bytes[e].is_ascii_alphanumeric();
        if ok_start && ok_end {
            if m.pattern < CONSENSUS_PHRASES.len() {
                consensus += 1;
            } else {
                trans_phr += 1;
            }
        }
    }

    let words = acc.words as f64;
    let sents = acc.sentences as f64;
    let paras = acc.paragraphs as f64;
    let mean_sent = if sents > 0.0 { acc.sent_sum / sents } else { 0.0 };
    let var_sent = if sents > 0.0 { (acc.sent_sumsq / sents - mean_sent * mean_sent).max(0.0) } else { 0.0 };
    let alpha_words = (acc.words - acc.numbers.min(acc.words)) as f64;

    let mut out = Vec::with_capacity(STYLE_FEATURE_NAMES.len());
    out.push(ratio(acc.attr as f64, sents, 5.0)); // attribution_per_sentence
    out.push(ratio(acc.trailing_attr as f64, sents, 1.0)); // trailing_attribution_share
    out.push(ratio(acc.quoted_chars as f64, acc.chars as f64, 1.0)); // quote_share
    out.push(ratio(acc.quote_spans as f64, sents, 5.0)); // quote_spans_per_sentence
    out.push(if acc.dateline { 1.0 } else { 0.0 }); // dateline_start
    out.push(mean_sent.min(150.0) as f32); // mean_sentence_words
    out.push(var_sent.sqrt().min(150.0) as f32); // sd_sentence_words
    out.push((acc.first_sentence_words as f32).min(150.0)); // first_sentence_words
    out.push(ratio(sents, paras, 50.0)); // mean_paragraph_sentences
    out.push(if acc.paragraphs == 1 { 1.0 } else { 0.0 }); // single_paragraph
    out.push(log1p_count(acc.paragraphs)); // paragraph_count_log
    out.push(log1p_count(acc.words)); // words_log
    out.push(ratio(acc.letters as f64, alpha_words, 30.0)); // mean_word_len
    out.push(ratio(acc.long_words as f64, words, 1.0)); // long_word_share
    out.push(rate100(acc.we, words)); // first_person_plural_rate
    out.push(rate100(acc.i, words)); // first_person_singular_rate
    out.push(rate100(acc.you, words)); // second_person_rate
    out.push(rate100(acc.intens, words)); // intensifier_rate
    out.push(rate100(acc.eval, words)); // evaluative_adj_rate
    out.push(rate100(acc.hedge, words)); // hedge_rate
    out.push(rate100(acc.trans + trans_phr, words)); // transition_rate
    out.push(rate100(consensus, words)); // consensus_rate
    out.push(rate100(acc.contractions, words)); // contraction_rate
    out.push(rate100(acc.day, words)); // weekday_rate
    out.push(log1p_count(acc.headings)); // heading_lines
    out.push(log1p_count(acc.lists)); // list_lines
    out.push(log1p_count(acc.chrome)); // chrome_lines
    out.push(log1p_count(acc.reader_questions)); // reader_questions
    out.push(ratio(acc.questions as f64, sents, 1.0)); // question_rate
    out.push(ratio(acc.exclamations as f64, sents, 1.0)); // exclamation_rate
    out.push(rate100(acc.numbers, words)); // number_rate
    out.push(rate100(acc.capitalized, words)); // capitalized_rate
    out.push(rate100(acc.all_caps, words)); // all_caps_rate
    out.push(ratio(acc.commas as f64, sents, 20.0)); // commas_per_sentence
    out.push(rate100(acc.semicolons, words)); // semicolon_rate
    out.push(rate100(acc.colons, words)); // colon_rate
    out.push(rate100(acc.dashes, words)); // dash_rate
    out.push(rate100(acc.parens, words)); // paren_rate
    debug_assert_eq!(out.len(), N_CORE);
    for k in 0..FUNCTION_WORDS.len() {
        out.push(rate100(acc.fw.0[k], words));
    }
    debug_assert_eq!(out.len(), STYLE_FEATURE_NAMES.len());
    for v in out.iter_mut() {
        if !v.is_finite() {
            *v = 0.0;
        }
    }
    out
}

impl Acc {
    /// A dateline-only opening line ("NEW YORK") is not a heading.
    fn dateline_line(&self, line: &str) -> bool {
        self.paragraphs <= 2 && line.len() <= 30 && !line.bytes().any(|c| c.is_ascii_lowercase())
    }
}

// ---------------------------------------------------------------------------------------------
// Standardization

/// Z-score scaler for style features (std floor 1e-6, output clipped to [-5, 5]).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StyleScaler {
    pub mean: Vec<f32>,
    pub std: Vec<f32>,
}

impl StyleScaler {
    /// Fit column means and standard deviations. Rows must have equal length; empty input gives
    /// an empty scaler (transform is then the identity-and-clip on zero columns).
    pub fn fit(rows: &[Vec<f32>]) -> Self {
        Self::fit_rows(rows)
    }

    /// [`fit`](Self::fit) on rows held any way (`Vec<f32>`, `&[f32]`).
    pub fn fit_rows<R: AsRef<[f32]>>(rows: &[R]) -> Self {
        let d = rows.first().map_or(0, |r| r.as_ref().len());
        let mut mean = vec![0f64; d];
        let mut m2 = vec![0f64; d];
        let mut n = 0f64;
        for r in rows {
            n += 1.0;
            for (j, &x) in r.as_ref().iter().take(d).enumerate() {
                let x = if x.is_finite() { x as f64 } else { 0.0 };
                let delta = x - mean[j];
                mean[j] += delta / n;
                m2[j] += delta * (x - mean[j]);
            }
        }
        let std = m2.iter().map(|&s| if n > 0.0 { ((s / n).sqrt() as f32).max(1e-6) } else { 1.0 }).collect();
        StyleScaler { mean: mean.into_iter().map(|m| m as f32).collect(), std }
    }

    /// In-place z-score then clip to [-5, 5]. Extra trailing values beyond the fitted width are
    /// left untouched; non-finite inputs become 0.
    pub fn transform(&self, x: &mut [f32]) {
        for (j, v) in x.iter_mut().enumerate().take(self.mean.len()) {
            let z = (*v - self.mean[j]) / self.std[j].max(1e-6);
            *v = if z.is_finite() { z.clamp(-5.0, 5.0) } else { 0.0 };
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn feat(text: &str, name: &str) -> f32 {
        let i = STYLE_FEATURE_NAMES.iter().position(|n| *n == name).expect(name);
        style_features(text)[i]
    }

    #[test]
    fn names_are_consistent() {
        assert_eq!(STYLE_FEATURE_NAMES.len(), N_CORE + FUNCTION_WORDS.len());
        assert_eq!(STYLE_FEATURE_NAMES[N_CORE], "fw_the");
        for (k, w) in FUNCTION_WORDS.iter().enumerate() {
            assert_eq!(STYLE_FEATURE_NAMES[N_CORE + k], format!("fw_{w}"));
        }
        let mut seen = std::collections::HashSet::new();
        for n in STYLE_FEATURE_NAMES {
            assert!(seen.insert(*n), "duplicate {n}");
            assert!(n.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_'));
        }
    }

    const WIRE: &str = "LISBON, Feb 9 - The harbour authority said on Tuesday it would close two \
piers for repairs, a spokesman told reporters.\n\n\"We expect the work to take three weeks,\" \
the spokesman said. Shipping agents said delays were likely, according to a statement.\n\n\
Port traffic fell 4.5 percent in January, the authority added.";

    #[test]
    fn wire_paragraph() {
        assert_eq!(feat(WIRE, "dateline_start"), 1.0);
        assert!(feat(WIRE, "attribution_per_sentence") >= 1.0, "{}", feat(WIRE, "attribution_per_sentence"));
        assert!(feat(WIRE, "trailing_attribution_share") > 0.3);
        assert!(feat(WIRE, "quote_share") > 0.05);
        assert!(feat(WIRE, "number_rate") > 0.0);
        assert!(feat(WIRE, "weekday_rate") > 0.0);
        assert_eq!(feat(WIRE, "paragraph_count_log"), 4f32.ln());
        assert_eq!(feat(WIRE, "heading_lines"), 0.0);
        assert_eq!(feat(WIRE, "chrome_lines"), 0.0);
    }

    #[test]
    fn dateline_variants() {
        for s in [
            "SEOUL, May 5 - Officials met.",
            "PYONGYANG, March 3 -- Officials met.",
            "WASHINGTON (dateline) — Officials met.",
            "NEW YORK - Officials met.",
            "TEHRAN- Officials met.",
            "BEIJING, Nov. 11 -- A spokesperson said.",
            "SALEM, Ore. — Officials met.",
            "WASHINGTON—Officials met.",
        ] {
            assert!(is_dateline(s), "{s}");
        }
        for s in [
            "Officials met in Seoul - quietly.",
            "A US-led coalition - it said.",
            "Washington D.C. - Officials met.",
            "I - am here",
            "NASA said on Monday that the launch - planned for May - was delayed.",
            "",
        ] {
            assert!(!is_dateline(s), "{s}");
        }
        assert_eq!(feat("Officials met on Monday, they said.", "dateline_start"), 0.0);
    }

    const AGG: &str = "# Ten Things About Garden Snails\n\nGarden snails are truly amazing \
creatures, and you will absolutely love them! Did you know they can sleep for years?\n\n\
Key Takeaways\n\n- Snails are very slow.\n- They love wet weather.\n* They are incredibly quiet.\n\
1. Feed them lettuce.\n\nIn conclusion, snails are great. What do you think?\n\n\
Previous Article\nNext Article\nShare this:\nComments";

    #[test]
    fn aggregator_page() {
        assert_eq!(feat(AGG, "heading_lines"), 2f32.ln_1p(), "heading");
        assert_eq!(feat(AGG, "list_lines"), 4f32.ln_1p(), "list");
        assert_eq!(feat(AGG, "chrome_lines"), 4f32.ln_1p(), "chrome");
        assert_eq!(feat(AGG, "reader_questions"), 2f32.ln_1p());
        assert!(feat(AGG, "intensifier_rate") > 3.0);
        assert!(feat(AGG, "evaluative_adj_rate") > 1.0);
        assert!(feat(AGG, "second_person_rate") > 2.0);
        assert!(feat(AGG, "transition_rate") > 0.0);
        assert!(feat(AGG, "exclamation_rate") > 0.0);
        assert_eq!(feat(AGG, "dateline_start"), 0.0);
    }

    #[test]
    fn quote_share_known() {
        // 40 chars total; `hello there` = 11 chars inside straight quotes.
        let s = "He said \"hello there\" to the crowd today";
        assert_eq!(s.chars().count(), 40);
        assert!((feat(s, "quote_share") - 11.0 / 40.0).abs() < 1e-6);
        // curly quotes: 5 of 11 chars
        let c = "A “bcde” fg";
        assert_eq!(c.chars().count(), 11);
        assert!((feat(c, "quote_share") - 4.0 / 11.0).abs() < 1e-6);
        assert_eq!(feat("No quotes here at all.", "quote_share"), 0.0);
    }

    #[test]
    fn sentences_and_abbreviations() {
        let s = "Mr. Smith went to Washington on Jan. 5. He said the U.S. plan was fine. Really?";
        let i = |n: &str| STYLE_FEATURE_NAMES.iter().position(|x| *x == n).unwrap();
        let f = style_features(s);
        // 3 sentences, 1 paragraph
        assert_eq!(f[i("mean_paragraph_sentences")], 3.0);
        assert_eq!(f[i("single_paragraph")], 1.0);
        assert!((f[i("question_rate")] - 1.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn consensus_and_function_words() {
        let s = "As is well known, the plan of the party is right. No one can deny it.";
        assert!(feat(s, "consensus_rate") > 0.0);
        assert!(feat(s, "fw_the") > 10.0);
        assert!(feat(s, "fw_of") > 0.0);
        assert_eq!(feat("Not well-known at all.", "consensus_rate"), 0.0);
    }

    #[test]
    fn empty_and_whitespace_are_finite() {
        for s in ["", " ", "\n\n\n", "\t \r\n  ", "...", "\"", "“", "-- —", "#", "1."] {
            let f = style_features(s);
            assert_eq!(f.len(), STYLE_FEATURE_NAMES.len());
            assert!(f.iter().all(|v| v.is_finite()), "{s:?}");
        }
        assert!(style_features("").iter().all(|&v| v == 0.0));
    }

    #[test]
    fn deterministic() {
        assert_eq!(style_features(WIRE), style_features(WIRE));
        assert_eq!(style_features(AGG), style_features(AGG));
    }

    #[test]
    fn scaler_fit_transform() {
        let rows = vec![vec![1.0, 5.0, 0.0], vec![3.0, 5.0, 0.0], vec![5.0, 5.0, 1000.0]];
        let sc = StyleScaler::fit(&rows);
        assert_eq!(sc.mean[0], 3.0);
        assert!(sc.std[1] >= 1e-6);
        let mut x = vec![3.0, 5.0, 1e9];
        sc.transform(&mut x);
        assert_eq!(x[0], 0.0);
        assert_eq!(x[1], 0.0);
        assert_eq!(x[2], 5.0);
        let mut y = vec![f32::NAN, -1e30, 2.0];
        sc.transform(&mut y);
        assert!(y.iter().all(|v| v.is_finite() && (-5.0..=5.0).contains(v)));
        assert_eq!(StyleScaler::fit(&[]).mean.len(), 0);
    }

    proptest! {
        #[test]
        fn any_string_finite(s in any::<String>()) {
            let f = style_features(&s);
            prop_assert_eq!(f.len(), STYLE_FEATURE_NAMES.len());
            prop_assert!(f.iter().all(|v| v.is_finite() && *v >= 0.0 && *v <= 150.0));
        }

        /// The run-at-a-time word loop builds the same word as pushing byte by byte.
        #[test]
        fn ascii_run_same_as_byte_by_byte(before in "[a-zA-Z0-9']{0,4}", run in "[a-zA-Z0-9]{1,24}", after in "[ .,'-]{0,3}") {
            let (mut a, mut b) = (Word::new(), Word::new());
            for c in before.bytes() {
                a.push_ascii(c);
                b.push_ascii(c);
            }
            let text = format!("{run}{after}");
            for c in run.bytes() {
                a.push_ascii(c);
            }
            let mut i = 0;
            push_ascii_run(&mut b, text.as_bytes(), &mut i);
            prop_assert_eq!(i, run.len());
            prop_assert_eq!(
                (a.active, a.len, a.buf, a.letters, a.upper, a.digits, a.first_upper, a.apos),
                (b.active, b.len, b.buf, b.letters, b.upper, b.digits, b.first_upper, b.apos)
            );
        }

        /// Characters are counted as bytes less continuation bytes, in the one pass.
        #[test]
        fn line_scan_counts_characters(s in "[A-Za-zÉé .,\"“”’'—…0-9ʼ«»]{1,80}") {
            let mut acc = Acc::default();
            scan_line(&s, &mut acc, word_table());
            prop_assert_eq!(acc.chars, s.chars().count() as u64);
        }

        #[test]
        fn newsy_strings_finite(s in "[A-Za-z .,!?\"“”’'\\-—\n#*•0-9:;()]{0,400}") {
            let f = style_features(&s);
            prop_assert!(f.iter().all(|v| v.is_finite() && *v >= 0.0 && *v <= 150.0));
        }
    }
}
