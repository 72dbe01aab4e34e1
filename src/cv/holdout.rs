//! Leave one group out: each outlet (or event set) with enough rows is held out in turn, the model
//! is trained on everything else, and the held-out rows are scored. This is the figure that says
//! how newsprov does on an outlet it has never seen; dev, drawn from the same outlets as training,
//! cannot say it.
use crate::calibrate::{ece, fit_temperature};
use crate::corpus::{Article, Label};
use crate::error::{Error, Result};
use crate::metrics::{ConfusionMatrix, Report};
use crate::progress::Progress;
use crate::solver::{argmax, softmax};
use crate::train::{TrainOptions, train};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// A top probability at or above this is "confident"; wrong and confident is the failure that
/// misleads a reader most.
pub const CONFIDENT: f32 = 0.9;

/// One held-out row: its index in the input, true label and the held-out model's logits and
/// (temperature-scaled) probabilities.
#[derive(Debug, Clone, Serialize)]
pub struct HeldOutRow {
    pub index: usize,
    pub group: String,
    pub truth: Label,
    pub logits: [f32; Label::COUNT],
    pub probabilities: [f32; Label::COUNT],
}

impl HeldOutRow {
    pub fn predicted(&self) -> Label {
        Label::ALL[argmax(&self.probabilities)]
    }
    pub fn confidence(&self) -> f32 {
        self.probabilities[argmax(&self.probabilities)]
    }
}

/// What one held-out group got.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    pub group: String,
    /// The group's (majority) true label.
    pub label: Label,
    pub rows: usize,
    pub train_rows: usize,
    /// Share of the group's rows given their true label.
    pub recall: f64,
    /// How many rows got each label.
    pub given: BTreeMap<String, usize>,
    /// Mean top probability of the wrong answers (None when none was wrong).
    pub mean_confidence_wrong: Option<f64>,
    /// Wrong answers with top probability >= [`CONFIDENT`].
    pub confident_wrong: usize,
    /// Temperature used for this fold (fitted on dev rows outside the group, or 1).
    pub temperature: f32,
}

#[derive(Debug, Clone, Serialize)]
pub struct HoldoutResult {
    pub min_rows: usize,
    pub groups: Vec<GroupResult>,
    /// Every held-out row, pooled.
    pub pooled: Report,
    /// Expected calibration error of the pooled held-out probabilities.
    pub ece: f64,
    /// Share of pooled held-out rows that are wrong with top probability >= [`CONFIDENT`].
    pub confident_wrong_share: f64,
    #[serde(skip)]
    pub rows: Vec<HeldOutRow>,
}

impl HoldoutResult {
    /// The temperature that minimises the log-loss of all held-out rows: the softening a model
    /// needs to be honest on outlets it has not seen.
    pub fn held_out_temperature(&self) -> f32 {
        let (z, y): (Vec<_>, Vec<_>) = self.rows.iter().map(|r| (r.logits, r.truth.index())).unzip();
        fit_temperature(&z, &y)
    }

    /// Pooled ECE and wrong-and-confident share if every fold had used temperature `t`.
    pub fn at_temperature(&self, t: f32) -> (f64, f64) {
        let (z, y): (Vec<_>, Vec<_>) = self.rows.iter().map(|r| (r.logits, r.truth.index())).unzip();
        let cw = self
            .rows
            .iter()
            .filter(|r| {
                let p = softmax(r.logits, t);
                let k = argmax(&p);
                k != r.truth.index() && p[k] >= CONFIDENT
            })
            .count();
        (ece(&z, &y, t), cw as f64 / self.rows.len().max(1) as f64)
    }
}

