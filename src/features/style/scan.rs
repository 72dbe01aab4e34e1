//! The one pass over a line's bytes: words (each looked up once in the word table), sentences,
//! punctuation and quotation, counted into [`Acc`], and told to a [`TokenSink`] as the masked
//! block's token stream. Most of the style block's time is spent here,
//! hence the byte classes, the ASCII runs and the stack-only words.

use super::words::{
    F_ABBR, F_ATTR, F_DAY, F_EVAL, F_HEDGE, F_I, F_INTENS, F_TRANS, F_WE, F_YOU, NO_FW, NO_KEPT, WordTable,
};
use crate::features::masked::{Mark, Shape, TokenSink};

/// Counts of each function word, by its index in [`FUNCTION_WORDS`](super::words::FUNCTION_WORDS).
pub(super) struct FwCounts(pub(super) [u32; 64]);

impl Default for FwCounts {
    fn default() -> Self {
        FwCounts([0; 64])
    }
}

/// Everything counted over one text in the one pass; the feature vector is read off it.
#[derive(Default)]
pub(super) struct Acc {
    // words
    pub(super) words: u32,
    pub(super) letters: u64,
    pub(super) long_words: u32,
    pub(super) numbers: u32,
    pub(super) capitalized: u32,
    pub(super) all_caps: u32,
    pub(super) contractions: u32,
    pub(super) attr: u32,
    pub(super) intens: u32,
    pub(super) eval: u32,
    pub(super) hedge: u32,
    pub(super) we: u32,
    pub(super) you: u32,
    pub(super) i: u32,
    pub(super) trans: u32,
    pub(super) day: u32,
    pub(super) fw: FwCounts,
    // sentences
    pub(super) sentences: u32,
    pub(super) sent_sum: f64,
    pub(super) sent_sumsq: f64,
    pub(super) first_sentence_words: u32,
    pub(super) questions: u32,
    pub(super) exclamations: u32,
    pub(super) reader_questions: u32,
    pub(super) trailing_attr: u32,
    // current sentence
    cur_words: u32,
    cur_you: bool,
    cur_last_attr: u32, // 1-based word index of last attribution word in sentence, 0 = none
    // punctuation / quotes
    pub(super) chars: u64,
    pub(super) quoted_chars: u64,
    pub(super) quote_spans: u32,
    pub(super) commas: u32,
    pub(super) semicolons: u32,
    pub(super) colons: u32,
    pub(super) dashes: u32,
    pub(super) parens: u32,
    // lines
    pub(super) paragraphs: u32,
    pub(super) headings: u32,
    pub(super) lists: u32,
    pub(super) chrome: u32,
    pub(super) dateline: bool,
}

/// Per-word scanning state (stack only).
struct Word {
    active: bool,
    len: usize,
    buf: [u8; 16],
    ascii: bool,
    letters: u32,
    upper: u32,
    digits: u32,
    first_upper: bool,
    first_digit: bool,
    apos: bool,
}

impl Word {
    const fn new() -> Self {
        Word {
            active: false,
            len: 0,
            buf: [0; 16],
            ascii: true,
            letters: 0,
            upper: 0,
            digits: 0,
            first_upper: false,
            first_digit: false,
            apos: false,
        }
    }
    #[inline]
    fn push_ascii(&mut self, c: u8) {
        if !self.active {
            self.active = true;
            self.first_upper = c.is_ascii_uppercase();
            self.first_digit = c.is_ascii_digit();
        }
        if c.is_ascii_digit() {
            self.digits += 1;
        } else if c.is_ascii_alphabetic() {
            self.letters += 1;
            if c.is_ascii_uppercase() {
                self.upper += 1;
            }
        } else if c == b'\'' {
            self.apos = true;
        }
        if self.len < 16 {
            self.buf[self.len] = c.to_ascii_lowercase();
        }
        self.len += 1;
    }
    #[inline]
    fn push_other_letter(&mut self, upper: bool) {
        if !self.active {
            self.active = true;
            self.first_upper = upper;
        }
        self.ascii = false;
        self.letters += 1;
        if upper {
            self.upper += 1;
        }
        self.len += 1;
    }
}

/// Byte classes for the word loop: one lookup instead of several range tests per byte.
const C_ALPHA: u8 = 1;
const C_UPPER: u8 = 2;
const C_DIGIT: u8 = 4;
const BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b.is_ascii_uppercase() {
            C_ALPHA | C_UPPER
        } else if b.is_ascii_lowercase() {
            C_ALPHA
        } else if b.is_ascii_digit() {
            C_DIGIT
        } else {
            0
        };
        c += 1;
    }
    t
};

