//! What every request passes through: the Host check (against DNS rebinding while bound to
//! loopback), the token on API calls (required when bound elsewhere), security headers (the
//! Content-Security-Policy forbids inline script), JSON bodies for the router's own 404/405, and a
//! time limit so a stalled client only ever holds its own connection.
use super::State;
use super::api::error_response;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The page's policy: only this server's own script, styles and connections; no inline script,
/// no plugins, no framing, no form posts elsewhere.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub async fn guard(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    if state.check_host && !host_is_loopback(req.headers().get(header::HOST)) {
        return secure(
            error_response(StatusCode::BAD_REQUEST, "the Host header must name a loopback address"),
            &path,
        );
    }
    if let Some(token) = &state.token
        && path.starts_with("/api/")
        && !has_token(&req, token)
    {
        let mut r = error_response(
            StatusCode::UNAUTHORIZED,
            "this server needs its token: send \"Authorization: Bearer TOKEN\"",
        );
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return secure(r, &path);
    }
    let res = match tokio::time::timeout(state.request_timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => error_response(StatusCode::REQUEST_TIMEOUT, "the request took too long"),
    };
    secure(json_status(res), &path)
}

/// The router's empty 404 and 405 answers, as JSON errors.
fn json_status(res: Response) -> Response {
    let s = res.status();
    if (s == StatusCode::NOT_FOUND || s == StatusCode::METHOD_NOT_ALLOWED)
        && res.headers().get(header::CONTENT_TYPE).is_none()
    {
        let allow = res.headers().get(header::ALLOW).cloned();
        let what =
            if s == StatusCode::NOT_FOUND { "no such route" } else { "method not allowed on this route" };
        let mut r = error_response(s, what);
        if let Some(a) = allow {
            r.headers_mut().insert(header::ALLOW, a);
        }
        return r;
    }
    res
}

fn secure(mut res: Response, path: &str) -> Response {
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    if path.starts_with("/api/") || path == "/healthz" {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

fn has_token(req: &Request, token: &str) -> bool {
    let h = req.headers();
    let bearer = h
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let custom = h.get("x-newsprov-token").and_then(|v| v.to_str().ok()).map(str::trim);
    [bearer, custom].into_iter().flatten().any(|given| same(given.as_bytes(), token.as_bytes()))
}

/// Equality whose time does not depend on where the strings differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A Host header naming 127.0.0.0/8, localhost or [::1] (any port).
fn host_is_loopback(host: Option<&HeaderValue>) -> bool {
    let Some(h) = host.and_then(|h| h.to_str().ok()) else { return false };
    let name = if let Some(rest) = h.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inside, _)) => inside,
            None => return false,
        }
    } else {
        h.rsplit_once(':').map_or(h, |(n, _)| n)
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        let ok = |s: &str| host_is_loopback(Some(&HeaderValue::from_str(s).unwrap()));
        assert!(ok("127.0.0.1:8750") && ok("localhost") && ok("[::1]:80") && ok("127.3.4.5"));
        assert!(!ok("evil.example:8750") && !ok("10.0.0.1") && !ok("[::2]") && !ok("localhost.evil.example"));
        assert!(!host_is_loopback(None));
    }

    #[test]
    fn token_equality() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd") && !same(b"abc", b"ab"));
    }
}
