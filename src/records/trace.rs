//! The `trace` record of one article: the references it most likely derives from, or the
//! closest one when none passes. `newsprov trace` prints it and `newsprov serve` returns it.
use crate::input::DocResult;
use crate::output::{Render, shorten};
use crate::trace::{TraceIndex, TraceMatch};
use serde::Serialize;
use std::io::Write;

/// What a record says when no reference passes the threshold.
pub const NO_SOURCE: &str = "no source found";

#[derive(Serialize, Default)]
pub struct Record {
    pub id: String,
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub matched: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<&'static str>,
    /// Matches at or above the threshold, best first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matches: Option<Vec<TraceMatch>>,
    /// When nothing passes: the closest reference, for information.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closest: Option<TraceMatch>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

pub fn record(idx: &TraceIndex, doc: &DocResult, k: usize) -> Record {
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
