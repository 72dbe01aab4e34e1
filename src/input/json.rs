//! JSON lines, and JSON arrays (or whitespace-separated JSON values) read one element at a time.
use super::{DocError, DocResult, InputOptions, MAX_ID_BYTES, Reader, finish, jsonl_line_limit};
use std::io::BufRead;

/// JSON lines, each read up to [`jsonl_line_limit`] bytes.
pub(super) struct JsonlRows {
    name: String,
    input: Reader,
    pub(super) line: u64,
    done: bool,
}

impl JsonlRows {
    pub(super) fn new(input: Reader, name: &str) -> Self {
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

    pub(super) fn next_row(&mut self, opts: &InputOptions) -> Option<DocResult> {
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
    doc_from_value(at, v, opts)
}

/// An article from one JSON value: an object with the text (and id) fields, or a bare string.
fn doc_from_value(at: &str, v: serde_json::Value, opts: &InputOptions) -> DocResult {
    if let serde_json::Value::String(s) = v {
        return finish(at, s, false, opts.max_bytes);
    }
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
        None if !v.is_object() => Err(DocError { id, reason: format!("{at}: not a JSON object or string") }),
        None => Err(DocError { id, reason: format!("{at}: no field {:?}", opts.text_column) }),
    }
}

/// The elements of a JSON array, or JSON values one after another (one object spread over many
/// lines), split by a small scanner so that the whole file never has to be in memory. Each
/// element is read up to [`jsonl_line_limit`] bytes; its id defaults to `name[i]`.
pub(super) struct JsonValueRows {
    name: String,
    input: Reader,
    /// Inside a top-level array (after its `[`).
    in_array: Option<bool>,
    index: u64,
    /// Newlines consumed so far, and the line where the last element started.
    newlines: u64,
    pub(super) line: u64,
    done: bool,
}

impl JsonValueRows {
    pub(super) fn new(input: Reader, name: &str) -> Self {
        JsonValueRows {
            name: name.to_string(),
            input,
            in_array: None,
            index: 0,
            newlines: 0,
            line: 0,
            done: false,
        }
    }

    /// Skips whitespace (and, inside the array, commas); returns the next byte without taking it.
    fn skip_blank(&mut self) -> std::io::Result<Option<u8>> {
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            let in_array = self.in_array == Some(true);
            let n = buf.iter().take_while(|&&b| b.is_ascii_whitespace() || (in_array && b == b',')).count();
            self.newlines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
            let next = buf.get(n).copied();
            self.input.consume(n);
            if next.is_some() {
                return Ok(next);
            }
        }
    }

    /// Reads one JSON value's bytes (keeping at most `limit`); returns its full length.
    fn read_value(&mut self, out: &mut Vec<u8>, limit: usize) -> std::io::Result<usize> {
        out.clear();
        let (mut depth, mut in_str, mut escaped, mut total) = (0usize, false, false, 0usize);
        let mut started = false;
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                return Ok(total);
            }
            let mut used = 0;
            let mut end = false;
            for &b in buf {
                if started && depth == 0 && !in_str {
                    // a scalar ends at a delimiter, which is left for the caller
                    if b.is_ascii_whitespace() || b == b',' || b == b']' {
                        end = true;
                        break;
                    }
                }
                used += 1;
                started = true;
                if in_str {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_str = false;
                        if depth == 0 {
                            end = true;
                        }
                    }
                } else {
                    match b {
                        b'"' => in_str = true,
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                end = true;
                            }
                        }
                        b'\n' => self.newlines += 1,
                        _ => {}
                    }
                }
                if b == b'\n' && in_str {
                    self.newlines += 1;
                }
                if end {
                    break;
                }
            }
            let room = limit.saturating_sub(out.len());
            out.extend_from_slice(&buf[..used.min(room)]);
            total = total.saturating_add(used);
            self.input.consume(used);
            if end {
                return Ok(total);
            }
        }
    }

    pub(super) fn next_row(&mut self, opts: &InputOptions) -> Option<DocResult> {
        if self.done {
            return None;
        }
        let at_err = |me: &mut Self, e: std::io::Error| {
            me.done = true;
            Some(Err(DocError {
                id: format!("{}:{}", me.name, me.newlines + 1),
                reason: format!("read error: {e}"),
            }))
        };
        let mut next = match self.skip_blank() {
            Ok(n) => n,
            Err(e) => return at_err(self, e),
        };
        if self.in_array.is_none() {
            self.in_array = Some(next == Some(b'['));
            if next == Some(b'[') {
                self.input.consume(1);
                next = match self.skip_blank() {
                    Ok(n) => n,
                    Err(e) => return at_err(self, e),
                };
            }
        }
        match next {
            None => {
                self.done = true;
                if self.in_array == Some(true) {
                    let id = format!("{}:{}", self.name, self.newlines + 1);
                    return Some(Err(DocError { id, reason: "the JSON array is not closed (no ])".into() }));
                }
                return None;
            }
            Some(b']') if self.in_array == Some(true) => {
                self.done = true;
                return None;
            }
            _ => {}
        }
        self.line = self.newlines + 1;
        let at = format!("{}[{}]", self.name, self.index);
        self.index += 1;
        let limit = jsonl_line_limit(opts.max_bytes);
        let mut buf = Vec::new();
        let len = match self.read_value(&mut buf, limit) {
            Ok(n) => n,
            Err(e) => return at_err(self, e),
        };
        if len > limit {
            return Some(Err(DocError {
                id: at,
                reason: format!(
                    "{}:{}: element of {len} bytes is over the {limit}-byte limit for --max-bytes {} (skipped)",
                    self.name, self.line, opts.max_bytes
                ),
            }));
        }
        Some(parse_json_line(&at, &buf, opts).map_err(|mut e| {
            if e.reason.starts_with("invalid JSON") {
                // a broken element leaves the scanner nowhere safe to go on from
                self.done = true;
                e.reason = format!("{}:{}: {}", self.name, self.line, e.reason);
            }
            e
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(data: &'static [u8]) -> Vec<DocResult> {
        let mut r = JsonValueRows::new(Box::new(std::io::BufReader::new(data)), "t.json");
        std::iter::from_fn(|| r.next_row(&InputOptions::default())).collect()
    }

    #[test]
    fn array_elements_are_articles_in_order() {
        let out = rows(
            b"[\n {\"id\": \"a\", \"text\": \"one ] {\\\" x\"},\n {\"text\": \"two\"},\n \"three\"\n]\n",
        );
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].as_ref().unwrap().text, "one ] {\" x");
        assert_eq!(out[0].as_ref().unwrap().id, "a");
        assert_eq!(out[1].as_ref().unwrap().id, "t.json[1]");
        assert_eq!(out[2].as_ref().unwrap().text, "three");
    }

    #[test]
    fn one_object_over_many_lines_and_an_unclosed_array() {
        let out = rows(b"{\n  \"text\": \"hello\"\n}\n");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].as_ref().unwrap().text, "hello");
        let out = rows(b"[{\"text\": \"a\"}, {\"text\": ");
        assert!(out.last().unwrap().is_err());
    }
}
