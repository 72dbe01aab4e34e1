//! Sentences and words of a text, with byte offsets.

/// Start of the sentence containing `pos` (after the last ". ", "! ", "? ", or newline).
pub(super) fn sentence_start(text: &str, pos: usize) -> usize {
    let b = text.as_bytes();
    let mut i = pos;
    while i > 0 {
        let c = b[i - 1];
        if c == b'\n' {
            return i;
        }
        if (c == b'.' || c == b'!' || c == b'?') && i < b.len() && (b[i] == b' ' || b[i] == b'"') {
            // skip abbreviations like "U.S. " or "Mr. " roughly: one/two letters before the dot
            let word_len = text[..i - 1].chars().rev().take_while(|c| c.is_alphabetic()).count();
            let prev_is_dot = i >= 3 && b[i - 3] == b'.';
            if word_len > 3 || (word_len > 1 && !prev_is_dot && !is_abbrev(&text[..i - 1])) {
                return i;
            }
        }
        i -= 1;
    }
    0
}

pub(super) fn is_abbrev(before: &str) -> bool {
    let w: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    matches!(
        w.as_str(),
        "Mr" | "Mrs"
            | "Ms"
            | "Dr"
            | "St"
            | "Gen"
            | "Sen"
            | "Rep"
            | "Gov"
            | "Lt"
            | "Col"
            | "Sgt"
            | "Jr"
            | "Sr"
            | "No"
            | "Inc"
            | "Co"
    )
}

/// End of the sentence containing `pos`.
pub(super) fn sentence_end(text: &str, pos: usize) -> usize {
    let b = text.as_bytes();
    let mut i = pos;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            return i;
        }
        if (c == b'.' || c == b'!' || c == b'?')
            && (i + 1 == b.len() || b[i + 1] == b' ' || b[i + 1] == b'\n')
        {
            let word_len = text[..i].chars().rev().take_while(|c| c.is_alphabetic()).count();
            let prev_is_dot = i >= 2 && b[i - 2] == b'.';
            if word_len > 3 || (word_len > 1 && !prev_is_dot && !is_abbrev(&text[..i])) {
                return i;
            }
        }
        i += 1;
    }
    b.len()
}

/// Words (byte start, byte end) in `text[a..b]`, splitting on whitespace and keeping
/// punctuation as separate one-char tokens.
pub(super) fn words(text: &str, a: usize, b: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text[a..b].char_indices() {
        let i = a + i;
        let wordish = c.is_alphanumeric()
            || c == '\''
            || c == '\u{2019}'
            || c == '-'
            || c == '.'
            || c == '/'
            || c == '&'
            || c == '!';
        if wordish {
            if start.is_none() {
                start = Some(i);
            }
        } else {
            if let Some(s) = start.take() {
                push_word(text, &mut out, s, i);
            }
            if !c.is_whitespace() {
                out.push((i, i + c.len_utf8()));
            }
        }
    }
    if let Some(s) = start {
        push_word(text, &mut out, s, b);
    }
    out
}

pub(super) fn push_word(text: &str, out: &mut Vec<(usize, usize)>, s: usize, mut e: usize) {
    // trailing sentence dot is punctuation unless the token is an abbreviation like "U.S."
    let w = &text[s..e];
    if w.len() > 1 && w.ends_with('.') && !w[..w.len() - 1].contains('.') && !is_abbrev(&w[..w.len() - 1]) {
        e -= 1;
        out.push((s, e));
        out.push((e, e + 1));
    } else {
        out.push((s, e));
    }
}

pub(super) fn lc(s: &str) -> String {
    s.to_lowercase().replace('\u{2019}', "'")
}

pub(super) fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}
