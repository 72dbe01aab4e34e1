//! Articles to score, read lazily from files, directories, CSV, TSV, JSONL, JSON arrays, HTML or
//! stdin, so memory does not grow with the number of inputs or the size of one. A bad input
//! becomes an error record; the rest go on.
//!
//! What an input holds is told by `--input-format`, else by its extension, else by its content
//! ([`detect`]): piped JSON lines are rows, not one article. PDF, Office documents and archives
//! are refused with advice, and gzip is read through.
//!
//! Every read is bounded: a text or HTML file is read up to `max_bytes`, a CSV field is kept up
//! to `max_bytes` (the rest of it is skipped as it streams past), a JSONL line up to
//! [`jsonl_line_limit`]. Files starting with a UTF-16 byte order mark are decoded; a UTF-8 one is
//! dropped. See the Limits section of README.md.
use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

mod csv;
pub mod detect;
mod json;
use csv::CsvRows;
pub use detect::InputFormat;
use json::{JsonValueRows, JsonlRows};

/// One article to score. `id` is its CSV/JSONL id, or `path`, or `path:line`.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    /// The row's id, or the path, or `path:line` (`path[i]` in a JSON array).
    pub id: String,
    /// The article's text (markup removed for HTML).
    pub text: String,
    /// Set when the text was cut at `max_bytes`.
    pub truncated: bool,
}

/// An input that could not be read, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct DocError {
    /// As [`Doc::id`], or the input's name when it could not be opened.
    pub id: String,
    /// What went wrong, for a person.
    pub reason: String,
}

/// One input's article, or why there is none.
pub type DocResult = Result<Doc, DocError>;

/// How inputs are read.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// CSV column / JSON field holding the text.
    pub text_column: String,
    /// CSV column / JSON field holding the id.
    pub id_column: String,
    /// Read at most this many bytes of text per article.
    pub max_bytes: usize,
    /// Replace invalid UTF-8 instead of reporting it.
    pub lossy: bool,
    /// What every input holds; [`InputFormat::Auto`] (the default) asks the extension, then the
    /// content.
    pub format: InputFormat,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            text_column: "text".into(),
            id_column: "id".into(),
            max_bytes: 10 << 20,
            lossy: false,
            format: InputFormat::Auto,
        }
    }
}

/// Longest JSONL line read, for a given `max_bytes`: JSON escapes can triple the size of text
/// (`\u00e9` for `é`), plus room for the other fields. Longer lines are reported and skipped.
pub fn jsonl_line_limit(max_bytes: usize) -> usize {
    max_bytes.saturating_mul(3).saturating_add(1 << 20)
}

/// Longest id kept (CSV field or JSON string); longer ones are cut.
const MAX_ID_BYTES: usize = 4096;
/// Longest CSV header name kept.
const MAX_HEADER_BYTES: usize = 4096;
/// Most header names looked at for the text and id columns.
const MAX_HEADER_FIELDS: usize = 10_000;
/// How much of a file is looked at to decide that it is binary.
const SNIFF_BYTES: usize = 8192;
/// Duplicate ids named one by one on stderr before only the total is given.
const MAX_DUPLICATE_WARNINGS: u64 = 10;

type Reader = Box<dyn BufRead>;

enum Source {
    /// Paths still to open (command-line order, then directory listings, sorted).
    Paths(VecDeque<PathBuf>),
    Csv(Box<CsvRows>),
    Jsonl(JsonlRows),
    Json(JsonValueRows),
}

/// Iterator over every article named by the inputs, in order.
pub struct Inputs {
    opts: InputOptions,
    pending: VecDeque<String>,
    current: Option<Source>,
    seen_dirs: HashSet<PathBuf>,
    /// Hashes of the ids seen so far (8 bytes per record, not the ids themselves).
    seen_ids: HashSet<u64>,
    duplicates: u64,
    warnings: Vec<String>,
    /// Results to hand out before reading on (a reader that failed to open).
    queued: VecDeque<DocResult>,
    /// Line where the last record handed out starts, when it came from a table.
    last_line: Option<u64>,
    /// Whether the last record handed out came from a table (CSV, TSV, JSON lines or array).
    last_from_table: bool,
    /// Paths still to open once the current table ends (a table found in a directory).
    after_table: Option<VecDeque<PathBuf>>,
}

