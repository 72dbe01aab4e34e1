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
//!
//! One concept per file: [`gazetteer`] (outlets and their spellings), [`cues`] (the words that
//! tie a source to a statement, and claims of consensus), [`names`] (officials, spokespeople and
//! government bodies, and where their names end) and [`spans`] (sentences and words with byte
//! offsets).

pub mod agreement;
mod cues;
mod gazetteer;
mod names;
mod spans;

pub use gazetteer::{Gazetteer, OUTLET_TYPES, Outlet, OutletHits};

use cues::{post_cue, pre_cue};
use gazetteer::word_bounded;
use serde::{Deserialize, Serialize};
use spans::{lc, sentence_end, sentence_start};

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
    /// The source as the text writes it ("Nodong Sinmun" for the outlet named "Rodong
    /// Sinmun"; "North Korean state media" for generic state media).
    pub mention: String,
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
        let mention = match oi {
            Some(_) => text[s..e].to_string(),
            None => text[generic_qualifiers_start(text, ss, s)..e].to_string(),
        };
        let (kind, name, ty, country) = match oi {
            Some(i) => {
                let o = &gaz.outlets()[i];
                (
                    SourceKind::Outlet,
                    o.name.clone(),
                    Some(o.outlet_type.clone()),
                    Some(o.country.clone()).filter(|c| !c.is_empty()),
                )
            }
            None => {
                (SourceKind::StateMediaGeneric, "state media".to_string(), Some("state".to_string()), None)
            }
        };
        out.push(Attribution { kind, name, mention, outlet_type: ty, country, start, end, cue });
    }
    out
}

/// Phrases that refer back to an outlet already cited ("the agency said", "the newspaper
/// wrote"), read as officials by the name finder.
const OUTLET_REFERENCES: &[&str] =
    &["the agency", "the news agency", "the newspaper", "the paper", "the daily", "the broadcaster"];

/// Turns "the agency said" into an attribution to the outlet cited last before it.
fn resolve_outlet_references(out: &mut [Attribution]) {
    out.sort_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)));
    let mut last: Option<usize> = None;
    for i in 0..out.len() {
        if out[i].kind == SourceKind::Outlet {
            last = Some(i);
        } else if let Some(j) = last.filter(|_| {
            out[i].kind == SourceKind::Official && OUTLET_REFERENCES.contains(&lc(&out[i].name).as_str())
        }) {
            let o = out[j].clone();
            let a = &mut out[i];
            a.kind = SourceKind::Outlet;
            a.name = o.name;
            a.outlet_type = o.outlet_type;
            a.country = o.country;
        }
    }
}

/// Words that say whose state media a generic phrase means ("North Korean state media", "the
/// country's official news agency"); kept in the mention, not in the name.
const GENERIC_QUALIFIERS: &[&str] = &[
    "north",
    "south",
    "korean",
    "chinese",
    "russian",
    "iranian",
    "syrian",
    "cuban",
    "belarusian",
    "vietnamese",
    "country's",
    "nation's",
    "regime's",
    "china's",
    "russia's",
    "iran's",
    "korea's",
    "pyongyang's",
    "beijing's",
    "moscow's",
    "tehran's",
    "its",
    "their",
];

/// Start of the qualifiers before the generic state-media phrase at `s` (or `s`), not before the
/// sentence start `ss`; a "the" before a possessive qualifier is kept ("the country's").
fn generic_qualifiers_start(text: &str, ss: usize, s: usize) -> usize {
    let ws = spans::words(text, ss, s);
    let mut j = ws.len();
    while j > 0 && GENERIC_QUALIFIERS.contains(&lc(&text[ws[j - 1].0..ws[j - 1].1]).as_str()) {
        j -= 1;
    }
    if j < ws.len()
        && j > 0
        && lc(&text[ws[j - 1].0..ws[j - 1].1]) == "the"
        && lc(&text[ws[j].0..ws[j].1]).contains('\'')
    {
        j -= 1;
    }
    ws.get(j).map_or(s, |w| w.0)
}

pub fn find_sources(text: &str, gaz: &Gazetteer) -> Vec<Attribution> {
    // 1. outlets and generic state media
    let mut out = find_outlet_sources(text, gaz);
    // 2. consensus
    out.extend(cues::consensus(text));
    // 3. officials: subject phrase + speech verb, "according to <official>", "said <Name>, the <title>"
    let officials = names::officials(text, &out);
    out.extend(officials);
    resolve_outlet_references(&mut out);
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
