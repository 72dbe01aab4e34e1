//! Grouped cross-validation: no outlet (or topic, or event) sits on both sides of a split, so the
//! score says how the model does on outlets and topics it has never seen. [`holdout`] holds out
//! one outlet at a time.
pub mod holdout;

use crate::corpus::{Article, Label};
use crate::error::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// What to keep together in one fold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupBy {
    Outlet,
    /// The CSV's topic, or else a coarse topic from keywords ([`derive_topic`]).
    Topic,
    /// A same-event set (`event_id` of an events file); rows in no set always train.
    Event,
}

impl std::str::FromStr for GroupBy {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "outlet" => Ok(GroupBy::Outlet),
            "topic" => Ok(GroupBy::Topic),
            "event" => Ok(GroupBy::Event),
            _ => Err(format!("unknown grouping {s:?} (expected outlet, topic or event)")),
        }
    }
}

const TOPICS: &[(&str, &[&str])] = &[
    ("world", crate::corpus::WORLD_TOPIC_TERMS),
    (
        "us_politics",
        &[
            "Trump",
            "Obama",
            "Clinton",
            "Congress",
            "Senate",
            "Republican",
            "Democrat",
            "White House",
            "election",
            "campaign",
            "Biden",
        ],
    ),
    (
        "economy",
        &[
            "percent",
            "shares",
            "market",
            "oil",
            "bank",
            "trade",
            "tonnes",
            "prices",
            "earnings",
            "dividend",
            "crude",
            "economy",
            "inflation",
        ],
    ),
    (
        "health",
        &[
            "vaccine", "virus", "health", "hospital", "cancer", "COVID", "disease", "patients", "doctors",
            "medical",
        ],
    ),
    (
        "entertainment",
        &[
            "actor",
            "actress",
            "film",
            "movie",
            "singer",
            "star",
            "celebrity",
            "album",
            "Hollywood",
            "show",
            "fans",
        ],
    ),
    (
        "sport",
        &["match", "team", "season", "coach", "league", "championship", "cricket", "football", "player"],
    ),
];

/// A coarse topic from keyword counts: the topic with most hits (at least two), else "other".
/// World topics win outright, as in the corpus README's slice.
pub fn derive_topic(text: &str) -> &'static str {
    if crate::corpus::is_world_topic(text) {
        return "world";
    }
    let mut best = ("other", 1usize);
    for (name, words) in &TOPICS[1..] {
        let hits: usize = words.iter().map(|w| text.matches(w).count()).sum();
        if hits > best.1 {
            best = (name, hits);
        }
    }
    best.0
}

/// The group of an article for outlet and topic grouping (events come from a file: see
/// [`cross_validate_groups`]).
pub fn group_of(a: &Article, by: &GroupBy) -> String {
    match by {
        GroupBy::Outlet if !a.outlet.is_empty() => a.outlet.clone(),
        GroupBy::Outlet => "(no outlet)".into(),
        GroupBy::Topic => derive_topic(&a.text).to_string(),
        GroupBy::Event => String::new(),
    }
}

