use super::args::CvArgs;
use super::bars::Bars;
use newsprov::cv::{GroupBy, cross_validate};
use newsprov::{Error, Result};

pub fn run(a: CvArgs) -> Result<i32> {
    let set = super::train::read_csv(&a.data, &a.csv)?;
    let by: GroupBy = a.group_by.parse().map_err(Error::Usage)?;
    let opts = super::train::fit_options(&a.fit)?;
    let bars = Bars::new();
    let cv = cross_validate(&set.articles, &by, a.folds, &opts, &bars)?;
    drop(bars);
    let folds = &cv.folds;
    println!("{}-fold cross-validation grouped by {}", a.folds, a.group_by);
    println!(
        "{:>4} {:>7} {:>6} {:>9} {:>9} {:>8} {:>8} {:>8}  held-out groups",
        "fold", "train", "test", "macro-F1", "accuracy", "r:state", "r:wire", "r:agg"
    );
    for f in folds {
        let r = |k: &str| f.recall.get(k).map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into());
        let mut groups = f.groups.join(", ");
        if groups.chars().count() > 70 {
            groups =
                format!("{}... ({} groups)", groups.chars().take(66).collect::<String>(), f.groups.len());
        }
        println!(
            "{:>4} {:>7} {:>6} {:>9.4} {:>9.4} {:>8} {:>8} {:>8}  {groups}",
            f.fold,
            f.train_rows,
            f.test_rows,
            f.macro_f1,
            f.accuracy,
            r("state_media"),
            r("wire"),
            r("aggregator")
        );
    }
    let n = folds.len() as f64;
    let mean = folds.iter().map(|f| f.macro_f1).sum::<f64>() / n;
    let sd = (folds.iter().map(|f| (f.macro_f1 - mean).powi(2)).sum::<f64>() / n).sqrt();
    println!("mean of per-fold macro-F1 {mean:.4} (sd {sd:.4})");
    let p = &cv.pooled;
    let recall: Vec<String> = p.per_class.iter().map(|(l, s)| format!("{l} {:.4}", s.recall)).collect();
    println!(
        "pooled out-of-fold: macro-F1 {:.4}, accuracy {:.4}, recall {}",
        p.macro_f1,
        p.accuracy,
        recall.join(", ")
    );
    println!(
        "pooled confusion matrix (rows = true, columns = predicted; state_media, wire, aggregator): {:?}",
        p.matrix
    );
    if let Some(path) = &a.report {
        let json = serde_json::json!({
            "group_by": a.group_by, "folds": folds, "mean_macro_f1": mean, "sd_macro_f1": sd, "pooled": p
        });
        let text = serde_json::to_string_pretty(&json).map_err(|e| Error::Internal(e.to_string()))?;
        newsprov::atomic::write_atomically(path, text.as_bytes())?;
    }
    Ok(0)
}