impl Inputs {
    /// Reads `specs` (paths, directories or `-` for standard input) in order, lazily.
    pub fn new(specs: Vec<String>, opts: InputOptions) -> Self {
        Inputs {
            opts,
            pending: specs.into(),
            current: None,
            seen_dirs: HashSet::new(),
            seen_ids: HashSet::new(),
            duplicates: 0,
            warnings: Vec::new(),
            queued: VecDeque::new(),
            last_line: None,
            last_from_table: false,
            after_table: None,
        }
    }

    /// The line where the last record handed out starts (1-based; for a CSV row, the line its
    /// first field is on), when it came from a table; `None` for a whole file.
    pub fn last_line(&self) -> Option<u64> {
        self.last_line
    }

    /// Whether the last record handed out was a row of a table (CSV, TSV, JSON lines or a JSON
    /// array) rather than a whole file.
    pub fn last_from_table(&self) -> bool {
        self.last_from_table
    }

    /// Rows of CSV read from `reader` (with a header row naming the text and id columns); `name`
    /// is what ids and errors call the source. For fuzzing and for callers with data in memory.
    pub fn csv_reader(reader: impl Read + 'static, name: &str, opts: InputOptions) -> Self {
        Inputs::rows_reader(reader, name, true, opts)
    }

    /// JSON lines read from `reader`; see [`Inputs::csv_reader`].
    pub fn jsonl_reader(reader: impl Read + 'static, name: &str, opts: InputOptions) -> Self {
        Inputs::rows_reader(reader, name, false, opts)
    }

    fn rows_reader(reader: impl Read + 'static, name: &str, csv: bool, opts: InputOptions) -> Self {
        let mut me = Inputs::new(Vec::new(), opts);
        let format = if csv { InputFormat::Csv } else { InputFormat::Jsonl };
        match open_rows(Box::new(BufReader::with_capacity(1 << 16, decoded(reader))), name, format, &me.opts)
        {
            Ok(src) => me.current = Some(src),
            Err(reason) => me.queued.push_back(Err(DocError { id: name.to_string(), reason })),
        }
        me
    }

    /// One whole article read from `reader` (HTML when `html`), as a file named on the command
    /// line is read: at most `max_bytes`, UTF-16 decoded, binary refused.
    pub fn article_reader(reader: impl Read, id: &str, html: bool, opts: &InputOptions) -> DocResult {
        read_article(id, decoded(reader), html, opts)
    }

    /// Warnings so far (duplicate ids, files a directory held but that are not articles), to
    /// print on stderr. Taking them empties the list.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// How many records had an id seen before.
    pub fn duplicate_ids(&self) -> u64 {
        self.duplicates
    }

    fn note_id(&mut self, id: &str) {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        id.hash(&mut h);
        if !self.seen_ids.insert(h.finish()) {
            self.duplicates += 1;
            if self.duplicates <= MAX_DUPLICATE_WARNINGS {
                self.warnings.push(format!("duplicate id {id:?} (each record is still scored)"));
            } else if self.duplicates == MAX_DUPLICATE_WARNINGS + 1 {
                self.warnings.push("more duplicate ids; the total is given at the end".into());
            }
        }
    }

