//! Score records and their three renderings: JSON lines, CSV and an aligned table. Each writer
//! takes one record at a time, so scoring streams.
use crate::corpus::Label;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Jsonl,
    Csv,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "table" => Ok(Format::Table),
            "jsonl" | "json" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            _ => Err(format!("unknown format {s:?} (expected table, jsonl or csv)")),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Probabilities {
    pub state_media: f32,
    pub wire: f32,
    pub aggregator: f32,
}

impl From<[f32; Label::COUNT]> for Probabilities {
    fn from(p: [f32; Label::COUNT]) -> Self {
        Probabilities { state_media: p[0], wire: p[1], aggregator: p[2] }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TermCount {
    pub term: String,
    pub class: Label,
    pub count: u32,
}

/// One line of `score` output: a verdict, or the reason there is none.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct ScoreRecord {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// With `--min-confidence`, the most likely label when `label` is "uncertain".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_guess: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probabilities: Option<Probabilities>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framing_terms: Option<Vec<TermCount>>,
    /// State and wire outlets the article cites (see `newsprov sources`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// "uncertain" when the top probability is below `min_confidence`: said, never hidden.
pub const UNCERTAIN: &str = "uncertain";

impl ScoreRecord {
    /// The verdict on one article, as `score` writes it (and `report` shows it): label (or
    /// "uncertain" under `min_confidence`), probabilities, framing terms and, with
    /// `with_sources`, the state and wire outlets it cites.
    pub fn score(
        model: &crate::Model,
        id: &str,
        text: &str,
        truncated: bool,
        min_confidence: f32,
        with_sources: bool,
    ) -> ScoreRecord {
        use crate::sources::{Gazetteer, cited_outlets, find_outlet_sources_in};
        // one phrase scan serves the features and the cited outlets
        let hits = model.features.scan(text);
        let p = model.predict_scanned(text, &hits);
        let terms = model
            .term_counts(&p.features.matches)
            .into_iter()
            .map(|(term, class, count)| TermCount { term: term.to_string(), class, count })
            .collect();
        let sure = p.confidence() >= min_confidence;
        ScoreRecord {
            id: id.to_string(),
            label: Some(if sure { p.label.to_string() } else { UNCERTAIN.to_string() }),
            best_guess: (!sure).then(|| p.label.to_string()),
            probabilities: Some(p.probabilities.into()),
            framing_terms: Some(terms),
            sources: with_sources.then(|| {
                let outlets = model.features.outlet_hits(&hits);
                cited_outlets(
                    &find_outlet_sources_in(text, Gazetteer::builtin(), &outlets),
                    &["state", "wire"],
                )
            }),
            truncated,
            error: None,
        }
    }
}

/// A record that can be written as a JSON line, a CSV row or lines of an aligned table.
pub trait Render: Serialize {
    fn csv_header() -> &'static [&'static str];
    /// One or more rows (a trace record has a row per match).
    fn csv_rows(&self) -> Vec<Vec<String>>;
    fn table_header() -> String;
    fn table_rows(&self, out: &mut dyn Write) -> std::io::Result<()>;
}

/// Writes records one at a time in the chosen format, the header once, so output streams.
pub struct RecordWriter<W: Write> {
    out: Sink<W>,
    wrote_header: bool,
}

enum Sink<W: Write> {
    Jsonl(W),
    Table(W),
    Csv(csv::Writer<W>),
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

impl<W: Write> RecordWriter<W> {
    pub fn new(out: W, format: Format) -> Self {
        let out = match format {
            Format::Jsonl => Sink::Jsonl(out),
            Format::Table => Sink::Table(out),
            Format::Csv => Sink::Csv(csv::Writer::from_writer(out)),
        };
        RecordWriter { out, wrote_header: false }
    }

