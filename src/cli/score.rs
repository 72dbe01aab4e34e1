use super::args::ScoreArgs;
use super::bars::Bars;
use newsprov::input::{DocResult, Inputs};
use newsprov::output::{RecordWriter, ScoreRecord};
use newsprov::progress::Progress;
use newsprov::scoring::{ScoreOptions, score_record};
use newsprov::{Error, Model, Result};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};

/// Articles scored together, at most this many and about this much text: bounds memory
/// whatever the number and size of the inputs.
const BATCH: usize = 512;
const BATCH_BYTES: usize = 8 << 20;
/// Batches read ahead of the scorer. While the model loads (about 15 ms), the reader parses
/// this far ahead, so for a file like dev.csv parsing is done before scoring starts rather
/// than taking a core from it.
const QUEUE: usize = 8;

pub fn run(a: ScoreArgs) -> Result<i32> {
    if !(0.0..=1.0).contains(&a.min_confidence) {
        return Err(Error::Usage(format!("--min-confidence must be in [0, 1], got {}", a.min_confidence)));
    }
    if a.read.max_bytes == 0 {
        return Err(Error::Usage("--max-bytes must be at least 1".into()));
    }
    // The default model's phrase lists compile while the scoring thread loads the model.
    std::thread::spawn(newsprov::features::compile_builtin_phrases);
    let inputs = if a.inputs.is_empty() { vec!["-".to_string()] } else { a.inputs.clone() };
    super::batch::announce_stdin(&inputs);
    let opts = a.read.options();
    let stdout = std::io::stdout();
    let mut out = RecordWriter::new(std::io::BufWriter::with_capacity(1 << 16, stdout.lock()), a.format())
        .with_width(super::batch::table_width());
    let bars = Bars::new();
    bars.stage("scoring", None);
    // The bar is hidden when stderr is not a terminal, and prints nothing then: go direct.
    let to_terminal = std::io::stderr().is_terminal();
    let note = |m: &str| if to_terminal { bars.note(m) } else { eprintln!("{m}") };
    let (mut scored, mut failed, mut truncated) = (0u64, 0u64, 0u64);
    // A three-stage pipeline so reading, scoring and writing overlap: a reader thread parses
    // batches, a scoring thread scores each batch in parallel (rayon), and this thread writes.
    // The channels hold QUEUE and two batches, so memory stays bounded whatever the input size.
    type Read = (Vec<DocResult>, Vec<String>);
    type Scored = (Vec<ScoreRecord>, Vec<String>);
    let (read_tx, read_rx) = std::sync::mpsc::sync_channel::<Read>(QUEUE);
    let (scored_tx, scored_rx) = std::sync::mpsc::sync_channel::<Scored>(2);
    let min_confidence = a.min_confidence;
    let with_sources = !a.no_sources;
    let model_path = &a.model;
    let duplicate_ids = std::thread::scope(|s| -> Result<u64> {
        let reader = s.spawn(move || {
            let mut docs = Inputs::new(inputs, opts);
            loop {
                let mut batch: Vec<DocResult> = Vec::new();
                let mut bytes = 0;
                while batch.len() < BATCH && bytes < BATCH_BYTES {
                    let Some(d) = docs.next() else { break };
                    bytes += d.as_ref().map_or(0, |d| d.text.len());
                    batch.push(d);
                }
                let done = batch.is_empty();
                if read_tx.send((batch, docs.take_warnings())).is_err() || done {
                    break;
                }
            }
            docs.duplicate_ids()
        });
        // The model loads (loading also compiles its phrase lists) while the reader already
        // parses the first batches.
        let scorer = s.spawn(move || -> Result<()> {
            let model = super::load_model(model_path)?;
            for (batch, warnings) in read_rx {
                let records: Vec<ScoreRecord> =
                    batch.par_iter().map(|d| record(&model, d, min_confidence, with_sources)).collect();
                if scored_tx.send((records, warnings)).is_err() {
                    break;
                }
            }
            // The process ends right after: freeing the vocabulary and automata would only cost
            // time (a few milliseconds per run).
            std::mem::forget(model);
            Ok(())
        });
        for (records, warnings) in scored_rx {
            for w in warnings {
                note(&format!("newsprov: warning: {w}"));
            }
            for r in &records {
                if let Some(e) = &r.error {
                    failed += 1;
                    note(&format!("newsprov: {}: {e}", r.id));
                } else {
                    scored += 1;
                    if r.truncated {
                        truncated += 1;
                        if truncated <= 10 {
                            note(&format!(
                                "newsprov: {}: text cut at --max-bytes {} (scored on the first part)",
                                r.id, a.read.max_bytes
                            ));
                        }
                    }
                }
                // On a write error, returning drops the receiver, which stops the other stages.
                out.write(r).map_err(|e| Error::io("<stdout>", e))?;
            }
            bars.advance(records.len() as u64);
        }
        scorer.join().map_err(|_| Error::Internal("the scoring thread panicked".into()))??;
        Ok(reader.join().unwrap_or(0))
    })?;
    out.finish().map_err(|e| Error::io("<stdout>", e))?;
    drop(bars);
    if truncated > 0 {
        eprintln!("newsprov: {truncated} article(s) cut at --max-bytes {}", a.read.max_bytes);
    }
    if duplicate_ids > 0 {
        eprintln!("newsprov: warning: {duplicate_ids} duplicate id(s) in the input");
    }
    if failed > 0 {
        eprintln!("newsprov: scored {scored}, could not score {failed} (error records in the output)");
    }
    let _ = std::io::stderr().flush();
    Ok(super::batch::exit_code(scored, failed, a.strict))
}

fn record(model: &Model, doc: &DocResult, min_confidence: f32, with_sources: bool) -> ScoreRecord {
    score_record(model, doc, &ScoreOptions { min_confidence, sources: with_sources })
}
