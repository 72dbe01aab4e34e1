//! A bounded load test of `newsprov serve` (a benchmark, not a test): CLIENTS concurrent clients,
//! each on one kept-alive loopback connection, post dev.csv's articles to /api/score, BATCH
//! articles per request, until ARTICLES articles have been sent. It reports requests/s,
//! articles/s, p50/p99 latency, the server's peak and sampled memory, checks that every request
//! got a 200 with one record per article, and times `newsprov score` on the same articles.
//!
//! `cargo bench --bench serve_load`; knobs: NEWSPROV_LOAD_CLIENTS (8), NEWSPROV_LOAD_ARTICLES
//! (first N articles of the file, default all), NEWSPROV_LOAD_ROUNDS (times the set is sent, 5),
//! NEWSPROV_LOAD_BATCH (comma-separated, "1,32"), NEWSPROV_LOAD_CSV (../shared/corpus2/dev.csv).
//! Only 127.0.0.1 is ever contacted.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    // `cargo bench` passes --bench; a plain `cargo test --benches` run passes nothing: skip then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let clients: usize = env_or("NEWSPROV_LOAD_CLIENTS", 8);
    let total: usize = env_or("NEWSPROV_LOAD_ARTICLES", usize::MAX);
    let rounds: usize = env_or("NEWSPROV_LOAD_ROUNDS", 5);
    let batches: Vec<usize> = std::env::var("NEWSPROV_LOAD_BATCH")
        .unwrap_or_else(|_| "1,32".into())
        .split(',')
        .filter_map(|b| b.trim().parse().ok())
        .collect();
    let csv = std::env::var("NEWSPROV_LOAD_CSV")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus2/dev.csv"));
    let once = read_articles(&csv, total);
    // The set sent `rounds` times, so the run lasts long enough to see memory over time.
    let articles: Vec<(String, String)> = (0..rounds.max(1)).flat_map(|_| once.iter().cloned()).collect();
    let bytes: usize = articles.iter().map(|(_, t)| t.len()).sum();
    println!(
        "serve_load: {} articles ({} from {}, {rounds} times; {:.1} MB of text), {clients} clients",
        articles.len(),
        once.len(),
        csv.display(),
        bytes as f64 / 1e6
    );

    let cli = cli_articles_per_second(&articles);
    println!("newsprov score --format jsonl on the same articles: {:.0} articles/s ({:.2} s)", cli.0, cli.1);
    for batch in batches {
        run(&articles, clients, batch.max(1), cli.0);
    }
}

fn read_articles(csv: &Path, max: usize) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(csv).unwrap_or_else(|e| panic!("{}: {e}", csv.display()));
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap_or_else(|| panic!("no {n} column"));
    let (id, text) = (col("id"), col("text"));
    r.records()
        .take(max)
        .map(|rec| rec.unwrap())
        .map(|rec| (rec[id].to_string(), rec[text].to_string()))
        .collect()
}

