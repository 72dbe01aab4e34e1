//! Reading labeled articles from CSV: the three labels, their aliases, and errors that name the
//! file, the line and the problem.
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The three voices newsprov tells apart. The order is the column order of every matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// State-media framing (KCNA, Rodong Sinmun, Xinhua in their own voice).
    StateMedia,
    /// Wire-style reporting (Reuters, AP, straight-news desks).
    Wire,
    /// Aggregator rewrites, summaries and reposts of others' stories.
    Aggregator,
}

impl Label {
    /// Every label, in the order of every matrix and probability array.
    pub const ALL: [Label; 3] = [Label::StateMedia, Label::Wire, Label::Aggregator];
    /// How many labels there are.
    pub const COUNT: usize = 3;

    /// The label's position in [`Label::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The label at a position in [`Label::ALL`].
    pub fn from_index(i: usize) -> Option<Label> {
        Label::ALL.get(i).copied()
    }

    /// The name used in files and output: `state_media`, `wire`, `aggregator`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::StateMedia => "state_media",
            Label::Wire => "wire",
            Label::Aggregator => "aggregator",
        }
    }

    /// The label or one of its documented [`LABEL_ALIASES`]; case, spaces, hyphens and
    /// underscores do not matter ("State-Media Framing" is `state_media`).
    pub fn parse(raw: &str) -> Option<Label> {
        let key = label_key(raw);
        Label::ALL
            .into_iter()
            .find(|l| l.as_str() == key)
            .or_else(|| LABEL_ALIASES.iter().find(|(a, _)| label_key(a) == key).map(|&(_, l)| l))
    }

    /// Whether `raw` names this label by one of its [`LABEL_ALIASES`] rather than its own name.
    pub fn is_alias(raw: &str) -> bool {
        let key = label_key(raw);
        Label::ALL.iter().all(|l| l.as_str() != key) && Label::parse(raw).is_some()
    }
}

/// The other names a label column may use, as the README and `train --help` list them. Only these
/// are read: a number or a loose word ("news", "2") could mean anything.
pub const LABEL_ALIASES: &[(&str, Label)] = &[
    ("state", Label::StateMedia),
    ("state media", Label::StateMedia),
    ("state-media framing", Label::StateMedia),
    ("sm", Label::StateMedia),
    ("wire-style", Label::Wire),
    ("wire-style reporting", Label::Wire),
    ("wire service", Label::Wire),
    ("agg", Label::Aggregator),
    ("aggregator rewrite", Label::Aggregator),
    ("rewrite", Label::Aggregator),
];

/// The aliases as one line for help and error messages: `state, state media (state_media); ...`.
pub fn alias_list() -> String {
    Label::ALL
        .iter()
        .map(|l| {
            let names: Vec<&str> = LABEL_ALIASES.iter().filter(|(_, a)| a == l).map(|(n, _)| *n).collect();
            format!("{l}: {}", names.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn label_key(raw: &str) -> String {
    raw.trim().chars().map(|c| if c == '-' || c == ' ' { '_' } else { c.to_ascii_lowercase() }).collect()
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Label {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Label::parse(s).ok_or_else(|| {
            format!(
                "unknown label {s:?} (expected state_media, wire or aggregator, or an alias: {})",
                alias_list()
            )
        })
    }
}

/// One labeled row. Optional columns are empty strings when absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The id column, or `line<N>`.
    pub id: String,
    /// The label.
    pub label: Label,
    /// The article text.
    pub text: String,
    /// The title column (empty when absent).
    pub title: String,
    /// The outlet column (empty when absent).
    pub outlet: String,
    /// The date column (empty when absent).
    pub date: String,
    /// Line in the file where the row starts (1-based, the header is line 1).
    pub line: u64,
}

/// Which columns to read and how strict to be.
#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// Column holding the text.
    pub text_column: String,
    /// Column holding the label.
    pub label_column: String,
    /// Keep going past bad rows, reporting them in [`LabeledSet::skipped`].
    pub skip_invalid: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions { text_column: "text".into(), label_column: "label".into(), skip_invalid: false }
    }
}

/// A row that was left out with `skip_invalid`, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedRow {
    /// Line where the row starts.
    pub line: u64,
    /// Why it was left out.
    pub reason: String,
}

