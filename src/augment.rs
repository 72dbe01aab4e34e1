//! Teaching the model what the corpus lacks: real aggregator pages carry page chrome ("Previous
//! Article", "Related Posts") and summary structures ("Key Takeaways" with bullets), which the
//! corpus's rewrites almost never have. This adds, for a share of the aggregator rows, a copy
//! dressed in chrome and summary blocks built from the lexicon's aggregator chrome and summary
//! terms. Deterministic for a seed.
//!
//! [`paragraph_copies`] breaks a storage artifact: 73% of the corpus's rewrites were stored as
//! one paragraph against 14-15% of its agency and state-media copy, so paragraphing alone told
//! the labels apart, and a one-paragraph state-media item read as a rewrite. Copies with the
//! paragraphs joined keep their label, so the writing has to decide.
//!
//! [`page_copies`] uses real chrome: the menus, credits and footers of the scraped pages in the
//! training data, kept as templates, dress wire bodies both as a publisher's page (wire) and as
//! a repost shell (aggregator), so that chrome alone decides nothing and its kind does.
use crate::corpus::{Article, Label};
use crate::features::Lexicon;
use crate::features::page::{ChromeTemplate, template_of};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first sentences of a text, each cut to at most 20 words, for summary bullets.
fn lead_sentences(text: &str, n: usize) -> Vec<String> {
    text.split(['.', '!', '?'])
        .map(|s| s.split_whitespace().take(20).collect::<Vec<_>>().join(" "))
        .filter(|s| s.split(' ').count() >= 4)
        .take(n)
        .collect()
}

