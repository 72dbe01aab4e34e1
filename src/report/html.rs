//! The report as one self-contained HTML page (inline CSS and SVG; no scripts, fonts or
//! images from elsewhere, so it opens offline): a list of events, then per event its
//! provenance graph and its table.

use std::fmt::Write;

use super::graph::{Edge, Event, EventArticle, Report};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const LABELS: [(&str, &str); 4] =
    [("state_media", "#c0392b"), ("wire", "#2471a3"), ("aggregator", "#d68910"), ("uncertain", "#7f8c8d")];

fn colour(label: Option<&str>) -> &'static str {
    LABELS.iter().find(|l| Some(l.0) == label).map_or("#7f8c8d", |l| l.1)
}

fn short(s: &str, n: usize) -> String {
    // the last part of a path or of a colon-separated id ("duc:set:APW19980812.0878")
    let name = s.trim_start_matches("outlet:").rsplit(['/', '\\', ':']).next().unwrap_or(s);
    if name.chars().count() <= n {
        name.to_string()
    } else {
        format!("{}…", name.chars().take(n - 1).collect::<String>())
    }
}

/// The page.
pub fn to_html(r: &Report) -> String {
    let mut h = String::new();
    let n_articles: usize = r.events.iter().map(|e| e.articles.len()).sum();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>newsprov event report</title><style>{CSS}</style></head><body>\
         <h1>Event provenance report</h1><p class=\"meta\">{} articles in {} events ({}). \
         Nodes: articles, coloured by label, sized by length, in date order from left to right; grey boxes: cited outlets and references. \
         Solid arrows: derived from (rewritten from); dashed: cites.</p><p class=\"legend\">",
        n_articles,
        r.events.len(),
        match r.threshold {
            Some(t) => format!("grouped at threshold {t}"),
            None => "events from the input's column".to_string(),
        }
    );
    for (l, c) in LABELS {
        let _ = write!(h, "<span><i style=\"background:{c}\"></i>{l}</span>");
    }
    h.push_str("</p><h2>Events</h2><ol class=\"toc\">");
    for e in &r.events {
        let _ = write!(
            h,
            "<li><a href=\"#{}\">{}</a>: {} article(s); {}</li>",
            esc(&e.id),
            esc(&e.id),
            e.articles.len(),
            esc(&e.keywords.join(", "))
        );
    }
    h.push_str("</ol>");
    for e in &r.events {
        event_section(&mut h, e);
    }
    if !r.skipped.is_empty() {
        h.push_str("<h2>Inputs left out</h2><ul>");
        for s in &r.skipped {
            let _ = write!(h, "<li>{}: {}</li>", esc(&s.input), esc(&s.problem));
        }
        h.push_str("</ul>");
    }
    h.push_str("</body></html>\n");
    h
}

fn event_section(h: &mut String, e: &Event) {
    let _ = write!(
        h,
        "<section id=\"{}\"><h2>{} <small>{}</small></h2>",
        esc(&e.id),
        esc(&e.id),
        esc(&e.keywords.join(", "))
    );
    let first = if e.first.is_empty() {
        "dates unknown".to_string()
    } else {
        e.first.iter().map(|f| esc(&short(f, 60))).collect::<Vec<_>>().join(", ")
    };
    let _ = write!(h, "<p><b>Reported first:</b> {first}</p>");
    if !e.aggregators.is_empty() {
        h.push_str("<p><b>Aggregator rewrites:</b></p><ul>");
        for a in &e.aggregators {
            let mut parts = Vec::new();
            if let Some((from, label)) = &a.derives_from {
                parts.push(format!(
                    "derives from {} ({})",
                    esc(&short(from, 50)),
                    esc(label.as_deref().unwrap_or("?"))
                ));
            }
            if !a.cites_state.is_empty() {
                parts.push(format!("cites state media: {}", esc(&a.cites_state.join(", "))));
            }
            if !a.cites_wire.is_empty() {
                parts.push(format!("cites wire: {}", esc(&a.cites_wire.join(", "))));
            }
            if parts.is_empty() {
                parts.push("no source found in the event, no state or wire outlet cited".into());
            }
            let _ = write!(h, "<li>{}: {}</li>", esc(&short(&a.id, 60)), parts.join("; "));
        }
        h.push_str("</ul>");
    }
    h.push_str("<div class=\"ev\"><div class=\"graph\">");
    svg(h, e);
    h.push_str("</div>");
    table(h, e);
    h.push_str("</div></section>");
}

