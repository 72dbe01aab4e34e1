//! The loop `sources` and `trace` share: read inputs in bounded batches, work on each batch in
//! parallel, write the records in input order, and tell the user about inputs that failed.
use super::bars::Bars;
use newsprov::input::{DocResult, Inputs};
use newsprov::progress::Progress;
use newsprov::{Error, Result};
use rayon::prelude::*;

/// Returns how many inputs failed. `error_of` says whether a record is an error record.
pub fn run<R: Send>(
    mut docs: Inputs,
    batch: usize,
    bars: &Bars,
    work: impl Fn(&DocResult) -> R + Sync,
    error_of: impl Fn(&R) -> Option<(&str, &str)>,
    mut write: impl FnMut(&R) -> std::io::Result<()>,
) -> Result<(u64, u64)> {
    let (mut done, mut failed) = (0u64, 0u64);
    loop {
        let inputs: Vec<DocResult> = docs.by_ref().take(batch).collect();
        if inputs.is_empty() {
            break;
        }
        let records: Vec<R> = inputs.par_iter().map(&work).collect();
        for r in &records {
            match error_of(r) {
                Some((id, e)) => {
                    failed += 1;
                    bars.note(&format!("newsprov: {id}: {e}"));
                }
                None => done += 1,
            }
            write(r).map_err(|e| Error::io("<stdout>", e))?;
        }
        bars.advance(inputs.len() as u64);
    }
    Ok((done, failed))
}
