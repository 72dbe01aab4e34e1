//! The outlet gazetteer (`data/outlets.csv`): outlets, their spellings, and where they are
//! mentioned in a text.

use std::sync::OnceLock;

use super::cues::GENERIC_STATE;
use crate::phrases::{Hit, MatcherCell, PhraseHits, PhraseMatcher, PhraseSet};
use serde::{Deserialize, Serialize};

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

pub(super) fn case_sensitive(alias: &str) -> bool {
    let words: Vec<&str> = alias.split_whitespace().collect();
    alias.chars().count() <= 4 || words.len() == 1 || (words.len() == 2 && words[0] == "The")
}

impl Gazetteer {
    /// The gazetteer compiled into the binary (`data/outlets.csv`).
    pub fn builtin() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| {
            Gazetteer::from_csv(include_str!("../../data/outlets.csv"))
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

    pub(super) fn sets(exact: &[String], folded: &[String]) -> [PhraseSet; 3] {
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
    pub(super) fn mentions(&self, text: &str, hits: &OutletHits) -> Vec<(usize, usize, usize)> {
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
            if let Some(last) = out.last()
                && m.0 < last.1
            {
                continue;
            }
            out.push(m);
        }
        out
    }
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub(super) fn word_bounded(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    // a trailing possessive "'s" is fine ("Xinhua's report")
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}