/// [`Word::push_ascii`] for the whole run of ASCII letters and digits from `*i`, which must be
/// one: most of the text, so the counters stay in registers for the run.
#[inline]
fn push_ascii_run(w: &mut Word, b: &[u8], i: &mut usize) {
    let first = BYTE_CLASS[b[*i] as usize];
    if !w.active {
        w.active = true;
        w.first_upper = first & C_UPPER != 0;
        w.first_digit = first & C_DIGIT != 0;
    }
    let (mut letters, mut upper, mut digits, mut len) = (w.letters, w.upper, w.digits, w.len);
    let mut j = *i;
    while j < b.len() {
        let c = b[j];
        let k = BYTE_CLASS[c as usize];
        if k == 0 {
            break;
        }
        letters += (k & C_ALPHA != 0) as u32;
        upper += (k & C_UPPER != 0) as u32;
        digits += (k & C_DIGIT != 0) as u32;
        if len < 16 {
            w.buf[len] = c | ((k & C_UPPER) << 4);
        }
        len += 1;
        j += 1;
    }
    (w.letters, w.upper, w.digits, w.len) = (letters, upper, digits, len);
    *i = j;
}

impl Acc {
    #[inline]
    /// Count the finished word and tell it to `sink`; returns its lexicon flags (0 if not
    /// looked up).
    fn end_word(&mut self, w: &mut Word, table: &WordTable, sink: &mut impl TokenSink) -> u16 {
        if !w.active {
            return 0;
        }
        let mut flags = 0u16;
        let mut kept = NO_KEPT;
        self.words += 1;
        self.cur_words += 1;
        if w.digits > 0 {
            self.numbers += 1;
        }
        if w.letters > 0 {
            self.letters += w.letters as u64;
            if w.letters >= 7 {
                self.long_words += 1;
            }
            if w.first_upper {
                if self.cur_words > 1 {
                    self.capitalized += 1;
                }
                if w.upper == w.letters && w.letters >= 2 {
                    self.all_caps += 1;
                }
            }
            // Acronyms ("US", "IT", "AM") are not pronouns / function words.
            let acronym = w.upper == w.letters && w.letters >= 2;
            if w.ascii && w.len <= 16 && w.digits == 0 && !acronym {
                let info = table.get(u128::from_le_bytes(w.buf));
                let (fw, fl) = (info.fw, info.flags);
                kept = info.kept;
                flags = fl;
                // Capitalized mid-sentence "May" is the month, not a hedge.
                if w.first_upper && self.cur_words > 1 {
                    flags &= !F_HEDGE;
                }
                if fw != NO_FW {
                    self.fw.0[fw as usize] += 1;
                }
                if flags != 0 {
                    if flags & F_ATTR != 0 {
                        self.attr += 1;
                        self.cur_last_attr = self.cur_words;
                    }
                    if flags & F_INTENS != 0 {
                        self.intens += 1;
                    }
                    if flags & F_EVAL != 0 {
                        self.eval += 1;
                    }
                    if flags & F_HEDGE != 0 {
                        self.hedge += 1;
                    }
                    if flags & F_WE != 0 {
                        self.we += 1;
                    }
                    if flags & F_YOU != 0 {
                        self.you += 1;
                        self.cur_you = true;
                    }
                    if flags & F_I != 0 {
                        self.i += 1;
                    }
                    if flags & F_TRANS != 0 {
                        self.trans += 1;
                    }
                    if flags & F_DAY != 0 {
                        self.day += 1;
                    }
                }
            }
            if w.apos && w.ascii && w.len <= 16 {
                let b = &w.buf[..w.len];
                if b.ends_with(b"n't")
                    || b.ends_with(b"'re")
                    || b.ends_with(b"'ve")
                    || b.ends_with(b"'ll")
                    || b.ends_with(b"'m")
                    || b.ends_with(b"'d")
                {
                    self.contractions += 1;
                }
            }
        }
        let shape = if w.first_digit {
            Shape::Number
        } else if w.first_upper {
            if w.letters > 1 && w.upper == w.letters { Shape::AllCaps } else { Shape::Capitalized }
        } else {
            Shape::Lower
        };
        sink.word((kept != NO_KEPT).then_some(kept), shape);
        *w = Word::new();
        flags
    }

