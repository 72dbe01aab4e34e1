use super::args::CvArgs;
use super::bars::Bars;
use newsprov::corpus::{Article, Label};
use newsprov::cv::holdout::{CONFIDENT, HoldoutResult, leave_one_group_out, mean_recall};
use newsprov::cv::{GroupBy, cross_validate_groups, group_of, within_group_f1};
use newsprov::{Error, Result};
use std::collections::HashMap;
use std::path::Path;

/// State outlets with fewer rows than this are listed but not counted in the mean recall.
const COUNTED_ROWS: usize = 40;

pub fn run(a: CvArgs) -> Result<i32> {
    let mut articles: Vec<Article> = Vec::new();
    for p in &a.data {
        articles.extend(super::train::read_csv(p, &a.csv)?.articles);
    }
    let by: GroupBy = a.group_by.parse().map_err(Error::Usage)?;
    let groups: Vec<Option<String>> = match by {
        GroupBy::Event => {
            let path = a.events.as_ref().ok_or_else(|| {
                Error::Usage("--group-by event needs --events EVENTS.csv (columns id, event_id)".into())
            })?;
            let map = read_events(path)?;
            let g: Vec<Option<String>> = articles.iter().map(|x| map.get(&x.id).cloned()).collect();
            if g.iter().all(Option::is_none) {
                return Err(Error::input(
                    path.display().to_string(),
                    None,
                    "no id in this file matches a row of --data",
                ));
            }
            g
        }
        GroupBy::Outlet if articles.iter().all(|x| x.outlet.is_empty()) => {
            let names: Vec<String> = a.data.iter().map(|p| p.display().to_string()).collect();
            return Err(Error::input(
                names.join(", "),
                Some(1),
                "--group-by outlet needs an `outlet` column with values, and this data has none",
            ));
        }
        _ => articles.iter().map(|x| Some(group_of(x, &by))).collect(),
    };
    let data_name: String = a.data.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" + ");
    let opts = super::train::fit_options(&a.fit)?;
    if a.leave_one_out {
        let dev = a.dev.as_ref().map(|p| super::train::read_csv(p, &a.csv)).transpose()?;
        let by2 = by.clone();
        let group_fn = move |x: &Article| group_of(x, &by2);
        if by == GroupBy::Event {
            return Err(Error::Usage(
                "--leave-one-out groups by outlet or topic; use --folds with events".into(),
            ));
        }
        let bars = Bars::new();
        let r = leave_one_group_out(
            &articles,
            &group_fn,
            a.min_rows,
            &a.hold_out,
            dev.as_ref().map(|d| d.articles.as_slice()),
            &opts,
            &bars,
        )?;
        drop(bars);
        print_holdout(&r, &a.group_by);
        write_confusions(&a.confusion, &r.pooled.matrix, &data_name)?;
        if let Some(path) = &a.predictions {
            write_predictions(path, &articles, &r)?;
        }
        if let Some(path) = &a.report {
            let t = r.held_out_temperature();
            let (ece_t, cw_t) = r.at_temperature(t);
            let json = serde_json::json!({
                "group_by": a.group_by, "leave_one_out": r,
                "mean_recall": Label::ALL.iter().map(|&l| (l.to_string(), mean_recall(&r.groups, l, COUNTED_ROWS))).collect::<std::collections::BTreeMap<_,_>>(),
                "held_out_temperature": t, "ece_at_held_out_temperature": ece_t,
                "confident_wrong_share_at_held_out_temperature": cw_t,
                "min_confidence": r.thresholds(None, &LEVELS),
                "min_confidence_at_held_out_temperature": r.thresholds(Some(t), &LEVELS),
            });
            write_json(path, &json)?;
        }
        return Ok(0);
    }
    let bars = Bars::new();
    let cv = cross_validate_groups(&articles, &groups, a.folds, &opts, &bars)?;
    drop(bars);
    let folds = &cv.folds;
    println!("{}-fold cross-validation grouped by {}", a.folds, a.group_by);
    println!(
        "{:>4} {:>7} {:>6} {:>9} {:>9} {:>12} {:>12} {:>12}  held-out groups",
        "fold", "train", "test", "macro-F1", "accuracy", "state_media", "wire", "aggregator"
    );
    for f in folds {
        let r = |k: &str| f.recall.get(k).map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into());
        let mut names = f.groups.join(", ");
        if names.chars().count() > 70 {
            names = format!("{}... ({} groups)", names.chars().take(66).collect::<String>(), f.groups.len());
        }
        println!(
            "{:>4} {:>7} {:>6} {:>9.4} {:>9.4} {:>12} {:>12} {:>12}  {names}",
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
    println!("(per-label columns are recall on the held-out fold)");
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
    print_matrix(&p.matrix);
    write_confusions(&a.confusion, &p.matrix, &data_name)?;
    let within = (by == GroupBy::Event).then(|| within_group_f1(&articles, &groups, &cv.predictions));
    if let Some(w) = &within {
        let mean_w = w.values().map(|v| v.1).sum::<f64>() / w.len().max(1) as f64;
        let worst = w.iter().min_by(|x, y| x.1.1.total_cmp(&y.1.1));
        println!("within-event macro-F1 (mean over {} sets): {mean_w:.4}", w.len());
        let cm = matrix_of(&p.matrix);
        println!(
            "all event rows pooled, macro-F1 over the labels they have: {:.4}",
            newsprov::cv::f1_over_true_labels(&cm)
        );
        if let Some((g, (n, f1))) = worst {
            println!("worst set: {g} ({n} rows) macro-F1 {f1:.4}");
        }
    }
    if let Some(path) = &a.report {
        let json = serde_json::json!({
            "group_by": a.group_by, "folds": folds, "mean_macro_f1": mean, "sd_macro_f1": sd, "pooled": p,
            "within_group": within.as_ref().map(|w| w.iter().map(|(g, (n, f))| serde_json::json!({"group": g, "rows": n, "macro_f1": f})).collect::<Vec<_>>()),
        });
        write_json(path, &json)?;
    }
    Ok(0)
}