/// Assigns whole groups to `k` folds so that each fold's class mix stays close to the whole
/// set's, as scikit-learn's `StratifiedGroupKFold` does: groups with the most lopsided class mix
/// first, each to the fold where the spread of per-class shares across folds grows least (ties:
/// the smaller fold, then the lower index). Returns each row's fold.
pub fn assign_folds(groups: &[String], labels: &[Label], k: usize) -> Result<Vec<usize>> {
    if k < 2 {
        return Err(Error::Usage("--folds must be at least 2".into()));
    }
    let mut counts: BTreeMap<&str, [usize; Label::COUNT]> = BTreeMap::new();
    for (g, l) in groups.iter().zip(labels) {
        counts.entry(g.as_str()).or_default()[l.index()] += 1;
    }
    if counts.len() < k {
        return Err(Error::Usage(format!("only {} groups for {k} folds", counts.len())));
    }
    let mut total = [0usize; Label::COUNT];
    labels.iter().for_each(|l| total[l.index()] += 1);
    let spread = |c: &[usize; Label::COUNT]| {
        let n: usize = c.iter().sum();
        let shares: Vec<f64> = c.iter().map(|&x| x as f64 / n.max(1) as f64).collect();
        let mean = shares.iter().sum::<f64>() / shares.len() as f64;
        shares.iter().map(|s| (s - mean).powi(2)).sum::<f64>()
    };
    let mut order: Vec<(&str, [usize; Label::COUNT])> = counts.into_iter().collect();
    order.sort_by(|a, b| spread(&b.1).total_cmp(&spread(&a.1)).then(a.0.cmp(b.0)));
    let mut fold_counts = vec![[0usize; Label::COUNT]; k];
    let mut fold_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (g, c) in order {
        let cost = |f: usize| -> f64 {
            // Mean over classes of the std across folds of each fold's share of that class.
            (0..Label::COUNT)
                .filter(|&l| total[l] > 0)
                .map(|l| {
                    let shares: Vec<f64> = (0..k)
                        .map(|j| (fold_counts[j][l] + if j == f { c[l] } else { 0 }) as f64 / total[l] as f64)
                        .collect();
                    let m = shares.iter().sum::<f64>() / k as f64;
                    (shares.iter().map(|s| (s - m).powi(2)).sum::<f64>() / k as f64).sqrt()
                })
                .sum()
        };
        let size = |f: usize| fold_counts[f].iter().sum::<usize>();
        let best = (0..k)
            .min_by(|&a, &b| cost(a).total_cmp(&cost(b)).then(size(a).cmp(&size(b))).then(a.cmp(&b)))
            .unwrap_or(0);
        for l in 0..Label::COUNT {
            fold_counts[best][l] += c[l];
        }
        fold_of.insert(g, best);
    }
    Ok(groups.iter().map(|g| fold_of[g.as_str()]).collect())
}

#[derive(Debug, Clone, Serialize)]
pub struct FoldResult {
    pub fold: usize,
    pub groups: Vec<String>,
    pub train_rows: usize,
    pub test_rows: usize,
    pub macro_f1: f64,
    pub accuracy: f64,
    /// Recall per label on the held-out fold (absent labels are left out).
    pub recall: BTreeMap<String, f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_never_split_and_folds_balance() {
        let groups: Vec<String> =
            ["a", "a", "a", "b", "b", "c", "d", "d", "e"].iter().map(|s| s.to_string()).collect();
        let labels: Vec<Label> = [0, 0, 0, 1, 1, 2, 0, 1, 2].iter().map(|&i| Label::ALL[i]).collect();
        let f = assign_folds(&groups, &labels, 2).unwrap();
        for i in 0..groups.len() {
            for j in 0..groups.len() {
                if groups[i] == groups[j] {
                    assert_eq!(f[i], f[j]);
                }
            }
        }
        assert!(f.contains(&0) && f.contains(&1));
        assert_eq!(f, assign_folds(&groups, &labels, 2).unwrap(), "deterministic");
        assert!(assign_folds(&groups, &labels, 6).is_err());
        assert!(assign_folds(&groups, &labels, 1).is_err());
    }

    #[test]
    fn topics() {
        assert_eq!(derive_topic("Kim Jong Un visited"), "world");
        assert_eq!(derive_topic("The actress and her film fans"), "entertainment");
        assert_eq!(derive_topic("nothing much here"), "other");
    }
}

/// Per-fold results, and the pooled out-of-fold verdicts: every article labeled by the model
/// that never saw its group. With grouped folds a fold may hold one class only (one outlet), where
/// a per-fold macro-F1 means little; the pooled matrix is the figure to quote.
#[derive(Debug, Clone, Serialize)]
pub struct CvResult {
    pub folds: Vec<FoldResult>,
    pub pooled: crate::metrics::Report,
    /// Each row's out-of-fold label (None for rows never tested).
    #[serde(skip)]
    pub predictions: Vec<Option<Label>>,
}

/// Trains on all folds but one and evaluates on that one, for each fold in turn.
pub fn cross_validate(
    articles: &[Article],
    by: &GroupBy,
    k: usize,
    opts: &crate::train::TrainOptions,
    progress: &dyn crate::progress::Progress,
) -> Result<CvResult> {
    let groups: Vec<Option<String>> = articles.iter().map(|a| Some(group_of(a, by))).collect();
    cross_validate_groups(articles, &groups, k, opts, progress)
}

