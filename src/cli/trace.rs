//! `newsprov trace`: which reference articles each input most likely derives from, and
//! `newsprov trace index`: build the reference index once.
use super::args::{ReadArgs, TraceAction, TraceArgs, TraceIndexArgs};
use super::bars::Bars;
use newsprov::input::Inputs;
use newsprov::progress::Progress;
use newsprov::records::trace::{Record, record};
use newsprov::trace::{TraceIndex, TraceParams};
use newsprov::{Error, Result};
use std::path::Path;

/// Inputs traced together; bounds memory whatever the number of inputs.
const BATCH: usize = 256;

pub fn run(a: TraceArgs) -> Result<i32> {
    if let Some(TraceAction::Index(i)) = a.action {
        return index(i);
    }
    let mut idx = match (&a.index, a.corpus.is_empty()) {
        (Some(p), true) => load(p)?,
        (None, false) => build(&a.corpus, &a.read, &TraceParams::default())?,
        _ => return Err(Error::Usage("give either --index INDEX or --corpus REF".into())),
    };
    if a.top == 0 {
        return Err(Error::Usage("--top must be at least 1".into()));
    }
    if let Some(t) = a.threshold {
        let p = TraceParams { threshold: t, ..idx.params().clone() };
        idx.set_query_params(&p).map_err(Error::Usage)?;
    }
    let job = super::batch::Job {
        inputs: &a.inputs,
        read: &a.read,
        format: &a.format,
        strict: a.strict,
        batch: BATCH,
        stage: "tracing",
        verb: "traced",
    };
    super::batch::run(
        job,
        |d| record(&idx, d, a.top),
        |r: &Record| r.error.as_deref().map(|e| (r.id.as_str(), e)),
    )
}

fn index(a: TraceIndexArgs) -> Result<i32> {
    let params = TraceParams { min_bigram_df: a.min_bigram_df, ..Default::default() };
    let t = std::time::Instant::now();
    let idx = build(&a.corpus, &a.read, &params)?;
    let bytes = idx.to_bytes();
    newsprov::atomic::write_atomically(&a.out, &bytes)?;
    eprintln!(
        "newsprov: indexed {} references in {:.1}s; wrote {} ({:.1} MB)",
        idx.len(),
        t.elapsed().as_secs_f64(),
        a.out.display(),
        bytes.len() as f64 / 1e6
    );
    Ok(0)
}

pub fn load(p: &Path) -> Result<TraceIndex> {
    let bytes = std::fs::read(p).map_err(|e| Error::io(p, e))?;
    TraceIndex::from_bytes(&bytes).map_err(|e| Error::input(p.display().to_string(), None, e))
}

/// Index over every readable reference; unreadable ones are reported and left out.
fn build(corpus: &[String], read: &ReadArgs, params: &TraceParams) -> Result<TraceIndex> {
    let bars = Bars::new();
    bars.stage("indexing", None);
    let skipped = std::cell::Cell::new(0u64);
    let refs = Inputs::new(corpus.to_vec(), read.options()).filter_map(|d| match d {
        Ok(d) => Some((d.id, d.text)),
        Err(e) => {
            skipped.set(skipped.get() + 1);
            bars.note(&format!("newsprov: reference {}: {} (left out)", e.id, e.reason));
            None
        }
    });
    let idx = TraceIndex::build_with_progress(refs, params, &bars);
    drop(bars);
    if idx.is_empty() {
        return Err(Error::Usage(format!(
            "no readable references in {} ({} left out)",
            corpus.join(", "),
            skipped.get()
        )));
    }
    Ok(idx)
}
