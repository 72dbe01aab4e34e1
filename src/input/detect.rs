//! What an input holds, told from its first bytes: a format named by the user or the extension
//! wins; otherwise the content decides (a CSV or TSV header naming the text column, JSON lines, a
//! JSON array, an HTML page, or plain text). Files that are not text at all (PDF, Office
//! documents, archives) are recognised by their signatures and refused with advice; gzip is read
//! through.

/// How an input is to be read: `--input-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// From the extension, else from the content.
    #[default]
    Auto,
    /// One article, as it is.
    Text,
    /// One article, markup removed.
    Html,
    /// Rows with a header naming the text (and id) column, comma-separated.
    Csv,
    /// As CSV, tab-separated.
    Tsv,
    /// One JSON object per line.
    Jsonl,
    /// A JSON array of objects (or of strings), or JSON values one after another.
    Json,
}

impl InputFormat {
    /// The names `--input-format` takes.
    pub const NAMES: &'static [&'static str] = &["auto", "text", "html", "csv", "tsv", "jsonl", "json"];

    /// The name as `--input-format` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Text => "text",
            InputFormat::Html => "html",
            InputFormat::Csv => "csv",
            InputFormat::Tsv => "tsv",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Json => "json",
        }
    }

    /// The format an extension names, if it names one (`gz` is handled before this).
    pub fn from_extension(ext: &str) -> Option<InputFormat> {
        Some(match ext {
            "txt" | "md" | "markdown" | "text" => InputFormat::Text,
            "html" | "htm" | "xhtml" => InputFormat::Html,
            "csv" => InputFormat::Csv,
            "tsv" | "tab" => InputFormat::Tsv,
            "jsonl" | "ndjson" => InputFormat::Jsonl,
            "json" => InputFormat::Json,
            _ => return None,
        })
    }

    /// Whether the input holds many articles (rows) rather than one.
    pub fn is_table(self) -> bool {
        matches!(self, InputFormat::Csv | InputFormat::Tsv | InputFormat::Jsonl | InputFormat::Json)
    }
}

impl std::str::FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "auto" => InputFormat::Auto,
            "text" | "txt" => InputFormat::Text,
            "html" => InputFormat::Html,
            "csv" => InputFormat::Csv,
            "tsv" => InputFormat::Tsv,
            "jsonl" | "ndjson" => InputFormat::Jsonl,
            "json" => InputFormat::Json,
            _ => {
                return Err(format!(
                    "unknown input format {s:?} (expected {})",
                    InputFormat::NAMES.join(", ")
                ));
            }
        })
    }
}

impl std::fmt::Display for InputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the first bytes of a file say it is, before any decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signature {
    /// gzip: decompressed and read as what it holds.
    Gzip,
    /// Not text and not readable here: what it is, and what to do.
    Refused {
        /// What the file is ("a PDF document").
        what: &'static str,
        /// What to do instead.
        advice: &'static str,
    },
}

/// Recognises compressed files, archives, PDF and Office documents by their magic bytes.
pub fn signature(head: &[u8]) -> Option<Signature> {
    let refuse = |what, advice| Some(Signature::Refused { what, advice });
    if head.starts_with(&[0x1f, 0x8b]) {
        return Some(Signature::Gzip);
    }
    if head.starts_with(b"%PDF-") {
        return refuse(
            "a PDF document",
            "extract its text first (e.g. `pdftotext FILE.pdf FILE.txt`) and score the .txt",
        );
    }
    if head.starts_with(b"PK\x03\x04") {
        let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
        let office =
            "save it as plain text (.txt) or extract the text (e.g. `pandoc -t plain FILE -o FILE.txt`)";
        if has(b"word/") {
            return refuse("a Word document (.docx)", office);
        }
        if has(b"xl/") {
            return refuse(
                "an Excel workbook (.xlsx)",
                "export the sheet as CSV (with a text column) and score the .csv",
            );
        }
        if has(b"ppt/") {
            return refuse("a PowerPoint presentation (.pptx)", office);
        }
        if has(b"application/vnd.oasis.opendocument") {
            return refuse("an OpenDocument file (.odt/.ods)", office);
        }
        if has(b"application/epub") {
            return refuse("an EPUB book", office);
        }
        return refuse("a ZIP archive", "unzip it and score the folder (`unzip FILE.zip -d DIR`)");
    }
    if head.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        return refuse(
            "an old Microsoft Office document (.doc/.xls/.ppt)",
            "save it as plain text (.txt) or CSV and score that",
        );
    }
    if head.starts_with(b"BZh") && head.get(3).is_some_and(|b| (b'1'..=b'9').contains(b)) {
        return refuse(
            "a bzip2-compressed file",
            "decompress it first, or pipe it: `bzcat FILE | newsprov score --input-format FORMAT -`",
        );
    }
    if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        return refuse(
            "an xz-compressed file",
            "decompress it first, or pipe it: `xzcat FILE | newsprov score --input-format FORMAT -`",
        );
    }
    if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return refuse(
            "a zstd-compressed file",
            "decompress it first, or pipe it: `zstdcat FILE | newsprov score --input-format FORMAT -`",
        );
    }
    if head.starts_with(&[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c]) {
        return refuse("a 7-Zip archive", "extract it and score the folder");
    }
    if head.starts_with(b"{\\rtf") {
        return refuse("an RTF document", "save it as plain text (.txt) and score that");
    }
    if head.starts_with(b"\x89PNG") || head.starts_with(&[0xff, 0xd8, 0xff]) || head.starts_with(b"GIF8") {
        return refuse("an image", "newsprov reads text; run OCR first if the image holds an article");
    }
    None
}

