//! Why an article got its label: each feature's push toward each label (weight x value), with a
//! name a reader understands ([`crate::glossary`]); the framing terms found, where, and which
//! label each pushed toward in this model; a note when the top two labels are close; and an HTML
//! page that shows all of it ([`to_html`]). Labels are always in [`Label::ALL`] order.
use crate::corpus::Label;
use crate::model::Model;
use serde::Serialize;
use std::collections::HashMap;

mod html;
pub use html::{colour, to_html};

/// Below this gap between the two most likely labels, an explanation says the verdict is a close
/// call.
pub const LOW_CONFIDENCE_MARGIN: f32 = 0.2;

/// One value per label, in [`Label::ALL`] order; indexed by label or label name, and written in
/// JSON as an object whose keys keep that order.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelMap<T>(pub [T; Label::COUNT]);

impl<T> LabelMap<T> {
    /// The pairs in label order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &T)> {
        Label::ALL.iter().map(|l| l.as_str()).zip(self.0.iter())
    }

    /// The value for a label name; `None` for a name that is not a label.
    pub fn get(&self, label: &str) -> Option<&T> {
        Label::parse(label).filter(|l| l.as_str() == label).map(|l| &self.0[l.index()])
    }
}

impl LabelMap<f32> {
    /// "state_media 0.058, wire 0.160, aggregator 0.782".
    pub fn to_text(&self) -> String {
        self.iter().map(|(l, p)| format!("{l} {p:.3}")).collect::<Vec<_>>().join(", ")
    }
}

/// How a page of several stories is judged, said wherever its explanation is shown.
pub const STORIES_NOTE: &str = "each is judged by its body (headline and credit lines aside), and the page's probabilities are the mean of theirs";

impl<T> std::ops::Index<Label> for LabelMap<T> {
    type Output = T;
    fn index(&self, l: Label) -> &T {
        &self.0[l.index()]
    }
}

impl<T> std::ops::Index<&str> for LabelMap<T> {
    type Output = T;
    /// Panics on a name that is not a label, as a map does on a missing key.
    fn index(&self, label: &str) -> &T {
        self.get(label).unwrap_or_else(|| panic!("{label:?} is not a label"))
    }
}

impl<'a, T> IntoIterator for &'a LabelMap<T> {
    type Item = (&'static str, &'a T);
    type IntoIter = Box<dyn Iterator<Item = (&'static str, &'a T)> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl<T: Serialize> Serialize for LabelMap<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

/// One feature's push toward one label.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Contribution {
    /// The model's internal name (`framing:great leader`).
    pub feature: String,
    /// The same for a reader (`framing term "great leader"`); see [`crate::glossary`].
    pub readable: String,
    /// The feature's value in this article.
    pub value: f32,
    /// The model's weight of the feature for this label.
    pub weight: f32,
    /// weight x value: what this feature adds to the label's logit.
    pub contribution: f32,
}

/// A framing term found in the article.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TermHit {
    /// The term as the lexicon writes it.
    pub term: String,
    /// The label the lexicon files it under.
    pub class: Label,
    /// The lexicon's category.
    pub category: String,
    /// Byte span in the article text.
    pub start: usize,
    /// End of the byte span (exclusive).
    pub end: usize,
    /// The label this term's feature pushes toward most in this model (its largest weight), which
    /// may differ from the lexicon's `class`; `None` when the model gives it no weight.
    pub pushes_toward: Option<Label>,
    /// Quoted or attributed to someone else, so counted apart from the article's own voice.
    pub reported: bool,
}

/// Everything `explain` shows about one article.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The most likely label.
    pub label: Label,
    /// Each label's probability.
    pub probabilities: LabelMap<f32>,
    /// The calibration temperature: probabilities are softmax(logits / temperature).
    pub temperature: f32,
    /// Each label's intercept.
    pub bias: LabelMap<f32>,
    /// For each label, the features that pushed the article toward it most, strongest first.
    pub toward: LabelMap<Vec<Contribution>>,
    /// The framing terms found, in text order.
    pub terms: Vec<TermHit>,
    /// Set when the two most likely labels are within [`LOW_CONFIDENCE_MARGIN`]: says which two.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low_confidence: Option<String>,
    /// Known outlets whose house style the article is closest to ([`crate::reads_like`]).
    pub reads_like: Vec<crate::reads_like::ReadsLike>,
    /// On a page of several stories, each story explained on its own: the page's probabilities
    /// are the mean of theirs, so `toward` is empty and the contributions are here. Absent for a
    /// single article.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stories: Vec<StoryExplanation>,
}