/// Copies of a `share` of the aggregator articles with chrome and summary blocks added.
pub fn chrome_copies(articles: &[Article], share: f64, seed: u64, lexicon: &Lexicon) -> Vec<Article> {
    let pick = |cat: &str| -> Vec<String> {
        lexicon
            .terms
            .iter()
            .filter(|t| t.class == Label::Aggregator && t.category == cat)
            .map(|t| title_case(&t.term))
            .collect()
    };
    let (chrome, summary) = (pick("chrome"), pick("summary"));
    if share <= 0.0 || chrome.is_empty() || summary.is_empty() {
        return Vec::new();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    for a in articles.iter().filter(|a| a.label == Label::Aggregator) {
        if !rng.random_bool(share.min(1.0)) {
            continue;
        }
        let mut parts: Vec<String> = Vec::new();
        if rng.random_bool(0.4) {
            parts.push(chrome[rng.random_range(0..chrome.len())].clone());
        }
        if rng.random_bool(0.7) {
            let heading = &summary[rng.random_range(0..summary.len())];
            let bullets = lead_sentences(&a.text, rng.random_range(2..=3));
            let mut block = format!("{heading}:");
            for b in bullets {
                block.push_str(&format!("\n- {b}."));
            }
            parts.push(block);
        }
        parts.push(a.text.clone());
        for _ in 0..rng.random_range(1..=4) {
            parts.push(chrome[rng.random_range(0..chrome.len())].clone());
        }
        out.push(Article { id: format!("{}#chrome", a.id), text: parts.join("\n\n"), ..a.clone() });
    }
    out
}

/// For a `share` of the rows of several paragraphs that are not pages, a copy with the
/// paragraphs joined into one, same label. (Cutting one-paragraph rewrites into paragraphs was
/// measured too: it lowered leave-one-outlet-out recall, so only joining is done.)
pub fn paragraph_copies(articles: &[Article], share: f64, seed: u64) -> Vec<Article> {
    if share <= 0.0 {
        return Vec::new();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7061_7261);
    let mut out = Vec::new();
    for a in articles {
        let lines: Vec<&str> = a.text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        if lines.len() < 2 || !rng.random_bool(share.min(1.0)) {
            continue;
        }
        if lines.iter().filter(|l| crate::features::page::is_chrome_line(l)).count() >= 2 {
            continue; // a page: its chrome lines are not paragraphs
        }
        out.push(Article { id: format!("{}#paragraphs", a.id), text: lines.join(" "), ..a.clone() });
    }
    out
}

/// Chrome lines a page needs around its body to serve as a template.
const TEMPLATE_LINES: usize = 5;

/// For a `share` of the wire rows that are not pages themselves, two copies: one in the chrome
/// of a real wire or newspaper page (labeled wire), one in the chrome of a real aggregator page
/// (labeled aggregator). Templates come from the training rows' own pages.
pub fn page_copies(articles: &[Article], share: f64, seed: u64) -> Vec<Article> {
    if share <= 0.0 {
        return Vec::new();
    }
    let mut templates: [Vec<ChromeTemplate>; Label::COUNT] = Default::default();
    let mut is_page = vec![false; articles.len()];
    for (i, a) in articles.iter().enumerate() {
        if let Some(t) = template_of(&a.text, TEMPLATE_LINES) {
            templates[a.label.index()].push(t);
            is_page[i] = true;
        }
    }
    let (wire_t, agg_t) = (&templates[Label::Wire.index()], &templates[Label::Aggregator.index()]);
    if wire_t.is_empty() || agg_t.is_empty() {
        return Vec::new();
    }
    let dress = |t: &ChromeTemplate, body: &str| {
        let mut parts: Vec<&str> = t.before.iter().map(String::as_str).collect();
        parts.push(body);
        parts.extend(t.after.iter().map(String::as_str));
        parts.join("\n")
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7061_6765);
    let mut out = Vec::new();
    for (a, page) in articles.iter().zip(&is_page) {
        if a.label != Label::Wire || *page || !rng.random_bool(share.min(1.0)) {
            continue;
        }
        let w = &wire_t[rng.random_range(0..wire_t.len())];
        let g = &agg_t[rng.random_range(0..agg_t.len())];
        out.push(Article { id: format!("{}#page-wire", a.id), text: dress(w, &a.text), ..a.clone() });
        out.push(Article {
            id: format!("{}#page-aggregator", a.id),
            label: Label::Aggregator,
            text: dress(g, &a.text),
            ..a.clone()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(id: &str, label: Label) -> Article {
        Article {
            id: id.into(),
            label,
            text: "The mayor said the bridge will reopen next week. Residents are pleased with the news. More to come."
                .into(),
            title: String::new(),
            outlet: String::new(),
            date: String::new(),
            line: 2,
        }
    }

    #[test]
    fn only_aggregator_rows_get_copies_deterministically() {
        let lex = Lexicon::builtin().unwrap();
        let rows: Vec<Article> = (0..200)
            .map(|i| art(&format!("r{i}"), if i % 2 == 0 { Label::Aggregator } else { Label::Wire }))
            .collect();
        let a = chrome_copies(&rows, 0.5, 7, &lex);
        assert_eq!(a, chrome_copies(&rows, 0.5, 7, &lex));
        assert!(a.len() > 30 && a.len() < 70, "{}", a.len());
        assert!(a.iter().all(|x| x.label == Label::Aggregator && x.id.ends_with("#chrome")));
        let found: usize = a.iter().map(|x| lex.find(&x.text).len()).sum();
        assert!(found >= a.len(), "every copy carries lexicon chrome");
        assert!(chrome_copies(&rows, 0.0, 7, &lex).is_empty());
    }

    #[test]
    fn wire_bodies_dressed_in_both_kinds_of_real_chrome() {
        let menu = "Home\nNews\nSport\nWeather\nBusiness\n";
        let mut rows: Vec<Article> = (0..40).map(|i| art(&format!("w{i}"), Label::Wire)).collect();
        let mut wp = art("wire-page", Label::Wire);
        wp.text = format!("{menu}{}\nPrint this article\nAll rights reserved", wp.text);
        let mut ap = art("agg-page", Label::Aggregator);
        ap.text = format!("{menu}{}\nPosted by admin\nPopular posts from this blog", ap.text);
        rows.push(wp);
        rows.push(ap);
        let c = page_copies(&rows, 0.5, 3);
        assert_eq!(c, page_copies(&rows, 0.5, 3));
        assert!(!c.is_empty() && c.len().is_multiple_of(2));
        for pair in c.chunks(2) {
            assert_eq!((pair[0].label, pair[1].label), (Label::Wire, Label::Aggregator));
            assert!(pair[0].text.contains("All rights reserved"));
            assert!(pair[1].text.contains("Popular posts"));
        }
        assert!(c.iter().all(|x| !x.id.starts_with("wire-page")), "pages are not dressed again");
        assert!(page_copies(&rows[..40], 0.5, 3).is_empty(), "no templates, no copies");
    }

    #[test]
    fn paragraphs_joined_and_the_label_kept() {
        let mut rows = vec![art("one", Label::Aggregator), art("many", Label::StateMedia)];
        let (p1, p2) = (
            "The first paragraph of the dispatch is written here.",
            "The second one follows it, as paragraphs do.",
        );
        rows[1].text = format!("{p1}\n\n{p2}\nA third.");
        let mut page = art("page", Label::Wire);
        page.text = format!("Home\nNews\n{}\nShare", page.text);
        rows.push(page);
        let c = paragraph_copies(&rows, 1.0, 1);
        assert_eq!(c, paragraph_copies(&rows, 1.0, 1));
        assert_eq!(c.len(), 1, "one-paragraph rows and pages are left alone");
        assert_eq!((c[0].id.as_str(), c[0].label), ("many#paragraphs", Label::StateMedia));
        assert_eq!(c[0].text, format!("{p1} {p2} A third."));
        assert!(paragraph_copies(&rows, 0.0, 1).is_empty());
    }

    #[test]
    fn title_case_and_leads() {
        assert_eq!(title_case("previous article"), "Previous Article");
        assert_eq!(lead_sentences("One two three four. Short. Five six seven eight nine!", 3).len(), 2);
    }
}