/// The format the content shows, for an input whose name does not say: a JSON array or JSON
/// lines, an HTML page, a CSV or TSV whose header names `text_column`, else text.
pub fn sniff(head: &[u8], text_column: &str) -> InputFormat {
    let body = trim_start(head);
    if starts_json_array(body) {
        return InputFormat::Json;
    }
    if body.starts_with(b"{") {
        // One object per line, or one object spread over many lines.
        return if first_line_is_json(body) { InputFormat::Jsonl } else { InputFormat::Json };
    }
    if looks_like_html(body) {
        return InputFormat::Html;
    }
    for (sep, format) in [(b'\t', InputFormat::Tsv), (b',', InputFormat::Csv)] {
        if let Some(names) = header_names(head, sep) {
            let named = names.iter().any(|n| n.eq_ignore_ascii_case(text_column));
            let header_like = names.len() >= 2 && names.iter().all(|n| is_column_name(n));
            // The first row under the header has as many fields (unless it runs past the sniffed
            // bytes, as a long quoted text may).
            let counts = field_counts(trim_start(head), sep, 2);
            let rows_agree = counts.len() < 2 || counts[1] == counts[0];
            if named && header_like && rows_agree && has_second_line(head) {
                return format;
            }
        }
    }
    InputFormat::Text
}

/// A JSON input (`.json`): an array, JSON lines, or one value spread over lines.
pub fn sniff_json(head: &[u8]) -> InputFormat {
    let body = trim_start(head);
    if body.starts_with(b"{") && first_line_is_json(body) { InputFormat::Jsonl } else { InputFormat::Json }
}

/// Why an input about to be read as one article looks like a table instead, for a warning:
/// JSON lines, a JSON array, or tab- or comma-separated rows under a header.
pub fn table_look(head: &[u8]) -> Option<String> {
    let body = trim_start(head);
    if starts_json_array(body) {
        return Some("a JSON array (use --input-format json)".into());
    }
    let lines: Vec<&[u8]> =
        body.split(|&b| b == b'\n').map(trim_cr).filter(|l| !l.is_empty()).take(6).collect();
    let complete = if body.len() < head.len() || !head.ends_with(b"\n") {
        lines.len().saturating_sub(1)
    } else {
        lines.len()
    };
    let shown = &lines[..complete.min(lines.len())];
    if shown.len() >= 2 && shown.iter().all(|l| l.starts_with(b"{") && l.ends_with(b"}")) {
        return Some("JSON lines (use --input-format jsonl)".into());
    }
    for (sep, name, flag) in [(b'\t', "a tab-separated table", "tsv"), (b',', "a CSV table", "csv")] {
        let Some(names) = header_names(head, sep) else { continue };
        let header_like = names.len() >= 2 && names.iter().all(|n| is_column_name(n));
        if !header_like {
            continue;
        }
        let counts = field_counts(body, sep, 6);
        if counts.len() >= 2 && counts.iter().all(|&c| c == names.len()) {
            return Some(format!(
                "{name} (header: {}; use --input-format {flag}, and --text-column NAME if its text column is not \"text\")",
                names.join(", ")
            ));
        }
    }
    None
}

fn trim_start(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b);
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn trim_cr(l: &[u8]) -> &[u8] {
    let l = l.strip_suffix(b"\r").unwrap_or(l);
    let n = l.iter().rev().take_while(|c| c.is_ascii_whitespace()).count();
    &l[..l.len() - n]
}

