//! One article in, one score record out: the code behind `newsprov score` and every other front
//! end (the Python bindings), so a field added to the record reaches them all unchanged.
use crate::input::DocResult;
use crate::model::Model;
use crate::output::{ScoreRecord, StoryScore, TermCount};
use crate::sources::{Gazetteer, cited_outlets, find_outlet_sources_in};

/// "uncertain" when the top probability is below `min_confidence`: said, never hidden.
pub const UNCERTAIN: &str = "uncertain";

/// What a score record holds beyond the verdict.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreOptions {
    /// Below this top probability the label is [`UNCERTAIN`] (0 = never).
    pub min_confidence: f32,
    /// Whether to find the state and wire outlets the article cites.
    pub sources: bool,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        ScoreOptions { min_confidence: 0.0, sources: true }
    }
}

/// The record for one input: its verdict, or an error record saying why there is none.
pub fn score_record(model: &Model, doc: &DocResult, opts: &ScoreOptions) -> ScoreRecord {
    match doc {
        Err(e) => ScoreRecord { id: e.id.clone(), error: Some(e.reason.clone()), ..Default::default() },
        Ok(d) => {
            // one phrase scan serves the features and the cited outlets
            let hits = model.features().scan(&d.text);
            let p = model.predict_scanned(&d.text, &hits);
            let terms = model
                .term_counts(&p.features.matches)
                .into_iter()
                .map(|(term, class, count)| TermCount { term: term.to_string(), class, count })
                .collect();
            let sure = p.confidence() >= opts.min_confidence;
            ScoreRecord {
                id: d.id.clone(),
                label: Some(if sure { p.label.to_string() } else { UNCERTAIN.to_string() }),
                best_guess: (!sure).then(|| p.label.to_string()),
                probabilities: Some(p.probabilities.into()),
                framing_terms: Some(terms),
                sources: opts.sources.then(|| {
                    let outlets = model.features().outlet_hits(&hits);
                    cited_outlets(
                        &find_outlet_sources_in(&d.text, Gazetteer::builtin(), &outlets),
                        &["state", "wire"],
                    )
                }),
                reads_like: model.house_style().is_some().then(|| model.reads_like(&p.features)),
                stories: p
                    .stories
                    .iter()
                    .map(|s| StoryScore {
                        title: s.story.title.clone(),
                        label: s.verdict.label.to_string(),
                        probabilities: s.verdict.probabilities.into(),
                    })
                    .collect(),
                truncated: d.truncated,
                error: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Doc, DocError};

    #[test]
    fn verdicts_and_error_records() {
        let model = Model::builtin().expect("built-in model");
        let doc: DocResult = Ok(Doc {
            id: "a".into(),
            text: "The minister told reporters on Tuesday that talks would resume, Reuters reported.".into(),
            truncated: false,
        });
        let r = score_record(&model, &doc, &ScoreOptions::default());
        assert_eq!(r.id, "a");
        assert!(r.error.is_none() && r.probabilities.is_some() && r.sources.is_some());
        assert!(model.labels.contains(r.label.as_ref().unwrap()));
        let quiet = score_record(&model, &doc, &ScoreOptions { min_confidence: 1.01, sources: false });
        assert_eq!(quiet.label.as_deref(), Some(UNCERTAIN));
        assert_eq!(quiet.best_guess, r.label);
        assert!(quiet.sources.is_none());
        assert!(r.stories.is_empty(), "a single article has no stories");
        let bad: DocResult = Err(DocError { id: "b".into(), reason: "empty text".into() });
        let e = score_record(&model, &bad, &ScoreOptions::default());
        assert_eq!((e.id.as_str(), e.error.as_deref(), e.label), ("b", Some("empty text"), None));
    }

    #[test]
    fn a_digest_page_is_judged_story_by_story() {
        let model = Model::builtin().expect("built-in model");
        let text = include_str!("../data/examples/aggregator-inshorts-digest-feed.txt");
        let doc: DocResult = Ok(Doc { id: "d".into(), text: text.into(), truncated: false });
        let r = score_record(&model, &doc, &ScoreOptions::default());
        assert_eq!(r.stories.len(), 3);
        assert_eq!(r.stories[2].title, "Man finds 1,000-year-old coin hoard while digging garden");
        // the page's probabilities are the mean of its stories'
        let p = r.probabilities.unwrap();
        let mean = |f: fn(&crate::output::Probabilities) -> f32| {
            r.stories.iter().map(|s| f(&s.probabilities)).sum::<f32>() / 3.0
        };
        assert!((p.aggregator - mean(|x| x.aggregator)).abs() < 1e-6);
        assert!((p.wire - mean(|x| x.wire)).abs() < 1e-6);
        // each story's verdict is its body's, as if scored alone
        let body = text.lines().nth(3).unwrap();
        let alone = model.predict(body);
        assert_eq!(r.stories[0].label, alone.label.to_string());
        assert!((r.stories[0].probabilities.wire - alone.probabilities[1]).abs() < 1e-6);
    }
}
