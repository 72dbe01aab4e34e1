//! The report's provenance graphs in Graphviz DOT: one cluster per event.

use super::graph::Report;

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn colour(label: Option<&str>) -> &'static str {
    match label {
        Some("state_media") => "#c0392b",
        Some("wire") => "#2471a3",
        Some("aggregator") => "#d68910",
        _ => "#7f8c8d",
    }
}

/// DOT text: solid edges for derived-from, dashed for cites; nodes coloured by label.
pub fn to_dot(r: &Report) -> String {
    let mut s = String::from(
        "digraph newsprov_report {\n  rankdir=LR;\n  node [style=filled, fontcolor=white, shape=ellipse];\n",
    );
    for e in &r.events {
        s.push_str(&format!("  subgraph {} {{\n    label={};\n", q(&format!("cluster_{}", e.id)), q(&e.id)));
        for a in &e.articles {
            let text = match &a.date {
                Some(d) => format!("{}\\n{}", a.id, d),
                None => a.id.clone(),
            };
            s.push_str(&format!(
                "    {} [label={}, fillcolor={}];\n",
                q(&a.id),
                q(&text),
                q(colour(a.label.as_deref()))
            ));
        }
        for x in &e.edges {
            if !e.articles.iter().any(|a| a.id == x.from) {
                s.push_str(&format!(
                    "    {} [shape=box, fillcolor=\"#95a5a6\"];\n",
                    q(&format!("{}:{}", e.id, x.from))
                ));
            }
        }
        for x in &e.edges {
            let from = if e.articles.iter().any(|a| a.id == x.from) {
                x.from.clone()
            } else {
                format!("{}:{}", e.id, x.from)
            };
            let style = if x.kind == "derived" { "solid" } else { "dashed" };
            s.push_str(&format!(
                "    {} -> {} [style={style}, label={}];\n",
                q(&from),
                q(&x.to),
                q(&format!("{} {:.2}", x.kind, x.score))
            ));
        }
        s.push_str("  }\n");
    }
    s.push_str("}\n");
    s
}