/// The rows of a labeled CSV.
#[derive(Debug, Clone, Default)]
pub struct LabeledSet {
    /// The rows read.
    pub articles: Vec<Article>,
    /// Rows left out with `skip_invalid`.
    pub skipped: Vec<SkippedRow>,
    /// Label aliases the file used, as written, with the label each was read as and how many
    /// rows used it, in first-seen order.
    pub aliases_used: Vec<(String, Label, usize)>,
}

impl LabeledSet {
    /// Rows per label, in label order.
    pub fn counts(&self) -> [usize; Label::COUNT] {
        let mut c = [0; Label::COUNT];
        for a in &self.articles {
            c[a.label.index()] += 1;
        }
        c
    }

    /// Reasons grouped with their counts, most frequent first, for the "skipped N rows" summary.
    pub fn skip_summary(&self) -> Vec<(String, usize)> {
        let mut by: std::collections::BTreeMap<String, usize> = Default::default();
        for s in &self.skipped {
            let kind = s.reason.split(':').next().unwrap_or(&s.reason).to_string();
            *by.entry(kind).or_default() += 1;
        }
        let mut v: Vec<_> = by.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}

/// Column positions found in the header.
struct Columns {
    text: usize,
    label: usize,
    id: Option<usize>,
    title: Option<usize>,
    outlet: Option<usize>,
    date: Option<usize>,
}

/// Reads a labeled CSV file; errors name the file, the line and the problem.
pub fn read_labeled(path: &Path, opts: &CsvOptions) -> Result<LabeledSet> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read_labeled_from(std::io::BufReader::new(file), &path.display().to_string(), opts)
}

/// Reads from any reader; `name` is what errors call the source.
pub fn read_labeled_from<R: std::io::Read>(reader: R, name: &str, opts: &CsvOptions) -> Result<LabeledSet> {
    let (reader, mut lines) = track_lines(reader);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let header = rdr.byte_headers().map_err(|e| csv_error(name, &e, &mut lines))?.clone();
    if header.is_empty() {
        return Err(Error::input(name, Some(1), "empty file: expected a header row"));
    }
    let header: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = String::from_utf8_lossy(h);
            // A UTF-8 byte order mark sticks to the first name.
            if i == 0 { h.trim_start_matches('\u{feff}').trim().to_string() } else { h.trim().to_string() }
        })
        .collect();
    let find = |want: &str| header.iter().position(|h| h.eq_ignore_ascii_case(want));
    let require = |want: &str, flag: &str| {
        find(want).ok_or_else(|| {
            Error::input(
                name,
                Some(1),
                format!(
                    "missing column {want:?} (header has: {}); name another with {flag}",
                    header.join(", ")
                ),
            )
        })
    };
    let cols = Columns {
        text: require(&opts.text_column, "--text-column")?,
        label: require(&opts.label_column, "--label-column")?,
        id: find("id"),
        title: find("title"),
        outlet: find("outlet"),
        date: find("date"),
    };

    let mut set = LabeledSet::default();
    let mut record = csv::ByteRecord::new();
    loop {
        let start = rdr.position().byte();
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = lines.line_at(record.position().map_or(start, |p| p.byte()));
                match parse_row(&record, &cols, header.len(), line) {
                    Ok(a) => {
                        let raw = record.get(cols.label).map(String::from_utf8_lossy).unwrap_or_default();
                        if Label::is_alias(&raw) {
                            let raw = raw.trim();
                            match set.aliases_used.iter_mut().find(|(r, _, _)| r.eq_ignore_ascii_case(raw)) {
                                Some(e) => e.2 += 1,
                                None => set.aliases_used.push((raw.to_string(), a.label, 1)),
                            }
                        }
                        set.articles.push(a)
                    }
                    Err(reason) if opts.skip_invalid => set.skipped.push(SkippedRow { line, reason }),
                    Err(reason) => return Err(Error::input(name, Some(line), reason)),
                }
            }
            Err(e) => {
                let line = lines.line_at(e.position().map_or(start, |p| p.byte()));
                let reason = format!("malformed CSV: {}", csv_kind(&e));
                if opts.skip_invalid && !matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    set.skipped.push(SkippedRow { line, reason });
                } else {
                    return Err(Error::input(name, Some(line), reason));
                }
            }
        }
    }
    if set.articles.is_empty() && set.skipped.is_empty() {
        return Err(Error::input(name, None, "no rows after the header"));
    }
    Ok(set)
}

