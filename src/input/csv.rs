//! CSV and TSV rows streamed with `csv_core`, one field at a time.
use super::{DocError, DocResult, InputOptions, MAX_HEADER_BYTES, MAX_HEADER_FIELDS, MAX_ID_BYTES, Reader};
use super::{cut_utf8, decode_utf8, finish};
use std::io::BufRead;

/// One CSV field as read: its first bytes (up to the cap) and whether there were more.
#[derive(Default)]
struct Field {
    bytes: Vec<u8>,
    cut: bool,
}

/// CSV rows streamed with `csv_core`, one field at a time, so a huge field (or a quote left open
/// to the end of the file) never has to fit in memory: past its cap, a field is counted and
/// dropped.
pub(super) struct CsvRows {
    name: String,
    input: Reader,
    rdr: csv_core::Reader,
    /// Newlines consumed so far.
    newlines: u64,
    text: usize,
    id: Option<usize>,
    done: bool,
    /// Line where the last record read starts.
    pub(super) line: u64,
}

/// What [`CsvRows::record`] keeps of a record.
struct Record {
    line: u64,
    fields: Vec<Field>,
    n_fields: usize,
}

impl CsvRows {
    /// Reads the header; `sep` is `,` for CSV, a tab for TSV.
    pub(super) fn open(input: Reader, name: &str, sep: u8, opts: &InputOptions) -> Result<CsvRows, String> {
        let mut rows = CsvRows {
            name: name.to_string(),
            input,
            rdr: csv_core::ReaderBuilder::new().delimiter(sep).build(),
            line: 0,
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

    pub(super) fn next_row(&mut self, opts: &InputOptions) -> Option<DocResult> {
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
        self.line = rec.line;
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
