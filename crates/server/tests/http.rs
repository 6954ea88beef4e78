//! The server's integration tests: the real server over real HTTP, one module per part of
//! the product. They build into one test binary, so that the server and its dependencies
//! are linked once, not once per part.
//!
//! Tests that need a PostgreSQL server (`TOUCHPOINTS_TEST_POSTGRES`) or an SMTP server
//! (`TOUCHPOINTS_TEST_SMTPD`) are marked ignored; `scripts/test` provides both and runs them
//! with `--include-ignored`.

mod common;
mod smtpd;

#[path = "http/access.rs"]
mod access;
#[path = "http/action_review.rs"]
mod action_review;
#[path = "http/api_actions.rs"]
mod api_actions;
#[path = "http/api_contract.rs"]
mod api_contract;
#[path = "http/api_programme.rs"]
mod api_programme;
#[path = "http/api_queue.rs"]
mod api_queue;
#[path = "http/api_surveys.rs"]
mod api_surveys;
#[path = "http/api_touchpoints.rs"]
mod api_touchpoints;
#[path = "http/chat.rs"]
mod chat;
#[path = "http/mail.rs"]
mod mail;
#[path = "http/metrics.rs"]
mod metrics;
#[path = "http/multi_server.rs"]
mod multi_server;
#[path = "http/organisation.rs"]
mod organisation;
#[path = "http/templates.rs"]
mod templates;
#[path = "http/web.rs"]
mod web;
#[path = "http/web_actions.rs"]
mod web_actions;
#[path = "http/web_programme.rs"]
mod web_programme;
#[path = "http/web_time.rs"]
mod web_time;
#[path = "http/webhooks.rs"]
mod webhooks;
