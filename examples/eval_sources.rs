//! Precision and recall of `sources` against hand annotation (data/sources-eval/articles.jsonl:
//! short articles written for newsprov, no corpus text, annotated by their author; regenerate
//! it with `python3 data/sources-eval/articles.py`).
//!
//! ```text
//! cargo run --release --example eval_sources [-- ANNOTATION.jsonl] [--misses]
//! ```
//! Prints per kind and overall: found, annotated, and precision/recall at the source level (the
//! right source at the right place) and exactly (the mention bounded as annotated).
use newsprov::sources::agreement::{GoldAttribution, Tally, compare};
use newsprov::sources::{Gazetteer, SourceKind, find_sources};

#[derive(serde::Deserialize)]
struct Article {
    id: String,
    text: String,
    gold: Vec<GoldAttribution>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let misses = args.iter().any(|a| a == "--misses");
    let path =
        args.iter().find(|a| !a.starts_with("--")).cloned().unwrap_or_else(|| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/data/sources-eval/articles.jsonl").into()
        });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let articles: Vec<Article> = text
        .lines()
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}:{}: {e}", i + 1)))
        .collect();
    let gaz = Gazetteer::builtin();
    let kinds = [
        ("outlet", Some(SourceKind::Outlet)),
        ("state_media_generic", Some(SourceKind::StateMediaGeneric)),
        ("official", Some(SourceKind::Official)),
        ("consensus", Some(SourceKind::Consensus)),
        ("all", None),
    ];
    println!("{} annotated articles ({path})", articles.len());
    println!(
        "{:<20} {:>5} {:>5}  {:>9} {:>9}  {:>9} {:>9}",
        "kind", "found", "gold", "P source", "R source", "P exact", "R exact"
    );
    for (name, kind) in kinds {
        let mut t = Tally::default();
        for a in &articles {
            let found = find_sources(&a.text, gaz);
            let one = compare(&a.text, &found, &a.gold, kind);
            if misses && kind.is_none() && (one.exact_hits < one.found || one.exact_hits < one.gold) {
                eprintln!(
                    "{}: found {:?}",
                    a.id,
                    found.iter().map(|f| (&f.name, &f.mention, &f.cue)).collect::<Vec<_>>()
                );
                eprintln!(
                    "{}: gold  {:?}",
                    a.id,
                    a.gold.iter().map(|g| (&g.name, &g.mention)).collect::<Vec<_>>()
                );
            }
            t.add(one);
        }
        let ((ps, rs), (pe, re)) = (t.source(), t.exact());
        println!("{name:<20} {:>5} {:>5}  {ps:>9.3} {rs:>9.3}  {pe:>9.3} {re:>9.3}", t.found, t.gold);
    }
}
