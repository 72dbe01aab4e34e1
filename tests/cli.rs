//! Each command through the binary: the happy path, the files it writes, and bad input.
mod common;
use common::{bin, small_corpus};
use predicates::prelude::*;

fn train_small(dir: &std::path::Path, train: &std::path::Path, dev: &std::path::Path) -> std::path::PathBuf {
    let model = dir.join("m.npm");
    bin()
        .args(["train", "--data"])
        .arg(train)
        .arg("--dev")
        .arg(dev)
        .arg("--out")
        .arg(&model)
        .args(["--min-df", "1"])
        .assert()
        .success()
        .stderr(predicate::str::contains("training on 180 rows: state_media 60, wire 60, aggregator 60"))
        .stderr(predicate::str::contains("dev: macro-F1"));
    model
}

#[test]
fn help_on_every_command() {
    for cmd in [vec!["--help"], vec!["train", "--help"], vec!["score", "--help"], vec!["evaluate", "--help"]]
    {
        bin().args(&cmd).assert().success().stdout(predicate::str::contains("Usage"));
    }
    bin().args(["train"]).assert().code(2).stderr(predicate::str::contains("--data"));
    bin().args(["frobnicate"]).assert().code(2);
}

#[test]
fn train_score_evaluate_round_trip() {
    let (d, train, dev) = small_corpus();
    let model = train_small(d.path(), &train, &dev);

    // score: jsonl, one record per row, with all three probabilities and the framing terms.
    let out = bin().args(["score", "--format", "jsonl", "--model"]).arg(&model).arg(&dev).output().unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 45);
    let mut right = 0;
    for l in &lines {
        let id = l["id"].as_str().unwrap();
        let p = &l["probabilities"];
        let sum: f64 = ["state_media", "wire", "aggregator"].iter().map(|k| p[k].as_f64().unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-3);
        right += id.starts_with(l["label"].as_str().unwrap()) as usize;
        assert!(l["framing_terms"].as_array().is_some());
    }
    assert!(right >= 43, "{right}/45 right on template data");

    // evaluate: printed matrix, every export format, and the report JSON.
    let cm = |ext: &str| d.path().join(format!("cm.{ext}"));
    let report = d.path().join("report.json");
    let mut cmd = bin();
    cmd.args(["evaluate", "--model"]).arg(&model).arg("--data").arg(&dev);
    for ext in ["csv", "json", "md", "svg", "png"] {
        cmd.arg("--confusion").arg(cm(ext));
    }
    cmd.arg("--report").arg(&report);
    cmd.assert()
        .success()
        .stdout(predicate::str::contains("rows = true label, columns = predicted"))
        .stdout(predicate::str::contains("macro-F1"));
    for ext in ["csv", "json", "md", "svg", "png"] {
        assert!(std::fs::metadata(cm(ext)).unwrap().len() > 50, "{ext}");
    }
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["labels"], serde_json::json!(["state_media", "wire", "aggregator"]));
    assert_eq!(r["n"], 45);
    let total: u64 = r["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap())
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(total, 45);
    for k in ["precision", "recall", "f1", "support"] {
        assert!(r["per_class"]["wire"][k].is_number(), "{k}");
    }
    let csv = std::fs::read_to_string(cm("csv")).unwrap();
    assert!(csv.starts_with("true\\predicted,state_media,wire,aggregator"));
}

#[test]
fn score_formats_and_stdin() {
    let (d, train, dev) = small_corpus();
    let model = train_small(d.path(), &train, &dev);
    let text = "As is well known, the respected Comrade leader praised the heroic workers of the harbour.";
    bin()
        .args(["score", "--format", "csv", "--model"])
        .arg(&model)
        .arg("-")
        .write_stdin(text)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("id,label,state_media,wire,aggregator,framing_terms"))
        .stdout(predicate::str::contains("-,state_media,"));
    bin()
        .args(["score", "--model"])
        .arg(&model)
        .env("COLUMNS", "300")
        .write_stdin(text)
        .assert()
        .success()
        .stdout(predicate::str::contains("state_media: "))
        .stdout(predicate::str::contains("as is well known"));
}

#[test]
fn builtin_model_scores_the_examples() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/examples");
    let out = bin().args(["score", "--format", "jsonl"]).arg(&examples).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let n = String::from_utf8(out.stdout).unwrap().lines().count();
    let files = walk(&examples).len();
    assert_eq!(n, files, "one record per example file");
}

fn walk(p: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(p).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(walk(&p));
        } else if p.extension().is_some_and(|e| e == "txt" || e == "md") {
            v.push(p);
        }
    }
    v
}

