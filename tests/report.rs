//! `newsprov report` through the binary, on the hand-written same-event sets of
//! data/examples/events/ and small CSVs written here.
mod common;
use common::bin;
use predicates::prelude::*;
use std::path::Path;

fn events_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/examples/events")
}

#[test]
fn report_groups_the_example_events_and_writes_html_json_dot() {
    let d = tempfile::tempdir().unwrap();
    let (html, json, dot) = (d.path().join("r.html"), d.path().join("r.json"), d.path().join("r.dot"));
    bin()
        .arg("report")
        .arg(events_dir())
        .arg("--out")
        .arg(&html)
        .arg("--json")
        .arg(&json)
        .arg("--dot")
        .arg(&dot)
        .assert()
        .success();
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let events = r["events"].as_array().unwrap();
    // each folder is one event, and no event mixes folders
    let mut folders: Vec<Vec<String>> = events
        .iter()
        .map(|e| {
            let mut f: Vec<String> = e["articles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    Path::new(a["id"].as_str().unwrap())
                        .parent()
                        .unwrap()
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            f.dedup();
            f
        })
        .collect();
    folders.sort();
    let want: Vec<Vec<String>> = [
        "china-taiwan-drills",
        "china-us-trade-talks",
        "dprk-missile-launch",
        "iran-nuclear-talks",
        "kim-putin-summit",
    ]
    .iter()
    .map(|s| vec![s.to_string()])
    .collect();
    assert_eq!(folders, want);
    for e in events {
        for a in e["articles"].as_array().unwrap() {
            assert!(a["id"].as_str().unwrap().ends_with(".txt"));
            assert!(["state_media", "wire", "aggregator"].contains(&a["label"].as_str().unwrap()));
            assert!(a["score"]["probabilities"]["wire"].is_number(), "the score record is carried whole");
        }
        for x in e["edges"].as_array().unwrap() {
            assert!(["derived", "cites"].contains(&x["kind"].as_str().unwrap()));
            assert!(x["score"].is_number() && x["from"].is_string() && x["to"].is_string());
        }
    }
    // the kim-putin aggregator rewrite cites state media; the wire report cites KCNA
    let all_edges: Vec<&serde_json::Value> =
        events.iter().flat_map(|e| e["edges"].as_array().unwrap()).collect();
    assert!(all_edges.iter().any(|x| x["kind"] == "cites" && x["from"] == "outlet:KCNA"));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.matches("<svg").count() == events.len());
    assert!(
        !page.contains("http://")
            || page.matches("http://").count() == page.matches("http://www.w3.org/2000/svg").count(),
        "no external assets"
    );
    assert!(!page.contains("<script"));
    let dot = std::fs::read_to_string(&dot).unwrap();
    assert!(dot.starts_with("digraph") && dot.contains("style=dashed"));
    // deterministic
    let json2 = d.path().join("r2.json");
    bin()
        .arg("report")
        .arg(events_dir())
        .arg("--out")
        .arg(d.path().join("r2.html"))
        .arg("--json")
        .arg(&json2)
        .assert()
        .success();
    assert_eq!(std::fs::read(&json).unwrap(), std::fs::read(&json2).unwrap());
    assert_eq!(std::fs::read(&html).unwrap(), std::fs::read(d.path().join("r2.html")).unwrap());
}

#[test]
fn report_takes_events_and_dates_from_a_csv_and_orders_by_date() {
    let d = tempfile::tempdir().unwrap();
    let csv = d.path().join("a.csv");
    let wire = std::fs::read_to_string(events_dir().join("kim-putin-summit/wire.txt")).unwrap();
    let agg = std::fs::read_to_string(events_dir().join("kim-putin-summit/aggregator.txt")).unwrap();
    let state = std::fs::read_to_string(events_dir().join("china-taiwan-drills/state_media.txt")).unwrap();
    let mut w = csv::Writer::from_path(&csv).unwrap();
    w.write_record(["id", "date", "story", "text"]).unwrap();
    w.write_record(["late-agg", "2024-06-20", "summit", &agg]).unwrap();
    w.write_record(["early-wire", "2024-06-19", "summit", &wire]).unwrap();
    w.write_record(["drills", "2024-04-01", "drills", &state]).unwrap();
    w.write_record(["empty", "2024-04-01", "drills", ""]).unwrap();
    w.flush().unwrap();
    let body = std::fs::read_to_string(&csv).unwrap();
    let line = body[..body.find("\nempty,").unwrap()].matches('\n').count() + 2;
    let json = d.path().join("r.json");
    bin()
        .arg("report")
        .arg(&csv)
        .args(["--event-column", "story", "--out"])
        .arg(d.path().join("r.html"))
        .arg("--json")
        .arg(&json)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("a.csv:{line}: empty text")));
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(r["grouping"], "column");
    let summit = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["articles"].as_array().unwrap().len() == 2)
        .unwrap();
    let ids: Vec<&str> =
        summit["articles"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["early-wire", "late-agg"], "date order");
    assert_eq!(summit["first"], serde_json::json!(["early-wire"]));
    assert_eq!(r["skipped"][0]["input"], format!("{}:{line}", csv.display()));
}

#[test]
fn report_bad_usage_and_help() {
    bin().args(["report", "--help"]).assert().success().stdout(predicate::str::contains("--event-column"));
    bin().args(["report", "/no/such/dir/x.txt", "--out", "/tmp/never.html"]).assert().code(2);
    bin()
        .arg("report")
        .arg(events_dir())
        .args(["--threshold", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--threshold"));
    let d = tempfile::tempdir().unwrap();
    let idx = d.path().join("bad.idx");
    std::fs::write(&idx, b"not an index").unwrap();
    bin()
        .arg("report")
        .arg(events_dir())
        .arg("--index")
        .arg(&idx)
        .arg("--out")
        .arg(d.path().join("r.html"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.idx"));
}
