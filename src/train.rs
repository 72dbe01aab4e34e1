//! Training: labeled articles in, a [`Model`] out. Feature fitting, the solver and the dev
//! evaluation, with no knowledge of the command line.
use crate::corpus::{Article, Label};
use crate::error::Result;
use crate::features::{FeatureParams, FeatureSpace, Lexicon};
use crate::metrics::{ConfusionMatrix, Report};
use crate::model::{FORMAT_VERSION, Model, TrainingSummary};
use crate::progress::Progress;
use crate::solver::{LogisticParams, balanced_class_weight, fit_weighted};
use linfa::ParamGuard;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// How to train.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Feature blocks and their options.
    pub features: FeatureParams,
    /// Solver options.
    pub logistic: LogisticParams,
    /// The framing lexicon.
    pub lexicon: Lexicon,
    /// Where the data came from, recorded in the model.
    pub train_file: String,
    /// The training file's sha256, recorded in the model.
    pub train_sha256: String,
    /// The dev file's name, recorded in the model.
    pub dev_file: Option<String>,
    /// Rows skipped as invalid, recorded in the model.
    pub skipped_rows: usize,
    /// Share of aggregator rows to copy with page chrome and summary blocks added (0 = none).
    pub augment_chrome: f64,
    /// Weight the loss inversely to class frequency.
    pub balanced: bool,
    /// Share of wire rows dressed in real page chrome (see [`crate::augment::page_copies`]).
    pub augment_pages: f64,
    /// Share of rows of several paragraphs copied as one ([`crate::augment::paragraph_copies`]).
    pub augment_paragraphs: f64,
    /// Outlet balance power (see [`outlet_weights`]); 1 = off.
    pub outlet_weight: f64,
    /// Fit house-style centroids ([`crate::reads_like`]).
    pub reads_like: bool,
    /// Use this temperature instead of the one fitted on dev: the one `cv --leave-one-out`
    /// fits on outlets held out, for probabilities that stay honest on outlets never seen.
    pub temperature: Option<f32>,
}

impl TrainOptions {
    /// Defaults for a run on in-memory articles (tests, cross-validation).
    pub fn new(lexicon: Lexicon) -> Self {
        TrainOptions {
            features: FeatureParams::default(),
            logistic: LogisticParams::default(),
            lexicon,
            train_file: String::new(),
            train_sha256: String::new(),
            dev_file: None,
            skipped_rows: 0,
            augment_chrome: 0.0,
            balanced: false,
            augment_pages: 0.0,
            augment_paragraphs: 0.0,
            outlet_weight: 1.0,
            reads_like: false,
            temperature: None,
        }
    }
}

