//! `newsprov serve`'s JSON API over HTTP: every route, its records against the CLI's, bad input
//! (400/413/415/422, never 500) and the safety rules (token, Host check, body caps, no disk
//! reads, security headers, stalled clients). Only loopback addresses.
mod common;
mod serve_util;

use serde_json::{Value, json};
use serve_util::{Server, csv_head, request, shared_dev_csv};
use std::io::Write;
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

fn bin() -> assert_cmd::Command {
    common::bin()
}

/// JSON lines a CLI command prints, parsed.
fn cli_jsonl(args: &[&str]) -> Vec<Value> {
    let out = bin().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

const XINHUA: &str = "BEIJING, March 3 (Xinhua) -- Chinese President Xi Jinping said on Monday that the \
    country will uphold peace, according to Xinhua. Officials told reporters the talks would resume.";

#[test]
fn health_model_and_page_assets() {
    let s = Server::start(&[]);
    let h = s.get("/healthz");
    assert_eq!(h.status, 200);
    assert_eq!(h.json()["status"], "ok");
    let m = s.get("/api/model").json();
    assert_eq!(m["labels"], json!(["state_media", "wire", "aggregator"]));
    assert!(m["features"].as_u64().unwrap() > 0);
    assert!(m["trace_index"].is_null());
    assert_eq!(m["source"], "built-in");

    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    let html = page.text();
    assert!(html.contains("<script src=\"/app.js\" defer></script>") && !html.contains("<script>"));
    assert!(!html.contains("http://") && !html.contains("https://"), "no remote assets");
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval")
    );
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert!(s.get("/app.js").header("content-type").unwrap().starts_with("text/javascript"));
    assert!(s.get("/app.css").header("content-type").unwrap().starts_with("text/css"));
    assert!(s.get("/app.js").text().contains("/api/score"));
}

#[test]
fn score_records_are_exactly_the_clis() {
    let d = tempfile::tempdir().unwrap();
    // Real articles from the shared dev set, and generated ones: a CSV file for the CLI and the API.
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["id", "text"]).unwrap();
    let mut dev = csv::Reader::from_path(shared_dev_csv()).unwrap();
    let (id_col, text_col) = {
        let h = dev.headers().unwrap();
        (h.iter().position(|c| c == "id").unwrap(), h.iter().position(|c| c == "text").unwrap())
    };
    for rec in dev.records().take(40) {
        let rec = rec.unwrap();
        w.write_record([&rec[id_col], &rec[text_col]]).unwrap();
    }
    for (id, _, text) in common::rows(5, 7) {
        w.write_record([id, text]).unwrap();
    }
    let csv = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let path = d.path().join("articles.csv");
    std::fs::write(&path, &csv).unwrap();
    let p = path.to_str().unwrap();
    let s = Server::start(&[]);
    for (min_conf, sources) in [(0.0, true), (0.9, false)] {
        let mut args = vec![
            "score",
            "--format",
            "jsonl",
            "--min-confidence",
            if min_conf > 0.0 { "0.9" } else { "0" },
            p,
        ];
        if !sources {
            args.push("--no-sources");
        }
        let cli = cli_jsonl(&args);
        assert_eq!(cli.len(), 55);
        let r = s.post_json(
            "/api/score",
            &json!({"files": [{"name": "articles.csv", "content": csv}], "min_confidence": min_conf, "sources": sources}),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["records"].as_array().unwrap(), &cli, "min_confidence {min_conf}");
        if min_conf > 0.0 {
            assert!(
                cli.iter().any(|r| r["label"] == "uncertain" && r["best_guess"].is_string()),
                "some uncertain"
            );
        }
    }
    // One article given as id + text is the record of the same text read from a file.
    let f = d.path().join("x.txt");
    std::fs::write(&f, XINHUA).unwrap();
    let fp = f.to_str().unwrap();
    let cli = cli_jsonl(&["score", "--format", "jsonl", fp]);
    let api = s.post_json("/api/score", &json!({"articles": [{"id": fp, "text": XINHUA}]})).json();
    assert_eq!(api["records"][0], cli[0]);
    assert!(cli[0]["sources"].as_array().unwrap().iter().any(|x| x == "Xinhua"));
}

