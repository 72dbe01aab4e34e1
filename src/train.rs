//! Training: labeled articles in, a [`Model`] out. Feature fitting, the solver and the dev
//! evaluation, with no knowledge of the command line.
use crate::corpus::{Article, Label};
use crate::error::Result;
use crate::features::{FeatureParams, FeatureSpace, Lexicon};
use crate::metrics::{ConfusionMatrix, Report};
use crate::model::{FORMAT_VERSION, Model, TrainingSummary};
use crate::progress::Progress;
use crate::solver::{LogisticParams, balanced_class_weight, fit_with_progress};
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
    let seed = opts.logistic.clone().check()?.seed;
    let augmented = crate::augment::chrome_copies(articles, opts.augment_chrome, seed, &opts.lexicon);
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
    let linear = fit_with_progress(&params, &x, &y, &|_| progress.advance(1))?;
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
        },
    };
    if let Some(dev) = dev {
        // One pass over dev serves both the metrics (the argmax does not depend on the
        // temperature) and the calibration.
        progress.stage("dev evaluation", None);
        let texts: Vec<&str> = dev.iter().map(|a| a.text.as_str()).collect();
        let logits: Vec<[f32; Label::COUNT]> = texts.par_iter().map(|t| model.logits(t)).collect();
        let cm = ConfusionMatrix::from_pairs(
            dev.iter().zip(&logits).map(|(a, z)| (a.label, Label::ALL[crate::solver::argmax(z)])),
        );
        model.summary.dev = Some(cm.report());
        let y: Vec<usize> = dev.iter().map(|a| a.label.index()).collect();
        let cal = crate::calibrate::calibrate(&logits, &y);
        model.temperature = cal.temperature;
        model.summary.calibration = Some(cal);
    }
    Ok(model)
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
