//! The `sources` record of one article: every attribution with its byte span, and a summary.
//! `newsprov sources` prints it and `newsprov serve` returns it, unchanged.
use crate::input::DocResult;
use crate::output::{Render, shorten};
use crate::sources::{
    Attribution, Gazetteer, SourceCount, SourceKind, cited_outlets, find_sources, summarize,
};
use serde::Serialize;
use std::io::Write;

#[derive(Serialize, Default)]
pub struct Summary {
    pub total: usize,
    pub outlets: usize,
    pub officials: usize,
    pub state_media_generic: usize,
    pub consensus: usize,
    /// State and wire outlets cited (as in `score`'s `sources` field).
    pub cited_outlets: Vec<String>,
    pub by_source: Vec<SourceCount>,
}

#[derive(Serialize, Default)]
pub struct Record {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributions: Option<Vec<Attribution>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Summary>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

pub fn record(gaz: &Gazetteer, doc: &DocResult) -> Record {
    match doc {
        Err(e) => Record { id: e.id.clone(), error: Some(e.reason.clone()), ..Default::default() },
        Ok(d) => {
            let atts = find_sources(&d.text, gaz);
            let count = |k: SourceKind| atts.iter().filter(|a| a.kind == k).count();
            let summary = Summary {
                total: atts.len(),
                outlets: count(SourceKind::Outlet),
                officials: count(SourceKind::Official),
                state_media_generic: count(SourceKind::StateMediaGeneric),
                consensus: count(SourceKind::Consensus),
                cited_outlets: cited_outlets(&atts, &["state", "wire"]),
                by_source: summarize(&atts),
            };
            Record {
                id: d.id.clone(),
                attributions: Some(atts),
                summary: Some(summary),
                truncated: d.truncated,
                error: None,
            }
        }
    }
}

fn kind_name(k: SourceKind) -> &'static str {
    match k {
        SourceKind::Outlet => "outlet",
        SourceKind::Official => "official",
        SourceKind::Consensus => "consensus",
        SourceKind::StateMediaGeneric => "state_media",
    }
}

fn by_source_text(s: &Summary) -> String {
    s.by_source.iter().map(|c| format!("{}:{}", c.name, c.count)).collect::<Vec<_>>().join("; ")
}

impl Render for Record {
    fn csv_header() -> &'static [&'static str] {
        &["id", "kind", "name", "mention", "outlet_type", "country", "cue", "start", "end", "error"]
    }

    /// One row per attribution; an article without any gives no row, an unreadable one a row
    /// with its error.
    fn csv_rows(&self) -> Vec<Vec<String>> {
        if let Some(e) = &self.error {
            let mut row = vec![self.id.clone()];
            row.extend(std::iter::repeat_n(String::new(), 8));
            row.push(e.clone());
            return vec![row];
        }
        let atts = self.attributions.as_deref().unwrap_or_default();
        atts.iter()
            .map(|a| {
                vec![
                    self.id.clone(),
                    kind_name(a.kind).to_string(),
                    a.name.clone(),
                    a.mention.clone(),
                    a.outlet_type.clone().unwrap_or_default(),
                    a.country.clone().unwrap_or_default(),
                    a.cue.clone(),
                    a.start.to_string(),
                    a.end.to_string(),
                    String::new(),
                ]
            })
            .collect()
    }

    fn table_header() -> String {
        format!("{:<40} {:>5}  {:<11} {:<32} cue", "id", "span", "kind", "source")
    }

    fn table_rows(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let r = self;
        let id = shorten(&r.id, 40);
        if let Some(e) = &r.error {
            return writeln!(w, "{id:<40} ERROR {e}");
        }
        let atts = r.attributions.as_deref().unwrap_or_default();
        if atts.is_empty() {
            writeln!(w, "{id:<40} {:>5}  (no attributions)", "")?;
        }
        for a in atts {
            let name = match &a.outlet_type {
                Some(t) => format!("{} [{t}]", a.name),
                None => a.name.clone(),
            };
            writeln!(
                w,
                "{id:<40} {:>5}  {:<11} {:<32} {}",
                a.start,
                kind_name(a.kind),
                shorten(&name, 32),
                a.cue
            )?;
        }
        if let Some(s) = &r.summary
            && !s.by_source.is_empty()
        {
            writeln!(w, "{id:<40} total {}: {}", s.total, by_source_text(s))?;
        }
        Ok(())
    }
}

/// A [`Record`] written as its per-article summary (`sources --summary`).
#[derive(Serialize)]
#[serde(transparent)]
pub struct SummaryRecord(pub Record);

impl Render for SummaryRecord {
    fn csv_header() -> &'static [&'static str] {
        &[
            "id",
            "total",
            "outlets",
            "officials",
            "state_media_generic",
            "consensus",
            "cited_outlets",
            "sources",
            "error",
        ]
    }

    fn csv_rows(&self) -> Vec<Vec<String>> {
        let r = &self.0;
        let s = r.summary.as_ref();
        let n = |f: fn(&Summary) -> usize| s.map(|s| f(s).to_string()).unwrap_or_default();
        vec![vec![
            r.id.clone(),
            n(|s| s.total),
            n(|s| s.outlets),
            n(|s| s.officials),
            n(|s| s.state_media_generic),
            n(|s| s.consensus),
            s.map(|s| s.cited_outlets.join("; ")).unwrap_or_default(),
            s.map(by_source_text).unwrap_or_default(),
            r.error.clone().unwrap_or_default(),
        ]]
    }

    fn table_header() -> String {
        format!("{:<40} summary", "id")
    }

    fn table_rows(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let r = &self.0;
        let id = shorten(&r.id, 40);
        match (&r.error, &r.summary) {
            (Some(e), _) => writeln!(w, "{id:<40} ERROR {e}"),
            (None, Some(s)) if s.total > 0 => {
                writeln!(w, "{id:<40} total {}: {}", s.total, by_source_text(s))
            }
            _ => writeln!(w, "{id:<40} (no attributions)"),
        }
    }
}
