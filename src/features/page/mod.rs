//! Page structure: where the article's body is and what surrounds it. A scraped page keeps its
//! chrome (menus, related-post lists, share bars, comment forms, footers). Chrome alone decides
//! nothing (Reuters and newspaper pages have it too); what differs is its kind (repost credits,
//! "Popular posts from this blog", SEO furniture against a publisher's print and copyright lines)
//! and how the copy sits in it.

pub mod stories;
pub use stories::{Story, may_hold_stories, stories};

/// Names of the page features, in order (the style block appends them after its own).
pub const PAGE_FEATURE_NAMES: &[&str] = &[
    "page_chrome_line_share",
    "page_chrome_lines_before",
    "page_chrome_lines_after",
    "page_chrome_lines_inside",
    "page_menu_runs",
    "page_separator_lines",
    "page_repost_markers",
    "page_publisher_markers",
    "page_social_markers",
    "page_comment_markers",
    "page_credit_lines",
    "page_body_char_share",
];

/// A line that is not running prose: short, or without a sentence end.
pub fn is_chrome_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    // Words counted up to 20 only: past that a line is prose whatever it ends with.
    let mut words = 0;
    let mut in_word = false;
    for &c in t.as_bytes() {
        let space = c == b' ' || c == b'\t';
        if !space && !in_word {
            words += 1;
            if words >= 20 {
                return false;
            }
        }
        in_word = !space;
    }
    let ends = t.ends_with(['.', '!', '?', '"', '\u{201d}', '\u{2019}', '\'', ':', ')', ';']);
    !(words >= 8 && ends)
}

/// The page split: chrome lines before the body, the body's line range, chrome lines after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSplit<'a> {
    pub before: Vec<&'a str>,
    pub body: Vec<&'a str>,
    pub after: Vec<&'a str>,
}

/// Splits a page at its first and last prose lines.
pub fn split(text: &str) -> PageSplit<'_> {
    split_flagged(text).0
}

/// [`split`], with each body line's chrome flag (so callers need not test lines twice) and
/// whether the page may hold several stories ([`may_hold_stories`]).
fn split_flagged(text: &str) -> (PageSplit<'_>, Vec<bool>, bool) {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let chrome: Vec<bool> = lines.iter().map(|l| is_chrome_line(l)).collect();
    let stories = may_hold_stories(lines.iter().map(|l| l.trim()).zip(chrome.iter().copied()));
    let first = chrome.iter().position(|c| !c);
    let last = chrome.iter().rposition(|c| !c);
    match (first, last) {
        (Some(f), Some(l)) => (
            PageSplit {
                before: lines[..f].to_vec(),
                body: lines[f..=l].to_vec(),
                after: lines[l + 1..].to_vec(),
            },
            chrome[f..=l].to_vec(),
            stories,
        ),
        _ => {
            let n = lines.len();
            (PageSplit { before: Vec::new(), body: lines, after: Vec::new() }, vec![true; n], stories)
        }
    }
}

const REPOST: &[&str] = &[
    "posted by",
    "popular posts",
    "labels:",
    "filed under",
    "source:",
    "via ",
    "originally published",
    "originally appeared",
    "this article first appeared",
    "h/t",
    "provided by",
    "newer post",
    "older post",
    "related posts",
    "you may also like",
    "recommended for you",
    "trending now",
    "read more",
    "click here",
    "read the full story",
    "continue reading",
    "powered by",
    "from the web",
    "sponsored",
    "tags:",
    "previous article",
    "next article",
    "previous post",
    "next post",
    "permalink",
    "blogger",
    "wordpress",
    "subscribe to",
    "get a summary",
    "key takeaways",
    "share this",
];
const PUBLISHER: &[&str] = &[
    "all rights reserved",
    "copyright",
    "\u{a9}",
    "print this",
    "e-mail this",
    "email this",
    "most popular",
    "most read",
    "have your say",
    "terms of use",
    "privacy policy",
    "contact us",
    "about us",
    "advertise",
    "subscribe",
    "sign in",
    "log in",
    "register",
    "newsletter",
    "editor's picks",
    "top stories",
];
const SOCIAL: &[&str] = &[
    "share",
    "facebook",
    "twitter",
    "tweet",
    "whatsapp",
    "pinterest",
    "linkedin",
    "reddit",
    "digg",
    "email",
];
const COMMENT: &[&str] = &[
    "comment",
    "leave a reply",
    "your email address",
    "post a comment",
    "required fields",
    "reply",
    "disqus",
];
const CREDIT_START: &[&str] = &[
    "source:",
    "via ",
    "provided by",
    "(c)",
    "originally published",
    "this article originally",
    "credit:",
    "copyright",
    "\u{a9}",
    "by ",
];

