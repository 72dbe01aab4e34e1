//! Evaluates `trace` on the shared corpus (read at run time; nothing of it is compiled in).
//!
//! Reference = originals.csv + train/dev wire and state-media articles; queries = the rewrites of
//! pairs.csv in the chosen split. Reports strict top-1 (the true original is the first match),
//! grouped top-1 (it is the first match or one of its near-copies, `also`), top-5, and the
//! false-match rate: the share of rewrites whose original and its near-copies are removed from
//! the reference that still get a match at the threshold.
//!
//! ```text
//! cargo run --release --example eval_trace -- [CORPUS_DIR] [--fit] [--split dev|train]
//!     [--threshold T] [--candidates N] [--scale N] [--save INDEX]
//! TRACE_FAILURES=1 lists the misses; TRACE_COPIES=1 the hits where a near-copy of the truth came first.
//! ```
//! `--fit` fits the reranker on the train rewrites, picks the threshold on train (lowest score
//! with a train false-match rate of at most 5%) and prints both as Rust constants for
//! src/trace.rs. `--scale N` pads the reference to N documents with copies and only times
//! building, saving, loading and querying.
use newsprov::trace::{NUM_FEATURES, Reranker, TraceIndex, TraceParams};
use std::collections::{HashMap, HashSet};
use std::time::Instant;

type Row = HashMap<String, String>;