    #[inline]
    fn end_sentence(&mut self, question: bool, exclamation: bool) {
        if self.cur_words == 0 {
            return;
        }
        let n = self.cur_words as f64;
        if self.sentences == 0 {
            self.first_sentence_words = self.cur_words;
        }
        self.sentences += 1;
        self.sent_sum += n;
        self.sent_sumsq += n * n;
        if question {
            self.questions += 1;
            if self.cur_you {
                self.reader_questions += 1;
            }
        }
        if exclamation {
            self.exclamations += 1;
        }
        if self.cur_last_attr > 0 && self.cur_last_attr + 4 >= self.cur_words {
            self.trailing_attr += 1;
        }
        self.cur_words = 0;
        self.cur_you = false;
        self.cur_last_attr = 0;
    }
}

/// Result of scanning one line (for line-level classification).
pub(super) struct LineInfo {
    pub(super) words: u32,
    pub(super) lower_long_words: u32,
}

#[inline]
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '”' | '’' | '»')
}

/// Number of chars in a UTF-8 byte slice (non-continuation bytes).
#[inline]
fn char_count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| (c as i8) >= -0x40).count()
}

/// Scan one non-empty, trimmed line: words, sentences, punctuation, quotes.
// `#[inline]`: its one caller is in `mod.rs`, another codegen unit; inlined there as when in one file.
#[inline]
#[allow(unused_assignments)]
pub(super) fn scan_line(line: &str, acc: &mut Acc, table: &WordTable, sink: &mut impl TokenSink) -> LineInfo {
    let b = line.as_bytes();
    let n = b.len();
    let mut w = Word::new();
    let mut info = LineInfo { words: 0, lower_long_words: 0 };
    let mut in_straight = false;
    let mut in_curly = false;
    // byte offset where the current quoted span's content starts
    let mut quote_from = 0usize;
    // bytes, less the continuation bytes of each non-ASCII character (below)
    acc.chars += n as u64;
    macro_rules! set_quote {
        ($straight:expr, $curly:expr, $at:expr, $after:expr) => {{
            let was = in_straight || in_curly;
            in_straight = $straight;
            in_curly = $curly;
            let now = in_straight || in_curly;
            if !was && now {
                quote_from = $after;
            } else if was && !now {
                acc.quoted_chars += char_count(&b[quote_from..$at]) as u64;
            }
        }};
    }
    let mut i = 0usize;
    // Tracks the word that ended right before the current byte (for abbreviation checks).
    let mut last_word_end = usize::MAX;
    let mut last_word_short_cap = false;
    let mut last_word_abbr = false;

    macro_rules! finish_word {
        () => {
            if w.active {
                last_word_end = i;
                last_word_short_cap = w.letters == 1 && w.digits == 0 && w.len == 1;
                info.words += 1;
                if !w.first_upper && w.letters >= 4 {
                    info.lower_long_words += 1;
                }
                last_word_abbr = acc.end_word(&mut w, table, sink) & F_ABBR != 0;
            }
        };
    }

    while i < n {
        let c = b[i];
        if c < 0x80 {
            if c.is_ascii_alphanumeric() {
                push_ascii_run(&mut w, b, &mut i);
                continue;
            }
            // apostrophe inside a word ("don't"), decimal point / thousands separator in numbers
            if w.active && i + 1 < n {
                let next = b[i + 1];
                if (c == b'\'' && next.is_ascii_alphabetic() && w.letters > 0)
                    || ((c == b'.' || c == b',') && w.digits > 0 && w.letters == 0 && next.is_ascii_digit())
                {
                    w.push_ascii(c);
                    i += 1;
                    continue;
                }
            }
            finish_word!();
            match c {
                b'"' => {
                    sink.mark(Mark::Quote);
                    set_quote!(!in_straight, in_curly, i, i + 1);
                    if in_straight {
                        acc.quote_spans += 1;
                    }
                    i += 1;
                    continue;
                }
                b'.' | b'!' | b'?' => {
                    let start = i;
                    let mut q = false;
                    let mut ex = false;
                    while i < n && matches!(b[i], b'.' | b'!' | b'?') {
                        sink.mark(Mark::Punct(b[i]));
                        q |= b[i] == b'?';
                        ex |= b[i] == b'!';
                        i += 1;
                    }
                    let run = i - start;
                    let abbrev = run == 1
                        && b[start] == b'.'
                        && last_word_end == start
                        && (last_word_short_cap || last_word_abbr);
                    if !abbrev {
                        // boundary if followed (after closing quotes/brackets) by space or end
                        let rest = &line[i..];
                        let mut boundary = true;
                        for ch in rest.chars() {
                            if is_closer(ch) {
                                continue;
                            }
                            boundary = ch.is_whitespace();
                            break;
                        }
                        if boundary {
                            acc.end_sentence(q, ex);
                        }
                    }
                    continue;
                }
                b',' | b';' | b':' | b'(' => {
                    sink.mark(Mark::Punct(c));
                    *match c {
                        b',' => &mut acc.commas,
                        b';' => &mut acc.semicolons,
                        b':' => &mut acc.colons,
                        _ => &mut acc.parens,
                    } += 1;
                }
                b'-' => {
                    if i + 1 < n && b[i + 1] == b'-' {
                        sink.mark(Mark::DoubleDash);
                        acc.dashes += 1;
                        i += 2;
                        while i < n && b[i] == b'-' {
                            i += 1;
                        }
                        continue;
                    }
                    sink.mark(Mark::Dash);
                    if i > 0 && b[i - 1] == b' ' && i + 1 < n && b[i + 1] == b' ' {
                        acc.dashes += 1;
                    }
                }
                // Doubled backticks and apostrophes are one quotation mark.
                b'`' | b'\'' => {
                    sink.mark(Mark::Quote);
                    if b.get(i + 1) == Some(&c) {
                        i += 1;
                    }
                }
                b'_' => sink.mark(Mark::Underscore),
                c if c.is_ascii_graphic() => sink.mark(Mark::Punct(c)),
                _ => {}
            }
            i += 1;
        } else {
            // non-ASCII: decode one char
            let ch = line[i..].chars().next().unwrap_or('\u{FFFD}');
            let len = ch.len_utf8();
            acc.chars -= len as u64 - 1;
            match ch {
                '’' | 'ʼ' if w.active && w.letters > 0 && i + len < n && b[i + len].is_ascii_alphabetic() =>
                {
                    w.push_ascii(b'\'');
                }
                '“' | '„' | '«' => {
                    finish_word!();
                    sink.mark(Mark::Quote);
                    if !in_curly {
                        acc.quote_spans += 1;
                    }
                    set_quote!(in_straight, true, i, i + len);
                }
                '”' | '»' => {
                    finish_word!();
                    sink.mark(Mark::Quote);
                    set_quote!(in_straight, false, i, i + len);
                }
                '—' | '–' | '―' => {
                    finish_word!();
                    sink.mark(Mark::EmDash);
                    acc.dashes += 1;
                }
                '…' => {
                    finish_word!();
                    sink.mark(Mark::Ellipsis);
                }
                '‘' | '’' => {
                    finish_word!();
                    sink.mark(Mark::Quote);
                }
                '−' => {
                    finish_word!();
                    sink.mark(Mark::EmDash);
                }
                c2 if c2.is_alphanumeric() => {
                    w.push_other_letter(c2.is_uppercase());
                }
                _ => {
                    finish_word!();
                }
            }
            i += len;
        }
    }
    finish_word!();
    set_quote!(false, false, n, n);
    // A line break always closes the sentence (headings, list items, unterminated paragraphs).
    let last = line.chars().next_back().unwrap_or(' ');
    acc.end_sentence(last == '?', last == '!');
    info
}

