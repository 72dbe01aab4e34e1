//! Attribution cues: speech verbs, the phrases before a source ("according to", "carried by"),
//! appositives that mark a mouthpiece, generic state-media phrases and claims of consensus.

use std::sync::OnceLock;

use super::gazetteer::word_bounded;
use super::names::BODIES;
use super::spans::{lc, sentence_end, words};
use super::{Attribution, SourceKind};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

// ------------------------------------------------------------------ cue lexicons

/// Verbs that make the preceding subject a source.
pub(super) const SPEECH_VERBS: &[&str] = &[
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
pub(super) const FILLER: &[&str] = &[
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
pub(super) const PRE_CUES: &[(&str, &str)] = &[
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
    // publication: the source is where a statement was printed ("a letter printed in Rodong
    // Sinmun", "authored an article in the Labor News", "wrote in Pravda")
    ("published in", "published in"),
    ("printed in", "printed in"),
    ("carried in", "carried in"),
    ("appeared in", "published in"),
    ("ran in", "published in"),
    ("wrote in", "wrote in"),
    ("writes in", "wrote in"),
    ("writing in", "wrote in"),
    ("written in", "wrote in"),
    ("authored in", "wrote in"),
    ("article in", "article in"),
    ("articles in", "article in"),
    ("letter in", "letter in"),
    ("op-ed in", "article in"),
    ("column in", "article in"),
    ("editorial in", "article in"),
    ("commentary in", "article in"),
    ("essay in", "article in"),
    ("interview with", "interview"),
];

/// Words between a pre-cue and the source ("according to the official ...").
pub(super) const PRE_FILLER: &[&str] = &[
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
    "country's",
    "nation's",
    "regime's",
    "pyongyang's",
    "beijing's",
    "moscow's",
    "tehran's",
    "ruling",
    "party's",
    "party",
    "workers'",
    "syrian",
    "cuban",
    "belarusian",
];

/// Appositive descriptors that mark a state outlet as the voice of power.
pub(super) const MOUTHPIECE: &[&str] = &[
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
pub(super) const GENERIC_STATE: &[&str] = &[
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

/// Unattributed consensus phrases (kind Consensus), matched case-insensitively.
pub(super) const CONSENSUS: &[&str] = &[
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

pub(super) struct Lexicon {
    pub(super) consensus: AhoCorasick,
    pub(super) bodies: AhoCorasick,
    pub(super) verbs: AhoCorasick,
}

pub(super) fn lexicon() -> &'static Lexicon {
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

/// Does `before` (lowercased text before a source, same sentence) end with a pre-cue,
/// allowing PRE_FILLER words between the cue and the source? Returns (cue label, cue start offset).
pub(super) fn pre_cue(before: &str) -> Option<(&'static str, usize)> {
    // Only the last words can hold a cue and its fillers: the longest cue after four fillers.
    const TAIL: usize = 4 + 8;
    let mut ws: Vec<(usize, &str)> = before
        .split_whitespace()
        .rev()
        .take(TAIL)
        .map(|w| (w.as_ptr() as usize - before.as_ptr() as usize, w))
        .collect();
    ws.reverse();
    // try skipping up to 4 filler words
    for skip in 0..=4usize.min(ws.len()) {
        if ws[ws.len() - skip..].iter().any(|(_, w)| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-');
            !w.is_empty() && !PRE_FILLER.contains(&w)
        }) {
            break;
        }
        let head = &ws[..ws.len() - skip];
        for (cue, label) in PRE_CUES {
            let n = cue.split(' ').count();
            if head.len() >= n && cue.split(' ').rev().zip(head.iter().rev()).all(|(c, (_, w))| c == *w) {
                return Some((label, head[head.len() - n].0));
            }
        }
    }
    None
}

/// Is the source at [s,e) the subject of a speech verb after it (possibly after an
/// appositive ", the ..., " and filler words)? Returns (cue, end of cue, appositive_is_mouthpiece).
pub(super) fn post_cue(text: &str, e: usize, sent_end: usize) -> Option<(String, usize, bool)> {
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

/// Unattributed claims of consensus ("As is well known", "It is a common view of political
/// analysts").
pub(super) fn consensus(text: &str) -> Vec<Attribution> {
    let lex = lexicon();
    let mut out = Vec::new();
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
            mention: phrase.clone(),
            outlet_type: None,
            country: None,
            start: m.start(),
            end,
            cue: "unattributed".into(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_cues_fit_the_tail_pre_cue_reads() {
        for (cue, _) in PRE_CUES {
            assert!(cue.split(' ').all(|w| !w.is_empty()), "{cue:?}: single spaces only");
            assert!(cue.split(' ').count() <= 8, "{cue:?}: pre_cue reads at most 8 cue words");
        }
    }

    #[test]
    fn pre_cue_finds_the_cue_before_fillers() {
        let before = "the long sentence that goes on and on, according to ";
        assert_eq!(pre_cue(before), Some(("according to", before.find("according").unwrap())));
        let before = "as reported by the official ";
        assert_eq!(pre_cue(before).map(|c| c.0), Some("reported by"));
        assert_eq!(pre_cue("he went to the market with "), None);
    }
}
