//! `newsprov explain` (one article, or one row of a table) and `newsprov inspect`.
use super::args::{ExplainArgs, InspectArgs};
use newsprov::corpus::Label;
use newsprov::explain::{Explanation, STORIES_NOTE, explain, to_html, top_weights};
use newsprov::input::{Doc, Inputs};
use newsprov::{Error, Result};
use std::io::Write;

pub fn run(a: ExplainArgs) -> Result<i32> {
    if a.read.max_bytes == 0 {
        return Err(Error::Usage("--max-bytes must be at least 1".into()));
    }
    if a.file == "-" {
        super::batch::announce_stdin(std::slice::from_ref(&a.file));
    }
    let doc = pick(&a)?;
    let model = super::load_model(&a.model)?;
    let e = explain(&model, &doc.text, a.top);
    let mut out = String::new();
    if a.json {
        out = serde_json::to_string_pretty(&e).map_err(|e| Error::Internal(e.to_string()))?;
        out.push('\n');
    } else {
        out.push_str(&format!("{}: {}\n", doc.id, e.label));
        out.push_str(&format!(
            "probabilities: {}   (temperature {:.3})\n",
            e.probabilities.to_text(),
            e.temperature
        ));
        if !e.reads_like.is_empty() {
            let r: Vec<String> = e.reads_like.iter().map(|x| format!("{} {:.2}", x.outlet, x.p)).collect();
            out.push_str(&format!("reads like (house style of known outlets): {}\n", r.join(", ")));
        }
        if let Some(n) = &e.low_confidence {
            out.push_str(&format!("note: {n}\n"));
        }
        if e.stories.is_empty() {
            out.push_str(&why(&e, &doc.text, 0));
        } else {
            out.push_str(&format!("a page of {} stories: {STORIES_NOTE}\n", e.stories.len()));
            for (i, s) in e.stories.iter().enumerate() {
                let x = &s.explanation;
                out.push_str(&format!(
                    "\n=== story {} of {}: {}\n{}: {}\n",
                    i + 1,
                    e.stories.len(),
                    s.title,
                    x.label,
                    x.probabilities.to_text()
                ));
                if !s.credits.is_empty() {
                    out.push_str(&format!("credit lines: {}\n", s.credits.join(" / ")));
                }
                out.push_str(&why(x, &doc.text, s.start));
            }
        }
        out.push_str("\nfeature names: see `newsprov explain --help` for what each kind measures\n");
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes()).and_then(|_| stdout.flush()).map_err(|e| Error::io("<stdout>", e))?;
    if let Some(p) = &a.html {
        newsprov::atomic::write_atomically(p, to_html(&e, &doc.text, &doc.id).as_bytes())?;
        eprintln!("wrote {}", p.display());
    }
    Ok(0)
}

/// The contributions toward each label and the framing terms found; term spans count from
/// `offset` in `text` (a story's body on a page of several).
fn why(e: &Explanation, text: &str, offset: usize) -> String {
    let mut out = String::new();
    for (label, cs) in &e.toward {
        out.push_str(&format!("\ntoward {label} (bias {:+.3}):\n", e.bias[label]));
        for c in cs {
            out.push_str(&format!(
                "  {:+8.4}  {:<48} value {:.4} x weight {:+.4}\n",
                c.contribution, c.readable, c.value, c.weight
            ));
        }
        if cs.is_empty() {
            out.push_str("  (nothing)\n");
        }
    }
    out.push_str("\nframing terms found (pushes toward: the label its weight favours in this model):\n");
    for t in &e.terms {
        out.push_str(&format!(
            "  {:>6}..{:<6} pushes toward {:<12} lexicon {:<12} {:<14} {}{}\n",
            offset + t.start,
            offset + t.end,
            t.pushes_toward.map_or("-", Label::as_str),
            t.class,
            t.category,
            &text[offset + t.start..offset + t.end],
            if t.reported { "  (quoted or attributed: counted apart)" } else { "" }
        ));
    }
    if e.terms.is_empty() {
        out.push_str("  (none)\n");
    }
    out
}