/// The provenance graph: articles left to right in date order, one row per label; outlets and
/// references in a column on the right.
fn svg(h: &mut String, e: &Event) {
    let rows = ["state_media", "wire", "aggregator"];
    let row_of = |a: &EventArticle| rows.iter().position(|r| Some(*r) == a.label.as_deref()).unwrap_or(3);
    let externals: Vec<&str> = {
        let mut v: Vec<&str> = e
            .edges
            .iter()
            .map(|x| x.from.as_str())
            .filter(|f| !e.articles.iter().any(|a| a.id == *f))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let step = 110.0;
    let width = 80.0 + step * e.articles.len().max(1) as f64 + if externals.is_empty() { 0.0 } else { 200.0 };
    let height = (4.0 * 90.0 + 40.0f64).max(40.0 + 34.0 * externals.len() as f64);
    let max_words = e.articles.iter().map(|a| a.words).max().unwrap_or(1).max(1) as f64;
    let mut pos: Vec<(String, f64, f64, f64)> = Vec::new();
    for (i, a) in e.articles.iter().enumerate() {
        let r = 8.0 + 18.0 * (a.words as f64 / max_words).sqrt();
        pos.push((a.id.clone(), 60.0 + step * i as f64, 50.0 + 90.0 * row_of(a) as f64, r));
    }
    let ex = width - 190.0;
    for (k, x) in externals.iter().enumerate() {
        pos.push((x.to_string(), ex, 30.0 + 34.0 * k as f64, 0.0));
    }
    let find = |id: &str| pos.iter().find(|p| p.0 == id).cloned();
    let _ = write!(
        h,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\">\
         <defs><marker id=\"arr\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker></defs>"
    );
    for (k, r) in rows.iter().enumerate() {
        let _ = write!(h, "<text x=\"4\" y=\"{:.0}\" class=\"row\">{}</text>", 18.0 + 90.0 * k as f64, r);
    }
    for x in &e.edges {
        edge(h, x, find(&x.from), find(&x.to));
    }
    for (i, a) in e.articles.iter().enumerate() {
        let (_, cx, cy, r) = &pos[i];
        let prob = a.score.get("probabilities").map(|p| p.to_string()).unwrap_or_default();
        let _ = write!(
            h,
            "<g><title>{} ({}) {}</title><circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{r:.1}\" fill=\"{}\" stroke=\"#222\"/>\
             <text x=\"{cx:.1}\" y=\"{:.1}\" class=\"nl\">{}</text><text x=\"{cx:.1}\" y=\"{:.1}\" class=\"nd\">{}</text></g>",
            esc(&a.id),
            esc(a.label.as_deref().unwrap_or("?")),
            esc(&prob),
            colour(a.label.as_deref()),
            cy + r + 12.0,
            esc(&short(&a.id, 16)),
            cy + r + 23.0,
            esc(a.date.as_deref().unwrap_or(""))
        );
    }
    for x in &externals {
        let (_, px, py, _) = find(x).expect("placed");
        let _ = write!(
            h,
            "<g><title>{}</title><rect x=\"{px:.1}\" y=\"{:.1}\" width=\"180\" height=\"24\" rx=\"4\" fill=\"#95a5a6\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"ext\">{}</text></g>",
            esc(x),
            py - 12.0,
            px + 6.0,
            py + 4.0,
            esc(&short(x, 28))
        );
    }
    h.push_str("</svg>");
}

fn edge(
    h: &mut String,
    x: &Edge,
    from: Option<(String, f64, f64, f64)>,
    to: Option<(String, f64, f64, f64)>,
) {
    let (Some((_, x1, y1, r1)), Some((_, x2, y2, r2))) = (from, to) else { return };
    let (dx, dy) = (x2 - x1, y2 - y1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (sx, sy) = (x1 + dx / len * r1, y1 + dy / len * r1);
    let (ex, ey) = (x2 - dx / len * (r2 + 2.0), y2 - dy / len * (r2 + 2.0));
    // curve derived edges a little so opposite pairs stay apart
    let (mx, my) = ((sx + ex) / 2.0 - dy / len * 18.0, (sy + ey) / 2.0 + dx / len * 18.0);
    let dash = if x.kind == "derived" { "" } else { " stroke-dasharray=\"5 4\"" };
    let w = if x.kind == "derived" { 1.0 + 2.0 * x.score as f64 } else { 1.2 };
    let _ = write!(
        h,
        "<path d=\"M{sx:.1},{sy:.1} Q{mx:.1},{my:.1} {ex:.1},{ey:.1}\" fill=\"none\" stroke=\"#333\" stroke-width=\"{w:.1}\"{dash} marker-end=\"url(#arr)\"><title>{} {} → {} ({:.2})</title></path>",
        esc(&x.kind),
        esc(&x.from),
        esc(&x.to),
        x.score
    );
}

fn table(h: &mut String, e: &Event) {
    h.push_str("<table><thead><tr><th>date</th><th>article</th><th>label</th><th>probabilities</th><th>reads like</th><th>sources</th><th>derived from</th></tr></thead><tbody>");
    for a in &e.articles {
        let p = a.score.get("probabilities");
        let prob = |k: &str| p.and_then(|p| p.get(k)).and_then(|v| v.as_f64()).unwrap_or(f64::NAN);
        let reads_like = a.score.get("reads_like").map_or(String::from("–"), |v| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let mut names: Vec<String> = Vec::new();
        for s in &a.sources {
            let n = if s.mention != s.name {
                format!("{} (“{}”)", s.name, s.mention)
            } else {
                s.name.clone()
            };
            if !names.contains(&n) {
                names.push(n);
            }
        }
        let derived: Vec<String> = e
            .edges
            .iter()
            .filter(|x| x.kind == "derived" && x.to == a.id)
            .map(|x| {
                let passage = x
                    .passages
                    .first()
                    .map(|p| format!("<br><q>{}</q>", esc(&short_text(p, 140))))
                    .unwrap_or_default();
                format!("{} ({:.2}){}", esc(&short(&x.from, 40)), x.score, passage)
            })
            .collect();
        let title = a.title.as_deref().map(|t| format!("<br><small>{}</small>", esc(t))).unwrap_or_default();
        let _ = write!(
            h,
            "<tr><td>{}</td><td title=\"{}\">{}{title}</td><td><i style=\"background:{}\"></i>{}</td><td class=\"num\">S {:.2} · W {:.2} · A {:.2}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(a.date.as_deref().unwrap_or("")),
            esc(&a.id),
            esc(&short(&a.id, 40)),
            colour(a.label.as_deref()),
            esc(a.label.as_deref().unwrap_or("?")),
            prob("state_media"),
            prob("wire"),
            prob("aggregator"),
            esc(&reads_like),
            esc(&names.join("; ")),
            derived.join("<br>")
        );
    }
    h.push_str("</tbody></table>");
}

fn short_text(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

const CSS: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}\
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-top:1px solid #ccc;padding-top:12px}h2 small{color:#666;font-weight:normal}\
.meta{color:#444}.legend span{margin-right:14px}i{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:4px;vertical-align:middle}\
.ev{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.graph{max-width:100%;overflow-x:auto}svg{border:1px solid #ddd;background:#fcfcfc}\
.nl{font-size:10px;text-anchor:middle}.nd{font-size:9px;fill:#666;text-anchor:middle}.row{font-size:11px;fill:#999}.ext{font-size:11px;fill:#fff}\
table{border-collapse:collapse;font-size:12px;flex:1 1 600px}td,th{border-bottom:1px solid #e3e3e3;padding:4px 6px;text-align:left;vertical-align:top}\
.num{white-space:nowrap;font-variant-numeric:tabular-nums}q{color:#555;font-style:italic}";