/// One story of a page of several, explained.
#[derive(Debug, Clone, Serialize)]
pub struct StoryExplanation {
    /// Its headline.
    pub title: String,
    /// Its credit lines ("read more at The Guardian").
    pub credits: Vec<String>,
    /// Byte span of its body in the page text; the spans of its `explanation` count from `start`.
    pub start: usize,
    /// End of the body's byte span (exclusive).
    pub end: usize,
    /// The explanation of its body.
    pub explanation: Explanation,
}

/// A feature's name; a masked n-gram column is named by the n-grams of this text that fall in it
/// (its hash bucket has no name of its own).
fn feature_label(model: &Model, text: &str, c: usize) -> String {
    let name = model.features.feature_name(c);
    match (&model.features.masked, name.strip_prefix("masked:#")) {
        (Some(m), Some(_)) => {
            let bucket = (c - model.features.masked_offset()) as u32;
            let grams = crate::features::masked::ngrams_in_bucket(text, m.buckets, m.max_n, bucket);
            format!("masked:{}", grams.join(" | "))
        }
        _ => name,
    }
}

/// Explains `model`'s verdict on `text`, with the `top` strongest features per label; on a page
/// of several stories, story by story ([`Explanation::stories`]).
pub fn explain(model: &Model, text: &str, top: usize) -> Explanation {
    let p = model.predict(text);
    if p.stories.is_empty() {
        return explain_prediction(model, text, &p, top);
    }
    let stories = p
        .stories
        .iter()
        .map(|s| StoryExplanation {
            explanation: explain_prediction(model, &s.story.body, &s.verdict, top),
            title: s.story.title.clone(),
            credits: s.story.credits.clone(),
            start: s.story.span.start,
            end: s.story.span.end,
        })
        .collect();
    Explanation { stories, ..explain_prediction(model, text, &p, 0) }
}

/// The explanation of one prediction: contributions (the `top` strongest per label), terms.
fn explain_prediction(model: &Model, text: &str, p: &crate::model::Prediction, top: usize) -> Explanation {
    let lin = &model.linear;
    let toward = LabelMap(Label::ALL.map(|l| {
        let k = l.index();
        // Strongest first (ties by column), named only once the top ones are chosen.
        let mut cs: Vec<(u32, f32, f32)> = p
            .features
            .row
            .iter()
            .map(|&(c, v)| (c, v, lin.weights[c as usize * Label::COUNT + k]))
            .filter(|&(_, v, w)| w * v > 0.0)
            .collect();
        cs.sort_by(|a, b| (b.1 * b.2).total_cmp(&(a.1 * a.2)).then(a.0.cmp(&b.0)));
        cs.truncate(top);
        cs.into_iter()
            .map(|(c, v, w)| {
                let feature = feature_label(model, text, c as usize);
                Contribution {
                    readable: crate::glossary::readable(&feature),
                    feature,
                    value: v,
                    weight: w,
                    contribution: w * v,
                }
            })
            .collect::<Vec<_>>()
    }));
    let terms = match &model.features.lexicon {
        Some(lex) => {
            let columns = framing_columns(model);
            p.features
                .matches
                .iter()
                .map(|m| {
                    let t = &lex.terms[m.term];
                    TermHit {
                        term: t.term.clone(),
                        class: t.class,
                        category: t.category.clone(),
                        start: m.start,
                        end: m.end,
                        pushes_toward: columns.get(t.term.as_str()).and_then(|&c| strongest_label(model, c)),
                        reported: m.reported,
                    }
                })
                .collect()
        }
        None => Vec::new(),
    };
    Explanation {
        label: p.label,
        probabilities: LabelMap(p.probabilities),
        temperature: model.temperature,
        bias: LabelMap(Label::ALL.map(|l| lin.bias[l.index()])),
        toward,
        terms,
        low_confidence: low_confidence(&p.probabilities),
        reads_like: model.reads_like(&p.features),
        stories: Vec::new(),
    }
}

