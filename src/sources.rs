//! Source attribution: whom an article cites.
//!
//! Finds, with byte spans, the sources an article attributes statements to:
//! * outlets and agencies from the gazetteer `data/outlets.csv` ("according to Nodong Sinmun",
//!   "Rodong Sinmun, the ruling party's mouthpiece, said", "told Reuters", "Xinhua reported");
//! * generic state media ("state media reported", "according to the official news agency");
//! * officials, spokespeople and government bodies ("National Security Council spokesman
//!   John Kirby stated", "the Kremlin said", "officials said");
//! * unattributed claims of consensus ("As is well known", "It is a common view of political
//!   analysts").
//!
//! An outlet is only reported when it is *cited*: an attribution cue must link it to a
//! statement (according to X; X said/reported/quoted/stated...; told X; carried by / via /
//! citing X; X, the ... mouthpiece, accused...). Plain mentions are not reported.
//!
//! Gazetteer matching rule: an alias is matched with its exact capitalisation when it is at
//! most 4 characters long, a single word, or two words starting with "The" ("AP", "RT",
//! "Time", "Guardian", "The Hill"); any other alias is matched ASCII-case-insensitively.
//! Matches must sit on word boundaries; the longest alias wins. Straight and curly
//! apostrophes are interchangeable.

use std::sync::OnceLock;

use crate::phrases::{Hit, MatcherCell, PhraseHits, PhraseMatcher, PhraseSet};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};

/// What kind of source an attribution points to.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A named outlet or agency from the gazetteer.
    Outlet,
    /// An official, spokesperson or government body.
    Official,
    /// An unattributed claim of consensus.
    Consensus,
    /// "state media", "the official news agency" and the like, unnamed.
    StateMediaGeneric,
}

/// One attribution found in a text.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Attribution {
    pub kind: SourceKind,
    /// Canonical outlet name, the official's name/title, or the consensus phrase.
    pub name: String,
    /// Gazetteer type (state, wire, broadcaster, newspaper, aggregator) for outlets;
    /// "state" for generic state media.
    pub outlet_type: Option<String>,
    pub country: Option<String>,
    /// Byte span of the whole attribution (source + cue) in the text.
    pub start: usize,
    pub end: usize,
    /// The attribution cue: "according to", "told", "said", "reported", "mouthpiece", ...
    pub cue: String,
}

/// Count of attributions to one source.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SourceCount {
    pub name: String,
    pub kind: SourceKind,
    pub outlet_type: Option<String>,
    pub count: usize,
}

/// One gazetteer row.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Outlet {
    pub name: String,
    pub aliases: Vec<String>,
    pub outlet_type: String,
    pub country: String,
}

pub const OUTLET_TYPES: &[&str] = &["state", "wire", "broadcaster", "newspaper", "aggregator"];

/// Outlet gazetteer with compiled matchers.
pub struct Gazetteer {
    outlets: Vec<Outlet>,
    /// Case-sensitive aliases (short ones and single words: "AP", "RT") and the rest, with the
    /// outlet of each pattern.
    exact: Vec<String>,
    exact_of: Vec<usize>,
    folded: Vec<String>,
    folded_of: Vec<usize>,
    /// [`Gazetteer::phrase_sets`] compiled on first use, for callers that do not scan for
    /// phrases themselves (`score` scans them beside the feature lists instead).
    matcher: MatcherCell,
}

/// What the outlet finder needs from a phrase scan over [`Gazetteer::phrase_sets`]: the matches
/// of its three lists.
#[derive(Debug, Clone, Copy)]
pub struct OutletHits<'a> {
    pub exact: &'a [Hit],
    pub folded: &'a [Hit],
    pub generic: &'a [Hit],
}

impl<'a> OutletHits<'a> {
    /// The three lists' matches, when they are sets `first`, `first + 1` and `first + 2` of `hits`.
    pub fn from_sets(hits: &'a PhraseHits, first: usize) -> Self {
        OutletHits { exact: hits.set(first), folded: hits.set(first + 1), generic: hits.set(first + 2) }
    }
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer").field("outlets", &self.outlets.len()).finish()
    }
}

fn case_sensitive(alias: &str) -> bool {
    let words: Vec<&str> = alias.split_whitespace().collect();
    alias.chars().count() <= 4 || words.len() == 1 || (words.len() == 2 && words[0] == "The")
}

