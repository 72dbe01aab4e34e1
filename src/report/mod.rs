//! The event provenance report: articles grouped into events, and per event who reported
//! first, in which voice, who cites whom and which rewrite came from which article.
//!
//! One concept per file: [`grouping`] (events), more to come.

pub mod grouping;