/// Trains a model on `articles`; with `dev`, fits the temperature and records dev metrics.
pub fn train(
    articles: &[Article],
    dev: Option<&[Article]>,
    opts: &TrainOptions,
    progress: &dyn Progress,
) -> Result<Model> {
    if !(0.0..=1.0).contains(&opts.augment_chrome) {
        return Err(crate::error::Error::Usage(format!(
            "--augment-chrome must be a share in [0, 1], got {}",
            opts.augment_chrome
        )));
    }
    if !(0.0..=1.0).contains(&opts.augment_pages) {
        return Err(crate::error::Error::Usage(format!(
            "--augment-pages must be a share in [0, 1], got {}",
            opts.augment_pages
        )));
    }
    if !(0.0..=1.0).contains(&opts.augment_paragraphs) {
        return Err(crate::error::Error::Usage(format!(
            "--augment-paragraphs must be a share in [0, 1], got {}",
            opts.augment_paragraphs
        )));
    }
    if !(0.0..=1.0).contains(&opts.outlet_weight) {
        return Err(crate::error::Error::Usage(format!(
            "--outlet-weight must be in [0, 1], got {}",
            opts.outlet_weight
        )));
    }
    let seed = opts.logistic.clone().check()?.seed;
    let mut augmented = crate::augment::chrome_copies(articles, opts.augment_chrome, seed, &opts.lexicon);
    augmented.extend(crate::augment::page_copies(articles, opts.augment_pages, seed));
    augmented.extend(crate::augment::paragraph_copies(articles, opts.augment_paragraphs, seed));
    let all: Vec<&Article> = articles.iter().chain(augmented.iter()).collect();
    let mut counts = [0usize; Label::COUNT];
    all.iter().for_each(|a| counts[a.label.index()] += 1);
    let class_weight = if opts.balanced { balanced_class_weight(&counts) } else { [1.0; Label::COUNT] };
    let params = opts.logistic.clone().class_weight(class_weight).check()?;
    opts.features.bow.validate()?;
    let texts: Vec<&str> = all.iter().map(|a| a.text.as_str()).collect();
    progress.stage("vocabulary and features", None);
    // One tokenizing pass for the vocabulary and the rows (same result as fit, then matrix).
    let (features, x) = FeatureSpace::fit_matrix(&texts, &opts.features, opts.lexicon.clone())?;
    let y: Vec<usize> = all.iter().map(|a| a.label.index()).collect();
    // Ticks once per objective evaluation; L-BFGS makes one or more per iteration.
    progress.stage("fitting (evaluations)", None);
    let weights = (opts.outlet_weight < 1.0).then(|| outlet_weights(&all, opts.outlet_weight));
    let linear = fit_weighted(&params, &x, &y, weights.as_deref(), &|_| progress.advance(1))?;
    let house_style = if opts.reads_like {
        let outlets: Vec<&str> = articles.iter().map(|a| a.outlet.as_str()).collect();
        crate::reads_like::HouseStyle::fit(&features, &x, &outlets)
    } else {
        None
    };
    drop(x);
    let mut rows_per_class = BTreeMap::new();
    for l in Label::ALL {
        rows_per_class.insert(l.to_string(), articles.iter().filter(|a| a.label == l).count());
    }
    let mut model = Model {
        format_version: FORMAT_VERSION,
        crate_version: env!("CARGO_PKG_VERSION").to_string(),
        labels: Label::ALL.iter().map(|l| l.to_string()).collect(),
        features,
        linear,
        temperature: 1.0,
        feature_params: opts.features.clone(),
        logistic_params: params,
        summary: TrainingSummary {
            rows_per_class,
            skipped_rows: opts.skipped_rows,
            train_file: opts.train_file.clone(),
            train_sha256: opts.train_sha256.clone(),
            dev_file: opts.dev_file.clone(),
            dev: None,
            calibration: None,
            augmented_rows: augmented.len(),
            class_weight,
            reads_like_dev: BTreeMap::new(),
            held_out_temperature: None,
        },
        house_style,
    };
    if let Some(t) = opts.temperature
        && !(t.is_finite() && t > 0.0)
    {
        return Err(crate::error::Error::Usage(format!("--temperature must be > 0, got {t}")));
    }
    if let Some(dev) = dev {
        // One pass over dev serves both the metrics (the argmax does not depend on the
        // temperature) and the calibration.
        progress.stage("dev evaluation", None);
        let texts: Vec<&str> = dev.iter().map(|a| a.text.as_str()).collect();
        let (logits, sims): (Vec<[f32; Label::COUNT]>, Vec<Option<Vec<f32>>>) = texts
            .par_iter()
            .map(|t| {
                let f = model.features.extract(t);
                let sim = model.house_style.as_ref().map(|h| h.similarities(&model.features, &f.row));
                (model.linear.logits(&f.row), sim)
            })
            .unzip();
        if let Some(h) = model.house_style.as_mut() {
            let held: Vec<(Vec<f32>, Option<usize>)> = dev
                .iter()
                .zip(sims)
                .filter_map(|(a, s)| s.map(|s| (s, h.outlets.iter().position(|o| *o == a.outlet))))
                .collect();
            h.calibrate(&held);
            model.summary.reads_like_dev = h.top1_by_outlet(&held);
        }
        let cm = ConfusionMatrix::from_pairs(
            dev.iter().zip(&logits).map(|(a, z)| (a.label, Label::ALL[crate::solver::argmax(z)])),
        );
        model.summary.dev = Some(cm.report());
        let y: Vec<usize> = dev.iter().map(|a| a.label.index()).collect();
        let cal = crate::calibrate::calibrate(&logits, &y);
        model.temperature = cal.temperature;
        model.summary.calibration = Some(cal);
    }
    if let Some(t) = opts.temperature {
        model.temperature = t;
        model.summary.held_out_temperature = Some(t);
    }
    Ok(model)
}

/// Outlets with fewer rows than this are pooled per class for [`outlet_weights`].
pub const SMALL_OUTLET: usize = 20;

