//! The report's content: per event, its articles in date order with their verdicts and
//! sources, derivation edges between them (and to a reference index), citation edges to the
//! outlets they cite, who reported first, and what the aggregator rewrites drew on.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::grouping::{GroupParams, event_vectors, group, parse_day};
use super::input::Article;
use crate::Model;
use crate::output::ScoreRecord;
use crate::sources::{Attribution, Gazetteer, SourceKind, cited_outlets, find_sources};
use crate::trace::{TraceIndex, TraceParams};

/// A derivation inside an event counts when the trace score passes the index threshold and at
/// least this share of the rewrite's 3-word shingles is in the source: among articles on one
/// story every candidate shares the vocabulary, so the score alone says little in a small set.
/// (Hand-written paraphrases of data/examples/events/ share 8-9% with their source, unrelated
/// reports of the same event 3-5%.)
pub const MIN_CONTAINMENT: f32 = 0.06;

/// The whole report (see docs/report.md for the JSON schema).
#[derive(Serialize, Debug)]
pub struct Report {
    pub version: u32,
    /// How events were formed: "grouped" (threshold given) or "column" (from `--event-column`).
    pub grouping: String,
    pub threshold: Option<f32>,
    pub events: Vec<Event>,
    /// Inputs that could not be read: (where, problem).
    pub skipped: Vec<Skipped>,
}

#[derive(Serialize, Debug, Clone)]
pub struct Skipped {
    pub input: String,
    pub problem: String,
}

#[derive(Serialize, Debug)]
pub struct Event {
    pub id: String,
    /// The most distinctive words the event's articles share (for a reader's orientation).
    pub keywords: Vec<String>,
    /// In date order (undated last, then input order).
    pub articles: Vec<EventArticle>,
    pub edges: Vec<Edge>,
    /// Ids of the earliest-dated articles (empty when no article has a date).
    pub first: Vec<String>,
    pub aggregators: Vec<AggregatorUse>,
}

#[derive(Serialize, Debug)]
pub struct EventArticle {
    pub id: String,
    pub label: Option<String>,
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// Words in the article (node size in the graph).
    pub words: usize,
    /// The `score` record of the article, as `newsprov score --format jsonl` writes it
    /// (probabilities, framing terms, and any field the model adds such as `reads_like`).
    pub score: serde_json::Value,
    /// Whom it cites (`newsprov sources`).
    pub sources: Vec<Attribution>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Edge {
    /// The source: an article id, `outlet:NAME` for a cited outlet, `ref:ID` for a reference.
    pub from: String,
    /// The article that derives from or cites it.
    pub to: String,
    /// "derived" (rewritten from) or "cites".
    pub kind: String,
    /// Trace match score for derived edges; citations count for cites edges.
    pub score: f32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<String>,
}

/// What one aggregator rewrite drew on.
#[derive(Serialize, Debug)]
pub struct AggregatorUse {
    pub id: String,
    /// (article id, its label) it most likely derives from, inside the event.
    pub derives_from: Option<(String, Option<String>)>,
    pub cites_state: Vec<String>,
    pub cites_wire: Vec<String>,
}

/// How to build a report.
pub struct ReportOptions<'a> {
    pub group: GroupParams,
    /// Take the events from the articles' `event` field instead of grouping.
    pub events_from_column: bool,
    pub index: Option<&'a TraceIndex>,
}

