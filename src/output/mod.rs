//! Score records and their three renderings: JSON lines, CSV and an aligned table. Each writer
//! takes one record at a time, so scoring streams.
use crate::corpus::Label;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

mod score_table;

/// Table width when the output is not a terminal and `COLUMNS` is not set.
pub const DEFAULT_TABLE_WIDTH: usize = 100;

/// How records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns for reading, a legend above and counts below.
    Table,
    /// One JSON object per line, for programs.
    Jsonl,
    /// A header row and one row per record (several for a trace record).
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

/// The probability of each label, in label order.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Probabilities {
    /// Probability of `state_media`.
    pub state_media: f32,
    /// Probability of `wire`.
    pub wire: f32,
    /// Probability of `aggregator`.
    pub aggregator: f32,
}

impl From<[f32; Label::COUNT]> for Probabilities {
    fn from(p: [f32; Label::COUNT]) -> Self {
        Probabilities { state_media: p[0], wire: p[1], aggregator: p[2] }
    }
}

/// A framing term found in an article, the label the lexicon files it under, and how often.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TermCount {
    /// The term as the lexicon writes it.
    pub term: String,
    /// The label the lexicon says it supports.
    pub class: Label,
    /// Times found.
    pub count: u32,
}

/// One line of `score` output: a verdict, or the reason there is none.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct ScoreRecord {
    /// The article's id (see [`crate::input::Doc::id`]).
    pub id: String,
    /// The verdict: a label, or "uncertain" under `--min-confidence`; absent on error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// With `--min-confidence`, the most likely label when `label` is "uncertain".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_guess: Option<String>,
    /// Every label's probability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probabilities: Option<Probabilities>,
    /// Framing terms found, in lexicon order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framing_terms: Option<Vec<TermCount>>,
    /// State and wire outlets the article cites (see `newsprov sources`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
    /// Known outlets whose house style the article is closest to (empty: none is likely).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reads_like: Option<Vec<crate::reads_like::ReadsLike>>,
    /// On a page of several stories (a digest, a newsletter), each story's verdict; the page's
    /// probabilities are their mean. Absent for a single article.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stories: Vec<StoryScore>,
    /// The text was cut at `--max-bytes`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    /// Why the input could not be scored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One story's verdict on a page of several.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryScore {
    /// The story's headline.
    pub title: String,
    /// Its most likely label.
    pub label: String,
    /// Every label's probability.
    pub probabilities: Probabilities,
}

/// "uncertain" when the top probability is below `min_confidence`: said, never hidden.
pub use crate::scoring::UNCERTAIN;

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
        let doc = Ok(crate::input::Doc { id: id.to_string(), text: text.to_string(), truncated });
        crate::scoring::score_record(
            model,
            &doc,
            &crate::scoring::ScoreOptions { min_confidence, sources: with_sources },
        )
    }
}

/// A record that can be written as a JSON line, a CSV row or lines of an aligned table.
pub trait Render: Serialize {
    /// The CSV header row.
    fn csv_header() -> &'static [&'static str];
    /// One or more rows (a trace record has a row per match).
    fn csv_rows(&self) -> Vec<Vec<String>>;
    /// The table's header line.
    fn table_header() -> String;
    /// This record's lines of the table.
    fn table_rows(&self, out: &mut dyn Write) -> std::io::Result<()>;
    /// Lines said once above the table (what the columns mean), fitted to `width`.
    fn table_legend(_width: usize) -> Option<String> {
        None
    }
    /// The header fitted to `width` columns; by default [`table_header`](Self::table_header).
    fn table_header_fit(_width: usize) -> String {
        Self::table_header()
    }
    /// The rows fitted to `width` columns; by default [`table_rows`](Self::table_rows).
    fn table_rows_fit(&self, out: &mut dyn Write, _width: usize) -> std::io::Result<()> {
        self.table_rows(out)
    }
    /// What the record counts as in the table's closing line (its label, or "error").
    fn table_tally(&self) -> Option<String> {
        None
    }
    /// The closing line from the tallies.
    fn table_footer(_tally: &BTreeMap<String, u64>) -> Option<String> {
        None
    }
}

/// Makes a table's closing line from the tallies ([`Render::table_footer`]).
type Footer = fn(&BTreeMap<String, u64>) -> Option<String>;

/// Writes records one at a time in the chosen format, the header once, so output streams.
/// Call [`finish`](Self::finish) at the end (the table's closing counts).
pub struct RecordWriter<W: Write> {
    out: Sink<W>,
    wrote_header: bool,
    width: usize,
    tally: BTreeMap<String, u64>,
    footer: Option<Footer>,
}

enum Sink<W: Write> {
    Jsonl(W),
    Table(W),
    Csv(csv::Writer<W>),
}

impl<W: Write> RecordWriter<W> {
    /// A writer of `format` into `out`; a table is [`DEFAULT_TABLE_WIDTH`] wide.
    pub fn new(out: W, format: Format) -> Self {
        let out = match format {
            Format::Jsonl => Sink::Jsonl(out),
            Format::Table => Sink::Table(out),
            Format::Csv => Sink::Csv(csv::Writer::from_writer(out)),
        };
        RecordWriter {
            out,
            wrote_header: false,
            width: DEFAULT_TABLE_WIDTH,
            tally: BTreeMap::new(),
            footer: None,
        }
    }

