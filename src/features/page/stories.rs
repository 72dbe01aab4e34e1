//! Pages that hold several stories: a digest ("Top stories in 60 words"), a newsletter, a briefs
//! column. Read as one text, their short bodies joined by blank lines look like one wire report
//! with paragraphs. So the page is cut into its stories and each story's body is judged the way
//! the corpus rows were written (the body alone: titles are a column of their own, and credit
//! lines are page furniture); the page's verdict is theirs together.
//!
//! A story is recognised by structure alone: a headline line, at least [`MIN_STORY_WORDS`] words
//! of prose, then credit lines, with one credit-line pattern ("short by ...", "Source: ...",
//! "(Reporting by ...") repeated after every story. None of the 25,915 corpus v2 rows (all single
//! articles, many inside real page chrome, with subheads, "Advertisement" breaks and related-post
//! lists) is cut.
use super::is_chrome_line;

/// Fewer words of prose than this is a teaser or a caption, not a story.
pub const MIN_STORY_WORDS: usize = 40;
/// A headline has at least this many words ("News Flash" and "Past Coverage" are labels).
const MIN_HEADLINE_WORDS: usize = 3;
/// The repeated credit line must come within this many lines after each story's body.
const FOOTER_REACH: usize = 3;

/// One story of a multi-story page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    /// Its headline line.
    pub title: String,
    /// Its body, the prose between headline and credit lines: what the model judges.
    pub body: String,
    /// Where the body is in the page text (bytes).
    pub span: std::ops::Range<usize>,
    /// Its credit lines ("read more at The Guardian", "Source: Reuters").
    pub credits: Vec<String>,
}

/// A run of lines that are all prose or all chrome: `[start, end)` over the non-empty lines.
struct Run {
    chrome: bool,
    start: usize,
    end: usize,
}

/// The shape of a credit line: its first three tokens, with capitalised words and numbers
/// masked, so "read more at Hindustan Times" and "read more at The Guardian" match, and
/// "Source: Reuters" matches "Source: AP".
fn footer_shape(line: &str) -> String {
    let mut shape: Vec<&str> = Vec::with_capacity(3);
    for w in line.split_whitespace() {
        let first = w.chars().find(|c| c.is_alphanumeric());
        let masked = match first {
            Some(c) if c.is_uppercase() && shape.is_empty() => None,
            Some(c) if c.is_uppercase() || c.is_numeric() => Some("X"),
            _ => None,
        };
        let token = match masked {
            Some(m) => m,
            None => w,
        };
        if token == "X" && shape.last() == Some(&"X") {
            continue;
        }
        shape.push(token);
        if shape.len() == 3 {
            break;
        }
    }
    shape.join(" ").to_lowercase()
}

/// Whether a page may hold stories: at least two prose lines right after a headline-like chrome
/// line. Single articles nearly all fail it; [`super::page_features`] answers it from the chrome
/// flags it has anyway, so scoring does not walk the text again.
pub fn may_hold_stories<'a>(lines: impl IntoIterator<Item = (&'a str, bool)>) -> bool {
    let mut after_headline = false;
    let mut seen = 0;
    for (line, chrome) in lines {
        if !chrome && after_headline {
            seen += 1;
            if seen == 2 {
                return true;
            }
        }
        after_headline = chrome && line.split_whitespace().nth(MIN_HEADLINE_WORDS - 1).is_some();
    }
    false
}

