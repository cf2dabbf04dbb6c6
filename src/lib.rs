//! quarterdeck turns OKR, check-in and engineering-signal exports into an
//! end-of-quarter review pack: a static site, a print document and data files.
//!
//! The pipeline runs one way: config → ingest → score → chart + notes → render → write.

pub mod config;
pub mod error;
pub mod ingest;
pub mod model;
pub mod score;