fn count_any(lower: &str, list: &[&str]) -> usize {
    list.iter().filter(|p| lower.contains(*p)).count()
}

/// The page features of a text (raw values; the style block standardises them), and whether it
/// may hold several stories ([`may_hold_stories`]).
pub fn page_features(text: &str) -> (Vec<f32>, bool) {
    let (p, body_chrome, may_hold_stories) = split_flagged(text);
    let all = p.before.len() + p.body.len() + p.after.len();
    let inside = body_chrome.iter().filter(|c| **c).count();
    let body_chrome_lines = p.body.iter().zip(&body_chrome).filter(|(_, c)| **c).map(|(l, _)| *l);
    let chrome: Vec<&str> = p.before.iter().chain(&p.after).copied().chain(body_chrome_lines).collect();
    let mut runs = 0usize;
    let mut run = 0usize;
    for l in p.before.iter().chain(&p.after) {
        if l.split_whitespace().count() <= 4 {
            run += 1;
            if run == 3 {
                runs += 1;
            }
        } else {
            run = 0;
        }
    }
    let (mut repost, mut publisher, mut social, mut comment, mut credit, mut sep) = (0, 0, 0, 0, 0, 0);
    for l in &chrome {
        let lower = l.trim().to_lowercase();
        repost += count_any(&lower, REPOST);
        publisher += count_any(&lower, PUBLISHER);
        social += count_any(&lower, SOCIAL);
        comment += count_any(&lower, COMMENT);
        credit += CREDIT_START.iter().any(|c| lower.starts_with(c)) as usize;
        sep += (lower.contains(" | ")
            || lower.contains('\u{2022}')
            || lower.contains('\u{bb}')
            || lower.contains('\u{203a}')) as usize;
    }
    let chrome_chars: usize = chrome.iter().map(|l| l.len()).sum();
    let total_chars: usize = p.before.iter().chain(&p.body).chain(&p.after).map(|l| l.len()).sum();
    let ln = |x: usize| (x as f32).ln_1p();
    let values = vec![
        (p.before.len() + p.after.len() + inside) as f32 / all.max(1) as f32,
        ln(p.before.len()),
        ln(p.after.len()),
        ln(inside),
        ln(runs),
        ln(sep),
        ln(repost),
        ln(publisher),
        ln(social),
        ln(comment),
        ln(credit),
        1.0 - chrome_chars as f32 / total_chars.max(1) as f32,
    ];
    (values, may_hold_stories)
}

/// A real page's chrome, kept as a template to dress other bodies in (`augment`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChromeTemplate {
    pub before: Vec<String>,
    pub after: Vec<String>,
}

/// The chrome of a text if it looks like a scraped page (at least `min_lines` chrome lines
/// around its body).
pub fn template_of(text: &str, min_lines: usize) -> Option<ChromeTemplate> {
    let p = split(text);
    (p.before.len() + p.after.len() >= min_lines).then(|| ChromeTemplate {
        before: p.before.iter().map(|s| s.trim().to_string()).collect(),
        after: p.after.iter().map(|s| s.trim().to_string()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "Home\nNews\nSport\nWeather\nPopular posts from this blog\n\
        The minister said on Monday that the talks would resume next week in Geneva, officials said.\n\
        Both sides have met three times this year without an agreement on the main points.\n\
        Posted by admin at 10:02\nLabels: world, politics\nShare | Tweet | Email\nLeave a comment\n";

    #[test]
    fn body_between_chrome() {
        let p = split(PAGE);
        assert_eq!(p.before.len(), 5);
        assert_eq!(p.body.len(), 2);
        assert_eq!(p.after.len(), 4);
        let t = template_of(PAGE, 5).unwrap();
        assert_eq!(t.after[0], "Posted by admin at 10:02");
        assert!(template_of("One line of prose that is long enough to be a sentence here.", 5).is_none());
    }

    #[test]
    fn features_see_chrome_kinds() {
        let f = page_features(PAGE).0;
        assert_eq!(f.len(), PAGE_FEATURE_NAMES.len());
        let at = |n: &str| f[PAGE_FEATURE_NAMES.iter().position(|x| *x == n).unwrap()];
        assert!(at("page_repost_markers") > 0.0);
        assert!(at("page_comment_markers") > 0.0);
        assert!(at("page_menu_runs") > 0.0);
        let plain =
            page_features("The minister said on Monday that the talks would resume next week in Geneva.").0;
        assert_eq!(plain[0], 0.0);
        assert!(f.iter().all(|x| x.is_finite()));
    }
}