/// Builds the report. Deterministic for the same inputs and options.
pub fn build(
    articles: &[Article],
    skipped: Vec<(String, String)>,
    model: &Model,
    opts: &ReportOptions,
    progress: &dyn crate::progress::Progress,
) -> Report {
    let days: Vec<Option<i32>> = articles.iter().map(|a| a.date.as_deref().and_then(parse_day)).collect();
    let event_of: Vec<usize> = if opts.events_from_column {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        articles
            .iter()
            .map(|a| {
                let n = ids.len();
                *ids.entry(a.event.as_deref().unwrap_or_default()).or_insert(n)
            })
            .collect()
    } else {
        // the title, when the input has one, is part of what the article is about
        let joined: Vec<String> = articles
            .iter()
            .map(|a| match &a.title {
                Some(title) => format!("{title}\n\n{}", a.text),
                None => a.text.clone(),
            })
            .collect();
        let texts: Vec<&str> = joined.iter().map(String::as_str).collect();
        group(&event_vectors(&texts, &opts.group), &days, &opts.group)
    };
    let n_events = event_of.iter().max().map_or(0, |m| m + 1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_events];
    for (i, &e) in event_of.iter().enumerate() {
        members[e].push(i);
    }
    // events with more articles first, then by first article
    members.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    let events: Vec<Event> = members
        .par_iter()
        .enumerate()
        .map(|(k, m)| {
            let e = event(k, m, articles, &days, model, opts);
            progress.advance(m.len() as u64);
            e
        })
        .collect();
    Report {
        version: 1,
        grouping: if opts.events_from_column { "column".into() } else { "grouped".into() },
        threshold: (!opts.events_from_column).then_some(opts.group.threshold),
        events,
        skipped: skipped.into_iter().map(|(input, problem)| Skipped { input, problem }).collect(),
    }
}

fn event(
    k: usize,
    m: &[usize],
    articles: &[Article],
    days: &[Option<i32>],
    model: &Model,
    opts: &ReportOptions,
) -> Event {
    // date order, undated last, then input order
    let mut order: Vec<usize> = m.to_vec();
    order.sort_by_key(|&i| (days[i].is_none(), days[i], i));
    let gaz = Gazetteer::builtin();
    let scored: Vec<(ScoreRecord, Vec<Attribution>)> = order
        .iter()
        .map(|&i| {
            let a = &articles[i];
            (ScoreRecord::score(model, &a.id, &a.text, false, 0.0, true), find_sources(&a.text, gaz))
        })
        .collect();
    let rewrite: Vec<bool> = scored.iter().map(|(s, _)| s.label.as_deref() == Some("aggregator")).collect();
    let mut edges = derived_edges(&order, &rewrite, articles, days);
    if let Some(idx) = opts.index {
        for &i in &order {
            if let Some(best) = idx.query(&articles[i].text, 1).into_iter().next().filter(|b| idx.is_match(b))
            {
                edges.push(Edge {
                    from: format!("ref:{}", best.id),
                    to: articles[i].id.clone(),
                    kind: "derived".into(),
                    score: best.score,
                    passages: best.passages,
                });
            }
        }
    }
    for (&i, (_, atts)) in order.iter().zip(&scored) {
        let mut count: Vec<(String, usize)> = Vec::new();
        for a in atts.iter().filter(|a| matches!(a.kind, SourceKind::Outlet | SourceKind::StateMediaGeneric))
        {
            match count.iter_mut().find(|c| c.0 == a.name) {
                Some(c) => c.1 += 1,
                None => count.push((a.name.clone(), 1)),
            }
        }
        for (name, c) in count {
            // a cited outlet that is itself among the event's articles links to that article
            let target = order
                .iter()
                .find(|&&j| {
                    j != i && articles[j].outlet.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(&name))
                })
                .map_or(format!("outlet:{name}"), |&j| articles[j].id.clone());
            edges.push(Edge {
                from: target,
                to: articles[i].id.clone(),
                kind: "cites".into(),
                score: c as f32,
                passages: vec![],
            });
        }
    }
    let first_day = order.iter().filter_map(|&i| days[i]).min();
    let first = order
        .iter()
        .filter(|&&i| first_day.is_some() && days[i] == first_day)
        .map(|&i| articles[i].id.clone())
        .collect();
    let label_of: HashMap<&str, Option<String>> =
        order.iter().zip(&scored).map(|(&i, (s, _))| (articles[i].id.as_str(), s.label.clone())).collect();
    let aggregators = order
        .iter()
        .zip(&scored)
        .filter(|(_, (s, _))| s.label.as_deref() == Some("aggregator"))
        .map(|(&i, (_, atts))| {
            let id = &articles[i].id;
            let derives_from = edges
                .iter()
                .find(|e| e.kind == "derived" && &e.to == id && !e.from.starts_with("ref:"))
                .map(|e| (e.from.clone(), label_of.get(e.from.as_str()).cloned().flatten()));
            AggregatorUse {
                id: id.clone(),
                derives_from,
                cites_state: cited_outlets(atts, &["state"]),
                cites_wire: cited_outlets(atts, &["wire"]),
            }
        })
        .collect();
    let keywords = keywords(&order, articles);
    let articles_out = order
        .iter()
        .zip(scored)
        .map(|(&i, (s, atts))| {
            let a = &articles[i];
            EventArticle {
                id: a.id.clone(),
                label: s.label.clone(),
                date: a.date.clone(),
                title: a.title.clone(),
                outlet: a.outlet.clone(),
                words: a.text.split_whitespace().count(),
                score: serde_json::to_value(&s).unwrap_or_default(),
                sources: atts,
            }
        })
        .collect();
    Event { id: format!("event-{}", k + 1), keywords, articles: articles_out, edges, first, aggregators }
}

