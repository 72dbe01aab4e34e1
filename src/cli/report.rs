//! `newsprov report`: events, their provenance graphs and tables, as HTML, JSON and DOT.
use super::args::ReportArgs;
use super::bars::Bars;
use newsprov::progress::Progress;
use newsprov::report::grouping::GroupParams;
use newsprov::report::{ReportOptions, build, dot, html, input};
use newsprov::trace::TraceIndex;
use newsprov::{Error, Result};

pub fn run(a: ReportArgs) -> Result<i32> {
    let mut group = GroupParams::default();
    if let Some(t) = a.threshold {
        if !(0.0..=1.0).contains(&t) {
            return Err(Error::Usage(format!("--threshold must be in [0, 1], got {t}")));
        }
        if a.event_column.is_some() {
            return Err(Error::Usage("give either --threshold or --event-column, not both".into()));
        }
        group.threshold = t;
    }
    let index = match &a.index {
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| Error::io(p, e))?;
            Some(TraceIndex::from_bytes(&bytes).map_err(|e| Error::input(p.display().to_string(), None, e))?)
        }
        None => None,
    };
    let model = super::load_model(&a.model)?;
    let bars = Bars::new();
    bars.stage("reading", None);
    let (articles, skipped) = input::read_articles(&a.inputs, &a.read.options(), a.event_column.as_deref());
    for (at, problem) in &skipped {
        bars.note(&format!("newsprov: {at}: {problem} (left out)"));
    }
    if articles.is_empty() {
        return Err(Error::Usage("no readable articles in the inputs".into()));
    }
    bars.stage("reporting", Some(articles.len() as u64));
    let opts = ReportOptions { group, events_from_column: a.event_column.is_some(), index: index.as_ref() };
    let report = build(&articles, skipped, &model, &opts, &bars);
    drop(bars);
    newsprov::atomic::write_atomically(&a.out, html::to_html(&report).as_bytes())?;
    if let Some(p) = &a.json {
        let json = serde_json::to_vec_pretty(&report).map_err(|e| Error::Internal(e.to_string()))?;
        newsprov::atomic::write_atomically(p, &json)?;
    }
    if let Some(p) = &a.dot {
        newsprov::atomic::write_atomically(p, dot::to_dot(&report).as_bytes())?;
    }
    eprintln!(
        "newsprov: {} articles in {} events; wrote {}{}{}",
        articles.len(),
        report.events.len(),
        a.out.display(),
        a.json.as_ref().map(|p| format!(", {}", p.display())).unwrap_or_default(),
        a.dot.as_ref().map(|p| format!(", {}", p.display())).unwrap_or_default()
    );
    Ok(0)
}