    /// Reads a stream whose kind its name does not fix: the format from `--input-format`, the
    /// extension `ext`, or the first bytes. A table becomes the current row source (`None` is
    /// returned); anything else is one article.
    fn open_stream(&mut self, raw: Box<dyn Read>, name: &str, ext: &str, depth: u8) -> Option<DocResult> {
        let err = |reason: String| Some(Err(DocError { id: name.to_string(), reason }));
        // A terminal gives more input after an end of file (Ctrl-D): read to the first end only.
        let mut raw = Fused { inner: raw, done: false };
        let head = match read_head(&mut raw, SNIFF_BYTES) {
            Ok(h) => h,
            Err(e) => return err(e.to_string()),
        };
        let raw: Box<dyn Read> = Box::new(std::io::Cursor::new(head.clone()).chain(raw));
        match detect::signature(&head) {
            Some(detect::Signature::Gzip) if depth == 0 => {
                // `x.jsonl.gz` is read as `x.jsonl`
                let inner = Path::new(name.strip_suffix(".gz").unwrap_or(""));
                let inner_ext = if ext == "gz" { extension(inner) } else { String::new() };
                return self.open_stream(
                    Box::new(flate2::read::MultiGzDecoder::new(raw)),
                    name,
                    &inner_ext,
                    1,
                );
            }
            Some(detect::Signature::Gzip) => {
                return err("gzip inside gzip; decompress it once first (`gunzip FILE`)".into());
            }
            Some(detect::Signature::Refused { what, advice }) => {
                return err(format!("{what}, not text: {advice}"));
            }
            None => {}
        }
        let mut input: Reader = Box::new(BufReader::with_capacity(1 << 16, decoded(raw)));
        let head = match read_head_buffered(&mut input) {
            Ok(h) => h,
            Err(e) => return err(e.to_string()),
        };
        if head.is_empty() && self.opts.format == InputFormat::Auto {
            return err("empty text".into());
        }
        let explicit = self.opts.format != InputFormat::Auto;
        let named = InputFormat::from_extension(ext);
        let format = match (self.opts.format, named) {
            (InputFormat::Auto, Some(InputFormat::Json)) => detect::sniff_json(&head),
            (InputFormat::Auto, Some(InputFormat::Text)) => InputFormat::Text,
            (InputFormat::Auto, Some(f)) => f,
            (InputFormat::Auto, None) => detect::sniff(&head, &self.opts.text_column),
            (InputFormat::Json, _) => detect::sniff_json(&head),
            (f, _) => f,
        };
        if !format.is_table() {
            if !explicit
                && !is_binary(&head)
                && let Some(look) = detect::table_look(&head)
            {
                self.warnings.push(format!("{name} looks like {look}, but is read as one article"));
            }
            return Some(read_article(name, input, format == InputFormat::Html, &self.opts));
        }
        match open_rows(input, name, format, &self.opts) {
            Ok(src) => {
                if let Some(Source::Paths(q)) = self.current.replace(src) {
                    self.after_table = Some(q);
                }
                None
            }
            Err(reason) => err(reason),
        }
    }

    /// Opens a path: a directory is listed, a CSV or JSONL file becomes a row source, any other
    /// file is one article.
    fn open(&mut self, path: PathBuf) -> Option<DocResult> {
        let name = path.display().to_string();
        let err = |reason: String| Some(Err(DocError { id: name.clone(), reason }));
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => return err(e.to_string()),
        };
        if meta.is_dir() {
            let canon = std::fs::canonicalize(&path).unwrap_or(path.clone());
            if !self.seen_dirs.insert(canon) {
                return None; // a symlink loop or a directory named twice
            }
            let entries = match std::fs::read_dir(&path) {
                Ok(rd) => rd,
                Err(e) => return err(e.to_string()),
            };
            let mut list = Vec::new();
            let mut other = 0usize;
            for e in entries {
                match e {
                    Ok(e) => {
                        let p = e.path();
                        if p.is_dir() || is_article_file(&p) {
                            list.push(p);
                        } else {
                            other += 1;
                        }
                    }
                    Err(e) => self.warnings.push(format!("{name}: cannot list an entry: {e}")),
                }
            }
            if other > 0 {
                self.warnings
                    .push(format!("{name}: left out {other} file(s) that are not .txt, .md, .html or .htm"));
            }
            list.sort();
            self.push_front_paths(list);
            return None;
        }
        match File::open(&path) {
            Ok(f) => self.open_stream(Box::new(f), &name, &extension(&path), 0),
            Err(e) => err(e.to_string()),
        }
    }

    fn push_front_paths(&mut self, list: Vec<PathBuf>) {
        let rest = match self.current.take() {
            Some(Source::Paths(q)) => q,
            _ => VecDeque::new(),
        };
        let mut q: VecDeque<PathBuf> = list.into();
        q.extend(rest);
        self.current = Some(Source::Paths(q));
    }

    fn next_inner(&mut self) -> Option<DocResult> {
        self.last_line = None;
        self.last_from_table = false;
        if let Some(r) = self.queued.pop_front() {
            return Some(r);
        }
        loop {
            match self.current.as_mut() {
                None => {
                    let spec = self.pending.pop_front()?;
                    if spec == "-" {
                        if let Some(r) = self.open_stream(Box::new(std::io::stdin()), "-", "", 0) {
                            return Some(r);
                        }
                        continue;
                    }
                    if let Some(r) = self.open(PathBuf::from(spec)) {
                        return Some(r);
                    }
                }
                Some(Source::Paths(q)) => match q.pop_front() {
                    None => self.current = None,
                    Some(p) => {
                        if let Some(r) = self.open(p) {
                            return Some(r);
                        }
                    }
                },
                Some(Source::Csv(rows)) => match rows.next_row(&self.opts) {
                    Some(r) => {
                        self.last_line = Some(rows.line);
                        self.last_from_table = true;
                        return Some(r);
                    }
                    None => self.current = self.after_table.take().map(Source::Paths),
                },
                Some(Source::Jsonl(rows)) => match rows.next_row(&self.opts) {
                    Some(r) => {
                        self.last_line = Some(rows.line);
                        self.last_from_table = true;
                        return Some(r);
                    }
                    None => self.current = self.after_table.take().map(Source::Paths),
                },
                Some(Source::Json(rows)) => match rows.next_row(&self.opts) {
                    Some(r) => {
                        self.last_line = Some(rows.line);
                        self.last_from_table = true;
                        return Some(r);
                    }
                    None => self.current = self.after_table.take().map(Source::Paths),
                },
            }
        }
    }
}