/// The pooled matrix as `evaluate` prints it.
fn print_matrix(m: &[Vec<u64>]) {
    print!("{}", newsprov::evaluation::render("pooled held-out rows", &matrix_of(m)));
}

fn matrix_of(m: &[Vec<u64>]) -> newsprov::metrics::ConfusionMatrix {
    let mut cm = newsprov::metrics::ConfusionMatrix::default();
    for (i, row) in m.iter().enumerate() {
        for (j, n) in row.iter().enumerate() {
            cm.counts[i][j] = *n;
        }
    }
    cm
}

/// `--confusion` files of the pooled matrix, as `evaluate` writes them.
fn write_confusions(paths: &[std::path::PathBuf], m: &[Vec<u64>], data: &str) -> Result<()> {
    for p in paths {
        newsprov::export::write_confusion_named(&matrix_of(m), p, data)?;
        eprintln!("wrote {}", p.display());
    }
    Ok(())
}

fn print_holdout(r: &HoldoutResult, by: &str) {
    println!("leave-one-{by}-out: each {by} with at least {} rows held out in turn", r.min_rows);
    println!(
        "{:<12} {:<30} {:>6} {:>7}  {:<30} {:>10} {:>9} {:>6}",
        "label", by, "rows", "recall", "given instead", "conf.wrong", "p>=0.9 x", "T"
    );
    let mut groups: Vec<_> = r.groups.iter().collect();
    groups.sort_by(|x, y| x.label.cmp(&y.label).then(y.rows.cmp(&x.rows)));
    for g in groups {
        let instead: Vec<String> = g
            .given
            .iter()
            .filter(|(l, _)| **l != g.label.to_string())
            .map(|(l, n)| format!("{l} {n}"))
            .collect();
        let name: String = g.group.chars().take(30).collect();
        println!(
            "{:<12} {:<30} {:>6} {:>7.3}  {:<30} {:>10} {:>9} {:>6.3}",
            g.label.to_string(),
            name,
            g.rows,
            g.recall,
            if instead.is_empty() { "-".to_string() } else { instead.join(", ") },
            g.mean_confidence_wrong.map(|c| format!("{c:.3}")).unwrap_or_else(|| "-".into()),
            g.confident_wrong,
            g.temperature,
        );
    }
    println!("(recall: share given its own label; conf.wrong: mean top probability of the wrong answers;");
    println!(" p>=0.9 x: wrong answers with top probability >= {CONFIDENT}; T: the fold's temperature)");
    for l in Label::ALL {
        let small: Vec<&str> = r
            .groups
            .iter()
            .filter(|g| g.label == l && g.rows < COUNTED_ROWS)
            .map(|g| g.group.as_str())
            .collect();
        if let Some(m) = mean_recall(&r.groups, l, COUNTED_ROWS) {
            let note = if small.is_empty() {
                String::new()
            } else {
                format!(" (not counted, under {COUNTED_ROWS} rows: {})", small.join(", "))
            };
            println!("mean recall over held-out {l} groups: {m:.4}{note}");
        } else if let Some(m) = mean_recall(&r.groups, l, 0) {
            println!("mean recall over held-out {l} groups: {m:.4} (every one under {COUNTED_ROWS} rows)");
        }
    }
    let p = &r.pooled;
    let recall: Vec<String> = p.per_class.iter().map(|(l, s)| format!("{l} {:.4}", s.recall)).collect();
    println!(
        "pooled held-out rows ({}): macro-F1 {:.4}, accuracy {:.4}, recall {}",
        p.n,
        p.macro_f1,
        p.accuracy,
        recall.join(", ")
    );
    print_matrix(&p.matrix);
    println!(
        "calibration on held-out rows: ECE {:.4}, wrong with p >= {CONFIDENT}: {:.2}% of rows",
        r.ece,
        100.0 * r.confident_wrong_share
    );
    let t = r.held_out_temperature();
    let (e, cw) = r.at_temperature(t);
    println!(
        "  at the temperature fitted on held-out rows ({t:.3}): ECE {e:.4}, wrong with p >= {CONFIDENT}: {:.2}%",
        100.0 * cw
    );
    println!("--min-confidence on held-out rows: wrong answers caught / right answers kept");
    println!("{:>8} {:>22} {:>26}", "P", "as the folds gave them", format!("at temperature {t:.3}"));
    let (a, b) = (r.thresholds(None, &LEVELS), r.thresholds(Some(t), &LEVELS));
    for (x, y) in a.iter().zip(&b) {
        println!(
            "{:>8.2} {:>10.3} / {:<10.3} {:>12.3} / {:<10.3}",
            x.min_confidence, x.wrong_caught, x.right_kept, y.wrong_caught, y.right_kept
        );
    }
}