#[test]
fn bad_training_data_names_file_line_and_problem() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("m.npm");
    let cases: [(&str, &str); 4] = [
        ("id,label,text\na,wire,fine\nb,opinion,text\n", ":3: unknown label"),
        ("id,label,text\na,wire,fine\nb,wire,   \n", ":3: empty text"),
        ("id,label,body\na,wire,fine\n", "missing column \"text\""),
        ("id,label,text\na,wire,fine\nb,wire\n", ":3: malformed row"),
    ];
    for (i, (csv, msg)) in cases.iter().enumerate() {
        let f = d.path().join(format!("bad{i}.csv"));
        std::fs::write(&f, csv).unwrap();
        bin()
            .args(["train", "--data"])
            .arg(&f)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("bad{i}.csv")))
            .stderr(predicate::str::contains(*msg));
        assert!(!out.exists(), "no model written on bad input");
    }
    let f = d.path().join("utf8.csv");
    std::fs::write(&f, b"id,label,text\na,wire,caf\xe9\n").unwrap();
    bin()
        .args(["train", "--data"])
        .arg(&f)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("utf8.csv:2: invalid UTF-8"));
}

#[test]
fn skip_invalid_trains_on_good_rows_and_says_why() {
    let (d, train, _) = small_corpus();
    let mut text = std::fs::read_to_string(&train).unwrap();
    text.push_str("x1,opinion,some text\nx2,wire,\n");
    std::fs::write(&train, text).unwrap();
    bin()
        .args(["train", "--skip-invalid", "--min-df", "1", "--data"])
        .arg(&train)
        .arg("--out")
        .arg(d.path().join("m.npm"))
        .assert()
        .success()
        .stderr(predicate::str::contains("skipped 2 invalid rows"))
        .stderr(predicate::str::contains("unknown label"));
}

#[test]
fn other_column_names() {
    let d = tempfile::tempdir().unwrap();
    let rows = common::rows(30, 0);
    let f = d.path().join("t.csv");
    let mut w = csv::Writer::from_path(&f).unwrap();
    w.write_record(["class", "body"]).unwrap();
    for (_, l, t) in &rows {
        w.write_record([*l, t.as_str()]).unwrap();
    }
    w.flush().unwrap();
    bin()
        .args(["train", "--text-column", "body", "--label-column", "class", "--min-df", "1", "--data"])
        .arg(&f)
        .arg("--out")
        .arg(d.path().join("m.npm"))
        .assert()
        .success();
}

#[test]
fn damaged_models_are_refused() {
    let (d, train, dev) = small_corpus();
    let model = train_small(d.path(), &train, &dev);
    let bytes = std::fs::read(&model).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated", bytes[..bytes.len() / 2].to_vec(), "truncated"),
        (
            "flipped",
            {
                let mut b = bytes.clone();
                let n = b.len() - 10;
                b[n] ^= 0xff;
                b
            },
            "checksum",
        ),
        (
            "version",
            {
                let mut b = bytes.clone();
                b[8] = 99;
                b
            },
            "format version 99",
        ),
        ("garbage", b"hello world".to_vec(), "not a newsprov model"),
    ];
    for (name, b, msg) in cases {
        let p = d.path().join(format!("{name}.npm"));
        std::fs::write(&p, b).unwrap();
        bin()
            .args(["score", "--model"])
            .arg(&p)
            .arg(&dev)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(msg));
    }
}

#[test]
fn unreadable_inputs_become_error_records() {
    let (d, train, dev) = small_corpus();
    let model = train_small(d.path(), &train, &dev);
    let empty = d.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let good = d.path().join("good.txt");
    std::fs::write(&good, "Officials told reporters the harbour reopened, according to a statement.")
        .unwrap();
    let out = bin()
        .args(["score", "--format", "jsonl", "--model"])
        .arg(&model)
        .arg(&empty)
        .arg("/no/such/file.txt")
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let recs: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(recs.len(), 3, "one record per input");
    assert_eq!(recs[0]["error"], "empty text");
    assert!(recs[1]["error"].as_str().unwrap().contains("No such file"));
    assert!(recs[2]["label"].is_string());
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not score 2"));
    bin().args(["score", "--strict", "--model"]).arg(&model).arg(&empty).arg(&good).assert().code(2);
}

#[test]
fn score_names_cited_outlets_unless_told_not_to() {
    let text = "Pyongyang will respond, KCNA said on Tuesday, according to Reuters.";
    let run = |extra: &[&str]| -> serde_json::Value {
        let out = bin().args(["score", "--format", "jsonl"]).args(extra).write_stdin(text).output().unwrap();
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let with = run(&[]);
    let cited: Vec<&str> = with["sources"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(cited.contains(&"KCNA") && cited.contains(&"Reuters"), "{cited:?}");
    assert!(run(&["--no-sources"]).get("sources").is_none());
}
