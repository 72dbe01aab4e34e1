//! The Rust library's own in-process scoring speed, timed as `bench/python_throughput.py` times
//! the Python bindings and the peers: texts already in memory, no start-up, reading or output.
//!
//!   cargo run --release --example inprocess_score -- DEV.csv [REPEAT] [MODEL]
//!
//! Prints best and median seconds and MB/s for `predict_many` (probabilities only) and for the
//! score records `newsprov score` writes (`scoring::score_record`, with and without sources),
//! all in parallel on every core.
use newsprov::corpus::{CsvOptions, read_labeled};
use newsprov::input::{Doc, DocResult};
use newsprov::scoring::{ScoreOptions, score_record};
use rayon::prelude::*;
use std::time::Instant;

/// As the `newsprov` binary and the Python extension allocate.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: inprocess_score DEV.csv [REPEAT] [MODEL]")?;
    let repeat: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(5);
    let set = read_labeled(std::path::Path::new(path), &CsvOptions::default())?;
    let texts: Vec<&str> = set.articles.iter().map(|a| a.text.as_str()).collect();
    let docs: Vec<DocResult> = set
        .articles
        .iter()
        .map(|a| Ok(Doc { id: a.id.clone(), text: a.text.clone(), truncated: false }))
        .collect();
    let mb = texts.iter().map(|t| t.len()).sum::<usize>() as f64 / 1e6;
    let model = match args.get(3) {
        Some(m) => newsprov::Model::load(std::path::Path::new(m))?,
        None => newsprov::Model::builtin()?,
    };
    println!("{} texts, {mb:.2} MB, {} threads", texts.len(), rayon::current_num_threads());
    let time = |name: &str, f: &dyn Fn()| {
        f(); // warm-up
        let mut secs: Vec<f64> = (0..repeat)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect();
        secs.sort_by(f64::total_cmp);
        let (best, median) = (secs[0], secs[secs.len() / 2]);
        println!(
            "rust {name:<28} best {best:.4}s ({:.1} MB/s)  median {median:.4}s ({:.1} MB/s)",
            mb / best,
            mb / median
        );
    };
    time("predict_many", &|| {
        std::hint::black_box(model.predict_many(&texts));
    });
    for (name, sources) in [("score records", true), ("score records, no sources", false)] {
        let opts = ScoreOptions { min_confidence: 0.0, sources };
        time(name, &|| {
            let r: Vec<_> = docs.par_iter().map(|d| score_record(&model, d, &opts)).collect();
            std::hint::black_box(r);
        });
    }
    Ok(())
}
