//! The per-article records that `score`, `sources` and `trace` print, built in one place so that
//! every front end (the CLI, `serve`'s JSON API) gives the same record for the same article.
pub mod score;
pub mod sources;
pub mod trace;
