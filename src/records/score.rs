//! The `score` record of one article: its label (or "uncertain"), probabilities, framing terms,
//! cited outlets and house style. `newsprov score` prints it, `newsprov serve` returns it and the
//! Python package converts it, unchanged: all through [`crate::scoring::score_record`].
use crate::Model;
use crate::input::DocResult;
use crate::output::ScoreRecord;
pub use crate::scoring::UNCERTAIN;
use crate::scoring::{ScoreOptions, score_record};

/// The record for one input (see [`crate::scoring::score_record`]).
pub fn record(model: &Model, doc: &DocResult, min_confidence: f32, with_sources: bool) -> ScoreRecord {
    score_record(model, doc, &ScoreOptions { min_confidence, sources: with_sources })
}