/// For each rewrite (`rewrite[k]` for `order[k]`: labelled aggregator), the earlier (or,
/// undated, any other) article of the event it most likely was rewritten from, through `trace`
/// over the event's articles.
fn derived_edges(order: &[usize], rewrite: &[bool], articles: &[Article], days: &[Option<i32>]) -> Vec<Edge> {
    if order.len() < 2 {
        return Vec::new();
    }
    let idx = TraceIndex::build(
        order.iter().map(|&i| (articles[i].id.clone(), articles[i].text.clone())),
        &TraceParams::default(),
    );
    let pos: HashMap<&str, usize> = order.iter().map(|&i| (articles[i].id.as_str(), i)).collect();
    let mut edges = Vec::new();
    for (&i, _) in order.iter().zip(rewrite).filter(|x| *x.1) {
        let me = &articles[i].id;
        // a rewrite comes after its source: with both dates, only earlier or same-day articles
        let later = |id: &str| {
            let j = pos[id];
            id == me
                || matches!((days[i], days[j]), (Some(a), Some(b)) if b > a)
                || (days[i] == days[j] && j > i && days[i].is_some())
        };
        let best = idx.query_with(&articles[i].text, 1, later).into_iter().next();
        if let Some(b) = best.filter(|b| idx.is_match(b) && b.containment >= MIN_CONTAINMENT) {
            edges.push(Edge {
                from: b.id,
                to: me.clone(),
                kind: "derived".into(),
                score: b.score,
                passages: b.passages,
            });
        }
    }
    edges
}

/// Up to six words most of the event's articles use, by document frequency within the event,
/// then alphabetically; capitalised words (names, places) first.
fn keywords(order: &[usize], articles: &[Article]) -> Vec<String> {
    let mut df: HashMap<String, (usize, bool)> = HashMap::new();
    for &i in order {
        let mut seen: Vec<(String, bool)> = articles[i]
            .text
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| w.chars().count() > 3 && !crate::trace::tokens::is_stop(&w.to_lowercase()))
            .map(|w| (w.to_lowercase(), w.chars().next().is_some_and(char::is_uppercase)))
            .collect();
        seen.sort();
        seen.dedup_by(|a, b| a.0 == b.0);
        for (w, cap) in seen {
            let e = df.entry(w).or_insert((0, cap));
            e.0 += 1;
            e.1 &= cap;
        }
    }
    let mut v: Vec<(String, (usize, bool))> = df.into_iter().filter(|x| x.1.0 * 2 >= order.len()).collect();
    v.sort_by(|a, b| b.1.1.cmp(&a.1.1).then(b.1.0.cmp(&a.1.0)).then(a.0.cmp(&b.0)));
    v.into_iter().take(6).map(|x| x.0).collect()
}
