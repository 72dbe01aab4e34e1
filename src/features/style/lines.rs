//! Line kinds: page chrome, headings, list items and datelines. The text is plain (no markup), so
//! a line's kind is told from how it opens and how long it is.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind, StartKind};

use super::scan::Acc;

/// Page chrome line openings (matched at line start, short lines only).
const CHROME_PREFIXES: &[&str] = &[
    "previous article",
    "next article",
    "previous post",
    "next post",
    "prev article",
    "comments",
    "comment",
    "leave a comment",
    "leave a reply",
    "add comment",
    "post a comment",
    "latest stories",
    "latest news",
    "latest posts",
    "latest articles",
    "popular posts",
    "popular stories",
    "most popular",
    "most read",
    "related posts",
    "related articles",
    "related stories",
    "related:",
    "related news",
    "share this",
    "share on",
    "share:",
    "share",
    "read more",
    "read also",
    "also read",
    "read next",
    "continue reading",
    "subscribe",
    "sign up",
    "advertisement",
    "sponsored",
    "click here",
    "follow us",
    "newsletter",
    "no time to read",
    "get a summary",
    "you may also like",
    "you might also like",
    "recommended",
    "trending",
    "tags:",
    "tagged",
    "posted by",
    "posted in",
    "filed under",
    "by admin",
    "©",
    "copyright",
    "all rights reserved",
    "powered by",
    "loading",
    "view comments",
    "see also",
    "more from",
    "more stories",
    "back to top",
    "skip to content",
    "tweet",
    "email this",
    "print this",
];
/// Heading-like line openings (short lines not ending in '.').
const HEADING_PREFIXES: &[&str] = &[
    "key takeaways",
    "key takeaway",
    "takeaways",
    "analysis",
    "did you know",
    "in conclusion",
    "conclusion",
    "summary",
    "background",
    "introduction",
    "overview",
    "what we know",
    "what's next",
    "what’s next",
    "why it matters",
    "the bottom line",
    "bottom line",
    "tl;dr",
    "tldr",
    "highlights",
    "at a glance",
    "key points",
    "the big picture",
    "what happened",
    "what to know",
    "quick facts",
    "fast facts",
    "editor's note",
    "update:",
    "breaking:",
    "headline:",
    "title:",
    "rewritten:",
    "final thoughts",
    "faq",
];

/// The chrome prefixes then the heading prefixes as one anchored automaton, with the number of
/// chrome patterns (a match below it is chrome).
pub(super) fn line_ac() -> &'static (AhoCorasick, usize) {
    static AC: OnceLock<(AhoCorasick, usize)> = OnceLock::new();
    AC.get_or_init(|| {
        let pats: Vec<&str> = CHROME_PREFIXES.iter().chain(HEADING_PREFIXES).copied().collect();
        let ac = AhoCorasickBuilder::new()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&pats)
            .expect("line automaton");
        (ac, CHROME_PREFIXES.len())
    })
}

/// Dateline at the start of a line: an ALL-CAPS place, optional ", Month D" / ", State" and
/// "(...)" parts, then a dash: `SEOUL, May 5 -`, `PYONGYANG, March 3 --`, `WASHINGTON (x) —`,
/// `NEW YORK -`, `TEHRAN- `.
// `#[inline]`: its one caller is in `mod.rs`, another codegen unit; inlined there as when in one file.
#[inline]
pub(super) fn is_dateline(line: &str) -> bool {
    let b = line.as_bytes();
    let n = b.len();
    let mut i = 0;
    let mut run = 0;
    let mut max_run = 0;
    while i < n && i < 40 {
        let c = b[i];
        if c.is_ascii_uppercase() {
            run += 1;
            max_run = max_run.max(run);
            i += 1;
        } else if ((c == b' ' || c == b'-') && i + 1 < n && b[i + 1].is_ascii_uppercase())
            || c == b'.'
            || c == b'\''
        {
            run = 0;
            i += 1;
        } else {
            break;
        }
    }
    if max_run < 3 || i >= n {
        return false;
    }
    // Qualifier segment: ", Month D", ", Calif.", " (...)", up to 40 bytes, then a dash.
    let rest = &line[i..];
    let first = rest.as_bytes()[0];
    if !matches!(first, b',' | b' ' | b'(' | b'-' | b'/') && !rest.starts_with('—') && !rest.starts_with('–')
    {
        return false;
    }
    let mut words_in_qual = 0;
    let mut prev_space = true;
    for (j, ch) in rest.char_indices() {
        if j > 45 {
            return false;
        }
        match ch {
            '-' | '—' | '–' => {
                // dash must be followed by whitespace (or be '--' / an em dash)
                let after = &rest[j + ch.len_utf8()..];
                let nxt = after.chars().next().unwrap_or(' ');
                return nxt.is_whitespace() || nxt == '-' || ch != '-';
            }
            ',' | '.' | '(' | ')' | '/' => prev_space = true,
            c if c.is_whitespace() => prev_space = true,
            c if c.is_alphanumeric() => {
                if prev_space {
                    words_in_qual += 1;
                    if words_in_qual > 5 {
                        return false;
                    }
                }
                prev_space = false;
            }
            _ => return false,
        }
    }
    false
}

/// A list item: a bullet (`-`, `*` or `+` then a space; `•`, `▪`, `●`, `◦`) or a number of up to
/// three digits then `. ` or `) `.
// `#[inline]`: its one caller is in `mod.rs`, another codegen unit; inlined there as when in one file.
#[inline]
pub(super) fn is_list_line(line: &str) -> bool {
    let b = line.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'-' | b'*' | b'+') && b[1] == b' ' {
        return true;
    }
    if line.starts_with('•') || line.starts_with('▪') || line.starts_with('●') || line.starts_with('◦')
    {
        return true;
    }
    // "1. ", "12) "
    let mut i = 0;
    while i < b.len() && i < 3 && b[i].is_ascii_digit() {
        i += 1;
    }
    i > 0 && i + 1 < b.len() && matches!(b[i], b'.' | b')') && b[i + 1] == b' '
}

impl Acc {
    /// A dateline-only opening line ("NEW YORK") is not a heading.
    pub(super) fn dateline_line(&self, line: &str) -> bool {
        self.paragraphs <= 2 && line.len() <= 30 && !line.bytes().any(|c| c.is_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dateline_variants() {
        for s in [
            "SEOUL, May 5 - Officials met.",
            "PYONGYANG, March 3 -- Officials met.",
            "WASHINGTON (dateline) — Officials met.",
            "NEW YORK - Officials met.",
            "TEHRAN- Officials met.",
            "BEIJING, Nov. 11 -- A spokesperson said.",
            "SALEM, Ore. — Officials met.",
            "WASHINGTON—Officials met.",
        ] {
            assert!(is_dateline(s), "{s}");
        }
        for s in [
            "Officials met in Seoul - quietly.",
            "A US-led coalition - it said.",
            "Washington D.C. - Officials met.",
            "I - am here",
            "NASA said on Monday that the launch - planned for May - was delayed.",
            "",
        ] {
            assert!(!is_dateline(s), "{s}");
        }
    }
}