/// The stories of a page, or an empty list when it holds fewer than two (every single article).
pub fn stories(text: &str) -> Vec<Story> {
    // The non-empty lines, trimmed, and where each is in the text.
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end();
        let start = at + (line.len() - line.trim_start().len());
        if start < at + line.len() {
            spans.push(start..at + line.len());
        }
        at += raw.len();
    }
    let lines: Vec<&str> = spans.iter().map(|r| &text[r.clone()]).collect();
    let chrome: Vec<bool> = lines.iter().map(|l| is_chrome_line(l)).collect();
    let mut runs: Vec<Run> = Vec::new();
    for (i, &c) in chrome.iter().enumerate() {
        match runs.last_mut() {
            Some(r) if r.chrome == c => r.end = i + 1,
            _ => runs.push(Run { chrome: c, start: i, end: i + 1 }),
        }
    }
    // Bodies: prose runs long enough to be a story, each right after a headline.
    let words = |r: &Run| lines[r.start..r.end].iter().map(|l| l.split_whitespace().count()).sum::<usize>();
    let bodies: Vec<usize> =
        (0..runs.len()).filter(|&k| !runs[k].chrome && k > 0 && words(&runs[k]) >= MIN_STORY_WORDS).collect();
    if bodies.len() < 2 {
        return Vec::new();
    }
    let headline = |k: usize| lines[runs[k].start - 1];
    let footer_lines = |k: usize| -> &[&str] {
        match runs.get(k + 1) {
            Some(r) => &lines[r.start..r.end.min(r.start + FOOTER_REACH)],
            None => &[],
        }
    };
    // Headlines: real ones (several words), all different, none a credit line itself.
    let titles: Vec<&str> = bodies.iter().map(|&k| headline(k)).collect();
    if titles.iter().any(|t| t.split_whitespace().count() < MIN_HEADLINE_WORDS) {
        return Vec::new();
    }
    let mut distinct: Vec<String> = titles.iter().map(|t| t.to_lowercase()).collect();
    distinct.sort();
    distinct.dedup();
    if distinct.len() < titles.len() {
        return Vec::new();
    }
    // The credit-line shapes every story shares.
    let mut shared: Vec<String> = footer_lines(bodies[0]).iter().map(|l| footer_shape(l)).collect();
    for &k in &bodies[1..] {
        let shapes: Vec<String> = footer_lines(k).iter().map(|l| footer_shape(l)).collect();
        shared.retain(|s| shapes.contains(s));
    }
    if shared.is_empty() || titles.iter().any(|t| shared.contains(&footer_shape(t))) {
        return Vec::new();
    }
    // Each story runs from its headline to its last shared credit line.
    let footer_end = |k: usize| -> usize {
        let start = runs.get(k + 1).map_or(runs[k].end, |r| r.start);
        let n = footer_lines(k).iter().rposition(|l| shared.contains(&footer_shape(l))).map_or(0, |i| i + 1);
        start + n
    };
    bodies
        .iter()
        .map(|&k| {
            let credits_from = runs.get(k + 1).map_or(runs[k].end, |r| r.start);
            let span = spans[runs[k].start].start..spans[runs[k].end - 1].end;
            Story {
                title: headline(k).to_string(),
                body: text[span.clone()].to_string(),
                span,
                credits: lines[credits_from..footer_end(k)].iter().map(|l| l.to_string()).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(topic: &str) -> String {
        format!(
            "Officials said on Monday that the plan for {topic} would go ahead next month after a long review. \
             The change follows months of talks between the city and local groups, who had asked for more time. \
             A spokesman said the details would be published in the coming weeks, and that costs would be shared."
        )
    }

    fn digest(footer: impl Fn(usize) -> String) -> String {
        let mut s = String::from("Top stories today\n\n");
        for (i, t) in
            ["Metro fares to rise next month", "City opens three new parks", "Port strike ends after talks"]
                .iter()
                .enumerate()
        {
            s += &format!("{t}\n{}\n{}\n\n", body(t), footer(i));
        }
        s + "Subscribe to our newsletter\n"
    }

    #[test]
    fn a_digest_is_cut_into_its_stories() {
        let outlets = ["Hindustan Times", "The Guardian", "India Today"];
        let page = digest(|i| format!("short by Ann Rao / 09:1{i} am\nread more at {}", outlets[i]));
        let s = stories(&page);
        assert_eq!(s.len(), 3);
        assert_eq!(s[1].title, "City opens three new parks");
        // each story has its own body and credit lines, and nothing of the others
        assert_eq!(s[1].body, body("City opens three new parks"));
        assert_eq!(&page[s[1].span.clone()], s[1].body);
        assert_eq!(s[1].credits, ["short by Ann Rao / 09:11 am", "read more at The Guardian"]);
        assert_eq!(s[2].credits, ["short by Ann Rao / 09:12 am", "read more at India Today"]);
        let sources = digest(|i| format!("Source: {}", ["Reuters", "AP", "AFP"][i]));
        let s = stories(&sources);
        assert_eq!(s.len(), 3);
        assert_eq!(s[2].credits, ["Source: AFP"]);
    }

    #[test]
    fn single_articles_are_not_cut() {
        // one story
        assert!(stories(&format!("A headline of some words\n{}\nSource: Reuters", body("x"))).is_empty());
        // paragraphs with subheads but no repeated credit line
        let subheads = format!("Main headline here\n{}\nWhat happens next\n{}\n", body("a"), body("b"));
        assert!(stories(&subheads).is_empty());
        // the same break after every paragraph, under the same line: "Advertisement" pages
        let ads = format!(
            "Continue reading the story\n{}\nAdvertisement\nContinue reading the story\n{}\nAdvertisement\n",
            body("a"),
            body("b")
        );
        assert!(stories(&ads).is_empty());
        // two-word labels before the prose are not headlines
        let labels =
            format!("News Flash\n{}\nMore news\nPast Coverage\n{}\nMore news\n", body("a"), body("b"));
        assert!(stories(&labels).is_empty());
        assert!(stories("").is_empty());
    }

    #[test]
    fn the_cheap_check_lets_every_cut_page_through() {
        fn flags(t: &str) -> Vec<(&str, bool)> {
            t.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| (l, is_chrome_line(l))).collect()
        }
        let page = digest(|i| format!("Source: {}", ["Reuters", "AP", "AFP"][i]));
        assert!(may_hold_stories(flags(&page)));
        assert!(!may_hold_stories(flags(&body("a"))));
        // Windows line ends and paragraphs inside a story's body
        let crlf = page.replace("a long review. ", "a long review.\n\n").replace('\n', "\r\n");
        let s = stories(&crlf);
        assert_eq!(s.len(), 3);
        assert_eq!(&crlf[s[0].span.clone()], s[0].body);
        assert!(s[0].body.contains("review.\r\n\r\nThe change"), "{:?}", s[0].body);
        assert!(!s[0].body.ends_with('\r') && !s[0].title.ends_with('\r'));
    }

    #[test]
    fn footer_shapes_mask_names_and_numbers() {
        assert_eq!(footer_shape("read more at Hindustan Times"), footer_shape("read more at The Guardian"));
        assert_eq!(footer_shape("Source: Reuters"), footer_shape("Source: AP"));
        assert_eq!(footer_shape("short by Ann Rao / 09:14 am"), "short by x");
        assert_ne!(footer_shape("read more at X"), footer_shape("Source: X"));
    }
}

/// Any text at all: no panic, spans that hold the bodies, and the cheap check never turns away a
/// page the split would cut.
#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    const PROSE: &str = "Officials said on Monday that the plan would go ahead next month after a long review of costs. \
        The change follows months of talks between the city and local groups, who had asked for more time and money.";

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just(PROSE.to_string()),
            Just("Metro fares to rise next month".to_string()),
            "[A-Z][a-z]{2,8}( [a-z]{2,8}){2,6}".prop_map(|s| s),
            "(Source|read more at|short by) [A-Z][a-z]{2,8}".prop_map(|s| s),
            any::<String>(),
        ]
    }

    /// A story (headline, one or two paragraphs, a credit line) or any one line.
    fn block() -> impl Strategy<Value = Vec<String>> {
        let story = ("[A-Z][a-z]{2,8}( [a-z]{2,8}){2,6}", 1..3usize, "(Source:|short by) [A-Z][a-z]{2,8}")
            .prop_map(|(title, n, credit)| {
                std::iter::once(title)
                    .chain(std::iter::repeat_n(PROSE.to_string(), n))
                    .chain([credit])
                    .collect()
            });
        prop_oneof![story, line().prop_map(|l| vec![l])]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_page_splits_safely(blocks in prop::collection::vec(block(), 0..8), crlf in any::<bool>()) {
            let text = blocks.concat().join(if crlf { "\r\n" } else { "\n" });
            let s = stories(&text);
            prop_assert!(s.len() != 1);
            let flags = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| (l, is_chrome_line(l)));
            if !s.is_empty() {
                prop_assert!(may_hold_stories(flags));
            }
            for st in &s {
                prop_assert_eq!(&text[st.span.clone()], st.body.as_str());
                prop_assert!(!st.title.is_empty() && !st.credits.is_empty());
            }
        }
    }
}