    /// Fits a table to `width` columns (at least 60).
    pub fn with_width(mut self, width: usize) -> Self {
        self.width = width.max(60);
        self
    }

    /// Writes one record (the header first, once).
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
                    if let Some(legend) = R::table_legend(self.width) {
                        writeln!(out, "{legend}")?;
                    }
                    writeln!(out, "{}", R::table_header_fit(self.width))?;
                    self.footer = Some(R::table_footer);
                }
                if let Some(t) = r.table_tally() {
                    *self.tally.entry(t).or_default() += 1;
                }
                r.table_rows_fit(out, self.width)
            }
        }
    }

    /// Writes what closes the output (a table's counts) and flushes.
    pub fn finish(&mut self) -> std::io::Result<()> {
        if let (Sink::Table(out), Some(footer)) = (&mut self.out, self.footer)
            && let Some(line) = footer(&self.tally)
        {
            writeln!(out, "{line}")?;
        }
        self.footer = None;
        self.flush()
    }

    /// Flushes what was written so far.
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
            "reads_like",
            "stories",
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
            reads_like_text(r),
            stories_text(r),
            if r.truncated { "true".into() } else { String::new() },
            r.error.clone().unwrap_or_default(),
        ]]
    }

    fn table_header() -> String {
        score_table::header(DEFAULT_TABLE_WIDTH)
    }

    fn table_rows(&self, out: &mut dyn Write) -> std::io::Result<()> {
        score_table::rows(self, out, DEFAULT_TABLE_WIDTH)
    }

    fn table_legend(width: usize) -> Option<String> {
        Some(score_table::legend(width))
    }

    fn table_header_fit(width: usize) -> String {
        score_table::header(width)
    }

    fn table_rows_fit(&self, out: &mut dyn Write, width: usize) -> std::io::Result<()> {
        score_table::rows(self, out, width)
    }

    fn table_tally(&self) -> Option<String> {
        Some(match &self.label {
            Some(l) if self.error.is_none() => l.clone(),
            _ => "error".into(),
        })
    }

    fn table_footer(tally: &BTreeMap<String, u64>) -> Option<String> {
        Some(score_table::footer(tally))
    }
}

fn reads_like_text(r: &ScoreRecord) -> String {
    r.reads_like
        .as_ref()
        .map(|v| v.iter().map(|x| format!("{} {:.2}", x.outlet, x.p)).collect::<Vec<_>>().join("; "))
        .unwrap_or_default()
}

/// "aggregator 0.91 Metro fares to rise; ..." for a page of several stories.
fn stories_text(r: &ScoreRecord) -> String {
    let p = |s: &StoryScore| match s.label.as_str() {
        "state_media" => s.probabilities.state_media,
        "wire" => s.probabilities.wire,
        _ => s.probabilities.aggregator,
    };
    r.stories.iter().map(|s| format!("{} {:.2} {}", s.label, p(s), s.title)).collect::<Vec<_>>().join("; ")
}

fn terms_text(r: &ScoreRecord) -> String {
    r.framing_terms
        .as_ref()
        .map(|ts| ts.iter().map(|t| format!("{}:{}", t.term, t.count)).collect::<Vec<_>>().join("; "))
        .unwrap_or_default()
}

/// Shortens a long id in the middle, keeping its start (the directory or the table) and more of
/// its end (the file name or the row): `data/exa…factory-fire.txt`.
pub fn shorten(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max || max < 2 {
        return s.to_string();
    }
    let keep = max - 1;
    let head = keep / 3;
    let tail = keep - head;
    let start: String = s.chars().take(head).collect();
    let end: String = s.chars().skip(n - tail).collect();
    format!("{start}…{end}")
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
        w.finish().unwrap();
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
        assert!(s.starts_with(
            "id,label,state_media,wire,aggregator,framing_terms,sources,reads_like,stories,truncated,error\n"
        ));
        assert!(s.contains("a,wire,0.1000,0.8000,0.1000,told reporters:2,,,,,\n"));
        assert!(s.contains("b,,,,,,,,,,empty text\n"));
        let t = render(Format::Table);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines.iter().any(|l| l.contains("ERROR")), "{t}");
        assert!(lines.last().unwrap().contains("wire 1"), "{t}");
        assert!(lines.iter().all(|l| l.chars().count() <= DEFAULT_TABLE_WIDTH), "{t}");
    }
}

#[cfg(test)]
mod shorten_tests {
    #[test]
    fn ids_are_shortened_in_the_middle() {
        let s = super::shorten("data/examples/wire-factory-fire.txt", 24);
        assert_eq!(s.chars().count(), 24);
        assert!(s.starts_with("data/ex") && s.ends_with("factory-fire.txt"), "{s}");
        assert_eq!(super::shorten("short", 24), "short");
    }
}
