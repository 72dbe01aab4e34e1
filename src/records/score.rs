//! The `score` record of one article: its label (or "uncertain"), probabilities, framing terms
//! and cited outlets. `newsprov score` prints it and `newsprov serve` returns it, unchanged.
use crate::Model;
use crate::input::DocResult;
use crate::output::{ScoreRecord, TermCount};
use crate::sources::{Gazetteer, cited_outlets, find_outlet_sources_in};

/// "uncertain" when the top probability is below `min_confidence`: said, never hidden.
pub const UNCERTAIN: &str = "uncertain";

pub fn record(model: &Model, doc: &DocResult, min_confidence: f32, with_sources: bool) -> ScoreRecord {
    match doc {
        Err(e) => ScoreRecord { id: e.id.clone(), error: Some(e.reason.clone()), ..Default::default() },
        Ok(d) => {
            // one phrase scan serves the features and the cited outlets
            let hits = model.features.scan(&d.text);
            let p = model.predict_scanned(&d.text, &hits);
            let terms = model
                .term_counts(&p.features.matches)
                .into_iter()
                .map(|(term, class, count)| TermCount { term: term.to_string(), class, count })
                .collect();
            let sure = p.confidence() >= min_confidence;
            ScoreRecord {
                id: d.id.clone(),
                label: Some(if sure { p.label.to_string() } else { UNCERTAIN.to_string() }),
                best_guess: (!sure).then(|| p.label.to_string()),
                probabilities: Some(p.probabilities.into()),
                framing_terms: Some(terms),
                sources: with_sources.then(|| {
                    let outlets = model.features.outlet_hits(&hits);
                    cited_outlets(
                        &find_outlet_sources_in(&d.text, Gazetteer::builtin(), &outlets),
                        &["state", "wire"],
                    )
                }),
                truncated: d.truncated,
                error: None,
            }
        }
    }
}
