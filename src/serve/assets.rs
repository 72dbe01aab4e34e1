//! The page's files, built into the binary: no CDN, nothing read from disk at run time.
use axum::http::header;
use axum::response::IntoResponse;

const INDEX: &str = include_str!("assets/index.html");
const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/app.css");

pub async fn index() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], INDEX)
}

pub async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT)
}

pub async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_has_no_inline_script_or_remote_assets() {
        assert!(!INDEX.contains("<script>"), "inline script");
        let handler = INDEX.split(" on").skip(1).any(|rest| {
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            !name.is_empty() && rest[name.len()..].starts_with('=')
        });
        assert!(!handler, "inline event handler attribute");
        for a in [INDEX, SCRIPT, STYLE] {
            assert!(!a.contains("http://") && !a.contains("https://") && !a.contains("//cdn"));
        }
        assert!(
            !SCRIPT.contains("innerHTML") && !SCRIPT.contains("eval("),
            "article text must go in as text"
        );
    }
}