/// The article to explain: the file itself, or with --row / --line one row of a table. A table
/// without either is refused, since explaining a whole table as one article means nothing.
fn pick(a: &ExplainArgs) -> Result<Doc> {
    let mut docs = Inputs::new(vec![a.file.clone()], a.read.options());
    let first = docs.next();
    let from_table = docs.last_from_table();
    for w in docs.take_warnings() {
        eprintln!("newsprov: warning: {w}");
    }
    let failed = |id: &str, reason: &str, line: Option<u64>| {
        // the reason may already start with the place
        let reason = reason
            .strip_prefix(&format!("{}:", a.file))
            .map_or(reason, |r| r.split_once(": ").map_or(r, |x| x.1));
        Error::input(if id.is_empty() { a.file.as_str() } else { id }, line, reason.to_string())
    };
    if !from_table {
        if a.row.is_some() || a.line.is_some() {
            return Err(Error::Usage(format!(
                "{} is one article, not a table: --row and --line are for CSV, TSV, JSONL and JSON inputs",
                a.file
            )));
        }
        return match first {
            Some(Ok(d)) => Ok(d),
            Some(Err(e)) => Err(Error::input(&a.file, None, e.reason)),
            None => Err(Error::input(&a.file, None, "no article in the input")),
        };
    }
    let Some(first) = first else {
        return Err(Error::input(&a.file, None, "no rows in the table"));
    };
    if a.row.is_none() && a.line.is_none() {
        let example = match &first {
            Ok(d) => d.id.clone(),
            Err(e) => e.id.clone(),
        };
        return Err(Error::Usage(format!(
            "{} is a table of articles, not one article: choose one with --row ID (e.g. --row {example:?}) \
             or --line N (the line its row starts on)",
            a.file
        )));
    }
    let mut rows = 0u64;
    let mut current = Some((first, docs.last_line()));
    while let Some((r, line)) = current {
        rows += 1;
        let id = match &r {
            Ok(d) => d.id.as_str(),
            Err(e) => e.id.as_str(),
        };
        let hit = a.row.as_deref().is_some_and(|want| want == id) || (a.line.is_some() && a.line == line);
        if hit {
            return r.map_err(|e| failed(&a.file, &e.reason, line));
        }
        current = docs.next().map(|r| (r, docs.last_line()));
    }
    Err(Error::input(
        &a.file,
        None,
        match (&a.row, a.line) {
            (Some(id), _) => format!("no row with id {id:?} among its {rows} rows"),
            (_, Some(n)) => format!("no row starts on line {n} (it has {rows} rows)"),
            _ => unreachable!("checked above"),
        },
    ))
}

pub fn inspect(a: InspectArgs) -> Result<i32> {
    let model = super::load_model(&a.model)?;
    let s = &model.summary();
    let mut out = String::new();
    out.push_str(&format!(
        "newsprov model, format {}, written by newsprov {}\n",
        model.format_version(),
        model.crate_version()
    ));
    out.push_str(&format!(
        "features: {} ({}): {} terms, lexicon sha256 {}\n",
        model.features().n_features(),
        model.features().blocks,
        model.features().bow.as_ref().map_or(0, |b| b.len()),
        model.features().lexicon.as_ref().map_or("-", |l| l.hash.as_str())
    ));
    let rows: Vec<String> = Label::ALL
        .iter()
        .map(|l| format!("{l} {}", s.rows_per_class.get(l.as_str()).copied().unwrap_or(0)))
        .collect();
    out.push_str(&format!(
        "trained on {} (sha256 {}), rows per class: {}\n",
        s.train_file,
        s.train_sha256,
        rows.join(", ")
    ));
    out.push_str(&format!(
        "augmented rows {}, class weights {:?}, solver {:?}, l2 {}, {} iterations\n",
        s.augmented_rows,
        s.class_weight,
        model.logistic_params().solver,
        model.logistic_params().l2,
        model.linear().iterations
    ));
    if let Some(r) = &s.dev {
        out.push_str(&format!(
            "dev ({}): macro-F1 {:.4}, accuracy {:.4}, n {}\n",
            s.dev_file.as_deref().unwrap_or("?"),
            r.macro_f1,
            r.accuracy,
            r.n
        ));
    }
    if let Some(c) = &s.calibration {
        out.push_str(&format!(
            "temperature {:.3}: ECE {:.4} before, {:.4} after\n",
            c.temperature, c.ece_before, c.ece_after
        ));
    }
    for (label, ws) in &top_weights(&model, a.top) {
        out.push_str(&format!("\nstrongest features for {label}:\n"));
        for (name, w) in ws {
            out.push_str(&format!("  {w:+8.4}  {name}\n"));
        }
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes()).and_then(|_| stdout.flush()).map_err(|e| Error::io("<stdout>", e))?;
    Ok(0)
}
