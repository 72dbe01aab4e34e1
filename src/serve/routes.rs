//! The routes: the page's assets, the JSON API and the health check. Handlers read the body
//! themselves (capped, type-checked) and do the model's work on the blocking pool, so the async
//! threads only ever move bytes and a slow request never stalls another.
use super::State;
use super::api::{ApiError, ArticlesRequest, json_response, require_media_type};
use super::{assets, evaluate};
use crate::explain::{colour, explain};
use crate::input::DocResult;
use crate::records;
use crate::{Label, sources::Gazetteer};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

type Shared = axum::extract::State<Arc<State>>;

pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(assets::index))
        .route("/app.js", get(assets::script))
        .route("/app.css", get(assets::style))
        .route("/healthz", get(healthz))
        .route("/api/model", get(model))
        .route("/api/score", post(score))
        .route("/api/explain", post(explain_route))
        .route("/api/sources", post(sources))
        .route("/api/trace", post(trace))
        .route("/api/evaluate", post(evaluate_route))
        .layer(axum::middleware::from_fn_with_state(state.clone(), super::guard::guard))
        .with_state(state)
}

/// The body, at most `max_body` bytes: 413 past that (said up front by Content-Length, or found
/// while reading).
async fn read_body(state: &State, headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let too_big = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body over the limit of {} bytes (--max-body)", state.max_body),
        )
    };
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > state.max_body as u64) {
        return Err(too_big());
    }
    axum::body::to_bytes(body, state.max_body).await.map_err(|e| {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(s) = source {
            if s.is::<http_body_util::LengthLimitError>() {
                return too_big();
            }
            source = s.source();
        }
        ApiError::bad_request(format!("could not read the request body: {e}"))
    })
}

/// A JSON articles request: Content-Type checked, body capped and parsed.
async fn articles_request(
    state: &State,
    headers: &HeaderMap,
    body: Body,
) -> Result<ArticlesRequest, ApiError> {
    require_media_type(headers, &["application/json"])?;
    let bytes = read_body(state, headers, body).await?;
    ArticlesRequest::parse(&bytes)
}

/// Runs the model's work off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("internal error: {e}")))
}

#[derive(Serialize)]
struct Records<R> {
    records: Vec<R>,
}

async fn healthz() -> Response {
    json_response(StatusCode::OK, &serde_json::json!({"status": "ok"}))
}

/// `/api/model`'s answer: what the model is and how it did, and the server's limits.
#[derive(Serialize)]
struct ModelInfo<'a> {
    source: &'a str,
    format_version: u32,
    crate_version: &'a str,
    labels: &'a [String],
    features: usize,
    blocks: String,
    temperature: f32,
    summary: &'a crate::model::TrainingSummary,
    /// Each label's colour on the page.
    colours: BTreeMap<String, &'static str>,
    trace_index: Option<IndexInfo>,
    limits: Limits,
}

#[derive(Serialize)]
struct IndexInfo {
    references: usize,
}

#[derive(Serialize)]
struct Limits {
    max_body: usize,
    max_bytes: usize,
}

async fn model(s: Shared) -> Response {
    let m = &s.model;
    json_response(
        StatusCode::OK,
        &ModelInfo {
            source: &s.model_name,
            format_version: m.format_version,
            crate_version: &m.crate_version,
            labels: &m.labels,
            features: m.features.n_features(),
            blocks: m.features.blocks.to_string(),
            temperature: m.temperature,
            summary: &m.summary,
            colours: Label::ALL.iter().map(|l| (l.to_string(), colour(*l))).collect(),
            trace_index: s.index.as_ref().map(|i| IndexInfo { references: i.len() }),
            limits: Limits { max_body: s.max_body, max_bytes: s.input.max_bytes },
        },
    )
}

async fn score(s: Shared, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let req = articles_request(&s, &headers, body).await?;
    let min_confidence = req.min_confidence.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&min_confidence) {
        return Err(ApiError::unprocessable(format!(
            "min_confidence must be in [0, 1], got {min_confidence}"
        )));
    }
    let with_sources = req.sources.unwrap_or(true);
    let docs = req.docs(&s.input)?;
    let state = s.0.clone();
    let records = blocking(move || {
        docs.par_iter()
            .map(|d| records::score::record(&state.model, d, min_confidence, with_sources))
            .collect::<Vec<_>>()
    })
    .await?;
    Ok(json_response(StatusCode::OK, &Records { records }))
}

