//! Whose voice a phrase is in. "Imperialists" in the article's own voice is state-media framing;
//! the same word inside quotation marks, or in a sentence that attributes a label to someone
//! else ("KCNA called them ..."), is a report *about* that framing. The framing block counts the
//! two apart.

/// Byte ranges of `text` that are quoted: between typographic double quotes, between straight
/// double quotes (paired within a paragraph), between the AQUAINT-style `` and '' marks, and
/// between a typographic single opening quote and its closing one.
pub fn quoted_ranges(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut open: Option<(usize, u8)> = None; // start byte, kind
    let mut i = 0;
    while i < b.len() {
        // Most bytes open or close nothing: skip to the next one that might.
        match b[i..].iter().position(|&c| matches!(c, b'\n' | b'"' | b'`' | b'\'' | 0xE2)) {
            Some(p) => i += p,
            None => break,
        }
        let c = b[i];
        // Paragraph break: an unclosed straight quote does not run on (quoted paragraphs often
        // leave it open by convention).
        if c == b'\n' && b.get(i + 1) == Some(&b'\n') {
            if let Some((s, k)) = open
                && (k == b'"' || k == b'`')
            {
                out.push((s, i));
                open = None;
            }
            i += 2;
            continue;
        }
        let (kind, len) = match c {
            b'"' => (b'"', 1),
            b'`' if b.get(i + 1) == Some(&b'`') => (b'`', 2),
            b'\'' if b.get(i + 1) == Some(&b'\'') => (b'\'', 2),
            0xE2 if b.get(i + 1) == Some(&0x80) => match b.get(i + 2) {
                Some(0x9C) => (b'L', 3), // left double
                Some(0x9D) => (b'R', 3), // right double
                Some(0x98) => (b'l', 3), // left single
                Some(0x99) => (b'r', 3), // right single (or apostrophe)
                _ => (0, 3),
            },
            _ => (0, 1),
        };
        match (open, kind) {
            (None, b'"') => open = Some((i + len, b'"')),
            (Some((s, b'"')), b'"') => {
                out.push((s, i));
                open = None;
            }
            (None, b'`') => open = Some((i + len, b'`')),
            (Some((s, b'`')), b'\'') => {
                out.push((s, i));
                open = None;
            }
            (None | Some((_, b'l')), b'L') => open = Some((i + len, b'L')),
            (Some((s, b'L')), b'R') => {
                out.push((s, i));
                open = None;
            }
            // A left single quote opens only where no double quote is open; a right single
            // quote closes it only when it is not an apostrophe inside a word.
            (None, b'l') => open = Some((i + len, b'l')),
            (Some((s, b'l')), b'r') => {
                let next_is_letter = b.get(i + len).is_some_and(|n| n.is_ascii_alphabetic());
                if !next_is_letter {
                    out.push((s, i));
                    open = None;
                }
            }
            _ => {}
        }
        i += len;
    }
    out
}

/// Words that, in the same sentence, put a label in someone else's mouth.
const DISTANCING: &[&str] = &[
    "called",
    "calls",
    "calling",
    "described",
    "describes",
    "describing",
    "dubbed",
    "dubs",
    "branded",
    "brands",
    "labeled",
    "labelled",
    "termed",
    "terms",
    "referred to",
    "refers to",
    "what it",
    "what they",
    "so-called by",
];

/// For each `(start, end)` span: is it quoted, or in a sentence with a distancing verb?
pub fn reported_spans(text: &str, spans: &[(usize, usize)]) -> Vec<bool> {
    if spans.is_empty() {
        return Vec::new();
    }
    let quoted = quoted_ranges(text);
    // Framing terms come in clusters: one answer per sentence.
    let mut last: Option<((usize, usize), bool)> = None;
    spans
        .iter()
        .map(|&(s, e)| {
            if quoted.iter().any(|&(qs, qe)| qs <= s && e <= qe) {
                return true;
            }
            let range = sentence_around(text, s, e);
            match last {
                Some((r, distanced)) if r == range => distanced,
                _ => {
                    let distanced = has_distancing_word(&text[range.0..range.1]);
                    last = Some((range, distanced));
                    distanced
                }
            }
        })
        .collect()
}

/// The sentence holding bytes `s..e`: back to the last '.', '!', '?' or line break before it,
/// on to the first after it.
fn sentence_around(text: &str, s: usize, e: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let stop = |c: u8| matches!(c, b'.' | b'!' | b'?' | b'\n');
    let start = b[..s].iter().rposition(|&c| stop(c)).map_or(0, |p| p + 1);
    let end = b[e..].iter().position(|&c| stop(c)).map_or(b.len(), |p| e + p);
    (start, end)
}

/// Does `sentence` hold one of [`DISTANCING`] as whole words, in any ASCII case? One
/// automaton pass (overlapping, so a match that fails its word boundaries hides no other).
fn has_distancing_word(sentence: &str) -> bool {
    use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
    static AC: std::sync::OnceLock<AhoCorasick> = std::sync::OnceLock::new();
    let ac = AC.get_or_init(|| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(DISTANCING)
            .expect("the distancing words compile")
    });
    let b = sentence.as_bytes();
    ac.find_overlapping_iter(sentence).any(|m| {
        let before = m.start() == 0 || !b[m.start() - 1].is_ascii_alphanumeric();
        let after = m.end() == b.len() || !b[m.end()].is_ascii_alphanumeric();
        before && after
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reported(text: &str, word: &str) -> bool {
        let s = text.find(word).unwrap();
        reported_spans(text, &[(s, s + word.len())])[0]
    }

    #[test]
    fn quotes_of_every_kind() {
        assert!(reported("KCNA blamed the \"U.S. imperialists\" for it.", "imperialists"));
        assert!(reported("It blamed the \u{201c}U.S. imperialists\u{201d} for it.", "imperialists"));
        assert!(reported("It blamed the ``U.S. imperialists'' for it.", "imperialists"));
        assert!(reported("It blamed the \u{2018}imperialists\u{2019} again.", "imperialists"));
        assert!(!reported("The U.S. imperialists are to blame, it's clear.", "imperialists"));
    }

    #[test]
    fn apostrophes_do_not_close_single_quotes() {
        let t = "He said \u{2018}the enemy\u{2019}s puppets\u{2019} were ready.";
        assert!(reported(t, "puppets"));
    }

    #[test]
    fn distancing_verbs_in_the_same_sentence() {
        assert!(reported("Pyongyang called them imperialists on Monday. Talks went on.", "imperialists"));
        assert!(!reported("Pyongyang met them on Monday. The imperialists went on.", "imperialists"));
        assert!(reported("The agency described the drills as provocations by puppets.", "puppets"));
    }

    #[test]
    fn distancing_words_must_stand_alone_in_any_case() {
        assert!(has_distancing_word("The agency REFERRED TO them"));
        assert!(has_distancing_word("recalled, then called them"));
        assert!(!has_distancing_word("He recalled the brandshop termsx"));
        assert!(has_distancing_word("somewhat, what it said"));
        assert!(!has_distancing_word("somewhat it said"));
    }

    #[test]
    fn an_open_quote_stops_at_the_paragraph() {
        let t = "He said: \"the talks failed.\n\nThe imperialists are to blame.";
        assert!(!reported(t, "imperialists"));
    }
}