impl Gazetteer {
    /// The gazetteer compiled into the binary (`data/outlets.csv`).
    pub fn builtin() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| {
            Gazetteer::from_csv(include_str!("../data/outlets.csv"))
                .expect("built-in data/outlets.csv is valid")
        })
    }

    /// Parse `name,aliases,type,country` CSV (aliases separated by `|`).
    pub fn from_csv(text: &str) -> Result<Gazetteer, String> {
        let mut rdr =
            csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text.as_bytes());
        let headers = rdr.headers().map_err(|e| format!("outlets CSV line 1: {e}"))?.clone();
        let want = ["name", "aliases", "type", "country"];
        if headers.len() != 4 || headers.iter().zip(want).any(|(h, w)| h.trim() != w) {
            return Err(format!(
                "outlets CSV line 1: header must be name,aliases,type,country, got {:?}",
                headers.iter().collect::<Vec<_>>()
            ));
        }
        let mut outlets = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                format!("outlets CSV line {line}: {e}")
            })?;
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            let name = rec[0].trim().to_string();
            if name.is_empty() {
                return Err(format!("outlets CSV line {line}: empty name"));
            }
            let ty = rec[2].trim().to_string();
            if !OUTLET_TYPES.contains(&ty.as_str()) {
                return Err(format!(
                    "outlets CSV line {line}: unknown type {ty:?} (expected one of {OUTLET_TYPES:?})"
                ));
            }
            let mut aliases: Vec<String> = Vec::new();
            for a in std::iter::once(name.as_str()).chain(rec[1].split('|')) {
                let a = a.trim();
                if !a.is_empty() && !aliases.iter().any(|x| x == a) {
                    aliases.push(a.to_string());
                }
            }
            outlets.push(Outlet { name, aliases, outlet_type: ty, country: rec[3].trim().to_string() });
        }
        Self::from_outlets(outlets)
    }

    pub fn from_outlets(outlets: Vec<Outlet>) -> Result<Gazetteer, String> {
        let (mut ex, mut ex_of, mut fo, mut fo_of) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, o) in outlets.iter().enumerate() {
            for a in &o.aliases {
                let mut variants = vec![a.clone()];
                if a.contains('\'') {
                    variants.push(a.replace('\'', "\u{2019}"));
                }
                if a.contains('\u{2019}') {
                    variants.push(a.replace('\u{2019}', "'"));
                }
                for v in variants {
                    if case_sensitive(a) {
                        ex.push(v);
                        ex_of.push(i);
                    } else {
                        fo.push(v);
                        fo_of.push(i);
                    }
                }
            }
        }
        if let Some(i) = ex.iter().chain(&fo).position(|p| p.is_empty()) {
            return Err(format!("outlet patterns: pattern {i} is empty"));
        }
        let matcher = MatcherCell::default();
        Ok(Gazetteer { exact: ex, exact_of: ex_of, folded: fo, folded_of: fo_of, matcher, outlets })
    }

    fn sets(exact: &[String], folded: &[String]) -> [PhraseSet; 3] {
        [
            PhraseSet::new(exact.iter().cloned(), true),
            PhraseSet::new(folded.iter().cloned(), false),
            PhraseSet::new(GENERIC_STATE.iter().copied(), false),
        ]
    }

    /// The phrase lists the outlet finder reads: case-sensitive aliases, the other aliases and
    /// generic "state media" phrases, to scan beside other lists (see [`OutletHits`]).
    pub fn phrase_sets(&self) -> [PhraseSet; 3] {
        Self::sets(&self.exact, &self.folded)
    }

    /// One scan for this gazetteer's lists alone.
    pub fn scan(&self, text: &str) -> PhraseHits {
        let sets = || {
            PhraseMatcher::new(&self.phrase_sets()).expect("patterns checked when the gazetteer was built")
        };
        self.matcher.get_or_init(sets).scan(text)
    }

    pub fn outlets(&self) -> &[Outlet] {
        &self.outlets
    }

    pub fn len(&self) -> usize {
        self.outlets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.outlets.is_empty()
    }

    /// Outlet by canonical name or alias (exact, then case-insensitive).
    pub fn lookup(&self, name: &str) -> Option<&Outlet> {
        self.outlets
            .iter()
            .find(|o| o.aliases.iter().any(|a| a == name))
            .or_else(|| self.outlets.iter().find(|o| o.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))))
    }

    /// All outlet mentions (cited or not): (start, end, outlet index), non-overlapping.
    fn mentions(&self, text: &str, hits: &OutletHits) -> Vec<(usize, usize, usize)> {
        let mut all: Vec<(usize, usize, usize)> = Vec::new();
        for (found, of) in [(hits.exact, &self.exact_of), (hits.folded, &self.folded_of)] {
            for m in found {
                if word_bounded(text, m.start, m.end) {
                    all.push((m.start, m.end, of[m.pattern]));
                }
            }
        }
        // longest first at equal start, then drop overlaps
        all.sort_by(|a, b| a.0.cmp(&b.0).then((b.1 - b.0).cmp(&(a.1 - a.0))));
        let mut out: Vec<(usize, usize, usize)> = Vec::new();
        for m in all {
            if let Some(last) = out.last() {
                if m.0 < last.1 {
                    continue;
                }
            }
            out.push(m);
        }
        out
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn word_bounded(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    // a trailing possessive "'s" is fine ("Xinhua's report")
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

// ------------------------------------------------------------------ cue lexicons

/// Verbs that make the preceding subject a source.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "stated",
    "states",
    "reported",
    "reports",
    "quoted",
    "quotes",
    "cited",
    "cites",
    "claimed",
    "claims",
    "wrote",
    "writes",
    "noted",
    "notes",
    "added",
    "adds",
    "announced",
    "announces",
    "commented",
    "comments",
    "carried",
    "published",
    "alleged",
    "alleges",
    "asserted",
    "asserts",
    "insisted",
    "insists",
    "warned",
    "warns",
    "told",
    "tells",
    "explained",
    "explains",
    "confirmed",
    "confirms",
    "declared",
    "declares",
    "accused",
    "accuses",
    "urged",
    "urges",
    "denounced",
    "denounces",
    "praised",
    "praises",
    "slammed",
    "slams",
    "criticized",
    "criticised",
    "criticizes",
    "criticises",
    "argued",
    "argues",
    "described",
    "describes",
    "blasted",
    "blasts",
    "stressed",
    "stresses",
    "emphasized",
    "emphasised",
    "emphasizes",
    "emphasises",
    "underlined",
    "underscored",
    "denied",
    "denies",
    "revealed",
    "reveals",
    "disclosed",
    "discloses",
    "indicated",
    "indicates",
    "highlighted",
    "pointed",
    "called",
    "calls",
    "condemned",
    "condemns",
    "lashed",
    "mentioned",
    "observed",
    "remarked",
    "maintained",
];

/// Words that may stand between a subject and its verb ("X on Monday said", "X in a commentary said").
const FILLER: &[&str] = &[
    "on",
    "in",
    "a",
    "an",
    "the",
    "its",
    "his",
    "her",
    "their",
    "late",
    "early",
    "earlier",
    "later",
    "also",
    "further",
    "recently",
    "previously",
    "today",
    "yesterday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "commentary",
    "editorial",
    "article",
    "report",
    "statement",
    "dispatch",
    "signed",
    "piece",
    "has",
    "had",
    "have",
    "was",
    "is",
    "then",
    "last",
    "this",
    "week",
    "month",
    "year",
    "night",
    "morning",
    "evening",
    "separately",
    "publicly",
    "repeatedly",
    "once",
    "again",
];

/// Phrases right before a source that make it cited ("according to X", "told X").
const PRE_CUES: &[(&str, &str)] = &[
    ("according to", "according to"),
    ("told", "told"),
    ("said in an interview with", "interview"),
    ("in an interview with", "interview"),
    ("speaking to", "told"),
    ("speaking with", "told"),
    ("carried by", "carried by"),
    ("published by", "published by"),
    ("reported by", "reported by"),
    ("quoted by", "quoted by"),
    ("cited by", "cited by"),
    ("released by", "released by"),
    ("aired by", "aired by"),
    ("broadcast by", "broadcast by"),
    ("via", "via"),
    ("citing", "citing"),
    ("quoting", "quoting"),
    ("a report by", "report by"),
    ("a report from", "report by"),
    ("a report in", "report in"),
    ("reports by", "report by"),
    ("reports from", "report by"),
    ("reports in", "report in"),
    ("reported in", "reported in"),
    ("reported on", "reported on"),
    ("as reported by", "reported by"),
    ("in comments to", "told"),
    ("in a statement to", "told"),
];

/// Words between a pre-cue and the source ("according to the official ...").
const PRE_FILLER: &[&str] = &[
    "the",
    "a",
    "an",
    "state-run",
    "state-owned",
    "official",
    "government-run",
    "government-controlled",
    "pro-government",
    "state",
    "china's",
    "russia's",
    "iran's",
    "north",
    "korea's",
    "korean",
    "chinese",
    "russian",
    "iranian",
    "news",
    "agency",
    "newspaper",
    "daily",
    "broadcaster",
    "media",
    "outlet",
    "report",
    "reports",
    "dispatch",
    "article",
    "editorial",
    "commentary",
    "by",
    "of",
    "from",
    "in",
    "outlet's",
];

/// Appositive descriptors that mark a state outlet as the voice of power.
const MOUTHPIECE: &[&str] = &[
    "mouthpiece",
    "organ",
    "official newspaper",
    "official news agency",
    "state news agency",
    "state-run",
    "state-owned",
    "state media",
    "newspaper of the",
    "party newspaper",
    "news agency",
];

/// Generic state-media phrases (kind StateMediaGeneric), matched case-insensitively.
const GENERIC_STATE: &[&str] = &[
    "state media",
    "state-run media",
    "state-controlled media",
    "state-owned media",
    "state-affiliated media",
    "state news agency",
    "state-run news agency",
    "state-owned news agency",
    "official news agency",
    "state television",
    "state-run television",
    "state tv",
    "state-run tv",
    "state broadcaster",
    "state-run broadcaster",
    "official media",
    "state newspaper",
    "state-run newspaper",
    "government-run media",
    "government media",
    "party newspaper",
    "party mouthpiece",
    "state outlets",
    "state-run outlets",
    "state press",
    "official press",
    "central news agency",
];

/// Title words that mark an official.
const TITLES: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "spokespeople",
    "spokesmen",
    "spokeswomen",
    "official",
    "officials",
    "minister",
    "ministers",
    "secretary",
    "president",
    "vice",
    "premier",
    "chancellor",
    "ambassador",
    "envoy",
    "diplomat",
    "diplomats",
    "director",
    "chief",
    "chairman",
    "chairwoman",
    "chair",
    "head",
    "commander",
    "general",
    "admiral",
    "governor",
    "mayor",
    "senator",
    "sen.",
    "rep.",
    "representative",
    "lawmaker",
    "lawmakers",
    "adviser",
    "advisor",
    "aide",
    "aides",
    "prosecutor",
    "prosecutors",
    "attorney",
    "judge",
    "police",
    "officer",
    "officers",
    "leader",
    "deputy",
    "press",
    "authorities",
    "administration",
    "ministry",
    "department",
    "government",
    "agency",
    "council",
    "committee",
    "office",
    "embassy",
    "military",
    "army",
    "navy",
    "command",
    "sources",
    "source",
    "king",
    "prince",
    "ministry's",
    "kremlin",
    "pentagon",
    "white",
    "house",
    "secretariat",
    "cabinet",
    "parliament",
    "congressman",
    "congresswoman",
    "cdc",
    "who",
    "un",
    "nato",
    "fbi",
    "cia",
    "kcna",
];

