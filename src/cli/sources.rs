//! `newsprov sources`: whom each article cites, with byte spans and counts.
use super::args::SourcesArgs;
use newsprov::input::DocResult;
use newsprov::records::sources::{Record, SummaryRecord, record};
use newsprov::sources::Gazetteer;
use newsprov::{Error, Result};

/// Articles analysed together; bounds memory whatever the number of inputs.
const BATCH: usize = 512;

pub fn run(a: SourcesArgs) -> Result<i32> {
    let owned;
    let gaz: &Gazetteer = match &a.outlets {
        None => Gazetteer::builtin(),
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?;
            owned = Gazetteer::from_csv(&text).map_err(|e| Error::input(p.display().to_string(), None, e))?;
            &owned
        }
    };
    let job = super::batch::Job {
        inputs: &a.inputs,
        read: &a.read,
        format: &a.format,
        strict: a.strict,
        batch: BATCH,
        stage: "sources",
        verb: "analysed",
    };
    if a.summary {
        let summary_only = |d: &DocResult| SummaryRecord(Record { attributions: None, ..record(gaz, d) });
        super::batch::run(job, summary_only, |r: &SummaryRecord| error_of(&r.0))
    } else {
        super::batch::run(job, |d| record(gaz, d), error_of)
    }
}

fn error_of(r: &Record) -> Option<(&str, &str)> {
    r.error.as_deref().map(|e| (r.id.as_str(), e))
}
