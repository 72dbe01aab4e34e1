//! The explanation as one self-contained HTML page.
use super::{Contribution, Explanation};
use crate::corpus::Label;

/// Each label's colour, everywhere (highlights, bars, heat).
pub fn colour(l: Label) -> &'static str {
    match l {
        Label::StateMedia => "#d62728",
        Label::Wire => "#1f77b4",
        Label::Aggregator => "#ff7f0e",
    }
}

/// Highlight colour of a term the model gives no weight.
const NEUTRAL: &str = "#888888";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A self-contained page: verdict and probability bars, a note when the call is close, the
/// article with each framing term highlighted in the colour of the label it pushed toward in this
/// model, the strongest contributions per label with readable names, and a glossary.
pub fn to_html(e: &Explanation, text: &str, title: &str) -> String {
    let mut body = String::new();
    let mut at = 0;
    for t in &e.terms {
        if t.start < at
            || t.end > text.len()
            || !text.is_char_boundary(t.start)
            || !text.is_char_boundary(t.end)
        {
            continue;
        }
        let (c, pushes) = match t.pushes_toward {
            Some(l) => (colour(l), format!("pushes toward {l} in this model")),
            None => (NEUTRAL, "no weight in this model".to_string()),
        };
        body.push_str(&escape(&text[at..t.start]));
        body.push_str(&format!(
            "<mark style=\"background:{c}33;border-bottom:2px solid {c}\" title=\"framing term &quot;{}&quot;: {pushes} (lexicon: {}, {})\">{}</mark>",
            escape(&t.term),
            t.class,
            escape(&t.category),
            escape(&text[t.start..t.end])
        ));
        at = t.end;
    }
    body.push_str(&escape(&text[at..]));

    let mut probs = String::new();
    for (l, p) in Label::ALL.iter().zip(&e.probabilities.0) {
        probs.push_str(&format!(
            "<div class=row><span class=name>{l}</span><span class=bar style=\"width:{:.1}%;background:{}\"></span> {:.3}</div>",
            p * 100.0 * 0.7,
            colour(*l),
            p
        ));
    }
    let note = match &e.low_confidence {
        Some(n) => format!("<p class=note><strong>Note:</strong> {}</p>", escape(n)),
        None => String::new(),
    };
    let mut charts = String::new();
    if e.stories.is_empty() {
        charts.push_str("<div class=charts>");
        for l in Label::ALL {
            charts.push_str(&bar_table(&e.toward[l], l, e.bias[l]));
        }
        charts.push_str("</div>");
    } else {
        charts.push_str(&format!("<p>A page of {} stories: {}.</p>", e.stories.len(), super::STORIES_NOTE));
    }
    for (i, st) in e.stories.iter().enumerate() {
        let x = &st.explanation;
        charts.push_str(&format!(
            "<h3>Story {} of {}: {}</h3><p>Verdict: <strong style=\"color:{}\">{}</strong> ({}){}</p><div class=charts>",
            i + 1,
            e.stories.len(),
            escape(&st.title),
            colour(x.label),
            x.label,
            x.probabilities.to_text(),
            if st.credits.is_empty() {
                String::new()
            } else {
                format!("<br>Credit lines: {}", escape(&st.credits.join(" / ")))
            }
        ));
        for l in Label::ALL {
            charts.push_str(&bar_table(&x.toward[l], l, x.bias[l]));
        }
        charts.push_str("</div>");
    }
    let legend: String = Label::ALL
        .iter()
        .map(|&l| {
            format!("<mark style=\"background:{0}33;border-bottom:2px solid {0}\">{l}</mark> ", colour(l))
        })
        .chain(std::iter::once(format!(
            "<mark style=\"background:{NEUTRAL}33;border-bottom:2px solid {NEUTRAL}\">no weight</mark>"
        )))
        .collect();
    let glossary: String = crate::glossary::KINDS
        .iter()
        .map(|k| format!("<dt>{}</dt><dd>{}.</dd>", escape(k.kind), escape(k.meaning)))
        .collect();
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\">\
<title>newsprov: {title}</title><style>\
body{{font-family:sans-serif;max-width:62em;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}}\
.article{{white-space:pre-wrap;line-height:1.6;border:1px solid #ddd;padding:1em;background:#fafafa}}\
.row{{margin:.2em 0}}.name{{display:inline-block;width:8em}}.bar{{display:inline-block;height:.9em}}\
.note{{background:#fff4d6;border-left:4px solid #e0a800;padding:.5em 1em}}\
.charts{{display:grid;grid-template-columns:repeat(auto-fit,minmax(19em,1fr));gap:1.5em}}\
table.contrib{{border-collapse:collapse;width:100%;font-size:.9em}}table.contrib td{{padding:.15em .3em;vertical-align:top}}\
td.val{{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}}td.barcell{{width:35%}}\
td.barcell span{{display:block;height:.9em;margin-top:.2em}}dt{{font-weight:bold;margin-top:.5em}}\
</style></head><body>\
<h1>{title}</h1><h2>Verdict: <span style=\"color:{}\">{}</span></h2>{probs}{note}\
<p>Temperature {:.3} (probabilities are softmax(logits / T)).</p>\
<h2>Framing terms in the text</h2><p>Each term is highlighted in the colour of the label it pushed toward \
in this model: {legend}. Hover a term for the label the lexicon files it under and its category.</p>\
<div class=article>{body}</div>\
<h2>What pushed it toward each label</h2><p>Contribution = weight x feature value, added to that label's \
score (logit); the strongest first. Hover a name for the model's internal feature name.</p>\
{charts}\
<h2>Glossary</h2><dl>{glossary}</dl></body></html>\n",
        colour(e.label),
        e.label,
        e.temperature,
        title = escape(title),
    )
}

/// The contributions toward one label as a table: readable name (never cut), a bar, the value.
fn bar_table(cs: &[Contribution], l: Label, bias: f32) -> String {
    let max = cs.iter().map(|c| c.contribution).fold(1e-6f32, f32::max);
    let mut s = format!(
        "<section><h3 style=\"color:{}\">toward {l}</h3><p>bias {bias:+.3}</p><table class=contrib>",
        colour(l)
    );
    for c in cs {
        s.push_str(&format!(
            "<tr><td title=\"{} = {:.4} x {:+.4}\">{}</td><td class=barcell><span style=\"width:{:.1}%;background:{}\"></span></td><td class=val>{:+.3}</td></tr>",
            escape(&c.feature),
            c.value,
            c.weight,
            escape(&c.readable),
            100.0 * c.contribution / max,
            colour(l),
            c.contribution
        ));
    }
    if cs.is_empty() {
        s.push_str("<tr><td>(nothing)</td></tr>");
    }
    s.push_str("</table></section>");
    s
}
