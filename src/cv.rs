//! Grouped cross-validation: no outlet (or topic) sits on both sides of a split, so the score
//! says how the model does on outlets and topics it has never seen.
use crate::corpus::Article;
use crate::error::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// What to keep together in one fold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupBy {
    Outlet,
    /// The CSV's topic, or else a coarse topic from keywords ([`derive_topic`]).
    Topic,
}

impl std::str::FromStr for GroupBy {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "outlet" => Ok(GroupBy::Outlet),
            "topic" => Ok(GroupBy::Topic),
            _ => Err(format!("unknown grouping {s:?} (expected outlet or topic)")),
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

pub fn group_of(a: &Article, by: &GroupBy) -> String {
    match by {
        GroupBy::Outlet if !a.outlet.is_empty() => a.outlet.clone(),
        GroupBy::Outlet => "(no outlet)".into(),
        GroupBy::Topic => derive_topic(&a.text).to_string(),
    }
}

/// Assigns whole groups to `k` folds, largest group first to the smallest fold (ties: lower
/// fold), so folds are as even as the groups allow. Returns each row's fold.
pub fn assign_folds(groups: &[String], k: usize) -> Result<Vec<usize>> {
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for g in groups {
        *sizes.entry(g.as_str()).or_default() += 1;
    }
    if k < 2 {
        return Err(Error::Usage("--folds must be at least 2".into()));
    }
    if sizes.len() < k {
        return Err(Error::Usage(format!("only {} groups for {k} folds", sizes.len())));
    }
    let mut order: Vec<(&str, usize)> = sizes.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut fold_size = vec![0usize; k];
    let mut fold_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (g, n) in order {
        let f = (0..k).min_by_key(|&f| (fold_size[f], f)).unwrap_or(0);
        fold_size[f] += n;
        fold_of.insert(g, f);
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
        let f = assign_folds(&groups, 2).unwrap();
        for i in 0..groups.len() {
            for j in 0..groups.len() {
                if groups[i] == groups[j] {
                    assert_eq!(f[i], f[j]);
                }
            }
        }
        let n0 = f.iter().filter(|&&x| x == 0).count();
        assert!((4..=5).contains(&n0), "{n0}");
        assert!(assign_folds(&groups, 6).is_err());
        assert!(assign_folds(&groups, 1).is_err());
    }

    #[test]
    fn topics() {
        assert_eq!(derive_topic("Kim Jong Un visited"), "world");
        assert_eq!(derive_topic("The actress and her film fans"), "entertainment");
        assert_eq!(derive_topic("nothing much here"), "other");
    }
}

/// Trains on all folds but one and evaluates on that one, for each fold in turn.
pub fn cross_validate(
    articles: &[Article],
    by: &GroupBy,
    k: usize,
    opts: &crate::train::TrainOptions,
    progress: &dyn crate::progress::Progress,
) -> Result<Vec<FoldResult>> {
    let groups: Vec<String> = articles.iter().map(|a| group_of(a, by)).collect();
    let folds = assign_folds(&groups, k)?;
    let mut results = Vec::new();
    for f in 0..k {
        progress.note(&format!("fold {}/{k}", f + 1));
        let pick = |held_out: bool| -> Vec<Article> {
            articles
                .iter()
                .zip(&folds)
                .filter(|(_, g)| (**g == f) == held_out)
                .map(|(a, _)| a.clone())
                .collect()
        };
        let (train, test) = (pick(false), pick(true));
        let model = crate::train::train(&train, None, opts, progress)?;
        let cm = crate::train::evaluate(&model, &test);
        let mut fold_groups: Vec<String> =
            groups.iter().zip(&folds).filter(|(_, g)| **g == f).map(|(n, _)| n.clone()).collect();
        fold_groups.sort();
        fold_groups.dedup();
        let recall = crate::corpus::Label::ALL
            .iter()
            .filter(|&&l| cm.support(l) > 0)
            .map(|&l| (l.to_string(), cm.recall(l)))
            .collect();
        results.push(FoldResult {
            fold: f + 1,
            groups: fold_groups,
            train_rows: train.len(),
            test_rows: test.len(),
            macro_f1: cm.macro_f1(),
            accuracy: cm.accuracy(),
            recall,
        });
    }
    Ok(results)
}
