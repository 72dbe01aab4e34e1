//! The JSON API's request and error types, and how a request's articles are read: through the same
//! [`crate::input`] code as files named on the command line, so records match `score`'s.
use crate::input::{DocResult, InputOptions, Inputs};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// An error answered as `{"error": "..."}` with a fitting status.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError { status, message: message.into() }
    }
    pub fn bad_request(m: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, m)
    }
    pub fn unprocessable(m: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, m)
    }
}

/// A JSON error response; used by the handlers and the guards alike.
pub fn error_response(status: StatusCode, message: &str) -> Response {
    #[derive(Serialize)]
    struct Body<'a> {
        error: &'a str,
    }
    json_response(status, &Body { error: message })
}

pub fn json_response<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "application/json")],
            format!("{{\"error\":\"could not encode the response: {}\"}}", e.to_string().replace('"', "'")),
        )
            .into_response(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error_response(self.status, &self.message)
    }
}

/// One article given by id and text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    pub id: String,
    pub text: String,
}

/// A file the page read in the browser: read as the CLI reads a file of that name (by extension:
/// `.csv` rows, `.jsonl` lines, `.html`/`.htm` markup, anything else one text article).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadedFile {
    pub name: String,
    pub content: String,
}

/// The body of `/api/score`, `/api/explain`, `/api/sources` and `/api/trace`: exactly one of
/// `articles`, `texts` or `files`, and the options that route reads.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ArticlesRequest {
    pub articles: Option<Vec<Article>>,
    /// Texts without ids: they get ids "1", "2", ... in order.
    pub texts: Option<Vec<String>>,
    pub files: Option<Vec<UploadedFile>>,
    /// score: below this top probability the label is "uncertain" (as `--min-confidence`).
    pub min_confidence: Option<f32>,
    /// score: find cited outlets (default true; false as `--no-sources`).
    pub sources: Option<bool>,
    /// explain: which article to explain (default the first); explain: features per label;
    /// trace: references per article.
    pub id: Option<String>,
    pub top: Option<usize>,
}

/// Most articles in one request (a bound on the work one request can ask for besides the body cap).
pub const MAX_ARTICLES: usize = 100_000;

impl ArticlesRequest {
    /// Parses a JSON body: malformed JSON is a 400, well-formed JSON of the wrong shape a 422.
    pub fn parse(bytes: &[u8]) -> Result<Self, ApiError> {
        serde_json::from_slice(bytes).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => ApiError::unprocessable(format!("request body: {e}")),
            _ => ApiError::bad_request(format!("request body is not valid JSON: {e}")),
        })
    }

    /// The request's articles, read as the CLI reads its inputs (each capped at `max_bytes`).
    /// An unreadable article is an error record, as in `score`; a request without articles is a 422.
    pub fn docs(self, opts: &InputOptions) -> Result<Vec<DocResult>, ApiError> {
        let given = [self.articles.is_some(), self.texts.is_some(), self.files.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(ApiError::unprocessable("give exactly one of \"articles\", \"texts\" or \"files\""));
        }
        let mut docs = Vec::new();
        if let Some(articles) = self.articles {
            for a in articles {
                docs.push(Inputs::article_reader(a.text.as_bytes(), &a.id, false, opts));
            }
        } else if let Some(texts) = self.texts {
            for (i, t) in texts.iter().enumerate() {
                docs.push(Inputs::article_reader(t.as_bytes(), &(i + 1).to_string(), false, opts));
            }
        } else if let Some(files) = self.files {
            for f in files {
                read_file(f, opts, &mut docs)?;
            }
        }
        if docs.is_empty() {
            return Err(ApiError::unprocessable("no articles in the request"));
        }
        Ok(docs)
    }
}

fn read_file(f: UploadedFile, opts: &InputOptions, docs: &mut Vec<DocResult>) -> Result<(), ApiError> {
    let ext = f.name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let bytes = std::io::Cursor::new(f.content.into_bytes());
    let rows = match ext.as_str() {
        "csv" => Inputs::csv_reader(bytes, &f.name, opts.clone()),
        "jsonl" | "ndjson" => Inputs::jsonl_reader(bytes, &f.name, opts.clone()),
        "html" | "htm" | "xhtml" => {
            docs.push(Inputs::article_reader(bytes, &f.name, true, opts));
            return Ok(());
        }
        _ => {
            docs.push(Inputs::article_reader(bytes, &f.name, false, opts));
            return Ok(());
        }
    };
    for d in rows {
        if docs.len() >= MAX_ARTICLES {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("more than {MAX_ARTICLES} articles in one request"),
            ));
        }
        docs.push(d);
    }
    Ok(())
}

/// The media type of a request, without parameters, lower-cased.
pub fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// 415 unless the request says it sends one of `accepted`.
pub fn require_media_type(headers: &HeaderMap, accepted: &[&str]) -> Result<(), ApiError> {
    let t = media_type(headers);
    if accepted.contains(&t.as_str()) {
        Ok(())
    } else {
        let got = if t.is_empty() { "no Content-Type".to_string() } else { format!("Content-Type {t}") };
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("expected Content-Type {}, got {got}", accepted.join(" or ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_json_is_400_and_wrong_shape_422() {
        assert_eq!(ArticlesRequest::parse(b"{\"texts\": [").unwrap_err().status, StatusCode::BAD_REQUEST);
        assert_eq!(
            ArticlesRequest::parse(b"{\"texts\": 3}").unwrap_err().status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            ArticlesRequest::parse(b"{\"txets\": []}").unwrap_err().status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    #[test]
    fn exactly_one_kind_of_article() {
        let opts = InputOptions::default();
        let both =
            ArticlesRequest { texts: Some(vec!["a".into()]), files: Some(vec![]), ..Default::default() };
        assert_eq!(both.docs(&opts).unwrap_err().status, StatusCode::UNPROCESSABLE_ENTITY);
        let none = ArticlesRequest::default();
        assert_eq!(none.docs(&opts).unwrap_err().status, StatusCode::UNPROCESSABLE_ENTITY);
        let empty = ArticlesRequest { texts: Some(vec![]), ..Default::default() };
        assert_eq!(empty.docs(&opts).unwrap_err().status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn files_are_read_by_extension_and_texts_capped() {
        let opts = InputOptions { max_bytes: 5, ..Default::default() };
        let req = ArticlesRequest {
            files: Some(vec![
                UploadedFile { name: "t.csv".into(), content: "id,text\nx,hello\ny,world\n".into() },
                UploadedFile { name: "p.html".into(), content: "<p>hi <b>there</b></p>".into() },
                UploadedFile { name: "n.txt".into(), content: "abcdefgh".into() },
            ]),
            ..Default::default()
        };
        let docs = req.docs(&opts).unwrap();
        let ids: Vec<String> =
            docs.iter().map(|d| d.as_ref().map(|d| d.id.clone()).unwrap_or_else(|e| e.id.clone())).collect();
        assert_eq!(ids, ["x", "y", "p.html", "n.txt"]);
        let n = docs[3].as_ref().unwrap();
        assert!(n.truncated);
        assert_eq!(n.text, "abcde");
        assert!(!docs[2].as_ref().unwrap().text.contains('<'));
    }
}