const LEVELS: [f32; 5] = [0.5, 0.6, 0.7, 0.8, 0.9];

fn write_predictions(path: &Path, articles: &[Article], r: &HoldoutResult) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| Error::Internal(e.to_string());
    w.write_record(["id", "group", "truth", "predicted", "p_state_media", "p_wire", "p_aggregator"])
        .map_err(io)?;
    for row in &r.rows {
        let p = row.probabilities.map(|x| format!("{x:.5}"));
        w.write_record([
            articles[row.index].id.as_str(),
            &row.group,
            row.truth.as_str(),
            row.predicted().as_str(),
            &p[0],
            &p[1],
            &p[2],
        ])
        .map_err(io)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Internal(e.to_string()))?;
    newsprov::atomic::write_atomically(path, &bytes)
}

fn write_json(path: &Path, v: &serde_json::Value) -> Result<()> {
    let text = serde_json::to_string_pretty(v).map_err(|e| Error::Internal(e.to_string()))?;
    newsprov::atomic::write_atomically(path, text.as_bytes())
}

/// `id -> event_id` from a CSV with those two columns (other columns are ignored).
fn read_events(path: &Path) -> Result<HashMap<String, String>> {
    let mut rdr = csv::Reader::from_path(path)
        .map_err(|e| Error::input(path.display().to_string(), None, e.to_string()))?;
    let head =
        rdr.headers().map_err(|e| Error::input(path.display().to_string(), Some(1), e.to_string()))?.clone();
    let col = |name: &str| {
        head.iter().position(|h| h.trim() == name).ok_or_else(|| {
            Error::input(
                path.display().to_string(),
                Some(1),
                format!("no column {name:?} (columns: {})", head.iter().collect::<Vec<_>>().join(", ")),
            )
        })
    };
    let (id, ev) = (col("id")?, col("event_id")?);
    let mut map = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            Error::input(
                path.display().to_string(),
                e.position().map(|p| p.line()),
                format!("malformed row: {e}"),
            )
        })?;
        map.insert(rec.get(id).unwrap_or("").to_string(), rec.get(ev).unwrap_or("").to_string());
    }
    Ok(map)
}