/// Government bodies that speak as officials.
const BODIES: &[&str] = &[
    "the Kremlin",
    "the White House",
    "the Pentagon",
    "the State Department",
    "the Foreign Ministry",
    "the Defense Ministry",
    "the Defence Ministry",
    "the Justice Department",
    "the Home Office",
    "Downing Street",
    "the Elysee",
    "the Élysée",
    "the Blue House",
    "the Foreign Office",
    "the Kremlin's",
];

/// Unattributed consensus phrases (kind Consensus), matched case-insensitively.
const CONSENSUS: &[&str] = &[
    "as is well known",
    "as is widely known",
    "as is known to all",
    "as everyone knows",
    "as we all know",
    "as the whole world knows",
    "as the world knows",
    "it is well known",
    "it is widely known",
    "it is common knowledge",
    "it is a common view",
    "it is the common view",
    "it is a widely held view",
    "it is widely believed",
    "it is generally believed",
    "it is generally acknowledged",
    "it is generally agreed",
    "it is universally acknowledged",
    "it is universally recognized",
    "it is universally recognised",
    "it is widely recognized",
    "it is widely recognised",
    "it is an undeniable fact",
    "it is an indisputable fact",
    "it is an established fact",
    "it is no secret",
    "it is self-evident",
    "it goes without saying",
    "everyone knows",
    "everybody knows",
    "no one can deny",
    "nobody can deny",
    "the whole world knows",
    "the world public unanimously",
    "public opinion holds",
    "analysts say",
    "analysts believe",
    "experts say",
    "experts believe",
    "observers say",
    "observers believe",
    "critics say",
    "many believe",
    "many say",
    "some say",
    "it is said that",
    "it is believed that",
    "there is a consensus",
    "there is broad consensus",
    "there is no doubt that",
    "history proves",
    "history has proved",
    "history has proven",
    "facts prove",
    "reality proves",
];