async fn sources(s: Shared, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let docs = articles_request(&s, &headers, body).await?.docs(&s.input)?;
    let records = blocking(move || {
        docs.par_iter().map(|d| records::sources::record(Gazetteer::builtin(), d)).collect::<Vec<_>>()
    })
    .await?;
    Ok(json_response(StatusCode::OK, &Records { records }))
}

/// References per article that `/api/trace` returns: `trace --top`'s default, and the most.
const DEFAULT_TRACE_TOP: usize = 5;
const MAX_TRACE_TOP: usize = 50;

async fn trace(s: Shared, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let req = articles_request(&s, &headers, body).await?;
    if s.index.is_none() {
        return Err(ApiError::unprocessable("no trace index loaded: start the server with --index INDEX"));
    }
    let top = req.top.unwrap_or(DEFAULT_TRACE_TOP);
    if !(1..=MAX_TRACE_TOP).contains(&top) {
        return Err(ApiError::unprocessable(format!("top must be in 1..={MAX_TRACE_TOP}, got {top}")));
    }
    let docs = req.docs(&s.input)?;
    let state = s.0.clone();
    let records = blocking(move || {
        let idx = state.index.as_ref().expect("checked above");
        docs.par_iter().map(|d| records::trace::record(idx, d, top)).collect::<Vec<_>>()
    })
    .await?;
    Ok(json_response(StatusCode::OK, &Records { records }))
}

/// Contributions per label that `/api/explain` returns: `explain --top`'s default, and the most.
const DEFAULT_EXPLAIN_TOP: usize = 15;
const MAX_EXPLAIN_TOP: usize = 200;

async fn explain_route(s: Shared, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let req = articles_request(&s, &headers, body).await?;
    let top = req.top.unwrap_or(DEFAULT_EXPLAIN_TOP);
    if !(1..=MAX_EXPLAIN_TOP).contains(&top) {
        return Err(ApiError::unprocessable(format!("top must be in 1..={MAX_EXPLAIN_TOP}, got {top}")));
    }
    let wanted = req.id.clone();
    let docs = req.docs(&s.input)?;
    let doc = pick(docs, wanted.as_deref())?;
    let doc = doc.map_err(|e| ApiError::unprocessable(format!("{}: {}", e.id, e.reason)))?;
    let state = s.0.clone();
    let out = blocking(move || {
        let explanation = explain(&state.model, &doc.text, top);
        let glossary = std::iter::once(&explanation)
            .chain(explanation.stories.iter().map(|st| &st.explanation))
            .flat_map(|x| x.toward.iter())
            .flat_map(|(_, cs)| cs.iter())
            .map(|c| (c.feature.clone(), crate::glossary::readable(&c.feature)))
            .collect();
        Explained { id: doc.id, text: doc.text, truncated: doc.truncated, explanation, glossary }
    })
    .await?;
    Ok(json_response(StatusCode::OK, &out))
}

/// `/api/explain`'s answer: `explain --json`'s explanation of the text as read, and readable
/// names for the features it shows.
#[derive(Serialize)]
struct Explained {
    id: String,
    text: String,
    truncated: bool,
    explanation: crate::explain::Explanation,
    glossary: BTreeMap<String, String>,
}

/// The article with id `wanted`, or the first.
fn pick(docs: Vec<DocResult>, wanted: Option<&str>) -> Result<DocResult, ApiError> {
    let id = |d: &DocResult| match d {
        Ok(d) => d.id.clone(),
        Err(e) => e.id.clone(),
    };
    match wanted {
        None => Ok(docs.into_iter().next().expect("docs() never returns an empty list")),
        Some(w) => docs
            .into_iter()
            .find(|d| id(d) == w)
            .ok_or_else(|| ApiError::unprocessable(format!("no article with id {w:?} in the request"))),
    }
}

async fn evaluate_route(s: Shared, uri: Uri, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let Query(q) = Query::<evaluate::EvaluateQuery>::try_from_uri(&uri)
        .map_err(|e| ApiError::bad_request(format!("query string: {}", e.body_text())))?;
    require_media_type(&headers, &["text/csv", "application/csv"])?;
    let bytes = read_body(&s, &headers, body).await?;
    let state = s.0.clone();
    let out = blocking(move || evaluate::evaluate(&state.model, &bytes, &q)).await??;
    Ok(json_response(StatusCode::OK, &out))
}

impl From<ApiError> for Response {
    fn from(e: ApiError) -> Response {
        e.into_response()
    }
}
