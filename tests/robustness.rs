//! Bad and hostile input through the binary: every case the robustness issue lists, each with its
//! own generated input. Scoring never stops at one bad input, reports it on stderr and as an
//! `"error"` record, and writes exactly one record per input.
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;

const ARTICLE: &str = "PYONGYANG, May 3 (KCNA) -- The respected Comrade said the imperialists would fail, \
     officials told reporters on Monday. ";

fn newsprov() -> Command {
    Command::cargo_bin("newsprov").unwrap()
}

fn bin_path() -> PathBuf {
    assert_cmd::cargo::cargo_bin("newsprov")
}

struct Run {
    code: i32,
    records: Vec<Value>,
    stderr: String,
}

/// `score --format jsonl` over `inputs` with extra `args`.
fn score(inputs: &[&Path], args: &[&str]) -> Run {
    let out = newsprov()
        .arg("score")
        .args(["--format", "jsonl"])
        .args(args)
        .args(inputs)
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        records: stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn error_of(r: &Value) -> &str {
    r["error"].as_str().unwrap_or_else(|| panic!("expected an error record, got {r}"))
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn empty_whitespace_binary_and_good_files_each_get_one_record() {
    let d = tempfile::tempdir().unwrap();
    let empty = write(d.path(), "empty.txt", "");
    let blank = write(d.path(), "blank.txt", " \n\t\r\n  ");
    let binary = write(d.path(), "blob.txt", [0x7fu8, b'E', b'L', b'F', 0, 0, 1, 2, 0xff, 0xfe, 0]);
    let good = write(d.path(), "good.txt", ARTICLE);
    let r = score(&[&empty, &blank, &binary, &good], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.records.len(), 4);
    assert_eq!(error_of(&r.records[0]), "empty text");
    assert!(error_of(&r.records[1]).contains("only whitespace"));
    assert!(error_of(&r.records[2]).contains("binary"));
    assert!(r.records[3]["label"].is_string());
    for name in ["empty.txt", "blank.txt", "blob.txt"] {
        assert!(r.stderr.contains(name), "stderr names {name}: {}", r.stderr);
    }
    assert!(r.stderr.contains("could not score 3"), "{}", r.stderr);
}

#[test]
fn strict_exits_2_but_still_scores_the_rest() {
    let d = tempfile::tempdir().unwrap();
    let good = write(d.path(), "good.txt", ARTICLE);
    let missing = d.path().join("missing.txt");
    let r = score(&[&missing, &good], &["--strict"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.records.len(), 2);
    assert!(r.records[1]["label"].is_string());
    assert_eq!(score(&[&good], &["--strict"]).code, 0);
}

#[test]
fn invalid_utf8_is_an_error_or_replaced_with_lossy() {
    let d = tempfile::tempdir().unwrap();
    let mut bytes = ARTICLE.as_bytes().to_vec();
    bytes.extend_from_slice(b"caf\xe9 \xc3\x28 end");
    let bad = write(d.path(), "latin1.txt", &bytes);
    let r = score(&[&bad], &[]);
    assert!(error_of(&r.records[0]).contains("invalid UTF-8"));
    assert!(error_of(&r.records[0]).contains("--lossy"));
    let r = score(&[&bad], &["--lossy"]);
    assert!(r.records[0]["label"].is_string(), "{}", r.records[0]);
    // In CSV and JSONL rows too.
    let csv = write(d.path(), "rows.csv", [b"id,text\na,caf\xe9\nb,fine text\n".as_slice()].concat());
    let r = score(&[&csv], &[]);
    assert!(error_of(&r.records[0]).contains("invalid UTF-8"));
    assert!(r.records[1]["label"].is_string());
    assert!(score(&[&csv], &["--lossy"]).records[0]["label"].is_string());
}

#[test]
fn utf16_with_a_bom_is_decoded() {
    let d = tempfile::tempdir().unwrap();
    let le: Vec<u8> =
        [0xff, 0xfe].into_iter().chain(ARTICLE.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let be: Vec<u8> =
        [0xfe, 0xff].into_iter().chain(ARTICLE.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    let utf8 = write(d.path(), "utf8.txt", ARTICLE);
    let le = write(d.path(), "le.txt", le);
    let be = write(d.path(), "be.txt", be);
    let mut csv16 = vec![0xff, 0xfe];
    csv16.extend(format!("id,text\r\nx,\"{ARTICLE}\"\r\n").encode_utf16().flat_map(u16::to_le_bytes));
    let csv16 = write(d.path(), "rows16.csv", csv16);
    let r = score(&[&utf8, &le, &be, &csv16], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let probs: Vec<&Value> = r.records.iter().map(|x| &x["probabilities"]).collect();
    assert!(probs.iter().all(|p| p.is_object()), "{:?}", r.records);
    assert!(probs.iter().all(|p| *p == probs[0]), "UTF-16 text scores as its UTF-8 twin: {probs:?}");
    assert_eq!(r.records[3]["id"], "x");
}

#[test]
fn crlf_csv_with_bom_and_multiline_fields() {
    let d = tempfile::tempdir().unwrap();
    let csv = write(
        d.path(),
        "crlf.csv",
        format!("\u{feff}id,text\r\na,\"{ARTICLE}\r\n\r\nsecond paragraph\"\r\nb,{ARTICLE}\r\n\r\nc,\r\n"),
    );
    let r = score(&[&csv], &[]);
    assert_eq!(r.records.len(), 3);
    assert_eq!(r.records[0]["id"], "a");
    assert_eq!(r.records[1]["id"], "b");
    assert!(r.records[1]["label"].is_string());
    assert_eq!(r.records[2]["id"], "c");
    assert!(error_of(&r.records[2]).contains("empty text"));
}

#[test]
fn csv_without_a_text_column_is_one_error_and_the_rest_go_on() {
    let d = tempfile::tempdir().unwrap();
    let csv = write(d.path(), "notext.csv", "id,body\n1,hello\n2,world\n");
    let good = write(d.path(), "good.txt", ARTICLE);
    let r = score(&[&csv, &good], &[]);
    assert_eq!(r.records.len(), 2);
    let e = error_of(&r.records[0]);
    assert!(e.contains("missing column \"text\"") && e.contains("body"), "{e}");
    assert!(r.records[1]["label"].is_string());
    // Named another way, the column is found.
    let r = score(&[&csv], &["--text-column", "body"]);
    assert_eq!(r.records.len(), 2);
    assert!(r.records.iter().all(|x| x["label"].is_string()));
}

#[test]
fn duplicate_ids_are_scored_and_warned_about() {
    let d = tempfile::tempdir().unwrap();
    let csv = write(d.path(), "dups.csv", format!("id,text\na,{ARTICLE}\nb,{ARTICLE}\na,{ARTICLE}\n"));
    let r = score(&[&csv], &[]);
    assert_eq!(r.code, 0);
    assert_eq!(r.records.len(), 3);
    assert!(r.stderr.contains("duplicate id \"a\""), "{}", r.stderr);
    assert!(r.stderr.contains("1 duplicate id"), "{}", r.stderr);
}

#[test]
fn html_files_are_stripped_to_their_text() {
    let d = tempfile::tempdir().unwrap();
    let page = format!(
        "<!DOCTYPE html><html><head><title>Site</title><style>body {{ color: red }}</style>\
         <script>var imperialists = '<p>glorious</p>'.repeat(100);</script></head>\
         <body><nav><a href=/>Home</a></nav><article><h1>Talks</h1><p>{ARTICLE}</p></article></body></html>"
    );
    let html = write(d.path(), "a.html", &page);
    let htm = write(d.path(), "b.HTM", &page);
    let txt = write(d.path(), "c.txt", format!("Home\n\nTalks\n\n{}", ARTICLE.trim()));
    let scripts_only = write(d.path(), "d.html", "<script>alert(1)</script><style>p{}</style>");
    let r = score(&[&html, &htm, &txt, &scripts_only], &[]);
    assert_eq!(r.records.len(), 4);
    assert_eq!(r.records[0]["probabilities"], r.records[2]["probabilities"], "same text as the plain file");
    assert_eq!(r.records[1]["probabilities"], r.records[2]["probabilities"]);
    assert!(error_of(&r.records[3]).contains("no text left"));
}

#[test]
fn a_directory_of_mixed_files() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    write(p, "1.txt", ARTICLE);
    write(p, "2.md", format!("# Title\n\n{ARTICLE}"));
    write(p, "3.html", format!("<p>{ARTICLE}</p>"));
    write(p, "4.htm", "");
    write(p, "5.txt", [0u8, 159, 146, 150]);
    write(p, "image.png", [0x89u8, b'P', b'N', b'G', 0, 0]);
    write(p, "data.bin", [0u8; 64]);
    write(p, "notes", "no extension");
    std::fs::create_dir(p.join("sub")).unwrap();
    write(&p.join("sub"), "6.txt", ARTICLE);
    let r = score(&[p], &[]);
    assert_eq!(r.code, 0);
    let ids: Vec<String> = r
        .records
        .iter()
        .map(|x| Path::new(x["id"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(ids, ["1.txt", "2.md", "3.html", "4.htm", "5.txt", "6.txt"]);
    assert!(error_of(&r.records[3]).contains("empty"));
    assert!(error_of(&r.records[4]).contains("binary"));
    assert!(r.stderr.contains("left out 3 file(s)"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn symlink_loops_end() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("feeds");
    std::fs::create_dir_all(p.join("a")).unwrap();
    write(&p.join("a"), "x.txt", ARTICLE);
    std::os::unix::fs::symlink(&p, p.join("a").join("up")).unwrap(); // a directory loop
    std::os::unix::fs::symlink(p.join("self.txt"), p.join("self.txt")).unwrap(); // a link to itself
    let r = score(&[&p], &[]);
    assert_eq!(r.records.len(), 2, "{:?}", r.records);
    assert!(r.records[0]["label"].is_string(), "{}", r.records[0]);
    assert!(error_of(&r.records[1]).to_lowercase().contains("symbolic links"), "{}", r.records[1]);
}

#[test]
fn jsonl_bad_lines_are_records_and_long_lines_are_refused_without_being_held() {
    let d = tempfile::tempdir().unwrap();
    let long = "x".repeat(5 << 20);
    let jl = write(
        d.path(),
        "rows.jsonl",
        format!(
            "{{\"id\":\"a\",\"text\":\"{ARTICLE}\"}}\r\nnot json\n\n{{\"id\":\"b\"}}\n{{\"id\":\"c\",\"text\":\"{long}\"}}\n{{\"id\":\"d\",\"text\":\"{ARTICLE}\"}}"
        ),
    );
    let r = score(&[&jl], &["--max-bytes", "1000"]);
    let ids: Vec<&str> = r.records.iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert_eq!(ids[0], "a");
    assert!(error_of(&r.records[1]).contains("invalid JSON"));
    assert!(error_of(&r.records[2]).contains("no field \"text\""));
    assert!(error_of(&r.records[3]).contains("over the"));
    assert_eq!(ids[4], "d");
}

/// Peak resident memory of a child in KiB, through `/usr/bin/time` when it is there.
fn peak_rss_kib(args: &[&str], stdout: Stdio) -> Option<(u64, std::process::ExitStatus)> {
    if !Path::new("/usr/bin/time").exists() {
        return None;
    }
    let d = tempfile::tempdir().unwrap();
    let rss = d.path().join("rss");
    let status = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&rss)
        .arg(bin_path())
        .args(args)
        .stdout(stdout)
        .stderr(Stdio::null())
        .status()
        .ok()?;
    Some((std::fs::read_to_string(&rss).ok()?.trim().lines().last()?.parse().ok()?, status))
}

#[test]
fn a_200_mb_article_is_cut_at_max_bytes_in_bounded_memory() {
    use std::io::Write;
    let d = tempfile::tempdir().unwrap();
    let big = d.path().join("big.txt");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
    let block = ARTICLE.repeat(4096);
    let mut n = 0usize;
    while n < 200 << 20 {
        f.write_all(block.as_bytes()).unwrap();
        n += block.len();
    }
    f.flush().unwrap();
    drop(f);
    // A CSV whose one field is as large, and whose quote never closes.
    let big_csv = d.path().join("big.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&big_csv).unwrap());
    f.write_all(b"id,text\nhuge,\"").unwrap();
    let mut m = 0usize;
    while m < 50 << 20 {
        f.write_all(block.as_bytes()).unwrap();
        m += block.len();
    }
    f.flush().unwrap();
    drop(f);
    let r = score(&[&big, &big_csv], &["--max-bytes", "1000000"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.records.len(), 2);
    assert!(r.records.iter().all(|x| x["truncated"] == true && x["label"].is_string()), "{:?}", r.records);
    assert!(r.stderr.contains("--max-bytes"), "the cut is said on stderr: {}", r.stderr);
    // The table says it too.
    let table = newsprov().args(["score", "--max-bytes", "1000000"]).arg(&big).output().unwrap();
    assert!(String::from_utf8_lossy(&table.stdout).contains("[truncated]"));
    // Memory stays near max_bytes, nowhere near the file's size.
    let (path, csv) = (big.to_str().unwrap(), big_csv.to_str().unwrap());
    if let Some((kib, status)) =
        peak_rss_kib(&["score", "--format", "jsonl", "--max-bytes", "1000000", path, csv], Stdio::null())
    {
        assert!(status.success());
        eprintln!("200 MB article: peak RSS {kib} KiB");
        assert!(kib < 150 * 1024, "peak RSS {kib} KiB");
    }
}

#[test]
fn a_million_row_csv_streams_one_record_per_row() {
    use std::io::{BufRead, Write};
    let d = tempfile::tempdir().unwrap();
    let csv = d.path().join("million.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
    writeln!(f, "id,text").unwrap();
    const N: usize = 1_000_000;
    let words = ["said", "imperialists", "takeaways", "officials", "Monday"];
    for i in 0..N {
        if i % 100_000 == 7 {
            writeln!(f, "r{i},").unwrap(); // an empty text: an error record, not a stop
        } else {
            writeln!(f, "r{i},{} {}", words[i % 5], words[(i / 5) % 5]).unwrap();
        }
    }
    f.flush().unwrap();
    drop(f);
    let out_path = d.path().join("out.csv");
    let out = std::fs::File::create(&out_path).unwrap();
    let started = std::time::Instant::now();
    let (status, kib) = match peak_rss_kib(&["score", "--format", "csv", csv.to_str().unwrap()], out.into()) {
        Some((kib, status)) => (status, Some(kib)),
        None => {
            let out = std::fs::File::create(&out_path).unwrap();
            let s = std::process::Command::new(bin_path())
                .args(["score", "--format", "csv"])
                .arg(&csv)
                .stdout(out)
                .stderr(Stdio::null())
                .status()
                .unwrap();
            (s, None)
        }
    };
    eprintln!("1M rows: {:.1}s, peak RSS {kib:?} KiB", started.elapsed().as_secs_f64());
    assert!(status.success());
    let reader = std::io::BufReader::new(std::fs::File::open(&out_path).unwrap());
    let (mut records, mut errors) = (0usize, 0usize);
    for line in reader.lines().skip(1) {
        let line = line.unwrap();
        records += 1;
        if line.ends_with("empty text") {
            errors += 1;
        }
    }
    assert_eq!(records, N);
    assert_eq!(errors, 10);
    if let Some(kib) = kib {
        assert!(kib < 300 * 1024, "peak RSS {kib} KiB for 1M rows");
    }
}

fn tiny_training_csv(dir: &Path) -> PathBuf {
    let vocab = [
        ("state_media", ["imperialists", "respected", "comrade", "glorious", "hostile", "leader"]),
        ("wire", ["said", "told", "reporters", "officials", "Monday", "according"]),
        ("aggregator", ["takeaways", "click", "trending", "roundup", "subscribe", "recap"]),
    ];
    let mut s = String::from("id,label,text\n");
    let mut x = 12345u64;
    for i in 0..90 {
        let (label, words) = vocab[i % 3];
        let text: Vec<&str> = (0..20)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let k = (x >> 33) as usize;
                if k.is_multiple_of(4) { ["the", "a", "news", "today"][(k >> 3) % 4] } else { words[k % 6] }
            })
            .collect();
        s.push_str(&format!("r{i},{label},\"{}.\"\n", text.join(" ")));
    }
    write(dir, "train.csv", s)
}

fn train(csv: &Path, out: &Path, threads: &str) {
    newsprov()
        .arg("train")
        .arg("--data")
        .arg(csv)
        .arg("--out")
        .arg(out)
        .args(["--min-df", "1", "--seed", "7"])
        .env("RAYON_NUM_THREADS", threads)
        .assert()
        .success();
}

#[test]
fn training_is_byte_identical_on_one_thread_or_many() {
    let d = tempfile::tempdir().unwrap();
    let csv = tiny_training_csv(d.path());
    let (one, two, again) = (d.path().join("one.npm"), d.path().join("two.npm"), d.path().join("again.npm"));
    train(&csv, &one, "1");
    train(&csv, &two, "2");
    train(&csv, &again, "2");
    let bytes = std::fs::read(&one).unwrap();
    assert!(bytes == std::fs::read(&two).unwrap(), "1 thread vs 2 threads");
    assert!(bytes == std::fs::read(&again).unwrap(), "run vs rerun");
    let left: Vec<_> = std::fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 4, "no temporary files left behind: {left:?}");
}

#[test]
fn damaged_and_foreign_model_files_are_refused_clearly() {
    let d = tempfile::tempdir().unwrap();
    let csv = tiny_training_csv(d.path());
    let good = d.path().join("good.npm");
    train(&csv, &good, "2");
    let bytes = std::fs::read(&good).unwrap();
    let article = write(d.path(), "a.txt", ARTICLE);
    let check = |name: &str, data: &[u8], want: &str| {
        let p = write(d.path(), name, data);
        let out = newsprov().arg("score").arg("--model").arg(&p).arg(&article).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(want), "{name}: expected {want:?} in {err}");
        assert!(out.stdout.is_empty(), "{name}: nothing scored with a bad model");
    };
    check("truncated.npm", &bytes[..bytes.len() / 2], "truncated");
    check("header-only.npm", &bytes[..30], "truncated");
    check("empty.npm", b"", "not a newsprov model");
    check("text.npm", b"id,label,text\n", "not a newsprov model");
    let mut altered = bytes.clone();
    let mid = altered.len() / 2;
    altered[mid] ^= 0x01;
    check("altered.npm", &altered, "checksum");
    let mut v2 = bytes.clone();
    v2[8..12].copy_from_slice(&(newsprov::model::FORMAT_VERSION + 1).to_le_bytes());
    check("v2.npm", &v2, "format version");
    let mut padded = bytes.clone();
    padded.extend_from_slice(b"junk");
    check("padded.npm", &padded, "padded");
    // The good one scores.
    newsprov().arg("score").arg("--model").arg(&good).arg(&article).assert().success();
}