/// Holds out each group of at least `min_rows` rows in turn (groups from `group_of`, smaller
/// groups always train; `only`, when not empty, names the groups to hold out). With `dev`, each fold's temperature is fitted on the dev rows outside
/// the held-out group, as `train --dev` would; otherwise it is 1.
pub fn leave_one_group_out(
    articles: &[Article],
    group_of: &(dyn Fn(&Article) -> String + Sync),
    min_rows: usize,
    only: &[String],
    dev: Option<&[Article]>,
    opts: &TrainOptions,
    progress: &dyn Progress,
) -> Result<HoldoutResult> {
    let groups: Vec<String> = articles.iter().map(group_of).collect();
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    groups.iter().for_each(|g| *sizes.entry(g.as_str()).or_default() += 1);
    let held: Vec<&str> = sizes
        .iter()
        .filter(|(g, n)| **n >= min_rows && (only.is_empty() || only.iter().any(|o| o == *g)))
        .map(|(g, _)| *g)
        .collect();
    if let Some(missing) = only.iter().find(|o| !sizes.contains_key(o.as_str())) {
        return Err(Error::Usage(format!("--hold-out {missing:?}: no such group in the data")));
    }
    if held.is_empty() {
        return Err(Error::Usage(format!("no group has at least {min_rows} rows to hold out")));
    }
    let dev_groups: Vec<String> = dev.unwrap_or(&[]).iter().map(group_of).collect();
    let mut results = Vec::new();
    let mut rows = Vec::new();
    let mut pooled = ConfusionMatrix::default();
    for (n, g) in held.iter().enumerate() {
        progress.note(&format!("holding out {g} ({}/{})", n + 1, held.len()));
        let train_set: Vec<Article> =
            articles.iter().zip(&groups).filter(|(_, h)| h != g).map(|(a, _)| a.clone()).collect();
        let test: Vec<usize> = (0..articles.len()).filter(|&i| groups[i] == *g).collect();
        let model = train(&train_set, None, opts, progress)?;
        let temperature = match dev {
            Some(d) => {
                let keep: Vec<&Article> =
                    d.iter().zip(&dev_groups).filter(|(_, h)| h != g).map(|(a, _)| a).collect();
                let z: Vec<[f32; Label::COUNT]> = keep.par_iter().map(|a| model.logits(&a.text)).collect();
                let y: Vec<usize> = keep.iter().map(|a| a.label.index()).collect();
                fit_temperature(&z, &y)
            }
            None => 1.0,
        };
        let logits: Vec<[f32; Label::COUNT]> =
            test.par_iter().map(|&i| model.logits(&articles[i].text)).collect();
        let mut counts = [0usize; Label::COUNT];
        test.iter().for_each(|&i| counts[articles[i].label.index()] += 1);
        let label = Label::ALL[argmax(&counts.map(|c| c as f32))];
        let (mut right, mut wrong_conf, mut confident_wrong) = (0usize, Vec::new(), 0usize);
        let mut given = BTreeMap::new();
        for (&i, z) in test.iter().zip(&logits) {
            let p = softmax(*z, temperature);
            let row = HeldOutRow {
                index: i,
                group: g.to_string(),
                truth: articles[i].label,
                logits: *z,
                probabilities: p,
            };
            let pred = row.predicted();
            pooled.add(row.truth, pred);
            *given.entry(pred.to_string()).or_insert(0usize) += 1;
            if pred == row.truth {
                right += 1;
            } else {
                wrong_conf.push(row.confidence() as f64);
                confident_wrong += (row.confidence() >= CONFIDENT) as usize;
            }
            rows.push(row);
        }
        results.push(GroupResult {
            group: g.to_string(),
            label,
            rows: test.len(),
            train_rows: train_set.len(),
            recall: right as f64 / test.len() as f64,
            given,
            mean_confidence_wrong: (!wrong_conf.is_empty())
                .then(|| wrong_conf.iter().sum::<f64>() / wrong_conf.len() as f64),
            confident_wrong,
            temperature,
        });
    }
    // Each fold has its own temperature: ECE over the probabilities as each fold gave them
    // (log-probabilities at temperature 1 give them back).
    let y: Vec<usize> = rows.iter().map(|r| r.truth.index()).collect();
    let log_p: Vec<[f32; Label::COUNT]> =
        rows.iter().map(|r| r.probabilities.map(|p| p.max(1e-30).ln())).collect();
    let ece_pooled = ece(&log_p, &y, 1.0);
    let cw = rows.iter().filter(|r| r.predicted() != r.truth && r.confidence() >= CONFIDENT).count();
    Ok(HoldoutResult {
        min_rows,
        groups: results,
        pooled: pooled.report(),
        ece: ece_pooled,
        confident_wrong_share: cw as f64 / rows.len().max(1) as f64,
        rows,
    })
}

/// What `--min-confidence P` would do to the held-out rows at temperature `t` (None: as each
/// fold gave them): the share of wrong answers it turns into "uncertain" and the share of right
/// answers it keeps.
#[derive(Debug, Clone, Serialize)]
pub struct Threshold {
    pub min_confidence: f32,
    pub wrong_caught: f64,
    pub right_kept: f64,
}

impl HoldoutResult {
    pub fn thresholds(&self, t: Option<f32>, levels: &[f32]) -> Vec<Threshold> {
        let conf: Vec<(bool, f32)> = self
            .rows
            .iter()
            .map(|r| {
                let p = t.map_or(r.probabilities, |t| softmax(r.logits, t));
                let k = argmax(&p);
                (k == r.truth.index(), p[k])
            })
            .collect();
        let wrong = conf.iter().filter(|c| !c.0).count().max(1) as f64;
        let right = conf.iter().filter(|c| c.0).count().max(1) as f64;
        levels
            .iter()
            .map(|&m| Threshold {
                min_confidence: m,
                wrong_caught: conf.iter().filter(|c| !c.0 && c.1 < m).count() as f64 / wrong,
                right_kept: conf.iter().filter(|c| c.0 && c.1 >= m).count() as f64 / right,
            })
            .collect()
    }
}

/// Mean recall over held-out groups of one label with at least `min_rows` rows.
pub fn mean_recall(groups: &[GroupResult], label: Label, min_rows: usize) -> Option<f64> {
    let r: Vec<f64> =
        groups.iter().filter(|g| g.label == label && g.rows >= min_rows).map(|g| g.recall).collect();
    (!r.is_empty()).then(|| r.iter().sum::<f64>() / r.len() as f64)
}