struct Lexicon {
    consensus: AhoCorasick,
    bodies: AhoCorasick,
    verbs: AhoCorasick,
}

fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(|| {
        let b = |p: &[&str], fold: bool| {
            AhoCorasickBuilder::new()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(fold)
                .build(p)
                .unwrap()
        };
        let verbs: Vec<&str> = SPEECH_VERBS.to_vec();
        Lexicon { consensus: b(CONSENSUS, true), bodies: b(BODIES, true), verbs: b(&verbs, false) }
    })
}

// ------------------------------------------------------------------ text helpers

/// Start of the sentence containing `pos` (after the last ". ", "! ", "? ", or newline).
fn sentence_start(text: &str, pos: usize) -> usize {
    let b = text.as_bytes();
    let mut i = pos;
    while i > 0 {
        let c = b[i - 1];
        if c == b'\n' {
            return i;
        }
        if (c == b'.' || c == b'!' || c == b'?') && i < b.len() && (b[i] == b' ' || b[i] == b'"') {
            // skip abbreviations like "U.S. " or "Mr. " roughly: one/two letters before the dot
            let word_len = text[..i - 1].chars().rev().take_while(|c| c.is_alphabetic()).count();
            let prev_is_dot = i >= 3 && b[i - 3] == b'.';
            if word_len > 3 || (word_len > 1 && !prev_is_dot && !is_abbrev(&text[..i - 1])) {
                return i;
            }
        }
        i -= 1;
    }
    0
}

fn is_abbrev(before: &str) -> bool {
    let w: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    matches!(
        w.as_str(),
        "Mr" | "Mrs"
            | "Ms"
            | "Dr"
            | "St"
            | "Gen"
            | "Sen"
            | "Rep"
            | "Gov"
            | "Lt"
            | "Col"
            | "Sgt"
            | "Jr"
            | "Sr"
            | "No"
            | "Inc"
            | "Co"
    )
}

/// End of the sentence containing `pos`.
fn sentence_end(text: &str, pos: usize) -> usize {
    let b = text.as_bytes();
    let mut i = pos;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            return i;
        }
        if (c == b'.' || c == b'!' || c == b'?')
            && (i + 1 == b.len() || b[i + 1] == b' ' || b[i + 1] == b'\n')
        {
            let word_len = text[..i].chars().rev().take_while(|c| c.is_alphabetic()).count();
            let prev_is_dot = i >= 2 && b[i - 2] == b'.';
            if word_len > 3 || (word_len > 1 && !prev_is_dot && !is_abbrev(&text[..i])) {
                return i;
            }
        }
        i += 1;
    }
    b.len()
}

/// Words (byte start, byte end) in `text[a..b]`, splitting on whitespace and keeping
/// punctuation as separate one-char tokens.
fn words(text: &str, a: usize, b: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text[a..b].char_indices() {
        let i = a + i;
        let wordish = c.is_alphanumeric()
            || c == '\''
            || c == '\u{2019}'
            || c == '-'
            || c == '.'
            || c == '/'
            || c == '&'
            || c == '!';
        if wordish {
            if start.is_none() {
                start = Some(i);
            }
        } else {
            if let Some(s) = start.take() {
                push_word(text, &mut out, s, i);
            }
            if !c.is_whitespace() {
                out.push((i, i + c.len_utf8()));
            }
        }
    }
    if let Some(s) = start {
        push_word(text, &mut out, s, b);
    }
    out
}

fn push_word(text: &str, out: &mut Vec<(usize, usize)>, s: usize, mut e: usize) {
    // trailing sentence dot is punctuation unless the token is an abbreviation like "U.S."
    let w = &text[s..e];
    if w.len() > 1 && w.ends_with('.') && !w[..w.len() - 1].contains('.') && !is_abbrev(&w[..w.len() - 1]) {
        e -= 1;
        out.push((s, e));
        out.push((e, e + 1));
    } else {
        out.push((s, e));
    }
}

