//! Pins `newsprov trace` on a fixed fixture (tests/fixtures/trace/: short articles written for
//! this test) byte for byte: the index file and the JSONL answers. Any change to tokenizing,
//! features, candidate selection, reranking, passages or near-copy grouping shows here.
//! After an intended change, regenerate with `NEWSPROV_BLESS=1 cargo test --release --test trace_fixture`
//! and say why in the commit.
mod common;
use common::bin;
use sha2::{Digest, Sha256};
use std::path::Path;

const DIR: &str = "tests/fixtures/trace";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn check(name: &str, got: &[u8]) {
    let path = root().join(DIR).join(name);
    if std::env::var_os("NEWSPROV_BLESS").is_some() {
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        want == got,
        "{name} differs from the pinned output:\n--- pinned\n{}\n--- now\n{}",
        String::from_utf8_lossy(&want),
        String::from_utf8_lossy(got)
    );
}

#[test]
fn trace_output_is_pinned() {
    let d = tempfile::tempdir().unwrap();
    let idx = d.path().join("refs.idx");
    bin()
        .current_dir(root())
        .args(["trace", "index", "--corpus", &format!("{DIR}/refs"), "--out"])
        .arg(&idx)
        .assert()
        .success();
    let bytes = std::fs::read(&idx).unwrap();
    let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    check("index.sha256", format!("{digest}  {} bytes\n", bytes.len()).as_bytes());

    for (args, name) in [
        (vec!["--index", idx.to_str().unwrap(), "--format", "jsonl", "--top", "3"], "expected-index.jsonl"),
        (vec!["--corpus", &format!("{DIR}/refs"), "--format", "jsonl"], "expected-corpus.jsonl"),
    ] {
        let out = bin()
            .current_dir(root())
            .arg("trace")
            .args(&args)
            .arg(format!("{DIR}/queries"))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        check(name, &out);
    }
}

/// Every candidate's reranker features and every match (under the threshold too), through the
/// library: pins candidate selection and all 32 features, not only what passes the threshold.
#[test]
fn trace_features_are_pinned() {
    use newsprov::trace::{TraceIndex, TraceParams};
    let read_dir = |d: &str| -> Vec<(String, String)> {
        let mut v: Vec<_> = std::fs::read_dir(root().join(DIR).join(d))
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap())
            })
            .collect();
        v.sort();
        v
    };
    let idx = TraceIndex::build(read_dir("refs"), &TraceParams::default());
    let mut out = String::new();
    for (id, text) in read_dir("queries") {
        out.push_str(&format!("query {id}\n"));
        for (c, x) in idx.candidate_features(&text, |_| false) {
            let xs: Vec<String> = x.iter().map(|v| format!("{:08x}", v.to_bits())).collect();
            out.push_str(&format!("  candidate {c} {}\n", xs.join(" ")));
        }
        for m in idx.query(&text, 10) {
            out.push_str(&format!("  match {}\n", serde_json::to_string(&m).unwrap()));
        }
        for n in idx.near_copies(&id) {
            out.push_str(&format!("  near-copy {n}\n"));
        }
    }
    for (id, _) in read_dir("refs") {
        out.push_str(&format!("near copies of {id}: {:?}\n", idx.near_copies(&id)));
    }
    check("features.txt", out.as_bytes());
}
