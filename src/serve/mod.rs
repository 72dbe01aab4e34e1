//! `newsprov serve`: a local web page and the JSON API it uses, over the library's record,
//! explain, sources, trace and metrics code. The page's files are built in ([`assets`]); every
//! request goes through [`guard`] (host check, token, security headers, time limit); the model's
//! work runs on the blocking pool so slow clients never hold up others. See docs/api.md.
pub mod api;
mod assets;
mod evaluate;

mod guard;
mod routes;

use crate::input::InputOptions;
use crate::trace::TraceIndex;
use crate::{Error, Model, Result};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    /// Required on every API call when set; always set when `addr` is not loopback.
    pub token: Option<String>,
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// How articles are read (`max_bytes` caps each one, as in `score`).
    pub input: InputOptions,
    /// Longest a request may take, reading its body included.
    pub request_timeout: Duration,
    /// What `/api/model` says the model is (a path, or "built-in").
    pub model_name: String,
}

/// What handlers share.
pub struct State {
    pub model: Model,
    pub index: Option<TraceIndex>,
    pub token: Option<String>,
    pub max_body: usize,
    pub input: InputOptions,
    pub request_timeout: Duration,
    pub model_name: String,
    /// Bound to loopback: refuse requests whose Host is not a loopback name (DNS rebinding).
    pub check_host: bool,
}

/// A bound, not yet running, server: its address and the URL to open.
pub struct Server {
    listener: std::net::TcpListener,
    state: Arc<State>,
    pub addr: SocketAddr,
    /// The URL to open; carries the token (in the fragment, never sent to the server) when set.
    pub url: String,
    /// A token made up because none was given for a non-loopback address.
    pub generated_token: Option<String>,
}

/// Binds the address; a non-loopback address without a token gets a generated one.
pub fn bind(model: Model, index: Option<TraceIndex>, mut opts: ServeOptions) -> Result<Server> {
    if opts.max_body == 0 || opts.input.max_bytes == 0 {
        return Err(Error::Usage("--max-body and --max-bytes must be at least 1".into()));
    }
    if opts.token.as_deref().is_some_and(|t| t.trim().is_empty() || t.contains(char::is_whitespace)) {
        return Err(Error::Usage("--token must be non-empty and without spaces".into()));
    }
    let loopback = opts.addr.ip().is_loopback();
    let generated_token = needs_generated_token(&opts.addr, &opts.token).then(new_token);
    if generated_token.is_some() {
        opts.token = generated_token.clone();
    }
    let listener = std::net::TcpListener::bind(opts.addr)
        .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", opts.addr)))?;
    listener.set_nonblocking(true).map_err(|e| Error::io("<socket>", e))?;
    let addr = listener.local_addr().map_err(|e| Error::io("<socket>", e))?;
    let url = match &opts.token {
        Some(t) => format!("http://{addr}/#token={t}"),
        None => format!("http://{addr}/"),
    };
    let state = Arc::new(State {
        model,
        index,
        token: opts.token,
        max_body: opts.max_body,
        input: opts.input,
        request_timeout: opts.request_timeout,
        model_name: opts.model_name,
        check_host: loopback,
    });
    Ok(Server { listener, state, addr, url, generated_token })
}

impl Server {
    /// Serves until Ctrl-C (or SIGTERM).
    pub fn run(self) -> Result<()> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Internal(format!("cannot start the async runtime: {e}")))?;
        rt.block_on(async move {
            let listener =
                tokio::net::TcpListener::from_std(self.listener).map_err(|e| Error::io("<socket>", e))?;
            let app = routes::router(self.state);
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown())
                .await
                .map_err(|e| Error::io("<socket>", e))
        })
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Any address but loopback is reachable by others: it needs a token, made up if none is given.
fn needs_generated_token(addr: &SocketAddr, token: &Option<String>) -> bool {
    !addr.ip().is_loopback() && token.is_none()
}

/// 128 random bits as hex, from the thread's generator (ChaCha seeded by the operating system).
fn new_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_goes_without_a_token() {
        // Decided without binding: no test listens on anything but loopback.
        let at = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert!(!needs_generated_token(&at("127.0.0.1:8750"), &None));
        assert!(!needs_generated_token(&at("[::1]:8750"), &None));
        assert!(needs_generated_token(&at("0.0.0.0:8750"), &None));
        assert!(needs_generated_token(&at("192.0.2.7:8750"), &None));
        assert!(!needs_generated_token(&at("0.0.0.0:8750"), &Some("t".into())));
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
