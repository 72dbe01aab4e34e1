//! Style and structure features: how an article is written, not what it is about.
//!
//! Every feature is built from topic-neutral
//! signals: sentence and paragraph shape, punctuation, quotation, attribution, datelines, page
//! structure (headings, lists, page chrome), closed-class lexicons (pronouns, hedges,
//! intensifiers, evaluative adjectives, transitions, consensus formulas) and a function-word
//! profile. No content words tied to a country, person or subject are used.
//!
//! `style_features` makes one pass over the lines/bytes of the text (the same pass gives the
//! masked block its token stream: [`style_features_and_tokens`]); multi-word phrases come
//! from a phrase scan ([`phrase_set`], matched on its own or beside the other lists, see
//! [`crate::phrases`]); automata and the word table are built once (`OnceLock`); no per-token
//! allocation (words are lower-cased into a 16-byte stack key).
//!
//! One module per concept: `words` (the word lists and their table), `phrases` (the phrase
//! lists), `lines` (line kinds: chrome, headings, lists, datelines), `scan` (the one pass that
//! counts everything) and `scaler` (standardization); this file turns the counts into features.

mod lines;
mod phrases;
mod scaler;
mod scan;
mod words;

use crate::features::masked::{Mark, TokenSink};
use crate::phrases::Hit;
use aho_corasick::{Anchored, Input};
use lines::{is_dateline, is_list_line, line_ac};
pub use phrases::phrase_set;
use phrases::{CONSENSUS_PHRASES, phrase_matcher};
pub use scaler::StyleScaler;
use scan::{Acc, scan_line};
use words::{FUNCTION_WORDS, word_table};

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
    style_features_into(text, phrase_hits, &mut ())
}

/// [`style_features_with`], and the masked block's token stream appended to `tokens`: both
/// come from the one scan of the text.
pub fn style_features_and_tokens(text: &str, phrase_hits: &[Hit], tokens: &mut Vec<u32>) -> Vec<f32> {
    style_features_into(text, phrase_hits, tokens)
}

/// The masked block's token stream of `text` alone (the style counts are dropped).
pub(crate) fn scan_tokens(text: &str, tokens: &mut Vec<u32>) {
    style_features_into(text, &[], tokens);
}

fn style_features_into(text: &str, phrase_hits: &[Hit], sink: &mut impl TokenSink) -> Vec<f32> {
    let table = word_table();
    let (line_ac, n_chrome) = line_ac();
    let mut acc = Acc::default();
    // Line breaks since the last line with text: one is a line break, more a paragraph.
    let mut breaks = 0u32;
    for (k, raw) in text.split('\n').enumerate() {
        breaks += (k > 0) as u32;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(m) = Mark::line_breaks(std::mem::take(&mut breaks)) {
            sink.mark(m);
        }
        acc.paragraphs += 1;
        if acc.paragraphs <= 2 && !acc.dateline && is_dateline(line) {
            acc.dateline = true;
        }
        let list = is_list_line(line);
        let info = scan_line(line, &mut acc, table, sink);
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

    if let Some(m) = Mark::line_breaks(breaks) {
        sink.mark(m);
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
    fn no_dateline_start_without_a_dateline() {
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

    proptest! {
        #[test]
        fn any_string_finite(s in any::<String>()) {
            let f = style_features(&s);
            prop_assert_eq!(f.len(), STYLE_FEATURE_NAMES.len());
            prop_assert!(f.iter().all(|v| v.is_finite() && *v >= 0.0 && *v <= 150.0));
        }


        #[test]
        fn newsy_strings_finite(s in "[A-Za-z .,!?\"“”’'\\-—\n#*•0-9:;()]{0,400}") {
            let f = style_features(&s);
            prop_assert!(f.iter().all(|v| v.is_finite() && *v >= 0.0 && *v <= 150.0));
        }
    }
}