fn parse_row(
    rec: &csv::ByteRecord,
    cols: &Columns,
    width: usize,
    line: u64,
) -> std::result::Result<Article, String> {
    if rec.len() != width {
        return Err(format!("malformed row: {} fields, the header has {width}", rec.len()));
    }
    let field = |i: usize, what: &str| -> std::result::Result<&str, String> {
        std::str::from_utf8(&rec[i])
            .map_err(|e| format!("invalid UTF-8 in column {what} at byte {}", e.valid_up_to()))
    };
    let opt = |i: Option<usize>, what: &str| -> std::result::Result<String, String> {
        match i {
            Some(i) => Ok(field(i, what)?.trim().to_string()),
            None => Ok(String::new()),
        }
    };
    let raw_label = field(cols.label, "label")?;
    let label = raw_label.parse::<Label>().map_err(|e| format!("unknown label: {e}"))?;
    let text = field(cols.text, "text")?;
    if text.trim().is_empty() {
        return Err("empty text".to_string());
    }
    let mut id = opt(cols.id, "id")?;
    if id.is_empty() {
        id = format!("line{line}");
    }
    Ok(Article {
        id,
        label,
        text: text.to_string(),
        title: opt(cols.title, "title")?,
        outlet: opt(cols.outlet, "outlet")?,
        date: opt(cols.date, "date")?,
        line,
    })
}

fn csv_kind(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} fields, the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 in field {}", err.field() + 1),
        other => format!("{other:?}"),
    }
}

fn csv_error(name: &str, e: &csv::Error, lines: &mut LineIndex) -> Error {
    let line = e.position().map(|p| lines.line_at(p.byte()));
    Error::input(name, line, format!("malformed CSV: {}", csv_kind(e)))
}

/// The corpus README's world-topic slice: articles naming North Korea, Russia, China or Iran,
/// where every class writes about the same places and topic cannot give the label away.
/// Case-sensitive, like the README's regular expression.
pub fn is_world_topic(text: &str) -> bool {
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    AC.get_or_init(|| aho_corasick::AhoCorasick::new(WORLD_TOPIC_TERMS).expect("plain strings always build"))
        .is_match(text)
}

/// Words that mark the world-topic slice (North Korea, Russia, China, Iran).
pub const WORLD_TOPIC_TERMS: &[&str] = &[
    "North Korea",
    "DPRK",
    "Pyongyang",
    "Kim Jong",
    "Kremlin",
    "Putin",
    "Moscow",
    "Beijing",
    "Xi Jinping",
    "Tehran",
    "Iran",
];

/// Line numbers for CSV records. The csv crate miscounts lines in files with CRLF endings, so we
/// count newlines ourselves as bytes pass through, keeping only those ahead of the parser.
pub(crate) struct LineTracking<R> {
    inner: R,
    offset: u64,
    newlines: std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<u64>>>,
}

/// Answers "which line does byte N start on" for increasing N.
pub(crate) struct LineIndex {
    newlines: std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<u64>>>,
    passed: u64,
}

pub(crate) fn track_lines<R: std::io::Read>(inner: R) -> (LineTracking<R>, LineIndex) {
    let newlines = std::rc::Rc::new(std::cell::RefCell::new(std::collections::VecDeque::new()));
    (LineTracking { inner, offset: 0, newlines: newlines.clone() }, LineIndex { newlines, passed: 0 })
}

