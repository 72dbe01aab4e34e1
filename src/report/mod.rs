//! The event provenance report: articles grouped into events, and per event who reported
//! first, in which voice, who cites whom and which rewrite came from which article.
//!
//! One concept per file: [`input`] (articles with their dates), [`grouping`] (events),
//! [`graph`] (the report's content: verdicts, sources, derivation and citation edges),
//! [`html`] (one self-contained page with an SVG graph per event) and [`dot`] (Graphviz).
//! The JSON is the [`graph::Report`] serialised; docs/report.md documents its schema.

pub mod dot;
pub mod graph;
pub mod grouping;
pub mod html;
pub mod input;

pub use graph::{Report, ReportOptions, build};
