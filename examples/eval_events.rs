//! Measures event grouping on ../shared/corpus2/events.csv (all sets mixed together; read at run
//! time, nothing of it is compiled in): B-cubed precision/recall/F1 and adjusted Rand index
//! against `event_id`, each over a range of thresholds, for
//! - newsprov's grouping (defaults: content words, LSA, Potts groups over 20 neighbours);
//! - the baseline: plain tf-idf cosine over all lowercased words (no LSA), clustered the same way;
//! - ablations: newsprov without LSA, the baseline with LSA, and both with the average-linkage
//!   agglomeration over 30 neighbours that newsprov used before.
//!
//! ```text
//! cargo run --release --example eval_events -- [EVENTS.csv] [--dates SCALE_DAYS]
//! ```
use newsprov::report::grouping::{
    Clustering, GroupParams, adjusted_rand, b_cubed, event_vectors, group, parse_day, plain_vectors,
};
use std::collections::HashMap;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut path = "../shared/corpus2/events.csv".to_string();
    let mut date_scale = 0.0;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--dates" => {
                date_scale = args[i + 1].parse().unwrap();
                i += 1;
            }
            s => path = s.to_string(),
        }
        i += 1;
    }
    let mut r = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap_or_else(|| panic!("{path}: no {n} column"));
    let (ce, ct, cd, ctitle) = (col("event_id"), col("text"), col("date"), col("title"));
    // NEWSPROV_TITLE=1: group on the title and the text joined
    let with_title = std::env::var_os("NEWSPROV_TITLE").is_some();
    let (mut texts, mut gold, mut days) = (Vec::new(), Vec::new(), Vec::new());
    let mut ids: HashMap<String, usize> = HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let n = ids.len();
        gold.push(*ids.entry(rec[ce].to_string()).or_insert(n));
        texts.push(if with_title {
            format!("{}\n\n{}", &rec[ctitle], &rec[ct])
        } else {
            rec[ct].to_string()
        });
        days.push(parse_day(&rec[cd]));
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    println!("{} articles, {} events ({path})", texts.len(), ids.len());
    // overrides for exploring (newsprov rows only):
    // NEWSPROV_GROUP="name_weight=2,number_weight=1.5,max_df=0.3,neighbours=30,dims=100"
    let mut p0 = GroupParams { date_scale, ..Default::default() };
    for kv in std::env::var("NEWSPROV_GROUP").unwrap_or_default().split(',').filter(|s| !s.is_empty()) {
        let (k, v) = kv.split_once('=').expect("key=value");
        let v: f32 = v.parse().expect("number");
        match k {
            "name_weight" => p0.name_weight = v,
            "number_weight" => p0.number_weight = v,
            "max_df" => p0.max_df = v,
            "neighbours" => p0.neighbours = v as usize,
            "dims" => p0.dims = v as usize,
            _ => panic!("unknown parameter {k}"),
        }
    }
    println!("{p0:?}");
    let t = Instant::now();
    let ours = event_vectors(&refs, &p0);
    let t_ours = t.elapsed().as_secs_f64();
    let plain = plain_vectors(&refs);
    let same = GroupParams { name_weight: 1.0, number_weight: 1.0, max_df: 1.0, ..p0.clone() };
    let before = GroupParams { clustering: Clustering::Average, neighbours: 30, dims: 0, ..p0.clone() };
    let runs = [
        ("newsprov (defaults)", &ours, p0.clone()),
        ("plain tf-idf cosine", &plain, GroupParams { dims: 0, ..same.clone() }),
        ("newsprov, no LSA", &ours, GroupParams { dims: 0, ..p0.clone() }),
        ("plain tf-idf + LSA", &plain, same),
        ("newsprov, before", &ours, before.clone()),
        ("plain tf-idf, before", &plain, before),
    ];
    println!(
        "{:<22} {:>9} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8}",
        "method", "threshold", "groups", "B3 P", "B3 R", "B3 F1", "ARI", "time s"
    );
    for (name, vecs, params) in runs {
        let mut best = (0.0, 0.0);
        for th in [0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3] {
            let p = GroupParams { threshold: th, ..params.clone() };
            let t = Instant::now();
            let g = group(vecs, &days, &p);
            let secs = t.elapsed().as_secs_f64() + if name.starts_with("newsprov") { t_ours } else { 0.0 };
            let (bp, br, bf) = b_cubed(&g, &gold);
            let groups = g.iter().max().map_or(0, |m| m + 1);
            let ari = adjusted_rand(&g, &gold);
            let mark = if th == GroupParams::default().threshold { " (default)" } else { "" };
            println!(
                "{name:<22} {th:>9.2} {groups:>7} {bp:>7.3} {br:>7.3} {bf:>7.3} {ari:>7.3} {secs:>8.2}{mark}"
            );
            if bf > best.0 {
                best = (bf, th);
            }
        }
        println!("{name:<22} best F1 {:.3} at {:.2}\n", best.0, best.1);
    }
}
