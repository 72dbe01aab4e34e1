//! explain, inspect, cv, calibration and --min-confidence through the binary.
mod common;
use common::{bin, small_corpus};
use predicates::prelude::*;

fn model(dir: &std::path::Path, train: &std::path::Path, dev: &std::path::Path) -> std::path::PathBuf {
    let m = dir.join("m.npm");
    bin()
        .args(["train", "--min-df", "1", "--data"])
        .arg(train)
        .arg("--dev")
        .arg(dev)
        .arg("--out")
        .arg(&m)
        .assert()
        .success()
        .stderr(predicate::str::contains("calibration: temperature"));
    m
}

const STATE_TEXT: &str = "As is well known, the respected Comrade leader praised the heroic workers. The imperialists and their puppet forces tremble.";

#[test]
fn explain_shows_contributions_terms_and_html() {
    let (d, train, dev) = small_corpus();
    let m = model(d.path(), &train, &dev);
    let f = d.path().join("a.txt");
    std::fs::write(&f, STATE_TEXT).unwrap();
    let html = d.path().join("a.html");
    bin()
        .args(["explain", "--model"])
        .arg(&m)
        .arg(&f)
        .arg("--html")
        .arg(&html)
        .assert()
        .success()
        .stdout(predicate::str::contains(": state_media"))
        .stdout(predicate::str::contains("toward state_media"))
        .stdout(predicate::str::contains("framing term \"as is well known\""))
        .stdout(predicate::str::contains("0..16"));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<mark") && page.contains("As is well known</mark>"));
    assert!(page.contains("class=contrib") && page.contains("toward aggregator"));
    let out = bin().args(["explain", "--json", "--top", "3", "--model"]).arg(&m).arg(&f).output().unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["label"], "state_media");
    let top = j["toward"]["state_media"].as_array().unwrap();
    assert!(top.len() <= 3 && !top.is_empty());
    let c = &top[0];
    let (v, w, x) =
        (c["value"].as_f64().unwrap(), c["weight"].as_f64().unwrap(), c["contribution"].as_f64().unwrap());
    assert!((v * w - x).abs() < 1e-5, "contribution is weight x value");
    assert_eq!(j["terms"][0]["start"], 0);
    bin().args(["explain", "--model"]).arg(&m).arg(d.path().join("missing.txt")).assert().code(2);
}

#[test]
fn explain_goes_story_by_story_on_a_digest_page() {
    let digest = concat!(env!("CARGO_MANIFEST_DIR"), "/data/examples/aggregator-inshorts-digest-feed.txt");
    let text = std::fs::read_to_string(digest).unwrap();
    let d = tempfile::tempdir().unwrap();
    let html = d.path().join("d.html");
    let out = bin().args(["explain", "--top", "2", digest, "--html"]).arg(&html).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("a page of 3 stories"), "{stdout}");
    assert!(stdout.contains("=== story 2 of 3: Startup founder returns Rs 2 crore bonus to employees"));
    assert!(
        stdout.contains("credit lines: short by Kabir Mehta / 10:02 am on 3 Mar / read more at India Today")
    );
    // a term's span is printed in the page's offsets, with the page's text at it
    let line = stdout.lines().find(|l| l.contains("officials said") && l.contains("lexicon")).unwrap();
    let span: Vec<usize> =
        line.split_whitespace().next().unwrap().split("..").map(|x| x.parse().unwrap()).collect();
    assert_eq!(&text[span[0]..span[1]], "officials said");
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(page.matches("<h3>Story ").count(), 3);
    let out = bin().args(["explain", "--json", digest]).output().unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let stories = j["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 3);
    assert!(j["toward"]["aggregator"].as_array().unwrap().is_empty(), "the contributions are the stories'");
    let (a, b) =
        (stories[0]["start"].as_u64().unwrap() as usize, stories[0]["end"].as_u64().unwrap() as usize);
    assert!(text[a..b].starts_with("The Delhi Metro") && text[a..b].ends_with("10% discount."));
    assert_eq!(j["label"], "aggregator");
}

#[test]
fn inspect_lists_top_features_per_label() {
    let (d, train, dev) = small_corpus();
    let m = model(d.path(), &train, &dev);
    bin()
        .args(["inspect", "--top", "5", "--model"])
        .arg(&m)
        .assert()
        .success()
        .stdout(predicate::str::contains("strongest features for aggregator"))
        .stdout(predicate::str::contains("temperature"))
        .stdout(predicate::str::contains("lexicon sha256"));
}

#[test]
fn min_confidence_says_uncertain_and_keeps_the_guess() {
    let (d, train, dev) = small_corpus();
    let m = model(d.path(), &train, &dev);
    let out = bin()
        .args(["score", "--format", "jsonl", "--min-confidence", "1.0", "--model"])
        .arg(&m)
        .write_stdin("Something happened somewhere today.")
        .output()
        .unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["label"], "uncertain");
    assert!(j["best_guess"].is_string());
    assert!(j["probabilities"]["wire"].is_number());
    bin().args(["score", "--min-confidence", "1.5", "--model"]).arg(&m).write_stdin("x").assert().code(2);
}