    pub fn write<R: Render>(&mut self, r: &R) -> std::io::Result<()> {
        let first = !self.wrote_header;
        self.wrote_header = true;
        match &mut self.out {
            Sink::Jsonl(out) => {
                serde_json::to_writer(&mut *out, r)?;
                out.write_all(b"\n")
            }
            Sink::Csv(w) => {
                if first {
                    w.write_record(R::csv_header())?;
                }
                for row in r.csv_rows() {
                    w.write_record(row)?;
                }
                Ok(())
            }
            Sink::Table(out) => {
                if first {
                    writeln!(out, "{}", R::table_header())?;
                }
                r.table_rows(out)
            }
        }
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.out {
            Sink::Jsonl(w) | Sink::Table(w) => w.flush(),
            Sink::Csv(w) => w.flush(),
        }
    }
}

impl Render for ScoreRecord {
    fn csv_header() -> &'static [&'static str] {
        &[
            "id",
            "label",
            "state_media",
            "wire",
            "aggregator",
            "framing_terms",
            "sources",
            "truncated",
            "error",
        ]
    }

    fn csv_rows(&self) -> Vec<Vec<String>> {
        let r = self;
        let p = |f: fn(&Probabilities) -> f32| {
            r.probabilities.as_ref().map(|x| format!("{:.4}", f(x))).unwrap_or_default()
        };
        vec![vec![
            r.id.clone(),
            r.label.clone().unwrap_or_default(),
            p(|x| x.state_media),
            p(|x| x.wire),
            p(|x| x.aggregator),
            terms_text(r),
            r.sources.as_ref().map(|v| v.join("; ")).unwrap_or_default(),
            if r.truncated { "true".into() } else { String::new() },
            r.error.clone().unwrap_or_default(),
        ]]
    }

    fn table_header() -> String {
        format!("{:<40} {:<12} {:>6} {:>6} {:>6}  framing terms", "id", "label", "state", "wire", "agg")
    }

    fn table_rows(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let r = self;
        let id = shorten(&r.id, 40);
        match (&r.label, &r.probabilities, &r.error) {
            (Some(l), Some(p), _) => writeln!(
                out,
                "{id:<40} {l:<12} {:>6.3} {:>6.3} {:>6.3}  {}{}{}",
                round3(p.state_media),
                round3(p.wire),
                round3(p.aggregator),
                terms_text(r),
                match r.sources.as_deref() {
                    Some(v) if !v.is_empty() => format!(" [cites {}]", v.join(", ")),
                    _ => String::new(),
                },
                if r.truncated { " [truncated]" } else { "" }
            ),
            (_, _, e) => writeln!(out, "{id:<40} ERROR        {}", e.as_deref().unwrap_or("")),
        }
    }
}

fn terms_text(r: &ScoreRecord) -> String {
    r.framing_terms
        .as_ref()
        .map(|ts| ts.iter().map(|t| format!("{}:{}", t.term, t.count)).collect::<Vec<_>>().join("; "))
        .unwrap_or_default()
}

/// Keeps the end of long ids (the file name is the informative part of a path).
pub fn shorten(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        s.to_string()
    } else {
        let tail: String = s.chars().skip(n - (max - 1)).collect();
        format!("…{tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn render(format: Format) -> String {
        let buf = Buf::default();
        let mut w = RecordWriter::new(buf.clone(), format);
        w.write(&ScoreRecord {
            id: "a".into(),
            label: Some("wire".into()),
            probabilities: Some([0.1, 0.8, 0.1].into()),
            framing_terms: Some(vec![TermCount {
                term: "told reporters".into(),
                class: Label::Wire,
                count: 2,
            }]),
            ..Default::default()
        })
        .unwrap();
        w.write(&ScoreRecord { id: "b".into(), error: Some("empty text".into()), ..Default::default() })
            .unwrap();
        w.flush().unwrap();
        String::from_utf8(buf.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn jsonl_has_verdicts_and_error_records() {
        let s = render(Format::Jsonl);
        let lines: Vec<serde_json::Value> = s.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines[0]["label"], "wire");
        assert_eq!(lines[0]["framing_terms"][0]["count"], 2);
        assert_eq!(lines[1]["error"], "empty text");
        assert!(lines[1].get("label").is_none());
    }

    #[test]
    fn csv_and_table() {
        let s = render(Format::Csv);
        assert!(
            s.starts_with("id,label,state_media,wire,aggregator,framing_terms,sources,truncated,error\n")
        );
        assert!(s.contains("a,wire,0.1000,0.8000,0.1000,told reporters:2,,,\n"));
        assert!(s.contains("b,,,,,,,,empty text\n"));
        let t = render(Format::Table);
        assert_eq!(t.lines().count(), 3);
        assert!(t.lines().nth(2).unwrap().contains("ERROR"));
    }
}
