//! `newsprov trace`: which reference articles each input most likely derives from, and
//! `newsprov trace index`: build the reference index once.
use super::args::{ReadArgs, TraceAction, TraceArgs, TraceIndexArgs};
use super::bars::Bars;
use newsprov::input::{DocResult, Inputs};
use newsprov::output::{Render, shorten};
use newsprov::progress::Progress;
use newsprov::trace::{TraceIndex, TraceMatch, TraceParams};
use newsprov::{Error, Result};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Inputs traced together; bounds memory whatever the number of inputs.
const BATCH: usize = 256;
const NO_SOURCE: &str = "no source found";

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

fn load(p: &Path) -> Result<TraceIndex> {
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

#[derive(Serialize, Default)]
struct Record {
    id: String,
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    matched: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'static str>,
    /// Matches at or above the threshold, best first.
    #[serde(skip_serializing_if = "Option::is_none")]
    matches: Option<Vec<TraceMatch>>,
    /// When nothing passes: the closest reference, for information.
    #[serde(skip_serializing_if = "Option::is_none")]
    closest: Option<TraceMatch>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

fn record(idx: &TraceIndex, doc: &DocResult, k: usize) -> Record {
    match doc {
        Err(e) => Record { id: e.id.clone(), error: Some(e.reason.clone()), ..Default::default() },
        Ok(d) => {
            let all = idx.query(&d.text, k);
            let closest = all.first().cloned();
            let matches: Vec<TraceMatch> = all.into_iter().filter(|m| idx.is_match(m)).collect();
            let found = !matches.is_empty();
            Record {
                id: d.id.clone(),
                matched: Some(found),
                message: (!found).then_some(NO_SOURCE),
                closest: if found { None } else { closest },
                matches: Some(matches),
                truncated: d.truncated,
                error: None,
            }
        }
    }
}

impl Render for Record {
    fn csv_header() -> &'static [&'static str] {
        &[
            "id",
            "rank",
            "match_id",
            "score",
            "containment",
            "similarity",
            "bm25",
            "also",
            "passages",
            "message",
            "error",
        ]
    }

    fn csv_rows(&self) -> Vec<Vec<String>> {
        let r = self;
        let matches = r.matches.as_deref().unwrap_or_default();
        if r.error.is_some() || matches.is_empty() {
            let mut row = vec![String::new(); 11];
            row[0] = r.id.clone();
            row[9] = r.message.unwrap_or_default().to_string();
            row[10] = r.error.clone().unwrap_or_default();
            return vec![row];
        }
        matches
            .iter()
            .enumerate()
            .map(|(i, m)| {
                vec![
                    r.id.clone(),
                    (i + 1).to_string(),
                    m.id.clone(),
                    format!("{:.4}", m.score),
                    format!("{:.4}", m.containment),
                    format!("{:.4}", m.similarity),
                    format!("{:.4}", m.bm25),
                    m.also.join("; "),
                    m.passages.join(" | "),
                    String::new(),
                    String::new(),
                ]
            })
            .collect()
    }

    fn table_header() -> String {
        format!(
            "{:<36} {:>2} {:<36} {:>6} {:>6} {:>6}  also / shared passage",
            "id", "#", "match", "score", "cont", "sim"
        )
    }

    fn table_rows(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let r = self;
        let matches = r.matches.as_deref().unwrap_or_default();
        let id = shorten(&r.id, 36);
        if let Some(e) = &r.error {
            return writeln!(w, "{id:<36} ERROR {e}");
        }
        if matches.is_empty() {
            let near = r.closest.as_ref().map(|c| format!(" (closest {} {:.3})", c.id, c.score));
            return writeln!(w, "{id:<36}  - {NO_SOURCE}{}", near.unwrap_or_default());
        }
        for (i, m) in matches.iter().enumerate() {
            let mut extra = String::new();
            if !m.also.is_empty() {
                extra.push_str(&format!("also {}; ", m.also.join(", ")));
            }
            if let Some(p) = m.passages.first() {
                extra.push_str(&format!("\"{}\"", shorten_front(p, 60)));
            }
            writeln!(
                w,
                "{id:<36} {:>2} {:<36} {:>6.3} {:>6.3} {:>6.3}  {extra}",
                i + 1,
                shorten(&m.id, 36),
                m.score,
                m.containment,
                m.similarity
            )?;
        }
        Ok(())
    }
}

/// The start of a long passage.
fn shorten_front(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}
