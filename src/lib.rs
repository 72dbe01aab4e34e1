//! newsprov: tells state-media framing, wire-style reporting and aggregator rewrites apart, shows
//! the evidence, and measures how well it does.
//!
//! Data flows one way: [`corpus`] and [`input`] read text, [`text`] analyses it, [`features`]
//! turns it into sparse rows, [`solver`] fits the weights, [`model`] stores and applies them,
//! [`metrics`] and [`export`] report.
pub mod corpus;
pub mod error;
pub mod features;
pub mod metrics;
pub mod model;
pub mod progress;
pub mod solver;
pub mod text;
pub mod train;

pub use corpus::Label;
pub use error::{Error, Result};
pub use model::Model;
pub mod atomic;
pub mod augment;
pub mod calibrate;
pub mod cv;
pub mod explain;
pub mod export;
pub mod html;
pub mod input;
pub mod output;
pub mod sources;
pub mod trace;