#[test]
fn texts_html_files_order_and_error_records() {
    let s = Server::start(&["--max-bytes", "2000"]);
    let long = format!("{XINHUA} {}", "More words follow here. ".repeat(200));
    let r = s.post_json("/api/score", &json!({"texts": [XINHUA, "   ", long, "nul\u{0}byte"]})).json();
    let recs = r["records"].as_array().unwrap();
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["1", "2", "3", "4"]);
    assert!(recs[0]["label"].is_string());
    assert!(recs[1]["error"].as_str().unwrap().contains("empty"), "{}", recs[1]);
    assert_eq!(recs[2]["truncated"], true);
    assert!(recs[3]["error"].as_str().unwrap().contains("binary"));
    // HTML files lose their markup, JSONL files give one record per line.
    let html = format!("<html><body><nav>Home</nav><p>{XINHUA}</p><script>var x = 1;</script></body></html>");
    let r = s
        .post_json(
            "/api/score",
            &json!({"files": [
                {"name": "page.html", "content": html},
                {"name": "rows.jsonl", "content": format!("{{\"id\":\"j1\",\"text\":\"{XINHUA}\"}}\n{{\"id\":\"j2\",\"text\":\"Police said two people were hurt.\"}}\n")},
            ]}),
        )
        .json();
    let ids: Vec<&str> = r["records"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["page.html", "j1", "j2"]);
    let via_text =
        s.post_json("/api/score", &json!({"articles": [{"id": "page.html", "text": XINHUA}]})).json();
    assert_eq!(r["records"][0]["label"], via_text["records"][0]["label"]);
}

#[test]
fn explain_sources_and_their_cli_counterparts() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("x.txt");
    std::fs::write(&f, XINHUA).unwrap();
    let fp = f.to_str().unwrap();
    let s = Server::start(&[]);
    let e = s.post_json("/api/explain", &json!({"articles": [{"id": "x", "text": XINHUA}], "top": 5})).json();
    assert_eq!(e["id"], "x");
    assert_eq!(e["text"], XINHUA);
    let cli: Value =
        serde_json::from_slice(&bin().args(["explain", "--json", "--top", "5", fp]).output().unwrap().stdout)
            .unwrap();
    assert_eq!(e["explanation"], cli, "the explanation is `explain --json`'s");
    // Every feature shown has a readable description; framing term spans lie in the text.
    for cs in e["explanation"]["toward"].as_object().unwrap().values() {
        for c in cs.as_array().unwrap() {
            let desc = e["glossary"][c["feature"].as_str().unwrap()].as_str().unwrap();
            assert!(!desc.is_empty());
        }
    }
    for t in e["explanation"]["terms"].as_array().unwrap() {
        let (a, b) = (t["start"].as_u64().unwrap() as usize, t["end"].as_u64().unwrap() as usize);
        assert!(XINHUA.get(a..b).is_some());
    }
    // `id` picks the article; an unknown id is a 422.
    let two = json!({"articles": [{"id": "a", "text": XINHUA}, {"id": "b", "text": "Police said two were hurt."}], "id": "b"});
    assert_eq!(s.post_json("/api/explain", &two).json()["id"], "b");
    let r = s.post_json("/api/explain", &json!({"texts": ["x"], "id": "nope"}));
    assert_eq!(r.status, 422);
    assert!(r.error().contains("nope"));
    let r = s.post_json("/api/explain", &json!({"texts": [""]}));
    assert_eq!(r.status, 422);
    assert!(r.error().contains("empty"));

    let api = s.post_json("/api/sources", &json!({"articles": [{"id": fp, "text": XINHUA}]})).json();
    let cli = cli_jsonl(&["sources", "--format", "jsonl", fp]);
    assert_eq!(api["records"].as_array().unwrap(), &cli);
    assert!(!cli[0]["attributions"].as_array().unwrap().is_empty());
}