fn lc(s: &str) -> String {
    s.to_lowercase().replace('\u{2019}', "'")
}

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Does `before` (lowercased text before a source, same sentence) end with a pre-cue,
/// allowing PRE_FILLER words between the cue and the source? Returns (cue label, cue start offset).
fn pre_cue(before: &str) -> Option<(&'static str, usize)> {
    let ws: Vec<(usize, &str)> =
        before.split_whitespace().map(|w| (w.as_ptr() as usize - before.as_ptr() as usize, w)).collect();
    // try skipping up to 4 filler words
    for skip in 0..=4usize.min(ws.len()) {
        if ws[ws.len() - skip..].iter().any(|(_, w)| {
            !PRE_FILLER.contains(&w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-'))
        }) {
            break;
        }
        let head = &ws[..ws.len() - skip];
        for (cue, label) in PRE_CUES {
            let n = cue.split(' ').count();
            if head.len() >= n {
                let tail: Vec<&str> = head[head.len() - n..].iter().map(|(_, w)| *w).collect();
                if tail.join(" ") == *cue {
                    return Some((label, head[head.len() - n].0));
                }
            }
        }
    }
    None
}

/// Is the source at [s,e) the subject of a speech verb after it (possibly after an
/// appositive ", the ..., " and filler words)? Returns (cue, end of cue, appositive_is_mouthpiece).
fn post_cue(text: &str, e: usize, sent_end: usize) -> Option<(String, usize, bool)> {
    let toks = words(text, e, sent_end);
    let mut i = 0;
    let mut mouth = false;
    // possessive: "Xinhua's report said"
    if i < toks.len() && matches!(&text[toks[i].0..toks[i].1], "'s" | "\u{2019}s" | "'" | "\u{2019}") {
        return None; // "X's ..." is a mention of X's content; handled by pre-cue of the noun if any
    }
    // appositive
    if i < toks.len() && &text[toks[i].0..toks[i].1] == "," {
        let mut j = i + 1;
        let mut app = String::new();
        while j < toks.len() && j < i + 16 {
            let w = &text[toks[j].0..toks[j].1];
            if w == "," || w == ";" || w == ":" {
                break;
            }
            app.push(' ');
            app.push_str(&lc(w));
            j += 1;
        }
        if j < toks.len() && &text[toks[j].0..toks[j].1] == "," && j > i + 1 {
            let first = lc(&text[toks[i + 1].0..toks[i + 1].1]);
            if matches!(
                first.as_str(),
                "the"
                    | "a"
                    | "an"
                    | "which"
                    | "its"
                    | "north"
                    | "china's"
                    | "russia's"
                    | "iran's"
                    | "pyongyang's"
                    | "beijing's"
                    | "moscow's"
                    | "tehran's"
                    | "one"
                    | "citing"
                    | "quoting"
            ) || app.contains("mouthpiece")
            {
                mouth = MOUTHPIECE.iter().any(|m| app.contains(m));
                i = j + 1;
            }
        }
    }
    // fillers then a verb
    let mut k = i;
    let mut fillers = 0;
    while k < toks.len() && fillers <= 5 {
        let w = &text[toks[k].0..toks[k].1];
        let l = lc(w);
        if SPEECH_VERBS.contains(&l.as_str()) {
            return Some((l, toks[k].1, mouth));
        }
        if FILLER.contains(&l.as_str())
            || (fillers > 0 && l.chars().all(|c| c.is_ascii_digit()))
            || (mouth && l == ",")
        {
            fillers += 1;
            k += 1;
            continue;
        }
        break;
    }
    if mouth && i > 0 {
        // "Rodong Sinmun, the ruling party's mouthpiece, ..." without a nearby verb
        return Some(("mouthpiece".into(), toks[i - 1].0, true));
    }
    None
}

// ------------------------------------------------------------------ main entry

/// All attributions in `text`, sorted by start offset. Only cited sources are returned.
/// Attributions to outlets (named in the gazetteer, or "state media") only: the cheap part of
/// [`find_sources`], and all that [`cited_outlets`] needs, so `score` runs just this.
pub fn find_outlet_sources(text: &str, gaz: &Gazetteer) -> Vec<Attribution> {
    let hits = gaz.scan(text);
    find_outlet_sources_in(text, gaz, &OutletHits::from_sets(&hits, 0))
}

/// [`find_outlet_sources`], given the matches of [`Gazetteer::phrase_sets`] in `text`.
pub fn find_outlet_sources_in(text: &str, gaz: &Gazetteer, hits: &OutletHits) -> Vec<Attribution> {
    let mut out: Vec<Attribution> = Vec::new();
    let mut sources: Vec<(usize, usize, Option<usize>)> =
        gaz.mentions(text, hits).into_iter().map(|(s, e, i)| (s, e, Some(i))).collect();
    for m in hits.generic {
        if word_bounded(text, m.start, m.end) && !sources.iter().any(|x| m.start < x.1 && x.0 < m.end) {
            sources.push((m.start, m.end, None));
        }
    }
    sources.sort();
    for (s, e, oi) in sources {
        let ss = sentence_start(text, s);
        let se = sentence_end(text, e);
        let before = lc(&text[ss..s]);
        let (cue, start, end) = if let Some((label, off)) = pre_cue(&before) {
            (label.to_string(), ss + off, e)
        } else if let Some((verb, vend, _)) = post_cue(text, e, se) {
            (verb, s, vend)
        } else {
            continue;
        };
        let (kind, name, ty, country) = match oi {
            Some(i) => {
                let o = &gaz.outlets[i];
                (
                    SourceKind::Outlet,
                    o.name.clone(),
                    Some(o.outlet_type.clone()),
                    Some(o.country.clone()).filter(|c| !c.is_empty()),
                )
            }
            None => (SourceKind::StateMediaGeneric, lc(&text[s..e]), Some("state".to_string()), None),
        };
        out.push(Attribution { kind, name, outlet_type: ty, country, start, end, cue });
    }
    out
}

pub fn find_sources(text: &str, gaz: &Gazetteer) -> Vec<Attribution> {
    let lex = lexicon();
    // 1. outlets and generic state media
    let mut out = find_outlet_sources(text, gaz);

    // 2. consensus
    for m in lex.consensus.find_iter(text) {
        if !word_bounded(text, m.start(), m.end()) {
            continue;
        }
        let mut end = m.end();
        // extend "It is a common view of political analysts" / "among experts"
        let rest = &text[end..sentence_end(text, end)];
        let rl = lc(rest);
        if rl.starts_with(" of ") || rl.starts_with(" among ") {
            let ws = words(text, end, end + rest.len());
            let mut last = None;
            for (n, &(a, b)) in ws.iter().enumerate().skip(1) {
                let w = lc(&text[a..b]);
                if n > 6 || w == "that" || w == "," || w == "." || w == ";" {
                    break;
                }
                last = Some(b);
            }
            if let Some(b) = last {
                end = b;
            }
        }
        let phrase = text[m.start()..end].to_string();
        out.push(Attribution {
            kind: SourceKind::Consensus,
            name: phrase.to_lowercase(),
            outlet_type: None,
            country: None,
            start: m.start(),
            end,
            cue: "unattributed".into(),
        });
    }

    // 3. officials: subject phrase + speech verb, "according to <official>", "said <Name>, the <title>"
    let taken = |out: &Vec<Attribution>, a: usize, b: usize| {
        out.iter().any(|x| x.kind != SourceKind::Consensus && a < x.end && x.start < b)
    };
    let mut officials: Vec<Attribution> = Vec::new();
    for m in lex.verbs.find_iter(text) {
        let (vs, ve) = (m.start(), m.end());
        if !word_bounded(text, vs, ve) {
            continue;
        }
        let verb = &text[vs..ve];
        let ss = sentence_start(text, vs);
        let toks = words(text, ss, vs);
        // walk back over the subject phrase
        let mut j = toks.len();
        let mut skipped_fill = 0;
        while j > 0 && skipped_fill < 3 {
            let w = lc(&text[toks[j - 1].0..toks[j - 1].1]);
            if matches!(
                w.as_str(),
                "also"
                    | "later"
                    | "earlier"
                    | "has"
                    | "had"
                    | "have"
                    | "previously"
                    | "on"
                    | "monday"
                    | "tuesday"
                    | "wednesday"
                    | "thursday"
                    | "friday"
                    | "saturday"
                    | "sunday"
            ) {
                j -= 1;
                skipped_fill += 1;
            } else {
                break;
            }
        }
        let subj_end = j;
        let mut has_title = false;
        let mut has_cap = false;
        let mut n = 0;
        while j > 0 && n < 10 {
            let raw = &text[toks[j - 1].0..toks[j - 1].1];
            let w = lc(raw);
            let title = TITLES.contains(&w.as_str())
                || w.ends_with("ministry")
                || w.ends_with("'s") && TITLES.contains(&w.trim_end_matches("'s"));
            let joiner = matches!(
                w.as_str(),
                "of" | "for"
                    | "the"
                    | "and"
                    | "foreign"
                    | "defense"
                    | "defence"
                    | "national"
                    | "security"
                    | "state"
                    | "senior"
                    | "top"
                    | "u.s."
                    | "a"
                    | "an"
                    | "former"
                    | "deputy"
                    | "press"
                    | "prime"
                    | "affairs"
                    | "interior"
                    | "justice"
                    | "health"
                    | "finance"
                    | "trade"
                    | "federal"
                    | "local"
                    | "government"
                    | "military"
                    | "party"
                    | "chinese"
                    | "russian"
                    | "iranian"
                    | "korean"
                    | "american"
                    | "british"
                    | "israeli"
                    | "ukrainian"
                    | "two"
                    | "three"
                    | "several"
                    | "some"
            );
            if title {
                has_title = true;
            } else if is_cap(raw) && raw.chars().any(|c| c.is_alphabetic()) {
                has_cap = true;
            } else if !joiner {
                break;
            }
            j -= 1;
            n += 1;
        }
        // trim leading joiners
        while j < subj_end {
            let w = lc(&text[toks[j].0..toks[j].1]);
            if matches!(w.as_str(), "of" | "for" | "and") {
                j += 1;
            } else {
                break;
            }
        }
        if j < subj_end && has_title && (has_cap || subj_end - j >= 1) {
            let (a, b) = (toks[j].0, toks[subj_end - 1].1);
            let name = text[a..b].to_string();
            let bare = lc(&name);
            // skip outlet-only subjects (handled above) and pronoun-like
            if !taken(&out, a, b) && !matches!(bare.as_str(), "the" | "a" | "an" | "who" | "press") {
                officials.push(Attribution {
                    kind: SourceKind::Official,
                    name,
                    outlet_type: None,
                    country: None,
                    start: a,
                    end: ve,
                    cue: verb.to_lowercase(),
                });
                continue;
            }
        }
        // "said John Kirby, the NSC spokesman" / "said a spokesman for X"
        if matches!(verb, "said" | "says" | "stated" | "added" | "noted" | "told") {
            let se = sentence_end(text, ve);
            let after = words(text, ve, se);
            let mut k = 0;
            let mut name_end = None;
            let mut has_t = false;
            while k < after.len() && k < 12 {
                let raw = &text[after[k].0..after[k].1];
                let w = lc(raw);
                if raw == "," && k > 0 {
                    // appositive title after a name
                    let rest: Vec<String> =
                        after[k + 1..after.len().min(k + 8)].iter().map(|&(a, b)| lc(&text[a..b])).collect();
                    if rest.iter().any(|x| TITLES.contains(&x.as_str())) {
                        has_t = true;
                        let stop = after[k + 1..]
                            .iter()
                            .position(|&(a, b)| matches!(&text[a..b], "," | "." | ";"))
                            .map(|p| k + 1 + p)
                            .unwrap_or(after.len().min(k + 8));
                        name_end = Some(after[stop.saturating_sub(1).max(k)].1);
                    }
                    break;
                }
                if TITLES.contains(&w.as_str()) {
                    has_t = true;
                    name_end = Some(after[k].1);
                } else if is_cap(raw)
                    || matches!(w.as_str(), "a" | "an" | "the" | "of" | "for" | "senior" | "foreign" | "u.s.")
                {
                    if is_cap(raw) {
                        name_end = Some(after[k].1);
                    }
                } else {
                    break;
                }
                k += 1;
            }
            if let (true, Some(ne)) = (has_t, name_end) {
                let a = after[0].0;
                if !taken(&out, a, ne) && ne > a {
                    officials.push(Attribution {
                        kind: SourceKind::Official,
                        name: text[a..ne].trim_end_matches(',').to_string(),
                        outlet_type: None,
                        country: None,
                        start: vs,
                        end: ne,
                        cue: verb.to_lowercase(),
                    });
                }
            }
        }
    }
    // government bodies: "the Kremlin said", "according to the White House"
    for m in lex.bodies.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        if !word_bounded(text, s, e) || officials.iter().any(|x| s < x.end && x.start < e) {
            continue;
        }
        let ss = sentence_start(text, s);
        let se = sentence_end(text, e);
        let body = text[s..e].trim_end_matches("'s").to_string();
        if let Some((label, off)) = pre_cue(&lc(&text[ss..s])) {
            if label == "according to" || label == "told" || label == "citing" || label == "quoting" {
                officials.push(Attribution {
                    kind: SourceKind::Official,
                    name: body,
                    outlet_type: None,
                    country: None,
                    start: ss + off,
                    end: e,
                    cue: label.into(),
                });
            }
        } else if let Some((verb, vend, _)) = post_cue(text, e, se) {
            officials.push(Attribution {
                kind: SourceKind::Official,
                name: body,
                outlet_type: None,
                country: None,
                start: s,
                end: vend,
                cue: verb,
            });
        }
    }
    // "according to <official phrase>"
    let mut i = 0;
    let lower = lc(text);
    while let Some(p) = lower[i..].find("according to ") {
        let a = i + p;
        let after_start = a + "according to ".len();
        i = after_start;
        if lower.len() != text.len()
            || taken(&out, a, after_start + 1)
            || officials.iter().any(|x| a < x.end && x.start < after_start + 1)
        {
            continue;
        }
        let se = sentence_end(text, after_start);
        let ws = words(text, after_start, se);
        let mut end = None;
        let mut has_t = false;
        for (n, &(x, y)) in ws.iter().enumerate() {
            let raw = &text[x..y];
            let w = lc(raw);
            if n >= 10 || matches!(raw, "," | "." | ";" | ":" | "(" | ")") {
                break;
            }
            if TITLES.contains(&w.as_str()) || w.ends_with("ministry") {
                has_t = true;
                end = Some(y);
            } else if is_cap(raw) {
                end = Some(y);
            } else if matches!(
                w.as_str(),
                "that"
                    | "who"
                    | "which"
                    | "but"
                    | "to"
                    | "in"
                    | "on"
                    | "at"
                    | "with"
                    | "by"
                    | "as"
                    | "it"
                    | "its"
                    | "this"
                    | "these"
                    | "is"
                    | "was"
                    | "are"
                    | "were"
                    | "has"
                    | "have"
                    | "had"
                    | "will"
                    | "would"
            ) || SPEECH_VERBS.contains(&w.as_str())
            {
                break;
            }
        }
        if let (true, Some(e)) = (has_t, end) {
            officials.push(Attribution {
                kind: SourceKind::Official,
                name: text[after_start..e].to_string(),
                outlet_type: None,
                country: None,
                start: a,
                end: e,
                cue: "according to".into(),
            });
        }
    }
    out.extend(officials);
    out.sort_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)));
    out.dedup_by(|b, a| a.kind == b.kind && a.start == b.start && a.end == b.end);
    out
}

