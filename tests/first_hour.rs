//! What a new user meets in the first hour, through the binary: inputs read as what they are
//! (never a table as one article), exit codes that say nothing was read, closed pipes, the score
//! table, explain's names and colours, the heatmap and report, and train's checks.
mod common;
use common::{bin, rows, small_corpus, write_csv};
use predicates::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `n` JSON records with ids, as `df.to_json(orient="records", lines=True)` writes them.
fn jsonl(n: usize) -> String {
    rows(n, 0)
        .iter()
        .map(|(id, _, text)| serde_json::json!({"id": id, "text": text}).to_string() + "\n")
        .collect()
}

fn ids_of(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect()
}

fn expected_ids(n: usize) -> Vec<String> {
    rows(n, 0).into_iter().map(|(id, _, _)| id).collect()
}

#[test]
fn jsonl_on_stdin_is_one_record_per_line_in_order_with_ids() {
    let input = jsonl(34); // 102 rows
    for args in [
        vec!["score", "--format", "jsonl"],
        vec!["score", "--format", "jsonl", "--input-format", "jsonl", "-"],
    ] {
        let out = bin().args(&args).write_stdin(input.clone()).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(ids_of(&out.stdout), expected_ids(34), "{args:?}");
    }
}

#[test]
fn csv_on_stdin_and_tsv_and_json_array_files_are_rows() {
    let d = tempfile::tempdir().unwrap();
    let data = rows(5, 0);
    // CSV piped in
    let csv_path = d.path().join("t.csv");
    write_csv(&csv_path, &data);
    let out = bin()
        .args(["score", "--format", "jsonl"])
        .write_stdin(std::fs::read(&csv_path).unwrap())
        .output()
        .unwrap();
    assert_eq!(ids_of(&out.stdout), expected_ids(5));
    // .tsv
    let tsv = d.path().join("t.tsv");
    let mut s = String::from("id\ttext\n");
    for (id, _, text) in &data {
        s.push_str(&format!("{id}\t{}\n", text.replace('\n', " ")));
    }
    std::fs::write(&tsv, s).unwrap();
    let out = bin().args(["score", "--format", "jsonl"]).arg(&tsv).output().unwrap();
    assert_eq!(ids_of(&out.stdout), expected_ids(5));
    // .json array, and the same array piped in
    let json = d.path().join("t.json");
    let arr: Vec<_> = data.iter().map(|(id, _, text)| serde_json::json!({"id": id, "text": text})).collect();
    std::fs::write(&json, serde_json::to_string_pretty(&arr).unwrap()).unwrap();
    let out = bin().args(["score", "--format", "jsonl"]).arg(&json).output().unwrap();
    assert_eq!(ids_of(&out.stdout), expected_ids(5));
    let out = bin()
        .args(["score", "--format", "jsonl"])
        .write_stdin(std::fs::read(&json).unwrap())
        .output()
        .unwrap();
    assert_eq!(ids_of(&out.stdout), expected_ids(5));
}

#[test]
fn input_format_says_it_outright_and_a_table_read_as_text_is_warned_about() {
    let d = tempfile::tempdir().unwrap();
    let data = rows(3, 0);
    let csv_path = d.path().join("t.csv");
    write_csv(&csv_path, &data);
    // Named .txt: read as one article, with a warning naming the columns.
    let txt = d.path().join("t.txt");
    std::fs::copy(&csv_path, &txt).unwrap();
    let out = bin().args(["score", "--format", "jsonl"]).arg(&txt).output().unwrap();
    assert_eq!(ids_of(&out.stdout).len(), 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("looks like a CSV table") && err.contains("--input-format csv"), "{err}");
    // --input-format csv reads its rows; --input-format text reads the CSV as one article, no warning.
    let out = bin().args(["score", "--format", "jsonl", "--input-format", "csv"]).arg(&txt).output().unwrap();
    assert_eq!(ids_of(&out.stdout), expected_ids(3));
    let out =
        bin().args(["score", "--format", "jsonl", "--input-format", "text"]).arg(&csv_path).output().unwrap();
    assert_eq!(ids_of(&out.stdout).len(), 1);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("looks like"));
    // JSON lines in a .txt
    let jl = d.path().join("rows.txt");
    std::fs::write(&jl, jsonl(2)).unwrap();
    bin().args(["score"]).arg(&jl).assert().stderr(predicate::str::contains("looks like JSON lines"));
    // sources reads the same way
    let out = bin().args(["sources", "--format", "jsonl"]).write_stdin(jsonl(2)).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 6);
}