#[test]
fn grouped_cv_keeps_groups_apart() {
    let d = tempfile::tempdir().unwrap();
    let f = outlet_csv(d.path());
    let report = d.path().join("cv.json");
    bin()
        .args([
            "cv",
            "--group-by",
            "outlet",
            "--folds",
            "3",
            "--min-df",
            "1",
            "--augment-chrome",
            "0",
            "--data",
        ])
        .arg(&f)
        .arg("--report")
        .arg(&report)
        .assert()
        .success()
        .stdout(predicate::str::contains("3-fold cross-validation grouped by outlet"))
        .stdout(predicate::str::contains("pooled out-of-fold: macro-F1"));
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let folds = r["folds"].as_array().unwrap();
    assert_eq!(folds.len(), 3);
    let mut seen = std::collections::HashSet::new();
    let mut total = 0;
    for fold in folds {
        total += fold["test_rows"].as_u64().unwrap();
        for g in fold["groups"].as_array().unwrap() {
            assert!(seen.insert(g.as_str().unwrap().to_string()), "group {g} in two folds");
        }
    }
    assert_eq!(total, 120, "every row held out exactly once");
    assert_eq!(seen.len(), 12);
    let pooled: u64 = r["pooled"]["n"].as_u64().unwrap();
    assert_eq!(pooled, 120);
    bin()
        .args(["cv", "--folds", "50", "--data"])
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("groups"));
}

/// A CSV of the template rows with an outlet column: four outlets per label.
fn outlet_csv(dir: &std::path::Path) -> std::path::PathBuf {
    let f = dir.join("t.csv");
    let mut w = csv::Writer::from_path(&f).unwrap();
    w.write_record(["id", "label", "outlet", "text"]).unwrap();
    for (i, (id, label, text)) in common::rows(40, 0).into_iter().enumerate() {
        let outlet = format!("{label}-outlet-{}", i % 4);
        w.write_record([id.as_str(), label, outlet.as_str(), text.as_str()]).unwrap();
    }
    w.flush().unwrap();
    f
}

#[test]
fn leave_one_outlet_out_prints_a_row_per_outlet() {
    let d = tempfile::tempdir().unwrap();
    let f = outlet_csv(d.path());
    let report = d.path().join("loo.json");
    let preds = d.path().join("loo.csv");
    let out = bin()
        .args([
            "cv",
            "--leave-one-out",
            "--min-rows",
            "5",
            "--min-df",
            "1",
            "--augment-chrome",
            "0",
            "--data",
        ])
        .arg(&f)
        .arg("--report")
        .arg(&report)
        .arg("--predictions")
        .arg(&preds)
        .assert()
        .success()
        .stdout(predicate::str::contains("leave-one-outlet-out"))
        .stdout(predicate::str::contains("mean recall over held-out state_media groups"))
        .stdout(predicate::str::contains("wrong with p >= 0.9"))
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for label in ["state_media", "wire", "aggregator"] {
        for k in 0..4 {
            assert!(text.contains(&format!("{label}-outlet-{k}")), "{label}-outlet-{k} missing:\n{text}");
        }
    }
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let groups = r["leave_one_out"]["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 12);
    let rows: u64 = groups.iter().map(|g| g["rows"].as_u64().unwrap()).sum();
    assert_eq!(rows, 120, "every row held out once");
    for g in groups {
        assert_eq!(g["train_rows"].as_u64().unwrap() + g["rows"].as_u64().unwrap(), 120);
    }
    let n_pred = csv::Reader::from_path(&preds).unwrap().records().count();
    assert_eq!(n_pred, 120);
    // Only the groups asked for, and a clear error for one that does not exist.
    bin()
        .args([
            "cv",
            "--leave-one-out",
            "--min-rows",
            "5",
            "--min-df",
            "1",
            "--hold-out",
            "wire-outlet-1",
            "--data",
        ])
        .arg(&f)
        .assert()
        .success()
        .stdout(predicate::str::contains("wire-outlet-1"))
        .stdout(predicate::str::contains("wire-outlet-2").not());
    bin()
        .args(["cv", "--leave-one-out", "--hold-out", "no-such-outlet", "--data"])
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-outlet"));
}

#[test]
fn event_cv_scores_within_each_set() {
    let d = tempfile::tempdir().unwrap();
    let f = outlet_csv(d.path());
    // Ten sets of one state and one wire row each; the rest is background that always trains.
    let events = d.path().join("events.csv");
    let mut w = csv::Writer::from_path(&events).unwrap();
    w.write_record(["event_id", "id"]).unwrap();
    for k in 0..10 {
        w.write_record([format!("set{k}"), format!("state_media-{k}")]).unwrap();
        w.write_record([format!("set{k}"), format!("wire-{k}")]).unwrap();
    }
    w.flush().unwrap();
    let report = d.path().join("ev.json");
    bin()
        .args([
            "cv",
            "--group-by",
            "event",
            "--folds",
            "5",
            "--min-df",
            "1",
            "--augment-chrome",
            "0",
            "--data",
        ])
        .arg(&f)
        .arg("--events")
        .arg(&events)
        .arg("--report")
        .arg(&report)
        .assert()
        .success()
        .stdout(predicate::str::contains("within-event macro-F1 (mean over 10 sets)"));
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["pooled"]["n"].as_u64().unwrap(), 20, "only event rows are tested");
    assert_eq!(r["within_group"].as_array().unwrap().len(), 10);
    bin()
        .args(["cv", "--group-by", "event", "--data"])
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--events"));
}

#[test]
fn cv_writes_confusion_files_and_names_a_missing_outlet_column() {
    let d = tempfile::tempdir().unwrap();
    let f = outlet_csv(d.path());
    let conf = d.path().join("pooled.csv");
    bin()
        .args(["cv", "--folds", "3", "--min-df", "1", "--augment-chrome", "0", "--data"])
        .arg(&f)
        .arg("--confusion")
        .arg(&conf)
        .assert()
        .success()
        .stdout(predicate::str::contains("true \\ predicted"));
    let written = std::fs::read_to_string(&conf).unwrap();
    assert!(written.contains("state_media") && written.lines().count() >= 4, "{written}");
    // No outlet column: said as such, exit 2.
    let (_d2, train, _dev) = small_corpus();
    bin()
        .args(["cv", "--group-by", "outlet", "--data"])
        .arg(&train)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("outlet"));
}
