//! The core of Touchpoints: domain types and engines as pure functions.
//!
//! Nothing here does I/O, spawns tasks or knows about a database or HTTP: every function takes
//! values and returns values, so it is tested without a server and reused by every interface.

pub mod access;
pub mod action_plan;
pub mod audit;
pub mod branding;
pub mod campaign;
pub mod catalog;
pub mod chat;
pub mod consistency;
pub mod customer;
pub mod dashboard;
pub mod demo;
pub mod follow_up;
pub mod greeting;
pub mod history;
pub mod identity;
pub mod journey;
pub mod kpi;
pub mod mail;
pub mod matrix;
pub mod message_template;
pub mod object;
pub mod outgoing;
pub mod personalisation;
pub mod priority;
pub mod problem;
pub mod queue;
pub mod queue_stats;
pub mod records;
pub mod request;
pub mod request_import;
pub mod sample;
pub mod segment;
pub mod sla;
pub mod standards;
pub mod survey;
pub mod touchpoint;
pub mod transfer;
pub mod webhook;
pub mod workbook;
pub mod written;

pub use access::{ApiToken, Role, Scope, Subject, User};
pub use catalog::{Catalog, Channel, Kind, Phase, Stage};
pub use problem::{FieldProblem, Problem, Problems};
pub use touchpoint::{Status, Touchpoint, TouchpointFields, TouchpointFilter, TouchpointInput};
