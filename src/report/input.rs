//! The articles a report is built from: id, text, and the date, title, outlet and event
//! columns when a CSV has them. Other inputs (text and HTML files, directories, JSONL, stdin)
//! are read as `score` reads them, without dates.

use crate::input::{InputOptions, Inputs};

/// One input article.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Article {
    pub id: String,
    pub text: String,
    pub date: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    /// The event given by `--event-column`, when asked.
    pub event: Option<String>,
}

/// Reads every input; an input or row that cannot be read is returned as
/// `(where, problem)` beside the articles and does not stop the rest.
pub fn read_articles(
    specs: &[String],
    opts: &InputOptions,
    event_column: Option<&str>,
) -> (Vec<Article>, Vec<(String, String)>) {
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    for spec in specs {
        if spec.to_ascii_lowercase().ends_with(".csv") && std::path::Path::new(spec).is_file() {
            read_csv(spec, opts, event_column, &mut out, &mut errors);
            continue;
        }
        if let Some(c) = event_column {
            errors.push((spec.clone(), format!("--event-column {c} needs CSV input; read without events")));
        }
        for d in Inputs::new(vec![spec.clone()], opts.clone()) {
            match d {
                Ok(d) => out.push(Article { id: d.id, text: d.text, ..Default::default() }),
                Err(e) => errors.push((e.id, e.reason)),
            }
        }
    }
    (out, errors)
}

fn read_csv(
    path: &str,
    opts: &InputOptions,
    event_column: Option<&str>,
    out: &mut Vec<Article>,
    errors: &mut Vec<(String, String)>,
) {
    let mut r = match csv::ReaderBuilder::new().flexible(false).from_path(path) {
        Ok(r) => r,
        Err(e) => return errors.push((path.to_string(), e.to_string())),
    };
    let headers = match r.headers() {
        Ok(h) => h.clone(),
        Err(e) => return errors.push((format!("{path}:1"), e.to_string())),
    };
    let col = |n: &str| headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == n);
    let Some(text_col) = col(&opts.text_column) else {
        return errors.push((format!("{path}:1"), format!("no {:?} column", opts.text_column)));
    };
    let event_col = match event_column {
        Some(c) => match col(c) {
            Some(i) => Some(i),
            None => return errors.push((format!("{path}:1"), format!("no {c:?} column (--event-column)"))),
        },
        None => None,
    };
    let (id_col, date_col, title_col, outlet_col) =
        (col(&opts.id_column), col("date"), col("title"), col("outlet"));
    for (n, rec) in r.records().enumerate() {
        let rec = match rec {
            Ok(rec) => rec,
            Err(e) => {
                let line = e.position().map_or(n as u64 + 2, |p| p.line());
                errors.push((format!("{path}:{line}"), e.to_string()));
                continue;
            }
        };
        let line = rec.position().map_or(n as u64 + 2, |p| p.line());
        let get = |c: Option<usize>| {
            c.and_then(|i| rec.get(i)).map(str::trim).filter(|s| !s.is_empty()).map(String::from)
        };
        let text = rec.get(text_col).unwrap_or_default();
        if text.trim().is_empty() {
            errors.push((format!("{path}:{line}"), "empty text".into()));
            continue;
        }
        let mut text = text.to_string();
        if text.len() > opts.max_bytes {
            let mut cut = opts.max_bytes;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        out.push(Article {
            id: get(id_col).unwrap_or_else(|| format!("{path}:{line}")),
            text,
            date: get(date_col),
            title: get(title_col),
            outlet: get(outlet_col),
            event: event_col.map(|c| get(Some(c)).unwrap_or_default()),
        });
    }
}