impl Iterator for Inputs {
    type Item = DocResult;

    fn next(&mut self) -> Option<DocResult> {
        let r = self.next_inner()?;
        match &r {
            Ok(d) => self.note_id(&d.id),
            Err(e) => self.note_id(&e.id),
        }
        Some(r)
    }
}

fn read_article(id: &str, r: impl Read, html: bool, opts: &InputOptions) -> DocResult {
    let err = |reason: String| DocError { id: id.to_string(), reason };
    let mut bytes = Vec::new();
    r.take(opts.max_bytes as u64 + 1).read_to_end(&mut bytes).map_err(|e| err(e.to_string()))?;
    let truncated = bytes.len() > opts.max_bytes;
    if bytes.is_empty() {
        return Err(err("empty text".into()));
    }
    if is_binary(&bytes) {
        return Err(err("binary file (NUL bytes), not text".into()));
    }
    cut_utf8(&mut bytes, opts.max_bytes);
    let text = decode_utf8(bytes, opts.lossy).map_err(err)?;
    if html {
        let text = crate::html::html_to_text(&text);
        if text.trim().is_empty() {
            return Err(err("no text left after removing the HTML markup".into()));
        }
        return finish(id, text, truncated, opts.max_bytes);
    }
    finish(id, text, truncated, opts.max_bytes)
}

/// A row source of `format` over `r` (already decoded), refused if it looks binary.
fn open_rows(mut r: Reader, name: &str, format: InputFormat, opts: &InputOptions) -> Result<Source, String> {
    let head = r.fill_buf().map_err(|e| e.to_string())?;
    if is_binary(head) {
        return Err("binary file (NUL bytes), not text".into());
    }
    Ok(match format {
        InputFormat::Tsv => Source::Csv(Box::new(CsvRows::open(r, name, b'\t', opts)?)),
        InputFormat::Jsonl => Source::Jsonl(JsonlRows::new(r, name)),
        InputFormat::Json => Source::Json(JsonValueRows::new(r, name)),
        _ => Source::Csv(Box::new(CsvRows::open(r, name, b',', opts)?)),
    })
}

/// A reader that stays at its end once it has reached it, as a file does and a terminal does not.
struct Fused<R> {
    inner: R,
    done: bool,
}

impl<R: Read> Read for Fused<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        self.done = n == 0;
        Ok(n)
    }
}

/// Reads up to `n` bytes (fewer only at the end of the input), however the reads come.
fn read_head(r: &mut impl Read, n: usize) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    r.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// The first bytes of a buffered reader, without taking them: at least [`SNIFF_BYTES`] (or up
/// to the end of the input) when the reads come in smaller pieces.
fn read_head_buffered(r: &mut Reader) -> std::io::Result<Vec<u8>> {
    let buf = r.fill_buf()?;
    if buf.len() >= SNIFF_BYTES.min(1024) {
        return Ok(buf.to_vec());
    }
    // A pipe or a decoder gave a short read: gather more, then hand everything back in front.
    let mut head = Vec::new();
    let inner = std::mem::replace(r, Box::new(std::io::empty()));
    let mut inner = inner;
    loop {
        let buf = inner.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let n = buf.len();
        head.extend_from_slice(buf);
        inner.consume(n);
        if head.len() >= SNIFF_BYTES {
            break;
        }
    }
    *r = Box::new(BufReader::with_capacity(1 << 16, std::io::Cursor::new(head.clone()).chain(inner)));
    Ok(head)
}