/// `[` then `{`, `"` or `]`: an article starting with "[Updated]" is not JSON.
fn starts_json_array(body: &[u8]) -> bool {
    body.starts_with(b"[") && matches!(trim_start(&body[1..]).first(), Some(b'{') | Some(b'"') | Some(b']'))
}

fn first_line_is_json(body: &[u8]) -> bool {
    let line = body.split(|&b| b == b'\n').next().unwrap_or(body);
    serde_json::from_slice::<serde_json::Value>(trim_cr(line)).is_ok_and(|v| v.is_object())
}

fn looks_like_html(body: &[u8]) -> bool {
    let start: Vec<u8> = body.iter().take(15).map(u8::to_ascii_lowercase).collect();
    ["<!doctype html", "<html", "<head>", "<body"].iter().any(|p| start.starts_with(p.as_bytes()))
}

/// Short, at most three words, no sentence punctuation: "text", "article body", "label".
fn is_column_name(n: &str) -> bool {
    !n.is_empty() && n.len() <= 40 && n.split_whitespace().count() <= 3 && !n.ends_with(['.', '!', '?'])
}

fn has_second_line(head: &[u8]) -> bool {
    match head.iter().position(|&b| b == b'\n') {
        Some(i) => head[i + 1..].iter().any(|b| !b.is_ascii_whitespace()),
        None => false,
    }
}

/// The first line's fields, split as CSV with `sep` (quotes honoured), if the line is complete.
fn header_names(head: &[u8], sep: u8) -> Option<Vec<String>> {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let end = head.iter().position(|&b| b == b'\n')?;
    let line = trim_cr(&head[..end]);
    if line.is_empty() || !line.contains(&sep) {
        return None;
    }
    let mut rdr = csv::ReaderBuilder::new().delimiter(sep).has_headers(false).from_reader(line);
    let rec = rdr.records().next()?.ok()?;
    Some(rec.iter().map(|f| f.trim().to_string()).collect())
}

/// Field counts of the first `max` complete records (a record cut by the end of `body` is left out).
fn field_counts(body: &[u8], sep: u8, max: usize) -> Vec<usize> {
    let mut rdr =
        csv::ReaderBuilder::new().delimiter(sep).has_headers(false).flexible(true).from_reader(body);
    let mut out = Vec::new();
    let mut rec = csv::ByteRecord::new();
    while out.len() < max {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {
                let end = rec.position().map_or(0, |p| p.byte() as usize) + rec.as_slice().len();
                if end >= body.len() && !body.ends_with(b"\n") {
                    break; // cut by the end of the sniffed bytes
                }
                out.push(rec.len());
            }
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_when_the_name_does_not() {
        assert_eq!(
            sniff(b"{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\n", "text"),
            InputFormat::Jsonl
        );
        assert_eq!(sniff(b"  [\n {\"text\": \"x\"}]", "text"), InputFormat::Json);
        assert_eq!(sniff(b"{\n \"text\": \"x\"\n}\n", "text"), InputFormat::Json);
        assert_eq!(sniff(b"id,text\na,hello\n", "text"), InputFormat::Csv);
        assert_eq!(sniff(b"id\ttext\na\thello\n", "text"), InputFormat::Tsv);
        assert_eq!(sniff(b"id,body\na,hello\n", "text"), InputFormat::Text);
        assert_eq!(sniff(b"<!DOCTYPE html><p>x</p>", "text"), InputFormat::Html);
        assert_eq!(sniff(b"[Updated] Officials said, on Monday, that", "text"), InputFormat::Text);
        assert_eq!(sniff(b"Text, images and video, said officials.\nMore text.", "text"), InputFormat::Text);
    }

    #[test]
    fn tables_read_as_text_are_noticed() {
        assert!(table_look(b"id,body,label\n1,hello,wire\n2,bye,agg\n").unwrap().contains("CSV table"));
        assert!(table_look(b"a\tb\n1\t2\n3\t4\n").unwrap().contains("tab-separated"));
        assert!(table_look(b"{\"a\":1}\n{\"a\":2}\n").unwrap().contains("JSON lines"));
        assert!(
            table_look(b"Officials said on Monday, according to a statement, that\nthe talks, which began\n")
                .is_none()
        );
    }

    #[test]
    fn signatures() {
        assert_eq!(signature(&[0x1f, 0x8b, 8, 0]), Some(Signature::Gzip));
        assert!(matches!(signature(b"%PDF-1.7\n"), Some(Signature::Refused { what: "a PDF document", .. })));
        assert!(
            matches!(signature(b"PK\x03\x04....word/document.xml"), Some(Signature::Refused { what, .. }) if what.contains("Word"))
        );
        assert_eq!(signature(b"plain text"), None);
    }
}
