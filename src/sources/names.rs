//! Officials, spokespeople and government bodies that an article quotes, and where their names
//! end.

use super::cues::{SPEECH_VERBS, lexicon, post_cue, pre_cue};
use super::gazetteer::word_bounded;
use super::spans::{is_cap, lc, sentence_end, sentence_start, words};
use super::{Attribution, SourceKind};

/// Title words that mark an official.
pub(super) const TITLES: &[&str] = &[
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

/// Title words that are acronyms of bodies ("WHO", "UN"): titles only when written in capitals,
/// so "who" in "the spokesman, who added" is not one.
const ACRONYM_TITLES: &[&str] = &["cdc", "who", "un", "nato", "fbi", "cia", "kcna"];

/// Whether a word (as written) is a title word that marks an official.
pub(super) fn is_title(raw: &str) -> bool {
    let w = lc(raw);
    if ACRONYM_TITLES.contains(&w.as_str()) {
        return !raw.chars().any(char::is_lowercase);
    }
    TITLES.contains(&w.as_str())
}

/// Words that open a clause after a name, so the name ends before them.
pub(super) fn starts_clause(raw: &str) -> bool {
    matches!(
        lc(raw).as_str(),
        "who"
            | "whose"
            | "whom"
            | "which"
            | "that"
            | "where"
            | "when"
            | "while"
            | "and"
            | "but"
            | "adding"
            | "saying"
            | "as"
            | "although"
            | "though"
            | "because"
    )
}

/// Government bodies that speak as officials.
pub(super) const BODIES: &[&str] = &[
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

/// Officials found in `text`, leaving out spans that `out` (outlets, state media) already holds.
pub(super) fn officials(text: &str, out: &[Attribution]) -> Vec<Attribution> {
    let lex = lexicon();
    let taken = |out: &[Attribution], a: usize, b: usize| {
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
            let title = is_title(raw)
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
        // a title's own modifiers back to its article: "a fire service spokesman", "The
        // regional governor"
        if has_title && j < subj_end {
            let plain = |i: usize| text[toks[i].0..toks[i].1].chars().all(|c| c.is_lowercase() || c == '-');
            let mut k = j;
            while k > 0 && j - k < 4 {
                let raw = &text[toks[k - 1].0..toks[k - 1].1];
                // an article, or a possessive name: "China's commerce ministry"
                if matches!(lc(raw).as_str(), "the" | "a" | "an") || (is_cap(raw) && lc(raw).ends_with("'s"))
                {
                    if k < j {
                        j = k - 1;
                    }
                    break;
                }
                if !plain(k - 1) || starts_clause(raw) {
                    break;
                }
                k -= 1;
            }
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
            if !taken(out, a, b) && !matches!(bare.as_str(), "the" | "a" | "an" | "who" | "press") {
                officials.push(Attribution {
                    kind: SourceKind::Official,
                    mention: name.clone(),
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
        // ("told" is left out: in "told lawmakers" the listener follows the verb)
        if matches!(verb, "said" | "says" | "stated" | "added" | "noted") {
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
                    let rest = &after[k + 1..after.len().min(k + 8)];
                    // a relative clause or a new verb phrase ends the name: "said the spokesman,
                    // who added that ..."
                    let clause = rest.first().is_some_and(|&(a, b)| starts_clause(&text[a..b]));
                    if !clause && rest.iter().any(|&(a, b)| is_title(&text[a..b])) {
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
                if is_title(raw) {
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
                if !taken(out, a, ne) && ne > a {
                    let name = text[a..ne].trim_end_matches(',').to_string();
                    officials.push(Attribution {
                        kind: SourceKind::Official,
                        mention: name.clone(),
                        name,
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
                    mention: body.clone(),
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
                mention: body.clone(),
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
            || taken(out, a, after_start + 1)
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
            if is_title(raw) || w.ends_with("ministry") {
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
                mention: text[after_start..e].to_string(),
                outlet_type: None,
                country: None,
                start: a,
                end: e,
                cue: "according to".into(),
            });
        }
    }
    officials
}