impl<R: std::io::Read> std::io::Read for LineTracking<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut q = self.newlines.borrow_mut();
        for (i, _) in buf[..n].iter().enumerate().filter(|(_, b)| **b == b'\n') {
            q.push_back(self.offset + i as u64);
        }
        self.offset += n as u64;
        Ok(n)
    }
}

impl LineIndex {
    /// 1-based line of a record whose position is `offset`; offsets must not decrease between
    /// calls. After a CRLF the csv crate puts the next record's start on the `\n`, so a newline
    /// at the offset itself counts as passed.
    pub(crate) fn line_at(&mut self, offset: u64) -> u64 {
        let mut q = self.newlines.borrow_mut();
        while q.front().is_some_and(|&nl| nl <= offset) {
            q.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &[u8], skip: bool) -> Result<LabeledSet> {
        let opts = CsvOptions { skip_invalid: skip, ..Default::default() };
        read_labeled_from(s, "t.csv", &opts)
    }

    #[test]
    fn label_aliases() {
        assert_eq!(Label::parse("State-Media Framing"), Some(Label::StateMedia));
        assert_eq!(Label::parse(" AGG "), Some(Label::Aggregator));
        assert_eq!(Label::parse("wire-style reporting"), Some(Label::Wire));
        assert_eq!(Label::parse("aggregator rewrite"), Some(Label::Aggregator));
        assert_eq!(Label::parse("opinion"), None);
        // undocumented spellings are refused
        for bad in ["2", "news", "propaganda", "aggregated"] {
            assert_eq!(Label::parse(bad), None, "{bad}");
        }
        assert!(Label::is_alias("Agg") && !Label::is_alias("Wire"));
    }

    #[test]
    fn aliases_used_are_counted() {
        let set = read(b"label,text\nagg,x\nwire,y\nAGG,z\nstate,w\n", false).unwrap();
        assert_eq!(
            set.aliases_used,
            vec![("agg".to_string(), Label::Aggregator, 2), ("state".into(), Label::StateMedia, 1)]
        );
    }

    #[test]
    fn multiline_crlf_bom() {
        let data = b"\xef\xbb\xbfid,label,text\r\na,wire,\"line one\r\n\r\nline two\"\r\nb,STATE,plain\r\n";
        let set = read(data, false).unwrap();
        assert_eq!(set.articles.len(), 2);
        assert_eq!(set.articles[0].text, "line one\r\n\r\nline two");
        assert_eq!(set.articles[1].label, Label::StateMedia);
        assert_eq!(set.articles[1].line, 5);
    }

    #[test]
    fn errors_name_line_and_problem() {
        let e = read(b"id,label,text\na,wire,ok\nb,opinion,x\n", false).unwrap_err().to_string();
        assert!(e.starts_with("t.csv:3: unknown label"), "{e}");
        let e = read(b"id,label,text\na,wire,  \n", false).unwrap_err().to_string();
        assert_eq!(e, "t.csv:2: empty text");
        let e = read(b"id,label\na,wire\n", false).unwrap_err().to_string();
        assert!(e.contains("missing column \"text\""), "{e}");
        let e = read(b"id,label,text\na,wire,ok\nb,wire\n", false).unwrap_err().to_string();
        assert!(e.starts_with("t.csv:3: malformed row"), "{e}");
        let e = read(b"id,label,text\na,wire,caf\xe9\n", false).unwrap_err().to_string();
        assert!(e.starts_with("t.csv:2: invalid UTF-8"), "{e}");
    }

    #[test]
    fn skip_invalid_keeps_good_rows() {
        let set = read(b"id,label,text\na,wire,ok\nb,opinion,x\nc,agg,fine\nd,wire,\n", true).unwrap();
        assert_eq!(set.articles.len(), 2);
        assert_eq!(set.skipped.len(), 2);
        assert_eq!(set.skipped[0].line, 3);
        assert_eq!(set.skip_summary().len(), 2);
    }
}
