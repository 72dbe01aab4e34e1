//! The framing lexicon: curated terms and phrases typical of each voice, matched as whole words,
//! case-insensitively, in one pass (Aho-Corasick). The feature block holds each term's and each
//! category's rate per 1,000 words, log-scaled into [0, 1] to sit beside the tf-idf block.
use crate::corpus::Label;
use crate::error::{Error, Result};
use crate::phrases::{Hit, MatcherCell, PhraseMatcher, PhraseSet};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// The lexicon shipped in `data/framing_terms.csv`.
pub const BUILTIN_LEXICON: &str = include_str!("../../data/framing_terms.csv");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LexiconTerm {
    pub term: String,
    pub class: Label,
    pub category: String,
    pub note: String,
}

/// One occurrence of a lexicon term: byte span in the text it was found in, and whether it is
/// reported (quoted, or attributed to someone else: see [`super::voice`]) rather than asserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermMatch {
    pub term: usize,
    pub start: usize,
    pub end: usize,
    pub reported: bool,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Lexicon {
    pub terms: Vec<LexiconTerm>,
    /// `class:category` names, sorted; the category columns follow the term columns.
    pub categories: Vec<String>,
    term_category: Vec<u32>,
    /// sha256 of the terms, so a model names the exact lexicon it was trained with.
    pub hash: String,
    /// Tell quoted and attributed state-media terms from asserted ones (on by default; off
    /// only to measure what it brings).
    pub voice: bool,
    /// Pattern -> term, for the list [`phrase_set`](Self::phrase_set) gives.
    #[serde(skip)]
    owner: OnceLock<Vec<usize>>,
    #[serde(skip)]
    matcher: MatcherCell,
}

impl Clone for Lexicon {
    fn clone(&self) -> Self {
        Lexicon {
            terms: self.terms.clone(),
            categories: self.categories.clone(),
            term_category: self.term_category.clone(),
            hash: self.hash.clone(),
            voice: self.voice,
            owner: OnceLock::new(),
            matcher: MatcherCell::default(),
        }
    }
}

impl PartialEq for Lexicon {
    fn eq(&self, o: &Self) -> bool {
        self.hash == o.hash && self.terms == o.terms && self.voice == o.voice
    }
}

/// log1p(rate per 1,000 words) / log1p(1,000): 0 when absent, 1 when every word is the term.
fn scale_rate(count: u32, n_words: usize) -> f32 {
    let rate = count as f32 * 1000.0 / n_words.max(1) as f32;
    rate.ln_1p() / 1000f32.ln_1p()
}

impl Lexicon {
    pub fn builtin() -> Result<Lexicon> {
        Lexicon::from_csv(BUILTIN_LEXICON, "data/framing_terms.csv")
    }

