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

/// How a touchpoint kept each measurable standard that applies to it over its interactions
/// of the last `days`: (id, title, mandatory, share kept in whole percent rounded down,
/// judged, violated), those judged at least once.
pub(super) async fn kept_at_touchpoint(
    state: &AppState,
    id: i64,
    days: i64,
) -> Result<Vec<minijinja::Value>, touchpoints_app::AppError> {
    let now = Timestamp::now();
    let standards = state.store.standards().await?;
    let interactions: Vec<_> = state
        .store
        .interactions(days_ago(now, days), now)
        .await?
        .into_iter()
        .map(|i| i.interaction)
        .filter(|i| i.touchpoint == Some(id))
        .collect();
    let core: Vec<_> = standards
        .iter()
        .map(touchpoints_store::StoredStandard::to_standard)
        .collect();
    let titles: std::collections::HashMap<i64, _> =
        standards.iter().map(|s| (s.id, &s.fields)).collect();
    Ok(
        touchpoints_core::standards::compliance(&core, &interactions, now)
            .into_iter()
            .filter_map(|c| {
                let share = c.share()?;
                let fields = titles.get(&c.standard)?;
                Some(minijinja::context! {
                    id => c.standard,
                    title => fields.title.clone(),
                    mandatory => fields.mandatory,
                    // Rounded down, so that 99.6 % is not shown as all met.
                    percent => (share * 100.0).floor() as u32,
                    judged => c.met as usize + c.violations.len(),
                    violated => c.violations.len(),
                })
            })
            .collect(),
    )
}

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
    optional(problems, field, text, "not-an-id", |text| {
        format!("\"{text}\" is no id")
    })
}

fn options(touchpoints: &[Touchpoint]) -> Vec<(String, String)> {
    touchpoints
        .iter()
        .map(|t| (t.id.to_string(), t.fields.name.clone()))
        .collect()
}