#[cfg(test)]
mod tests {
    use super::super::words::word_table;
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The run-at-a-time word loop builds the same word as pushing byte by byte.
        #[test]
        fn ascii_run_same_as_byte_by_byte(before in "[a-zA-Z0-9']{0,4}", run in "[a-zA-Z0-9]{1,24}", after in "[ .,'-]{0,3}") {
            let (mut a, mut b) = (Word::new(), Word::new());
            for c in before.bytes() {
                a.push_ascii(c);
                b.push_ascii(c);
            }
            let text = format!("{run}{after}");
            for c in run.bytes() {
                a.push_ascii(c);
            }
            let mut i = 0;
            push_ascii_run(&mut b, text.as_bytes(), &mut i);
            prop_assert_eq!(i, run.len());
            prop_assert_eq!(
                (a.active, a.len, a.buf, a.letters, a.upper, a.digits, a.first_upper, a.apos),
                (b.active, b.len, b.buf, b.letters, b.upper, b.digits, b.first_upper, b.apos)
            );
        }

        /// Characters are counted as bytes less continuation bytes, in the one pass.
        #[test]
        fn line_scan_counts_characters(s in "[A-Za-zÉé .,\"“”’'—…0-9ʼ«»]{1,80}") {
            let mut acc = Acc::default();
            scan_line(&s, &mut acc, word_table(), &mut ());
            prop_assert_eq!(acc.chars, s.chars().count() as u64);
        }
    }
}