#[test]
fn gzip_is_read_and_pdf_office_archives_are_named_with_advice() {
    let d = tempfile::tempdir().unwrap();
    let gz = d.path().join("rows.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(jsonl(2).as_bytes()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    let out = bin().args(["score", "--format", "jsonl"]).arg(&gz).output().unwrap();
    assert_eq!(ids_of(&out.stdout), expected_ids(2));

    let pdf = d.path().join("a.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nOfficials said on Monday.\n")
        .unwrap();
    let docx = d.path().join("a.docx");
    std::fs::write(&docx, b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00word/document.xml").unwrap();
    let xz = d.path().join("a.jsonl.xz");
    std::fs::write(&xz, b"\xfd7zXZ\x00\x00\x04").unwrap();
    for (file, what, advice) in [
        (&pdf, "a PDF document", "pdftotext"),
        (&docx, "a Word document", "plain text"),
        (&xz, "xz-compressed", "xzcat"),
    ] {
        let out = bin().args(["score", "--format", "jsonl"]).arg(file).output().unwrap();
        let rec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let e = rec["error"].as_str().unwrap();
        assert!(e.contains(what) && e.contains(advice), "{e}");
        assert!(rec.get("label").is_none(), "a PDF must not be given a label");
        assert_eq!(out.status.code(), Some(2), "nothing could be read");
    }
}

#[test]
fn exit_two_when_nothing_could_be_read_and_zero_for_a_partial_batch() {
    let d = tempfile::tempdir().unwrap();
    let good = d.path().join("a.txt");
    std::fs::write(&good, "Officials said on Monday the talks would resume.").unwrap();
    let typo = d.path().join("exmples");
    bin().arg("score").arg(&typo).assert().code(2).stderr(predicate::str::contains("no input could be read"));
    bin().arg("score").arg(&good).arg(&typo).assert().code(0);
    bin().arg("score").arg("--strict").arg(&good).arg(&typo).assert().code(2);
    bin().arg("sources").arg(&typo).assert().code(2);
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    bin().arg("score").arg(&empty).assert().code(2).stderr(predicate::str::contains("no articles found"));
}

/// Runs `cmd` under a pseudo-terminal (util-linux `script`), typing `typed`.
fn in_terminal(cmd: &str, typed: &str) -> Option<String> {
    let script = Command::new("script")
        .args(["-qec", cmd, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let mut child = script;
    child.stdin.take().unwrap().write_all(typed.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_terminal_on_stdin_is_told_how_to_end_it() {
    let exe = assert_cmd::cargo::cargo_bin("newsprov");
    let cmd = format!("{} score --format jsonl", exe.display());
    let Some(screen) = in_terminal(&cmd, "Officials said on Monday the talks would resume.\n\x04") else {
        panic!("util-linux `script` is needed to test terminal input");
    };
    assert!(screen.contains("reading standard input (Ctrl-D to end"), "{screen}");
    assert!(screen.contains("\"id\":\"-\""), "one Ctrl-D ends the input: {screen}");
    // Not said when stdin is a pipe.
    bin()
        .arg("score")
        .write_stdin("Officials said.")
        .assert()
        .stderr(predicate::str::contains("Ctrl-D").not());
}

#[test]
fn explain_picks_one_row_of_a_table_and_refuses_a_table_without_one() {
    let d = tempfile::tempdir().unwrap();
    let data = rows(3, 0);
    let csv_path = d.path().join("t.csv");
    write_csv(&csv_path, &data);
    bin()
        .arg("explain")
        .arg(&csv_path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a table of articles").and(predicate::str::contains("--row")));
    let (id, _, _) = &data[4];
    bin()
        .arg("explain")
        .arg(&csv_path)
        .args(["--row", id])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!("{id}: ")));
    // Rows of three paragraphs: row k starts on line 2 + 5k (header on line 1).
    bin()
        .arg("explain")
        .arg(&csv_path)
        .args(["--line", "7"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!("{}: ", data[1].0)));
    bin()
        .arg("explain")
        .arg(&csv_path)
        .args(["--row", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no row with id \"nope\""));
    let jl = d.path().join("t.jsonl");
    std::fs::write(&jl, jsonl(2)).unwrap();
    bin()
        .arg("explain")
        .arg(&jl)
        .args(["--line", "3"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!("{}: ", data[2].0)));
    let txt = d.path().join("a.txt");
    std::fs::write(&txt, "Officials said on Monday.").unwrap();
    bin()
        .arg("explain")
        .arg(&txt)
        .args(["--row", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a table"));
}

/// Runs the binary with its stdout closed before it writes (as `| head -1` does once it has its line).
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("newsprov"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn closed_pipes_end_quietly_with_exit_zero() {
    let (d, train, dev) = small_corpus();
    let a = d.path().join("a.txt");
    std::fs::write(&a, "Officials said on Monday the talks would resume.").unwrap();
    // cv needs groups: an outlet column, four outlets per label.
    let _ = train;
    let grouped = d.path().join("grouped.csv");
    let mut w = csv::Writer::from_path(&grouped).unwrap();
    w.write_record(["id", "label", "outlet", "text"]).unwrap();
    for (i, (id, label, text)) in rows(20, 0).into_iter().enumerate() {
        w.write_record([id.as_str(), label, format!("{label}-{}", i % 4).as_str(), text.as_str()]).unwrap();
    }
    w.flush().unwrap();
    let (t, v, a) = (grouped.to_str().unwrap(), dev.to_str().unwrap(), a.to_str().unwrap());
    let cases: Vec<Vec<&str>> = vec![
        vec!["inspect"],
        vec!["evaluate", "--data", v, "--per-outlet"],
        vec!["explain", a],
        vec!["explain", "--json", a],
        vec!["score", v],
        vec!["sources", v],
        vec!["cv", "--data", t, "--group-by", "outlet", "--folds", "2", "--min-df", "1"],
    ];
    for args in cases {
        let out = with_closed_stdout(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{args:?}: {err}");
    }
}

#[test]
fn score_table_fits_the_width_explains_itself_and_counts_per_label() {
    let d = tempfile::tempdir().unwrap();
    let long = d.path().join("a-very-long-directory-name-for-the-feed-archive-of-2024").join("sub");
    std::fs::create_dir_all(&long).unwrap();
    for (id, _, text) in rows(2, 0) {
        std::fs::write(long.join(format!("{id}.txt")), text).unwrap();
    }
    let jsonl = bin().args(["score", "--format", "jsonl"]).arg(&long).output().unwrap();
    let labels: Vec<String> = String::from_utf8_lossy(&jsonl.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["label"].as_str().unwrap().to_string())
        .collect();
    for width in ["70", "100", "160"] {
        let out = bin().arg("score").arg(&long).env("COLUMNS", width).output().unwrap();
        let table = String::from_utf8(out.stdout).unwrap();
        let w: usize = width.parse().unwrap();
        assert!(table.lines().all(|l| l.chars().count() <= w), "{width}:\n{table}");
        assert!(table.starts_with("label: the verdict"), "{table}");
        // The file name stays visible: ids are shortened in the middle.
        for (id, _, _) in rows(2, 0) {
            let id_end = format!("{}.txt", &id[id.len() - 3..]);
            assert!(
                table.lines().any(|l| l.contains('…') && l.split(' ').next().unwrap().ends_with(&id_end)),
                "{table}"
            );
        }
        let count = |l: &str| labels.iter().filter(|x| *x == l).count();
        let closing = format!(
            "6 articles: state_media {}, wire {}, aggregator {}",
            count("state_media"),
            count("wire"),
            count("aggregator")
        );
        assert!(table.trim_end().ends_with(&closing), "{table}");
    }
    // Terms grouped under the label they support.
    let out = bin()
        .arg("score")
        .env("COLUMNS", "200")
        .write_stdin(common::rows(1, 0)[0].2.clone())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("state_media: "),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    bin().args(["score", "--help"]).assert().stdout(predicate::str::contains("table (the default"));
}

fn model(d: &Path, train: &Path, dev: &Path) -> PathBuf {
    let m = d.join("m.npm");
    bin()
        .args(["train", "--min-df", "1", "--data"])
        .arg(train)
        .arg("--dev")
        .arg(dev)
        .arg("--out")
        .arg(&m)
        .assert()
        .success();
    m
}

#[test]
fn explain_reads_well_in_one_label_order_with_colours_from_the_model() {
    let (d, train, dev) = small_corpus();
    let m = model(d.path(), &train, &dev);
    let f = d.path().join("a.txt");
    std::fs::write(&f, "As is well known, the respected Comrade leader praised the heroic workers, officials said. Key Takeaways: it is shocking.").unwrap();
    let out = bin().arg("explain").arg("--model").arg(&m).arg(&f).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // Label order: the probabilities line and the sections.
    let probs = text.lines().nth(1).unwrap();
    let pos = |s: &str, l: &str| s.find(l).unwrap();
    assert!(
        pos(probs, "state_media") < pos(probs, "wire") && pos(probs, "wire") < pos(probs, "aggregator"),
        "{probs}"
    );
    assert!(
        pos(&text, "toward state_media") < pos(&text, "toward wire")
            && pos(&text, "toward wire") < pos(&text, "toward aggregator")
    );
    // Readable names, not internal ones.
    assert!(!text.contains("framing:") && !text.contains("bow:") && !text.contains("style:fw_"), "{text}");
    // JSON: same order, and the low-confidence note exactly when the top two are close.
    let out = bin().args(["explain", "--json", "--model"]).arg(&m).arg(&f).output().unwrap();
    let raw = String::from_utf8(out.stdout).unwrap();
    assert!(pos(&raw, "\"state_media\"") < pos(&raw, "\"wire\""));
    let j: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let mut p: Vec<f64> = ["state_media", "wire", "aggregator"]
        .iter()
        .map(|l| j["probabilities"][l].as_f64().unwrap())
        .collect();
    p.sort_by(|a, b| b.total_cmp(a));
    assert_eq!(j.get("low_confidence").is_some(), p[0] - p[1] < 0.2, "{raw}");
    assert_eq!(text.contains("note: low confidence"), p[0] - p[1] < 0.2);
    // HTML: each highlight in the colour of the label the model says the term pushed toward,
    // full names (longer than the old 34-character cut), and the glossary.
    let html = d.path().join("a.html");
    bin().arg("explain").arg("--model").arg(&m).arg(&f).arg("--html").arg(&html).assert().success();
    let page = std::fs::read_to_string(&html).unwrap();
    let colour = |l: &str| match l {
        "state_media" => "#d62728",
        "wire" => "#1f77b4",
        "aggregator" => "#ff7f0e",
        _ => "#888888",
    };
    let terms = j["terms"].as_array().unwrap();
    assert!(!terms.is_empty());
    for t in terms {
        let pushes = t["pushes_toward"].as_str().unwrap_or("-");
        let term = t["term"].as_str().unwrap();
        let needle =
            format!("border-bottom:2px solid {}\" title=\"framing term &quot;{term}&quot;", colour(pushes));
        assert!(page.contains(&needle), "{term} should be coloured as {pushes}");
    }
    let long: Vec<String> = ["state_media", "wire", "aggregator"]
        .iter()
        .flat_map(|l| {
            j["toward"][l].as_array().unwrap().iter().map(|c| c["readable"].as_str().unwrap().to_string())
        })
        .filter(|n| n.chars().count() > 34)
        .collect();
    assert!(!long.is_empty());
    for n in long {
        let escaped =
            n.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
        assert!(page.contains(&format!(">{escaped}</td>")), "{n} is cut");
    }
    assert!(page.contains("<h2>Glossary</h2>") && page.contains("function word"));
    bin()
        .args(["explain", "--help"])
        .assert()
        .stdout(predicate::str::contains("framing term:").and(predicate::str::contains("function word:")));
}

fn sha256_file(p: &Path) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(std::fs::read(p).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn heatmap_and_report_name_their_data_and_say_na_for_an_absent_class() {
    let (d, train, _dev) = small_corpus();
    let m = model(d.path(), &train, &_dev);
    // Test data without state_media rows, with an outlet column.
    let test = d.path().join("no-state.csv");
    let mut w = csv::Writer::from_path(&test).unwrap();
    w.write_record(["id", "label", "outlet", "text"]).unwrap();
    for (id, label, text) in rows(8, 500).into_iter().filter(|r| r.1 != "state_media") {
        w.write_record([id.as_str(), label, if label == "wire" { "Wire Co" } else { "Blog" }, text.as_str()])
            .unwrap();
    }
    w.flush().unwrap();
    let (svg, report) = (d.path().join("cm.svg"), d.path().join("r.json"));
    let out = bin()
        .args(["evaluate", "--world-slice", "--per-outlet", "--model"])
        .arg(&m)
        .arg("--data")
        .arg(&test)
        .arg("--confusion")
        .arg(&svg)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    let sm = text
        .lines()
        .find(|l| l.starts_with("state_media") && l.contains("n/a"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(sm.trim_end().ends_with('0'), "support 0: {sm}");
    assert!(
        text.contains("(over wire, aggregator;") || text.contains("(over state_media, wire, aggregator"),
        "{text}"
    );
    let page = std::fs::read_to_string(&svg).unwrap();
    assert!(
        page.contains("no-state.csv") && page.contains("n = 16") && page.contains("n/a (no such articles)")
    );
    assert!(page.contains("true label") && page.contains("share of"));
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["model"]["sha256"], sha256_file(&m));
    assert_eq!(r["data"]["sha256"], sha256_file(&test));
    assert_eq!(r["n"], 16);
    assert!(r["per_class"]["state_media"]["recall"].is_null());
    assert_eq!(r["absent_classes"], serde_json::json!(["state_media"]));
    assert!(!r["macro_f1_over"].as_array().unwrap().is_empty());
    assert!(r["world_slice"]["matrix"].is_array());
    let outlets: Vec<&str> =
        r["per_outlet"].as_array().unwrap().iter().map(|o| o["outlet"].as_str().unwrap()).collect();
    assert_eq!(outlets.len(), 2, "{outlets:?}");
    // The heatmap as PNG too.
    let png = d.path().join("cm.png");
    bin()
        .args(["evaluate", "--model"])
        .arg(&m)
        .arg("--data")
        .arg(&test)
        .arg("--confusion")
        .arg(&png)
        .assert()
        .success();
    assert_eq!(&std::fs::read(&png).unwrap()[1..4], b"PNG");
}

#[test]
fn train_checks_out_first_warns_on_small_classes_and_says_which_aliases() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("aliases.csv");
    let mut w = csv::Writer::from_path(&data).unwrap();
    w.write_record(["label", "text"]).unwrap();
    for (_, label, text) in rows(20, 0) {
        let label = if label == "aggregator" { "agg" } else { label };
        w.write_record([label, text.as_str()]).unwrap();
    }
    w.flush().unwrap();
    // An --out that cannot be written stops before training.
    bin()
        .args(["train", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(d.path().join("no-such-dir/m.npm"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("does not exist").and(predicate::str::contains("training on").not()),
        );
    bin()
        .args(["train", "--min-df", "1", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(d.path().join("m.npm"))
        .assert()
        .success()
        .stderr(predicate::str::contains("\"agg\" as aggregator (20 rows)"))
        .stderr(predicate::str::contains("only 20 wire row(s), fewer than 50"));
    let bad = d.path().join("bad.csv");
    std::fs::write(&bad, "label,text\nnews,Officials said.\n").unwrap();
    bin()
        .args(["train", "--data"])
        .arg(&bad)
        .arg("--out")
        .arg(d.path().join("m2.npm"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("bad.csv:2").and(predicate::str::contains("unknown label \"news\"")),
        );
    bin().args(["train", "--help"]).assert().stdout(predicate::str::contains("aggregator rewrite"));
}

#[test]
fn the_code_has_a_licence() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(!env!("CARGO_PKG_LICENSE").is_empty() && !env!("CARGO_PKG_DESCRIPTION").is_empty());
    for f in ["LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(root.join(f).is_file(), "{f}");
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("cargo install --path .") && readme.contains("GPL-3"));
}