/// Attribution counts per source, by count descending then name.
pub fn summarize(atts: &[Attribution]) -> Vec<SourceCount> {
    let mut v: Vec<SourceCount> = Vec::new();
    for a in atts {
        if let Some(c) = v.iter_mut().find(|c| c.name == a.name && c.kind == a.kind) {
            c.count += 1;
        } else {
            v.push(SourceCount {
                name: a.name.clone(),
                kind: a.kind,
                outlet_type: a.outlet_type.clone(),
                count: 1,
            });
        }
    }
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)).then(a.kind.cmp(&b.kind)));
    v
}

/// Distinct canonical names of cited outlets whose type is in `types` (e.g. `["state", "wire"]`),
/// in order of first citation. Generic state media counts as "state media" when "state" is asked.
pub fn cited_outlets(atts: &[Attribution], types: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for a in atts {
        let name = match a.kind {
            SourceKind::Outlet if a.outlet_type.as_deref().is_some_and(|t| types.contains(&t)) => {
                a.name.clone()
            }
            SourceKind::StateMediaGeneric if types.contains(&"state") => "state media".to_string(),
            _ => continue,
        };
        if !v.contains(&name) {
            v.push(name);
        }
    }
    v
}

/// Attributions to state outlets (named or generic) per 1,000 words of `text`, using the
/// built-in gazetteer. A style feature: state media cites itself and other state outlets.
pub fn cites_state_media_rate(text: &str) -> f32 {
    cites_state_media_rate_with(text, Gazetteer::builtin())
}

