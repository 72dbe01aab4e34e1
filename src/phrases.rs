//! Phrase matching: every fixed phrase that newsprov looks for (framing terms, style phrases,
//! outlet names) found in one pass over the text.
//!
//! Scoring used to run one Aho-Corasick scan per phrase list, five per article, and those
//! scans were a quarter of scoring time. A [`PhraseMatcher`] compiles several lists
//! ([`PhraseSet`]s) into one automaton, finds every overlapping occurrence in one pass, and then
//! gives each set exactly what its own leftmost-longest automaton would have given: the same
//! matches, so features and models do not change.
use std::sync::OnceLock;

mod dfa;
use dfa::Dfa;

/// One list of phrases, matched ASCII-case-insensitively unless `case_sensitive`.
#[derive(Debug, Clone, Default)]
pub struct PhraseSet {
    pub patterns: Vec<String>,
    pub case_sensitive: bool,
}

impl PhraseSet {
    pub fn new<S: Into<String>>(patterns: impl IntoIterator<Item = S>, case_sensitive: bool) -> Self {
        PhraseSet { patterns: patterns.into_iter().map(Into::into).collect(), case_sensitive }
    }
}

/// One match: the byte span and the pattern's index in its set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

/// Matches of each set, in set order.
#[derive(Debug, Clone, Default)]
pub struct PhraseHits {
    sets: Vec<Vec<Hit>>,
}

impl PhraseHits {
    /// Leftmost-longest, non-overlapping matches of set `i`, by start.
    pub fn set(&self, i: usize) -> &[Hit] {
        self.sets.get(i).map_or(&[], Vec::as_slice)
    }
}

/// Several phrase sets compiled into one automaton.
#[derive(Debug, Clone)]
pub struct PhraseMatcher {
    dfa: Dfa,
    /// Automaton pattern -> (set, index in set).
    owner: Vec<(usize, usize)>,
    patterns: Vec<String>,
    case_sensitive: Vec<bool>,
}

impl PhraseMatcher {
    pub fn new(sets: &[PhraseSet]) -> Result<Self, String> {
        let mut owner = Vec::new();
        let mut patterns = Vec::new();
        for (s, set) in sets.iter().enumerate() {
            for (i, p) in set.patterns.iter().enumerate() {
                if p.is_empty() {
                    return Err(format!("phrase list {s}: pattern {i} is empty"));
                }
                owner.push((s, i));
                patterns.push(p.clone());
            }
        }
        if patterns.iter().map(|p| p.len()).sum::<usize>() > u32::MAX as usize / 256 {
            return Err("phrase lists too large for one automaton".into());
        }
        Ok(PhraseMatcher {
            dfa: Dfa::new(&patterns),
            owner,
            patterns,
            case_sensitive: sets.iter().map(|s| s.case_sensitive).collect(),
        })
    }

    pub fn scan(&self, text: &str) -> PhraseHits {
        let mut hits = PhraseHits { sets: vec![Vec::new(); self.case_sensitive.len()] };
        let bytes = text.as_bytes();
        self.dfa.for_each_match(bytes, |start, end, p| {
            let (set, pattern) = self.owner[p];
            if !self.case_sensitive[set] || bytes[start..end] == *self.patterns[p].as_bytes() {
                hits.sets[set].push(Hit { start, end, pattern });
            }
        });
        for v in hits.sets.iter_mut() {
            leftmost_longest(v);
        }
        hits
    }
}

/// A matcher built on first use, for structs that keep one beside their data: serde skips it,
/// a clone starts empty and it never makes two values unequal.
#[derive(Default)]
pub struct MatcherCell(OnceLock<PhraseMatcher>);

impl MatcherCell {
    pub fn get_or_init(&self, build: impl FnOnce() -> PhraseMatcher) -> &PhraseMatcher {
        self.0.get_or_init(build)
    }
}

impl Clone for MatcherCell {
    fn clone(&self) -> Self {
        MatcherCell::default()
    }
}

impl PartialEq for MatcherCell {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for MatcherCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MatcherCell")
    }
}

/// Keeps what a leftmost-longest automaton reports: from the current position, the match that
/// starts first, the longest of those (the earliest pattern on a tie), then on from its end.
fn leftmost_longest(hits: &mut Vec<Hit>) {
    if hits.len() < 2 {
        return;
    }
    hits.sort_unstable_by(|a, b| {
        a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.pattern.cmp(&b.pattern))
    });
    let mut pos = 0;
    hits.retain(|h| {
        if h.start < pos {
            return false;
        }
        pos = h.end;
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasickBuilder, MatchKind};
    use proptest::prelude::*;

    fn reference(set: &PhraseSet, text: &str) -> Vec<Hit> {
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(!set.case_sensitive)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&set.patterns)
            .unwrap();
        ac.find_iter(text)
            .map(|m| Hit { start: m.start(), end: m.end(), pattern: m.pattern().as_usize() })
            .collect()
    }

    #[test]
    fn each_set_gets_its_own_leftmost_longest_matches() {
        let sets = [
            PhraseSet::new(["state media", "state", "media reported", "as is well known"], false),
            PhraseSet::new(["AP", "Xinhua", "Xinhua News Agency"], true),
            PhraseSet::new(["news agency", "state"], false),
        ];
        let m = PhraseMatcher::new(&sets).unwrap();
        let text =
            "State media reported, as is well known, that the Xinhua News Agency and AP (not ap) said.";
        let hits = m.scan(text);
        for (i, s) in sets.iter().enumerate() {
            assert_eq!(hits.set(i), reference(s, text), "set {i}");
        }
        let span = |h: &Hit| &text[h.start..h.end];
        assert_eq!(hits.set(0).iter().map(span).collect::<Vec<_>>(), ["State media", "as is well known"]);
        assert_eq!(hits.set(1).iter().map(span).collect::<Vec<_>>(), ["Xinhua News Agency", "AP"]);
        assert_eq!(hits.set(2).iter().map(span).collect::<Vec<_>>(), ["State", "News Agency"]);
    }

    #[test]
    fn empty_pattern_is_an_error() {
        assert!(PhraseMatcher::new(&[PhraseSet::new(["a", ""], false)]).is_err());
        assert!(PhraseMatcher::new(&[]).unwrap().scan("anything").set(0).is_empty());
    }

    /// A case-insensitive list, then the same second list case-sensitive and not: each set's
    /// matches from the one automaton equal its own automaton's.
    fn same_as_reference(a: Vec<String>, b: Vec<String>, text: &str) -> Result<(), TestCaseError> {
        let sets = [PhraseSet::new(a, false), PhraseSet::new(b.clone(), true), PhraseSet::new(b, false)];
        let hits = PhraseMatcher::new(&sets).unwrap().scan(text);
        for (i, s) in sets.iter().enumerate() {
            let want = reference(s, text);
            prop_assert_eq!(hits.set(i), want.as_slice());
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn same_as_one_automaton_per_set(
            a in prop::collection::vec("[abAB ]{1,4}", 1..8),
            b in prop::collection::vec("[abAB ]{1,4}", 1..8),
            text in "[abAB ]{0,60}",
        ) {
            same_as_reference(a, b, &text)?;
        }

        #[test]
        fn long_patterns_sharing_prefixes_same_as_one_automaton_per_set(
            a in prop::collection::vec("[abAB’ ]{1,14}", 1..10),
            b in prop::collection::vec("[abAB’ ]{6,14}", 1..10),
            text in "[abAB’ ]{0,120}",
        ) {
            same_as_reference(a, b, &text)?;
        }
    }
}