/// `newsprov score` over the same articles (as a CSV file), wall clock with process start and
/// model loading, best of two.
fn cli_articles_per_second(articles: &[(String, String)]) -> (f64, f64) {
    let dir = std::env::temp_dir().join(format!("newsprov-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("articles.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(["id", "text"]).unwrap();
    for (id, text) in articles {
        w.write_record([id, text]).unwrap();
    }
    w.flush().unwrap();
    let mut best = f64::MAX;
    for _ in 0..2 {
        let t = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_newsprov"))
            .args(["score", "--format", "jsonl", path.to_str().unwrap()])
            .stderr(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(out.stdout.iter().filter(|b| **b == b'\n').count(), articles.len());
        best = best.min(t.elapsed().as_secs_f64());
    }
    let _ = std::fs::remove_dir_all(&dir);
    (articles.len() as f64 / best, best)
}

fn run(articles: &[(String, String)], clients: usize, batch: usize, cli_rate: f64) {
    let mut server = Command::new(env!("CARGO_BIN_EXE_newsprov"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    let addr: SocketAddr = url.trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
    let pid = server.id();

    // Memory, sampled every 50 ms while the load runs.
    let done = Arc::new(AtomicBool::new(false));
    let samples = Arc::new(Mutex::new(Vec::new()));
    let sampler = {
        let (done, samples) = (done.clone(), samples.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(kb) = status_kb(pid, "VmRSS") {
                    samples.lock().unwrap().push(kb);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };

    // Requests: the articles cut into batches, handed out to clients from a shared counter.
    let bodies: Vec<(usize, Vec<u8>)> = articles
        .chunks(batch)
        .map(|c| {
            let a: Vec<_> = c.iter().map(|(id, text)| serde_json::json!({"id": id, "text": text})).collect();
            (c.len(), serde_json::json!({"articles": a}).to_string().into_bytes())
        })
        .collect();
    let next = Arc::new(AtomicUsize::new(0));
    let bodies = Arc::new(bodies);
    let t = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (next, bodies) = (next.clone(), bodies.clone());
            std::thread::spawn(move || {
                let mut conn = Conn::open(addr);
                let mut lat = Vec::new();
                let (mut ok, mut failed, mut records) = (0usize, 0usize, 0usize);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((n, body)) = bodies.get(i) else { break };
                    let t = Instant::now();
                    let (status, resp) = conn.post(addr, "/api/score", body);
                    lat.push(t.elapsed().as_secs_f64());
                    let got = serde_json::from_slice::<serde_json::Value>(&resp)
                        .ok()
                        .and_then(|v| v["records"].as_array().map(|r| r.len()))
                        .unwrap_or(0);
                    if status == 200 && got == *n {
                        ok += 1;
                        records += got;
                    } else {
                        failed += 1;
                    }
                }
                (lat, ok, failed, records)
            })
        })
        .collect();
    let mut lat = Vec::new();
    let (mut ok, mut failed, mut records) = (0, 0, 0);
    for w in workers {
        let (l, o, f, r) = w.join().unwrap();
        lat.extend(l);
        ok += o;
        failed += f;
        records += r;
    }
    let wall = t.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    let peak = status_kb(pid, "VmHWM").unwrap_or(0);
    let _ = server.kill();
    let _ = server.wait();

    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| lat[((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1] * 1000.0;
    let s = samples.lock().unwrap();
    let third = (s.len() / 3).max(1);
    let mean = |v: &[u64]| v.iter().sum::<u64>() as f64 / v.len().max(1) as f64 / 1024.0;
    println!(
        "batch {batch:>3}: {} requests ({ok} ok, {failed} failed), {records}/{} records in {wall:.2} s: \
         {:.0} requests/s, {:.0} articles/s ({:.2}x score), latency p50 {:.1} ms, p99 {:.1} ms, \
         server RSS peak {:.0} MB, mean {:.0} MB in the first third of the run and {:.0} MB in the last",
        lat.len(),
        articles.len(),
        lat.len() as f64 / wall,
        records as f64 / wall,
        records as f64 / wall / cli_rate,
        pct(0.50),
        pct(0.99),
        peak as f64 / 1024.0,
        mean(&s[..third]),
        mean(&s[s.len() - third..]),
    );
    assert_eq!(failed, 0, "requests lost or failed");
    assert_eq!(records, articles.len(), "records lost");
}

/// A field of /proc/PID/status, in kB.
fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One kept-alive HTTP/1.1 connection.
struct Conn {
    r: BufReader<TcpStream>,
}

impl Conn {
    fn open(addr: SocketAddr) -> Conn {
        let s = TcpStream::connect(addr).unwrap();
        s.set_nodelay(true).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
        Conn { r: BufReader::new(s) }
    }

    fn post(&mut self, addr: SocketAddr, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let s = self.r.get_mut();
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut status_line = String::new();
        self.r.read_line(&mut status_line).unwrap();
        let status = status_line.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            self.r.read_line(&mut h).unwrap();
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().unwrap();
            }
        }
        let mut buf = vec![0; len];
        self.r.read_exact(&mut buf).unwrap();
        (status, buf)
    }
}
