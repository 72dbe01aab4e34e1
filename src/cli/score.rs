use super::args::ScoreArgs;
use super::bars::Bars;
use newsprov::input::{DocResult, InputOptions, Inputs};
use newsprov::output::{RecordWriter, ScoreRecord, TermCount};
use newsprov::progress::Progress;
use newsprov::{Error, Model, Result};
use rayon::prelude::*;
use std::io::Write;

/// Articles scored together; bounds memory whatever the number of inputs.
const BATCH: usize = 512;

pub fn run(a: ScoreArgs) -> Result<i32> {
    if !(0.0..=1.0).contains(&a.min_confidence) {
        return Err(Error::Usage(format!("--min-confidence must be in [0, 1], got {}", a.min_confidence)));
    }
    let model = super::load_model(&a.model)?;
    let inputs = if a.inputs.is_empty() { vec!["-".to_string()] } else { a.inputs.clone() };
    let opts = InputOptions {
        text_column: a.text_column.clone(),
        id_column: a.id_column.clone(),
        max_bytes: a.max_bytes,
        lossy: a.lossy,
    };
    let stdout = std::io::stdout();
    let mut out = RecordWriter::new(std::io::BufWriter::with_capacity(1 << 16, stdout.lock()), a.format());
    let bars = Bars::new();
    bars.stage("scoring", None);
    let mut docs = Inputs::new(inputs, opts);
    let (mut scored, mut failed) = (0u64, 0u64);
    loop {
        let batch: Vec<DocResult> = docs.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let records: Vec<ScoreRecord> =
            batch.par_iter().map(|d| record(&model, d, a.min_confidence)).collect();
        for r in &records {
            if let Some(e) = &r.error {
                failed += 1;
                bars.note(&format!("newsprov: {}: {e}", r.id));
            } else {
                scored += 1;
            }
            out.write(r).map_err(|e| Error::io("<stdout>", e))?;
        }
        bars.advance(batch.len() as u64);
    }
    out.flush().map_err(|e| Error::io("<stdout>", e))?;
    drop(bars);
    if failed > 0 {
        eprintln!("newsprov: scored {scored}, could not score {failed} (error records in the output)");
    }
    let _ = std::io::stderr().flush();
    Ok(if failed > 0 && a.strict { 2 } else { 0 })
}

/// "uncertain" when the top probability is below `min_confidence`: said, never hidden.
pub const UNCERTAIN: &str = "uncertain";

fn record(model: &Model, doc: &DocResult, min_confidence: f32) -> ScoreRecord {
    match doc {
        Err(e) => ScoreRecord { id: e.id.clone(), error: Some(e.reason.clone()), ..Default::default() },
        Ok(d) => {
            let p = model.predict(&d.text);
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
                truncated: d.truncated,
                error: None,
            }
        }
    }
}