#[test]
fn trace_with_and_without_an_index() {
    let d = tempfile::tempdir().unwrap();
    let refs = d.path().join("refs.csv");
    common::write_csv(&refs, &common::rows(10, 0));
    let idx = d.path().join("refs.idx");
    let out = bin()
        .args(["trace", "index", "--corpus", refs.to_str().unwrap(), "--out", idx.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let without = Server::start(&[]);
    let r = without.post_json("/api/trace", &json!({"texts": [XINHUA]}));
    assert_eq!(r.status, 422);
    assert!(r.error().contains("--index"));

    let s = Server::start(&["--index", idx.to_str().unwrap()]);
    assert_eq!(s.get("/api/model").json()["trace_index"]["references"], 30);
    let queries = d.path().join("q.csv");
    let mut rows = common::rows(2, 0);
    rows.push(("unrelated".into(), "wire", XINHUA.to_string()));
    common::write_csv(&queries, &rows);
    let content = std::fs::read_to_string(&queries).unwrap();
    let cli = cli_jsonl(&[
        "trace",
        "--format",
        "jsonl",
        "--index",
        idx.to_str().unwrap(),
        queries.to_str().unwrap(),
    ]);
    let api = s.post_json("/api/trace", &json!({"files": [{"name": "q.csv", "content": content}]})).json();
    assert_eq!(api["records"].as_array().unwrap(), &cli);
    assert_eq!(cli[0]["match"], true);
    let r = s.post_json("/api/trace", &json!({"texts": [XINHUA], "top": 0}));
    assert_eq!(r.status, 422);
}

#[test]
fn evaluate_matches_the_cli_report() {
    let d = tempfile::tempdir().unwrap();
    let dev = d.path().join("dev.csv");
    let text = csv_head(&shared_dev_csv(), 150);
    std::fs::write(&dev, &text).unwrap();
    let report = d.path().join("report.json");
    let out = bin()
        .args(["evaluate", "--data", dev.to_str().unwrap(), "--report", report.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let s = Server::start(&[]);
    let r = s.post("/api/evaluate?name=dev.csv", "text/csv", text.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    let mut e = r.json();
    // The CLI's report also names the model and the data file; the table is the same.
    let mut cli = cli;
    for k in ["model", "data", "name"] {
        cli.as_object_mut().unwrap().remove(k);
        e["report"].as_object_mut().unwrap().remove(k);
    }
    assert_eq!(e["report"], cli);
    assert_eq!(e["n"], 150);
    let m = e["confusion"].as_array().unwrap();
    let diagonal: u64 = (0..3).map(|i| m[i][i].as_u64().unwrap()).sum();
    assert_eq!(e["misclassified_count"].as_u64().unwrap(), 150 - diagonal);
    for row in e["misclassified"].as_array().unwrap() {
        assert_ne!(row["label"], row["predicted"]);
        assert!(!row["text"].as_str().unwrap().is_empty());
    }
    // Bad rows are skipped and said; a CSV without the label column is a 422 naming it.
    let bad = "text,label\n\"Police said two were hurt.\",wire\n\"x\",not_a_label\n";
    let e = s.post("/api/evaluate", "text/csv", bad.as_bytes()).json();
    assert_eq!((e["n"].as_u64(), e["skipped_count"].as_u64()), (Some(1), Some(1)));
    assert_eq!(e["skipped"][0]["line"], 3);
    let r = s.post("/api/evaluate", "text/csv", b"text,outlet\nhello,x\n");
    assert_eq!(r.status, 422);
    assert!(r.error().contains("label"), "{}", r.text());
    let r = s.post("/api/evaluate?label_column=outlet", "text/csv", b"text,outlet\nhello,x\n");
    assert_eq!(r.status, 422, "no valid row");
    assert_eq!(s.post("/api/evaluate", "text/csv", b"").status, 422);
    assert_eq!(s.post("/api/evaluate?bogus=1", "text/csv", b"text,label\n").status, 400);
}

#[test]
fn bad_input_is_a_json_4xx_never_500() {
    let s = Server::start(&["--max-body", "4096"]);
    let cases: &[(&str, &str, &[u8], u16)] = &[
        ("/api/score", "application/json", b"{\"texts\": [", 400),
        ("/api/score", "application/json", b"not json", 400),
        ("/api/score", "application/json", b"{\"texts\": 3}", 422),
        ("/api/score", "application/json", b"{\"txets\": [\"a\"]}", 422),
        ("/api/score", "application/json", b"{\"texts\": [\"a\"], \"articles\": []}", 422),
        ("/api/score", "application/json", b"{}", 422),
        ("/api/score", "application/json", b"{\"texts\": []}", 422),
        ("/api/score", "application/json", b"{\"texts\": [\"a\"], \"min_confidence\": 2}", 422),
        ("/api/score", "application/json", b"[1,2]", 422),
        ("/api/score", "application/json", b"{\"texts\": [\"\xff\xfe\"]}", 400),
        ("/api/score", "text/plain", b"{\"texts\": [\"a\"]}", 415),
        ("/api/score", "", b"{\"texts\": [\"a\"]}", 415),
        ("/api/explain", "application/json", b"{\"texts\": [\"a\"], \"top\": 0}", 422),
        ("/api/explain", "application/x-www-form-urlencoded", b"texts=a", 415),
        ("/api/sources", "application/json", b"{\"files\": [{\"name\": \"a.txt\"}]}", 422),
        ("/api/sources", "multipart/form-data", b"--x--", 415),
        ("/api/trace", "text/csv", b"id,text\n", 415),
        ("/api/evaluate", "application/json", b"{}", 415),
        ("/api/evaluate", "text/csv", b"\x00\x01\x02binary", 422),
    ];
    for (path, ct, body, want) in cases {
        let r = if ct.is_empty() { s.send("POST", path, &[], body) } else { s.post(path, ct, body) };
        assert_eq!(r.status, *want, "{path} {ct} {:?}: {}", String::from_utf8_lossy(body), r.text());
        assert!(!r.error().is_empty());
    }
    // Over --max-body: said up front by Content-Length, or found while reading a chunked body.
    let big = json!({"texts": ["word ".repeat(2000)]}).to_string();
    let r = s.post("/api/score", "application/json", big.as_bytes());
    assert_eq!(r.status, 413);
    assert!(r.error().contains("--max-body"));
    let mut chunked = format!("{:x}\r\n{big}\r\n0\r\n\r\n", big.len()).into_bytes();
    let h = [
        ("Host", s.addr.to_string()),
        ("Content-Type", "application/json".into()),
        ("Transfer-Encoding", "chunked".into()),
    ]
    .map(|(k, v)| (k.to_string(), v));
    let r = request(s.addr, "POST", "/api/score", &h, &std::mem::take(&mut chunked));
    assert_eq!(r.status, 413, "{}", r.text());
    let r = s.post("/api/evaluate", "text/csv", big.as_bytes());
    assert_eq!(r.status, 413);
    // Unknown routes and methods answer JSON too.
    let r = s.get("/api/nothing");
    assert_eq!((r.status, r.error().as_str()), (404, "no such route"));
    let r = s.get("/api/score");
    assert_eq!(r.status, 405);
    assert!(!r.error().is_empty());
    // Junk of every kind at every route: a 4xx, never a 5xx, and the server stays up.
    let junk: [&[u8]; 6] =
        [b"", b"{", b"null", b"{\"articles\":[{\"id\":1,\"text\":2}]}", b"\"\\ud800\"", &[0xff; 64]];
    for path in ["/api/score", "/api/explain", "/api/sources", "/api/trace", "/api/evaluate"] {
        for ct in ["application/json", "text/csv", "text/plain"] {
            for body in junk {
                let r = s.post(path, ct, body);
                assert!((400..500).contains(&r.status), "{path} {ct} {body:?}: {} {}", r.status, r.text());
            }
        }
    }
    assert_eq!(s.get("/healthz").status, 200);
}

#[test]
fn token_is_required_on_every_api_call_when_set() {
    let s = Server::start(&["--token", "s3cret-token"]);
    assert_eq!(s.token.as_deref(), Some("s3cret-token"), "the printed URL carries the token: {}", s.url);
    let body = json!({"texts": [XINHUA]}).to_string();
    let host = ("Host".to_string(), s.addr.to_string());
    let ct = ("Content-Type".to_string(), "application/json".to_string());
    for path in ["/api/score", "/api/explain", "/api/sources", "/api/trace", "/api/evaluate"] {
        for auth in [None, Some("Bearer wrong"), Some("Bearer s3cret-toke"), Some("s3cret-token")] {
            let mut h = vec![host.clone(), ct.clone(), ("Content-Length".into(), body.len().to_string())];
            if let Some(a) = auth {
                h.push(("Authorization".into(), a.into()));
            }
            let r = request(s.addr, "POST", path, &h, body.as_bytes());
            assert_eq!(r.status, 401, "{path} {auth:?}");
            assert_eq!(r.header("www-authenticate"), Some("Bearer"));
            assert!(r.error().contains("token"));
        }
    }
    let r = s.send("GET", "/api/model", &[], b"");
    assert_eq!(r.status, 401);
    let r = s.send("GET", "/api/model", &[("X-Newsprov-Token", "s3cret-token")], b"");
    assert_eq!(r.status, 200);
    let r = s.post_json("/api/score", &json!({"texts": [XINHUA]}));
    assert_eq!(r.status, 200);
    // The page itself and the health check need no token (the page reads it from the URL).
    assert_eq!(s.get("/").status, 200);
    assert_eq!(s.get("/healthz").status, 200);
    // An empty token is refused at start.
    let out = bin().args(["serve", "--addr", "127.0.0.1:0", "--token", " "]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn foreign_host_headers_are_refused_on_loopback() {
    let s = Server::start(&[]);
    for host in ["evil.example", "evil.example:8750", "127.0.0.1.evil.example", "10.0.0.1"] {
        let r = s.send("GET", "/api/model", &[("Host", host)], b"");
        assert_eq!(r.status, 400, "{host}");
        assert!(r.error().contains("Host"));
        assert_eq!(s.send("GET", "/", &[("Host", host)], b"").status, 400);
    }
    for host in ["localhost", &format!("localhost:{}", s.addr.port()), &s.addr.to_string()] {
        assert_eq!(s.send("GET", "/api/model", &[("Host", host)], b"").status, 200, "{host}");
    }
}

#[test]
fn no_request_reads_the_servers_disk() {
    let s = Server::start(&[]);
    let cargo = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let secret = std::fs::read_to_string(&cargo).unwrap();
    // File names are names: the text is what the request carries.
    let r = s
        .post_json(
            "/api/score",
            &json!({"files": [{"name": cargo.to_str().unwrap(), "content": ""}, {"name": "/etc/passwd", "content": "short text"}]}),
        )
        .json();
    assert!(r["records"][0]["error"].as_str().unwrap().contains("empty"));
    assert_eq!(r["records"][1]["id"], "/etc/passwd");
    let e = s
        .post_json("/api/explain", &json!({"files": [{"name": "/etc/hostname", "content": "only this"}]}))
        .json();
    assert_eq!(e["text"], "only this");
    // Paths that climb out of the assets are not routes.
    for p in [
        "/../Cargo.toml",
        "/app.js/../../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/src/serve/mod.rs",
        "/Cargo.toml",
    ] {
        let r = s.get(p);
        assert!(r.status == 404 || r.status == 400, "{p}: {}", r.status);
        assert!(!r.text().contains("[package]") && !r.text().contains(&secret[..40]));
    }
}

#[test]
fn stalled_clients_do_not_block_others() {
    let s = Server::start(&["--request-timeout", "3"]);
    // Clients that stop mid-headers or mid-body, and never read.
    let mut stalled = Vec::new();
    for i in 0..40 {
        let mut c = TcpStream::connect(s.addr).unwrap();
        if i % 2 == 0 {
            c.write_all(b"POST /api/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: applic").unwrap();
        } else {
            let head = format!(
                "POST /api/score HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"texts\": [\"",
                s.addr
            );
            c.write_all(head.as_bytes()).unwrap();
        }
        stalled.push(c);
    }
    // Meanwhile others are served.
    for _ in 0..5 {
        let r = s.post_json("/api/score", &json!({"texts": [XINHUA]}));
        assert_eq!(r.status, 200);
    }
    // A stalled body runs into the request time limit: 408, as JSON.
    let mut c = stalled.pop().unwrap();
    c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let r = serve_util::read_response(&mut c);
    assert_eq!(r.status, 408);
    assert!(r.error().contains("too long"));
    drop(stalled);
    assert_eq!(s.get("/healthz").status, 200);
}

#[test]
fn concurrent_clients_all_get_their_own_records() {
    let s = std::sync::Arc::new(Server::start(&[]));
    let rows = common::rows(4, 0);
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let s = s.clone();
            let rows = rows.clone();
            std::thread::spawn(move || {
                for (i, (id, _, text)) in rows.iter().enumerate().filter(|(i, _)| i % 8 == t) {
                    let r =
                        s.post_json("/api/score", &json!({"articles": [{"id": id, "text": text}]})).json();
                    assert_eq!(r["records"][0]["id"], rows[i].0.as_str());
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn bad_options_are_usage_errors() {
    for args in [
        &["serve", "--addr", "127.0.0.1:0", "--max-body", "0"][..],
        &["serve", "--addr", "127.0.0.1:0", "--max-bytes", "0"],
        &["serve", "--addr", "not-an-address"],
        &["serve", "--addr", "127.0.0.1:0", "--index", "/nonexistent/refs.idx"],
        &["serve", "--addr", "127.0.0.1:0", "--model", "/nonexistent/model.npm"],
    ] {
        let out = bin().args(args).timeout(Duration::from_secs(60)).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("error"));
    }
    let help = bin().args(["serve", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("--max-body"));
}
