//! The use cases of Touchpoints that every front end shares — the JSON API, the web pages and
//! the command line call these, never each other.
//!
//! Each use case is a plain async function that takes what it needs: the store as
//! `&dyn Store`, the instant it runs at, the caller's name for the audit log. Nothing here
//! knows HTTP or SQL, and nothing reads the clock: "now" comes from the caller, so a test
//! can pass any instant. Every use case fails with one error type, [`AppError`], which each
//! front end maps to its own answer in one place.

pub mod action_budget;
pub mod action_effect;
pub mod action_import;
pub mod action_review;
pub mod actions;
pub mod agent_scores;
pub mod analysis;
pub mod batch;
pub mod campaigns;
pub mod chat;
mod error;
pub mod intake;
pub mod json;
pub mod links;
pub mod matrix;
pub mod outbox;
pub mod plan_counts;
pub mod programme;
pub mod queue_stats;
mod recipient;
pub mod replies;
pub mod reports;
pub mod resolution;
pub mod scoring;
pub mod secrets;
mod smtp;
pub mod steps;
pub mod surveys;
pub mod templates;
pub mod webhooks;

pub use error::{AppError, Result};

/// How many independent reads one use case runs at once (the sets of touchpoints the plan
/// counts, the effects the review compares): the store's pool serves several readers, and
/// a few leave room for everyone else.
const CONCURRENT_READS: usize = 4;
