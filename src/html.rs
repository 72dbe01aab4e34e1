//! The readable text of an HTML page: tags, comments, scripts, styles and other non-text elements
//! dropped, character references decoded, block elements turned into line breaks. Built on
//! html5ever's tokenizer (the WHATWG algorithm, no tree), so malformed markup is read the way a
//! browser reads it, in one pass and in memory proportional to the page.
use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use std::cell::{Cell, RefCell};

/// Elements whose content is not text a reader sees, read raw (no tags inside).
fn raw_skipped(name: &str) -> Option<RawKind> {
    match name {
        "script" => Some(RawKind::ScriptData),
        // The headline is in the body; the title adds the site's name.
        "title" => Some(RawKind::Rcdata),
        "style" | "noscript" | "iframe" | "noembed" | "noframes" | "xmp" => Some(RawKind::Rawtext),
        _ => None,
    }
}

/// Elements whose content (with tags inside) is not shown: skipped up to the matching end tag.
fn nested_skipped(name: &str) -> bool {
    matches!(name, "template" | "svg" | "math" | "select")
}

/// Elements that start a new paragraph (a blank line) or a new line.
fn breaks(name: &str) -> &'static str {
    match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "article" | "section" | "header"
        | "footer" | "main" | "aside" | "nav" | "figure" | "table" | "ul" | "ol" | "dl" | "pre" | "hr"
        | "address" | "form" | "fieldset" | "details" | "body" => "\n\n",
        "br" | "div" | "li" | "tr" | "dt" | "dd" | "figcaption" | "caption" | "summary" | "option"
        | "legend" => "\n",
        "td" | "th" => "\t",
        _ => "",
    }
}

#[derive(Default)]
struct Sink {
    out: RefCell<String>,
    /// Inside a raw-skipped element: its name.
    raw: RefCell<Option<String>>,
    /// Name and depth of the nested-skipped element we are in, if any.
    nested: RefCell<Option<(String, u32)>>,
    in_pre: Cell<u32>,
    /// Whitespace seen since the last word, to be written as one space before the next.
    pending_space: Cell<bool>,
}

impl Sink {
    fn push_break(&self, b: &str) {
        if b.is_empty() {
            return;
        }
        let mut out = self.out.borrow_mut();
        while out.ends_with(' ') || out.ends_with('\t') {
            out.pop();
        }
        self.pending_space.set(false);
        if out.is_empty() {
            return;
        }
        if b == "\t" {
            out.push(' ');
            return;
        }
        let have = out.len() - out.trim_end_matches('\n').len();
        for _ in have..b.len() {
            out.push('\n');
        }
    }

    fn push_text(&self, t: &str) {
        let mut out = self.out.borrow_mut();
        if self.in_pre.get() > 0 {
            out.push_str(t);
            return;
        }
        for (i, word) in t.split(|c: char| c.is_ascii_whitespace()).enumerate() {
            if i > 0 {
                self.pending_space.set(true);
            }
            if word.is_empty() {
                continue;
            }
            if self.pending_space.get() && !out.is_empty() && !out.ends_with('\n') && !out.ends_with(' ') {
                out.push(' ');
            }
            self.pending_space.set(false);
            out.push_str(word);
        }
        if t.ends_with(|c: char| c.is_ascii_whitespace()) {
            self.pending_space.set(true);
        }
    }

    fn tag(&self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        if let Some((skip, depth)) = self.nested.borrow_mut().as_mut() {
            if name == skip.as_str() && !tag.self_closing {
                match tag.kind {
                    TagKind::StartTag => *depth += 1,
                    TagKind::EndTag => *depth -= 1,
                }
            }
            if *depth > 0 {
                return TokenSinkResult::Continue;
            }
        }
        if self.nested.borrow().as_ref().is_some_and(|(_, d)| *d == 0) {
            *self.nested.borrow_mut() = None;
            return TokenSinkResult::Continue;
        }
        match tag.kind {
            TagKind::StartTag => {
                if let Some(kind) = raw_skipped(name) {
                    if !tag.self_closing {
                        *self.raw.borrow_mut() = Some(name.to_string());
                        return TokenSinkResult::RawData(kind);
                    }
                    return TokenSinkResult::Continue;
                }
                if nested_skipped(name) && !tag.self_closing {
                    *self.nested.borrow_mut() = Some((name.to_string(), 1));
                    return TokenSinkResult::Continue;
                }
                if name == "pre" || name == "textarea" {
                    self.in_pre.set(self.in_pre.get() + 1);
                }
                self.push_break(breaks(name));
                if name == "textarea" {
                    return TokenSinkResult::RawData(RawKind::Rcdata);
                }
                if name == "plaintext" {
                    return TokenSinkResult::Plaintext;
                }
            }
            TagKind::EndTag => {
                if name == "pre" || name == "textarea" {
                    self.in_pre.set(self.in_pre.get().saturating_sub(1));
                }
                self.push_break(breaks(name));
            }
        }
        TokenSinkResult::Continue
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if self.raw.borrow().is_some() {
            // Raw content ends at the matching end tag; the tokenizer only emits that one.
            if let Token::TagToken(t) = &token
                && t.kind == TagKind::EndTag
                && self.raw.borrow().as_deref() == Some(&*t.name)
            {
                *self.raw.borrow_mut() = None;
            }
            return TokenSinkResult::Continue;
        }
        match token {
            Token::TagToken(t) => self.tag(&t),
            Token::CharacterTokens(s) => {
                if self.nested.borrow().is_none() {
                    self.push_text(&s);
                }
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// The text of an HTML document or fragment. Never fails: anything is some HTML.
pub fn html_to_text(html: &str) -> String {
    let tok = Tokenizer::new(Sink::default(), Default::default());
    let input = BufferQueue::default();
    // Feed in pieces so the tokenizer's buffers stay small on large pages.
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(64 << 10);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        input.push_back(StrTendril::from_slice(&rest[..cut]));
        rest = &rest[cut..];
        while !matches!(tok.feed(&input), TokenizerResult::Done) {}
    }
    tok.end();
    let out = tok.sink.out.take();
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_scripts_styles_and_keeps_text() {
        let page = "<!DOCTYPE html><html><head><title>Ignored head</title><style>p{color:red}</style>\
            <script>var x = '<p>not text</p>';</script></head><body><!-- a comment -->\
            <h1>Talks &amp; trade</h1><p>Officials <b>said</b> on\n  Monday&nbsp;that&#x2019;s all.</p>\
            <script type=\"text/javascript\">if (a < b) { document.write('</div>'); }</script>\
            <ul><li>one</li><li>two</li></ul><template><p>hidden</p></template><noscript>Enable JS</noscript>\
            <pre>  keep   this</pre></body></html>";
        let t = html_to_text(page);
        assert_eq!(
            t,
            "Talks & trade\n\nOfficials said on Monday\u{a0}that\u{2019}s all.\n\none\ntwo\n\n  keep   this"
        );
    }

    #[test]
    fn malformed_markup_is_still_read() {
        assert_eq!(html_to_text("<p>open <b>bold <i>both</p> after"), "open bold both\n\nafter");
        assert_eq!(html_to_text("text < 5 and > 3"), "text < 5 and > 3");
        assert_eq!(html_to_text("<script>never closed"), "");
        assert_eq!(html_to_text("a<br>b<br/>c"), "a\nb\nc");
        assert_eq!(html_to_text("<svg><text>x</text><svg>y</svg>z</svg>after"), "after");
        assert_eq!(html_to_text(""), "");
    }
}
