//! Training: labeled articles in, a [`Model`] out. Feature fitting, the solver and the dev
//! evaluation, with no knowledge of the command line.
use crate::corpus::{Article, Label};
use crate::error::Result;
use crate::features::{FeatureParams, FeatureSpace, Lexicon};
use crate::metrics::{ConfusionMatrix, Report};
use crate::model::{FORMAT_VERSION, Model, TrainingSummary};
use crate::progress::Progress;
use crate::solver::{LogisticParams, fit_with_progress};
use linfa::ParamGuard;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub features: FeatureParams,
    pub logistic: LogisticParams,
    pub lexicon: Lexicon,
    /// Where the data came from, recorded in the model.
    pub train_file: String,
    pub train_sha256: String,
    pub dev_file: Option<String>,
    pub skipped_rows: usize,
}

pub fn train(
    articles: &[Article],
    dev: Option<&[Article]>,
    opts: &TrainOptions,
    progress: &dyn Progress,
) -> Result<Model> {
    let params = opts.logistic.clone().check()?;
    opts.features.bow.validate()?;
    let texts: Vec<&str> = articles.iter().map(|a| a.text.as_str()).collect();
    progress.stage("vocabulary", None);
    let features = FeatureSpace::fit(&texts, &opts.features, opts.lexicon.clone())?;
    progress.stage("features", None);
    let x = features.matrix(&texts);
    let y: Vec<usize> = articles.iter().map(|a| a.label.index()).collect();
    progress.stage("fitting", Some(params.max_iter));
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
        },
    };
    if let Some(dev) = dev {
        progress.stage("dev evaluation", None);
        model.summary.dev = Some(evaluate(&model, dev).report());
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