/// [`cross_validate`] with the groups given; a row whose group is `None` is in every training
/// split and never tested (the background of an events file).
pub fn cross_validate_groups(
    articles: &[Article],
    groups: &[Option<String>],
    k: usize,
    opts: &crate::train::TrainOptions,
    progress: &dyn crate::progress::Progress,
) -> Result<CvResult> {
    let mut pooled = crate::metrics::ConfusionMatrix::default();
    let tested: Vec<usize> = (0..articles.len()).filter(|&i| groups[i].is_some()).collect();
    let names: Vec<String> = tested.iter().map(|&i| groups[i].clone().unwrap_or_default()).collect();
    let labels: Vec<Label> = tested.iter().map(|&i| articles[i].label).collect();
    let assigned = assign_folds(&names, &labels, k)?;
    let mut folds = vec![usize::MAX; articles.len()];
    for (&i, &f) in tested.iter().zip(&assigned) {
        folds[i] = f;
    }
    let mut results = Vec::new();
    let mut predictions = vec![None; articles.len()];
    for f in 0..k {
        progress.note(&format!("fold {}/{k}", f + 1));
        let train_rows: Vec<Article> =
            articles.iter().zip(&folds).filter(|(_, g)| **g != f).map(|(a, _)| a.clone()).collect();
        let test_idx: Vec<usize> = (0..articles.len()).filter(|&i| folds[i] == f).collect();
        let test: Vec<Article> = test_idx.iter().map(|&i| articles[i].clone()).collect();
        let model = crate::train::train(&train_rows, None, opts, progress)?;
        let texts: Vec<&str> = test.iter().map(|a| a.text.as_str()).collect();
        let preds = model.predict_many(&texts);
        let cm = crate::metrics::ConfusionMatrix::from_pairs(
            test.iter().zip(&preds).map(|(a, p)| (a.label, p.label)),
        );
        for (&i, p) in test_idx.iter().zip(&preds) {
            predictions[i] = Some(p.label);
        }
        for (i, row) in cm.counts.iter().enumerate() {
            for (j, n) in row.iter().enumerate() {
                pooled.counts[i][j] += n;
            }
        }
        let mut fold_groups: Vec<String> = test_idx.iter().filter_map(|&i| groups[i].clone()).collect();
        fold_groups.sort();
        fold_groups.dedup();
        let recall = Label::ALL
            .iter()
            .filter(|&&l| cm.support(l) > 0)
            .map(|&l| (l.to_string(), cm.recall(l)))
            .collect();
        results.push(FoldResult {
            fold: f + 1,
            groups: fold_groups,
            train_rows: train_rows.len(),
            test_rows: test.len(),
            macro_f1: cm.macro_f1(),
            accuracy: cm.accuracy(),
            recall,
        });
    }
    Ok(CvResult { folds: results, pooled: pooled.report(), predictions })
}

/// Macro-F1 inside each group, averaged over the labels the group's rows truly have (an event set
/// of Xinhua and AP rows: state_media and wire; a row called aggregator still costs its label's
/// recall), for the rows that were tested: within one set the topic is fixed, so only the writing
/// can decide.
pub fn within_group_f1(
    articles: &[Article],
    groups: &[Option<String>],
    predictions: &[Option<Label>],
) -> BTreeMap<String, (usize, f64)> {
    let mut per: BTreeMap<String, crate::metrics::ConfusionMatrix> = BTreeMap::new();
    for ((a, g), p) in articles.iter().zip(groups).zip(predictions) {
        if let (Some(g), Some(p)) = (g, p) {
            per.entry(g.clone()).or_default().add(a.label, *p);
        }
    }
    per.into_iter().map(|(g, cm)| (g, (cm.total() as usize, f1_over_true_labels(&cm)))).collect()
}

/// Mean F1 over the labels that occur in truth (a label only predicted counts through the
/// others' precision and recall, not as a zero of its own).
pub fn f1_over_true_labels(cm: &crate::metrics::ConfusionMatrix) -> f64 {
    let present: Vec<Label> = Label::ALL.into_iter().filter(|&l| cm.support(l) > 0).collect();
    present.iter().map(|&l| cm.f1(l)).sum::<f64>() / present.len().max(1) as f64
}
