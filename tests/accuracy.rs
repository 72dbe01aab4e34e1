//! Accuracy on the shared corpus v2, and the two solvers agreeing. These read ../shared/corpus2.
mod common;
use common::{bin, corpus_dir};
use linfa::ParamGuard;
use newsprov::corpus::{CsvOptions, read_labeled};
use newsprov::features::{FeatureParams, FeatureSpace, Lexicon};
use newsprov::solver::{LogisticParams, SolverKind, argmax, fit_with_progress};

fn corpus(name: &str) -> std::path::PathBuf {
    let p = corpus_dir().join(name);
    assert!(
        p.exists(),
        "{} is missing: the accuracy tests need ../shared/corpus2 beside the project",
        p.display()
    );
    p
}

/// Trains on train.csv through the binary and requires dev macro-F1 >= 0.97.
#[test]
fn dev_macro_f1_at_least_0_97() {
    let d = tempfile::tempdir().unwrap();
    let model = d.path().join("m.npm");
    let report = d.path().join("r.json");
    bin().args(["train", "--data"]).arg(corpus("train.csv")).arg("--out").arg(&model).assert().success();
    bin()
        .args(["evaluate", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(corpus("dev.csv"))
        .arg("--report")
        .arg(&report)
        .assert()
        .success();
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let f1 = r["macro_f1"].as_f64().unwrap();
    eprintln!("dev macro-F1 {f1:.4}");
    assert!(f1 >= 0.97, "dev macro-F1 {f1}");
    for l in ["state_media", "wire", "aggregator"] {
        assert!(r["per_class"][l]["recall"].as_f64().unwrap() >= 0.95, "{l} recall");
    }
}

/// linfa-logistic and the sparse L-BFGS solver, same objective, same data: the same labels on
/// at least 99% of held-out rows.
#[test]
fn sparse_and_linfa_solvers_agree() {
    let opts = CsvOptions::default();
    let train = read_labeled(&corpus("train.csv"), &opts).unwrap().articles;
    let dev = read_labeled(&corpus("dev.csv"), &opts).unwrap().articles;
    // Every 25th row: a small sample of all three classes, dense-friendly.
    let train: Vec<_> = train.into_iter().step_by(25).collect();
    let dev: Vec<_> = dev.into_iter().step_by(5).collect();
    let mut params = FeatureParams::default();
    params.bow.max_features = 3000;
    // The dense solver holds every column: keep the masked block small here.
    params.masked.buckets = 1 << 10;
    let texts: Vec<&str> = train.iter().map(|a| a.text.as_str()).collect();
    let fs = FeatureSpace::fit(&texts, &params, Lexicon::builtin().unwrap()).unwrap();
    let x = fs.matrix(&texts);
    let y: Vec<usize> = train.iter().map(|a| a.label.index()).collect();
    let fit = |s| {
        let p = LogisticParams::default().solver(s).l2(1.0).max_iter(500).tol(1e-8).check().unwrap();
        fit_with_progress(&p, &x, &y, &|_| {}).unwrap()
    };
    let (sparse, dense) = (fit(SolverKind::Sparse), fit(SolverKind::Linfa));
    let dev_texts: Vec<&str> = dev.iter().map(|a| a.text.as_str()).collect();
    let xd = fs.matrix(&dev_texts);
    let mut same = 0;
    for i in 0..xd.nrows() {
        let (idx, val) = xd.row(i);
        let row: Vec<(u32, f32)> = idx.iter().copied().zip(val.iter().copied()).collect();
        same += (argmax(&sparse.logits(&row)) == argmax(&dense.logits(&row))) as usize;
    }
    let share = same as f64 / xd.nrows() as f64;
    eprintln!("solvers agree on {same}/{} held-out rows ({share:.4})", xd.nrows());
    assert!(share >= 0.99, "{share}");
}