/// Decodes UTF-16 (with a byte order mark) to UTF-8 and drops a UTF-8 byte order mark; anything
/// else passes through unchanged, to be checked as UTF-8 later.
fn decoded<R: Read>(r: R) -> impl Read {
    encoding_rs_io::DecodeReaderBytesBuilder::new().utf8_passthru(true).strip_bom(true).build(r)
}

fn extension(p: &Path) -> String {
    p.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default()
}

/// Files a directory contributes: plain text, Markdown and HTML.
fn is_article_file(p: &Path) -> bool {
    matches!(extension(p).as_str(), "txt" | "md" | "html" | "htm")
}

/// Text never holds NUL bytes; binary files nearly always do, early on.
fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(SNIFF_BYTES)].contains(&0)
}

/// Cuts `bytes` to at most `max` without splitting a UTF-8 sequence.
fn cut_utf8(bytes: &mut Vec<u8>, max: usize) {
    if bytes.len() <= max {
        return;
    }
    bytes.truncate(max);
    // Drop a sequence left incomplete by the cut (at most 3 bytes); invalid bytes stay invalid.
    let tail = bytes.len().saturating_sub(3);
    if let Err(e) = std::str::from_utf8(&bytes[tail..])
        && e.error_len().is_none()
    {
        bytes.truncate(tail + e.valid_up_to());
    }
}

fn decode_utf8(bytes: Vec<u8>, lossy: bool) -> Result<String, String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => Err(format!(
            "invalid UTF-8 at byte {} (use --lossy to replace bad bytes)",
            e.utf8_error().valid_up_to()
        )),
    }
}

/// An article already in memory (from a library caller), held to the same rules as one read from
/// a file: cut at `max_bytes` on a character boundary, refused when empty or only whitespace.
pub fn doc_from_text(id: &str, text: String, opts: &InputOptions) -> DocResult {
    finish(id, text, false, opts.max_bytes)
}

