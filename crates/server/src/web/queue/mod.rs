//! The agents' pages: the queue (mine, team, all; at risk and breached), a request with its
//! customer and the customer's history across channels, the agent's steps on it, a customer
//! profile with its merges, the manager's response-time statistics, and the queue's rules.
//! The queue follows changes live through Server-Sent Events when scripts run.

mod customer;
mod list;
mod request;
mod rules;
mod stats;

pub(super) use stats::at_touchpoint as response_times_at;
mod weights;

use axum::Router;
use axum::routing::{get, post};
use jiff::Timestamp;
use touchpoints_app::scoring;
use touchpoints_core::queue::Risk;
use touchpoints_store::{QueueSettings, StoredRequest};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/queue", get(list::queue_page))
        .route("/queue/events", get(list::events))
        .route("/queue/stats", get(stats::stats_page))
        .route("/queue/stats/export.csv", get(stats::export_csv))
        .route("/queue/stats/export.xlsx", get(stats::export_xlsx))
        .route("/queue/rules", get(rules::rules_page))
        .route("/queue/rules/policies", post(rules::put_policy))
        .route("/queue/rules/policies/delete", post(rules::delete_policy))
        .route("/queue/rules/weights", post(rules::put_weights))
        .route("/queue/rules/calendar", post(rules::put_calendar))
        .route("/queue/rules/options", post(rules::put_options))
        .route("/requests/{id}", get(request::request_page))
        .route("/requests/{id}/act", post(request::act))
        .route("/requests/{id}/typing", post(request::typing))
        .route("/customers/{id}", get(customer::customer_page))
        .route("/customer-merges/{id}/undo", post(customer::unmerge))
}

/// The row's risk class for the page: empty when on track.
fn risk(settings: &QueueSettings, r: &StoredRequest, now: Timestamp) -> &'static str {
    match scoring::risk(settings, r, now) {
        Risk::OnTrack => "",
        other => other.as_str(),
    }
}

fn points(total: f64) -> String {
    format!("{total:.0}")
}
