//! Articles to score, read lazily from files, directories, CSV, JSONL, HTML or stdin, so memory
//! does not grow with the number of inputs or the size of one. A bad input becomes an error
//! record; the rest go on.
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

/// One article to score. `id` is its CSV/JSONL id, or `path`, or `path:line`.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub id: String,
    pub text: String,
    /// Set when the text was cut at `max_bytes`.
    pub truncated: bool,
}

/// An input that could not be read, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct DocError {
    pub id: String,
    pub reason: String,
}

pub type DocResult = Result<Doc, DocError>;

#[derive(Debug, Clone)]
pub struct InputOptions {
    pub text_column: String,
    pub id_column: String,
    /// Read at most this many bytes of text per article.
    pub max_bytes: usize,
    /// Replace invalid UTF-8 instead of reporting it.
    pub lossy: bool,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions { text_column: "text".into(), id_column: "id".into(), max_bytes: 10 << 20, lossy: false }
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
    Csv(CsvRows),
    Jsonl(JsonlRows),
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
}

impl Inputs {
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
        }
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
        match open_rows(reader, name, csv, &me.opts) {
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

    /// Reads one whole article (text, Markdown, HTML or anything else named directly), at most
    /// `max_bytes` of it.
    fn read_file(&self, path: &Path) -> DocResult {
        let id = path.display().to_string();
        let err = |reason: String| DocError { id: id.clone(), reason };
        let f = File::open(path).map_err(|e| err(e.to_string()))?;
        let html = matches!(extension(path).as_str(), "html" | "htm" | "xhtml");
        read_article(&id, decoded(f), html, &self.opts)
    }

    fn read_stdin(&self) -> DocResult {
        read_article("-", decoded(std::io::stdin().lock()), false, &self.opts)
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
        match extension(&path).as_str() {
            "csv" | "jsonl" | "ndjson" => {
                let opened = File::open(&path)
                    .map_err(|e| e.to_string())
                    .and_then(|f| open_rows(f, &name, extension(&path) == "csv", &self.opts));
                match opened {
                    Ok(src) => {
                        self.current = Some(src);
                        None
                    }
                    Err(reason) => err(reason),
                }
            }
            _ => Some(self.read_file(&path)),
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
        if let Some(r) = self.queued.pop_front() {
            return Some(r);
        }
        loop {
            match self.current.as_mut() {
                None => {
                    let spec = self.pending.pop_front()?;
                    if spec == "-" {
                        return Some(self.read_stdin());
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
                    Some(r) => return Some(r),
                    None => self.current = None,
                },
                Some(Source::Jsonl(rows)) => match rows.next_row(&self.opts) {
                    Some(r) => return Some(r),
                    None => self.current = None,
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

/// A CSV or JSONL row source over `r`: UTF-16 decoded, refused if it looks binary.
fn open_rows(r: impl Read + 'static, name: &str, csv: bool, opts: &InputOptions) -> Result<Source, String> {
    let mut r: Reader = Box::new(BufReader::with_capacity(1 << 16, decoded(r)));
    let head = r.fill_buf().map_err(|e| e.to_string())?;
    if is_binary(head) {
        return Err("binary file (NUL bytes), not text".into());
    }
    Ok(if csv { Source::Csv(CsvRows::open(r, name, opts)?) } else { Source::Jsonl(JsonlRows::new(r, name)) })
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
    if let Err(e) = std::str::from_utf8(&bytes[tail..]) {
        if e.error_len().is_none() {
            bytes.truncate(tail + e.valid_up_to());
        }
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

/// One CSV field as read: its first bytes (up to the cap) and whether there were more.
#[derive(Default)]
struct Field {
    bytes: Vec<u8>,
    cut: bool,
}

/// CSV rows streamed with `csv_core`, one field at a time, so a huge field (or a quote left open
/// to the end of the file) never has to fit in memory: past its cap, a field is counted and
/// dropped.
struct CsvRows {
    name: String,
    input: Reader,
    rdr: csv_core::Reader,
    /// Newlines consumed so far.
    newlines: u64,
    text: usize,
    id: Option<usize>,
    done: bool,
}

/// What [`CsvRows::record`] keeps of a record.
struct Record {
    line: u64,
    fields: Vec<Field>,
    n_fields: usize,
}

impl CsvRows {
    fn open(input: Reader, name: &str, opts: &InputOptions) -> Result<CsvRows, String> {
        let mut rows = CsvRows {
            name: name.to_string(),
            input,
            rdr: csv_core::ReaderBuilder::new().build(),
            newlines: 0,
            text: 0,
            id: None,
            done: false,
        };
        let header = match rows.record(|_| Some(MAX_HEADER_BYTES), MAX_HEADER_FIELDS)? {
            None => return Err("empty file: expected a header row".into()),
            Some(h) => h,
        };
        let names: Vec<String> =
            header.fields.iter().map(|f| String::from_utf8_lossy(&f.bytes).trim().to_string()).collect();
        let find = |w: &str| names.iter().position(|h| h.eq_ignore_ascii_case(w));
        rows.text = find(&opts.text_column).ok_or_else(|| {
            let mut shown = names.join(", ");
            if shown.len() > 200 {
                let mut cut = 200;
                while !shown.is_char_boundary(cut) {
                    cut -= 1;
                }
                shown.truncate(cut);
                shown.push('…');
            }
            format!(
                "missing column {:?} (header has: {shown}); name another with --text-column",
                opts.text_column
            )
        })?;
        rows.id = find(&opts.id_column);
        Ok(rows)
    }

    /// The next record, keeping field `i` up to `cap(i)` bytes (`None`: not kept) and at most
    /// `max_kept` fields. `Ok(None)` at the end of the input.
    fn record(
        &mut self,
        cap: impl Fn(usize) -> Option<usize>,
        max_kept: usize,
    ) -> Result<Option<Record>, String> {
        if self.done {
            return Ok(None);
        }
        // Skip blank lines ourselves (csv_core would too) so the record's line is known.
        loop {
            let buf = self.input.fill_buf().map_err(|e| e.to_string())?;
            let blank = buf.iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
            if blank == 0 {
                break;
            }
            self.newlines += buf[..blank].iter().filter(|&&b| b == b'\n').count() as u64;
            self.input.consume(blank);
        }
        let line = self.newlines + 1;
        let mut fields: Vec<Field> = Vec::new();
        let mut n_fields = 0usize;
        let mut field = Field::default();
        let mut out = [0u8; 16 << 10];
        loop {
            let buf = self.input.fill_buf().map_err(|e| e.to_string())?;
            let (res, nin, nout) = self.rdr.read_field(buf, &mut out);
            self.newlines += buf[..nin].iter().filter(|&&b| b == b'\n').count() as u64;
            self.input.consume(nin);
            let keep = if n_fields < max_kept { cap(n_fields) } else { None };
            if let Some(limit) = keep {
                let room = limit.saturating_add(1).saturating_sub(field.bytes.len());
                field.bytes.extend_from_slice(&out[..nout.min(room)]);
                if field.bytes.len() > limit {
                    field.cut = true;
                }
            }
            match res {
                csv_core::ReadFieldResult::InputEmpty | csv_core::ReadFieldResult::OutputFull => {}
                csv_core::ReadFieldResult::Field { record_end } => {
                    if keep.is_some() {
                        while fields.len() < n_fields {
                            fields.push(Field::default());
                        }
                        fields.push(std::mem::take(&mut field));
                    }
                    n_fields += 1;
                    if record_end {
                        return Ok(Some(Record { line, fields, n_fields }));
                    }
                }
                csv_core::ReadFieldResult::End => {
                    self.done = true;
                    return Ok(None);
                }
            }
        }
    }

    fn next_row(&mut self, opts: &InputOptions) -> Option<DocResult> {
        let (text, id) = (self.text, self.id);
        let cap = |i: usize| {
            if i == text {
                Some(opts.max_bytes)
            } else if Some(i) == id {
                Some(MAX_ID_BYTES)
            } else {
                None
            }
        };
        let max_kept = text.max(id.unwrap_or(0)) + 1;
        let rec = match self.record(cap, max_kept) {
            Ok(Some(r)) => r,
            Ok(None) => return None,
            Err(e) => {
                // An I/O error ends this source.
                self.done = true;
                let id = format!("{}:{}", self.name, self.newlines + 1);
                return Some(Err(DocError { id, reason: format!("read error: {e}") }));
            }
        };
        let rid = id
            .and_then(|i| rec.fields.get(i))
            .map(|f| {
                let mut b = f.bytes.clone();
                cut_utf8(&mut b, MAX_ID_BYTES);
                String::from_utf8_lossy(&b).trim().to_string()
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("{}:{}", self.name, rec.line));
        let mut fields = rec.fields;
        if text >= rec.n_fields || text >= fields.len() {
            return Some(Err(DocError {
                id: rid,
                reason: format!(
                    "{}:{}: row has {} field(s), no field {} for the text",
                    self.name,
                    rec.line,
                    rec.n_fields,
                    text + 1
                ),
            }));
        }
        let Field { mut bytes, cut } = std::mem::take(&mut fields[text]);
        cut_utf8(&mut bytes, opts.max_bytes);
        Some(match decode_utf8(bytes, opts.lossy) {
            Ok(s) => finish(&rid, s, cut, opts.max_bytes),
            Err(reason) => Err(DocError { id: rid, reason }),
        })
    }
}

/// JSON lines, each read up to [`jsonl_line_limit`] bytes.
struct JsonlRows {
    name: String,
    input: Reader,
    line: u64,
    done: bool,
}

impl JsonlRows {
    fn new(input: Reader, name: &str) -> Self {
        JsonlRows { name: name.to_string(), input, line: 0, done: false }
    }

    /// Reads one line (without its newline) into `buf`, keeping at most `limit` bytes; returns
    /// whether there was a line, and its full length.
    fn read_line(&mut self, buf: &mut Vec<u8>, limit: usize) -> std::io::Result<Option<usize>> {
        buf.clear();
        let mut total = 0usize;
        let mut any = false;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                return Ok(any.then_some(total));
            }
            any = true;
            let (part, used, end) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (&chunk[..i], i + 1, true),
                None => (chunk, chunk.len(), false),
            };
            let room = limit.saturating_sub(buf.len());
            buf.extend_from_slice(&part[..part.len().min(room)]);
            total = total.saturating_add(part.len());
            self.input.consume(used);
            if end {
                return Ok(Some(total));
            }
        }
    }

    fn next_row(&mut self, opts: &InputOptions) -> Option<DocResult> {
        let limit = jsonl_line_limit(opts.max_bytes);
        let mut buf = Vec::new();
        loop {
            if self.done {
                return None;
            }
            let len = match self.read_line(&mut buf, limit) {
                Ok(Some(n)) => n,
                Ok(None) => return None,
                Err(e) => {
                    self.done = true;
                    let id = format!("{}:{}", self.name, self.line + 1);
                    return Some(Err(DocError { id, reason: format!("read error: {e}") }));
                }
            };
            self.line += 1;
            let at = format!("{}:{}", self.name, self.line);
            if len > limit {
                return Some(Err(DocError {
                    id: at,
                    reason: format!(
                        "line of {len} bytes is over the {limit}-byte limit for --max-bytes {} (skipped)",
                        opts.max_bytes
                    ),
                }));
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(parse_json_line(&at, &buf, opts));
        }
    }
}

fn parse_json_line(at: &str, bytes: &[u8], opts: &InputOptions) -> DocResult {
    let err = |reason: String| DocError { id: at.to_string(), reason };
    let bytes = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) if opts.lossy => String::from_utf8_lossy(bytes),
        Err(e) => {
            return Err(err(format!(
                "invalid UTF-8 at byte {} (use --lossy to replace bad bytes)",
                e.valid_up_to()
            )));
        }
    };
    let v: serde_json::Value = serde_json::from_str(&bytes).map_err(|e| err(format!("invalid JSON: {e}")))?;
    let mut id = match v.get(&opts.id_column) {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => at.to_string(),
    };
    if id.len() > MAX_ID_BYTES {
        let mut cut = MAX_ID_BYTES;
        while !id.is_char_boundary(cut) {
            cut -= 1;
        }
        id.truncate(cut);
    }
    match v.get(&opts.text_column) {
        Some(serde_json::Value::String(s)) => finish(&id, s.clone(), false, opts.max_bytes),
        Some(_) => {
            Err(DocError { id, reason: format!("{at}: field {:?} is not a string", opts.text_column) })
        }
        None => Err(DocError { id, reason: format!("{at}: no field {:?}", opts.text_column) }),
    }
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