pub fn cites_state_media_rate_with(text: &str, gaz: &Gazetteer) -> f32 {
    let nwords = text.split_whitespace().count();
    if nwords == 0 {
        return 0.0;
    }
    let n = find_sources(text, gaz)
        .iter()
        .filter(|a| {
            a.kind == SourceKind::StateMediaGeneric
                || (a.kind == SourceKind::Outlet && a.outlet_type.as_deref() == Some("state"))
        })
        .count();
    n as f32 * 1000.0 / nwords as f32
}

/// Unattributed consensus claims per 1,000 words (another style feature).
pub fn consensus_rate(text: &str) -> f32 {
    let nwords = text.split_whitespace().count();
    if nwords == 0 {
        return 0.0;
    }
    let n =
        find_sources(text, Gazetteer::builtin()).iter().filter(|a| a.kind == SourceKind::Consensus).count();
    n as f32 * 1000.0 / nwords as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str) -> Vec<Attribution> {
        find_sources(text, Gazetteer::builtin())
    }

    fn has(atts: &[Attribution], kind: SourceKind, name: &str) -> bool {
        atts.iter().any(|a| a.kind == kind && a.name == name)
    }

    #[test]
    fn builtin_gazetteer_loads() {
        let g = Gazetteer::builtin();
        assert!(g.len() >= 150, "{}", g.len());
        assert_eq!(g.lookup("Nodong Sinmun").unwrap().name, "Rodong Sinmun");
        assert_eq!(g.lookup("Labor News").unwrap().name, "Rodong Sinmun");
        assert_eq!(g.lookup("The Associated Press").unwrap().name, "AP");
        assert_eq!(g.lookup("Korean Central News Agency").unwrap().outlet_type, "state");
        for o in g.outlets() {
            assert!(OUTLET_TYPES.contains(&o.outlet_type.as_str()));
        }
    }

    #[test]
    fn csv_errors_name_the_line() {
        let e = Gazetteer::from_csv("name,aliases,type,country\nFoo,,wire,US\nBar,,blog,US\n").unwrap_err();
        assert!(e.contains("line 3") && e.contains("blog"), "{e}");
        let e = Gazetteer::from_csv("name,alias\nFoo,x\n").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
        let e = Gazetteer::from_csv("name,aliases,type,country\nFoo,,wire\n").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn according_to_outlet() {
        let t = "The harvest was a record, according to Nodong Sinmun.";
        let a = find(t);
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].name, "Rodong Sinmun");
        assert_eq!(a[0].cue, "according to");
        assert_eq!(a[0].outlet_type.as_deref(), Some("state"));
        assert_eq!(&t[a[0].start..a[0].end], "according to Nodong Sinmun");
    }

    #[test]
    fn mouthpiece_appositive() {
        let t = "Rodong Sinmun, the ruling party's mouthpiece, said the drills were a provocation.";
        let a = find(t);
        assert!(has(&a, SourceKind::Outlet, "Rodong Sinmun"), "{a:?}");
        let r = a.iter().find(|x| x.name == "Rodong Sinmun").unwrap();
        assert_eq!(r.cue, "said");
        assert_eq!(&t[r.start..r.end], "Rodong Sinmun, the ruling party's mouthpiece, said");
        let t2 = "Rodong Sinmun, the ruling party’s mouthpiece, in a lengthy commentary on Sunday accused the puppets of treachery.";
        let a2 = find(t2);
        assert!(has(&a2, SourceKind::Outlet, "Rodong Sinmun"), "{a2:?}");
    }

    #[test]
    fn kremlin_said_is_official() {
        let a = find("The Kremlin said on Tuesday that talks would continue.");
        assert!(has(&a, SourceKind::Official, "The Kremlin"), "{a:?}");
        assert_eq!(a[0].cue, "said");
    }

    #[test]
    fn told_reuters() {
        let t = "\"We will not back down,\" a senior diplomat told Reuters by telephone.";
        let a = find(t);
        let r = a.iter().find(|x| x.kind == SourceKind::Outlet).expect("outlet");
        assert_eq!(r.name, "Reuters");
        assert_eq!(r.cue, "told");
        assert_eq!(r.outlet_type.as_deref(), Some("wire"));
        assert_eq!(&t[r.start..r.end], "told Reuters");
        assert!(a.iter().any(|x| x.kind == SourceKind::Official && x.name.contains("diplomat")), "{a:?}");
    }

    #[test]
    fn state_media_reported() {
        let t = "The leader inspected a fertilizer plant, state media reported on Friday.";
        let a = find(t);
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].kind, SourceKind::StateMediaGeneric);
        assert_eq!(a[0].cue, "reported");
        assert_eq!(&t[a[0].start..a[0].end], "state media reported");
        assert_eq!(cited_outlets(&a, &["state"]), vec!["state media".to_string()]);
    }

    #[test]
    fn spokesman_stated() {
        let t = "National Security Council spokesman John Kirby stated that the launch violated resolutions.";
        let a = find(t);
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].kind, SourceKind::Official);
        assert_eq!(a[0].name, "National Security Council spokesman John Kirby");
        assert_eq!(a[0].cue, "stated");
        let a = find("\"It is unacceptable,\" said Maria Lindqvist, a spokeswoman for the ministry.");
        assert!(
            a.iter().any(|x| x.kind == SourceKind::Official && x.name.starts_with("Maria Lindqvist")),
            "{a:?}"
        );
        let a = find("The bridge will reopen next month, according to city transport officials.");
        assert!(a.iter().any(|x| x.kind == SourceKind::Official && x.cue == "according to"), "{a:?}");
    }

    #[test]
    fn consensus_claims() {
        let t = "It is a common view of political analysts that the sanctions have failed. As is well known, the imperialists never keep promises.";
        let a = find(t);
        assert!(has(&a, SourceKind::Consensus, "it is a common view of political analysts"), "{a:?}");
        assert!(has(&a, SourceKind::Consensus, "as is well known"), "{a:?}");
        assert!(a.iter().all(|x| x.kind == SourceKind::Consensus));
    }

    #[test]
    fn mention_is_not_citation() {
        let a = find("She used to work at Reuters before joining a bank. Xinhua opened a bureau in Nairobi.");
        assert!(a.iter().all(|x| x.kind != SourceKind::Outlet), "{a:?}");
        // lowercase common words do not match case-sensitive aliases
        let a = find("At the time, ap scores were said to rise; the hill said nothing.");
        assert!(a.iter().all(|x| x.kind != SourceKind::Outlet), "{a:?}");
    }

    #[test]
    fn many_cue_forms() {
        let t = "Xinhua reported that the dam was finished. The figures were carried by KCNA. \
                 The claim was quoted by the Korean Central News Agency of DPRK. \
                 TASS quoted the minister as saying the deal was done. \
                 The Associated Press, citing two officials, said the ship sank. \
                 The remarks were published via RIA Novosti.";
        let a = find(t);
        let names: Vec<&str> =
            a.iter().filter(|x| x.kind == SourceKind::Outlet).map(|x| x.name.as_str()).collect();
        assert_eq!(names, vec!["Xinhua", "KCNA", "KCNA", "TASS", "AP", "RIA Novosti"], "{a:?}");
        let s = summarize(&a);
        assert_eq!(s[0].name, "KCNA");
        assert_eq!(s[0].count, 2);
        assert_eq!(
            cited_outlets(&a, &["state", "wire"]),
            vec!["Xinhua", "KCNA", "TASS", "AP", "RIA Novosti"]
        );
        assert_eq!(cited_outlets(&a, &["wire"]), vec!["AP"]);
    }

    #[test]
    fn state_media_rate() {
        let t = "The plant was opened, KCNA said. Officials praised the workers. It was hailed by state media reported across the nation.";
        let r = cites_state_media_rate(t);
        assert!(r > 0.0);
        assert_eq!(cites_state_media_rate(""), 0.0);
        assert_eq!(cites_state_media_rate("A quiet day in the village with no news at all."), 0.0);
    }

    #[test]
    fn serde_snake_case() {
        let a = find("The Kremlin said so, state media reported.");
        let j = serde_json::to_string(&a).unwrap();
        assert!(j.contains("\"official\"") && j.contains("\"state_media_generic\""), "{j}");
        let back: Vec<Attribution> = serde_json::from_str(&j).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn spans_are_char_boundaries_on_unicode() {
        let t = "«Ça suffit», a déclaré le ministre — according to Agence France-Presse, the Élysée said nothing.";
        for a in find(t) {
            assert!(t.is_char_boundary(a.start) && t.is_char_boundary(a.end));
        }
    }
}
