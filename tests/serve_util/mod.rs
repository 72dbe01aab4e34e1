//! Helpers for the `serve` tests: the server as a child process on a free loopback port, and a
//! small HTTP/1.1 client over a raw socket (so tests can also send what no client library would:
//! bad Host headers, stalled bodies, oversized chunked bodies).
#![allow(dead_code)]
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// The URL the server printed (with `#token=` when it has one).
    pub url: String,
    pub token: Option<String>,
}

impl Server {
    /// `newsprov serve --addr 127.0.0.1:0 ARGS...`, once it prints its URL.
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsprov"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start newsprov serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url =
            line.trim().strip_prefix("newsprov: serving on ").unwrap_or_else(|| panic!("no URL in {line:?}"));
        let hostport = url.strip_prefix("http://").unwrap().split('/').next().unwrap();
        let token = url.split_once("#token=").map(|(_, t)| t.to_string());
        Server { child, addr: hostport.parse().unwrap(), url: url.to_string(), token }
    }

    pub fn get(&self, path: &str) -> Response {
        self.send("GET", path, &[], b"")
    }

    /// POST with a Content-Type and the server's token (if any).
    pub fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Response {
        let auth = self.token.as_ref().map(|t| format!("Bearer {t}"));
        let mut h = vec![("Content-Type", content_type)];
        if let Some(a) = &auth {
            h.push(("Authorization", a.as_str()));
        }
        self.send("POST", path, &h, body)
    }

    pub fn post_json(&self, path: &str, body: &serde_json::Value) -> Response {
        self.post(path, "application/json", body.to_string().as_bytes())
    }

    pub fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        let mut h: Vec<(String, String)> =
            headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        if !h.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            h.push(("Host".into(), self.addr.to_string()));
        }
        h.push(("Content-Length".into(), body.len().to_string()));
        request(self.addr, method, path, &h, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// A JSON error body `{"error": ...}`, returned as its message.
    pub fn error(&self) -> String {
        assert_eq!(self.header("content-type"), Some("application/json"), "{self:?}");
        self.json()["error"].as_str().unwrap_or_else(|| panic!("no error field: {}", self.text())).to_string()
    }
}

/// One request on a new connection (`Connection: close`); headers as given.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading all of a large body and close.
    let _ = s.write_all(body);
    read_response(&mut s)
}

/// Reads one response: the head, then Content-Length bytes of body (or up to the close).
pub fn read_response(s: &mut impl Read) -> Response {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let mut head_end = None;
    loop {
        if let Some(end) = head_end {
            let r = parse_response(&raw);
            let want = r.header("content-length").and_then(|v| v.parse::<usize>().ok());
            if want.is_some_and(|n| raw.len() >= end + 4 + n) {
                return parse_response(&raw[..end + 4 + want.unwrap()]);
            }
        }
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
        if head_end.is_none() {
            head_end = raw.windows(4).position(|w| w == b"\r\n\r\n");
        }
    }
    parse_response(&raw)
}

pub fn parse_response(raw: &[u8]) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no complete response head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
        body = dechunk(&body);
    }
    Response { status, headers, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(i) = b.windows(2).position(|w| w == b"\r\n") else { return out };
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..i]).trim(), 16).unwrap_or(0);
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[i + 2..i + 2 + n]);
        b = &b[i + 4 + n..];
    }
}

/// The first `n` data rows of a CSV, header included, as text (for tests that use real articles).
pub fn csv_head(path: &std::path::Path, n: usize) -> String {
    let mut r = csv::Reader::from_path(path).unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(r.headers().unwrap()).unwrap();
    for rec in r.records().take(n) {
        w.write_record(&rec.unwrap()).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

pub fn shared_dev_csv() -> std::path::PathBuf {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus2/dev.csv");
    assert!(
        p.exists(),
        "{} is missing: the serve tests need ../shared/corpus2 beside the project",
        p.display()
    );
    p
}
