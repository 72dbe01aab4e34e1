use super::args::{CsvArgs, FitArgs, TrainArgs};
use super::bars::Bars;
use newsprov::corpus::{CsvOptions, Label, LabeledSet, read_labeled};
use newsprov::features::{BowParams, FeatureParams, Lexicon, MaskedParams};
use newsprov::solver::LogisticParams;
use newsprov::train::{TrainOptions, file_sha256, train};
use newsprov::{Error, Result};
use std::time::Instant;

/// Below this many rows, a class gets a warning.
const MIN_ROWS_PER_CLASS: usize = 50;

pub fn run(a: TrainArgs) -> Result<i32> {
    let started = Instant::now();
    // Before minutes of training, not after.
    newsprov::atomic::check_writable(&a.out)?;
    let set = read_csv(&a.data, &a.csv)?;
    let counts = set.counts();
    eprintln!(
        "training on {} rows: {}",
        set.articles.len(),
        Label::ALL.iter().map(|l| format!("{l} {}", counts[l.index()])).collect::<Vec<_>>().join(", ")
    );
    for l in Label::ALL {
        let n = counts[l.index()];
        if n < MIN_ROWS_PER_CLASS {
            eprintln!(
                "newsprov: warning: only {n} {l} row(s), fewer than {MIN_ROWS_PER_CLASS}: the model will know \
                 little about {l}, and its scores for it will be unreliable"
            );
        }
    }
    let dev = a.dev.as_ref().map(|p| read_csv(p, &a.csv)).transpose()?;
    let mut opts = fit_options(&a.fit)?;
    opts.train_file = a.data.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    opts.train_sha256 = file_sha256(&a.data)?;
    opts.dev_file = a.dev.as_ref().and_then(|p| p.file_name()).map(|f| f.to_string_lossy().into_owned());
    opts.skipped_rows = set.skipped.len();
    opts.reads_like = true;
    opts.temperature = a.temperature;
    let read_s = started.elapsed();
    let bars = Bars::new();
    let model = train(&set.articles, dev.as_ref().map(|d| d.articles.as_slice()), &opts, &bars)?;
    let timings = bars.timings();
    drop(bars);
    let save_from = Instant::now();
    model.save(&a.out)?;
    let size = std::fs::metadata(&a.out).map(|m| m.len()).unwrap_or(0);
    if a.timings {
        eprintln!("timings (wall):");
        eprintln!("  {:<28} {:>7.2}s", "reading CSV", read_s.as_secs_f64());
        for (name, took, steps) in &timings {
            let steps = if *steps > 0 { format!(" ({steps})") } else { String::new() };
            eprintln!("  {:<28} {:>7.2}s{steps}", name, took.as_secs_f64());
        }
        eprintln!("  {:<28} {:>7.2}s", "writing the model", save_from.elapsed().as_secs_f64());
    }
    if model.summary().augmented_rows > 0 {
        eprintln!(
            "added {} augmented rows (--augment-chrome, --augment-pages, --augment-paragraphs)",
            model.summary().augmented_rows
        );
    }
    eprintln!(
        "wrote {} ({:.1} MB, {} features, {} iterations) in {:.1}s",
        a.out.display(),
        size as f64 / 1e6,
        model.features().n_features(),
        model.linear().iterations,
        started.elapsed().as_secs_f64()
    );
    if let Some(r) = &model.summary().dev {
        eprintln!("dev: macro-F1 {:.4}, accuracy {:.4}, n {}", r.macro_f1, r.accuracy, r.n);
        for (l, s) in Label::ALL.iter().filter_map(|l| r.per_class.get(l.as_str()).map(|s| (l, s))) {
            eprintln!(
                "  {l:<12} precision {:.4} recall {:.4} f1 {:.4} support {}",
                s.precision, s.recall, s.f1, s.support
            );
        }
    }
    if !model.summary().reads_like_dev.is_empty() {
        eprintln!("reads like (house style), top-1 accuracy on dev per outlet:");
        for (o, (n, acc)) in &model.summary().reads_like_dev {
            eprintln!("  {o:<32} {acc:.3} of {n}");
        }
    }
    if let Some(c) = &model.summary().calibration {
        eprintln!(
            "calibration: temperature {:.3}; expected calibration error {:.4} before, {:.4} after (cross-fitted on dev)",
            c.temperature, c.ece_before, c.ece_after
        );
    }
    if let Some(t) = model.summary().held_out_temperature {
        eprintln!("temperature in use: {t:.3} (--temperature, fitted on held-out outlets)");
    }
    Ok(0)
}

/// Reads a labeled CSV and says what `--skip-invalid` left out.
pub fn read_csv(path: &std::path::Path, a: &CsvArgs) -> Result<LabeledSet> {
    let opts = CsvOptions {
        text_column: a.text_column.clone(),
        label_column: a.label_column.clone(),
        skip_invalid: a.skip_invalid,
    };
    let set = read_labeled(path, &opts)?;
    if !set.aliases_used.is_empty() {
        let used: Vec<String> =
            set.aliases_used.iter().map(|(raw, l, n)| format!("{raw:?} as {l} ({n} rows)")).collect();
        eprintln!("{}: label aliases read: {}", path.display(), used.join(", "));
    }
    if !set.skipped.is_empty() {
        let name = path.display();
        let why: Vec<String> = set.skip_summary().iter().map(|(r, n)| format!("{n} {r}")).collect();
        eprintln!("{name}: skipped {} invalid rows ({})", set.skipped.len(), why.join(", "));
        for s in set.skipped.iter().take(5) {
            eprintln!("  {name}:{}: {}", s.line, s.reason);
        }
    }
    Ok(set)
}

/// The library's training options from the command line's.
pub fn fit_options(a: &FitArgs) -> Result<TrainOptions> {
    let lexicon = match &a.lexicon {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?;
            Lexicon::from_csv(&text, &p.display().to_string())?
        }
        None => Lexicon::builtin()?,
    };
    let mut lexicon = lexicon;
    lexicon.voice = !a.no_framing_voice;
    let mut opts = TrainOptions::new(lexicon);
    opts.features = FeatureParams {
        blocks: a.features,
        bow: BowParams { min_df: a.min_df, max_df: a.max_df, max_features: a.max_features },
        style_scale: a.style_scale,
        masked: MaskedParams {
            buckets: a.masked_buckets,
            scale: a.masked_scale,
            max_n: a.masked_max_n,
            ..MaskedParams::default()
        },
    };
    opts.logistic =
        LogisticParams::default().solver(a.solver).l2(a.l2).max_iter(a.max_iter).tol(a.tol).seed(a.seed);
    opts.augment_chrome = a.augment_chrome;
    opts.augment_pages = a.augment_pages;
    opts.augment_paragraphs = a.augment_paragraphs;
    opts.outlet_weight = a.outlet_weight;
    opts.balanced = a.class_weight == "balanced";
    Ok(opts)
}