    /// Parses `term,class,category,note`; errors name the line.
    pub fn from_csv(text: &str, name: &str) -> Result<Lexicon> {
        let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header = rdr.headers().map_err(|e| Error::input(name, Some(1), e.to_string()))?.clone();
        let want = ["term", "class", "category", "note"];
        if header.len() < 3 || !header.iter().zip(want).all(|(h, w)| h.trim() == w) {
            return Err(Error::input(name, Some(1), "expected header term,class,category,note"));
        }
        let mut terms = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                Error::input(name, e.position().map(|p| p.line()), format!("malformed row: {e}"))
            })?;
            let line = rec.position().map(|p| p.line());
            let term = rec.get(0).unwrap_or("").trim().to_lowercase();
            if term.is_empty() {
                return Err(Error::input(name, line, "empty term"));
            }
            if !seen.insert(term.clone()) {
                return Err(Error::input(name, line, format!("duplicate term {term:?}")));
            }
            let class = rec.get(1).unwrap_or("").parse::<Label>().map_err(|e| Error::input(name, line, e))?;
            let category = rec.get(2).unwrap_or("").trim().to_string();
            if category.is_empty() {
                return Err(Error::input(name, line, "empty category"));
            }
            let note = rec.get(3).unwrap_or("").trim().to_string();
            terms.push(LexiconTerm { term, class, category, note });
        }
        if terms.is_empty() {
            return Err(Error::input(name, None, "no terms"));
        }
        Ok(Lexicon::from_terms(terms))
    }

    pub fn from_terms(terms: Vec<LexiconTerm>) -> Lexicon {
        let mut categories: Vec<String> =
            terms.iter().map(|t| format!("{}:{}", t.class, t.category)).collect();
        categories.sort();
        categories.dedup();
        let term_category = terms
            .iter()
            .map(|t| {
                let c = format!("{}:{}", t.class, t.category);
                categories.binary_search(&c).unwrap_or(0) as u32
            })
            .collect();
        let mut h = Sha256::new();
        for t in &terms {
            h.update(format!("{}\t{}\t{}\n", t.term, t.class, t.category).as_bytes());
        }
        let hash = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Lexicon {
            terms,
            categories,
            term_category,
            hash,
            voice: true,
            owner: OnceLock::new(),
            matcher: MatcherCell::default(),
        }
    }

    /// Width of the feature block: one column per term and one per category (terms in the
    /// article's own voice), then one per label for terms that are quoted or attributed.
    pub fn n_features(&self) -> usize {
        self.terms.len() + self.categories.len() + Label::COUNT
    }

    pub fn feature_name(&self, i: usize) -> String {
        let (t, c) = (self.terms.len(), self.categories.len());
        if i < t {
            format!("framing:{}", self.terms[i].term)
        } else if i < t + c {
            format!("framing_category:{}", self.categories[i - t])
        } else {
            format!("framing_reported:{}", Label::ALL[(i - t - c).min(Label::COUNT - 1)])
        }
    }

    /// Every term as written and with typographic apostrophes, so that one list can be matched
    /// beside others (see [`crate::phrases`]); [`find_in`](Self::find_in) reads its hits.
    pub fn phrase_set(&self) -> PhraseSet {
        let mut patterns = Vec::new();
        for t in &self.terms {
            patterns.push(t.term.clone());
            if t.term.contains('\'') {
                patterns.push(t.term.replace('\'', "\u{2019}"));
            }
        }
        PhraseSet::new(patterns, false)
    }

    fn owner(&self) -> &[usize] {
        self.owner.get_or_init(|| {
            let mut owner = Vec::new();
            for (i, t) in self.terms.iter().enumerate() {
                owner.push(i);
                if t.term.contains('\'') {
                    owner.push(i);
                }
            }
            owner
        })
    }

    /// Whole-word occurrences, leftmost-longest, without overlaps.
    pub fn find(&self, text: &str) -> Vec<TermMatch> {
        let m = self
            .matcher
            .get_or_init(|| PhraseMatcher::new(&[self.phrase_set()]).expect("lexicon terms are never empty"));
        self.find_in(text, m.scan(text).set(0))
    }

    /// [`find`](Self::find), given the matches of [`phrase_set`](Self::phrase_set) in `text`.
    pub fn find_in(&self, text: &str, hits: &[Hit]) -> Vec<TermMatch> {
        let owner = self.owner();
        let bytes = text.as_bytes();
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        let mut found: Vec<TermMatch> = hits
            .iter()
            .filter(|m| {
                let before = text[..m.start].chars().next_back().is_none_or(|c| !is_word(c));
                let after = text[m.end..].chars().next().is_none_or(|c| !is_word(c));
                // A term that ends in punctuation ("did you know?") needs no boundary after it.
                let last_is_word = bytes[m.end - 1].is_ascii_alphanumeric();
                before && (after || !last_is_word)
            })
            .map(|m| TermMatch { term: owner[m.pattern], start: m.start, end: m.end, reported: false })
            .collect();
        // Voice matters for state-media framing; a quoted "said" is still wire copy.
        let state: Vec<usize> = (0..found.len())
            .filter(|&i| self.voice && self.terms[found[i].term].class == Label::StateMedia)
            .collect();
        let spans: Vec<(usize, usize)> = state.iter().map(|&i| (found[i].start, found[i].end)).collect();
        for (&i, r) in state.iter().zip(super::voice::reported_spans(text, &spans)) {
            found[i].reported = r;
        }
        found
    }

    /// Counts per term, as `(term index, count)` sorted by term index.
    pub fn counts(&self, matches: &[TermMatch]) -> Vec<(usize, u32)> {
        let mut idx: Vec<usize> = matches.iter().map(|m| m.term).collect();
        idx.sort_unstable();
        let mut out: Vec<(usize, u32)> = Vec::new();
        for i in idx {
            match out.last_mut() {
                Some((t, c)) if *t == i => *c += 1,
                _ => out.push((i, 1)),
            }
        }
        out
    }

    /// Appends the block's entries (sorted, offset by `offset`) for a text of `n_words` words.
    pub fn transform_into(
        &self,
        matches: &[TermMatch],
        n_words: usize,
        offset: u32,
        out: &mut Vec<(u32, f32)>,
    ) {
        let mut reported = [0u32; Label::COUNT];
        let asserted: Vec<TermMatch> = matches
            .iter()
            .filter(|m| {
                if m.reported {
                    reported[self.terms[m.term].class.index()] += 1;
                }
                !m.reported
            })
            .copied()
            .collect();
        let counts = self.counts(&asserted);
        let mut per_cat = vec![0u32; self.categories.len()];
        for &(t, c) in &counts {
            out.push((offset + t as u32, scale_rate(c, n_words)));
            per_cat[self.term_category[t] as usize] += c;
        }
        let base = offset + self.terms.len() as u32;
        for (i, &c) in per_cat.iter().enumerate() {
            if c > 0 {
                out.push((base + i as u32, scale_rate(c, n_words)));
            }
        }
        let base = base + self.categories.len() as u32;
        for (k, &c) in reported.iter().enumerate() {
            if c > 0 {
                out.push((base + k as u32, scale_rate(c, n_words)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        Lexicon::from_csv(
            "term,class,category,note\nimperialists,state_media,adversary,\nas is well known,state_media,consensus,\ntold reporters,wire,attribution,\nsaid,wire,attribution,\nkey takeaways,aggregator,summary,\ndid you know?,aggregator,summary,\ndon't miss,aggregator,chrome,\n",
            "lex.csv",
        )
        .unwrap()
    }

    fn found(l: &Lexicon, text: &str) -> Vec<String> {
        l.find(text).iter().map(|m| l.terms[m.term].term.clone()).collect()
    }

    #[test]
    fn whole_words_case_insensitive_phrases() {
        let l = lex();
        assert_eq!(
            found(&l, "As Is Well Known, the IMPERIALISTS said"),
            ["as is well known", "imperialists", "said"]
        );
        assert!(found(&l, "imperialistsm saidx unsaid").is_empty());
        assert_eq!(
            found(&l, "He told reporters. Did you know? Don\u{2019}t miss"),
            ["told reporters", "did you know?", "don't miss"]
        );
        let m = l.find("x KEY TAKEAWAYS")[0];
        assert_eq!((m.start, m.end), (2, 15));
    }

    #[test]
    fn features_are_scaled_rates_per_term_and_category() {
        let l = lex();
        let ms = l.find("said said told reporters");
        let mut out = Vec::new();
        l.transform_into(&ms, 1000, 5, &mut out);
        // term 3 "said" twice, term 2 "told reporters" once, category wire:attribution 3 times
        let wire_cat = l.categories.iter().position(|c| c == "wire:attribution").unwrap();
        assert_eq!(out.iter().map(|e| e.0).collect::<Vec<_>>(), [7, 8, 5 + 7 + wire_cat as u32]);
        let expect = |c: f32| c.ln_1p() / 1000f32.ln_1p();
        assert!((out[1].1 - expect(2.0)).abs() < 1e-6);
        assert!((out[2].1 - expect(3.0)).abs() < 1e-6);
    }

    /// A quoted term counts in its label's reported column, not as the term itself.
    #[test]
    fn quoted_terms_count_apart() {
        let l = lex();
        let ms = l.find("KCNA said the \"imperialists\" lost. The imperialists lost.");
        assert_eq!(ms.iter().filter(|m| m.reported).count(), 1);
        let mut out = Vec::new();
        l.transform_into(&ms, 1000, 0, &mut out);
        let reported_state = (l.terms.len() + l.categories.len() + Label::StateMedia.index()) as u32;
        assert!(out.iter().any(|e| e.0 == reported_state));
        assert_eq!(l.feature_name(reported_state as usize), "framing_reported:state_media");
        let imperialists = out.iter().find(|e| e.0 == 0).unwrap();
        assert!((imperialists.1 - 1f32.ln_1p() / 1000f32.ln_1p()).abs() < 1e-6, "only the asserted one");
    }

    #[test]
    fn errors_name_the_line() {
        let e = Lexicon::from_csv("term,class,category,note\nx,wire,a,\nx,wire,a,\n", "l.csv").unwrap_err();
        assert_eq!(e.to_string(), "l.csv:3: duplicate term \"x\"");
        let e = Lexicon::from_csv("term,class,category,note\nx,opinion,a,\n", "l.csv").unwrap_err();
        assert!(e.to_string().starts_with("l.csv:2: unknown label"));
    }

    #[test]
    fn builtin_lexicon_is_large_and_covers_all_classes() {
        let l = Lexicon::builtin().unwrap();
        assert!(l.terms.len() >= 150, "{}", l.terms.len());
        for c in Label::ALL {
            assert!(l.terms.iter().filter(|t| t.class == c).count() >= 40, "{c}");
        }
        assert_eq!(l.hash.len(), 64);
    }
}
