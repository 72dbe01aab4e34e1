//! Articles to score, read lazily from files, directories, CSV, JSONL or stdin, so memory does
//! not grow with the number of inputs. A bad input becomes an error record; the rest go on.
use std::collections::{HashSet, VecDeque};
use std::fs::File;
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

enum Source {
    /// Paths still to open (command-line order, then directory listings, sorted).
    Paths(VecDeque<PathBuf>),
    Csv {
        name: String,
        reader: csv::Reader<crate::corpus::LineTracking<BufReader<File>>>,
        lines: crate::corpus::LineIndex,
        text: usize,
        id: Option<usize>,
    },
    Jsonl {
        name: String,
        lines: std::io::Split<BufReader<File>>,
        line: u64,
    },
}

/// Iterator over every article named by the inputs, in order.
pub struct Inputs {
    opts: InputOptions,
    pending: VecDeque<String>,
    current: Option<Source>,
    seen_dirs: HashSet<PathBuf>,
}

impl Inputs {
    pub fn new(specs: Vec<String>, opts: InputOptions) -> Self {
        Inputs { opts, pending: specs.into(), current: None, seen_dirs: HashSet::new() }
    }

    fn decode(&self, id: &str, bytes: Vec<u8>, truncated: bool) -> DocResult {
        let text = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) if self.opts.lossy => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            Err(e) => {
                return Err(DocError {
                    id: id.to_string(),
                    reason: format!(
                        "invalid UTF-8 at byte {} (use --lossy to replace bad bytes)",
                        e.utf8_error().valid_up_to()
                    ),
                });
            }
        };
        finish(id, text, truncated, self.opts.max_bytes)
    }

    fn read_file(&self, path: &Path) -> DocResult {
        let id = path.display().to_string();
        let err = |reason: String| DocError { id: id.clone(), reason };
        let f = File::open(path).map_err(|e| err(e.to_string()))?;
        let mut bytes = Vec::new();
        f.take(self.opts.max_bytes as u64 + 1).read_to_end(&mut bytes).map_err(|e| err(e.to_string()))?;
        let truncated = bytes.len() > self.opts.max_bytes;
        if truncated {
            bytes.truncate(self.opts.max_bytes);
            // Do not cut a UTF-8 sequence in half.
            while !bytes.is_empty() && std::str::from_utf8(&bytes).is_err_and(|e| e.error_len().is_none()) {
                bytes.pop();
            }
        }
        self.decode(&id, bytes, truncated)
    }

    fn read_stdin(&self) -> DocResult {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(self.opts.max_bytes as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| DocError { id: "-".into(), reason: e.to_string() })?;
        let truncated = bytes.len() > self.opts.max_bytes;
        bytes.truncate(self.opts.max_bytes);
        self.decode("-", bytes, truncated)
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
            let mut list: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir() || is_article_file(p))
                .collect();
            list.sort();
            self.push_front_paths(list);
            return None;
        }
        match extension(&path).as_str() {
            "csv" => match self.open_csv(&path) {
                Ok(src) => {
                    self.current = Some(src);
                    None
                }
                Err(reason) => err(reason),
            },
            "jsonl" | "ndjson" => match File::open(&path) {
                Ok(f) => {
                    self.current =
                        Some(Source::Jsonl { name, lines: BufReader::new(f).split(b'\n'), line: 0 });
                    None
                }
                Err(e) => err(e.to_string()),
            },
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

    fn open_csv(&self, path: &Path) -> Result<Source, String> {
        let f = File::open(path).map_err(|e| e.to_string())?;
        let (tracked, lines) = crate::corpus::track_lines(BufReader::new(f));
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(tracked);
        let header = reader.byte_headers().map_err(|e| format!("malformed CSV header: {e}"))?.clone();
        let names: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        let find = |w: &str| names.iter().position(|h| h.eq_ignore_ascii_case(w));
        let text = find(&self.opts.text_column).ok_or_else(|| {
            format!("missing column {:?} (header has: {})", self.opts.text_column, names.join(", "))
        })?;
        let id = find(&self.opts.id_column);
        Ok(Source::Csv { name: path.display().to_string(), reader, lines, text, id })
    }
}

fn extension(p: &Path) -> String {
    p.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default()
}

/// Files a directory contributes: plain text and Markdown.
fn is_article_file(p: &Path) -> bool {
    matches!(extension(p).as_str(), "txt" | "md")
}

fn finish(id: &str, text: String, truncated: bool, max_bytes: usize) -> DocResult {
    let mut text = text;
    let mut truncated = truncated;
    if text.len() > max_bytes {
        let mut cut = max_bytes;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        truncated = true;
    }
    if text.trim().is_empty() {
        return Err(DocError { id: id.to_string(), reason: "empty text".into() });
    }
    Ok(Doc { id: id.to_string(), text, truncated })
}

impl Iterator for Inputs {
    type Item = DocResult;

    fn next(&mut self) -> Option<DocResult> {
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
                Some(Source::Csv { name, reader, lines, text, id }) => {
                    let mut rec = csv::ByteRecord::new();
                    match reader.read_byte_record(&mut rec) {
                        Ok(false) => self.current = None,
                        Ok(true) => {
                            let line = lines.line_at(rec.position().map_or(0, |p| p.byte()));
                            let rid = id
                                .and_then(|i| rec.get(i))
                                .map(|b| String::from_utf8_lossy(b).trim().to_string())
                                .filter(|s| !s.is_empty())
                                .unwrap_or_else(|| format!("{name}:{line}"));
                            let (name, text) = (name.clone(), *text);
                            return Some(match rec.get(text) {
                                None => Err(DocError {
                                    id: rid,
                                    reason: format!("{name}:{line}: row has no field {}", text + 1),
                                }),
                                Some(b) => self.decode(&rid, b.to_vec(), false),
                            });
                        }
                        Err(e) => {
                            let line = lines.line_at(e.position().map_or(0, |p| p.byte()));
                            let id = format!("{name}:{line}");
                            // An I/O error ends this source; a malformed row is skipped.
                            if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                                self.current = None;
                            }
                            return Some(Err(DocError { id, reason: format!("malformed CSV: {e}") }));
                        }
                    }
                }
                Some(Source::Jsonl { name, lines, line }) => match lines.next() {
                    None => self.current = None,
                    Some(Err(e)) => {
                        let id = format!("{name}:{}", *line + 1);
                        self.current = None;
                        return Some(Err(DocError { id, reason: e.to_string() }));
                    }
                    Some(Ok(bytes)) => {
                        *line += 1;
                        if bytes.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        let at = format!("{name}:{line}");
                        return Some(parse_json_line(&at, &bytes, &self.opts));
                    }
                },
            }
        }
    }
}

fn parse_json_line(at: &str, bytes: &[u8], opts: &InputOptions) -> DocResult {
    let err = |reason: String| DocError { id: at.to_string(), reason };
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| err(format!("invalid JSON: {e}")))?;
    let id = match v.get(&opts.id_column) {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => at.to_string(),
    };
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
}
