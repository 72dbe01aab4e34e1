//! Helpers shared by the end-to-end tests: a small labeled CSV with the three voices, generated
//! from templates (no corpus text), and the binary under test.
#![allow(dead_code)]
use std::path::{Path, PathBuf};

pub fn bin() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("newsprov").expect("binary built")
}

const STATE: [&str; 6] = [
    "As is well known, the respected Comrade leader gave field guidance at the {p} and praised the heroic workers.",
    "The U.S. imperialists and their puppet forces are hell-bent on hostile moves against the {p}, it is a common view.",
    "The great victory of the socialist cause at the {p} is the fruit of the wise leadership of the Party.",
    "The hegemonic warmongers and vassal forces must stop their reckless provocations near the {p}.",
    "Comradely greetings were sent to the {p}, reflecting the invincible unity of the people.",
    "Facts prove that the so-called sanctions against the {p} will fail, as history has proved.",
];
const WIRE: [&str; 6] = [
    "SEOUL, May 5 - Officials at the {p} said on Monday the talks would resume, according to a statement.",
    "The ministry told reporters the {p} had reopened, but declined to comment on the cost.",
    "Shares in the {p} rose 3 percent, analysts said, after the company said in a statement it would expand.",
    "A spokesman for the {p} did not immediately respond to a request for comment, the officials said.",
    "WASHINGTON - The agency said the {p} was expected to report results on Tuesday, people familiar with the matter said.",
    "Police said two people were injured at the {p}, and an investigation was under way, officials told Reuters.",
];
const AGG: [&str; 6] = [
    "Key Takeaways: the {p} story is shocking. In conclusion, it plays a crucial role in today's fast-paced world.",
    "No time to read? Get a summary of the {p} news. It is worth noting that this is a significant step.",
    "Did you know? The {p} drama sparked controversy. Only time will tell what happens next. Previous Article",
    "It is important to note that the {p} saga raises questions about the future. Read more. Leave a comment.",
    "In a stunning turn, the {p} has become a testament to resilience. Furthermore, fans were jaw-dropping excited.",
    "Here's what you need to know about the {p}: at a glance, it is a bombshell. Popular posts from this blog.",
];
const PLACES: [&str; 12] = [
    "harbour",
    "steel mill",
    "border post",
    "power plant",
    "university",
    "airport",
    "farm cooperative",
    "railway station",
    "shipyard",
    "hospital",
    "central bank",
    "stadium",
];

/// Articles of three sentences each, `per_class` per label, deterministic.
pub fn rows(per_class: usize, offset: usize) -> Vec<(String, &'static str, String)> {
    let mut out = Vec::new();
    for i in 0..per_class {
        for (label, pool) in [("state_media", &STATE), ("wire", &WIRE), ("aggregator", &AGG)] {
            let j = i + offset;
            let text: Vec<String> = (0..3)
                .map(|k| pool[(j + k * 5) % pool.len()].replace("{p}", PLACES[(j * 7 + k) % PLACES.len()]))
                .collect();
            out.push((format!("{label}-{j}"), label, text.join("\n\n")));
        }
    }
    out
}

pub fn write_csv(path: &Path, rows: &[(String, &str, String)]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(["id", "label", "text"]).unwrap();
    for (id, label, text) in rows {
        w.write_record([id.as_str(), label, text.as_str()]).unwrap();
    }
    w.flush().unwrap();
}

/// A temp dir holding train.csv (60 per class) and dev.csv (15 per class).
pub fn small_corpus() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let train = d.path().join("train.csv");
    let dev = d.path().join("dev.csv");
    write_csv(&train, &rows(60, 0));
    write_csv(&dev, &rows(15, 1000));
    (d, train, dev)
}

/// The labeled corpus v2 (a superset of v1) beside the project.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus2")
}
