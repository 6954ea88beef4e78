//! Service standards pages: the standards per touchpoint and channel with their compliance
//! over recorded interactions, the stories that illustrate them, and the weekly meeting
//! digest of new stories and violations per team.

mod compliance;
mod digest;
mod standard;
mod story;

use axum::Router;
use axum::routing::{get, post};
use jiff::{SignedDuration, Timestamp};
use touchpoints_core::{Problems, Touchpoint};

use crate::AppState;
use crate::web::optional;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/standards",
            get(standard::standards_page).post(standard::create_standard),
        )
        .route("/standards/{id}/delete", post(standard::delete_standard))
        .route(
            "/stories",
            get(story::stories_page).post(story::create_story),
        )
        .route("/stories/{id}/delete", post(story::delete_story))
        .route("/digest", get(digest::digest))
}

fn days_ago(now: Timestamp, days: i64) -> Timestamp {
    now.checked_sub(SignedDuration::from_hours(24 * days))
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

fn parse_id(problems: &mut Problems, field: &str, text: &str) -> Option<i64> {
    optional(problems, field, text, |text| format!("\"{text}\" is no id"))
}

fn options(touchpoints: &[Touchpoint]) -> Vec<(String, String)> {
    touchpoints
        .iter()
        .map(|t| (t.id.to_string(), t.fields.name.clone()))
        .collect()
}
