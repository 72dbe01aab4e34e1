//! The `score` table for people: fitted to a width, a legend once above, ids shortened in the
//! middle, the framing terms grouped by the label each supports, and the count per label below.
use super::{ScoreRecord, shorten};
use crate::corpus::Label;
use std::collections::BTreeMap;
use std::io::Write;

const LABEL_W: usize = 11;
const PROB_W: usize = 5;
/// Everything but the id and the evidence: label, three probabilities, the gaps.
const FIXED_W: usize = 1 + LABEL_W + 3 * (1 + PROB_W) + 2;

fn id_width(width: usize) -> usize {
    (width.saturating_sub(FIXED_W) * 2 / 5).clamp(12, 40)
}

/// What the columns mean, wrapped to `width`.
pub fn legend(width: usize) -> String {
    let text = "label: the verdict (\"uncertain\" when below --min-confidence). state, wire, agg: the \
                probability of state_media, wire and aggregator. evidence: the framing terms found, \
                grouped by the label each one supports (xN: found N times), then the state and wire \
                outlets the article cites; reads like: known outlets whose house style it is closest to; [truncated]: scored on the first --max-bytes.";
    wrap(text, width)
}

/// The header line.
pub fn header(width: usize) -> String {
    let idw = id_width(width);
    format!(
        "{:<idw$} {:<LABEL_W$} {:>PROB_W$} {:>PROB_W$} {:>PROB_W$}  evidence",
        "id", "label", "state", "wire", "agg"
    )
}

/// One record's line, no wider than `width` (an error's reason is never cut).
pub fn rows(r: &ScoreRecord, out: &mut dyn Write, width: usize) -> std::io::Result<()> {
    let idw = id_width(width);
    let id = shorten(&r.id, idw);
    match (&r.label, &r.probabilities, &r.error) {
        (Some(l), Some(p), None) => {
            let room = width.saturating_sub(idw + FIXED_W);
            writeln!(
                out,
                "{id:<idw$} {l:<LABEL_W$} {:>PROB_W$.3} {:>PROB_W$.3} {:>PROB_W$.3}  {}",
                p.state_media,
                p.wire,
                p.aggregator,
                cut(&evidence(r), room)
            )
        }
        (_, _, e) => writeln!(out, "{id:<idw$} {:<LABEL_W$} {}", "ERROR", e.as_deref().unwrap_or("")),
    }
}

/// "N articles: state_media a, wire b, aggregator c", then uncertain and errors when any.
pub fn footer(tally: &BTreeMap<String, u64>) -> String {
    let total: u64 = tally.values().sum();
    let mut parts: Vec<String> =
        Label::ALL.iter().map(|l| format!("{l} {}", tally.get(l.as_str()).copied().unwrap_or(0))).collect();
    for (k, n) in tally {
        if Label::ALL.iter().all(|l| l.as_str() != k) && k != "error" {
            parts.push(format!("{k} {n}"));
        }
    }
    if let Some(n) = tally.get("error") {
        parts.push(format!("could not be scored {n}"));
    }
    format!("{total} article{}: {}", if total == 1 { "" } else { "s" }, parts.join(", "))
}

/// Framing terms by the label they support, in label order, then the outlets cited.
fn evidence(r: &ScoreRecord) -> String {
    let mut parts = Vec::new();
    if r.truncated {
        parts.push("[truncated]".to_string());
    }
    let terms = r.framing_terms.as_deref().unwrap_or(&[]);
    for l in Label::ALL {
        let these: Vec<String> = terms
            .iter()
            .filter(|t| t.class == l)
            .map(|t| if t.count > 1 { format!("{} x{}", t.term, t.count) } else { t.term.clone() })
            .collect();
        if !these.is_empty() {
            parts.push(format!("{l}: {}", these.join(", ")));
        }
    }
    if let Some(s) = r.sources.as_deref().filter(|s| !s.is_empty()) {
        parts.push(format!("cites {}", s.join(", ")));
    }
    if let Some(rl) = r.reads_like.as_deref().filter(|s| !s.is_empty()) {
        let rl: Vec<String> = rl.iter().map(|x| format!("{} {:.2}", x.outlet, x.p)).collect();
        parts.push(format!("reads like {}", rl.join(", ")));
    }
    if !r.stories.is_empty() {
        let labels: Vec<&str> = r.stories.iter().map(|s| s.label.as_str()).collect();
        parts.push(format!("{} stories: {}", r.stories.len(), labels.join(", ")));
    }
    if parts.is_empty() { "-".into() } else { parts.join(" | ") }
}

/// At most `max` characters, an ellipsis marking a cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// Words wrapped into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> String {
    let mut lines = Vec::new();
    let mut line = String::new();
    for w in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + w.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::TermCount;

    fn record() -> ScoreRecord {
        let t = |term: &str, class, count| TermCount { term: term.into(), class, count };
        ScoreRecord {
            id: "some/long/directory/of/articles/2024/wire-factory-fire.txt".into(),
            label: Some("wire".into()),
            probabilities: Some([0.1, 0.8, 0.1].into()),
            framing_terms: Some(vec![
                t("great leader", Label::StateMedia, 2),
                t("told reporters", Label::Wire, 1),
                t("imperialists", Label::StateMedia, 1),
            ]),
            sources: Some(vec!["Reuters".into()]),
            ..Default::default()
        }
    }

    #[test]
    fn fits_the_width_and_groups_terms_by_label() {
        for width in [60, 80, 120, 200] {
            let mut out = Vec::new();
            rows(&record(), &mut out, width).unwrap();
            let line = String::from_utf8(out).unwrap();
            assert!(line.trim_end().chars().count() <= width, "{width}: {line}");
            let id = line.split(' ').next().unwrap();
            assert!(id.contains('…') && id.ends_with("fire.txt") && id.starts_with("som"), "{line}");
            assert!(header(width).chars().count() <= width);
            assert!(legend(width).lines().all(|l| l.chars().count() <= width));
        }
        let e = evidence(&record());
        assert_eq!(e, "state_media: great leader x2, imperialists | wire: told reporters | cites Reuters");
    }

    #[test]
    fn footer_counts_every_label_and_the_errors() {
        let mut t = BTreeMap::new();
        t.insert("wire".to_string(), 2);
        t.insert("error".to_string(), 1);
        assert_eq!(footer(&t), "3 articles: state_media 0, wire 2, aggregator 0, could not be scored 1");
    }
}