/// "low confidence: wire 0.48 vs aggregator 0.41 ..." when the top two are close.
pub fn low_confidence(p: &[f32; Label::COUNT]) -> Option<String> {
    let mut order: Vec<Label> = Label::ALL.to_vec();
    order.sort_by(|a, b| p[b.index()].total_cmp(&p[a.index()]));
    let (first, second) = (order[0], order[1]);
    let gap = p[first.index()] - p[second.index()];
    (gap < LOW_CONFIDENCE_MARGIN).then(|| {
        format!(
            "low confidence: {first} {:.3} vs {second} {:.3} (less than {LOW_CONFIDENCE_MARGIN} apart); \
             read the label as a close call between the two",
            p[first.index()],
            p[second.index()]
        )
    })
}

/// The column of each lexicon term's feature (`framing:TERM`), found by name so the block layout
/// can change. The framing block sits after the words, so the search runs from the end and stops
/// at the first word column.
fn framing_columns(model: &Model) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for c in (0..model.features.n_features()).rev() {
        let name = model.features.feature_name(c);
        if name.starts_with("bow:") {
            break;
        }
        if let Some(term) = name.strip_prefix("framing:") {
            out.insert(term.to_string(), c);
        }
    }
    out
}

/// The label whose weight for column `c` is largest (softmax only sees differences between the
/// labels' scores); `None` when the weights are all equal.
fn strongest_label(model: &Model, c: usize) -> Option<Label> {
    let w = &model.linear.weights[c * Label::COUNT..(c + 1) * Label::COUNT];
    let (max, min) = w.iter().fold((f32::MIN, f32::MAX), |(hi, lo), &x| (hi.max(x), lo.min(x)));
    if max - min <= 1e-6 {
        return None;
    }
    Label::ALL.into_iter().max_by(|a, b| w[a.index()].total_cmp(&w[b.index()]))
}

/// The strongest weights per label over the whole model, for `inspect`: (readable name, weight).
pub fn top_weights(model: &Model, top: usize) -> LabelMap<Vec<(String, f32)>> {
    let lin = &model.linear;
    LabelMap(Label::ALL.map(|l| {
        let k = l.index();
        let mut idx: Vec<usize> = (0..lin.n_features).collect();
        idx.sort_by(|&a, &b| {
            lin.weights[b * Label::COUNT + k].total_cmp(&lin.weights[a * Label::COUNT + k]).then(a.cmp(&b))
        });
        idx.into_iter()
            .take(top)
            .map(|i| {
                (
                    crate::glossary::readable(&model.features.feature_name(i)),
                    lin.weights[i * Label::COUNT + k],
                )
            })
            .collect()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_maps_keep_label_order_in_json() {
        let m = LabelMap([0.1f32, 0.2, 0.7]);
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"state_media":0.1,"wire":0.2,"aggregator":0.7}"#);
        assert_eq!(m["wire"], 0.2);
        assert_eq!(m[Label::Aggregator], 0.7);
        assert!(m.get("agg").is_none());
    }

    #[test]
    fn close_calls_are_said() {
        assert!(low_confidence(&[0.45, 0.40, 0.15]).unwrap().contains("state_media 0.450 vs wire 0.400"));
        assert!(low_confidence(&[0.9, 0.05, 0.05]).is_none());
    }

    #[test]
    fn terms_are_coloured_by_the_model_not_the_lexicon() {
        let m = Model::builtin().unwrap();
        let e = explain(
            &m,
            "As is well known, the respected Comrade leader gave field guidance, officials said.",
            5,
        );
        assert!(e.terms.iter().any(|t| t.pushes_toward.is_some()), "{:?}", e.terms);
        let cols = framing_columns(&m);
        for t in &e.terms {
            let c = cols[t.term.as_str()];
            let w = &m.linear.weights[c * 3..c * 3 + 3];
            let best = Label::ALL.into_iter().max_by(|a, b| w[a.index()].total_cmp(&w[b.index()])).unwrap();
            let spread =
                w.iter().cloned().fold(f32::MIN, f32::max) - w.iter().cloned().fold(f32::MAX, f32::min);
            let expected = (spread > 1e-6).then_some(best);
            assert_eq!(t.pushes_toward, expected, "{}: weights {w:?}", t.term);
        }
    }
}