fn read(path: &str) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let h: Vec<String> = r.headers().unwrap().iter().map(|s| s.to_string()).collect();
    r.records()
        .map(|rec| h.iter().cloned().zip(rec.unwrap().iter().map(|s| s.to_string())).collect())
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = "../shared/corpus".to_string();
    let (mut split, mut fit, mut scale, mut save) = ("dev".to_string(), false, 0usize, None);
    let mut threshold: Option<f32> = None;
    let mut cands: Option<usize> = None;
    let mut i = 0;
    while i < args.len() {
        let next = |i: usize| args.get(i + 1).cloned().expect("missing option value");
        match args[i].as_str() {
            "--split" => (split, i) = (next(i), i + 1),
            "--fit" => fit = true,
            "--threshold" => (threshold, i) = (Some(next(i).parse().unwrap()), i + 1),
            "--scale" => (scale, i) = (next(i).parse().unwrap(), i + 1),
            "--save" => (save, i) = (Some(next(i)), i + 1),
            "--candidates" => (cands, i) = (Some(next(i).parse().unwrap()), i + 1),
            s => dir = s.to_string(),
        }
        i += 1;
    }
    let t0 = Instant::now();
    let pairs: HashMap<String, String> = read(&format!("{dir}/pairs.csv"))
        .into_iter()
        .map(|r| (r["rewrite_id"].clone(), r["original_id"].clone()))
        .collect();
    let orig = read(&format!("{dir}/originals.csv"));
    let train = read(&format!("{dir}/train.csv"));
    let dev = read(&format!("{dir}/dev.csv"));
    eprintln!("read corpus in {:.1}s", t0.elapsed().as_secs_f64());
    let mut refs: Vec<(String, String)> = orig.iter().map(|r| (r["id"].clone(), r["text"].clone())).collect();
    for r in train.iter().chain(dev.iter()) {
        if r["label"] == "wire" || r["label"] == "state_media" {
            refs.push((r["id"].clone(), r["text"].clone()));
        }
    }
    let n0 = refs.len();
    if scale > n0 {
        for k in 0..scale - n0 {
            let (id, t) = &refs[k % n0];
            refs.push((format!("{id}#copy{}", k / n0 + 1), t.clone()));
        }
    }
    let queries = |rows: &[Row]| -> Vec<(String, String, String)> {
        rows.iter()
            .filter_map(|r| pairs.get(&r["id"]).map(|o| (r["id"].clone(), r["text"].clone(), o.clone())))
            .collect()
    };
    let (train_q, dev_q) = (queries(&train), queries(&dev));
    let empty: HashSet<String> =
        orig.iter().filter(|r| r["text"].trim().is_empty()).map(|r| r["id"].clone()).collect();
    drop((train, dev));
    drop(orig);
    println!("references: {}  train rewrites: {}  dev rewrites: {}", refs.len(), train_q.len(), dev_q.len());

    let params = TraceParams::default();
    let t = Instant::now();
    let idx = TraceIndex::build(refs, &params);
    let build_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let bytes = idx.to_bytes();
    let ser_s = t.elapsed().as_secs_f64();
    drop(idx);
    let t = Instant::now();
    let mut idx = TraceIndex::from_bytes(&bytes).unwrap();
    if let Some(c) = cands {
        let p = TraceParams { candidates: c, ..idx.params().clone() };
        idx.set_query_params(&p).unwrap();
    }
    let load_s = t.elapsed().as_secs_f64();
    println!(
        "index build {build_s:.1}s  serialise {ser_s:.1}s  load {load_s:.1}s  size {:.1} MB  {idx:?}",
        bytes.len() as f64 / 1e6
    );
    if let Some(p) = &save {
        std::fs::write(p, &bytes).unwrap();
    }
    drop(bytes);
    if scale > 0 {
        let t = Instant::now();
        let n = dev_q.len().min(300);
        for (_, text, _) in &dev_q[..n] {
            std::hint::black_box(idx.query(text, 5));
        }
        println!(
            "mean query time {:.2} ms (top 5, passages, grouping)",
            t.elapsed().as_secs_f64() * 1e3 / n as f64
        );
        return;
    }
    // near-copies of each original, by the index's own grouping rule
    let t = Instant::now();
    let origs: HashSet<&String> = train_q.iter().chain(&dev_q).map(|q| &q.2).collect();
    let groups: HashMap<String, HashSet<String>> = origs
        .into_iter()
        .map(|o| {
            let mut s: HashSet<String> = idx.near_copies(o).into_iter().collect();
            s.insert(o.clone());
            (o.clone(), s)
        })
        .collect();
    let with_copies = groups.values().filter(|s| s.len() > 1).count();
    eprintln!(
        "near-copy groups in {:.1}s; {with_copies} originals have near-copies",
        t.elapsed().as_secs_f64()
    );

    if let Some(path) = std::env::var_os("TRACE_DUMP") {
        // candidate features of every train and dev rewrite, with and without its original
        use std::io::Write;
        let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
        for (split, qs) in [("train", &train_q), ("dev", &dev_q)] {
            for (qi, (_, text, truth)) in qs.iter().enumerate() {
                let g = &groups[truth];
                for (mode, excl) in [(0, false), (1, true)] {
                    for (id, x) in idx.candidate_features(text, |id| excl && g.contains(id)) {
                        let xs: Vec<String> = x.iter().map(|v| format!("{v}")).collect();
                        writeln!(
                            w,
                            "{split},{qi},{mode},{},{},{},{}",
                            (&id == truth) as u8,
                            g.contains(&id) as u8,
                            empty.contains(truth) as u8,
                            xs.join(",")
                        )
                        .unwrap();
                    }
                }
            }
        }
        eprintln!("dumped candidate features");
    }
    if fit {
        let t = Instant::now();
        let samples: Vec<Vec<([f32; NUM_FEATURES], bool)>> = train_q
            .iter()
            .map(|(_, text, truth)| {
                let g = &groups[truth];
                idx.candidate_features(text, |_| false)
                    .into_iter()
                    .filter(|(id, _)| id == truth || !g.contains(id))
                    .map(|(id, x)| (x, &id == truth))
                    .collect()
            })
            .collect();
        let r = Reranker::fit(&samples, 10.0);
        eprintln!("fitted reranker on {} train rewrites in {:.1}s", samples.len(), t.elapsed().as_secs_f64());
        idx.set_reranker(r.clone()).unwrap();
        let mut neg: Vec<f32> = train_q
            .iter()
            .map(|(_, text, truth)| {
                let g = &groups[truth];
                idx.query_with(text, 1, |id| g.contains(id)).first().map_or(0.0, |m| m.score)
            })
            .collect();
        neg.sort_by(|a, b| b.total_cmp(a));
        // lowest threshold with at most 5% of the absent-original scores at or above it
        let k = (neg.len() as f64 * 0.05).floor() as usize;
        let th = neg[k.min(neg.len() - 1)] + 1e-4;
        println!("const DEFAULT_MEAN: [f32; NUM_FEATURES] = {:?};", r.mean);
        println!("const DEFAULT_SCALE: [f32; NUM_FEATURES] = {:?};", r.scale);
        println!("const DEFAULT_WEIGHTS: [f32; NUM_FEATURES] = {:?};", r.weights);
        println!("const DEFAULT_BIAS: f32 = {:?};", r.bias);
        println!("pub const DEFAULT_THRESHOLD: f32 = {th:.3};");
        for (name, w) in newsprov::trace::FEATURE_NAMES.iter().zip(&r.weights) {
            eprintln!("  {name:<24} {w:+.3}");
        }
        threshold.get_or_insert(th);
    }
    if let Some(th) = threshold {
        let p = TraceParams { threshold: th, ..idx.params().clone() };
        idx.set_query_params(&p).unwrap();
    }
    let qs = if split == "dev" { &dev_q } else { &train_q };
    // per rewrite: strict top-1, top-5, grouped top-1, top-5, correct first match passes, false match
    let mut res: Vec<[bool; 6]> = Vec::new();
    let t = Instant::now();
    let mut failures = Vec::new();
    for (qid, text, truth) in qs {
        let m = idx.query(text, 5);
        let in_group = |x: &newsprov::trace::TraceMatch| &x.id == truth || x.also.contains(truth);
        let g_ok = m.first().is_some_and(in_group);
        res.push([
            m.first().is_some_and(|x| &x.id == truth),
            m.iter().any(|x| &x.id == truth),
            g_ok,
            m.iter().any(in_group),
            g_ok && idx.is_match(&m[0]),
            false,
        ]);
        if g_ok && m[0].id != *truth && std::env::var_os("TRACE_COPIES").is_some() {
            println!("  copy {qid} truth {truth} top {} {:.3}", m[0].id, m[0].score);
        }
        if !g_ok {
            let c = idx.candidate_features(text, |_| false);
            let at = c.iter().position(|(id, _)| id == truth);
            let fx =
                |x: &[f32; NUM_FEATURES]| x.iter().map(|v| format!("{v:.2}")).collect::<Vec<_>>().join(" ");
            failures.push(format!(
                "{qid} truth {truth} at {at:?} [{}] | top {} {:.3} [{}] also {:?}",
                at.map(|a| fx(&c[a].1)).unwrap_or_default(),
                m.first().map_or("-", |x| x.id.as_str()),
                m.first().map_or(0.0, |x| x.score),
                c.first().map(|x| fx(&x.1)).unwrap_or_default(),
                m.first().map(|x| x.also.len())
            ));
        }
    }
    let qtime = t.elapsed().as_secs_f64() * 1e3 / qs.len() as f64;
    for ((_, text, truth), r) in qs.iter().zip(res.iter_mut()) {
        let g = &groups[truth];
        r[5] = idx.query_with(text, 1, |id| g.contains(id)).first().is_some_and(|m| idx.is_match(m));
    }
    let report = |title: &str, keep: &dyn Fn(&str) -> bool| {
        let rows: Vec<&[bool; 6]> = qs.iter().zip(&res).filter(|(q, _)| keep(&q.2)).map(|(_, r)| r).collect();
        let f = |k: usize| rows.iter().filter(|r| r[k]).count() as f64 / rows.len().max(1) as f64;
        println!("{title}: {}", rows.len());
        println!("  strict  top-1 {:.3}  top-5 {:.3}", f(0), f(1));
        println!(
            "  grouped top-1 {:.3}  top-5 {:.3}  (true original or one of its listed near-copies)",
            f(2),
            f(3)
        );
        println!(
            "  threshold {:.3}: correct first match passes {:.3}; false-match rate with the original and its near-copies removed {:.3}",
            idx.params().threshold,
            f(4),
            f(5)
        );
    };
    report(&format!("{split} rewrites"), &|_| true);
    report(&format!("{split} rewrites with non-empty originals"), &|o| !empty.contains(o));
    println!("  mean query time {qtime:.2} ms (top 5 with passages and grouping)");
    if std::env::var_os("TRACE_FAILURES").is_some() {
        for x in failures {
            println!("  miss {x}");
        }
    }
}