/// A loss weight per row: (rows of its outlet)^(power - 1), scaled so each class's weights sum
/// to its row count (class balance is left to `--class-weight`). At power 0.5 an outlet counts
/// by the square root of its size, so KCNA (3,664 rows) weighs as much as 60 rows, not 3,664
/// rows, of Xinhua's 427. Outlets under [`SMALL_OUTLET`] rows count as one per class.
pub fn outlet_weights(rows: &[&Article], power: f64) -> Vec<f64> {
    let mut size: BTreeMap<(Label, &str), usize> = BTreeMap::new();
    rows.iter().for_each(|a| *size.entry((a.label, a.outlet.as_str())).or_default() += 1);
    let mut pooled: BTreeMap<Label, usize> = BTreeMap::new();
    for ((l, _), n) in &size {
        if *n < SMALL_OUTLET {
            *pooled.entry(*l).or_default() += n;
        }
    }
    let group_size = |a: &Article| {
        let n = size[&(a.label, a.outlet.as_str())];
        if n < SMALL_OUTLET { pooled[&a.label] } else { n }
    };
    let raw: Vec<f64> = rows.iter().map(|a| (group_size(a) as f64).powf(power - 1.0)).collect();
    let mut sum = [0f64; Label::COUNT];
    let mut count = [0usize; Label::COUNT];
    for (a, w) in rows.iter().zip(&raw) {
        sum[a.label.index()] += w;
        count[a.label.index()] += 1;
    }
    rows.iter().zip(raw).map(|(a, w)| w * count[a.label.index()] as f64 / sum[a.label.index()]).collect()
}

/// Confusion matrix of the model on labeled articles.
pub fn evaluate(model: &Model, articles: &[Article]) -> ConfusionMatrix {
    let texts: Vec<&str> = articles.iter().map(|a| a.text.as_str()).collect();
    let preds = model.predict_many(&texts);
    ConfusionMatrix::from_pairs(articles.iter().zip(&preds).map(|(a, p)| (a.label, p.label)))
}

/// Report for a slice of the articles chosen by `keep`.
pub fn evaluate_where(model: &Model, articles: &[Article], keep: impl Fn(&Article) -> bool) -> Report {
    let subset: Vec<Article> = articles.iter().filter(|a| keep(a)).cloned().collect();
    evaluate(model, &subset).report()
}

/// sha256 of a file's bytes, as hex.
pub fn file_sha256(path: &std::path::Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| crate::error::Error::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(|e| crate::error::Error::io(path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(label: Label, outlet: &str) -> Article {
        Article {
            id: String::new(),
            label,
            text: String::new(),
            title: String::new(),
            outlet: outlet.into(),
            date: String::new(),
            line: 0,
        }
    }

    /// Power 0 gives every outlet the same total weight in its class, power 1 every row; class
    /// totals stay at their row counts; small outlets are pooled.
    #[test]
    fn outlet_weights_balance_outlets_within_a_class() {
        let mut rows: Vec<Article> = Vec::new();
        rows.extend((0..300).map(|_| art(Label::StateMedia, "KCNA")));
        rows.extend((0..30).map(|_| art(Label::StateMedia, "Xinhua")));
        rows.extend((0..5).map(|_| art(Label::StateMedia, "tiny")));
        rows.extend((0..50).map(|_| art(Label::Wire, "Reuters")));
        let refs: Vec<&Article> = rows.iter().collect();
        let total = |w: &[f64], o: &str| -> f64 {
            refs.iter().zip(w).filter(|(a, _)| a.outlet == o).map(|x| x.1).sum()
        };
        let w0 = outlet_weights(&refs, 0.0);
        assert!((total(&w0, "KCNA") - total(&w0, "Xinhua")).abs() < 1e-6);
        assert!((total(&w0, "KCNA") + total(&w0, "Xinhua") + total(&w0, "tiny") - 335.0).abs() < 1e-6);
        assert!((total(&w0, "Reuters") - 50.0).abs() < 1e-9);
        let w1 = outlet_weights(&refs, 1.0);
        assert!(w1.iter().all(|w| (w - 1.0).abs() < 1e-12));
        let half = outlet_weights(&refs, 0.5);
        let ratio = total(&half, "KCNA") / total(&half, "Xinhua");
        assert!((ratio - 10f64.sqrt()).abs() < 1e-6, "{ratio}");
    }
}
