//! The closed-class word lists (function words, attribution verbs, intensifiers, evaluative
//! adjectives, hedges, pronouns, transitions, weekdays, abbreviations) and the one table the word
//! loop looks each word up in, so a word costs one lookup however many lists there are.
//!
//! Word table: lower-cased word (<= 16 ASCII bytes, packed in a u128) -> (function-word index, flags)

use std::sync::OnceLock;

/// Function words profiled as `fw_<word>` (rate per 100 words), in this order.
pub(super) const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "that", "is", "was", "it", "for", "on", "with", "as", "by", "at",
    "from", "his", "he", "she", "they", "their", "this", "which", "would", "will", "has", "have", "had",
    "been", "not", "but", "or", "an", "be", "are", "were", "also", "its", "said", "her", "who", "there",
    "after", "into", "more", "than", "about", "can", "should",
];

// Which lists a word is on (a word can be on several).
pub(super) const F_ATTR: u16 = 1 << 0;
pub(super) const F_INTENS: u16 = 1 << 1;
pub(super) const F_EVAL: u16 = 1 << 2;
pub(super) const F_HEDGE: u16 = 1 << 3;
pub(super) const F_WE: u16 = 1 << 4;
pub(super) const F_YOU: u16 = 1 << 5;
pub(super) const F_I: u16 = 1 << 6;
pub(super) const F_TRANS: u16 = 1 << 7;
pub(super) const F_DAY: u16 = 1 << 8;
pub(super) const F_ABBR: u16 = 1 << 9;

pub(super) const NO_FW: u8 = u8::MAX;

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

/// What the table holds for a word: its function-word index ([`NO_FW`] if none), its word-list
/// flags and its token id in the masked stream ([`NO_KEPT`] if it is not kept there), so one
/// probe serves both blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct WordInfo {
    pub(super) fw: u8,
    pub(super) flags: u16,
    pub(super) kept: u16,
}

pub(super) const NO_KEPT: u16 = u16::MAX;

pub(super) type WordTable = crate::features::word_table::WordTable<WordInfo, 11>;

/// Packs a listed word (non-empty, at most 16 bytes).
fn pack(word: &str) -> u128 {
    assert!(!word.is_empty());
    crate::features::word_table::pack(word.as_bytes()).expect("listed words have at most 16 bytes")
}

fn build_word_table() -> WordTable {
    let mut t = WordTable::new(WordInfo { fw: NO_FW, flags: 0, kept: NO_KEPT });
    for (i, w) in FUNCTION_WORDS.iter().enumerate() {
        t.entry(pack(w)).fw = i as u8;
    }
    for (i, w) in crate::features::masked::kept_words() {
        t.entry(pack(w)).kept = i;
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
            t.entry(pack(w)).flags |= flag;
        }
    }
    t
}

pub(super) fn word_table() -> &'static WordTable {
    static T: OnceLock<WordTable> = OnceLock::new();
    T.get_or_init(build_word_table)
}
