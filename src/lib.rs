//! newsprov: tells state-media framing, wire-style reporting and aggregator rewrites apart, shows
//! the evidence, and measures how well it does.
//!
//! Data flows one way: [`corpus`] and [`input`] (with [`html`]) read text, [`text`] analyses it
//! and [`phrases`] finds fixed phrases in it,
//! [`features`] turns it into sparse rows, [`solver`] fits the weights ([`train`], with
//! [`augment`] and [`calibrate`]), [`model`] stores and applies them, [`metrics`], [`cv`],
//! [`export`], [`output`] and [`explain`] report. [`sources`] and [`trace`] answer whom an
//! article cites and which reference it was rewritten from.

// Reading
pub mod corpus;
pub mod html;
pub mod input;

// Text to features to model
pub mod features;
pub mod model;
pub mod phrases;
pub mod solver;
pub mod text;

// Training
pub mod augment;
pub mod calibrate;
pub mod train;

// Reporting
pub mod cv;
pub mod explain;
pub mod export;
pub mod metrics;
pub mod output;

// Provenance
pub mod sources;
pub mod trace;
pub mod report;

// Plumbing
pub mod atomic;
pub mod error;
pub mod progress;

pub use corpus::Label;
pub use error::{Error, Result};
pub use model::Model;
