//! Does "cites state media per 1,000 words" help as a style feature? Trains the default pipeline
//! with and without that one extra column and compares dev macro-F1, the world-topic slice and
//! the event examples (data/examples/events/*/LABEL*.txt). The main model is not changed.
//!
//! ```text
//! cargo run --release --example style_sources -- [CORPUS_DIR]
//! ```
use linfa::ParamGuard;
use newsprov::Label;
use newsprov::corpus::{CsvOptions, is_world_topic, read_labeled};
use newsprov::features::{CsrMatrix, FeatureSpace, Lexicon};
use newsprov::metrics::ConfusionMatrix;
use newsprov::solver::{LinearModel, argmax, fit_with_progress};
use newsprov::sources::cites_state_media_rate;
use newsprov::train::TrainOptions;
use rayon::prelude::*;
use std::path::Path;

fn with_column(x: &CsrMatrix, extra: &[f32]) -> CsrMatrix {
    let n = x.ncols();
    CsrMatrix::from_rows(
        n + 1,
        (0..x.nrows()).map(|i| {
            let (idx, val) = x.row(i);
            let mut r: Vec<(u32, f32)> = idx.iter().copied().zip(val.iter().copied()).collect();
            if extra[i] != 0.0 {
                r.push((n as u32, extra[i]));
            }
            r
        }),
    )
}

fn predict(m: &LinearModel, x: &CsrMatrix) -> Vec<Label> {
    (0..x.nrows())
        .into_par_iter()
        .map(|i| {
            let (idx, val) = x.row(i);
            let row: Vec<(u32, f32)> = idx.iter().copied().zip(val.iter().copied()).collect();
            Label::from_index(argmax(&m.logits(&row))).unwrap()
        })
        .collect()
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "../shared/corpus".into());
    let train =
        read_labeled(Path::new(&format!("{dir}/train.csv")), &CsvOptions::default()).unwrap().articles;
    let dev = read_labeled(Path::new(&format!("{dir}/dev.csv")), &CsvOptions::default()).unwrap().articles;
    let mut events: Vec<(Label, String)> = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/examples/events");
    for ev in std::fs::read_dir(&root).unwrap().flatten() {
        for f in std::fs::read_dir(ev.path()).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().to_string();
            let label = Label::ALL.into_iter().find(|l| name.starts_with(l.as_str()));
            if let Some(l) = label {
                events.push((l, std::fs::read_to_string(f.path()).unwrap()));
            }
        }
    }
    let opts = TrainOptions::new(Lexicon::builtin().unwrap());
    let params = opts.logistic.clone().check().unwrap();
    let ttexts: Vec<&str> = train.iter().map(|a| a.text.as_str()).collect();
    let dtexts: Vec<&str> = dev.iter().map(|a| a.text.as_str()).collect();
    let etexts: Vec<&str> = events.iter().map(|e| e.1.as_str()).collect();
    let y: Vec<usize> = train.iter().map(|a| a.label.index()).collect();
    let (fs, x) = FeatureSpace::fit_matrix(&ttexts, &opts.features, opts.lexicon.clone()).unwrap();
    let (xd, xe) = (fs.matrix(&dtexts), fs.matrix(&etexts));
    let rate = |t: &[&str]| -> Vec<f32> { t.par_iter().map(|s| cites_state_media_rate(s)).collect() };
    let (rt, rd, re) = (rate(&ttexts), rate(&dtexts), rate(&etexts));
    for l in Label::ALL {
        let v: Vec<f32> = train.iter().zip(&rt).filter(|(a, _)| a.label == l).map(|(_, r)| *r).collect();
        let cites = v.iter().filter(|r| **r > 0.0).count() as f64 / v.len() as f64;
        println!(
            "train {l}: mean state-media citations per 1k words {:.2}, share citing any {:.3}",
            v.iter().sum::<f32>() / v.len() as f32,
            cites
        );
    }
    let mean = rt.iter().sum::<f32>() / rt.len() as f32;
    let sd = (rt.iter().map(|r| (r - mean).powi(2)).sum::<f32>() / rt.len() as f32).sqrt().max(1e-6);
    let report = |name: &str, pd: &[Label], pe: &[Label]| {
        let all = ConfusionMatrix::from_pairs(dev.iter().map(|a| a.label).zip(pd.iter().copied()));
        let world = ConfusionMatrix::from_pairs(
            dev.iter().zip(pd).filter(|(a, _)| is_world_topic(&a.text)).map(|(a, p)| (a.label, *p)),
        );
        let ev = events.iter().zip(pe).filter(|(e, p)| e.0 == **p).count();
        println!(
            "{name:<34} dev macro-F1 {:.4}  world slice ({} rows) macro-F1 {:.4}  events {ev}/{}",
            all.macro_f1(),
            world.total(),
            world.macro_f1(),
            events.len()
        );
    };
    let base = fit_with_progress(&params, &x, &y, &|_| {}).unwrap();
    report("default features", &predict(&base, &xd), &predict(&base, &xe));
    // the style block's convention: standardised on train, times the style scale
    for scale in [opts.features.style_scale, 1.0] {
        let z = |r: &[f32]| -> Vec<f32> { r.iter().map(|v| (v - mean) / sd * scale).collect() };
        let m = fit_with_progress(&params, &with_column(&x, &z(&rt)), &y, &|_| {}).unwrap();
        let pd = predict(&m, &with_column(&xd, &z(&rd)));
        let pe = predict(&m, &with_column(&xe, &z(&re)));
        report(&format!("+ cites-state-media (scale {scale})"), &pd, &pe);
    }
}