fn finish(id: &str, mut text: String, mut truncated: bool, max_bytes: usize) -> DocResult {
    if text.len() > max_bytes {
        let mut cut = max_bytes;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        truncated = true;
    }
    if text.trim().is_empty() {
        let reason = if text.is_empty() { "empty text" } else { "empty text (only whitespace)" };
        return Err(DocError { id: id.to_string(), reason: reason.into() });
    }
    Ok(Doc { id: id.to_string(), text, truncated })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(specs: &[&str], opts: InputOptions) -> Vec<DocResult> {
        Inputs::new(specs.iter().map(|s| s.to_string()).collect(), opts).collect()
    }

    #[test]
    fn files_dirs_csv_jsonl_in_order_and_errors_do_not_stop() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        std::fs::write(p.join("b.txt"), "second").unwrap();
        std::fs::write(p.join("a.md"), "first").unwrap();
        std::fs::write(p.join("skip.bin"), [0u8, 1, 2]).unwrap();
        std::fs::write(p.join("bad.txt"), [b'o', b'k', 0xff]).unwrap();
        let csv = p.join("rows.csv");
        std::fs::write(&csv, "id,text\nr1,\"one\ntwo\"\nr2,\n").unwrap();
        let jl = p.join("rows.jsonl");
        std::fs::write(&jl, "{\"id\":\"j1\",\"text\":\"hello\"}\nnot json\n\n{\"body\":\"x\"}\n").unwrap();
        let dir = p.display().to_string();
        let out =
            collect(&[&dir, csv.to_str().unwrap(), jl.to_str().unwrap(), "/no/such"], Default::default());
        let ids: Vec<String> = out
            .iter()
            .map(|r| match r {
                Ok(d) => d.id.clone(),
                Err(e) => format!("ERR {}", e.id),
            })
            .collect();
        let f = |n: &str| p.join(n).display().to_string();
        assert_eq!(
            ids,
            vec![
                f("a.md"),
                f("b.txt"),
                format!("ERR {}", f("bad.txt")),
                "r1".into(),
                "ERR r2".into(),
                "j1".into(),
                format!("ERR {}:2", f("rows.jsonl")),
                format!("ERR {}:4", f("rows.jsonl")),
                "ERR /no/such".into(),
            ]
        );
        assert_eq!(out[3].as_ref().unwrap().text, "one\ntwo");
    }

    #[test]
    fn max_bytes_cuts_on_a_char_boundary_and_says_so() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("x.txt");
        std::fs::write(&f, "aé".repeat(10)).unwrap();
        let opts = InputOptions { max_bytes: 4, ..Default::default() };
        let doc = collect(&[f.to_str().unwrap()], opts).pop().unwrap().unwrap();
        assert!(doc.truncated);
        assert_eq!(doc.text, "aéa");
    }

    #[test]
    fn lossy_replaces_bad_bytes() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("x.txt");
        std::fs::write(&f, [b'o', b'k', 0xff]).unwrap();
        let opts = InputOptions { lossy: true, ..Default::default() };
        assert_eq!(collect(&[f.to_str().unwrap()], opts)[0].as_ref().unwrap().text, "ok\u{fffd}");
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_ends() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.txt"), "text").unwrap();
        std::os::unix::fs::symlink(d.path(), d.path().join("loop")).unwrap();
        let out = collect(&[d.path().to_str().unwrap()], Default::default());
        assert_eq!(out.len(), 1);
    }

    fn csv_rows(data: &'static [u8], opts: InputOptions) -> (Vec<DocResult>, Vec<String>) {
        let mut it = Inputs::csv_reader(data, "t.csv", opts);
        let rows: Vec<DocResult> = it.by_ref().collect();
        (rows, it.take_warnings())
    }

    #[test]
    fn csv_crlf_lines_quotes_and_short_rows() {
        let (rows, _) =
            csv_rows(b"\xef\xbb\xbfid,text\r\na,\"one\r\ntwo\"\r\n\r\nb\r\n,three\r\n", Default::default());
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].as_ref().unwrap().text, "one\r\ntwo");
        let e = rows[1].as_ref().unwrap_err();
        assert_eq!(e.id, "b");
        assert!(e.reason.starts_with("t.csv:5: row has 1 field(s)"), "{}", e.reason);
        assert_eq!(rows[2].as_ref().unwrap().id, "t.csv:6");
    }

    #[test]
    fn csv_field_past_max_bytes_is_cut_and_an_open_quote_ends_at_eof() {
        let opts = InputOptions { max_bytes: 5, ..Default::default() };
        let (rows, _) = csv_rows(b"text,id\n\"abcdefghij\",x\n\"open quote to the end\n\nmore", opts);
        let d = rows[0].as_ref().unwrap();
        assert_eq!((d.text.as_str(), d.truncated, d.id.as_str()), ("abcde", true, "x"));
        assert_eq!(rows.len(), 2);
        assert!(rows[1].as_ref().unwrap().truncated);
    }

    #[test]
    fn csv_without_text_column_or_header() {
        let (rows, _) = csv_rows(b"id,body\n1,x\n", Default::default());
        assert_eq!(rows.len(), 1);
        let e = rows[0].as_ref().unwrap_err();
        assert!(e.id == "t.csv" && e.reason.contains("missing column \"text\""), "{e:?}");
        let (rows, _) = csv_rows(b"", Default::default());
        assert!(rows[0].as_ref().unwrap_err().reason.contains("empty file"));
    }

    #[test]
    fn duplicate_ids_warn() {
        let (rows, warn) = csv_rows(b"id,text\na,x\na,y\nb,z\n", Default::default());
        assert_eq!(rows.len(), 3);
        assert_eq!(warn.len(), 1);
        assert!(warn[0].contains("duplicate id \"a\""));
    }

    #[test]
    fn jsonl_long_lines_are_skipped_not_held() {
        let mut data = b"{\"text\":\"ok\"}\n{\"text\":\"".to_vec();
        data.extend(std::iter::repeat_n(b'x', 3 << 20));
        data.extend_from_slice(b"\"}\n{\"text\":\"after\"}");
        let opts = InputOptions { max_bytes: 10, ..Default::default() };
        let rows: Vec<DocResult> =
            Inputs::jsonl_reader(std::io::Cursor::new(data), "t.jsonl", opts).collect();
        assert_eq!(rows.len(), 3);
        assert!(rows[1].as_ref().unwrap_err().reason.contains("over the"));
        assert_eq!(rows[2].as_ref().unwrap().text, "after");
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("x.txt");
        let mut b = vec![0xff, 0xfe];
        b.extend("Pyongyang said".encode_utf16().flat_map(|u| u.to_le_bytes()));
        std::fs::write(&f, b).unwrap();
        assert_eq!(
            collect(&[f.to_str().unwrap()], Default::default())[0].as_ref().unwrap().text,
            "Pyongyang said"
        );
    }
}
