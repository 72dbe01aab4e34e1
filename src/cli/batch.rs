//! What `sources` and `trace` share: read the inputs in bounded batches, work on each batch in
//! parallel, write the records in input order, report inputs that failed, and pick the exit code.
use super::args::ReadArgs;
use super::bars::Bars;
use newsprov::input::{DocResult, Inputs};
use newsprov::output::{Format, RecordWriter, Render};
use newsprov::progress::Progress;
use newsprov::{Error, Result};
use rayon::prelude::*;

/// How one command runs over its inputs.
pub struct Job<'a> {
    pub inputs: &'a [String],
    pub read: &'a ReadArgs,
    pub format: &'a str,
    pub strict: bool,
    /// Articles in flight at once; bounds memory whatever the number of inputs.
    pub batch: usize,
    /// Progress-bar stage, and the past-tense verb for the summary ("analysed", "traced").
    pub stage: &'a str,
    pub verb: &'a str,
}

/// Runs `work` over every input; `error_of` tells an error record (its id and reason).
/// Returns the exit code: 2 when `strict` and some input failed, else 0.
pub fn run<R: Render + Send>(
    job: Job,
    work: impl Fn(&DocResult) -> R + Sync,
    error_of: impl Fn(&R) -> Option<(&str, &str)>,
) -> Result<i32> {
    let format: Format = job.format.parse().unwrap_or(Format::Table);
    let inputs = if job.inputs.is_empty() { vec!["-".to_string()] } else { job.inputs.to_vec() };
    announce_stdin(&inputs);
    let stdout = std::io::stdout();
    let mut out = RecordWriter::new(std::io::BufWriter::with_capacity(1 << 16, stdout.lock()), format)
        .with_width(table_width());
    let bars = Bars::new();
    bars.stage(job.stage, None);
    let mut docs = Inputs::new(inputs, job.read.options());
    let (mut done, mut failed) = (0u64, 0u64);
    loop {
        let batch: Vec<DocResult> = docs.by_ref().take(job.batch).collect();
        if batch.is_empty() {
            break;
        }
        for w in docs.take_warnings() {
            bars.note(&format!("newsprov: warning: {w}"));
        }
        let records: Vec<R> = batch.par_iter().map(&work).collect();
        for r in &records {
            match error_of(r) {
                Some((id, e)) => {
                    failed += 1;
                    bars.note(&format!("newsprov: {id}: {e}"));
                }
                None => done += 1,
            }
            out.write(r).map_err(|e| Error::io("<stdout>", e))?;
        }
        bars.advance(batch.len() as u64);
    }
    out.finish().map_err(|e| Error::io("<stdout>", e))?;
    drop(bars);
    if failed > 0 {
        eprintln!("newsprov: {} {done}, could not read {failed} (error records in the output)", job.verb);
    }
    Ok(exit_code(done, failed, job.strict))
}

/// 2 when no input at all could be read (or there was none), or with `strict` when some could
/// not; else 0: one bad input in a batch does not fail the rest.
pub fn exit_code(done: u64, failed: u64, strict: bool) -> i32 {
    if done == 0 {
        if failed == 0 {
            eprintln!("newsprov: error: no articles found in the input");
        } else {
            eprintln!("newsprov: error: no input could be read");
        }
        return 2;
    }
    if failed > 0 && strict { 2 } else { 0 }
}

/// Says so when standard input is a terminal, where a silent wait would look like a hang.
pub fn announce_stdin(inputs: &[String]) {
    use std::io::IsTerminal;
    if inputs.iter().any(|i| i == "-") && std::io::stdin().is_terminal() {
        eprintln!(
            "newsprov: reading standard input (Ctrl-D to end; give files or directories as arguments to read those)"
        );
    }
}

/// The table's width: $COLUMNS, else the terminal's (stdout's, or stderr's when stdout is piped
/// to a pager), else [`DEFAULT_TABLE_WIDTH`] (output with no terminal stays the same from run to
/// run).
pub fn table_width() -> usize {
    use std::io::IsTerminal;
    if let Some(w) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()) {
        return w;
    }
    // Piped to a pager or `head` in a terminal, the reader still sees that terminal.
    let term = if std::io::stdout().is_terminal() {
        Some(console::Term::stdout())
    } else if std::io::stderr().is_terminal() {
        Some(console::Term::stderr())
    } else {
        None
    };
    if let Some((_, w)) = term.and_then(|t| t.size_checked()) {
        return w as usize;
    }
    newsprov::output::DEFAULT_TABLE_WIDTH
}
