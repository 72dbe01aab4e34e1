//! Why an article got its label: each feature's push toward each label (weight x value), the
//! framing terms found and where, and an HTML page that shows both.
use crate::corpus::Label;
use crate::model::Model;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Contribution {
    pub feature: String,
    pub value: f32,
    pub weight: f32,
    /// weight x value: what this feature adds to the label's logit.
    pub contribution: f32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TermHit {
    pub term: String,
    pub class: Label,
    pub category: String,
    /// Byte span in the article text.
    pub start: usize,
    pub end: usize,
    /// Quoted or attributed to someone else, so counted apart from the article's own voice.
    pub reported: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub label: Label,
    pub probabilities: BTreeMap<String, f32>,
    pub temperature: f32,
    /// Each label's intercept.
    pub bias: BTreeMap<String, f32>,
    /// For each label, the features that pushed the article toward it most, strongest first.
    pub toward: BTreeMap<String, Vec<Contribution>>,
    pub terms: Vec<TermHit>,
    /// Known outlets whose house style the article is closest to.
    pub reads_like: Vec<crate::reads_like::ReadsLike>,
}

/// A feature's name; a masked n-gram column is named by the n-grams of this text that fall in it
/// (its hash bucket has no name of its own).
fn feature_label(model: &Model, text: &str, c: usize) -> String {
    let name = model.features.feature_name(c);
    match (&model.features.masked, name.strip_prefix("masked:#")) {
        (Some(m), Some(_)) => {
            let bucket = (c - model.features.masked_offset()) as u32;
            let grams = crate::features::masked::ngrams_in_bucket(text, m.buckets, bucket);
            format!("masked:{}", grams.join(" | "))
        }
        _ => name,
    }
}

pub fn explain(model: &Model, text: &str, top: usize) -> Explanation {
    let p = model.predict(text);
    let lin = &model.linear;
    let mut toward = BTreeMap::new();
    for l in Label::ALL {
        let k = l.index();
        // Strongest first (ties by column), named only once the top ones are chosen.
        let mut cs: Vec<(u32, f32, f32)> = p
            .features
            .row
            .iter()
            .map(|&(c, v)| (c, v, lin.weights[c as usize * Label::COUNT + k]))
            .filter(|&(_, v, w)| w * v > 0.0)
            .collect();
        cs.sort_by(|a, b| (b.1 * b.2).total_cmp(&(a.1 * a.2)).then(a.0.cmp(&b.0)));
        cs.truncate(top);
        let cs: Vec<Contribution> = cs
            .into_iter()
            .map(|(c, v, w)| Contribution {
                feature: feature_label(model, text, c as usize),
                value: v,
                weight: w,
                contribution: w * v,
            })
            .collect();
        toward.insert(l.to_string(), cs);
    }
    let terms = match &model.features.lexicon {
        Some(lex) => p
            .features
            .matches
            .iter()
            .map(|m| {
                let t = &lex.terms[m.term];
                TermHit {
                    term: t.term.clone(),
                    class: t.class,
                    category: t.category.clone(),
                    start: m.start,
                    end: m.end,
                    reported: m.reported,
                }
            })
            .collect(),
        None => Vec::new(),
    };
    Explanation {
        label: p.label,
        probabilities: Label::ALL.iter().map(|l| (l.to_string(), p.probabilities[l.index()])).collect(),
        temperature: model.temperature,
        bias: Label::ALL.iter().map(|l| (l.to_string(), lin.bias[l.index()])).collect(),
        toward,
        terms,
        reads_like: model.reads_like(&p.features),
    }
}

pub fn colour(l: Label) -> &'static str {
    match l {
        Label::StateMedia => "#d62728",
        Label::Wire => "#1f77b4",
        Label::Aggregator => "#ff7f0e",
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A self-contained page: verdict, probability bars, the article with framing terms highlighted
/// in their label's colour, and bar charts of the strongest contributions per label.
pub fn to_html(e: &Explanation, text: &str, title: &str) -> String {
    let mut body = String::new();
    let mut at = 0;
    for t in &e.terms {
        if t.start < at || t.end > text.len() {
            continue;
        }
        body.push_str(&escape(&text[at..t.start]));
        body.push_str(&format!(
            "<mark style=\"background:{}33;border-bottom:2px solid {}\" title=\"{}: {} ({})\">{}</mark>",
            colour(t.class),
            colour(t.class),
            t.class,
            escape(&t.term),
            escape(&t.category),
            escape(&text[t.start..t.end])
        ));
        at = t.end;
    }
    body.push_str(&escape(&text[at..]));

    let mut probs = String::new();
    for l in Label::ALL {
        let p = e.probabilities[l.as_str()];
        probs.push_str(&format!(
            "<div class=row><span class=name>{l}</span><span class=bar style=\"width:{:.1}%;background:{}\"></span> {:.3}</div>",
            p * 100.0 * 0.8,
            colour(l),
            p
        ));
    }
    let mut charts = String::new();
    for l in Label::ALL {
        charts.push_str(&bar_chart(&e.toward[l.as_str()], l));
    }
    let legend: String = Label::ALL
        .iter()
        .map(|&l| {
            format!(
                "<mark style=\"background:{}33;border-bottom:2px solid {}\">{l}</mark> ",
                colour(l),
                colour(l)
            )
        })
        .collect();
    format!(
        "<!doctype html><html><head><meta charset=utf-8><title>newsprov: {title}</title><style>\
body{{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}}\
.article{{white-space:pre-wrap;line-height:1.5;border:1px solid #ddd;padding:1em;background:#fafafa}}\
.row{{margin:.2em 0}}.name{{display:inline-block;width:8em}}.bar{{display:inline-block;height:.9em}}\
.charts{{display:flex;flex-wrap:wrap;gap:1em}}</style></head><body>\
<h1>{title}</h1><h2>Verdict: <span style=\"color:{}\">{}</span></h2>{probs}\
<p>Temperature {:.3} (probabilities are softmax(logits / T)).</p>\
<h2>Framing terms in the text</h2><p>{legend}: hover a term for its category.</p><div class=article>{body}</div>\
<h2>What pushed it toward each label</h2><p>Contribution = weight x feature value, added to that label's logit.</p>\
<div class=charts>{charts}</div></body></html>\n",
        colour(e.label),
        e.label,
        e.temperature,
        title = escape(title),
    )
}

/// Horizontal bars of the contributions, as inline SVG.
fn bar_chart(cs: &[Contribution], l: Label) -> String {
    let (w, row, left) = (420.0, 18.0, 210.0);
    let h = 30.0 + row * cs.len().max(1) as f64;
    let max = cs.iter().map(|c| c.contribution).fold(1e-6f32, f32::max) as f64;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"11\">\
<text x=\"0\" y=\"14\" font-size=\"13\" fill=\"{}\">toward {l}</text>",
        colour(l)
    );
    for (i, c) in cs.iter().enumerate() {
        let y = 24.0 + row * i as f64;
        let bw = (w - left - 50.0) * c.contribution as f64 / max;
        let name: String = c.feature.chars().take(34).collect();
        s.push_str(&format!(
            "<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text><rect x=\"{left}\" y=\"{:.0}\" width=\"{bw:.1}\" height=\"{:.0}\" fill=\"{}\"/><text x=\"{:.0}\" y=\"{:.0}\">{:.3}</text>",
            left - 4.0,
            y + 11.0,
            escape(&name),
            y,
            row - 4.0,
            colour(l),
            left + bw + 3.0,
            y + 11.0,
            c.contribution
        ));
    }
    if cs.is_empty() {
        s.push_str("<text x=\"0\" y=\"40\">(nothing)</text>");
    }
    s.push_str("</svg>");
    s
}

/// The strongest weights per label over the whole model, for `inspect`.
pub fn top_weights(model: &Model, top: usize) -> BTreeMap<String, Vec<(String, f32)>> {
    let lin = &model.linear;
    let mut out = BTreeMap::new();
    for l in Label::ALL {
        let k = l.index();
        let mut idx: Vec<usize> = (0..lin.n_features).collect();
        idx.sort_by(|&a, &b| {
            lin.weights[b * Label::COUNT + k].total_cmp(&lin.weights[a * Label::COUNT + k]).then(a.cmp(&b))
        });
        let v = idx
            .into_iter()
            .take(top)
            .map(|i| (model.features.feature_name(i), lin.weights[i * Label::COUNT + k]))
            .collect();
        out.insert(l.to_string(), v);
    }
    out
}
