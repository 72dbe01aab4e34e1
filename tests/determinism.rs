//! Parallel and single-threaded runs give the same bytes: the model file from `train` and the
//! output of `score`, through the binary with RAYON_NUM_THREADS=1 and 2. The generated corpus is
//! larger than one vocabulary-counting chunk, one counting wave's merge, one solver row chunk
//! and one scoring batch, so every partition boundary is crossed.
mod common;
use common::{bin, rows, write_csv};

#[test]
fn one_thread_and_two_threads_give_identical_model_and_scores() {
    let d = tempfile::tempdir().unwrap();
    let train = d.path().join("train.csv");
    let dev = d.path().join("dev.csv");
    // Vary the texts a little more than the templates do, with non-ASCII and odd spacing.
    let mut tr = rows(600, 0);
    for (i, r) in tr.iter_mut().enumerate() {
        if i % 7 == 0 {
            r.2.push_str(&format!(" “Quoted” café no. {i}…  Done."));
        }
    }
    write_csv(&train, &tr);
    write_csv(&dev, &rows(250, 5000));
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let model = d.path().join(format!("m{threads}.npm"));
        bin()
            .env("RAYON_NUM_THREADS", threads)
            .args(["train", "--max-iter", "25", "--data"])
            .arg(&train)
            .arg("--dev")
            .arg(&dev)
            .arg("--out")
            .arg(&model)
            .assert()
            .success();
        let scored = bin()
            .env("RAYON_NUM_THREADS", threads)
            .args(["score", "--format", "jsonl", "--model"])
            .arg(&model)
            .arg(&dev)
            .output()
            .unwrap();
        assert!(scored.status.success());
        outputs.push((std::fs::read(&model).unwrap(), scored.stdout));
    }
    assert!(outputs[0].0 == outputs[1].0, "model bytes differ between 1 and 2 threads");
    assert!(outputs[0].1 == outputs[1].1, "scores differ between 1 and 2 threads");
    assert_eq!(String::from_utf8_lossy(&outputs[0].1).lines().count(), 750);
}
